"""Building the lesson: every section computed from the library's analyses.

Nothing here is new game theory; each section reads a result the rest of the
package computes and says what it means, with the numbers:

1. best responses (:func:`gametheory.report.show.best_response_mask`);
2. dominance (:func:`gametheory.solvers.dominance.iterated_elimination`,
   :func:`~gametheory.solvers.dominance.weak_elimination_orders`);
3. pure equilibria and why no one deviates (the result of
   :func:`gametheory.solvers.solve`, every equilibrium verified);
4. mixed equilibria by the indifference method (:mod:`.indifference`);
5. selection: Pareto efficiency, payoff and risk dominance (Harsanyi & Selten
   1988), strictness, ESS, security values
   (:func:`gametheory.solvers.refinements.analyse`);
6. thresholds of each parameter (:func:`gametheory.sensitivity.thresholds`),
   within a time budget;
7. degenerate games: the components (continua) of equilibria.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

from .lesson import Bullets, Heading, Lesson, PayoffTable, Section, para
from .notation import Formula, Relation, latex, oriented, plain, sym

MAX_BEST_RESPONSE_SENTENCES = 24
MAX_COMPARISONS = 6  # payoff comparisons listed in one dominance sentence
MAX_PURE = 8  # pure equilibria explained one by one
MAX_MIXED = 6  # mixed equilibria explained one by one
MAX_DEVIATIONS = 8  # alternatives listed per player for a pure equilibrium
MAX_CELLS = 16  # cells walked through when there is no pure equilibrium
MIXED_DOMINANCE_PROFILES = 2500  # dominance by mixtures (LPs) only for games up to this many profiles
WEAK_ORDER_PROFILES = 400  # explore weak-elimination orders only for games up to this many profiles
THRESHOLD_BUDGET = 5.0  # seconds for the thresholds section (a child process is stopped then)


def explain(game: Any, *, method: str = "auto", thresholds: bool = True,
            time_budget: float = THRESHOLD_BUDGET) -> Lesson:
    """The teaching walkthrough of ``game``: a :class:`~gametheory.explain.lesson.Lesson`.

    Args:
        game: a :class:`~gametheory.model.Game`.
        method: the solver method (:func:`gametheory.solvers.solve`).
        thresholds: include the thresholds section for a parameterised file.
        time_budget: seconds the thresholds section may take; parameters not
            reached in time are listed as skipped.

    The sections follow the order a teacher takes: best responses (Nash
    1951: an equilibrium is a profile of mutual best responses), dominance
    (Gibbons 1992, sec. 1.1.B), pure equilibria, mixed equilibria by the
    indifference method (Gibbons 1992, sec. 1.3.A; Osborne 2004, ch. 4),
    equilibrium selection (Harsanyi & Selten 1988: payoff and risk
    dominance), the parameter thresholds, and the continua of a degenerate
    game.
    """
    from ..solvers import solve
    from ..solvers.refinements import analyse

    result = solve(game, method=method)
    analysis = analyse(result) if result.equilibria else None
    lesson = Lesson(game=game, result=result, analysis=analysis, table=PayoffTable(game), sections=[])
    lesson.sections.append(_best_responses(game))
    lesson.sections.append(_dominance(game, result))
    lesson.sections.append(_pure(game, result))
    mixed_section, explanations = _mixed(game, result, lesson.notes)
    lesson.sections.append(mixed_section)
    lesson.mixed = explanations
    if analysis is not None:
        lesson.sections.append(_selection(game, result, analysis))
    if thresholds and _payoff_parameters(game):
        lesson.sections.append(_thresholds(game, time_budget, lesson.notes))
    if result.degenerate or not result.complete:
        lesson.sections.append(_degenerate(game, result))
    for k, s in enumerate(lesson.sections, 1):
        s.title = f"{k}. {s.title}"
    return lesson


# ---------------------------------------------------------------------------------------
# helpers


def _profile(game: Any, prof: tuple[int, ...]) -> str:
    return "(" + ", ".join(game.strategies[i][s] for i, s in enumerate(prof)) + ")"


def _names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _given(game: Any, i: int, rest: tuple[int, ...]) -> str:
    """``Hunter 2 plays Stag`` / ``Player 2 plays 1 and Player 3 plays 2``: the others' strategies."""
    others = [j for j in range(game.n_players) if j != i]
    return _names([f"{game.players[j]} plays {game.strategies[j][s]}" for j, s in zip(others, rest)])


