"""N-player solvers: exact polynomial support enumeration and the logit QRE homotopy.

Published equilibrium sets, a cross-check against Gambit (pygambit's
``enumpoly_solve`` and ``logit_solve``) on the three-or-more-player games of
the shared Gambit corpus, a brute-force vertex enumeration for two players,
and property tests (exact regret 0, invariance under relabelling players).
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gametheory.formats.nfg import read_nfg
from gametheory.model.game import Game
from gametheory.solvers.logit import logit_branch, logit_solve
from gametheory.solvers.nplayer import support_enumeration_nplayer, support_equilibria
from gametheory.solvers.verify import regret

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "gambit-games"


def load(name: str) -> Game:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return read_nfg(path.read_text(encoding="utf-8"), str(path))


def jordan() -> Game:
    """Jordan's (1993) three-player matching pennies: 1 matches 2, 2 matches 3, 3 mismatches 1."""
    shape = (2, 2, 2)
    arrays = [[[[0] * 2 for _ in range(2)] for _ in range(2)] for _ in range(3)]
    for a, b, c in itertools.product(range(2), repeat=3):
        arrays[0][a][b][c] = 1 if a == b else 0
        arrays[1][a][b][c] = 1 if b == c else 0
        arrays[2][a][b][c] = 1 if c != a else 0
    assert len(shape) == 3
    return Game.from_arrays(*arrays)


def floats(eq) -> tuple[tuple[float, ...], ...]:
    return eq.float_profile


def close(p, q, tol=1e-6) -> bool:
    return all(abs(a - b) <= tol for x, y in zip(p, q) for a, b in zip(x, y))


def _sym(p):
    """A probability as a sympy number (Fractions converted; algebraic numbers are sympy already)."""
    return sympy.Rational(p.numerator, p.denominator) if isinstance(p, (Fraction, int)) else p


def exact_regret_is_zero(game: Game, profile) -> bool:
    """An independent exact check with sympy: every support strategy is a best response."""
    n = game.n_players
    for i in range(n):
        values = []
        for a in range(game.shape[i]):
            total = sympy.Integer(0)
            for prof in itertools.product(*[range(k) if j != i else [a] for j, k in enumerate(game.shape)]):
                w = sympy.Integer(1)
                for j in range(n):
                    if j != i:
                        w *= _sym(profile[j][prof[j]])
                v = game.payoffs[(i,) + prof]
                total += w * sympy.Rational(v.numerator, v.denominator)
            values.append(total)
        support = [a for a in range(game.shape[i]) if profile[i][a] != 0]
        best = values[support[0]]
        for a in range(game.shape[i]):
            d = sympy.nsimplify(sympy.expand(values[a] - best)) if a not in support else values[a] - best
            if a in support:
                if sympy.minimal_polynomial(sympy.expand(d), sympy.Symbol("x")) != sympy.Symbol("x"):
                    return False
            elif d.evalf(60) > sympy.Float(10) ** -40:
                return False
    return True


# -- published equilibrium sets --------------------------------------------------------------------


def test_mckelvey_mclennan_2x2x2_has_nine_equilibria_two_totally_mixed():
    game = load("2x2x2.nfg")
    assert "McKelvey-McLennan" in game.title and "9 Nash equilibria" in game.title
    result = support_enumeration_nplayer(game)
    assert len(result) == 9 and result.complete and not result.degenerate and result.exact
    half, third, quarter = Fraction(1, 2), Fraction(1, 3), Fraction(1, 4)
    expected = {
        ((1, 0), (1, 0), (1, 0)),
        ((1, 0), (0, 1), (0, 1)),
        ((0, 1), (1, 0), (0, 1)),
        ((0, 1), (0, 1), (1, 0)),
        ((half, half), (half, half), (1, 0)),
        ((third, 1 - third), (1, 0), (quarter, 1 - quarter)),
        ((0, 1), (quarter, 1 - quarter), (third, 1 - third)),
        ((half, half), (Fraction(2, 5), Fraction(3, 5)), (quarter, 1 - quarter)),
        ((Fraction(2, 5), Fraction(3, 5)), (half, half), (third, 1 - third)),
    }
    assert {eq.profile for eq in result} == expected
    assert sum(1 for eq in result if all(0 < p for x in eq.profile for p in x)) == 2
    for eq in result:
        assert all(r == 0 for r in regret(game, eq.profile))


