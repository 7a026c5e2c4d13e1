"""Iterated elimination of dominated strategies, with an audit trail.

A strategy ``s`` of player i is *strictly dominated* by a (pure or mixed)
strategy sigma of the same player when sigma earns strictly more than ``s``
against every profile ``t`` of the other players' strategies, and *weakly
dominated* when it earns at least as much against every ``t`` and strictly
more against at least one (Gibbons 1992, sec. 1.1.B; Fudenberg and Tirole
1991, ch. 2).  Payoffs are linear in the others' mixtures, so checking the
others' pure profiles suffices; with more than two players ``t`` ranges over
all of them, which is dominance against correlated beliefs, the standard
definition (a strategy is strictly dominated by a mixture iff it is never a
best response to any such belief: Pearce 1984; Myerson 1991, ch. 3).

Algorithm (:func:`iterated_elimination`), one *round* at a time:

1. For every player, against the strategies that remain for everyone at the
   start of the round, find each strategy dominated by another pure strategy.
   This is decided exactly: each player's payoffs are replaced by their ranks
   (computed by exact comparisons of Fractions, or sympy numbers), so the
   vectorised integer comparisons are the exact ones.
2. With ``mixed=True``, test every strategy not dominated by a pure strategy
   for dominance by a mixture of the others by linear programming (Myerson
   1991, ch. 3; Fudenberg and Tirole 1991, sec. 2.1), in floating point
   (``scipy.optimize.linprog``, HiGHS):

   * strict: maximise eps subject to
     ``sum_k sigma_k u_i(k, t) >= u_i(s, t) + eps`` for every ``t``,
     ``sum_k sigma_k = 1``, ``sigma >= 0``; dominated iff eps > 0;
   * weak: maximise the sum of the slacks subject to
     ``sum_k sigma_k u_i(k, t) >= u_i(s, t)`` for every ``t``; dominated iff
     the sum is positive (tried after the strict program, so that a strategy
     strictly dominated by a mixture is reported as such).

   Every mixture found is then *confirmed exactly*: its probabilities are
   rationalised (:meth:`fractions.Fraction.limit_denominator`, small
   denominators first, so the simplest confirmed mixture is reported) and the
   inequalities are checked in exact arithmetic; if that fails, the LP's
   vertex is re-solved exactly from its tight constraints and checked again.
   An elimination that cannot be confirmed is not made.
3. Remove every dominated strategy of every player at once and record one
   :class:`EliminationStep` per removal: the round, the player, the strategy,
   what dominates it (a strategy that is itself undominated in that round
   where there is one; an LP optimum, which puts no weight on dominated
   strategies, for mixtures) and whether the dominance is strict.
4. Repeat until a round removes nothing.

Strict elimination gives the same surviving game in whatever order strategies
are removed (Gilboa, Kalai and Zemel 1990), so removing all at once loses
nothing.  Weak elimination does depend on the order: :func:`iterated_elimination`
with ``weak=True`` uses the textbook convention (everything weakly dominated in
a round is removed together) and :func:`weak_elimination_orders` explores the
one-strategy-at-a-time orders and reports each distinct surviving game.

References:
    Gibbons, R. (1992). *A Primer in Game Theory* (US title *Game Theory for
    Applied Economists*), sec. 1.1.B. Harvester Wheatsheaf / Princeton UP.
    Fudenberg, D. and Tirole, J. (1991). *Game Theory*, ch. 2. MIT Press.
    Myerson, R. B. (1991). *Game Theory: Analysis of Conflict*, ch. 3. Harvard UP.
    Pearce, D. G. (1984). Rationalizable strategic behavior and the problem of
    perfection. *Econometrica* 52(4): 1029-1050.
    Gilboa, I., Kalai, E. and Zemel, E. (1990). On the order of eliminating
    dominated strategies. *Operations Research Letters* 9(2): 85-89.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cmp_to_key
from typing import Any

from ..errors import GameError
from ._exact import compare, exact_string, game_cache, independent_rows, sign, solve_rational

#: Largest denominator tried when rationalising an LP's mixture.
LIMIT_DENOMINATOR = 10**6
#: Denominator limits tried in turn, so that the simplest confirmed mixture is reported.
ROUNDING_LIMITS = (12, 1000, LIMIT_DENOMINATOR)
#: Relative tolerances (times the payoff scale) for reading an LP's tight constraints.
TIGHT_TOLERANCES = (1e-9, 1e-7, 1e-5)
#: Default bound on the states :func:`weak_elimination_orders` visits (pure dominance only).
MAX_STATES = 20_000
#: The same with ``mixed=True``, where every state costs linear programs.
MAX_STATES_MIXED = 2_000


# -- results -------------------------------------------------------------------


@dataclass(frozen=True)
class EliminationStep:
    """One removal in an elimination trail.

    Attributes:
        round: the round of elimination (1-based); in a one-at-a-time order
            (:func:`weak_elimination_orders`) the position in the order.
        player: the player's name.
        removed: the name of the strategy removed.
        dominated_by: the dominating strategy's name, or a mixture
            ``{name: probability}`` with exact probabilities (Fractions, or
            sympy numbers when the payoffs are irrational).
        strict: the dominance is strict (strictly better against every
            remaining profile of the others); false for weak dominance.
        player_index, removed_index: the same, as indices into the game.
    """

    round: int
    player: str
    removed: str
    dominated_by: str | dict[str, Any]
    strict: bool
    player_index: int
    removed_index: int

    @property
    def by_mixture(self) -> bool:
        return isinstance(self.dominated_by, dict)

    def dominator_text(self) -> str:
        """``"Middle"`` or ``"1/2 Top + 1/2 Bottom"``."""
        if isinstance(self.dominated_by, dict):
            return " + ".join(f"{_coefficient(p)} {name}" for name, p in self.dominated_by.items())
        return self.dominated_by

    def to_dict(self) -> dict:
        """``{"round", "player", "removed", "dominated_by", "strict"}``.

        A mixture is ``{name: probability}`` with float probabilities, and
        ``"dominated_by_exact"`` beside it gives them as exact strings.
        """
        out: dict[str, Any] = {"round": self.round, "player": self.player, "removed": self.removed}
        if isinstance(self.dominated_by, dict):
            out["dominated_by"] = {name: float(p) for name, p in self.dominated_by.items()}
            out["dominated_by_exact"] = {name: exact_string(p) for name, p in self.dominated_by.items()}
        else:
            out["dominated_by"] = self.dominated_by
        out["strict"] = self.strict
        return out

    def __str__(self) -> str:
        kind = "strictly" if self.strict else "weakly"
        return (
            f"round {self.round}: {self.player} {self.removed} ({kind} dominated by {self.dominator_text()})"
        )


def _coefficient(p: Any) -> str:
    text = exact_string(p)
    return text if isinstance(p, (int, Fraction)) else f"({text})"


def _surviving_names(game: Any, indices: tuple[tuple[int, ...], ...]) -> dict[str, tuple[str, ...]]:
    return {
        p: tuple(game.strategies[i][k] for k in ks) for i, (p, ks) in enumerate(zip(game.players, indices))
    }


@dataclass
class DominanceResult:
    """The outcome of :func:`iterated_elimination`.

    Attributes:
        game: the game analysed.
        weak: weak dominance was used (else strict).
        mixed: dominance by mixed strategies was checked too.
        steps: the trail, one :class:`EliminationStep` per removal, in order.
        surviving_indices: the indices of each player's surviving strategies.
    """

    game: Any
    weak: bool
    mixed: bool
    steps: list[EliminationStep]
    surviving_indices: tuple[tuple[int, ...], ...]

    @property
    def surviving(self) -> dict[str, tuple[str, ...]]:
        """Each player's surviving strategies, by name: ``{player: (names...)}``."""
        return _surviving_names(self.game, self.surviving_indices)

    @property
    def solved(self) -> bool:
        """Exactly one strategy survives for every player (the game is dominance solvable)."""
        return all(len(ks) == 1 for ks in self.surviving_indices)

    @property
    def rounds(self) -> int:
        """The number of rounds that removed something."""
        return max((s.round for s in self.steps), default=0)

    @property
    def solution(self) -> tuple[str, ...] | None:
        """The surviving profile when the game is solved, else ``None``."""
        if not self.solved:
            return None
        return tuple(self.game.strategies[i][ks[0]] for i, ks in enumerate(self.surviving_indices))

    def reduced_game(self) -> Any:
        """The game restricted to the surviving strategies (a :class:`~gametheory.model.Game`)."""
        return restrict(self.game, self.surviving_indices)

    def to_dict(self) -> dict:
        """``{"game", "weak", "mixed", "steps", "surviving", "solved"}``."""
        return {
            "game": self.game.title,
            "weak": self.weak,
            "mixed": self.mixed,
            "steps": [s.to_dict() for s in self.steps],
            "surviving": {p: list(names) for p, names in self.surviving.items()},
            "solved": self.solved,
        }

    def __repr__(self) -> str:
        kind = ("weakly" if self.weak else "strictly") + (" (pure or mixed)" if self.mixed else "")
        n, r = len(self.steps), self.rounds
        lines = [
            f"<DominanceResult: {n} {kind} dominated strateg{'y' if n == 1 else 'ies'} removed"
            f" in {r} round{'' if r == 1 else 's'}>"
        ]
        lines += [f"  {s}" for s in self.steps]
        lines += [f"  surviving {p}: {', '.join(names)}" for p, names in self.surviving.items()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><td>{s.round}</td><td>{html.escape(s.player)}</td><td>{html.escape(s.removed)}</td>"
            f"<td>{html.escape(s.dominator_text())}</td><td>{'strict' if s.strict else 'weak'}</td></tr>"
            for s in self.steps
        )
        surv = "".join(
            f"<li>{html.escape(p)}: {html.escape(', '.join(names))}</li>"
            for p, names in self.surviving.items()
        )
        return (
            "<table><tr><th>round</th><th>player</th><th>removed</th><th>dominated by</th><th></th></tr>"
            f"{rows}</table><p>Surviving:</p><ul>{surv}</ul>"
        )