def _full(i: int, own: int, rest: tuple[int, ...]) -> tuple[int, ...]:
    prof = list(rest)
    prof.insert(i, own)
    return tuple(prof)


def _pure_index(eq: Any) -> tuple[int, ...]:
    return tuple(next(k for k, p in enumerate(x) if p != 0) for x in eq.profile)


def _eq_label(game: Any, result: Any, k: int, start: bool = False) -> str:
    eq = result.equilibria[k]
    if eq.pure:
        return _profile(game, _pure_index(eq))
    return f"{'The' if start else 'the'} mixed equilibrium {k + 1}"


def _cmp(a: Any, b: Any) -> int:
    from ..solvers._exact import compare

    return compare(a, b)


class _Key:
    """Exact ordering for sorting (Fractions or sympy numbers)."""

    def __init__(self, v: Any):
        self.v = v

    def __lt__(self, other: "_Key") -> bool:
        return _cmp(self.v, other.v) < 0


def _payoff_parameters(game: Any) -> list[str]:
    used = game.names_used(list(set(game.payoff_expressions.flat)))
    return [name for name in game.parameters if name in used]


# ---------------------------------------------------------------------------------------
# 1. best responses


def _best_responses(game: Any) -> Section:
    from ..report.show import pure_profiles_all_best

    section = Section("best_responses", "Best responses")
    section.para("A best response is a strategy that pays the most against what the others do; in the table "
                 "each player's best-response payoffs are marked. A cell where every payoff is marked is a "
                 "profile of mutual best responses: a pure Nash equilibrium (Nash 1951).")
    sentences = []
    for i in range(game.n_players):
        others = [range(game.shape[j]) for j in range(game.n_players) if j != i]
        for rest in itertools.product(*others):
            sentences.append(_best_response_sentence(game, i, rest))
    shown = sentences[:MAX_BEST_RESPONSE_SENTENCES]
    section.add(Bullets(shown))
    if len(sentences) > len(shown):
        section.para(f"... and {len(sentences) - len(shown)} more; the table marks them all.")
    pure = pure_profiles_all_best(game)
    if pure:
        cells = _names([_profile(game, p) for p in pure])
        section.para(f"Every payoff is marked in {cells}: "
                     f"{'this is the pure Nash equilibrium' if len(pure) == 1 else 'these are the pure Nash equilibria'}.")
    else:
        section.para("No cell has every payoff marked: there is no pure Nash equilibrium.")
    return section


def _best_response_sentence(game: Any, i: int, rest: tuple[int, ...]):
    player = game.players[i]
    vals = [game.payoffs[(i,) + _full(i, a, rest)] for a in range(game.shape[i])]
    best = vals[0]
    for v in vals[1:]:
        if _cmp(v, best) > 0:
            best = v
    winners = [a for a, v in enumerate(vals) if _cmp(v, best) == 0]
    losers = [a for a in range(len(vals)) if a not in winners]
    names = game.strategies[i]
    head = f"If {_given(game, i, rest)}, " if rest else ""
    if len(winners) == 1:
        head += f"{player}'s best response is {names[winners[0]]} ("
    else:
        head += f"{player}'s best responses are {_names([names[a] for a in winners])}, tied ("
    parts: list[Any] = [head]
    if len(vals) == 2:
        if losers:
            parts.append(Relation(sym(best), ">", sym(vals[losers[0]])))
        else:
            parts.append(Relation(sym(vals[0]), "=", sym(vals[1])))
    else:
        parts.append(sym(best))
        if losers:
            parts.append(", against ")
            for k, a in enumerate(losers):
                if k:
                    parts.append(", ")
                parts += [sym(vals[a]), f" for {names[a]}"]
    parts.append(").")
    return para(*parts)


# ---------------------------------------------------------------------------------------
# 2. dominance


