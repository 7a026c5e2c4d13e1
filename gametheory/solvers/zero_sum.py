"""Two-player zero-sum (constant-sum) games: the value and optimal strategies by LP.

By the minimax theorem (von Neumann 1928) a zero-sum game has a value v:
the row player's maxmin strategy x guarantees at least v and the column
player's minmax strategy y holds the row player to at most v, and (x, y) is
a Nash equilibrium.  Both are linear programs (Dantzig 1951; von Stengel
2007, section 3.2 in ch. 3 of Nisan et al., *Algorithmic Game Theory*)::

    max v  s.t.  A^T x >= v 1,  sum x = 1,  x >= 0
    min w  s.t.  A y <= w 1,    sum y = 1,  y >= 0

They are solved with :func:`scipy.optimize.linprog` (HiGHS).  For a rational
game the solution is then made exact: from the LP's supports and tight
constraints, a square system is picked and solved in exact rational
arithmetic, and the exact pair is checked to be optimal (feasible, with equal
values); if that check fails the float solution is kept.  A constant-sum
game (A + B = c) is solved as the zero-sum game A.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..errors import GameError
from ._exact import compare, independent_rows, is_rational, solve_rational
from .result import SolveResult
from .verify import DEFAULT_TOL, certify

METHOD = "zero-sum"


def is_constant_sum(game: Any) -> bool:
    """Whether a two-player game has A + B constant (exactly)."""
    if game.n_players != 2:
        return False
    a, b = game.payoffs
    total = a.flat[0] + b.flat[0]
    return all(compare(x + y, total) == 0 for x, y in zip(a.flat, b.flat))


def _maxmin(matrix: Any) -> tuple[Any, float]:
    """The row player's maxmin strategy and value for the float matrix (rows maximise)."""
    import numpy as np
    from scipy.optimize import linprog

    m, n = matrix.shape
    c = np.zeros(m + 1)
    c[-1] = -1.0
    a_ub = np.hstack([-matrix.T, np.ones((n, 1))])
    a_eq = np.hstack([np.ones((1, m)), np.zeros((1, 1))])
    bounds = [(0, None)] * m + [(None, None)]
    res = linprog(c, A_ub=a_ub, b_ub=np.zeros(n), A_eq=a_eq, b_eq=[1.0], bounds=bounds, method="highs")
    if not res.success:
        raise GameError(f"the zero-sum LP failed: {res.message}")
    x = np.clip(res.x[:m], 0.0, None)
    return x / x.sum(), float(res.x[-1])


def _exact_maxmin(exact: Any, floats: Any, x: Any, v: float, tol: float) -> tuple[tuple, Fraction] | None:
    """Re-solve the maxmin strategy exactly from the float solution's support and tight columns."""
    import numpy as np

    m, n = floats.shape
    scale = max(1.0, float(np.abs(floats).max()))
    support = [i for i in range(m) if x[i] > tol]
    payoffs = x @ floats  # the row strategy's payoff against each column
    slack = payoffs - v
    tight = [j for j in np.argsort(slack, kind="stable").tolist() if slack[j] <= 1e-6 * scale]
    # unknowns: x_S and v; equations: sum x = 1, then (A^T x)_j = v for tight j
    rows = [np.append(np.ones(len(support)), 0.0)] + [np.append(floats[support, j], -1.0) for j in tight]
    picked = independent_rows(np.array(rows), range(len(rows)), len(support) + 1)
    if picked is None or picked[0] != 0:
        return None
    system = []
    rhs = []
    for r in picked:
        if r == 0:
            system.append([Fraction(1)] * len(support) + [Fraction(0)])
            rhs.append(Fraction(1))
        else:
            j = tight[r - 1]
            system.append([exact[i][j] for i in support] + [Fraction(-1)])
            rhs.append(Fraction(0))
    sol = solve_rational(system, rhs)
    if sol is None or any(s < 0 for s in sol[:-1]):
        return None
    value = sol[-1]
    strategy = [Fraction(0)] * m
    for i, s in zip(support, sol[:-1]):
        strategy[i] = s
    for j in range(n):  # exact check: the strategy guarantees the value against every column
        if sum(strategy[i] * exact[i][j] for i in support) < value:
            return None
    return tuple(strategy), value


def solve_zero_sum(game: Any, *, tol: float = DEFAULT_TOL) -> SolveResult:
    """The value and a pair of optimal (maxmin) strategies of a constant-sum game.

    Solves the row player's and the column player's LPs with
    :func:`scipy.optimize.linprog`; for a rational game recovers both
    strategies and the value exactly and checks them (an exact ``Fraction``
    value in ``details["value"]``).  The result holds one equilibrium
    (``complete=False``: optimal strategies need not be unique; use vertex
    enumeration for all of them).  ``details`` also has ``"row_value"`` and
    ``"column_value"``: the value to each player.
    """
    import numpy as np

    if game.n_players != 2:
        raise GameError(f"the zero-sum method needs a two-player game, not {game.n_players} players")
    if not is_constant_sum(game):
        raise GameError("the zero-sum method needs a constant-sum game (A + B constant)")
    floats = np.asarray(game.payoff_array[0], dtype=float)
    x, v = _maxmin(floats)
    y, w = _maxmin(-floats.T)  # the column player maximises -A
    w = -w
    profile: tuple = (tuple(x.tolist()), tuple(y.tolist()))
    value: Any = (v + w) / 2
    if is_rational(game):
        exact_a = [list(r) for r in game.payoffs[0]]
        ex = _exact_maxmin(exact_a, floats, x, v, 1e-9)
        ey = _exact_maxmin(
            [[-exact_a[i][j] for i in range(len(exact_a))] for j in range(len(exact_a[0]))],
            -floats.T,
            y,
            -w,
            1e-9,
        )
        if ex is not None and ey is not None and ex[1] == -ey[1]:
            profile, value = (ex[0], ey[0]), ex[1]
    eq = certify(game, profile, tol)
    if eq is None:
        raise GameError("the zero-sum LP solution failed verification")
    total = game.payoffs[0].flat[0] + game.payoffs[1].flat[0]
    return SolveResult(
        game=game,
        method=METHOD,
        equilibria=[eq],
        degenerate=False,
        components=None,
        complete=False,
        tolerance=0.0 if eq.exact else tol,
        details={
            "value": value,
            "row_value": value,
            "column_value": total - value if eq.exact else float(total) - value,
        },
    )


__all__ = ["solve_zero_sum", "is_constant_sum"]
