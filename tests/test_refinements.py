"""Analyses around the equilibrium set: efficiency, dominance, maxmin, perfection, ESS."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from gametheory.model import Game
from gametheory.solvers.enumeration import enumerate_equilibria
from gametheory.solvers.refinements import analyse, analysis_to_dict, maxmin


def sym(a, names=("C", "D")):
    """A symmetric two-player game from the row player's matrix."""
    import numpy as np

    a = np.asarray(a, dtype=object)
    return Game.from_arrays(a, a.T, players=["P1", "P2"], strategies=[list(names), list(names)])


def solved(game):
    result = enumerate_equilibria(game)
    return result, analyse(result)


def index_of(result, profile):
    for k, e in enumerate(result.equilibria):
        if [list(x) for x in e.profile] == [list(map(F, x)) for x in profile]:
            return k
    raise AssertionError(f"{profile} not found")


def test_stag_hunt_payoff_versus_risk_dominance():
    # R=4, T=3, P=2, S=0: R - T = 1 < P - S = 2, so Hare risk-dominates, Stag payoff-dominates
    result, a = solved(sym([[4, 0], [3, 2]], ("Stag", "Hare")))
    stag = index_of(result, [[1, 0], [1, 0]])
    hare = index_of(result, [[0, 1], [0, 1]])
    assert a["payoff_dominant"] == stag
    assert a["risk_dominance"]["risk_dominant"] == hare
    assert sorted(a["risk_dominance"]["deviation_loss_products"]) == [1, 4]
    assert a["pareto_efficient"][stag] and not a["pareto_efficient"][hare]
    assert a["ess"][stag] and a["ess"][hare]
    mixed = index_of(result, [[F(2, 3), F(1, 3)], [F(2, 3), F(1, 3)]])
    assert a["ess"][mixed] is False  # the mixed equilibrium of a coordination game is unstable
    assert a["welfare"][mixed] == F(16, 3)


def test_stag_hunt_risk_dominance_flips_with_the_payoffs():
    # R=5, T=3, P=2, S=1: R - T = 2 > P - S = 1, now Stag is also risk-dominant
    result, a = solved(sym([[5, 1], [3, 2]], ("Stag", "Hare")))
    assert a["risk_dominance"]["risk_dominant"] == index_of(result, [[1, 0], [1, 0]])


def test_prisoners_dilemma_inefficiency_and_price_of_anarchy():
    result, a = solved(sym([[3, 0], [5, 1]]))
    assert len(result.equilibria) == 1
    assert a["pareto_efficient"] == [False]  # (C, C) gives both more
    assert a["welfare_optimum"] == {"welfare": 6, "profiles": [(0, 0)]}
    assert a["price_of_anarchy"] == 3
    assert a["maxmin"][0]["value"] == 1 and a["maxmin"][0]["exact"]


def test_hawk_dove_mixed_ess_plays_hawk_with_v_over_c():
    v, c = F(2), F(6)
    result, a = solved(sym([[(v - c) / 2, v], [0, v / 2]], ("Hawk", "Dove")))
    mixed = index_of(result, [[v / c, 1 - v / c], [v / c, 1 - v / c]])
    assert a["symmetric"][mixed] and a["ess"][mixed] is True
    assert [a["ess"][k] for k, s in enumerate(a["symmetric"]) if not s] == [False, False]


def test_rock_paper_scissors_has_no_ess():
    result, a = solved(sym([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], ("R", "P", "S")))
    assert len(result.equilibria) == 1
    assert a["ess"] == [False]
    assert a["maxmin"][0]["value"] == 0
    assert a["maxmin"][0]["strategy"] == (F(1, 3), F(1, 3), F(1, 3))


def test_weakly_dominated_equilibrium_is_not_perfect():
    # (Bottom, Right) is a Nash equilibrium in weakly dominated strategies
    game = Game.from_arrays([[1, 0], [0, 0]], [[1, 0], [0, 0]],
                            strategies=[["Top", "Bottom"], ["Left", "Right"]])
    result, a = solved(game)
    tl = index_of(result, [[1, 0], [1, 0]])
    br = index_of(result, [[0, 1], [0, 1]])
    assert a["undominated"][tl] is True
    assert a["undominated"][br] is False


@pytest.mark.parametrize(
    "matrix, value",
    [
        ([[1, -1], [-1, 1]], F(0)),  # matching pennies
        ([[3, -1, 0], [-2, 4, 1]], F(1, 2)),  # 2x3: max_x min(5x - 2, 4 - 5x, 1 - x) at x = 1/2
    ],
)
def test_maxmin_against_hand_computed_lps(matrix, value):
    import numpy as np

    a = np.asarray(matrix, dtype=object)
    game = Game.from_arrays(a, -a)
    m = maxmin(game, 0)
    assert m["exact"] and m["value"] == value
    # the strategy really guarantees the value against every column
    x = m["strategy"]
    assert min(sum(x[i] * a[i, j] for i in range(a.shape[0])) for j in range(a.shape[1])) == value


def test_analysis_json_has_exact_strings():
    result, a = solved(sym([[4, 0], [3, 2]], ("Stag", "Hare")))
    d = analysis_to_dict(result.game, a)
    assert d["maxmin"]["P1"] == {"value": 2.0, "exact": "2", "strategy": {"Stag": 0.0, "Hare": 1.0}}
    assert d["risk_dominance"]["risk_dominant"] == a["risk_dominance"]["risk_dominant"]