def _dominance(game: Any, result: Any) -> Section:
    from ..solvers.dominance import iterated_elimination, weak_elimination_orders

    section = Section("dominance", "Dominance")
    mixed = game.n_profiles <= MIXED_DOMINANCE_PROFILES
    section.para("A strategy is strictly dominated when another strategy (or a mixture of others) pays strictly "
                 "more against everything the others might do; a rational player never uses it, and once it is "
                 "gone others may become dominated in turn (iterated elimination; Gibbons 1992, sec. 1.1.B).")
    strict = iterated_elimination(game, weak=False, mixed=mixed)
    if strict.steps:
        section.add(Bullets(_trail(game, strict.steps)))
        section.para("Iterated elimination of strictly dominated strategies leaves " + _surviving(strict) + ".")
        if strict.solved:
            section.para(f"The game is dominance solvable: {'(' + ', '.join(strict.solution) + ')'} is the only "
                         "profile that survives, so it is the unique Nash equilibrium.")
        else:
            section.para("Every Nash equilibrium uses only these strategies.")
    else:
        section.para("No strategy is strictly dominated" + (", not even by a mixture of other strategies" if mixed
                                                           else " by another pure strategy")
                     + ", so iterated elimination removes nothing.")
    if not mixed:
        section.para(f"(Dominance by mixed strategies was not checked: the game has {game.n_profiles} profiles.)")
    weak = iterated_elimination(game, weak=True, mixed=mixed)
    if weak.surviving_indices == strict.surviving_indices:
        if not weak.steps:
            section.para("No strategy is weakly dominated either.")
        elif any(not s.strict for s in weak.steps):
            section.para("Weak dominance removes nothing more.")
        return section
    section.para("A strategy is weakly dominated when another does at least as well against everything and "
                 "strictly better against something. Removing weakly dominated strategies, all at once in "
                 "each round:")
    section.add(Bullets(_trail(game, weak.steps)))
    section.para("This leaves " + _surviving(weak) + ".")
    lost = [k for k, e in enumerate(result.equilibria)
            if any(e.profile[i][k2] != 0 and k2 not in weak.surviving_indices[i]
                   for i in range(game.n_players) for k2 in range(game.shape[i]))]
    if lost:
        section.para("Weak elimination can discard Nash equilibria: it removes "
                     + _names([_eq_label(game, result, k) for k in lost]) + ".")
    if game.n_profiles <= WEAK_ORDER_PROFILES:
        orders = weak_elimination_orders(game, mixed=mixed and game.n_profiles <= 64)
        others = [o for o in orders.outcomes if o.surviving_indices != weak.surviving_indices]
        if others:
            section.para("The order of weak elimination matters (Fudenberg & Tirole 1991, sec. 2.1): removing "
                         "one weakly dominated strategy at a time can also end in")
            items = []
            for o in others[:4]:
                order = ", then ".join(f"{s.player}'s {s.removed}" for s in o.steps)
                surv = "; ".join(f"{p}: {', '.join(n)}" for p, n in o.surviving.items())
                items.append(para(f"{surv} (removing {order})"))
            section.add(Bullets(items))
            if len(others) > 4:
                section.para(f"... and {len(others) - 4} more outcomes.")
        elif orders.complete:
            section.para("Here every order of removing weakly dominated strategies ends in the same place.")
    else:
        section.para("(Other elimination orders were not explored: the game is large. The outcome of weak "
                     "elimination can depend on the order.)")
    return section


def _surviving(res: Any) -> str:
    return "; ".join(f"{p}: {', '.join(names)}" for p, names in res.surviving.items())


def _trail(game: Any, steps: list[Any]) -> list[Any]:
    """One sentence per removal, with the payoff comparisons against what remains."""
    alive = [list(range(n)) for n in game.shape]
    out = []
    rounds = max(s.round for s in steps)
    for rnd in range(1, rounds + 1):
        batch = [s for s in steps if s.round == rnd]
        for s in batch:
            out.append(_dominance_sentence(game, s, alive, rounds > 1))
        for s in batch:
            alive[s.player_index].remove(s.removed_index)
    return out


