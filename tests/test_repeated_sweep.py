"""Sweeps of the repeated game, and generous tit-for-tat as an equilibrium.

* The sustainable/not boundary of grim trigger in a sweep over delta lies exactly at
  (T - R)/(T - P) (Friedman 1971): a grid point equal to the threshold is sustainable,
  decided exactly even when the threshold is not a float (1/3).
* The delta x pi map of ``games/security/arms_control_verification.yaml``: grim after
  detection sustains compliance exactly where delta >= (T - R)/((T - R) + pi (R - P))
  (Downs, Rocke & Siverson 1985; Wittman 1989), checked at every point in rational
  arithmetic, boundary points included.
* CSV and JSON shapes; local processes give identical results.
* Generous tit-for-tat (Molander 1985; Nowak & Sigmund 1992): the exact Nash region from
  the deviator's MDP equals brute-force value iteration at many (delta, g); g = 0 is
  tit-for-tat's region from the automaton engine (Nash and subgame perfect); the
  symbolic policy enumeration gives max((T - R)/((1 - g)(T - P)), (T - R)/((1 - g)(R - S))).
"""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction as F

import numpy as np
import pytest
import sympy

import gametheory as gt
import gametheory.cli.repeated_commands  # noqa: F401  (registers the commands)
import gametheory.cli.sensitivity_commands  # noqa: F401
from gametheory.errors import GameError
from gametheory.repeated import analyse, automata, reactive, strategies
from gametheory.repeated.sweep import repeated_sweep
from gametheory.sensitivity.sweep import SweepResult, sweep

from .conftest import GAMES

ARMS_RACE = GAMES / "security/arms_race_repeated.yaml"
VERIFICATION = GAMES / "security/arms_control_verification.yaml"


def load(path, **values):
    game = gt.load(path)
    return game.with_parameters(values) if values else game


# ---------------------------------------------------------------------------
# sweeps over the discount factor


@pytest.mark.parametrize("payoffs, num", [((5, 3, 1, 0), 21), ((4, 3, 1, 0), 31), ((6, 4, 1, 0), 11),
                                          ((7, 4, 1, -2), 13)])
def test_grim_boundary_is_exactly_the_published_threshold(payoffs, num):
    t, r, p, s = payoffs
    game = load(ARMS_RACE, T=t, R=r, P=p, S=s)
    result = sweep(game, [f"delta=0:1:{num}"])
    assert not isinstance(result, SweepResult)  # delta is the discount factor: the repeated game
    threshold = F(t - r, t - p)
    grim = result.sustainable("grim")
    for index in range(result.n_points):
        delta = result.values_at(index)["delta"]
        assert grim[index] == (threshold <= delta < 1), delta
    # the grid point on the threshold (1/3 is not a float) is sustainable and the change is reported exactly
    on = [k for k in range(result.n_points) if result.values_at(k)["delta"] == threshold]
    if on:
        assert grim[on[0]] and not grim[on[0] - 1]
    flips = [t_ for t_ in result.thresholds if t_.column.name == "grim"]
    assert len(flips) == 1 and flips[0].value == threshold and flips[0].becomes
    assert flips[0].expression == "(T - R)/(T - P)"


def test_threshold_exactly_at_a_grid_point_needs_the_exact_decision():
    # (T - R)/(T - P) = 1/3 and the grid point 10/30: in floats the two may differ in the last bit
    result = sweep(load(ARMS_RACE, T=4, R=3, P=1, S=0), ["delta=0:1:31"], strategies="grim")
    assert result.exact_points >= 1
    k = result.index_of(delta=F(1, 3))
    assert result.sustainable("grim")[k] and not result.sustainable("grim")[k - 1]


def test_all_strategies_against_the_single_point_analysis():
    game = load(ARMS_RACE)
    result = sweep(game, ["delta=0:1:11"])
    for index in range(result.n_points - 1):  # the last point is delta = 1
        at = analyse(game.with_parameters(delta=result.values_at(index)["delta"]), payoff_set=False)
        for k, c in enumerate(result.columns):
            entry = at.threshold(c.name, **({"rounds": c.rounds} if c.rounds is not None else {}))
            assert bool(result.nash[k, index]) == bool(entry.nash), (c.label, index)
            assert bool(result.spe[k, index]) == bool(entry.subgame_perfect), (c.label, index)
    assert not result.valid[-1] and not result.nash[:, -1].any()


