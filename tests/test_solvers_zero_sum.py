"""Zero-sum games by linear programming, with exact values."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.errors import GameError
from gametheory.model import Game
from gametheory.solvers import solve
from gametheory.solvers.enumeration import enumerate_equilibria
from gametheory.solvers.zero_sum import is_constant_sum, solve_zero_sum


def zero_sum(a) -> Game:
    a = np.asarray(a, dtype=object)
    return Game.from_arrays(a, -a)


def test_matching_pennies_value_zero():
    result = solve_zero_sum(zero_sum([[1, -1], [-1, 1]]))
    assert result.details["value"] == 0
    (eq,) = result.equilibria
    assert eq.exact and eq.profile == ((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))


def test_rock_paper_scissors():
    result = solve(zero_sum([[0, -1, 1], [1, 0, -1], [-1, 1, 0]]), "zero-sum")
    assert result.details["value"] == 0
    assert result.equilibria[0].profile == ((F(1, 3),) * 3, (F(1, 3),) * 3)


def test_exact_fractional_value():
    # value (ad - bc) / (a + d - b - c) = (3*4 - 1*2) / (3 + 4 - 1 - 2) = 10/4
    result = solve_zero_sum(zero_sum([[3, 1], [2, 4]]))
    assert result.details["value"] == F(5, 2)
    assert type(result.details["value"]) is F
    assert result.equilibria[0].profile == ((F(1, 2), F(1, 2)), (F(3, 4), F(1, 4)))


def test_saddle_point():
    result = solve_zero_sum(zero_sum([[4, 2, 5], [1, 0, 3], [6, 1, 2]]))
    assert result.details["value"] == 2
    assert result.equilibria[0].pure


def test_constant_sum():
    a = np.array([[3, 1], [2, 4]])
    game = Game.from_arrays(a, 10 - a)
    assert is_constant_sum(game)
    result = solve_zero_sum(game)
    assert result.details["value"] == F(5, 2) and result.details["column_value"] == F(15, 2)


def test_not_zero_sum():
    game = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert not is_constant_sum(game)
    with pytest.raises(GameError, match="constant-sum"):
        solve_zero_sum(game)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.data())
def test_value_agrees_with_enumeration(m, n, data):
    a = np.array(data.draw(st.lists(st.integers(-9, 9), min_size=m * n, max_size=m * n))).reshape(m, n)
    game = zero_sum(a)
    result = solve_zero_sum(game)
    assert result.equilibria[0].exact
    value = result.details["value"]
    # every equilibrium of a zero-sum game pays the value
    assert {e.payoffs[0] for e in enumerate_equilibria(game).equilibria} == {value}
