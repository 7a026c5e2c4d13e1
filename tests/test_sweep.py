"""Sweeps: batch results equal per-point exact solutions, whatever the back-end; output shapes.

The property tests draw random 2x2 and 3x3 games whose payoffs are affine in one
parameter p, with small integer coefficients, and sweep p over a grid of
quarters: many thresholds (roots of a + b p) then fall exactly on grid points,
where the game is degenerate.  At every grid point the sweep's equilibria
(from the batch, or from the exact per-point solve at flagged points) must be
the per-point solver's, and degenerate points must carry the exact answer.
"""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gametheory as gt
import gametheory.cli.sensitivity_commands  # noqa: F401  (registers the commands)
from gametheory.sensitivity.batch import solve_batch
from gametheory.sensitivity.sweep import sweep

from .conftest import GAMES


def per_point(game):
    """The reference: the general solver if present, else exact vertex enumeration."""
    try:
        from gametheory.solvers import solve
    except ImportError:
        from gametheory.solvers.enumeration import enumerate_equilibria

        return enumerate_equilibria(game)
    return solve(game, method="enumeration") if game.n_players == 2 else solve(game)


def affine_game(coefficients, shape):
    """A two-player game whose payoffs are ``a + b*p`` (integers a, b)."""
    m, n = shape
    arrays = []
    it = iter(coefficients)
    for _ in range(2):
        arrays.append([[f"{next(it)} + ({next(it)})*p" for _ in range(n)] for _ in range(m)])
    return gt.Game.from_arrays(*arrays, parameters={"p": 0})


def profile_set(eqs):
    return sorted(tuple(round(float(v), 9) for x in e.profile for v in x) for e in eqs)


def check_sweep_against_points(game, result):
    for index in range(result.n_points):
        values = result.values_at(index)
        reference = per_point(game.with_parameters(values))
        got = result.solution_at(index)
        assert got is not None
        assert profile_set(got.equilibria) == profile_set(reference.equilibria), values
        assert bool(got.degenerate) == bool(reference.degenerate), values
        if index not in result.solutions:
            # a batch point: the float arrays themselves must match the exact solution
            floats = []
            for h in result.hits:
                if h.mask[index]:
                    col = int(np.count_nonzero(h.mask[:index]))
                    floats.append(tuple(round(float(v), 9) for v in h.profiles(game.shape)[col]))
            assert sorted(floats) == profile_set(reference.equilibria), values


coefficients = st.integers(min_value=-3, max_value=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(coefficients, min_size=16, max_size=16))
def test_random_2x2_sweeps_equal_per_point_solutions(coeffs):
    game = affine_game(coeffs, (2, 2))
    result = sweep(game, ["p=-2:2:17"])
    check_sweep_against_points(game, result)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(coefficients, min_size=36, max_size=36))
def test_random_3x3_sweeps_equal_per_point_solutions(coeffs):
    game = affine_game(coeffs, (3, 3))
    result = sweep(game, ["p=-2:2:9"])
    check_sweep_against_points(game, result)


def test_security_dilemma_regimes_and_the_degenerate_point():
    game = gt.load(GAMES / "security/security_dilemma.yaml")
    result = sweep(game, ["g=-3:3:61"])
    assert [r.points for r in result.regimes] == [30, 1, 30]
    middle = result.regimes[1]
    assert result.values_at(middle.point) == {"g": 0}
    at_zero = result.solution_at(result.index_of(g=0))
    assert at_zero.degenerate and at_zero.equilibria[0].exact
    # the stag hunt's mixed equilibrium at g = -1 is exactly 2/3
    eqs = result.solution_at(result.index_of(g=-1)).equilibria
    mixed = [e for e in eqs if not e.pure]
    assert mixed[0].profile[0] == (Fraction(2, 3), Fraction(1, 3))
    dicts = [result.regime_dict(r) for r in result.regimes]
    assert [d["classification"] for d in dicts] == ["stag hunt", "boundary (R = T)", "prisoner's dilemma"]


def test_two_parameter_regions():
    game = gt.load(GAMES / "security/security_dilemma.yaml")
    result = sweep(game, ["g=-3:3:13", "L=1/2:11/2:11"])
    kinds = {result.regime_dict(r).get("classification") for r in result.regimes}
    assert {"stag hunt", "prisoner's dilemma", "chicken", "harmony"} <= kinds
    assert {k for k in kinds if not k.startswith("boundary")} == {"stag hunt", "prisoner's dilemma", "chicken",
                                                                   "harmony"}


def test_batch_flags_ties_and_even_counts():
    # matching pennies with a tie: identical rows at every point is degenerate everywhere
    payoffs = np.zeros((2, 2, 2, 3))
    payoffs[0] = np.array([[1, 1], [1, 1]])[:, :, None]
    payoffs[1] = np.array([[1, 0], [0, 1]])[:, :, None]
    batch = solve_batch(payoffs, (2, 2))
    assert batch.flagged.all()


def test_n_player_pure_sweep():
    arrays = [[[["p", "0"], ["0", "1"]], [["0", "1"], ["1", "0"]]]] * 3
    game = gt.Game.from_arrays(*arrays, parameters={"p": 1})
    result = sweep(game, ["p=-1:1:5"])
    assert any("pure equilibria" in n for n in result.notes)
    for index in range(result.n_points):
        from gametheory.solvers.pure import pure_equilibria

        ref = pure_equilibria(game.with_parameters(result.values_at(index)))
        assert profile_set(result.solution_at(index).equilibria) == profile_set(ref)


