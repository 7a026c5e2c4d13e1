"""Fictitious play (Brown 1951; Robinson 1951) and stochastic fictitious play (Fudenberg & Levine 1998).

In fictitious play each player believes the others play the empirical
frequencies of their past play, and plays a best response to that belief
(simultaneous updating; ties broken at random with the seed).  The
empirical frequencies converge to Nash equilibrium in two-player zero-sum
games (Robinson 1951), in 2x2 games (Miyasawa 1961) and in potential games
(Monderer & Shapley 1996), but not in general: in Shapley's (1964) 3x3 game
play cycles through six profiles with ever longer runs and the frequencies
do not converge.

Stochastic fictitious play replaces the best response with the logit choice
``P(a) proportional to exp(lambda u(a))`` (a smoothed best response: Fudenberg
& Kreps 1993; Fudenberg & Levine 1998, ch. 4); the frequencies then approach
a logit quantal response equilibrium in zero-sum and potential games.

References:
    Brown, G. W. (1951). Iterative solution of games by fictitious play. In
    T. C. Koopmans (ed.), Activity Analysis of Production and Allocation, 374-376.
    Robinson, J. (1951). An iterative method of solving a game. Annals of
    Mathematics 54: 296-301.
    Shapley, L. S. (1964). Some topics in two-person games. In M. Dresher et
    al. (eds.), Advances in Game Theory, Annals of Mathematics Studies 52, 1-28.
    Fudenberg, D. & Levine, D. K. (1998). The Theory of Learning in Games. MIT Press.
"""

from __future__ import annotations

from typing import Any

from ..errors import GameError
from ._common import logit, rng, start_profile, strategy_payoffs
from .result import DynamicsResult


def _learn(game: Any, rule: str, start: Any, steps: int, seed: Any, tol: float, equilibria: Any,
           noise: float, records: int, prior_weight: float) -> DynamicsResult:
    import numpy as np

    if steps < 1:
        raise GameError("steps must be at least 1")
    gen = rng(seed)
    U = np.asarray(game.payoff_array, dtype=float)
    counts = [prior_weight * x for x in start_profile(game, start, gen)]
    n = game.n_players
    plays = np.zeros((steps, n), dtype=np.int64)
    every = max(1, steps // max(1, records))
    times, traj = [0], [[c / c.sum() for c in counts]]
    draws = gen.random((steps, n))
    scale = 1e-12 * max(1.0, float(np.abs(U).max()))
    for t in range(steps):
        beliefs = [c / c.sum() for c in counts]
        for i in range(n):
            if n == 2:
                u = U[0] @ beliefs[1] if i == 0 else beliefs[0] @ U[1]
            else:
                u = strategy_payoffs(U, beliefs, i)
            if rule == "fictitious-play":
                top = np.flatnonzero(u >= u.max() - scale)
                plays[t, i] = top[0] if len(top) == 1 else top[int(draws[t, i] * len(top))]
            else:
                plays[t, i] = _draw(logit(u, noise), draws[t, i])
        for i in range(n):
            counts[i][plays[t, i]] += 1.0
        if (t + 1) % every == 0 or t + 1 == steps:
            times.append(t + 1)
            traj.append([c / c.sum() for c in counts])
    params: dict[str, Any] = {"steps": steps, "prior_weight": prior_weight}
    if rule != "fictitious-play":
        params["lambda"] = noise
    res = DynamicsResult.build(
        game, rule, np.array(times), traj, equilibria=equilibria, tol=tol, seed=seed, parameters=params,
        populations="two" if n == 2 else str(n), plays=plays,
    )
    return res


def _draw(p: Any, r: float) -> int:
    """The index drawn from probabilities ``p`` by the uniform number ``r``."""
    import numpy as np

    return int(min(np.searchsorted(np.cumsum(p), r * p.sum(), side="right"), len(p) - 1))


def fictitious_play(
    game: Any,
    start: Any = None,
    *,
    steps: int = 5000,
    seed: Any = None,
    tol: float = 0.02,
    equilibria: Any = None,
    records: int = 500,
    prior_weight: float = 1.0,
) -> DynamicsResult:
    """Fictitious play for ``steps`` rounds; the trajectory is the empirical frequencies of play.

    Args:
        game: a :class:`gametheory.model.Game`.
        start: the initial beliefs (one probability vector per player, or one
            for all), counted as ``prior_weight`` rounds of play; None for a
            seeded random one.
        seed: seeds the random start and the tie-breaking among best responses.
        tol: distance within which the final frequencies "approach" an
            equilibrium (FP converges slowly, about as 1/t in good cases).
        records: about how many states of the trajectory to keep.

    ``result.plays`` holds every round's pure profile.
    """
    return _learn(game, "fictitious-play", start, steps, seed, tol, equilibria, 0.0, records, prior_weight)


def stochastic_fictitious_play(
    game: Any,
    start: Any = None,
    *,
    noise: float = 10.0,
    steps: int = 5000,
    seed: Any = None,
    tol: float = 0.05,
    equilibria: Any = None,
    records: int = 500,
    prior_weight: float = 1.0,
) -> DynamicsResult:
    """Stochastic fictitious play: each round, play drawn from the logit response (precision ``noise``).

    Arguments as for :func:`fictitious_play`.  The frequencies approach a
    logit QRE, so they stop short of a mixed Nash equilibrium by an amount
    that shrinks as ``noise`` (lambda) grows; sampling adds about
    ``1/sqrt(steps)`` of noise.
    """
    return _learn(game, "stochastic-fictitious-play", start, steps, seed, tol, equilibria, noise, records,
                  prior_weight)
