"""Sweeps of the repeated game: critical discount factors and sustainability over a grid.

``gametheory sweep FILE --vary delta=0:1:21`` on a file with a ``repeated:``
section reports, at every grid point, for each strategy profile of
:func:`gametheory.repeated.analyse` (grim trigger, Nash reversion, limited
punishment, grim after detection, tit-for-tat, win-stay-lose-shift,
tit-for-two-tats, generous tit-for-tat) its critical discount factor and
whether it sustains the target at that point's discount factor, next to the
stage game's equilibria (:func:`gametheory.sensitivity.sweep`).

How it is computed, exactly and fast:

* The grid's parameters split into those that change the stage game (they
  appear in the payoffs) and those that only enter the ``repeated:`` section
  (the discount factor, the detection probability).  Every distinct stage
  game of the grid (a *combo*: one value of each payoff parameter) is
  analysed once, exactly, by :func:`~gametheory.repeated.thresholds.critical_discounts`
  (without the formulas, which are the same as at the file's values): each
  strategy's regions of delta where it is a Nash and a subgame-perfect
  equilibrium, with exact end points.  A sweep over delta and pi alone has a
  single combo.  Combos run on the sweep's back-ends (``workers``,
  ``scheduler``), in chunks that do not depend on the back-end.
* Over the grid, the discount factor (and the detection probability) is
  evaluated as a float array and compared with the region end points, all
  points at once.  Grim after detection is the one threshold that moves with
  pi: ``max_i gain_i/(gain_i + pi loss_i)`` (Downs, Rocke & Siverson 1985),
  evaluated as an array too.  A point within 1e-9 of an end point is decided
  again exactly, at its exact rational parameter values, so a grid point
  that lands on a threshold (delta = 1/2 for grim with T, R, P, S = 5, 3, 1,
  0) gets the exact answer: grim sustains cooperation at delta = 1/2.
* Discount factors outside [0, 1) (delta = 1 at the end of ``0:1``) are
  reported as such: no strategy is judged there.

Regimes are the maximal stretches (one parameter) or regions (two) of grid
points where the stage equilibria, the target and the set of sustainable
strategies stay the same.  In one dimension, each change of sustainability
between neighbouring points is a *threshold*, with its exact value when the
swept parameter is the discount factor (the strategy's critical discount
factor) or the detection probability (the critical detection probability).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Sequence

from ..errors import GameError, GameFileError
from ._common import compare, number, profile_dict, profile_label, rounds_text
from .automata import Interval
from .thresholds import DEFAULT_GENEROSITY, exact_string

TOL = 1e-9  # a point this close (relative) to a threshold is decided exactly
COMBO_CHUNK = 8  # combos per task


# ---------------------------------------------------------------------------
# the strategy columns


@dataclass(frozen=True)
class Column:
    """One strategy profile of the sweep (``rounds`` for limited punishment)."""

    name: str
    rounds: int | None = None

    @property
    def label(self) -> str:
        return self.name + (f" ({rounds_text(self.rounds)})" if self.rounds is not None else "")


def column_of(entry: Any) -> Column:
    rounds = entry.details.get("rounds") if isinstance(entry.details, dict) else None
    return Column(entry.name, None if rounds is None else int(rounds))


def parse_strategies(spec: Any) -> list[tuple[str, int | None]] | None:
    """``"grim,limited-punishment:2,tft"`` -> ``[("grim", None), ("limited-punishment", 2), ("tit-for-tat", None)]``."""
    if spec is None:
        return None
    from . import strategies as registry

    items = [s.strip() for s in spec.split(",")] if isinstance(spec, str) else [str(s).strip() for s in spec]
    out = []
    for item in items:
        if not item:
            continue
        if " k=" in item:
            name, _, k = item.partition(" k=")
        else:
            name, _, k = item.partition(":")
        name = name.strip().lower().replace("_", "-").replace(" ", "-")
        if name in registry.REGISTRY:
            name = registry.REGISTRY[name].name
        try:
            rounds = int(k) if k.strip() else None
        except ValueError:
            raise GameError(f"--strategies {item!r}: expected NAME or limited-punishment:K") from None
        out.append((name, rounds))
    return out


def _selected(columns: list[Column], wanted: list[tuple[str, int | None]] | None) -> list[Column]:
    if wanted is None:
        return columns
    known = {c.name for c in columns}
    out = []
    for name, rounds in wanted:
        if name not in known:
            raise GameError(f"--strategies: {name!r} is not analysed here (known: {', '.join(sorted(known))})")
        out.extend(c for c in columns if c.name == name and (rounds is None or c.rounds == rounds) and c not in out)
    return out


# ---------------------------------------------------------------------------
# one stage game of the grid


@dataclass
class Entry:
    """A strategy's exact result in one stage game: regions of delta (or the detection terms)."""

    critical: Any
    nash: list[Interval]
    spe: list[Interval]
    terms: list[tuple[Any, Any]] | None = None  # grim after detection: (gain, loss) per player who gains
    detection: bool = False
    finite: bool | None = None  # finite horizon: sustainable by backward induction (whatever delta)


@dataclass
class Combo:
    """The exact analysis of one stage game of the grid (a combination of payoff-parameter values)."""

    index: int  # a grid point with these values
    target: tuple[int, ...] | None = None
    entries: dict[Column, Entry] = field(default_factory=dict)
    undefined: bool = False
    notes: list[str] = field(default_factory=list)


