"""What ``gametheory repeated`` and ``gametheory simulate`` print: tables for a teacher, CSV rows.

Rendering only: every number comes from a result object
(:class:`~gametheory.repeated.analysis.RepeatedResult`,
:class:`~gametheory.repeated.simulate.MatchResult`,
:class:`~gametheory.repeated.simulate.TournamentResult`).  Exact values are
shown as fractions (``1/2``), irrational ones as their radicals
(``-1/2 + sqrt(5)/2``) or, for roots of higher-degree polynomials, to six
significant digits.
"""

from __future__ import annotations

from typing import Any

from ._common import exact_text, is_fraction, rounds_text
from .apspace import DISPLAY_DENOMINATOR


def say(console: Any, text: Any, **kwargs: Any) -> None:
    """Print prose without inserted line breaks (the terminal wraps it; formulas stay whole)."""
    console.print(text, soft_wrap=True, **kwargs)


def _num(x: Any) -> str:
    if x is None:
        return "-"
    if is_fraction(x):
        return exact_text(x)
    if isinstance(x, float):
        return f"{x:.6g}"
    from .thresholds import exact_string

    text = exact_string(x)
    return text if text is not None else f"{float(x):.6g}"


def _vec(values: Any) -> str:
    return "(" + ", ".join(_num(v) for v in values) + ")"


def _yes(flag: bool | None) -> str:
    return "-" if flag is None else ("yes" if flag else "no")


def _mixture(strategies: Any, probabilities: Any) -> str:
    """``Heads`` for a pure strategy, ``Heads 1/2, Tails 1/2`` for a mixture."""
    mix = [(s, p) for s, p in zip(strategies, probabilities) if float(p) > 1e-12]
    return mix[0][0] if len(mix) == 1 else ", ".join(f"{s} {_num(p)}" for s, p in mix)


def _profile(game: Any, profile: Any) -> str:
    return "(" + ", ".join(game.strategies[i][s] for i, s in enumerate(profile)) + ")"


