"""The logit quantal response equilibrium, traced along its principal branch to a Nash equilibrium.

This module is the package's one logit QRE tracer: ``solve(method="logit")``,
``gametheory qre``, ``solve --select logit`` and :mod:`gametheory.dynamics`
all use it.

The logit quantal response equilibria (McKelvey & Palfrey 1995, "Quantal
response equilibria for normal form games", *Games and Economic Behavior*
10:6-38) of precision ``lambda >= 0`` are the profiles with
``x_ia = exp(lambda u_ia(x)) / sum_b exp(lambda u_ib(x))``.  At
``lambda = 0`` the unique one is the uniform profile; the *principal branch*
through it is, for almost every game, a smooth curve whose limit as
``lambda -> infinity`` is a Nash equilibrium (McKelvey & Palfrey 1995,
Theorem 3): the logit selection.  Following it is the homotopy method of
Turocy (2005), "A dynamic homotopy interpretation of the logistic quantal
response equilibrium correspondence", *Games and Economic Behavior*
51:243-263, which Gambit's ``gambit-logit`` (``pygambit.nash.logit_solve``)
implements.

Steps:

1. Payoffs are rescaled to the range [0, 1] (``lambda`` is reported in the
   game's own payoff units).  Unknowns are the log-probabilities
   ``y_ia = log x_ia`` and ``lambda``; equations, per player,
   ``y_ia - y_i1 - lambda (u_ia - u_i1) = 0`` for ``a > 1`` and
   ``sum_a exp(y_ia) = 1``.  In log-probabilities, strategies whose
   probability vanishes in the limit go to minus infinity linearly, which
   keeps the curve well conditioned as ``lambda`` grows.
2. Predictor-corrector continuation in arc length (Allgower & Georg 1990):
   the tangent is the null vector of the Jacobian ``H'``, oriented to
   continue the previous one, so that turning points, where ``lambda``
   passes a maximum and the branch bends back, are followed like any other
   point of the curve; an Euler step, then Newton corrections on the
   hyperplane orthogonal to the tangent.  A step whose corrector fails, or
   that turns the tangent by more than about 25 degrees, is halved; a good
   one lengthens the next by ``max_accel``.
3. Bifurcations.  Along a smooth branch the sign of ``det [H'; tangent]``
   never changes, turning points included; it changes exactly where the
   branch crosses another branch of QRE (a point where ``H'`` loses rank).
   This does not happen in generic games, but it does in games with a
   symmetry, e.g. Battle of the Sexes and Chicken, where the branch of
   symmetric QRE meets a pitchfork: two mirror-image arms leave it, leading
   to the two asymmetric pure equilibria.  When the sign changes, the
   tracer shrinks its step to cross the point without jumping onto an
   arm, locates the point by bisection, checks that ``H'`` has lost rank
   there, and carries on along the branch it was on (in a symmetric game,
   the symmetric branch, so the selection respects the game's symmetry).
   :func:`qre_branch` also traces the other arms, whose directions solve
   the algebraic bifurcation equation (the quadratic form
   ``e' H''[v, v] = 0`` on the two-dimensional null space of ``H'``, ``e``
   the left null vector; Keller 1977, Allgower & Georg 1990 ch. 8), and
   reports their limits: the selection is then not unique.  Gambit's
   tracer instead perturbs its first equation for a short stretch when it
   detects the change of orientation, which unfolds the pitchfork and sends
   it onto one of the arms; which one depends on the sign of the
   perturbation, not on the game.
4. (:func:`logit_solve`) From time to time (each decade of ``lambda``) the
   limit's support is guessed from the current profile and solved exactly
   on that support with :func:`gametheory.solvers.nplayer.support_equilibria`
   (rational games): an exact equilibrium near the branch is its limit.
   Otherwise the profile is Newton-polished on its support and accepted when
   its regret is below the tolerance (:func:`gametheory.solvers.verify.certify`).

References:
    McKelvey, R. D. & Palfrey, T. R. (1995). Quantal response equilibria for
    normal form games. Games and Economic Behavior 10: 6-38.
    Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic
    quantal response equilibrium correspondence. Games and Economic Behavior
    51: 243-263.
    Allgower, E. L. & Georg, K. (1990). Numerical Continuation Methods: An
    Introduction. Springer.
    Keller, H. B. (1977). Numerical solution of bifurcation and nonlinear
    eigenvalue problems. In P. H. Rabinowitz (ed.), Applications of
    Bifurcation Theory, 359-384. Academic Press.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from ..errors import GameError
from ._exact import is_rational
from .result import SolveResult
from .verify import certify, payoff_scale

METHOD = "logit"
DEFAULT_MAX_LAMBDA = 1e6  # qre_branch: where the branch is left, in the game's payoff units (Gambit's default too)
SUPPORT_THRESHOLD = 1e-4  # a strategy is in the guessed support when its probability exceeds this share
NEAR = 1e-2  # an exact equilibrium this close (max norm) to the branch is taken as its limit
SELECT_TOL = 1e-4  # the limit "selects" a listed equilibrium this close to it (max norm)
MIN_COS = 0.9  # a step may turn the tangent by at most arccos(0.9), about 25 degrees
CROSS_STEP = 1e-3  # steps are shrunk to this (scaled arc length) before crossing a bifurcation point
RANK_TOL = 1e-4  # at a located bifurcation point the smallest singular value of H' is below this share of the largest
ARM_OFFSET = 1e-3  # an arm is entered this far (scaled arc length) from the bifurcation point


# -- the equations -------------------------------------------------------------------------------


class _Kernel:
    """Expected payoffs and their derivatives for a game with payoffs scaled to [0, 1]."""

    def __init__(self, game: Any):
        import numpy as np

        arr = np.asarray(game.payoff_array, dtype=float)
        lo, hi = float(arr.min()), float(arr.max())
        self.range = hi - lo if hi > lo else 1.0
        self.u = (arr - lo) / self.range
        self.shape = tuple(game.shape)
        self.n = len(self.shape)
        self.offsets = [0]
        for k in self.shape:
            self.offsets.append(self.offsets[-1] + k)

    def split(self, flat: Any) -> list[Any]:
        return [flat[self.offsets[i] : self.offsets[i + 1]] for i in range(self.n)]

    def profile(self, z: Any) -> list[Any]:
        """The mixed profile at the point ``z = (y, lambda)`` of the curve."""
        import numpy as np

        return [np.exp(part) for part in self.split(z[:-1])]

    def start(self) -> Any:
        """The point at ``lambda = 0``: uniform play."""
        import numpy as np

        return np.concatenate([np.full(k, -math.log(k)) for k in self.shape] + [np.zeros(1)])

    def payoffs(self, x: Sequence[Any]) -> list[Any]:
        """``u_ia(x)`` for every player and strategy."""
        import numpy as np

        out = []
        for i in range(self.n):
            letters = string.ascii_letters[: self.n]
            operands = [self.u[i]] + [x[j] for j in range(self.n) if j != i]
            spec = letters + "," + ",".join(letters[j] for j in range(self.n) if j != i) + "->" + letters[i]
            out.append(np.einsum(spec, *operands))
        return out

    def cross(self, x: Sequence[Any]) -> dict[tuple[int, int], Any]:
        """``d u_ia / d x_jb`` for players ``i != j``: an ``n_i x n_j`` matrix each."""
        import numpy as np

        letters = string.ascii_letters[: self.n]
        out = {}
        for i in range(self.n):
            for j in range(self.n):
                if i == j:
                    continue
                others = [k for k in range(self.n) if k not in (i, j)]
                spec = letters + "".join("," + letters[k] for k in others) + "->" + letters[i] + letters[j]
                out[(i, j)] = np.einsum(spec, self.u[i], *[x[k] for k in others])
        return out

    def regret(self, x: Sequence[Any]) -> float:
        """The largest regret, in the scaled payoffs."""
        values = self.payoffs(x)
        return max(float(v.max() - v @ p) for v, p in zip(values, x))


def _equations(kernel: _Kernel, z: Any) -> tuple[Any, Any]:
    """``(H(z), H'(z))`` for ``z = (y, lambda)``; H has one row per strategy."""
    import numpy as np

    y, lam = z[:-1], z[-1]
    x = [np.exp(part) for part in kernel.split(y)]
    values = kernel.payoffs(x)
    cross = kernel.cross(x)
    size = kernel.offsets[-1]
    h = np.zeros(size)
    jac = np.zeros((size, size + 1))
    for i in range(kernel.n):
        o = kernel.offsets[i]
        k = kernel.shape[i]
        h[o] = x[i].sum() - 1.0
        jac[o, o : o + k] = x[i]
        for a in range(1, k):
            row = o + a
            h[row] = y[o + a] - y[o] - lam * (values[i][a] - values[i][0])
            jac[row, o + a] += 1.0
            jac[row, o] -= 1.0
            jac[row, size] = -(values[i][a] - values[i][0])
            for j in range(kernel.n):
                if j == i:
                    continue
                oj = kernel.offsets[j]
                d = cross[(i, j)]
                jac[row, oj : oj + kernel.shape[j]] -= lam * (d[a] - d[0]) * x[j]
    return h, jac


def _tangent(jac: Any, previous: Any | None) -> Any:
    """The unit null vector of ``jac``: increasing lambda at the start, else continuing ``previous``."""
    import numpy as np

    t = np.linalg.svd(jac)[2][-1]
    if previous is None:
        return t if t[-1] > 0 else -t
    return t if t @ previous >= 0 else -t


def _orientation(jac: Any, t: Any) -> float:
    """The sign of ``det [H'; t]``: constant along a smooth branch, flips at a bifurcation point."""
    import numpy as np

    return float(np.linalg.slogdet(np.vstack([jac, t[None, :]]))[0])


def _correct(kernel: _Kernel, predicted: Any, normal: Any, *, max_iter: int = 10, strict: bool = True) -> Any | None:
    """Newton's method for ``H(w) = 0`` on the hyperplane ``normal . (w - predicted) = 0``; None if it fails.

    ``strict=False`` (near a bifurcation point, where the system is singular
    and Newton converges only linearly) allows more iterations without the
    contraction test.
    """
    import numpy as np

    w = predicted.copy()
    previous = math.inf
    for _ in range(max_iter):
        h, jac = _equations(kernel, w)
        aug = np.vstack([jac, normal[None, :]])
        rhs = np.concatenate([h, [normal @ (w - predicted)]])
        if np.linalg.cond(aug) < 1e14:
            dw = np.linalg.solve(aug, -rhs)
        else:
            dw = np.linalg.lstsq(aug, -rhs, rcond=None)[0]
        w = w + dw
        if not np.all(np.isfinite(w)):
            return None
        norm = float(np.linalg.norm(dw))
        if norm < 1e-11 * max(1.0, float(np.linalg.norm(w))):
            return w
        if strict and norm > 2 * previous:
            return None
        previous = norm
    return None if strict else w


# -- following a branch ---------------------------------------------------------------------------


@dataclass
class _Path:
    """What :func:`_trace` visited: points ``z`` (scaled lambda last), their tangents, orientation flips."""

    points: list
    tangents: list
    flips: list  # k: the orientation changed between points[k] and points[k + 1]
    steps: int


def _trace(
    kernel: _Kernel,
    z: Any,
    t: Any,
    stop: Callable[[float, list[Any]], bool],
    *,
    first_step: float = 0.03,
    max_accel: float = 1.1,
    max_steps: int = 20000,
    watch: bool = True,
) -> _Path:
    """Follow the branch through ``z`` in direction ``t`` until ``stop(scaled lambda, profile)`` is true.

    With ``watch``, a change of orientation (a bifurcation point between two
    accepted points) is crossed with steps of at most :data:`CROSS_STEP` and
    recorded in ``flips``.
    """
    import numpy as np

    _, jac = _equations(kernel, z)
    sign = _orientation(jac, t)
    path = _Path(points=[z], tangents=[t], flips=[], steps=0)
    step = first_step
    resume = None  # the step length to go back to once a bifurcation point is crossed
    while path.steps < max_steps:
        path.steps += 1
        predicted = z + step * t
        w = _correct(kernel, predicted, t)
        ok = w is not None and float(np.linalg.norm(w - predicted)) <= 0.5 * step + 1e-9
        if ok:
            _, jac = _equations(kernel, w)
            t_new = _tangent(jac, t)
            ok = t_new @ t >= MIN_COS or step <= 1e-9
        if ok and watch:
            new_sign = _orientation(jac, t_new)
            if new_sign != sign and new_sign != 0:
                if step > CROSS_STEP:
                    resume = resume or step
                    step = max(CROSS_STEP, step / 4)
                    continue
                path.flips.append(len(path.points) - 1)
                sign = new_sign
        if not ok:
            step /= 2
            if step < 1e-12:
                break
            continue
        z, t = w, t_new
        path.points.append(z)
        path.tangents.append(t)
        if stop(float(z[-1]), kernel.profile(z)):
            break
        step = resume if resume is not None else step * max_accel
        resume = None
    return path


def _locate(kernel: _Kernel, za: Any, ta: Any, zb: Any) -> Any:
    """The bifurcation point between ``za`` and ``zb`` (where the orientation flips), by bisection.

    The test function is ``det [H'(z); ta]`` with the tangent ``ta`` at ``za``
    held fixed: smooth along the curve, and zero where ``H'`` loses rank.
    """
    import numpy as np

    def point(s: float) -> tuple[Any, float]:
        predicted = za + s * ta
        w = _correct(kernel, predicted, ta, max_iter=60, strict=False)
        w = predicted if w is None else w
        return w, _orientation(_equations(kernel, w)[1], ta)

    sign_a = _orientation(_equations(kernel, za)[1], ta)
    lo, hi = 0.0, float(ta @ (zb - za))
    for _ in range(60):
        mid = (lo + hi) / 2
        if point(mid)[1] == sign_a:
            lo = mid
        else:
            hi = mid
        # not finer: within about sqrt(width) of the point the arms cross the corrector's hyperplane
        if hi - lo < 1e-9 * max(1.0, float(np.linalg.norm(za))):
            break
    return point((lo + hi) / 2)[0]


def _is_bifurcation(kernel: _Kernel, z: Any) -> bool:
    """Whether ``H'`` has lost rank at ``z`` (a turning point keeps full rank)."""
    import numpy as np

    s = np.linalg.svd(_equations(kernel, z)[1], compute_uv=False)
    return bool(s[-1] <= RANK_TOL * s[0])


def _arm_directions(kernel: _Kernel, z: Any, t: Any) -> list[Any]:
    """The tangents (both senses) of the branch crossing the one with tangent ``t`` at the bifurcation point ``z``.

    The null space of ``H'(z)`` is two-dimensional: ``t1`` (along ``t``) and
    ``t2``.  The tangents of the branches through ``z`` are the directions
    ``v = a t1 + b t2`` with ``e' H''(z)[v, v] = 0`` (``e`` the left null
    vector): the algebraic bifurcation equation.  One root is ``t1``; the
    other is the crossing branch.
    """
    import numpy as np

    _, jac = _equations(kernel, z)
    u_mat, _, vt = np.linalg.svd(jac)
    null = vt[-2:]
    e = u_mat[:, -1]
    t1 = null.T @ (null @ t)
    t1 /= np.linalg.norm(t1)
    t2 = null[0] - (null[0] @ t1) * t1
    if np.linalg.norm(t2) < 0.5:
        t2 = null[1] - (null[1] @ t1) * t1
    t2 /= np.linalg.norm(t2)
    eps = 1e-5 * max(1.0, float(np.linalg.norm(z)))

    def second(u: Any, v: Any) -> float:
        return float(e @ ((_equations(kernel, z + eps * u)[1] - _equations(kernel, z - eps * u)[1]) @ v) / (2 * eps))

    a, c = second(t1, t1), second(t2, t2)
    b = (second(t1, t2) + second(t2, t1)) / 2
    # q(theta) = a cos^2 + 2b cos sin + c sin^2 = (a + c)/2 + R cos(2 theta - phi)
    radius = math.hypot((a - c) / 2, b)
    direction = t2
    if radius > 0 and abs((a + c) / 2) <= radius:
        phi = math.atan2(b, (a - c) / 2)
        delta = math.acos(-(a + c) / 2 / radius)
        roots = [(phi + delta) / 2, (phi - delta) / 2]
        theta = min(roots, key=lambda r: abs(math.cos(r)))  # the root farther from t1
        direction = math.cos(theta) * t1 + math.sin(theta) * t2
    return [direction, -direction]


# -- results ------------------------------------------------------------------------------------


@dataclass
class Arm:
    """One arm leaving a bifurcation point, followed to its limit.

    Attributes:
        limit: the profile where the arm was left (``lambda`` = ``lam``).
        lam: that precision, in the game's payoff units.
        equilibrium: the index (into the branch's ``equilibria``) of the
            equilibrium within :data:`SELECT_TOL` of ``limit``, or None.
        distance: the distance (max norm) from ``limit`` to the nearest listed equilibrium.
        component: when ``equilibrium`` is None, the index of the component
            of equilibria (degenerate games) that ``limit`` lies in, if any.
        lambdas, profiles: the traced points, from the bifurcation point on (for plotting).
    """

    limit: list
    lam: float
    equilibrium: int | None = None
    distance: float = math.inf
    component: int | None = None
    lambdas: Any = None
    profiles: list = field(default_factory=list)


@dataclass
class Bifurcation:
    """A point where the principal branch meets another branch of QRE (``H'`` loses rank).

    Attributes:
        lam: the precision there, in the game's payoff units.
        profile: the QRE there.
        arms: the other branch through the point, each sense followed to
            its limit (empty if not traced).
    """

    lam: float
    profile: list
    arms: list = field(default_factory=list)


@dataclass
class QREBranch:
    """The principal branch of logit QRE, from ``lambda = 0`` to its Nash limit.

    Attributes:
        game: the game.
        lambdas: the precision at each traced point (``0`` first, ``max_lambda``
            last), in the game's payoff units; it may decrease where the branch
            bends back.
        profiles: the QRE at each point: one probability array per player.
        equilibria: the Nash equilibria (float profiles) the limit is compared with.
        equilibrium: the index into ``equilibria`` of the one within
            :data:`SELECT_TOL` of the limit (the logit selection), or None;
            ``distance`` the distance to the nearest.
        components, component: in a degenerate game, the connected sets of
            equilibria (lists of indices into ``equilibria``), and the one
            whose convex hull holds the limit when the limit is not one of
            the listed (extreme) equilibria.
        at: the QRE at the requested precisions (``{lambda: profile}``): the
            first point of the branch at each.
        bifurcations: :class:`Bifurcation` points on the branch.  In generic
            games there are none; in games with a symmetry (Battle of the
            Sexes, Chicken) the branch of symmetric QRE meets a pitchfork.
            The tracer keeps to the branch it is on; the arms' limits are
            reported, and the selection is not unique.

    ``limit`` is the last profile; ``unique`` says whether there was no
    bifurcation; ``points`` gives ``(lambda, profile)`` pairs.
    """

    game: Any
    lambdas: Any
    profiles: list
    equilibria: list = field(default_factory=list)
    equilibrium: int | None = None
    distance: float = math.inf
    components: list = field(default_factory=list)
    component: int | None = None
    at: dict = field(default_factory=dict)
    bifurcations: list = field(default_factory=list)
    steps: int = 0

    @property
    def limit(self) -> list:
        return self.profiles[-1]

    @property
    def max_lambda(self) -> float:
        return float(self.lambdas[-1])

    @property
    def unique(self) -> bool:
        """No bifurcation on the branch: its limit is the logit selection."""
        return not self.bifurcations

    @property
    def points(self) -> list[tuple[float, tuple[tuple[float, ...], ...]]]:
        """Every traced point as ``(lambda, profile)`` with float tuples."""
        return [(float(lam), _as_tuple(p)) for lam, p in zip(self.lambdas, self.profiles)]

    def selected_equilibria(self) -> list[int | None]:
        """The selection first, then each arm's equilibrium (None where a limit is not in the list)."""
        return [self.equilibrium] + [arm.equilibrium for b in self.bifurcations for arm in b.arms]

    def _named(self, profile: Any) -> dict:
        g = self.game
        return {p: {s: float(q) for s, q in zip(ss, x)} for p, ss, x in zip(g.players, g.strategies, profile)}

    def _bifurcation_dicts(self) -> list[dict]:
        return [
            {
                "lambda": b.lam,
                "profile": self._named(b.profile),
                "arms": [
                    {"index": arm.equilibrium, "component": arm.component, "limit": self._named(arm.limit),
                     "lambda": arm.lam, "distance": _finite(arm.distance)}
                    for arm in b.arms
                ],
            }
            for b in self.bifurcations
        ]

    def to_dict(self, points: int = 60) -> dict:
        """The JSON of ``gametheory qre --format json`` (the branch thinned to about ``points`` points)."""
        import numpy as np

        n = len(self.lambdas)
        keep = sorted(set(np.linspace(0, n - 1, min(points, n)).astype(int)))
        out: dict[str, Any] = {
            "game": self.game.title,
            "limit": self._named(self.limit),
            "max_lambda": self.max_lambda,
            "selected_equilibrium": None,
            "selected_component": self.component,
            "distance": _finite(self.distance),
            "unique": self.unique,
            "equilibria": [self._named(e) for e in self.equilibria],
            "bifurcations": self._bifurcation_dicts(),
            "at": [{"lambda": lam, **self._named(p)} for lam, p in self.at.items()],
            "branch": [{"lambda": float(self.lambdas[k]), **self._named(self.profiles[k])} for k in keep],
        }
        if self.equilibrium is not None:
            out["selected_equilibrium"] = {"index": self.equilibrium,
                                           "profile": self._named(self.equilibria[self.equilibrium])}
        return out

    def selection_dict(self) -> dict:
        """The ``selection.logit`` entry of ``gametheory solve --select logit --format json``."""
        return {
            "index": self.equilibrium,
            "component": self.component,
            "limit": self._named(self.limit),
            "lambda": self.max_lambda,
            "distance": _finite(self.distance),
            "unique": self.unique,
            "bifurcations": self._bifurcation_dicts(),
        }

    def describe(self) -> str:
        """One line: where the branch leads."""
        if self.equilibrium is not None:
            return f"selects {_text(self.game, self.equilibria[self.equilibrium])}"
        if self.component is not None:
            return f"selects {_text(self.game, self.limit)}, in component {self.component + 1}"
        return f"the branch ends at lambda = {self.max_lambda:.3g} away from every listed equilibrium"

    def __repr__(self) -> str:
        fork = "" if self.unique else f", {len(self.bifurcations)} bifurcation(s)"
        return (f"<QREBranch {len(self.lambdas)} points to lambda={self.max_lambda:.3g}{fork}: "
                f"{self.describe()}>")


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _as_tuple(profile: Sequence[Any]) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(v) for v in p) for p in profile)


