"""``dynamics`` and ``qre``: how play evolves, where it ends, and the logit equilibrium."""

from __future__ import annotations

from typing import Any

import click

from ..errors import GameError
from .common import console, echo_csv, echo_json, format_option, load_game, main_group, set_option

RULE_NAMES = ("replicator", "best-response", "fictitious-play", "stochastic-fictitious-play", "regret-matching",
              "logit")
TABLE_ROWS = 12


def parse_start(values: tuple[str, ...], game: Any = None) -> list[list[Any]] | None:
    """``("0.9,0.1", "1/2,1/2")`` -> one probability list per player (exact numbers parsed).

    Each ``--start`` is one mixed strategy, so (given the game) it must have
    one probability per strategy, and its probabilities must be non-negative
    and sum to 1 (within 1e-9); anything else is an error that names the
    option and the values, never a silent rescaling.
    """
    from ..dynamics._common import START_SUM_TOL
    from ..expressions import ExpressionError, evaluate, parse

    if not values:
        return None
    out = []
    for k, item in enumerate(values):
        try:
            probs = [evaluate(parse(part.strip()), {}) for part in item.split(",")]
        except ExpressionError as exc:
            raise GameError(f"--start {item!r}: {exc}") from None
        if game is not None and k < game.n_players:
            size = game.shape[k] if len(values) == game.n_players else game.shape[0]
            if len(probs) != size:
                raise GameError(f"--start {item!r}: expected {size} probabilities (one per strategy of "
                                f"{game.players[k] if len(values) == game.n_players else 'each player'}), "
                                f"got {len(probs)}")
        try:
            floats = [float(p) for p in probs]
        except (TypeError, ValueError):
            raise GameError(f"--start {item!r}: expected numbers") from None
        if any(p < 0 for p in floats):
            raise GameError(f"--start {item!r}: probabilities must be non-negative")
        total = sum(probs)
        if abs(float(total) - 1.0) > START_SUM_TOL:
            raise GameError(f"--start {item!r}: the probabilities sum to {float(total):.10g}, not 1 (each --start "
                            "is one mixed strategy, with one probability per strategy)")
        out.append(probs)
    return out


def _share(q: float) -> str:
    """A probability to four places, never ``-0.0000``."""
    text = f"{float(q):.4f}"
    return "0.0000" if text == "-0.0000" else text


def _rule_options(rule: str, steps: int | None, t_max: float | None, noise: float | None,
                  populations: str, max_steps: int | None = None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if steps is not None:
        kwargs["steps"] = steps
    if rule in ("replicator", "best-response", "logit"):
        kwargs["populations"] = populations
        if t_max is not None:
            kwargs["t_max"] = t_max
        if max_steps is not None:
            if max_steps < 1:
                raise GameError("--max-steps must be at least 1")
            kwargs["max_steps"] = max_steps
    elif max_steps is not None:
        raise GameError(f"--max-steps caps the solver of the continuous-time rules; {rule} counts rounds with --steps")
    elif t_max is not None:
        raise GameError(f"--time is for the continuous-time rules; {rule} counts rounds with --steps")
    elif populations != "auto":
        raise GameError(f"--populations is for the continuous-time rules, not {rule}")
    if noise is not None:
        if rule not in ("logit", "stochastic-fictitious-play"):
            raise GameError("--lambda (the logit precision) is for --rule logit and stochastic-fictitious-play")
        kwargs["noise"] = noise
    return kwargs


@main_group.command("dynamics")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--rule", type=click.Choice(RULE_NAMES), default="replicator", show_default=True,
              help="The dynamic or learning rule.")
@click.option("--start", multiple=True, metavar="P1,P2,...",
              help="Starting mixed strategy: one probability per strategy, summing to 1 (fractions allowed); "
                   "give it once per player, or once for all (e.g. --start 0.9,0.1). "
                   "Default: a random start drawn with --seed.")
@click.option("--steps", type=int, help="Rounds (learning rules) or recorded time steps (flows).")
@click.option("--time", "t_max", type=float, help="How long to follow a flow (replicator, best-response, logit).")
@click.option("--max-steps", type=int,
              help="Cap on the solver's steps for a flow (default 10000; Euler steps for best-response, "
                   "default 200000; with --basins, the steps any start is followed, default 24000): a run that "
                   "needs more stops there and says so.")
@click.option("--seed", type=int, help="Seed for the random start and every random draw.")
@click.option("--lambda", "noise", type=float,
              help="Precision of the logit response (--rule logit, stochastic-fictitious-play; default 10).")
@click.option("--populations", type=click.Choice(("auto", "one", "two")), default="auto", show_default=True,
              help="One population (symmetric games) or one per player, for the flows.")