def render_repeated(result: Any, console: Any) -> None:
    """Print a :class:`RepeatedResult` as text and tables."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from .thresholds import _stage_label

    g = result.game
    say(console, f"{g.title or '(untitled game)'}: the repeated game", style="bold")
    if g.values:
        say(console, "Parameters: " + ", ".join(f"{k} = {exact_text(v)}" for k, v in g.values.items()))
    horizon = "infinite" if result.horizon is None else f"{result.horizon} rounds"
    delta = "not given" if result.discount is None else _num(result.discount)
    line = f"Discount factor delta = {delta}; horizon: {horizon}"
    if result.detection is not None:
        line += f"; a violation is detected with probability pi = {_num(result.detection)}"
    say(console, line)

    console.print()
    word = "equilibrium" if len(result.stage) == 1 else "equilibria"
    console.print(Text(f"Stage game: {len(result.stage)} Nash {word} ({result.stage_method})", style="bold"))
    for k, eq in enumerate(result.stage):
        say(console, f"  #{k} {_stage_label(g, eq)}  payoffs {_vec(eq.payoffs)}")
    say(console, "  Playing a stage equilibrium in every round is always a subgame-perfect equilibrium.")

    console.print()
    table = Table(
        title="Punishment and security values", box=box.SIMPLE_HEAVY, title_justify="left", title_style="bold"
    )
    table.add_column("player")
    table.add_column("minmax (mixed)", justify="right")
    if g.n_players == 2:
        table.add_column("minmax (pure)", justify="right")
    else:  # the maxmin is the correlated punishment's value: the lower bound
        table.add_column("exact")
        table.add_column("minmax (pure)", justify="right")
    table.add_column("maxmin", justify="right")
    table.add_column("punished by")
    for k, v in enumerate(result.values):
        others = [j for j in range(g.n_players) if j != k]
        if g.n_players == 2:
            j = others[0]
            mix = [(s, p) for s, p in zip(g.strategies[j], v.punishment) if float(p) > 1e-12]
            how = f"{g.players[j]}: " + (
                mix[0][0] if len(mix) == 1 else ", ".join(f"{s} {_num(p)}" for s, p in mix)
            )
            table.add_row(v.player, _num(v.minmax), _num(v.minmax_pure), _num(v.maxmin), how)
            continue
        exact = v.minmax_kind == "mixed"
        lo, hi = v.minmax_bounds if v.minmax_bounds else (v.correlated_minmax, v.minmax)
        mixed = _num(v.minmax) if exact else f"[{_num(lo)}, {_num(hi)}]"
        if v.mixed_punishment is not None:
            how = "\n".join(  # one punisher a line
                f"{g.players[j]}: {_mixture(g.strategies[j], x)}" for j, x in zip(others, v.mixed_punishment)
            )
        else:  # pragma: no cover (every N > 2 result carries a punishment profile)
            how = ", ".join(
                f"{g.players[j]}: {g.strategies[j][a]}" for j, a in zip(others, v.pure_punishment)
            )
        table.add_row(v.player, mixed, "yes" if exact else "bounds", _num(v.minmax_pure), _num(v.maxmin), how)
    console.print(table)
    if g.n_players > 2:
        bracketed = [v.player for v in result.values if v.minmax_kind != "mixed"]
        text = (
            "  N > 2: the punishers mix independently. Exact values minimise the punished player's best "
            "payoff over the critical points of the punishment problem (support enumeration, exact "
            "polynomial solving). Punishers who could correlate would hold each player to its maxmin, "
            "the lower bound; pure punishments give the upper bound."
        )
        if bracketed:
            text += (
                f" Bracketed ({', '.join(bracketed)}): between the maxmin and the best punishment "
                "found; that upper bound is used."
            )
        say(console, text)

    fs = result.feasible
    verts = ", ".join(f"{_vec(v)} {_profile(g, p[0])}" for v, p in zip(fs.vertices, fs.profiles))
    say(
        console,
        f"Feasible payoffs: the convex hull of {verts}"
        + ("" if fs.full_dimensional else f" (dimension {fs.dimension})"),
    )
    ir = result.rational
    if ir.vertices is not None and ir.vertices:
        say(
            console,
            "Individually rational (each at least its minmax): vertices "
            + ", ".join(_vec(v) for v in ir.vertices),
        )
    elif not ir.nonempty:
        say(console, "Individually rational: empty")
    say(
        console,
        "Folk theorem (Fudenberg & Maskin 1986): every feasible payoff strictly above the minmax "
        "values is an equilibrium payoff for delta close enough to 1"
        + ("" if ir.strictly_nonempty else " (here no feasible payoff is strictly above them)")
        + ".",
    )

    for t in result.targets:
        console.print()
        devs = "; ".join(_deviation_text(g, t, i) for i in range(g.n_players) if t.deviation[i] is not None)
        console.print(Text(f"Target {_profile(g, t.profile)}: payoffs {_vec(t.payoffs)}", style="bold"))
        say(console, f"  best deviations: {devs}")
        title = "Critical discount factors delta*" + (
            f"; equilibrium at delta = {delta}?" if result.discount is not None else ""
        )
        table = Table(box=box.SIMPLE_HEAVY, title=title, title_justify="left", title_style="bold")
        table.add_column("strategy: condition")
        table.add_column("delta*", justify="right", no_wrap=True)
        table.add_column("Nash", justify="center", no_wrap=True)
        table.add_column("SPE", justify="center", no_wrap=True)
        bounded = False
        for s in result.strategies:
            if s.target != t.profile:
                continue
            name = s.name
            if "rounds" in s.details:
                name += f" ({rounds_text(s.details['rounds'])})"
            if "generosity_exact" in s.details:
                name += f" (generosity {s.details.get('generosity_symbol', 'g')} = {s.details['generosity_exact']})"
            cell = Text(name, style="bold")
            cell.append("\n  " + s.condition, style="")
            if s.critical is None:
                crit = _region_cell(s.nash_region)
                bounded = bounded or bool(s.nash_region)
            elif is_fraction(s.critical):
                crit = _num(s.critical)
            else:  # irrational: the number here, its exact form below the condition
                crit = f"{float(s.critical):.6f}"
                if s.exact is not None:
                    cell.append(f"\n  delta* = {s.exact}", style="")
            table.add_row(cell, crit, _yes(s.nash), _yes(s.subgame_perfect))
        console.print(table)
        if bounded:
            say(
                console,
                "  delta*: from there on an equilibrium for every larger delta; an interval or a point instead: "
                "an equilibrium only there (Nash region), never for delta close to 1.",
            )
        for s in result.strategies:
            if s.target != t.profile:
                continue
            if s.name == "grim" and s.punishment.get("profile"):
                which = (
                    ", the common punishment that sustains the target for the most discount factors"
                    if len(result.stage) > 1 else ""
                )
                say(
                    console,
                    f"  grim reverts to stage equilibrium #{s.punishment['equilibrium']} "
                    f"{s.punishment['profile']}{which}.",
                )
            if s.name == "nash-reversion":
                who = "; ".join(f"{p} by {lab}" for p, lab in s.punishment["profiles"].items())
                say(console, f"  nash-reversion punishes {who}.")
            if s.name == "grim-after-detection" and s.details.get("critical_detection") is not None:
                expr = s.details.get("critical_detection_expression")
                say(
                    console,
                    f"  at delta = {delta} verification must detect a violation with probability at "
                    f"least {_num_text(s.details['critical_detection_exact'], s.details['critical_detection'])}"
                    + (f" = {expr}" if expr else ""),
                )
            elif s.name == "grim-after-detection" and "detection_region" in s.details:
                where = s.details["detection_region"]
                where = "for no detection probability" if where == "never" else f"only for {where}"
                say(console, f"  at delta = {delta} grim-after-detection sustains the target {where}.")
            if s.name == "generous-tft":
                gen = s.details["generosity_exact"]
                if "largest_generosity" in s.details:
                    top = s.details.get("largest_generosity_exact")
                    expr = s.details.get("largest_generosity_expression")
                    sym = s.details.get("generosity_symbol", "g")
                    if top is None:
                        where = "for no generosity (not even 0, tit-for-tat)"
                    elif s.details.get("generosity_region_from_zero", True):
                        where = f"for generosity {s.details.get('generosity_region', f'{sym} <= {top}')}" + (
                            f" = {expr}" if expr else ""
                        )
                    else:
                        where = f"only for generosity {s.details['generosity_region']}"
                    say(console, f"  at delta = {delta} generous tit-for-tat is a Nash equilibrium {where}; "
                                 f"shown with generosity {gen} (--generosity).")
                spe = "never" if not s.spe_region else ", ".join(iv.text() for iv in s.spe_region)
                say(console, f"  generous-tft is subgame perfect: {spe} (one-shot deviation principle: "
                             "indifferent after every defection only on a knife edge).")
            if s.name == "tit-for-tat":
                spe = "never" if not s.spe_region else ", ".join(iv.text() for iv in s.spe_region)
                say(
                    console,
                    f"  tit-for-tat is subgame perfect: {spe} (one-shot deviation principle: "
                    + s.details.get("subgame_perfect_condition", "only where (T - R)/(R - S) = (P - S)/(T - P) = delta")
                    + ").",
                )

    if result.finite is not None:
        console.print()
        console.print(Text("Finite horizon", style="bold"))
        say(console, "  " + result.finite.summary)

    if result.payoff_set is not None:
        ps = result.payoff_set
        console.print()
        console.print(Text(f"Equilibrium payoffs at delta = {delta}", style="bold"))
        if ps.empty:
            say(console, "  none: no pure-strategy subgame-perfect equilibrium")
        else:
            say(
                console,
                "  vertices "
                + ", ".join(_vertex_text(v) for v in ps.rounded_vertices(_anchors(result)))
                + f"; area {ps.area:.4g}",
            )
            say(
                console,
                "  (pure strategies with public randomisation, perfect monitoring; an outer "
                f"approximation with {len(ps.directions)} directions, Judd, Yeltekin & Conklin 2003; "
                f"coordinates within {ps.display_tolerance():.0e} of a fraction with denominator at most "
                f"{DISPLAY_DENOMINATOR}, or of a feasible vertex, are shown exactly, others to 4 digits)",
            )
    if result.notes:
        console.print()
        for note in result.notes:
            say(console, f"Note: {note}", style="yellow")


def _anchors(result: Any) -> list:
    """Exact points the equilibrium payoff set's vertices snap to: feasible, individually rational, stage."""
    out = [tuple(v) for v in result.feasible.vertices]
    if result.rational.vertices:
        out += [tuple(v) for v in result.rational.vertices]
    out += [tuple(eq.payoffs) for eq in result.stage if len(eq.payoffs) == 2]
    return out


