"""Simulation of repeated-game strategies: hand-computed matches, seeds, tournaments.

Hand computations (payoffs T, R, P, S; C = cooperate, D = defect):

* tit-for-tat vs always-defect, 5 rounds: C D D D D against D D D D D, so the totals
  are (S + 4P, T + 4P) (Axelrod 1984, ch. 2);
* grim vs tit-for-tat: both cooperate for ever, R every round;
* win-stay-lose-shift vs always-defect: after S it shifts to D, after P it shifts back
  to C: C D C D C, totals (3S + 2P, 3T + 2P) (Nowak & Sigmund 1993);
* tit-for-two-tats vs always-defect: C C D D D, totals (2S + 3P, 2T + 3P);
* with misperception 1, two tit-for-tats each see the other's move flipped: they
  alternate between mutual cooperation and mutual defection.

The generic checks run for every registered strategy (as Axelrod's test classes do):
metadata present, a deterministic strategy's simulation follows its automaton,
stochastic strategies are reproducible with a seed.
"""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest

import gametheory as gt
import gametheory.cli.repeated_commands  # noqa: F401  (registers repeated and simulate)
from gametheory.errors import GameError
from gametheory.model import Game
from gametheory.repeated import play_match, simulate, strategies, tournament
from gametheory.repeated.simulate import moves_for

GAMES = Path(__file__).resolve().parents[1] / "games"


@pytest.fixture(scope="module")
def pd():
    return gt.load(GAMES / "classics/prisoners_dilemma.yaml")  # T, R, P, S = 5, 3, 1, 0; delta = 9/10


def totals(result):
    return tuple(result.total)


@pytest.mark.parametrize("values", [{}, {"T": 7, "R": 4, "P": 2, "S": -1}, {"T": "11/2", "R": "7/2"}])
def test_tit_for_tat_against_always_defect(pd, values):
    game = pd.with_parameters(**values)
    t, r, p, s = (game.values[k] for k in "TRPS")
    m = simulate(game, ["tit-for-tat", "always-defect"], rounds=5)
    assert m.moves == [(0, 1), (1, 1), (1, 1), (1, 1), (1, 1)]
    assert totals(m) == (s + 4 * p, t + 4 * p)
    assert m.average == ((s + 4 * p) / 5, (t + 4 * p) / 5)


def test_grim_against_tit_for_tat_cooperates_for_ever(pd):
    m = simulate(pd, ["grim", "tit-for-tat"], rounds=20)
    assert set(m.moves) == {(0, 0)}
    assert totals(m) == (60, 60)
    d = F(9, 10)
    assert m.discounted[0] == pytest.approx(float(3 * (1 - d**20) / (1 - d)))
    assert m.normalised[0] == pytest.approx(3.0)


def test_win_stay_lose_shift_against_always_defect_alternates(pd):
    m = simulate(pd, ["win-stay-lose-shift", "always-defect"], rounds=5)
    assert [a for a, _ in m.moves] == [0, 1, 0, 1, 0]
    assert totals(m) == (3 * 0 + 2 * 1, 3 * 5 + 2 * 1)


def test_tit_for_two_tats_and_limited_retaliation(pd):
    m = simulate(pd, ["tit-for-two-tats", "always-defect"], rounds=5)
    assert [a for a, _ in m.moves] == [0, 0, 1, 1, 1]
    assert totals(m) == (2 * 0 + 3 * 1, 2 * 5 + 3 * 1)
    m = simulate(pd, ["limited-retaliation:2", "always-defect"], rounds=7)
    assert [a for a, _ in m.moves] == [0, 1, 1, 0, 1, 1, 0]  # punish 2 rounds, forgive, ...
    m = simulate(pd, ["limited-retaliation:1", "tit-for-tat"], rounds=4)
    assert set(m.moves) == {(0, 0)}


def test_misperception_one_makes_tit_for_tats_alternate(pd):
    m = simulate(pd, ["tit-for-tat", "tit-for-tat"], rounds=6, misperception=1)
    assert m.moves == [(0, 0), (1, 1)] * 3


def test_noise_one_flips_every_move(pd):
    m = simulate(pd, ["always-cooperate", "always-defect"], rounds=4, noise=1)
    assert set(m.moves) == {(1, 0)}


