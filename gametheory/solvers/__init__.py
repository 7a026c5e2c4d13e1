"""Nash equilibria: one entry point, :func:`solve`, and the methods behind it.

========================  =====================================================  ==========
method                    what it finds                                          complete
========================  =====================================================  ==========
``"pure"``                every pure-strategy equilibrium, N players             pure only
``"enumeration"``         every extreme equilibrium of a two-player game,        yes
                          exactly; components of degenerate games
``"lemke-howson"``        the equilibria reached by Lemke-Howson from each       no
                          starting label (two players; large games)
``"zero-sum"``            the value and a pair of optimal strategies of a        no
                          constant-sum two-player game (LP)
``"nplayer"``             every isolated equilibrium of an N-player game,        yes
                          exactly (polynomial support enumeration; irrational
                          equilibria as surds; continua detected)
``"logit"``               the equilibrium the logit QRE branch leads to          no
                          (:func:`~.logit.qre_branch` gives the whole branch,
                          its bifurcations and the selection)
``"auto"``                enumeration for two-player games of moderate size,     see result
                          else Lemke-Howson; for N > 2 "nplayer" when small,
                          else the pure equilibria plus the logit selection
========================  =====================================================  ==========

Every equilibrium reported has been verified (:mod:`.verify`): exactly zero
regret in exact arithmetic for rational games, else regret within the
tolerance.  Results are :class:`SolveResult` objects; ``result.to_dict()``
gives the JSON of ``gametheory solve --format json``.
"""

from __future__ import annotations

from typing import Any

from ..errors import GameError
from .enumeration import EnumerationTooLarge, enumerate_equilibria
from .lemke_howson import lemke_howson
from .logit import logit_solve, qre_branch
from .nplayer import support_enumeration_nplayer
from .pure import pure_equilibria
from .result import Equilibrium, SolveResult
from .verify import DEFAULT_TOL, certify, is_equilibrium, regret
from .zero_sum import is_constant_sum, solve_zero_sum

METHODS = ("auto", "pure", "enumeration", "lemke-howson", "zero-sum", "nplayer", "logit")
_ALIASES = {
    "vertex-enumeration": "enumeration",
    "enummixed": "enumeration",
    "lemke_howson": "lemke-howson",
    "lh": "lemke-howson",
    "zero_sum": "zero-sum",
    "zerosum": "zero-sum",
    "enumpoly": "nplayer",
    "polynomial": "nplayer",
    "qre": "logit",
}

# "auto" lists every isolated equilibrium of an N-player game by exact polynomial support
# enumeration when the game is small (measured: 3x3x3 in 3-6 s, 2x2x2x2 in 1-2 s, 8x2x2 in 2-3 s);
# beyond, it follows the logit QRE branch to one equilibrium and says the list may be incomplete.
AUTO_NPLAYER_MAX_PLAYERS = 4
AUTO_NPLAYER_SUPPORT_BOUND = 2500  # product over players of (2^n_i - 1) support choices
LOGIT_FALLBACK_TOL = 1e-6  # regret tolerance of the logit limit when "auto" cannot enumerate


def nplayer_enumeration_is_practical(shape: tuple[int, ...]) -> bool:
    """Whether "auto" enumerates all isolated equilibria of an N-player game of this shape."""
    count = 1
    for n in shape:
        count *= 2**n - 1
    return len(shape) <= AUTO_NPLAYER_MAX_PLAYERS and count <= AUTO_NPLAYER_SUPPORT_BOUND

# "auto" enumerates when the smaller best-response polytope (dimension d = min(m, n), with
# m + n facets) cannot have too many vertices: the upper bound theorem's leading term
# C(m + n - ceil(d/2), floor(d/2)) must be at most this (e.g. 13x13, 10x20, 6x60, 3x400 pass).
AUTO_ENUMERATION_VERTEX_BOUND = 60_000
AUTO_LEMKE_HOWSON_PIVOTS = 20  # per path, times (m + n), when auto falls back to Lemke-Howson


