"""Every example in every command's --help runs (exit status 0), so the help cannot go stale.

Examples are the indented lines starting with ``gametheory`` under ``Examples:`` (a
trailing backslash continues a line; ``> FILE`` redirects the output). They run
in-process, in a scratch directory where ``games/`` is the repository's.
"""

from __future__ import annotations

import shlex

import pytest
from click.testing import CliRunner

from gametheory.cli import main

from .conftest import GAMES


def _examples() -> list[tuple[str, str]]:
    out = []
    for name in sorted(main.commands):
        text = CliRunner().invoke(main, [name, "--help"]).output
        lines = text.splitlines()
        if not any(ln.strip().startswith("Examples") for ln in lines):
            continue
        start = next(k for k, ln in enumerate(lines) if ln.strip().startswith("Examples"))
        joined = ""
        for ln in lines[start + 1:]:
            if not ln.strip():
                break
            joined += ln.strip().rstrip("\\") + " "
            if not ln.rstrip().endswith("\\"):
                out.append((name, " ".join(joined.split())))
                joined = ""
    return out


EXAMPLES = _examples()


def test_every_command_has_examples():
    have = {name for name, _ in EXAMPLES}
    assert have == set(main.commands), f"commands without examples in --help: {set(main.commands) - have}"


@pytest.mark.parametrize("command, example", EXAMPLES, ids=[e for _, e in EXAMPLES])
def test_help_example_runs(command, example, tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "games").symlink_to(GAMES, target_is_directory=True)
    target = None
    if " > " in example:
        example, target = (part.strip() for part in example.split(" > ", 1))
    argv = shlex.split(example)
    assert argv[0] == "gametheory" and argv[1] == command
    result = CliRunner().invoke(main, argv[1:], catch_exceptions=False)
    assert result.exit_code == 0, f"{example}\n{result.output}"
    if target:
        (tmp_path / target).write_text(result.stdout)
        assert (tmp_path / target).stat().st_size > 0
