"""Replicator dynamics (Taylor & Jonker 1978).

A strategy's share grows in proportion to how much better than the
population average it does:

    dx_a/dt = x_a [ u(a, x) - u(x, x) ]

In a symmetric two-player game one population plays against itself (the
"one-population" dynamics of Taylor & Jonker 1978; its asymptotically stable
rest points include the evolutionarily stable strategies); otherwise, or
with ``populations="two"``, each player role has its own population and
strategies are rewarded against the other population (Taylor 1979).

The flow is followed in log coordinates, ``d log x_a / dt = u(a, x) - u(x, x)``
with ``x`` the softmax of the log-shares, by the DOP853 Runge-Kutta method
(:mod:`gametheory.dynamics._flow`): every recorded state lies on the simplex
(to rounding), shares decaying towards 0 are followed to any depth, and large
payoffs cost steps, not accuracy.  A run takes at most ``max_steps`` solver
steps.  Where it ends is judged with evidence (:mod:`gametheory.dynamics._evidence`):
an equilibrium when the end point is within ``tol`` of a verified Nash
equilibrium or inside the region a strict equilibrium provably attracts, a
cycle only with a conserved quantity or a sustained oscillation, otherwise a
rest point or "did not settle".

References:
    Taylor, P. D. & Jonker, L. B. (1978). Evolutionarily stable strategies and
    game dynamics. Mathematical Biosciences 40: 145-156.
    Taylor, P. D. (1979). Evolutionarily stable strategies with two types of
    player. Journal of Applied Probability 16: 76-83.
    Hofbauer, J. & Sigmund, K. (1998). Evolutionary Games and Population
    Dynamics. Cambridge University Press.
    Weibull, J. W. (1995). Evolutionary Game Theory. MIT Press.
    Sandholm, W. H. (2010). Population Games and Evolutionary Dynamics. MIT Press.
"""

from __future__ import annotations

from typing import Any

from ._common import DEFAULT_TOL, flow_start, one_population
from ._flow import MAX_STEPS, Flow, integrate
from .result import DynamicsResult


def replicator(
    game: Any,
    start: Any = None,
    *,
    t_max: float = 50.0,
    steps: int = 500,
    populations: str = "auto",
    seed: Any = None,
    tol: float = DEFAULT_TOL,
    equilibria: Any = None,
    max_steps: int = MAX_STEPS,
) -> DynamicsResult:
    """Replicator dynamics from ``start`` (or a seeded random interior start) for time ``t_max``.

    Args:
        game: a :class:`gametheory.model.Game` (two or more players).
        start: one probability vector per player, or one for all (a
            symmetric game's single population); None for a random start
            drawn with ``seed``.
        t_max: how long to follow the flow; ``steps + 1`` states are recorded.
        populations: ``"auto"`` (one population for symmetric two-player
            games), ``"one"`` or ``"two"`` (one per player).
        tol: distance within which the end point "approaches" an equilibrium.
        equilibria: the Nash equilibria to compare with (default: ``solve(game)``).
        max_steps: the cap on solver steps; a run that needs more stops
            there, and its outcome says so (``did-not-settle`` unless the
            states reached already show where it goes).

    ``details["solver"]`` records the steps taken, the field evaluations,
    the cap, whether it was reached, and the time reached.
    """
    one = one_population(game, populations)
    start = flow_start(game, start, seed, one)
    flow = Flow(game, "replicator", one)
    run = integrate(flow, start, t_max, steps, max_steps=max_steps)
    return DynamicsResult.build(
        game, "replicator", run.times, run.states, equilibria=equilibria, tol=tol, seed=seed,
        populations="one" if one else "two" if game.n_players == 2 else str(game.n_players),
        parameters={"t_max": t_max, "steps": steps, "max_steps": max_steps}, details={"solver": run.info()},
        analysis=(run.dense_times, run.dense_states),
    )