def test_same_seed_same_result(pd):
    kw = dict(rounds=200, noise=0.1, misperception=0.05)
    a = simulate(pd, ["generous-tft", "random:0.3"], seed=42, **kw)
    b = simulate(pd, ["generous-tft", "random:0.3"], seed=42, **kw)
    c = simulate(pd, ["generous-tft", "random:0.3"], seed=43, **kw)
    assert a.moves == b.moves and a.total == b.total and a.discounted == b.discounted
    assert a.moves != c.moves


def test_generous_tft_forgiveness_from_the_payoffs(pd):
    # Nowak & Sigmund (1992): g = min(1 - (T - R)/(R - S), (R - P)/(T - P)) = min(1/3, 1/2)
    g = strategies.get("generous-tft")
    g.reset({"T": F(5), "R": F(3), "P": F(1), "S": F(0)})
    assert g.forgiveness() == pytest.approx(1 / 3)
    assert strategies.get("generous-tft:0.25").forgiveness() == 0.25


def test_tournament_ranking_by_hand(pd):
    # 10 rounds, self-play included; mean payoff per round over three matches each:
    # always-defect (1 + 5 + 1.4)/3, tit-for-tat (3 + 3 + 0.9)/3, always-cooperate (3 + 0 + 3)/3
    result = tournament(pd, ["always-cooperate", "tit-for-tat", "always-defect"], rounds=10, seed=1)
    ranking = [(row["strategy"], row["mean"]) for row in result.ranking]
    assert [name for name, _ in ranking] == ["always-defect", "tit-for-tat", "always-cooperate"]
    assert [mean for _, mean in ranking] == pytest.approx([7.4 / 3, 6.9 / 3, 2.0])
    assert len(result.matches) == 6  # 3 pairs + 3 self-plays
    assert result.ranking[0]["wins"] == 2


def test_tournament_is_reproducible_and_seeds_come_from_the_parent(pd):
    names = ["tit-for-tat", "win-stay-lose-shift", "generous-tft", "random", "grim"]
    a = tournament(pd, names, rounds=50, noise=0.05, seed=2024, repetitions=2)
    b = tournament(pd, names, rounds=50, noise=0.05, seed=2024, repetitions=2)
    assert a.ranking == b.ranking
    assert [m.seed for m in a.matches] == [m.seed for m in b.matches]
    expected = np.random.default_rng(2024).integers(0, 2**63 - 1, size=(2, 15)).ravel().tolist()
    assert [m.seed for m in a.matches] == expected
    # each match replays from its own seed
    m = a.matches[7]
    again = play_match(pd, *m.strategies, rounds=50, noise=0.05, seed=m.seed)
    assert again.moves == m.moves


def test_asymmetric_game_plays_both_roles():
    game = Game.from_arrays([[3, 0], [4, 1]], [[2, 5], [0, 1]])  # not symmetric
    result = tournament(game, ["tit-for-tat", "always-defect", "grim"], rounds=5, seed=0)
    assert len(result.matches) == 9  # every ordered pair, including self-play


def test_non_dilemma_mapping_uses_target_and_best_deviation():
    # Chicken: cooperate = Swerve (the welfare-maximising non-equilibrium profile), defect = Straight
    game = gt.load(GAMES / "classics/chicken.yaml")
    mapping = moves_for(game)
    assert mapping.cooperate == (0, 0) and mapping.defect == (1, 1)
    # a 3x3 game: target (M, M); defect = the best deviation against the other's M
    g3 = Game.from_arrays(
        [[1, 5, 0], [0, 4, 0], [0, 0, 3]], [[1, 0, 0], [5, 4, 0], [0, 0, 3]], strategies=[["L", "M", "R"]] * 2
    )
    mapping = moves_for(g3, ["M", "M"])
    assert mapping.cooperate == (1, 1) and mapping.defect == (0, 0)
    m = simulate(g3, ["tit-for-tat", "always-defect"], rounds=3, target=["M", "M"])
    assert [m.action_names(t) for t in range(3)] == [("M", "L"), ("L", "L"), ("L", "L")]
    assert totals(m) == (0 + 1 + 1, 5 + 1 + 1)


