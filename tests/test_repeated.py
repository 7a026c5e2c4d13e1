"""Repeated games: published critical discount factors, minmax values, folk-theorem sets, APS.

Published results reproduced exactly:

* grim trigger, delta* = (T - R)/(T - P) (Friedman 1971): 1/2 for Axelrod's (1984)
  T, R, P, S = 5, 3, 1, 0; 1/6 for Gibbons' (1992, sec. 1.1.A) prisoners' dilemma,
  payoffs (-1, -1), (-9, 0), (0, -9), (-6, -6): (0 - (-1))/(0 - (-6)) = 1/6; 1/4 for the
  stage game of Gibbons' sec. 2.3.B, (1, 1), (5, 0), (0, 5), (4, 4): (5 - 4)/(5 - 1).
* tit-for-tat against itself is Nash iff delta >= max((T - R)/(T - P), (T - R)/(R - S))
  (Axelrod 1984, Proposition 2) and subgame perfect only at delta = (T - R)/(R - S) =
  (P - S)/(T - P) (Kalai, Samet & Stanford 1988).
* imperfect verification: delta >= (T - R)/((T - R) + pi (R - P)) (Downs, Rocke &
  Siverson 1985).
* Nash reversion in Chicken to the stage equilibrium worst for the deviator.
* finite horizons: unravelling with a unique stage equilibrium; Benoit & Krishna's (1985)
  two-round construction (Gibbons 1992, sec. 2.3.A) with several.
* minmax values against linear programmes solved by hand.
* the equilibrium payoff set against QuantEcon's ``RepeatedGame.equilibrium_payoffs``
  (Abreu & Sannikov 2014): same vertices and area within 1e-6.
"""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
import sympy
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gametheory as gt
import gametheory.cli.repeated_commands  # noqa: F401  (registers repeated and simulate)
from gametheory.errors import GameError
from gametheory.model import Game
from gametheory.repeated import (
    analyse,
    automata,
    equilibrium_payoff_set,
    feasible_set,
    individually_rational,
    strategies,
    supportable,
    values,
)
from gametheory.repeated.feasible import in_feasible_set

GAMES = Path(__file__).resolve().parents[1] / "games"
T, R, P, S, PI, V, C = sympy.symbols("T R P S pi V C", real=True)


def pd(t, r, p, s, players=("Row", "Column"), delta=None) -> Game:
    """A symmetric Prisoner's Dilemma from its four payoffs (Cooperate first)."""
    game = Game.from_arrays(
        [[r, s], [t, p]], [[r, t], [s, p]], players=list(players), strategies=[["C", "D"], ["C", "D"]]
    )
    return game


def pd_file(**values) -> Game:
    return gt.load(GAMES / "classics/prisoners_dilemma.yaml").with_parameters(**values)


def same(expr, formula) -> bool:
    return sympy.simplify(expr - formula) == 0


# ---------------------------------------------------------------------------
# grim trigger: published thresholds


@pytest.mark.parametrize(
    "payoffs, expected",
    [
        ((5, 3, 1, 0), F(1, 2)),  # Axelrod (1984)
        ((0, -1, -6, -9), F(1, 6)),  # Gibbons (1992), sec. 1.1.A: (-1,-1), (-9,0), (0,-9), (-6,-6)
        ((5, 4, 1, 0), F(1, 4)),  # Gibbons (1992), sec. 2.3.B: (1,1), (5,0), (0,5), (4,4)
    ],
    ids=["axelrod", "gibbons-1.1", "gibbons-2.3B"],
)
def test_grim_threshold_published(payoffs, expected):
    result = analyse(pd(*payoffs), payoff_set=False)
    grim = result.threshold("grim")
    assert grim.critical == expected
    assert grim.exact == str(expected)
    assert grim.spe_region == [automata.Interval(expected, F(1), True, False)]
    # the automaton engine (one-shot deviation principle) agrees
    pay = automata.action_payoffs(result.game, (0, 0), (1, 1))
    regions = automata.equilibrium_regions(pay, strategies.Grim.automaton())
    assert automata.lowest(regions.subgame_perfect) == expected
    assert automata.lowest(regions.nash) == expected


