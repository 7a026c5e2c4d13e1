"""Analyses around an equilibrium set: welfare, efficiency, selection, refinements.

Given the equilibria a solver found, this module answers the questions a
teacher or an analyst asks next:

* welfare (sum of payoffs) of each equilibrium, and the price of anarchy
  (Koutsoupias & Papadimitriou 1999) and of stability: the best welfare of any
  outcome against the worst and the best equilibrium;
* Pareto efficiency among the equilibria and against every pure outcome;
* payoff dominance and risk dominance (Harsanyi & Selten 1988, ch. 3 and 5):
  one equilibrium payoff-dominates another when every player strictly prefers
  it; in a 2x2 game with two strict equilibria, one risk-dominates the other
  when the product of the players' deviation losses is larger;
* maxmin (security) strategies and values (von Neumann 1928): the most each
  player can guarantee whatever the others do, by linear programming;
* undominated equilibria: no player uses a weakly dominated (possibly by a
  mixed strategy) strategy; for two players these are exactly the
  normal-form perfect equilibria (van Damme 1991, Theorem 3.2.2);
* symmetric equilibria and evolutionarily stable strategies (Maynard Smith &
  Price 1973) of symmetric two-player games, by Haigh's (1975) test: ``x`` is
  an ESS iff ``z'Az < 0`` for every admissible direction ``z = x - y`` with
  ``y`` a best response to ``x``.

Comparisons are exact (Fractions, or sympy numbers) whenever the equilibria are.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from .result import Equilibrium, SolveResult

LP_TOL = 1e-9


def _ge(a: Any, b: Any) -> bool:
    return bool(a >= b)


def _gt(a: Any, b: Any) -> bool:
    return bool(a > b)


def welfare(eq: Equilibrium) -> Any:
    """The sum of the players' payoffs."""
    total = 0
    for v in eq.payoffs:
        total = total + v
    return total


def pareto_dominates(u: Sequence[Any], v: Sequence[Any]) -> bool:
    """``u`` is at least as good for everyone and better for someone."""
    return all(_ge(a, b) for a, b in zip(u, v)) and any(_gt(a, b) for a, b in zip(u, v))


def _approx_payoffs(eq: Equilibrium, exact: bool) -> tuple:
    return tuple(eq.payoffs) if exact else tuple(round(float(v), 9) for v in eq.payoffs)


def pure_outcomes(game) -> list[tuple[tuple[int, ...], tuple[Any, ...]]]:
    """Every pure profile with its exact payoff vector."""
    return [(p, tuple(game.payoffs[(i,) + p] for i in range(game.n_players))) for p in game.profiles()]


def maxmin(game, player: int) -> dict[str, Any]:
    """Security strategy and value of ``player`` (LP over the others' pure profiles).

    The others' worst reply to a mixed strategy of ``player`` can be taken pure,
    because expected payoff is linear in each opponent's mixture; so the value is
    that of the zero-sum matrix game ``u_i`` (rows: own strategies; columns: the
    others' profiles).  Solved with HiGHS, then confirmed exactly on rational
    games: the value is recovered from the LP's tight constraints and checked.
    """
    import numpy as np

    u = np.moveaxis(game.payoffs[player], player, 0)
    rows = u.shape[0]
    mat = u.reshape(rows, -1)
    fmat = np.asarray(mat, dtype=float)
    from scipy.optimize import linprog

    # variables: x_1..x_n, v ; maximise v s.t. x' M[:, j] >= v for all j
    n, m = fmat.shape
    c = np.zeros(n + 1)
    c[-1] = -1.0
    a_ub = np.hstack([-fmat.T, np.ones((m, 1))])
    b_ub = np.zeros(m)
    a_eq = np.hstack([np.ones((1, n)), np.zeros((1, 1))])
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[1.0], bounds=[(0, None)] * n + [(None, None)],
                  method="highs")
    x = res.x[:n]
    value = float(res.x[-1])
    exact_x = _exact_security(mat, x) if all(isinstance(v, Fraction) for v in mat.flat) else None
    if exact_x is not None:
        strategy, exact_value = exact_x
        return {"strategy": strategy, "value": exact_value, "exact": True}
    return {"strategy": tuple(float(v) for v in x), "value": value, "exact": False}


