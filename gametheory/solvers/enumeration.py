"""All extreme Nash equilibria of a two-player game, by vertex enumeration.

The algorithm is the vertex enumeration of von Stengel (2007), Algorithm 3.5
in chapter 3 of Nisan, Roughgarden, Tardos and Vazirani (eds.), *Algorithmic
Game Theory*, Cambridge University Press, with the treatment of degenerate
games of Avis, Rosenberg, Savani and von Stengel (2010), "Enumeration of Nash
equilibria for two-player games", Economic Theory 42:9-37.

With payoffs shifted to be positive (which changes no equilibrium), the
best-response polytopes of an m x n game (A, B) are::

    P = {x in R^m : x >= 0, B^T x <= 1}      labels: i if x_i = 0, m+j if (B^T x)_j = 1
    Q = {y in R^n : y >= 0, A y <= 1}        labels: i if (A y)_i = 1, m+j if y_j = 0

A pair (x, y) != (0, 0) is *completely labelled* when every label 0..m+n-1 is
a label of x or of y; then (x / sum x, y / sum y) is a Nash equilibrium, and
the extreme equilibria are exactly the completely labelled pairs of vertices.

Steps (say m <= n; otherwise the players' roles are swapped):

1. Enumerate the vertices of P, the lower-dimensional polytope, in floating
   point (Qhull's halfspace intersection, :class:`scipy.spatial.HalfspaceIntersection`)
   and label them with a small tolerance, so that the float labels contain
   the exact ones.
2. A vertex x with exactly m labels (support S, best responses J, |S| = |J|)
   has at most one partner: y supported on J with ``(A y)_i = 1`` for i in S.
   These square systems are solved in one batch.  For a degenerate vertex
   (more than m labels) or a singular system, the partners of x are the
   vertices of a face of Q (y on J, ``(A y)_i = 1`` on S, the other
   constraints of Q); the face is parametrised over the null space of
   ``A[S, J]`` and its vertices enumerated in that small space (an interval,
   or Qhull again), so Q itself is never enumerated.
3. Each candidate pair is re-solved from its tight constraints in exact
   integer arithmetic (fraction-free Gauss-Jordan, as in lrs), checked to lie
   in its polytope, and relabelled exactly; the completely labelled pairs are
   the extreme equilibria, each then verified to have zero regret exactly
   (:func:`gametheory.solvers.verify.certify`).
4. When some equilibrium vertex has more labels than its dimension (a player
   has more pure best responses than the other's support size), the game is
   reported degenerate.  The set of equilibria is then a finite union of
   products of faces, and its connected components are those of the
   bipartite graph whose nodes are the extreme points x and y and whose edges
   are the extreme equilibria (Avis et al. 2010, "EEE" and clique
   enumeration of the maximal Nash subsets).  When no
   equilibrium vertex is degenerate, every equilibrium is isolated (each
   component is a single point), and the game is reported nondegenerate even
   if a degenerate vertex exists away from the equilibria.

For tiny games (at most 16 cells) and for ill-conditioned ones (distinct
payoffs closer than 1e-5 of their range, e.g. 0, 1 and 10^6, where float
labels cannot be trusted), steps 1-3 are replaced by exact vertex
enumeration of both polytopes: a search over feasible bases with
fraction-free integer pivoting, as in lrs (Avis 2000, "lrs: A revised
implementation of the reverse search vertex enumeration algorithm"), and the
pairs are matched by their exact labels.

Games with irrational payoffs are solved in floating point and verified with
a tolerance (``exact`` is then false).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import GameError
from ._exact import independent_rows, is_rational, positive_bimatrix, solve_integer
from .result import SolveResult
from .verify import DEFAULT_TOL, certify, certify_scaled

METHOD = "vertex-enumeration"


class EnumerationTooLarge(GameError):
    """The game is too large for exact vertex enumeration."""


LABEL_TOL = 1e-9  # tolerance for tight constraints of float vertices (payoffs scaled to (0, 1])
SINGULAR_COND = 1e10  # systems worse conditioned than this are treated as singular


@dataclass
class _Polytope:
    """{z >= 0 : M^T z <= 1} for a positive matrix M (d x k), with its float vertices."""

    matrix: Any  # the exact positive matrix (lists of ints), or None for a float-only game
    floats: Any  # M / max(M), d x k
    vertices: Any = None  # V x d float vertices of the normalised polytope, origin removed
    zero: Any = None  # V x d: z_i == 0 (within tolerance)
    tight: Any = None  # V x k: (M^T z)_j == 1 (within tolerance)
    tol: float = LABEL_TOL
    gap: float = 1.0  # the smallest difference between distinct entries of ``floats``

    @property
    def dim(self) -> int:
        return self.floats.shape[0]

    def enumerate(self) -> None:
        import numpy as np

        verts, joggled = _vertices(self.floats)
        if joggled:
            self.tol = max(self.tol, 1e-6)
        # Every vertex but the origin meets some (M^T z)_j = 1, so its largest coordinate is >= 1/d.
        verts = verts[verts.max(axis=1) > 0.5 / self.dim]
        self.zero, self.tight = self.labels(verts)
        self.vertices = np.where(self.zero, 0.0, verts)

    def labels(self, points: Any) -> tuple[Any, Any]:
        """(zero, tight) label masks of float points (zero relative to each point's largest coordinate)."""
        zero = points <= self.tol * points.max(axis=1, keepdims=True)
        return zero, 1.0 - points @ self.floats <= self.tol


def _vertices(floats: Any) -> tuple[Any, bool]:
    """Float vertices of {z >= 0 : F^T z <= 1}, F positive with max 1 (d x k); and whether joggled."""
    import numpy as np

    d, k = floats.shape
    if d == 1:
        return np.array([[0.0], [1.0 / floats[0].max()]]), False
    halfspaces = np.zeros((d + k, d + 1))
    halfspaces[:d, :d] = -np.eye(d)
    halfspaces[d:, :d] = floats.T
    halfspaces[d:, d] = -1.0
    interior = np.full(d, 0.5 / floats.sum(axis=0).max())
    from scipy.spatial import HalfspaceIntersection, QhullError

    try:
        return HalfspaceIntersection(halfspaces, interior, qhull_options="Qt").intersections, False
    except QhullError:
        return HalfspaceIntersection(halfspaces, interior, qhull_options="QJ").intersections, True


def _partners(p: _Polytope, q: _Polytope, rows: Any) -> tuple[Any, list[int], list[int]]:
    """For nondegenerate vertices x of P, the unique y in Q completing their labels.

    A vertex x with support S and best responses J (|S| = |J| = k) needs y
    supported on J with ``(A y)_i = 1`` for i in S.  All these k x k systems
    are padded with an identity block to one size and solved in one batch.
    Returns (the y points found, the indices of their x, the indices of x
    whose system is singular, whose partners form a face of Q).
    """
    import numpy as np

    m, n = p.dim, q.dim
    a = q.floats.T  # m x n: the rows of A, scaled as Q is
    support = ~p.zero[rows]
    tight = p.tight[rows]
    sizes = support.sum(axis=1)
    s_order = np.argsort(~support, axis=1, kind="stable")  # support first
    j_order = np.argsort(~tight, axis=1, kind="stable")[:, :m]  # best responses first
    inside = np.arange(m)[None, :] < sizes[:, None]
    block = inside[:, :, None] & inside[:, None, :]
    mats = np.where(block, a[s_order[:, :, None], j_order[:, None, :]], np.eye(m)[None])
    norms = np.sqrt(np.einsum("vij,vij->vi", mats, mats)).prod(axis=1)  # Hadamard's bound on |det|
    det = np.abs(np.linalg.det(mats))
    ok = det > norms / SINGULAR_COND
    singular = rows[~ok].tolist()
    if not ok.any():
        return np.zeros((0, n)), [], singular
    mats, j_order, inside = mats[ok], j_order[ok], inside[ok]
    sol = np.linalg.solve(mats, inside.astype(float)[:, :, None])[:, :, 0]
    sol = np.where(inside, sol, 0.0)
    y = np.zeros((len(sol), n))
    np.put_along_axis(y, j_order, sol, axis=1)
    feasible = (sol >= -q.tol * np.abs(sol).max(axis=1, keepdims=True)).all(axis=1)
    feasible &= (y @ a.T <= 1.0 + q.tol).all(axis=1)
    y = np.where(y < 0, 0.0, y)
    return y[feasible], rows[ok][feasible].tolist(), singular


def _chebyshev_center(g: Any, h: Any) -> tuple[Any, float] | None:
    """The centre and radius of the largest ball in {t : g t <= h}, or None if it is empty."""
    import numpy as np
    from scipy.optimize import linprog

    d = g.shape[1]
    norms = np.linalg.norm(g, axis=1)
    c = np.zeros(d + 1)
    c[-1] = -1.0
    res = linprog(
        c,
        A_ub=np.hstack([g, norms[:, None]]),
        b_ub=h,
        bounds=[(None, None)] * d + [(0, None)],
        method="highs",
    )
    if not res.success:
        return None
    return res.x[:d], float(res.x[-1])


def _implicit_equalities(g: Any, h: Any, tol: float) -> list[int]:
    """Constraints of {g t <= h} that hold with equality at every point (one LP each)."""
    import numpy as np
    from scipy.optimize import linprog

    out = []
    for k in range(len(h)):
        if np.linalg.norm(g[k]) <= tol:
            continue
        res = linprog(g[k], A_ub=g, b_ub=h, bounds=[(None, None)] * g.shape[1], method="highs")
        if res.success and res.fun >= h[k] - tol:
            out.append(k)
    return out


def _affine_solutions(mat: Any, rhs: Any) -> tuple[Any, Any]:
    """A particular solution of ``mat t = rhs`` and a basis of the null space ((None, None) if inconsistent)."""
    import numpy as np

    p = mat.shape[1]
    if mat.shape[0] == 0:
        return np.zeros(p), np.eye(p)
    u, sv, vt = np.linalg.svd(mat)
    rank = int((sv > sv[0] * 1e-10).sum()) if len(sv) and sv[0] > 0 else 0
    t0 = vt[:rank].T @ ((u[:, :rank].T @ rhs) / sv[:rank])  # the least-squares solution
    if np.abs(mat @ t0 - rhs).max(initial=0.0) > 1e-8 * max(1.0, float(np.abs(rhs).max(initial=0.0))):
        return None, None
    return t0, vt[rank:].T


def _halfspace_vertices(g: Any, h: Any, tol: float, depth: int = 0) -> Any:
    """Vertices of the bounded polytope {t in R^d : g t <= h}, in floating point."""
    import numpy as np

    d = g.shape[1]
    flat = np.linalg.norm(g, axis=1) <= tol  # constraints 0 <= h: a feasibility check only
    if (h[flat] < -tol).any():
        return np.zeros((0, d))
    g, h = g[~flat], h[~flat]
    if d == 0:
        return np.zeros((1, 0))
    if d == 1:
        col = g[:, 0]
        up, down = col > tol, col < -tol
        if not (up.any() and down.any()):
            return np.zeros((0, 1))
        ratios = h / np.where(col == 0, 1.0, col)
        # rounding error of each ratio: small coefficients make it large
        error = 1e-12 * (1.0 + np.abs(ratios)) / np.maximum(np.abs(col), 1e-300)
        k_hi = np.flatnonzero(up)[np.argmin(ratios[up])]
        k_lo = np.flatnonzero(down)[np.argmax(ratios[down])]
        lo, hi = ratios[k_lo], ratios[k_hi]
        slack = error[k_lo] + error[k_hi] + tol
        if lo > hi + slack:
            return np.zeros((0, 1))
        if hi - lo <= slack:
            return np.array([[(lo + hi) / 2]])
        return np.array([[lo], [hi]])
    found = _chebyshev_center(g, h)
    if found is None:
        return np.zeros((0, d))
    center, radius = found
    size = max(1.0, float(np.abs(center).max()))
    if radius > 1e-11 * size:
        from scipy.spatial import HalfspaceIntersection, QhullError

        halfspaces = np.hstack([g, -h[:, None]])
        for options in ("Qt", "QJ"):
            try:
                return HalfspaceIntersection(halfspaces, center, qhull_options=options).intersections
            except QhullError:
                continue
    if depth > d:
        return np.zeros((0, d))
    # A flat polytope: restrict to the affine hull of its implicit equalities and recurse.
    equal = _implicit_equalities(g, h, max(tol, 1e-9 * size))
    if not equal:
        return center[None, :]
    t0, basis = _affine_solutions(g[equal], h[equal])
    if t0 is None:
        return np.zeros((0, d))
    sub = _halfspace_vertices(g @ basis, h - g @ t0, tol, depth + 1)
    return t0[None, :] + sub @ basis.T


def _face_vertices(p: _Polytope, q: _Polytope, index: int) -> Any:
    """The vertices y of Q that complete the labels of vertex ``index`` of P.

    They form a face of Q: y supported on the best responses J to x, with
    ``(A y)_i = 1`` on the support S of x.  The face is parametrised over the
    null space of ``A[S, J]`` and its vertices are enumerated in that (small)
    space.
    """
    import numpy as np

    a = q.floats.T  # m x n, scaled as Q is
    n = a.shape[1]
    support = np.flatnonzero(~p.zero[index])
    best = np.flatnonzero(p.tight[index])
    if not len(best):
        return np.zeros((0, n))
    others = np.flatnonzero(p.zero[index])
    y0, basis = _affine_solutions(a[np.ix_(support, best)], np.ones(len(support)))
    if y0 is None:
        return np.zeros((0, n))
    rest = a[np.ix_(others, best)]
    g = np.vstack([-basis, rest @ basis])
    h = np.concatenate([y0, 1.0 - rest @ y0])
    ts = _halfspace_vertices(g, h, q.tol)
    ys = np.zeros((len(ts), n))
    ys[:, best] = y0[None, :] + ts @ basis.T
    return np.where(ys < 0, 0.0, ys)


def _segment_partners(p: _Polytope, q: _Polytope, rows: Any) -> tuple[Any, list[int], list[int]]:
    """Partners of vertices x of P with exactly one label too many, in one batch.

    For such an x (support S, best responses J, |J| = |S| + 1) the face of Q
    that completes its labels is, generically, a segment: its endpoints meet
    one more constraint, either ``y_j = 0`` for some j in J or ``(A y)_i = 1``
    for some row i outside S.  Each choice is a square system; all are padded
    to one size and solved together, and the feasible solutions kept.  A
    vertex with a singular system (a face that is not a segment) is returned
    for the general face enumeration.  Returns (ys, their x indices, fallback).
    """
    import numpy as np

    m, n = p.dim, q.dim
    a = q.floats.T
    size = m + 1
    eq_rows: list[list[int]] = []
    var_cols: list[list[int]] = []
    owner: list[int] = []
    for index in rows.tolist():
        support = np.flatnonzero(~p.zero[index]).tolist()
        best = np.flatnonzero(p.tight[index]).tolist()
        outside = np.flatnonzero(p.zero[index]).tolist()
        for j in best:
            eq_rows.append(support)
            var_cols.append([c for c in best if c != j])
            owner.append(index)
        for i in outside:
            eq_rows.append(support + [i])
            var_cols.append(best)
            owner.append(index)
    count = len(owner)
    if not count:
        return np.zeros((0, n)), [], []
    sizes = np.array([len(r) for r in eq_rows])
    r_idx = np.array([r + [0] * (size - len(r)) for r in eq_rows])
    c_idx = np.array([c + [n] * (size - len(c)) for c in var_cols])  # padded with a dummy column n
    a_ext = np.hstack([a, np.zeros((a.shape[0], 1))])
    inside = np.arange(size)[None, :] < sizes[:, None]
    block = inside[:, :, None] & inside[:, None, :]
    mats = np.where(block, a_ext[r_idx[:, :, None], c_idx[:, None, :]], np.eye(size)[None])
    rhs = inside.astype(float)
    norms = np.sqrt(np.einsum("vij,vij->vi", mats, mats)).prod(axis=1)
    ok = np.abs(np.linalg.det(mats)) > norms / SINGULAR_COND
    owner_arr = np.asarray(owner)
    fallback = sorted(set(owner_arr[~ok].tolist()))
    keep = ok & ~np.isin(owner_arr, fallback)
    if not keep.any():
        return np.zeros((0, n)), [], fallback
    sol = np.linalg.solve(mats[keep], rhs[keep][:, :, None])[:, :, 0]
    ys = np.zeros((len(sol), n + 1))
    np.put_along_axis(ys, c_idx[keep], sol, axis=1)
    ys = ys[:, :n]
    scale = np.abs(ys).max(axis=1, keepdims=True)
    feasible = (ys >= -q.tol * scale).all(axis=1) & (ys @ a.T <= 1.0 + q.tol).all(axis=1)
    ys = np.where(ys < 0, 0.0, ys)
    return ys[feasible], owner_arr[keep][feasible].tolist(), fallback


def _candidates(p: _Polytope, q: _Polytope) -> tuple[Any, Any]:
    """Float candidate pairs (x, y): points of P and Q whose float labels are complete."""
    import numpy as np

    p.enumerate()
    m, n = p.dim, q.dim
    count = p.zero.sum(axis=1) + p.tight.sum(axis=1)
    regular = np.flatnonzero(count == m)
    irregular = np.flatnonzero(count != m)
    ys, owners, singular = _partners(p, q, regular) if len(regular) else (np.zeros((0, n)), [], [])
    xs_list = [p.vertices[owners]] if owners else []
    ys_list = [ys] if len(ys) else []
    # one label too many (a tie, typically): the partners are the ends of a segment of Q
    one_extra = irregular[count[irregular] == m + 1]
    seg_ys, seg_owners, general = _segment_partners(p, q, one_extra)
    if seg_owners:
        xs_list.append(p.vertices[seg_owners])
        ys_list.append(seg_ys)
    rest = irregular[count[irregular] != m + 1].tolist() + list(singular) + list(general)
    for index in rest:
        face = _face_vertices(p, q, index)
        if len(face):
            xs_list.append(np.repeat(p.vertices[index][None, :], len(face), axis=0))
            ys_list.append(face)
    if not xs_list:
        return np.zeros((0, m)), np.zeros((0, n))
    return np.concatenate(xs_list), np.concatenate(ys_list)


@dataclass(frozen=True)
class _ExactVertex:
    """A vertex z = nums / den of an integer polytope {z >= 0 : M^T z <= 1}."""

    nums: tuple[int, ...]
    den: int
    labels: int  # bitmask in the polytope's own order: z_i = 0 (bits 0..d-1), then tight (d..d+k-1)

    def strategy(self) -> tuple[Fraction, ...]:
        total = sum(self.nums)
        return tuple(Fraction(v, total) for v in self.nums)

    def scaled(self) -> tuple[tuple[int, ...], int]:
        """The mixed strategy as (numerators, denominator)."""
        return self.nums, sum(self.nums)


def _exact_vertex(poly: _Polytope, z: Any) -> _ExactVertex | None:
    """Re-solve a float vertex exactly from its tightest constraints, and check it."""
    import numpy as np

    matrix = poly.matrix
    d, k = poly.floats.shape
    residual = np.abs(1.0 - z @ poly.floats)
    near = np.flatnonzero(residual <= max(poly.tol, 1e-6))
    tight = near[np.argsort(residual[near], kind="stable")].tolist()  # most tight first
    top = float(z.max())
    for support_tol in (poly.tol, 1e-12, 1e-6):
        support = np.flatnonzero(z > support_tol * top).tolist()
        if not support:
            return None
        if len(tight) == len(support):
            chosen = tight
        else:
            rows = poly.floats[np.ix_(support, tight)].T
            picked = independent_rows(rows, range(len(tight)), len(support))
            if picked is None:
                continue
            chosen = [tight[r] for r in picked]
        solved = solve_integer([[matrix[i][j] for i in support] for j in chosen], [1] * len(support))
        if solved is None:
            continue
        sub, den = solved
        if any(v < 0 for v in sub):
            continue
        nums = [0] * d
        for i, v in zip(support, sub):
            nums[i] = v
        labels = 0
        for i in range(d):
            if nums[i] == 0:
                labels |= 1 << i
        ok = True
        active = [(matrix[i], nums[i]) for i in support if nums[i]]
        for j in range(k):
            total = 0
            for row, v in active:
                total += row[j] * v
            if total > den:
                ok = False
                break
            if total == den:
                labels |= 1 << (d + j)
        if ok:
            common = math.gcd(den, *nums)  # reduce, so that equal points have equal keys
            return _ExactVertex(tuple(v // common for v in nums), den // common, labels)
    return None


MAX_EXACT_BASES = 200_000  # feasible bases visited by the exact fallback before it gives up
ILL_CONDITIONED_GAP = 1e-5  # scaled payoffs closer than this (relative) use exact pivoting
SMALL_GAME = 16  # games with at most this many cells use exact pivoting (faster there)


def _exact_polytope_vertices(matrix: list[list[int]]) -> dict[tuple, _ExactVertex]:
    """All vertices of {z >= 0 : M^T z <= 1} for a positive integer matrix M (d x k), exactly.

    Depth-first search over the feasible bases, from the origin's, with
    fraction-free integer pivoting (Edmonds; as in lrs, Avis 2000): each
    dictionary ``x_B + D x_N = b`` is kept as integers ``T = [D | b] * den``.
    Every pivot allowed by the ratio test is followed, ties included, so the
    bases of degenerate vertices are all reached (the graph of feasible bases
    is connected).  Returns the vertices (origin excluded) by reduced key.
    """
    d = len(matrix)
    k = len(matrix[0])
    # variables: z_i -> i (label: z_i = 0), slack s_j -> d + j (label: constraint j tight)
    start_rows = [[matrix[i][j] for i in range(d)] + [1] for j in range(k)]
    start = (tuple(range(d, d + k)), tuple(range(d)))
    seen = {frozenset(start[0])}
    queue = [(start[0], start[1], start_rows, 1)]
    out: dict[tuple, _ExactVertex] = {}
    while queue:
        basic, nonbasic, rows, den = queue.pop()
        nums = [0] * d
        labels = 0
        for var in nonbasic:
            labels |= 1 << var
        for r, var in enumerate(basic):
            value = rows[r][d]
            if value == 0:
                labels |= 1 << var
            elif var < d:
                nums[var] = value
        if any(nums):
            common = math.gcd(den, *nums)
            key = tuple(v // common for v in nums)
            out.setdefault(key, _ExactVertex(key, den // common, labels))
        for c in range(d):
            best: list[int] = []
            best_num = best_den = 0
            for r in range(k):
                coef = rows[r][c]
                if coef <= 0:
                    continue
                rhs = rows[r][d]
                if not best or rhs * best_den < best_num * coef:
                    best, best_num, best_den = [r], rhs, coef
                elif rhs * best_den == best_num * coef:
                    best.append(r)
            for r in best:
                new_basic = basic[:r] + (nonbasic[c],) + basic[r + 1 :]
                key_b = frozenset(new_basic)
                if key_b in seen:
                    continue
                seen.add(key_b)
                if len(seen) > MAX_EXACT_BASES:
                    raise EnumerationTooLarge(
                        f"exact vertex enumeration visited more than {MAX_EXACT_BASES} bases; "
                        "the game is too large (or too degenerate) for it: try method lemke-howson"
                    )
                piv = rows[r][c]
                prow = rows[r]
                new_rows = []
                for i, row in enumerate(rows):
                    if i == r:
                        new = list(prow)
                        new[c] = den
                    else:
                        f = row[c]
                        new = [(v * piv - f * w) // den for v, w in zip(row, prow)]
                        new[c] = -f
                    new_rows.append(new)
                new_nonbasic = nonbasic[:c] + (basic[r],) + nonbasic[c + 1 :]
                queue.append((new_basic, new_nonbasic, new_rows, piv))
    return out


def _ill_conditioned(p: _Polytope, q: _Polytope) -> bool:
    """Payoffs so close, relative to their range, that float labels cannot be trusted."""
    return min(p.gap, q.gap) < ILL_CONDITIONED_GAP


def _game_labels_of_y(labels: int, m: int, n: int) -> int:
    """Q's own bit order (y_j = 0, then tight rows) -> the game's (rows 0..m-1, then columns m..m+n-1)."""
    return (labels >> n) | ((labels & ((1 << n) - 1)) << m)


def _components(edges: list[tuple[Any, Any]]) -> list[list[int]]:
    """Connected components of the bipartite graph given by its edges, as lists of edge indices."""
    parent: dict[Any, Any] = {}

    def find(a: Any) -> Any:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for x, y in edges:
        rx, ry = find(("x", x)), find(("y", y))
        if rx != ry:
            parent[rx] = ry
    groups: dict[Any, list[int]] = {}
    for k, (x, _) in enumerate(edges):
        groups.setdefault(find(("x", x)), []).append(k)
    return sorted(groups.values())


def _polytopes(a_pos: Any, b_pos: Any, exact: bool) -> tuple[_Polytope, _Polytope]:
    """P (x-space, constraints B^T x <= 1) and Q (y-space, A y <= 1)."""
    import numpy as np

    fa = np.asarray(a_pos, dtype=float)
    fb = np.asarray(b_pos, dtype=float)
    fa, fb = fa / fa.max(), fb / fb.max()
    gap_a, gap_b = _gap(fa), _gap(fb)
    p = _Polytope(b_pos if exact else None, fb, tol=_label_tol(gap_b), gap=gap_b)
    q = _Polytope([list(c) for c in zip(*a_pos)] if exact else None, fa.T, tol=_label_tol(gap_a), gap=gap_a)
    return p, q


def _gap(floats: Any) -> float:
    import numpy as np

    values = np.unique(floats)
    return float(np.diff(values).min()) if len(values) > 1 else 1.0


def _label_tol(gap: float) -> float:
    """The tolerance for tight constraints: LABEL_TOL, or less when payoffs differ by less.

    The smallest gap between distinct (scaled) payoffs bounds how close a
    constraint that is not tight can come to being tight, in well-conditioned
    cases; the tolerance stays well below it (but above rounding error).
    """
    return float(min(LABEL_TOL, max(1e-13, gap * 1e-3)))


def _float_positive(u: Any) -> Any:
    """Payoffs shifted into [R, 2R] (R their range, at least 1), as :func:`positive_bimatrix` does."""
    low, high = float(u.min()), float(u.max())
    return u - low + max(1.0, high - low)


def enumerate_equilibria(game: Any, *, tol: float = DEFAULT_TOL, vertices: str = "auto") -> SolveResult:
    """All extreme Nash equilibria of a two-player game, exactly when it is rational.

    Vertex enumeration of the best-response polytopes (von Stengel 2007,
    Algorithm 3.5 in ch. 3 of Nisan et al., *Algorithmic Game Theory*; Avis,
    Rosenberg, Savani and von Stengel 2010 for degenerate games): float
    vertices from Qhull, matched by their labels, each candidate re-solved and
    checked in exact integer arithmetic, each equilibrium's regret verified to
    be exactly zero.  For a degenerate game the result has ``degenerate=True``
    and ``components``: the extreme equilibria grouped by the connected set of
    equilibria they belong to.

    ``vertices`` chooses how vertices are found: ``"qhull"`` (floating point,
    then confirmed exactly), ``"pivoting"`` (exact integer pivoting
    throughout; rational games only; faster for tiny games, much slower for
    large ones) or ``"auto"``: pivoting for games of at most 16 cells and when
    the payoffs are ill-conditioned (distinct payoffs closer than 1e-5 of
    their range, e.g. 0, 1 and 10^6), where float labels cannot be trusted.

    Returns a :class:`~gametheory.solvers.result.SolveResult` with
    ``complete=True``; ``equilibria`` are sorted (player 1's probabilities
    first, descending).
    """
    import numpy as np

    if game.n_players != 2:
        raise GameError(f"vertex enumeration needs a two-player game, not {game.n_players} players")
    m, n = game.shape
    exact = is_rational(game)
    if exact:
        a_pos, b_pos = positive_bimatrix(game)
    else:
        a_pos, b_pos = (_float_positive(u) for u in game.payoff_array)
    swap = m > n  # enumerate the lower-dimensional polytope
    if swap:
        a_pos, b_pos = [list(r) for r in zip(*b_pos)], [list(r) for r in zip(*a_pos)]
    if vertices not in ("auto", "qhull", "pivoting"):
        raise GameError(f"unknown vertex method {vertices!r} (auto, qhull, pivoting)")
    p, q = _polytopes(a_pos, b_pos, exact)
    small = m * n <= SMALL_GAME  # exact pivoting is the faster method for tiny games
    pivoting = exact and (
        vertices == "pivoting" or (vertices == "auto" and (small or _ill_conditioned(p, q)))
    )
    if pivoting:
        xs, ys = [], []
    else:
        xs, ys = _candidates(p, q)
    mm, nn = p.dim, q.dim
    edges: list[tuple[Any, Any, tuple]] = []
    if exact:
        x_vertices: dict[tuple, _ExactVertex] = {}
        y_vertices: dict[tuple, _ExactVertex] = {}
        cache_x: dict[bytes, _ExactVertex | None] = {}
        cache_y: dict[bytes, _ExactVertex | None] = {}
        if pivoting:
            x_vertices = _exact_polytope_vertices(p.matrix)
            y_vertices = _exact_polytope_vertices(q.matrix)
        for x, y in zip(xs, ys):
            kx, ky = x.tobytes(), y.tobytes()
            if kx not in cache_x:
                cache_x[kx] = _exact_vertex(p, x)
            if ky not in cache_y:
                cache_y[ky] = _exact_vertex(q, y)
            vx, vy = cache_x[kx], cache_y[ky]
            if vx is not None and vy is not None:
                x_vertices[vx.nums] = vx
                y_vertices[vy.nums] = vy
        full = (1 << (mm + nn)) - 1
        y_labels = {key: _game_labels_of_y(v.labels, mm, nn) for key, v in y_vertices.items()}
        for kx, vx in x_vertices.items():
            for ky, ly in y_labels.items():
                if vx.labels | ly == full:
                    extra = bin(vx.labels).count("1") > mm or bin(ly).count("1") > nn
                    edges.append((kx, ky, (vx.scaled(), y_vertices[ky].scaled(), extra)))
    else:
        seen = set()
        for x, y in zip(xs, ys):
            sx, sy = x / x.sum(), y / y.sum()
            kx, ky = tuple(np.round(sx, 9)), tuple(np.round(sy, 9))
            if (kx, ky) in seen:
                continue
            seen.add((kx, ky))
            zx, tx = p.labels(x[None])
            zy, ty = q.labels(y[None])
            extra = int(zx.sum() + tx.sum()) > mm or int(zy.sum() + ty.sum()) > nn
            edges.append((kx, ky, (tuple(sx.tolist()), tuple(sy.tolist()), extra)))
    found = []
    check_tol = tol if exact else max(tol, 1e-7)
    for kx, ky, (sx, sy, extra) in edges:
        profile = (sy, sx) if swap else (sx, sy)
        eq = certify_scaled(game, profile) if exact else certify(game, profile, check_tol)
        if eq is not None and eq.exact == exact:
            found.append((eq, (ky, kx) if swap else (kx, ky), extra))
    found.sort(key=lambda t: t[0].profile, reverse=True)
    degenerate = any(extra for _, _, extra in found)
    return SolveResult(
        game=game,
        method=METHOD,
        equilibria=[eq for eq, _, _ in found],
        degenerate=degenerate,
        components=_components([key for _, key, _ in found]) if degenerate else None,
        complete=True,
        tolerance=0.0 if exact else check_tol,
        details={
            "vertices": int(len(x_vertices) if pivoting else len(p.vertices)),  # of the polytope enumerated
            "candidates": int(len(xs)),
            "vertex_method": "pivoting" if pivoting else "qhull",
        },
    )


__all__ = ["enumerate_equilibria", "EnumerationTooLarge"]
