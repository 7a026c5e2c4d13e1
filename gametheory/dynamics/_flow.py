"""Vector fields on mixed profiles and the ODE integration shared by the continuous-time rules.

The replicator dynamics ``dx_a/dt = x_a (u_a(x) - u(x))`` leave the product
of simplices invariant only in exact arithmetic.  Written in raw shares the
constraint ``sum x = 1`` is *unstable* wherever the average payoff is
negative (``d(S - 1)/dt = -u(x) (S - 1)`` for ``S = sum x``): rounding errors
then grow exponentially, shares leave [0, 1], and near a vertex the flow
blows up in finite time.  So the replicator flow is followed in log
coordinates, ``y_a = log x_a`` with ``dy_a/dt = u_a(x) - u(x)`` and
``x = softmax(y)`` (Hofbauer & Sigmund 1998, ch. 7; Sandholm 2010, ch. 5):
every state is on the simplex by construction, a share decaying towards 0
is a log-share falling linearly (no stiffness near the boundary), and the
speed of the field is bounded by the payoff range.  Strategies absent at the
start stay absent (faces are invariant).

Every integration is bounded: at most ``max_steps`` solver steps (Euler
steps for best response); a run that needs more stops where it is and says
so (``Integration.capped``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import GameError
from ._common import best_response_set, logit, strategy_payoffs

MAX_STEPS = 10000  # default cap on solver steps for one run


def payoff_range(game_or_payoffs: Any) -> float:
    """The largest spread ``max - min`` of any player's payoffs (at least 1e-12): the flows' speed scale."""
    import numpy as np

    U = np.asarray(getattr(game_or_payoffs, "payoff_array", game_or_payoffs), dtype=float)
    return max(1e-12, max(float(U[i].max() - U[i].min()) for i in range(U.shape[0])))


class Flow:
    """A vector field on the profiles of a game, one population or one per player.

    The state is the concatenation of the populations' share vectors (one
    vector when ``one_population``).
    """

    def __init__(self, game: Any, rule: str, one_population: bool, noise: float = 10.0):
        import numpy as np

        if game.n_players < 2:
            raise GameError("dynamics need at least two players")
        self.game = game
        self.rule = rule
        self.one = one_population
        self.noise = float(noise)
        self.U = np.asarray(game.payoff_array, dtype=float)
        self.sizes = [game.shape[0]] if one_population else list(game.shape)
        self.cuts = np.cumsum([0] + self.sizes)
        self.range = payoff_range(self.U)

    def split(self, z: Any) -> list:
        parts = [z[a:b] for a, b in zip(self.cuts[:-1], self.cuts[1:])]
        return parts * self.game.n_players if self.one else parts

    def join(self, profile: Any) -> Any:
        import numpy as np

        return np.concatenate([np.asarray(profile[0], float)] if self.one else [np.asarray(x, float) for x in profile])

    def populations(self, profile: Any) -> list:
        """The populations' share vectors (one for a single population)."""
        return [profile[0]] if self.one else list(profile)

    def payoffs(self, profile: list) -> list:
        """Each population's payoff from each of its pure strategies against ``profile``."""
        U = self.U
        if self.one:
            return [U[0] @ profile[1]]
        if self.game.n_players == 2:
            return [U[0] @ profile[1], profile[0] @ U[1]]
        return [strategy_payoffs(U, profile, i) for i in range(self.game.n_players)]

    def growth(self, profile: Any) -> list:
        """The replicator growth rates ``u_a(x) - u(x)`` of every strategy, one array per population."""
        return [u - x @ u for x, u in zip(self.populations(profile), self.payoffs(profile))]

    def field(self, z: Any) -> Any:
        import numpy as np

        profile = self.split(z)
        out = []
        for x, u in zip(profile, self.payoffs(profile)):
            if self.rule == "replicator":
                out.append(x * (u - x @ u))
            elif self.rule == "logit":
                out.append(logit(u, self.noise) - x)
            else:  # best response
                out.append(best_response_set(u) - x)
        return np.concatenate(out)

    def __call__(self, t: float, z: Any) -> Any:
        return self.field(z)

    def jacobian(self, z: Any, h: float = 1e-7) -> Any:
        """The Jacobian of the field restricted to the product of simplices (tangent coordinates)."""
        import numpy as np

        basis = []
        for a, b in zip(self.cuts[:-1], self.cuts[1:]):
            for j in range(a + 1, b):
                v = np.zeros(len(z))
                v[j], v[a] = 1.0, -1.0
                basis.append(v)
        B = np.array(basis).T  # columns: tangent directions
        cols = [(self.field(z + h * B[:, c]) - self.field(z - h * B[:, c])) / (2 * h) for c in range(B.shape[1])]
        J = np.array(cols).T
        # express the image in the same tangent basis (least squares: the field stays tangent)
        return np.linalg.lstsq(B, J, rcond=None)[0]

    def stability(self, profile: Any, tol: float = 1e-6) -> str:
        """``"stable"`` (every eigenvalue's real part < 0), ``"unstable"`` (one > 0) or ``"neutral"``."""
        import numpy as np

        eig = np.linalg.eigvals(self.jacobian(self.join(profile)))
        if (eig.real < -tol).all():
            return "stable"
        if (eig.real > tol).any():
            return "unstable"
        return "neutral"


