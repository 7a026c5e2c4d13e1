"""Learning and evolutionary dynamics, basins of attraction and the logit QRE (gametheory.dynamics).

Each test checks a known result: the conserved quantity of the replicator
dynamics in Rock-Paper-Scissors, convergence to the mixed ESS in Hawk-Dove,
fictitious play in zero-sum, potential and Shapley's games, regret matching
and the correlated equilibria, and the Stag Hunt's risk-dominance threshold,
also as a parameter moves (through the sweep machinery).  The logit QRE is
tested in ``tests/test_qre.py``.
"""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

import gametheory.cli.dynamics_commands  # noqa: F401  (registers the dynamics and qre commands)
from gametheory import load
from gametheory.dynamics import (
    basins,
    basins_sweep,
    best_response_dynamics,
    fictitious_play,
    logit_dynamics,
    qre_branch,
    regret_matching,
    replicator,
    run,
    stochastic_fictitious_play,
)
from gametheory.errors import GameError
from gametheory.model import Game

from .conftest import GAMES

NOT_SYMMETRIC_3X3 = Game.from_arrays([[3, 0, 1], [0, 2, 0], [1, 1, 1]], [[1, 0, 2], [0, 3, 1], [2, 1, 0]])
SHAPLEY = Game.from_arrays([[0, 1, 0], [0, 0, 1], [1, 0, 0]], [[0, 0, 1], [1, 0, 0], [0, 1, 0]])


def hawk_dove(V, C):
    """Hawk-Dove (Maynard Smith & Price 1973), strategies [Hawk, Dove], one population."""
    A = [[Fraction(V - C, 2), V], [0, Fraction(V, 2)]]
    return Game.from_arrays(A, np.array(A, dtype=object).T, strategies=[["Hawk", "Dove"]] * 2)


@pytest.fixture(scope="module")
def stag_hunt():
    return load(GAMES / "classics/stag_hunt.yaml")


@pytest.fixture(scope="module")
def rps():
    return load(GAMES / "classics/rock_paper_scissors.yaml")


# -- replicator dynamics --------------------------------------------------------------


def test_replicator_rps_conserves_product_of_shares_and_cycles(rps):
    res = replicator(rps, [0.6, 0.3, 0.1], t_max=40, steps=800)
    assert res.populations == "one"
    products = np.array([np.prod(s[0]) for s in res.trajectory])
    assert np.max(np.abs(products - products[0])) < 1e-8 * products[0] * 1e3  # ODE tolerance
    assert res.outcome == "cycle"
    assert res.distance > 0.1  # stays on its orbit, away from (1/3, 1/3, 1/3)


@pytest.mark.parametrize("V, C", [(2, 4), (2, 6), (1, 5)])
def test_replicator_hawk_dove_converges_to_mixed_ess(V, C):
    game = hawk_dove(V, C)
    for seed in (0, 1, 2):
        res = replicator(game, seed=seed)
        assert res.outcome == "equilibrium"
        assert res.end[0][0] == pytest.approx(V / C, abs=1e-6)


def test_replicator_two_populations_when_asked_or_asymmetric(stag_hunt):
    chicken = load(GAMES / "classics/chicken.yaml")
    res = replicator(chicken, [[0.3, 0.7], [0.6, 0.4]], populations="two")
    assert res.populations == "two"
    assert res.outcome == "equilibrium"
    assert max(res.equilibria[res.equilibrium][0]) == 1.0  # off the diagonal: a pure equilibrium
    mp = load(GAMES / "classics/matching_pennies.toml")
    assert replicator(mp, seed=3).populations == "two"
    with pytest.raises(GameError):
        replicator(mp, populations="one")


def test_flows_best_response_and_logit(stag_hunt, rps):
    assert best_response_dynamics(stag_hunt, [0.8, 0.2]).end[0][0] == pytest.approx(1.0)
    assert best_response_dynamics(stag_hunt, [0.5, 0.5]).end[0][0] == pytest.approx(0.0)
    res = logit_dynamics(rps, [0.6, 0.3, 0.1], noise=2.0)
    assert res.end[0] == pytest.approx([1 / 3] * 3, abs=1e-6)  # the QRE, here the uniform profile
    res = logit_dynamics(stag_hunt, [0.9, 0.1], noise=5.0)
    assert res.outcome == "rest-point"  # a QRE near, not at, (Stag, Stag)
    assert 0 < 1 - res.end[0][0] < 0.1
    res = logit_dynamics(stag_hunt, [0.9, 0.1], noise=2.0)  # at lambda = 2 the only QRE is near (Hare, Hare)
    assert res.end[0][0] == pytest.approx(qre_branch(stag_hunt, [2.0]).at[2.0][0][0], abs=1e-6)