@click.option("--basins", is_flag=True,
              help="Instead of one run: the share of starting points reaching each equilibrium "
                   "(2x2 games, symmetric 3-strategy games).")
@click.option("--points", type=int, help="Grid resolution for --basins.")
@click.option("--vary", metavar="NAME=START:STOP[:NUM]",
              help="With --basins: the basins at each value of one parameter (an exact grid, as for sweep; "
                   "NUM defaults to 21).")
@click.option("--workers", type=int, default=1, show_default=True, help="With --vary: local processes to use.")
@click.option("--scheduler", metavar="ADDRESS", help="With --vary: a Dask scheduler address to run the grid on.")
@click.option("--sample", type=int, help="With --basins: this many random starts (with --seed) instead of a grid.")
@click.option("--plot", "plot_path", metavar="FILE.png", type=click.Path(dir_okay=False),
              help="Draw the phase portrait (2x2, symmetric 3x3) and the trajectory over time; with --basins, "
                   "the basins on it; with --basins --vary, the shares against the parameter.")
@set_option
@format_option(("table", "json", "csv"))
def dynamics_command(file: str, rule: str, start: tuple[str, ...], steps: int | None, t_max: float | None,
                     max_steps: int | None, seed: int | None, noise: float | None, populations: str, basins: bool,
                     points: int | None,
                     vary: str | None, workers: int, scheduler: str | None, sample: int | None,
                     plot_path: str | None, set_values: tuple[str, ...], fmt: str) -> None:
    """Follow a learning or evolutionary dynamic; report where it ends.

    \b
    Rules: replicator (Taylor & Jonker 1978; one population for symmetric
    games), best-response (Gilboa & Matsui 1991), logit (Fudenberg & Levine
    1998), fictitious-play (Brown 1951), stochastic-fictitious-play,
    regret-matching (Hart & Mas-Colell 2000; reports how close joint play is
    to the correlated equilibria). The end point is compared with the
    verified Nash equilibria: it approaches one, cycles (said only with
    evidence: a conserved quantity, a sustained oscillation, recurring
    play), rests elsewhere, or did not settle within the time or the cap on
    solver steps.

    \b
    Examples:
      gametheory dynamics games/classics/stag_hunt.yaml --start 0.7,0.3
      gametheory dynamics games/classics/stag_hunt.yaml --basins --plot stag_hunt.png
      gametheory dynamics games/classics/stag_hunt.yaml --basins --populations two --vary R=3:7:9
      gametheory dynamics games/classics/rock_paper_scissors.yaml --start 0.6,0.3,0.1 --plot rps.png
      gametheory dynamics games/classics/matching_pennies.toml --rule fictitious-play --seed 1
      gametheory dynamics games/classics/chicken.yaml --rule regret-matching --seed 7 --format json
    """
    from .. import dynamics

    game = load_game(file, set_values)
    if basins:
        if rule not in dynamics.CONTINUOUS_RULES:
            raise GameError("--basins uses a flow: --rule replicator, best-response or logit")
        kwargs: dict[str, Any] = {"points": points, "sample": sample, "seed": seed, "populations": populations}
        if t_max is not None:
            kwargs["t_max"] = t_max
        if noise is not None:
            kwargs["noise"] = noise
        if max_steps is not None:
            if max_steps < 1:
                raise GameError("--max-steps must be at least 1")
            kwargs["max_steps"] = max_steps
        if start:
            raise GameError("--start gives one run's start; --basins uses a grid of starts (or --sample N)")
        if vary is not None:
            _basins_sweep(game, rule, vary, workers, scheduler, kwargs, plot_path, fmt)
            return
        if workers != 1 or scheduler is not None:
            raise GameError("--workers and --scheduler go with --basins --vary")
        res = dynamics.basins(game, rule, **kwargs)
        if plot_path:
            from ..dynamics.plot import plot_phase

            plot_phase(game, plot_path, rule=rule, noise=noise or 10.0, basins=res)
        if fmt == "json":
            echo_json(res.to_dict())
        elif fmt == "csv":
            echo_csv([["outcome", "equilibrium", "share"]]
                     + [["equilibrium" if isinstance(k, int) else k, res.label_text(k), v]
                        for k, v in res.shares.items()])
        else:
            _basins_table(res)
        return
    if points is not None or sample is not None or vary is not None:
        raise GameError("--points, --sample and --vary go with --basins")
    result = dynamics.run(game, rule, parse_start(start, game), seed=seed,
                          **_rule_options(rule, steps, t_max, noise, populations, max_steps))
    if plot_path:
        from ..dynamics.plot import plot_run

        plot_run(result, plot_path)
    if fmt == "json":
        echo_json(result.to_dict())
    elif fmt == "csv":
        echo_csv(result.rows())
    else:
        _run_table(result)