@dataclass
class Integration:
    """A followed flow: the recorded states and how the integration went.

    Attributes:
        times, states: the recorded times and profiles (up to ``t_reached``).
        t_max: the time asked for; ``t_reached`` the time reached (``t_max``
            unless the step cap stopped the run).
        steps: solver steps taken (Euler steps for best response);
            ``evaluations`` evaluations of the field.
        max_steps: the cap; ``capped`` whether the run stopped at it.
        dense_times, dense_states: every solver step's state as well as the
            records, in time order (for judging oscillations).
    """

    times: Any
    states: list
    t_max: float
    t_reached: float
    steps: int
    evaluations: int
    max_steps: int
    capped: bool
    dense_times: Any = None
    dense_states: list = field(default_factory=list)

    def info(self) -> dict:
        return {"steps": self.steps, "evaluations": self.evaluations, "max_steps": self.max_steps,
                "capped": self.capped, "t_reached": float(self.t_reached)}


def _project(x: Any) -> Any:
    """Clip to non-negative and renormalise (a guard against rounding for the raw-coordinate flows)."""
    import numpy as np

    x = np.clip(np.asarray(x, dtype=float), 0.0, None)
    return x / x.sum()


def integrate(flow: Flow, start: list, t_max: float, steps: int, dt: float | None = None,
              rtol: float = 1e-10, atol: float = 1e-12, max_steps: int = MAX_STEPS) -> Integration:
    """Follow ``flow`` from ``start`` for time ``t_max``, recording ``steps + 1`` equally spaced states.

    The replicator flow is integrated in log coordinates (see the module
    docstring) with the DOP853 Runge-Kutta method, the logit flow in shares
    (its simplex is attracting) with recorded states projected onto it; the
    discontinuous best-response field uses Euler steps of length ``dt``, the
    usual discretisation of a differential inclusion.  At most ``max_steps``
    steps are taken.
    """
    import numpy as np

    if steps < 1 or not t_max > 0:
        raise GameError("steps must be at least 1 and the time positive")
    if max_steps < 1:
        raise GameError("max_steps must be at least 1")
    times = np.linspace(0.0, float(t_max), int(steps) + 1)
    if flow.rule == "best-response":
        return _euler(flow, start, times, float(dt or min(0.01, t_max / steps)), int(max_steps))
    if flow.rule == "replicator":
        pops = [np.asarray(x, dtype=float) for x in flow.populations(start)]
        supports = [np.flatnonzero(x > 0) for x in pops]
        cuts = np.cumsum([0] + [len(s) for s in supports])

        def expand(y: Any) -> list:
            out = []
            for x0, s, a, b in zip(pops, supports, cuts[:-1], cuts[1:]):
                x = np.zeros_like(x0)
                e = np.exp(y[a:b] - y[a:b].max())
                x[s] = e / e.sum()
                out.append(x)
            return out * flow.game.n_players if flow.one else out

        def rhs(t: float, y: Any) -> Any:
            profile = expand(y)
            return np.concatenate([g[s] for g, s in zip(flow.growth(profile), supports)])

        if flow.game.n_players == 2 and all(len(s) == len(x) for s, x in zip(supports, pops)):
            rhs = _two_player_rhs(flow)  # the common case, without the bookkeeping of supports

        y0 = np.concatenate([np.log(x[s]) for x, s in zip(pops, supports)])
        return _dop853(rhs, y0, expand, times, rtol, max(atol, 1e-10), int(max_steps))
    return _dop853(flow, flow.join(start), lambda z: [_project(x) for x in flow.split(z)], times, rtol, atol,
                   int(max_steps))