def enumeration_is_practical(m: int, n: int) -> bool:
    """Whether "auto" lists all equilibria of an m x n game by vertex enumeration."""
    import math

    d = min(m, n)
    return math.comb(m + n - (d + 1) // 2, d // 2) <= AUTO_ENUMERATION_VERTEX_BOUND


def _pure_result(game: Any) -> SolveResult:
    return SolveResult(
        game=game,
        method="pure",
        equilibria=pure_equilibria(game),
        degenerate=False,
        components=None,
        complete=False,
        tolerance=0.0,
        details={"pure_equilibria_complete": True},
    )


def solve(game: Any, method: str = "auto", *, tol: float = DEFAULT_TOL) -> SolveResult:
    """The Nash equilibria of ``game`` by ``method`` (see the table above).

    Args:
        game: a :class:`gametheory.model.Game`.
        method: ``"auto"``, ``"pure"``, ``"enumeration"`` (alias
            ``"vertex-enumeration"``), ``"lemke-howson"`` or ``"zero-sum"``.
        tol: regret tolerance for equilibria that could not be made exact.

    ``result.complete`` says whether the list is every equilibrium (for
    enumeration: every extreme equilibrium, with ``components`` describing
    the continua of degenerate games).  For ``"pure"`` it is false: the list
    has every *pure* equilibrium, but mixed ones are not sought.  For N > 2
    players, ``"auto"`` enumerates every isolated equilibrium exactly when the
    game is small (:func:`nplayer_enumeration_is_practical`), and otherwise
    reports the pure equilibria and the logit selection with ``complete=False``.
    """
    key = _ALIASES.get(method, method)
    if key not in METHODS:
        raise GameError(f"unknown method {method!r} (known: {', '.join(METHODS)})")
    if key == "auto":
        if game.n_players != 2:
            if nplayer_enumeration_is_practical(game.shape):
                return support_enumeration_nplayer(game, tol=tol)
            return _logit_with_pure(game, tol)
        m, n = game.shape
        if enumeration_is_practical(m, n):
            try:
                return enumerate_equilibria(game, tol=tol)
            except EnumerationTooLarge:
                pass
        return lemke_howson(game, tol=tol, max_pivots=AUTO_LEMKE_HOWSON_PIVOTS * (m + n))
    if key == "pure":
        return _pure_result(game)
    if key == "enumeration":
        return enumerate_equilibria(game, tol=tol)
    if key == "lemke-howson":
        return lemke_howson(game, tol=tol)
    if key == "nplayer":
        return support_enumeration_nplayer(game, tol=tol)
    if key == "logit":
        return logit_solve(game, tol=tol)
    return solve_zero_sum(game, tol=tol)


def _logit_with_pure(game: Any, tol: float) -> SolveResult:
    """Every pure equilibrium plus the one the logit branch selects (for games too large to enumerate)."""
    pure = pure_equilibria(game)
    # exact refinement of the limit solves polynomial systems, too slow at this size
    found = logit_solve(game, tol=max(tol, LOGIT_FALLBACK_TOL), refine=False)
    known = {e.float_profile for e in pure}
    extra = [e for e in found.equilibria if e.float_profile not in known]
    note = (
        "too large to list every equilibrium: these are all pure equilibria and the equilibrium "
        "selected by the logit QRE branch (McKelvey & Palfrey 1995); others may exist"
    )
    return SolveResult(
        game=game,
        method="pure+logit",
        equilibria=pure + extra,
        degenerate=False,
        components=None,
        complete=False,
        tolerance=max(found.tolerance, 0.0),
        details={"note": note},
    )


__all__ = [
    "solve",
    "METHODS",
    "Equilibrium",
    "SolveResult",
    "pure_equilibria",
    "enumerate_equilibria",
    "lemke_howson",
    "solve_zero_sum",
    "support_enumeration_nplayer",
    "logit_solve",
    "qre_branch",
    "is_constant_sum",
    "regret",
    "is_equilibrium",
    "certify",
]
