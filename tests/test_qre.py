"""The logit QRE tracer (gametheory.solvers.logit): Gambit's limits, bifurcations, turning points, selection.

The principal branch is checked against ``pygambit.nash.logit_solve`` on every
two-player game of the library with at most three strategies each.  Where the
branch meets a bifurcation the test does not excuse the game: it shows that
the bifurcation is real and non-generic (the QRE equations lose rank there,
so it is not a turning point; just beyond it three QREs exist at the same
lambda, one on the branch and one on each arm; below it there is one; and a
symmetry of the game fixes the branch and swaps the arms), and that Gambit's
limit is the end of one of the arms.
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

import numpy as np
import pytest
from scipy.optimize import brentq, fsolve

import gametheory.dynamics
import gametheory.solvers.logit
from gametheory import load
from gametheory.errors import GameError
from gametheory.model import Game
from gametheory.solvers import solve
from gametheory.solvers.logit import logit_solve, qre_branch

from .conftest import GAMES

GAME_SUFFIXES = (".yaml", ".yml", ".toml", ".json", ".nfg")

# McKelvey's game with a backward bend in the principal branch (Gambit's loopback.nfg): a turning point.
LOOPBACK = Game.from_arrays([[6, 6], [Fraction(183, 25), 1]], [[7, 7], [6, 4]])


def _small_two_player_games():
    out = []
    for path in sorted(p for p in GAMES.rglob("*") if p.is_file() and p.suffix in GAME_SUFFIXES):
        game = load(path)
        if game.n_players == 2 and max(game.shape) <= 3:
            out.append(pytest.param(str(path.relative_to(GAMES)), id=str(path.relative_to(GAMES))))
    return out


def close(p, q, tol):
    return all(abs(float(a) - float(b)) <= tol for x, y in zip(p, q) for a, b in zip(x, y))


# -- an independent look at the QRE equations (probabilities, not the tracer's log-coordinates) ----------


def logit_response(game, profile, lam):
    """Each player's logit response to ``profile`` at precision ``lam``."""
    A, B = np.asarray(game.payoff_array, dtype=float)
    x, y = (np.asarray(p, dtype=float) for p in profile)
    out = []
    for u in (A @ y, x @ B):
        e = np.exp(lam * (u - u.max()))
        out.append(e / e.sum())
    return out


def residual(game, flat, lam):
    """``F(x, lambda) = x - logit_lambda(u(x))`` on the free coordinates (all but each player's last)."""
    m, n = game.shape
    x = np.append(flat[: m - 1], 1 - flat[: m - 1].sum())
    y = np.append(flat[m - 1 :], 1 - flat[m - 1 :].sum())
    rx, ry = logit_response(game, (x, y), lam)
    return np.concatenate([x[:-1] - rx[:-1], y[:-1] - ry[:-1]])


def free(profile):
    return np.concatenate([np.asarray(p, dtype=float)[:-1] for p in profile])


def full_jacobian(game, profile, lam, h=1e-6):
    """``[dF/dx, dF/dlambda]`` by central differences."""
    z = free(profile)
    cols = []
    for k in range(len(z) + 1):
        e = np.zeros(len(z) + 1)
        e[k] = h
        plus, minus = np.append(z, lam) + e, np.append(z, lam) - e
        cols.append((residual(game, plus[:-1], plus[-1]) - residual(game, minus[:-1], minus[-1])) / (2 * h))
    return np.array(cols).T


def qre_near(game, profile, lam):
    """The QRE at ``lam`` nearest ``profile`` (Newton via fsolve), checked to be one."""
    m, _ = game.shape
    sol = fsolve(lambda f: residual(game, f, lam), free(profile), xtol=1e-13)
    assert np.max(np.abs(residual(game, sol, lam))) < 1e-10
    return np.append(sol[: m - 1], 1 - sol[: m - 1].sum()), np.append(sol[m - 1 :], 1 - sol[m - 1 :].sum())