def _two_player_rhs(flow: Flow) -> Callable:
    """The log-share field of a two-player game with every strategy present (one or two populations)."""
    import numpy as np

    A, B = flow.U[0], flow.U[1]
    # y starts as log-shares and dy/dt = u - x.u keeps log-sum-exp(y) = 0 (up to the integration error),
    # so exp(y) neither overflows nor needs shifting
    if flow.one:
        def one(t: float, y: Any) -> Any:
            e = np.exp(y)
            x = e / e.sum()
            u = A @ x
            return u - x @ u

        return one
    n = A.shape[0]

    def two(t: float, y: Any) -> Any:
        e1, e2 = np.exp(y[:n]), np.exp(y[n:])
        x1, x2 = e1 / e1.sum(), e2 / e2.sum()
        u1, u2 = A @ x2, x1 @ B
        out = np.empty_like(y)
        out[:n] = u1 - x1 @ u1
        out[n:] = u2 - x2 @ u2
        return out

    return two


def _dop853(rhs: Callable, y0: Any, to_profile: Callable, times: Any, rtol: float, atol: float,
            max_steps: int) -> Integration:
    """Step DOP853 from ``times[0]`` to ``times[-1]`` (at most ``max_steps`` steps), recording at ``times``."""
    import numpy as np
    from scipy.integrate import DOP853

    solver = DOP853(rhs, float(times[0]), y0, float(times[-1]), rtol=rtol, atol=atol)
    states = [to_profile(y0)]
    dense_t, dense_s = [float(times[0])], [states[0]]
    k, n = 1, 0
    capped = False
    while solver.status == "running":
        if n >= max_steps:
            capped = True
            break
        solver.step()
        n += 1
        if solver.status == "failed":  # pragma: no cover - the log-coordinate field is bounded and smooth
            raise GameError(f"the ODE solver failed at t = {solver.t:.6g}: {solver.message}")
        if k < len(times) and times[k] <= solver.t:
            interp = solver.dense_output()
            while k < len(times) and times[k] <= solver.t:
                prof = to_profile(interp(times[k]))
                states.append(prof)
                dense_t.append(float(times[k]))
                dense_s.append(prof)
                k += 1
        if dense_t[-1] < solver.t:
            dense_t.append(float(solver.t))
            dense_s.append(to_profile(solver.y))
    return Integration(times=times[:k], states=states, t_max=float(times[-1]), t_reached=float(solver.t), steps=n,
                       evaluations=int(solver.nfev), max_steps=max_steps, capped=capped,
                       dense_times=np.array(dense_t), dense_states=dense_s)


def _euler(flow: Flow, start: list, times: Any, h: float, max_steps: int) -> Integration:
    import numpy as np

    z = flow.join(start)
    states, t, k, n = [flow.split(z.copy())], 0.0, 1, 0
    record_t = [0.0]
    capped = False
    while k < len(times):
        if n >= max_steps:
            capped = True
            break
        z = z + h * flow.field(z)
        z = np.clip(z, 0.0, None)
        for a, b in zip(flow.cuts[:-1], flow.cuts[1:]):
            z[a:b] /= z[a:b].sum()
        t += h
        n += 1
        while k < len(times) and t >= times[k] - 1e-12:
            states.append(flow.split(z.copy()))
            record_t.append(float(times[k]))
            k += 1
    return Integration(times=times[:k], states=states, t_max=float(times[-1]), t_reached=min(t, float(times[-1])),
                       steps=n, evaluations=n, max_steps=max_steps, capped=capped,
                       dense_times=np.array(record_t), dense_states=list(states))


def make_field(game: Any, rule: str, one_population: bool, noise: float = 10.0) -> Callable:
    return Flow(game, rule, one_population, noise)