def _dominance_sentence(game: Any, step: Any, alive: list[list[int]], numbered: bool):
    i = step.player_index
    kind = "strictly" if step.strict else "weakly"
    others = [alive[j] for j in range(game.n_players) if j != i]
    rows = []
    for rest in itertools.product(*others):
        target = sym(game.payoffs[(i,) + _full(i, step.removed_index, rest)])
        if isinstance(step.dominated_by, dict):
            total = 0
            for name, p in step.dominated_by.items():
                k = game.strategies[i].index(name)
                total = total + sym(p) * sym(game.payoffs[(i,) + _full(i, k, rest)])
            better = sym(total)
        else:
            k = game.strategies[i].index(step.dominated_by)
            better = sym(game.payoffs[(i,) + _full(i, k, rest)])
        rows.append((better, target, rest))
    prefix = f"Round {step.round}: " if numbered else ""
    if isinstance(step.dominated_by, dict):
        parts: list[Any] = [f"{prefix}For {step.player}, {step.removed} is {kind} dominated by the mixture "
                            f"{step.dominator_text()}, which pays "]
    else:
        parts = [f"{prefix}For {step.player}, {step.dominated_by} {kind} dominates {step.removed}: "]
    shown = rows[:MAX_COMPARISONS]
    for k, (better, target, rest) in enumerate(shown):
        if k:
            parts.append(", ")
        op = ">" if _cmp(better, target) > 0 else "="
        parts.append(Relation(better, op, target))
        if rest:
            parts.append(f" if {_given(game, i, rest)}")
    if len(rows) > len(shown):
        parts.append(f", and so on for all {len(rows)} profiles of the others")
    parts.append(".")
    return para(*parts)


# ---------------------------------------------------------------------------------------
# 3. pure equilibria


def _pure(game: Any, result: Any) -> Section:
    section = Section("pure", "Pure equilibria: why no one deviates")
    pure = [(k, e) for k, e in enumerate(result.equilibria) if e.pure]
    if not pure:
        section.para("There is no pure equilibrium: in every cell some player would rather switch.")
        cells = list(game.profiles())
        items = []
        for prof in cells[:MAX_CELLS]:
            items.append(_switch_sentence(game, prof))
        section.add(Bullets(items))
        if len(cells) > MAX_CELLS:
            section.para(f"... and so on for the other {len(cells) - MAX_CELLS} cells.")
        return section
    section.para("At a Nash equilibrium no player can gain by changing its own strategy while the others keep "
                 "theirs. For each pure equilibrium, each player's payoff against each alternative:")
    for k, e in pure[:MAX_PURE]:
        prof = _pure_index(e)
        section.add(Heading(f"{_profile(game, prof)} (equilibrium {k + 1})"))
        items = []
        strict = True
        for i, p in enumerate(game.players):
            mine = sym(game.payoffs[(i,) + prof])
            alts = [a for a in range(game.shape[i]) if a != prof[i]]
            parts: list[Any] = [f"{p} gets ", mine]
            if alts:
                parts.append("; switching to ")
            for n, a in enumerate(alts[:MAX_DEVIATIONS]):
                alt = list(prof)
                alt[i] = a
                val = sym(game.payoffs[(i,) + tuple(alt)])
                c = _cmp(val, mine)
                strict = strict and c < 0
                if n:
                    parts.append(", ")
                parts += [f"{game.strategies[i][a]} would give ", Relation(val, "<" if c < 0 else "=", mine)]
            if len(alts) > MAX_DEVIATIONS:
                for a in alts[MAX_DEVIATIONS:]:
                    alt = list(prof)
                    alt[i] = a
                    strict = strict and _cmp(game.payoffs[(i,) + tuple(alt)], game.payoffs[(i,) + prof]) < 0
                parts.append(f", and {len(alts) - MAX_DEVIATIONS} more strategies no better")
            if not alts:
                parts.append(" (no other strategy)")
            parts.append(".")
            items.append(para(*parts))
        section.add(Bullets(items))
        if strict:
            section.para("Every deviation loses: a strict equilibrium.")
        else:
            section.para("Some deviation pays the same (a tie): no one gains, so it is an equilibrium, but not "
                         "a strict one.")
    if len(pure) > MAX_PURE:
        section.para(f"... and {len(pure) - MAX_PURE} more pure equilibria (`gametheory solve` lists them all).")
    return section