def _text(game: Any, profile: Sequence[Sequence[float]]) -> str:
    """``(Hare, Hare)`` for a pure profile, else ``mixed (0.667, 0.333; 0.667, 0.333)``."""
    if all(max(x) > 1 - 1e-9 for x in profile):
        return "(" + ", ".join(ss[max(range(len(x)), key=lambda a: x[a])]
                               for ss, x in zip(game.strategies, profile)) + ")"
    return "mixed (" + "; ".join(", ".join(f"{float(q):.3g}" for q in x) for x in profile) + ")"


def _nearest(profile: Sequence[Sequence[float]], equilibria: Sequence[Any]) -> tuple[int | None, float]:
    """The index of the nearest equilibrium (max norm) and its distance; ``(None, inf)`` when there are none."""
    best, best_d = None, math.inf
    for k, eq in enumerate(equilibria):
        d = max(abs(float(a) - float(b)) for u, v in zip(profile, eq) for a, b in zip(u, v))
        if d < best_d:
            best, best_d = k, d
    return best, best_d


def _identify(profile: Sequence[Sequence[float]], equilibria: Sequence[Any],
              components: Sequence[Sequence[int]]) -> tuple[int | None, float, int | None]:
    """``(index, distance, component)``: the listed equilibrium within :data:`SELECT_TOL`, else the component.

    A component (the extreme points of a connected set of equilibria) holds
    the profile when each player's strategy is, within :data:`SELECT_TOL`, a
    mixture of that player's strategies at the component's extreme points.
    """
    import numpy as np
    from scipy.optimize import nnls

    index, distance = _nearest(profile, equilibria)
    if index is not None and distance <= SELECT_TOL:
        return index, distance, None
    for c, members in enumerate(components):
        fits = True
        for i, x in enumerate(profile):
            corners = np.array([equilibria[k][i] for k in members], dtype=float).T  # strategies x members
            weight = 1e3
            a = np.vstack([corners, weight * np.ones((1, corners.shape[1]))])
            b = np.concatenate([np.asarray(x, dtype=float), [weight]])
            w, _ = nnls(a, b)
            if np.max(np.abs(corners @ w - np.asarray(x, dtype=float))) > SELECT_TOL or abs(w.sum() - 1) > 1e-6:
                fits = False
                break
        if fits:
            return None, distance, c
    return None, distance, None


