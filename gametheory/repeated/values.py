"""Minmax (punishment) and maxmin (security) values of the stage game.

Player i's *minmax* value is the lowest payoff the others can hold i to when i
best-responds (Fudenberg & Maskin 1986, eq. (1)):

    m_i = min over the others' strategies  max over i's actions  u_i(a_i, s_-i).

Three versions are computed:

* **pure** minmax: the others use pure actions.  Exact, by enumeration.
* **mixed** minmax: the others mix independently.  For two players this is the
  value of the zero-sum game with i's payoffs (rows: i's actions, columns: the
  opponent's), by the minimax theorem (von Neumann 1928), so it is one linear
  programme.  For N > 2 players the min over *independent* mixtures is a
  non-convex problem, not an LP (NP-hard in general: Borgs et al. 2010); it
  lies between the two values below.  For small games it is computed exactly
  by enumerating the critical points of the punishment problem
  (:mod:`gametheory.repeated.minmax_nplayer`); beyond, or when a degenerate
  continuum of critical points cannot be resolved, it is bracketed and the
  upper bound is used (``minmax_kind`` says which).
* **correlated-punishment** minmax: the others draw a joint (correlated)
  profile.  That is the LP over distributions on the others' pure profiles,
  whose value equals i's maxmin (security) value against the others' joint
  profiles; it is a lower bound on the mixed minmax (correlated punishers are
  at least as strong), the pure minmax an upper bound.

The *maxmin* value is what i can guarantee with a mixed strategy of its own
(von Neumann 1928): for two players it equals the mixed minmax.

Linear programmes are solved in floating point (HiGHS, via
:func:`scipy.optimize.linprog`) and, for rational games, made exact: the
primal and dual solutions are rationalised (first by nearby fractions, then by
solving the LP's tight constraints exactly on its supports) and certified by
weak duality: a row strategy that guarantees ``v`` and a column strategy that
holds the row player to ``v`` prove that ``v`` is the value.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ._common import compare, exact_max, exact_min, exact_text, is_fraction

LP_TOL = 1e-9


@dataclass(frozen=True)
class ZeroSumSolution:
    """The value of a matrix game (row player maximises) with optimal strategies.

    ``row`` guarantees the row player at least ``value`` whatever the columns
    do; ``column`` holds the row player to at most ``value``.  When ``exact``
    both are exact and certify each other (weak duality).
    """

    value: Any
    row: tuple[Any, ...]
    column: tuple[Any, ...]
    exact: bool


def _lp_strategies(fmat: Any) -> tuple[Any, Any, float]:
    """Optimal row and column strategies of the matrix game ``fmat`` by two LPs (HiGHS)."""
    import numpy as np
    from scipy.optimize import linprog

    n, m = fmat.shape
    scale = float(np.abs(fmat).max()) or 1.0
    a = fmat / scale
    # row player: max v  s.t.  x'A_j >= v for every column j, x in the simplex
    c = np.zeros(n + 1)
    c[-1] = -1.0
    res_x = linprog(
        c,
        A_ub=np.hstack([-a.T, np.ones((m, 1))]),
        b_ub=np.zeros(m),
        A_eq=np.hstack([np.ones((1, n)), np.zeros((1, 1))]),
        b_eq=[1.0],
        bounds=[(0, None)] * n + [(None, None)],
        method="highs",
    )
    # column player: min w  s.t.  (A y)_i <= w for every row i, y in the simplex
    c = np.zeros(m + 1)
    c[-1] = 1.0
    res_y = linprog(
        c,
        A_ub=np.hstack([a, -np.ones((n, 1))]),
        b_ub=np.zeros(n),
        A_eq=np.hstack([np.ones((1, m)), np.zeros((1, 1))]),
        b_eq=[1.0],
        bounds=[(0, None)] * m + [(None, None)],
        method="highs",
    )
    if res_x.status != 0 or res_y.status != 0:  # pragma: no cover - a bounded feasible LP
        raise RuntimeError(f"linear programme failed: {res_x.message}; {res_y.message}")
    return res_x.x[:n], res_y.x[:m], float(res_x.x[-1]) * scale


def _guarantee(mat: Any, x: list[Fraction]) -> Fraction:
    n, m = len(mat), len(mat[0])
    return min(sum((x[i] * mat[i][j] for i in range(n)), Fraction(0)) for j in range(m))


def _cap(mat: Any, y: list[Fraction]) -> Fraction:
    n, m = len(mat), len(mat[0])
    return max(sum((mat[i][j] * y[j] for j in range(m)), Fraction(0)) for i in range(n))


def _rationalise(v: Any, denominator: int) -> list[Fraction] | None:
    xs = [Fraction(float(t)).limit_denominator(denominator) for t in v]
    xs = [t if t > 0 else Fraction(0) for t in xs]
    total = sum(xs)
    if total <= 0:
        return None
    return [t / total for t in xs]


def _support_solve(mat: list[list[Fraction]], v: Any, transpose: bool) -> list[Fraction] | None:
    """Solve the LP's tight system exactly on its support (rows of ``mat`` for ``transpose=False``).

    For a row strategy x with support S: ``sum_{i in S} x_i A_ij = w`` for
    the columns j where the float solution is tight, and ``sum x_i = 1``;
    |S| + 1 unknowns (x_S, w), independent tight equations chosen greedily.
    """
    import numpy as np

    from ..solvers._exact import independent_rows, solve_rational

    a = [list(r) for r in (zip(*mat) if transpose else mat)]  # rows: own strategies
    n, m = len(a), len(a[0])
    fa = np.array([[float(t) for t in r] for r in a])
    support = [i for i in range(n) if v[i] > LP_TOL]
    if not support:
        return None
    payoffs = np.asarray(v, dtype=float) @ fa
    w = payoffs.min() if not transpose else payoffs.max()
    tight = [j for j in range(m) if abs(payoffs[j] - w) <= 1e-7 * (1 + abs(w))]
    # equations over (x_S, w): [A_Sj, -1] . (x, w) = 0 for tight j; [1..1, 0] . (x, w) = 1
    rows = [[fa[i, j] for i in support] + [-1.0] for j in tight] + [[1.0] * len(support) + [0.0]]
    exact_rows = [[a[i][j] for i in support] + [Fraction(-1)] for j in tight] + [
        [Fraction(1)] * len(support) + [Fraction(0)]
    ]
    rhs = [Fraction(0)] * len(tight) + [Fraction(1)]
    order = [len(rows) - 1] + list(range(len(tight)))
    chosen = independent_rows(np.array(rows), order, len(support) + 1)
    if chosen is None:
        return None
    sol = solve_rational([exact_rows[r] for r in chosen], [rhs[r] for r in chosen])
    if sol is None or any(t < 0 for t in sol[:-1]):
        return None
    out = [Fraction(0)] * n
    for k, i in enumerate(support):
        out[i] = sol[k]
    return out


def zero_sum(matrix: Any) -> ZeroSumSolution:
    """Value and optimal strategies of the matrix game ``matrix`` (row player maximises).

    ``matrix`` is a 2-d array of exact numbers (Fractions; sympy numbers for
    irrational games, solved in floating point) or floats.  For a rational
    matrix the result is exact and certified: ``min_j x'A_j == max_i (A y)_i``.
    """
    import numpy as np

    mat = [list(r) for r in np.asarray(matrix, dtype=object)]
    fmat = np.array([[float(t) for t in r] for r in mat])
    x, y, value = _lp_strategies(fmat)
    if all(is_fraction(t) for r in mat for t in r):
        mat = [[Fraction(t) for t in r] for r in mat]
        candidates = []
        for denominator in (10**2, 10**4, 10**6, 10**9):
            candidates.append((_rationalise(x, denominator), _rationalise(y, denominator)))
        candidates.append((_support_solve(mat, x, False), _support_solve(mat, y, True)))
        for xs, ys in candidates:
            if xs is None or ys is None:
                continue
            g, c = _guarantee(mat, xs), _cap(mat, ys)
            if g == c:
                return ZeroSumSolution(g, tuple(xs), tuple(ys), True)
    return ZeroSumSolution(value, tuple(float(t) for t in x), tuple(float(t) for t in y), False)


def own_axis_matrix(game: Any, player: int, exact: bool = True) -> Any:
    """Player ``player``'s payoffs as a matrix: rows its actions, columns the others' profiles.

    Columns are in :func:`itertools.product` order of the others' strategies
    (lower-numbered players slower).
    """
    import numpy as np

    u = game.payoffs[player] if exact else game.payoff_array[player]
    u = np.moveaxis(u, player, 0)
    return u.reshape(u.shape[0], -1)


def others_profiles(game: Any, player: int) -> list[tuple[int, ...]]:
    """The others' pure profiles, in the column order of :func:`own_axis_matrix`."""
    others = [range(n) for k, n in enumerate(game.shape) if k != player]
    return list(itertools.product(*others))


