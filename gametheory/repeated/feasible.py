"""Feasible and individually rational payoffs, and the folk theorem.

The *feasible* payoffs of a repeated game are the convex hull of the stage
game's pure payoff vectors (with public randomisation, or as long-run averages
of sequences of profiles).  The *individually rational* ones give every player
at least its minmax value.  The folk theorem (Fudenberg & Maskin 1986,
Theorem 1 for two players; Theorem 2 for N players under full dimensionality,
weakened to non-equivalent utilities by Abreu, Dutta & Smith 1994) says that
every feasible payoff vector *strictly* above the minmax values is the payoff
of a subgame-perfect equilibrium once the discount factor is close enough
to 1; for payoffs above the stage Nash payoffs, Nash reversion suffices
(Friedman 1971).

The hull is computed with Qhull (:class:`scipy.spatial.ConvexHull`) in the
affine hull of the payoff vectors, so degenerate sets (all payoffs on a line,
or a single point, or in a plane for three players) are handled; for two
players its vertices are then checked exactly (a vertex collinear with its
neighbours is dropped) and the individually rational region is clipped exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

from ._common import compare, is_fraction

RANK_TOL = 1e-9


@dataclass
class FeasibleSet:
    """The convex hull of the pure payoff vectors.

    Attributes:
        vertices: the extreme payoff vectors (exact tuples), counter-clockwise
            for two players.
        profiles: for each vertex, the pure profiles (index tuples) giving it.
        dimension: the dimension of the hull's affine span (0: a point, 1: a
            segment, ...; full-dimensional when it equals the number of players).
        exact: payoffs are rational and the two-player hull was checked exactly.
    """

    vertices: list[tuple[Any, ...]]
    profiles: list[list[tuple[int, ...]]]
    dimension: int
    n_players: int
    exact: bool
    equations: Any = None  # facet inequalities a.x + b <= 0 (floats), full-dimensional hulls only

    @property
    def full_dimensional(self) -> bool:
        return self.dimension == self.n_players

    def float_vertices(self) -> Any:
        import numpy as np

        return np.array([[float(v) for v in p] for p in self.vertices], dtype=float)


@dataclass
class IndividuallyRational:
    """The feasible payoffs that give each player at least its minmax value.

    ``vertices`` is the exact polygon for two players (counter-clockwise), or
    floats from a halfspace intersection for N players when the feasible set
    is full-dimensional (else None).  ``nonempty``: some feasible payoff
    reaches every minmax value; ``strictly_nonempty``: some feasible payoff
    exceeds every minmax value (the folk theorem's set is not empty).
    """

    minmax: tuple[Any, ...]
    vertices: list[tuple[Any, ...]] | None
    nonempty: bool
    strictly_nonempty: bool
    exact: bool
    notes: list[str] = field(default_factory=list)


def _payoff_points(game: Any) -> tuple[list[tuple[Any, ...]], list[list[tuple[int, ...]]]]:
    """Distinct pure payoff vectors, each with the profiles that give it."""
    points: dict[tuple, list[tuple[int, ...]]] = {}
    for profile in game.profiles():
        vec = tuple(game.payoffs[(i,) + profile] for i in range(game.n_players))
        points.setdefault(vec, []).append(profile)
    return list(points), list(points.values())


def _affine_basis(fpts: Any) -> tuple[Any, Any, int]:
    """Origin, orthonormal basis (rows) and dimension of the affine span of ``fpts``."""
    import numpy as np

    origin = fpts[0]
    centred = fpts - origin
    scale = float(np.abs(fpts).max()) or 1.0
    if len(fpts) == 1:
        return origin, np.zeros((0, fpts.shape[1])), 0
    _, sv, vt = np.linalg.svd(centred, full_matrices=False)
    rank = int((sv > RANK_TOL * scale * max(1, len(fpts))).sum())
    return origin, vt[:rank], rank


def _cross(o: Sequence[Any], a: Sequence[Any], b: Sequence[Any]) -> Any:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _exact_polygon_cleanup(vertices: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Drop vertices of a counter-clockwise polygon that lie on the segment of their neighbours."""
    changed = True
    while changed and len(vertices) > 2:
        changed = False
        for k in range(len(vertices)):
            prev, cur, nxt = vertices[k - 1], vertices[k], vertices[(k + 1) % len(vertices)]
            if compare(_cross(prev, cur, nxt), 0) == 0:
                del vertices[k]
                changed = True
                break
    return vertices


def feasible_set(game: Any) -> FeasibleSet:
    """The convex hull of the pure payoff vectors (Qhull, in the span's own coordinates)."""
    import numpy as np

    points, profiles = _payoff_points(game)
    fpts = np.array([[float(v) for v in p] for p in points], dtype=float)
    origin, basis, dim = _affine_basis(fpts)
    exact = all(is_fraction(v) for p in points for v in p)
    equations = None
    if dim == 0:
        idx = [0]
    elif dim == 1:
        t = (fpts - origin) @ basis[0]
        idx = [int(t.argmin()), int(t.argmax())]
    else:
        from scipy.spatial import ConvexHull

        coords = (fpts - origin) @ basis.T
        hull = ConvexHull(coords)
        idx = [int(k) for k in hull.vertices]  # counter-clockwise in 2-d
        if dim == game.n_players:
            # facets in the original coordinates: a.(x - origin) in basis coordinates
            normals = hull.equations[:, :-1] @ basis
            offsets = hull.equations[:, -1] - normals @ origin
            equations = np.hstack([normals, offsets[:, None]])
        if dim == 2 and game.n_players == 2 and np.linalg.det(basis) < 0:
            idx = idx[::-1]  # the basis flipped orientation: back to counter-clockwise
    vertices = [points[k] for k in idx]
    if game.n_players == 2 and dim == 2:
        vertices = _exact_polygon_cleanup(list(vertices))
    lookup = dict(zip(points, profiles))
    return FeasibleSet(
        vertices=vertices,
        profiles=[lookup[v] for v in vertices],
        dimension=dim,
        n_players=game.n_players,
        exact=exact,
        equations=equations,
    )


def clip_polygon(polygon: list[tuple[Any, Any]], axis: int, bound: Any) -> list[tuple[Any, Any]]:
    """The part of a convex polygon (or segment, or point) where ``x[axis] >= bound``, exactly.

    Sutherland-Hodgman clipping against one half-plane; works with Fractions
    (exact) or floats.  Repeated points are removed.
    """
    out: list[tuple[Any, Any]] = []
    n = len(polygon)
    if n == 0:
        return out
    if n == 1:
        return list(polygon) if compare(polygon[0][axis], bound) >= 0 else []
    for k in range(n):
        cur, nxt = polygon[k], polygon[(k + 1) % n]
        cur_in = compare(cur[axis], bound) >= 0
        nxt_in = compare(nxt[axis], bound) >= 0
        if cur_in:
            out.append(cur)
        if cur_in != nxt_in:
            t = (bound - cur[axis]) / (nxt[axis] - cur[axis])
            point = tuple(c + t * (d - c) for c, d in zip(cur, nxt))
            point = tuple(bound if j == axis else v for j, v in enumerate(point))
            out.append(point)
    dedup: list[tuple[Any, Any]] = []
    for p in out:
        if not dedup or any(compare(a, b) != 0 for a, b in zip(p, dedup[-1])):
            dedup.append(p)
    while len(dedup) > 1 and all(compare(a, b) == 0 for a, b in zip(dedup[0], dedup[-1])):
        dedup.pop()
    return dedup


def _lp_margin(game: Any, points: list[tuple[Any, ...]], bounds: Sequence[Any]) -> float:
    """``max t`` s.t. some convex combination x of ``points`` has ``x_i - bounds_i >= t`` (LP)."""
    import numpy as np
    from scipy.optimize import linprog

    pts = np.array([[float(v) for v in p] for p in points])
    k, n = pts.shape
    # variables: lambda_1..lambda_k, t ; maximise t
    c = np.zeros(k + 1)
    c[-1] = -1.0
    a_ub = np.hstack([-pts.T, np.ones((n, 1))])
    b_ub = -np.array([float(b) for b in bounds])
    a_eq = np.hstack([np.ones((1, k)), np.zeros((1, 1))])
    res = linprog(
        c,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=[1.0],
        bounds=[(0, None)] * k + [(None, None)],
        method="highs",
    )
    return float(res.x[-1])


def individually_rational(
    game: Any, minmax: Sequence[Any] | None = None, feasible: FeasibleSet | None = None
) -> IndividuallyRational:
    """The feasible payoffs at or above the minmax values.

    ``minmax`` defaults to :func:`gametheory.repeated.values.minmax` (mixed for
    two players, pure for more).  Two players: the exact polygon, the feasible
    polygon clipped by ``x_1 >= m_1`` and ``x_2 >= m_2``.
    """
    import numpy as np

    if minmax is None:
        from .values import minmax_values

        minmax = tuple(v.minmax for v in minmax_values(game))
    minmax = tuple(minmax)
    feasible = feasible or feasible_set(game)
    notes: list[str] = []
    exact = feasible.exact and all(is_fraction(m) for m in minmax)
    if game.n_players == 2:
        poly = list(feasible.vertices)
        for axis in (0, 1):
            poly = clip_polygon(poly, axis, minmax[axis])
        if len(poly) > 2:
            poly = _exact_polygon_cleanup(poly)
        nonempty = bool(poly)
        strictly = any(all(compare(p[i], minmax[i]) > 0 for i in range(2)) for p in poly)
        if not strictly and len(poly) > 1:
            # an edge point may exceed both even when no vertex does
            strictly = _lp_margin(game, feasible.vertices, minmax) > RANK_TOL
        return IndividuallyRational(minmax, poly, nonempty, strictly, exact, notes)
    margin = _lp_margin(game, feasible.vertices, minmax)
    scale = max(1.0, float(np.abs(game.payoff_array).max()))
    nonempty = margin >= -RANK_TOL * scale
    strictly = margin > RANK_TOL * scale
    vertices = None
    if strictly and feasible.equations is not None:
        from scipy.spatial import HalfspaceIntersection

        n = game.n_players
        ir = np.hstack([-np.eye(n), np.array([[float(m)] for m in minmax])])  # -x_i + m_i <= 0
        halfspaces = np.vstack([feasible.equations, ir])
        interior = _chebyshev_centre(halfspaces)
        if interior is not None:
            hs = HalfspaceIntersection(halfspaces, interior)
            vertices = [tuple(float(v) for v in p) for p in _unique_rows(hs.intersections)]
    if vertices is None:
        notes.append(
            "vertices of the individually rational region are computed for two players, "
            "and for N players when the feasible set is full-dimensional with a nonempty interior"
        )
    return IndividuallyRational(minmax, vertices, nonempty, strictly, False, notes)


def _chebyshev_centre(halfspaces: Any) -> Any:
    """A strictly interior point of ``{x : A x + b <= 0}`` (LP), or None."""
    import numpy as np
    from scipy.optimize import linprog

    a, b = halfspaces[:, :-1], halfspaces[:, -1]
    norms = np.linalg.norm(a, axis=1)
    n = a.shape[1]
    c = np.zeros(n + 1)
    c[-1] = -1.0
    res = linprog(
        c,
        A_ub=np.hstack([a, norms[:, None]]),
        b_ub=-b,
        bounds=[(None, None)] * n + [(0, None)],
        method="highs",
    )
    if res.status != 0 or res.x[-1] <= 1e-9:
        return None
    return res.x[:n]


def _unique_rows(points: Any, tol: float = 1e-9) -> list[Any]:
    out: list[Any] = []
    for p in points:
        if not any(abs(p - q).max() <= tol * (1 + abs(q).max()) for q in out):
            out.append(p)
    return out


def in_feasible_set(game: Any, payoffs: Sequence[Any], feasible: FeasibleSet | None = None) -> bool:
    """Is the payoff vector a convex combination of pure payoff vectors?

    Exact for two players with rational payoffs (point in a convex polygon,
    segment or point); a linear programme with a small tolerance otherwise.
    """
    feasible = feasible or feasible_set(game)
    vec = tuple(payoffs)
    if game.n_players == 2 and feasible.exact and all(is_fraction(v) for v in vec):
        vec = tuple(Fraction(v) for v in vec)
        vs = feasible.vertices
        if len(vs) == 1:
            return vs[0] == vec
        if len(vs) == 2 or feasible.dimension < 2:
            a, b = vs[0], vs[-1]
            if _cross(a, b, vec) != 0:
                return False
            return all(min(a[i], b[i]) <= vec[i] <= max(a[i], b[i]) for i in range(2))
        return all(_cross(vs[k], vs[(k + 1) % len(vs)], vec) >= 0 for k in range(len(vs)))
    import numpy as np
    from scipy.optimize import linprog

    pts = np.array([[float(v) for v in p] for p in feasible.vertices])
    target = np.array([float(v) for v in vec])
    k = len(pts)
    scale = max(1.0, float(np.abs(pts).max()))
    # minimise the L1 residual |sum lambda_k p_k - target|
    n = len(target)
    c = np.concatenate([np.zeros(k), np.ones(2 * n)])
    a_eq = np.vstack(
        [np.hstack([pts.T, np.eye(n), -np.eye(n)]), np.concatenate([np.ones(k), np.zeros(2 * n)])]
    )
    b_eq = np.concatenate([target, [1.0]])
    res = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * (k + 2 * n), method="highs")
    return res.status == 0 and res.fun <= 1e-9 * scale


