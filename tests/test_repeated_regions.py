"""Exact regions of discount factors for trigger strategies, against brute force.

Regressions:

* a trigger strategy was reported as an equilibrium when the punishment pays a player who does
  not gain from deviating *more* than the target (the checks skipped that player): the region
  of delta is then bounded above, or empty;
* grim reverted to a stage equilibrium that pays a player more than the target while a
  harsher one existed;
* degenerate payoff differences (T = P, R = S, ...) crashed generous tit-for-tat;
* conditions with a negative right-hand side were reported as "never", formulas used
  internal placeholder names that clash with the file's parameters;
* the equilibrium payoff set printed 1e-9 noise;
* help examples that fail.

The brute force: for each player, the best reply to the others' trigger strategies is a
Markov decision problem whose states are the phases of the punishment (on the path, round j
of the punishment, punished for ever); value iteration over every action of the stage game
(against the punishing equilibrium's mixture) gives the deviator's best value, and the target
is an equilibrium outcome iff that value is the target payoff.
"""

from __future__ import annotations

import io
import json
import re
import shlex
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gametheory as gt
import gametheory.cli.repeated_commands  # noqa: F401  (registers repeated and simulate)
from gametheory import expressions as ex
from gametheory.model import Game
from gametheory.model.game import Repeated
from gametheory.repeated import analyse, automata
from gametheory.repeated.automata import Interval

ROOT = Path(__file__).resolve().parents[1]
GAMES = ROOT / "games"

GRIM_BUG = """
title: grim bug
parameters: {delta: {value: 0.9, range: [0, 0.99]}}
players:
  Blue: [U, D]
  Red: [L, R]
payoffs:
  Blue: [[0, 0], [BLUE_D_L, 1]]
  Red:  [[2, 3], [-1, 0]]
repeated: {discount: delta}
"""


