"""Tables for ``sweep``, ``thresholds``, ``compare`` and ``sensitivity`` (rich), and ``solve --symbolic``.

Rendering only: every number printed here was computed by the analysis
modules.  Exact values are printed as fractions (``2/3``) where known.
"""

from __future__ import annotations

from typing import Any

from .structure import describe, describe_equilibrium, equilibrium_key


def _num(x: Any) -> str:
    from fractions import Fraction

    from ..expressions import exact_text

    if isinstance(x, Fraction):
        return exact_text(x) if x.denominator < 10**6 else f"{float(x):.6g}"
    if isinstance(x, float):
        return f"{x:.6g}"
    return exact_text(x)


def _equilibria_text(game: Any, sol: Any) -> str:
    from ..report.solve import strategy_text

    if sol is None:
        return "payoffs undefined"
    parts = []
    for e in sol.equilibria:
        cells = [strategy_text(game, i, e.profile[i], e.exact) for i in range(game.n_players)]
        # pure profiles as everywhere else, (A, B); mixed ones need ';' between players
        parts.append("(" + (", " if e.pure else "; ").join(cells) + ")")
    text = "  ".join(parts) or "none found"
    if sol.degenerate:
        # parentheses, not brackets: rich would read [..] as markup and drop it
        text += "  (degenerate" + (": a continuum" if getattr(sol, "continuum", False) else "") + ")"
    return text