def test_grim_symbolic_expression_is_the_published_formula():
    result = analyse(pd_file(), payoff_set=False)
    grim = result.threshold("grim")
    assert same(grim.expression, (T - R) / (T - P))
    assert grim.expression_text == "(T - R)/(T - P)"
    d = result.to_dict()
    entry = next(s for s in d["strategies"] if s["name"] == "grim")
    assert entry["critical_discount"] == 0.5 and entry["exact"] == "1/2"
    assert entry["expression"] == "(T - R)/(T - P)"
    assert entry["sustainable"] is True and entry["nash"] is True and entry["subgame_perfect"] is True
    assert entry["target"] == {
        "State A": {"Cooperate": 1.0, "Defect": 0.0},
        "State B": {"Cooperate": 1.0, "Defect": 0.0},
    }


@pytest.mark.parametrize("delta, sustainable", [("1/2", True), ("0.49", False), ("0.9", True)])
def test_grim_sustainable_at_the_files_discount_factor(delta, sustainable):
    grim = analyse(pd_file(delta=delta), payoff_set=False).threshold("grim")
    assert grim.sustainable is sustainable
    assert grim.subgame_perfect is sustainable


# ---------------------------------------------------------------------------
# tit-for-tat


@pytest.mark.parametrize(
    "payoffs",
    [(5, 3, 1, 0), (5, 4, 1, 0), (6, 4, 1, 0), (5, 4, 2, 0), (4, 3, 1, 0), (10, 7, 1, 0), (0, -1, -6, -9)],
)
def test_tit_for_tat_nash_iff_delta_above_axelrods_bound(payoffs):
    t, r, p, s = (F(x) for x in payoffs)
    bound = max((t - r) / (t - p), (t - r) / (r - s))
    tft = analyse(pd(*payoffs), payoff_set=False).threshold("tit-for-tat")
    assert tft.critical == bound
    assert tft.nash_region == [automata.Interval(bound, F(1), True, False)]
    # judged at the bound and just below it
    game = pd(*payoffs)
    pay = automata.action_payoffs(game, (0, 0), (1, 1))
    conditions = automata.nash_conditions(pay, (strategies.TitForTat.automaton(),) * 2)
    for delta, ok in ((bound, True), (bound - F(1, 1000), False)):
        assert all(automata._evaluate(c, delta) >= 0 for c in conditions) is ok


@pytest.mark.parametrize(
    "payoffs, spe",
    [
        ((5, 3, 1, 0), []),  # (T-R)/(R-S) = 2/3, (P-S)/(T-P) = 1/4: never
        ((4, 3, 1, 0), [F(1, 3)]),  # both 1/3: only at delta = 1/3
        ((5, 4, 1, 0), [F(1, 4)]),  # both 1/4 (Gibbons 2.3.B)
    ],
)
def test_tit_for_tat_subgame_perfect_only_at_the_knife_edge(payoffs, spe):
    tft = analyse(pd(*payoffs), payoff_set=False).threshold("tit-for-tat")
    assert [iv.low for iv in tft.spe_region] == spe
    assert all(iv.is_point for iv in tft.spe_region)
    assert any("one-shot deviation principle" in note for note in tft.notes)


def test_tit_for_tat_symbolic_expression():
    tft = analyse(pd_file(), payoff_set=False).threshold("tit-for-tat")
    assert same(tft.expression, sympy.Max((T - R) / (T - P), (T - R) / (R - S)))
    assert tft.exact == "2/3"
    assert tft.sustainable is True and tft.subgame_perfect is False