def _switch_sentence(game: Any, prof: tuple[int, ...]):
    for i, p in enumerate(game.players):
        mine = game.payoffs[(i,) + prof]
        best, best_a = mine, None
        for a in range(game.shape[i]):
            alt = list(prof)
            alt[i] = a
            v = game.payoffs[(i,) + tuple(alt)]
            if _cmp(v, best) > 0:
                best, best_a = v, a
        if best_a is not None:
            return para(f"{_profile(game, prof)}: {p} would switch to {game.strategies[i][best_a]} (",
                        Relation(sym(best), ">", sym(mine)), ").")
    return para(f"{_profile(game, prof)}: no one would switch.")  # pragma: no cover - it is an equilibrium


# ---------------------------------------------------------------------------------------
# 4. mixed equilibria


def _mixed(game: Any, result: Any, notes: list[str]) -> tuple[Section, list[Any]]:
    from .indifference import explain_mixed

    section = Section("mixed", "Mixed equilibria: the indifference equations")
    mixed = [(k, e) for k, e in enumerate(result.equilibria) if not e.pure]
    explanations = []
    if not mixed:
        text = "There is no equilibrium in mixed strategies"
        text += "." if result.complete else " among those found (the list may be incomplete)."
        section.para(text)
        return section, explanations
    section.para("A player who mixes must be indifferent between the strategies it mixes, or it would drop the "
                 "worse one; so the other players' probabilities are found from its indifference, and no unused "
                 "strategy may pay more (Nash 1951; Gibbons 1992, sec. 1.3.A; Osborne 2004, ch. 4).")
    for k, e in mixed[:MAX_MIXED]:
        section.add(Heading(f"Equilibrium {k + 1}"))
        if not e.exact:
            from ..report.solve import strategy_text

            section.para("; ".join(f"{p}: {strategy_text(game, i, e.profile[i], False)}"
                                   for i, p in enumerate(game.players)))
            section.para(f"Found numerically (regret at most {result.tolerance:g}); the exact indifference "
                         "equations are not solved for it.")
            continue
        expl = explain_mixed(game, e, k, result)
        explanations.append(expl)
        section.blocks.extend(expl.blocks)
    if len(mixed) > MAX_MIXED:
        section.para(f"... and {len(mixed) - MAX_MIXED} more mixed equilibria (`gametheory solve` lists them).")
        notes.append(f"{len(mixed) - MAX_MIXED} mixed equilibria not explained (limit {MAX_MIXED})")
    return section, explanations


# ---------------------------------------------------------------------------------------
# 5. selection


def _selection(game: Any, result: Any, analysis: dict) -> Section:
    from ..report.solve import strategy_text
    from ..solvers.refinements import pareto_dominates, pure_outcomes

    section = Section("selection", "Which equilibrium? Efficiency, dominance, stability, security")
    eqs = result.equilibria
    items = []
    strict = [_eq_label(game, result, k) for k, s in enumerate(analysis["strict"]) if s]
    if strict:
        items.append(para(f"Strict (every deviation loses): {_names(strict)}."))
    outcomes = pure_outcomes(game)
    for k, e in enumerate(eqs):
        label = _eq_label(game, result, k, start=True)
        pays = ", ".join(plain(sym(v)) if e.exact else f"{float(v):.4g}" for v in e.payoffs)
        if analysis["pareto_efficient"][k]:
            items.append(para(f"{label} is Pareto-efficient: no outcome gives a player more without giving "
                              f"another less."))
        else:
            dominating = [(sum(o), p) for p, o in outcomes if pareto_dominates(o, e.payoffs)] if e.exact else []
            better = max(dominating, key=lambda wp: _Key(wp[0]))[1] if dominating else None
            if better is not None:
                o = [game.payoffs[(i,) + better] for i in range(game.n_players)]
                items.append(para(f"{label} (payoffs {pays}) is not Pareto-efficient: {_profile(game, better)} "
                                  f"gives {', '.join(plain(sym(v)) for v in o)}, no one less and someone more."))
            else:
                items.append(para(f"{label} is not Pareto-efficient."))
    if analysis["payoff_dominant"] is not None:
        k = analysis["payoff_dominant"]
        items.append(para(f"{_eq_label(game, result, k, start=True)} payoff-dominates the other equilibria: every player "
                          "gets strictly more there (Harsanyi & Selten 1988)."))
    rd = analysis.get("risk_dominance")
    if rd is not None:
        items.append(_risk_dominance(game, result, rd))
    if "ess" in analysis:
        for k, (s, ess) in enumerate(zip(analysis["symmetric"], analysis["ess"])):
            if not s:
                continue
            what = strategy_text(game, 0, eqs[k].profile[0], eqs[k].exact)
            if ess is True:
                items.append(para(f"{what} (from {_eq_label(game, result, k)}) is an evolutionarily stable "
                                  "strategy: a population playing it resists invasion by any rare mutant "
                                  "(Maynard Smith & Price 1973)."))
            elif ess is False:
                items.append(para(f"{what} (from {_eq_label(game, result, k)}) is not evolutionarily stable."))
    for k, und in enumerate(analysis["undominated"]):
        if not und:
            perfect = " so it is not (trembling-hand) perfect (Selten 1975)" if game.n_players == 2 else ""
            items.append(para(f"{_eq_label(game, result, k, start=True)} uses a weakly dominated strategy,{perfect}."))
    section.add(Bullets(items))
    mm = []
    for i, m in enumerate(analysis["maxmin"]):
        strat = strategy_text(game, i, m["strategy"], m["exact"])
        val = sym(m["value"]) if m["exact"] else m["value"]
        mm.append(para(f"{game.players[i]} can guarantee ", val if m["exact"] else f"{val:.4g}",
                       f" by playing {strat}."))
    section.para("Security (maxmin) values (von Neumann 1928): what each player can guarantee whatever the others "
                 "do.")
    section.add(Bullets(mm))
    return section