def _analyse_combo(game: Any, values: dict, equilibria: list | None, target: Any, rounds: Sequence[int],
                   generosity: Any, index: int) -> Combo:
    from .finite import finite_horizon
    from .thresholds import critical_discounts, parse_target, target_of, welfare_targets

    if equilibria is None:
        return Combo(index, undefined=True)
    try:
        at = game.with_parameters(values)
    except GameFileError:
        return Combo(index, undefined=True)
    pure = [tuple(x.index(1) for x in eq.profile) for eq in equilibria if eq.pure]
    profile = parse_target(at, target)[0] if target is not None else welfare_targets(at, pure)[0]
    out = Combo(index, target=tuple(profile))
    entries = critical_discounts(at, profile, equilibria, rounds, generosity=generosity, symbolic=False)
    horizon = at.repeated.horizon if at.repeated is not None else None
    finite = None
    if horizon is not None:
        fh = finite_horizon(at, target_of(at, profile), equilibria, horizon, at.repeated_values().get("discount"))
        finite = bool(fh.target_sustainable)
    for e in entries:
        col = column_of(e)
        if e.name == "grim-after-detection":
            out.entries[col] = Entry(e.critical, e.nash_region, e.spe_region, e.detection_terms, True, finite)
        else:
            out.entries[col] = Entry(e.critical, e.nash_region, e.spe_region, None, False, finite)
    return out


def combo_task(task: tuple) -> list[Combo]:
    """Analyse a chunk of combos (a picklable top-level function for the back-ends)."""
    game, items, target, rounds, generosity = task
    return [_analyse_combo(game, values, eqs, target, rounds, generosity, index) for index, values, eqs in items]


# ---------------------------------------------------------------------------
# exact values at grid points


def _exact_env(game: Any, values: dict) -> dict:
    from .. import expressions as ex
    from ..model.game import define_order

    env: dict[str, Any] = dict(game.values)
    env.update(values)
    for name in define_order(game.define):
        env[name] = ex.evaluate(game.define[name], env)
    return env


def _numeric_env(game: Any, columns: dict) -> dict:
    from .. import expressions as ex
    from ..model.game import define_order

    env: dict[str, Any] = {k: float(v) for k, v in game.values.items()}
    env.update(columns)
    for name in define_order(game.define):
        env[name] = ex.evaluate_numeric(game.define[name], env)
    return env


def _detection_critical(terms: list, pi: Any) -> Any:
    """Grim after detection at detection probability pi: the least delta from which it sustains the target
    for every larger delta (None: its region of delta is empty or bounded above)."""
    from .automata import lowest
    from .thresholds import detection_region

    return lowest(detection_region(terms, pi))


def _critical_detection(terms: list, delta: Any) -> Any:
    """The least pi that sustains the target at ``delta`` for every larger pi (None: no such pi)."""
    from .thresholds import detection_probability_region

    region = detection_probability_region(terms, delta)
    if region and compare(region[-1].high, 1) == 0:
        return region[0].low
    return None


# ---------------------------------------------------------------------------
# the result


@dataclass
class RepeatedRegime:
    """A stretch (one parameter) or region (two) of points with the same stage equilibria and sustainable set."""

    key: tuple
    first: int
    last: int
    point: int
    points: int
    bounds: dict[str, tuple[Fraction, Fraction]]


@dataclass
class RepeatedThreshold:
    """Between two neighbouring points of a one-parameter sweep, a strategy starts or stops being sustainable."""

    column: Column
    between: tuple[int, int]
    becomes: bool
    value: Any = None  # exact, when the swept parameter is the discount factor or the detection probability
    expression: str | None = None