@dataclass(frozen=True)
class PlayerValues:
    """One player's punishment and security values in the stage game.

    Attributes:
        player: the player's name.
        minmax: the value the folk theorem uses: the mixed minmax (the others
            mixing independently), exact for two players and for small N > 2
            games; otherwise its best upper bound (``minmax_kind`` says which).
        minmax_kind: ``"mixed"`` (exact), ``"pure (upper bound on the mixed
            minmax)"`` or ``"upper bound on the mixed minmax"``.
        minmax_pure: the others restricted to pure actions; ``pure_punishment``
            is their profile (one index per other player, in player order).
        punishment: for two players, the opponent's minmax mixture; for N > 2
            the correlated punishment (a distribution over the others'
            profiles, in :func:`others_profiles` order).
        correlated_minmax: the others punish with a correlated profile (an LP);
            equals ``maxmin``.  A lower bound on the mixed minmax for N > 2.
        maxmin: the security value; ``maxmin_strategy`` the mixture achieving it.
        exact: the LP values were recovered exactly and certified.
        minmax_bounds: ``(lower, upper)`` on the mixed minmax (equal when exact).
        mixed_punishment: one mixed strategy per other player (player order,
            exact probabilities) holding the player to the upper bound: the
            minmax punishment when the value is exact.
        minmax_method: how the mixed minmax was found: ``"linear programme"``,
            ``"pure"``, ``"critical points"`` (N > 2, exact) or ``"bounds"``.
    """

    player: str
    minmax: Any
    minmax_kind: str
    minmax_pure: Any
    pure_punishment: tuple[int, ...]
    punishment: tuple[Any, ...]
    correlated_minmax: Any
    maxmin: Any
    maxmin_strategy: tuple[Any, ...]
    exact: bool
    notes: list[str] = field(default_factory=list)
    minmax_bounds: tuple[Any, Any] | None = None
    mixed_punishment: tuple[tuple[Any, ...], ...] | None = None
    minmax_method: str = ""


