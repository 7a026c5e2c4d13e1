"""The Lemke-Howson algorithm for two-player games, from every starting label.

Lemke and Howson (1964), "Equilibrium points of bimatrix games", Journal of
the Society for Industrial and Applied Mathematics 12(2):413-423; presented
as complementary pivoting in von Stengel (2007), section 3.4 of chapter 3 of
Nisan et al. (eds.), *Algorithmic Game Theory*.

With payoffs shifted to be positive, the best-response polytopes are written
as two tableaux, one column per label (``k < m``: row strategy k, ``k >= m``:
column strategy k - m)::

    P:  s = 1 - B^T x   (n rows; columns: x_0..x_{m-1}, s_0..s_{n-1})
    Q:  r = 1 - A y     (m rows; columns: r_0..r_{m-1}, y_0..y_{n-1})

Starting from the artificial equilibrium (0, 0), the *missing label* k is
dropped: its strategy variable enters the basis, and thereafter the variable
with the label that just left one tableau enters the other, until the
variable that leaves carries label k.  The endpoint is a completely labelled
pair, i.e. a Nash equilibrium.  The lexicographic minimum-ratio test (on the
rows of the basis inverse) makes the path well defined in degenerate games.

Pivoting is done in floating point with numpy; the equilibrium reached is
then re-solved exactly from its final bases (small integer systems, for a
rational game) and verified (:func:`gametheory.solvers.verify.certify`).
Lemke-Howson finds some equilibria, not necessarily all: equilibria of
index -1 and some others are not reachable from (0, 0) (Shapley 1974), so
results have ``complete=False``.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..errors import GameError
from ._exact import is_rational, positive_bimatrix, single_threaded_blas, solve_integer
from .result import Equilibrium, SolveResult
from .verify import DEFAULT_TOL, certify

METHOD = "lemke-howson"
PIVOT_TOL = 1e-12
EXACT_SUPPORT_LIMIT = 60  # re-solve exactly when both supports are at most this large


def _dger(alpha: float, x: Any, y: Any, a: Any, overwrite_a: int) -> Any:
    """``a += alpha x y^T`` in place (BLAS dger on a Fortran-ordered array)."""
    global _dger
    from scipy.linalg.blas import dger

    _dger = dger
    return dger(alpha, x, y, a=a, overwrite_a=overwrite_a)


class _Dictionary:
    """One tableau in dictionary form: ``x_B + D x_N = rhs``, only the nonbasic columns kept.

    ``table`` is ``[D | rhs]`` (Fortran order, updated in place by a BLAS
    rank-1 update); ``basic[r]`` and ``nonbasic[c]`` are the labels of the
    variables in row r and column c.  The slack variables (the initial basis)
    give the columns of the basis inverse used by the lexicographic test.
    """

    def __init__(self, matrix: Any, basic: list[int], nonbasic: list[int]):
        import numpy as np

        rows, cols = matrix.shape
        self.table = np.asfortranarray(np.hstack([matrix, np.ones((rows, 1))]))
        self.basic = list(basic)
        self.nonbasic = list(nonbasic)
        self.slacks = list(basic)  # the initial basis, in order: columns of B^-1
        self.column_of = {lab: c for c, lab in enumerate(nonbasic)}
        self.row_of = {lab: r for r, lab in enumerate(basic)}

    def _basis_inverse_rows(self, rows: Any) -> Any:
        """Rows of the current basis inverse (columns: the slacks in their initial order)."""
        import numpy as np

        out = np.zeros((len(rows), len(self.slacks)))
        for k, lab in enumerate(self.slacks):
            c = self.column_of.get(lab)
            if c is not None:
                out[:, k] = self.table[rows, c]
            else:
                out[:, k] = rows == self.row_of[lab]
        return out

    def leaving_row(self, column: int) -> int:
        """The lexicographic minimum-ratio test: the row whose basic variable leaves."""
        import numpy as np

        table = self.table
        col = table[:, column]
        top = col.max()
        if top <= PIVOT_TOL:
            raise GameError("Lemke-Howson: unbounded ray (the payoffs are not positive)")
        positive = col > PIVOT_TOL * max(1.0, top)
        ratios = np.divide(table[:, -1], col, out=np.full(len(col), np.inf), where=positive)
        row = int(ratios.argmin())
        best = ratios[row]
        ties = ratios <= best + 1e-11 * max(1.0, best)
        if np.count_nonzero(ties) == 1:
            return row
        ties = np.flatnonzero(ties)
        lex = self._basis_inverse_rows(ties) / col[ties, None]
        for k in range(lex.shape[1]):
            values = lex[:, k]
            low = values.min()
            keep = values <= low + 1e-11 * max(1.0, abs(low))
            ties, lex = ties[keep], lex[keep]
            if len(ties) == 1:
                break
        return int(ties[0])

    def pivot(self, row: int, column: int) -> int:
        """Exchange the basic variable of ``row`` with the nonbasic one of ``column``; return its label."""
        table = self.table
        inv = 1.0 / table[row, column]
        col = table[:, column].copy()
        prow = table[row].copy()
        _dger(-inv, col, prow, a=table, overwrite_a=1)
        prow *= inv
        table[row] = prow
        col *= -inv
        col[row] = inv
        table[:, column] = col
        leaving = self.basic[row]
        entering = self.nonbasic[column]
        self.basic[row] = entering
        self.nonbasic[column] = leaving
        del self.column_of[entering], self.row_of[leaving]
        self.row_of[entering] = row
        self.column_of[leaving] = column
        return leaving

    def values(self) -> dict[int, float]:
        """The values of the basic variables, by label."""
        rhs = self.table[:, -1]
        return {lab: float(rhs[r]) for r, lab in enumerate(self.basic)}


def _lemke_howson_path(a: Any, b: Any, missing: int, max_pivots: int) -> tuple[Any, Any, list, list] | None:
    """Follow the path for one missing label; the final point and bases, or None if too long."""
    import numpy as np

    m, n = a.shape
    # P: s + B^T x = 1 (labels: x_i -> i, s_j -> m + j); Q: r + A y = 1 (r_i -> i, y_j -> m + j).
    p = _Dictionary(np.asarray(b.T, dtype=float), basic=list(range(m, m + n)), nonbasic=list(range(m)))
    q = _Dictionary(np.asarray(a, dtype=float), basic=list(range(m)), nonbasic=list(range(m, m + n)))
    entering = missing
    tableau = p if missing < m else q
    for _ in range(max_pivots):
        column = tableau.column_of[entering]
        left = tableau.pivot(tableau.leaving_row(column), column)
        if left == missing:
            break
        entering = left
        tableau = q if tableau is p else p
    else:
        return None
    x = np.zeros(m)
    y = np.zeros(n)
    for lab, v in p.values().items():
        if lab < m:
            x[lab] = v
    for lab, v in q.values().items():
        if lab >= m:
            y[lab - m] = v
    return x, y, list(p.basic), list(q.basic)


def _exact_profile(game: Any, p_basis: list, q_basis: list) -> tuple | None:
    """The equilibrium at the final bases, solved exactly in integers (rational games)."""
    from fractions import Fraction

    m, n = game.shape
    a_pos, b_pos = positive_bimatrix(game)
    xs = sorted(lab for lab in p_basis if lab < m)  # basic x: the row player's support
    tight_cols = sorted(set(range(m, m + n)) - set(p_basis))  # nonbasic s: best-response columns
    ys = sorted(lab - m for lab in q_basis if lab >= m)
    tight_rows = sorted(set(range(m)) - set(q_basis))
    if len(xs) != len(tight_cols) or len(ys) != len(tight_rows) or not xs or not ys:
        return None
    if max(len(xs), len(ys)) > EXACT_SUPPORT_LIMIT:
        return None
    sx = solve_integer([[b_pos[i][j - m] for i in xs] for j in tight_cols], [1] * len(xs))
    sy = solve_integer([[a_pos[i][j] for j in ys] for i in tight_rows], [1] * len(ys))
    if sx is None or sy is None:
        return None
    out = []
    for support, (nums, _), size in ((xs, sx, m), (ys, sy, n)):
        total = sum(nums)
        if total <= 0 or any(v < 0 for v in nums):
            return None
        vec = [Fraction(0)] * size
        for i, v in zip(support, nums):
            vec[i] = Fraction(v, total)
        out.append(tuple(vec))
    return tuple(out)


def lemke_howson(
    game: Any,
    labels: Iterable[int] | None = None,
    *,
    tol: float = DEFAULT_TOL,
    max_pivots: int | None = None,
) -> SolveResult:
    """Equilibria of a two-player game by Lemke-Howson from each starting label.

    Args:
        game: a two-player game.
        labels: the missing labels to start from (``0..m-1`` are the row
            player's strategies, ``m..m+n-1`` the column player's); all
            ``m + n`` by default.
        tol: regret tolerance for equilibria that could not be re-solved exactly.
        max_pivots: give up on a path after this many pivots (default ``200 (m + n)``).

    Returns a :class:`~gametheory.solvers.result.SolveResult` with the
    distinct equilibria found (``complete=False``); ``details["paths"]``
    maps each starting label to the index of the equilibrium it reached.
    """
    import numpy as np

    if game.n_players != 2:
        raise GameError(f"Lemke-Howson needs a two-player game, not {game.n_players} players")
    m, n = game.shape
    labels = list(range(m + n)) if labels is None else [int(k) for k in labels]
    for k in labels:
        if not 0 <= k < m + n:
            raise GameError(f"label {k} is out of range 0..{m + n - 1}")
    exact = is_rational(game)
    if exact:
        a_pos, b_pos = positive_bimatrix(game)
        a = np.array(a_pos, dtype=float)
        b = np.array(b_pos, dtype=float)
    else:
        from .enumeration import _float_positive

        a, b = (_float_positive(u) for u in game.payoff_array)
    a = a / a.max()
    b = b / b.max()
    limit = max_pivots if max_pivots is not None else 200 * (m + n)
    equilibria: list[Equilibrium] = []
    keys: dict[tuple, int] = {}
    paths: dict[int, int | None] = {}
    paths_found = {}
    import scipy.linalg.blas  # noqa: F401  (load OpenBLAS before limiting its threads)

    with single_threaded_blas():
        for k in labels:
            paths_found[k] = _lemke_howson_path(a, b, k, limit)
    for k in labels:
        found = paths_found[k]
        if found is None:
            paths[k] = None
            continue
        x, y, p_basis, q_basis = found
        eq = None
        if exact:
            profile = _exact_profile(game, p_basis, q_basis)
            if profile is not None:
                eq = certify(game, profile, tol)
        if eq is None and x.sum() > 0 and y.sum() > 0:
            eq = certify(game, (tuple((x / x.sum()).tolist()), tuple((y / y.sum()).tolist())), tol)
        if eq is None:
            paths[k] = None
            continue
        key = tuple(round(float(v), 9) for s in eq.profile for v in s)
        if key not in keys:
            keys[key] = len(equilibria)
            equilibria.append(eq)
        paths[k] = keys[key]
    return SolveResult(
        game=game,
        method=METHOD,
        equilibria=equilibria,
        degenerate=False,
        components=None,
        complete=False,
        tolerance=0.0 if all(e.exact for e in equilibria) else tol,
        details={"paths": paths},
    )


__all__ = ["lemke_howson"]
