"""``solve``: Nash equilibria with the analyses around them."""

from __future__ import annotations

import click

from .common import echo_csv, echo_json, format_option, load_game, main_group, set_option

METHODS = ("auto", "pure", "enumeration", "lemke-howson", "zero-sum", "nplayer", "logit")


@main_group.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="auto",
    show_default=True,
    help="auto: every equilibrium when the game is small enough, else a method that finds one (and says so).",
)
@click.option("--exact/--float", "exact", default=True, show_default=True,
              help="Show exact values (fractions, surds) where the computation was exact, or decimals only.")
@click.option("--symbolic", is_flag=True,
              help="Each equilibrium as expressions of the parameters, with the conditions for it to exist.")
@click.option("--no-analysis", is_flag=True, help="Skip efficiency, dominance, maxmin and ESS analyses.")
@click.option("--select", "select", type=click.Choice(("logit",)),
              help="Equilibrium selection: logit follows the logit QRE branch from lambda = 0 to its Nash limit "
                   "(McKelvey & Palfrey 1995) and reports which equilibrium it selects.")
@set_option
@format_option(("table", "json", "csv", "latex"))
def solve(
    file: str, method: str, exact: bool, symbolic: bool, no_analysis: bool, select: str | None,
    set_values: tuple[str, ...], fmt: str
) -> None:
    """Find the Nash equilibria of a game, verified, with their payoffs and analyses.

    \b
    Examples:
      gametheory solve games/classics/stag_hunt.yaml
      gametheory solve games/security/inspection.yaml --symbolic
      gametheory solve games/literature/mckelvey_mclennan_2x2x2.yaml --format json
      gametheory solve games/classics/battle_of_the_sexes.yaml --select logit --format csv

    Every equilibrium printed has been checked: its regret is exactly 0 when
    the computation was exact, and below the stated tolerance otherwise.
    Degenerate games list the extreme points of each connected set of
    equilibria (components).
    """
    from ..solvers import solve as solve_game

    game = load_game(file, set_values)
    if symbolic:
        from ..sensitivity.symbolic import render_symbolic, symbolic_equilibria

        sym = symbolic_equilibria(game)
        if fmt == "json":
            echo_json(sym.to_dict())
        else:
            click.echo(render_symbolic(sym))
        return
    result = solve_game(game, method=method)
    if not exact:
        result = result.as_float()
    analysis = None
    if not no_analysis:
        from ..solvers.refinements import analyse

        analysis = analyse(result)
    selection = None
    if select == "logit":
        from ..solvers.logit import qre_branch

        selection = qre_branch(result.game, equilibria=[e.float_profile for e in result.equilibria],
                               components=result.components if result.degenerate else None)
    if fmt == "json":
        from ..report.solve import solve_json

        echo_json(solve_json(result, analysis, selection))
    elif fmt == "csv":
        from ..report.solve import solve_csv

        echo_csv(solve_csv(result))
    elif fmt == "latex":
        from ..report.solve import solve_latex

        click.echo(solve_latex(result), nl=False)
    else:
        from ..report.solve import render_solve
        from .common import console

        render_solve(result, analysis, console(), selection)