def test_win_stay_lose_shift_and_tit_for_two_tats():
    r = analyse(pd(5, 4, 1, 0), payoff_set=False)
    wsls = r.threshold("win-stay-lose-shift")
    assert wsls.critical == F(1, 3)  # (T - R)/(R - P), Nowak & Sigmund (1993)
    assert wsls.spe_region == wsls.nash_region
    assert r.threshold("tit-for-two-tats").critical is None
    assert r.threshold("tit-for-two-tats").nash_region == []
    # 2R = T + P: win-stay-lose-shift is never an equilibrium
    assert analyse(pd(5, 3, 1, 0), payoff_set=False).threshold("win-stay-lose-shift").critical is None
    assert same(
        analyse(pd_file(T=5, R=4), payoff_set=False).threshold("win-stay-lose-shift").expression,
        (T - R) / (R - P),
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(-5, 5), st.integers(1, 6), st.integers(1, 6), st.integers(1, 6))
def test_engine_matches_closed_forms_on_random_dilemmas(s, a, b, c):
    """T > R > P > S: grim, TFT and WSLS regions from the automata equal the closed forms."""
    p, r, t = s + a, s + a + b, s + a + b + c
    game = pd(t, r, p, s)
    pay = automata.action_payoffs(game, (0, 0), (1, 1))
    t, r, p, s = F(t), F(r), F(p), F(s)
    grim = automata.equilibrium_regions(pay, strategies.Grim.automaton())
    assert automata.lowest(grim.subgame_perfect) == (t - r) / (t - p)
    tft = automata.equilibrium_regions(pay, strategies.TitForTat.automaton())
    bound = max((t - r) / (t - p), (t - r) / (r - s))
    assert automata.lowest(tft.nash) == (bound if bound < 1 else None)
    wsls = automata.equilibrium_regions(pay, strategies.WinStayLoseShift.automaton())
    w = (t - r) / (r - p)
    assert automata.lowest(wsls.subgame_perfect) == (w if w < 1 else None)


# ---------------------------------------------------------------------------
# limited punishment


def test_limited_punishment_thresholds():
    r = analyse(pd_file(T=4), payoff_set=False)  # (d - v)/(v - e) = (T - R)/(R - P) = 1/2
    k1 = r.threshold("limited-punishment", rounds=1)
    assert k1.critical == F(1, 2) and same(k1.expression, (T - R) / (R - P))
    k2 = r.threshold("limited-punishment", rounds=2)
    assert sympy.simplify(k2.critical - (sympy.sqrt(3) - 1) / 2) == 0  # delta^2 + delta = 1/2
    assert same(k2.expression, (sympy.sqrt(1 + 4 * (T - R) / (R - P)) - 1) / 2)
    axelrod = analyse(pd_file(), payoff_set=False)
    k3 = axelrod.threshold("limited-punishment", rounds=3)
    assert k3.exact is None  # a root of delta^3 + delta^2 + delta = 1, not a quadratic surd
    assert k3.critical_float == pytest.approx(0.5436890126920764, abs=1e-12)
    assert axelrod.threshold("limited-punishment", rounds=1).critical is None  # needs delta >= 1
    # the automaton with k rounds of mutual defection gives the same regions
    for result in (r, axelrod):
        pay = automata.action_payoffs(result.game, (0, 0), (1, 1))
        for k in (1, 2, 3):
            entry = result.threshold("limited-punishment", rounds=k)
            regions = automata.equilibrium_regions(pay, strategies.LimitedRetaliation.automaton_k(k))
            low = automata.lowest(regions.subgame_perfect)
            assert (low is None) == (entry.critical is None)
            if low is not None:
                assert float(low) == pytest.approx(entry.critical_float, abs=1e-12)


# ---------------------------------------------------------------------------
# imperfect verification


def test_verification_threshold_downs_rocke_siverson():
    game = gt.load(GAMES / "security/arms_control_verification.yaml")
    entry = analyse(game, payoff_set=False).threshold("grim-after-detection")
    assert entry.critical == F(2, 3)  # (T-R)/((T-R) + pi (R-P)) = 2/(2 + 1)
    assert same(entry.expression, (T - R) / ((T - R) + PI * (R - P)))
    assert entry.sustainable is False  # delta = 0.6
    assert entry.details["critical_detection_exact"] == "2/3"
    assert same(
        sympy.sympify(
            entry.details["critical_detection_expression"],
            locals={"delta": sympy.Symbol("delta", real=True), **{str(x): x for x in (T, R, P, S)}},
        ),
        (1 - sympy.Symbol("delta", real=True)) * (T - R) / (sympy.Symbol("delta", real=True) * (R - P)),
    )
    for pi, expected in (("1", F(1, 2)), ("0.9", F(10, 19)), ("0.3", F(10, 13))):
        e = analyse(game.with_parameters(pi=pi), payoff_set=False).threshold("grim-after-detection")
        assert e.critical == expected
    assert (
        analyse(game.with_parameters(pi="0.9"), payoff_set=False)
        .threshold("grim-after-detection")
        .sustainable
        is True
    )