# ---------------------------------------------------------------------------
# every registered strategy (the Axelrod-style generic checks)


@pytest.mark.parametrize("name", strategies.names())
def test_strategy_metadata_and_behaviour(name, pd):
    cls = strategies.REGISTRY[name]
    assert cls.name == name and cls.description and cls.source
    for key in (
        "memory_depth",
        "stochastic",
        "makes_use_of",
        "long_run_time",
        "inspects_source",
        "manipulates_source",
        "manipulates_state",
    ):
        assert key in cls.classifier
    machine = cls.automaton()
    assert (machine is None) == cls.classifier["stochastic"]
    opponents = ["random:0.5", "tit-for-tat", "always-defect"]
    for opp in opponents:
        m1 = play_match(pd, name, opp, rounds=30, noise=0.1, seed=5)
        m2 = play_match(pd, name, opp, rounds=30, noise=0.1, seed=5)
        assert m1.moves == m2.moves
    if machine is not None:
        # without errors the moves follow the automaton
        m = play_match(pd, name, "random", rounds=40, seed=9)
        state = machine.initial
        for t, (own, opp) in enumerate(m.moves):
            assert own == machine.output[state], (name, t)
            state = machine.next(state, own, opp)


def test_unknown_and_bad_strategies():
    with pytest.raises(GameError, match="unknown strategy 'tit-for-tit'.*did you mean 'tit-for-tat'"):
        strategies.get("tit-for-tit")
    with pytest.raises(GameError, match="takes no parameter"):
        strategies.get("grim:2")
    with pytest.raises(GameError, match="whole number"):
        strategies.get("limited-retaliation:0")
    assert strategies.get("TFT").name == "tit-for-tat"
    assert strategies.get("pavlov").name == "win-stay-lose-shift"


def test_simulation_needs_two_players():
    game = Game.from_arrays(*[np.zeros((2, 2, 2), dtype=object)] * 3)
    with pytest.raises(GameError, match="two-player"):
        simulate(game, ["grim", "grim"], rounds=3)


# ---------------------------------------------------------------------------
# command line


def test_cli_simulate_table_json_csv(run_cli):
    path = GAMES / "classics/prisoners_dilemma.yaml"
    out = run_cli("simulate", path, "--strategies", "tit-for-tat,always-defect", "--rounds", "5")
    assert out.exit_code == 0, out.output
    assert "tit-for-tat" in out.stdout and "4/5" in out.stdout
    out = run_cli("simulate", path, "--strategies", "tft,alld", "--rounds", "5", "--format", "json")
    data = json.loads(out.stdout)
    assert data["payoffs"]["State A"]["total"] == 4 and data["payoffs"]["State B"]["total"] == 9
    assert data["history"][0] == ["Cooperate", "Defect"]
    out = run_cli("simulate", path, "--strategies", "tft,alld", "--rounds", "3", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out.stdout)))
    assert rows[0][0] == "round" and len(rows) == 4 and rows[1][-2:] == ["0", "5"]


def test_cli_tournament(run_cli):
    path = GAMES / "security/arms_race_repeated.yaml"
    args = (
        "simulate",
        path,
        "--strategies",
        "tft,grim,wsls,alld,random",
        "--rounds",
        "50",
        "--noise",
        "0.05",
        "--seed",
        "7",
        "--format",
        "json",
    )
    first = json.loads(run_cli(*args).stdout)
    second = json.loads(run_cli(*args).stdout)
    assert first["ranking"] == second["ranking"]
    assert [r["rank"] for r in first["ranking"]] == [1, 2, 3, 4, 5]
    table = run_cli(*args[:-2])
    assert table.exit_code == 0 and "round-robin tournament" in table.stdout


def test_cli_simulate_errors(run_cli):
    path = GAMES / "classics/prisoners_dilemma.yaml"
    out = run_cli("simulate", path, "--strategies", "tft,nonsense", "--rounds", "5")
    assert out.exit_code == 2 and "unknown strategy 'nonsense'" in out.stderr
    out = run_cli("simulate", path, "--strategies", "tft,alld", "--rounds", "0")
    assert out.exit_code == 2
    out = run_cli("simulate", path, "--strategies", "tft,alld", "--rounds", "5", "--noise", "2")
    assert out.exit_code == 2
