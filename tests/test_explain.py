"""``gametheory explain``: the lesson's mathematics, its renderings and the command.

The checks are on the lesson object (sympy equality of the derived
probabilities, the equations themselves solved again, exact regret of every
equilibrium), with a few on the text a reader sees.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from fractions import Fraction

import pytest
import sympy

from gametheory import load
from gametheory.explain import explain
from gametheory.explain.lesson import Derivation
from gametheory.explain.notation import Combination, Relation, plain
from gametheory.model.game import Game
from gametheory.solvers import solve
from gametheory.solvers.verify import regret

from .conftest import GAMES

STAG_HUNT = GAMES / "classics" / "stag_hunt.yaml"
INSPECTION = GAMES / "security" / "inspection.yaml"
PRISONERS = GAMES / "classics" / "prisoners_dilemma.yaml"
RPS = GAMES / "classics" / "rock_paper_scissors.yaml"
BATTLE = GAMES / "classics" / "battle_of_the_sexes.yaml"
SECURITY_DILEMMA = GAMES / "security" / "security_dilemma.yaml"
MISSILE_DEFENCE = GAMES / "security" / "missile_defence_nato_russia_iran.yaml"


def symbols(*names: str):
    """The parameters' sympy symbols, as the game builds them (real)."""
    return [sympy.Symbol(n, real=True) for n in names]


def mckelvey_mclennan() -> Game:
    """McKelvey & McLennan's (1996) 2x2x2 game with 9 equilibria, 2 of them totally mixed."""
    payoffs = {
        (0, 0, 0): (9, 8, 12), (1, 1, 0): (9, 8, 2), (0, 1, 1): (3, 4, 6), (1, 0, 1): (3, 4, 6),
    }
    arrays = [[[[0, 0], [0, 0]], [[0, 0], [0, 0]]] for _ in range(3)]
    for a, b, c in itertools.product(range(2), repeat=3):
        for i, v in enumerate(payoffs.get((a, b, c), (0, 0, 0))):
            arrays[i][a][b][c] = v
    return Game.from_arrays(*arrays, title="McKelvey-McLennan 2x2x2")


def degenerate() -> Game:
    """Row's Bottom ties Top against Column's 50-50 mix: a segment of equilibria on each side."""
    return Game.from_arrays([[1, 1], [0, 2]], [[1, 1], [0, 0]], players=["Row", "Column"],
                            strategies=[["Top", "Bottom"], ["Left", "Right"]], title="degenerate")


def weak_order_game() -> Game:
    """Weak elimination ends in {M, D} x {R} or in {U, M} x {L}, depending on the order."""
    return Game.from_arrays([[1, 0], [1, 2], [0, 2]], [[1, 0], [1, 1], [0, 1]], players=["Row", "Column"],
                            strategies=[["U", "M", "D"], ["L", "R"]], title="order matters")


@pytest.fixture(scope="module")
def stag_hunt():
    return explain(load(STAG_HUNT), thresholds=False)


@pytest.fixture(scope="module")
def inspection():
    return explain(load(INSPECTION))


def equation_lines(section) -> list[Relation]:
    return [r for b in section.blocks if isinstance(b, Derivation) for r in b.lines]


# -- 1. best responses -------------------------------------------------------------------------


def test_best_responses_are_said_with_their_numbers(stag_hunt):
    text = stag_hunt.section("best_responses").text()
    assert "If Hunter 2 plays Stag, Hunter 1's best response is Stag (4 > 3)." in text
    assert "If Hunter 2 plays Hare, Hunter 1's best response is Hare (2 > 0)." in text
    assert "(Stag, Stag) and (Hare, Hare)" in text


def test_three_strategy_best_responses_list_every_alternative():
    text = explain(load(RPS), thresholds=False).section("best_responses").text()
    assert "If Player 2 plays Rock, Player 1's best response is Paper (1, against 0 for Rock, -1 for Scissors)." \
        in text