# -- fictitious play ----------------------------------------------------------------


def test_fictitious_play_converges_in_matching_pennies():
    mp = load(GAMES / "classics/matching_pennies.toml")
    res = fictitious_play(mp, seed=4, steps=8000)
    assert res.outcome == "equilibrium"
    for x in res.end:
        assert x == pytest.approx([0.5, 0.5], abs=0.02)


def test_fictitious_play_converges_in_a_coordination_game(stag_hunt):
    for seed in range(4):
        res = fictitious_play(stag_hunt, seed=seed, steps=2000)
        assert res.outcome == "equilibrium"
        assert res.equilibria[res.equilibrium] in (((1.0, 0.0), (1.0, 0.0)), ((0.0, 1.0), (0.0, 1.0)))


def test_fictitious_play_cycles_in_shapleys_game():
    res = fictitious_play(SHAPLEY, [[1, 0, 0], [0, 1, 0]], steps=20000)
    assert res.outcome == "cycle"
    assert "the same 6 profiles in the same order" in res.evidence  # the evidence: recurring play
    assert res.movement > 0.1  # the frequencies do not converge
    profile = res.plays[:, 0] * 3 + res.plays[:, 1]
    changes = np.flatnonzero(np.diff(profile)) + 1
    runs = np.diff(np.concatenate([[0], changes, [len(profile)]]))[:-1]  # complete runs
    assert len(runs) >= 12
    assert len(set(profile[changes])) == 6  # it cycles through six profiles
    assert runs[-6:].mean() > 4 * runs[:6].mean()  # with growing run lengths


def test_stochastic_fictitious_play_approaches_the_qre():
    mp = load(GAMES / "classics/matching_pennies.toml")
    res = stochastic_fictitious_play(mp, seed=5, steps=6000, noise=5.0)
    for x in res.end:
        assert x == pytest.approx([0.5, 0.5], abs=0.05)


# -- regret matching ----------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_regret_matching_ends_near_the_correlated_equilibria(seed):
    from gametheory.solvers.correlated import incentive_slacks

    chicken = load(GAMES / "classics/chicken.yaml")
    res = regret_matching(chicken, [0.5, 0.5], seed=seed, steps=20000)
    joint = res.details["joint_distribution"]
    assert joint.shape == (2, 2) and joint.sum() == pytest.approx(1.0)
    violation = max(0.0, max(-s for *_, s in incentive_slacks(chicken, joint)))
    assert violation == pytest.approx(res.details["max_incentive_violation"])
    assert violation < 0.05
    assert res.details["correlated_equilibrium"]


def test_regret_matching_in_rock_paper_scissors(rps):
    res = regret_matching(rps, seed=1, steps=20000)
    assert res.details["max_incentive_violation"] < 0.1


# -- basins of attraction -------------------------------------------------------------


@pytest.mark.parametrize("values", [{}, {"S": -1}, {"R": 6, "T": 1}])
def test_stag_hunt_basins_match_the_risk_dominance_threshold(stag_hunt, values):
    game = stag_hunt.with_parameters(values) if values else stag_hunt
    R, S, T, P = (float(game.values[k]) for k in "RSTP")
    p_star = (P - S) / ((R - T) + (P - S))
    res = basins(game, points=200)
    assert res.populations == "one"
    starts = np.array([s[0][0] for s in res.starts])
    stag = res.equilibria.index(((1.0, 0.0), (1.0, 0.0)))
    hare = res.equilibria.index(((0.0, 1.0), (0.0, 1.0)))
    assert res.share(stag) == pytest.approx(np.mean(starts > p_star))
    assert res.share(stag) == pytest.approx(1 - p_star, abs=1 / 200)
    assert res.share(hare) == pytest.approx(p_star, abs=1 / 200)


