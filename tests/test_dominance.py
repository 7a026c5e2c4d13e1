"""Iterated elimination of dominated strategies: trails, mixed dominance, weak-dominance order.

Worked examples from the textbooks (Gibbons 1992, sec. 1.1.B) with exact trails; a
strategy dominated only by a mixture; the order dependence of weak elimination; and
property tests on random games (strict elimination keeps every pure Nash equilibrium,
does not depend on how strategies are listed, and every step of its trail is a true
dominance).  The CLI tests drive ``gametheory dominance`` in-process.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gametheory.cli.analysis_commands  # noqa: F401  (registers the commands)
from gametheory.model import Game
from gametheory.solvers.dominance import iterated_elimination, restrict, weak_elimination_orders


def prisoners_dilemma() -> Game:
    return Game.from_arrays(
        [[3, 0], [5, 1]],
        [[3, 5], [0, 1]],
        players=["State A", "State B"],
        strategies=[["Cooperate", "Defect"], ["Cooperate", "Defect"]],
        title="Prisoner's Dilemma",
    )


def gibbons() -> Game:
    """Gibbons (1992), p. 6: the iterated-dominance example of sec. 1.1.B."""
    return Game.from_arrays(
        [[1, 1, 0], [0, 0, 2]],
        [[0, 2, 1], [3, 1, 0]],
        players=["Row", "Column"],
        strategies=[["Up", "Down"], ["Left", "Middle", "Right"]],
        title="Gibbons 1.1.B",
    )


def mixture_only() -> Game:
    """Bottom (1, 1) is strictly dominated by 1/2 Top + 1/2 Middle (3/2, 3/2), by no pure strategy."""
    return Game.from_arrays(
        [[3, 0], [0, 3], [1, 1]],
        [[0, 1], [1, 0], [0, 0]],
        players=["Row", "Column"],
        strategies=[["Top", "Middle", "Bottom"], ["Left", "Right"]],
    )


def order_matters() -> Game:
    """M weakly dominates T and B; which goes first decides what Column eliminates next.

    |   | L    | R    |
    | T | 1, 1 | 0, 0 |
    | M | 1, 1 | 2, 1 |
    | B | 0, 0 | 2, 1 |
    """
    return Game.from_arrays(
        [[1, 0], [1, 2], [0, 2]],
        [[1, 0], [1, 1], [0, 1]],
        players=["Row", "Column"],
        strategies=[["T", "M", "B"], ["L", "R"]],
    )


# -- worked examples ------------------------------------------------------------------


def test_prisoners_dilemma_solves_by_strict_dominance():
    result = iterated_elimination(prisoners_dilemma())
    assert result.solved
    assert result.solution == ("Defect", "Defect")
    assert result.surviving == {"State A": ("Defect",), "State B": ("Defect",)}
    assert [(s.round, s.player, s.removed, s.dominated_by, s.strict) for s in result.steps] == [
        (1, "State A", "Cooperate", "Defect", True),
        (1, "State B", "Cooperate", "Defect", True),
    ]


def test_gibbons_example_trail():
    result = iterated_elimination(gibbons())
    trail = [(s.round, s.player, s.removed, s.dominated_by) for s in result.steps]
    assert trail == [
        (1, "Column", "Right", "Middle"),
        (2, "Row", "Down", "Up"),
        (3, "Column", "Left", "Middle"),
    ]
    assert all(s.strict for s in result.steps)
    assert result.solution == ("Up", "Middle")
    assert result.rounds == 3
    reduced = result.reduced_game()
    assert reduced.strategies == (("Up",), ("Middle",))
    assert list(reduced.payoffs.flat) == [F(1), F(2)]


def test_to_dict_shape():
    data = iterated_elimination(gibbons()).to_dict()
    assert data == {
        "game": "Gibbons 1.1.B",
        "weak": False,
        "mixed": False,
        "steps": [
            {"round": 1, "player": "Column", "removed": "Right", "dominated_by": "Middle", "strict": True},
            {"round": 2, "player": "Row", "removed": "Down", "dominated_by": "Up", "strict": True},
            {"round": 3, "player": "Column", "removed": "Left", "dominated_by": "Middle", "strict": True},
        ],
        "surviving": {"Row": ["Up"], "Column": ["Middle"]},
        "solved": True,
    }
    json.dumps(data)


def test_dominated_only_by_a_mixture_needs_mixed():
    game = mixture_only()
    assert iterated_elimination(game).steps == []
    result = iterated_elimination(game, mixed=True)
    assert len(result.steps) == 1
    step = result.steps[0]
    assert (step.player, step.removed, step.strict) == ("Row", "Bottom", True)
    assert step.dominated_by == {"Top": F(1, 2), "Middle": F(1, 2)}
    assert all(type(p) is F for p in step.dominated_by.values())
    assert step.dominator_text() == "1/2 Top + 1/2 Middle"
    assert result.surviving == {"Row": ("Top", "Middle"), "Column": ("Left", "Right")}
    assert step.to_dict() == {
        "round": 1,
        "player": "Row",
        "removed": "Bottom",
        "dominated_by": {"Top": 0.5, "Middle": 0.5},
        "dominated_by_exact": {"Top": "1/2", "Middle": "1/2"},
        "strict": True,
    }


def test_unequal_mixture_is_reported_exactly():
    # Bottom (1, 1) against Top (4, 0) and Middle (0, 2): a Top + (1 - a) Middle beats it
    # iff 1/4 < a < 1/2; the max-margin mixture equalises 4a - 1 = 2(1 - a) - 1: a = 1/3.
    game = Game.from_arrays([[4, 0], [0, 2], [1, 1]], [[0, 0], [0, 0], [0, 0]])
    (step,) = iterated_elimination(game, mixed=True).steps
    a = step.dominated_by["1"]
    assert step.dominated_by == {"1": a, "2": 1 - a}
    assert F(1, 4) < a < F(1, 2) and step.strict


def test_mixed_weak_dominance_is_weak_only():
    # Bottom (1, 1, 0) is matched by 1/2 Top + 1/2 Middle = (1, 1, 1) in two columns: weakly dominated only.
    game = Game.from_arrays(
        [[2, 0, 1], [0, 2, 1], [1, 1, 0]],
        [[0, 0, 0]] * 3,
        strategies=[["Top", "Middle", "Bottom"], ["a", "b", "c"]],
    )
    assert iterated_elimination(game, mixed=True).steps == []
    assert iterated_elimination(game, weak=True).steps == []
    (step,) = iterated_elimination(game, weak=True, mixed=True).steps
    assert step.removed == "Bottom" and not step.strict
    assert step.dominated_by == {"Top": F(1, 2), "Middle": F(1, 2)}


def test_equal_mixture_is_not_dominance():
    # Bottom (1, 2) equals 1/3 Top + 2/3 Middle exactly: not even weakly dominated.
    game = Game.from_arrays([[3, 0], [0, 3], [1, 2]], [[0, 0]] * 3)
    assert iterated_elimination(game, weak=True, mixed=True).steps == []


def test_irrational_payoffs_are_decided_exactly():
    # sqrt(2)/2 against a 1/2-1/2 mixture worth sqrt(2)/2 exactly: a tie, not dominated.
    tie = Game.from_arrays([["sqrt(2)", 0], [0, "sqrt(2)"], ["sqrt(2)/2", "sqrt(2)/2"]], [[0, 0]] * 3)
    assert not tie.is_rational
    assert iterated_elimination(tie, mixed=True).steps == []
    assert iterated_elimination(tie, weak=True, mixed=True).steps == []
    below = Game.from_arrays(
        [["sqrt(2)", 0], [0, "sqrt(2)"], ["sqrt(2)/2 - 1/10", "sqrt(2)/2 - 1/10"]], [[0, 0]] * 3
    )
    (step,) = iterated_elimination(below, mixed=True).steps
    assert step.strict and step.removed == "3"


def test_weak_dominance_removes_all_weakly_dominated_each_round():
    result = iterated_elimination(order_matters(), weak=True)
    assert [(s.round, s.removed, s.dominated_by, s.strict) for s in result.steps] == [
        (1, "T", "M", False),
        (1, "B", "M", False),
    ]
    assert result.surviving == {"Row": ("M",), "Column": ("L", "R")}
    assert iterated_elimination(order_matters()).steps == []  # nothing is strictly dominated


def test_weak_elimination_depends_on_the_order():
    orders = weak_elimination_orders(order_matters())
    assert orders.complete and orders.order_dependent
    outcomes = {tuple(tuple(n) for n in o.surviving.values()): o for o in orders.outcomes}
    assert set(outcomes) == {
        (("M",), ("L", "R")),  # remove T and B (in either order): Column is indifferent
        (("M", "B"), ("R",)),  # T first: then R weakly dominates L
        (("T", "M"), ("L",)),  # B first: then L weakly dominates R
    }
    path = outcomes[(("M", "B"), ("R",))].steps
    assert [(s.round, s.player, s.removed, s.dominated_by) for s in path] == [
        (1, "Row", "T", "M"),
        (2, "Column", "L", "R"),
    ]
    # the payoffs differ between the outcomes: order dependence matters for predictions
    assert outcomes[(("M", "B"), ("R",))].surviving != outcomes[(("T", "M"), ("L",))].surviving
    data = orders.to_dict()
    assert data["order_dependent"] is True and len(data["outcomes"]) == 3


def test_weak_orders_of_a_strictly_solvable_game_agree():
    orders = weak_elimination_orders(gibbons())
    assert orders.complete and not orders.order_dependent
    assert orders.outcomes[0].surviving == {"Row": ("Up",), "Column": ("Middle",)}


def test_weak_order_search_is_bounded():
    orders = weak_elimination_orders(order_matters(), max_states=2)
    assert not orders.complete
    assert orders.states == 2


def test_three_players():
    # Player C's c1 is strictly dominated by c0 (payoff 1 vs 0 everywhere); then A and B coordinate.
    a = np.zeros((2, 2, 2), dtype=int)
    b = np.zeros((2, 2, 2), dtype=int)
    c = np.zeros((2, 2, 2), dtype=int)
    c[:, :, 0] = 1
    a[1, :, 0] = 1  # with C at c0, A prefers a1 whatever B does
    b[1, 1, 0] = 1  # with C at c0 and A at a1, B prefers b1
    game = Game.from_arrays(a, b, c, players=["A", "B", "C"])
    result = iterated_elimination(game)
    assert [(s.round, s.player, s.removed) for s in result.steps] == [
        (1, "C", "2"),
        (2, "A", "1"),
        (3, "B", "1"),
    ]
    assert result.solution == ("2", "2", "1")


def test_reduced_game_keeps_parameters():
    game = Game.from_arrays(
        [["R", "S"], ["T", "P"]],
        [["R", "T"], ["S", "P"]],
        parameters={"R": 3, "S": 0, "T": 5, "P": 1},
        strategies=[["C", "D"], ["C", "D"]],
    )
    reduced = iterated_elimination(game).reduced_game()
    assert reduced.strategies == (("D",), ("D",))
    assert reduced.with_parameters(P=2).payoffs[0, 0, 0] == 2
    assert restrict(game, [[1, 0], [0]]).strategies == (("D", "C"), ("C",))


# -- properties -----------------------------------------------------------------------


@st.composite
def small_games(draw, max_players: int = 3):
    n = draw(st.integers(2, max_players))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    size = int(np.prod(shape))
    arrays = []
    for _ in range(n):
        values = draw(st.lists(st.integers(-3, 3), min_size=size, max_size=size))
        arrays.append(np.array(values, dtype=object).reshape(shape))
    return Game.from_arrays(*arrays)


def pure_nash(game: Game) -> list[tuple[int, ...]]:
    """Brute force: profiles where no player gains by a unilateral pure deviation."""
    out = []
    for prof in itertools.product(*(range(n) for n in game.shape)):
        ok = True
        for i in range(game.n_players):
            here = game.payoffs[(i,) + prof]
            for t in range(game.shape[i]):
                dev = prof[:i] + (t,) + prof[i + 1 :]
                if game.payoffs[(i,) + dev] > here:
                    ok = False
        if ok:
            out.append(prof)
    return out


def payoff_at(game: Game, i: int, rest: tuple[int, ...], k: int):
    """Player i's payoff when it plays k and the others play ``rest``."""
    prof = list(rest)
    prof.insert(i, k)
    return game.payoffs[(i,) + tuple(prof)]