@dataclass(frozen=True)
class OrderOutcome:
    """One surviving game reachable by some one-at-a-time elimination order.

    Attributes:
        surviving_indices: the indices of each player's surviving strategies.
        steps: one order that reaches it (``round`` is the position in the order).
    """

    game: Any = field(repr=False, compare=False)
    surviving_indices: tuple[tuple[int, ...], ...]
    steps: tuple[EliminationStep, ...]

    @property
    def surviving(self) -> dict[str, tuple[str, ...]]:
        return _surviving_names(self.game, self.surviving_indices)

    def to_dict(self) -> dict:
        return {
            "surviving": {p: list(names) for p, names in self.surviving.items()},
            "order": [s.to_dict() for s in self.steps],
        }


@dataclass
class EliminationOrders:
    """The outcome of :func:`weak_elimination_orders`.

    Attributes:
        game: the game analysed.
        mixed: dominance by mixtures was checked too.
        outcomes: each distinct surviving game, with an order that reaches it,
            in the order the (deterministic, depth-first) search found them.
        complete: every order was explored (else the search hit ``max_states``
            and there may be more outcomes).
        states: the number of distinct intermediate games visited.
    """

    game: Any
    mixed: bool
    outcomes: list[OrderOutcome]
    complete: bool
    states: int

    @property
    def order_dependent(self) -> bool:
        """Different elimination orders lead to different surviving games."""
        return len(self.outcomes) > 1

    def to_dict(self) -> dict:
        return {
            "game": self.game.title,
            "mixed": self.mixed,
            "order_dependent": self.order_dependent,
            "complete": self.complete,
            "outcomes": [o.to_dict() for o in self.outcomes],
        }

    def __repr__(self) -> str:
        head = (
            f"<EliminationOrders: {len(self.outcomes)} distinct outcome"
            f"{'' if len(self.outcomes) == 1 else 's'}{'' if self.complete else ' (search cut short)'}>"
        )
        lines = [head]
        for o in self.outcomes:
            lines.append("  " + "; ".join(f"{p}: {', '.join(n)}" for p, n in o.surviving.items()))
        return "\n".join(lines)