# -- the public functions ----------------------------------------------------------------------


def _solve_at(kernel: _Kernel, z: Any, lam: float) -> Any:
    """Newton's method at fixed (scaled) ``lam`` from ``z`` (an interpolated point of the branch)."""
    import numpy as np

    z = z.copy()
    z[-1] = lam
    for _ in range(50):
        h, jac = _equations(kernel, z)
        dy = np.linalg.lstsq(jac[:, :-1], -h, rcond=None)[0]
        z[:-1] += dy
        if np.linalg.norm(dy) < 1e-13 * max(1.0, float(np.linalg.norm(z))):
            break
    return z


def _first_at(kernel: _Kernel, points: Sequence[Any], lam: float) -> Any:
    """The first point of the traced branch at (scaled) ``lam``, polished by Newton at fixed lambda."""
    k = next((k for k, z in enumerate(points) if z[-1] >= lam), len(points) - 1)
    if k == 0 or points[k][-1] == lam:
        return _solve_at(kernel, points[k], lam)
    a, b = points[k - 1], points[k]
    s = (lam - a[-1]) / (b[-1] - a[-1]) if b[-1] != a[-1] else 1.0
    return _solve_at(kernel, a + s * (b - a), lam)


def _check_lambdas(lambdas: Sequence[float]) -> list[float]:
    out = []
    for lam in lambdas:
        lam = float(lam)
        if not (lam >= 0 and math.isfinite(lam)):
            raise GameError(f"lambda {lam:g}: lambda must be a non-negative number")
        out.append(lam)
    return out