def replay_is_valid(game: Game, result) -> bool:
    """Every step's dominator really dominates, against what remained at the start of its round."""
    alive = [list(range(n)) for n in game.shape]
    for rnd in range(1, result.rounds + 1):
        steps = [s for s in result.steps if s.round == rnd]
        for s in steps:
            i = s.player_index
            names = game.strategies[i]
            mix = s.dominated_by if isinstance(s.dominated_by, dict) else {s.dominated_by: F(1)}
            assert sum(mix.values()) == 1 and all(p > 0 for p in mix.values())
            others = [alive[j] for j in range(game.n_players) if j != i]
            diffs = []
            for rest in itertools.product(*others):
                value = sum((p * payoff_at(game, i, rest, names.index(n)) for n, p in mix.items()), F(0))
                diffs.append(value - payoff_at(game, i, rest, s.removed_index))
            if s.strict and not all(d > 0 for d in diffs):
                return False
            if not (all(d >= 0 for d in diffs) and any(d > 0 for d in diffs)):
                return False
            assert all(names.index(n) in alive[i] for n in mix)
        for s in steps:
            alive[s.player_index].remove(s.removed_index)
    return all(len(a) > 0 for a in alive) and [list(x) for x in result.surviving_indices] == alive


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(small_games(), st.booleans())
def test_strict_elimination_keeps_every_pure_nash_equilibrium(game, mixed):
    result = iterated_elimination(game, mixed=mixed)
    for prof in pure_nash(game):
        for i, s in enumerate(prof):
            assert s in result.surviving_indices[i]


