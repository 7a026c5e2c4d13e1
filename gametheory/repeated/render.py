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
    kind = "mixed" if g.n_players == 2 else "pure"
    table.add_column("player")
    table.add_column(f"minmax ({kind})", justify="right")
    if g.n_players == 2:
        table.add_column("minmax (pure)", justify="right")
    else:
        table.add_column("correlated bound", justify="right")
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
            second = _num(v.minmax_pure)
        else:
            how = ", ".join(
                f"{g.players[j]}: {g.strategies[j][a]}" for j, a in zip(others, v.pure_punishment)
            )
            second = _num(v.correlated_minmax)
        table.add_row(v.player, _num(v.minmax), second, _num(v.maxmin), how)
    console.print(table)
    if g.n_players > 2:
        say(
            console,
            "  N > 2: the minmax against independent mixtures lies between the correlated bound and "
            "the pure minmax; the pure value is used.",
        )

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
        devs = "; ".join(
            f"{g.players[i]} -> {g.strategies[i][t.deviation[i]]} ({_num(t.deviation_payoff[i])}, gain "
            f"{_num(t.deviation_payoff[i] - t.payoffs[i])})"
            for i in range(g.n_players)
            if t.deviation[i] is not None
        )
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
        for s in result.strategies:
            if s.target != t.profile:
                continue
            name = s.name
            if "rounds" in s.details:
                name += f" ({rounds_text(s.details['rounds'])})"
            if "generosity_exact" in s.details:
                name += f" (generosity {s.details['generosity_exact']})"
            cell = Text(name, style="bold")
            cell.append("\n  " + s.condition, style="")
            if s.critical is None:
                crit = "never"
            elif is_fraction(s.critical):
                crit = _num(s.critical)
            else:  # irrational: the number here, its exact form below the condition
                crit = f"{float(s.critical):.6f}"
                if s.exact is not None:
                    cell.append(f"\n  delta* = {s.exact}", style="")
            table.add_row(cell, crit, _yes(s.nash), _yes(s.subgame_perfect))
        console.print(table)
        for s in result.strategies:
            if s.target != t.profile:
                continue
            if s.name == "grim" and s.punishment.get("profile"):
                say(
                    console,
                    f"  grim reverts to stage equilibrium #{s.punishment['equilibrium']} "
                    f"{s.punishment['profile']}.",
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
            if s.name == "generous-tft":
                gen = s.details["generosity_exact"]
                if "largest_generosity" in s.details:
                    top = s.details.get("largest_generosity_exact")
                    expr = s.details.get("largest_generosity_expression")
                    from .thresholds import generosity_symbol

                    sym = generosity_symbol(result.game)
                    if top is None:
                        where = "for no generosity (not even 0, tit-for-tat)"
                    else:
                        where = f"for generosity {sym} <= {top}" + (f" = {expr}" if expr else "")
                    say(console, f"  at delta = {delta} generous tit-for-tat is a Nash equilibrium {where}; "
                                 f"shown with generosity {gen} (--generosity).")
                spe = "never" if not s.spe_region else ", ".join(iv.text() for iv in s.spe_region)
                say(console, f"  generous-tft is subgame perfect: {spe} (one-shot deviation principle: "
                             "indifferent after every defection only on a knife edge).")
            if s.name == "tit-for-tat":
                spe = "never" if not s.spe_region else ", ".join(iv.text() for iv in s.spe_region)
                say(
                    console,
                    f"  tit-for-tat is subgame perfect: {spe} (one-shot deviation principle: only "
                    "where (T - R)/(R - S) = (P - S)/(T - P) = delta).",
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
                + ", ".join(f"({a:.4g}, {b:.4g})" for a, b in ps.vertices)
                + f"; area {ps.area:.4g}",
            )
            say(
                console,
                "  (pure strategies with public randomisation, perfect monitoring; an outer "
                f"approximation with {len(ps.directions)} directions, Judd, Yeltekin & Conklin 2003)",
            )
    if result.notes:
        console.print()
        for note in result.notes:
            say(console, f"Note: {note}", style="yellow")


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