def _run_table(result: Any) -> None:
    from rich import box
    from rich.table import Table

    game = result.game
    out = console()
    players = [0] if result.populations == "one" else range(game.n_players)
    table = Table(box=box.HEAVY_HEAD, title=f"{game.title or 'game'}: {result.rule}"
                  + (" (one population)" if result.populations == "one" else ""))
    learning = result.rule in ("fictitious-play", "stochastic-fictitious-play", "regret-matching")
    table.add_column("round" if learning else "t", justify="right")
    for i in players:
        for s in game.strategies[i]:
            table.add_column(s if result.populations == "one" else f"{game.players[i]}: {s}", justify="right")
    n = len(result.trajectory)
    keep = sorted({round(k * (n - 1) / (TABLE_ROWS - 1)) for k in range(TABLE_ROWS)}) if n > TABLE_ROWS else range(n)
    for k in keep:
        t = result.times[k]
        row = [f"{int(t)}" if learning else f"{float(t):.4g}"]
        row += [_share(q) for i in players for q in result.trajectory[k][i]]
        table.add_row(*row)
    out.print(table)
    out.print(f"Ends: {result.describe()}.")
    if "max_incentive_violation" in result.details:
        ce = "within" if result.details["correlated_equilibrium"] else "outside"
        out.print(f"Empirical joint play: largest incentive violation {result.details['max_incentive_violation']:.4g} "
                  f"({ce} tolerance of the correlated equilibria).")
    if result.seed is not None:
        out.print(f"Seed: {result.seed}.")


def _basins_sweep(game: Any, rule: str, vary: str, workers: int, scheduler: str | None, kwargs: dict[str, Any],
                  plot_path: str | None, fmt: str) -> None:
    import sys

    from ..dynamics import basins_sweep
    from ..sensitivity.grid import parse_vary

    num = parse_vary(vary, game, default_num=21)[3]
    if sys.stderr.isatty() and num > 1:  # each grid value follows hundreds of starts: worth a progress bar
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(TextColumn("basins"), BarColumn(), TextColumn("{task.completed}/{task.total} values"),
                       TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        task = bar.add_task("basins", total=num)
        with bar:
            res = basins_sweep(game, vary, rule, workers=workers, scheduler=scheduler,
                               progress=lambda done, _total: bar.update(task, completed=done), **kwargs)
    else:
        res = basins_sweep(game, vary, rule, workers=workers, scheduler=scheduler, **kwargs)
    if plot_path:
        from ..dynamics.plot import plot_basins_sweep

        plot_basins_sweep(res, plot_path)
    if fmt == "json":
        echo_json(res.to_dict())
        return
    if fmt == "csv":
        echo_csv(res.rows())
        return
    from rich import box
    from rich.table import Table

    from ..expressions import exact_text

    out = console()
    first = res.results[0]
    where = "the simplex" if first.populations == "one" and game.shape[0] == 3 else \
        "the line of population shares" if first.populations == "one" else "the unit square"
    table = Table(box=box.HEAVY_HEAD, title=f"{game.title or 'game'}: basins of {rule} dynamics "
                  f"({len(first.starts)} starts on {where})")
    table.add_column(res.parameter, justify="right")
    columns = {key: res.shares(key) for key in res.keys()}
    never = [key for key, shares in columns.items() if not shares.any()]
    keys = [key for key in columns if key not in never]
    for key in keys:
        table.add_column(key, justify="right")
    for k, v in enumerate(res.values):
        table.add_row(exact_text(v), *[f"{columns[key][k]:.3f}" for key in keys])
    out.print(table)
    if never:
        out.print("Reached from no start: " + ", ".join(never) + ".", highlight=False)
    crossings: dict[tuple, list[str]] = {}
    for key in keys:
        if key not in ("cycle", "rest-point", "did-not-settle"):
            for interval in res.crossings(key):
                crossings.setdefault(interval, []).append(key)
    for (lo, hi), which in crossings.items():
        at = f"At {res.parameter} = {exact_text(lo)}" if lo == hi else \
            f"Between {res.parameter} = {exact_text(lo)} and {exact_text(hi)}"
        verb = "share reaching {} crosses" if len(which) == 1 else "shares reaching {} cross"
        out.print(f"{at} the {verb.format(' and '.join(which))} 1/2.", highlight=False)


def _basins_table(res: Any) -> None:
    from rich import box
    from rich.table import Table

    out = console()
    where = "the simplex" if res.populations == "one" and res.game.shape[0] == 3 else \
        "the line of population shares" if res.populations == "one" else "the unit square"
    table = Table(box=box.HEAVY_HEAD, title=f"{res.game.title or 'game'}: basins of {res.rule} dynamics "
                  f"({len(res.starts)} starts on {where})")
    table.add_column("ends at")
    table.add_column("share", justify="right")
    for k, v in res.shares.items():
        table.add_row(res.label_text(k), f"{v:.3f}")
    out.print(table)


@main_group.command("qre")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--lambda", "lambdas", type=float, multiple=True, metavar="L",
              help="Report the QRE at this precision (repeatable).")
