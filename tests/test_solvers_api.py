"""``solve``: method dispatch, results and their JSON shape."""

from __future__ import annotations

import json
from fractions import Fraction as F

import numpy as np
import pytest

from gametheory.errors import GameError
from gametheory.model import Game
from gametheory.solvers import METHODS, SolveResult, enumeration_is_practical, solve

PD = Game.from_arrays(
    [[3, 0], [5, 1]],
    [[3, 5], [0, 1]],
    players=["Row", "Column"],
    strategies=[["C", "D"], ["C", "D"]],
    title="Prisoner's Dilemma",
)


@pytest.mark.parametrize("method", ["auto", "pure", "enumeration", "vertex-enumeration", "lemke-howson"])
def test_methods_find_the_prisoners_dilemma_equilibrium(method):
    result = solve(PD, method)
    assert isinstance(result, SolveResult)
    assert [e.profile for e in result.equilibria] == [((F(0), F(1)), (F(0), F(1)))]


def test_method_names_and_completeness():
    assert solve(PD).method == "vertex-enumeration" and solve(PD).complete
    assert solve(PD, "pure").method == "pure" and not solve(PD, "pure").complete
    assert not solve(PD, "lemke-howson").complete
    mp = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    assert solve(mp, "zero-sum").method == "zero-sum"
    assert set(METHODS) == {"auto", "pure", "enumeration", "lemke-howson", "zero-sum", "nplayer", "logit"}
    with pytest.raises(GameError, match="unknown method"):
        solve(PD, "magic")


def test_auto_uses_lemke_howson_for_large_games():
    assert enumeration_is_practical(12, 12) and enumeration_is_practical(3, 400)
    assert not enumeration_is_practical(30, 30)
    rng = np.random.default_rng(1)
    game = Game.from_arrays(rng.integers(0, 100, (30, 30)), rng.integers(0, 100, (30, 30)))
    result = solve(game)
    assert result.method == "lemke-howson" and not result.complete and result.equilibria


def test_n_player_auto_enumerates_small_games_and_reports_continua():
    # every profile of a constant game is an equilibrium: one component, the 8 pure profiles its extreme points
    game = Game.from_arrays(*np.ones((3, 2, 2, 2), dtype=int))
    result = solve(game)
    assert result.method == "polynomial-support-enumeration"
    assert result.degenerate and result.components == [list(range(8))]
    assert sorted(e.pure for e in result.equilibria) == [True] * 8


def test_n_player_auto_falls_back_to_pure_and_logit_for_large_games():
    rng = np.random.default_rng(0)
    game = Game.from_arrays(*rng.integers(0, 10, (5, 2, 2, 2, 2, 2)))
    result = solve(game)
    assert result.method == "pure+logit" and result.complete is False
    assert "others may exist" in result.details["note"]
    pure = solve(game, "pure").equilibria
    assert len(result.equilibria) >= len(pure)
    for e in result.equilibria:
        assert max(float(r) for r in e.regret) <= result.tolerance


def test_to_dict_is_json_with_parameters_as_numbers():
    game = Game.from_arrays(
        [["R", "S"], ["T", "P"]],
        [["R", "T"], ["S", "P"]],
        parameters={"R": 3, "S": 0, "T": 5, "P": F(1, 2)},
        players=["A", "B"],
        strategies=[["C", "D"], ["C", "D"]],
    )
    out = solve(game).to_dict()
    assert out["parameters"] == {"R": 3, "S": 0, "T": 5, "P": 0.5}
    assert isinstance(out["parameters"]["R"], int)
    assert out["equilibria"][0]["exact"] == {"A": {"C": "0", "D": "1"}, "B": {"C": "0", "D": "1"}}
    assert "components" not in out
    json.loads(json.dumps(out))


def test_float_results_have_no_exact_key():
    game = Game.from_arrays([["sqrt(2)", 0], [0, 1]], [[1, 0], [0, "sqrt(2)"]])
    out = solve(game).to_dict()
    mixed = [e for e in out["equilibria"] if not e["pure"]]
    assert mixed and all("exact" not in e for e in mixed)


def test_repr_and_html():
    result = solve(PD)
    assert "1 equilibrium" in repr(result)
    assert "<table>" in result._repr_html_()
    assert len(result) == 1 and result[0].pure and list(result) == result.equilibria


def test_von_stengel_degenerate_variant():
    """von Stengel (2007, Nisan et al. ch. 3.6): B[0][1] = 3 makes the 3x2 example degenerate.

    Against the top row the column player is indifferent, so the top row with any
    y with y_2 <= 1/3 is an equilibrium (worked out by hand: row 1 earns 3, row 2
    earns 2 y_1 + 5 y_2 <= 3 iff y_2 <= 1/3, row 3 earns 6 y_2): one component with
    extreme points (e1, (1, 0)) and (e1, (2/3, 1/3)); the equilibrium
    ((0, 1/3, 2/3), (1/3, 2/3)) stays isolated.
    """
    game = Game.from_arrays([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
    result = solve(game)
    assert result.degenerate and result.complete
    found = {tuple(tuple(x) for x in e.profile) for e in result.equilibria}
    top = (F(1), F(0), F(0))
    expected = {
        (top, (F(1), F(0))),
        (top, (F(2, 3), F(1, 3))),
        ((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
    }
    assert found == expected
    comps = sorted(
        sorted(tuple(tuple(x) for x in result.equilibria[i].profile) for i in c) for c in result.components
    )
    assert comps == sorted([sorted([(top, (F(1), F(0))), (top, (F(2, 3), F(1, 3)))]),
                            [((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3)))]])