# -- 2. dominance -------------------------------------------------------------------------------


def test_prisoners_dilemma_defect_strictly_dominates_cooperate():
    lesson = explain(load(PRISONERS), thresholds=False)
    text = lesson.section("dominance").text()
    assert "For State A, Defect strictly dominates Cooperate: 5 > 3 if State B plays Cooperate, 1 > 0 if " \
           "State B plays Defect." in text
    assert "dominance solvable: (Defect, Defect)" in text
    assert "There is no equilibrium in mixed strategies." in lesson.section("mixed").text()


def test_dominance_by_a_mixture_is_shown_with_the_mixture_payoffs():
    # Bottom pays 1 against both columns; 1/2 Top + 1/2 Middle pays 3/2: dominated only by the mixture
    game = Game.from_arrays([[3, 0], [0, 3], [1, 1]], [[1, 0], [0, 1], [0, 0]],
                            strategies=[["Top", "Middle", "Bottom"], ["L", "R"]])
    text = explain(game, thresholds=False).section("dominance").text()
    assert "Bottom is strictly dominated by the mixture 1/2 Top + 1/2 Middle, which pays 3/2 > 1" in text


def test_weak_elimination_order_is_said_to_matter():
    lesson = explain(weak_order_game(), thresholds=False)
    text = lesson.section("dominance").text()
    assert "No strategy is strictly dominated" in text
    assert "The order of weak elimination matters" in text
    assert "Row: U, M; Column: L" in text or "Row: M, D; Column: R" in text


# -- 3. pure equilibria -------------------------------------------------------------------------


def test_pure_equilibria_show_every_deviation(stag_hunt):
    text = stag_hunt.section("pure").text()
    assert "Hunter 1 gets 4; switching to Hare would give 3 < 4." in text
    assert "Hunter 1 gets 2; switching to Stag would give 0 < 2." in text
    assert text.count("a strict equilibrium") == 2


def test_no_pure_equilibrium_walks_through_the_cells(inspection):
    text = inspection.section("pure").text()
    assert "(Legal, Inspect): Inspector would switch to Not inspect (0 > -2)." in text
    assert "(Violate, Not inspect): Inspector would switch to Inspect (-4 > -10)." in text


# -- 4. mixed equilibria ------------------------------------------------------------------------


def test_stag_hunt_indifference_gives_two_thirds(stag_hunt):
    text = stag_hunt.section("mixed").text()
    assert "4q + 0(1 - q) = 3q + 2(1 - q)\n⇒ 3q = 2\n⇒ q = 2/3" in text
    (mixed,) = stag_hunt.mixed
    q = mixed.unknowns["Hunter 2"][0]
    # the equation shown, read back as sympy, has the solution shown
    first = next(r for r in equation_lines(stag_hunt.section("mixed"))
                 if isinstance(r.lhs, Combination) and q in r.as_sympy().free_symbols
                 and not r.as_sympy().free_symbols - {q})
    assert sympy.solve(first.as_sympy(), q) == [sympy.Rational(2, 3)]
    assert mixed.solution[q] == sympy.Rational(2, 3)
    assert mixed.probabilities["Hunter 1"] == {"Stag": sympy.Rational(2, 3), "Hare": sympy.Rational(1, 3)}
    assert mixed.payoffs["Hunter 1"] == sympy.Rational(8, 3)
    R, T, P, S = symbols("R", "T", "P", "S")
    assert sympy.simplify(mixed.symbolic_probabilities["Hunter 1"]["Stag"] - (P - S) / (R - T + P - S)) == 0
    assert sympy.simplify(mixed.symbolic_payoffs["Hunter 2"] - (P * R - S * T) / (P + R - S - T)) == 0
    assert mixed.verified


