"""What the dynamics return: :class:`DynamicsResult`, a trajectory and where it ends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._common import DEFAULT_TOL, distance, equilibrium_text, nash_profiles, nearest

OUTCOMES = ("equilibrium", "cycle", "rest-point")


@dataclass
class DynamicsResult:
    """One run of a dynamic or learning rule.

    Attributes:
        game: the game.
        rule: ``"replicator"``, ``"best-response"``, ``"logit"``,
            ``"fictitious-play"``, ``"stochastic-fictitious-play"`` or
            ``"regret-matching"``.
        times: the time (ODE rules) or round (learning rules) of each recorded state.
        trajectory: one list of per-player probability arrays per recorded
            state: population shares for the evolutionary rules, empirical
            frequencies of play for the learning rules.
        populations: ``"one"`` (a symmetric game played within one
            population) or ``"two"`` / ``"N"`` (one population per player).
        outcome: ``"equilibrium"`` (the end point is within ``tol`` of a
            verified Nash equilibrium), ``"cycle"`` (the last half of the
            trajectory still moves by more than ``tol``), or ``"rest-point"``
            (it has settled somewhere that is not a Nash equilibrium, e.g. a
            quantal response equilibrium of the logit rules, or a non-Nash
            vertex of the replicator dynamics).
        equilibrium: the index into ``equilibria`` of the nearest verified
            Nash equilibrium, and ``distance`` its distance from the end point.
        equilibria: the verified Nash equilibria (float profiles) compared with.
        seed: the seed used (None for deterministic runs from a given start).
        plays: for the learning rules, the pure profile played in each round
            (an int array of shape ``(rounds, N)``); None for the flows.
        details: rule-specific extras (``plays``, ``joint_distribution``, ...).
    """

    game: Any
    rule: str
    times: Any
    trajectory: list
    populations: str
    tol: float = DEFAULT_TOL
    seed: Any = None
    parameters: dict = field(default_factory=dict)
    details: dict = field(default_factory=dict)
    plays: Any = None
    equilibria: list = field(default_factory=list)
    outcome: str = ""
    equilibrium: int | None = None
    distance: float = float("inf")
    movement: float = 0.0

    @classmethod
    def build(cls, game: Any, rule: str, times: Any, trajectory: list, *, equilibria: Any = None,
              **kwargs: Any) -> "DynamicsResult":
        """Make a result and classify where the trajectory ends."""
        res = cls(game=game, rule=rule, times=times, trajectory=trajectory, **kwargs)
        res.equilibria = list(nash_profiles(game) if equilibria is None else equilibria)
        res.classify()
        return res

    @property
    def start(self) -> list:
        return self.trajectory[0]

    @property
    def end(self) -> list:
        return self.trajectory[-1]

    def classify(self) -> None:
        """Set ``outcome``, ``equilibrium``, ``distance`` and ``movement`` from the trajectory."""
        self.equilibrium, self.distance = nearest(self.end, self.equilibria)
        tail = self.trajectory[len(self.trajectory) // 2:]
        self.movement = max((distance(s, self.end) for s in tail), default=0.0)
        if self.distance <= self.tol:
            self.outcome = "equilibrium"
        elif self.movement > self.tol:
            self.outcome = "cycle"
        else:
            self.outcome = "rest-point"

    def describe(self) -> str:
        """One line: where the trajectory ends."""
        if self.outcome == "equilibrium":
            return f"approaches equilibrium {self.equilibrium} {equilibrium_text(self.game, self.equilibria[self.equilibrium])}"
        near = ""
        if self.equilibrium is not None:
            eq = equilibrium_text(self.game, self.equilibria[self.equilibrium])
            near = f" (nearest equilibrium {self.equilibrium} {eq} at distance {self.distance:.3g})"
        if self.outcome == "cycle":
            return f"cycles: still moving by {self.movement:.3g} over the last half{near}"
        return f"settles at a rest point that is not a Nash equilibrium{near}"

    def profile_dict(self, profile: Any) -> dict:
        game = self.game
        return {p: {s: float(q) for s, q in zip(ss, x)} for p, ss, x in zip(game.players, game.strategies, profile)}

    def to_dict(self) -> dict:
        """The JSON of ``gametheory dynamics --format json``."""
        game = self.game
        out: dict[str, Any] = {
            "game": game.title,
            "rule": self.rule,
            "populations": self.populations,
            "parameters": dict(self.parameters),
            "seed": self.seed,
            "start": self.profile_dict(self.start),
            "end": self.profile_dict(self.end),
            "outcome": self.outcome,
            "equilibrium": None,
            "distance": _finite(self.distance),
            "movement": self.movement,
            "tolerance": self.tol,
            "equilibria": [self.profile_dict(e) for e in self.equilibria],
            "trajectory": [
                {"t": float(t), **self.profile_dict(s)} for t, s in zip(self.times, self.trajectory)
            ],
        }
        if self.equilibrium is not None:
            out["equilibrium"] = {"index": self.equilibrium, "profile": self.profile_dict(self.equilibria[self.equilibrium])}
        for key, value in self.details.items():
            out[key] = _jsonable(value)
        return out

    def rows(self) -> list[list[Any]]:
        """The trajectory as CSV rows: ``t`` then one column per player and strategy."""
        game = self.game
        head = ["t"] + [f"{p}:{s}" for p, ss in zip(game.players, game.strategies) for s in ss]
        body = [[float(t)] + [float(q) for x in s for q in x] for t, s in zip(self.times, self.trajectory)]
        return [head] + body

    def __repr__(self) -> str:
        return f"<DynamicsResult {self.rule}, {len(self.trajectory)} states: {self.describe()}>"


def _finite(x: float) -> float | None:
    import math

    return x if math.isfinite(x) else None


def _jsonable(value: Any) -> Any:
    import numpy as np

    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