def grim_bug_file(tmp_path: Path, blue_d_l: str = "0") -> Path:
    path = tmp_path / "grimbug.yaml"
    path.write_text(GRIM_BUG.replace("BLUE_D_L", blue_d_l), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# brute force: value iteration on the deviator's Markov decision problem


def _mix_payoff(game: Game, i: int, ai: int, others: list) -> float:
    """Player i's payoff from action ai against the others' mixtures (two players)."""
    j = 1 - i
    total = 0.0
    for aj, p in enumerate(others[j]):
        prof = [0, 0]
        prof[i], prof[j] = ai, aj
        total += float(p) * float(game.payoffs[(i, *prof)])
    return total


def best_deviation_value(game: Game, target: tuple, i: int, punish: list, delta: float, rounds: int | None,
                         pi: float = 1.0) -> float:
    """The deviator's best normalised value against a trigger strategy, over every stationary policy.

    States: 0 on the path, 1..k the rounds of the punishment (one absorbing state for ever).
    A discounted MDP has an optimal stationary deterministic policy (Blackwell 1965): each is
    evaluated by solving its linear system.  In a punishment state the action does not change
    the next state, so the best one against the punishing mixture is taken there.
    ``punish``: the punishing profile (one mixture per player); ``rounds``: k, or None for ever;
    ``pi``: the probability that a deviation is detected (then punished).
    """
    n = 1 + (1 if rounds is None else rounds)
    mine = [float(game.payoffs[(i, *[a if k == i else target[k] for k in range(2)])]) for a in range(game.shape[i])]
    pun = max(_mix_payoff(game, i, a, punish) for a in range(game.shape[i]))
    best = -np.inf
    for a, reward in enumerate(mine):
        trans = np.zeros((n, n))
        r = np.zeros(n)
        r[0] = reward
        if a == target[i]:
            trans[0, 0] = 1
        else:
            trans[0, 1] += pi
            trans[0, 0] += 1 - pi
        for j in range(1, n):
            r[j] = pun
            trans[j, j if rounds is None else (j + 1 if j < rounds else 0)] = 1
        v = np.linalg.solve(np.eye(n) - delta * trans, (1 - delta) * r)
        best = max(best, float(v[0]))
    return best


def brute_nash(game: Game, target: tuple, punish_by_player: list, delta: float, rounds: int | None,
               pi: float = 1.0) -> bool:
    for i in range(2):
        prescribed = float(game.payoffs[(i, *target)])
        if best_deviation_value(game, target, i, punish_by_player[i], delta, rounds, pi) > prescribed + 1e-9:
            return False
    return True


def _near_end(region: list[Interval], delta: float) -> bool:
    return any(min(abs(float(iv.low) - delta), abs(float(iv.high) - delta)) < 1e-6 for iv in region)


def _in(region: list[Interval], delta: float) -> bool:
    return any(iv.contains(F(delta)) for iv in region)


GRID = [k / 40 for k in range(40)] + [0.999]


def check_against_brute_force(result, game: Game, pi: float | None = None) -> None:
    stage = result.stage
    target = result.targets[0].profile
    for s in result.strategies:
        if s.target != target:
            continue
        if s.name == "grim":
            if s.punishment["equilibrium"] is None:
                punish = None
            else:
                eq = stage[s.punishment["equilibrium"]].profile
                punish = [eq, eq]
            rounds = None
        elif s.name in ("nash-reversion", "limited-punishment", "grim-after-detection"):
            eqs = s.punishment["equilibria"]
            punish = [stage[eqs[p]].profile for p in game.players]
            rounds = s.details.get("rounds")
        else:
            continue
        assert s.spe_region == s.nash_region  # a stage equilibrium punishes: Nash and SPE alike
        detect = pi if s.name == "grim-after-detection" else 1.0
        for delta in GRID:
            if _near_end(s.nash_region, delta):
                continue
            if punish is None:  # never, with every stage equilibrium as the common punishment
                ok = any(brute_nash(game, target, [eq.profile, eq.profile], delta, None) for eq in stage)
            else:
                ok = brute_nash(game, target, punish, delta, rounds, detect)
            assert _in(s.nash_region, delta) == ok, (s.name, s.details, delta, s.nash_region, s.condition)
        # critical_discount and the verdict agree with the region
        assert s.critical == (automata.lowest(s.nash_region))
        if s.critical is not None:
            assert s.nash_region[-1].high == 1 and not s.nash_region[-1].high_closed
        if not s.nash_region:
            assert s.condition.startswith("never"), s.condition
        if s.name == "grim" and punish is not None:
            chosen = sum(_in(s.nash_region, d) for d in GRID)
            for eq in stage:
                other = sum(brute_nash(game, target, [eq.profile, eq.profile], d, None) for d in GRID
                            if not _near_end(s.nash_region, d))
                assert chosen >= other - 2, (eq, chosen, other)


# ---------------------------------------------------------------------------
# the reported bug: the punishment pays a player more than the target


def test_grim_is_not_an_equilibrium_when_the_punishment_pays_more_than_the_target(tmp_path, run_cli):
    game = gt.load(grim_bug_file(tmp_path))
    result = analyse(game, target="U,L", payoff_set=False)
    for s in result.strategies:
        if s.name in ("grim", "limited-punishment"):
            assert s.nash_region == [] and s.spe_region == [], (s.name, s.nash_region)
            assert s.critical is None and s.nash is False and s.subgame_perfect is False
            assert s.condition.startswith("never: Red needs delta >=")
            assert "(D, R) pays Blue 1, more than its target 0" in s.condition
    check_against_brute_force(result, game)
    out = run_cli("repeated", grim_bug_file(tmp_path), "--target", "U,L")
    assert out.exit_code == 0, out.output
    assert re.search(r"grim +never +no +no", out.stdout)
    assert re.search(r"limited-punishment \(1 round\) +never +no +no", out.stdout)
    assert "Blue: no profitable deviation (best alternative D pays 0, the same)" in out.stdout


def test_region_bounded_above_when_deviating_costs_the_player(tmp_path, run_cli):
    """Blue loses 1/2 by deviating but the punishment pays it 1 > 0: delta <= 1/3; Red needs >= 1/3."""
    game = gt.load(grim_bug_file(tmp_path, "-1/2"))
    result = analyse(game, target="U,L", payoff_set=False)
    grim = result.threshold("grim")
    assert grim.nash_region == [Interval(F(1, 3), F(1, 3), True, True)]
    assert grim.critical is None and grim.nash is False
    assert grim.condition.startswith("delta = 1/3 only")
    lp = result.threshold("limited-punishment", rounds=1)
    assert lp.nash_region == [Interval(F(1, 2), F(1, 2), True, True)]
    check_against_brute_force(result, game)
    # at delta = 1/3 it is an equilibrium: the verdict follows the region
    at = analyse(game.with_parameters(delta=F(1, 3)), target="U,L", payoff_set=False).threshold("grim")
    assert at.nash is True and at.subgame_perfect is True and at.sustainable is True
    out = run_cli("repeated", grim_bug_file(tmp_path, "-1/2"), "--target", "U,L")
    assert out.exit_code == 0, out.output  # generous tit-for-tat used to divide by T - P = 0
    assert re.search(r"grim +1/3 only +no +no", out.stdout)
    # the default target: Blue gains 1 and the punishment pays it 1 = its deviation payoff
    out = run_cli("repeated", grim_bug_file(tmp_path, "-1/2"))
    assert out.exit_code == 0, out.output
    assert "delta >= -1" not in out.stdout
    rows = re.findall(r"limited-punishment \(\d rounds?\) +(\S+) +(\S+) +(\S+) *\n +(.*)", out.stdout)
    assert rows and all(r[:3] == ("never", "no", "no") and r[3].startswith("never") for r in rows)


def test_region_is_an_interval_bounded_above(tmp_path, run_cli):
    """Blue loses 1 by deviating, the punishment pays it 1 > 0: delta <= 1/2; Red needs delta >= 1/3."""
    path = grim_bug_file(tmp_path, "-1")
    game = gt.load(path)
    result = analyse(game, target="U,L", payoff_set=False)
    grim = result.threshold("grim")
    assert grim.nash_region == [Interval(F(1, 3), F(1, 2), True, True)]
    assert grim.critical is None and grim.nash is False  # at the file's delta = 9/10
    assert grim.condition.startswith("1/3 <= delta <= 1/2 only: the punishment (D, R) pays Blue 1")
    check_against_brute_force(result, game)
    inside = analyse(game.with_parameters(delta=F(2, 5)), target="U,L", payoff_set=False).threshold("grim")
    assert inside.nash is True and inside.sustainable is True and inside.subgame_perfect is True
    out = run_cli("repeated", path, "--target", "U,L")
    assert re.search(r"grim +\[1/3, 1/2\] +no +no", out.stdout)
    assert "an equilibrium only there" in out.stdout
    data = json.loads(run_cli("repeated", path, "--target", "U,L", "--format", "json").stdout)
    entry = next(s for s in data["strategies"] if s["name"] == "grim")
    assert entry["critical_discount"] is None and entry["sustainable"] is False
    assert entry["nash_region"] == [{"from": 1 / 3, "to": 0.5, "exact_from": "1/3", "exact_to": "1/2",
                                     "closed_from": True, "closed_to": True}]


def test_grim_uses_the_common_punishment_with_the_largest_region():
    """The old rule took the lowest threshold of the players who gain, here a mixed equilibrium paying
    Blue 1 > its target -1 (never an equilibrium); (M 2/5, D 3/5; R) sustains the target from 5/6 on."""
    a = [[-1, -2, -3], [-2, 1, -3], [-1, 1, -3]]
    b = [[-1, 3, -3], [-2, -3, 0], [-2, -1, -3]]
    game = Game.from_arrays(a, b, players=["Blue", "Red"], strategies=[["U", "M", "D"], ["L", "C", "R"]])
    result = analyse(game, target="U,L", payoff_set=False)
    grim = result.threshold("grim")
    assert grim.punishment["profile"] == "(M 2/5, D 3/5; R)"
    assert grim.nash_region == [Interval(F(5, 6), F(1), True, False)] and grim.critical == F(5, 6)
    assert any("the most discount factors" in n for n in grim.notes)
    check_against_brute_force(result, game)


def test_target_below_the_minmax_is_explained():
    game = Game.from_arrays([[-1, -2], [0, 1]], [[3, 0], [2, 1]], players=["Blue", "Red"],
                            strategies=[["U", "D"], ["L", "R"]])
    result = analyse(game, target="U,L", payoff_set=False)
    for s in result.strategies:
        assert not s.nash_region
        assert "below its minmax value" in s.condition, (s.name, s.condition)


# ---------------------------------------------------------------------------
# random games: never raises, and the regions are the brute force's


payoff = st.integers(-2, 2)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    a=st.lists(payoff, min_size=4, max_size=4),
    b=st.lists(payoff, min_size=4, max_size=4),
    target=st.tuples(st.integers(0, 1), st.integers(0, 1)),
    delta=st.sampled_from([F(0), F(1, 3), F(1, 2), F(9, 10)]),
    pi=st.sampled_from([F(0), F(1, 2), F(1)]),
)
def test_random_two_by_two_games_agree_with_brute_force(a, b, target, delta, pi):
    game = Game.from_arrays(
        np.array(a, dtype=object).reshape(2, 2), np.array(b, dtype=object).reshape(2, 2),
        players=["Blue", "Red"], strategies=[["U", "D"], ["L", "R"]],
        # the discount factor a parameter, as in the bug report: the formulas are built symbolically
        parameters={"delta": delta},
        repeated=Repeated(discount=ex.parse("delta"), detection=ex.parse(pi)),
    )
    result = analyse(game, target=list(target), payoff_set=False)
    json.dumps(result.to_dict(), allow_nan=False)
    from rich.console import Console

    from gametheory.repeated.render import render_repeated

    render_repeated(result, Console(file=io.StringIO(), width=100))
    check_against_brute_force(result, game, pi=float(pi))
    for s in result.strategies:  # the verdict is the region's, for every strategy
        assert s.nash == any(iv.contains(delta) for iv in s.nash_region)
        assert s.critical == automata.lowest(s.nash_region)


