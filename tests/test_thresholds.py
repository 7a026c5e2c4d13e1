"""Thresholds of the domain models, found by the generic machinery and checked against the literature.

No formula below is used by the code: the code finds the thresholds from the
payoff expressions alone; the tests compare with the published closed forms.

* Jervis (1978) in the offence-defence parametrisation R = 0, T = g, S = -L,
  P = -k: the game type changes at g = 0 (R = T) and at L = k (P = S).
* Relative gains (Grieco 1988; Powell 1991; Snidal 1991), u_i = x_i - r x_j:
  Harmony -> Stag Hunt at r = (S0 - P0)/(T0 - P0), -> PD at r = (R0 - T0)/(R0 - S0).
* Inspection game (Dresher 1962; Avenhaus, von Stengel & Zamir 2002): the mixed
  equilibrium exists below the cost threshold c = beta L.
* Repeated PD: grim trigger needs delta >= (T - R)/(T - P) (Friedman 1971);
  imperfect verification (Downs, Rocke & Siverson 1985; Wittman 1989) needs
  delta >= (T - R)/((T - R) + pi (R - P)).
* The Stag Hunt's mixed equilibrium p* = (P - S)/((R - T) + (P - S)).
"""

from __future__ import annotations

import json
import sys
import time
from fractions import Fraction

import pytest
import sympy

import gametheory as gt
import gametheory.cli.sensitivity_commands  # noqa: F401  (registers the commands)
from gametheory.sensitivity.symbolic import render_symbolic, symbolic_equilibria
from gametheory.sensitivity.thresholds import thresholds

from .conftest import GAMES

S = {name: sympy.Symbol(name, real=True) for name in
     ("R", "T", "P", "S", "g", "L", "k", "r", "R0", "T0", "S0", "P0", "c", "beta", "b", "d", "delta", "pi")}


def same(expr, expected) -> bool:
    return sympy.simplify(expr - expected) == 0


def load(name, **values):
    game = gt.load(next(GAMES.rglob(name)))
    return game.with_parameters(values) if values else game


@pytest.mark.parametrize("values, below, above", [
    ({"L": 3, "k": 1}, "stag hunt", "prisoner's dilemma"),
    ({"L": Fraction(1, 2), "k": 1}, "harmony", "chicken"),
])
def test_jervis_offence_defence_threshold_g(values, below, above):
    result = thresholds(load("security_dilemma.yaml", **values), "g")
    assert [t.value for t in result.thresholds] == [0]
    assert result.thresholds[0].expression == 0
    assert [r.classification for r in result.regimes] == [below, above]
    assert result.thresholds[0].at.degenerate


@pytest.mark.parametrize("g, below, above", [(-1, "harmony", "stag hunt"), (1, "chicken", "prisoner's dilemma")])
def test_jervis_threshold_L_equals_k(g, below, above):
    game = load("security_dilemma.yaml", g=g)
    result = thresholds(game, "L")
    assert [t.value for t in result.thresholds] == [1]
    assert same(result.thresholds[0].expression, S["k"])
    assert result.thresholds[0].expression_text == "k"
    assert [r.classification for r in result.regimes] == [below, above]
    # and in k: the same condition solved for k gives L
    result = thresholds(game, "k")
    assert [t.value for t in result.thresholds] == [3]
    assert result.thresholds[0].expression_text == "L"


def test_relative_gains_cutoffs():
    result = thresholds(load("relative_gains.yaml"), "r")
    assert [t.value for t in result.thresholds] == [Fraction(3, 4), Fraction(6, 7)]
    first, second = result.thresholds
    assert same(first.expression, (S["S0"] - S["P0"]) / (S["T0"] - S["P0"]))
    assert same(second.expression, (S["R0"] - S["T0"]) / (S["R0"] - S["S0"]))
    assert [r.classification for r in result.regimes] == ["harmony", "stag hunt", "prisoner's dilemma"]


def test_inspection_cost_threshold():
    result = thresholds(load("inspection.yaml"), "c")
    interior = [t for t in result.thresholds if 0 < t.value < 12]
    assert [t.value for t in interior] == [8]
    assert same(interior[0].expression, S["L"] * S["beta"])
    below = [r for r in result.regimes if r.high == 8][0]
    assert all(not e.pure for e in below.solution.equilibria)  # mixed inspection below the threshold
    above = [r for r in result.regimes if r.low == 8][0]
    (eq,) = above.solution.equilibria
    assert eq.pure and eq.profile == ((0, 1), (0, 1))  # (Violate, Not inspect)