# -- the game restricted to some strategies ---------------------------------------------


def restrict(game: Any, indices: Any) -> Any:
    """The game with each player restricted to the strategies at ``indices`` (in that order).

    Parameters, definitions, metadata and the payoff expressions are kept, so
    the reduced game can still be re-evaluated with other parameter values.
    """
    import numpy as np

    from ..model.game import Game

    indices = [list(ks) for ks in indices]
    if len(indices) != game.n_players or any(not ks for ks in indices):
        raise GameError("restrict needs a non-empty list of strategy indices for every player")
    exprs = game.payoff_expressions[np.ix_(range(game.n_players), *indices)]
    strategies = [[game.strategies[i][k] for k in ks] for i, ks in enumerate(indices)]
    return Game(
        game.players,
        strategies,
        exprs,
        parameters=game.parameters,
        define=game.define,
        values=game.values,
        title=game.title,
        description=game.description,
        references=game.references,
        tags=game.tags,
        scenarios=game.scenarios,
        repeated=game.repeated,
    )


# -- exact helpers ------------------------------------------------------------------


def _sgn(x: Any) -> int:
    if isinstance(x, (int, Fraction)):
        return (x > 0) - (x < 0)
    return sign(x)


def _ranks(game: Any) -> list[Any]:
    """Each player's payoffs replaced by their rank among that player's payoffs (exact order)."""
    import numpy as np

    cache = game_cache(game)
    if "dominance_ranks" in cache:
        return cache["dominance_ranks"]
    out = []
    for i in range(game.n_players):
        values = list(game.payoffs[i].flat)
        distinct = list(set(values))
        if all(isinstance(v, Fraction) for v in distinct):
            distinct.sort()
            rank = {v: r for r, v in enumerate(distinct)}
        else:
            distinct.sort(key=cmp_to_key(compare))
            rank = {}
            r = -1
            prev = None
            for v in distinct:
                if prev is None or compare(prev, v) != 0:
                    r += 1
                rank[v] = r
                prev = v
        out.append(np.array([rank[v] for v in values], dtype=np.int64).reshape(game.shape))
    cache["dominance_ranks"] = out
    return out