def qre_branch(
    game: Any,
    lambdas: Sequence[float] = (),
    *,
    max_lambda: float = DEFAULT_MAX_LAMBDA,
    equilibria: Any = None,
    components: Sequence[Sequence[int]] | None = None,
    arms: bool = True,
    first_step: float = 0.03,
    max_accel: float = 1.1,
) -> QREBranch:
    """Trace the principal branch of logit QRE from ``lambda = 0`` to ``max_lambda``.

    The logit QRE of McKelvey & Palfrey (1995), followed by arc length as in
    Turocy's (2005) homotopy (Gambit's ``logit``); bifurcation points are
    located and their other arms followed (module docstring).

    Args:
        game: a :class:`gametheory.model.Game` (any number of players).
        lambdas: precisions (game units) at which to report the QRE
            (``result.at``); each is the first point of the branch at that lambda.
        max_lambda: where to leave the branch (game units: the limit's
            distance from a mixed equilibrium shrinks like 1/lambda).
        equilibria: the Nash equilibria (profiles) to compare the limit
            with; default: those of :func:`gametheory.solvers.solve`.
        components: for a degenerate game, the connected sets of equilibria
            as lists of indices into ``equilibria`` (their extreme points;
            default: as :func:`~gametheory.solvers.solve` found them when it
            also gives ``equilibria``).  A limit inside a component, not at
            one of its extreme points, is reported by ``component``.
        arms: follow the other arms of each bifurcation point to their limits.
        first_step, max_accel: the first arc-length step, and how fast steps grow.

    Returns:
        A :class:`QREBranch`; ``equilibrium`` is the logit selection.
    """
    import numpy as np

    if game.n_players < 2:
        raise GameError("the logit QRE needs at least two players")
    wanted = _check_lambdas(lambdas)
    if not max_lambda > 0:
        raise GameError("max_lambda must be positive")
    if wanted and max(wanted) > max_lambda:
        raise GameError(f"lambda {max(wanted):g} is beyond max_lambda = {max_lambda:g}")
    kernel = _Kernel(game)
    top = max_lambda * kernel.range
    z0 = kernel.start()
    t0 = _tangent(_equations(kernel, z0)[1], None)
    path = _trace(kernel, z0, t0, lambda lam, x: lam >= top, first_step=first_step, max_accel=max_accel)
    points = list(path.points)
    if points[-1][-1] > top:  # land exactly on max_lambda
        points[-1] = _first_at(kernel, points, top)
    if equilibria is None:
        from . import solve

        found = solve(game)
        equilibria = [e.float_profile for e in found.equilibria]
        if components is None and found.degenerate:
            components = found.components
    eqs = [_as_tuple(e) for e in equilibria]
    comps = [list(c) for c in components or []]
    lams = np.array([z[-1] / kernel.range for z in points])
    if points[-1][-1] >= top:
        lams[-1] = max_lambda
    branch = QREBranch(
        game=game,
        lambdas=lams,
        profiles=[kernel.profile(z) for z in points],
        equilibria=eqs,
        components=comps,
        steps=path.steps,
    )
    branch.equilibrium, branch.distance, branch.component = _identify(branch.limit, eqs, comps)
    for k in path.flips:
        zstar = _locate(kernel, path.points[k], path.tangents[k], path.points[k + 1])
        if not _is_bifurcation(kernel, zstar):  # pragma: no cover (a jump between close branches, not a crossing)
            continue
        bif = Bifurcation(lam=float(zstar[-1] / kernel.range), profile=kernel.profile(zstar))
        if arms:
            bif.arms = _trace_arms(kernel, zstar, path.tangents[k], top, eqs, comps, first_step, max_accel)
            for arm in bif.arms:
                if arm.lam * kernel.range >= top:
                    arm.lam = arm.lambdas[-1] = max_lambda
        branch.bifurcations.append(bif)
    for lam in wanted:
        branch.at[lam] = kernel.profile(_first_at(kernel, points, lam * kernel.range))
    return branch