def test_delta_by_pi_map_boundary_is_downs_rocke_siverson():
    game = load(VERIFICATION)
    result = sweep(game, ["delta=0:1:31", "pi=0:1:31"], strategies="grim,grim-after-detection")
    t, r, p = (game.values[k] for k in ("T", "R", "P"))
    gad = result.sustainable("grim-after-detection")
    grim = result.sustainable("grim")
    on_boundary = 0
    for index in range(result.n_points):
        v = result.values_at(index)
        delta, pi = v["delta"], v["pi"]
        expected = pi > 0 and delta < 1 and delta >= (t - r) / ((t - r) + pi * (r - p))
        assert gad[index] == expected, v
        assert grim[index] == (F(1, 2) <= delta < 1)
        if pi > 0 and delta == (t - r) / ((t - r) + pi * (r - p)):
            on_boundary += 1
    assert on_boundary >= 2  # e.g. (2/3, 1/2) and (1/2, 1) are grid points on the curve
    # three regimes: none, grim only, grim and grim after detection (and delta = 1)
    sets = {r_.key[2] for r_ in result.regimes}
    assert {(), ("grim",), ("grim", "grim-after-detection"), None} == sets


def test_sweep_over_the_detection_probability_reports_the_critical_detection():
    result = sweep(load(VERIFICATION), ["pi=0:1:31"])
    flips = [t for t in result.thresholds if t.column.name == "grim-after-detection"]
    assert [t.value for t in flips] == [F(2, 3)]
    assert flips[0].expression == "(1 - delta)*(T - R)/(delta*(R - P))"
    k = result.index_of(pi=F(2, 3))
    assert result.sustainable("grim-after-detection")[k] and not result.sustainable("grim-after-detection")[k - 1]
    # the critical discount factor moves with pi
    col = result.column("grim-after-detection")
    assert np.isnan(result.critical[col, 0])  # pi = 0: never
    assert result.critical[col, -1] == pytest.approx(0.5)


BOUNDED = """
title: bounded
parameters: {delta: {value: 0.6, range: [0, 0.99]}, pi: {value: 0.5, range: [0, 1]}}
players:
  Blue: [U, D]
  Red: [L, R]
payoffs:
  Blue: [[0, 0], [-1, 1]]
  Red:  [[2, 3], [-1, 0]]
repeated: {discount: delta, monitoring: {detection: pi}}
"""


def test_sweeps_with_regions_bounded_above(tmp_path):
    """Blue loses 1 by deviating from (U, L) and the punishment (D, R) pays it 1 > 0: it holds only for
    delta <= 1/(1 + pi) (grim: 1/2), Red needs delta >= 1/(1 + 2 pi) (grim: 1/3).  Over delta and over
    pi the sweep's verdicts are the exact regions', and no critical value is claimed where the region
    does not reach up to 1."""
    path = tmp_path / "bounded.yaml"
    path.write_text(BOUNDED, encoding="utf-8")
    game = gt.load(path)
    result = sweep(game, ["delta=0:0.99:100"], target="U,L", strategies="grim,grim-after-detection")
    grim = result.sustainable("grim")
    gad = result.sustainable("grim-after-detection")
    for index in range(result.n_points):
        delta = result.values_at(index)["delta"]
        assert grim[index] == (F(1, 3) <= delta <= F(1, 2)), delta
        assert gad[index] == (F(1, 2) <= delta <= F(2, 3)), delta
    assert np.isnan(result.critical).all()
    flips = [(t.column.name, t.value, t.becomes) for t in result.thresholds]
    assert ("grim", F(1, 3), True) in flips and ("grim", F(1, 2), False) in flips
    assert ("grim-after-detection", F(1, 2), True) in flips and ("grim-after-detection", F(2, 3), False) in flips
    # over pi at delta = 3/5: (1 - delta)(v - d) + delta pi (v - e) >= 0 gives 1/3 <= pi <= 2/3
    over_pi = sweep(game, ["pi=0:1:31"], target="U,L", strategies="grim-after-detection")
    sus = over_pi.sustainable("grim-after-detection")
    for index in range(over_pi.n_points):
        pi = over_pi.values_at(index)["pi"]
        delta = F(3, 5)
        assert sus[index] == (pi > 0 and 1 / (1 + pi) >= delta >= 1 / (1 + 2 * pi)), pi
    flips = [t.value for t in over_pi.thresholds]
    assert flips == [F(1, 3), F(2, 3)]
    header, cols = over_pi.columns_csv()
    assert np.isnan(np.asarray(cols[header.index("critical_detection")], dtype=float)).all()
    entry = analyse(game, target="U,L", payoff_set=False).threshold("grim-after-detection")
    assert entry.details["detection_region"] == "1/3 <= pi <= 2/3"
    assert entry.details["critical_detection"] is None
    assert entry.nash_region == [automata.Interval(F(1, 2), F(2, 3), True, True)]