def test_inspection_symbolic_solution_and_tsebelis(inspection):
    (mixed,) = inspection.mixed
    c, beta, L, d, b = symbols("c", "beta", "L", "d", "b")
    violate = mixed.symbolic_probabilities["Inspectee"]["Violate"]
    inspect = mixed.symbolic_probabilities["Inspector"]["Inspect"]
    assert sympy.simplify(violate - c / (beta * L)) == 0
    assert sympy.simplify(inspect - d / (beta * (b + d))) == 0
    assert b not in violate.free_symbols and d not in violate.free_symbols
    assert mixed.probabilities["Inspectee"]["Violate"] == sympy.Rational(1, 4)
    assert mixed.probabilities["Inspector"]["Inspect"] == sympy.Rational(1, 8)
    text = inspection.section("mixed").text()
    assert "q = d/(beta·(b + d))" in text and "Violate with c/(L·beta)" in text
    assert "do not depend on b and d" in text and "Tsebelis 1989" in text
    # harsher sanctions: the violation rate stays, the inspection rate falls
    harsh = explain(load(INSPECTION, values={"b": 18}), thresholds=False).mixed[0]
    assert harsh.probabilities["Inspectee"]["Violate"] == sympy.Rational(1, 4)
    assert harsh.probabilities["Inspector"]["Inspect"] < mixed.probabilities["Inspector"]["Inspect"]


def test_rock_paper_scissors_linear_system():
    lesson = explain(load(RPS), thresholds=False)
    (mixed,) = lesson.mixed
    assert set(mixed.solution.values()) == {sympy.Rational(1, 3)}
    text = lesson.section("mixed").text()
    assert "q_Rock + q_Paper + q_Scissors = 1" in text and "q_Rock = 1/3" in text
    assert "These probabilities do not depend on the parameters." in text
    assert all(x == sympy.Rational(1, 3) for d in mixed.symbolic_probabilities.values() for x in d.values())


def test_battle_of_the_sexes_each_mix_depends_on_the_other_players_payoffs():
    lesson = explain(load(BATTLE), thresholds=False)
    (mixed,) = lesson.mixed
    a, b = symbols("a", "b")
    assert sympy.simplify(mixed.symbolic_probabilities["Chris"]["Opera"] - a / (a + b)) == 0
    assert sympy.simplify(mixed.symbolic_probabilities["Pat"]["Opera"] - b / (a + b)) == 0
    assert "3q = 1" in lesson.section("mixed").text()


def test_degenerate_game_reports_the_segments_and_keeps_every_equilibrium():
    game = degenerate()
    lesson = explain(game, thresholds=False)
    assert len(lesson.equilibria) == len(solve(game).equilibria) == 4
    assert lesson.result.degenerate
    text = lesson.section("mixed").text()
    assert "every value with 1/2 ≤ q ≤ 1 keeps" in text
    assert "every value with 0 ≤ q ≤ 1/2 keeps" in text
    assert all(m.free for m in lesson.mixed)
    assert "Component 1: a continuum whose extreme points are equilibria 1, 2, 3 and 4." in \
        lesson.section("degenerate").text()


def test_three_players_polynomial_equations_verified():
    lesson = explain(mckelvey_mclennan(), thresholds=False)
    assert len(lesson.equilibria) == 9 and len(lesson.mixed) == 5
    assert all(m.verified for m in lesson.mixed)
    totally_mixed = [m for m in lesson.mixed if all(m.unknowns.values())]
    assert len(totally_mixed) == 2
    for m in totally_mixed:
        for rel in m.equations:  # the shown equations vanish at the solution, and are genuinely nonlinear
            diff = sympy.expand(rel.as_sympy().lhs - rel.as_sympy().rhs)
            assert diff.subs(m.solution) == 0
        assert any(sympy.Poly(sympy.expand(r.as_sympy().lhs - r.as_sympy().rhs),
                              *m.solution).total_degree() == 2 for r in m.equations)
    text = lesson.section("mixed").text()
    assert "p = 1/2\nq = 2/5\nr = 1/4" in text