def _trace_arms(kernel: _Kernel, zstar: Any, t: Any, top: float, eqs: list, comps: list, first_step: float,
                max_accel: float) -> list[Arm]:
    """Follow each sense of the crossing branch at ``zstar`` to ``top`` (scaled lambda)."""
    import numpy as np

    out = []
    offset = ARM_OFFSET * max(1.0, float(np.linalg.norm(zstar)))
    t1 = t / np.linalg.norm(t)
    for d in _arm_directions(kernel, zstar, t):
        w = _correct(kernel, zstar + offset * d, d, max_iter=30, strict=False)
        if w is None:  # pragma: no cover
            continue
        off = (w - zstar) - ((w - zstar) @ t1) * t1
        if np.linalg.norm(off) < offset / 4:  # pragma: no cover (landed back on the branch being followed)
            continue
        t_arm = _tangent(_equations(kernel, w)[1], d)
        path = _trace(kernel, w, t_arm, lambda lam, x: lam >= top or lam < 0, first_step=first_step,
                      max_accel=max_accel, max_steps=5000, watch=False)
        points = list(path.points)
        if points[-1][-1] > top:
            points[-1] = _first_at(kernel, points[-2:], top)
        points = [zstar] + points
        limit = kernel.profile(points[-1])
        index, distance, component = _identify(limit, eqs, comps)
        out.append(Arm(limit=limit, lam=float(points[-1][-1] / kernel.range), equilibrium=index, distance=distance,
                       component=component,
                       lambdas=np.array([z[-1] / kernel.range for z in points]),
                       profiles=[kernel.profile(z) for z in points]))
    return out