@click.option("--max-lambda", type=float, default=1e6, show_default=True, help="Where to stop tracing.")
@click.option("--plot", "plot_path", metavar="FILE.png", type=click.Path(dir_okay=False),
              help="Draw the branch against lambda (and the arms of any bifurcation).")
@set_option
@format_option(("table", "json", "csv"))
def qre_command(file: str, lambdas: tuple[float, ...], max_lambda: float, plot_path: str | None,
                set_values: tuple[str, ...], fmt: str) -> None:
    """Trace the logit quantal response equilibrium from lambda = 0 to the Nash limit.

    \b
    The principal branch (McKelvey & Palfrey 1995), traced by arc length as
    Gambit's logit does (Turocy 2005); its limit is the Nash equilibrium that
    the logit QRE selects. A bifurcation on the branch (in games with a
    symmetry, such as Battle of the Sexes and Chicken) is located and its
    other arms followed to their limits: there the selection is not unique.

    \b
    Examples:
      gametheory qre games/classics/stag_hunt.yaml
      gametheory qre games/classics/stag_hunt.yaml --lambda 0.5 --lambda 2 --plot stag_hunt_qre.png
      gametheory qre games/classics/battle_of_the_sexes.yaml --plot bos_qre.png
    """
    from ..dynamics import qre_branch

    game = load_game(file, set_values)
    if not max_lambda > 0:
        raise GameError("--max-lambda must be positive")
    branch = qre_branch(game, lambdas, max_lambda=max_lambda)
    if plot_path:
        from ..dynamics.plot import plot_qre

        plot_qre(branch, plot_path)
    if fmt == "json":
        echo_json(branch.to_dict())
        return
    head = ["lambda"] + [f"{p}: {s}" for p, ss in zip(game.players, game.strategies) for s in ss]
    rows = [[lam] + [float(q) for x in prof for q in x] for lam, prof in branch.at.items()]
    rows.append([branch.max_lambda] + [float(q) for x in branch.limit for q in x])
    if fmt == "csv":
        echo_csv([head] + rows)
        return
    from rich import box
    from rich.table import Table

    out = console()
    table = Table(box=box.HEAVY_HEAD, title=f"{game.title or 'game'}: logit QRE")
    for h in head:
        table.add_column(h, justify="right")
    for row in rows:
        table.add_row(f"{row[0]:.6g}", *[_share(q) for q in row[1:]])
    out.print(table)
    for line in qre_lines(branch):
        out.print(line, highlight=False)


def qre_lines(branch: Any) -> list[str]:
    """The sentences under the ``qre`` table (and in ``solve --select logit``): the selection and any bifurcation."""
    from ..dynamics._common import equilibrium_text

    game = branch.game

    def name(index: int | None, component: int | None, limit: Any) -> str:
        if index is not None:
            return equilibrium_text(game, branch.equilibria[index])
        text = equilibrium_text(game, limit)
        return f"{text} (in component {component + 1})" if component is not None else f"{text} (not a listed equilibrium)"

    lam = f"lambda = {branch.max_lambda:.3g}"
    if branch.equilibrium is not None or branch.component is not None:
        out = [f"Selected Nash equilibrium: {name(branch.equilibrium, branch.component, branch.limit)} "
               f"(distance {branch.distance:.2g} at {lam})."]
    else:
        out = [f"The branch ends at {name(None, None, branch.limit)} at {lam}, "
               f"{branch.distance:.2g} from the nearest listed equilibrium."]
    for b in branch.bifurcations:
        arms = sorted({name(a.equilibrium, a.component, a.limit) for a in b.arms})
        text = (f"Bifurcation at lambda = {b.lam:.6g}: another branch of QRE crosses the principal branch there "
                "(non-generic: in a symmetric game, a pitchfork where the symmetry breaks). The tracer keeps to "
                "the branch it is on")
        if arms:
            text += "; the other arms lead to " + " and ".join(arms)
        out.append(text + ". The logit selection is not unique.")
    return out