@PROPERTY
@given(small_games(), st.booleans(), st.booleans())
def test_every_step_is_a_true_dominance(game, weak, mixed):
    result = iterated_elimination(game, weak=weak, mixed=mixed)
    assert replay_is_valid(game, result)
    assert weak or all(s.strict for s in result.steps)
    assert mixed or not any(s.by_mixture for s in result.steps)


@PROPERTY
@given(small_games(), st.booleans(), st.randoms(use_true_random=False))
def test_strict_surviving_set_does_not_depend_on_strategy_order(game, mixed, rnd):
    named = Game.from_arrays(
        *game.payoffs, strategies=[[f"s{i}{k}" for k in range(n)] for i, n in enumerate(game.shape)]
    )
    perms = [rnd.sample(range(n), n) for n in game.shape]
    permuted = Game.from_arrays(
        *named.payoffs[np.ix_(range(game.n_players), *perms)],
        strategies=[[named.strategies[i][k] for k in perm] for i, perm in enumerate(perms)],
    )
    a = iterated_elimination(named, mixed=mixed).surviving
    b = iterated_elimination(permuted, mixed=mixed).surviving
    assert {p: set(v) for p, v in a.items()} == {p: set(v) for p, v in b.items()}


@settings(max_examples=40, deadline=None)
@given(small_games(max_players=2))
def test_weak_orders_include_every_one_at_a_time_outcome_reached_greedily(game):
    # Removing the first weakly dominated strategy found, one at a time, ends in one of the outcomes.
    orders = weak_elimination_orders(game)
    alive = tuple(tuple(range(n)) for n in game.shape)
    while True:
        sub = restrict(game, alive)
        res = iterated_elimination(sub, weak=True)
        first = [s for s in res.steps if s.round == 1]
        if not first:
            break
        s = first[-1]
        alive = tuple(
            tuple(k for j, k in enumerate(ks) if not (i == s.player_index and j == s.removed_index))
            for i, ks in enumerate(alive)
        )
    assert orders.complete
    assert alive in {o.surviving_indices for o in orders.outcomes}