def test_inspection_sanction_threshold_and_published_mixed_equilibrium():
    result = thresholds(load("inspection.yaml"), "b")
    assert [t.value for t in result.thresholds] == [Fraction(1, 4)]
    assert same(result.thresholds[0].expression, (1 - S["beta"]) * S["d"] / S["beta"])
    sym = symbolic_equilibria(load("inspection.yaml"))
    (mixed,) = sym.equilibria
    violate = mixed.probabilities[0]["Violate"]
    inspect = mixed.probabilities[1]["Inspect"]
    assert same(violate, S["c"] / (S["beta"] * S["L"]))  # does not depend on the sanction b (Tsebelis 1989)
    assert sympy.diff(violate, S["b"]) == 0
    assert same(inspect, S["d"] / (S["beta"] * (S["b"] + S["d"])))


def test_stag_hunt_mixed_equilibrium_expression_and_conditions():
    result = symbolic_equilibria(load("stag_hunt.yaml"))
    mixed = [e for e in result.equilibria if not e.pure]
    assert len(mixed) == 1
    p_star = mixed[0].probabilities[0]["Stag"]
    R, T, P, S_ = S["R"], S["T"], S["P"], S["S"]
    assert same(p_star, (P - S_) / ((R - T) + (P - S_)))
    assert set(mixed[0].condition_texts()) == {"R > T", "P > S"}
    text = render_symbolic(result)
    assert "exists while: P > S and R > T" in text


def test_grim_trigger_threshold_from_the_repeated_game():
    result = thresholds(load("arms_race_repeated.yaml"), "delta")
    values = [t.value for t in result.thresholds]
    assert Fraction(1, 2) in values
    grim = result.thresholds[values.index(Fraction(1, 2))]
    assert grim.expression_text == "(T - R)/(T - P)"
    assert same(grim.expression, (S["T"] - S["R"]) / (S["T"] - S["P"]))


def test_verification_thresholds():
    game = load("arms_control_verification.yaml")
    by_pi = thresholds(game, "pi")
    assert [t.value for t in by_pi.thresholds] == [Fraction(2, 3)]
    delta, pi = S["delta"], S["pi"]
    T, R, P = S["T"], S["R"], S["P"]
    assert same(by_pi.thresholds[0].expression, (1 - delta) * (T - R) / (delta * (R - P)))
    by_delta = thresholds(game, "delta")
    values = [t.value for t in by_delta.thresholds]
    assert Fraction(1, 2) in values and Fraction(2, 3) in values
    wittman = by_delta.thresholds[values.index(Fraction(2, 3))].expression
    assert same(wittman, (T - R) / ((T - R) + pi * (R - P)))


def test_non_polynomial_conditions_by_bisection():
    # row player's Top beats Bottom against Left iff exp(p) > 2, i.e. p > log 2
    game = gt.Game.from_arrays([["exp(p)", "0"], ["2", "1"]], [["1", "0"], ["0", "1"]],
                               parameters={"p": 0})
    result = thresholds(game, "p", -1, 2)
    assert len(result.thresholds) == 1
    assert result.thresholds[0].method == "numerical"
    assert abs(result.thresholds[0].float_value - float(sympy.log(2))) < 1e-11
    # a rational root of a non-polynomial condition is recognised exactly
    game = gt.Game.from_arrays([["sqrt(p)", "0"], ["1/2", "1"]], [["1", "0"], ["0", "1"]],
                               parameters={"p": 1})
    result = thresholds(game, "p", 0, 1)
    assert [t.value for t in result.thresholds if 0 < t.value < 1] == [Fraction(1, 4)]


def test_n_player_thresholds_from_pure_comparisons():
    # three players; player 1's first strategy is better against (1, 1) iff p > 1/2
    arrays = [[[["p", "0"], ["0", "0"]], [["1/2", "0"], ["0", "1"]]]] + \
        [[[["1", "0"], ["0", "0"]], [["0", "0"], ["0", "1"]]]] * 2
    game = gt.Game.from_arrays(*arrays, parameters={"p": 0})
    result = thresholds(game, "p", 0, 1)
    assert Fraction(1, 2) in [t.value for t in result.thresholds]
    assert any("N-player" in n for n in result.notes)


def test_library_2x2_thresholds_are_fast():
    for name in ("security_dilemma.yaml", "relative_gains.yaml", "inspection.yaml", "stag_hunt.yaml",
                 "chicken.yaml", "prisoners_dilemma.yaml"):
        game = load(name)
        for param, spec in game.parameters.items():
            if spec.range is None:
                continue
            started = time.perf_counter()
            thresholds(game, param, repeated=False)
            assert time.perf_counter() - started < 2.0, (name, param)