@pytest.mark.parametrize(
    "t, r, p, s",
    [(1, 1, 0, -1), (2, 1, 2, 0), (2, 1, 0, 1), (1, 1, 1, 1), (2, 2, 0, 0), (3, 1, 0, 1)],
    ids=["T=R", "T=P", "R=S", "all-equal", "T=R,P=S", "R=S,P<S"],
)
def test_degenerate_payoff_differences_never_crash(t, r, p, s, tmp_path, run_cli):
    text = f"""
title: degenerate
parameters: {{T: {t}, R: {r}, P: {p}, S: {s}, delta: 0.9}}
players:
  A: [C, D]
  B: [C, D]
payoffs:
  A: [[R, S], [T, P]]
  B: [[R, T], [S, P]]
repeated: {{discount: delta, monitoring: {{detection: 1/2}}}}
"""
    path = tmp_path / "degenerate.yaml"
    path.write_text(text, encoding="utf-8")
    out = run_cli("repeated", path, "--target", "C,C")
    assert out.exit_code == 0, out.output
    result = analyse(gt.load(path), target="C,C", payoff_set=False)
    check_against_brute_force(result, gt.load(path), pi=0.5)
    names = {s.name for s in result.strategies}
    assert {"grim", "limited-punishment", "grim-after-detection", "tit-for-tat", "win-stay-lose-shift",
            "generous-tft"} <= names


