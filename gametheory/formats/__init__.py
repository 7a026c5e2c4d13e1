"""Reading and writing games: YAML, TOML, JSON, Gambit .nfg, and LaTeX (write only).

The format is chosen by the file's extension::

    game = load("games/classics/stag_hunt.yaml", values={"R": 5})
    save(game, "stag_hunt.nfg")
    text = dumps(game, "toml")
"""

from __future__ import annotations

import os
from typing import Any, Mapping

from ..errors import GameError, GameFileError, Problem

EXTENSIONS = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".json": "json",
    ".nfg": "nfg",
    ".tex": "latex",
}
READABLE = ("yaml", "toml", "json", "nfg")
WRITABLE = ("yaml", "toml", "json", "nfg", "latex")


def format_of(path: str, fmt: str | None = None, writing: bool = False) -> str:
    """The format named by ``fmt`` or by the path's extension."""
    if fmt:
        fmt = {"yml": "yaml", "tex": "latex"}.get(fmt, fmt)
        allowed = WRITABLE if writing else READABLE
        if fmt not in allowed:
            raise GameError(f"unknown format {fmt!r} (one of: {', '.join(allowed)})")
        return fmt
    ext = os.path.splitext(path)[1].lower()
    found = EXTENSIONS.get(ext)
    if found is None or (not writing and found not in READABLE):
        allowed = [e for e, f in EXTENSIONS.items() if writing or f in READABLE]
        raise GameFileError(
            Problem(f"cannot tell the format from the extension {ext or '(none)'!r}; use one of "
                    + " ".join(allowed), file=path)
        )
    return found


def loads(text: str, fmt: str = "yaml", filename: str | None = None, values: Mapping[str, Any] | None = None):
    """A :class:`~gametheory.model.Game` from text in the given format."""
    if fmt == "nfg":
        from .nfg import read_nfg

        game = read_nfg(text, filename)
        return game.with_parameters(values) if values else game
    from .source import parse_data
    from .spec import build_game

    data, lines = parse_data(text, fmt, filename)
    return build_game(data, lines, filename, dict(values) if values else None)


def load(path: str | os.PathLike, values: Mapping[str, Any] | None = None, fmt: str | None = None):
    """Load a game file (``.yaml``, ``.yml``, ``.toml``, ``.json`` or ``.nfg``).

    ``values`` overrides parameter values, like the CLI's ``--set``.
    """
    from .source import read_text

    path = os.fspath(path)
    fmt = format_of(path, fmt)
    return loads(read_text(path), fmt, path, values)


def dumps(game, fmt: str = "yaml") -> str:
    """The game as text in the given format (yaml, toml, json, nfg, latex)."""
    fmt = format_of("", fmt, writing=True)
    if fmt == "nfg":
        from .nfg import write_nfg

        return write_nfg(game)
    if fmt == "latex":
        from .latex import latex_matrix

        return latex_matrix(game)
    from .spec import game_to_data

    data = game_to_data(game)
    if fmt == "json":
        import json

        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "toml":
        return _toml(data)
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _str(dumper, value):
        awkward = any(ch in "\x85\u2028\u2029\r\t" or ord(ch) < 0x20 and ch != "\n" for ch in value)
        style = '"' if awkward else "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def _scalar_array(value) -> bool:
        return all(isinstance(v, (int, float, str)) or (isinstance(v, list) and _scalar_array(v)) for v in value)

    def _list(dumper, value):
        # payoff arrays as a person writes them: [[3, 0], [5, 1]], when they fit on a line
        flow = _scalar_array(value) and len(str(value)) <= 80 and all("\n" not in str(v) for v in value)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)

    _Dumper.add_representer(str, _str)
    _Dumper.add_representer(list, _list)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=None, allow_unicode=True, width=100)


def _toml_value(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        printable = all(ch == "\n" or (ord(ch) >= 0x20 and ch != "\x7f") for ch in value)
        if "\n" in value and printable:
            return '"""\n' + value.replace("\\", "\\\\").replace('"', '\\"') + '"""'
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _toml_key(key: str) -> str:
    import json
    import re

    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _toml(data: dict[str, Any]) -> str:
    """TOML with one section per mapping and inline values inside (keeps the key order)."""
    head = [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    parts = ["\n".join(head)] if head else []
    for key, value in data.items():
        if isinstance(value, dict):
            lines = [f"[{_toml_key(key)}]"]
            lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()]
            parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def schema() -> dict:
    """The JSON Schema of the game file format (shipped as ``formats/schema.json``)."""
    import json
    from importlib.resources import files

    return json.loads(files(__package__).joinpath("schema.json").read_text(encoding="utf-8"))


def save(game, path: str | os.PathLike, fmt: str | None = None) -> None:
    """Write a game to a file; the format follows the extension."""
    path = os.fspath(path)
    text = dumps(game, format_of(path, fmt, writing=True))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


__all__ = ["load", "loads", "dumps", "save", "schema", "format_of", "EXTENSIONS"]