def test_stage_parameter_sweep_is_per_stage_game_and_exact():
    game = load(ARMS_RACE)
    result = sweep(game, ["T=3:10:15"], repeated=True, target="Restrain,Restrain")
    assert len(result.combos) == 15
    grim = result.column("grim")
    for index in range(result.n_points):
        t = result.values_at(index)["T"]
        expected = F(0) if t <= 3 else (t - 3) / (t - 1)
        assert result.critical_exact(grim, index) == expected
        assert result.nash[grim, index] == (expected <= F(3, 5))


def test_two_parameter_sweep_with_a_stage_parameter():
    result = sweep(load(ARMS_RACE), ["T=4:8:5", "delta=0:1:11"], strategies="grim,tit-for-tat",
                   target="Restrain,Restrain")
    assert len(result.combos) == 5  # one exact analysis per value of T
    t_of = {k: result.values_at(k)["T"] for k in range(result.n_points)}
    for k in range(result.n_points):
        t, delta = t_of[k], result.values_at(k)["delta"]
        assert result.sustainable("grim")[k] == (F(t - 3, t - 1) <= delta < 1)


def test_workers_give_identical_results():
    game = load(ARMS_RACE)
    one = sweep(game, ["T=3:10:12", "delta=0:1:9"], workers=1)
    two = sweep(game, ["T=3:10:12", "delta=0:1:9"], workers=2)
    assert one.columns == two.columns
    for name in ("critical", "nash", "spe", "present", "target_id", "valid"):
        a, b = getattr(one, name), getattr(two, name)
        assert np.array_equal(a, b, equal_nan=(name == "critical")), name
    assert one.csv_bytes() == two.csv_bytes()
    assert json.dumps(one.to_dict()) == json.dumps(two.to_dict())


def test_csv_shape_one_row_per_point_and_strategy():
    result = sweep(load(VERIFICATION), ["delta=0:1:11"])
    text = result.csv_bytes().decode()
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert header == ["delta", "discount", "detection", "target", "stage_equilibria", "strategy",
                      "critical_discount", "sustainable", "subgame_perfect", "critical_detection"]
    body = rows[1:]
    assert len(body) == 11 * len(result.columns)
    first = dict(zip(header, body[0]))
    assert first["target"] == "(Comply, Comply)" and first["stage_equilibria"] == "(Cheat, Cheat)"
    by = {(row[0], row[5]): dict(zip(header, row)) for row in body}
    assert by[("0.5", "grim")]["sustainable"] == "true"
    assert by[("0.4", "grim")]["sustainable"] == "false"
    assert by[("0.5", "grim")]["critical_discount"] == "0.5"
    assert by[("0.5", "win-stay-lose-shift")]["critical_discount"] == ""  # never
    assert by[("0.7", "grim-after-detection")]["sustainable"] == "true"
    assert float(by[("0.6", "grim-after-detection")]["critical_detection"]) == pytest.approx(2 / 3)
    assert by[("1", "grim")]["sustainable"] == ""  # delta = 1 is not a discount factor
    assert "limited-punishment (2 rounds)" in {row[5] for row in body}