def logit_branch(
    game: Any, lambdas: Sequence[float] | None = None, *, first_step: float = 0.03, max_accel: float = 1.1
) -> list[tuple[float, tuple[tuple[float, ...], ...]]]:
    """Points ``(lambda, profile)`` on the principal logit QRE branch, e.g. for plotting.

    With ``lambdas`` (in the game's payoff units), the branch is followed up
    to the largest and each requested value is located where the branch first
    reaches it (Newton at fixed ``lambda``); without, every point the tracer
    visited up to scaled ``lambda = 100`` is returned.  Profiles are floats.
    :func:`qre_branch` gives the whole :class:`QREBranch`.
    """
    if game.n_players < 1:
        raise GameError("a game needs at least one player")
    kernel = _Kernel(game)
    z0 = kernel.start()
    t0 = _tangent(_equations(kernel, z0)[1], None)
    if lambdas is None:
        path = _trace(kernel, z0, t0, lambda lam, x: lam >= 100.0, first_step=first_step, max_accel=max_accel)
        return [(float(z[-1]) / kernel.range, _as_tuple(kernel.profile(z))) for z in path.points]
    wanted = _check_lambdas(lambdas)
    top = max(wanted, default=0.0) * kernel.range
    path = _trace(kernel, z0, t0, lambda lam, x: lam >= top, first_step=first_step, max_accel=max_accel)
    return [(lam, _as_tuple(kernel.profile(_first_at(kernel, path.points, lam * kernel.range)))) for lam in wanted]