def test_basins_sampled_with_a_seed_are_reproducible(stag_hunt, rps):
    a = basins(stag_hunt, sample=60, seed=11, populations="two")
    b = basins(stag_hunt, sample=60, seed=11, populations="two")
    assert a.labels == b.labels and a.shares == b.shares
    assert sum(a.shares.values()) == pytest.approx(1.0)
    r = basins(rps, points=10)
    assert r.shares["cycle"] + r.share(0) == pytest.approx(1.0)  # every interior orbit of RPS is closed ...
    assert r.share(0) * len(r.starts) == pytest.approx(1.0)  # ... but the one starting at the centre
    json.dumps(a.to_dict())


def test_basins_sweep_moves_with_the_parameter(stag_hunt):
    sweep = basins_sweep(stag_hunt, "R=7/2:6:6", points=100)
    assert sweep.values[0] == Fraction(7, 2) and sweep.parameter == "R"  # exact grid points (sensitivity.grid)
    shares = sweep.shares("(Stag, Stag)")
    assert all(a < b for a, b in zip(shares, shares[1:]))  # a larger reward for mutual restraint widens its basin
    assert sweep.keys()[:3] == ["(Stag, Stag)", "mixed (Stag/Hare, Stag/Hare)", "(Hare, Hare)"]
    json.dumps(sweep.to_dict(), allow_nan=False)
    assert sweep.rows()[0] == ["R", "outcome", "equilibrium", "share"]


def risk_dominance_threshold(game, name):
    """The value of parameter ``name`` at which R - T = P - S (the others at their values in ``game``)."""
    R, S, T, P = (game.values[k] for k in "RSTP")
    return {"R": T + P - S, "T": R - P + S, "P": R - T + S, "S": P - R + T}[name]


@pytest.mark.parametrize("rule", ["replicator", "best-response"])
@pytest.mark.parametrize("name, base", [("R", {}), ("S", {}), ("T", {"S": -1})])
def test_two_population_basin_of_stag_crosses_one_half_where_risk_dominance_switches(stag_hunt, rule, name, base):
    game = stag_hunt.with_parameters(base) if base else stag_hunt
    star = risk_dominance_threshold(game, name)
    sweep = basins_sweep(game, (name, star - Fraction(1, 2), star + Fraction(1, 2), 5), rule, populations="two")
    assert sweep.populations == "two" and sweep.values[2] == star
    stag = sweep.shares("(Stag, Stag)")
    hare = sweep.shares("(Hare, Hare)")
    # below the threshold (Hare, Hare) is risk-dominant and has the larger basin; above, (Stag, Stag)
    sign = 1 if name in ("R", "S") else -1  # raising R or S favours Stag, raising T favours Hare
    for k in (0, 1):
        assert sign * (stag[k] - 0.5) < 0 and sign * (stag[4 - k] - 0.5) > 0
    assert stag[2] == hare[2] == 0.5  # at the threshold the flows are symmetric (Stag <-> Hare): half each
    assert sweep.crossings("(Stag, Stag)") == [(star, star)]


def test_one_population_basin_boundary_is_the_mixed_equilibrium(stag_hunt):
    sweep = basins_sweep(stag_hunt, "R=4:8:9", "replicator", points=400)
    for value, res in zip(sweep.values, sweep.results):
        game = stag_hunt.with_parameters({"R": value})
        R, S, T, P = (game.values[k] for k in "RSTP")
        p_star = (P - S) / ((R - T) + (P - S))
        stag = res.equilibria.index(((1.0, 0.0), (1.0, 0.0)))
        starts = np.array([s[0][0] for s in res.starts])
        reaches = np.array([lab == stag for lab in res.labels])
        # every start above p* (and none below) reaches (Stag, Stag): the boundary is p*, within the grid
        assert np.array_equal(reaches, starts > p_star)
        assert res.share(stag) == pytest.approx(1 - float(p_star), abs=1 / 400)


def test_basins_sweep_runs_the_same_in_worker_processes(stag_hunt):
    one = basins_sweep(stag_hunt, "R=4:6:3", "best-response", populations="two", points=8)
    two = basins_sweep(stag_hunt, "R=4:6:3", "best-response", populations="two", points=8, workers=2)
    assert [r.labels for r in one.results] == [r.labels for r in two.results]


