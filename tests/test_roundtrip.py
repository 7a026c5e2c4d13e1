"""Property tests: random games survive every format exactly."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.model import Game

names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("\"'\\{}[],:#&*!|>%@`"),
    min_size=1,
    max_size=8,
).filter(lambda s: s.strip() == s and s.strip())
tricky = st.sampled_from(["No", "yes", "On", "null", "~", "1", "0.5", "true", "Restrain", "Arm", "x y"])
numbers = st.one_of(
    st.integers(-(10**12), 10**12),
    st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6),
    st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False).map(Fraction),
)


@st.composite
def games(draw):
    n = draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    players = draw(st.lists(names | tricky, min_size=n, max_size=n, unique=True))
    strategies = [draw(st.lists(names | tricky, min_size=k, max_size=k, unique=True)) for k in shape]
    size = int(np.prod(shape)) * n
    flat = draw(st.lists(numbers, min_size=size, max_size=size))
    payoffs = np.array(flat, dtype=object).reshape((n,) + shape)
    title = draw(st.text(max_size=20))
    return Game.from_arrays(*payoffs, players=players, strategies=strategies, title=title)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games())
def test_random_games_round_trip_exactly(game):
    for fmt in ("yaml", "toml", "json"):
        again = gt.loads(gt.dumps(game, fmt), fmt, f"random.{fmt}")
        assert again == game, fmt
        assert again.title == game.title
    texts = [game.title, *game.players, *(s for ss in game.strategies for s in ss)]
    if any(t.endswith("\\") for t in texts):
        return  # .nfg has no way to write a trailing backslash (only \" is an escape)
    again = gt.loads(gt.dumps(game, "nfg"), "nfg", "random.nfg")
    assert again.same_payoffs(game)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(-5, 5), min_size=4, max_size=4),
    st.fractions(min_value=-3, max_value=3, max_denominator=5),
)
def test_parameterised_game_round_trips_and_substitutes(entries, g):
    text = f"""
parameters:
  g: {{value: 1, range: [-3, 3]}}
define:
  T: g * 2 + {entries[0]}
players: {{A: [C, D], B: [C, D]}}
symmetric: true
payoffs: [[{entries[1]}, "{entries[2]} - g"], [T, "max(g, {entries[3]})"]]
"""
    game = gt.loads(text, "yaml").with_parameters(g=g)
    assert game.payoffs[0, 1, 0] == 2 * g + entries[0]
    assert game.payoffs[1, 0, 1] == 2 * g + entries[0]
    assert game.payoffs[0, 1, 1] == max(g, entries[3])
    for fmt in ("yaml", "toml", "json"):
        again = gt.loads(gt.dumps(game, fmt), fmt)
        assert again == game
        assert again.values["g"] == g
    # the vectorised numeric form agrees with the exact one
    grid = game.numeric_payoffs(g=[float(g)])[0]
    assert np.allclose(grid, game.payoff_array)
