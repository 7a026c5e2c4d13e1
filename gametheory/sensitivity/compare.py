"""Scenarios side by side, and the robustness of the equilibria at the current values.

:func:`compare` solves the game at each named scenario of the file (a
scenario overrides some parameters; the others keep the file's values, after
``--set``) and reports, against the first scenario (the baseline), the
equilibria that appear or vanish, the probability and payoff changes of the
equilibria that persist (matched by their supports), and a change of 2x2 game
type.

:func:`sensitivity` answers "how robust is this?" at the current values: for
each parameter, the margin to the nearest threshold below and above (found
exactly by :func:`~gametheory.sensitivity.thresholds.thresholds` over the
parameter's range), and the derivative of every equilibrium's probabilities
and payoffs with respect to it (symbolic, from the support systems of
:mod:`~gametheory.sensitivity.symbolic`, evaluated exactly).  Parameters are
ranked by the smallest margin relative to the range: the most fragile
conclusion first (a tornado table; a tornado chart with ``--plot``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

from ..errors import GameError
from .structure import PointSolution, describe, describe_equilibrium, equilibrium_key, solve_point


def _number(x: Any) -> Any:
    from ..solvers._exact import number

    return number(x)


def _text(x: Any) -> str:
    from ..expressions import exact_text

    return exact_text(x) if isinstance(x, Fraction) else (str(x) if hasattr(x, "is_number") else f"{float(x):.6g}")


def _classify(game: Any) -> str | None:
    from .classify import classify_2x2

    try:
        return classify_2x2(game)
    except Exception:  # noqa: BLE001
        return None


# ---------------------------------------------------------------------------
# compare


@dataclass
class ScenarioResult:
    name: str
    values: dict[str, Any]
    game: Any
    solution: PointSolution
    classification: str | None


@dataclass
class CompareResult:
    """Each scenario's equilibria and what changed against the baseline (the first scenario)."""

    game: Any
    scenarios: list[ScenarioResult]
    changes: list[dict]

    def to_dict(self) -> dict:
        out = {"game": self.game.title, "baseline": self.scenarios[0].name if self.scenarios else None,
               "scenarios": [], "changes": self.changes}
        for s in self.scenarios:
            d: dict[str, Any] = {"name": s.name, "values": {k: _number(v) for k, v in s.values.items()},
                                 "parameters": {k: _number(v) for k, v in s.game.values.items()}}
            if s.classification is not None:
                d["classification"] = s.classification
            d["structure"] = describe(self.game, s.solution.key)
            d["degenerate"] = bool(s.solution.degenerate)
            d["equilibria"] = [e.to_dict(s.game) for e in s.solution.equilibria]
            if s.solution.degenerate:
                d["components"] = [list(c) for c in s.solution.components or []]
            out["scenarios"].append(d)
        return out


def _by_key(sol: PointSolution) -> dict[tuple, list[Any]]:
    out: dict[tuple, list[Any]] = {}
    for e in sol.equilibria:
        out.setdefault(equilibrium_key(e), []).append(e)
    return out


def _diff(game: Any, base: ScenarioResult, other: ScenarioResult) -> dict:
    a, b = _by_key(base.solution), _by_key(other.solution)
    out: dict[str, Any] = {"from": base.name, "to": other.name}
    out["type"] = ({"from": base.classification, "to": other.classification}
                   if base.classification != other.classification else None)
    out["appear"] = [describe_equilibrium(game, k) for k in b if k not in a]
    out["vanish"] = [describe_equilibrium(game, k) for k in a if k not in b]
    changed = []
    for k in a:
        if k not in b or len(a[k]) != 1 or len(b[k]) != 1:
            continue
        ea, eb = a[k][0], b[k][0]
        probs: dict[str, dict] = {}
        for i, (p, strategies) in enumerate(zip(game.players, game.strategies)):
            for s, x, y in zip(strategies, ea.profile[i], eb.profile[i]):
                if x != y:
                    probs.setdefault(p, {})[s] = {"from": _number(x), "to": _number(y),
                                                  "exact": [_text(x), _text(y)]}
        pays = {p: {"from": _number(x), "to": _number(y), "exact": [_text(x), _text(y)]}
                for p, x, y in zip(game.players, ea.payoffs, eb.payoffs) if x != y}
        if probs or pays:
            changed.append({"equilibrium": describe_equilibrium(game, k), "probabilities": probs, "payoffs": pays})
    out["changed"] = changed
    out["degenerate"] = ({"from": bool(base.solution.degenerate), "to": bool(other.solution.degenerate)}
                         if bool(base.solution.degenerate) != bool(other.solution.degenerate) else None)
    return out