def test_basins_reject_unsupported_games():
    with pytest.raises(GameError):
        basins(NOT_SYMMETRIC_3X3)
    with pytest.raises(GameError):
        basins(load(GAMES / "classics/stag_hunt.yaml"), rule="fictitious-play")


# -- seeds and results -------------------------------------------------------------------


@pytest.mark.parametrize("rule", ["replicator", "best-response", "logit", "fictitious-play",
                                  "stochastic-fictitious-play", "regret-matching"])
def test_seeds_make_runs_reproducible(rule):
    game = load(GAMES / "classics/chicken.yaml")
    kw = {"steps": 300} if rule in ("fictitious-play", "stochastic-fictitious-play", "regret-matching") else {}
    a, b = run(game, rule, seed=42, **kw), run(game, rule, seed=42, **kw)
    c = run(game, rule, seed=43, **kw)
    assert a.to_dict() == b.to_dict()
    assert a.to_dict()["trajectory"] != c.to_dict()["trajectory"]
    json.dumps(a.to_dict(), allow_nan=False)
    assert a.rows()[0][0] == "t" and len(a.rows()) == len(a.trajectory) + 1


def test_bad_input_is_a_game_error(stag_hunt):
    with pytest.raises(GameError):
        replicator(stag_hunt, [0.5, 0.2, 0.3])
    with pytest.raises(GameError):
        replicator(stag_hunt, [-1, 2])
    with pytest.raises(GameError, match="sum to 1.1, not 1"):  # not silently rescaled to (0.4545, 0.5455)
        replicator(stag_hunt, [0.5, 0.6])
    assert replicator(stag_hunt, [Fraction(1, 3), Fraction(2, 3)]).start[0][0] == pytest.approx(1 / 3)
    with pytest.raises(GameError):
        replicator(stag_hunt, max_steps=0)
    with pytest.raises(GameError):
        run(stag_hunt, "telepathy")


# -- pictures and the command line ------------------------------------------------------


def test_plots_are_written(tmp_path, stag_hunt, rps):
    pytest.importorskip("matplotlib")
    from gametheory.dynamics.plot import plot_basins_sweep, plot_phase, plot_qre, plot_run

    plot_run(replicator(stag_hunt, [[0.7, 0.3], [0.6, 0.4]], populations="two"), tmp_path / "a.png")
    plot_phase(rps, tmp_path / "b.png")
    plot_qre(qre_branch(load(GAMES / "classics/battle_of_the_sexes.yaml"), [1.0]), tmp_path / "c.png")
    plot_run(fictitious_play(SHAPLEY, seed=1, steps=500), tmp_path / "d.png")
    plot_basins_sweep(basins_sweep(stag_hunt, "R=4:6:3", points=20), tmp_path / "e.png")
    for name in "abcde":
        assert (tmp_path / f"{name}.png").stat().st_size > 5000
    with pytest.raises(GameError):
        plot_phase(NOT_SYMMETRIC_3X3, tmp_path / "f.png")


def test_cli_dynamics(run_cli, tmp_path):
    res = run_cli("dynamics", GAMES / "classics/stag_hunt.yaml", "--start", "0.7,0.3")
    assert res.exit_code == 0, res.output
    assert "approaches equilibrium" in res.output and "(Stag, Stag)" in res.output
    res = run_cli("dynamics", GAMES / "classics/chicken.yaml", "--rule", "regret-matching", "--seed", "7", "--steps",
                  "2000", "--format", "json")
    data = json.loads(res.output)
    assert data["rule"] == "regret-matching" and data["seed"] == 7 and "max_incentive_violation" in data
    res = run_cli("dynamics", GAMES / "classics/matching_pennies.toml", "--rule", "fictitious-play", "--seed", "1",
                  "--steps", "100", "--format", "csv")
    assert res.output.splitlines()[0] == "t,Matcher:Heads,Matcher:Tails,Mismatcher:Heads,Mismatcher:Tails"
    plot = tmp_path / "sh.png"
    res = run_cli("dynamics", GAMES / "classics/stag_hunt.yaml", "--basins", "--points", "30", "--plot", plot)
    assert res.exit_code == 0 and plot.exists()
    assert "(Hare, Hare)" in res.output
    res = run_cli("dynamics", GAMES / "classics/stag_hunt.yaml", "--start", "0.7")
    assert res.exit_code == 2 and "expected 2 probabilities" in res.stderr