def _solve_square(rows: list[list[Any]], rhs: list[Any]) -> list[Any] | None:
    """Solve a square exact system (Fractions, or sympy numbers); ``None`` if singular."""
    if all(isinstance(v, (int, Fraction)) for r in rows for v in r) and all(
        isinstance(v, (int, Fraction)) for v in rhs
    ):
        return solve_rational(rows, rhs)
    import sympy

    from ..expressions import _from_sym

    try:
        sol = sympy.Matrix(rows).LUsolve(sympy.Matrix(rhs))
    except (ValueError, ZeroDivisionError):  # NonInvertibleMatrixError is a ValueError
        return None
    out = []
    for v in sol:
        v = sympy.nsimplify(sympy.simplify(v)) if not v.is_Rational else v
        if not v.is_finite:
            return None
        out.append(_from_sym(v) if v.is_Rational else v)
    return out


def _margins(sigma: list[Any], exact_rows: Any, target: Any) -> list[Any]:
    """``sum_k sigma_k E[k, t] - v[t]`` for every column t, exactly."""
    n_cols = len(target)
    out = []
    for t in range(n_cols):
        total = Fraction(0)
        for k, p in enumerate(sigma):
            if p != 0:
                total = total + p * exact_rows[k][t]
        out.append(total - target[t])
    return out


def _confirm(sigma: list[Any], exact_rows: Any, target: Any, weak: bool) -> bool | None:
    """Does the exact mixture ``sigma`` dominate? Returns strictness, or ``None`` if it does not."""
    if any(_sgn(p) < 0 for p in sigma):
        return None
    total = sum(sigma, Fraction(0))
    if _sgn(total - 1) != 0:
        return None
    signs = [_sgn(m) for m in _margins(sigma, exact_rows, target)]
    if all(s > 0 for s in signs):
        return True
    if weak and all(s >= 0 for s in signs) and any(s > 0 for s in signs):
        return False
    return None


def _rationalise(x: Any, limit: int = LIMIT_DENOMINATOR) -> list[Fraction]:
    """A float probability vector as nearby Fractions summing to exactly 1 (or [] if impossible)."""
    approx = [Fraction(float(v)).limit_denominator(limit) if v > 1e-12 else Fraction(0) for v in x]
    total = sum(approx, Fraction(0))
    if total <= 0:
        return []
    return [p / total for p in approx]


