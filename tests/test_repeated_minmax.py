"""Mixed minmax values against independently mixing punishers (N > 2 players), exactly.

The minmax value of player i (Fudenberg & Tirole 1991, sec. 5.1) minimises i's best payoff
over the others' *independent* mixtures: a nonconvex problem for two or more punishers.
Checked here:

* hand-solved games: two inspectors who catch a violator only when both search its site
  (independent 3/4 strictly between the correlated 1/2 and the pure 1), and a game whose
  value and punishment are quadratic surds;
* the literature files (Jordan's three-player matching pennies, McKelvey & McLennan's
  2x2x2 game) and the illustrative missile-defence game;
* two-player games: the same code gives the linear programme's value;
* random games against a grid search and a multi-start local minimisation (scipy), and
  always between the correlated lower bound and the pure upper bound;
* degenerate games (continua of critical points), the fallback to bounds, the
  ``repeated`` table and JSON.
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
import sympy

import gametheory as gt
import gametheory.cli.repeated_commands  # noqa: F401  (registers repeated)
from gametheory.model import Game
from gametheory.repeated import analyse, values
from gametheory.repeated.minmax_nplayer import independent_minmax
from gametheory.solvers._exact import compare

GAMES = Path(__file__).resolve().parents[1] / "games"


def inspection_game() -> Game:
    """A violator hides at site A or B; it is caught (0, else 1) only if both inspectors search there."""
    u = [np.zeros((2, 2, 2), dtype=object) for _ in range(3)]
    for s, a, b in np.ndindex(2, 2, 2):
        caught = a == s and b == s
        u[0][s, a, b] = 0 if caught else 1
        u[1][s, a, b] = u[2][s, a, b] = 1 if caught else 0
    return Game.from_arrays(
        *u, players=["Violator", "Inspector 1", "Inspector 2"], strategies=[["A", "B"]] * 3
    )


def surd_game() -> Game:
    """Player 1's payoffs f_0 = pq - (1-p)(1-q) and f_1 = 3 - 5pq (p, q: the punishers' first strategies)."""
    u0 = np.array([[[1, 0], [0, -1]], [[-2, 3], [3, 3]]], dtype=object)
    zero = np.zeros((2, 2, 2), dtype=object)
    return Game.from_arrays(u0, zero, zero)


def own_axis(game: Game, i: int) -> np.ndarray:
    return np.moveaxis(np.array(game.payoffs[i], dtype=float), i, 0)


def best_payoff(u: np.ndarray, profile) -> float:
    t = u
    for x in reversed(profile):
        t = t @ np.asarray(x, dtype=float)
    return float(t.max())


def grid_minimum(u: np.ndarray, steps: int = 400) -> float:
    """Two punishers with two strategies each: min over a (steps + 1)^2 grid of the best payoff."""
    p = np.linspace(0, 1, steps + 1)
    x = np.stack([p, 1 - p])  # (2, steps + 1)
    f = np.einsum("sab,ap,bq->spq", u, x, x)
    return float(f.max(axis=0).min())


def local_minimum(u: np.ndarray, starts: int = 20, seed: int = 0) -> float:
    """min_x max_s f_s(x) over the product of simplices, by SLSQP from random starts (an upper bound)."""
    from scipy.optimize import minimize

    sizes = list(u.shape[1:])
    cuts = np.cumsum([0] + sizes)

    def split(z):
        return [z[cuts[j] : cuts[j + 1]] for j in range(len(sizes))]

    def payoffs(z):
        t = u
        for x in reversed(split(z)):
            t = t @ x
        return t

    cons = [{"type": "ineq", "fun": lambda z: z[-1] - payoffs(z[:-1])}]
    cons += [
        {"type": "eq", "fun": (lambda z, j=j: z[cuts[j] : cuts[j + 1]].sum() - 1)} for j in range(len(sizes))
    ]
    rng = np.random.default_rng(seed)
    best = min(
        best_payoff(u, [np.eye(n)[a] for n, a in zip(sizes, prof)])
        for prof in itertools.product(*[range(n) for n in sizes])
    )
    for _ in range(starts):
        x0 = np.concatenate([rng.dirichlet(np.ones(n)) for n in sizes])
        res = minimize(
            lambda z: z[-1],
            np.r_[x0, payoffs(x0).max()],
            constraints=cons,
            bounds=[(0, 1)] * cuts[-1] + [(None, None)],
            method="SLSQP",
            options={"ftol": 1e-12, "maxiter": 300},
        )
        xs = [np.clip(x, 0, None) / max(np.clip(x, 0, None).sum(), 1e-300) for x in split(res.x[:-1])]
        best = min(best, best_payoff(u, xs))
    return best


def check_exact(game: Game, i: int):
    """The exact value: attained by its profile, between the bounds, at most any numerical minimum."""
    r = independent_minmax(game, i)
    v = values.player_values(game, i)
    assert r.exact, r.notes
    u = own_axis(game, i)
    assert best_payoff(u, r.profile) == pytest.approx(float(r.value), abs=1e-12)
    assert compare(v.correlated_minmax, r.value) <= 0 <= compare(v.minmax_pure, r.value)
    numeric = local_minimum(u, starts=8, seed=i)
    assert float(r.value) <= numeric + 1e-9  # no point found numerically beats it
    return r, numeric


# ---------------------------------------------------------------------------
# games solved by hand


def test_inspection_game_independent_value_strictly_between_the_bounds():
    # f_A = 1 - pq, f_B = 1 - (1-p)(1-q): least max at p = q = 1/2, value 3/4; a shared coin
    # (correlated punishment: both at A or both at B) gives 1/2; pure punishments leave 1
    game = inspection_game()
    v = values.player_values(game, "Violator")
    assert (v.correlated_minmax, v.minmax, v.minmax_pure) == (F(1, 2), F(3, 4), 1)
    assert v.minmax_kind == "mixed" and v.minmax_method == "critical points"
    assert v.minmax_bounds == (F(3, 4), F(3, 4))
    assert v.mixed_punishment == ((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))
    r = independent_minmax(game, 0)
    assert r.best_responses == (0, 1)
    assert grid_minimum(own_axis(game, 0)) == pytest.approx(0.75, abs=1e-12)


def test_quadratic_surd_value_and_punishment():
    # symmetric optimum p = q with 2p - 1 = 3 - 5p^2: p = (-1 + sqrt(21))/5, value (-7 + 2 sqrt(21))/5
    r, numeric = check_exact(surd_game(), 0)
    p = (-1 + sympy.sqrt(21)) / 5
    assert sympy.simplify(r.value - (2 * sympy.sqrt(21) - 7) / 5) == 0
    for x in r.profile:
        assert sympy.simplify(x[0] - p) == 0 and sympy.simplify(x[0] + x[1] - 1) == 0
    assert numeric == pytest.approx(float(r.value), abs=1e-7)
    grid = grid_minimum(own_axis(surd_game(), 0), 1000)
    assert float(r.value) <= grid <= float(r.value) + 1e-3
    v = values.player_values(surd_game(), 0)
    assert v.correlated_minmax == F(1, 7) and v.minmax_pure == 1


def test_two_player_games_give_the_linear_programme():
    for game in (
        gt.load(GAMES / "classics/matching_pennies.toml"),
        Game.from_arrays([[4, 0, 2], [0, 4, 3]], [[1, 3, 0], [2, 0, 1]]),
    ):
        for i in range(2):
            r = independent_minmax(game, i)
            v = values.player_values(game, i)
            assert r.exact and r.value == v.minmax and v.minmax_kind == "mixed"
            assert r.profile[0] == tuple(v.punishment)


# ---------------------------------------------------------------------------
# the games library


def test_jordan_three_player_matching_pennies():
    # each player's payoff depends on one other player: a linear programme after the reduction
    game = gt.load(GAMES / "literature/jordan_three_player.yaml")
    vals = values.minmax_values(game)
    assert [v.minmax for v in vals] == [F(1, 2)] * 3
    assert [v.minmax_pure for v in vals] == [1] * 3
    assert all(v.minmax_kind == "mixed" and v.minmax_method == "linear programme" for v in vals)
    # player 1 (matches player 2) is punished by player 2 mixing 1/2-1/2
    assert vals[0].mixed_punishment[0] == (F(1, 2), F(1, 2))
    for i in range(3):
        check_exact(game, i)


def test_mckelvey_mclennan_2x2x2():
    game = gt.load(GAMES / "literature/mckelvey_mclennan_2x2x2.yaml")
    vals = values.minmax_values(game)
    assert [v.minmax for v in vals] == [F(3, 2), 2, F(3, 2)]
    assert [v.minmax_pure for v in vals] == [3, 4, 2]
    assert [v.correlated_minmax for v in vals] == [F(3, 2), 2, F(3, 2)]
    assert vals[0].mixed_punishment == ((F(1, 2), F(1, 2)), (0, 1))
    assert vals[2].mixed_punishment == ((0, 1), (F(1, 4), F(3, 4)))
    for i in range(3):
        r, _ = check_exact(game, i)
        assert r.seconds < 30


def test_missile_defence():
    game = gt.load(GAMES / "security/missile_defence_nato_russia_iran.yaml")
    vals = values.minmax_values(game)
    assert [v.minmax for v in vals] == [-6, -6, 0]
    assert all(v.minmax_kind == "mixed" for v in vals)
    for i in range(3):
        check_exact(game, i)


# ---------------------------------------------------------------------------
# random games against numerical minimisation


@pytest.mark.parametrize("seed", range(6))
def test_random_2x2x2_against_a_grid(seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.integers(-3, 4, size=(2, 2, 2)).astype(object) for _ in range(3)]
    game = Game.from_arrays(*arrays)
    for i in range(3):
        r, numeric = check_exact(game, i)
        grid = grid_minimum(own_axis(game, i), 300)
        assert float(r.value) <= grid + 1e-12
        assert min(grid, numeric) == pytest.approx(float(r.value), abs=2e-3)


@pytest.mark.parametrize("shape, seed", [((3, 2, 2), 1), ((2, 3, 3), 2), ((2, 2, 2, 2), 3)])
def test_random_larger_games_against_local_minimisation(shape, seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.integers(0, 6, size=shape).astype(object) for _ in shape]
    game = Game.from_arrays(*arrays)
    for i in range(len(shape)):
        r, numeric = check_exact(game, i)
        assert numeric == pytest.approx(float(r.value), abs=1e-6)


def test_degenerate_payoffs_continua():
    # i wins when the parity of the three choices is even: any punisher at 1/2 holds it to 1/2
    u = np.zeros((2, 2, 2), dtype=object)
    for s, a, b in np.ndindex(2, 2, 2):
        u[s, a, b] = int((s + a + b) % 2 == 0)
    game = Game.from_arrays(u, 1 - u, 1 - u)
    r, _ = check_exact(game, 0)
    assert r.value == F(1, 2)
    # a continuum p(1 + q) = 1 where two payoffs tie at 1 while a third exceeds 1 all along it
    rng = np.random.default_rng(18)
    for _ in range(4):
        arrays = [rng.integers(0, 3, size=(2, 3, 3)).astype(object) for _ in range(3)]
    game = Game.from_arrays(*arrays)
    r, numeric = check_exact(game, 1)
    assert sympy.simplify(r.value - (sympy.sqrt(5) - 1)) == 0


def test_unresolved_continuum_gives_bounds(monkeypatch):
    # the same game without the argument that disposes of the curve: its value of t (1) is recorded
    # and, being below the best candidate sqrt(5) - 1, leaves the value bracketed
    import gametheory.repeated.minmax_nplayer as nplayer

    monkeypatch.setattr(nplayer, "DISCHARGE_CURVES", False)
    rng = np.random.default_rng(18)
    for _ in range(4):
        arrays = [rng.integers(0, 3, size=(2, 3, 3)).astype(object) for _ in range(3)]
    r = independent_minmax(Game.from_arrays(*arrays), 1)
    assert not r.exact and r.method == "bounds" and "continuum" in r.notes[0]
    assert r.lower == 1 and sympy.simplify(r.upper - (sympy.sqrt(5) - 1)) == 0
    assert best_payoff(own_axis(Game.from_arrays(*arrays), 1), r.profile) == pytest.approx(float(r.upper))


def test_bystander_is_removed():
    # player 1 wants to match player 2; player 3 does not matter: the LP gives 1/2
    u = [np.zeros((2, 2, 2), dtype=object) for _ in range(3)]
    for a, b, c in np.ndindex(2, 2, 2):
        u[0][a, b, c] = int(a == b)
        u[1][a, b, c] = int(a != b)
        u[2][a, b, c] = c
    game = Game.from_arrays(*u)
    v = values.player_values(game, 0)
    assert (v.minmax, v.minmax_pure, v.correlated_minmax) == (F(1, 2), 1, F(1, 2))
    assert v.minmax_method == "linear programme"


# ---------------------------------------------------------------------------
# beyond the exact method: bounds


def test_large_games_fall_back_to_bounds():
    rng = np.random.default_rng(1)
    shape = (2, 3, 3, 3)  # three punishers with three strategies each
    arrays = [rng.integers(0, 10, size=shape).astype(object) for _ in shape]
    game = Game.from_arrays(*arrays)
    r = independent_minmax(game, 0)
    assert not r.exact and r.method == "bounds" and "too large" in r.notes[0]
    v = values.player_values(game, 0)
    assert v.minmax == v.minmax_pure and v.minmax_kind.startswith("pure")
    assert v.minmax_bounds == (v.correlated_minmax, v.minmax_pure)
    assert compare(v.correlated_minmax, v.minmax_pure) <= 0
    assert any("lies between 4/5 and 1" in n for n in v.notes)
    # a larger limit is honoured
    assert independent_minmax(game, 0, max_systems=10).notes[0].startswith("too large")


def test_bounds_that_meet_need_no_search():
    rng = np.random.default_rng(0)
    shape = (2, 3, 3, 3)
    arrays = [rng.integers(0, 10, size=shape).astype(object) for _ in shape]
    r = independent_minmax(Game.from_arrays(*arrays), 0)
    assert r.exact and r.value == 0 and r.method == "pure" and r.systems == 0


# ---------------------------------------------------------------------------
# the repeated command


def test_json_reports_kind_bounds_and_exact_punishment():
    d = analyse(inspection_game(), payoff_set=False).to_dict()
    assert d["minmax"]["Violator"] == 0.75 and d["minmax_exact"]["Violator"] == "3/4"
    assert d["minmax_kind"] == "mixed"
    assert d["minmax_kinds"] == {p: "mixed" for p in ("Violator", "Inspector 1", "Inspector 2")}
    assert d["minmax_correlated"]["Violator"] == 0.5
    assert d["minmax_bounds"]["Violator"] == {
        "lower": 0.75,
        "upper": 0.75,
        "lower_exact": "3/4",
        "upper_exact": "3/4",
        "method": "critical points",
    }
    pun = d["punishments"]["Violator"]
    assert pun["mixed_exact"] == {
        "Inspector 1": {"A": "1/2", "B": "1/2"},
        "Inspector 2": {"A": "1/2", "B": "1/2"},
    }
    assert pun["mixed"]["Inspector 1"] == {"A": 0.5, "B": 0.5}
    json.dumps(d)


def test_json_of_a_surd_value():
    d = analyse(surd_game(), payoff_set=False).to_dict()
    assert d["minmax_exact"]["Player 1"] == "(-7 + 2*sqrt(21))/5"
    assert d["punishments"]["Player 1"]["mixed_exact"]["Player 2"]["1"] == "(-1 + sqrt(21))/5"
    json.dumps(d)


def test_table_says_exact(run_cli):
    out = run_cli("repeated", GAMES / "literature/mckelvey_mclennan_2x2x2.yaml")
    assert out.exit_code == 0, out.output
    assert "minmax (mixed)" in out.stdout and "exact" in out.stdout
    lines = [line.strip() for line in out.stdout.splitlines()]
    assert any(line.endswith("Player 2: A2 1/2, B2 1/2") for line in lines) and "Player 3: B3" in lines
    assert "punishers mix independently" in out.stdout


def test_table_says_bounds(run_cli, monkeypatch):
    import gametheory.repeated.minmax_nplayer as nplayer

    monkeypatch.setattr(nplayer, "MAX_SYSTEMS", 1)
    out = run_cli("repeated", GAMES / "literature/mckelvey_mclennan_2x2x2.yaml")
    assert out.exit_code == 0, out.output
    text = " ".join(out.stdout.split())
    assert "[3/2, 3] bounds" in text and "Bracketed (Player 1, Player 2, Player 3)" in text
    assert "lies between 3/2 and 3 (the upper bound is used); too large for the exact method" in text