# ---------------------------------------------------------------------------
# Nash reversion in Chicken


def test_nash_reversion_in_chicken_uses_the_deviators_worst_equilibrium():
    game = gt.load(GAMES / "classics/chicken.yaml").with_parameters()
    result = analyse(game, target=["Swerve", "Swerve"], payoff_set=False)
    rev = result.threshold("nash-reversion")
    # deviating to Straight gains V - V/2; the worst stage equilibrium for the deviator gives S = 0
    assert rev.critical == F(1, 2)
    assert rev.punishment["profiles"] == {"Driver 1": "(Swerve, Straight)", "Driver 2": "(Straight, Swerve)"}
    assert same(rev.expression, sympy.Rational(1, 2))
    # a common reversion must use the mixed equilibrium (each pure one rewards one deviator)
    grim = result.threshold("grim")
    assert grim.critical == F(2, 3)
    assert grim.punishment["payoffs"] == {"Driver 1": 0.5, "Driver 2": 0.5}
    assert same(grim.expression, C / (C + V))
    # Aumann's Chicken (6,6), (2,7), (7,2), (0,0): (7 - 6)/(7 - 2) and (7 - 6)/(7 - 14/3)
    aumann = Game.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]])
    r2 = analyse(aumann, payoff_set=False)
    assert r2.targets[0].profile == (0, 0)
    assert r2.threshold("nash-reversion").critical == F(1, 5)
    assert r2.threshold("grim").critical == F(3, 7)


# ---------------------------------------------------------------------------
# finite horizons


def test_finite_horizon_unravels_with_a_unique_stage_equilibrium(game_file):
    path = game_file(
        """
        title: Ten-year treaty
        players: {A: [C, D], B: [C, D]}
        symmetric: true
        payoffs: [[3, 0], [5, 1]]
        repeated: {discount: 0.95, horizon: 10}
        """
    )
    result = analyse(gt.load(path))
    assert result.finite.unravels is True
    assert result.finite.target_sustainable is False
    assert "unravels" in result.finite.summary
    grim = result.threshold("grim")
    assert grim.critical == F(1, 2)  # the infinite-horizon threshold is still reported
    assert grim.nash is False and grim.subgame_perfect is False and grim.sustainable is False
    assert result.to_dict()["finite_horizon"]["unravels"] is True


def test_finite_horizon_two_round_construction_benoit_krishna():
    # Gibbons (1992), sec. 2.3.A: (M, M) in round 1, (R, R) as reward, punishment otherwise
    game = Game.from_arrays(
        [[1, 5, 0], [0, 4, 0], [0, 0, 3]], [[1, 0, 0], [5, 4, 0], [0, 0, 3]], strategies=[["L", "M", "R"]] * 2
    )
    result = analyse(game, target=["M", "M"])
    fh = result.finite
    assert fh.unravels is False and fh.target_sustainable is True
    assert result.stage[fh.reward].payoffs == (3, 3)
    # the worst stage equilibrium is the mixed one (3/4 each): 1 <= 1 * (3 - 3/4)
    assert [c["discounted_loss_exact"] for c in fh.conditions] == ["9/4", "9/4"]
    low = finite_of(game, delta=F(2, 5), target=["M", "M"])
    assert low.target_sustainable is False  # 1 > (2/5)(9/4) = 9/10


def finite_of(game, delta, target):
    from gametheory.repeated.finite import finite_horizon
    from gametheory.repeated.thresholds import parse_target, target_of

    eqs = analyse(game, payoff_set=False).stage
    return finite_horizon(game, target_of(game, parse_target(game, target)[0]), eqs, 2, delta)


# ---------------------------------------------------------------------------
# minmax and maxmin values


def test_minmax_matching_pennies():
    game = gt.load(GAMES / "classics/matching_pennies.toml")
    for v in values.minmax_values(game):
        assert v.exact and v.minmax == 0 and v.maxmin == 0
        assert v.minmax_pure == 1
        assert v.punishment == (F(1, 2), F(1, 2))


