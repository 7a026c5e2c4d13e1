"""``analyse(game)``: everything ``gametheory repeated`` reports, as one result object.

The analysis of a repeated game, in the order a course meets it:

1. the stage game's Nash equilibria (playing one in every round is always a
   subgame-perfect equilibrium of the repeated game);
2. minmax (punishment) and maxmin (security) values
   (:mod:`gametheory.repeated.values`);
3. the feasible and individually rational payoffs, the folk theorem's region
   (:mod:`gametheory.repeated.feasible`);
4. for a target profile, the critical discount factors of grim trigger, Nash
   reversion, limited punishment, imperfect-monitoring triggers, tit-for-tat,
   win-stay-lose-shift, tit-for-two-tats and generous tit-for-tat, exact and symbolic, judged at the
   file's discount factor (:mod:`gametheory.repeated.thresholds`);
5. what a known finite horizon does (:mod:`gametheory.repeated.finite`);
6. for two players with a discount factor, the set of equilibrium payoffs
   (:mod:`gametheory.repeated.apspace`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from ._common import exact_text, is_fraction, number, profile_dict, rounds_text, stage_equilibria
from .apspace import EquilibriumPayoffSet, equilibrium_payoff_set
from .feasible import FeasibleSet, IndividuallyRational, feasible_set, individually_rational
from .finite import FiniteHorizon, finite_horizon
from .thresholds import (
    DEFAULT_GENEROSITY,
    StrategyThreshold,
    Target,
    critical_discounts,
    parse_target,
    target_of,
    welfare_targets,
)
from .values import PlayerValues, minmax_values

MAX_DEFAULT_TARGETS = 3


def _text(x: Any) -> str | None:
    if x is None:
        return None
    return (
        exact_text(x)
        if is_fraction(x)
        else (exact_text(x) if hasattr(x, "is_number") else f"{float(x):.10g}")
    )


@dataclass
class RepeatedResult:
    """The analysis of a repeated game (see :func:`analyse`); ``to_dict()`` is the JSON of ``repeated``."""

    game: Any
    discount: Any
    horizon: int | None
    detection: Any
    values: list[PlayerValues]
    stage: list[Any]
    stage_method: str
    stage_complete: bool
    feasible: FeasibleSet
    rational: IndividuallyRational
    targets: list[Target]
    strategies: list[StrategyThreshold]
    finite: FiniteHorizon | None
    payoff_set: EquilibriumPayoffSet | None
    notes: list[str] = field(default_factory=list)

    def threshold(self, name: str, target: Sequence[int] | None = None, **details: Any) -> StrategyThreshold:
        """The entry for one strategy (the first target's unless ``target`` is given)."""
        target = tuple(target) if target is not None else self.targets[0].profile
        for s in self.strategies:
            if (
                s.name == name
                and s.target == target
                and all(s.details.get(k) == v for k, v in details.items())
            ):
                return s
        raise KeyError(name)

    def _vec(self, values: Sequence[Any]) -> dict:
        return {p: number(v) for p, v in zip(self.game.players, values)}

    def _vec_exact(self, values: Sequence[Any]) -> dict:
        return {p: _text(v) for p, v in zip(self.game.players, values)}

    def to_dict(self) -> dict:
        g = self.game
        vals = self.values
        out: dict[str, Any] = {
            "game": g.title,
            "players": list(g.players),
            "actions": {p: list(s) for p, s in zip(g.players, g.strategies)},
            "parameters": {k: number(v) for k, v in g.values.items()},
            "discount": None if self.discount is None else number(self.discount),
            "discount_exact": _text(self.discount),
            "horizon": self.horizon,
            "detection": None if self.detection is None else number(self.detection),
            "minmax": self._vec([v.minmax for v in vals]),
            "minmax_exact": self._vec_exact([v.minmax for v in vals])
            if all(v.exact for v in vals) or g.n_players > 2
            else None,
            "minmax_kind": vals[0].minmax_kind
            if len({v.minmax_kind for v in vals}) == 1
            else "mixed where exact, else an upper bound (see minmax_kinds)",
            "minmax_pure": self._vec([v.minmax_pure for v in vals]),
            "minmax_pure_exact": self._vec_exact([v.minmax_pure for v in vals]),
            "punishments": {v.player: self._punisher(k, v) for k, v in enumerate(vals)},
            "maxmin": self._vec([v.maxmin for v in vals]),
            "maxmin_exact": self._vec_exact([v.maxmin for v in vals]) if all(v.exact for v in vals) else None,
            "maxmin_strategies": {
                v.player: {s: float(p) for s, p in zip(g.strategies[k], v.maxmin_strategy)}
                for k, v in enumerate(vals)
            },
            "stage_equilibria": [eq.to_dict(g) for eq in self.stage],
            "stage_method": self.stage_method,
            "feasible": {
                "dimension": self.feasible.dimension,
                "vertices": [
                    self._vertex(v, profs) for v, profs in zip(self.feasible.vertices, self.feasible.profiles)
                ],
            },
            "individually_rational": {
                "vertices": None
                if self.rational.vertices is None
                else [
                    {"payoffs": self._vec(v), "exact": self._vec_exact(v) if self.rational.exact else None}
                    for v in self.rational.vertices
                ],
                "nonempty": self.rational.nonempty,
                "strictly_nonempty": self.rational.strictly_nonempty,
            },
            "targets": [self._target(t) for t in self.targets],
            "strategies": [s.to_dict(g) for s in self.strategies],
            "finite_horizon": None
            if self.finite is None
            else {"target": profile_dict(g, self.targets[0].profile), **self.finite.to_dict(g)},
            "equilibrium_payoffs": None if self.payoff_set is None else self.payoff_set.to_dict(),
            "notes": list(self.notes),
        }
        if g.n_players > 2:
            out["minmax_correlated"] = self._vec([v.correlated_minmax for v in vals])
            out["minmax_kinds"] = {v.player: v.minmax_kind for v in vals}
            out["minmax_bounds"] = {
                v.player: {
                    "lower": number(v.minmax_bounds[0]),
                    "upper": number(v.minmax_bounds[1]),
                    "lower_exact": _text(v.minmax_bounds[0]),
                    "upper_exact": _text(v.minmax_bounds[1]),
                    "method": v.minmax_method,
                }
                for v in vals
            }
        return out

    def _punisher(self, k: int, v: PlayerValues) -> dict:
        g = self.game
        others = [j for j in range(g.n_players) if j != k]
        pure = {g.players[j]: g.strategies[j][a] for j, a in zip(others, v.pure_punishment)}
        out: dict[str, Any] = {"pure": pure}
        if g.n_players == 2:
            j = others[0]
            out["mixed"] = {g.players[j]: {s: float(p) for s, p in zip(g.strategies[j], v.punishment)}}
        elif v.mixed_punishment is not None:  # independent mixtures: the minmax punishment when exact
            out["mixed"] = {
                g.players[j]: {s: float(p) for s, p in zip(g.strategies[j], x)}
                for j, x in zip(others, v.mixed_punishment)
            }
            out["mixed_exact"] = {
                g.players[j]: {s: _text(p) for s, p in zip(g.strategies[j], x)}
                for j, x in zip(others, v.mixed_punishment)
            }
        return out

    def _vertex(self, v: Sequence[Any], profiles: Sequence[tuple[int, ...]]) -> dict:
        g = self.game
        return {
            "payoffs": self._vec(v),
            "exact": self._vec_exact(v),
            "profiles": [[g.strategies[i][s] for i, s in enumerate(p)] for p in profiles],
        }

    def _target(self, t: Target) -> dict:
        g = self.game
        return {
            "profile": profile_dict(g, t.profile),
            "payoffs": self._vec(t.payoffs),
            "deviations": {
                g.players[i]: None
                if t.deviation[i] is None
                else {
                    "action": g.strategies[i][t.deviation[i]],
                    "payoff": number(t.deviation_payoff[i]),
                    "gain": number(t.deviation_payoff[i] - t.payoffs[i]),
                }
                for i in range(g.n_players)
            },
        }

    def __repr__(self) -> str:
        lines = [f"<RepeatedResult {self.game.title!r}: delta = {_text(self.discount)}>"]
        lines.append("  minmax: " + ", ".join(f"{v.player} {_text(v.minmax)}" for v in self.values))
        for s in self.strategies:
            crit = _critical_text(s)
            extra = f" ({rounds_text(s.details['rounds'])})" if "rounds" in s.details else ""
            extra += f" (generosity {s.details['generosity_exact']})" if "generosity_exact" in s.details else ""
            expr = s.expression_text if s.expression_text not in (None, crit) else None
            lines.append(f"  {s.name}{extra}: delta* = {crit}" + (f" = {expr}" if expr else ""))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        rows = []
        for s in self.strategies:
            crit = _critical_text(s)
            rows.append(
                f"<tr><td>{html.escape(s.name)}</td><td>{html.escape(crit)}</td>"
                f"<td>{html.escape(s.expression_text or '')}</td><td>{s.nash}</td><td>{s.subgame_perfect}</td></tr>"
            )
        return (
            "<table><caption>" + html.escape(repr(self).splitlines()[0]) + "</caption>"
            "<tr><th>strategy</th><th>critical delta</th><th>expression</th><th>Nash</th><th>SPE</th></tr>"
            + "".join(rows)
            + "</table>"
        )


def _critical_text(s: StrategyThreshold) -> str:
    """delta*, or the Nash region when it does not reach up to 1 (``none (Nash only for delta = 1/3)``)."""
    if s.critical is None:
        from .regions import region_text

        return f"none (Nash only for {region_text(s.nash_region)})" if s.nash_region else "never"
    return s.exact or f"{float(s.critical):.6g}"


def analyse(
    game: Any,
    target: Any = None,
    punishment_rounds: Sequence[int] = (1, 2, 3),
    payoff_set: bool | None = None,
    directions: int | None = None,
    generosity: Any = DEFAULT_GENEROSITY,
) -> RepeatedResult:
    """Analyse the repeated game of ``game`` (its ``repeated:`` section gives delta, horizon, detection).

    ``target``: a profile (strategy names or indices, or ``"A,B"``), or a list
    of profiles; by default the welfare-maximising pure profiles that are not
    stage equilibria.  ``punishment_rounds``: the k of the limited-punishment
    thresholds.  ``payoff_set``: compute the equilibrium payoff set (default:
    for two players when the discount factor is known).  ``generosity``: the
    forgiveness probability g of generous tit-for-tat (default 1/10; None
    leaves it out).
    """
    rv = game.repeated_values()
    discount = rv.get("discount")
    horizon = rv.get("horizon")
    detection = rv.get("detection")
    notes: list[str] = []
    stage, method, complete = stage_equilibria(game)
    if not complete:
        notes.append(
            "stage equilibria: only pure equilibria were searched (N > 2 players); mixed ones can punish too"
        )
    values = minmax_values(game)
    feasible = feasible_set(game)
    rational = individually_rational(game, tuple(v.minmax for v in values), feasible)
    pure_stage = [tuple(x.index(1) for x in eq.profile) for eq in stage if eq.pure]
    if target is not None:
        profiles = parse_target(game, target)
    else:
        profiles = welfare_targets(game, pure_stage)
        if len(profiles) > MAX_DEFAULT_TARGETS:
            notes.append(
                f"{len(profiles)} pure profiles maximise welfare; the first {MAX_DEFAULT_TARGETS} are "
                "analysed (choose one with --target)"
            )
            profiles = profiles[:MAX_DEFAULT_TARGETS]
    targets = [target_of(game, p) for p in profiles]
    strategies: list[StrategyThreshold] = []
    for p in profiles:
        strategies.extend(
            critical_discounts(
                game, p, stage, punishment_rounds, generosity=generosity,
                # the minmax when known (mixed), else the correlated value: a lower bound on it
                minmax=[v.minmax if v.minmax_kind == "mixed" else v.correlated_minmax for v in values],
            )
        )
    finite = finite_horizon(game, targets[0], stage, horizon, discount) if targets else None
    if horizon is not None:
        notes.append(
            f"finite horizon of {horizon} rounds: the thresholds are those of the infinitely repeated "
            "game; Nash and subgame_perfect follow backward induction (finite_horizon)"
        )
        for s in strategies:
            s.finite_sustainable = bool(finite.target_sustainable) if finite else None
    if discount is None:
        notes.append(
            "no discount factor in the file: give one with --discount (or add repeated: {discount: ...}) "
            "to judge sustainability"
        )
    eqset = None
    want = (
        payoff_set
        if payoff_set is not None
        else (game.n_players == 2 and discount is not None and horizon is None)
    )
    if want and game.n_players == 2 and discount is not None:
        kwargs = {"directions": directions} if directions else {}
        eqset = equilibrium_payoff_set(game, discount, **kwargs)
        if detection is not None:
            eqset.notes.append("computed with perfect monitoring; imperfect verification can only shrink it")
    if game.n_players > 2:
        for v in values:
            notes.extend(v.notes)
    return RepeatedResult(
        game=game,
        discount=discount,
        horizon=horizon,
        detection=detection,
        values=values,
        stage=stage,
        stage_method=method,
        stage_complete=complete,
        feasible=feasible,
        rational=rational,
        targets=targets,
        strategies=strategies,
        finite=finite,
        payoff_set=eqset,
        notes=notes,
    )


__all__ = ["RepeatedResult", "analyse"]
