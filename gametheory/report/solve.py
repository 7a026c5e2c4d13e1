"""Rendering ``gametheory solve``: the equilibria table, JSON, CSV and LaTeX.

The table names players and strategies, shows probabilities as fractions when
they are exact, and marks at a glance what a teacher looks for: pure or mixed,
strict, Pareto efficiency, payoff and risk dominance, undominated (perfect),
symmetric and evolutionarily stable equilibria.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..expressions import exact_text


def prob_text(p: Any, exact: bool) -> str:
    if exact:
        return exact_text(p)
    return f"{float(p):.6g}"


def strategy_text(game, player: int, mix: tuple, exact: bool) -> str:
    """``Stag`` for a pure strategy, ``Stag 2/3, Hare 1/3`` for a mixed one."""
    used = [(s, p) for s, p in zip(game.strategies[player], mix) if (p != 0 if exact else abs(float(p)) > 1e-12)]
    if len(used) == 1 and (used[0][1] == 1 if exact else abs(float(used[0][1]) - 1) < 1e-9):
        return used[0][0]
    return ", ".join(f"{s} {prob_text(p, exact)}" for s, p in used)


def profile_names(game, profile: tuple[int, ...]) -> str:
    return "(" + ", ".join(game.strategies[i][s] for i, s in enumerate(profile)) + ")"


def equilibrium_notes(result, analysis: dict[str, Any] | None, k: int) -> list[str]:
    e = result.equilibria[k]
    notes = ["pure" if e.pure else "mixed"]
    if analysis is None:
        from ..solvers.refinements import is_strict

        strict = is_strict(result.game, e)
    else:
        strict = analysis["strict"][k]
    if e.pure and strict:
        notes.append("strict")
    if analysis is None:
        return notes
    if analysis["pareto_efficient"][k]:
        notes.append("Pareto-efficient")
    elif len(result.equilibria) > 1 and analysis["pareto_among_equilibria"][k]:
        notes.append("efficient among equilibria")
    if analysis["payoff_dominant"] == k:
        notes.append("payoff-dominant")
    rd = analysis.get("risk_dominance")
    if rd and rd["risk_dominant"] == k:
        notes.append("risk-dominant")
    if not analysis["undominated"][k]:
        notes.append("uses a weakly dominated strategy" + (" (not perfect)" if result.game.n_players == 2 else ""))
    if "symmetric" in analysis and analysis["symmetric"][k]:
        notes.append("symmetric")
        if analysis["ess"][k]:
            notes.append("ESS")
    return notes


def render_solve(result, analysis: dict[str, Any] | None, console, selection: Any = None) -> None:
    """Print a solve result as a table with the analyses below it (and the logit selection, if given)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    game = result.game
    eqs = result.equilibria
    n = len(eqs)
    title = game.title or "(untitled game)"
    console.print(Text(title, style="bold"))
    if game.values:
        console.print("Parameters: " + ", ".join(f"{k} = {exact_text(v)}" for k, v in game.values.items()))
    how = [result.method, "exact" if result.exact else f"numerical, regret <= {result.tolerance:g}"]
    how.append("all equilibria" if result.complete else "not necessarily all equilibria")
    word = "equilibrium" if n == 1 else "equilibria"
    console.print(f"{n} Nash {word} ({'; '.join(how)})")
    if not result.complete:
        note = result.details.get("note") if isinstance(result.details, dict) else None
        if note:
            console.print(f"Note: {note}", style="yellow")
    if n == 0:
        console.print("No equilibrium found by this method.")
        return
    table = Table(box=box.SIMPLE_HEAVY)
    table.add_column("#", justify="right")
    for p in game.players:
        table.add_column(p)
    table.add_column("payoffs", justify="right")
    table.add_column("welfare", justify="right")
    table.add_column("notes", no_wrap=True)
    for k, e in enumerate(eqs):
        cells = [strategy_text(game, i, e.profile[i], e.exact) for i in range(game.n_players)]
        pay = ", ".join(prob_text(v, e.exact) for v in e.payoffs)
        w = sum(e.payoffs, Fraction(0)) if e.exact else sum(float(v) for v in e.payoffs)
        if e.exact and not isinstance(w, Fraction):
            import sympy

            w = sympy.radsimp(sympy.simplify(w))
        notes = equilibrium_notes(result, analysis, k)
        style = "bold" if e.pure else None
        table.add_row(str(k + 1), *cells, pay, prob_text(w, e.exact), "\n".join(notes), style=style)
    console.print(table)
    if result.degenerate and any(len(c) > 1 for c in (result.components or [])):
        console.print(
            "Degenerate game: some equilibria are not isolated. Each component below is a connected set of "
            "equilibria; the rows listed are its extreme points, and mixtures of extreme points that share a "
            "strategy are equilibria too.",
            style="yellow",
        )
        for c, comp in enumerate(result.components or []):
            console.print(f"  component {c + 1}: equilibria {', '.join(str(i + 1) for i in comp)}")
    elif result.degenerate:
        console.print(
            "Degenerate game: at some equilibrium a player has a best response it does not use (a tie in the "
            "payoffs), but every equilibrium listed is isolated: there is no continuum.",
            style="yellow",
        )
    if analysis is not None:
        _render_analysis(game, result, analysis, console)
    if selection is not None:
        for line in selection_lines(selection):
            console.print(line, highlight=False)