def count_qre_2x2(game, lam):
    """All QREs of a 2x2 game at ``lam``: roots of a one-dimensional equation in the column player's logit."""
    A, B = np.asarray(game.payoff_array, dtype=float)

    def p_of(q):  # row's probability of its first strategy against q
        return 1 / (1 + np.exp(-lam * ((A[0, 0] - A[1, 0]) * q + (A[0, 1] - A[1, 1]) * (1 - q))))

    def f(w):  # w = logit(q); zero when q is column's logit response to row's response to q
        p = p_of(1 / (1 + np.exp(-w)))
        return w - lam * ((B[0, 0] - B[0, 1]) * p + (B[1, 0] - B[1, 1]) * (1 - p))

    w = np.linspace(-60, 60, 400001)
    v = f(w)
    return int(np.sum(np.sign(v[:-1]) != np.sign(v[1:])))


def symmetries(game):
    """The automorphisms of a two-player game, as maps of mixed profiles: relabel strategies, maybe swap players."""
    A, B = np.asarray(game.payoff_array, dtype=float)
    m, n = game.shape
    out = []
    for phi in itertools.permutations(range(m)):
        for psi in itertools.permutations(range(n)):
            if all(A[phi[a], psi[b]] == A[a, b] and B[phi[a], psi[b]] == B[a, b] for a in range(m) for b in range(n)):
                out.append(lambda p, phi=phi, psi=psi: (np.asarray(p[0])[np.argsort(phi)],
                                                        np.asarray(p[1])[np.argsort(psi)]))
    if m == n:  # swap the players: s1' = phi(s2), s2' = psi(s1)
        for phi in itertools.permutations(range(m)):
            for psi in itertools.permutations(range(n)):
                if all(A[phi[b], psi[a]] == B[a, b] and B[phi[b], psi[a]] == A[a, b]
                       for a in range(m) for b in range(n)):
                    out.append(lambda p, phi=phi, psi=psi: (np.asarray(p[1])[np.argsort(phi)],
                                                            np.asarray(p[0])[np.argsort(psi)]))
    return out[1:]  # without the identity


def demonstrate_bifurcation(game, branch, bif):
    """Assert that ``bif`` is a genuine, symmetry-induced bifurcation of the principal branch."""
    lam = bif.lam
    # 1. a QRE, where the QRE equations lose rank in (x, lambda) together: a crossing of branches,
    #    not a turning point (at a turning point only dF/dx is singular)
    assert np.max(np.abs(residual(game, free(bif.profile), lam))) < 1e-8
    s = np.linalg.svd(full_jacobian(game, bif.profile, lam), compute_uv=False)
    assert s[-1] < 1e-5 * s[0]
    # 2. just beyond it, three distinct QREs at the same lambda: on the branch and on each arm
    beyond = lam + 0.02
    at = qre_branch(game, [beyond], equilibria=branch.equilibria, arms=False).at[beyond]
    on_branch = qre_near(game, at, beyond)
    assert len(bif.arms) == 2
    on_arms = []
    for arm in bif.arms:
        k = int(np.argmin(np.abs(np.asarray(arm.lambdas) - beyond)))
        on_arms.append(qre_near(game, arm.profiles[k], beyond))
    points = [on_branch] + on_arms
    for p, q in itertools.combinations(points, 2):
        assert not close(p, q, 1e-3)
    if tuple(game.shape) == (2, 2):  # counted independently of the tracer
        assert count_qre_2x2(game, lam - 0.02) == 1
        assert count_qre_2x2(game, beyond) == 3
    # 3. non-generic: a symmetry of the game fixes the branch and exchanges the arms
    a, b = (arm.limit for arm in bif.arms)
    assert any(close(g(branch.limit), branch.limit, 1e-6) and close(g(a), b, 1e-6) for g in symmetries(game))


@pytest.mark.parametrize("name", _small_two_player_games())
def test_qre_branch_matches_gambit_logit_solve(name):
    pygambit = pytest.importorskip("pygambit")
    game = load(GAMES / name)
    branch = qre_branch(game)
    assert branch.equilibrium is not None or branch.component is not None  # the limit is an equilibrium
    gbt_game = pygambit.Game.from_arrays(*np.asarray(game.payoff_array, dtype=float))
    eq = pygambit.nash.logit_solve(gbt_game).equilibria[0]
    theirs = [[float(eq[s]) for s in p.strategies] for p in gbt_game.players]
    if branch.unique:
        assert close(branch.limit, theirs, 1e-4)
        return
    for bif in branch.bifurcations:
        demonstrate_bifurcation(game, branch, bif)
    # Gambit perturbs its equations at the bifurcation, which sends it along one arm (or, as in Chicken,
    # it stops at lambda = 0 because uniform play is already an equilibrium)
    limits = [branch.limit] + [arm.limit for bif in branch.bifurcations for arm in bif.arms]
    assert any(close(limit, theirs, 1e-4) for limit in limits)


