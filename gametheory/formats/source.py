"""Reading game files as plain data, keeping the line of every key.

YAML is read by composing the node graph with PyYAML's safe composer (no
Python objects are ever constructed) and converting the nodes ourselves, so
that

* numbers keep their exact value (``0.1`` is 1/10, not a float);
* strategy names such as ``No`` or ``On`` stay names (YAML 1.1 would make them
  booleans): booleans and nulls are returned as :class:`Word`, a ``str`` that
  also carries the value YAML would give;
* tags (``!!python/object``...) are refused, duplicate keys are reported, and
  an alias bomb is stopped by a node budget;
* every value's line is recorded under its key path.

TOML (``tomllib``) and JSON (``json``) carry no positions; their lines are
found by a light search of the text for each key, which is right for the files
people write.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..errors import GameFileError, Problem

MAX_FILE_BYTES = 10_000_000
MAX_NODES = 2_000_000
MAX_ALIAS_EXPANSION = 100_000

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:timestamp",
}


class Word(str):
    """A plain YAML scalar that YAML reads as a boolean or null (``yes``, ``No``, ``~``).

    It is the text as written; ``.value`` is what YAML would make of it.
    """

    value: Any

    def __new__(cls, text: str, value: Any) -> "Word":
        obj = super().__new__(cls, text)
        obj.value = value
        return obj


class Number(Fraction):
    """An exact number read from a file that remembers how it was written (``1.50``).

    It is a :class:`~fractions.Fraction` in arithmetic; where the format expects
    text (a title, a strategy name) the original spelling is used.
    """

    text: str

    def __new__(cls, value: Any, text: str) -> "Number":
        obj = super().__new__(cls, value)
        obj.text = text
        return obj


def source_text(value: Any) -> str:
    """How a scalar was written in the file."""
    if isinstance(value, Number):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def read_text(path: str) -> str:
    """The file's text; refuses files too large to be a game."""
    import os

    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise GameFileError(Problem(f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB", file=path))
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        raise GameFileError(Problem("no such file", file=path)) from None
    except IsADirectoryError:
        raise GameFileError(Problem("is a directory, not a game file", file=path)) from None
    except UnicodeDecodeError:
        raise GameFileError(Problem("not a UTF-8 text file", file=path)) from None
    except OSError as exc:
        raise GameFileError(Problem(exc.strerror or str(exc), file=path)) from None


def parse_data(text: str, fmt: str, filename: str | None) -> tuple[Any, dict[tuple, int]]:
    """Plain data and a map from key paths to 1-based lines, for ``yaml``, ``toml`` or ``json``."""
    if len(text) > MAX_FILE_BYTES:
        raise GameFileError(Problem(f"text is larger than {MAX_FILE_BYTES // 1_000_000} MB", file=filename))
    if fmt == "yaml":
        return _parse_yaml(text, filename)
    if fmt == "toml":
        return _parse_toml(text, filename)
    if fmt == "json":
        return _parse_json(text, filename)
    raise ValueError(f"unknown format {fmt!r}")


# ---------------------------------------------------------------------------
# YAML


def _parse_yaml(text: str, filename: str | None):
    import yaml

    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        msg = (exc.problem or exc.context or "invalid YAML").strip()
        raise GameFileError(Problem(f"invalid YAML: {msg}", file=filename, line=line, column=col)) from None
    except yaml.YAMLError as exc:
        raise GameFileError(Problem(f"invalid YAML: {exc}", file=filename)) from None
    if node is None:
        raise GameFileError(Problem("the file is empty", file=filename, line=1))
    converter = _YamlConverter(filename)
    data = converter.convert(node, ())
    if converter.problems:
        raise GameFileError(converter.problems)
    return data, converter.lines


class _YamlConverter:
    def __init__(self, filename: str | None):
        self.filename = filename
        self.lines: dict[tuple, int] = {}
        self.problems: list[Problem] = []
        self.budget = MAX_NODES
        self.repeats = MAX_ALIAS_EXPANSION
        self.seen: set[int] = set()
        self.depth = 0

    def fail(self, node, message: str) -> None:
        self.problems.append(Problem(message, file=self.filename, line=node.start_mark.line + 1))

    def convert(self, node, path: tuple) -> Any:
        import yaml

        self.budget -= 1
        if id(node) in self.seen:
            self.repeats -= 1
        else:
            self.seen.add(id(node))
        if self.budget < 0 or self.repeats < 0:
            raise GameFileError(
                Problem(
                    "the document expands to too many values (an alias bomb?)",
                    file=self.filename,
                    line=self.lines.get(path[:1], node.start_mark.line + 1),
                    key=".".join(str(p) for p in path[:1]) or None,
                )
            )
        self.depth += 1
        if self.depth > 100:
            raise GameFileError(Problem("nesting too deep", file=self.filename, line=node.start_mark.line + 1))
        try:
            self.lines.setdefault(path, node.start_mark.line + 1)
            if node.tag not in _STANDARD_TAGS:
                self.fail(node, f"YAML tag {node.tag!r} is not allowed in a game file")
                return None
            if isinstance(node, yaml.MappingNode):
                out: dict[str, Any] = {}
                for key_node, value_node in node.value:
                    if not isinstance(key_node, yaml.ScalarNode):
                        self.fail(key_node, "mapping keys must be plain names")
                        continue
                    if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                        self.fail(key_node, "YAML merge keys ('<<') are not supported in game files")
                        continue
                    key = key_node.value
                    if key in out:
                        self.fail(key_node, f"duplicate key {key!r}")
                        continue
                    self.lines[path + (key,)] = key_node.start_mark.line + 1
                    out[key] = self.convert(value_node, path + (key,))
                    self.lines[path + (key,)] = key_node.start_mark.line + 1
                return out
            if isinstance(node, yaml.SequenceNode):
                return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
            return self.scalar(node)
        finally:
            self.depth -= 1

    def scalar(self, node) -> Any:
        tag, text = node.tag, node.value
        if tag == "tag:yaml.org,2002:int":
            t = text.replace("_", "")
            try:
                if re.fullmatch(r"[-+]?(0|[1-9][0-9]*)", t):
                    return Number(int(t), text)
                return Number(int(t, 0), text)
            except ValueError:
                return text
        if tag == "tag:yaml.org,2002:float":
            t = text.replace("_", "").lower()
            if t.lstrip("+-") in (".inf", ".nan"):
                self.fail(node, f"{text!r} is not a finite number")
                return None
            try:
                return Number(Fraction(t), text)
            except ValueError:
                return text
        if tag == "tag:yaml.org,2002:bool":
            return Word(text, text.lower() in ("yes", "true", "on", "y"))
        if tag == "tag:yaml.org,2002:null":
            return Word(text, None)
        return text  # str, timestamps (kept as text)


# ---------------------------------------------------------------------------
# TOML and JSON


def _exactify(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        if isinstance(value, Decimal) and not value.is_finite():
            return str(value)
        return Number(value, str(value))
    if isinstance(value, float):
        return Number(repr(value), repr(value)) if value == value and abs(value) != float("inf") else str(value)
    if isinstance(value, dict):
        return {k: _exactify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_exactify(v) for v in value]
    return value


def _parse_toml(text: str, filename: str | None):
    import tomllib

    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = int(m.group(1)) if m else None
        col = int(m.group(2)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        raise GameFileError(Problem(f"invalid TOML: {msg}", file=filename, line=line, column=col)) from None
    data = _exactify(data)
    return data, _search_lines(text, data, toml=True)


def _parse_json(text: str, filename: str | None):
    def no_duplicates(pairs):
        out = {}
        for k, v in pairs:
            if k in out:
                raise ValueError(f"duplicate key {k!r}")
            out[k] = v
        return out

    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=lambda c: (_ for _ in ()).throw(ValueError(f"{c} is not a finite number")),
            object_pairs_hook=no_duplicates,
        )
    except json.JSONDecodeError as exc:
        raise GameFileError(
            Problem(f"invalid JSON: {exc.msg}", file=filename, line=exc.lineno, column=exc.colno)
        ) from None
    except (ValueError, RecursionError) as exc:
        raise GameFileError(Problem(f"invalid JSON: {exc}", file=filename)) from None
    data = _exactify(data)
    return data, _search_lines(text, data, toml=False)


def _search_lines(text: str, data: Any, toml: bool) -> dict[tuple, int]:
    """Best-effort lines for key paths: the first line at or after the parent's that names the key."""
    lines = text.splitlines()
    out: dict[tuple, int] = {(): 1}

    def find(key: str, start: int) -> int | None:
        if toml:
            pats = [
                re.compile(rf'^\s*\[+\s*(?:[\w."\- ]*\.)?"?{re.escape(key)}"?\s*\]+'),
                re.compile(rf'(^|[\s{{,.]){re.escape(key)}\s*='),
                re.compile(rf'"{re.escape(key)}"\s*='),
            ]
        else:
            pats = [re.compile(rf'"{re.escape(key)}"\s*:')]
        for i in range(start - 1, len(lines)):
            if any(p.search(lines[i]) for p in pats):
                return i + 1
        return None

    def walk(value: Any, path: tuple, line: int) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                kl = find(str(k), line) or line
                out[path + (k,)] = kl
                walk(v, path + (k,), kl)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                out[path + (i,)] = line
                walk(v, path + (i,), line)

    walk(data, (), 1)
    return out