@dataclass
class RepeatedSweepResult:
    """The repeated game over a grid; see :func:`repeated_sweep`.

    Arrays are over the grid's points in flat order (first parameter slowest):
    ``discount`` and ``detection`` (floats), ``valid`` (the discount factor is
    in [0, 1)); per strategy column (rows in ``columns`` order) ``critical``
    (the critical discount factor, NaN for never), ``nash``, ``spe`` and
    ``present`` (the strategy is analysed there: e.g. Nash reversion needs
    two stage equilibria).  ``stage`` is the stage game's
    :class:`~gametheory.sensitivity.sweep.SweepResult`.
    """

    game: Any
    axes: list
    stage: Any
    columns: list[Column]
    base: Any  # RepeatedResult at the file's values: descriptions and formulas
    combos: list[Combo]
    combo_of: Any
    discount: Any
    detection: Any
    valid: Any
    critical: Any
    nash: Any
    spe: Any
    present: Any
    targets: list[tuple[int, ...]]
    target_id: Any
    generosity: Any
    notes: list[str] = field(default_factory=list)
    exact_points: int = 0
    elapsed: float = 0.0
    _regimes: list[RepeatedRegime] | None = field(default=None, repr=False)
    _ids: Any = field(default=None, repr=False)
    _keys: list | None = field(default=None, repr=False)
    _thresholds: list[RepeatedThreshold] | None = field(default=None, repr=False)

    # -- basic views --------------------------------------------------------

    @property
    def parameters(self) -> list[str]:
        return [a.name for a in self.axes]

    @property
    def n_points(self) -> int:
        return self.stage.n_points

    def __len__(self) -> int:
        return self.n_points

    def values_at(self, index: int) -> dict[str, Fraction]:
        return self.stage.values_at(index)

    def index_of(self, **values: Any) -> int:
        return self.stage.index_of(**values)

    @property
    def has_discount(self) -> bool:
        return self.game.repeated is not None and self.game.repeated.discount is not None

    def column(self, name: str, rounds: int | None = None) -> int:
        """The row of a strategy in the per-column arrays."""
        for k, c in enumerate(self.columns):
            if c.name == name and (rounds is None or c.rounds == rounds):
                return k
        raise KeyError(name)

    def sustainable(self, name: str, rounds: int | None = None) -> Any:
        """Boolean array: the strategy sustains the target (Nash) at each point."""
        return self.nash[self.column(name, rounds)]

    def exact_discount(self, index: int) -> Any:
        from .. import expressions as ex

        return ex.evaluate(self.game.repeated.discount, _exact_env(self.game, self.values_at(index)))

    def exact_detection(self, index: int) -> Any:
        from .. import expressions as ex

        return ex.evaluate(self.game.repeated.detection, _exact_env(self.game, self.values_at(index)))

    def entry_at(self, k: int, index: int) -> Entry | None:
        combo = self.combos[int(self.combo_of[index])]
        return None if combo.undefined else combo.entries.get(self.columns[k])

    def critical_exact(self, k: int, index: int) -> Any:
        """The exact critical discount factor of column k at a point (None: never)."""
        e = self.entry_at(k, index)
        if e is None:
            return None
        if e.finite is not None and not e.detection:
            return e.critical
        if e.detection:
            if e.terms is None or self.detection is None:
                return None
            return _detection_critical(e.terms, self.exact_detection(index))
        return e.critical

    # -- regimes ------------------------------------------------------------

    def _structure(self) -> tuple[Any, list]:
        """A regime id per point and the keys: (stage structure, target, sustainable strategies)."""
        import numpy as np

        if self._ids is None:
            n = self.n_points
            parts = [np.asarray(self.stage.structure, dtype=np.int64), np.asarray(self.target_id, dtype=np.int64)]
            state = np.where(self.valid, 0, 1).astype(np.int64)
            if self.has_discount:
                bits = self.nash & self.valid[None, :] if len(self.columns) else np.zeros((0, n), dtype=bool)
                packed = np.packbits(bits, axis=0) if len(self.columns) else np.zeros((0, n), dtype=np.uint8)
                for row in packed:
                    parts.append(row.astype(np.int64))
            parts.append(state)
            stacked = np.stack(parts, axis=1)
            uniq, first, inverse = np.unique(stacked, axis=0, return_index=True, return_inverse=True)
            inverse = inverse.ravel()
            order = np.argsort(first)
            remap = np.empty(len(uniq), dtype=np.int64)
            remap[order] = np.arange(len(uniq))
            ids = remap[inverse]
            keys = []
            for u in order:
                index = int(first[u])
                keys.append(self._key_at(index))
            self._ids, self._keys = ids, keys
        return self._ids, self._keys

    def _key_at(self, index: int) -> tuple:
        stage = self.stage.key_at(index)
        target = self.targets[int(self.target_id[index])] if self.target_id[index] >= 0 else None
        if not self.valid[index]:
            return (stage, target, None)
        if not self.has_discount:
            return (stage, target, ())
        return (stage, target, tuple(c.label for k, c in enumerate(self.columns) if self.nash[k, index]))

    @property
    def regimes(self) -> list[RepeatedRegime]:
        if self._regimes is None:
            self._regimes = _regimes(self)
        return self._regimes

    def sustainable_labels(self, index: int) -> list[str] | None:
        """The strategies that sustain the target at a point (None: no valid discount factor there)."""
        if not self.valid[index] or not self.has_discount:
            return None
        return [c.label for k, c in enumerate(self.columns) if self.nash[k, index]]

    @property
    def thresholds(self) -> list[RepeatedThreshold]:
        """One-parameter sweeps: where each strategy starts or stops sustaining the target."""
        if self._thresholds is None:
            self._thresholds = _thresholds(self) if len(self.axes) == 1 and self.has_discount else []
        return self._thresholds

    # -- output -------------------------------------------------------------

    def strategy_dict(self, k: int, index: int) -> dict | None:
        """One strategy at one point: critical discount (float and exact), sustainable, Nash, SPE."""
        c = self.columns[k]
        if not self.present[k, index]:
            return None
        crit = self.critical_exact(k, index)
        out: dict[str, Any] = {"name": c.name}
        if c.rounds is not None:
            out["rounds"] = c.rounds
        if c.name == "generous-tft" and self.generosity is not None:
            out["generosity"] = float(self.generosity)
        out["critical_discount"] = None if crit is None else number(crit)
        out["exact"] = exact_string(crit)
        judged = self.has_discount and bool(self.valid[index])
        out["sustainable"] = bool(self.nash[k, index]) if judged else None
        out["nash"] = out["sustainable"]
        out["subgame_perfect"] = bool(self.spe[k, index]) if judged else None
        e = self.entry_at(k, index)
        if e is not None and e.detection and e.terms is not None and self.has_discount and judged:
            pi = _critical_detection(e.terms, self.exact_discount(index))
            ok = pi is not None and compare(pi, 1) <= 0
            out["critical_detection"] = number(pi) if ok else None
            out["critical_detection_exact"] = exact_string(pi) if ok else None
        return out

    def point_dict(self, index: int) -> dict:
        """A point: the stage sweep's point (values, equilibria) with the repeated game added."""
        out = self.stage.point_dict(index)
        if self.has_discount:
            out["discount"] = float(self.discount[index])
            out["discount_exact"] = exact_string(self.exact_discount(index))
            if not self.valid[index]:
                out["discount_valid"] = False
        if self.detection is not None:
            out["detection"] = float(self.detection[index])
        combo = self.combos[int(self.combo_of[index])]
        if combo.undefined:
            out["target"] = None
            out["strategies"] = []
            return out
        out["target"] = profile_dict(self.game, combo.target)
        out["strategies"] = [d for d in (self.strategy_dict(k, index) for k in range(len(self.columns))) if d]
        out["sustainable"] = self.sustainable_labels(index)
        return out

    def regime_dict(self, regime: RepeatedRegime) -> dict:
        out: dict[str, Any] = {}
        if len(self.axes) == 1:
            name = self.axes[0].name
            out["from"] = number(self.values_at(regime.first)[name])
            out["to"] = number(self.values_at(regime.last)[name])
        else:
            out["bounds"] = {k: [number(lo), number(hi)] for k, (lo, hi) in regime.bounds.items()}
        out["points"] = regime.points
        stage, target, sustained = regime.key
        from ..sensitivity.structure import describe

        out["structure"] = describe(self.game, stage)
        out["target"] = None if target is None else profile_label(self.game, target)
        out["sustainable"] = None if sustained is None or not self.has_discount else list(sustained)
        if sustained is None:
            out["discount_valid"] = False
        at = self.values_at(regime.point)
        out["at"] = {k: number(v) for k, v in at.items()}
        point = self.point_dict(regime.point)
        out["equilibria"] = point["equilibria"]
        out["strategies"] = point.get("strategies", [])
        return out

    def threshold_dict(self, t: RepeatedThreshold) -> dict:
        name = self.axes[0].name
        lo, hi = (self.values_at(i)[name] for i in t.between)
        out: dict[str, Any] = {"strategy": t.column.name}
        if t.column.rounds is not None:
            out["rounds"] = t.column.rounds
        out["becomes"] = "sustainable" if t.becomes else "not sustainable"
        out["between"] = [number(lo), number(hi)]
        out["value"] = None if t.value is None else number(t.value)
        out["exact"] = exact_string(t.value) if t.value is not None else None
        out["expression"] = t.expression
        return out

    def strategies_dict(self) -> list[dict]:
        """Each strategy column with its description and formula (from the analysis at the file's values)."""
        out = []
        for c in self.columns:
            d: dict[str, Any] = {"name": c.name}
            if c.rounds is not None:
                d["rounds"] = c.rounds
            entry = self._base_entry(c)
            if entry is not None:
                d["expression"] = entry.expression_text
                d["condition"] = entry.condition
                d["description"] = entry.description
                d["source"] = entry.source
            out.append(d)
        return out

    def _base_entry(self, c: Column) -> Any:
        if self.base is None:
            return None
        for s in self.base.strategies:
            if column_of(s) == c and s.target == self.base.targets[0].profile:
                return s
        return None

    def to_dict(self, points: bool = True) -> dict:
        """``sweep --format json`` for the repeated game (see docs/reference/sensitivity.md)."""
        from .. import expressions as ex

        g = self.game
        rep = g.repeated
        out: dict[str, Any] = {
            "game": g.title,
            "analysis": "repeated",
            "parameters": self.parameters,
            "grid": {a.name: {"start": number(a.start), "stop": number(a.stop), "num": a.num} for a in self.axes},
            "fixed": {k: number(v) for k, v in g.values.items() if k not in self.parameters},
            "discount": None if rep is None or rep.discount is None else ex.to_text(rep.discount),
            "detection": None if rep is None or rep.detection is None else ex.to_text(rep.detection),
            "horizon": None if rep is None else rep.horizon,
            "generosity": None if self.generosity is None else float(self.generosity),
            "strategies": self.strategies_dict(),
            "method": self.stage.method + "; repeated game: exact regions per stage game, "
                                          "vectorised over the discount factor and the detection probability",
            "exactly_solved_points": self.stage.n_exact,
            "exactly_resolved_points": self.exact_points,
            "stage_games_analysed": sum(1 for c in self.combos if not c.undefined),
        }
        if points:
            out["points"] = [self.point_dict(k) for k in range(self.n_points)]
        out["regimes"] = [self.regime_dict(r) for r in self.regimes]
        if len(self.axes) == 1:
            out["thresholds"] = [self.threshold_dict(t) for t in self.thresholds]
        out["notes"] = list(self.notes)
        return out

    # -- CSV ----------------------------------------------------------------

    def columns_csv(self) -> tuple[list[str], list[Any]]:
        """CSV columns, one row per point and strategy (vectorised).

        The varied parameters, ``discount`` (and ``detection``), ``target``,
        ``stage_equilibria``, ``strategy`` (``limited-punishment (2 rounds)``),
        ``critical_discount`` (empty: never), ``sustainable``,
        ``subgame_perfect`` (empty where the discount factor is not in [0, 1)
        or not given) and, for grim after detection, ``critical_detection``.
        """
        import numpy as np

        from ..sensitivity.csvout import Categorical
        from ..sensitivity.structure import describe
        from ..sensitivity.sweep import grid_columns

        n, m = self.n_points, len(self.columns)
        present = self.present
        col_idx, pt_idx = np.nonzero(present) if m else (np.zeros(0, int), np.zeros(0, int))
        # order rows by point, then column
        order = np.lexsort((col_idx, pt_idx))
        col_idx, pt_idx = col_idx[order], pt_idx[order]
        grid = grid_columns(self.axes, 0, n)
        header = list(self.parameters)
        cols: list[Any] = [grid[a.name][pt_idx] for a in self.axes]
        if self.has_discount and self.game.repeated.discount is not None:
            header.append("discount")
            cols.append(self.discount[pt_idx])
        if self.detection is not None:
            header.append("detection")
            cols.append(self.detection[pt_idx])
        tid = np.asarray(self.target_id)[pt_idx]
        header.append("target")
        cols.append(Categorical(np.where(tid < 0, len(self.targets), tid),
                                [profile_label(self.game, t) for t in self.targets] + [""]))
        ids = np.asarray(self.stage.structure)
        header.append("stage_equilibria")
        cols.append(Categorical(ids[pt_idx], [describe(self.game, k) for k in self.stage.structures]))
        header.append("strategy")
        cols.append(Categorical(col_idx, [c.label for c in self.columns]))
        header.append("critical_discount")
        cols.append(self.critical[col_idx, pt_idx])
        judged = self.valid[pt_idx] if self.has_discount else np.zeros(len(pt_idx), dtype=bool)
        for name, arr in (("sustainable", self.nash), ("subgame_perfect", self.spe)):
            header.append(name)
            vals = arr[col_idx, pt_idx]
            if judged.all():
                cols.append(vals)
            else:
                cols.append(Categorical(np.where(judged, vals.astype(np.int64), 2), ["false", "true", ""]))
        det_cols = [k for k, c in enumerate(self.columns) if c.name == "grim-after-detection"]
        if det_cols and self.has_discount:
            header.append("critical_detection")
            cols.append(self._critical_detection_array()[col_idx, pt_idx])
        return header, cols

    def _critical_detection_array(self) -> Any:
        """Per column and point, the least detection probability that sustains the target (NaN: none)."""
        import numpy as np

        out = np.full((len(self.columns), self.n_points), np.nan)
        for k, c in enumerate(self.columns):
            if c.name != "grim-after-detection":
                continue
            for ci, combo in enumerate(self.combos):
                e = combo.entries.get(c)
                if e is None or e.terms is None:
                    continue
                pts = np.flatnonzero(self.combo_of == ci)
                d = self.discount[pts]
                # each player: -(1 - delta) gain + delta loss pi >= 0, linear in pi over [0, 1]
                low, high, empty, _ = _linear_bounds(e.terms, lambda g, ls, d=d: -(1 - d) * g, lambda g, ls, d=d: d * ls,
                                                     len(pts))
                need = np.where(~empty & (high >= 1) & (low <= 1), low, np.nan)
                need[~self.valid[pts]] = np.nan
                out[k, pts] = need
        return out

    def csv_bytes(self) -> bytes:
        from ..sensitivity.csvout import csv_bytes

        header, cols = self.columns_csv()
        return csv_bytes(header, cols)

    def __repr__(self) -> str:
        grid = " x ".join(str(a) for a in self.axes)
        return (f"<RepeatedSweepResult {grid}: {self.n_points} points, {len(self.columns)} strategies, "
                f"{len(self.regimes)} regimes>")

    def _repr_html_(self) -> str:
        import html

        rows = []
        for r in self.regimes:
            d = self.regime_dict(r)
            from ..sensitivity.sweep import regime_where_text

            where = regime_where_text(d)
            sus = "discount factor not in [0, 1)" if d.get("discount_valid") is False else \
                ", ".join(d["sustainable"] or []) or "none"
            rows.append(f"<tr><td>{html.escape(str(where))}</td><td>{d['points']}</td>"
                        f"<td>{html.escape(sus)}</td><td>{html.escape(d['structure'])}</td></tr>")
        return (f"<table><caption>{html.escape(repr(self))}</caption><tr><th>where</th><th>points</th>"
                "<th>sustainable (Nash)</th><th>stage equilibria</th></tr>" + "".join(rows) + "</table>")