# -- CLI ------------------------------------------------------------------------------

GIBBONS_YAML = """
title: Gibbons 1.1.B
players:
  Row: [Up, Down]
  Column: [Left, Middle, Right]
payoffs:
  Row: [[1, 1, 0], [0, 0, 2]]
  Column: [[0, 2, 1], [3, 1, 0]]
"""

MIXTURE_YAML = """
title: Dominated by a mixture
players:
  Row: [Top, Middle, Bottom]
  Column: [Left, Right]
payoffs:
  Row: [[3, 0], [0, 3], [1, 1]]
  Column: [[0, 1], [1, 0], [0, 0]]
"""

ORDER_YAML = """
title: Order matters
players:
  Row: [T, M, B]
  Column: [L, R]
payoffs:
  Row: [[1, 0], [1, 2], [0, 2]]
  Column: [[1, 0], [1, 1], [0, 1]]
"""


def test_cli_dominance_table(run_cli, game_file):
    result = run_cli("dominance", game_file(GIBBONS_YAML))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Iterated elimination of strictly dominated strategies" in out
    for header in ("round", "player", "removed", "dominated by"):
        assert header in out
    rows = [line for line in out.splitlines() if "strict " in line]
    assert [line.split()[1:5:] for line in rows] == [
        ["1", "│", "Column", "│"],
        ["2", "│", "Row", "│"],
        ["3", "│", "Column", "│"],
    ]
    assert "Right" in rows[0] and "Middle" in rows[0]
    assert "Down" in rows[1] and "Up" in rows[1]
    assert "Left" in rows[2] and "Middle" in rows[2]
    assert "Row: Up" in out and "Column: Middle" in out
    assert "Solved by iterated dominance: (Up, Middle)" in out


