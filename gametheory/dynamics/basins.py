"""Basins of attraction: which equilibrium the dynamics reach from which starting points.

For a symmetric game with two or three strategies the starts are a regular
grid on the population simplex (one population); for any other 2x2 game, or
with ``populations="two"``, a grid on the unit square of the two
populations' shares of their first strategies (``points`` by ``points + 1``
cell centres: symmetric about the centre, but with no start on either
diagonal, where the separatrix of a game symmetric under exchanging
strategies runs).  With ``sample=N`` the starts
are instead N points drawn uniformly with ``seed``.  Each start is followed
with the chosen rule, and the share of starts ending at each verified Nash
equilibrium is reported.

In the one-population replicator dynamics of a symmetric 2x2 coordination
game such as the Stag Hunt (payoffs R, S, T, P), the interior rest point
``p* = (P - S) / ((R - T) + (P - S))`` divides the line: starts with a Stag
share above p* go to (Stag, Stag), those below to (Hare, Hare), so the basin
of Stag has size ``1 - p*``, smaller than a half exactly when (Hare, Hare)
is risk-dominant (Harsanyi & Selten 1988; Kandori, Mailath & Rob 1993).

:func:`basins_sweep` follows the shares along a grid of one parameter with
the sweep machinery (:mod:`gametheory.sensitivity.grid` for the exact grid
points, :mod:`gametheory.sensitivity.backends` to run them in this process,
in worker processes or on a Dask cluster).  In the Stag Hunt the share of
(Stag, Stag) crosses one half exactly where risk dominance switches,
``R - T = P - S``: there the game is symmetric under exchanging Stag and
Hare, and so are the flows.

References:
    Taylor, P. D. & Jonker, L. B. (1978). Evolutionarily stable strategies and
    game dynamics. Mathematical Biosciences 40: 145-156.
    Harsanyi, J. C. & Selten, R. (1988). A General Theory of Equilibrium
    Selection in Games. MIT Press.
    Kandori, M., Mailath, G. J. & Rob, R. (1993). Learning, mutation, and long
    run equilibria in games. Econometrica 61: 29-56.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable

from ..errors import GameError
from ._common import DEFAULT_TOL, equilibrium_text, nash_solution, one_population, rng
from .result import OUTCOME_TEXT, DynamicsResult

BASIN_RULES = ("replicator", "best-response", "logit")
BEST_RESPONSE_TOL = 0.02
BEST_RESPONSE_DT = 0.02  # Euler step of best response with three strategies
BASIN_MAX_STEPS = 24_000  # cap on the (vectorised) steps any start of a basins computation is followed


@dataclass
class BasinsResult:
    """The share of starting points from which a rule reaches each equilibrium.

    Attributes:
        game: the game.
        rule: the dynamic used.
        populations: ``"one"`` (simplex of one population) or ``"two"`` (unit square).
        starts: the starting profiles (one probability array per player).
        labels: for each start, the index of the equilibrium reached,
            ``"component C"`` (a degenerate game: a point of the C-th
            connected set of equilibria, numbered from 1, that is not one of
            its extreme points), or ``"cycle"`` / ``"rest-point"`` /
            ``"did-not-settle"`` (see :class:`~gametheory.dynamics.DynamicsResult`).
        equilibria: the verified Nash equilibria (float profiles).
        components: the connected sets of equilibria (lists of indices), or None.
        shares: ``{label: share of starts}`` (labels as in ``labels``).
    """

    game: Any
    rule: str
    populations: str
    starts: list
    labels: list
    equilibria: list
    parameters: dict = field(default_factory=dict)
    components: Any = None

    @property
    def shares(self) -> dict:
        counts: dict[Any, int] = {k: 0 for k in range(len(self.equilibria))}
        for lab in self.labels:
            counts[lab] = counts.get(lab, 0) + 1
        return {lab: count / len(self.labels) for lab, count in counts.items()}

    def share(self, equilibrium: int) -> float:
        """The share of starts that reach equilibrium ``equilibrium``."""
        return self.shares.get(equilibrium, 0.0)

    def label_text(self, label: Any) -> str:
        """``(Stag, Stag)``, ``mixed (...)``, ``component 2: ... and mixtures``, ``cycle``, ``rest-point`` or
        ``did not settle``."""
        if isinstance(label, int):
            return equilibrium_text(self.game, self.equilibria[label])
        members = self._members(label)
        if members is not None:
            return f"{label}: {', '.join(equilibrium_text(self.game, self.equilibria[m]) for m in members)} and mixtures"
        return OUTCOME_TEXT.get(label, str(label))

    def _members(self, label: Any) -> list | None:
        """The equilibria of a ``"component C"`` label, else None."""
        if isinstance(label, str) and label.startswith("component ") and self.components:
            return list(self.components[int(label.split()[1]) - 1])
        return None

    def outcome_key(self, label: Any) -> str:
        """A name for an outcome that stays the same as parameters move: ``(Stag, Stag)``,
        ``mixed (Stag/Hare, Stag/Hare)`` (the supports), ``cycle`` or ``rest-point``."""
        members = self._members(label)
        if members is not None:
            supports = ["/".join(s for a, s in enumerate(ss) if any(self.equilibria[m][i][a] > 1e-9 for m in members))
                        for i, ss in enumerate(self.game.strategies)]
            return "component (" + ", ".join(supports) + ")"
        if not isinstance(label, int):
            return str(label)
        eq = self.equilibria[label]
        supports = ["/".join(s for s, q in zip(ss, x) if q > 1e-9) for ss, x in zip(self.game.strategies, eq)]
        if all(max(x) > 1 - 1e-9 for x in eq):
            return "(" + ", ".join(supports) + ")"
        return "mixed (" + ", ".join(supports) + ")"

    def to_dict(self) -> dict:
        g = self.game
        return {
            "game": g.title,
            "rule": self.rule,
            "populations": self.populations,
            "parameters": dict(self.parameters),
            "starts": len(self.starts),
            "basins": [
                {"equilibrium": lab if isinstance(lab, int) else None,
                 "outcome": "equilibrium" if isinstance(lab, int) else
                 "component" if self._members(lab) is not None else lab,
                 "label": self.label_text(lab), "key": self.outcome_key(lab), "share": share,
                 **({"profile": {p: {s: float(q) for s, q in zip(ss, x)}
                                 for p, ss, x in zip(g.players, g.strategies, self.equilibria[lab])}}
                    if isinstance(lab, int) else {}),
                 **({"component": self._members(lab)} if self._members(lab) is not None else {})}
                for lab, share in self.shares.items()
            ],
        }

    def __repr__(self) -> str:
        parts = ", ".join(f"{self.label_text(k)}: {v:.3f}" for k, v in self.shares.items())
        return f"<BasinsResult {self.rule}, {len(self.starts)} starts: {parts}>"

    def _repr_html_(self) -> str:
        """Jupyter: one row per outcome, with its share of the starting points."""
        import html

        rows = "".join(
            f"<tr><td>{html.escape(self.label_text(k))}</td><td style='text-align:right'>{v:.3f}</td></tr>"
            for k, v in self.shares.items()
        )
        caption = html.escape(f"{self.game.title or 'game'}: basins of {self.rule} dynamics "
                              f"({len(self.starts)} starts, {self.populations} population"
                              f"{'s' if self.populations == 'two' else ''})")
        return f"<table><caption>{caption}</caption><tr><th>ends at</th><th>share</th></tr>{rows}</table>"


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
    # points x (points + 1) cell centres: both axes symmetric about 1/2 but sharing no value, so no
    # start lies on the diagonals x = y or x + y = 1 (where a symmetric game's separatrix can run)
    ps = (np.arange(points) + 0.5) / points
    qs = (np.arange(points + 1) + 0.5) / (points + 1)
    return [[np.array([p, 1 - p]), np.array([q, 1 - q])] for p in ps for q in qs]


def _sample(game: Any, one: bool, count: int, seed: Any) -> list:
    gen = rng(seed)
    if one:
        return [[x, x] for x in (gen.dirichlet([1.0] * game.shape[0]) for _ in range(count))]
    return [[gen.dirichlet([1.0] * n) for n in game.shape] for _ in range(count)]


def _step_size(game: Any, rule: str, noise: float) -> float:
    """The default step: 0.02 for best response, else ``min(0.05, 0.5 / L)`` (``L`` the payoff range, times
    lambda for the logit rule): time measured in units of the payoff range, well inside RK4's stability region."""
    import numpy as np

    A, B = np.asarray(game.payoff_array, dtype=float)
    spread = max(1e-12, float(max(A.max() - A.min(), B.max() - B.min())))
    rate = spread * (noise if rule == "logit" else 1.0)
    return BEST_RESPONSE_DT if rule == "best-response" else min(0.05, 0.5 / rate)


