"""Vertex enumeration: published equilibrium sets, components, pygambit, and properties."""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gametheory.errors import GameError
from gametheory.model import Game
from gametheory.solvers import regret, solve
from gametheory.solvers.enumeration import enumerate_equilibria
from tests.test_solvers_cases import GAMBIT_GAMES, as_set, cases, random_bimatrix

CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_published_equilibrium_sets(case):
    result = enumerate_equilibria(case.game)
    assert as_set(result) == case.equilibria
    assert len(result.equilibria) == len(case.equilibria)  # no duplicates
    assert result.complete and result.method == "vertex-enumeration"
    assert all(e.exact for e in result.equilibria)
    assert result.degenerate == case.degenerate
    if case.degenerate:
        got = [{result.equilibria[k].profile for k in comp} for comp in result.components]
        assert sorted(map(sorted, got)) == sorted(map(sorted, case.components))
    else:
        assert result.components is None


@pytest.mark.parametrize("n", range(2, 7))
def test_identity_coordination_has_2n_minus_1_equilibria(n):
    eye = np.eye(n, dtype=int)
    assert len(enumerate_equilibria(Game.from_arrays(eye, eye))) == 2**n - 1


def test_von_stengel_payoffs_and_purity():
    game = Game.from_arrays([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
    result = enumerate_equilibria(game)
    by_profile = {e.profile: e for e in result.equilibria}
    mixed = by_profile[((F(4, 5), F(1, 5), F(0)), (F(2, 3), F(1, 3)))]
    assert mixed.payoffs == (F(3), F(14, 5))
    assert not mixed.pure
    assert by_profile[((F(1), F(0), F(0)), (F(1), F(0)))].pure


def test_degenerate_components_separate():
    # e04-like: two components, one a segment and one isolated point
    game = Game.from_arrays([[1, 1, 0], [0, 0, 1]], [[1, 1, 0], [0, 0, 1]])
    result = enumerate_equilibria(game)
    assert result.degenerate
    sizes = sorted(len(c) for c in result.components)
    assert sum(sizes) == len(result.equilibria)
    assert all(sorted(c) == c for c in result.components)


def test_rejects_more_than_two_players():
    game = Game.from_arrays(*np.zeros((3, 2, 2, 2), dtype=int))
    with pytest.raises(GameError, match="two-player"):
        enumerate_equilibria(game)


def test_irrational_payoffs_are_solved_in_floats():
    game = Game.from_arrays([["sqrt(2)", 0], [0, 1]], [[1, 0], [0, "sqrt(2)"]])
    result = enumerate_equilibria(game)
    assert len(result.equilibria) == 3
    assert not any(e.exact for e in result.equilibria if not e.pure)
    mixed = next(e for e in result.equilibria if not e.pure)
    r2 = 2**0.5
    assert mixed.profile[0][0] == pytest.approx(r2 / (1 + r2))


def test_to_dict_matches_design_shape():
    game = Game.from_arrays(
        [[0, -3], [-1, -1]],
        [[0, -1], [-3, -1]],
        players=["NATO", "Russia"],
        strategies=[["Restrain", "Arm"], ["Restrain", "Arm"]],
        title="Security dilemma",
    )
    out = solve(game).to_dict()
    assert list(out) == ["game", "players", "strategies", "parameters", "method", "degenerate", "equilibria"]
    assert out["game"] == "Security dilemma"
    assert out["strategies"] == {"NATO": ["Restrain", "Arm"], "Russia": ["Restrain", "Arm"]}
    assert out["method"] == "vertex-enumeration" and out["degenerate"] is False
    first = out["equilibria"][0]
    assert list(first) == ["profile", "exact", "payoffs", "pure"]
    assert first["profile"] == {
        "NATO": {"Restrain": 1.0, "Arm": 0.0},
        "Russia": {"Restrain": 1.0, "Arm": 0.0},
    }
    assert first["exact"] == {"NATO": {"Restrain": "1", "Arm": "0"}, "Russia": {"Restrain": "1", "Arm": "0"}}
    assert first["payoffs"] == {"NATO": 0.0, "Russia": 0.0} and first["pure"] is True
    mixed = next(e for e in out["equilibria"] if not e["pure"])
    assert mixed["exact"]["NATO"] == {"Restrain": "2/3", "Arm": "1/3"}
    json.dumps(out)  # plain JSON types only


def test_to_dict_components_for_degenerate_games():
    game = Game.from_arrays([[1, 1], [0, 0], [0, 2]], [[1, 1], [2, 3], [2, 0]])
    out = solve(game, "enumeration").to_dict()
    assert out["degenerate"] is True
    assert out["components"] == [[0, 1]]


# --- cross-checks against pygambit -------------------------------------------------------------


def _gambit_set(g) -> set:
    import pygambit as gbt

    result = gbt.nash.enummixed_solve(g, rational=True)
    return {
        tuple(tuple(F(str(eq[s])) for s in player.strategies) for player in g.players)
        for eq in result.equilibria
    }


def _two_player_nfg_files() -> list[Path]:
    files = sorted(GAMBIT_GAMES.glob("*.nfg")) + sorted((GAMBIT_GAMES / "catalog").glob("*.nfg"))
    out = []
    for f in files:
        head = f.read_text(errors="replace")[:400]
        if "{" in head and _players_in_header(head) == 2:
            out.append(f)
    return out


def _players_in_header(head: str) -> int:
    brace = head[head.index("{") : head.index("}") + 1]
    return brace.count('"') // 2


def _load(path: Path) -> Game:
    try:
        from gametheory.formats.nfg import read_nfg
    except ImportError:  # pragma: no cover - the reader is written concurrently
        import pygambit as gbt

        g = gbt.read_nfg(str(path))
        p1, p2 = list(g.players)
        a = [[F(str(g[s1, s2][p1])) for s2 in p2.strategies] for s1 in p1.strategies]
        b = [[F(str(g[s1, s2][p2])) for s2 in p2.strategies] for s1 in p1.strategies]
        return Game.from_arrays(a, b)
    return read_nfg(path.read_text(), str(path))


GAMBIT_FILES = _two_player_nfg_files() if GAMBIT_GAMES.is_dir() else []


@pytest.mark.skipif(not GAMBIT_FILES, reason="the gambit-games corpus is not available")
@pytest.mark.parametrize("path", GAMBIT_FILES, ids=[p.name for p in GAMBIT_FILES])
def test_gambit_corpus_matches_pygambit_enummixed(path):
    gbt = pytest.importorskip("pygambit")
    ours = enumerate_equilibria(_load(path))
    assert as_set(ours) == _gambit_set(gbt.read_nfg(str(path)))
    assert len(ours.equilibria) == len(as_set(ours))


@pytest.mark.parametrize("seed", range(6))
def test_random_games_match_pygambit(seed):
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(seed)
    for _ in range(10):
        m, n = (int(v) for v in rng.integers(1, 6, 2))
        high = int(rng.choice([2, 3, 4, 10, 100]))
        a, b = rng.integers(0, high, (m, n)), rng.integers(0, high, (m, n))
        ours = enumerate_equilibria(Game.from_arrays(a, b))
        assert as_set(ours) == _gambit_set(gbt.Game.from_arrays(a, b)), (a.tolist(), b.tolist())


# --- properties --------------------------------------------------------------------------------

small_ints = st.integers(0, 3)


@st.composite
def bimatrix(draw, max_size: int = 4, values=small_ints):
    m = draw(st.integers(1, max_size))
    n = draw(st.integers(1, max_size))
    a = draw(st.lists(st.lists(values, min_size=n, max_size=n), min_size=m, max_size=m))
    b = draw(st.lists(st.lists(values, min_size=n, max_size=n), min_size=m, max_size=m))
    return np.array(a), np.array(b)


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(bimatrix(values=st.integers(-20, 20)))
def test_every_reported_profile_has_exact_zero_regret(ab):
    game = Game.from_arrays(*ab)
    result = enumerate_equilibria(game)
    assert result.equilibria  # every finite game has an equilibrium
    for e in result.equilibria:
        assert e.exact
        assert regret(game, e.profile) == (0, 0)
        assert all(sum(x) == 1 and min(x) >= 0 for x in e.profile)


@PROPERTY
@given(bimatrix(), st.randoms(use_true_random=False))
def test_invariant_under_permuting_strategies(ab, rnd):
    a, b = ab
    m, n = a.shape
    rows = list(range(m))
    cols = list(range(n))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    base = enumerate_equilibria(Game.from_arrays(a, b))
    permuted = enumerate_equilibria(Game.from_arrays(a[np.ix_(rows, cols)], b[np.ix_(rows, cols)]))
    mapped = {(tuple(x[i] for i in rows), tuple(y[j] for j in cols)) for x, y in as_set(base)}
    assert as_set(permuted) == mapped
    assert permuted.degenerate == base.degenerate
    assert sorted(map(len, permuted.components or [])) == sorted(map(len, base.components or []))


@PROPERTY
@given(bimatrix())
def test_invariant_under_swapping_players(ab):
    a, b = ab
    base = enumerate_equilibria(Game.from_arrays(a, b))
    swapped = enumerate_equilibria(Game.from_arrays(b.T, a.T))
    assert as_set(swapped) == {(y, x) for x, y in as_set(base)}
    assert swapped.degenerate == base.degenerate


@settings(max_examples=40, deadline=None)
@given(bimatrix(max_size=5))
def test_random_degenerate_games_match_pygambit(ab):
    gbt = pytest.importorskip("pygambit")
    a, b = ab
    assert as_set(enumerate_equilibria(Game.from_arrays(a, b))) == _gambit_set(gbt.Game.from_arrays(a, b))


def test_larger_random_games_are_exact_and_verified():
    rng = np.random.default_rng(7)
    for m, n in [(8, 8), (10, 10), (3, 60), (12, 5)]:
        game = random_bimatrix(rng, m, n, 100)
        result = enumerate_equilibria(game)
        assert result.equilibria and all(e.exact for e in result.equilibria)
        assert len(result.equilibria) % 2 == 1 or result.degenerate  # odd in nondegenerate games


@PROPERTY
@given(bimatrix(max_size=5, values=st.integers(0, 4)))
def test_qhull_and_exact_pivoting_agree(ab):
    game = Game.from_arrays(*ab)
    by_qhull = enumerate_equilibria(game, vertices="qhull")
    by_pivoting = enumerate_equilibria(game, vertices="pivoting")
    assert as_set(by_qhull) == as_set(by_pivoting)
    assert by_qhull.degenerate == by_pivoting.degenerate
    assert sorted(map(len, by_qhull.components or [])) == sorted(map(len, by_pivoting.components or []))


ILL_CONDITIONED = [
    # payoffs 1 apart in a range of 10^6 and 10^9: float labels alone get these wrong
    ([[1, 1, 0, 0, 10**6], [1, 10**6, 10**6, 1, 10**6]], [[1, 0, 0, 1, 0], [0, 1, 1, 1, 1]]),
    ([[0, 10**9], [10**9, 10**9], [10**9, 2]], [[-(10**9), -(10**9)], [1, 1], [0, 1]]),
    (
        [[10**6, 0, 1, 10**6, 0], [10**6, 1, 0, 0, 0], [0, 10**6, 0, 1, 1]],
        [[10**6, 0, 0, 1, 0], [1, 0, 0, 1, 0], [0, 1, 1, 0, 0]],
    ),
]


@pytest.mark.parametrize("a, b", ILL_CONDITIONED)
def test_ill_conditioned_games_match_pygambit(a, b):
    gbt = pytest.importorskip("pygambit")
    game = Game.from_arrays(a, b)
    result = enumerate_equilibria(game)
    assert result.details["vertex_method"] == "pivoting"
    a, b = np.array(a, dtype=object), np.array(b, dtype=object)
    assert as_set(result) == _gambit_set(gbt.Game.from_arrays(a, b))


def test_huge_payoffs_agree_between_methods():
    rng = np.random.default_rng(2)
    for _ in range(10):
        a = rng.integers(0, 10**12, (4, 5)).astype(object)
        b = rng.integers(0, 3, (4, 5)).astype(object)
        game = Game.from_arrays(a, b)
        assert as_set(enumerate_equilibria(game, vertices="qhull")) == as_set(enumerate_equilibria(game))


def test_unknown_vertex_method():
    with pytest.raises(GameError, match="vertex method"):
        enumerate_equilibria(Game.from_arrays([[1]], [[1]]), vertices="magic")
