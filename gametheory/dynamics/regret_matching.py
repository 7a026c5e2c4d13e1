"""Regret matching (Hart & Mas-Colell 2000).

Each player keeps, for every pair of its strategies (j, k), the average
regret ``D(j, k)``: how much more it would have earned over the rounds in
which it played j had it played k instead.  After playing j it switches to
k != j with probability ``max(D(j, k), 0) / mu`` and otherwise plays j again
(``mu`` large enough that these are probabilities).  Hart & Mas-Colell prove
that the empirical distribution of joint play then converges almost surely
to the set of correlated equilibria (Aumann 1974): its largest incentive
violation, ``max_i,j,k D_i(j, k)``, tends to 0 at rate about ``1/sqrt(t)``.

References:
    Hart, S. & Mas-Colell, A. (2000). A simple adaptive procedure leading to
    correlated equilibrium. Econometrica 68: 1127-1150.
    Aumann, R. J. (1974). Subjectivity and correlation in randomized
    strategies. Journal of Mathematical Economics 1: 67-96.
"""

from __future__ import annotations

from typing import Any

from ..errors import GameError
from ._common import rng, start_profile
from .fictitious_play import _draw
from .result import DynamicsResult


def regret_matching(
    game: Any,
    start: Any = None,
    *,
    steps: int = 20000,
    seed: Any = None,
    tol: float = 0.05,
    equilibria: Any = None,
    records: int = 500,
    mu: float | None = None,
) -> DynamicsResult:
    """Hart & Mas-Colell's regret matching for ``steps`` rounds.

    Args:
        game: a :class:`gametheory.model.Game` (any number of players).
        start: the distribution of the first round's play (one vector per
            player, or one for all); None for a seeded random one.
        seed: seeds every random draw; the same seed gives the same play.
        mu: the inertia constant (default ``2 (n_i - 1) (max - min payoff) +
            1`` per player, which keeps the switching probabilities below 1).

    The result's ``details`` hold the empirical ``joint_distribution`` (an
    array of the game's shape), ``max_incentive_violation`` (the largest
    gain, in payoff units, of any player from a conditional deviation
    j -> k under that distribution; 0 exactly at a correlated equilibrium)
    and ``correlated_equilibrium`` (whether that violation is within ``tol``
    times the payoff scale).  The trajectory is the marginal frequencies.
    """
    import numpy as np

    if steps < 1:
        raise GameError("steps must be at least 1")
    gen = rng(seed)
    U = np.asarray(game.payoff_array, dtype=float)
    n, shape = game.n_players, tuple(game.shape)
    first = start_profile(game, start, gen)
    spread = [float(U[i].max() - U[i].min()) for i in range(n)]
    mus = [float(mu) if mu is not None else 2.0 * (shape[i] - 1) * spread[i] + 1.0 for i in range(n)]
    regrets = [np.zeros((m, m)) for m in shape]  # cumulative: D_i(j, k) times t
    joint = np.zeros(shape)
    counts = [np.zeros(m) for m in shape]
    plays = np.zeros((steps, n), dtype=np.int64)
    action = [int(gen.choice(m, p=x)) for m, x in zip(shape, first)]
    every = max(1, steps // max(1, records))
    times, traj = [0], [list(first)]
    draws = gen.random((steps, n))
    for t in range(steps):
        plays[t] = action
        joint[tuple(action)] += 1.0
        for i in range(n):
            counts[i][action[i]] += 1.0
            idx = list(action)
            idx[i] = slice(None)
            u = U[i][tuple(idx)]
            regrets[i][action[i]] += u - u[action[i]]
        nxt = []
        for i in range(n):
            j = action[i]
            p = np.maximum(regrets[i][j] / (t + 1), 0.0) / mus[i]
            p[j] = 0.0
            p[j] = max(0.0, 1.0 - p.sum())
            nxt.append(_draw(p, draws[t, i]))
        action = nxt
        if (t + 1) % every == 0 or t + 1 == steps:
            times.append(t + 1)
            traj.append([c / c.sum() for c in counts])
    joint /= joint.sum()
    violation = max_incentive_violation(game, joint)
    scale = max(1.0, float(np.abs(U).max()))
    res = DynamicsResult.build(
        game, "regret-matching", np.array(times), traj, equilibria=equilibria, tol=tol, seed=seed,
        populations="two" if n == 2 else str(n), parameters={"steps": steps, "mu": mus},
        details={
            "joint_distribution": joint,
            "max_incentive_violation": violation,
            "correlated_equilibrium": bool(violation <= tol * scale),
        },
        plays=plays,
    )
    return res


def max_incentive_violation(game: Any, distribution: Any) -> float:
    """The largest gain any player makes from a deviation j -> k under ``distribution`` (0 at a CE).

    Computed with :func:`gametheory.solvers.correlated.incentive_slacks`.
    """
    from ..solvers.correlated import incentive_slacks

    return max(0.0, max(-float(s) for *_, s in incentive_slacks(game, distribution)))