def selection_lines(branch: Any) -> list[str]:
    """The logit selection (a :class:`gametheory.solvers.logit.QREBranch`) in words, equilibria numbered from 1."""
    def name(index: int | None, component: int | None) -> str:
        if index is not None:
            return f"equilibrium {index + 1}"
        if component is not None:
            return f"a point of component {component + 1}"
        return "a profile that is not among the equilibria listed"

    line = (f"Logit QRE selection (McKelvey-Palfrey): the principal branch leads to "
            f"{name(branch.equilibrium, branch.component)}")
    if not branch.unique:
        arms = sorted({name(a.equilibrium, a.component) for b in branch.bifurcations for a in b.arms})
        at = ", ".join(f"{b.lam:.4g}" for b in branch.bifurcations)
        line += (f"; not unique: it meets a bifurcation at lambda = {at}, whose other arms lead to "
                 + " and ".join(arms))
    return [line]


def _render_analysis(game, result, analysis: dict[str, Any], console) -> None:
    lines = []
    rd = analysis.get("risk_dominance")
    if rd and rd["risk_dominant"] is not None:
        i, j = rd["equilibria"]
        win = rd["risk_dominant"]
        lose = j if win == i else i
        a, b = rd["deviation_loss_products"]
        big, small = (a, b) if win == i else (b, a)
        lines.append(
            f"Risk dominance (Harsanyi-Selten): equilibrium {win + 1} risk-dominates equilibrium {lose + 1} "
            f"(products of deviation losses {exact_text(big)} > {exact_text(small)})"
        )
    elif rd:
        lines.append("Risk dominance: neither strict equilibrium risk-dominates the other (equal deviation losses)")
    if analysis["payoff_dominant"] is not None:
        lines.append(f"Payoff dominance: equilibrium {analysis['payoff_dominant'] + 1} is best for every player")
    mm = []
    for i, m in enumerate(analysis["maxmin"]):
        strat = strategy_text(game, i, m["strategy"], m["exact"])
        mm.append(f"{game.players[i]} {prob_text(m['value'], m['exact'])} ({strat})")
    lines.append("Security (maxmin) values: " + "; ".join(mm))
    opt = analysis["welfare_optimum"]
    where = ", ".join(profile_names(game, p) for p in opt["profiles"][:3])
    if len(opt["profiles"]) > 3:
        where += f" and {len(opt['profiles']) - 3} more"
    line = f"Best welfare of any outcome: {exact_text(opt['welfare'])} at {where}"
    if analysis["price_of_anarchy"] is not None:
        line += (
            f"; price of anarchy {_short(analysis['price_of_anarchy'])}, "
            f"price of stability {_short(analysis['price_of_stability'])}"
        )
    lines.append(line)
    for text in lines:
        console.print(text, highlight=False)