def _guess_support(x: Sequence[Any]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(int(a) for a in range(len(p)) if p[a] >= SUPPORT_THRESHOLD * p.max()) for p in x)


def _newton_polish(kernel: _Kernel, x: Sequence[Any], supports: Sequence[Sequence[int]]) -> list[Any] | None:
    """Newton's method on the indifference system of ``supports``, from ``x``; None if it fails."""
    import numpy as np

    n = kernel.n
    index = [(i, a) for i in range(n) for a in supports[i]]
    v = np.array([x[i][a] for i, a in index])

    def profile(v: Any) -> list[Any]:
        out = [np.zeros(k) for k in kernel.shape]
        for (i, a), p in zip(index, v):
            out[i][a] = p
        return out

    for _ in range(100):
        prof = profile(v)
        values = kernel.payoffs(prof)
        cross = kernel.cross(prof)
        rows, jac_rows = [], []
        for i in range(n):
            s0 = supports[i][0]
            row = np.zeros(len(index))
            for k, (j, _a) in enumerate(index):
                if j == i:
                    row[k] = 1.0
            rows.append(sum(prof[i][a] for a in supports[i]) - 1.0)
            jac_rows.append(row)
            for a in supports[i][1:]:
                rows.append(values[i][a] - values[i][s0])
                row = np.zeros(len(index))
                for k, (j, b) in enumerate(index):
                    if j != i:
                        row[k] = cross[(i, j)][a, b] - cross[(i, j)][s0, b]
                jac_rows.append(row)
        f = np.array(rows)
        dv = np.linalg.lstsq(np.array(jac_rows), -f, rcond=None)[0]
        v = v + dv
        if np.linalg.norm(dv) < 1e-15:
            break
    if np.any(v < -1e-12) or not np.all(np.isfinite(v)):
        return None
    return profile(np.maximum(v, 0.0))


