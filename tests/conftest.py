"""Shared test helpers."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
GAMES = ROOT / "games"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def run_cli():
    """Run the CLI in-process: ``run_cli("show", path)`` -> click Result (stdout and stderr apart)."""
    from gametheory.cli import main

    def run(*args: str):
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


@pytest.fixture
def game_file(tmp_path):
    """Write a game file from (dedented) text: ``game_file(text, "x.yaml")`` -> path."""

    def write(text: str, name: str = "game.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write
