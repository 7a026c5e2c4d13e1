"""Replicator dynamics (Taylor & Jonker 1978).

A strategy's share grows in proportion to how much better than the
population average it does:

    dx_a/dt = x_a [ u(a, x) - u(x, x) ]

In a symmetric two-player game one population plays against itself (the
"one-population" dynamics of Taylor & Jonker 1978; its asymptotically stable
rest points include the evolutionarily stable strategies); otherwise, or
with ``populations="two"``, each player role has its own population and
strategies are rewarded against the other population (Taylor 1979).  The ODE
is integrated with :func:`scipy.integrate.solve_ivp`.

References:
    Taylor, P. D. & Jonker, L. B. (1978). Evolutionarily stable strategies and
    game dynamics. Mathematical Biosciences 40: 145-156.
    Taylor, P. D. (1979). Evolutionarily stable strategies with two types of
    player. Journal of Applied Probability 16: 76-83.
    Hofbauer, J. & Sigmund, K. (1998). Evolutionary Games and Population
    Dynamics. Cambridge University Press.
"""

from __future__ import annotations

from typing import Any

from ._common import DEFAULT_TOL, one_population, start_profile
from ._flow import Flow, integrate
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
    """
    one = one_population(game, populations)
    start = start_profile(game, start, seed)
    if one:
        start = [start[0]] * game.n_players
    flow = Flow(game, "replicator", one)
    times, traj = integrate(flow, start, t_max, steps)
    return DynamicsResult.build(
        game, "replicator", times, traj, equilibria=equilibria, tol=tol, seed=seed,
        populations="one" if one else "two" if game.n_players == 2 else str(game.n_players),
        parameters={"t_max": t_max, "steps": steps},
    )