def test_cli_dominance_json(run_cli, game_file):
    result = run_cli("dominance", game_file(GIBBONS_YAML), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == iterated_elimination(gibbons()).to_dict()


def test_cli_dominance_mixed(run_cli, game_file):
    path = game_file(MIXTURE_YAML)
    plain = run_cli("dominance", path)
    assert plain.exit_code == 0
    assert "No strategy is strictly dominated." in plain.stdout
    mixed = run_cli("dominance", path, "--mixed")
    assert "1/2 Top + 1/2 Middle" in mixed.stdout
    assert "Row: Top, Middle" in mixed.stdout
    data = json.loads(run_cli("dominance", path, "--mixed", "--format", "json").stdout)
    assert data["steps"][0]["dominated_by_exact"] == {"Top": "1/2", "Middle": "1/2"}
    assert data["mixed"] is True and data["solved"] is False


def test_cli_dominance_weak_reports_order_dependence(run_cli, game_file):
    path = game_file(ORDER_YAML)
    out = run_cli("dominance", path, "--weak").stdout
    assert "weakly dominated" in out
    assert "The outcome depends on the order of elimination." in out
    assert "Row: M, B; Column: R" in out
    assert "Row: T, M; Column: L" in out
    assert "order: Row T (by M), then Column L (by R)" in out
    data = json.loads(run_cli("dominance", path, "--weak", "--format", "json").stdout)
    assert data["order_dependent"] is True and data["orders_complete"] is True
    assert data["surviving"] == {"Row": ["M"], "Column": ["L", "R"]}
    assert [alt["surviving"] for alt in data["alternatives"]] == [
        {"Row": ["M", "B"], "Column": ["R"]},
        {"Row": ["T", "M"], "Column": ["L"]},
    ]
    solvable = run_cli("dominance", game_file(GIBBONS_YAML), "--weak").stdout
    assert "Every order of elimination gives this outcome." in solvable


def test_cli_dominance_set_and_bad_file(run_cli, game_file):
    pd = """
    title: PD
    parameters: {T: 5}
    players: {A: [C, D], B: [C, D]}
    symmetric: true
    payoffs: [[3, 0], [T, 1]]
    """
    path = game_file(pd)
    assert "Solved by iterated dominance: (D, D)" in run_cli("dominance", path).stdout
    # T = 2 < R = 3 and P = 1 > S = 0: no strategy dominates
    assert "No strategy is strictly dominated." in run_cli("dominance", path, "--set", "T=2").stdout
    bad = run_cli("dominance", path, "--set", "X=1")
    assert bad.exit_code == 2 and "unknown parameter" in bad.stderr


def test_cli_module_does_not_import_scipy_at_start_up():
    code = (
        "import sys, gametheory.cli.analysis_commands; print('scipy' in sys.modules, 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


@pytest.mark.parametrize("weak", [False, True])
def test_games_library_dominance_runs(weak):
    from pathlib import Path

    import gametheory as gt

    for path in sorted((Path(__file__).resolve().parents[1] / "games").glob("*.*")):
        game = gt.load(path)
        result = iterated_elimination(game, weak=weak, mixed=True)
        assert replay_is_valid(game, result)