def test_minmax_two_by_three_by_hand():
    # row: min_y max((4y1 + 2y3), (4y2 + 3y3)) = 2 at y = (1/2, 1/2, 0); pure minmax 3 (column 3)
    # column: min_x max(2 - x, 3x, 1 - x) = 3/2 at x = (1/2, 1/2); pure minmax 2 (row 2)
    game = Game.from_arrays([[4, 0, 2], [0, 4, 3]], [[1, 3, 0], [2, 0, 1]])
    row, col = values.minmax_values(game)
    assert (row.minmax, row.minmax_pure, row.punishment) == (2, 3, (F(1, 2), F(1, 2), 0))
    assert row.maxmin == 2 and row.maxmin_strategy == (F(1, 2), F(1, 2))
    assert (col.minmax, col.minmax_pure, col.punishment) == (F(3, 2), 2, (F(1, 2), F(1, 2)))
    assert col.maxmin_strategy == (F(3, 4), F(1, 4), 0)
    assert row.exact and col.exact


def test_zero_sum_exact_recovery_is_certified():
    rng = np.random.default_rng(7)
    for _ in range(5):
        mat = [[F(int(x)) for x in row] for row in rng.integers(-9, 10, size=(4, 5))]
        sol = values.zero_sum(np.array(mat, dtype=object))
        assert sol.exact
        guarantee = min(sum(sol.row[i] * mat[i][j] for i in range(4)) for j in range(5))
        cap = max(sum(mat[i][j] * sol.column[j] for j in range(5)) for i in range(4))
        assert guarantee == cap == sol.value


def test_three_players_pure_minmax_and_correlated_bound():
    # player 1 wants to match player 2 (player 3 is a bystander): pure minmax 1; player 2 mixing
    # half and half holds player 1 to 1/2, which is also the correlated bound: the exact value is 1/2
    u = [np.zeros((2, 2, 2), dtype=object) for _ in range(3)]
    for a, b, c in np.ndindex(2, 2, 2):
        u[0][a, b, c] = int(a == b)
        u[1][a, b, c] = int(a != b)
        u[2][a, b, c] = c
    game = Game.from_arrays(*u)
    v = values.player_values(game, 0)
    assert v.minmax == F(1, 2) and v.minmax_pure == 1 and v.correlated_minmax == F(1, 2)
    assert v.minmax_kind == "mixed"
    result = analyse(game)
    d = result.to_dict()
    assert d["minmax_correlated"]["Player 1"] == 0.5
    assert d["minmax"]["Player 1"] == 0.5


# ---------------------------------------------------------------------------
# feasible and individually rational payoffs, folk theorem


def test_feasible_and_individually_rational_prisoners_dilemma():
    game = pd_file()
    fs = feasible_set(game)
    assert fs.dimension == 2
    assert sorted(fs.vertices) == [(0, 5), (1, 1), (3, 3), (5, 0)]
    ir = individually_rational(game)
    assert sorted(ir.vertices) == [(1, 1), (1, F(13, 3)), (3, 3), (F(13, 3), 1)]
    assert ir.strictly_nonempty and ir.exact


@pytest.mark.parametrize(
    "a, b, dimension, vertices",
    [
        ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], 1, [(-1, 1), (1, -1)]),  # matching pennies: a segment
        ([[2, 2], [2, 2]], [[2, 2], [2, 2]], 0, [(2, 2)]),  # a point
        ([[0, 1], [2, 3]], [[0, 1], [2, 3]], 1, [(0, 0), (3, 3)]),  # collinear: inner points dropped
        ([[0, 2], [1, 0]], [[0, 0], [0, 2]], 2, [(0, 0), (0, 2), (2, 0)]),  # (1, 0) lies on an edge
    ],
)
def test_feasible_set_degenerate_cases(a, b, dimension, vertices):
    fs = feasible_set(Game.from_arrays(a, b))
    assert fs.dimension == dimension
    assert sorted(fs.vertices) == sorted(vertices)


