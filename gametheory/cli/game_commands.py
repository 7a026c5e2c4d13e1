"""``validate``, ``show`` and ``convert``: the commands about the game itself."""

from __future__ import annotations

import click

from ..errors import GameError, GameFileError
from .common import echo_csv, echo_json, format_option, load_game, main_group, set_option


@main_group.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@set_option
@format_option(("table", "json"))
def validate(files: tuple[str, ...], set_values: tuple[str, ...], fmt: str) -> None:
    """Check game files; report every problem as FILE:LINE: KEY: MESSAGE.

    \b
    Examples:
      gametheory validate games/
      gametheory validate games/classics/prisoners_dilemma.yaml --set delta=0.5 --format json

    A directory stands for every game file under it (.yaml, .yml, .toml, .json,
    .nfg). Exits with status 2 if any file
    has a problem.
    """
    results = []
    failed = False
    for path in _expand(files):
        try:
            game = load_game(path, set_values)
        except GameFileError as exc:
            failed = True
            results.append({"file": path, "ok": False, "problems": [_problem_dict(p) for p in exc.problems]})
            if fmt == "table":
                for p in exc.problems:
                    click.echo(str(p), err=True)
            continue
        except GameError as exc:
            failed = True
            results.append({"file": path, "ok": False, "problems": [{"message": str(exc)}]})
            if fmt == "table":
                click.echo(f"{path}: {exc}", err=True)
            continue
        dims = "x".join(str(n) for n in game.shape)
        summary = f"{game.n_players} player{'s' if game.n_players != 1 else ''}, {dims}"
        if game.parameters:
            summary += f", {len(game.parameters)} parameter{'s' if len(game.parameters) > 1 else ''}"
        results.append({"file": path, "ok": True, "title": game.title, "players": game.n_players,
                        "shape": list(game.shape), "parameters": list(game.parameters)})
        if fmt == "table":
            title = f" {game.title!r}" if game.title else ""
            click.echo(f"{path}: ok{title} ({summary})")
    if fmt == "json":
        echo_json(results)
    if failed:
        raise SystemExit(2)


GAME_SUFFIXES = (".yaml", ".yml", ".toml", ".json", ".nfg")


def _expand(paths: tuple[str, ...]) -> list[str]:
    """Files as given; a directory becomes its game files, recursively, in sorted order."""
    from pathlib import Path

    out: list[str] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found = sorted(str(f) for f in p.rglob("*") if f.is_file() and f.suffix.lower() in GAME_SUFFIXES)
            if not found:
                raise GameError(f"{path}: no game files (.yaml, .yml, .toml, .json, .nfg) in this directory")
            out += found
        else:
            out.append(path)
    return out


def _problem_dict(problem) -> dict:
    out = {"message": problem.message}
    for key in ("line", "column", "key"):
        value = getattr(problem, key)
        if value:
            out[key] = value
    return out


@main_group.command()
@click.argument("file", type=click.Path(dir_okay=False))
@set_option
@format_option(("table", "json", "csv", "latex"))
def show(file: str, set_values: tuple[str, ...], fmt: str) -> None:
    """Show the payoff table with each player's best responses marked.

    \b
    Examples:
      gametheory show games/classics/stag_hunt.yaml
      gametheory show games/security/security_dilemma.yaml --set g=1 --format latex

    Two players: the bimatrix (rows: the first player). N players: one table
    for each combination of the other players' strategies. A payoff marked *
    is a best response; a cell with every payoff marked is a pure Nash
    equilibrium.
    """
    game = load_game(file, set_values)
    if fmt == "json":
        from ..report.show import game_summary

        echo_json(game_summary(game))
    elif fmt == "csv":
        from ..report.show import game_csv_rows

        echo_csv(game_csv_rows(game))
    elif fmt == "latex":
        from ..formats.latex import latex_matrix

        click.echo(latex_matrix(game), nl=False)
    else:
        from ..report.show import render_table
        from .common import console

        render_table(game, console())


@main_group.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("target", type=click.Path(dir_okay=False, allow_dash=True))
@set_option
@click.option(
    "--to",
    "to_fmt",
    type=click.Choice(["yaml", "toml", "json", "nfg", "latex"]),
    help="Output format when TARGET is '-' (stdout) or has another extension.",
)
def convert(source: str, target: str, set_values: tuple[str, ...], to_fmt: str | None) -> None:
    """Convert a game between YAML, TOML, JSON, Gambit .nfg and LaTeX (by extension).

    \b
    Examples:
      gametheory convert games/classics/chicken.yaml chicken.nfg
      gametheory convert games/classics/stag_hunt.yaml - --to toml
      gametheory convert games/classics/stag_hunt.yaml stag_hunt.tex --set R=5

    Parameters and expressions are kept in YAML, TOML and JSON; .nfg and .tex
    get the payoffs at the parameter values (after --set). Use - as TARGET to
    write to standard output (with --to).
    """
    from ..formats import dumps, format_of

    game = load_game(source, set_values)
    if target == "-":
        if to_fmt is None:
            raise GameError("writing to standard output needs --to FORMAT")
        click.echo(dumps(game, to_fmt), nl=False)
        return
    fmt = format_of(target, to_fmt, writing=True)
    text = dumps(game, fmt)
    try:
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise GameError(f"{target}: {exc.strerror or exc}") from None
    click.echo(f"wrote {target} ({fmt})", err=True)


@main_group.command()
def schema() -> None:
    """Print the JSON Schema of the game file format (for editor completion).

    \b
    Examples:
      gametheory schema > gametheory.schema.json
    """
    from ..formats import schema as load_schema

    echo_json(load_schema())