def test_jordan_three_player_matching_pennies_unique_equilibrium():
    result = support_enumeration_nplayer(jordan())
    half = Fraction(1, 2)
    assert [eq.profile for eq in result] == [((half, half),) * 3]
    assert result.complete and not result.degenerate


def test_nau_irrational_equilibrium_is_reported_exactly():
    game = load("catalog/journals_ijgt_nau2004_sec4.nfg")
    result = support_enumeration_nplayer(game)
    assert len(result) == 1 and result.complete
    (eq,) = result
    assert eq.exact and not eq.pure
    text = json.loads(json.dumps(result.to_dict()))["equilibria"][0]["exact"]
    assert text["Player 1"] == {"Top": "(53 - sqrt(601))/46", "Bottom": "(-7 + sqrt(601))/46"}
    assert text["Player 3"]["1"] == "(-23 + sqrt(601))/4"
    assert exact_regret_is_zero(game, eq.profile)
    assert max(regret(game, [list(x) for x in eq.float_profile])) < 1e-12


def test_nau_continuum_of_totally_mixed_equilibria_is_reported():
    """Section 5 of Nau et al. (2004): 3 pure, 2 partly mixed equilibria and a continuum of totally mixed ones."""
    game = load("catalog/journals_ijgt_nau2004_sec5.nfg")
    result = support_enumeration_nplayer(game)
    assert result.degenerate and result.complete
    assert sum(eq.pure for eq in result) == 3 and len(result) == 5
    curves = [c for c in result.details["continua"] if c["kind"] == "curve"]
    assert len(curves) == 1 and curves[0]["dimension"] == 1
    piece = curves[0]["pieces"][0]
    assert abs(piece["sample"][2][0] - 0.25) < 1e-9  # player 3 mixes 1/4, 3/4 all along it
    # the curve joins the two partly mixed equilibria, which end the segments from two pure ones
    ends = sorted(piece["ends"])
    assert all(not result[k].pure for k in ends)
    assert sorted(map(sorted, result.components)) == sorted([sorted([0, 1] + ends), [2]]) or any(
        set(ends) <= set(c) and len(c) == 4 for c in result.components
    )


def test_nau_segment_of_equilibria_is_one_component():
    game = load("catalog/journals_ijgt_nau2004_sec6.nfg")
    result = support_enumeration_nplayer(game)
    half = Fraction(1, 2)
    assert {eq.profile for eq in result} == {
        ((half, half), (half, half), (half, half, 0, 0)),
        ((half, half), (half, half), (0, 0, half, half)),
    }
    assert result.degenerate and result.components == [[0, 1]]


def test_continuum_where_one_player_mixes_freely():
    game = load("perfect3.nfg")
    result = support_enumeration_nplayer(game)
    assert len(result) == 3 and result.degenerate
    assert [len(c) for c in result.components] == [1, 2]


def test_support_equilibria_of_one_support_profile():
    game = load("catalog/journals_ijgt_nau2004_sec4.nfg")
    eqs, info = support_equilibria(game, [(0, 1), (0, 1), (0, 1)])
    assert len(eqs) == 1 and info["dimension"] == 0
    assert support_equilibria(game, [(0,), (0,), (0,)])[0] == []


def test_inexact_mode_and_irrational_payoffs():
    game = load("catalog/journals_ijgt_nau2004_sec4.nfg")
    result = support_enumeration_nplayer(game, exact=False)
    assert len(result) == 1 and not result.exact and result.tolerance > 0
    assert close(floats(result[0]), ((0.619233, 0.380767), (0.479804, 0.520196), (0.378825, 0.621175)), 1e-6)
    irrational = Game.from_arrays([["sqrt(2)", 0], [0, 1]], [[1, 0], [0, "sqrt(2)"]])
    out = support_enumeration_nplayer(irrational)
    assert len(out) == 3 and "notes" in out.details
    assert all(max(regret(irrational, [list(x) for x in eq.float_profile])) < 1e-9 for eq in out)