def test_battle_of_the_sexes_bifurcation_where_the_symmetric_branch_loses_stability():
    """On the symmetric branch p = 1 - q, p = L(lambda (2 - 3p)); it forks where 3 lambda p (1 - p) = 1."""
    game = load(GAMES / "classics/battle_of_the_sexes.yaml")
    p = brentq(lambda p: p - 1 / (1 + np.exp(-(2 - 3 * p) / (3 * p * (1 - p)))), 0.5, 2 / 3, xtol=1e-15)
    lam = 1 / (3 * p * (1 - p))
    branch = qre_branch(game)
    (bif,) = branch.bifurcations
    assert bif.lam == pytest.approx(lam, abs=1e-7)
    assert close(bif.profile, [[p, 1 - p], [1 - p, p]], 1e-6)
    # the branch carries on along the symmetric QREs to the mixed equilibrium; the arms go to the pure ones
    assert branch.equilibria[branch.equilibrium] == ((2 / 3, 1 / 3), (1 / 3, 2 / 3))
    assert sorted(arm.equilibrium for arm in bif.arms) == sorted(
        k for k, e in enumerate(branch.equilibria) if max(e[0]) == 1.0)
    assert logit_solve(game).details["bifurcations"] == [pytest.approx(lam, abs=1e-6)]


def test_turning_points_are_followed_not_mistaken_for_bifurcations():
    pygambit = pytest.importorskip("pygambit")
    branch = qre_branch(LOOPBACK)
    lambdas = np.asarray(branch.lambdas)
    bends = np.flatnonzero(np.diff(np.sign(np.diff(lambdas))) != 0) + 1
    assert len(bends) == 2  # lambda rises, falls back, rises again: two turning points ...
    assert branch.unique  # ... and no bifurcation
    for k in bends:  # locate each turning point exactly: a QRE where dF/dx is singular
        def fold(v):
            x, lam = v[:-1], v[-1]
            jac = full_jacobian(LOOPBACK, [np.append(x[:1], 1 - x[0]), np.append(x[1:], 1 - x[1])], lam)
            return np.append(residual(LOOPBACK, x, lam), np.linalg.det(jac[:, :-1]))

        v = fsolve(fold, np.append(free(branch.profiles[k]), lambdas[k]), xtol=1e-10)
        assert np.max(np.abs(fold(v))) < 1e-9 and abs(v[-1] - lambdas[k]) < 0.01
        x = [np.append(v[:1], 1 - v[0]), np.append(v[1:2], 1 - v[1])]
        jac = full_jacobian(LOOPBACK, x, v[-1])
        s_x = np.linalg.svd(jac[:, :-1], compute_uv=False)
        s_full = np.linalg.svd(jac, compute_uv=False)
        assert s_x[-1] < 1e-7 * s_x[0]  # singular in x ...
        assert s_full[-1] > 1e-3 * s_full[0]  # ... but not with lambda: a turning point, not a crossing
    gbt_game = pygambit.Game.from_arrays(*np.asarray(LOOPBACK.payoff_array, dtype=float))
    eq = pygambit.nash.logit_solve(gbt_game).equilibria[0]
    assert close(branch.limit, [[float(eq[s]) for s in p.strategies] for p in gbt_game.players], 1e-4)


def test_qre_at_given_lambdas_is_a_fixed_point():
    game = load(GAMES / "classics/stag_hunt.yaml")
    branch = qre_branch(game, [0.0, 0.5, 2.0])
    assert branch.at[0.0][0] == pytest.approx([0.5, 0.5])
    for lam, prof in branch.at.items():
        for mine, response in zip(prof, logit_response(game, prof, lam)):
            assert mine == pytest.approx(response, abs=1e-10)
    assert branch.equilibria[branch.equilibrium] == ((0.0, 1.0), (0.0, 1.0))  # selects (Hare, Hare)
    assert branch.lambdas[-1] == 1e6 and branch.unique
    json.dumps(branch.to_dict(), allow_nan=False)