def test_feasible_set_three_players_full_dimensional():
    rng = np.random.default_rng(3)
    arrays = [rng.integers(0, 10, size=(2, 2, 2)).astype(object) for _ in range(3)]
    game = Game.from_arrays(*arrays)
    fs = feasible_set(game)
    assert fs.dimension == 3
    from scipy.spatial import ConvexHull

    pts = np.array([[float(x) for x in p] for p in fs.vertices])
    assert len(ConvexHull(pts).vertices) == len(pts)
    ir = individually_rational(game)
    assert ir.nonempty


def test_supportable_folk_theorem_and_at_a_discount_factor():
    game = pd_file()
    assert supportable(game, (3, 3)).folk_theorem is True
    assert supportable(game, (1, 1)).folk_theorem is False  # not strictly above the minmax
    assert supportable(game, (4, 4)).feasible is False
    assert in_feasible_set(game, (F(13, 3), 1)) and not in_feasible_set(game, (F(13, 3) + F(1, 100), 1))
    assert supportable(game, (3, 3), delta=0.9).at_discount is True
    # at delta = 0.3 only the triangle (1,1), (4,1), (1,4) is supportable
    assert supportable(game, (3, 3), delta=0.3).at_discount is False
    assert supportable(game, (2, 2), delta=0.3).at_discount is True


# ---------------------------------------------------------------------------
# the equilibrium payoff set


def test_equilibrium_payoff_set_collapses_below_the_threshold():
    # Gibbons' 1.1.A dilemma: below (T - R)/(T - P) = 1/6 only the stage equilibrium (-6, -6)
    gibbons = pd(0, -1, -6, -9)
    low = equilibrium_payoff_set(gibbons, 0.15)
    assert np.allclose(low.vertices, [[-6, -6]], atol=1e-6)
    high = equilibrium_payoff_set(gibbons, F(1, 6))
    assert high.contains([-1, -1], tol=1e-6)
    # Axelrod's payoffs: a point below 1/4; between 1/4 and 1/2 asymmetric profiles are enforceable
    # (the triangle (1,1), (4,1), (1,4)) although grim cannot sustain (C, C); QuantEcon agrees
    axelrod = pd(5, 3, 1, 0)
    assert np.allclose(equilibrium_payoff_set(axelrod, 0.2).vertices, [[1, 1]], atol=1e-6)
    mid = equilibrium_payoff_set(axelrod, 0.4)
    assert mid.area == pytest.approx(4.5, rel=1e-6) and not mid.contains([3, 3])
    full = equilibrium_payoff_set(axelrod, 0.5)
    assert full.area == pytest.approx(20 / 3, rel=1e-6) and full.contains([3, 3])


def test_equilibrium_payoff_set_of_chicken_at_low_discount_is_a_segment():
    # public randomisation between the two pure stage equilibria; (QuantEcon's Qhull needs 3 points here)
    game = Game.from_arrays([[1, 0], [2, -1]], [[1, 2], [0, -1]])
    seg = equilibrium_payoff_set(game, 0.4)
    assert sorted(map(tuple, np.round(seg.vertices, 9))) == [(0, 2), (2, 0)]
    assert seg.contains([1, 1]) and not seg.contains([0.5, 0.5])


def _hausdorff(a, b) -> float:
    d = np.linalg.norm(a[:, None, :] - b[None, :, :], axis=2)
    return max(d.min(axis=1).max(), d.min(axis=0).max())


@pytest.fixture(scope="module")
def quantecon():
    return pytest.importorskip("quantecon")


@pytest.mark.parametrize(
    "payoffs, deltas",
    [
        (([[3, 0], [5, 1]], [[3, 5], [0, 1]]), (0.3, 0.5, 0.7, 0.9)),  # Axelrod's PD
        (([[1, 0], [2, -1]], [[1, 2], [0, -1]]), (0.5, 0.8)),  # Chicken, V = 2, C = 4
    ],
    ids=["prisoners-dilemma", "chicken"],
)
def test_equilibrium_payoff_set_matches_quantecon(quantecon, payoffs, deltas):
    """Vertices within 1e-6 (Hausdorff distance) and area within a relative 1e-6."""
    from scipy.spatial import ConvexHull

    a, b = payoffs
    game = Game.from_arrays(a, b)
    sg = quantecon.game_theory.NormalFormGame(
        (
            quantecon.game_theory.Player(np.array(a, dtype=float)),
            quantecon.game_theory.Player(np.array(b, dtype=float).T),
        )
    )
    for delta in deltas:
        ours = equilibrium_payoff_set(game, delta)
        hull = quantecon.game_theory.RepeatedGame(sg, delta).equilibrium_payoffs()
        theirs = hull.points[hull.vertices]
        theirs = theirs[ConvexHull(theirs).vertices]
        assert ours.converged
        assert _hausdorff(ours.vertices, theirs) < 1e-6, (delta, ours.vertices, theirs)
        assert ours.area == pytest.approx(hull.volume, rel=1e-6)


