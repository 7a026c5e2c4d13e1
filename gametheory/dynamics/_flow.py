"""Vector fields on mixed profiles and the ODE integration shared by the continuous-time rules."""

from __future__ import annotations

from typing import Any, Callable

from ..errors import GameError
from ._common import best_response_set, logit, strategy_payoffs


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

    def split(self, z: Any) -> list:
        parts = [z[a:b] for a, b in zip(self.cuts[:-1], self.cuts[1:])]
        return parts * self.game.n_players if self.one else parts

    def join(self, profile: Any) -> Any:
        import numpy as np

        return np.concatenate([np.asarray(profile[0], float)] if self.one else [np.asarray(x, float) for x in profile])

    def payoffs(self, profile: list) -> list:
        players = [0] if self.one else range(self.game.n_players)
        return [strategy_payoffs(self.U, profile, i) for i in players]

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


def integrate(flow: Flow, start: list, t_max: float, steps: int, dt: float | None = None,
              rtol: float = 1e-10, atol: float = 1e-12) -> tuple[Any, list]:
    """Follow ``flow`` from ``start`` for time ``t_max``, recording ``steps + 1`` states.

    Smooth fields (replicator, logit) use :func:`scipy.integrate.solve_ivp`
    (DOP853, tight tolerances); the discontinuous best-response field uses
    Euler steps of length ``dt``, which is the usual discretisation of a
    differential inclusion.
    """
    import numpy as np

    if steps < 1 or not t_max > 0:
        raise GameError("steps must be at least 1 and the time positive")
    times = np.linspace(0.0, float(t_max), int(steps) + 1)
    z0 = flow.join(start)
    if flow.rule == "best-response":
        h = float(dt or min(0.01, t_max / steps))
        z = z0.copy()
        states, t, k = [z0.copy()], 0.0, 1
        while k < len(times):
            z = z + h * flow.field(z)
            z = np.clip(z, 0.0, None)
            for a, b in zip(flow.cuts[:-1], flow.cuts[1:]):
                z[a:b] /= z[a:b].sum()
            t += h
            while k < len(times) and t >= times[k] - 1e-12:
                states.append(z.copy())
                k += 1
        zs = np.array(states)
    else:
        from scipy.integrate import solve_ivp

        sol = solve_ivp(flow, (0.0, float(t_max)), z0, method="DOP853", t_eval=times, rtol=rtol, atol=atol)
        if not sol.success:  # pragma: no cover - DOP853 on a bounded smooth field
            raise GameError(f"the ODE solver failed: {sol.message}")
        zs = sol.y.T
    return times, [flow.split(z) for z in zs]


def make_field(game: Any, rule: str, one_population: bool, noise: float = 10.0) -> Callable:
    return Flow(game, rule, one_population, noise)