def test_cli_basins_as_a_parameter_moves(run_cli, tmp_path):
    plot = tmp_path / "sweep.png"
    path = GAMES / "classics/stag_hunt.yaml"
    res = run_cli("dynamics", path, "--basins", "--populations", "two", "--vary", "R=4:6:5", "--plot", plot)
    assert res.exit_code == 0, res.output
    assert "At R = 5 the shares reaching (Stag, Stag) and (Hare, Hare) cross 1/2." in res.output and plot.exists()
    res = run_cli("dynamics", path, "--basins", "--vary", "R=4:6:3", "--format", "json")
    data = json.loads(res.output)
    assert data["parameters"] == ["R"] and [p["exact"]["R"] for p in data["points"]] == ["4", "5", "6"]
    assert data["points"][1]["basins"][0]["key"] == "(Stag, Stag)"
    res = run_cli("dynamics", path, "--basins", "--vary", "R=4:6:3", "--format", "csv")
    assert res.output.splitlines()[0] == "R,outcome,equilibrium,share"
    res = run_cli("dynamics", path, "--vary", "R=4:6:3")
    assert res.exit_code == 2 and "--basins" in res.stderr
    res = run_cli("dynamics", path, "--basins", "--vary", "Q=4:6:3")
    assert res.exit_code == 2


# -- numerical robustness of the flows (regressions) -------------------------------------

CRISIS3 = """
title: Crisis 3x3
parameters:
  v: {value: 4, range: [1, 10]}
  c: {value: 6, range: [1, 10]}
  d: {value: 1, range: [0, 5]}
players:
  Blue: [Concede, Defend, Escalate]
  Red: [Concede, Defend, Escalate]
payoffs:
  Blue: [[0, -1, -1], [1, 0, -d], [v/2, d, -c]]
  Red:  [[0, 1, v/2], [-1, 0, d], [-1, -d, -c]]
"""

# a symmetric crisis game with three strict equilibria, negative payoffs and a payoff unit s
CRISIS_COORDINATION = """
title: Crisis coordination
parameters:
  s: {value: 1, range: [0.01, 100]}
players:
  Blue: [Concede, Defend, Escalate]
  Red: [Concede, Defend, Escalate]
payoffs:
  Blue: [[2*s, -1*s, -6*s], [1*s, 3*s, -4*s], [-2*s, 0, 1*s]]
  Red:  [[2*s, 1*s, -2*s], [-1*s, 3*s, 0], [-6*s, -4*s, 1*s]]
"""

TWO_PLAYER_GAMES = sorted(p for p in list(GAMES.rglob("*.yaml")) + list(GAMES.rglob("*.toml"))
                          if load(p).n_players == 2)


def off_simplex(res):
    """The largest violation of ``x >= 0, sum x = 1`` over every recorded state."""
    return max(max(abs(float(np.sum(x)) - 1.0), -float(np.min(x))) for s in res.trajectory for x in s)


def regrets(U, profile):
    """Each player's gain from its best pure deviation (computed here, independently of the package)."""
    A, B = U
    x, y = (np.asarray(p, dtype=float) for p in profile)
    return [float((A @ y).max() - x @ A @ y), float((x @ B).max() - x @ B @ y)]


def end_is_verified(res):
    """Whether a two-player run's ``equilibrium`` verdict holds, checked from scratch.

    Within tol of the reported (verified) equilibrium; or settled at an approximate equilibrium (a point of
    a component); or inside the region where a strict pure equilibrium provably attracts: each player's gap
    at the equilibrium exceeds twice its payoff spread times the other population's mass off it.
    """
    eq = res.equilibria[res.equilibrium]
    U = np.asarray(res.game.payoff_array, dtype=float)
    spreads = [float(U[i].max() - U[i].min()) for i in range(2)]
    if res.distance <= res.tol:
        return True
    if res.component is not None:
        return res.movement <= res.tol and all(r <= res.tol * s for r, s in zip(regrets(U, res.end), spreads))
    if not all(max(x) == 1.0 for x in eq):
        return False
    a, b = (int(np.argmax(x)) for x in eq)
    gap_row = U[0][a, b] - max(U[0][i, b] for i in range(U.shape[1]) if i != a)
    gap_col = U[1][a, b] - max(U[1][a, j] for j in range(U.shape[2]) if j != b)
    mass_row, mass_col = 1 - res.end[0][a], 1 - res.end[1][b]
    return gap_row > 2 * spreads[0] * mass_col and gap_col > 2 * spreads[1] * mass_row