def _exact_security(mat, x) -> tuple[tuple[Fraction, ...], Fraction] | None:
    """Rationalise an LP security strategy and confirm it is optimal, exactly.

    Candidate: the LP's strategy rounded to nearby fractions, renormalised.  It
    guarantees ``min_j x'M_j``.  Optimality is certified by a dual strategy of
    the opponent found the same way that holds the player to the same value.
    """
    import numpy as np
    from scipy.optimize import linprog

    fmat = np.asarray(mat, dtype=float)
    n, m = fmat.shape
    # dual: the opponents' mixture y over columns minimising the player's best reply
    c = np.zeros(m + 1)
    c[-1] = 1.0
    a_ub = np.hstack([fmat, -np.ones((n, 1))])
    res = linprog(c, A_ub=a_ub, b_ub=np.zeros(n), A_eq=np.hstack([np.ones((1, m)), np.zeros((1, 1))]),
                  b_eq=[1.0], bounds=[(0, None)] * m + [(None, None)], method="highs")
    if res.status != 0:
        return None
    y = res.x[:m]
    for denom in (10**3, 10**6, 10**9, 10**12):
        xs = [Fraction(float(v)).limit_denominator(denom) for v in x]
        ys = [Fraction(float(v)).limit_denominator(denom) for v in y]
        if sum(xs) <= 0 or sum(ys) <= 0 or min(xs) < 0 or min(ys) < 0:
            continue
        sx, sy = sum(xs), sum(ys)
        xs = [v / sx for v in xs]
        ys = [v / sy for v in ys]
        guarantee = min(sum(xs[i] * mat[i, j] for i in range(n)) for j in range(m))
        cap = max(sum(mat[i, j] * ys[j] for j in range(m)) for i in range(n))
        if guarantee == cap:
            return tuple(xs), guarantee
    return None


def _weakly_dominated(game, player: int, mix: Sequence[Any]) -> bool:
    """Is the mixed strategy ``mix`` of ``player`` weakly dominated by another mixed strategy?

    LP: maximise the total gain sum_t (tau - mix)' U[:, t] over mixtures tau with
    (tau - mix)' U[:, t] >= 0 for every profile t of the others; dominated iff
    the optimum is positive (Myerson 1991, sec. 1.8).
    """
    import numpy as np
    from scipy.optimize import linprog

    u = np.moveaxis(np.asarray(game.payoff_array[player], dtype=float), player, 0)
    mat = u.reshape(u.shape[0], -1)
    sig = np.asarray([float(p) for p in mix])
    base = sig @ mat
    n = mat.shape[0]
    scale = max(1.0, float(np.abs(mat).max()))
    res = linprog(
        -mat.sum(axis=1),
        A_ub=-mat.T,
        b_ub=-base,
        A_eq=np.ones((1, n)),
        b_eq=[1.0],
        bounds=[(0, None)] * n,
        method="highs",
    )
    if res.status != 0:
        return False
    gain = float(-res.fun - base.sum())
    return gain > LP_TOL * scale * mat.shape[1]


def is_strict(game, eq: Equilibrium) -> bool | None:
    """For a pure equilibrium: is each player's strategy its unique best response?"""
    if not eq.pure:
        return None
    if eq.strict is not None:
        return eq.strict
    prof = tuple(list(x).index(max(x)) for x in eq.profile)
    for i in range(game.n_players):
        mine = game.payoffs[(i,) + prof]
        for alt in range(game.shape[i]):
            if alt != prof[i]:
                other = list(prof)
                other[i] = alt
                if not game.payoffs[(i,) + tuple(other)] < mine:
                    return False
    return True


def risk_dominance_2x2(game, eqs: Sequence[Equilibrium]) -> dict[str, Any] | None:
    """Harsanyi-Selten risk dominance between the two strict pure equilibria of a 2x2 game.

    For strict equilibria (a, b) and (a', b'), (a, b) risk-dominates iff
    (u1(a,b) - u1(a',b)) (u2(a,b) - u2(a,b')) > (u1(a',b') - u1(a,b')) (u2(a',b') - u2(a',b)).
    Returns None where the concept is not defined this way.
    """
    if game.shape != (2, 2):
        return None
    u1, u2 = game.payoffs[0], game.payoffs[1]

    def is_strict(e: Equilibrium) -> bool:
        a, b = (x.index(1) for x in e.profile)
        return bool(u1[a, b] > u1[1 - a, b] and u2[a, b] > u2[a, 1 - b])

    strict = [e for e in eqs if e.pure and e.exact and is_strict(e)]
    if len(strict) != 2:
        return None
    (i, j) = [tuple(x.index(1) for x in e.profile) for e in strict]
    if i[0] == j[0] or i[1] == j[1]:
        return None
    (a, b), (a2, b2) = i, j
    first = (u1[a, b] - u1[a2, b]) * (u2[a, b] - u2[a, b2])
    second = (u1[a2, b2] - u1[a, b2]) * (u2[a2, b2] - u2[a2, b])
    if first > second:
        winner = 0
    elif second > first:
        winner = 1
    else:
        winner = None
    return {
        "equilibria": [eqs.index(strict[0]), eqs.index(strict[1])],
        "deviation_loss_products": [first, second],
        "risk_dominant": None if winner is None else eqs.index(strict[winner]),
    }


