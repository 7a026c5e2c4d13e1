"""``repeated`` and ``simulate``: the repeated game of a stage game file."""

from __future__ import annotations

import click

from .common import echo_csv, echo_json, format_option, load_game, main_group, set_option


def discount_option(func):
    return click.option(
        "--discount",
        metavar="DELTA",
        help="The discount factor (a number in [0, 1), e.g. 0.6 or 3/5) for a file without one in its "
        "repeated: section; a file whose discount factor is a parameter changes it with --set.",
    )(func)


def with_discount(game, text: str | None):
    """The game with ``--discount`` as its discount factor (files whose discount is a parameter: use --set)."""
    if text is None:
        return game
    from fractions import Fraction

    from .. import expressions as ex
    from ..errors import GameError
    from ..model.game import Repeated

    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise GameError(f"--discount must be a number in [0, 1) (e.g. 0.6 or 3/5), not {text!r}") from None
    if not 0 <= value < 1:
        raise GameError(f"--discount must be in [0, 1), not {text}")
    rep = game.repeated
    if rep is not None and rep.discount is not None:
        used = sorted(ex.names(rep.discount))
        if used:
            raise GameError(
                f"the file's discount factor is {ex.to_text(rep.discount)}: change it with --set "
                f"{used[0]}={text.strip()} rather than --discount"
            )
    new = Repeated(discount=ex.parse(value), horizon=None if rep is None else rep.horizon,
                   detection=None if rep is None else rep.detection)
    return game._clone(repeated=new)


@main_group.command("repeated")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--target",
    metavar="A,B",
    help="The profile to sustain, one strategy per player "
    "(default: the welfare-maximising pure profile that is not a stage equilibrium).",
)
@click.option(
    "--plot",
    "plot_path",
    metavar="FILE.png",
    type=click.Path(dir_okay=False),
    help="Draw the feasible, individually rational and equilibrium payoff sets (two players).",
)
@click.option(
    "--generosity",
    metavar="G",
    default="1/10",
    show_default=True,
    help="Generous tit-for-tat's probability of forgiving a defection (a number in [0, 1), e.g. 0.1 or 1/3).",
)
@discount_option
@set_option
@format_option(("table", "json"))
def repeated_command(
    file: str,
    target: str | None,
    plot_path: str | None,
    generosity: str,
    discount: str | None,
    set_values: tuple[str, ...],
    fmt: str,
) -> None:
    """Analyse the repeated game: punishments, folk-theorem sets, critical discount factors.

    \b
    Minmax (punishment) and maxmin (security) values; the feasible and
    individually rational payoffs; for the target profile, the lowest discount
    factor at which grim trigger, Nash reversion, limited punishment, tit-for-tat,
    win-stay-lose-shift, generous tit-for-tat (and, with repeated: monitoring:
    detection, the grim-after-detection trigger) sustain it, exactly and as a formula of the
    parameters; what a known finite horizon does; and for two players the
    set of equilibrium payoffs at the file's discount factor.

    The discount factor is the file's (repeated: {discount: delta}; change it
    with --set delta=0.4); for a stage game without one, give it with
    --discount.

    \b
    Examples:
      gametheory repeated games/classics/prisoners_dilemma.yaml
      gametheory repeated games/classics/prisoners_dilemma.yaml --set delta=0.4 --format json
      gametheory repeated games/classics/chicken.yaml --target Swerve,Swerve --discount 0.6 --plot chicken.png
    """
    from ..repeated import analyse

    game = with_discount(load_game(file, set_values), discount)
    result = analyse(game, target=target, payoff_set=True if plot_path else None,
                     generosity=parse_generosity(generosity))
    if plot_path:
        from ..errors import GameError
        from ..repeated.apspace import plot_payoff_sets

        if game.n_players != 2:
            raise GameError("--plot draws two-player games")
        stage = [eq.payoffs for eq in result.stage]
        title = game.title or "Repeated game"
        if result.discount is not None:
            from ..expressions import exact_text

            title += f" (delta = {exact_text(result.discount)})"
        plot_payoff_sets(
            game, plot_path, result.payoff_set, result.feasible, result.rational, stage=stage, title=title
        )
        click.echo(f"wrote {plot_path}", err=True)
        if result.payoff_set is None:
            click.echo(
                "no discount factor: the plot shows the feasible and individually rational payoffs only "
                "(give one with --discount, or add repeated: {discount: ...})",
                err=True,
            )
    if fmt == "json":
        echo_json(result.to_dict())
    else:
        from ..repeated.render import render_repeated
        from .common import console

        render_repeated(result, console())


