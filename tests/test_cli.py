"""The command line: show, validate, convert, schema; exit codes; start-up cost."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction as F

import gametheory as gt

PD = """
title: Prisoner's Dilemma
parameters:
  T: {value: 5, description: temptation}
players:
  Row: [Cooperate, Defect]
  Column: [Cooperate, Defect]
symmetric: true
payoffs: [[3, 0], [T, 1]]
"""

THREE = """
title: Three players
players: {A: [a0, a1], B: [b0, b1], C: [c0, c1]}
default: 0
payoffs:
  - {profile: [a1, b1, c1], payoffs: [1, 1, 1]}
  - {profile: [a0, b0, c0], payoffs: ["1/2", 2, 3]}
"""


def test_show_marks_best_responses_and_pure_equilibria(run_cli, game_file):
    result = run_cli("show", game_file(PD))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Prisoner's Dilemma" in out
    assert "T = 5: temptation" in out
    assert "Row \\ Column" in out
    assert "[1*, 1*]" in out  # the equilibrium cell, both payoffs best responses
    assert "5*, 0" in out and "0, 5*" in out
    assert "3, 3 " in out  # (C, C): no best response
    assert "Pure Nash equilibria: (Defect, Defect)" in out


def test_show_with_set_changes_the_game(run_cli, game_file):
    # T = 2 < R = 3: Harmony-like, (Cooperate, Cooperate) becomes the equilibrium
    out = run_cli("show", game_file(PD), "--set", "T=2").stdout
    assert "T = 2  (file default 5): temptation" in out
    assert "Pure Nash equilibria: (Cooperate, Cooperate)" in out


def test_show_three_players_has_one_table_per_strategy_of_the_third(run_cli, game_file):
    out = run_cli("show", game_file(THREE)).stdout
    assert "C = c0" in out and "C = c1" in out
    assert "[1/2*, 2*, 3*]" in out
    assert "[1*, 1*, 1*]" in out
    assert "Pure Nash equilibria: (a0, b0, c0), (a1, b1, c1)" in out


def test_show_json_csv_latex(run_cli, game_file):
    path = game_file(PD)
    data = json.loads(run_cli("show", path, "--format", "json").stdout)
    assert data["players"] == ["Row", "Column"]
    assert data["payoffs"]["Row"] == [[3.0, 0.0], [5.0, 1.0]]
    assert data["exact"]["Column"] == [["3", "5"], ["0", "1"]]
    assert data["best_responses"]["Row"] == [[False, False], [True, True]]
    assert data["pure_equilibria"] == [{"Row": "Defect", "Column": "Defect"}]
    assert data["parameters"] == {"T": 5.0}
    csv = run_cli("show", path, "--format", "csv").stdout.splitlines()
    assert csv[0] == "Row,Column,payoff_Row,payoff_Column"
    assert csv[3] == "Defect,Cooperate,5,0"
    tex = run_cli("show", path, "--format", "latex").stdout
    assert "\\begin{tabular}{r|cc}" in tex
    assert "Defect & $\\underline{5}, 0$ & $\\underline{1}, \\underline{1}$ \\\\" in tex


def test_validate_ok_and_json(run_cli, game_file, tmp_path):
    good = game_file(PD, "pd.yaml")
    bad = game_file("players: {A: [x]}\npayoffs: {A: [[1]]}\n", "bad.yaml")
    result = run_cli("validate", good)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{good}: ok \"Prisoner's Dilemma\" (2 players, 2x2, 1 parameter)"
    result = run_cli("validate", good, bad, "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data[0]["ok"] is True and data[1]["ok"] is False
    assert data[1]["problems"] == [
        {"message": "expected a number or an expression, found a list", "line": 2, "key": "payoffs.A[0]"}
    ]


def test_validate_a_directory_checks_every_game_file_under_it(run_cli, game_file, tmp_path):
    game_file(PD, "a/pd.yaml")
    game_file("players: {A: [x]}\npayoffs: {A: [[1]]}\n", "a/b/bad.yaml")
    (tmp_path / "a" / "notes.txt").write_text("not a game")
    result = run_cli("validate", tmp_path / "a", "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [(d["file"].split("/")[-1], d["ok"]) for d in data] == [("bad.yaml", False), ("pd.yaml", True)]
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("validate", empty)
    assert result.exit_code == 2 and "no game files" in result.stderr


def test_convert_round_trips_through_every_format(run_cli, game_file, tmp_path):
    src = game_file(PD, "pd.yaml")
    original = gt.load(src)
    for ext in ("toml", "json", "yml", "nfg"):
        out = tmp_path / f"pd.{ext}"
        result = run_cli("convert", src, out)
        assert result.exit_code == 0, result.stderr
        again = gt.load(out)
        assert again.same_payoffs(original)
        if ext != "nfg":
            assert again == original  # parameters and expressions kept
    tex = tmp_path / "pd.tex"
    assert run_cli("convert", src, tex).exit_code == 0
    assert "\\underline{1}, \\underline{1}" in tex.read_text()


def test_convert_applies_set_and_writes_stdout(run_cli, game_file):
    src = game_file(PD)
    result = run_cli("convert", src, "-", "--to", "nfg", "--set", "T=9/2")
    assert result.exit_code == 0
    game = gt.loads(result.stdout, "nfg")
    assert game.payoffs[0, 1, 0] == F(9, 2)
    result = run_cli("convert", src, "-")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: writing to standard output needs --to FORMAT"


def test_convert_refuses_irrational_payoffs_for_nfg(run_cli, game_file, tmp_path):
    src = game_file("players: {A: [x], B: [y]}\npayoffs: {A: [[sqrt(2)]], B: [[1]]}\n")
    result = run_cli("convert", src, tmp_path / "x.nfg")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: cannot write irrational payoff sqrt(2) to .nfg"
    result = run_cli("convert", src, tmp_path / "x.yaml")  # exact forms keep it
    assert gt.load(tmp_path / "x.yaml").payoffs[0, 0, 0] ** 2 == 2


def test_schema_command_prints_the_shipped_schema(run_cli):
    data = json.loads(run_cli("schema").stdout)
    assert data["title"] == "gametheory game file"
    assert "payoffs" in data["required"]


def test_usage_errors_exit_2(run_cli):
    assert run_cli("show").exit_code == 2
    assert run_cli("nosuchcommand").exit_code == 2
    assert run_cli("show", "x.yaml", "--format", "xml").exit_code == 2


def test_help_imports_no_heavy_library():
    """`gametheory --help` must start fast: no numpy, sympy, scipy or nashpy at start-up."""
    code = (
        "import sys; from gametheory.cli import main\n"
        "heavy = [m for m in ('numpy', 'sympy', 'scipy', 'nashpy', 'yaml', 'rich') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    result = subprocess.run([sys.executable, "-m", "gametheory", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("validate", "show", "convert"):
        assert command in result.stdout