def test_json_shape():
    result = sweep(load(VERIFICATION), ["delta=0:1:5"])
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["analysis"] == "repeated" and data["parameters"] == ["delta"]
    assert data["discount"] == "delta" and data["detection"] == "pi"
    assert data["generosity"] == 0.1
    names = [s["name"] for s in data["strategies"]]
    assert names[0] == "grim" and "generous-tft" in names and "grim-after-detection" in names
    assert data["strategies"][0]["expression"] == "(T - R)/(T - P)"
    point = data["points"][2]  # delta = 1/2
    assert point["values"] == {"delta": 0.5} and point["discount_exact"] == "1/2"
    assert point["equilibria"][0]["pure"] is True  # the stage game's, as in solve
    assert point["target"] == {"United States": {"Comply": 1.0, "Cheat": 0.0},
                               "Russia": {"Comply": 1.0, "Cheat": 0.0}}
    grim = point["strategies"][0]
    assert grim == {"name": "grim", "critical_discount": 0.5, "exact": "1/2", "sustainable": True,
                    "nash": True, "subgame_perfect": True}
    assert point["sustainable"] == ["grim"]
    lp = [s for s in point["strategies"] if s["name"] == "limited-punishment"]
    assert [s["rounds"] for s in lp] == [1, 2, 3]
    regime = data["regimes"][1]
    assert set(regime) >= {"from", "to", "points", "structure", "target", "sustainable", "at", "equilibria",
                           "strategies"}
    assert data["regimes"][-1]["discount_valid"] is False
    th = data["thresholds"][0]
    assert th == {"strategy": "grim", "becomes": "sustainable", "between": [0.25, 0.5], "value": 0.5,
                  "exact": "1/2", "expression": "(T - R)/(T - P)"}
    two = sweep(load(VERIFICATION), ["delta=0:1:3", "pi=0:1:3"]).to_dict(points=False)
    assert "points" not in two and "bounds" in two["regimes"][0] and "thresholds" not in two


def test_no_discount_factor_reports_criticals_only(tmp_path):
    text = (GAMES / "security/arms_race_repeated.yaml").read_text().replace("  discount: delta\n", "")
    path = tmp_path / "no_discount.yaml"
    path.write_text(text)
    result = sweep(gt.load(path), ["T=4:6:3"], repeated=True)
    assert not result.nash.any() and any("no discount factor" in n for n in result.notes)
    assert result.critical[result.column("grim"), 1] == pytest.approx(0.5)
    rows = list(csv.reader(io.StringIO(result.csv_bytes().decode())))
    assert "discount" not in rows[0] and rows[1][rows[0].index("sustainable")] == ""


def test_stage_sweep_stays_the_default_for_payoff_parameters():
    result = sweep(load(ARMS_RACE), ["T=3:10:8"])
    assert isinstance(result, SweepResult)
    assert any("--repeated" in n for n in result.notes)
    assert isinstance(sweep(load(ARMS_RACE), ["delta=0:1:3"], repeated=False), SweepResult)


def test_bad_strategy_names_and_games_without_repeated_section():
    with pytest.raises(GameError, match="not analysed here"):
        sweep(load(ARMS_RACE), ["delta=0:1:3"], strategies="grim-after-detection")
    with pytest.raises(GameError, match="no repeated"):
        repeated_sweep(gt.load(GAMES / "classics/stag_hunt.yaml"), ["T=0:1:3"])


def test_cli_repeated_sweep_table_csv_json_plots(run_cli, tmp_path):
    res = run_cli("sweep", VERIFICATION, "--vary", "delta=0:1:21")
    assert res.exit_code == 0, res.output
    assert "Regimes: where the same strategies sustain the target" in res.output
    assert "grim becomes sustainable at delta = 1/2 = (T - R)/(T - P)" in res.output
    assert "grim-after-detection becomes sustainable at delta = 2/3 = (T - R)/(T - R + pi*(R - P))" in res.output
    res = run_cli("sweep", VERIFICATION, "--vary", "delta=0:1:5", "--format", "csv", "--strategies", "grim")
    assert res.output.splitlines()[0].startswith("delta,discount,detection,target")
    assert len(res.output.splitlines()) == 6
    res = run_cli("sweep", VERIFICATION, "--vary", "pi=0:1:3", "--format", "json")
    assert json.loads(res.output)["analysis"] == "repeated"
    res = run_cli("sweep", VERIFICATION, "--vary", "delta=0:1:3", "--stage", "--format", "json")
    assert "analysis" not in json.loads(res.output)
    res = run_cli("sweep", ARMS_RACE, "--vary", "T=3:10:4", "--repeated", "--target", "Restrain,Restrain")
    assert res.exit_code == 0 and "4 stage games analysed exactly" in res.output
    pytest.importorskip("matplotlib")
    for vary in (["delta=0:1:41"], ["delta=0:1:21", "pi=0:1:21"]):
        path = tmp_path / f"plot{len(vary)}.png"
        args = [a for v in vary for a in ("--vary", v)]
        res = run_cli("sweep", VERIFICATION, *args, "--plot", path, "--format", "json", "--regimes-only",
                      "-o", tmp_path / "x.json")
        assert res.exit_code == 0 and path.stat().st_size > 10_000


