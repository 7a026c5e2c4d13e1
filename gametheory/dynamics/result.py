"""What the dynamics return: :class:`DynamicsResult`, a trajectory and where it ends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._common import DEFAULT_TOL, distance, equilibrium_text, in_component, max_regret, nash_solution, nearest

OUTCOMES = ("equilibrium", "cycle", "rest-point", "did-not-settle")
OUTCOME_TEXT = {"did-not-settle": "did not settle"}
# rules whose rest points are all Nash equilibria: a still point elsewhere is not settled, it is slow
NASH_REST_RULES = ("best-response", "fictitious-play")
REST_RATE = 1e-6  # growth rates below this times the payoff range count as zero (replicator rest points)


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
            verified Nash equilibrium, or, for the replicator dynamics,
            provably inside the region a strict equilibrium attracts),
            ``"cycle"`` (positive evidence that the run keeps going round:
            a conserved quantity, a sustained oscillation of the shares, or
            play repeating a fixed sequence of profiles), ``"rest-point"``
            (it has stopped somewhere that is not a Nash equilibrium, e.g. a
            quantal response equilibrium of the logit rules, or a non-Nash
            vertex of the replicator dynamics reached from a start on the
            boundary), or ``"did-not-settle"`` (none of these by the end of
            the run, or the run reached its cap on solver steps).
        evidence: why the outcome was chosen, in words.
        equilibrium: the index into ``equilibria`` of the nearest verified
            Nash equilibrium, and ``distance`` its distance from the end point.
        equilibria: the verified Nash equilibria (float profiles) compared with.
        components: in a degenerate game, the connected sets of equilibria
            (lists of indices of their extreme points), else None;
            ``component`` is the one the end point lies in, when it is
            approached at a point that is not one of the extreme points.
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
    evidence: str = ""
    components: Any = None
    component: int | None = None
    analysis: Any = field(default=None, repr=False, compare=False)  # (times, states) of every solver step

    @classmethod
    def build(cls, game: Any, rule: str, times: Any, trajectory: list, *, equilibria: Any = None,
              **kwargs: Any) -> "DynamicsResult":
        """Make a result and classify where the trajectory ends."""
        res = cls(game=game, rule=rule, times=times, trajectory=trajectory, **kwargs)
        if equilibria is None:
            equilibria, res.components = nash_solution(game)
        res.equilibria = list(equilibria)
        res.classify()
        return res

    @property
    def start(self) -> list:
        return self.trajectory[0]

    @property
    def end(self) -> list:
        return self.trajectory[-1]

    @property
    def one_population(self) -> bool:
        return self.populations == "one"

    def _pure_text(self, code: Any) -> str:
        names = [self.game.strategies[i][a] for i, a in enumerate(code)]
        return names[0] if self.one_population else "(" + ", ".join(names) + ")"

    def _still_moving(self) -> str:
        learning = self.rule in ("fictitious-play", "stochastic-fictitious-play", "regret-matching")
        end = self.times[-1] if len(self.times) else 0
        when = f"by round {int(end)}" if learning else f"by t = {float(end):.4g}"
        return f"{when}: still moving by {self.movement:.3g} over the last half"

    def classify(self, movement: float | None = None) -> None:
        """Set ``outcome``, ``evidence``, ``equilibrium``, ``distance`` and ``movement`` from the trajectory.

        In order: within ``tol`` of a verified equilibrium; (replicator)
        inside the attracting region of a strict equilibrium; a cycle with
        evidence (conserved quantity, sustained oscillation, recurring
        play); a rest point (the last half moves by at most ``tol`` and, for
        the replicator, no strategy present is still growing; never for
        best response and fictitious play, whose rest points are all Nash
        equilibria); otherwise ``did-not-settle``.
        """
        import numpy as np

        from . import _evidence as ev

        self.equilibrium, self.distance = nearest(self.end, self.equilibria)
        self.component = None
        if movement is None:
            tail = self.trajectory[len(self.trajectory) // 2:]
            flat_end = np.concatenate([np.asarray(x, dtype=float) for x in self.end])
            movement = max((float(np.abs(np.concatenate([np.asarray(x, dtype=float) for x in s]) - flat_end).max())
                            for s in tail), default=0.0)
        self.movement = float(movement)
        solver = self.details.get("solver") or {}
        capped = bool(solver.get("capped"))
        if self.distance <= self.tol:
            self.outcome, self.evidence = "equilibrium", f"the end point is within {self.tol:g} of it"
            return
        replicator = self.rule == "replicator"
        U = np.asarray(self.game.payoff_array, dtype=float)
        for c, members in enumerate(self.components or []):
            if self.movement > self.tol or len(members) < 2 or \
                    not in_component(self.end, self.equilibria, members, self.tol):
                continue
            spreads = [float(U[i].max() - U[i].min()) for i in range(U.shape[0])]
            if all(r <= self.tol * max(s, 1e-12) for r, s in zip(max_regret(U, self.end), spreads)):
                k = min(members, key=lambda m: distance(self.end, self.equilibria[m]))
                self.equilibrium, self.distance, self.component = k, distance(self.end, self.equilibria[k]), c
                self.outcome = "equilibrium"
                self.evidence = (f"the run has settled (the last half moves by {self.movement:.3g}) in the component "
                                 f"of equilibria {', '.join(str(m) for m in members)} (mixtures of them are "
                                 f"equilibria), where no strategy gains more than {self.tol:g} of the payoff range")
                return
        if replicator:
            found = ev.strict_attractor(U, self.end, self.equilibria, self.one_population)
            if found is not None:
                k, _margin = found
                self.equilibrium, self.distance = k, distance(self.end, self.equilibria[k])
                self.outcome = "equilibrium"
                self.evidence = ("it is strict, and the end point is inside the region it provably attracts, "
                                 "where every other strategy earns less and keeps earning less")
                return
        times, states = self.analysis if self.analysis is not None else (self.times, self.trajectory)
        moving = self.movement > self.tol
        if replicator and moving:
            found = ev.conserved_quantity(states[len(states) // 2:], self.equilibria, self.one_population)
            if found is not None:
                k, variation = found
                eq = equilibrium_text(self.game, self.equilibria[k])
                self.outcome = "cycle"
                self.evidence = (f"a closed orbit around equilibrium {k} {eq} (sum x*_a log x_a is conserved "
                                 f"to {max(variation, 1e-16):.1g}; the shares still move by {self.movement:.3g} "
                                 "over the last half)")
                return
        names = [s if self.one_population else f"{p}: {s}"
                 for p, ss in zip(self.game.players[:1] if self.one_population else self.game.players,
                                  self.game.strategies) for s in ss]
        osc = ev.oscillation(times, states, self.one_population, self.tol, names) if moving else None
        if osc is not None and not osc["damped"]:
            trend = ", and the swings grow" if osc["growing"] else ""
            self.outcome = "cycle"
            self.evidence = (f"the share of {osc['share']} keeps oscillating: {osc['turns']} turns in the last half, "
                             f"the last swing {osc['swing']:.3g}{trend}")
            return
        visits = ev.vertex_recurrence(times, states, self.one_population) \
            if moving and self.rule in ("replicator", "best-response", "logit") else None
        if visits is not None:
            cycle = " -> ".join(self._pure_text(code) for code in visits["profiles"])
            stays = visits["stays"]
            longer = ", staying longer each time round" if len(stays) > len(visits["profiles"]) and \
                all(b > a for a, b in zip(stays[:-len(visits['profiles']) - 1],
                                          stays[len(visits['profiles']):-1])) else ""
            self.outcome = "cycle"
            self.evidence = (f"the shares pass near the pure profiles {cycle} in turn and come back "
                             f"({visits['visits']} visits in that order{longer}): a cycle along the boundary")
            return
        recurrence = ev.play_recurrence(self.plays) if moving and self.rule == "fictitious-play" else None
        if recurrence is not None:
            period, repeats = recurrence
            self.outcome = "cycle"
            self.evidence = (f"play runs through the same {period} profiles in the same order ({repeats} times at "
                             f"the end), while the frequencies still move by {self.movement:.3g} over the last half")
            return
        if not moving and not capped and self.rule not in NASH_REST_RULES:
            growing = []
            if replicator:  # a strategy present at the start stays present (its share may underflow to 0)
                scale = REST_RATE * float(U.max() - U.min() or 1.0)
                for i, (x, g) in enumerate(zip(ev.populations(self.start, self.one_population),
                                               ev.growth_rates(U, self.end, self.one_population))):
                    growing += [(i, a) for a in range(len(x)) if x[a] > 0 and g[a] > scale]
            if not growing:
                self.outcome = "rest-point"
                self.evidence = f"the last half moves by {self.movement:.3g} at most"
                return
            i, a = growing[0]
            who = self.game.strategies[i][a] if self.one_population else \
                f"{self.game.players[i]}: {self.game.strategies[i][a]}"
            reason = f"near a rest point that is not a Nash equilibrium, which {who} (share {self.end[i][a]:.2g}) " \
                     "is still invading"
        elif capped:
            reason = (f"within {solver['max_steps']} solver steps (stopped at t = {solver['t_reached']:.4g} of "
                      f"{self.parameters.get('t_max', solver['t_reached']):.4g})")
        else:
            reason = self._still_moving()
        if osc is not None and osc["damped"]:
            reason += f", spiralling in (the share of {osc['share']} oscillates with shrinking swings)"
        self.outcome, self.evidence = "did-not-settle", reason

    def describe(self) -> str:
        """One line: where the trajectory ends."""
        text = self._describe()
        solver = self.details.get("solver") or {}
        if solver.get("capped") and self.outcome != "did-not-settle":
            text += (f" (the run stopped at its cap of {solver['max_steps']} solver steps, at t = "
                     f"{solver['t_reached']:.4g} of {self.parameters.get('t_max', solver['t_reached']):.4g})")
        return text

    def _describe(self) -> str:
        if self.outcome == "equilibrium" and self.component is not None:
            members = self.components[self.component]
            shown = [[round(float(q), 3) + 0.0 for q in x] for x in self.end]
            return (f"approaches {equilibrium_text(self.game, shown)}, a point of the component of equilibria "
                    f"{', '.join(str(m) for m in members)} (component {self.component + 1}: mixtures of them are "
                    "equilibria)")
        if self.outcome == "equilibrium":
            text = f"approaches equilibrium {self.equilibrium} {equilibrium_text(self.game, self.equilibria[self.equilibrium])}"
            if self.distance > self.tol:
                text += f" (distance {self.distance:.3g}; {self.evidence})"
            return text
        near = ""
        if self.equilibrium is not None:
            eq = equilibrium_text(self.game, self.equilibria[self.equilibrium])
            near = f" (nearest equilibrium {self.equilibrium} {eq} at distance {self.distance:.3g})"
        if self.outcome == "cycle":
            return f"cycles: {self.evidence}" + ("" if "around equilibrium" in self.evidence else near)
        if self.outcome == "did-not-settle":
            return f"did not settle {self.evidence}" + (f"; {near[2:-1]}" if near else "")
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
            "evidence": self.evidence,
            "component": None if self.component is None else {
                "index": self.component, "equilibria": list(self.components[self.component])},
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
