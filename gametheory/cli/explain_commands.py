"""``explain``: the teaching walkthrough of a game (:mod:`gametheory.explain`).

Loads the game, builds the lesson and renders it; nothing is computed here.
Importing this module registers the command; sympy, numpy and rich are
imported only when it runs.
"""

from __future__ import annotations

import click

from .common import echo_json, format_option, load_game, main_group, set_option


@main_group.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--no-thresholds", is_flag=True, help="Skip the thresholds section of a parameterised file.")
@set_option
@format_option(("text", "markdown", "latex", "json"), default="text")
def explain(file: str, no_thresholds: bool, set_values: tuple[str, ...], fmt: str) -> None:
    """Explain a game step by step, as a teacher would.

    \b
    Examples:
      gametheory explain games/classics/stag_hunt.yaml
      gametheory explain games/security/inspection.yaml --format markdown > inspection.md
      gametheory explain games/classics/chicken.yaml --format latex --set C=4 > chicken.tex

    \b
    1. best responses, marked in the table and said in words;
    2. strict and weak dominance (also by mixtures), iterated elimination;
    3. why no one deviates from each pure equilibrium;
    4. the indifference equations behind each mixed equilibrium, solved
       step by step (in the parameters, then with the numbers);
    5. Pareto efficiency, payoff and risk dominance, ESS, security values;
    6. the thresholds of each parameter (two-player games, time-bounded);
    7. continua of equilibria in degenerate games.

    --format markdown gives a handout, --format latex a fragment for a
    document that loads amsmath.
    """
    from ..explain import explain as build_lesson

    game = load_game(file, set_values)
    lesson = build_lesson(game, thresholds=not no_thresholds)
    if fmt == "json":
        echo_json(lesson.to_dict())
    elif fmt == "markdown":
        click.echo(lesson.to_markdown(), nl=False)
    elif fmt == "latex":
        click.echo(lesson.to_latex(), nl=False)
    else:
        from ..explain.render import render_text
        from .common import console

        render_text(lesson, console())
