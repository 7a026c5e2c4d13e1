"""Regret and equilibrium checks: exact for exact profiles, tolerant for floats."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from gametheory.errors import GameError
from gametheory.model import Game
from gametheory.solvers.verify import certify, evaluate, is_equilibrium, regret

VON_STENGEL = Game.from_arrays([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])


def test_exact_regret_of_an_equilibrium_is_zero():
    profile = ((F(4, 5), F(1, 5), F(0)), (F(2, 3), F(1, 3)))
    assert regret(VON_STENGEL, profile) == (0, 0)
    assert all(type(r) is F for r in regret(VON_STENGEL, profile))
    assert is_equilibrium(VON_STENGEL, profile)


def test_exact_regret_of_a_non_equilibrium():
    # row plays the first strategy, column the second: row gets 3, could get 6
    profile = ((1, 0, 0), (0, 1))
    assert regret(VON_STENGEL, profile) == (F(3), F(1))
    assert not is_equilibrium(VON_STENGEL, profile)


def test_exact_near_miss_is_not_an_equilibrium():
    # one part in 10^20 off the mixed equilibrium: floats cannot see it, exact arithmetic can
    eps = F(1, 10**20)
    profile = ((F(4, 5) + eps, F(1, 5) - eps, F(0)), (F(2, 3), F(1, 3)))
    assert max(regret(VON_STENGEL, profile)) > 0
    assert not is_equilibrium(VON_STENGEL, profile)
    floats = tuple(tuple(float(p) for p in x) for x in profile)
    assert is_equilibrium(VON_STENGEL, floats)  # within the float tolerance


def test_float_profiles_give_float_regret():
    profile = ((0.8, 0.2, 0.0), (2 / 3, 1 / 3))
    r = regret(VON_STENGEL, profile)
    assert all(isinstance(v, float) for v in r)
    assert max(r) < 1e-12


def test_payoffs_of_a_mixed_profile():
    pays, regrets, exact = evaluate(VON_STENGEL, ((F(4, 5), F(1, 5), 0), (F(2, 3), F(1, 3))))
    assert exact and pays == (F(3), F(14, 5)) and regrets == (0, 0)


def test_three_player_mixed_regret():
    # Jordan-style 3-player matching pennies: uniform mixing is the equilibrium
    pay = np.zeros((3, 2, 2, 2), dtype=int)
    for a in range(2):
        for b in range(2):
            for c in range(2):
                pay[0, a, b, c] = 1 if a == b else -1
                pay[1, a, b, c] = 1 if b == c else -1
                pay[2, a, b, c] = 1 if c != a else -1
    game = Game.from_arrays(*pay)
    half = (F(1, 2), F(1, 2))
    assert regret(game, (half, half, half)) == (0, 0, 0)
    assert max(regret(game, ((1, 0), half, half))) == 0 or not is_equilibrium(game, ((1, 0), (1, 0), half))


def test_bad_profiles():
    with pytest.raises(GameError):
        regret(VON_STENGEL, ((1, 0, 0),))
    with pytest.raises(GameError):
        regret(VON_STENGEL, ((1, 0), (1, 0)))
    with pytest.raises(GameError):
        regret(VON_STENGEL, ((F(1, 2), 0, 0), (1, 0)))  # does not sum to 1
    assert not is_equilibrium(VON_STENGEL, ((F(3, 2), F(-1, 2), 0), (1, 0)))
    assert certify(VON_STENGEL, ((1, 0, 0), (0, 1))) is None


def test_certify_builds_an_equilibrium():
    eq = certify(VON_STENGEL, ((1, 0, 0), (1, 0)))
    assert eq is not None and eq.exact and eq.pure and eq.payoffs == (3, 3)
    assert eq.profile == ((F(1), F(0), F(0)), (F(1), F(0)))


def test_irrational_payoffs_exact_regret():
    game = Game.from_arrays([["sqrt(2)", 0], [0, 1]], [[1, 0], [0, "sqrt(2)"]])
    assert regret(game, ((1, 0), (1, 0))) == (0, 0)
    r = regret(game, ((0, 1), (1, 0)))
    assert float(r[0]) == pytest.approx(2**0.5)