def _vertex_text(v: Any) -> str:
    return "(" + ", ".join(f"{x:.4g}" if isinstance(x, float) else _num(x) for x in v) + ")"


def _deviation_text(game: Any, t: Any, i: int) -> str:
    """``Blue -> D (5, gain 2)``, or ``Red: no profitable deviation (best alternative Defend pays 1, 3 less)``."""
    action = game.strategies[i][t.deviation[i]]
    pays = t.deviation_payoff[i]
    gain = pays - t.payoffs[i]
    from ._common import compare

    c = compare(gain, 0)
    if c > 0:
        return f"{game.players[i]} -> {action} ({_num(pays)}, gain {_num(gain)})"
    less = "the same" if c == 0 else f"{_num(-gain)} less"
    return f"{game.players[i]}: no profitable deviation (best alternative {action} pays {_num(pays)}, {less})"


def _region_cell(region: Any) -> str:
    """The delta* cell of a strategy whose Nash region does not reach 1: ``never``, ``[0, 1/3]``, ``1/3 only``."""
    if not region:
        return "never"
    def text(x: Any) -> str:  # the number (irrational: to 6 digits, as the delta* column does)
        return _num(x) if is_fraction(x) else f"{float(x):.6f}"

    parts = []
    for iv in region:
        if iv.is_point:
            parts.append(f"{text(iv.low)} only")
        else:
            parts.append(
                ("[" if iv.low_closed else "(") + f"{text(iv.low)}, {text(iv.high)}" + ("]" if iv.high_closed else ")")
            )
    return " or ".join(parts)