def _short(x: Any) -> str:
    if isinstance(x, Fraction):
        return exact_text(x) if x.denominator < 1000 else f"{float(x):.4g}"
    return f"{float(x):.4g}"


def solve_json(result, analysis: dict[str, Any] | None, selection: Any = None) -> dict[str, Any]:
    """DESIGN.md section 3's shape, extended with completeness, tolerance, the analyses and the selection.

    ``selection`` (a :class:`gametheory.solvers.logit.QREBranch`, from
    ``solve --select logit``) adds ``"selection": {"logit": {...}}``:
    ``index`` (into ``equilibria``, from 0, or null), ``component``,
    ``limit``, ``lambda``, ``distance``, ``unique`` and ``bifurcations``.
    """
    from ..solvers.refinements import analysis_to_dict

    out = result.to_dict()
    out["complete"] = bool(result.complete)
    out["exact"] = bool(result.exact)
    out["tolerance"] = result.tolerance
    for k, e in enumerate(out["equilibria"]):
        eq = result.equilibria[k]
        e["welfare"] = float(sum(float(v) for v in eq.payoffs))
        if eq.pure:
            # the solver may not have judged strictness; the analysis has, for every equilibrium
            from ..solvers.refinements import is_strict

            strict = analysis["strict"][k] if analysis is not None else is_strict(result.game, eq)
            e["strict"] = bool(strict)
    if analysis is not None:
        out["analysis"] = analysis_to_dict(result.game, analysis)
    if selection is not None:
        out["selection"] = {"logit": selection.selection_dict()}
    return out


def solve_csv(result) -> list[list[str]]:
    """One row per equilibrium: every strategy's probability, every player's payoff."""
    game = result.game
    header = ["equilibrium"]
    header += [f"{p}:{s}" for p, ss in zip(game.players, game.strategies) for s in ss]
    header += [f"payoff:{p}" for p in game.players] + ["pure", "component"]
    rows = [header]
    comp_of = {}
    for c, comp in enumerate(result.components or []):
        for i in comp:
            comp_of[i] = c + 1
    for k, e in enumerate(result.equilibria):
        row = [str(k + 1)]
        row += [prob_text(p, e.exact) for mix in e.profile for p in mix]
        row += [prob_text(v, e.exact) for v in e.payoffs]
        row += [str(e.pure).lower(), str(comp_of.get(k, ""))]
        rows.append(row)
    return rows


def solve_latex(result) -> str:
    """The equilibria as a LaTeX table (probabilities as fractions)."""
    from ..formats.latex import escape, number_latex

    game = result.game
    cols = "r" + "l" * game.n_players + "r"
    out = [f"% equilibria of {escape(game.title)}" if game.title else "% equilibria"]
    out.append(f"\\begin{{tabular}}{{{cols}}}")
    out.append("\\# & " + " & ".join(escape(p) for p in game.players) + " & payoffs \\\\ \\hline")

    def num(v: Any, exact: bool) -> str:
        return number_latex(v) if exact else f"{float(v):.6g}"

    for k, e in enumerate(result.equilibria):
        cells = []
        for i, mix in enumerate(e.profile):
            used = [(s, p) for s, p in zip(game.strategies[i], mix) if p != 0]
            if len(used) == 1:
                cells.append(escape(used[0][0]))
            else:
                cells.append(", ".join(f"{escape(s)} ${num(p, e.exact)}$" for s, p in used))
        pay = "$" + ", ".join(num(v, e.exact) for v in e.payoffs) + "$"
        out.append(f"{k + 1} & " + " & ".join(cells) + f" & {pay} \\\\")
    out.append("\\end{tabular}")
    return "\n".join(out) + "\n"