def _tight_vertex(
    float_rows: Any, exact_rows: Any, target_f: Any, target_e: Any, x: Any, eps: float | None, scale: float
) -> list[list[Any]]:
    """Candidate exact mixtures: the LP vertex re-solved from its tight constraints.

    Unknowns are ``sigma`` (and ``eps`` for strict dominance).  Constraint rows:
    ``sum sigma = 1``; ``sigma_k = 0`` where the LP's sigma_k is (near) zero;
    ``sum_k sigma_k u(k, t) (- eps) = u(s, t)`` where row t is (near) tight.
    Independent rows are picked most-trusted first; one candidate per tolerance.
    """
    import numpy as np

    n_k = float_rows.shape[0]
    strict = eps is not None
    n_var = n_k + (1 if strict else 0)
    slack = x @ float_rows - target_f - (eps if strict else 0.0)
    out = []
    seen: set[tuple] = set()
    for tol in TIGHT_TOLERANCES:
        tol_s = tol * scale
        rows_f: list[Any] = []
        rows_e: list[list[Any]] = []
        rhs_e: list[Any] = []
        keys: list[float] = []
        one = [1.0] * n_k + ([0.0] if strict else [])
        rows_f.append(one)
        rows_e.append([Fraction(1)] * n_k + ([Fraction(0)] if strict else []))
        rhs_e.append(Fraction(1))
        keys.append(-1.0)
        for k in range(n_k):
            if x[k] <= tol:
                e = [0.0] * n_var
                e[k] = 1.0
                rows_f.append(e)
                ee = [Fraction(0)] * n_var
                ee[k] = Fraction(1)
                rows_e.append(ee)
                rhs_e.append(Fraction(0))
                keys.append(abs(float(x[k])))
        for t in range(float_rows.shape[1]):
            if abs(slack[t]) <= tol_s:
                rows_f.append(list(float_rows[:, t]) + ([-1.0] if strict else []))
                rows_e.append([exact_rows[k][t] for k in range(n_k)] + ([Fraction(-1)] if strict else []))
                rhs_e.append(target_e[t])
                keys.append(abs(float(slack[t])) / scale)
        order = sorted(range(len(rows_f)), key=lambda r: keys[r])
        chosen = independent_rows(np.array(rows_f, dtype=float), order, n_var)
        if chosen is None:
            continue
        key = tuple(sorted(chosen))
        if key in seen:
            continue
        seen.add(key)
        sol = _solve_square([rows_e[r] for r in chosen], [rhs_e[r] for r in chosen])
        if sol is not None:
            out.append(sol[:n_k])
    return out


def _mixed_dominator(float_rows: Any, exact_rows: Any, target_f: Any, target_e: Any, weak: bool):
    """A confirmed dominating mixture of the rows over the columns: ``(sigma, strict)`` or ``None``.

    ``float_rows``/``exact_rows`` are the candidate strategies' payoffs (K x T)
    against the others' remaining profiles, ``target_*`` the payoffs of the
    strategy tested.  See the module docstring for the linear programs.
    """
    import numpy as np
    from scipy.optimize import linprog

    n_k, n_t = float_rows.shape
    scale = max(1.0, float(np.max(np.abs(float_rows))), float(np.max(np.abs(target_f))))
    if weak:
        res = linprog(
            -float_rows.sum(axis=1),
            A_ub=-float_rows.T,
            b_ub=-target_f,
            A_eq=np.ones((1, n_k)),
            b_eq=[1.0],
            bounds=[(0, None)] * n_k,
            method="highs-ds",
        )
        if res.status != 0 or -res.fun - float(target_f.sum()) <= 0:
            return None
        x = np.clip(res.x, 0.0, None)
        eps = None
    else:
        c = np.zeros(n_k + 1)
        c[-1] = -1.0
        a_ub = np.hstack([-float_rows.T, np.ones((n_t, 1))])
        res = linprog(
            c,
            A_ub=a_ub,
            b_ub=-target_f,
            A_eq=np.hstack([np.ones((1, n_k)), np.zeros((1, 1))]),
            b_eq=[1.0],
            bounds=[(0, None)] * n_k + [(None, None)],
            method="highs-ds",
        )
        if res.status != 0 or res.x[-1] <= 0:
            return None
        x = np.clip(res.x[:-1], 0.0, None)
        eps = float(res.x[-1])
    candidates = []  # simplest first: a strict dominator keeps dominating when rounded a little
    for limit in ROUNDING_LIMITS:
        rounded = _rationalise(x, limit)
        if rounded and rounded not in candidates:
            candidates.append(rounded)
    candidates += _tight_vertex(float_rows, exact_rows, target_f, target_e, x, eps, scale)
    for sigma in candidates:
        strict = _confirm(sigma, exact_rows, target_e, weak)
        if strict is not None:
            return sigma, strict
    return None