@dataclass
class Supportability:
    """Can a payoff vector be sustained in the repeated game?

    Attributes:
        payoffs: the vector asked about.
        feasible: it is a convex combination of pure payoff vectors.
        individually_rational: it is strictly above every player's minmax value.
        folk_theorem: the folk theorem applies: some discount factor below 1
            sustains it in a subgame-perfect equilibrium (Fudenberg & Maskin
            1986), or None when that is undecided (N > 2 players, see ``notes``).
        discount: the discount factor asked about (or None).
        at_discount: for two players and a given discount factor, whether the
            vector lies in the (outer approximation of the) set of pure-strategy
            subgame-perfect payoffs with public randomisation at that discount
            factor (:func:`gametheory.repeated.apspace.equilibrium_payoff_set`);
            None otherwise.
    """

    payoffs: tuple[Any, ...]
    feasible: bool
    individually_rational: bool
    folk_theorem: bool | None
    discount: Any = None
    at_discount: bool | None = None
    minmax: tuple[Any, ...] = ()
    notes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.at_discount if self.at_discount is not None else self.folk_theorem)


def supportable(game: Any, payoff_vector: Sequence[Any], delta: Any = None) -> Supportability:
    """Is ``payoff_vector`` supportable by a subgame-perfect equilibrium of the repeated game?

    Without ``delta``: the folk theorem's test, feasible and strictly
    individually rational (Fudenberg & Maskin 1986).  With ``delta`` (two
    players): membership of the equilibrium payoff set at that discount
    factor, computed by the Abreu-Pearce-Stacchetti operator (pure strategies,
    public randomisation, perfect monitoring).
    """
    from .values import minmax_values

    values = minmax_values(game)
    vec = tuple(payoff_vector)
    if len(vec) != game.n_players:
        from ..errors import GameError

        raise GameError(f"expected {game.n_players} payoffs, one per player, found {len(vec)}")
    notes: list[str] = []
    feasible = in_feasible_set(game, vec)
    if game.n_players == 2:
        above = all(compare(v, m.minmax) > 0 for v, m in zip(vec, values))
        folk: bool | None = feasible and above
    else:
        above_pure = all(compare(v, m.minmax_pure) > 0 for v, m in zip(vec, values))
        above_corr = all(compare(v, m.correlated_minmax) > 0 for v, m in zip(vec, values))
        above = above_pure
        fs = feasible_set(game)
        if not (feasible and above_corr):
            folk = False
        elif above_pure and fs.full_dimensional:
            folk = True
        else:
            folk = None
            if not above_pure:
                notes.append(
                    "between the correlated and the pure minmax values: the mixed minmax "
                    "(not computed for N > 2 players) decides"
                )
            if not fs.full_dimensional:
                notes.append(
                    "the feasible set is not full-dimensional: the folk theorem needs "
                    "non-equivalent utilities (Abreu, Dutta & Smith 1994), not checked"
                )
    at = None
    if delta is not None:
        if game.n_players == 2:
            from .apspace import equilibrium_payoff_set

            eqset = equilibrium_payoff_set(game, delta)
            at = eqset.contains([float(v) for v in vec])
            notes.append(
                "at the discount factor: pure-strategy subgame-perfect payoffs with public "
                "randomisation (outer approximation, Judd, Yeltekin & Conklin 2003)"
            )
        else:
            notes.append("the equilibrium payoff set at a given discount factor is computed for two players")
    return Supportability(
        payoffs=vec,
        feasible=feasible,
        individually_rational=above,
        folk_theorem=folk,
        discount=delta,
        at_discount=at,
        minmax=tuple(v.minmax for v in values),
        notes=notes,
    )


__all__ = [
    "FeasibleSet",
    "IndividuallyRational",
    "Supportability",
    "feasible_set",
    "individually_rational",
    "in_feasible_set",
    "supportable",
    "clip_polygon",
]