@pytest.mark.skipif(not MISSILE_DEFENCE.exists(), reason="the three-player security game is not in games/ yet")
def test_missile_defence_irrational_equilibrium_and_symbolic_partial_mix():
    lesson = explain(load(MISSILE_DEFENCE))
    assert all(m.verified for m in lesson.mixed)
    full = next(m for m in lesson.mixed if all(m.unknowns.values()))
    y = full.unknowns["Russia"][0]
    assert sympy.simplify(full.solution[y] - (1 + sympy.sqrt(13)) / 6) == 0
    assert "y is the root of 3y^2 - y - 1 = 0 between 0 and 1" in lesson.section("mixed").text()
    partial = next(m for m in lesson.mixed if not m.unknowns["Iran"])
    L, L_R, p, u, c_N, c_R, e = symbols("L", "L_R", "p", "u", "c_N", "c_R", "e")
    assert sympy.simplify(partial.symbolic_probabilities["NATO"]["Joint"] - c_R / (e + p * L_R)) == 0
    assert sympy.simplify(partial.symbolic_probabilities["Russia"]["Participate"] - c_N / ((p - u) * L)) == 0
    assert "not a two-player game" in " ".join(lesson.notes)


@pytest.mark.parametrize("make", [
    lambda: load(STAG_HUNT), lambda: load(INSPECTION), lambda: load(PRISONERS), lambda: load(RPS),
    lambda: load(BATTLE), degenerate, weak_order_game, mckelvey_mclennan,
], ids=["stag-hunt", "inspection", "prisoners-dilemma", "rps", "battle", "degenerate", "weak-order", "2x2x2"])
def test_every_equilibrium_in_the_lesson_verifies(make):
    game = make()
    lesson = explain(game, thresholds=False)
    assert lesson.equilibria
    for eq in lesson.equilibria:
        assert eq.exact
        assert all(r == 0 for r in regret(game, eq.profile))
    assert all(m.verified for m in lesson.mixed)
    assert len(lesson.mixed) == sum(1 for e in lesson.equilibria if not e.pure)


# -- 5. selection -------------------------------------------------------------------------------


def test_stag_hunt_selection_risk_and_payoff_dominance(stag_hunt):
    text = stag_hunt.section("selection").text()
    assert "(Hare, Hare) risk-dominates (Stag, Stag)" in text
    assert "(2 - 0)(2 - 0) = 4 there, against (4 - 3)(4 - 3) = 1" in text
    assert "(Stag, Stag) payoff-dominates" in text
    assert "Hunter 1 can guarantee 2 by playing Hare." in text
    assert "Stag (from (Stag, Stag)) is an evolutionarily stable strategy" in text


# -- 6. thresholds ------------------------------------------------------------------------------


def test_thresholds_name_the_game_on_each_side():
    text = explain(load(SECURITY_DILEMMA)).section("thresholds").text()
    assert "g from -3 to 3: threshold g = 0; stag hunt" in text
    assert "for g < 0; prisoner's dilemma [(Arm, Arm)] for g > 0." in text


def test_inspection_cost_threshold(inspection):
    text = inspection.section("thresholds").text()
    assert "threshold c = 8 (= L·beta)" in text


def test_thresholds_respect_the_time_budget():
    lesson = explain(load(INSPECTION), time_budget=0)
    text = lesson.section("thresholds").text()
    assert "Not computed within the time budget" in text
    assert any("time budget" in n for n in lesson.notes)


# -- renderings ----------------------------------------------------------------------------------


def balanced_braces(tex: str) -> bool:
    depth = 0
    for ch in re.sub(r"\\[{}]", "", tex):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("make", [lambda: load(INSPECTION), mckelvey_mclennan, degenerate],
                         ids=["inspection", "2x2x2", "degenerate"])