# -- one round ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Domination:
    by: int | dict[int, Any]  # original strategy index, or {index: probability}
    strict: bool


def _dominated(
    game: Any, alive: tuple[tuple[int, ...], ...], weak: bool, mixed: bool
) -> list[dict[int, _Domination]]:
    """For each player: ``{strategy index: how it is dominated}`` against ``alive``.

    Pure dominance is decided on exact ranks; a reported pure dominator is one
    that is itself undominated by pure strategies when there is one (dominance
    is a transitive, irreflexive relation, so a maximal dominator exists).
    Mixed dominance is checked for the rest, over mixtures of the strategies
    not dominated by pure ones (the LP's optimum puts no weight on dominated
    strategies, so this loses nothing).
    """
    import numpy as np

    ranks = _ranks(game)
    grid = np.ix_(*alive)
    out: list[dict[int, _Domination]] = []
    for i in range(game.n_players):
        own = alive[i]
        n = len(own)
        sub = np.moveaxis(ranks[i][grid], i, 0).reshape(n, -1)
        dominates = np.zeros((n, n), dtype=bool)  # dominates[k, s]: k dominates s
        strictly = np.zeros((n, n), dtype=bool)
        for s in range(n):
            gt = sub > sub[s]
            strictly[:, s] = gt.all(axis=1)
            if weak:
                dominates[:, s] = (sub >= sub[s]).all(axis=1) & gt.any(axis=1)
            else:
                dominates[:, s] = strictly[:, s]
        pure_dominated = dominates.any(axis=0)
        found: dict[int, _Domination] = {}
        for s in range(n):
            if not pure_dominated[s]:
                continue
            dominators = np.flatnonzero(dominates[:, s])
            undominated = [k for k in dominators if not pure_dominated[k]]
            k = int(undominated[0] if undominated else dominators[0])
            found[own[s]] = _Domination(own[k], bool(strictly[k, s]))
        if mixed and n > 2:
            candidates = [k for k in range(n) if not pure_dominated[k]]
            if len(candidates) > 2:
                exact = np.moveaxis(game.payoffs[i][grid], i, 0).reshape(n, -1)
                floats = np.moveaxis(game.payoff_array[i][grid], i, 0).reshape(n, -1)
                # A best reply to some profile t is not strictly dominated (no mixture beats it at t),
                # and a unique best reply is not even weakly dominated: no LP needed for those.
                best = sub == sub.max(axis=0)
                unique = best & (best.sum(axis=0) == 1)
                for s in candidates:
                    if unique[s].any() or (best[s].any() and not weak):
                        continue
                    rest = [k for k in candidates if k != s]
                    rows_e = [list(exact[k]) for k in rest]
                    got = None
                    if not best[s].any():
                        got = _mixed_dominator(floats[rest], rows_e, floats[s], list(exact[s]), False)
                    if got is None and weak:
                        got = _mixed_dominator(floats[rest], rows_e, floats[s], list(exact[s]), True)
                    if got is None:
                        continue
                    sigma, strict = got
                    by = {own[k]: p for k, p in zip(rest, sigma) if _sgn(p) != 0}
                    if len(by) == 1:  # a pure dominator after all (cannot happen, but keep the trail honest)
                        by = next(iter(by))
                    found[own[s]] = _Domination(by, strict)
        out.append(found)
    return out


def _step(game: Any, rnd: int, i: int, s: int, how: _Domination) -> EliminationStep:
    names = game.strategies[i]
    if isinstance(how.by, dict):
        by: str | dict[str, Any] = {names[k]: p for k, p in sorted(how.by.items())}
    else:
        by = names[how.by]
    return EliminationStep(
        round=rnd,
        player=game.players[i],
        removed=names[s],
        dominated_by=by,
        strict=how.strict,
        player_index=i,
        removed_index=s,
    )


# -- public API -----------------------------------------------------------------------