def ess(game, eq: Equilibrium) -> bool | None:
    """Is the symmetric equilibrium's strategy an evolutionarily stable strategy?

    Haigh (1975): with S the support of x and T its pure best responses, x is an
    ESS iff z'Az < 0 for all nonzero z with sum 0, z_j = 0 off T and z_j <= 0 on
    T \\ S.  Decided exactly when T = S (negative definiteness on a subspace)
    and for pure x; returns None in the remaining (rare) case.
    """
    a = game.payoffs[0]
    x = eq.profile[0]
    n = len(x)
    payoff_vs_x = [sum(a[i, j] * x[j] for j in range(n)) for i in range(n)]
    best = max(payoff_vs_x)
    support = [i for i in range(n) if x[i] != 0]
    replies = [i for i in range(n) if payoff_vs_x[i] == best]
    extra = [j for j in replies if j not in support]
    if len(support) == 1:
        i = support[0]
        # pure x: ESS iff for every other best reply j, a_ij > a_jj,
        # and on the face spanned by i and the ties the form is negative
        if not extra:
            return True
        if len(extra) == 1:
            j = extra[0]
            return bool(a[i, j] > a[j, j])
    if extra:
        return None
    # T = S: the directions form the subspace {z : sum z = 0, supp z in S}
    k = len(support)
    if k == 1:
        return True
    basis = []
    for m in range(1, k):
        z = [0] * n
        z[support[0]] = 1
        z[support[m]] = -1
        basis.append(z)
    form = [[sum(a[p, q] * bi[p] * bj[q] for p in range(n) for q in range(n)) for bj in basis] for bi in basis]
    sym = [[(form[r][c] + form[c][r]) / 2 for c in range(len(basis))] for r in range(len(basis))]
    if all(isinstance(v, Fraction) for row in sym for v in row):
        # Sylvester's criterion: negative definite iff (-1)^k det(M_k) > 0 for every leading minor
        return all((-1) ** k * _det([row[:k] for row in sym[:k]]) > 0 for k in range(1, len(sym) + 1))
    import sympy

    return bool(sympy.Matrix(sym).is_negative_definite)


