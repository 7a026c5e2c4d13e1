"""``dynamics`` and ``qre``: how play evolves, where it ends, and the logit equilibrium."""

from __future__ import annotations

from typing import Any

import click

from ..errors import GameError
from .common import console, echo_csv, echo_json, format_option, load_game, main_group, set_option

RULE_NAMES = ("replicator", "best-response", "fictitious-play", "stochastic-fictitious-play", "regret-matching",
              "logit")
TABLE_ROWS = 12


def parse_start(values: tuple[str, ...]) -> list[list[Any]] | None:
    """``("0.9,0.1", "1/2,1/2")`` -> one probability list per player (exact numbers parsed)."""
    from ..expressions import ExpressionError, evaluate, parse

    if not values:
        return None
    out = []
    for item in values:
        try:
            out.append([evaluate(parse(part.strip()), {}) for part in item.split(",")])
        except ExpressionError as exc:
            raise GameError(f"--start {item!r}: {exc}") from None
    return out


def _rule_options(rule: str, steps: int | None, t_max: float | None, noise: float | None,
                  populations: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if steps is not None:
        kwargs["steps"] = steps
    if rule in ("replicator", "best-response", "logit"):
        kwargs["populations"] = populations
        if t_max is not None:
            kwargs["t_max"] = t_max
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
              help="Starting mixed strategy: once per player, or once for all (e.g. --start 0.9,0.1). "
                   "Default: a random start drawn with --seed.")
@click.option("--steps", type=int, help="Rounds (learning rules) or recorded time steps (flows).")
@click.option("--time", "t_max", type=float, help="How long to follow a flow (replicator, best-response, logit).")
@click.option("--seed", type=int, help="Seed for the random start and every random draw.")
@click.option("--lambda", "noise", type=float,
              help="Precision of the logit response (--rule logit, stochastic-fictitious-play; default 10).")
@click.option("--populations", type=click.Choice(("auto", "one", "two")), default="auto", show_default=True,
              help="One population (symmetric games) or one per player, for the flows.")
@click.option("--basins", is_flag=True,
              help="Instead of one run: the share of starting points reaching each equilibrium "
                   "(2x2 games, symmetric 3-strategy games).")
@click.option("--points", type=int, help="Grid resolution for --basins.")
@click.option("--sample", type=int, help="With --basins: this many random starts (with --seed) instead of a grid.")
@click.option("--plot", "plot_path", metavar="FILE.png", type=click.Path(dir_okay=False),
              help="Draw the phase portrait (2x2, symmetric 3x3) and the trajectory over time.")
@set_option
@format_option(("table", "json", "csv"))
def dynamics_command(file: str, rule: str, start: tuple[str, ...], steps: int | None, t_max: float | None,
                     seed: int | None, noise: float | None, populations: str, basins: bool, points: int | None,
                     sample: int | None, plot_path: str | None, set_values: tuple[str, ...], fmt: str) -> None:
    """Follow a learning or evolutionary dynamic; report where it ends.

    \b
    Rules: replicator (Taylor & Jonker 1978; one population for symmetric
    games), best-response (Gilboa & Matsui 1991), logit (Fudenberg & Levine
    1998), fictitious-play (Brown 1951), stochastic-fictitious-play,
    regret-matching (Hart & Mas-Colell 2000; reports how close joint play is
    to the correlated equilibria). The end point is compared with the
    verified Nash equilibria: it approaches one, cycles, or rests elsewhere.

    \b
    Examples:
      gametheory dynamics games/classics/stag_hunt.yaml --start 0.7,0.3
      gametheory dynamics games/classics/stag_hunt.yaml --basins --plot stag_hunt.png
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
    if points is not None or sample is not None:
        raise GameError("--points and --sample go with --basins")
    result = dynamics.run(game, rule, parse_start(start), seed=seed,
                          **_rule_options(rule, steps, t_max, noise, populations))
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
        row += [f"{float(q):.4f}" for i in players for q in result.trajectory[k][i]]
        table.add_row(*row)
    out.print(table)
    out.print(f"Ends: {result.describe()}.")
    if "max_incentive_violation" in result.details:
        ce = "within" if result.details["correlated_equilibrium"] else "outside"
        out.print(f"Empirical joint play: largest incentive violation {result.details['max_incentive_violation']:.4g} "
                  f"({ce} tolerance of the correlated equilibria).")
    if result.seed is not None:
        out.print(f"Seed: {result.seed}.")


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
              help="Draw the branch against lambda.")
@set_option
@format_option(("table", "json", "csv"))
def qre_command(file: str, lambdas: tuple[float, ...], max_lambda: float, plot_path: str | None,
                set_values: tuple[str, ...], fmt: str) -> None:
    """Trace the logit quantal response equilibrium from lambda = 0 to the Nash limit.

    \b
    The principal branch (McKelvey & Palfrey 1995), traced as Gambit's
    logit does; its limit is the Nash equilibrium that the logit QRE
    selects. Bifurcation points on the branch (non-generic games such as
    Battle of the Sexes) are reported: there the selection is not unique.

    \b
    Examples:
      gametheory qre games/classics/stag_hunt.yaml
      gametheory qre games/classics/stag_hunt.yaml --lambda 0.5 --lambda 2 --plot stag_hunt_qre.png
    """
    from ..dynamics import logit_branch

    game = load_game(file, set_values)
    if not max_lambda > 0:
        raise GameError("--max-lambda must be positive")
    branch = logit_branch(game, lambdas, max_lambda=max_lambda)
    if plot_path:
        from ..dynamics.plot import plot_qre

        plot_qre(branch, plot_path)
    if fmt == "json":
        echo_json(branch.to_dict())
        return
    head = ["lambda"] + [f"{p}: {s}" for p, ss in zip(game.players, game.strategies) for s in ss]
    rows = [[lam] + [float(q) for x in prof for q in x] for lam, prof in branch.at.items()]
    rows.append([float(branch.lambdas[-1])] + [float(q) for x in branch.limit for q in x])
    if fmt == "csv":
        echo_csv([head] + rows)
        return
    from rich import box
    from rich.table import Table

    from ..dynamics._common import equilibrium_text

    out = console()
    table = Table(box=box.HEAVY_HEAD, title=f"{game.title or 'game'}: logit QRE")
    for h in head:
        table.add_column(h, justify="right")
    for row in rows:
        table.add_row(f"{row[0]:.6g}", *[f"{q:.4f}" for q in row[1:]])
    out.print(table)
    if branch.equilibrium is not None:
        out.print(f"Selected Nash equilibrium: {equilibrium_text(game, branch.equilibria[branch.equilibrium])} "
                  f"(distance {branch.distance:.2g} at lambda = {float(branch.lambdas[-1]):.3g}).")
    if branch.bifurcations:
        out.print("Bifurcations on the branch at lambda = " + ", ".join(f"{b:.4g}" for b in branch.bifurcations)
                  + ": another branch meets it there, so the selection is not unique.")
