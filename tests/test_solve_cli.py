"""`gametheory solve`: the JSON contract of DESIGN.md section 3, tables, CSV and LaTeX."""

from __future__ import annotations

import json
from fractions import Fraction as F

from .conftest import GAMES
from .test_files import sd_text


def test_solve_json_follows_design_exactly(run_cli, game_file):
    result = run_cli("solve", game_file(sd_text()), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["game"] == "Security dilemma (offence-defence balance)"
    assert data["players"] == ["NATO", "Russia"]
    assert data["strategies"] == {"NATO": ["Restrain", "Arm"], "Russia": ["Restrain", "Arm"]}
    assert data["parameters"] == {"g": -1, "L": 3, "k": 1, "delta": 0.9, "pi": 0.5}
    assert data["method"] == "vertex-enumeration"
    assert data["degenerate"] is False
    assert "components" not in data
    first = data["equilibria"][0]
    assert set(first) >= {"profile", "exact", "payoffs", "pure"}
    assert first == {
        **first,
        "profile": {"NATO": {"Restrain": 1.0, "Arm": 0.0}, "Russia": {"Restrain": 1.0, "Arm": 0.0}},
        "exact": {"NATO": {"Restrain": "1", "Arm": "0"}, "Russia": {"Restrain": "1", "Arm": "0"}},
        "payoffs": {"NATO": 0.0, "Russia": 0.0},
        "pure": True,
    }
    # a stag hunt at the defaults: (Restrain, Restrain), the mixed one, (Arm, Arm)
    mixed = data["equilibria"][1]
    assert mixed["pure"] is False
    # p* = (P - S)/((R - T) + (P - S)) = (-1 + 3)/((0 + 1) + (-1 + 3)) = 2/3
    assert mixed["exact"]["NATO"] == {"Restrain": "2/3", "Arm": "1/3"}
    assert data["complete"] is True and data["exact"] is True
    assert data["analysis"]["payoff_dominant"] == 0
    assert data["analysis"]["risk_dominance"]["risk_dominant"] == 2


def test_degenerate_game_reports_components(run_cli, game_file):
    # Selten (1975), Figure 2: one component {(1,0,0; y, 1-y): y in [1/2, 1]}
    path = game_file("""
        players: {"Player 1": 3, "Player 2": 2}
        payoffs:
          Player 1: [[1, 1], [0, 0], [0, 2]]
          Player 2: [[1, 1], [2, 3], [2, 0]]
    """)
    data = json.loads(run_cli("solve", path, "--format", "json").stdout)
    assert data["degenerate"] is True
    assert data["components"] == [[0, 1]]
    columns = sorted(F(e["exact"]["Player 2"]["1"]) for e in data["equilibria"])
    assert columns == [F(1, 2), F(1)]
    table = run_cli("solve", path).stdout
    assert "Degenerate game" in table and "component 1: equilibria 1, 2" in table


def test_three_players_json(run_cli):
    path = GAMES / "literature" / "mckelvey_mclennan_2x2x2.yaml"
    data = json.loads(run_cli("solve", path, "--format", "json").stdout)
    assert len(data["players"]) == 3
    assert len(data["equilibria"]) == 9 and data["complete"] is True
    for e in data["equilibria"]:
        assert set(e["profile"]) == set(data["players"])


def test_table_csv_latex_float(run_cli):
    path = GAMES / "classics/stag_hunt.yaml"
    out = run_cli("solve", path).stdout
    assert "3 Nash equilibria (vertex-enumeration; exact; all equilibria)" in out
    assert "Stag 2/3, Hare 1/3" in out
    assert "risk-dominant" in out and "payoff-dominant" in out and "ESS" in out
    csv = run_cli("solve", path, "--format", "csv").stdout.splitlines()
    assert csv[0].startswith("equilibrium,Hunter 1:Stag,Hunter 1:Hare")
    assert csv[2].startswith("2,2/3,1/3,2/3,1/3,8/3,8/3")
    tex = run_cli("solve", path, "--format", "latex").stdout
    assert "Stag $\\tfrac{2}{3}$" in tex
    floats = json.loads(run_cli("solve", path, "--float", "--format", "json").stdout)
    assert all("exact" not in e for e in floats["equilibria"])
    assert abs(floats["equilibria"][1]["profile"]["Hunter 1"]["Stag"] - 2 / 3) < 1e-12


def test_symbolic(run_cli):
    out = run_cli("solve", GAMES / "classics/stag_hunt.yaml", "--symbolic").stdout
    assert "Stag = (P - S)/(P + R - S - T)" in out
    assert "exists while: P > S and R > T" in out


def test_bad_method_exits_2(run_cli):
    result = run_cli("solve", GAMES / "classics/stag_hunt.yaml", "--method", "magic")
    assert result.exit_code == 2