# ---------------------------------------------------------------------------
# the games library documents its repeated-game results


REPEATED_FILES = sorted(
    p
    for p in GAMES.rglob("*.yaml")
    if "critical_discount" in (yaml.safe_load(p.read_text()).get("expected") or {})
)


@pytest.mark.parametrize("path", REPEATED_FILES, ids=lambda p: p.name)
def test_game_files_reproduce_their_documented_thresholds(path):
    expected = yaml.safe_load(path.read_text())["expected"]
    result = analyse(gt.load(path), payoff_set=False)
    for name, exact in expected["critical_discount"].items():
        assert result.threshold(name).exact == exact, name
    for name, flag in expected.get("sustainable", {}).items():
        assert result.threshold(name).sustainable is flag, name
    if "critical_detection" in expected:
        entry = result.threshold("grim-after-detection")
        assert entry.details["critical_detection_exact"] == expected["critical_detection"]
    for player, value in expected.get("minmax", {}).items():
        assert str(result.values[result.game.player_index(player)].minmax) == value


def test_new_game_files_are_listed():
    assert {p.name for p in REPEATED_FILES} >= {"arms_race_repeated.yaml", "arms_control_verification.yaml"}


# ---------------------------------------------------------------------------
# command line


def test_cli_repeated_json_shape(run_cli):
    out = run_cli("repeated", GAMES / "classics/prisoners_dilemma.yaml", "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["discount"] == 0.9
    assert data["minmax"] == {"State A": 1, "State B": 1}
    assert data["stage_equilibria"][0]["profile"] == {
        "State A": {"Cooperate": 0.0, "Defect": 1.0},
        "State B": {"Cooperate": 0.0, "Defect": 1.0},
    }
    grim = data["strategies"][0]
    assert {k: grim[k] for k in ("name", "critical_discount", "exact", "expression", "sustainable")} == {
        "name": "grim",
        "critical_discount": 0.5,
        "exact": "1/2",
        "expression": "(T - R)/(T - P)",
        "sustainable": True,
    }
    assert {
        "maxmin",
        "minmax_pure",
        "feasible",
        "individually_rational",
        "finite_horizon",
        "equilibrium_payoffs",
        "notes",
    } <= set(data)


def test_cli_repeated_table_and_target(run_cli):
    out = run_cli("repeated", GAMES / "classics/chicken.yaml", "--target", "Swerve,Swerve", "--set", "C=3")
    assert out.exit_code == 0, out.output
    assert "nash-reversion" in out.stdout and "C/(C + V)" in out.stdout
    bad = run_cli("repeated", GAMES / "classics/chicken.yaml", "--target", "Swerve")
    assert bad.exit_code == 2
    assert "one strategy per player" in bad.stderr


def test_cli_repeated_plot(run_cli, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    png = tmp_path / "pd.png"
    out = run_cli("repeated", GAMES / "classics/prisoners_dilemma.yaml", "--plot", png)
    assert out.exit_code == 0, out.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    out = run_cli("repeated", GAMES / "classics/prisoners_dilemma.yaml", "--plot", tmp_path / "x.png")
    assert out.exit_code == 2
    assert "install gametheory[plot]" in out.stderr


def test_errors_are_game_errors():
    game = pd_file()
    with pytest.raises(GameError, match="one strategy per player"):
        analyse(game, target=["Cooperate"])
    with pytest.raises(GameError, match="unknown strategy"):
        analyse(game, target=["Cooperate", "Restrain"])
    with pytest.raises(GameError, match="two-player"):
        equilibrium_payoff_set(Game.from_arrays(*[np.zeros((2, 2, 2), dtype=object)] * 3), 0.5)
