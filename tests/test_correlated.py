"""Correlated equilibria by LP: exact optima, payoff ranges, the comparison with Nash.

Aumann's (1974) example is Chicken with payoffs (6, 6), (2, 7), (7, 2), (0, 0).  Write
a = p(C, C), b = p(C, D), c = p(D, C), d = p(D, D).  The incentive constraints are

    row told C:  -a + 2b >= 0       row told D:  c - 2d >= 0
    col told C:  -a + 2c >= 0       col told D:  b - 2d >= 0

Welfare is 12a + 9(b + c) = 9 + 3a - 9d.  With d = 0 and a <= 2 min(b, c) <= (1 - a),
a <= 1/2: the welfare-maximising CE is a = 1/2, b = c = 1/4, welfare 21/2, and it is
unique.  The Nash equilibria are (C, D), (D, C) (welfare 9) and the mixed one playing
C with probability 2/3 (payoffs 14/3 each, welfare 28/3), so the best CE beats every
Nash equilibrium by 21/2 - 28/3 = 7/6.  The lowest welfare: a = 0, b = c = 2d, d = 1/5,
welfare 36/5.  Each player's payoff ranges over [2, 7] (the pure equilibria).
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gametheory.cli.analysis_commands  # noqa: F401  (registers the commands)
import gametheory.solvers
from gametheory.errors import GameError
from gametheory.model import Game
from gametheory.solvers.correlated import (
    compare_with_nash,
    correlated_equilibrium,
    incentive_slacks,
    is_correlated_equilibrium,
    payoff_ranges,
    product_distribution,
)


def chicken() -> Game:
    return Game.from_arrays(
        [[6, 2], [7, 0]],
        [[6, 7], [2, 0]],
        players=["Row", "Column"],
        strategies=[["C", "D"], ["C", "D"]],
        title="Aumann's Chicken",
    )


CHICKEN_NASH = [
    ((F(0), F(1)), (F(1), F(0))),  # (D, C)
    ((F(1), F(0)), (F(0), F(1))),  # (C, D)
    ((F(2, 3), F(1, 3)), (F(2, 3), F(1, 3))),
]


def test_chicken_welfare_optimum_exactly():
    result = correlated_equilibrium(chicken())
    assert result.exact and result.certified and result.tolerance == 0
    assert result.probabilities.tolist() == [[F(1, 2), F(1, 4)], [F(1, 4), F(0)]]
    assert all(type(p) is F for p in result.probabilities.flat)
    assert result.payoffs == (F(21, 4), F(21, 4))
    assert result.welfare == F(21, 2)
    assert result.distribution() == {("C", "C"): F(1, 2), ("C", "D"): F(1, 4), ("D", "C"): F(1, 4)}
    # the derivation in the module docstring: every constraint holds, two of them with equality
    slacks = {(i, a, b): s for i, a, b, s in incentive_slacks(chicken(), result.probabilities)}
    assert slacks == {(0, 0, 1): 0, (0, 1, 0): F(1, 4), (1, 0, 1): 0, (1, 1, 0): F(1, 4)}


def test_aumanns_one_third_device_is_a_correlated_equilibrium_but_not_optimal():
    third = np.array([[F(1, 3), F(1, 3)], [F(1, 3), F(0)]], dtype=object)
    assert is_correlated_equilibrium(chicken(), third)
    welfare = sum(
        third[idx] * (chicken().payoffs[0][idx] + chicken().payoffs[1][idx]) for idx in np.ndindex(2, 2)
    )
    assert welfare == 10 < correlated_equilibrium(chicken(), ranges=False).welfare
    # (C, C) for sure is not: each would rather play D
    assert not is_correlated_equilibrium(chicken(), np.array([[F(1), F(0)], [F(0), F(0)]], dtype=object))


def test_chicken_payoff_ranges():
    ranges = payoff_ranges(chicken())
    assert ranges.exact and ranges.certified
    assert ranges.players == {"Row": (F(2), F(7)), "Column": (F(2), F(7))}
    assert ranges.welfare == (F(36, 5), F(21, 2))
    assert ranges.to_dict() == {"Row": [2, 7], "Column": [2, 7], "welfare": [7.2, 10.5]}
    assert ranges.exact_dict()["welfare"] == ["36/5", "21/2"]


def test_objective_a_player():
    result = correlated_equilibrium(chicken(), "Row", ranges=False)
    assert result.objective == "Row"
    assert result.payoffs[0] == 7
    assert correlated_equilibrium(chicken(), 1, ranges=False).payoffs[1] == 7


@pytest.mark.parametrize("bad", ["Nobody", 2, -1, True, 1.5])
def test_bad_objective(bad):
    with pytest.raises(GameError):
        correlated_equilibrium(chicken(), bad)


def test_nash_equilibria_are_correlated_equilibria():
    game = chicken()
    for profile in CHICKEN_NASH:
        dist = product_distribution(profile)
        assert dist.shape == (2, 2)
        assert sum(dist.flat) == 1
        assert is_correlated_equilibrium(game, dist)
    assert product_distribution(CHICKEN_NASH[2])[0, 0] == F(4, 9)


def test_comparison_with_nash():
    result = correlated_equilibrium(chicken())
    nash_payoffs = [(F(7), F(2)), (F(2), F(7)), (F(14, 3), F(14, 3))]
    comp = compare_with_nash(result, nash_payoffs)
    assert comp.exact and comp.beats_every_nash
    assert comp.best_nash_welfare == F(28, 3)
    assert comp.gain == F(7, 6)
    assert result.nash is comp
    assert result.to_dict()["nash_comparison"] == {
        "correlated_welfare": 10.5,
        "nash_welfare": [9, 9, 28 / 3],
        "best_nash_welfare": 28 / 3,
        "beats_every_nash": True,
        "gain": 7 / 6,
        "gain_exact": "7/6",
    }
    # with a player's objective the comparison still uses the best CE welfare
    other = correlated_equilibrium(chicken(), "Row")
    assert compare_with_nash(other, nash_payoffs).correlated_welfare == F(21, 2)
    # in the Prisoner's Dilemma the only CE is the Nash equilibrium: no gain
    pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    comp = compare_with_nash(correlated_equilibrium(pd), [(1, 1)])
    assert comp.beats_every_nash is False and comp.gain == 0


def test_to_dict_shape():
    data = correlated_equilibrium(chicken()).to_dict()
    json.dumps(data, allow_nan=False)
    assert data["game"] == "Aumann's Chicken"
    assert data["objective"] == "welfare"
    assert data["distribution"] == [
        {"profile": {"Row": "C", "Column": "C"}, "probability": 0.5, "exact": "1/2"},
        {"profile": {"Row": "C", "Column": "D"}, "probability": 0.25, "exact": "1/4"},
        {"profile": {"Row": "D", "Column": "C"}, "probability": 0.25, "exact": "1/4"},
    ]
    assert data["payoffs"] == {"Row": 5.25, "Column": 5.25}
    assert data["welfare"] == 10.5
    assert data["ranges"] == {"Row": [2, 7], "Column": [2, 7], "welfare": [7.2, 10.5]}
    assert data["exact"] is True
    assert data["welfare_exact"] == "21/2"
    assert data["payoffs_exact"] == {"Row": "21/4", "Column": "21/4"}


def test_three_players():
    # Three players each choose 0 or 1 and are paid 1 if all match; the CE maximising welfare is a
    # coordinated lottery (or a pure matching profile): welfare 3.  The least welfare, 3/4, is that
    # of the mixed Nash equilibrium (each plays 1/2; all match with probability 1/4).
    shape = (2, 2, 2)
    match = np.zeros(shape, dtype=int)
    match[0, 0, 0] = match[1, 1, 1] = 1
    game = Game.from_arrays(match, match, match, players=["A", "B", "C"])
    result = correlated_equilibrium(game)
    assert result.exact and result.welfare == 3
    assert set(result.distribution()) <= {("1", "1", "1"), ("2", "2", "2")}
    assert result.ranges.welfare == (F(3, 4), 3)
    assert result.ranges.certified


def test_irrational_game_falls_back_to_floats():
    game = Game.from_arrays([["sqrt(2)", 0], [2, 1]], [["sqrt(2)", 2], [0, 1]])
    result = correlated_equilibrium(game)
    assert not result.exact and result.tolerance > 0
    assert result.welfare == pytest.approx(2.0)
    assert is_correlated_equilibrium(game, result.probabilities)
    data = result.to_dict()
    assert data["exact"] is False and "exact" not in data["distribution"][0]
    json.dumps(data, allow_nan=False)


def test_identical_strategies():
    # a player with two identical strategies: the trivial constraints are dropped
    game = Game.from_arrays([[1, 1], [1, 1]], [[0, 1], [0, 1]])
    result = correlated_equilibrium(game)
    assert result.exact and result.welfare == 2


# -- properties -----------------------------------------------------------------------


@st.composite
def rational_games(draw):
    n = draw(st.integers(2, 3))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    if n == 3:
        shape = tuple(min(k, 2) for k in shape)
    size = int(np.prod(shape))
    denominator = draw(st.sampled_from([1, 1, 2, 3]))
    arrays = []
    for _ in range(n):
        values = draw(st.lists(st.integers(-4, 4), min_size=size, max_size=size))
        arrays.append(np.array([F(v, denominator) for v in values], dtype=object).reshape(shape))
    return Game.from_arrays(*arrays)


def pure_nash(game: Game) -> list[tuple[int, ...]]:
    out = []
    for prof in itertools.product(*(range(n) for n in game.shape)):
        if all(
            game.payoffs[(i,) + prof] >= game.payoffs[(i,) + prof[:i] + (t,) + prof[i + 1 :]]
            for i in range(game.n_players)
            for t in range(game.shape[i])
        ):
            out.append(prof)
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rational_games(), st.sampled_from(["welfare", 0, 1]))
def test_random_games_exact_and_ranges_contain_pure_nash(game, objective):
    result = correlated_equilibrium(game, objective)
    assert result.exact
    probs = list(result.probabilities.flat)
    assert all(type(p) is F and p >= 0 for p in probs) and sum(probs) == 1
    assert all(s >= 0 for *_, s in incentive_slacks(game, result.probabilities))
    assert result.ranges.exact
    for prof in pure_nash(game):
        pays = [game.payoffs[(i,) + prof] for i in range(game.n_players)]
        assert result.ranges.contains(pays)
        if objective == "welfare":
            assert result.welfare >= sum(pays)
        else:
            assert result.payoffs[objective] >= pays[objective]
    lo, hi = result.ranges.welfare
    assert lo <= result.welfare <= hi


# -- CLI ------------------------------------------------------------------------------

CHICKEN_YAML = """
title: Aumann's Chicken
players:
  Row: [C, D]
  Column: [C, D]
