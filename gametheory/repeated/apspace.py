"""The set of equilibrium payoffs of a two-player repeated game at a discount factor.

Abreu, Pearce & Stacchetti (1990) characterise the payoffs V of pure-strategy
subgame-perfect equilibria (with perfect monitoring and, here, public
randomisation) as the largest fixed point of the operator

    B(W) = co U_a { (1 - delta) u(a) + delta w :  w in W,
                    (1 - delta) u_i(a) + delta w_i >= (1 - delta) d_i(a) + delta min_{w' in W} w'_i  for all i }

where ``d_i(a) = max_{a'_i} u_i(a'_i, a_-i)`` is i's best deviation payoff:
a profile a is enforced by continuation payoffs w in W, and a deviation is
punished by the worst continuation for the deviator.  Iterating B from any
set that contains V (here the feasible set) converges down to V.

Following Judd, Yeltekin & Conklin (2003) the sets are kept as polygons with
fixed outward normals h_1..h_K (``H W <= c``): one iteration computes, for
each direction, the largest value of ``h_l . x`` over the points B produces,
which for a polygon W is a maximum over the vertices of W clipped by the two
incentive constraints (a linear programme per direction and action profile,
solved here exactly by clipping).  The result is an *outer* approximation of
V whose error shrinks with the number of directions; the directions used are
K evenly spaced angles together with the edge normals of the feasible set, so
sets whose edges are parallel to the feasible set's (or to the axes) are
found without approximation error.  QuantEcon's
``RepeatedGame.equilibrium_payoffs`` (Abreu & Sannikov 2014) computes the
same set exactly; the tests compare the two.

When delta is small enough that no non-stage profile can be enforced, the set
collapses to the convex hull of the pure stage equilibria's payoffs (a point
for the Prisoner's Dilemma).  A stage game without a pure equilibrium can
have no pure-strategy subgame-perfect equilibrium at small delta: the set is
then empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import GameError

DEFAULT_DIRECTIONS = 128
DISPLAY_TOL = 1e-7  # vertices within this (times the payoff scale) of a simple fraction are shown exactly
DISPLAY_DENOMINATOR = 100


def _same_point(p: Any, q: Any, tol: float) -> bool:
    return abs(float(p[0]) - float(q[0])) <= tol and abs(float(p[1]) - float(q[1])) <= tol


@dataclass
class EquilibriumPayoffSet:
    """An outer approximation of the pure-strategy SPE payoff set (with public randomisation).

    Attributes:
        discount: the discount factor.
        vertices: the polygon's vertices (floats, counter-clockwise); empty if
            the set is empty, one row for a point, two for a segment.
        directions: the outward normals used (K x 2); ``levels`` the support
            values ``max_{x in V} h . x`` in those directions.
        punishment: each player's lowest payoff in the set (the worst
            subgame-perfect punishment with pure strategies).
        iterations, converged: of the fixed-point iteration.
    """

    discount: float
    vertices: Any
    directions: Any
    levels: Any
    punishment: tuple[float, float] | None
    iterations: int
    converged: bool
    tolerance: float
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return len(self.vertices) == 0

    @property
    def area(self) -> float:
        v = self.vertices
        if len(v) < 3:
            return 0.0
        x, y = v[:, 0], v[:, 1]
        return 0.5 * float(
            abs(
                (
                    x * (y.take(range(1, len(v) + 1), mode="wrap"))
                    - y * (x.take(range(1, len(v) + 1), mode="wrap"))
                ).sum()
            )
        )

    def contains(self, point: Any, tol: float | None = None) -> bool:
        """Is ``point`` in the set (within the tolerance)?"""
        import numpy as np

        if self.empty:
            return False
        p = np.asarray(point, dtype=float)
        tol = self.tolerance * 10 if tol is None else tol
        return bool(np.all(self.directions @ p <= self.levels + tol))

    def display_tolerance(self) -> float:
        """The tolerance within which :meth:`rounded_vertices` snaps: ``DISPLAY_TOL`` times the payoff scale."""
        import numpy as np

        scale = max(1.0, float(np.abs(self.vertices).max())) if not self.empty else 1.0
        return DISPLAY_TOL * scale

    def rounded_vertices(self, anchors: Any = ()) -> list[tuple[Any, Any]]:
        """The vertices, each snapped to an exact point when the numerical one is within the tolerance of it.

        A vertex within :meth:`display_tolerance` (in each coordinate) of one
        of the ``anchors`` (exact points, e.g. the feasible set's vertices)
        becomes that point; otherwise each coordinate within the tolerance of
        a fraction with denominator at most ``DISPLAY_DENOMINATOR`` becomes
        that fraction, and stays a float if not.  The outer approximation is
        accurate to about 1e-7 of the payoff scale, so what is left of the
        fixed-point iteration's noise (1e-9 and below) never shows.
        Consecutive duplicates after snapping are merged.
        """
        from fractions import Fraction

        tol = self.display_tolerance()
        out: list[tuple[Any, Any]] = []
        for a, b in self.vertices:
            a, b = float(a), float(b)
            point: tuple[Any, Any] | None = None
            for anchor in anchors:
                try:
                    if abs(float(anchor[0]) - a) <= tol and abs(float(anchor[1]) - b) <= tol:
                        point = (anchor[0], anchor[1])
                        break
                except (TypeError, ValueError):
                    continue
            if point is None:
                coords = []
                for x in (a, b):
                    q = Fraction(x).limit_denominator(DISPLAY_DENOMINATOR)
                    coords.append(q if abs(float(q) - x) <= tol else x)
                point = (coords[0], coords[1])
            if not out or not _same_point(out[-1], point, tol):
                out.append(point)
        while len(out) > 1 and _same_point(out[0], out[-1], tol):
            out.pop()
        return out

    def to_dict(self) -> dict:
        from ._common import exact_text, is_fraction

        rounded = self.rounded_vertices() if len(self.vertices) else []
        return {
            "discount": self.discount,
            # the outer approximation is accurate to about 1e-7 of the payoff scale: round for display
            "vertices": [[round(float(a), 6) + 0.0, round(float(b), 6) + 0.0] for a, b in self.vertices],
            # for display: snapped to simple fractions within the tolerance (rounded_vertices), exact strings
            "rounded_vertices": [
                {"payoffs": [float(x) for x in v], "exact": [exact_text(x) if is_fraction(x) else None for x in v]}
                for v in rounded
            ],
            "display_tolerance": self.display_tolerance(),
            "area": round(self.area, 6),
            "punishment": None if self.punishment is None else [round(v, 6) + 0.0 for v in self.punishment],
            "directions": int(len(self.directions)),
            "iterations": self.iterations,
            "converged": self.converged,
            "method": "Abreu-Pearce-Stacchetti operator, outer approximation with fixed directions "
            "(Judd, Yeltekin & Conklin 2003)",
            "notes": list(self.notes),
        }


def _directions(points: Any, count: int) -> Any:
    """Evenly spaced unit normals plus the edge normals of the points' convex hull, by angle."""
    import numpy as np

    angles = list(2 * np.pi * np.arange(count) / count)
    try:
        from scipy.spatial import ConvexHull

        hull = ConvexHull(points)
        for eq in hull.equations:
            angles.append(float(np.arctan2(eq[1], eq[0])))
    except Exception:  # noqa: BLE001 - degenerate (collinear) payoffs: the even directions suffice
        pass
    angles = np.mod(np.array(angles), 2 * np.pi)
    angles.sort()
    keep = [angles[0]]
    for a in angles[1:]:
        if a - keep[-1] > 1e-9:
            keep.append(a)
    if 2 * np.pi - keep[-1] + keep[0] <= 1e-9:
        keep.pop()
    angles = np.array(keep)
    return np.column_stack([np.cos(angles), np.sin(angles)])


def _clip(poly: Any, normal: Any, level: float) -> Any:
    """The part of a convex polygon (rows, in order) where ``normal . x <= level``."""
    import numpy as np

    n = len(poly)
    if n == 0:
        return poly
    s = poly @ normal - level
    inside = s <= 0
    if inside.all():
        return poly
    if not inside.any():
        return poly[:0]
    out = []
    for k in range(n):
        j = (k + 1) % n
        if inside[k]:
            out.append(poly[k])
        if inside[k] != inside[j] and n > 1:
            t = s[k] / (s[k] - s[j])
            out.append(poly[k] + t * (poly[j] - poly[k]))
    return np.array(out) if out else poly[:0]


def _polygon(directions: Any, levels: Any, box: float) -> Any:
    """Vertices of ``{x : directions x <= levels}`` by clipping a large box."""
    import numpy as np

    poly = np.array([[-box, -box], [box, -box], [box, box], [-box, box]], dtype=float)
    for h, c in zip(directions, levels):
        poly = _clip(poly, h, c)
        if len(poly) == 0:
            break
    return poly


def _support_vertices(directions: Any, levels: Any) -> Any:
    """Vertices of ``{x : h_l . x <= c_l}`` when c is (nearly) a support function: consecutive lines meet.

    With the directions sorted by angle and no gap of pi or more, every
    constraint of a support function is tight on an edge (possibly of length
    zero), so the vertices are the intersections of consecutive lines.
    """
    import numpy as np

    h1, h2 = directions, np.roll(directions, -1, axis=0)
    c1, c2 = levels, np.roll(levels, -1)
    det = h1[:, 0] * h2[:, 1] - h1[:, 1] * h2[:, 0]
    x = (c1 * h2[:, 1] - c2 * h1[:, 1]) / det
    y = (h1[:, 0] * c2 - h2[:, 0] * c1) / det
    return np.column_stack([x, y])


def _quadrant_points(poly: Any, directions: Any, levels: Any, low: Any) -> Any:
    """The vertices of ``polygon ∩ {w >= low}`` (unordered; as in Abreu & Sannikov's ``_find_C``)."""
    import numpy as np

    slack = 1e-12 * (1.0 + float(np.abs(poly).max()))
    inside = poly[np.all(poly >= low - slack, axis=1)]
    out = [inside]
    a, b = poly, np.roll(poly, -1, axis=0)
    for axis in (0, 1):
        other = 1 - axis
        da = a[:, axis] - low[axis]
        db = b[:, axis] - low[axis]
        cross = (da * db <= 0) & (da != db)
        if cross.any():
            t = da[cross] / (da[cross] - db[cross])
            pts = a[cross] + t[:, None] * (b[cross] - a[cross])
            pts[:, axis] = low[axis]
            out.append(pts[pts[:, other] >= low[other] - slack])
    if np.all(directions @ low <= levels + slack):
        out.append(low[None, :])
    return np.vstack(out)


def _dedupe(poly: Any, tol: float) -> Any:
    import numpy as np

    if len(poly) == 0:
        return poly
    out = [poly[0]]
    for p in poly[1:]:
        if np.abs(p - out[-1]).max() > tol:
            out.append(p)
    while len(out) > 1 and np.abs(out[0] - out[-1]).max() <= tol:
        out.pop()
    out = np.array(out)
    # drop vertices collinear with their neighbours
    changed = True
    while changed and len(out) > 2:
        changed = False
        for k in range(len(out)):
            a, b, c = out[k - 1], out[k], out[(k + 1) % len(out)]
            cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
            if abs(cross) <= tol * max(1.0, np.abs(c - a).max()):
                out = np.delete(out, k, axis=0)
                changed = True
                break
    return out


def equilibrium_payoff_set(
    game: Any,
    delta: Any = None,
    directions: int = DEFAULT_DIRECTIONS,
    tol: float = 1e-10,
    max_iter: int = 10_000,
) -> EquilibriumPayoffSet:
    """The pure-strategy subgame-perfect payoff set (public randomisation) at ``delta``.

    ``delta`` defaults to the file's discount factor.  Returns an
    :class:`EquilibriumPayoffSet` whose ``vertices`` outer-approximate the set
    (Judd, Yeltekin & Conklin 2003); ``tol`` is the convergence tolerance on
    the support values, relative to the payoff scale.
    """
    import numpy as np

    if game.n_players != 2:
        raise GameError("the equilibrium payoff set is computed for two-player games")
    if delta is None:
        delta = game.repeated_values().get("discount")
        if delta is None:
            raise GameError(
                "no discount factor: give one (--set delta=...) or a repeated: discount in the file"
            )
    d = float(delta)
    if not 0 <= d < 1:
        raise GameError(f"the discount factor must be in [0, 1), found {d:g}")
    u = np.asarray(game.payoff_array, dtype=float)
    m, n = game.shape
    points = np.column_stack([u[0].ravel(), u[1].ravel()])  # profile (a, b) at row a * n + b
    scale = max(1.0, float(np.abs(points).max()))
    box = 4.0 * scale + 1.0
    eps = tol * scale
    dev = np.stack(
        [
            np.broadcast_to(u[0].max(axis=0, keepdims=True), (m, n)).ravel(),
            np.broadcast_to(u[1].max(axis=1, keepdims=True), (m, n)).ravel(),
        ],
        axis=1,
    )
    gain = dev - points  # >= 0
    try:
        dirs = _directions(points, directions)
    except Exception:  # noqa: BLE001
        dirs = _directions(points[:1], directions)
    notes: list[str] = []
    if d == 0:
        stage = [k for k in range(len(points)) if np.all(gain[k] <= eps)]
        pts = points[stage]
        levels = (dirs @ pts.T).max(axis=1) if len(pts) else np.full(len(dirs), -np.inf)
        verts = _dedupe(_polygon(dirs, levels + eps, box), 1e-9 * scale) if len(pts) else np.zeros((0, 2))
        pun = tuple(float(v) for v in verts.min(axis=0)) if len(verts) else None
        return EquilibriumPayoffSet(
            d,
            verts,
            dirs,
            levels,
            pun,
            0,
            True,
            eps,
            ["delta = 0: the stage game's pure equilibria (with public randomisation)"],
        )
    levels = (dirs @ points.T).max(axis=1)
    factor = (1 - d) / d
    # the iteration contracts at rate delta: stop when the remaining distance, about
    # change * delta / (1 - delta), is below the tolerance
    stop = tol * scale * (1 - d)
    eps = min(eps, stop)
    converged = False
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - reported below
        poly = _support_vertices(dirs, levels + eps)
        wmin = poly.min(axis=0)
        lows = wmin[None, :] + factor * gain  # (profiles, 2): the incentive constraints w >= low
        best = np.full(len(dirs), -np.inf)
        for k in range(len(points)):
            cont = _quadrant_points(poly, dirs, levels + eps, lows[k])
            if len(cont):
                best = np.maximum(best, (dirs @ ((1 - d) * points[k] + d * cont).T).max(axis=1))
        if not np.isfinite(best).all():
            levels = best
            break
        # the operator is monotone and the iterates decrease; keep them so against rounding
        new_levels = np.minimum(levels, best)
        change = float((levels - new_levels).max())
        levels = new_levels
        if change <= stop:
            converged = True
            break
    if np.isfinite(levels).all():
        verts = _dedupe(_polygon(dirs, levels + eps, box), 1e-7 * scale)
    else:
        verts = np.zeros((0, 2))
        notes.append(
            "no profile can be enforced: there is no pure-strategy subgame-perfect equilibrium at this "
            "discount factor"
        )
        converged = True
    if not converged:
        notes.append(f"not converged after {max_iter} iterations (largest change above {eps:g})")
    verts = verts + 0.0  # no negative zeros
    pun = tuple(float(v) for v in verts.min(axis=0)) if len(verts) else None
    return EquilibriumPayoffSet(d, verts, dirs, levels, pun, iterations, converged, eps, notes)


def plot_payoff_sets(
    game: Any,
    path: str,
    eqset: EquilibriumPayoffSet | None = None,
    feasible: Any = None,
    rational: Any = None,
    minmax: Any = None,
    stage: Any = None,
    title: str | None = None,
) -> str:
    """Draw the feasible set, the individually rational region and the equilibrium payoff set to a PNG.

    matplotlib is an optional dependency (``pip install gametheory[plot]``).
    """
    from ..report.plotting import pyplot

    plt = pyplot()
    import numpy as np
    from matplotlib.patches import Polygon

    from .feasible import feasible_set, individually_rational

    feasible = feasible or feasible_set(game)
    rational = rational or individually_rational(game, minmax, feasible)
    fig, ax = plt.subplots(figsize=(6.4, 5.6), dpi=120)
    fv = feasible.float_vertices()
    _draw_region(
        ax, fv, Polygon, facecolor="#e8e8e8", edgecolor="#888888", label="feasible payoffs", zorder=1
    )
    if rational.vertices:
        rv = np.array([[float(a) for a in p] for p in rational.vertices])
        _draw_region(
            ax,
            rv,
            Polygon,
            facecolor="#cfe3f7",
            edgecolor="#4a7fb5",
            hatch="//",
            label="individually rational",
            zorder=2,
        )
    if eqset is not None and not eqset.empty:
        _draw_region(
            ax,
            eqset.vertices,
            Polygon,
            facecolor="#f5b041",
            edgecolor="#b9770e",
            alpha=0.85,
            label=f"equilibrium payoffs (delta = {eqset.discount:g})",
            zorder=3,
        )
    mm = [float(v) for v in rational.minmax]
    ax.axvline(mm[0], color="#4a7fb5", lw=0.8, ls="--", zorder=2)
    ax.axhline(mm[1], color="#4a7fb5", lw=0.8, ls="--", zorder=2)
    ax.plot([mm[0]], [mm[1]], "s", color="#4a7fb5", ms=5, zorder=5, label="minmax point")
    # pure outcomes, labelled with their profiles
    labels: dict[tuple[float, float], list[str]] = {}
    for profile in game.profiles():
        key = (float(game.payoff_array[(0,) + profile]), float(game.payoff_array[(1,) + profile]))
        labels.setdefault(key, []).append(
            "(" + ", ".join(game.strategies[i][s] for i, s in enumerate(profile)) + ")"
        )
    span = max(1e-9, float(fv.max() - fv.min()))
    for (x, y), names in labels.items():
        ax.plot([x], [y], "o", color="black", ms=4, zorder=6)
        ax.annotate(
            " / ".join(names), (x, y), textcoords="offset points", xytext=(5, 5), fontsize=8, zorder=7
        )
    if stage:
        sx = [float(p[0]) for p in stage]
        sy = [float(p[1]) for p in stage]
        ax.plot(sx, sy, "*", color="#c0392b", ms=12, zorder=8, label="stage Nash equilibria")
    pad = 0.08 * span
    ax.set_xlim(float(fv[:, 0].min()) - pad, float(fv[:, 0].max()) + pad)
    ax.set_ylim(float(fv[:, 1].min()) - pad, float(fv[:, 1].max()) + pad)
    ax.set_xlabel(f"{game.players[0]}'s average payoff")
    ax.set_ylabel(f"{game.players[1]}'s average payoff")
    ax.set_title(title or (game.title or "Repeated game"))
    ax.grid(True, lw=0.3, alpha=0.5)
    ax.legend(loc="best", fontsize=8, framealpha=0.9)
    fig.tight_layout()
    try:
        fig.savefig(path)
    except OSError as exc:
        raise GameError(f"{path}: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)
    return path


def _draw_region(ax: Any, verts: Any, polygon_cls: Any, label: str, **style: Any) -> None:
    if len(verts) >= 3:
        ax.add_patch(polygon_cls(verts, closed=True, label=label, **style))
    elif len(verts) == 2:
        ax.plot(
            verts[:, 0],
            verts[:, 1],
            "-",
            lw=3,
            color=style.get("edgecolor"),
            label=label,
            zorder=style.get("zorder"),
        )
    elif len(verts) == 1:
        ax.plot(
            verts[:, 0],
            verts[:, 1],
            "o",
            ms=9,
            color=style.get("facecolor"),
            markeredgecolor=style.get("edgecolor"),
            label=label,
            zorder=style.get("zorder"),
        )


__all__ = ["EquilibriumPayoffSet", "equilibrium_payoff_set", "plot_payoff_sets", "DEFAULT_DIRECTIONS"]