# -- cross-check with Gambit -----------------------------------------------------------------------

# Games of three or more players in the corpus that finish in seconds here, with the number of our
# equilibria that pygambit's enumpoly does not list, and why.  Not run: 2x2x2x2x2.nfg and 5x4x3.nfg
# (their largest support systems take minutes for sympy's Groebner bases), and perfect3.nfg and
# nau2004_sec6.nfg, on which pygambit 16.7's enumpoly does not finish (they are tested above).
GAMBIT_CASES = {
    "2x2x2.nfg": (0, ""),
    "2x2x2x2.nfg": (0, ""),
    "g1.nfg": (0, ""),
    "g2.nfg": (0, ""),
    # a totally mixed equilibrium whose probabilities have degree 9: enumpoly misses it (the title says 5)
    "g3.nfg": (1, "missed by enumpoly"),
    # the title says five equilibria; enumpoly lists four
    "3x3x3.nfg": (1, "missed by enumpoly"),
    "coord333.nfg": (0, ""),
    # an equilibrium with probabilities in Q(sqrt(49136151240166358553697)): enumpoly misses it
    "8x2x2.nfg": (1, "missed by enumpoly"),
    "catalog/journals_ijgt_nau2004_sec4.nfg": (0, ""),
    # the two partly mixed equilibria are not isolated (ends of segments and of a curve of equilibria)
    "catalog/journals_ijgt_nau2004_sec5.nfg": (2, "non-isolated"),
}


@pytest.mark.parametrize("name", sorted(GAMBIT_CASES))
def test_agrees_with_gambit_enumpoly(name):
    gbt = pytest.importorskip("pygambit")
    game = load(name)
    ours = support_enumeration_nplayer(game)
    g = gbt.read_nfg(str(CORPUS / name))
    theirs = [
        tuple(tuple(float(e[s]) for s in p.strategies) for p in g.players)
        for e in gbt.nash.enumpoly_solve(g).equilibria
    ]
    for profile in theirs:
        assert any(close(profile, eq.float_profile) for eq in ours), f"{name}: we miss {profile}"
    extra = [eq for eq in ours if not any(close(p, eq.float_profile) for p in theirs)]
    count, why = GAMBIT_CASES[name]
    assert len(extra) == count, f"{name}: {[e.float_profile for e in extra]}"
    for eq in extra:  # Gambit's own regret computation accepts each as an equilibrium
        profile = g.mixed_strategy_profile(rational=False)
        for p, x in zip(g.players, eq.float_profile):
            for s, v in zip(p.strategies, x):
                profile[s] = v
        assert profile.max_regret() < 1e-9
        if why == "non-isolated":
            index = list(ours).index(eq)
            assert ours.degenerate and any(index in c and len(c) > 1 for c in ours.components)
    assert ours.exact and all(all(r == 0 for r in eq.regret) for eq in ours)


def test_irrational_equilibrium_matches_gambit():
    gbt = pytest.importorskip("pygambit")
    name = "catalog/journals_ijgt_nau2004_sec4.nfg"
    game = load(name)
    (eq,) = support_enumeration_nplayer(game)
    g = gbt.read_nfg(str(CORPUS / name))
    (theirs,) = gbt.nash.enumpoly_solve(g).equilibria
    profile = tuple(tuple(float(theirs[s]) for s in p.strategies) for p in g.players)
    assert close(profile, eq.float_profile, 1e-9)


# -- two players: brute-force vertex enumeration ----------------------------------------------------