def _num_text(exact: str | None, value: float | None) -> str:
    return exact if exact is not None else f"{value:.6g}"


# ---------------------------------------------------------------------------
# simulate


def _mapping_line(game: Any, mapping: Any) -> str:
    c = ", ".join(f"{p} {game.strategies[i][mapping.cooperate[i]]}" for i, p in enumerate(game.players))
    d = ", ".join(f"{p} {game.strategies[i][mapping.defect[i]]}" for i, p in enumerate(game.players))
    return f"C (cooperate) = {c};  D (defect) = {d}"


def render_match(result: Any, console: Any, history_limit: int = 40) -> None:
    from rich import box
    from rich.table import Table

    g = result.game
    head = f"{result.strategies[0]} ({g.players[0]}) vs {result.strategies[1]} ({g.players[1]}), {result.rounds} rounds"
    extras = []
    if result.noise:
        extras.append(f"noise {result.noise:g}")
    if result.misperception:
        extras.append(f"misperception {result.misperception:g}")
    if result.seed is not None:
        extras.append(f"seed {result.seed}")
    say(
        console,
        f"{g.title or 'Repeated game'}: " + head + (f" ({', '.join(extras)})" if extras else ""),
        style="bold",
    )
    say(console, _mapping_line(g, result.mapping))
    if result.rounds <= history_limit:
        table = Table(box=box.SIMPLE)
        table.add_column("round", justify="right")
        for p in g.players:
            table.add_column(p)
        table.add_column("payoffs", justify="right")
        for t in range(result.rounds):
            names = result.action_names(t)
            marks = ["C" if m == 0 else "D" for m in result.moves[t]]
            table.add_row(
                str(t + 1), *[f"{n} ({k})" for n, k in zip(names, marks)], _vec(result.payoffs_at(t))
            )
        console.print(table)
    table = Table(box=box.SIMPLE_HEAVY, pad_edge=False)
    table.add_column("player", no_wrap=True)
    table.add_column("strategy", no_wrap=True)
    table.add_column("total", justify="right")
    table.add_column("avg", justify="right")
    if result.discounted is not None:
        table.add_column("disc.", justify="right")
        table.add_column("disc. avg", justify="right")
    table.add_column("coop.", justify="right")
    for i, p in enumerate(g.players):
        row = [p, result.strategies[i], _num(result.total[i]), _num(result.average[i])]
        if result.discounted is not None:
            row += [f"{result.discounted[i]:.4f}", f"{result.normalised[i]:.4f}"]
        row.append(f"{100 * result.cooperation[i]:.1f}%")
        table.add_row(*row)
    console.print(table)
    if result.discounted is not None:
        say(
            console,
            f"disc.: sum of delta^t u_t over rounds t = 0, 1, ... with delta = {_num(result.discount)}; "
            "disc. avg: (1 - delta)/(1 - delta^n) times it; coop.: share of rounds playing C.",
        )