def parse_generosity(text: str | None):
    """``--generosity``: an exact number in [0, 1), or ``none`` to leave generous tit-for-tat out."""
    from fractions import Fraction

    from ..errors import GameError

    if text is None or text.strip().lower() in ("none", "off"):
        return None
    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise GameError(f"--generosity must be a number in [0, 1) (e.g. 0.1 or 1/3), not {text!r}") from None
    if not 0 <= value < 1:
        raise GameError(f"--generosity must be in [0, 1), not {text}")
    return value


@main_group.command("simulate")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--strategies",
    "strategy_list",
    required=True,
    metavar="A,B[,C...]",
    help="Two strategies for a match, three or more for a round-robin tournament. "
    "A parameter follows a colon: limited-retaliation:3, generous-tft:0.1, random:0.3.",
)
@click.option("--rounds", type=click.IntRange(1, 1_000_000), required=True, help="Rounds per match.")
@click.option(
    "--noise",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Probability that an intended move is flipped.",
)
@click.option(
    "--misperception",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Probability that a player sees the opponent's move flipped.",
)
@click.option("--seed", type=int, default=None, help="Seed of the random numbers (reproducible runs).")
@click.option(
    "--repetitions",
    type=click.IntRange(1, 10_000),
    default=1,
    show_default=True,
    help="How many times each tournament pairing is played.",
)
@click.option(
    "--tournament",
    "force_tournament",
    is_flag=True,
    help="Play a round-robin tournament even with two strategies.",
)
@click.option("--target", metavar="A,B", help="The cooperative profile (default: as in repeated).")
@click.option(
    "--history/--no-history",
    default=None,
    help="Include the round-by-round moves in JSON (default: for matches up to 1000 rounds).",
)
@discount_option
@set_option
@format_option(("table", "json", "csv"))
def simulate_command(
    file: str,
    strategy_list: str,
    rounds: int,
    noise: float,
    misperception: float,
    seed: int | None,
    repetitions: int,
    force_tournament: bool,
    target: str | None,
    history: bool | None,
    discount: str | None,
    set_values: tuple[str, ...],
    fmt: str,
) -> None:
    """Play strategies against each other in the repeated game.

    \b
    Strategies: always-cooperate, always-defect, grim, tit-for-tat,
    tit-for-two-tats, generous-tft[:g], win-stay-lose-shift,
    limited-retaliation[:k], random[:p].  C is each player's target action,
    D its best deviation from the target (the other action in a 2x2 dilemma).

    \b
    Examples:
      gametheory simulate games/classics/prisoners_dilemma.yaml --strategies tit-for-tat,always-defect --rounds 5
      gametheory simulate games/security/arms_race_repeated.yaml --strategies tft,grim,wsls,alld,random \\
          --rounds 200 --noise 0.05 --seed 1
    """
    from ..repeated.simulate import MatchResult, simulate

    game = with_discount(load_game(file, set_values), discount)
    names = [s.strip() for s in strategy_list.split(",") if s.strip()]
    result = simulate(
        game,
        names,
        rounds,
        noise=noise,
        misperception=misperception,
        seed=seed,
        target=target,
        repetitions=repetitions,
        tournament_mode=True if force_tournament else None,
    )
    is_match = isinstance(result, MatchResult)
    if fmt == "json":
        if is_match:
            echo_json(result.to_dict(history=history if history is not None else rounds <= 1000))
        else:
            echo_json(result.to_dict())
    elif fmt == "csv":
        from ..repeated.render import match_csv, tournament_csv

        echo_csv(match_csv(result) if is_match else tournament_csv(result))
    else:
        from ..repeated.render import render_match, render_tournament
        from .common import console

        if is_match:
            render_match(result, console())
        else:
            render_tournament(result, console())