def _det(mat: list[list[Fraction]]) -> Fraction:
    """Determinant by exact Gaussian elimination over the rationals."""
    m = [list(row) for row in mat]
    n = len(m)
    det = Fraction(1)
    for c in range(n):
        pivot = next((r for r in range(c, n) if m[r][c] != 0), None)
        if pivot is None:
            return Fraction(0)
        if pivot != c:
            m[c], m[pivot] = m[pivot], m[c]
            det = -det
        det *= m[c][c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            if f:
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return det


def analyse(result: SolveResult) -> dict[str, Any]:
    """Every analysis above for a solve result, keyed for JSON and tables.

    Keys: ``welfare`` (per equilibrium), ``pareto_among_equilibria``,
    ``pareto_efficient`` (against all pure outcomes), ``payoff_dominant``
    (index or None), ``risk_dominance`` (2x2 only), ``maxmin`` (per player),
    ``welfare_optimum``, ``price_of_anarchy``, ``price_of_stability``,
    ``undominated`` (per equilibrium), ``symmetric`` and ``ess`` (symmetric
    games).  Exact values are kept as exact numbers.
    """
    game = result.game
    eqs = list(result.equilibria)
    exact = all(e.exact for e in eqs)
    pays = [_approx_payoffs(e, exact) for e in eqs]
    out: dict[str, Any] = {}
    out["welfare"] = [welfare(e) for e in eqs]
    out["strict"] = [is_strict(game, e) for e in eqs]
    out["pareto_among_equilibria"] = [
        not any(pareto_dominates(pays[k], pays[i]) for k in range(len(eqs)) if k != i) for i in range(len(eqs))
    ]
    outcomes = pure_outcomes(game)
    out["pareto_efficient"] = [
        not any(pareto_dominates(o if exact else tuple(float(v) for v in o), pays[i]) for _, o in outcomes)
        for i in range(len(eqs))
    ]
    dominant = None
    for i in range(len(eqs)):
        if len(eqs) > 1 and all(
            all(_gt(a, b) for a, b in zip(pays[i], pays[k])) for k in range(len(eqs)) if k != i
        ):
            dominant = i
    out["payoff_dominant"] = dominant
    out["risk_dominance"] = risk_dominance_2x2(game, eqs) if exact else None
    out["maxmin"] = [maxmin(game, i) for i in range(game.n_players)]
    best_welfare = max(sum(o) for _, o in outcomes)
    best_profiles = [p for p, o in outcomes if sum(o) == best_welfare]
    out["welfare_optimum"] = {"welfare": best_welfare, "profiles": best_profiles}
    if eqs:
        ws = out["welfare"]
        worst = min(ws)
        best = max(ws)
        out["price_of_anarchy"] = best_welfare / worst if _gt(worst, 0) else None
        out["price_of_stability"] = best_welfare / best if _gt(best, 0) else None
    else:
        out["price_of_anarchy"] = out["price_of_stability"] = None
    out["undominated"] = [
        not any(_weakly_dominated(game, i, e.profile[i]) for i in range(game.n_players)) for e in eqs
    ]
    if game.n_players == 2 and game.is_symmetric():
        out["symmetric"] = [
            all(p == q for p, q in zip(e.profile[0], e.profile[1])) if e.exact
            else all(abs(float(p) - float(q)) < 1e-9 for p, q in zip(e.profile[0], e.profile[1]))
            for e in eqs
        ]
        out["ess"] = [ess(game, e) if s and e.exact else (False if not s else None)
                      for e, s in zip(eqs, out["symmetric"])]
    return out


def _num(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, Fraction)):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def analysis_to_dict(game, analysis: dict[str, Any]) -> dict[str, Any]:
    """The analysis in JSON form (numbers as floats, exact values as strings beside them)."""
    from ._exact import exact_string

    def ex(v: Any) -> Any:
        return exact_string(v) if isinstance(v, Fraction) or hasattr(v, "is_number") else None

    def prof(p: tuple[int, ...]) -> dict[str, str]:
        return {pl: game.strategies[i][s] for i, (pl, s) in enumerate(zip(game.players, p))}

    out: dict[str, Any] = {
        "welfare": [_num(w) for w in analysis["welfare"]],
        "strict": analysis["strict"],
        "pareto_among_equilibria": analysis["pareto_among_equilibria"],
        "pareto_efficient": analysis["pareto_efficient"],
        "payoff_dominant": analysis["payoff_dominant"],
        "undominated": analysis["undominated"],
        "maxmin": {
            pl: {
                "value": _num(m["value"]),
                **({"exact": ex(m["value"])} if m["exact"] else {}),
                "strategy": {s: _num(p) for s, p in zip(game.strategies[i], m["strategy"])},
            }
            for i, (pl, m) in enumerate(zip(game.players, analysis["maxmin"]))
        },
        "welfare_optimum": {
            "welfare": _num(analysis["welfare_optimum"]["welfare"]),
            "profiles": [prof(p) for p in analysis["welfare_optimum"]["profiles"]],
        },
        "price_of_anarchy": _num(analysis["price_of_anarchy"]),
        "price_of_stability": _num(analysis["price_of_stability"]),
    }
    rd = analysis.get("risk_dominance")
    if rd is not None:
        out["risk_dominance"] = {
            "equilibria": rd["equilibria"],
            "deviation_loss_products": [_num(v) for v in rd["deviation_loss_products"]],
            "risk_dominant": rd["risk_dominant"],
        }
    if "symmetric" in analysis:
        out["symmetric"] = analysis["symmetric"]
        out["ess"] = analysis["ess"]
    return out


__all__ = ["analyse", "analysis_to_dict", "maxmin", "welfare", "pareto_dominates", "ess", "risk_dominance_2x2"]

