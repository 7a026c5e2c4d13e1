"""Best-response dynamics (Gilboa & Matsui 1991) and logit dynamics (Fudenberg & Levine 1998).

Best-response dynamics move each population towards a best response to the
current state, ``dx/dt = BR(x) - x``: the continuous-time counterpart of
fictitious play (Brown 1951).  The field is discontinuous, so it is followed
by Euler steps of length ``dt`` (ties split evenly among best responses).

Logit dynamics smooth the best response into the logit choice rule,
``dx/dt = L_lambda(u(x)) - x`` with ``L_lambda(u)_a = exp(lambda u_a) / sum_b
exp(lambda u_b)``; its rest points are the logit quantal response equilibria
(McKelvey & Palfrey 1995), which tend to Nash equilibria as ``lambda`` grows.

References:
    Gilboa, I. & Matsui, A. (1991). Social stability and equilibrium.
    Econometrica 59: 859-867.
    Brown, G. W. (1951). Iterative solution of games by fictitious play. In
    T. C. Koopmans (ed.), Activity Analysis of Production and Allocation, 374-376.
    Fudenberg, D. & Levine, D. K. (1998). The Theory of Learning in Games. MIT Press.
    McKelvey, R. D. & Palfrey, T. R. (1995). Quantal response equilibria for
    normal form games. Games and Economic Behavior 10: 6-38.
"""

from __future__ import annotations

from typing import Any

from ._common import DEFAULT_TOL, flow_start, one_population
from ._flow import MAX_STEPS, Flow, integrate
from .result import DynamicsResult


def _run(rule: str, game: Any, start: Any, t_max: float, steps: int, populations: str, seed: Any, tol: float,
         equilibria: Any, noise: float = 10.0, dt: float | None = None, max_steps: int = MAX_STEPS
         ) -> DynamicsResult:
    one = one_population(game, populations)
    start = flow_start(game, start, seed, one)
    flow = Flow(game, rule, one, noise=noise)
    run = integrate(flow, start, t_max, steps, dt=dt, max_steps=max_steps)
    params: dict[str, Any] = {"t_max": t_max, "steps": steps, "max_steps": max_steps}
    if rule == "logit":
        params["lambda"] = noise
    else:
        params["dt"] = dt or min(0.01, t_max / steps)
    return DynamicsResult.build(
        game, rule, run.times, run.states, equilibria=equilibria, tol=tol, seed=seed, parameters=params,
        populations="one" if one else "two" if game.n_players == 2 else str(game.n_players),
        details={"solver": run.info()}, analysis=(run.dense_times, run.dense_states),
    )


def best_response_dynamics(
    game: Any,
    start: Any = None,
    *,
    t_max: float = 30.0,
    steps: int = 300,
    dt: float | None = None,
    populations: str = "auto",
    seed: Any = None,
    tol: float = 0.02,
    equilibria: Any = None,
    max_steps: int = 200_000,
) -> DynamicsResult:
    """Best-response dynamics ``dx/dt = BR(x) - x`` by Euler steps of ``dt`` (default 0.01).

    Arguments as for :func:`gametheory.dynamics.replicator`; the default
    ``tol`` is looser because Euler steps chatter by about ``dt`` around a
    mixed equilibrium.  At most ``max_steps`` Euler steps are taken.
    """
    return _run("best-response", game, start, t_max, steps, populations, seed, tol, equilibria, dt=dt,
                max_steps=max_steps)


def logit_dynamics(
    game: Any,
    start: Any = None,
    *,
    noise: float = 10.0,
    t_max: float = 30.0,
    steps: int = 300,
    populations: str = "auto",
    seed: Any = None,
    tol: float = DEFAULT_TOL,
    equilibria: Any = None,
    max_steps: int = MAX_STEPS,
) -> DynamicsResult:
    """Logit dynamics ``dx/dt = L_lambda(u(x)) - x`` with precision ``noise`` = lambda.

    The rest points are logit QRE, not Nash equilibria, so the outcome is
    usually ``"rest-point"`` with the nearest Nash equilibrium reported; it
    becomes ``"equilibrium"`` when lambda is large enough for the QRE to lie
    within ``tol`` of one.  The flow is followed in shares (the simplex
    attracts it) by DOP853, at most ``max_steps`` steps, and the recorded
    states are projected onto the simplex against rounding.
    """
    return _run("logit", game, start, t_max, steps, populations, seed, tol, equilibria, noise=noise,
                max_steps=max_steps)