def compare(game: Any, scenarios: Sequence[str] | None = None) -> CompareResult:
    """Solve each named scenario (all of the file's by default) and compare them with the first.

    A scenario's values override the game's current values (the file's, after
    ``--set``).  The special name ``current`` stands for the game as given.
    """
    names = list(scenarios) if scenarios else list(game.scenarios)
    if not names:
        raise GameError("the file defines no scenarios (add a scenarios: section, see docs/reference/format.md)")
    results = []
    for name in names:
        if name == "current" and name not in game.scenarios:
            values: dict[str, Any] = {}
        elif name not in game.scenarios:
            from ..model.game import _unknown

            raise GameError(_unknown("scenario", name, game.scenarios))
        else:
            values = dict(game.scenarios[name])
        at = game.with_parameters(values)
        from ..model.game import exact_number

        results.append(ScenarioResult(name, {k: exact_number(v) for k, v in values.items()}, at, solve_point(at),
                                      _classify(at)))
    changes = [_diff(game, results[0], r) for r in results[1:]]
    return CompareResult(game, results, changes)


# ---------------------------------------------------------------------------
# sensitivity


@dataclass
class ParameterSensitivity:
    """One parameter's margins and the derivatives of the equilibria with respect to it."""

    name: str
    value: Any
    low: Fraction
    high: Fraction
    assumed_range: bool
    below: Any = None  # nearest threshold below (or at) the value, exact; None if none in range
    above: Any = None
    below_expression: str | None = None
    above_expression: str | None = None
    below_change: str | None = None
    above_change: str | None = None
    derivatives: list[dict] = field(default_factory=list)
    affects_payoffs: bool = True

    @property
    def margin_down(self) -> Any:
        return None if self.below is None else self.value - self.below

    @property
    def margin_up(self) -> Any:
        return None if self.above is None else self.above - self.value

    @property
    def relative_margin(self) -> float:
        """The smaller margin as a fraction of the range (inf when no threshold in range)."""
        width = float(self.high - self.low)
        margins = [float(m) for m in (self.margin_down, self.margin_up) if m is not None]
        if not margins or width <= 0:
            return float("inf")
        return min(margins) / width

    @property
    def largest_derivative(self) -> float:
        out = 0.0
        for d in self.derivatives:
            for per in d["probabilities"].values():
                for v in per.values():
                    if v["value"] is not None:
                        out = max(out, abs(float(v["value"])))
            for v in d["payoffs"].values():
                if v["value"] is not None:
                    out = max(out, abs(float(v["value"])))
        return out


@dataclass
class SensitivityResult:
    """:func:`sensitivity`'s answer: parameters ranked, most fragile first."""

    game: Any
    solution: PointSolution
    parameters: list[ParameterSensitivity]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"game": self.game.title,
                               "values": {k: _number(v) for k, v in self.game.values.items()},
                               "classification": _classify(self.game),
                               "equilibria": [e.to_dict(self.game) for e in self.solution.equilibria],
                               "parameters": []}
        for rank, p in enumerate(self.parameters, 1):
            out["parameters"].append({
                "rank": rank,
                "name": p.name,
                "value": _number(p.value),
                "range": [_number(p.low), _number(p.high)],
                "assumed_range": p.assumed_range,
                "affects_payoffs": p.affects_payoffs,
                "threshold_below": None if p.below is None else {
                    "value": float(p.below), "exact": _text(p.below), "expression": p.below_expression,
                    "change": p.below_change},
                "threshold_above": None if p.above is None else {
                    "value": float(p.above), "exact": _text(p.above), "expression": p.above_expression,
                    "change": p.above_change},
                "margin_down": None if p.margin_down is None else float(p.margin_down),
                "margin_up": None if p.margin_up is None else float(p.margin_up),
                "relative_margin": None if p.relative_margin == float("inf") else p.relative_margin,
                "derivatives": p.derivatives,
            })
        out["notes"] = list(self.notes)
        return out


