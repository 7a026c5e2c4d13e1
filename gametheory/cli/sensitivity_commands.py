"""``sweep``, ``thresholds``, ``compare`` and ``sensitivity``: how the outcome changes with the payoffs."""

from __future__ import annotations

import sys

import click

from ..errors import GameError
from .common import echo_json, format_option, load_game, main_group, set_option


def _progress_bar(total: int):
    """A rich progress bar on stderr when it is a terminal and the sweep is long; else None."""
    if not sys.stderr.isatty() or total < 20_000:
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(TextColumn("sweeping"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,} points"),
                        TimeRemainingColumn(), console=Console(stderr=True), transient=True)
    task = progress.add_task("sweep", total=total)

    def update(done: int, _total: int) -> None:
        progress.update(task, completed=done)

    return progress, update


def _write(output: str | None, data: bytes) -> None:
    if output in (None, "-"):
        import sys

        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            sys.stdout.write(data.decode("utf-8"))
        else:
            sys.stdout.flush()
            stream.write(data)
            stream.flush()
        return
    try:
        with open(output, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise GameError(f"{output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {output} ({len(data):,} bytes)", err=True)


@main_group.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--vary", "vary", multiple=True, required=True, metavar="NAME=START:STOP[:NUM]",
              help="A parameter and its grid (exact ends, e.g. g=-3:3:61 or p=0:1/3:5); give one or two.")
@set_option
@format_option(("table", "json", "csv"))
@click.option("--plot", "plot", type=click.Path(dir_okay=False), metavar="FILE.png|svg",
              help="Also draw the sweep: equilibria against one parameter, or a regime map for two.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the JSON or CSV to this file instead of standard output.")
@click.option("--workers", type=int, default=1, show_default=True, help="Local processes to solve chunks on.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler address (tcp://host:8786) to run the chunks on a cluster "
                   "(pip install 'gametheory[distributed]').")
@click.option("--mixed", is_flag=True, help="N-player games: also find mixed equilibria (per-point solver, slow).")
@click.option("--regimes-only", is_flag=True, help="JSON: leave out the per-point list.")
@click.option("--repeated/--stage", "repeated", default=None,
              help="Sweep the repeated game: each strategy's critical discount factor and whether it sustains "
                   "the target at every point (default: when a varied parameter is in the repeated: section, "
                   "e.g. the discount factor or the detection probability).")
@click.option("--target", metavar="A,B", help="Repeated game: the profile to sustain (default: as in repeated).")
@click.option("--strategies", "strategy_list", metavar="A,B,...",
              help="Repeated game: only these strategies (e.g. grim,grim-after-detection or limited-punishment:2).")
@click.option("--generosity", metavar="G", default="1/10", show_default=True,
              help="Repeated game: generous tit-for-tat's probability of forgiving a defection ('none': leave it out).")