def test_degenerate_limit_is_reported_by_its_component(run_cli, game_file):
    # Top strictly dominates; against it the column player is indifferent: a segment of equilibria
    game = Game.from_arrays([[1, 1], [0, 0]], [[1, 1], [1, 0]])
    result = solve(game)
    assert result.degenerate and result.components == [[0, 1]]
    branch = qre_branch(game)
    assert branch.equilibrium is None and branch.component == 0  # inside the segment, not at an end
    assert close(branch.limit, [[1, 0], [0.5, 0.5]], 1e-6)
    path = game_file("""
        players: {Row: [Top, Bottom], Column: [Left, Right]}
        payoffs: {Row: [[1, 1], [0, 0]], Column: [[1, 1], [1, 0]]}
    """)
    res = run_cli("solve", path, "--select", "logit", "--no-analysis")
    assert "leads to a point of component 1" in res.output
    res = run_cli("solve", path, "--select", "logit", "--format", "json")
    logit = json.loads(res.output)["selection"]["logit"]
    assert logit["index"] is None and logit["component"] == 0


def test_one_tracer():
    assert gametheory.dynamics.qre_branch is gametheory.solvers.logit.qre_branch
    assert gametheory.dynamics.QREBranch is gametheory.solvers.logit.QREBranch


def test_bad_lambdas_are_game_errors():
    game = load(GAMES / "classics/stag_hunt.yaml")
    with pytest.raises(GameError):
        qre_branch(game, [-1.0])
    with pytest.raises(GameError):
        qre_branch(game, [10.0], max_lambda=5.0)
    with pytest.raises(GameError):
        qre_branch(Game.from_arrays([[1, 2]]))


# -- the command line -------------------------------------------------------------------------------------


def test_cli_qre(run_cli, tmp_path):
    plot = tmp_path / "qre.png"
    res = run_cli("qre", GAMES / "classics/stag_hunt.yaml", "--lambda", "0.5", "--plot", plot, "--format", "json")
    data = json.loads(res.output)
    assert data["selected_equilibrium"]["profile"]["Hunter 1"]["Hare"] == 1.0
    assert data["at"][0]["lambda"] == 0.5 and data["unique"] and plot.exists()
    res = run_cli("qre", GAMES / "classics/battle_of_the_sexes.yaml", "--format", "json")
    data = json.loads(res.output)
    (bif,) = data["bifurcations"]
    assert not data["unique"] and bif["lambda"] == pytest.approx(1.37218, abs=1e-5)
    assert sorted(arm["index"] for arm in bif["arms"]) == [0, 2]
    res = run_cli("qre", GAMES / "classics/battle_of_the_sexes.yaml")
    assert res.exit_code == 0 and "Bifurcation at lambda = 1.37218" in res.output
    assert "(Opera, Opera)" in res.output and "not unique" in res.output
    res = run_cli("qre", GAMES / "classics/stag_hunt.yaml", "--lambda", "-1")
    assert res.exit_code == 2


def test_cli_solve_select_logit(run_cli):
    res = run_cli("solve", GAMES / "classics/stag_hunt.yaml", "--select", "logit", "--format", "json")
    data = json.loads(res.output)
    logit = data["selection"]["logit"]
    assert data["equilibria"][logit["index"]]["profile"]["Hunter 1"]["Hare"] == 1.0
    assert logit["unique"] and logit["bifurcations"] == []
    res = run_cli("solve", GAMES / "classics/battle_of_the_sexes.yaml", "--select", "logit", "--format", "json")
    logit = json.loads(res.output)["selection"]["logit"]
    assert logit["index"] == 1 and not logit["unique"]  # the mixed equilibrium, with two arms to the pure ones
    assert sorted(arm["index"] for arm in logit["bifurcations"][0]["arms"]) == [0, 2]
    res = run_cli("solve", GAMES / "classics/stag_hunt.yaml", "--select", "logit")
    assert "Logit QRE selection (McKelvey-Palfrey): the principal branch leads to equilibrium 3" in res.output
    res = run_cli("solve", GAMES / "classics/stag_hunt.yaml", "--format", "json")
    assert "selection" not in json.loads(res.output)  # only when asked for
