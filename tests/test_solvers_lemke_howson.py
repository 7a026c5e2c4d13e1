"""Lemke-Howson from every starting label."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from gametheory.errors import GameError
from gametheory.model import Game
from gametheory.solvers import regret
from gametheory.solvers.enumeration import enumerate_equilibria
from gametheory.solvers.lemke_howson import lemke_howson
from tests.test_solvers_cases import as_set, cases, random_bimatrix

CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_endpoint_is_an_extreme_equilibrium(case):
    result = lemke_howson(case.game)
    assert result.method == "lemke-howson" and not result.complete
    assert result.equilibria
    assert as_set(result) <= case.equilibria
    assert all(e.exact for e in result.equilibria)
    assert all(v is not None for v in result.details["paths"].values())


def test_von_stengel_paths():
    # von Stengel (2007), fig. 3.3: dropping label 2 (row strategy 3) leads to the pure equilibrium
    game = Game.from_arrays([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
    result = lemke_howson(game)
    reached = {k: result.equilibria[i].profile for k, i in result.details["paths"].items()}
    assert reached[0] == ((F(1), F(0), F(0)), (F(1), F(0)))
    assert set(reached.values()) <= as_set(enumerate_equilibria(game))
    # the mixed equilibrium (4/5, 1/5, 0; 2/3, 1/3) has index -1 and is not reached from (0, 0)
    assert ((F(4, 5), F(1, 5), F(0)), (F(2, 3), F(1, 3))) not in set(reached.values())


def test_single_label_and_bad_label():
    game = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    result = lemke_howson(game, labels=[3])
    assert result.equilibria[0].profile == ((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))
    with pytest.raises(GameError):
        lemke_howson(game, labels=[4])


def test_random_games_endpoints_are_equilibria():
    rng = np.random.default_rng(3)
    for _ in range(30):
        m, n = (int(v) for v in rng.integers(1, 7, 2))
        game = random_bimatrix(rng, m, n, int(rng.choice([2, 3, 100])))
        result = lemke_howson(game)
        extreme = as_set(enumerate_equilibria(game))
        assert result.equilibria and as_set(result) <= extreme
        for e in result.equilibria:
            assert regret(game, e.profile) == (0, 0)


def test_larger_game_exact():
    rng = np.random.default_rng(11)
    game = random_bimatrix(rng, 40, 40, 100)
    result = lemke_howson(game, labels=range(0, 80, 8))
    assert result.equilibria and all(e.exact for e in result.equilibria)


def test_matches_pygambit_equilibria():
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(5)
    for _ in range(10):
        a, b = rng.integers(0, 50, (5, 4)), rng.integers(0, 50, (5, 4))
        g = gbt.Game.from_arrays(a, b)
        theirs = {
            tuple(tuple(F(str(eq[s])) for s in player.strategies) for player in g.players)
            for eq in gbt.nash.enummixed_solve(g, rational=True).equilibria
        }
        assert as_set(lemke_howson(Game.from_arrays(a, b))) <= theirs