def _regimes(result: RepeatedSweepResult) -> list[RepeatedRegime]:
    import numpy as np

    ids, keys = result._structure()
    axes = result.axes
    out = []
    if len(axes) == 1:
        a = axes[0]
        change = np.flatnonzero(ids[1:] != ids[:-1]) + 1
        starts = np.r_[0, change]
        ends = np.r_[change - 1, len(ids) - 1]
        for s, e in zip(starts.tolist(), ends.tolist()):
            out.append(RepeatedRegime(keys[int(ids[s])], s, e, (s + e) // 2, e - s + 1,
                                      {a.name: (a.value(s), a.value(e))}))
        return out
    n1 = axes[1].num
    for sid in range(len(keys)):
        where = np.flatnonzero(ids == sid)
        if not len(where):
            continue
        i0, i1 = where // n1, where % n1
        c0, c1 = i0.mean(), i1.mean()
        rep = int(where[np.argmin((i0 - c0) ** 2 + (i1 - c1) ** 2)])
        bounds = {axes[0].name: (axes[0].value(int(i0.min())), axes[0].value(int(i0.max()))),
                  axes[1].name: (axes[1].value(int(i1.min())), axes[1].value(int(i1.max())))}
        out.append(RepeatedRegime(keys[sid], int(where[0]), int(where[-1]), rep, len(where), bounds))
    return out


