"""Pure-strategy Nash equilibria of N-player games, vectorised over the payoff tensor.

A profile s is a pure Nash equilibrium when every player's strategy is a best
response: ``u_i(s) = max_t u_i(t, s_-i)`` for every i.  For player i this is
one comparison of its payoff tensor with its maximum along its own axis, so
the whole test is N array reductions, with no Python loop over profiles.  The
equilibrium is *strict* when each player's strategy is its unique best
response.

Comparisons are exact.  They run on the float view of the payoffs with a
margin a few ulps wide: a float difference larger than the margin has the
sign of the exact difference, so only near-ties can be wrong, and those are
re-decided with the exact payoffs (Fractions, or sympy numbers).  When every
payoff is exactly representable as a float (e.g. integer games) the float
comparisons are exact as they stand and no margin is needed.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ._exact import compare, game_cache
from .result import Equilibrium
from .verify import certify_pure_batch

_ULPS = 64.0 * 2.0**-52  # relative error budget of payoff floats (correctly rounded: 2**-53)
_AMBIGUOUS_LIMIT = 32  # above this many near-ties, check once whether floats are exact


def _floats_are_exact(game: Any) -> bool:
    """Every payoff is a Fraction whose float conversion is exact (cached per game)."""
    cache = game_cache(game)
    if "floats_exact" not in cache:
        limit = 2**53
        ok = True
        for v in game.payoffs.flat:
            if not isinstance(v, Fraction):
                ok = False
                break
            d = v.denominator
            if d & (d - 1) or abs(v.numerator) > limit:
                ok = False
                break
        cache["floats_exact"] = ok
    return cache["floats_exact"]


def _near_best(game: Any, margin_scale: float) -> tuple[list[Any], list[Any]]:
    """Per player: mask of strategies within the margin of the best, and their counts."""
    import numpy as np

    floats = game.payoff_array
    cache = game_cache(game)
    if "payoff_scales" not in cache:
        cache["payoff_scales"] = [float(np.abs(u).max(initial=0.0)) for u in floats]
    near = []
    counts = []
    for i in range(game.n_players):
        u = floats[i]
        best = u.max(axis=i, keepdims=True)
        if margin_scale:
            mask = u >= best - margin_scale * cache["payoff_scales"][i]
        else:
            mask = u == best
        near.append(mask)
        counts.append(mask.sum(axis=i, keepdims=True))
    return near, counts


def _exact_best_response(game: Any, i: int, profile: tuple[int, ...], near: Any) -> tuple[bool, bool]:
    """Is ``profile[i]`` a best response (and the unique one), deciding near-ties exactly."""
    exact = game.payoffs[i]
    line = list(profile)
    own = exact[profile]
    unique = True
    for t in range(game.shape[i]):
        if t == profile[i]:
            continue
        line[i] = t
        if not near[tuple(line)]:
            continue  # clearly worse in floats, hence exactly worse
        c = compare(exact[tuple(line)], own)
        if c > 0:
            return False, False
        if c == 0:
            unique = False
    return True, unique


def pure_equilibria(game: Any) -> list[Equilibrium]:
    """All pure-strategy Nash equilibria of an N-player game, with strictness.

    Vectorised: for each player, its payoff tensor is compared with its
    maximum along the player's own axis; the profiles where every player is
    at (or within a few ulps of) its maximum are candidates, and near-ties are
    decided with exact payoffs.  Each equilibrium is then verified exactly
    (:func:`gametheory.solvers.verify.certify`).  Returns
    :class:`~gametheory.solvers.result.Equilibrium` objects in profile order
    (player 1's strategy slowest), with ``strict`` set.
    """
    import numpy as np

    exact_floats = bool(game_cache(game).get("floats_exact"))  # known exact (checked lazily, below)
    near, counts = _near_best(game, 0.0 if exact_floats else _ULPS)
    candidate = near[0].copy()
    for mask in near[1:]:
        candidate &= mask
    idx = np.argwhere(candidate)
    if len(idx) == 0:
        return []
    unique = np.ones(len(idx), dtype=bool)
    for i in range(game.n_players):
        sel = tuple(idx[:, j] if j != i else np.zeros(len(idx), dtype=int) for j in range(game.n_players))
        unique &= counts[i][sel] == 1
    ambiguous = int((~unique).sum())
    if not exact_floats and ambiguous > _AMBIGUOUS_LIMIT and _floats_are_exact(game):
        return pure_equilibria(game)  # the float view is exact: redo without margins
    found = []
    for row, certain in zip(idx.tolist(), unique.tolist()):
        profile = tuple(row)
        if certain:
            strict = True
        elif exact_floats:
            strict = False  # exact ties among the best responses
        else:
            strict = True
            ok = True
            for i in range(game.n_players):
                best, uniq = _exact_best_response(game, i, profile, near[i])
                if not best:
                    ok = False
                    break
                strict &= uniq
            if not ok:
                continue
        found.append((profile, strict))
    return certify_pure_batch(game, [p for p, _ in found], [s for _, s in found], floats_exact=exact_floats)


def pure_equilibrium_profiles(game: Any) -> list[tuple[int, ...]]:
    """The pure equilibria as strategy-index tuples."""
    return [tuple(x.index(1) for x in eq.profile) for eq in pure_equilibria(game)]


__all__ = ["pure_equilibria", "pure_equilibrium_profiles"]
