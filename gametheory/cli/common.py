"""The click group, shared options and error handling of the ``gametheory`` CLI."""

from __future__ import annotations

import os
import sys
from typing import Any, Callable

import click

from .. import __version__
from ..errors import GameError, GameFileError

FORMATS = ("table", "json", "csv", "latex")


class GameTheoryGroup(click.Group):
    """A click group that turns our errors into one-line messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GameFileError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            ctx.exit(2)
        except GameError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(1)
        except Exception as exc:  # noqa: BLE001 - last line of defence: no tracebacks for users
            if os.environ.get("GAMETHEORY_DEBUG"):
                raise
            click.echo(f"error: {type(exc).__name__}: {exc} (set GAMETHEORY_DEBUG=1 for details)", err=True)
            ctx.exit(1)


@click.group(cls=GameTheoryGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gametheory")
def main_group() -> None:
    """Game-theoretic modelling from game files (YAML, TOML, JSON, Gambit .nfg).

    \b
    Examples:
      gametheory show games/classics/prisoners_dilemma.yaml
      gametheory solve games/classics/stag_hunt.yaml
      gametheory thresholds games/security/security_dilemma.yaml --vary g
      gametheory repeated games/security/arms_race_repeated.yaml
      gametheory show games/classics/stag_hunt.yaml --set R=5

    Every command takes --set NAME=VALUE (repeatable) to override parameters.
    """


def parse_set(values: tuple[str, ...]) -> dict[str, Any]:
    """``("g=1", "L=3/2")`` -> ``{"g": Fraction(1), "L": Fraction(3, 2)}``, exactly."""
    from ..expressions import ExpressionError, evaluate, parse

    out: dict[str, Any] = {}
    for item in values:
        if "=" not in item:
            raise GameError(f"--set {item!r}: expected NAME=VALUE, e.g. --set delta=0.9")
        name, text = item.split("=", 1)
        name = name.strip()
        try:
            out[name] = evaluate(parse(text.strip()), {})
        except ExpressionError as exc:
            raise GameError(f"--set {item!r}: {exc}") from None
    return out


def set_option(func: Callable) -> Callable:
    return click.option(
        "--set",
        "set_values",
        metavar="NAME=VALUE",
        multiple=True,
        help="Override a parameter (repeatable), e.g. --set g=1 --set L=3/2.",
    )(func)


def format_option(choices: tuple[str, ...] = FORMATS, default: str = "table") -> Callable:
    def deco(func: Callable) -> Callable:
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(choices),
            default=default,
            show_default=True,
            help="Output format.",
        )(func)

    return deco


def load_game(path: str, set_values: tuple[str, ...]):
    """Load a game file with the --set overrides applied."""
    from ..formats import load

    return load(path, values=parse_set(set_values) or None)


def console():
    """A rich console on stdout (plain text when piped)."""
    from rich.console import Console

    # a terminal gets its own width; a pipe or file gets room for wide tables
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 120
    return Console(highlight=False, soft_wrap=False, width=width)


def echo_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False))


def echo_csv(rows: list[list[Any]]) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    click.echo(buf.getvalue(), nl=False)