# ---------------------------------------------------------------------------
# names: formulas in the file's own parameters, auxiliary symbols that cannot clash


def test_formulas_use_the_files_parameters_and_never_clash(tmp_path, run_cli):
    text = """
title: clashing names
parameters: {d: 2, v: 3, e: 1, g: 4, k: 1, q: 1, delta: 0.9}
players:
  Blue: [C, D]
  Red: [C, D]
payoffs:
  Blue: [[v, -k], [v + d, e]]
  Red:  [[g, g + d], [-q, e]]
repeated: {discount: delta}
"""
    path = tmp_path / "names.yaml"
    path.write_text(text, encoding="utf-8")
    result = analyse(gt.load(path), payoff_set=False)
    assert result.threshold("grim").expression_text == "d/(d - e + v)"  # (T - R)/(T - P) in the file's names
    assert result.threshold("limited-punishment", rounds=2).condition == "delta + delta^2 >= d/(v - e)"
    gtft = result.threshold("generous-tft")
    sym = gtft.details["generosity_symbol"]
    assert sym not in {"d", "v", "e", "g", "k", "q", "delta", "pi"}
    assert f"(1 - {sym})" in gtft.condition
    out = run_cli("repeated", path)
    assert out.exit_code == 0, out.output
    assert f"generous-tft (generosity {sym} = 1/10)" in out.stdout
    assert f"for generosity {sym} <= " in out.stdout
    for generic in ("(d - v)/(v - e)", "(1 - g)", "(1 - q)"):
        assert generic not in out.stdout