def test_cli_errors(run_cli):
    from click.testing import CliRunner

    from gametheory.cli import main

    res = CliRunner().invoke(main, ["sweep", str(ARMS_RACE), "--vary", "T=3:10:4", "--stage", "--target",
                                    "Restrain,Restrain"])
    assert res.exit_code == 2 and "--target" in res.output
    res = CliRunner().invoke(main, ["sweep", str(GAMES / "classics/stag_hunt.yaml"), "--vary", "T=0:1:3",
                                    "--repeated"])
    assert res.exit_code == 2 and "repeated" in res.output
    res = CliRunner().invoke(main, ["repeated", str(ARMS_RACE), "--generosity", "2"])
    assert res.exit_code == 2 and "generosity" in res.output


# ---------------------------------------------------------------------------
# generous tit-for-tat


def pd_players(t, r, p, s):
    me = reactive.PlayerPayoffs(((F(r), F(s)), (F(t), F(p))), 0, 1)
    return me, me


def value_iteration_best(t, r, p, s, g, deltas, rounds=2000):
    """The deviator's best value against GTFT, by float value iteration over its two states.

    State 0: its last move was C (the opponent cooperates now); state 1: it was D (the
    opponent forgives with probability g).  Every deviation, not only stationary ones.
    """
    deltas = np.asarray(deltas, dtype=float)
    v = np.zeros((len(deltas), 2))
    coop = np.array([1.0, g])
    for _ in range(rounds):
        play_c = coop * r + (1 - coop) * s + deltas[:, None] * v[:, [0]]
        play_d = coop * t + (1 - coop) * p + deltas[:, None] * v[:, [1]]
        v = np.maximum(play_c, play_d)
    return v[:, 0]


@pytest.mark.parametrize("payoffs", [(5, 3, 1, 0), (4, 3, 1, 0), (6, 5, 1, 0), (5, 4, 3, -2)])
def test_generous_tft_nash_region_equals_value_iteration(payoffs):
    t, r, p, s = payoffs
    players = pd_players(*payoffs)
    for g in (F(0), F(1, 20), F(1, 10), F(1, 5), F(1, 3)):
        regions = reactive.equilibrium_regions(players, reactive.generous_tit_for_tat(g))
        deltas = [F(k, 40) for k in range(1, 40)]
        bests = value_iteration_best(t, r, p, s, float(g), [float(d) for d in deltas])
        for delta, best in zip(deltas, bests):
            exact = any(iv.contains(delta) for iv in regions.nash)
            prescribed = r / (1 - float(delta))
            if abs(best - prescribed) < 1e-6:
                continue  # too close to call in floats
            assert exact == (best <= prescribed), (payoffs, g, delta)
        # and the closed form
        crit = automata.lowest(regions.nash)
        closed = max(F(t - r) / ((1 - g) * (t - p)), F(t - r) / ((1 - g) * (r - s)))
        assert crit == (closed if closed < 1 else None)


@pytest.mark.parametrize("payoffs", [(5, 3, 1, 0), (4, 3, 1, 0), (3, 2, 1, 0), (5, 4, 3, -2), (7, 4, 1, 1)])
def test_generous_tft_with_g_zero_is_tit_for_tat(payoffs):
    t, r, p, s = payoffs
    game = gt.Game.from_arrays([[r, s], [t, p]], [[r, t], [s, p]], players=["A", "B"],
                               strategies=[["C", "D"], ["C", "D"]])
    tft = automata.equilibrium_regions(automata.action_payoffs(game, (0, 0), (1, 1)),
                                       strategies.REGISTRY["tit-for-tat"].automaton())
    gtft = reactive.equilibrium_regions(reactive.player_payoffs(game, (0, 0), (1, 1)),
                                        reactive.generous_tit_for_tat(0))
    assert gtft.nash == tft.nash
    assert gtft.subgame_perfect == tft.subgame_perfect


