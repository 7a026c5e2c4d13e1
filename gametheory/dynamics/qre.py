"""The logit quantal response equilibrium (McKelvey & Palfrey 1995), traced along its principal branch.

A logit QRE at precision lambda is a profile in which every player chooses
each strategy with probability proportional to ``exp(lambda * payoff)``.  At
lambda = 0 the unique QRE is uniform play; as lambda grows, the *principal
branch* of QRE starting there leads (in generic games) to one Nash
equilibrium, which is the logit selection (McKelvey & Palfrey 1995; Turocy
2005).  The branch is followed here as Gambit's ``logit`` does: as a curve in
(log-probabilities, lambda) space, by predictor-corrector continuation in
arc length (tangent predictor, Gauss-Newton corrector, adaptive steps), so
it also follows the branch round turning points where lambda decreases.

This is the package's own tracer: ``gametheory.solvers.logit`` did not exist
when it was written.

References:
    McKelvey, R. D. & Palfrey, T. R. (1995). Quantal response equilibria for
    normal form games. Games and Economic Behavior 10: 6-38.
    Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic
    quantal response equilibrium correspondence. Games and Economic Behavior
    51: 243-263.
    Allgower, E. L. & Georg, K. (1990). Numerical Continuation Methods. Springer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from ..errors import GameError
from ._common import cross_payoffs, equilibrium_text, nash_profiles, nearest, strategy_payoffs

DEFAULT_MAX_LAMBDA = 1e6


@dataclass
class QREBranch:
    """The principal branch of logit QRE.

    Attributes:
        game: the game.
        lambdas: the precision at each traced point (lambda = 0 first).
        profiles: the QRE at each point: one probability array per player.
        limit: the last profile (lambda = ``max_lambda``), the Nash limit.
        equilibrium: the index into ``equilibria`` of the verified Nash
            equilibrium nearest the limit, and ``distance`` its distance.
        at: the QRE at the requested lambdas (``{lambda: profile}``).
        bifurcations: lambdas at which the branch passes a bifurcation point
            (the sign of ``det [H'; tangent]`` changes).  This happens in
            non-generic games, e.g. Battle of the Sexes, whose symmetry makes
            the branch meet a pitchfork: the tracer carries on along the
            symmetric branch (to the mixed equilibrium), while Gambit's
            tracer may step off onto one of the other arms (a pure
            equilibrium).  The selection is then not unique.
    """

    game: Any
    lambdas: Any
    profiles: list
    equilibria: list = field(default_factory=list)
    equilibrium: int | None = None
    distance: float = float("inf")
    at: dict = field(default_factory=dict)
    bifurcations: list = field(default_factory=list)

    @property
    def limit(self) -> list:
        return self.profiles[-1]

    def _named(self, profile: Any) -> dict:
        g = self.game
        return {p: {s: float(q) for s, q in zip(ss, x)} for p, ss, x in zip(g.players, g.strategies, profile)}

    def to_dict(self, points: int = 60) -> dict:
        """The JSON of ``gametheory qre --format json`` (the branch thinned to about ``points`` points)."""
        import numpy as np

        keep = sorted(set(np.linspace(0, len(self.lambdas) - 1, min(points, len(self.lambdas))).astype(int)))
        out: dict[str, Any] = {
            "game": self.game.title,
            "limit": self._named(self.limit),
            "max_lambda": float(self.lambdas[-1]),
            "selected_equilibrium": None,
            "distance": self.distance if np.isfinite(self.distance) else None,
            "equilibria": [self._named(e) for e in self.equilibria],
            "bifurcations": [float(b) for b in self.bifurcations],
            "at": [{"lambda": lam, **self._named(p)} for lam, p in self.at.items()],
            "branch": [{"lambda": float(self.lambdas[k]), **self._named(self.profiles[k])} for k in keep],
        }
        if self.equilibrium is not None:
            out["selected_equilibrium"] = {"index": self.equilibrium,
                                           "profile": self._named(self.equilibria[self.equilibrium])}
        return out

    def __repr__(self) -> str:
        sel = "none" if self.equilibrium is None else equilibrium_text(self.game, self.equilibria[self.equilibrium])
        return f"<QREBranch {len(self.lambdas)} points to lambda={float(self.lambdas[-1]):.3g}, selects {sel}>"


class _System:
    """``H(w, lambda) = 0``: w the log-probabilities, one block per player."""

    def __init__(self, game: Any):
        import numpy as np

        self.U = np.asarray(game.payoff_array, dtype=float)
        self.sizes = list(game.shape)
        self.cuts = np.cumsum([0] + self.sizes)
        self.n = int(self.cuts[-1])

    def profile(self, w: Any) -> list:
        import numpy as np

        return [np.exp(w[a:b]) for a, b in zip(self.cuts[:-1], self.cuts[1:])]

    def value(self, x: Any) -> Any:
        import numpy as np

        w, lam = x[:-1], x[-1]
        prof = self.profile(w)
        out = np.zeros(self.n)
        for i, (a, b) in enumerate(zip(self.cuts[:-1], self.cuts[1:])):
            u = strategy_payoffs(self.U, prof, i)
            out[a] = prof[i].sum() - 1.0
            out[a + 1:b] = w[a + 1:b] - w[a] - lam * (u[1:] - u[0])
        return out

    def jacobian(self, x: Any) -> Any:
        import numpy as np

        w, lam = x[:-1], x[-1]
        prof = self.profile(w)
        J = np.zeros((self.n, self.n + 1))
        for i, (a, b) in enumerate(zip(self.cuts[:-1], self.cuts[1:])):
            u = strategy_payoffs(self.U, prof, i)
            J[a, a:b] = prof[i]
            for r in range(a + 1, b):
                J[r, r] = 1.0
                J[r, a] = -1.0
            J[a + 1:b, -1] = -(u[1:] - u[0])
            for k, (c, d) in enumerate(zip(self.cuts[:-1], self.cuts[1:])):
                if k == i:
                    continue
                M = cross_payoffs(self.U, prof, i, k)  # (n_i, n_k)
                J[a + 1:b, c:d] = -lam * (M[1:] - M[0]) * prof[k]
        return J


def _tangent(J: Any, previous: Any = None) -> Any:
    import numpy as np

    t = np.linalg.svd(J)[2][-1]
    if previous is None:
        return t if t[-1] > 0 else -t
    return t if t @ previous >= 0 else -t


def _correct(system: _System, x: Any, tol: float = 1e-10, iters: int = 12) -> Any | None:
    """Gauss-Newton (Moore-Penrose) steps back onto the curve; None if they do not converge."""
    import numpy as np

    for _ in range(iters):
        h = system.value(x)
        if np.max(np.abs(h)) < tol:
            return x
        x = x - np.linalg.lstsq(system.jacobian(x), h, rcond=None)[0]
        if not np.isfinite(x).all():
            return None
    return x if np.max(np.abs(system.value(x))) < tol * 100 else None


def _solve_at(system: _System, x: Any, lam: float) -> Any:
    """Newton at fixed lambda from ``x`` (an interpolated point of the branch)."""
    import numpy as np

    x = x.copy()
    x[-1] = lam
    for _ in range(30):
        h = system.value(x)
        if np.max(np.abs(h)) < 1e-12:
            break
        x[:-1] -= np.linalg.solve(system.jacobian(x)[:, :-1], h)
    return x


def logit_branch(
    game: Any,
    lambdas: Sequence[float] = (),
    *,
    max_lambda: float = DEFAULT_MAX_LAMBDA,
    first_step: float = 0.03,
    max_points: int = 20000,
    equilibria: Any = None,
) -> QREBranch:
    """Trace the principal branch of logit QRE from lambda = 0 to ``max_lambda``.

    Args:
        game: a :class:`gametheory.model.Game` (any number of players).
        lambdas: precisions at which to report the QRE (``result.at``); each
            is the first point of the branch at that lambda.
        max_lambda: where to stop; lambda is in the game's payoff units, so
            the limit is scale-dependent (Gambit's default is 1e6 too).
        equilibria: the Nash equilibria to compare the limit with (default:
            :func:`gametheory.solvers.solve`).

    The limit is reported with the nearest verified Nash equilibrium: the
    equilibrium that the logit QRE selects.
    """
    import numpy as np

    if game.n_players < 2:
        raise GameError("the logit QRE needs at least two players")
    for lam in lambdas:
        if not (lam >= 0 and np.isfinite(lam)):
            raise GameError(f"--lambda {lam}: lambda must be a non-negative number")
    system = _System(game)
    scale = max(1e-12, float(np.abs(system.U).max()))
    x = np.concatenate([np.concatenate([np.full(m, -np.log(m)) for m in system.sizes]), [0.0]])
    points = [x.copy()]
    t = _tangent(system.jacobian(x))
    h = first_step / scale
    sign = np.sign(np.linalg.det(np.vstack([system.jacobian(x), t])))
    bifurcations = []
    while x[-1] < max_lambda and len(points) < max_points:
        pred = x + h * t
        new = _correct(system, pred)
        if new is None or (np.max(np.abs(new - pred)) > 0.5 * max(h, 1e-9) and h > 1e-10):
            h /= 2
            if h < 1e-12:
                break
            continue
        t_new = _tangent(system.jacobian(new), t)
        if t_new @ t < 0.9 and h > 1e-9:  # too sharp a bend: smaller step
            h /= 2
            continue
        new_sign = np.sign(np.linalg.det(np.vstack([system.jacobian(new), t_new])))
        if new_sign != sign and new_sign != 0:
            bifurcations.append(float((x[-1] + new[-1]) / 2))
            sign = new_sign
        ds = abs(new[-1] / (1 + new[-1]) - x[-1] / (1 + x[-1]))
        dp = max(np.max(np.abs(a - b)) for a, b in zip(system.profile(new[:-1]), system.profile(x[:-1])))
        x, t = new, t_new
        points.append(x.copy())
        h *= 0.7 if max(ds, dp) > 0.02 else 1.6
    if x[-1] > max_lambda and len(points) > 1:  # land exactly on max_lambda
        x = _solve_at(system, x, max_lambda)
        points[-1] = x
    arr = np.array(points)
    result = QREBranch(game=game, lambdas=arr[:, -1], profiles=[system.profile(p[:-1]) for p in arr],
                       bifurcations=bifurcations)
    result.equilibria = list(nash_profiles(game) if equilibria is None else equilibria)
    result.equilibrium, result.distance = nearest(result.limit, result.equilibria)
    for lam in lambdas:
        lam = float(lam)
        ks = np.flatnonzero(arr[:, -1] >= lam)
        if not len(ks):
            raise GameError(f"lambda {lam:g} is beyond the traced branch (max {arr[-1, -1]:g})")
        k = int(ks[0])
        if k == 0:
            point = arr[0]
        else:
            a, b = arr[k - 1], arr[k]
            s = (lam - a[-1]) / (b[-1] - a[-1]) if b[-1] != a[-1] else 1.0
            point = _solve_at(system, a + s * (b - a), lam)
        result.at[lam] = system.profile(point[:-1])
    return result


def logit_solve(game: Any, **kwargs: Any) -> QREBranch:
    """The logit QRE limit (the branch traced to ``max_lambda``); see :func:`logit_branch`."""
    return logit_branch(game, **kwargs)