def test_latex_fragment_is_well_formed(make):
    tex = explain(make(), thresholds=False).to_latex()
    assert balanced_braces(tex)
    envs = re.findall(r"\\(begin|end)\{([a-z*]+)\}", tex)
    stack = []
    for kind, name in envs:
        if kind == "begin":
            stack.append(name)
        else:
            assert stack.pop() == name
    assert not stack
    assert "\\begin{align*}" in tex and "\\begin{tabular}" in tex


def test_markdown_and_latex_of_the_stag_hunt(stag_hunt):
    md = stag_hunt.to_markdown()
    assert "| **Stag** | **[4\\*, 4\\*]** | 0, 3 |" in md
    assert "q &= \\frac{2}{3}" in md and "$$" in md
    assert "($4 > 3$)" in md
    assert stag_hunt._repr_markdown_() == md
    tex = stag_hunt.to_latex()
    assert "\\Rightarrow\\quad 3 q &= 2" in tex and "\\underline{4}" in tex
    assert balanced_braces(tex) and balanced_braces(md)


def test_to_dict_is_json(inspection):
    data = json.loads(json.dumps(inspection.to_dict()))
    assert data["mixed"][0]["symbolic"]["probabilities"]["Inspectee"]["Violate"] == "c/(L·beta)"
    assert data["mixed"][0]["verified"] is True
    assert [s["key"] for s in data["sections"]] == ["best_responses", "dominance", "pure", "mixed", "selection",
                                                   "thresholds"]


def test_plain_notation():
    q = sympy.Symbol("q", real=True)
    comb = Combination(((sympy.Integer(4), q), (sympy.Integer(0), 1 - q)))
    assert plain(Relation(comb, "=", Combination(((sympy.Integer(3), q), (sympy.Integer(2), 1 - q))))) == \
        "4q + 0(1 - q) = 3q + 2(1 - q)"
    assert plain((53 - sympy.sqrt(601)) / 46) == "(53 - sqrt(601))/46"
    assert plain(Fraction(-2, 3)) == "-2/3"


# -- the command --------------------------------------------------------------------------------


def test_cli_text_markdown_latex_json(run_cli):
    result = run_cli("explain", STAG_HUNT, "--no-thresholds")
    assert result.exit_code == 0, result.stderr
    assert "⇒ q = 2/3" in result.stdout and "Hunter 1 \\ Hunter 2" in result.stdout
    for fmt, needle in (("markdown", "### 4. Mixed equilibria"), ("latex", "\\begin{align*}"),
                        ("json", '"sections"')):
        out = run_cli("explain", STAG_HUNT, "--no-thresholds", "--format", fmt)
        assert out.exit_code == 0, out.stderr
        assert needle in out.stdout
    set_result = run_cli("explain", STAG_HUNT, "--no-thresholds", "--set", "S=-1")
    assert set_result.exit_code == 0 and "q = 3/4" in set_result.stdout


def test_cli_bad_input_is_one_line_exit_2(run_cli, game_file):
    missing = run_cli("explain", "no_such_game.yaml")
    assert missing.exit_code == 2
    assert missing.stderr.strip() == "no_such_game.yaml: no such file"
    broken = game_file("title: Broken\nplayers:\n  A: [x, y]\n")
    result = run_cli("explain", broken)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert all(line.startswith(str(broken)) for line in result.stderr.strip().splitlines())
    assert run_cli("explain", STAG_HUNT, "--set", "Q=1").exit_code == 2
    assert run_cli("explain", STAG_HUNT, "--format", "pdf").exit_code == 2


def test_help_stays_light():
    code = ("import sys; from gametheory.cli import explain_commands\n"
            "print(','.join(m for m in ('numpy', 'sympy', 'scipy', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    result = subprocess.run([sys.executable, "-m", "gametheory", "explain", "--help"], capture_output=True,
                            text=True)
    assert result.returncode == 0 and "--format [text|markdown|latex|json]" in result.stdout