def _risk_dominance(game: Any, result: Any, rd: dict):
    """Harsanyi & Selten (1988): compare the products of the players' deviation losses."""
    i, j = rd["equilibria"]
    u1, u2 = game.payoffs[0], game.payoffs[1]

    def product(first: int, second: int) -> tuple[Formula, Any]:
        a, b = _pure_index(result.equilibria[first])
        a2, b2 = _pure_index(result.equilibria[second])
        d = [(u1[a, b], u1[a2, b]), (u2[a, b], u2[a, b2])]
        value = (d[0][0] - d[0][1]) * (d[1][0] - d[1][1])

        def diff(x: Any, y: Any, tex: bool) -> str:
            xs, ys = (latex(sym(x)), latex(sym(y))) if tex else (plain(sym(x)), plain(sym(y)))
            if ys.startswith("-"):
                ys = f"({ys})"
            return f"({xs} - {ys})"

        plain_text = diff(*d[0], False) + diff(*d[1], False) + f" = {plain(sym(value))}"
        latex_text = diff(*d[0], True) + diff(*d[1], True) + f" = {latex(sym(value))}"
        return Formula(plain_text, latex_text), value

    fi, vi = product(i, j)
    fj, vj = product(j, i)
    li, lj = _eq_label(game, result, i), _eq_label(game, result, j)
    if rd["risk_dominant"] is None:
        return para(f"Neither {li} nor {lj} risk-dominates the other: the products of the players' losses from "
                    "deviating alone are equal, ", fi, " and ", fj, " (Harsanyi & Selten 1988).")
    win, lose = (i, j) if rd["risk_dominant"] == i else (j, i)
    fw, fl = (fi, fj) if win == i else (fj, fi)
    return para(f"{_eq_label(game, result, win, start=True)} risk-dominates {_eq_label(game, result, lose)} (Harsanyi & "
                "Selten 1988): the product of the players' losses from deviating alone is ", fw, " there, against ",
                fl, f" at {_eq_label(game, result, lose)}.")


# ---------------------------------------------------------------------------------------
# 6. thresholds