def test_thresholds_json_shape(run_cli):
    res = run_cli("thresholds", GAMES / "security/security_dilemma.yaml", "--vary", "g", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["parameter"] == "g" and data["range"] == [-3, 3]
    first = data["thresholds"][0]
    assert (first["value"], first["exact"], first["expression"]) == (0.0, "0", "0")
    assert [r["classification"] for r in data["regimes"]] == ["stag hunt", "prisoner's dilemma"]
    assert data["regimes"][0]["from"] == -3 and data["regimes"][0]["to"] == 0
    assert data["regimes"][0]["equilibria"][0]["exact"]["NATO"]["Restrain"] == "1"
    assert data["thresholds"][0]["at"]["degenerate"] is True
    res = run_cli("thresholds", GAMES / "security/relative_gains.yaml", "--vary", "r=0:1")
    assert res.exit_code == 0 and "3/4" in res.stdout and "6/7" in res.stdout
    res = run_cli("thresholds", GAMES / "security/security_dilemma.yaml", "--vary", "nope")
    assert res.exit_code == 2


def test_thresholds_plot(run_cli, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "t.png"
    res = run_cli("thresholds", GAMES / "security/security_dilemma.yaml", "--vary", "L", "--plot", out)
    assert res.exit_code == 0 and out.stat().st_size > 10_000


def test_game_type_does_not_depend_on_strategy_order():
    """Hawk-Dove listed Hawk first is still Chicken (and a PD when fighting is cheap)."""
    from gametheory.sensitivity.classify import symmetric_type

    # (R, S, T, P) = payoffs of first v first, first v second, second v first, second v second
    for R, S, T, P, name in [(3, 2, 4, 1, "chicken"), (3, 0, 5, 1, "prisoner's dilemma"),
                             (4, 0, 3, 2, "stag hunt"), (3, 2, 1, 0, "harmony")]:
        assert symmetric_type(R, S, T, P) == name
        assert symmetric_type(P, T, S, R) == name  # the same game with the strategies listed the other way


def test_a_player_indifferent_makes_an_asymmetric_2x2_a_boundary():
    from gametheory.sensitivity.classify import classify_2x2

    game = gt.Game.from_arrays([[0, 0], [-1, 1]], [[2, 2], [-1, 1]])  # the defender indifferent at the status quo
    assert classify_2x2(game) == "boundary (ties in the payoffs)"
    game = gt.Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    assert classify_2x2(game).startswith("battle of the sexes")


def test_expression_is_the_condition_that_changes_the_equilibria_not_a_coincidence(game_file):
    """At a = b = 1 two ties vanish at x = 1; only Column's tie against Row's dominant strategy (Down) matters."""
    for genuine, other in (("a", "b"), ("b", "a")):  # whichever name the condition uses, it is found
        path = game_file(f"""
            parameters:
              x: {{value: 0, range: [-2, 3]}}
              a: 1
              b: 1
            players:
              Row: [Up, Down]
              Column: [Left, Right]
            payoffs:
              Row: [[0, 0], [2, 2]]
              Column: [[x, {other}], [x, {genuine}]]
            """)
        result = thresholds(gt.load(path), "x")
        assert [t.exact for t in result.thresholds] == ["1"]
        assert result.thresholds[0].expression_text == genuine


# ---------------------------------------------------------------------------
# the fast exact method, limits, N-player mixed scan, notes, degenerate thresholds


def random_game(m, n, seed, where="cell", low=-5, high=5):
    """Integer payoffs from a seeded RNG; the parameter a in one cell, one row of player 1, or everywhere."""
    import numpy as np

    rng = np.random.default_rng(seed)
    pay = np.vectorize(str, otypes=[object])(rng.integers(low, high + 1, size=(2, m, n)))
    if where == "cell":
        pay[0, 0, 0] = "a"
    elif where == "row":
        for c in range(n):
            pay[0, 0, c] = f"{pay[0, 0, c]} + ({rng.integers(-2, 3)})*a"
    elif where == "both":
        pay[0, 0, 0] = "a"
        pay[1, m - 1, n - 1] = "2 - a"
    elif where == "quadratic":
        pay[0, 0, 0] = "a*a - 2"
        pay[1, 1, 0] = "a"
    elif where == "everywhere":
        for r in range(m):
            for c in range(n):
                pay[0, r, c] = f"{pay[0, r, c]} + ({rng.integers(-1, 2)})*a"
    return gt.Game.from_arrays(pay[0].tolist(), pay[1].tolist(), parameters={"a": 0})


def summary(result):
    return [(t.exact, t.below, t.above, t.at.key) for t in result.thresholds], [(r.low, r.high, r.key)
                                                                             for r in result.regimes]


@pytest.mark.parametrize("where", ["cell", "row", "both", "quadratic", "everywhere"])
def test_fast_method_agrees_with_general_sympy_conditions(where, monkeypatch):
    """The float-pruned exact method finds the same thresholds as every condition solved with sympy."""
    th = sys.modules["gametheory.sensitivity.thresholds"]  # the module (the package exports the function)

    for m, n, seed in ((2, 2, 0), (2, 3, 1), (3, 3, 2), (3, 3, 3), (3, 4, 4)):
        game = random_game(m, n, seed, where, -3, 3)
        fast = thresholds(game, "a", -4, 4)
        assert fast.method == "symbolic"
        with monkeypatch.context() as mp:
            mp.setattr(th, "FAST_PAIR_LIMIT", 0)  # the general path: sympy expressions of every condition
            general = thresholds(game, "a", -4, 4)
        assert summary(fast) == summary(general), (m, n, seed, where)


def test_fast_method_misses_no_change_on_a_dense_grid():
    """Every change of the exact equilibrium structure between neighbouring grid points is a threshold."""
    from gametheory.sensitivity.structure import solve_point

    game = random_game(5, 5, 1, "row")
    result = thresholds(game, "a", -10, 10)
    values = [t.value for t in result.thresholds]
    assert values  # this game has thresholds (4 of them)
    grid = [Fraction(-10) + Fraction(20 * k, 160) + Fraction(1, 7919) for k in range(160)]
    keys = [solve_point(game.with_parameters({"a": x})).key for x in grid]
    for k in range(len(grid) - 1):
        if keys[k] != keys[k + 1]:
            assert any(grid[k] <= v <= grid[k + 1] for v in values), (grid[k], grid[k + 1])
    for r in result.regimes:
        assert all(key == r.key for x, key in zip(grid, keys) if r.low < x < r.high)
    for t in result.thresholds:  # verified exactly: the structure differs on a side or at the point
        assert t.below != t.above or t.at.key != t.below


def test_five_by_five_thresholds_are_fast():
    """Loose bound for a loaded 2-core machine (typically 1-2 s; bench/bench_thresholds.py for timings)."""
    started = time.perf_counter()
    result = thresholds(random_game(5, 5, 0, "cell"), "a", -10, 10)
    assert time.perf_counter() - started < 60
    assert [t.exact for t in result.thresholds] == ["3"]
    started = time.perf_counter()
    thresholds(random_game(5, 5, 0, "row"), "a", -10, 10)
    assert time.perf_counter() - started < 60


def test_large_games_fall_back_to_a_bounded_scan_and_say_so(monkeypatch):
    th = sys.modules["gametheory.sensitivity.thresholds"]  # the module (the package exports the function)

    game = random_game(3, 3, 2, "row", -3, 3)
    exact = thresholds(game, "a", -4, 4)
    monkeypatch.setattr(th, "FAST_PAIR_LIMIT", 5)
    monkeypatch.setattr(th, "SYMBOLIC_PAIR_LIMIT", 5)
    scanned = thresholds(game, "a", -4, 4)
    assert any("numerical scan" in n and "more than 5 support pairs" in n for n in scanned.notes)
    assert [t.float_value for t in scanned.thresholds] == pytest.approx([t.float_value for t in exact.thresholds])
    monkeypatch.setattr(th, "SCAN_SOLVE_LIMIT", 3)
    limited = thresholds(game, "a", -4, 4)
    assert any("stopped at its limit (3 exact solves)" in n for n in limited.notes)


PUBLIC_GOOD = """
    title: Threshold public good
    description: The good is provided when at least two of the three contribute.
    parameters:
      b: {value: 3, range: [0, 6]}
      e: {value: 1, range: [0, 3]}
    players:
      A: [Contribute, Free-ride]
      B: [Contribute, Free-ride]
      C: [Contribute, Free-ride]
    payoffs:
      - {profile: [Contribute, Contribute, Contribute], payoffs: [b - e, b - e, b - e]}
      - {profile: [Contribute, Contribute, Free-ride],  payoffs: [b - e, b - e, b]}
      - {profile: [Contribute, Free-ride, Contribute],  payoffs: [b - e, b, b - e]}
      - {profile: [Contribute, Free-ride, Free-ride],   payoffs: [-e, 0, 0]}
      - {profile: [Free-ride, Contribute, Contribute],  payoffs: [b, b - e, b - e]}
      - {profile: [Free-ride, Contribute, Free-ride],   payoffs: [0, -e, 0]}
      - {profile: [Free-ride, Free-ride, Contribute],   payoffs: [0, 0, -e]}
      - {profile: [Free-ride, Free-ride, Free-ride],    payoffs: [0, 0, 0]}
    """


def test_three_player_mixed_thresholds_by_default(game_file, run_cli):
    """The symmetric mixed equilibria (2 q (1 - q) b = e) merge and vanish at e = b/2 = 3/2."""
    path = game_file(PUBLIC_GOOD)
    game = gt.load(path)
    result = thresholds(game, "e")
    assert [t.exact for t in result.thresholds] == ["0", "3/2", "3"]
    half = result.thresholds[1]
    assert half.method == "numerical"
    fully_mixed = (((0, 1), (0, 1), (0, 1)), False)
    assert sum(k == fully_mixed for k in half.below[0]) == 2 and fully_mixed not in half.above[0]
    scan, continua = result.notes
    assert "the mixed equilibria from a numerical scan" in scan and "not scanned" not in scan
    assert continua.startswith("exactly at e = 0 and e = 3/2 (degenerate: a continuum of equilibria)")
    pure = thresholds(game, "e", mixed=False)
    assert [t.exact for t in pure.thresholds] == ["0"]
    assert pure.notes == ["N-player game: thresholds of the pure equilibria from the best-response comparisons "
                          "(exact); mixed equilibria were not scanned (--no-mixed)"]
    res = run_cli("thresholds", path, "--vary", "e", "--no-mixed")
    assert res.exit_code == 0 and "3/2" not in res.stdout and "--no-mixed" in res.stdout
    res = run_cli("thresholds", path, "--vary", "b", "--mixed", "--format", "json")
    data = json.loads(res.stdout)
    assert [t["exact"] for t in data["thresholds"]] == ["1", "2"]


def test_larger_n_player_games_scan_mixed_only_when_asked():
    arrays = [[[[f"{(i + j + k + pl) % 3}" for k in range(3)] for j in range(3)] for i in range(3)]
              for pl in range(3)]
    arrays[0][0][0][0] = "p"
    game = gt.Game.from_arrays(*arrays, parameters={"p": 0})
    result = thresholds(game, "p", -1, 1)
    (note,) = result.notes
    assert "mixed equilibria were not scanned" in note and "--mixed scans them" in note


def test_notes_name_command_line_options_not_keyword_arguments():
    import re

    notes = []
    notes += thresholds(load("arms_race_repeated.yaml"), "T", repeated=False).notes
    notes += thresholds(load("volunteers_dilemma.yaml"), "c", mixed=False).notes
    notes += thresholds(load("volunteers_dilemma.yaml"), "c").notes
    assert any("--repeated" in n for n in notes) and any("--no-mixed" in n for n in notes)
    for note in notes:
        assert not re.search(r"\w+=(True|False)", note), note


def test_a_continuum_exactly_at_the_threshold_is_marked(run_cli):
    """Security dilemma with g = 1: at L = k every profile but (Restrain, Restrain) is a connected set."""
    res = run_cli("thresholds", GAMES / "security/security_dilemma.yaml", "--vary", "L", "--set", "g=1",
                  "--format", "json")
    at = json.loads(res.stdout)["thresholds"][0]["at"]
    assert at["degenerate"] is True and at["continuum"] is True
    assert at["structure"].endswith("(degenerate: a continuum of equilibria)")
    res = run_cli("thresholds", GAMES / "security/security_dilemma.yaml", "--vary", "L", "--set", "g=1")
    assert "exactly at L = 1 (degenerate: a continuum of equilibria)" in " ".join(res.stdout.split())
    result = thresholds(load("security_dilemma.yaml"), "g")  # at g = 0: degenerate, but isolated equilibria
    assert result.thresholds[0].at.degenerate and not result.thresholds[0].at.continuum
    assert not any("continuum" in n for n in result.notes)


def test_expressions_of_conditions_on_large_supports_are_skipped_and_said(monkeypatch):
    th = sys.modules["gametheory.sensitivity.thresholds"]  # the module (the package exports the function)

    monkeypatch.setattr(th, "EXPRESSION_SUPPORT_LIMIT", 0)
    result = thresholds(load("inspection.yaml"), "b")  # b = (1 - beta) d / beta
    assert [t.value for t in result.thresholds] == [Fraction(1, 4)]
    assert result.thresholds[0].expression is None
    assert any("no expression in the other parameters" in n for n in result.notes)