def test_generic_formulas_with_parameters_named_like_the_placeholders(tmp_path, run_cli):
    """Parameters v, c, d and a target no one gains from leaving: no '(d - v)/(v - e)' with an undefined e."""
    text = """
title: v c d
parameters: {v: 4, c: 2, d: 1, delta: 0.5}
players:
  A: [X, Y]
  B: [X, Y]
payoffs:
  A: [[v, d], [c, d]]
  B: [[v, c], [d, d]]
repeated: {discount: delta}
"""
    path = tmp_path / "vcd.yaml"
    path.write_text(text, encoding="utf-8")
    out = run_cli("repeated", path, "--target", "X,X")
    assert out.exit_code == 0, out.output
    assert "(d - v)/(v - e)" not in out.stdout and "- e)" not in out.stdout
    result = analyse(gt.load(path), target="X,X", payoff_set=False)
    for s in result.strategies:
        if s.name in ("grim", "limited-punishment"):
            assert s.condition == "every delta (no deviation pays)"


def test_tit_for_tat_line_avoids_a_parameter_named_t(tmp_path, run_cli):
    """A file whose T is not the temptation: the knife-edge formula uses u(D,C) ... instead of T, R, P, S."""
    text = """
title: T is not the temptation
parameters: {T: 1, delta: 0.9}
players:
  A: [C, D]
  B: [C, D]
payoffs:
  A: [[3, 0], [5, T]]
  B: [[3, 5], [0, T]]
repeated: {discount: delta}
"""
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    out = run_cli("repeated", path)
    assert out.exit_code == 0, out.output
    assert "(u(D,C) - u(C,C))/(u(C,C) - u(C,D)) = (u(D,D) - u(C,D))/(u(D,C) - u(D,D))" in out.stdout
    assert "(T - R)/(R - S)" not in out.stdout
    # files whose T, R, P, S are the four payoffs keep the letters
    pd = run_cli("repeated", GAMES / "security/arms_race_repeated.yaml")
    assert "only where (T - R)/(R - S) = (P - S)/(T - P) = delta" in pd.stdout


# ---------------------------------------------------------------------------
# wording, the payoff set's vertices, grim after detection


