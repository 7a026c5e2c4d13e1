"""Pure-strategy equilibria: strictness, exactness at near-ties, brute force, N players."""

from __future__ import annotations

import itertools
import time
from fractions import Fraction as F

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.model import Game
from gametheory.solvers import solve
from gametheory.solvers.pure import pure_equilibria, pure_equilibrium_profiles


def brute_force(game: Game) -> list[tuple[tuple[int, ...], bool]]:
    """Every profile checked one by one with exact payoffs: (profile, strict)."""
    out = []
    for s in game.profiles():
        ok, strict = True, True
        for i in range(game.n_players):
            own = game.payoffs[(i,) + s]
            for t in range(game.shape[i]):
                if t == s[i]:
                    continue
                other = game.payoffs[(i,) + s[:i] + (t,) + s[i + 1 :]]
                ok &= other <= own
                strict &= other < own
        if ok:
            out.append((s, strict))
    return out


def test_prisoners_dilemma_has_one_strict_equilibrium():
    game = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=[["C", "D"], ["C", "D"]])
    (eq,) = pure_equilibria(game)
    assert eq.profile == ((F(0), F(1)), (F(0), F(1)))
    assert eq.strict is True and eq.pure and eq.exact
    assert eq.payoffs == (F(1), F(1)) and eq.regret == (0, 0)


def test_weak_equilibria_are_not_strict():
    game = Game.from_arrays([[1, 1], [1, 0]], [[1, 1], [1, 0]])
    found = {tuple(x.index(1) for x in e.profile): e.strict for e in pure_equilibria(game)}
    assert found == {(0, 0): False, (0, 1): False, (1, 0): False}


def test_matching_pennies_has_none():
    assert pure_equilibria(Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])) == []


def test_near_ties_are_decided_exactly():
    # 1/3 and 1/3 + 1e-30 are the same float: only exact arithmetic tells them apart.
    tiny = F(1, 10**30)
    a = [[F(1, 3), 0], [F(1, 3) + tiny, 0]]
    b = [[1, 0], [1, 0]]
    game = Game.from_arrays(a, b)
    (eq,) = pure_equilibria(game)
    assert eq.profile == ((F(0), F(1)), (F(1), F(0))) and eq.strict is True
    game = Game.from_arrays([[F(1, 3), 0], [F(1, 3), 0]], b)  # an exact tie
    found = {tuple(x.index(1) for x in e.profile): e.strict for e in pure_equilibria(game)}
    assert found == {(0, 0): False, (1, 0): False}


def test_irrational_payoffs():
    game = Game.from_arrays([["sqrt(2)", 0], ["7/5", 0]], [[1, 0], [1, 0]])  # sqrt(2) > 1.4
    assert pure_equilibrium_profiles(game)[0] == (0, 0)
    assert (1, 0) not in pure_equilibrium_profiles(game)


def test_three_player_coordination():
    # everybody gets 1 when all three choose the same of three strategies, else 0
    shape = (3, 3, 3)
    pay = np.zeros((3,) + shape, dtype=int)
    for s in itertools.product(range(3), repeat=3):
        if len(set(s)) == 1:
            pay[(slice(None),) + s] = 1
    game = Game.from_arrays(*pay)
    found = {tuple(x.index(1) for x in e.profile): e.strict for e in pure_equilibria(game)}
    unanimous = {(k, k, k): True for k in range(3)}
    all_different = {p: False for p in itertools.permutations(range(3))}  # no single deviation helps
    assert found == unanimous | all_different
    result = solve(game, "pure")
    assert result.method == "pure" and result.complete is False


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(1, 3), min_size=1, max_size=4).flatmap(
        lambda shape: st.tuples(
            st.just(tuple(shape)),
            st.lists(
                st.integers(0, 3),
                min_size=len(shape) * int(np.prod(shape)),
                max_size=len(shape) * int(np.prod(shape)),
            ),
        )
    )
)
def test_pure_equilibria_equal_brute_force(data):
    shape, flat = data
    game = Game.from_arrays(*np.array(flat).reshape((len(shape),) + shape))
    got = [(tuple(x.index(1) for x in e.profile), e.strict) for e in pure_equilibria(game)]
    assert got == brute_force(game)


def test_five_players_eight_strategies_is_fast():
    rng = np.random.default_rng(0)
    game = Game.from_arrays(*rng.integers(0, 100, (5,) + (8,) * 5))
    pure_equilibria(game)  # warm the per-game caches
    best = min(_timed(lambda: pure_equilibria(game)) for _ in range(5))
    assert best < 0.025  # typically ~1 ms; generous for loaded CI machines
    assert [p for p, _ in brute_force_sampled(game)] == pure_equilibrium_profiles(game)


def _timed(f) -> float:
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


def brute_force_sampled(game: Game):
    """Brute force on the float payoffs (exact here: integer payoffs), vectorised per profile row."""
    arr = game.payoff_array
    out = []
    for s in itertools.product(*(range(n) for n in game.shape)):
        if all(
            arr[(i,) + s] >= arr[(i,) + s[:i] + (slice(None),) + s[i + 1 :]].max()
            for i in range(game.n_players)
        ):
            out.append((s, None))
    return out