def _thresholds(result: RepeatedSweepResult) -> list[RepeatedThreshold]:
    """Changes of sustainability between neighbouring points, exact where the parameter allows."""
    import numpy as np

    from .. import expressions as ex

    axis = result.axes[0]
    rep = result.game.repeated
    is_discount = isinstance(rep.discount, ex.Name) and rep.discount.name == axis.name
    is_detection = rep.detection is not None and isinstance(rep.detection, ex.Name) and rep.detection.name == axis.name
    out = []
    for k, c in enumerate(result.columns):
        judged = result.nash[k] & result.valid
        ok = result.valid & result.present[k]
        flips = np.flatnonzero(ok[:-1] & ok[1:] & (judged[:-1] != judged[1:]))
        for i in flips.tolist():
            becomes = bool(judged[i + 1])
            value = expr = None
            lo, hi = axis.value(i), axis.value(i + 1)
            e = result.entry_at(k, i)
            e2 = result.entry_at(k, i + 1)
            if is_discount and e is not None and e2 is e:
                if e.detection:
                    from .thresholds import detection_region

                    region = [] if e.terms is None or result.detection is None else \
                        detection_region(e.terms, result.exact_detection(i))
                else:
                    region = e.nash
                for iv in region:
                    for end in (iv.low, iv.high):
                        if compare(end, lo) >= 0 and compare(end, hi) <= 0:
                            value = end
                base = result._base_entry(c)
                if base is not None and value is not None and base.critical is not None \
                        and compare(base.critical, value) == 0:
                    expr = base.expression_text
            elif is_detection and e is not None and e.detection and e.terms is not None:
                from .thresholds import detection_probability_region

                for iv in detection_probability_region(e.terms, result.exact_discount(i)):
                    for end in (iv.low, iv.high):
                        if compare(end, lo) >= 0 and compare(end, hi) <= 0:
                            value = end
                base = result._base_entry(c)
                if base is not None and value is not None:
                    bd = base.details.get("critical_detection_exact")
                    if bd is not None and exact_string(value) == bd:
                        expr = base.details.get("critical_detection_expression")
            out.append(RepeatedThreshold(c, (i, i + 1), becomes, value, expr))
    out.sort(key=lambda t: (t.between[0], result.columns.index(t.column)))
    return out


