"""Basins of attraction: which equilibrium the dynamics reach from which starting points.

For a symmetric game with two or three strategies the starts are a regular
grid on the population simplex (one population); for any other 2x2 game, or
with ``populations="two"``, a grid on the unit square of the two
populations' shares of their first strategies.  With ``sample=N`` the starts
are instead N points drawn uniformly with ``seed``.  Each start is followed
with the chosen rule, and the share of starts ending at each verified Nash
equilibrium is reported.

In the one-population replicator dynamics of a symmetric 2x2 coordination
game such as the Stag Hunt (payoffs R, S, T, P), the interior rest point
``p* = (P - S) / ((R - T) + (P - S))`` divides the line: starts with a Stag
share above p* go to (Stag, Stag), those below to (Hare, Hare), so the basin
of Stag has size ``1 - p*``, smaller than a half exactly when (Hare, Hare)
is risk-dominant (Harsanyi & Selten 1988; Kandori, Mailath & Rob 1993).

References:
    Taylor, P. D. & Jonker, L. B. (1978). Evolutionarily stable strategies and
    game dynamics. Mathematical Biosciences 40: 145-156.
    Harsanyi, J. C. & Selten, R. (1988). A General Theory of Equilibrium
    Selection in Games. MIT Press.
    Kandori, M., Mailath, G. J. & Rob, R. (1993). Learning, mutation, and long
    run equilibria in games. Econometrica 61: 29-56.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from ..errors import GameError
from ._common import DEFAULT_TOL, equilibrium_text, nash_profiles, one_population, rng
from .result import DynamicsResult

BASIN_RULES = ("replicator", "best-response", "logit")


@dataclass
class BasinsResult:
    """The share of starting points from which a rule reaches each equilibrium.

    Attributes:
        game: the game.
        rule: the dynamic used.
        populations: ``"one"`` (simplex of one population) or ``"two"`` (unit square).
        starts: the starting profiles (one probability array per player).
        labels: for each start, the index of the equilibrium reached, or
            ``"cycle"`` / ``"rest-point"``.
        equilibria: the verified Nash equilibria (float profiles).
        shares: ``{label: share of starts}`` (labels as in ``labels``).
    """

    game: Any
    rule: str
    populations: str
    starts: list
    labels: list
    equilibria: list
    parameters: dict = field(default_factory=dict)

    @property
    def shares(self) -> dict:
        out: dict[Any, float] = {}
        for k in range(len(self.equilibria)):
            out[k] = 0.0
        for lab in self.labels:
            out[lab] = out.get(lab, 0.0) + 1.0 / len(self.labels)
        return out

    def share(self, equilibrium: int) -> float:
        """The share of starts that reach equilibrium ``equilibrium``."""
        return self.shares.get(equilibrium, 0.0)

    def label_text(self, label: Any) -> str:
        """``(Stag, Stag)``, ``mixed (...)``, ``cycle`` or ``rest-point``."""
        return equilibrium_text(self.game, self.equilibria[label]) if isinstance(label, int) else str(label)

    def to_dict(self) -> dict:
        g = self.game
        return {
            "game": g.title,
            "rule": self.rule,
            "populations": self.populations,
            "parameters": dict(self.parameters),
            "starts": len(self.starts),
            "basins": [
                {"equilibrium": lab if isinstance(lab, int) else None, "outcome": lab if not isinstance(lab, int) else
                 "equilibrium", "label": self.label_text(lab), "share": share,
                 **({"profile": {p: {s: float(q) for s, q in zip(ss, x)}
                                 for p, ss, x in zip(g.players, g.strategies, self.equilibria[lab])}}
                    if isinstance(lab, int) else {})}
                for lab, share in self.shares.items()
            ],
        }

    def __repr__(self) -> str:
        parts = ", ".join(f"{self.label_text(k)}: {v:.3f}" for k, v in self.shares.items())
        return f"<BasinsResult {self.rule}, {len(self.starts)} starts: {parts}>"


def _grid(game: Any, one: bool, points: int) -> list:
    import numpy as np

    if one:
        n = game.shape[0]
        if n == 2:
            return [[np.array([p, 1 - p])] * 2 for p in (np.arange(points) + 0.5) / points]
        out = []
        for i in range(points):
            for j in range(points - i):
                x = np.array([i + 1 / 3, j + 1 / 3, points - i - j - 2 / 3]) / points
                if x.min() > 0:
                    out.append([x] * 2)
        return out
    ps = (np.arange(points) + 0.5) / points
    return [[np.array([p, 1 - p]), np.array([q, 1 - q])] for p in ps for q in ps]


def _sample(game: Any, one: bool, count: int, seed: Any) -> list:
    gen = rng(seed)
    if one:
        return [[x, x] for x in (gen.dirichlet([1.0] * game.shape[0]) for _ in range(count))]
    return [[gen.dirichlet([1.0] * n) for n in game.shape] for _ in range(count)]


def _batch_flow(game: Any, rule: str, one: bool, starts: list, t_max: float, noise: float,
                dt: float = 0.02, records: int = 20) -> tuple[Any, list]:
    """Follow every start at once: classical RK4 steps of ``dt`` (Euler for best response), vectorised.

    Returns the record times and, at each, the list of per-player arrays of
    shape ``(starts, n_i)``.
    """
    import numpy as np

    A, B = np.asarray(game.payoff_array, dtype=float)

    def choice(u: Any) -> Any:
        if rule == "logit":
            e = np.exp(noise * (u - u.max(axis=1, keepdims=True)))
            return e / e.sum(axis=1, keepdims=True)
        top = u >= u.max(axis=1, keepdims=True) - 1e-12 * max(1.0, float(np.abs(u).max()))
        return top / top.sum(axis=1, keepdims=True)

    def field(state: list) -> list:
        if one:
            (x,) = state
            u = x @ A.T
            if rule == "replicator":
                return [x * (u - np.sum(x * u, axis=1, keepdims=True))]
            return [choice(u) - x]
        x, y = state
        ux, uy = y @ A.T, x @ B
        if rule == "replicator":
            return [x * (ux - np.sum(x * ux, axis=1, keepdims=True)), y * (uy - np.sum(y * uy, axis=1, keepdims=True))]
        return [choice(ux) - x, choice(uy) - y]

    state = [np.array([s[0] for s in starts])] if one else [np.array([s[i] for s in starts]) for i in range(2)]
    n_steps = int(np.ceil(t_max / dt))
    every = max(1, n_steps // records)
    times, states = [0.0], [[x.copy() for x in state]]
    for step in range(1, n_steps + 1):
        if rule == "best-response":
            state = [x + dt * d for x, d in zip(state, field(state))]
        else:
            k1 = field(state)
            k2 = field([x + dt / 2 * d for x, d in zip(state, k1)])
            k3 = field([x + dt / 2 * d for x, d in zip(state, k2)])
            k4 = field([x + dt * d for x, d in zip(state, k3)])
            state = [x + dt / 6 * (a + 2 * b + 2 * c + d) for x, a, b, c, d in zip(state, k1, k2, k3, k4)]
        state = [np.clip(x, 0.0, None) / np.clip(x, 0.0, None).sum(axis=1, keepdims=True) for x in state]
        if step % every == 0 or step == n_steps:
            times.append(step * dt)
            states.append([x.copy() for x in state])
    if one:
        states = [[s[0], s[0]] for s in states]
    return np.array(times), states


def basins(
    game: Any,
    rule: str = "replicator",
    *,
    points: int | None = None,
    sample: int | None = None,
    seed: Any = None,
    populations: str = "auto",
    t_max: float = 60.0,
    noise: float = 10.0,
    tol: float = DEFAULT_TOL,
    equilibria: Any = None,
) -> BasinsResult:
    """The basins of attraction of ``rule`` in a 2x2 game or a symmetric game with 3 strategies.

    Args:
        game: a two-player game, 2x2 or symmetric with two or three strategies.
        rule: ``"replicator"``, ``"best-response"`` or ``"logit"``.
        points: grid resolution: ``points`` starts on the line (symmetric
            2x2, one population), ``points**2`` on the unit square, about
            ``points**2 / 2`` on the simplex (defaults 200, 21, 24).
        sample: instead of a grid, this many uniformly random starts drawn with ``seed``.
        populations: ``"auto"``, ``"one"`` or ``"two"`` (as for :func:`replicator`).
        t_max: how long each start is followed.
        tol: distance within which an end point counts as reaching an equilibrium.
    """
    if rule not in BASIN_RULES:
        raise GameError(f"basins need a deterministic flow: one of {', '.join(BASIN_RULES)}, not {rule!r}")
    if game.n_players != 2:
        raise GameError("basins of attraction are drawn for two-player games")
    one = one_population(game, populations)
    if one and game.shape[0] not in (2, 3):
        raise GameError("basins in one population need a symmetric game with 2 or 3 strategies")
    if not one and tuple(game.shape) != (2, 2):
        raise GameError("basins for two populations need a 2x2 game (or a symmetric game with --populations one)")
    if sample is not None:
        if sample < 1:
            raise GameError("sample must be at least 1")
        starts = _sample(game, one, sample, seed)
    else:
        default = 200 if one and game.shape[0] == 2 else 24 if one else 21
        starts = _grid(game, one, int(points or default))
    eqs = list(nash_profiles(game) if equilibria is None else equilibria)
    times, states = _batch_flow(game, rule, one, starts, t_max, noise)
    labels = []
    for k in range(len(starts)):
        traj = [[x[k] for x in state] for state in states]
        res = DynamicsResult(game=game, rule=rule, times=times, trajectory=traj, populations="", tol=tol,
                             equilibria=eqs)
        res.classify()
        labels.append(res.equilibrium if res.outcome == "equilibrium" else res.outcome)
    return BasinsResult(game=game, rule=rule, populations="one" if one else "two", starts=starts, labels=labels,
                        equilibria=eqs, parameters={"t_max": t_max, "points": points, "sample": sample,
                                                    "seed": seed})


def basins_sweep(game: Any, parameter: str, values: Sequence[Any], rule: str = "replicator",
                 **kwargs: Any) -> list[tuple[Any, BasinsResult]]:
    """Basins at each value of one parameter (``game.with_parameters``): how the shares move with it."""
    return [(v, basins(game.with_parameters({parameter: v}), rule, **kwargs)) for v in values]