def render_tournament(result: Any, console: Any) -> None:
    from rich import box
    from rich.table import Table

    g = result.game
    extras = [f"{result.rounds} rounds", f"{len(result.matches)} matches"]
    if result.repetitions > 1:
        extras.append(f"{result.repetitions} repetitions")
    if result.noise:
        extras.append(f"noise {result.noise:g}")
    if result.misperception:
        extras.append(f"misperception {result.misperception:g}")
    if result.seed is not None:
        extras.append(f"seed {result.seed}")
    say(console, f"{g.title or 'Repeated game'}: round-robin tournament ({', '.join(extras)})", style="bold")
    say(console, _mapping_line(g, result.mapping))
    table = Table(box=box.SIMPLE_HEAVY)
    table.add_column("rank", justify="right")
    table.add_column("strategy", no_wrap=True)
    table.add_column("mean/round", justify="right")
    table.add_column("median", justify="right")
    table.add_column("wins", justify="right")
    table.add_column("cooperation", justify="right")
    for row in result.ranking:
        table.add_row(
            str(row["rank"]),
            row["strategy"],
            f"{row['mean']:.4f}",
            f"{row['median']:.4f}",
            str(row["wins"]),
            f"{100 * row['cooperation']:.1f}%",
        )
    console.print(table)
    say(
        console,
        "Every strategy meets every other and a copy of itself; a win is a match with the higher "
        "average payoff (Axelrod 1984).",
    )


def match_csv(result: Any) -> list[list[Any]]:
    """One row per round: the moves, actions and payoffs."""
    g = result.game
    rows: list[list[Any]] = [
        ["round"]
        + [f"{p} strategy" for p in g.players]
        + [f"{p} move" for p in g.players]
        + [f"{p} action" for p in g.players]
        + [f"{p} payoff" for p in g.players]
    ]
    for t in range(result.rounds):
        names = result.action_names(t)
        rows.append(
            [
                t + 1,
                *result.strategies,
                *("C" if m == 0 else "D" for m in result.moves[t]),
                *names,
                *(_num(v) for v in result.payoffs_at(t)),
            ]
        )
    return rows


def tournament_csv(result: Any) -> list[list[Any]]:
    """One row per match."""
    g = result.game
    rows: list[list[Any]] = [
        ["strategy 1", "strategy 2", "seed"]
        + [f"average {p}" for p in g.players]
        + [f"total {p}" for p in g.players]
        + [f"cooperation {p}" for p in g.players]
    ]
    for m in result.matches:
        rows.append(
            [
                *m.strategies,
                m.seed,
                *(_num(a) for a in m.average),
                *(_num(t) for t in m.total),
                *(f"{c:.6g}" for c in m.cooperation),
            ]
        )
    return rows


__all__ = ["render_repeated", "render_match", "render_tournament", "match_csv", "tournament_csv"]