def _thresholds(game: Any, budget: float, notes: list[str]) -> Section:
    section = Section("thresholds", "Where the parameters matter: thresholds")
    names = _payoff_parameters(game)
    if game.n_players != 2:
        section.para(f"Thresholds are not computed in the lesson for a {game.n_players}-player game (it would be "
                     "slow); `gametheory thresholds FILE --vary NAME` finds those of the pure equilibria.")
        notes.append("thresholds skipped: not a two-player game")
        return section
    from ..sensitivity.batch import support_pair_count
    from ..sensitivity.thresholds import SYMBOLIC_PAIR_LIMIT

    if support_pair_count(game.shape) > SYMBOLIC_PAIR_LIMIT:
        section.para("Thresholds are not computed in the lesson for a game this large (they would need a "
                     "numerical scan); use `gametheory thresholds FILE --vary NAME`.")
        notes.append("thresholds skipped: game too large for the symbolic method")
        return section
    section.para("Each parameter in turn, the others fixed: the exact values where the equilibria change, and "
                 "the kind of game on each side (Rapoport & Guyer 1966; Robinson & Goforth 2005).")
    no_range = [name for name in names if game.parameters[name].range is None]
    wanted = [name for name in names if name not in no_range]
    found, failed, late = thresholds_within(game, wanted, budget)
    section.add(Bullets(_threshold_items(game, found)))
    if no_range:
        section.para(f"No range is given in the file for {_names(no_range)}, so "
                     f"{'its' if len(no_range) == 1 else 'their'} thresholds are not sought.")
    if late:
        section.para(f"Not computed within the time budget ({budget:g} s): {_names(late)}; "
                     "`gametheory thresholds FILE --vary NAME` finds them.")
        notes.append("thresholds skipped (time budget): " + ", ".join(late))
    if failed:
        section.para(f"Not computed: {_names(failed)}.")
        notes.append("thresholds failed: " + ", ".join(failed))
    return section


def _thresholds_task(game: Any, names: list[str], conn: Any) -> None:
    """In a child process: send ``(name, result or error text)`` for each parameter as it is done."""
    from ..sensitivity import thresholds as find_thresholds

    for name in names:
        try:
            conn.send((name, find_thresholds(game, name)))
        except Exception as exc:  # noqa: BLE001 - reported by the parent
            conn.send((name, type(exc).__name__))
    conn.close()


def thresholds_within(game: Any, names: list[str], budget: float) -> tuple[list, list[str], list[str]]:
    """The thresholds of each parameter in ``names`` that can be found within ``budget`` seconds.

    Returns ``(found, failed, late)``: ``found`` pairs each parameter with its
    :class:`~gametheory.sensitivity.thresholds.ThresholdResult`; ``failed``
    says which raised an error (``"name (ValueError)"``), ``late`` which were
    not done in time.  Where processes
    can be forked the work runs in a child process that is stopped at the
    deadline, so the budget is kept even when one parameter is slow (a 4 x 4
    game with a parameter in every payoff can take a minute); elsewhere the
    budget is checked between parameters.
    """
    import multiprocessing

    if not names:
        return [], [], []
    if budget <= 0:
        return [], [], list(names)
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        context = None
    found: list[tuple[str, Any]] = []
    failed: list[str] = []
    if context is None:
        from ..sensitivity import thresholds as find_thresholds

        start = time.monotonic()
        for name in names:
            if time.monotonic() - start > budget:
                break
            try:
                found.append((name, find_thresholds(game, name)))
            except Exception as exc:  # noqa: BLE001 - a lesson goes on without one parameter's thresholds
                failed.append(f"{name} ({type(exc).__name__})")
    else:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_thresholds_task, args=(game, list(names), send), daemon=True)
        child.start()
        send.close()
        deadline = time.monotonic() + budget
        try:
            while len(found) + len(failed) < len(names):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not receive.poll(remaining):
                    break
                try:
                    name, res = receive.recv()
                except EOFError:
                    break
                if isinstance(res, str):
                    failed.append(f"{name} ({res})")
                else:
                    found.append((name, res))
        finally:
            if child.is_alive():
                child.terminate()
            child.join()
            receive.close()
    done = {name for name, _ in found} | {f.split(" ")[0] for f in failed}
    return found, failed, [name for name in names if name not in done]


