"""Scenarios side by side and sensitivity at the current values (API and command line)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

import gametheory as gt
import gametheory.cli.sensitivity_commands  # noqa: F401  (registers the commands)
from gametheory.sensitivity.compare import compare, sensitivity

from .conftest import GAMES


def test_compare_scenarios_of_the_security_dilemma():
    result = compare(gt.load(GAMES / "security/security_dilemma.yaml"))
    assert [s.name for s in result.scenarios][0] == "status quo"
    by_target = {c["to"]: c for c in result.changes}
    offence = by_target["offence advantage"]
    assert offence["type"] == {"from": "stag hunt", "to": "prisoner's dilemma"}
    assert offence["vanish"] == ["(Restrain, Restrain)", "mixed {Restrain, Arm} x {Restrain, Arm}"]
    assert offence["appear"] == []
    chicken = by_target["offence advantage and costly arms race"]
    assert chicken["type"]["to"] == "chicken"
    assert set(chicken["appear"]) == {"(Restrain, Arm)", "(Arm, Restrain)"}
    (mixed,) = chicken["changed"]
    assert mixed["probabilities"]["NATO"]["Restrain"]["exact"] == ["2/3", "1/2"]


def test_compare_picks_scenarios_and_rejects_unknown_ones():
    game = gt.load(GAMES / "security/inspection.yaml")
    result = compare(game, ["cheap inspections", "costly inspections"])
    (change,) = result.changes
    assert change["appear"] == ["(Violate, Not inspect)"]
    assert change["vanish"] == ["mixed {Legal, Violate} x {Inspect, Not inspect}"]
    with pytest.raises(gt.GameError, match="unknown scenario"):
        compare(game, ["nope"])
    # the sanction changes how often the inspector inspects, not how often the inspectee violates
    result = compare(game, ["cheap inspections", "harsh sanctions"])
    (change,) = result.changes
    (mixed,) = change["changed"]
    assert "Inspectee" not in mixed["probabilities"]
    assert mixed["probabilities"]["Inspector"]["Inspect"]["exact"] == ["1/8", "5/76"]


def test_sensitivity_margins_and_derivatives():
    result = sensitivity(gt.load(GAMES / "security/inspection.yaml"))
    by_name = {p.name: p for p in result.parameters}
    c = by_name["c"]
    assert c.above == 8 and c.margin_up == 6 and c.above_expression == "L*beta"
    assert c.below == 0 and c.margin_down == 2
    assert result.parameters[0].name == "c"  # the most fragile: closest to a threshold relative to its range
    b = by_name["b"]
    (mixed,) = b.derivatives
    assert mixed["probabilities"]["Inspectee"]["Violate"]["exact"] == "0"  # Tsebelis 1989
    assert mixed["probabilities"]["Inspector"]["Inspect"]["exact"] == "-1/80"
    data = result.to_dict()
    assert data["parameters"][0]["threshold_above"]["expression"] == "L*beta"


def test_sensitivity_of_the_security_dilemma():
    result = sensitivity(gt.load(GAMES / "security/security_dilemma.yaml"))
    by_name = {p.name: p for p in result.parameters}
    assert by_name["g"].above == 0 and by_name["g"].margin_up == 1
    assert by_name["L"].below == 1 and by_name["L"].below_expression == "k"
    assert by_name["k"].above == 3 and by_name["k"].above_expression == "L"
    mixed = [d for d in by_name["g"].derivatives if d["equilibrium"].startswith("mixed")][0]
    assert Fraction(mixed["probabilities"]["NATO"]["Restrain"]["exact"]) == Fraction(2, 9)


def test_cli_compare_and_sensitivity(run_cli, tmp_path):
    path = GAMES / "security/security_dilemma.yaml"
    res = run_cli("compare", path)
    assert res.exit_code == 0, res.output
    assert "offence advantage" in res.stdout and "prisoner's dilemma" in res.stdout and "vanish" in res.stdout
    res = run_cli("compare", path, "--scenario", "status quo", "--scenario", "costly arms race", "--format", "json")
    data = json.loads(res.stdout)
    assert [s["name"] for s in data["scenarios"]] == ["status quo", "costly arms race"]
    assert data["changes"][0]["type"] == {"from": "stag hunt", "to": "harmony"}
    res = run_cli("compare", GAMES / "classics/stag_hunt.yaml")
    assert res.exit_code == 2 and "no scenarios" in res.stderr
    res = run_cli("sensitivity", path, "--format", "json")
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert [p["rank"] for p in data["parameters"]] == [1, 2, 3]
    assert {p["name"] for p in data["parameters"]} == {"g", "L", "k"}
    res = run_cli("sensitivity", path)
    assert res.exit_code == 0 and "most fragile" in res.stdout


def test_cli_tornado_plot(run_cli, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "tornado.png"
    res = run_cli("sensitivity", GAMES / "security/inspection.yaml", "--plot", out)
    assert res.exit_code == 0 and out.stat().st_size > 10_000


def test_symbolic_rendering_for_solve():
    from gametheory.sensitivity import render_symbolic, symbolic_equilibria

    text = render_symbolic(symbolic_equilibria(gt.load(GAMES / "security/security_dilemma.yaml")))
    assert "Restrain = (L - k)/(L - g - k)" in text
    assert "exists while: L > k and g < 0" in text


def test_no_derivative_is_claimed_for_an_extreme_point_of_a_continuum(game_file):
    """Entry deterrence: 'stay out' is supported while the defender resists with probability >= 1/(1 + f).

    That extreme point moves with f, so printing a derivative of 0 would be wrong: it is n/a.
    """
    path = game_file("""
        parameters: {f: {value: 1, range: [1/2, 3]}}
        players:
          Challenger: [Stay out, Challenge]
          Defender: [Resist, Concede]
        payoffs:
          Challenger: [[0, 0], [-f, 1]]
          Defender: [[2, 2], [-1, 1]]
        """)
    result = sensitivity(gt.load(path))
    (f,) = [p for p in result.parameters if p.name == "f"]
    mixed = [d for d in f.derivatives if d["probabilities"]]
    assert mixed, "the mixed extreme point is listed"
    for d in mixed:
        for per in d["probabilities"].values():
            assert all(v["value"] is None and v["exact"] == "n/a" for v in per.values())