payoffs:
  Row: [[6, 2], [7, 0]]
  Column: [[6, 7], [2, 0]]
"""

THREE_YAML = """
title: Three players
players: {A: [a0, a1], B: [b0, b1], C: [c0, c1]}
default: 0
payoffs:
  - {profile: [a1, b1, c1], payoffs: [1, 1, 1]}
  - {profile: [a0, b0, c0], payoffs: ["1/2", 2, 3]}
"""


@pytest.fixture
def no_nash_solver(monkeypatch):
    monkeypatch.delattr(gametheory.solvers, "solve", raising=False)


@pytest.fixture
def fake_nash_solver(monkeypatch):
    class Eq:
        def __init__(self, payoffs):
            self.payoffs = payoffs

    class Found(list):
        complete = True

    def solve(game):
        return Found([Eq((F(7), F(2))), Eq((F(2), F(7))), Eq((F(14, 3), F(14, 3)))])

    monkeypatch.setattr(gametheory.solvers, "solve", solve, raising=False)


def test_cli_correlated_table(run_cli, game_file, no_nash_solver):
    result = run_cli("correlated", game_file(CHICKEN_YAML))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Correlated equilibrium maximising welfare" in out
    assert "Row \\ Column" in out
    lines = out.splitlines()
    row_c = next(line for line in lines if line.startswith("│ C "))
    row_d = next(line for line in lines if line.startswith("│ D "))
    assert [c.strip() for c in row_c.split("│")[2:4]] == ["1/2", "1/4"]
    assert [c.strip() for c in row_d.split("│")[2:4]] == ["1/4", "0"]
    assert "Expected payoffs: Row 21/4 (5.25), Column 21/4 (5.25)" in out
    assert "Welfare: 21/2 (10.5)" in out
    assert "Ranges over all correlated equilibria" in out
    welfare_row = next(line for line in lines if line.startswith("│ welfare"))
    assert "36/5 (7.2)" in welfare_row and "21/2 (10.5)" in welfare_row
    assert "Comparison with Nash equilibria: skipped" in out


def test_cli_correlated_compares_with_nash(run_cli, game_file, fake_nash_solver):
    out = run_cli("correlated", game_file(CHICKEN_YAML)).stdout
    assert "Comparison with 3 Nash equilibria:" in out
    assert "best correlated equilibrium: welfare 21/2 (10.5)" in out
    assert "best Nash equilibrium: welfare 28/3 (9.33333)" in out
    assert "the best correlated equilibrium beats every Nash equilibrium, by 7/6 (1.16667)" in out
    data = json.loads(run_cli("correlated", game_file(CHICKEN_YAML), "--format", "json").stdout)
    assert data["nash_comparison"]["beats_every_nash"] is True
    assert data["nash_comparison"]["gain_exact"] == "7/6"


def test_cli_correlated_json(run_cli, game_file, no_nash_solver):
    result = run_cli("correlated", game_file(CHICKEN_YAML), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    expected = correlated_equilibrium(chicken()).to_dict()
    expected["nash_comparison"] = None
    assert data == expected


def test_cli_correlated_player_objective_and_three_players(run_cli, game_file, no_nash_solver):
    path = game_file(THREE_YAML)
    result = run_cli("correlated", path, "--objective", "C")
    assert result.exit_code == 0, result.stderr
    assert "maximising C's payoff" in result.stdout
    assert "probability" in result.stdout  # N players: one row per profile
    data = json.loads(run_cli("correlated", path, "--objective", "C", "--format", "json").stdout)
    assert data["objective"] == "C"
    assert data["payoffs"]["C"] == 3
    assert data["distribution"] == [
        {"profile": {"A": "a0", "B": "b0", "C": "c0"}, "probability": 1.0, "exact": "1"}
    ]


def test_cli_correlated_bad_objective(run_cli, game_file):
    result = run_cli("correlated", game_file(CHICKEN_YAML), "--objective", "Nobody")
    assert result.exit_code == 2
    assert "unknown objective 'Nobody'" in result.stderr
    assert result.stdout == ""


def test_one_player_game_is_a_clear_error_not_a_crash(run_cli, game_file):
    path = game_file("players: {Me: [a, b]}\npayoffs: {Me: [1, 2]}\n", "one.yaml")
    result = run_cli("correlated", path)
    assert result.exit_code == 2
    assert "at least two players" in result.stderr and "Traceback" not in result.output