@pytest.mark.parametrize("path", TWO_PLAYER_GAMES, ids=lambda p: str(p.relative_to(GAMES)))
def test_replicator_on_every_two_player_game_stays_on_the_simplex_and_ends_with_evidence(path):
    import time

    game = load(path)
    runs = [(seed, "auto") for seed in (0, 1, 2, 3)] + ([(4, "two")] if game.is_symmetric() else [])
    for seed, populations in runs:
        began = time.perf_counter()
        res = replicator(game, seed=seed, populations=populations)
        assert time.perf_counter() - began < 20  # bounded (the step cap); in practice well under a second
        assert res.details["solver"]["steps"] <= res.details["solver"]["max_steps"]
        assert off_simplex(res) <= 1e-9, (seed, populations)
        assert res.outcome in ("equilibrium", "cycle", "did-not-settle"), (seed, populations, res.describe())
        if res.outcome == "equilibrium":
            assert end_is_verified(res), (seed, populations, res.describe())
        if res.outcome == "cycle":
            assert any(word in res.evidence for word in ("conserved", "keeps oscillating", "pass near")), res.evidence
        json.dumps(res.to_dict(), allow_nan=False)
        assert "-0.0000" not in res.describe()


@pytest.mark.parametrize("args", [
    ("security/security_dilemma.yaml", "--seed", "3"),
    ("security/deterrence.yaml", "--seed", "2"),
    ("security/deterrence.yaml", "--seed", "3"),
    ("security/inspection.yaml", "--seed", "1"),
    ("security/inspection.yaml", "--seed", "3"),
    ("security/missile_defence_nato_russia_iran.yaml", "--seed", "1"),
])
def test_runs_that_made_the_ode_solver_fail_now_end_where_they_should(run_cli, args):
    res = run_cli("dynamics", GAMES / args[0], *args[1:], "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    for state in data["trajectory"]:
        for player in data["end"]:
            shares = list(state[player].values())
            assert min(shares) >= 0 and abs(sum(shares) - 1) < 1e-9  # no share of 1.0181
    if "inspection" in args[0]:  # no pure equilibrium: closed orbits around the mixed one (a 2x2 cyclic game)
        assert data["outcome"] == "cycle" and "conserved" in data["evidence"]
    else:
        assert data["outcome"] == "equilibrium"  # not "a rest point that is not a Nash equilibrium"
    table = run_cli("dynamics", GAMES / args[0], *args[1:])
    assert "-0.0000" not in table.output and "not a Nash equilibrium" not in table.output


def test_crisis_game_runs_stay_on_the_simplex_and_its_basins_go_to_the_ess(game_file):
    game = load(game_file(CRISIS3, "crisis3.yaml"))
    for seed in (1, 2, 3, 4, 5):
        for populations in ("auto", "two"):
            res = replicator(game, seed=seed, populations=populations)
            assert off_simplex(res) <= 1e-9
            assert res.outcome == "equilibrium" and end_is_verified(res), res.describe()
    # Concede is weakly dominated by Defend, and the Defend/Escalate edge is a Hawk-Dove game with ESS
    # Defend 5/6: in one population every interior start goes there (none "cycles")
    res = basins(game)
    ess = res.equilibria.index(((0.0, 5 / 6, 1 / 6), (0.0, 5 / 6, 1 / 6)))
    assert res.share(ess) == 1.0


def test_basins_of_strict_equilibria_do_not_depend_on_the_payoff_unit(game_file):
    game = load(game_file(CRISIS_COORDINATION, "crisis_coordination.yaml"))
    res = basins(game, points=12)
    strict = {k for k, eq in enumerate(res.equilibria) if all(max(x) == 1.0 for x in eq)}
    assert len(strict) == 3 and set(res.labels) <= strict  # every start reaches a strict equilibrium
    for unit in (Fraction(1, 20), 20):  # slow and fast versions of the same orbits
        scaled = basins(game.with_parameters({"s": unit}), points=12)
        assert scaled.labels == res.labels
    for k in range(0, len(res.starts), 13):  # the labels agree with single, adaptive runs
        run_k = replicator(game, res.starts[k], t_max=200)
        assert run_k.outcome == "equilibrium" and run_k.equilibrium == res.labels[k]


def test_the_three_player_extended_deterrence_run_finishes_in_seconds():
    import time

    game = load(GAMES / "security/extended_deterrence.yaml")
    began = time.perf_counter()
    res = replicator(game, seed=2)
    assert time.perf_counter() - began < 5  # it used to run for more than 13 minutes
    assert off_simplex(res) <= 1e-9
    assert res.outcome == "equilibrium" and res.component is not None  # a degenerate game: a continuum


def test_every_run_is_bounded_by_the_step_cap_and_says_so(rps):
    import time

    fast = rps.with_parameters({"win": 1000, "loss": 1000})  # orbits a thousand times faster
    began = time.perf_counter()
    res = replicator(fast, seed=1, t_max=1000, max_steps=300)
    assert time.perf_counter() - began < 5
    assert res.details["solver"]["capped"] and res.details["solver"]["steps"] == 300
    assert res.times[-1] < 1000 and off_simplex(res) <= 1e-9
    assert "the run stopped at its cap of 300 solver steps" in res.describe() or \
        res.describe().startswith("did not settle within 300 solver steps")
    res = replicator(fast, seed=1, t_max=1000, max_steps=3)
    assert res.outcome == "did-not-settle" and "within 3 solver steps" in res.describe()


def test_cycles_need_evidence_and_spirals_are_not_cycles(rps):
    res = replicator(rps.with_parameters({"win": 1.05}), [0.6, 0.3, 0.1])  # the equilibrium attracts, slowly
    assert res.outcome == "did-not-settle" and "spiralling in" in res.evidence
    res = replicator(rps.with_parameters({"loss": 2}), [0.6, 0.3, 0.1])  # spirals out to the boundary cycle
    assert res.outcome == "cycle" and "pass near the pure profiles" in res.evidence
    shapley = load(GAMES / "classics/shapley.yaml")
    res = replicator(shapley, seed=0, populations="two", t_max=300)  # Shapley's heteroclinic cycle of six
    assert res.outcome == "cycle" and "staying longer each time round" in res.evidence
    assert replicator(shapley, seed=0, populations="two").outcome == "did-not-settle"  # too soon to tell at t=50


def test_rest_points_of_the_replicator_need_every_present_strategy_to_stop_growing():
    game = hawk_dove(2, 4)
    res = replicator(game, [0.0, 1.0])  # all Dove: Hawk is absent and cannot invade
    assert res.outcome == "rest-point"
    res = replicator(game, [1e-12, 1 - 1e-12], t_max=5)  # a trace of Hawk is invading
    assert res.outcome == "did-not-settle" and "still invading" in res.evidence


def test_cli_start_must_be_a_probability_vector(run_cli):
    path = GAMES / "security/security_dilemma.yaml"
    res = run_cli("dynamics", path, "--start", "0.5,0.6")
    assert res.exit_code == 2
    assert res.stderr.strip().splitlines() == [
        "error: --start '0.5,0.6': the probabilities sum to 1.1, not 1 (each --start is one mixed strategy, "
        "with one probability per strategy)"]
    res = run_cli("dynamics", path, "--start", "0.4,0.6", "--start", "1/3,2/3", "--populations", "two",
                  "--format", "json")
    data = json.loads(res.output)
    assert data["start"]["Russia"]["Restrain"] == pytest.approx(1 / 3)
    res = run_cli("dynamics", path, "--start", "0.4,0.6", "--start", "1/3,2/3")  # one population, one state
    assert res.exit_code == 2 and "--populations two" in res.stderr
    res = run_cli("dynamics", path, "--rule", "fictitious-play", "--max-steps", "10")
    assert res.exit_code == 2 and "--max-steps" in res.stderr


def test_tables_never_print_negative_zero(run_cli, game_file):
    from gametheory.cli.dynamics_commands import _share

    assert _share(-1e-17) == "0.0000" and _share(-0.00004) == "0.0000" and _share(0.25) == "0.2500"
    res = run_cli("dynamics", game_file(CRISIS3, "crisis3.yaml"), "--seed", "4")
    assert res.exit_code == 0 and "-0.0000" not in res.output