def _derivatives(game: Any, symbolic: Any, name: str) -> list[dict]:
    """d/d(name) of each equilibrium's probabilities and payoffs at the current values (exact)."""
    import sympy

    from .symbolic import expression_text, symbol, value_map

    p = symbol(name)
    values = value_map(game)
    out = []
    for e in symbolic.equilibria:
        key = (e.supports, e.pure)
        entry: dict[str, Any] = {"equilibrium": describe_equilibrium(game, key), "probabilities": {}, "payoffs": {}}
        if e.note:
            # no formula (a degenerate point): the values are known here only, so no derivative is
            # known either; an extreme point of a continuum can move with the parameters (e.g. 1/v)
            na = {"value": None, "exact": "n/a", "expression": None}
            if not e.pure:
                for player, probs in zip(game.players, e.probabilities):
                    for s in probs:
                        entry["probabilities"].setdefault(player, {})[s] = dict(na)
            for player in game.players:
                entry["payoffs"][player] = dict(na)
            entry["note"] = e.note
            out.append(entry)
            continue
        if not e.pure:
            for player, probs in zip(game.players, e.probabilities):
                for s, expr in probs.items():
                    d = sympy.diff(expr, p)
                    at = sympy.nsimplify(d.subs(values)) if d != 0 else sympy.Integer(0)
                    entry["probabilities"].setdefault(player, {})[s] = {
                        "value": float(at), "exact": str(at), "expression": expression_text(sympy.cancel(d), values)}
        for player, expr in zip(game.players, e.payoffs):
            d = sympy.diff(expr, p)
            at = d.subs(values) if d != 0 else sympy.Integer(0)
            entry["payoffs"][player] = {"value": float(at), "exact": str(at),
                                        "expression": expression_text(sympy.cancel(d), values)}
        if e.note:
            entry["note"] = e.note
        out.append(entry)
    return out


def sensitivity(game: Any, parameters: Sequence[str] | None = None) -> SensitivityResult:
    """Margins to the nearest thresholds and derivatives of the equilibria, per parameter, ranked.

    For each parameter (all by default) the thresholds over its range are
    found exactly (:func:`~gametheory.sensitivity.thresholds.thresholds`);
    a parameter without a range in the file is examined over ``value ±
    max(1, |value|)`` (and flagged ``assumed_range``).  The margins are the
    distances from the current value to the nearest threshold below and
    above (0 when the current value is itself a threshold).  Derivatives are
    those of the symbolic equilibria (:func:`~gametheory.sensitivity.symbolic.symbolic_equilibria`).
    Parameters are ranked by the smaller margin relative to the range width.
    """
    from .sweep import _affects_payoffs
    from .symbolic import symbolic_equilibria
    from .thresholds import thresholds

    if game.n_players != 2:
        raise GameError("sensitivity analysis is computed for two-player games")
    names = list(parameters) if parameters else list(game.parameters)
    notes = []
    sym = symbolic_equilibria(game)
    notes.extend(sym.notes)
    out = []
    for name in names:
        if name not in game.parameters:
            from ..model.game import _unknown

            raise GameError(_unknown("parameter", name, game.parameters))
        value = game.values[name]
        rng = game.parameters[name].range
        assumed = rng is None
        if assumed:
            half = max(Fraction(1), abs(Fraction(value))) if isinstance(value, Fraction) else Fraction(1)
            lo, hi = value - half, value + half
        else:
            lo, hi = Fraction(rng[0]), Fraction(rng[1])
            if not lo <= value <= hi:
                lo, hi = min(lo, value), max(hi, value)
                notes.append(f"{name} = {_text(value)} lies outside its range; the range was widened to include it")
        ps = ParameterSensitivity(name, value, lo, hi, assumed)
        ps.affects_payoffs = _affects_payoffs(game, name)
        if not ps.affects_payoffs:
            notes.append(f"{name} does not appear in the payoffs: it cannot change the equilibria "
                         "(see gametheory repeated or thresholds for its role in the repeated game)")
            out.append(ps)
            continue
        result = thresholds(game, name, lo, hi, repeated=False)
        for t in result.thresholds:
            change = f"{describe(game, t.below) if t.below else '-'} -> {describe(game, t.above) if t.above else '-'}"
            if t.value <= value and (ps.below is None or t.value > ps.below):
                ps.below, ps.below_expression, ps.below_change = t.value, t.expression_text, change
            if t.value >= value and (ps.above is None or t.value < ps.above):
                ps.above, ps.above_expression, ps.above_change = t.value, t.expression_text, change
        ps.derivatives = _derivatives(game, sym, name)
        out.append(ps)
    out.sort(key=lambda p: (p.relative_margin, -p.largest_derivative, p.name))
    return SensitivityResult(game, solve_point(game), out, notes)


__all__ = ["compare", "CompareResult", "sensitivity", "SensitivityResult", "ParameterSensitivity"]