def sweep(file: str, vary: tuple[str, ...], set_values: tuple[str, ...], fmt: str, plot: str | None,
          output: str | None, workers: int, scheduler: str | None, mixed: bool, regimes_only: bool,
          repeated: bool | None, target: str | None, strategy_list: str | None, generosity: str) -> None:
    """Solve the game at every point of a grid of one or two parameters.

    \b
    Examples:
      gametheory sweep games/security/security_dilemma.yaml --vary g=-3:3:61
      gametheory sweep games/security/security_dilemma.yaml --vary g=-3:3:101 --vary L=0:6:101 --plot map.png
      gametheory sweep games/classics/stag_hunt.yaml --vary T=0:4:100001 --format csv -o sweep.csv
      gametheory sweep games/security/arms_race_repeated.yaml --vary delta=0:1:21
      gametheory sweep games/security/arms_control_verification.yaml --vary delta=0:1:101 --vary pi=0:1:101 \\
          --strategies grim,grim-after-detection --plot verification.png

    Grid points are exact rationals; points where the fast batch solver is not
    sure (on or next to a threshold) are solved exactly. Table: the regimes
    (stretches or regions with the same equilibria); CSV: one row per point
    and equilibrium; JSON: every point and the regimes.

    For a file with a repeated: section, sweeping the discount factor or the
    detection probability (or any parameter with --repeated) reports the
    repeated game at every point: each strategy's critical discount factor and
    whether it sustains the target there (CSV: one row per point and
    strategy), with the regimes where the set of sustainable strategies is the
    same.
    """
    from ..sensitivity.grid import make_axes
    from ..sensitivity.sweep import sweep as run_sweep
    from .repeated_commands import parse_generosity

    game = load_game(file, set_values)
    if repeated and game.repeated is None:
        raise GameError("--repeated: the file has no repeated: section")
    if repeated is None:  # the default: the repeated game when a varied parameter is in the repeated: section
        used = game.names_used(game.repeated_expressions())
        repeated = any(v.partition("=")[0].strip() in used for v in vary)
    if not repeated and (target or strategy_list):
        raise GameError("--target and --strategies are for the repeated game (--repeated)")
    options = {"repeated": repeated, "target": target, "strategies": strategy_list,
               "generosity": parse_generosity(generosity)}
    axes = make_axes(game, list(vary))
    total = 1
    for a in axes:
        total *= a.num
    progress, update = _progress_bar(total)
    if progress is not None:
        with progress:
            result = run_sweep(game, axes, workers=workers, scheduler=scheduler, mixed=mixed, progress=update,
                               **options)
    else:
        result = run_sweep(game, axes, workers=workers, scheduler=scheduler, mixed=mixed, **options)
    is_repeated = hasattr(result, "stage")
    if plot:
        from ..sensitivity.plot import plot_repeated_sweep, plot_sweep

        (plot_repeated_sweep if is_repeated else plot_sweep)(result, plot)
    if fmt == "csv":
        _write(output, result.csv_bytes())
    elif fmt == "json":
        import json

        data = json.dumps(result.to_dict(points=not regimes_only), indent=2, ensure_ascii=False, allow_nan=False)
        if output in (None, "-"):
            click.echo(data)
        else:
            _write(output, (data + "\n").encode())
    else:
        from ..sensitivity.render import render_repeated_sweep, render_sweep
        from .common import console

        (render_repeated_sweep if is_repeated else render_sweep)(result, console())
    if plot:
        click.echo(f"wrote {plot}", err=True)


@main_group.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--vary", "vary", required=True, metavar="NAME[=LO:HI]",
              help="The parameter, with its range unless the file gives one (e.g. --vary g or --vary g=-3:3).")
@set_option
@format_option(("table", "json"))
@click.option("--repeated/--stage", "repeated", default=None,
              help="Include the repeated game's critical values (default: when the parameter is in the "
                   "repeated: section, e.g. the discount factor).")
@click.option("--plot", "plot", type=click.Path(dir_okay=False), metavar="FILE.png|svg",
              help="Draw the equilibria against the parameter, regimes shaded, thresholds marked.")
@click.option("--mixed/--no-mixed", "mixed", default=None,
              help="N-player games: also find thresholds of the mixed equilibria, by a numerical scan with the "
                   "exact N-player solver (default: on for 3-player games of up to 3x3x2 strategies, where it "
                   "takes seconds).")