def logit_solve(
    game: Any,
    tol: float = 1e-8,
    max_lambda: float = 1e7,
    *,
    first_step: float = 0.03,
    max_accel: float = 1.1,
    refine: bool = True,
) -> SolveResult:
    """One Nash equilibrium: the limit of the principal logit QRE branch (module docstring).

    Args:
        game: a :class:`~gametheory.model.game.Game`.
        tol: the regret tolerance, relative to the payoff scale
            (``max(1, max |payoff|)``) as in :func:`gametheory.solvers.verify.certify`.
        max_lambda: where to give up following the branch (scaled payoffs,
            range 1: ``lambda`` in game units is this over the payoff range).
        first_step, max_accel: the first arclength step, and how fast steps grow.
        refine: solve the guessed support exactly (rational games) or
            Newton-polish it, instead of reporting the raw point of the branch.

    Returns:
        A :class:`~gametheory.solvers.result.SolveResult` (method ``"logit"``,
        ``complete=False``, ``tolerance=tol``) with at most one equilibrium:
        exact when the refinement found it exactly, else floats with regret
        below ``tol``.  ``details``: ``lambda`` (game units) where the branch
        was left, ``branch_regret`` there, ``refined`` (``"exact"``,
        ``"newton"`` or ``"none"``), ``support``, ``steps``, and
        ``bifurcations`` (the lambdas, game units, of bifurcation points
        crossed: the selection is then not unique, see :func:`qre_branch`).
    """
    import numpy as np

    if game.n_players < 1:
        raise GameError("a game needs at least one player")
    kernel = _Kernel(game)
    scale = payoff_scale(game)
    limit = tol * scale / kernel.range  # the regret tolerance in scaled payoffs
    state: dict[str, Any] = {"found": None, "tried": set(), "next": 10.0}
    rational = is_rational(game)

    def try_refine(x: Sequence[Any]) -> Any:
        supports = _guess_support(x)
        if supports in state["tried"]:
            return None
        state["tried"].add(supports)
        floats = [np.asarray(p) for p in x]
        if rational:
            from .nplayer import support_equilibria

            try:
                candidates, _ = support_equilibria(game, supports)
            except Exception:  # pragma: no cover (an exact solve that fails leaves Newton)
                candidates = []
            best = None
            for eq in candidates:
                d = max(float(np.max(np.abs(np.asarray(p) - q))) for p, q in zip(eq.float_profile, floats))
                if d < NEAR and (best is None or d < best[0]):
                    best = (d, eq)
            if best is not None:
                return best[1], "exact", supports
        polished = _newton_polish(kernel, floats, supports)
        if polished is not None:
            eq = certify(game, [list(p) for p in polished], tol=tol)
            if eq is not None:
                d = max(float(np.max(np.abs(p - q))) for p, q in zip(polished, floats))
                if d < NEAR:
                    return eq, "newton", supports
        return None

    def stop(lam: float, x: Sequence[Any]) -> bool:
        if lam >= max_lambda:
            return True
        if refine and lam >= state["next"]:
            state["next"] = lam * 10.0
            got = try_refine(x)
            if got is not None:
                state["found"] = got
                return True
        return kernel.regret(x) <= limit / 10

    z0 = kernel.start()
    t0 = _tangent(_equations(kernel, z0)[1], None)
    path = _trace(kernel, z0, t0, stop, first_step=first_step, max_accel=max_accel)
    z = path.points[-1]
    x = kernel.profile(z)
    details: dict[str, Any] = {
        "lambda": float(z[-1]) / kernel.range,
        "branch_regret": kernel.regret(x) * kernel.range,
        "steps": path.steps,
    }
    if path.flips:
        details["bifurcations"] = [
            float(_locate(kernel, path.points[k], path.tangents[k], path.points[k + 1])[-1]) / kernel.range
            for k in path.flips
        ]
    equilibria = []
    if state["found"] is None and refine:
        state["tried"].clear()
        got = try_refine(x)
        if got is not None:
            state["found"] = got
    if state["found"] is not None:
        eq, how, supports = state["found"]
        details["refined"] = how
        details["support"] = [list(s) for s in supports]
        equilibria.append(eq)
    else:
        details["refined"] = "none"
        eq = certify(game, [list(p) for p in x], tol=tol)
        if eq is not None:
            equilibria.append(eq)
        else:
            details["note"] = "the branch did not reach a profile with regret below the tolerance"
    return SolveResult(
        game=game,
        method=METHOD,
        equilibria=equilibria,
        degenerate=False,
        complete=False,
        tolerance=tol,
        details=details,
    )


__all__ = ["logit_solve", "logit_branch", "qre_branch", "QREBranch", "Bifurcation", "Arm", "METHOD",
           "DEFAULT_MAX_LAMBDA"]