def _threshold_items(game: Any, found: list[tuple[str, Any]]) -> list[Any]:
    """One line per parameter with thresholds inside its range; one line for those without."""
    from ..sensitivity.symbolic import symbol, value_map

    values = value_map(game)
    items = []
    flat: dict[str, list[tuple[str, Any]]] = {}  # regime words -> parameters without inner thresholds
    for name, res in found:
        lo, hi = res.low, res.high
        inside = [t for t in res.thresholds if _cmp(t.value, lo) > 0 and _cmp(t.value, hi) < 0]
        if not inside:
            words = _regime_words(game, res.regimes[0]) if res.regimes else "no change"
            flat.setdefault(words, []).append((name, res))
            continue
        parts: list[Any] = [f"{name} from {plain(sym(lo))} to {plain(sym(hi))}: "
                            + ("threshold " if len(inside) == 1 else "thresholds ")]
        for k, t in enumerate(inside):
            parts += ([", "] if k else []) + _threshold_parts(name, t, values)
        for r in res.regimes:
            parts += ["; ", _regime_words(game, r), " for ", _interval(symbol(name), r.low, r.high, lo, hi)]
        items.append(para(*parts, "."))
    for words, group in flat.items():
        parts = [_names([f"{name} from {plain(sym(res.low))} to {plain(sym(res.high))}" for name, res in group])]
        parts.append(f": no threshold inside the range{'s' if len(group) > 1 else ''}; {words} throughout")
        edges = [(name, t) for name, res in group for t in res.thresholds]
        if edges:
            parts.append(" (the range" + ("s end" if len(group) > 1 else " ends") + " at the boundar"
                         + ("ies " if len(edges) > 1 else "y "))
            for k, (name, t) in enumerate(edges):
                parts += ([", "] if k else []) + _threshold_parts(name, t, values)
            parts.append(")")
        items.append(para(*parts, "."))
    return items


def _threshold_parts(name: str, t: Any, values: dict) -> list[Any]:
    """``c = 8 (= L·beta)``: the value, and the expression in the other parameters where it says more."""
    from ..sensitivity.symbolic import symbol

    value = t.value if isinstance(t.value, float) else sym(t.value)
    parts: list[Any] = [Relation(symbol(name), "=", value)]
    if t.expression is not None:
        expression = oriented(t.expression, values)
        if plain(expression) != plain(value):
            parts += [" (", Formula(f"= {plain(expression)}", f"= {latex(expression)}"), ")"]
    elif t.expression_text and t.expression_text != plain(value):
        parts.append(f" (= {t.expression_text})")
    return parts


def _interval(p: Any, low: Any, high: Any, lo: Any, hi: Any) -> Any:
    """``c < 8``, ``c > 8``, ``1/4 < b < 3`` or "the whole range", as a formula."""
    if _cmp(low, lo) == 0 and _cmp(high, hi) == 0:
        return "the whole range"
    if _cmp(low, lo) == 0:
        return Relation(p, "<", sym(high))
    if _cmp(high, hi) == 0:
        return Relation(p, ">", sym(low))
    return Relation(Relation(sym(low), "<", p), "<", sym(high))


def _regime_words(game: Any, regime: Any) -> str:
    """``stag hunt [(Stag, Stag), (Hare, Hare), 1 mixed]``: the game's type and its equilibria, briefly."""
    from ..sensitivity.structure import short_label

    structure = short_label(game, regime.key)
    if regime.classification:
        return f"{regime.classification} [{structure}]"
    return structure


# ---------------------------------------------------------------------------------------
# 7. degenerate games


def _degenerate(game: Any, result: Any) -> Section:
    section = Section("degenerate", "Continua of equilibria")
    if result.degenerate:
        section.para("The game is degenerate: some equilibria are not isolated points but lie on connected sets "
                     "(continua). The solver lists the extreme points; each component below is one connected "
                     "set, and mixtures of its extreme points that share a strategy are equilibria too.")
        items = []
        for c, comp in enumerate(result.components or [], 1):
            labels = _names([f"{k + 1}" for k in comp])
            what = "an isolated equilibrium:" if len(comp) == 1 else "a continuum whose extreme points are equilibria"
            items.append(para(f"Component {c}: {what} {labels}."))
        section.add(Bullets(items))
        for entry in (result.details or {}).get("continua", []):
            sup = "; ".join(f"{p}: {', '.join(s)}" for p, s in entry["supports"].items())
            text = f"On supports {sup}: a continuum of dimension {entry['dimension']} ({entry['kind']})"
            if entry.get("note"):
                text += f"; {entry['note']}"
            section.para(text + ".")
    if not result.complete:
        note = (result.details or {}).get("note")
        section.para("The list of equilibria may be incomplete" + (f": {note}" if note else "") + ".")
    return section


__all__ = ["explain"]