def test_no_profitable_deviation_wording(run_cli, tmp_path):
    game = Game.from_arrays([[3, 0], [2, 1]], [[3, 4], [1, 0]], players=["Blue", "Red"],
                            strategies=[["Hold", "Push"], ["Wait", "Defend"]])
    result = analyse(game, target="Hold,Wait", payoff_set=False)
    from rich.console import Console

    from gametheory.repeated.render import render_repeated

    buf = io.StringIO()
    render_repeated(result, Console(file=buf, width=200))
    text = buf.getvalue()
    assert "Blue: no profitable deviation (best alternative Push pays 2, 1 less)" in text
    assert "Red -> Defend (4, gain 1)" in text


def test_equilibrium_payoff_vertices_are_snapped_to_simple_fractions(tmp_path, run_cli):
    text = """
title: arms race
parameters: {g: 1, L: 3, k: 1, delta: 0.6}
players:
  Blue: [Restrain, Arm]
  Red: [Restrain, Arm]
payoffs:
  Blue: [[0, -L], [g, -k]]
  Red:  [[0, g], [-L, -k]]
repeated: {discount: delta}
"""
    path = tmp_path / "my_arms_race.yaml"
    path.write_text(text, encoding="utf-8")
    out = run_cli("repeated", path)
    assert out.exit_code == 0, out.output
    line = next(ln for ln in out.stdout.splitlines() if ln.strip().startswith("vertices"))
    assert "e-0" not in line and "e-1" not in line, line
    assert "(0, 0)" in line and "(-1, -1)" in line
    result = analyse(gt.load(path))
    rounded = result.payoff_set.rounded_vertices(result.feasible.vertices)
    assert all(isinstance(x, F) for v in rounded for x in v)
    assert "within" in out.stdout and "shown exactly" in out.stdout


def test_grim_after_detection_region_and_critical_detection():
    game = gt.load(GAMES / "security/arms_control_verification.yaml")
    result = analyse(game, payoff_set=False)
    s = result.threshold("grim-after-detection")
    assert s.critical == F(2, 3) and s.details["critical_detection_exact"] == "2/3"
    assert s.details["detection_region"] == "pi >= 2/3"
    check_against_brute_force(result, game, pi=0.5)


# ---------------------------------------------------------------------------
# help examples run


def _help_examples(run_cli, command: str) -> list[list[str]]:
    out = run_cli(command, "--help")
    assert out.exit_code == 0
    lines = out.stdout.split("Examples:", 1)[1].splitlines()
    commands, current = [], ""
    for line in lines:
        text = line.strip()
        if not text:
            if current or commands:
                break
            continue
        current = (current + " " + text).strip()
        if current.endswith("\\"):
            current = current[:-1].strip()
            continue
        commands.append(current)
        current = ""
    return [shlex.split(c) for c in commands]


@pytest.mark.parametrize("command", ["repeated", "simulate"])
def test_every_help_example_runs(command, run_cli, tmp_path, monkeypatch):
    (tmp_path / "games").symlink_to(GAMES)
    monkeypatch.chdir(tmp_path)
    examples = _help_examples(run_cli, command)
    assert len(examples) >= 2
    for argv in examples:
        assert argv[:2] == ["gametheory", command]
        out = run_cli(*argv[1:])
        assert out.exit_code == 0, (argv, out.output)


def test_discount_option(run_cli, tmp_path):
    chicken = GAMES / "classics/chicken.yaml"
    out = run_cli("repeated", chicken, "--target", "Swerve,Swerve", "--discount", "3/5", "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["discount_exact"] == "3/5"
    assert data["equilibrium_payoffs"] is not None
    bad = run_cli("repeated", GAMES / "classics/prisoners_dilemma.yaml", "--discount", "0.5")
    assert bad.exit_code == 2 and "--set delta=0.5" in bad.stderr
    bad = run_cli("repeated", chicken, "--discount", "1")
    assert bad.exit_code == 2 and "[0, 1)" in bad.stderr
    sim = run_cli("simulate", chicken, "--strategies", "tft,grim", "--rounds", "3", "--discount", "0.5",
                  "--format", "json")
    assert sim.exit_code == 0, sim.output
    assert json.loads(sim.stdout)["discount"] == 0.5