def _signature(result):
    return (
        result.structure.tolist(),
        [(h.pattern, h.mask.tolist(), None if h.probs is None else h.probs.tolist(), h.payoffs.tolist())
         for h in result.hits],
        sorted((k, profile_set(v.equilibria)) for k, v in result.solutions.items()),
    )


def test_identical_results_with_workers():
    game = gt.load(GAMES / "security/security_dilemma.yaml")
    one = sweep(game, ["g=-3:3:41", "L=0:6:41"], chunk_size=200)
    two = sweep(game, ["g=-3:3:41", "L=0:6:41"], chunk_size=200, workers=2)
    assert _signature(one) == _signature(two)


def test_identical_results_on_a_local_dask_cluster():
    distributed = pytest.importorskip("distributed")
    game = gt.load(GAMES / "security/security_dilemma.yaml")
    local = sweep(game, ["g=-3:3:31", "L=0:6:31"], chunk_size=150)
    with distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster:
        remote = sweep(game, ["g=-3:3:31", "L=0:6:31"], chunk_size=150, scheduler=cluster.scheduler_address)
    assert _signature(local) == _signature(remote)


def test_undefined_payoffs_are_marked():
    game = gt.Game.from_arrays([["log(p)", "0"], ["0", "1"]], [["1", "0"], ["0", "1"]], parameters={"p": 1})
    result = sweep(game, ["p=-1:1:5"])
    assert result.undefined.tolist() == [True, True, True, False, False]
    assert result.solution_at(0) is None


# ---------------------------------------------------------------------------
# output shapes and the command line


def test_csv_columns_and_rows():
    game = gt.load(GAMES / "security/security_dilemma.yaml")
    result = sweep(game, ["g=-3:3:7"])
    lines = result.csv_bytes().decode().splitlines()
    assert lines[0].split(",") == ["g", "equilibrium", "NATO:Restrain", "NATO:Arm", "Russia:Restrain",
                                   "Russia:Arm", "payoff:NATO", "payoff:Russia", "pure", "degenerate"]
    # stag hunt points (-3, -2, -1): 3 equilibria; g = 0: 2 (degenerate); PD points: 1
    assert len(lines) == 1 + 3 * 3 + 2 + 3
    assert lines[1] == "-3,1,1,0,1,0,0,0,true,false"
    assert lines[2].startswith("-3,2,0.4,0.6,0.4,0.6,-1.8,-1.8,false")
    assert lines[10].endswith("true,true")


def test_cli_sweep_formats(run_cli, tmp_path):
    path = GAMES / "security/security_dilemma.yaml"
    res = run_cli("sweep", path, "--vary", "g=-3:3:7", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["parameters"] == ["g"]
    assert len(data["points"]) == 7
    point = data["points"][3]
    assert point["values"] == {"g": 0} and point["degenerate"] is True
    assert set(point["equilibria"][0]) >= {"profile", "exact", "payoffs", "pure"}
    assert [r["classification"] for r in data["regimes"]] == ["stag hunt", "boundary (R = T)", "prisoner's dilemma"]
    assert {"from", "to", "classification", "equilibria"} <= set(data["regimes"][0])
    out = tmp_path / "s.csv"
    res = run_cli("sweep", path, "--vary", "g=-3:3:7", "--format", "csv", "-o", out)
    assert res.exit_code == 0
    assert out.read_text().startswith("g,equilibrium,NATO:Restrain")
    res = run_cli("sweep", path, "--vary", "g=-3:3:7")
    assert res.exit_code == 0 and "prisoner's dilemma" in res.stdout and "Regimes" in res.stdout
    res = run_cli("sweep", path, "--vary", "x=0:1")
    assert res.exit_code == 2 and "unknown parameter" in res.stderr


def test_cli_sweep_plots(run_cli, tmp_path):
    pytest.importorskip("matplotlib")
    path = GAMES / "security/security_dilemma.yaml"
    line, grid = tmp_path / "line.png", tmp_path / "map.png"
    assert run_cli("sweep", path, "--vary", "g=-3:3:31", "--plot", line).exit_code == 0
    assert run_cli("sweep", path, "--vary", "g=-3:3:21", "--vary", "L=0:6:21", "--plot", grid).exit_code == 0
    assert line.stat().st_size > 10_000 and grid.stat().st_size > 10_000


def test_scheduler_without_dask_or_server_is_a_clean_error(run_cli):
    res = run_cli("sweep", GAMES / "security/security_dilemma.yaml", "--vary", "g=-3:3:7",
                  "--scheduler", "nonsense://nowhere")
    assert res.exit_code == 2
    assert "scheduler" in res.stderr or "Dask" in res.stderr


def test_two_parameter_table_names_every_type_in_a_region_and_says_when_it_is_not_a_rectangle(run_cli):
    out = run_cli("sweep", GAMES / "security" / "security_dilemma.yaml", "--vary", "g=-3:3:61",
                  "--vary", "L=0:6:61").stdout
    flat = " ".join(out.split())
    # the lines g = 0 (R = T) and L = k = 1 (P = S) share their equilibria: one region, two types, an L shape
    assert "within g -3..0, L 1..6" in flat
    assert "boundary (R = T) or boundary (P = S)" in flat or "boundary (P = S) or boundary (R = T)" in flat
    assert "g = 0, L 0..9/10" in flat  # a segment is named by its fixed value