def _vertices(matrix, rows: int, cols: int):
    """Vertices of {z >= 0 : M^T z <= 1} (M rows x cols, positive), exactly, by trying every tight set."""
    found = {}
    constraints = [("zero", k) for k in range(rows)] + [("payoff", j) for j in range(cols)]
    for tight in itertools.combinations(range(rows + cols), rows):
        a, b = [], []
        for c in tight:
            kind, k = constraints[c]
            if kind == "zero":
                a.append([Fraction(int(r == k)) for r in range(rows)])
                b.append(Fraction(0))
            else:
                a.append([Fraction(matrix[r][k]) for r in range(rows)])
                b.append(Fraction(1))
        z = _solve(a, b)
        if z is None or any(v < 0 for v in z) or not any(z):
            continue
        if any(sum(matrix[r][j] * z[r] for r in range(rows)) > 1 for j in range(cols)):
            continue
        labels = {k for k in range(rows) if z[k] == 0} | {
            rows + j for j in range(cols) if sum(matrix[r][j] * z[r] for r in range(rows)) == 1
        }
        found[tuple(z)] = labels
    return found


def _solve(a, b):
    n = len(a)
    m = [row[:] + [v] for row, v in zip(a, b)]
    for c in range(n):
        p = next((r for r in range(c, n) if m[r][c] != 0), None)
        if p is None:
            return None
        m[c], m[p] = m[p], m[c]
        m[c] = [v / m[c][c] for v in m[c]]
        for r in range(n):
            if r != c and m[r][c] != 0:
                m[r] = [x - m[r][c] * y for x, y in zip(m[r], m[c])]
    return [m[r][n] for r in range(n)]


def brute_force_extreme_equilibria(a, b):
    """All extreme equilibria of the bimatrix game (A, B): completely labelled vertex pairs."""
    m, n = len(a), len(a[0])
    shift = 1 - min(min(min(r) for r in a), min(min(r) for r in b))
    ap = [[v + shift for v in r] for r in a]
    bp = [[v + shift for v in r] for r in b]
    xs = _vertices(bp, m, n)  # P = {x >= 0: B^T x <= 1}: labels i (x_i = 0), m + j (tight)
    ys = _vertices([list(col) for col in zip(*ap)], n, m)  # Q = {y >= 0: A y <= 1}
    out = set()
    everything = set(range(m + n))
    for x, lx in xs.items():
        for y, ly in ys.items():
            # y's labels: m + j when y_j = 0, i when (A y)_i = 1
            ly2 = {m + k for k in ly if k < n} | {k - n for k in ly if k >= n}
            if lx | ly2 == everything:
                sx, sy = sum(x), sum(y)
                out.add((tuple(v / sx for v in x), tuple(v / sy for v in y)))
    return out


small_bimatrix = st.tuples(st.integers(2, 3), st.integers(2, 3)).flatmap(
    lambda shape: st.tuples(
        st.lists(
            st.lists(st.integers(-2, 2), min_size=shape[1], max_size=shape[1]),
            min_size=shape[0],
            max_size=shape[0],
        ),
        st.lists(
            st.lists(st.integers(-2, 2), min_size=shape[1], max_size=shape[1]),
            min_size=shape[0],
            max_size=shape[0],
        ),
    )
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_bimatrix)
def test_two_players_agree_with_brute_force(ab):
    a, b = ab
    game = Game.from_arrays(a, b)
    result = support_enumeration_nplayer(game)
    assert result.complete and result.exact
    for eq in result:
        assert all(r == 0 for r in regret(game, eq.profile))
    assert {eq.profile for eq in result} == brute_force_extreme_equilibria(a, b)


# -- properties --------------------------------------------------------------------------------------

three_player = st.lists(st.integers(-3, 3), min_size=24, max_size=24)


def _game_from_flat(values, shape=(2, 2, 2)) -> Game:
    import numpy as np

    return Game.from_arrays(*np.array(values, dtype=object).reshape((len(shape),) + shape))


def _permuted(game: Game, order) -> Game:
    import numpy as np

    arrays = [np.transpose(game.payoffs[i], order) for i in order]
    return Game.from_arrays(*arrays)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(three_player, st.permutations([0, 1, 2]))