def iterated_elimination(game: Any, weak: bool = False, mixed: bool = False) -> DominanceResult:
    """Iterated elimination of dominated strategies for N players, with its trail.

    Args:
        game: a :class:`~gametheory.model.Game`.
        weak: eliminate weakly dominated strategies (default: strictly).
            Every weakly dominated strategy of every player is removed in the
            same round, the textbook convention; the outcome of weak
            elimination can depend on the order, see
            :func:`weak_elimination_orders`.
        mixed: also eliminate strategies dominated only by a mixed strategy
            (an LP in floats, each elimination confirmed exactly).

    Returns:
        A :class:`DominanceResult`: ``.steps`` (the trail), ``.surviving``,
        ``.solved``, ``.reduced_game()``, ``.to_dict()``.

    Pure dominance is decided exactly; each round removes everything
    dominated at the start of the round (Gibbons 1992, sec. 1.1.B; Fudenberg
    and Tirole 1991, ch. 2; for mixtures Myerson 1991, ch. 3).  For strict
    dominance the result does not depend on the order of removal.
    """
    alive = tuple(tuple(range(n)) for n in game.shape)
    steps: list[EliminationStep] = []
    rnd = 0
    while True:
        found = _dominated(game, alive, weak, mixed)
        if not any(found):
            break
        rnd += 1
        for i, doms in enumerate(found):
            for s in sorted(doms):
                steps.append(_step(game, rnd, i, s, doms[s]))
        alive = tuple(tuple(k for k in ks if k not in doms) for ks, doms in zip(alive, found))
    return DominanceResult(game=game, weak=weak, mixed=mixed, steps=steps, surviving_indices=alive)


def weak_elimination_orders(
    game: Any, mixed: bool = False, max_states: int | None = None
) -> EliminationOrders:
    """The distinct outcomes of iterated weak dominance over elimination orders.

    Iterated elimination of *weakly* dominated strategies can end in
    different reduced games depending on the order in which strategies are
    removed (Fudenberg and Tirole 1991, sec. 2.1; Myerson 1991, ch. 3;
    Gilboa, Kalai and Zemel 1990).  This explores the orders that remove one
    weakly dominated strategy at a time:

    1. From the full game, list every (player, strategy) that is weakly
       dominated (by a pure strategy, or also by a mixture with ``mixed``).
    2. Depth-first, branch on removing each of them (players in order, then
       strategies in order); an intermediate game already visited is not
       explored again.
    3. A game with nothing weakly dominated is an outcome; record the first
       order that reaches it.

    The search stops after ``max_states`` distinct intermediate games
    (default :data:`MAX_STATES`, or :data:`MAX_STATES_MIXED` with ``mixed``);
    ``complete`` then says it was cut short.

    Returns:
        :class:`EliminationOrders` with ``.outcomes`` (distinct surviving
        games, each with one order reaching it) and ``.order_dependent``.
    """
    if max_states is None:
        max_states = MAX_STATES_MIXED if mixed else MAX_STATES
    start = tuple(tuple(range(n)) for n in game.shape)
    visited: set[tuple] = set()
    outcomes: dict[tuple, tuple[EliminationStep, ...]] = {}
    stack: list[tuple[tuple[tuple[int, ...], ...], tuple[EliminationStep, ...]]] = [(start, ())]
    complete = True
    while stack:
        alive, path = stack.pop()
        if alive in visited:
            continue
        if len(visited) >= max_states:
            complete = False
            break
        visited.add(alive)
        found = _dominated(game, alive, True, mixed)
        if not any(found):
            outcomes.setdefault(alive, path)
            continue
        children = []
        for i, doms in enumerate(found):
            for s in sorted(doms):
                child = tuple(tuple(k for k in ks if k != s) if j == i else ks for j, ks in enumerate(alive))
                children.append((child, path + (_step(game, len(path) + 1, i, s, doms[s]),)))
        stack.extend(reversed(children))  # explore in the natural order
    return EliminationOrders(
        game=game,
        mixed=mixed,
        outcomes=[OrderOutcome(game, alive, path) for alive, path in outcomes.items()],
        complete=complete,
        states=len(visited),
    )


__all__ = [
    "DominanceResult",
    "EliminationOrders",
    "EliminationStep",
    "OrderOutcome",
    "iterated_elimination",
    "restrict",
    "weak_elimination_orders",
]