def thresholds(file: str, vary: str, set_values: tuple[str, ...], fmt: str, repeated: bool | None,
               plot: str | None, mixed: bool | None) -> None:
    """The exact parameter values where the equilibrium set changes, and the regimes between them.

    \b
    Examples:
      gametheory thresholds games/security/security_dilemma.yaml --vary g
      gametheory thresholds games/security/relative_gains.yaml --vary r --format json
      gametheory thresholds games/security/arms_race_repeated.yaml --vary delta

    Each threshold is exact (a fraction or a surd) with its expression in the
    other parameters, e.g. (T - R)/(T - P); the table says what happens
    exactly there (often a degenerate game) and names each regime's game type.
    The notes under the table say how the thresholds were found.
    """
    from ..sensitivity.grid import parse_vary
    from ..sensitivity.thresholds import thresholds as find_thresholds

    game = load_game(file, set_values)
    name, lo, hi, _ = parse_vary(vary, game, need_range=False)
    if lo is None and game.parameters[name].range is None:
        raise GameError(f"the file gives no range for {name}; write --vary {name}=LO:HI")
    if sys.stderr.isatty():  # say what is being done while it runs (a large game takes seconds)
        from rich.console import Console

        with Console(stderr=True).status("thresholds", spinner="dots") as status:
            result = find_thresholds(game, name, lo, hi, repeated=repeated, mixed=mixed,
                                     progress=lambda message: status.update(f"thresholds: {message}"))
    else:
        result = find_thresholds(game, name, lo, hi, repeated=repeated, mixed=mixed)
    if fmt == "json":
        echo_json(result.to_dict())
    else:
        from ..sensitivity.render import render_thresholds
        from .common import console

        render_thresholds(result, console())
    if plot:
        from ..sensitivity.grid import Axis
        from ..sensitivity.plot import plot_sweep
        from ..sensitivity.sweep import sweep as run_sweep

        line = run_sweep(game, [Axis(name, result.low, result.high, 601)])
        plot_sweep(line, plot, thresholds=result)
        click.echo(f"wrote {plot}", err=True)


@main_group.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--scenario", "scenarios", multiple=True, metavar="NAME",
              help="A scenario of the file (repeatable; default: all). The first is the baseline; "
                   "'current' is the file's values.")
@set_option
@format_option(("table", "json"))
def compare(file: str, scenarios: tuple[str, ...], set_values: tuple[str, ...], fmt: str) -> None:
    """The equilibria of each named scenario side by side, and what changed against the first.

    \b
    Examples:
      gametheory compare games/security/security_dilemma.yaml
      gametheory compare games/security/security_dilemma.yaml --format json

    Reports equilibria that appear or vanish, probability and payoff changes of
    those that persist, and a change of game type (2x2 games).
    """
    from ..sensitivity.compare import compare as run_compare

    game = load_game(file, set_values)
    result = run_compare(game, list(scenarios) or None)
    if fmt == "json":
        echo_json(result.to_dict())
    else:
        from ..sensitivity.render import render_compare
        from .common import console

        render_compare(result, console())


@main_group.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--parameter", "parameters", multiple=True, metavar="NAME", help="Only these parameters (repeatable).")
@set_option
@format_option(("table", "json"))
@click.option("--plot", "plot", type=click.Path(dir_okay=False), metavar="FILE.png|svg",
              help="Draw a tornado chart of the margins.")
def sensitivity(file: str, parameters: tuple[str, ...], set_values: tuple[str, ...], fmt: str,
                plot: str | None) -> None:
    """How robust are the equilibria at the current values? Margins and derivatives, ranked.

    \b
    Examples:
      gametheory sensitivity games/security/inspection.yaml
      gametheory sensitivity games/classics/stag_hunt.yaml --format json

    For each parameter: the nearest threshold below and above (exact, with its
    expression) and the margin to it, and the derivatives of each
    equilibrium's probabilities and payoffs. Most fragile parameter first.
    """
    from ..sensitivity.compare import sensitivity as run_sensitivity

    game = load_game(file, set_values)
    result = run_sensitivity(game, list(parameters) or None)
    if fmt == "json":
        echo_json(result.to_dict())
    else:
        from ..sensitivity.render import render_sensitivity
        from .common import console

        render_sensitivity(result, console())
    if plot:
        from ..sensitivity.plot import plot_tornado

        plot_tornado(result, plot)
        click.echo(f"wrote {plot}", err=True)