def test_exact_regret_zero_and_invariant_under_permuting_players(values, order):
    game = _game_from_flat(values)
    result = support_enumeration_nplayer(game)
    for eq in result:
        assert eq.exact
        if all(isinstance(p, Fraction) for x in eq.profile for p in x):
            assert all(r == 0 for r in regret(game, eq.profile))
        else:
            assert exact_regret_is_zero(game, eq.profile)
    permuted = support_enumeration_nplayer(_permuted(game, order))

    def key(eq, order=None):
        prof = eq.profile if order is None else tuple(eq.profile[i] for i in order)
        return tuple(str(sympy.nsimplify(p) if not isinstance(p, Fraction) else p) for x in prof for p in x)

    assert {key(eq, order) for eq in result} == {key(eq) for eq in permuted}
    assert result.degenerate == permuted.degenerate


# -- logit -------------------------------------------------------------------------------------------


def test_logit_matching_pennies():
    game = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    result = logit_solve(game)
    assert not result.complete and result.tolerance == 1e-8
    half = Fraction(1, 2)
    assert [eq.profile for eq in result] == [((half, half), (half, half))]


def test_logit_jordan_game():
    result = logit_solve(jordan())
    (eq,) = result
    half = Fraction(1, 2)
    assert eq.profile == ((half, half),) * 3 and eq.exact


def test_logit_coordination_reaches_an_equilibrium_within_tolerance():
    game = Game.from_arrays([[3, 0], [0, 1]], [[3, 0], [0, 1]])
    raw = logit_solve(game, refine=False)
    (eq,) = raw
    assert not eq.exact and max(eq.regret) < 1e-8 * 3
    assert close(eq.float_profile, ((1, 0), (1, 0)), 1e-6)
    assert logit_solve(game)[0].profile == ((1, 0), (1, 0))


def test_logit_agrees_with_gambit_on_2x2x2():
    """Our branch is Gambit's; Gambit's tracer stops where ours goes on to the limit.

    On this game the principal branch keeps players 1 and 2 at (1/2, 1/2) and
    meets a bifurcation near lambda = 0.597 (the Jacobian is singular there).
    pygambit 16.7's ``logit_solve`` stops at that point and returns it
    (regret about 0.21: not an equilibrium); our tracer continues through it
    to the limit ((1/2, 1/2), (1/2, 1/2), (1, 0)), an exact equilibrium.
    """
    gbt = pytest.importorskip("pygambit")
    from pygambit.qre import logit_solve_branch

    game = load("2x2x2.nfg")
    g = gbt.read_nfg(str(CORPUS / "2x2x2.nfg"))
    theirs = [
        (b.lam, tuple(tuple(float(b.profile[s]) for s in p.strategies) for p in g.players))
        for b in logit_solve_branch(g)
        if b.lam < 0.59
    ]
    ours = logit_branch(game, [lam for lam, _ in theirs])
    for (lam, profile), (lam2, mine) in zip(theirs, ours):
        assert lam == lam2 and close(profile, mine, 1e-6)
    (limit,) = logit_solve(game)
    half = Fraction(1, 2)
    assert limit.profile == ((half, half), (half, half), (1, 0)) and limit.exact
    (stalled,) = gbt.nash.logit_solve(g).equilibria
    assert stalled.max_regret() > 0.1


def test_logit_irrational_limit_is_refined_exactly():
    game = load("catalog/journals_ijgt_nau2004_sec4.nfg")
    result = logit_solve(game)
    assert result.details["refined"] == "exact"
    assert result[0].profile == support_enumeration_nplayer(game)[0].profile


def test_logit_branch_points_for_plotting():
    game = load("loopback.nfg")
    points = logit_branch(game, [0.0, 0.5, 2.0])
    assert [lam for lam, _ in points] == [0.0, 0.5, 2.0]
    assert points[0][1] == ((0.5, 0.5), (0.5, 0.5))
    traced = logit_branch(game)
    lambdas = [lam for lam, _ in traced]
    assert any(b < a for a, b in zip(lambdas, lambdas[1:]))  # the branch bends back