def test_generous_tft_symbolic_policy_enumeration_gives_the_closed_form():
    t, r, p, s, g = sympy.symbols("T R P S g", real=True)
    found = reactive.symbolic_candidates(t, r, p, s, g)
    closed = reactive.generous_closed_form(t, r, p, s, g)
    assert len(found) == 2
    for c in closed:
        assert any(sympy.simplify(c - f) == 0 for f in found)
    # g = 0: Axelrod's two conditions for tit-for-tat
    assert {sympy.simplify(c.subs(g, 0)) for c in closed} == {sympy.simplify((t - r) / (t - p)),
                                                               sympy.simplify((t - r) / (r - s))}


def test_generous_tft_subgame_perfect_only_on_a_knife_edge():
    # R + P = S + T (equal gains from switching): SPE exactly where delta (1 - g) = (T - R)/(R - S)
    players = pd_players(4, 3, 1, 0)
    for g in (F(1, 10), F(1, 3)):
        regions = reactive.equilibrium_regions(players, reactive.generous_tit_for_tat(g))
        edge = F(1, 3) / (1 - g)
        assert [(iv.low, iv.high) for iv in regions.subgame_perfect] == [(edge, edge)]
    # otherwise never (Axelrod's payoffs: R + P = 4 != 5 = S + T)
    regions = reactive.equilibrium_regions(pd_players(5, 3, 1, 0), reactive.generous_tit_for_tat(F(1, 10)))
    assert regions.subgame_perfect == []


def test_largest_generosity_and_nowak_sigmund_limit():
    players = pd_players(5, 3, 1, 0)
    assert reactive.largest_generosity(players, F(9, 10))[-1].high == F(7, 27)
    assert reactive.largest_generosity(players, F(3, 5)) == []
    # delta -> 1: Nowak & Sigmund's min(1 - (T - R)/(R - S), (R - P)/(T - P)) = 1/3
    top = reactive.largest_generosity(players, F(999999, 1000000))[-1].high
    assert abs(top - F(1, 3)) < F(1, 10**5)


def test_repeated_shows_generous_tft_with_its_expression(run_cli):
    result = analyse(load(ARMS_RACE, delta=F(9, 10)), payoff_set=False)
    entry = result.threshold("generous-tft")
    assert entry.critical == F(20, 27) and entry.nash and not entry.subgame_perfect
    assert entry.expression_text == "(T - R)/((1 - g)*min(T - P, R - S))"
    t, r, p, s, g = sympy.symbols("T R P S g", real=True)
    assert sympy.simplify(entry.expression - sympy.Max(*reactive.generous_closed_form(t, r, p, s, g))) == 0
    assert entry.details["largest_generosity_exact"] == "7/27"
    assert entry.details["largest_generosity_expression"] == "1 - (T - R)/(delta*min(T - P, R - S))"
    zero = analyse(load(ARMS_RACE), payoff_set=False, generosity=0).threshold("generous-tft")
    assert zero.critical == F(2, 3)  # tit-for-tat's
    assert all(s.name != "generous-tft" for s in analyse(load(ARMS_RACE), payoff_set=False,
                                                          generosity=None).strategies)
    res = run_cli("repeated", ARMS_RACE, "--set", "delta=0.9", "--generosity", "1/5")
    assert res.exit_code == 0
    assert "generous-tft (generosity g = 1/5)" in res.output and "for generosity g <= 7/27" in res.output
    data = json.loads(run_cli("repeated", ARMS_RACE, "--format", "json").output)
    gtft = [s for s in data["strategies"] if s["name"] == "generous-tft"][0]
    assert gtft["exact"] == "20/27" and gtft["generosity"] == 0.1


def test_generous_tft_symbol_avoids_a_parameter_named_g(tmp_path):
    text = """
title: offence-defence arms race
parameters:
  g: {value: 1}
  L: {value: 3}
  k: {value: 1}
  delta: {value: 0.9}
players:
  Blue: [Restrain, Arm]
  Red: [Restrain, Arm]
payoffs:
  Blue: [[0, -L], [g, -k]]
  Red: [[0, g], [-L, -k]]
repeated:
  discount: delta
"""
    path = tmp_path / "g.yaml"
    path.write_text(text)
    entry = analyse(gt.load(path), payoff_set=False).threshold("generous-tft")
    assert "q" in entry.expression_text and entry.expression_text.count("g") >= 2
    assert entry.critical == max(F(1) / (F(9, 10) * 2), F(1) / (F(9, 10) * 3))