def render_sweep(result: Any, console: Any, max_points: int = 61) -> None:
    """Regimes, then (for short one-parameter sweeps) the equilibria at every point."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    game = result.game
    console.print(Text(game.title or "(untitled game)", style="bold"))
    grid = " x ".join(f"{a.name} from {_num(a.start)} to {_num(a.stop)} ({a.num} points)" for a in result.axes)
    fixed = ", ".join(f"{k} = {_num(v)}" for k, v in game.values.items() if k not in result.parameters)
    console.print(f"Sweep of {grid}" + (f"; fixed: {fixed}" if fixed else ""))
    # the time only when it matters (a short sweep's time would make the printed output vary run to run)
    took = f" ({result.elapsed:.1f} s)" if result.elapsed >= 1 else ""
    console.print(f"{result.n_points} points: {result.method}; {result.n_exact} solved exactly one by one{took}")
    table = Table(title="Regimes", box=box.SIMPLE_HEAVY, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("where")
    table.add_column("points", justify="right")
    table.add_column("type")
    table.add_column("equilibria (at a point inside)")
    for k, r in enumerate(result.regimes, 1):
        if len(result.axes) == 1:
            lo, hi = r.bounds[result.axes[0].name]
            where = f"{result.axes[0].name} = {_num(lo)}" if lo == hi else f"{_num(lo)} .. {_num(hi)}"
        else:
            where = ", ".join(f"{n} = {_num(lo)}" if lo == hi else f"{n} {_num(lo)}..{_num(hi)}"
                              for n, (lo, hi) in r.bounds.items())
            box = 1
            for axis in result.axes:
                lo, hi = r.bounds[axis.name]
                box *= sum(1 for k in range(axis.num) if lo <= axis.value(k) <= hi)
            if r.points < box:  # not a rectangle: say the ranges only bound it
                where = f"within {where}"
        at = result.values_at(r.point)
        from .classify import classify_2x2, region_types

        kind = ""
        sol = result.solution_at(r.point)
        if sol is not None:
            kind = (" or ".join(region_types(result, r.structure)) if len(result.axes) == 2
                    else classify_2x2(game.with_parameters(at))) or ""
        here = ", ".join(f"{n} = {_num(v)}" for n, v in at.items())
        table.add_row(str(k), where, str(r.points), kind,
                      f"{describe(game, r.key)}\nat {here}: {_equilibria_text(game, sol)}")
    console.print(table)
    if len(result.axes) == 1 and result.n_points <= max_points:
        pts = Table(title="Equilibria at each point", box=box.SIMPLE, title_justify="left")
        name = result.axes[0].name
        pts.add_column(name, justify="right")
        pts.add_column("equilibria")
        for index in range(result.n_points):
            pts.add_row(_num(result.values_at(index)[name]), _equilibria_text(game, result.solution_at(index)))
        console.print(pts)
    elif len(result.axes) == 1:
        console.print("(use --format csv or --format json for the equilibria at every point)")
    for note in result.notes:
        console.print(f"Note: {note}", style="yellow")


def render_thresholds(result: Any, console: Any) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    game = result.game
    name = result.parameter
    console.print(Text(game.title or "(untitled game)", style="bold"))
    fixed = ", ".join(f"{k} = {_num(v)}" for k, v in game.values.items() if k != name)
    console.print(f"Thresholds of {name} in [{_num(result.low)}, {_num(result.high)}]"
                  + (f"; fixed: {fixed}" if fixed else "") + f" ({result.method})")
    if result.thresholds:
        table = Table(box=box.SIMPLE_HEAVY)
        table.add_column(name, justify="right")
        table.add_column("expression")
        table.add_column("what changes")
        table.add_column("exactly at the threshold")
        for t in result.thresholds:
            value = _num(t.value) if t.exact is not None else f"{t.float_value:.12g} (numerical)"
            change = []
            if t.below is not None:
                change.append(f"below: {describe(game, t.below)}")
            if t.above is not None:
                change.append(f"above: {describe(game, t.above)}")
            if t.repeated:
                flips = _repeated_flips(t.repeated)
                if flips:
                    change.append(flips)
            at_game = game.with_parameters({name: t.value})
            at = _equilibria_text(at_game, t.at)
            if t.classification:
                at = f"{t.classification}: {at}"
            table.add_row(value, t.expression_text or "", "\n".join(change), at)
        console.print(table)
    else:
        console.print("No threshold in this range: the equilibrium structure is the same throughout.")
    regimes = Table(title="Regimes", box=box.SIMPLE_HEAVY, title_justify="left")
    regimes.add_column(name)
    regimes.add_column("type")
    regimes.add_column("equilibria at a point inside")
    for r in result.regimes:
        at_game = game.with_parameters({name: r.point})
        text = f"at {name} = {_num(r.point)}: {_equilibria_text(at_game, r.solution)}"
        if r.repeated:
            sustained = [k for k, v in r.repeated.items() if v.get("nash")]
            text += "\nsustainable (Nash): " + (", ".join(sustained) if sustained else "none")
        regimes.add_row(f"{_num(r.low)} .. {_num(r.high)}", r.classification or "", text)
    console.print(regimes)
    for note in result.notes:
        console.print(f"Note: {note}", style="yellow")


def _repeated_flips(rep: dict) -> str:
    below, above = rep.get("below") or {}, rep.get("above") or {}
    flips = []
    for k in above:
        if k in below and below[k] != above[k]:
            b, a = below[k], above[k]
            what = []
            if b["nash"] != a["nash"]:
                what.append("Nash" if a["nash"] else "no longer Nash")
            if b["subgame_perfect"] != a["subgame_perfect"]:
                what.append("subgame perfect" if a["subgame_perfect"] else "no longer subgame perfect")
            flips.append(f"{k}: {', '.join(what)}")
    return "\n".join(flips)


def render_compare(result: Any, console: Any) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from ..report.solve import strategy_text

    game = result.game
    console.print(Text(game.title or "(untitled game)", style="bold"))
    table = Table(box=box.SIMPLE_HEAVY)
    table.add_column("")
    for s in result.scenarios:
        table.add_column(s.name)
    table.add_row("values", *[", ".join(f"{k} = {_num(v)}" for k, v in s.values.items()) or "(file values)"
                              for s in result.scenarios])
    table.add_row("type", *[s.classification or "" for s in result.scenarios])
    keys: list[tuple] = []
    for s in result.scenarios:
        for e in s.solution.equilibria:
            k = equilibrium_key(e)
            if k not in keys:
                keys.append(k)
    for k in keys:
        cells = []
        for s in result.scenarios:
            found = [e for e in s.solution.equilibria if equilibrium_key(e) == k]
            if not found:
                cells.append("-")
                continue
            e = found[0]
            strat = "; ".join(strategy_text(s.game, i, e.profile[i], e.exact) for i in range(game.n_players))
            pays = ", ".join(_num(v) for v in e.payoffs)
            cells.append(f"{strat}\npayoffs {pays}" if not e.pure else f"payoffs {pays}")
        table.add_row(describe_equilibrium(game, k), *cells)
    table.add_row("degenerate", *["yes" if s.solution.degenerate else "no" for s in result.scenarios])
    console.print(table)
    for c in result.changes:
        lines = []
        if c["type"]:
            lines.append(f"type: {c['type']['from']} -> {c['type']['to']}")
        if c["appear"]:
            lines.append("appear: " + ", ".join(c["appear"]))
        if c["vanish"]:
            lines.append("vanish: " + ", ".join(c["vanish"]))
        for ch in c["changed"]:
            bits = []
            for p, per in ch["probabilities"].items():
                for s, v in per.items():
                    bits.append(f"P({p} {s}) {v['exact'][0]} -> {v['exact'][1]}")
            for p, v in ch["payoffs"].items():
                bits.append(f"{p}'s payoff {v['exact'][0]} -> {v['exact'][1]}")
            lines.append(f"{ch['equilibrium']}: " + "; ".join(bits))
        console.print(Text(f"{c['from']} -> {c['to']}:", style="bold"))
        for line in lines or ["no change in the equilibria"]:
            console.print(f"  {line}")


def render_sensitivity(result: Any, console: Any) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    game = result.game
    console.print(Text(game.title or "(untitled game)", style="bold"))
    console.print("At " + ", ".join(f"{k} = {_num(v)}" for k, v in game.values.items()) + ": "
                  + describe(game, result.solution.key))
    table = Table(title="How far each parameter can move before the equilibrium set changes (most fragile first)",
                  box=box.SIMPLE_HEAVY, title_justify="left")
    for col, just in (("#", "right"), ("parameter", "left"), ("value", "right"), ("range", "left"),
                      ("down to", "left"), ("margin", "right"), ("up to", "left"), ("margin", "right"),
                      ("largest |derivative|", "right")):
        table.add_column(col, justify=just)
    for k, p in enumerate(result.parameters, 1):
        if not p.affects_payoffs:
            table.add_row(str(k), p.name, _num(p.value), "", "not in the payoffs", "", "", "", "")
            continue
        rng = f"[{_num(p.low)}, {_num(p.high)}]" + (" (assumed)" if p.assumed_range else "")
        down = (f"{_num(p.below)}" + (f" = {p.below_expression}" if p.below_expression and p.below_expression != _num(p.below) else "")) if p.below is not None else "none in range"
        up = (f"{_num(p.above)}" + (f" = {p.above_expression}" if p.above_expression and p.above_expression != _num(p.above) else "")) if p.above is not None else "none in range"
        table.add_row(str(k), p.name, _num(p.value), rng, down, _num(p.margin_down) if p.margin_down is not None else "",
                      up, _num(p.margin_up) if p.margin_up is not None else "", f"{p.largest_derivative:.4g}")
    console.print(table)
    deriv = Table(title="Derivatives of the equilibria at the current values", box=box.SIMPLE, title_justify="left")
    deriv.add_column("equilibrium")
    deriv.add_column("quantity")
    for p in result.parameters:
        if p.affects_payoffs:
            deriv.add_column(f"d/d{p.name}", justify="right")
    active = [p for p in result.parameters if p.affects_payoffs]
    if active:
        for e_index, entry in enumerate(active[0].derivatives):
            rows: dict[str, list[str]] = {}
            for p in active:
                d = p.derivatives[e_index]
                for player, per in d["probabilities"].items():
                    for s, v in per.items():
                        rows.setdefault(f"P({player} plays {s})", []).append(v["exact"])
                for player, v in d["payoffs"].items():
                    rows.setdefault(f"{player}'s payoff", []).append(v["exact"])
            for q, vals in rows.items():
                deriv.add_row(entry["equilibrium"], q, *vals)
        console.print(deriv)
    for note in result.notes:
        console.print(f"Note: {note}", style="yellow")


def render_symbolic_table(result: Any, console: Any) -> None:
    """``solve --symbolic`` as printed text (see :func:`~gametheory.sensitivity.symbolic.render_symbolic`)."""
    from .symbolic import render_symbolic

    console.print(render_symbolic(result), highlight=False)


def _exact_or_float(x: Any) -> str:
    from ..repeated.thresholds import exact_string

    if x is None:
        return "never"
    text = exact_string(x)
    return text if text is not None else f"{float(x):.6g}"


def render_repeated_sweep(result: Any, console: Any, max_points: int = 61) -> None:
    """A sweep of the repeated game: critical discount factors, regimes of sustainability, thresholds."""
    import numpy as np
    from rich import box
    from rich.table import Table
    from rich.text import Text

    game = result.game
    stage = result.stage
    say = lambda text, **kw: console.print(text, soft_wrap=True, **kw)  # noqa: E731
    say(Text(f"{game.title or '(untitled game)'}: the repeated game over a grid", style="bold"))
    grid = " x ".join(f"{a.name} from {_num(a.start)} to {_num(a.stop)} ({a.num} points)" for a in result.axes)
    fixed = ", ".join(f"{k} = {_num(v)}" for k, v in game.values.items() if k not in result.parameters)
    say(f"Sweep of {grid}" + (f"; fixed: {fixed}" if fixed else ""))
    from .. import expressions as ex

    rep = game.repeated
    line = f"Discount factor: {ex.to_text(rep.discount)}" if rep.discount is not None else "No discount factor"
    if rep.detection is not None:
        line += f"; detection probability: {ex.to_text(rep.detection)}"
    if result.generosity is not None and any(c.name == "generous-tft" for c in result.columns):
        from ..repeated.thresholds import generosity_symbol

        line += (f"; generous tit-for-tat forgives with probability {generosity_symbol(game)} = "
                 f"{_num(result.generosity)}")
    say(line)
    analysed = sum(1 for c in result.combos if not c.undefined)
    say(f"{result.n_points} points; {analysed} stage game{'s' if analysed != 1 else ''} analysed exactly; "
        f"{result.exact_points} point{'s' if result.exact_points != 1 else ''} within 1e-9 of a threshold "
        "decided exactly")
    targets = {result.targets[int(t)] for t in np.unique(result.target_id) if t >= 0}
    structures = np.unique(stage.structure)
    if len(targets) == 1 and len(structures) == 1:
        from ..repeated._common import profile_label

        key = stage.structures[int(structures[0])]
        say(f"Target {profile_label(game, next(iter(targets)))}; stage equilibria everywhere: {describe(game, key)}")
    # critical discount factors
    say(Text("Critical discount factors delta*", style="bold"))
    crit = Table(box=box.SIMPLE_HEAVY)
    crit.add_column("strategy")
    crit.add_column("delta*", justify="right")
    crit.add_column("formula (at the file's values)")
    for k, c in enumerate(result.columns):
        vals = result.critical[k][result.present[k]]
        if not len(vals):
            continue
        finite = vals[np.isfinite(vals)]
        if np.isnan(vals).all():
            # no region of the form [delta*, 1): never, unless the strategy works on a bounded stretch
            works = bool(np.asarray(result.nash[k])[result.present[k]].any())
            text = "no delta* (works on a bounded range; see regimes)" if works else "never"
        elif len(finite) == len(vals) and np.ptp(finite) == 0:
            index = int(np.flatnonzero(result.present[k])[0])
            text = _exact_or_float(result.critical_exact(k, index))
        else:
            text = f"{finite.min():.4g} .. {finite.max():.4g}" + (" or never" if len(finite) < len(vals) else "")
        base = result._base_entry(c)
        crit.add_row(c.label, text, (base.expression_text or "") if base is not None else "")
    console.print(crit)
    # regimes
    say(Text("Regimes: where the same strategies sustain the target (Nash)", style="bold"))
    regimes = Table(box=box.SIMPLE_HEAVY)
    regimes.add_column("#", justify="right")
    regimes.add_column("where")
    regimes.add_column("points", justify="right")
    regimes.add_column("sustainable (Nash)")
    show_stage = len(structures) > 1 or len(targets) > 1
    if show_stage:
        regimes.add_column("stage equilibria; target")
    for k, r in enumerate(result.regimes, 1):
        if len(result.axes) == 1:
            lo, hi = r.bounds[result.axes[0].name]
            where = f"{result.axes[0].name} = {_num(lo)}" if lo == hi else f"{_num(lo)} .. {_num(hi)}"
        else:
            where = ", ".join(f"{n} {_num(lo)}..{_num(hi)}" for n, (lo, hi) in r.bounds.items())
        stage_key, target, sustained = r.key
        if sustained is None:
            text = "(discount factor not in [0, 1))" if result.has_discount else "-"
        elif not result.has_discount:
            text = "(no discount factor)"
        else:
            text = ", ".join(sustained) or "none"
        row = [str(k), where, str(r.points), text]
        if show_stage:
            from ..repeated._common import profile_label

            row.append(describe(game, stage_key) + ("" if target is None else f"; {profile_label(game, target)}"))
        regimes.add_row(*row)
    console.print(regimes)
    # thresholds (one parameter)
    if result.thresholds:
        name = result.axes[0].name
        say(Text("Thresholds", style="bold"))
        for t in result.thresholds:
            lo, hi = (result.values_at(i)[name] for i in t.between)
            what = "becomes sustainable" if t.becomes else "stops being sustainable"
            at = ""
            if t.value is not None:
                at = f" at {name} = {_exact_or_float(t.value)}" + (f" = {t.expression}" if t.expression else "")
                at += f" (between {_num(lo)} and {_num(hi)})"
            else:
                at = f" between {name} = {_num(lo)} and {_num(hi)}"
            say(f"  {t.column.label} {what}{at}")
    # every point (short one-parameter sweeps)
    if len(result.axes) == 1 and result.n_points <= max_points:
        name = result.axes[0].name
        say(Text("Sustainable strategies at each point", style="bold"))
        pts = Table(box=box.SIMPLE)
        pts.add_column(name, justify="right")
        show_delta = not (isinstance(rep.discount, ex.Name) and rep.discount.name == name)
        if show_delta and result.has_discount:
            pts.add_column("delta", justify="right")
        pts.add_column("sustainable (Nash)")
        for index in range(result.n_points):
            labels = result.sustainable_labels(index)
            text = ("-" if not result.has_discount else "(discount factor not in [0, 1))") if labels is None \
                else (", ".join(labels) or "none")
            row = [_num(result.values_at(index)[name])]
            if show_delta and result.has_discount:
                row.append(f"{result.discount[index]:.6g}")
            pts.add_row(*row, text)
        console.print(pts)
    elif len(result.axes) == 1:
        say("(use --format csv or --format json for every point)")
    for note in result.notes:
        say(f"Note: {note}", style="yellow")


__all__ = ["render_repeated_sweep", "render_sweep", "render_thresholds", "render_compare", "render_sensitivity", "render_symbolic_table"]