# ---------------------------------------------------------------------------
# the entry point


def _uses(game: Any, name: str) -> tuple[bool, bool]:
    in_payoffs = name in game.names_used(set(game.payoff_expressions.flat))
    in_repeated = name in game.names_used(game.repeated_expressions())
    return in_payoffs, in_repeated


def repeated_sweep(
    game: Any,
    vary: Sequence[Any],
    *,
    target: Any = None,
    strategies: Any = None,
    generosity: Any = DEFAULT_GENEROSITY,
    punishment_rounds: Sequence[int] = (1, 2, 3),
    workers: int = 1,
    scheduler: Any = None,
    mixed: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
    stage: Any = None,
) -> RepeatedSweepResult:
    """The repeated game of ``game`` at every point of a grid of one or two parameters.

    ``vary`` as for :func:`gametheory.sensitivity.sweep`.  ``target``: the
    profile to sustain (default: at each stage game the welfare-maximising
    pure profile that is not a stage equilibrium).  ``strategies``: only
    these (``"grim,grim-after-detection"``; ``limited-punishment:2`` for one
    k).  ``generosity``: generous tit-for-tat's forgiveness probability
    (None leaves it out).  ``stage``: the stage game's sweep if already
    computed.

    Example::

        >>> import gametheory as gt
        >>> from gametheory.repeated.sweep import repeated_sweep
        >>> r = repeated_sweep(gt.load("games/security/arms_race_repeated.yaml"), ["delta=0:1:11"])
        >>> [bool(x) for x in r.sustainable("grim")]
        [False, False, False, False, False, True, True, True, True, True, False]
    """
    import numpy as np

    from .. import expressions as ex
    from ..sensitivity.backends import run_tasks
    from ..sensitivity.grid import make_axes
    from ..sensitivity.sweep import grid_columns
    from ..sensitivity.sweep import sweep as stage_sweep
    from .analysis import analyse

    started = time.perf_counter()
    if game.repeated is None:
        raise GameError("the file has no repeated: section (add repeated: {discount: ...})")
    axes = make_axes(game, vary)
    wanted = parse_strategies(strategies)
    if generosity is not None:
        generosity = Fraction(generosity)
    if stage is None:
        stage = stage_sweep(game, axes, workers=workers, scheduler=scheduler, mixed=mixed, progress=progress,
                            repeated=False)
    n = stage.n_points
    notes = [note for note in stage.notes if "does not appear in the payoffs" not in note]
    horizon = game.repeated.horizon
    # which axes change the stage game (each distinct stage game is analysed once, exactly)
    combo_axes = []
    for k, a in enumerate(axes):
        in_payoffs, in_repeated = _uses(game, a.name)
        if in_payoffs or (horizon is not None and in_repeated):
            combo_axes.append(k)
        elif not in_repeated:
            notes.append(f"{a.name} appears neither in the payoffs nor in the repeated: section: nothing changes "
                         "with it")
    flat = np.arange(n)
    if len(axes) == 1:
        pos = [flat]
    else:
        pos = [flat // axes[1].num, flat % axes[1].num]
    if not combo_axes:
        combo_of = np.zeros(n, dtype=np.int64)
    elif len(combo_axes) == 1:
        combo_of = pos[combo_axes[0]].astype(np.int64)
    else:
        combo_of = flat.astype(np.int64)
    n_combos = int(combo_of.max()) + 1 if n else 0
    reps = np.full(n_combos, -1, dtype=np.int64)
    # the first point of each combo (np.unique's first occurrence)
    uniq, first = np.unique(combo_of, return_index=True)
    reps[uniq] = first
    items = []
    for c in range(n_combos):
        index = int(reps[c])
        values = stage.values_at(index)
        sol = stage.solution_at(index)
        items.append((index, values, None if sol is None else list(sol.equilibria)))
    chunks = [items[s:s + COMBO_CHUNK] for s in range(0, len(items), COMBO_CHUNK)]
    target_spec = target
    tasks = [(game, chunk, target_spec, tuple(punishment_rounds), generosity) for chunk in chunks]
    done = run_tasks(combo_task, tasks, workers=workers if len(tasks) > 1 else 1, scheduler=scheduler,
                     sizes=[len(c) for c in chunks])
    combos: list[Combo] = [c for chunk in done for c in chunk]
    # the analysis at the file's values: descriptions and formulas
    base = None
    try:
        base = analyse(game, target=target, punishment_rounds=punishment_rounds, payoff_set=False,
                       generosity=generosity)
    except GameError:
        base = None
    columns: list[Column] = []
    if base is not None and base.targets:
        for s in base.strategies:
            col = column_of(s)
            if s.target == base.targets[0].profile and col not in columns:
                columns.append(col)
    for combo in combos:
        for col in combo.entries:
            if col not in columns:
                columns.append(col)
    columns = _selected(columns, wanted)
    # discount factor and detection probability over the grid
    env = _numeric_env(game, grid_columns(axes, 0, n))
    has_discount = game.repeated.discount is not None
    if has_discount:
        discount = np.broadcast_to(np.asarray(ex.evaluate_numeric(game.repeated.discount, env), dtype=float),
                                   (n,)).copy()
    else:
        discount = np.full(n, np.nan)
        notes.append("no discount factor in the file: the critical discount factors are reported, "
                     "sustainability is not judged (add repeated: {discount: ...})")
    detection = None
    if game.repeated.detection is not None:
        detection = np.broadcast_to(np.asarray(ex.evaluate_numeric(game.repeated.detection, env), dtype=float),
                                    (n,)).copy()
    decided: set[int] = set()

    def exact_delta(index: int) -> Any:
        return ex.evaluate(game.repeated.discount, _exact_env(game, stage.values_at(index)))

    def exact_pi(index: int) -> Any:
        return ex.evaluate(game.repeated.detection, _exact_env(game, stage.values_at(index)))

    # valid discount factors: 0 <= delta < 1, exactly at the edges
    valid = (discount >= 0) & (discount < 1) if has_discount else np.zeros(n, dtype=bool)
    if has_discount:
        for index in np.flatnonzero(np.isclose(discount, 0, atol=TOL) | np.isclose(discount, 1, atol=TOL)).tolist():
            d = exact_delta(index)
            valid[index] = compare(d, 0) >= 0 and compare(d, 1) < 0
            decided.add(index)
        bad = int((~valid).sum())
        if bad:
            notes.append(f"{bad} point{'s have' if bad > 1 else ' has'} a discount factor outside [0, 1): "
                         "no strategy is judged there")
    m = len(columns)
    critical = np.full((m, n), np.nan)
    nash = np.zeros((m, n), dtype=bool)
    spe = np.zeros((m, n), dtype=bool)
    present = np.zeros((m, n), dtype=bool)
    targets: list[tuple[int, ...]] = []
    target_id = np.full(n, -1, dtype=np.int64)
    order = np.argsort(combo_of, kind="stable")
    bounds = np.searchsorted(combo_of[order], np.arange(n_combos + 1))
    for ci, combo in enumerate(combos):
        pts = order[bounds[ci]:bounds[ci + 1]]
        if combo.undefined or not len(pts):
            continue
        if combo.target not in targets:
            targets.append(combo.target)
        target_id[pts] = targets.index(combo.target)
        d = discount[pts]
        for k, col in enumerate(columns):
            e = combo.entries.get(col)
            if e is None:
                continue
            present[k, pts] = True
            if e.detection:
                crit, ok_n, nearby = _detection_arrays(e, detection[pts] if detection is not None else None, d)
                critical[k, pts] = crit
                if has_discount:
                    for j in np.flatnonzero(nearby).tolist():
                        index = int(pts[j])
                        ok_n[j] = e.terms is not None and _detection_sustains(e.terms, exact_pi(index),
                                                                             exact_delta(index))
                        decided.add(index)
                    if e.finite is not None:
                        ok_n[:] = e.finite
                    nash[k, pts] = ok_n
                    spe[k, pts] = ok_n
                continue
            if e.critical is not None:
                critical[k, pts] = float(e.critical)
            if not has_discount:
                continue
            if e.finite is not None:
                nash[k, pts] = e.finite
                spe[k, pts] = e.finite
                continue
            for region, target_arr in ((e.nash, nash), (e.spe, spe)):
                inside, nearby = _region_arrays(region, d)
                for j in np.flatnonzero(nearby).tolist():
                    index = int(pts[j])
                    dx = exact_delta(index)
                    inside[j] = any(iv.contains(dx) for iv in region)
                    decided.add(index)
                target_arr[k, pts] = inside
    nash &= valid[None, :]
    spe &= valid[None, :]
    if base is not None:
        for note in base.notes:
            if note.startswith(("stage equilibria", "finite horizon")) and note not in notes:
                notes.append(note)
    if len({t for t in targets}) > 1:
        notes.append("the target (the welfare-maximising pure profile that is not a stage equilibrium) changes "
                     "across the grid; fix one with --target")
    undefined = sum(1 for c in combos if c.undefined)
    if undefined and not any("undefined" in nt for nt in notes):
        notes.append("points with undefined payoffs have no repeated-game analysis")
    return RepeatedSweepResult(
        game=game, axes=list(axes), stage=stage, columns=columns, base=base, combos=combos, combo_of=combo_of,
        discount=discount, detection=detection, valid=valid, critical=critical, nash=nash, spe=spe,
        present=present, targets=targets, target_id=target_id, generosity=generosity, notes=notes,
        exact_points=len(decided), elapsed=time.perf_counter() - started,
    )


def _region_arrays(region: list[Interval], d: Any) -> tuple[Any, Any]:
    """Membership of the floats ``d`` in a union of exact intervals, and the points too close to decide."""
    import numpy as np

    inside = np.zeros(len(d), dtype=bool)
    nearby = np.zeros(len(d), dtype=bool)
    for iv in region:
        lo, hi = float(iv.low), float(iv.high)
        above = (d > lo) | ((d == lo) & iv.low_closed)
        below = (d < hi) | ((d == hi) & iv.high_closed)
        inside |= above & below
        nearby |= np.abs(d - lo) <= TOL * max(1.0, abs(lo))
        nearby |= np.abs(d - hi) <= TOL * max(1.0, abs(hi))
    return inside, nearby


def _detection_sustains(terms: list, pi: Any, delta: Any) -> bool:
    """Exactly: does grim after detection sustain the target at (pi, delta)?"""
    from .thresholds import detection_region

    return any(iv.contains(delta) for iv in detection_region(terms, pi))


def _linear_bounds(terms: list, a_of: Callable, b_of: Callable, size: int) -> tuple:
    """Vectorised ``a + b x >= 0`` for every term, x in [0, 1): (low, high, empty, nearby) arrays.

    ``a_of(gain, loss)`` and ``b_of(gain, loss)`` give the coefficients as
    float arrays; ``nearby`` marks points where a coefficient or a bound is
    too close to a decision to trust floating point.
    """
    import numpy as np

    low = np.zeros(size)
    high = np.ones(size)
    empty = np.zeros(size, dtype=bool)
    unsure = np.zeros(size, dtype=bool)
    with np.errstate(all="ignore"):
        for gain, loss in terms:
            a = np.broadcast_to(np.asarray(a_of(float(gain), float(loss)), dtype=float), (size,))
            b = np.broadcast_to(np.asarray(b_of(float(gain), float(loss)), dtype=float), (size,))
            bound = -a / b
            pos, neg, zero = b > 0, b < 0, b == 0
            low = np.where(pos, np.maximum(low, bound), low)
            high = np.where(neg, np.minimum(high, bound), high)
            empty |= zero & (a < 0)
            empty |= neg & (bound < 0)
            unsure |= np.abs(b) <= TOL
            unsure |= np.abs(a) <= TOL
    empty |= low > high
    return low, high, empty, unsure


def _detection_arrays(e: Entry, pi: Any, d: Any) -> tuple[Any, Any, Any]:
    """Grim after detection: critical delta at each point's pi, sustainability, points too close to decide.

    Each player's condition is ``(1 - delta)(-gain) + delta pi loss >= 0``,
    i.e. ``-gain + delta (gain + pi loss) >= 0`` (linear in delta; a lower
    bound when the coefficient is positive, an upper one when negative).
    """
    import numpy as np

    size = len(d)
    if e.terms is None or pi is None:
        return np.full(size, np.nan), np.zeros(size, dtype=bool), np.zeros(size, dtype=bool)
    low, high, empty, unsure = _linear_bounds(e.terms, lambda g, ls: -g, lambda g, ls: g + pi * ls, size)
    reaches = ~empty & (high >= 1) & (low < 1)
    crit = np.where(reaches, low, np.nan)
    ok = ~empty & (d >= low) & (d <= high) & (d < 1)
    nearby = unsure.copy()
    nearby |= np.abs(d - low) <= TOL * np.maximum(1.0, np.abs(d))
    nearby |= np.abs(d - high) <= TOL * np.maximum(1.0, np.abs(d))
    nearby |= np.abs(low - 1) <= TOL
    nearby |= np.abs(low - high) <= TOL
    nearby |= np.abs(pi) <= TOL
    return crit, ok, nearby


__all__ = ["repeated_sweep", "RepeatedSweepResult", "RepeatedRegime", "RepeatedThreshold", "Column",
           "parse_strategies", "combo_task"]
