"""``dominance`` and ``correlated``: iterated dominance and correlated equilibria of a game.

Each command loads the game, calls the API (:mod:`gametheory.solvers.dominance`,
:mod:`gametheory.solvers.correlated`) and renders the result as a table or as
JSON.  Importing this module registers the commands on the ``gametheory``
group; numpy and scipy are imported only when a command runs.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import click

from ..errors import GameError
from .common import console, echo_json, format_option, load_game, main_group, set_option


def _profile_text(names: Any) -> str:
    return "(" + ", ".join(names) + ")"


def _surviving_text(surviving: dict[str, tuple[str, ...]]) -> str:
    return "; ".join(f"{player}: {', '.join(names)}" for player, names in surviving.items())


# -- dominance ---------------------------------------------------------------------

_SHOW_ALTERNATIVES = 10  # alternative outcomes of weak elimination listed in the table


@main_group.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--weak", is_flag=True, help="Eliminate weakly dominated strategies (default: strictly).")
@click.option("--mixed", is_flag=True, help="Also eliminate strategies dominated by mixed strategies (LP).")
@set_option
@format_option(("table", "json"))
def dominance(file: str, weak: bool, mixed: bool, set_values: tuple[str, ...], fmt: str) -> None:
    """Iterated elimination of dominated strategies, with its audit trail.

    \b
    Examples:
      gametheory dominance games/classics/iterated_dominance.yaml
      gametheory dominance games/security/deterrence.yaml --weak
      gametheory dominance games/literature/von_stengel_3x2.yaml --mixed --format json

    Each round removes every strategy dominated against what remains, and the
    table shows the round, the player, the strategy removed and what dominates
    it (a strategy, or with --mixed a mixture such as 1/2 Top + 1/2 Bottom).
    With --weak, every weakly dominated strategy is removed each round (the
    textbook convention), and other elimination orders are explored too: the
    command says when the outcome depends on the order and lists the others.
    """
    from ..solvers.dominance import iterated_elimination, weak_elimination_orders

    game = load_game(file, set_values)
    result = iterated_elimination(game, weak=weak, mixed=mixed)
    orders = weak_elimination_orders(game, mixed=mixed) if weak else None
    alternatives = []
    if orders is not None:
        alternatives = [o for o in orders.outcomes if o.surviving_indices != result.surviving_indices]
    if fmt == "json":
        data = result.to_dict()
        if orders is not None:
            data["order_dependent"] = bool(alternatives)
            data["orders_complete"] = orders.complete
            data["alternatives"] = [o.to_dict() for o in alternatives]
        echo_json(data)
        return
    _render_dominance(game, result, orders, alternatives)


def _render_dominance(game: Any, result: Any, orders: Any, alternatives: list) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    out = console()
    kind = "weakly" if result.weak else "strictly"
    by = "pure and mixed strategies" if result.mixed else "pure strategies only"
    out.print(Text(game.title or "(untitled game)", style="bold"))
    out.print(f"Iterated elimination of {kind} dominated strategies", highlight=False)
    out.print(f"Dominating strategies considered: {by}", highlight=False)
    if result.steps:
        table = Table(box=box.HEAVY_HEAD)
        table.add_column("round", justify="right")
        table.add_column("player")
        table.add_column("removed")
        table.add_column("dominated by")
        table.add_column("dominance")
        for step in result.steps:
            table.add_row(
                str(step.round),
                step.player,
                step.removed,
                step.dominator_text(),
                "strict" if step.strict else "weak",
            )
        out.print(table)
    else:
        out.print(f"No strategy is {kind} dominated.", highlight=False)
    out.print("Surviving strategies:", highlight=False)
    for player, names in result.surviving.items():
        out.print(f"  {player}: {', '.join(names)}", highlight=False)
    if result.solved:
        out.print(f"Solved by iterated dominance: {_profile_text(result.solution)}", highlight=False)
    if orders is None:
        return
    if alternatives:
        out.print("The outcome depends on the order of elimination.", highlight=False)
        out.print("Removing one weakly dominated strategy at a time, other orders end in:", highlight=False)
        for k, alt in enumerate(alternatives[:_SHOW_ALTERNATIVES], 1):
            out.print(f"  {k}. {_surviving_text(alt.surviving)}", highlight=False)
            order = ", then ".join(f"{s.player} {s.removed} (by {s.dominator_text()})" for s in alt.steps)
            out.print(f"     order: {order}", highlight=False)
        if len(alternatives) > _SHOW_ALTERNATIVES:
            more = len(alternatives) - _SHOW_ALTERNATIVES
            out.print(f"  ... and {more} more (--format json lists them all)", highlight=False)
    elif orders.complete:
        out.print("Every order of elimination gives this outcome.", highlight=False)
    if not orders.complete:
        out.print(
            f"(The search over orders stopped after {orders.states} intermediate games;", highlight=False
        )
        out.print(" other outcomes may exist.)", highlight=False)


# -- correlated --------------------------------------------------------------------


@main_group.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--objective",
    default="welfare",
    show_default=True,
    metavar="welfare|PLAYER",
    help="Maximise welfare (the sum of payoffs) or the named player's expected payoff.",
)
@set_option
@format_option(("table", "json"))
def correlated(file: str, objective: str, set_values: tuple[str, ...], fmt: str) -> None:
    """Correlated equilibria by linear programming: the optimum and the payoff ranges.

    \b
    Examples:
      gametheory correlated games/classics/aumann_correlated.yaml
      gametheory correlated games/classics/chicken.yaml --objective 'Driver 1' --format json

    Finds the correlated equilibrium (Aumann 1974) that maximises welfare or
    one player's expected payoff, exactly for games with rational payoffs;
    the range of each player's payoff and of welfare over all correlated
    equilibria; and whether the best correlated equilibrium beats every Nash
    equilibrium in welfare.
    """
    from ..solvers.correlated import compare_with_nash, correlated_equilibrium

    game = load_game(file, set_values)
    result = correlated_equilibrium(game, objective)
    nash, note = _nash_payoffs(game)
    if nash is not None:
        compare_with_nash(result, nash)
    if fmt == "json":
        data = result.to_dict()
        data.setdefault("nash_comparison", None)
        echo_json(data)
        return
    _render_correlated(game, result, note)


def _nash_payoffs(game: Any) -> tuple[list | None, str]:
    """The payoff vectors of the Nash equilibria from ``gametheory.solvers.solve``, if it exists."""
    try:
        from ..solvers import solve  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        return None, "no Nash solver is available"
    try:
        found = solve(game)
    except (GameError, NotImplementedError) as exc:
        return None, f"the Nash solver cannot solve this game ({exc})"
    payoffs = [tuple(eq.payoffs) for eq in found]
    if getattr(found, "complete", True):
        return payoffs, ""
    return payoffs, "the Nash equilibria found may not be all of them"


def _number(value: Any, exact: bool) -> str:
    if exact and isinstance(value, (int, Fraction)):
        value = Fraction(value)
        if value.denominator == 1:
            return str(value.numerator)
        return f"{value} ({float(value):.6g})"
    return f"{float(value):.6g}"


def _probability(value: Any, exact: bool) -> str:
    if exact:
        return str(value) if value != 0 else "0"
    return f"{float(value):.6g}" if float(value) > 0 else "0"


def _render_correlated(game: Any, result: Any, note: str) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    out = console()
    exact = result.exact
    out.print(Text(game.title or "(untitled game)", style="bold"))
    what = "welfare (the sum of payoffs)" if result.objective == "welfare" else f"{result.objective}'s payoff"
    out.print(f"Correlated equilibrium maximising {what}", highlight=False)
    if game.n_players == 2:
        table = Table(box=box.HEAVY_HEAD)
        table.add_column(f"{game.players[0]} \\ {game.players[1]}", style="bold")
        for name in game.strategies[1]:
            table.add_column(name, justify="center")
        for r, rname in enumerate(game.strategies[0]):
            cells = [_probability(result.probabilities[r, c], exact) for c in range(game.shape[1])]
            table.add_row(rname, *cells)
        out.print(table)
    else:
        table = Table(box=box.HEAVY_HEAD)
        for player in game.players:
            table.add_column(player)
        table.add_column("probability", justify="right")
        for names, p in result.distribution().items():
            table.add_row(*names, _probability(p, exact))
        out.print(table)
    if not exact:
        out.print(
            f"(floating point: the payoffs are not all rational; incentive constraints hold to "
            f"{result.tolerance:.1e})",
            highlight=False,
        )
    pays = ", ".join(f"{p} {_number(v, exact)}" for p, v in zip(game.players, result.payoffs))
    out.print(f"Expected payoffs: {pays}", highlight=False)
    out.print(f"Welfare: {_number(result.welfare, exact)}", highlight=False)
    if result.ranges is not None:
        ranges = result.ranges
        rexact = ranges.exact
        out.print("Ranges over all correlated equilibria:", highlight=False)
        table = Table(box=box.HEAVY_HEAD)
        table.add_column("expected payoff")
        table.add_column("min", justify="right")
        table.add_column("max", justify="right")
        for player, (lo, hi) in ranges.players.items():
            table.add_row(player, _number(lo, rexact), _number(hi, rexact))
        table.add_row("welfare", _number(ranges.welfare[0], rexact), _number(ranges.welfare[1], rexact))
        out.print(table)
    comp = result.nash
    if comp is None:
        out.print(f"Comparison with Nash equilibria: skipped ({note}).", highlight=False)
    elif comp.best_nash_welfare is None:
        out.print("Comparison with Nash equilibria: no Nash equilibrium was found.", highlight=False)
    else:
        cexact = comp.exact
        n = len(comp.nash_welfare)
        out.print(f"Comparison with {n} Nash equilibri{'um' if n == 1 else 'a'}:", highlight=False)
        out.print(
            f"  best correlated equilibrium: welfare {_number(comp.correlated_welfare, cexact)}",
            highlight=False,
        )
        out.print(
            f"  best Nash equilibrium: welfare {_number(comp.best_nash_welfare, cexact)}", highlight=False
        )
        if comp.beats_every_nash:
            verdict = f"beats every Nash equilibrium, by {_number(comp.gain, cexact)}"
        else:
            verdict = "does no better than the best Nash equilibrium"
        out.print(f"  the best correlated equilibrium {verdict}", highlight=False)
        if note:
            out.print(f"  ({note})", highlight=False)