def pure_minmax(game: Any, player: int) -> tuple[Any, tuple[int, ...]]:
    """``min_{a_-i} max_{a_i} u_i``, exactly, with the minimising profile of the others."""
    mat = own_axis_matrix(game, player)
    cols = others_profiles(game, player)
    best = [exact_max(list(mat[:, j])) for j in range(mat.shape[1])]
    value = exact_min(best)
    j = next(k for k, b in enumerate(best) if compare(b, value) == 0)
    return value, cols[j]


def pure_maxmin(game: Any, player: int) -> tuple[Any, int]:
    """``max_{a_i} min_{a_-i} u_i``, exactly, with the maximising action."""
    mat = own_axis_matrix(game, player)
    worst = [exact_min(list(mat[i, :])) for i in range(mat.shape[0])]
    value = exact_max(worst)
    return value, next(k for k, w in enumerate(worst) if compare(w, value) == 0)


def maxmin(game: Any, player: int | str) -> tuple[Any, tuple[Any, ...], bool]:
    """Player's security value and strategy against the others' (joint) profiles.

    Returns ``(value, strategy, exact)``.  By linear programming (von Neumann
    1928), exact and certified for rational games.
    """
    i = game.player_index(player)
    sol = zero_sum(own_axis_matrix(game, i))
    return sol.value, sol.row, sol.exact


def player_values(game: Any, player: int | str) -> PlayerValues:
    """The minmax (pure, mixed or correlated) and maxmin values of one player."""
    i = game.player_index(player)
    sol = zero_sum(own_axis_matrix(game, i))
    pure_value, pure_profile = pure_minmax(game, i)
    notes = []
    if game.n_players == 2:
        minmax, kind, method = sol.value, "mixed", "linear programme"
        bounds, mixed = (sol.value, sol.value), (sol.column,)
    else:
        ind = independent_minmax_cached(game, i, sol.value)
        bounds, mixed, method = (ind.lower, ind.upper), ind.profile, ind.method
        if ind.exact:
            minmax, kind = ind.value, "mixed"
        else:
            minmax = ind.upper
            kind = (
                "pure (upper bound on the mixed minmax)"
                if compare(ind.upper, pure_value) == 0
                else "upper bound on the mixed minmax"
            )
            notes.append(
                f"{game.players[i]}: the minmax against independent mixtures lies between {exact_text(ind.lower)} "
                f"and {exact_text(ind.upper)} (the upper bound is used)"
                + "".join(f"; {n}" for n in ind.notes)
            )
    return PlayerValues(
        player=game.players[i],
        minmax=minmax,
        minmax_kind=kind,
        minmax_pure=pure_value,
        pure_punishment=pure_profile,
        punishment=sol.column,
        correlated_minmax=sol.value,
        maxmin=sol.value,
        maxmin_strategy=sol.row,
        exact=sol.exact,
        notes=notes,
        minmax_bounds=bounds,
        mixed_punishment=mixed,
        minmax_method=method,
    )


def independent_minmax_cached(game: Any, player: int, lower: Any = None) -> Any:
    """:func:`gametheory.repeated.minmax_nplayer.independent_minmax`, computed once per game and player."""
    from ..solvers._exact import game_cache
    from .minmax_nplayer import independent_minmax

    cache = game_cache(game).setdefault("independent_minmax", {})
    if player not in cache:
        cache[player] = independent_minmax(game, player, lower=lower)
    return cache[player]


def minmax_values(game: Any) -> list[PlayerValues]:
    """:func:`player_values` for every player."""
    return [player_values(game, i) for i in range(game.n_players)]


def minmax(game: Any, player: int | str) -> Any:
    """The minmax value the folk theorem uses (mixed; for large N > 2 games its upper bound)."""
    return player_values(game, player).minmax


__all__ = [
    "ZeroSumSolution",
    "PlayerValues",
    "zero_sum",
    "pure_minmax",
    "pure_maxmin",
    "maxmin",
    "minmax",
    "player_values",
    "minmax_values",
    "own_axis_matrix",
    "others_profiles",
]