def _batch_flow(game: Any, rule: str, one: bool, starts: list | None, t_max: float, noise: float,
                dt: float | None = None, records: int = 200, max_steps: int = BASIN_MAX_STEPS,
                state0: list | None = None, t0: float = 0.0) -> tuple[Any, list, dict, list]:
    """Follow every start at once: classical RK4 steps of ``dt`` (Euler for best response), vectorised.

    The replicator flow is followed in log coordinates (``d log x_a / dt =
    u_a - u``, shares the softmax of the log-shares; see
    :mod:`gametheory.dynamics._flow`), so every state is on the simplex and
    shares decaying towards 0 keep their relative accuracy; the other flows
    in shares, clipped and renormalised after each step.  The default
    ``dt`` is 0.02 for best response, else ``min(0.05, 0.5 / L)`` with ``L``
    the payoff range (times lambda for the logit rule): time is measured in
    units of the payoff range, well inside RK4's stability region.  At most
    ``max_steps`` steps are taken.

    ``state0`` (the internal state returned by an earlier call) continues
    from where that call stopped, at time ``t0``.

    Returns the record times, at each the list of per-player arrays of
    shape ``(starts, n_i)``, the solver information (steps, cap, time
    reached) and the final internal state.
    """
    import numpy as np

    A, B = np.asarray(game.payoff_array, dtype=float)
    if dt is None:
        dt = _step_size(game, rule, noise)

    def choice(u: Any) -> Any:
        if rule == "logit":
            e = np.exp(noise * (u - u.max(axis=1, keepdims=True)))
            return e / e.sum(axis=1, keepdims=True)
        top = u >= u.max(axis=1, keepdims=True) - 1e-12 * max(1.0, float(np.abs(u).max()))
        return top / top.sum(axis=1, keepdims=True)

    def shares(state: list) -> list:
        if rule != "replicator":
            return state
        out = []
        for y in state:  # y stays normalised (log-sum-exp 0, up to the integration error): no overflow
            e = np.exp(y)
            out.append(e / e.sum(axis=1, keepdims=True))
        return out

    def field(state: list) -> list:
        xs = shares(state)
        if one:
            (x,) = xs
            us = [x @ A.T]
        else:
            x, y = xs
            us = [y @ A.T, x @ B]
        if rule == "replicator":  # growth rates: the velocity of the log-shares
            return [u - np.sum(x * u, axis=1, keepdims=True) for x, u in zip(xs, us)]
        return [choice(u) - x for x, u in zip(xs, us)]

    if state0 is not None:
        state = [x.copy() for x in state0]
    else:
        raw = [np.array([s[0] for s in starts], dtype=float)] if one else \
            [np.array([s[i] for s in starts], dtype=float) for i in range(2)]
        if rule == "replicator":
            with np.errstate(divide="ignore"):  # a share of exactly 0 stays 0 (log-share -inf)
                state = [np.log(x) for x in raw]
        else:
            state = raw
    n_steps = int(np.ceil(t_max / dt))
    capped = n_steps > max_steps
    n_steps = min(n_steps, max_steps)
    every = max(1, n_steps // records)
    times, states = [t0], [[x.copy() for x in shares(state)]]
    for step in range(1, n_steps + 1):
        if rule == "best-response":
            state = [x + dt * d for x, d in zip(state, field(state))]
        else:
            k1 = field(state)
            k2 = field([x + dt / 2 * d for x, d in zip(state, k1)])
            k3 = field([x + dt / 2 * d for x, d in zip(state, k2)])
            k4 = field([x + dt * d for x, d in zip(state, k3)])
            state = [x + dt / 6 * (a + 2 * b + 2 * c + d) for x, a, b, c, d in zip(state, k1, k2, k3, k4)]
        if rule != "replicator":
            state = [np.clip(x, 0.0, None) / np.clip(x, 0.0, None).sum(axis=1, keepdims=True) for x in state]
        if step % every == 0 or step == n_steps:
            times.append(t0 + step * dt)
            states.append([x.copy() for x in shares(state)])
    if one:
        states = [[s[0], s[0]] for s in states]
    info = {"steps": n_steps, "max_steps": max_steps, "capped": capped, "t_reached": t0 + n_steps * dt, "dt": dt}
    return np.array(times), states, info, state


def _best_response_2x2(game: Any, one: bool, starts: list, t_max: float, records: int = 20,
                       max_events: int = 200) -> tuple[Any, list]:
    """Best-response dynamics in a 2x2 game, solved exactly from switch to switch.

    While the best responses stay the same, each population moves straight
    to its target: ``x(t) = b + (x0 - b) e^(-t)``, both with the same factor.
    A best response switches when the other population crosses its
    indifference share, a time found in closed form; so no start is
    misclassified by the chatter of a time-stepped solution near a
    separatrix.  A population that reaches the share that makes the other
    indifferent stops there (one population: the mixed equilibrium).
    Ties are split evenly, as in :func:`gametheory.dynamics.best_response_dynamics`.
    """
    import numpy as np

    A, B = np.asarray(game.payoff_array, dtype=float)
    # player 1 prefers its first strategy by d1(y) = a1 y + c1; player 2 by d2(x) = a2 x + c2
    a1, c1 = (A[0, 0] - A[1, 0]) - (A[0, 1] - A[1, 1]), A[0, 1] - A[1, 1]
    a2, c2 = (B[0, 0] - B[0, 1]) - (B[1, 0] - B[1, 1]), B[1, 0] - B[1, 1]
    scale = 1e-12 * max(1.0, float(np.abs(A).max()), float(np.abs(B).max()))

    def target(a: float, c: float, other: float, heading: float | None) -> float | None:
        d = a * other + c
        if abs(d) <= scale and heading is not None:  # on the line: the side it is moving to decides
            d = a * heading + c
        if abs(d) <= scale:
            return None
        return 1.0 if d > 0 else 0.0

    def crossing(a: float, c: float, v: float, b: float) -> float | None:
        """The factor tau < 1 at which v -> b crosses the indifference share -c/a, if it does."""
        if a == 0 or b == v or abs(a * v + c) <= scale:
            return None
        tau = (-c / a - b) / (v - b)
        return tau if 0 < tau < 1 else None

    times = np.linspace(0.0, float(t_max), records + 1)
    xs = np.zeros((len(starts), records + 1))
    ys = np.zeros((len(starts), records + 1))
    for k, start in enumerate(starts):
        x, y = float(start[0][0]), float(start[1][0])
        t, segments, rests = 0.0, [], True
        for _ in range(max_events):
            if one:
                bx = by = target(a1, c1, x, None)
                if bx is None:  # at the mixed equilibrium
                    break
                events = [crossing(a1, c1, x, bx)]
            else:
                by0 = target(a2, c2, x, None)
                bx = target(a1, c1, y, by0)
                by = target(a2, c2, x, bx)
                if bx is None and by is None:  # both indifferent: the mixed equilibrium
                    break
                bx = x if bx is None else bx  # indifferent while the other stays put: no move
                by = y if by is None else by
                events = [crossing(a2, c2, x, bx), crossing(a1, c1, y, by)]
            segments.append((t, x, y, bx, by))
            if all(tau is None for tau in events):  # straight to the targets from here
                rests = False
                break
            tau = max(tau for tau in events if tau is not None)
            t += -math.log(tau)
            x, y = bx + (x - bx) * tau, by + (y - by) * tau
            if one:  # reached the indifference share (the mixed equilibrium): it stays
                x = y = -c1 / a1
                break
            if events[0] is not None and events[0] >= tau * (1 - 1e-12):
                x = -c2 / a2  # snap onto the line crossed
            if events[1] is not None and events[1] >= tau * (1 - 1e-12):
                y = -c1 / a1
            if t >= t_max:
                break
        if rests:  # at an equilibrium from here on (or beyond t_max)
            segments.append((t, x, y, x, y))
        for r, when in enumerate(times):
            t0, x0, y0, bx, by = next(seg for seg in reversed(segments) if seg[0] <= when)
            tau = math.exp(-(when - t0))
            xs[k, r], ys[k, r] = bx + (x0 - bx) * tau, by + (y0 - by) * tau
    states = []
    for r in range(records + 1):
        px = np.stack([xs[:, r], 1 - xs[:, r]], axis=1)
        py = px if one else np.stack([ys[:, r], 1 - ys[:, r]], axis=1)
        states.append([px, py])
    return times, states


def _one_population(game: Any, rule: str, populations: str) -> bool:
    """Check that ``basins`` can draw this game with this rule; whether it uses one population."""
    if rule not in BASIN_RULES:
        raise GameError(f"basins need a deterministic flow: one of {', '.join(BASIN_RULES)}, not {rule!r}")
    if game.n_players != 2:
        raise GameError("basins of attraction are drawn for two-player games")
    one = one_population(game, populations)
    if one and game.shape[0] not in (2, 3):
        raise GameError("basins in one population need a symmetric game with 2 or 3 strategies")
    if not one and tuple(game.shape) != (2, 2):
        raise GameError("basins for two populations need a 2x2 game (or a symmetric game with --populations one)")
    return one


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
    tol: float | None = None,
    equilibria: Any = None,
    max_steps: int = BASIN_MAX_STEPS,
) -> BasinsResult:
    """The basins of attraction of ``rule`` in a 2x2 game or a symmetric game with 3 strategies.

    Args:
        game: a two-player game, 2x2 or symmetric with two or three strategies.
        rule: ``"replicator"``, ``"best-response"`` or ``"logit"``.
        points: grid resolution: ``points`` starts on the line (symmetric
            2x2, one population), ``points * (points + 1)`` on the unit square
            (cell centres of two offset grids, so that no start lies on a
            diagonal), about
            ``points**2 / 2`` on the simplex (defaults 200, 21, 24).
        sample: instead of a grid, this many uniformly random starts drawn with ``seed``.
        populations: ``"auto"``, ``"one"`` or ``"two"`` (as for :func:`replicator`).
        t_max: how long each start is followed at first; a start that has
            not settled by then (neither within ``tol`` of an equilibrium, in
            a region a strict equilibrium provably attracts, nor cycling with
            evidence) is followed for another ``t_max`` at a time, until it
            settles or the steps reach ``max_steps``.
        tol: distance within which an end point counts as reaching an equilibrium
            (default 1e-3; for best response 0.02, as for
            :func:`~gametheory.dynamics.best_response_dynamics`, since near a
            mixed equilibrium it closes in by ever shorter switches, and 0.08
            with three strategies, whose Euler steps of 0.02 chatter there).
        max_steps: the cap on the (vectorised) Runge-Kutta or Euler steps
            of any start; starts that have not settled by then are labelled
            ``did-not-settle`` (``parameters`` records ``steps`` and
            ``t_reached``).

    Each start is labelled as :meth:`DynamicsResult.classify` labels a run:
    an equilibrium (within ``tol``, or inside the region a strict
    equilibrium provably attracts), a point of a component of equilibria, a
    cycle (with evidence), a rest point, or did-not-settle.
    """
    one = _one_population(game, rule, populations)
    if tol is None:
        tol = DEFAULT_TOL
        if rule == "best-response":  # Euler steps (three strategies) chatter by a few dt near a mixed equilibrium
            tol = BEST_RESPONSE_TOL if game.shape[0] == 2 else 4 * BEST_RESPONSE_DT
    if max_steps < 1:
        raise GameError("max_steps must be at least 1")
    if sample is not None:
        if sample < 1:
            raise GameError("sample must be at least 1")
        starts = _sample(game, one, sample, seed)
    else:
        default = 200 if one and game.shape[0] == 2 else 24 if one else 21
        starts = _grid(game, one, int(points or default))
    if equilibria is None:
        eqs, components = nash_solution(game)
    else:
        eqs, components = list(equilibria), None
    pops = "one" if one else "two"

    def label(times: Any, states: list, rows: Any, info: dict) -> list:
        """Classify the starts ``rows`` (indices into the arrays of ``states``) by their trajectories."""
        import numpy as np

        tail = np.array([np.concatenate(state, axis=1) for state in states[len(states) // 2:]])  # records x starts x D
        movement = np.abs(tail - tail[-1]).max(axis=(0, 2))
        out = []
        for k in rows:
            traj = [[x[k] for x in state] for state in states]
            res = DynamicsResult(game=game, rule=rule, times=times, trajectory=traj, populations=pops, tol=tol,
                                 equilibria=eqs, components=components, details={"solver": info},
                                 parameters={"t_max": float(times[-1])})
            res.classify(movement=float(movement[k]))
            if res.outcome == "equilibrium":
                out.append(res.equilibrium if res.component is None else f"component {res.component + 1}")
            else:
                out.append(res.outcome)
        return out

    t_reached = float(t_max)
    if rule == "best-response" and game.shape[0] == 2:
        times, states = _best_response_2x2(game, one, starts, t_max)
        labels = label(times, states, range(len(starts)), {})
        steps = 0
    else:
        # follow every start for t_max; then follow the ones that have not settled for another t_max at a time,
        # until they do or the cap on steps is reached (a basin is about where a start ends, not when)
        dt = _step_size(game, rule, noise)
        times, states, info, final = _batch_flow(game, rule, one, starts, t_max, noise, dt=dt, max_steps=max_steps)
        labels = label(times, states, range(len(starts)), info)
        steps, t_reached = info["steps"], info["t_reached"]
        pending = [k for k, lab in enumerate(labels) if lab == "did-not-settle"]
        while pending and steps < max_steps:
            chunk = min(info["steps"], max_steps - steps)
            times, states, sub, part = _batch_flow(game, rule, one, None, chunk * dt, noise, dt=dt, max_steps=chunk,
                                                   state0=[x[pending] for x in final], t0=t_reached)
            steps, t_reached = steps + sub["steps"], sub["t_reached"]
            capped = steps >= max_steps
            new = label(times, states, range(len(pending)),
                        {**sub, "steps": steps, "max_steps": max_steps, "capped": capped})
            for k, lab, row in zip(pending, new, range(len(pending))):
                labels[k] = lab
                for x, y in zip(final, part):
                    x[k] = y[row]
            pending = [k for k in pending if labels[k] == "did-not-settle"]
    return BasinsResult(game=game, rule=rule, populations="one" if one else "two", starts=starts, labels=labels,
                        equilibria=eqs, components=components,
                        parameters={"t_max": t_max, "points": points, "sample": sample, "seed": seed,
                                    "max_steps": max_steps, "steps": steps, "t_reached": t_reached})


@dataclass
class BasinsSweep:
    """Basins of attraction at each point of a one-parameter grid (:func:`basins_sweep`).

    Attributes:
        game: the game at the file's parameter values.
        rule: the dynamic used.
        axis: the :class:`gametheory.sensitivity.grid.Axis` varied.
        values: the exact grid values (Fractions).
        results: a :class:`BasinsResult` per grid value.

    ``keys()`` names the outcomes across the grid (``(Stag, Stag)``, ``mixed
    (Stag/Hare, Stag/Hare)``, ``cycle``, ``did-not-settle``, ...); ``shares(key)`` gives one
    share per grid value; ``crossings(key, level)`` where a share crosses a level.
    """

    game: Any
    rule: str
    axis: Any
    values: list
    results: list

    @property
    def parameter(self) -> str:
        return self.axis.name

    @property
    def populations(self) -> str:
        return self.results[0].populations if self.results else ""

    def keys(self) -> list[str]:
        """Every outcome reached anywhere on the grid, in order of first appearance."""
        out: dict[str, None] = {}
        for res in self.results:
            for lab in res.shares:
                out.setdefault(res.outcome_key(lab), None)
        return list(out)

    def shares(self, key: str) -> Any:
        """The share of starts reaching outcome ``key`` at each grid value (0 where it does not exist)."""
        import numpy as np

        return np.array([sum(v for lab, v in res.shares.items() if res.outcome_key(lab) == key)
                         for res in self.results])

    def crossings(self, key: str, level: float = 0.5) -> list[tuple[Fraction, Fraction]]:
        """The grid intervals ``(lo, hi)`` over which the share of ``key`` crosses ``level`` (a point
        exactly at the level gives ``(v, v)``)."""
        share = self.shares(key) - level
        out = []
        for k, d in enumerate(share):
            if d == 0:
                out.append((self.values[k], self.values[k]))
            elif k + 1 < len(share) and d * share[k + 1] < 0:
                out.append((self.values[k], self.values[k + 1]))
        return out

    def to_dict(self) -> dict:
        """The JSON of ``gametheory dynamics --basins --vary ... --format json``."""
        from ..solvers._exact import exact_string

        return {
            "game": self.game.title,
            "rule": self.rule,
            "populations": self.populations,
            "parameters": [self.parameter],
            "outcomes": self.keys(),
            "points": [
                {"values": {self.parameter: float(v)}, "exact": {self.parameter: exact_string(v)},
                 "equilibria": len(res.equilibria), "basins": res.to_dict()["basins"]}
                for v, res in zip(self.values, self.results)
            ],
        }

    def rows(self) -> list[list[Any]]:
        """CSV rows: one per grid value and outcome (``NAME, outcome, equilibrium, share``)."""
        head = [self.parameter, "outcome", "equilibrium", "share"]
        body = []
        for v, res in zip(self.values, self.results):
            for lab, share in res.shares.items():
                body.append([float(v), res.outcome_key(lab), lab if isinstance(lab, int) else "", share])
        return [head] + body

    def __repr__(self) -> str:
        return (f"<BasinsSweep {self.rule}, {self.parameter} over {len(self.values)} values: "
                f"{', '.join(self.keys())}>")


def _basins_task(task: tuple) -> BasinsResult:
    """One grid point of :func:`basins_sweep` (a top-level function, so that worker processes can run it)."""
    game, name, value, rule, kwargs = task
    return basins(game.with_parameters({name: value}), rule, **kwargs)


def basins_sweep(
    game: Any,
    vary: Any,
    rule: str = "replicator",
    *,
    workers: int = 1,
    scheduler: Any = None,
    progress: Callable[[int, int], None] | None = None,
    populations: str = "auto",
    **kwargs: Any,
) -> BasinsSweep:
    """The basins of attraction at each value of one parameter: how the shares move with it.

    Args:
        game: a game with parameters (see :func:`basins` for the shapes drawn).
        vary: the parameter and its grid, as for ``gametheory sweep --vary``:
            ``"R=3:7:41"`` (exact rational points, :mod:`gametheory.sensitivity.grid`),
            a bare name (the range in the file), a tuple ``(name, start, stop[, num])``
            or an :class:`~gametheory.sensitivity.grid.Axis`.
        rule: ``"replicator"``, ``"best-response"`` or ``"logit"``.
        workers, scheduler: run the grid values in this process, in
            ``workers`` local processes, or on a Dask scheduler
            (:func:`gametheory.sensitivity.backends.run_tasks`); the results
            are the same whichever runs them.
        progress: ``progress(done, total)`` as grid values finish.
        populations: decided once, for the game at the file's values, and
            used at every grid value.
        kwargs: passed to :func:`basins` (``points``, ``sample`` and ``seed``:
            the same seeded starts at every grid value, ``t_max``, ...).
    """
    from ..sensitivity.backends import run_tasks
    from ..sensitivity.grid import DEFAULT_POINTS_1D, make_axes, parse_vary

    if isinstance(vary, str):
        name, start, stop, num = parse_vary(vary, game, default_num=min(DEFAULT_POINTS_1D, 21))
        vary = (name, start, stop, num)
    (axis,) = make_axes(game, [vary])
    one = _one_population(game, rule, populations)
    kwargs["populations"] = "one" if one else "two"
    values = [axis.value(k) for k in range(axis.num)]
    tasks = [(game, axis.name, v, rule, dict(kwargs)) for v in values]
    results = run_tasks(_basins_task, tasks, workers=workers, scheduler=scheduler, progress=progress)
    return BasinsSweep(game=game, rule=rule, axis=axis, values=values, results=results)
