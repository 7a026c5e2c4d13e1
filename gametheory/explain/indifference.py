"""The indifference method: why a mixed equilibrium mixes the way it does.

In a Nash equilibrium (Nash 1951) a player who mixes must be indifferent
among the strategies it mixes over, or it would drop the worse ones; and no
strategy it leaves out may pay more.  So the *other* players' probabilities
solve the mixing player's indifference equations (Gibbons 1992, sec. 1.3.A;
Osborne 2004, ch. 4).  For each mixed equilibrium this module writes those
equations the way a teacher does, solves them step by step and checks the
solution:

1. Name the unknowns: ``p`` for the first player's probability of its first
   support strategy (the second gets ``1 - p``), ``q`` for the second
   player's, ``r`` for the third's; with three or more support strategies one
   unknown per strategy (``q_Rock``, ...) and the equation that they sum to 1.
2. Each support strategy's expected payoff is written as a sum of payoff x
   probability terms (:class:`~gametheory.explain.notation.Combination`):
   ``4q + 0(1 - q)``.
3. Two players: each mixing player's equations are linear in the other's
   unknowns.  One equation in one unknown is solved in steps
   (``4q + 0(1 - q) = 3q + 2(1 - q) ⇒ 3q = 2 ⇒ q = 2/3``); larger systems are
   shown with their solution (:func:`sympy.linsolve`).  When the file has
   parameters the same steps are done with the payoffs as expressions of the
   parameters (:meth:`~gametheory.model.Game.symbolic_payoffs`, built with
   sympy's constructors, never from text), then with the numbers; the
   symbolic solution must give the solver's exact values.  A player's mix then
   depends only on the other player's payoffs (Tsebelis 1989): this is said
   when some parameter enters only the mixing player's own payoffs.
4. Three or more players: the equations are polynomial (multilinear); they
   are shown expanded, with the exact solution the solver found (McKelvey &
   McLennan 1996; surds allowed) substituted to verify each one.
5. Unused strategies: each is shown to pay no more than the equilibrium payoff.
6. Degenerate games: where the equations leave a probability free, the
   inequalities of step 5 bound it, and the equilibrium is one end of a
   segment of equilibria (a component); this is said, never hidden.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from .lesson import Derivation, Paragraph, para
from .notation import Combination, Relation, oriented, plain, sym, value

LETTER_SETS = ("pqrstuvw", "xyzw", "abcdefgh")  # unknowns' names: the first set no parameter uses
MAX_TERMS_SHOWN = 16  # an expected payoff with more terms is shown expanded only


@dataclass
class MixedExplanation:
    """How one mixed equilibrium follows from the indifference conditions.

    Attributes:
        index: the equilibrium's position in the solve result (0-based).
        equilibrium: the :class:`~gametheory.solvers.result.Equilibrium`.
        unknowns: per player, the sympy symbols of its probabilities (empty
            for a player who plays a pure strategy).
        meaning: per player, ``{strategy: probability as an expression of the
            unknowns}`` for its support strategies.
        equations: the indifference equations with the numbers (Relations
            between expected payoffs), as solved.
        solution: ``{unknown: exact value}`` at this equilibrium.
        probabilities: per player, ``{strategy: exact probability}`` (sympy).
        payoffs: per player, the exact equilibrium payoff (sympy).
        symbolic_equations, symbolic_solution, symbolic_probabilities,
        symbolic_payoffs: the same in the parameters (two-player games of a
            parameterised file, when the solution is unique), else None.
        verified: every equation holds exactly at the solution, and no unused
            strategy pays more.
        free: unknowns the equations leave free (a continuum of equilibria).
        blocks: the lesson's paragraphs and derivations for this equilibrium.
    """

    index: int
    equilibrium: Any
    unknowns: dict[str, list[Any]]
    meaning: dict[str, dict[str, Any]]
    equations: list[Relation]
    solution: dict[Any, Any]
    probabilities: dict[str, dict[str, Any]]
    payoffs: dict[str, Any]
    symbolic_equations: list[Relation] | None = None
    symbolic_solution: dict[Any, Any] | None = None
    symbolic_probabilities: dict[str, dict[str, Any]] | None = None
    symbolic_payoffs: dict[str, Any] | None = None
    verified: bool = False
    free: list[Any] = field(default_factory=list)
    blocks: list[Any] = field(default_factory=list)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "equilibrium": self.index + 1,
            "unknowns": {p: [str(u) for u in us] for p, us in self.unknowns.items()},
            "equations": [plain(r) for r in self.equations],
            "solution": {str(k): plain(v) for k, v in self.solution.items()},
            "probabilities": {p: {s: plain(v) for s, v in d.items()} for p, d in self.probabilities.items()},
            "payoffs": {p: plain(v) for p, v in self.payoffs.items()},
            "verified": self.verified,
        }
        if self.free:
            out["free"] = [str(u) for u in self.free]
        if self.symbolic_probabilities is not None:
            out["symbolic"] = {
                "equations": [plain(r) for r in self.symbolic_equations or []],
                "probabilities": {p: {s: plain(v) for s, v in d.items()}
                                  for p, d in self.symbolic_probabilities.items()},
                "payoffs": {p: plain(v) for p, v in (self.symbolic_payoffs or {}).items()},
            }
        return out


# ---------------------------------------------------------------------------------------
# unknowns and expected payoffs


def _clean(name: str, k: int) -> str:
    """A strategy name usable in a symbol's subscript (``q_Rock``); its number if nothing is left."""
    return re.sub(r"[^0-9A-Za-z]", "", name) or str(k + 1)


@dataclass
class _Setup:
    supports: list[tuple[int, ...]]
    unknowns: list[list[Any]]
    exprs: list[dict[int, Any]]  # per player: {strategy index: probability in the unknowns}
    constraints: list[Relation | None]  # per player: sum of unknowns = 1 (3+ support strategies)


def _setup(game: Any, supports: list[tuple[int, ...]]) -> _Setup:
    import sympy

    taken = set(game.parameters) | set(game.define)
    n = len(supports)
    letters = next((ls for ls in LETTER_SETS if len(ls) >= n and not set(ls[:n]) & taken),
                   [f"x{i + 1}" for i in range(n)])
    unknowns: list[list[Any]] = []
    exprs: list[dict[int, Any]] = []
    constraints: list[Relation | None] = []
    for i, sup in enumerate(supports):
        base = letters[i]
        while base in taken:
            base += "'"
        taken.add(base)
        if len(sup) == 1:
            unknowns.append([])
            exprs.append({sup[0]: sympy.Integer(1)})
            constraints.append(None)
        elif len(sup) == 2:
            u = sympy.Symbol(base, real=True)
            unknowns.append([u])
            exprs.append({sup[0]: u, sup[1]: 1 - u})
            constraints.append(None)
        else:
            names: list[str] = []
            for k in sup:
                label = _clean(game.strategies[i][k], k)
                while label in names:
                    label += str(k + 1)
                names.append(label)
            us = [sympy.Symbol(f"{base}_{label}", real=True) for label in names]
            taken.update(str(u) for u in us)
            unknowns.append(us)
            exprs.append(dict(zip(sup, us)))
            constraints.append(Relation(Combination(tuple((sympy.Integer(1), u) for u in us), unit=False), "=",
                                        sympy.Integer(1)))
    return _Setup(list(supports), unknowns, exprs, constraints)


def expected_payoff(payoffs: Any, setup: _Setup, player: int, strategy: int) -> Combination:
    """``player``'s expected payoff from ``strategy`` against the others' mixtures, term by term."""
    import sympy

    n = len(setup.supports)
    others = [j for j in range(n) if j != player]
    terms = []
    for t in itertools.product(*[setup.supports[j] for j in others]):
        prof = [0] * n
        prof[player] = strategy
        for j, s in zip(others, t):
            prof[j] = s
        weight = sympy.Mul(*[setup.exprs[j][s] for j, s in zip(others, t)])
        terms.append((payoffs[(player,) + tuple(prof)], weight))
    return Combination(tuple(terms))


def _substituted(comb: Combination, sol: dict) -> Combination:
    """The same terms with the probabilities' values put in: ``4(2/3) + 0(1/3)``."""
    return Combination(tuple((c, w.subs(sol) if hasattr(w, "subs") else w) for c, w in comb.terms))


def _simplify_number(x: Any) -> Any:
    import sympy

    x = sympy.nsimplify(x) if x.is_Float else x
    if x.is_Rational:
        return x
    return sympy.radsimp(sympy.simplify(x))


def _is_zero(x: Any) -> bool:
    import sympy

    x = sympy.expand(x)
    if x == 0:
        return True
    if x.is_number:
        s = sympy.radsimp(sympy.simplify(x))
        if s == 0:
            return True
        eq = x.equals(0)
        return bool(eq)
    return sympy.simplify(x) == 0


def _compare(a: Any, b: Any) -> int:
    from ..solvers._exact import compare

    return compare(a, b)


# ---------------------------------------------------------------------------------------
# solving the indifference equations of one player (two-player games)


@dataclass
class _PlayerSolve:
    lines: list[Relation]  # the derivation
    solution: dict[Any, Any]  # unknown -> value (may contain free unknowns)
    equations: list[Relation]
    identity: bool = False  # no unknowns: the equations are checks between numbers
    ok: bool = True


def _solve_player(payoffs: Any, setup: _Setup, i: int, values: dict | None) -> _PlayerSolve:
    """Solve player i's indifference equations for the other player's unknowns."""
    import sympy

    j = 1 - i
    sup = setup.supports[i]
    combos = {a: expected_payoff(payoffs, setup, i, a) for a in sup}
    equations = [Relation(combos[sup[0]], "=", combos[a]) for a in sup[1:]]
    unknowns = setup.unknowns[j]
    if not unknowns:
        lines = []
        for rel in equations:
            lines.append(rel)
            if len(rel.lhs.terms) > 1 or len(rel.rhs.terms) > 1:
                lines.append(Relation(value(rel.lhs), "=", value(rel.rhs), implied=True))
        ok = all(_is_zero(value(r.lhs) - value(r.rhs)) for r in equations)
        return _PlayerSolve(lines, {}, equations, identity=True, ok=ok)
    if len(equations) == 1 and len(unknowns) == 1:
        v = unknowns[0]
        rel = equations[0]
        diff = sympy.expand(value(rel.lhs) - value(rel.rhs))
        c = sympy.expand(diff.coeff(v))
        k = sympy.expand(-(diff - c * v))
        if values:
            at = c.subs(values)
            if at.is_number and at < 0:
                c, k = -c, -k
        elif c.is_number and c < 0:
            c, k = -c, -k
        lines = [rel]
        if c == 0:
            lines.append(Relation(sympy.Integer(0), "=", k, implied=True))
            return _PlayerSolve(lines, {}, equations, ok=bool(k == 0))
        common = sympy.gcd(c, k)
        if not common.is_number:  # 2a·q = a: divide by a (not zero, since c is not)
            c, k = sympy.cancel(c / common), sympy.cancel(k / common)
        cf, kf = sympy.factor(c), sympy.factor(k)
        if cf != 1:
            lines.append(Relation(Combination(((cf, v),)), "=", oriented(kf, values) if values else kf,
                                  implied=True))
        solution = sympy.factor(sympy.cancel(k / c))
        lines.append(Relation(v, "=", oriented(solution, values) if values else solution, implied=True))
        return _PlayerSolve(lines, {v: solution}, equations)
    exprs = [sympy.expand(value(r.lhs) - value(r.rhs)) for r in equations]
    lines = list(equations)
    if setup.constraints[j] is not None:
        exprs.append(value(setup.constraints[j].lhs) - 1)
        lines.append(setup.constraints[j])
    solved = sympy.linsolve(exprs, unknowns)
    if not solved:
        return _PlayerSolve(lines, {}, equations, ok=False)
    sol = dict(zip(unknowns, next(iter(solved))))
    sol = {u: sympy.factor(sympy.cancel(x)) for u, x in sol.items() if x != u}
    for k, (u, x) in enumerate(sol.items()):
        lines.append(Relation(u, "=", oriented(x, values) if values else x, implied=(k == 0)))
    return _PlayerSolve(lines, sol, equations)


# ---------------------------------------------------------------------------------------
# the explanation of one mixed equilibrium


def _profile_words(game: Any, eq: Any) -> Paragraph:
    """``Hunter 1: Stag 2/3, Hare 1/3; Hunter 2: ...``, probabilities exact."""
    parts: list[Any] = []
    for i, p in enumerate(game.players):
        parts.append(("; " if i else "") + f"{p}: ")
        used = [(s, x) for s, x in zip(game.strategies[i], eq.profile[i]) if x != 0]
        if len(used) == 1:
            parts.append(used[0][0])
            continue
        for k, (s, x) in enumerate(used):
            parts += [(", " if k else "") + f"{s} ", sym(x)]
    return para(*parts)


def _name_list(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _unknown_words(game: Any, setup: _Setup, i: int) -> Paragraph | None:
    sup = setup.supports[i]
    names = [game.strategies[i][k] for k in sup]
    player = game.players[i]
    us = setup.unknowns[i]
    if not us:
        return None
    if len(us) == 1:
        return para(us[0], f" be the probability that {player} plays {names[0]} ({names[1]}: ", 1 - us[0], ")")
    return para(*_join_math(us), f" be {player}'s probabilities of {_name_list(names)} (summing to 1)")


def _join_math(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for k, x in enumerate(items):
        if k:
            out.append(", " if k < len(items) - 1 else " and ")
        out.append(x)
    return out


def _values_text(game: Any, names: set[str]) -> list[Any]:
    """``R = 4, T = 3``: the values of the parameters ``names``, as inline formulas."""
    from ..sensitivity.symbolic import symbol

    out: list[Any] = []
    for k, v in game.values.items():
        if k in names:
            out += [", " if out else "", Relation(symbol(k), "=", sym(v))]
    return out


def _free_symbols(rels: list[Relation]) -> set[str]:
    out: set[str] = set()
    for r in rels:
        for side in (r.lhs, r.rhs):
            out |= {str(s) for s in value(side).free_symbols}
    return out


def explain_mixed(game: Any, eq: Any, index: int, result: Any = None) -> MixedExplanation:
    """Explain mixed equilibrium ``eq`` (position ``index`` in ``result``) by the indifference method."""
    import numpy as np

    n = game.n_players
    numeric = np.empty(game.payoffs.shape, dtype=object)
    for idx, v in np.ndenumerate(game.payoffs):
        numeric[idx] = sym(v)
    supports = [tuple(k for k, p in enumerate(x) if p != 0) for x in eq.profile]
    setup = _setup(game, supports)
    actual = {}  # unknown -> the equilibrium's exact value
    for i, sup in enumerate(supports):
        for u, k in zip(setup.unknowns[i], sup):
            actual[u] = sym(eq.profile[i][k])
    blocks: list[Any] = []
    blocks.append(_profile_words(game, eq))
    intro = [p for p in (_unknown_words(game, setup, i) for i in range(n)) if p is not None]
    if intro:
        joined: list[Any] = []
        for k, p in enumerate(intro):
            if k:
                joined.append(", and " if k == len(intro) - 1 else ", ")
            joined.extend(p.parts)
        blocks.append(para("Let ", *joined, "."))
    values = None
    symbolic_payoffs = None
    if game.parameters:
        from ..sensitivity.symbolic import symbolic_payoffs as _symbolic
        from ..sensitivity.symbolic import value_map

        values = value_map(game)
        symbolic_payoffs = _symbolic(game)
    if n == 2:
        expl = _explain_two(game, eq, index, setup, numeric, symbolic_payoffs, values, actual, blocks)
    else:
        expl = _explain_many(game, eq, index, setup, numeric, symbolic_payoffs, values, actual, blocks)
    _check_unused(game, eq, setup, numeric, expl, blocks)
    _continuum(game, eq, index, setup, numeric, expl, blocks, result)
    if expl.verified:
        blocks.append(para("Verified: with these probabilities every equation holds exactly and no strategy pays "
                           "more than the equilibrium payoff, so no player can gain by deviating."))
    else:
        blocks.append(para("Warning: this equilibrium did not verify exactly in the lesson's own algebra; "
                           "see `gametheory solve` for the solver's verification."))
    expl.blocks = blocks
    return expl


def _explain_two(game, eq, index, setup, numeric, symbolic, values, actual, blocks) -> MixedExplanation:
    import sympy

    solution: dict[Any, Any] = {}
    sym_solution: dict[Any, Any] = {}
    equations: list[Relation] = []
    sym_equations: list[Relation] = []
    ok = True
    for i in range(2):
        sup = setup.supports[i]
        if len(sup) < 2:
            continue
        j = 1 - i
        player, other = game.players[i], game.players[j]
        names = _name_list([game.strategies[i][k] for k in sup])
        us = setup.unknowns[j]
        num = _solve_player(numeric, setup, i, None)
        equations.extend(num.equations)
        ok = ok and num.ok
        if num.identity:
            blocks.append(para(f"{player} mixes {names}; against {other}'s "
                               f"{game.strategies[j][setup.supports[j][0]]} they pay the same:"))
            blocks.append(Derivation(num.lines))
            continue
        if len(us) == 1:
            blocks.append(para(f"{player} is willing to mix only if {other}'s ", us[0], f" makes {names} "
                               "equally good:"))
        else:
            blocks.append(para(f"{player} is willing to mix only if {other}'s probabilities make {names} "
                               "equally good:"))
        sym_res = None
        if symbolic is not None:
            candidate = _solve_player(symbolic, setup, i, values)
            params = _free_symbols(candidate.equations) & set(game.parameters)
            if (params and candidate.ok and candidate.solution and set(candidate.solution) == set(us)
                    and all(_is_zero(x.subs(values) - actual[u]) for u, x in candidate.solution.items())):
                sym_res = candidate
        if sym_res is not None:
            sym_equations.extend(sym_res.equations)
            sym_solution.update(sym_res.solution)
            blocks.append(para("In the parameters:"))
            blocks.append(Derivation(sym_res.lines))
            used = _free_symbols(sym_res.equations) & set(game.parameters)
            blocks.append(para("With ", *_values_text(game, used), ":"))
        blocks.append(Derivation(num.lines))
        solution.update(num.solution)
    for u, x in solution.items():
        if not getattr(x, "free_symbols", set()):
            ok = ok and _is_zero(x - actual[u])
    probs, pays = _probabilities_and_payoffs(game, eq, setup, numeric, actual)
    expl = MixedExplanation(index, eq, {p: list(us) for p, us in zip(game.players, setup.unknowns)},
                            _meaning(game, setup), equations, dict(actual), probs, pays)
    expl.free = sorted((u for u in actual if u not in solution), key=str)
    if sym_solution and set(sym_solution) == set(actual):
        expl.symbolic_solution = sym_solution
        expl.symbolic_equations = sym_equations
        expl.symbolic_probabilities = {
            p: {game.strategies[i][k]: sympy.factor(sympy.cancel(setup.exprs[i][k].subs(sym_solution)))
                for k in setup.supports[i]}
            for i, p in enumerate(game.players)
        }
        expl.symbolic_payoffs = {
            p: sympy.factor(sympy.cancel(
                expected_payoff(symbolic, setup, i, setup.supports[i][0]).value.subs(sym_solution)))
            for i, p in enumerate(game.players)
        }
    _summary(game, setup, numeric, expl, blocks, values)
    expl.verified = ok
    return expl


def _meaning(game: Any, setup: _Setup) -> dict[str, dict[str, Any]]:
    return {p: {game.strategies[i][k]: setup.exprs[i][k] for k in setup.supports[i]}
            for i, p in enumerate(game.players)}


def _probabilities_and_payoffs(game, eq, setup, numeric, sol) -> tuple[dict, dict]:
    probs = {p: {s: sym(x) for s, x in zip(game.strategies[i], eq.profile[i])} for i, p in enumerate(game.players)}
    pays = {}
    for i, p in enumerate(game.players):
        comb = expected_payoff(numeric, setup, i, setup.supports[i][0])
        pays[p] = _simplify_number(comb.value.subs(sol))
    return probs, pays


def _summary(game, setup, numeric, expl: MixedExplanation, blocks: list, values: dict | None) -> None:
    """The equilibrium's payoffs from the indifference, and what each mix does not depend on."""
    constant = expl.symbolic_probabilities is not None and not any(
        x.free_symbols for d in expl.symbolic_probabilities.values() for x in d.values())
    if constant:
        blocks.append(para("These probabilities do not depend on the parameters."))
    elif expl.symbolic_probabilities is not None:
        parts: list[Any] = ["In the parameters, "]
        for i, p in enumerate(game.players):
            if i:
                parts.append("; ")
            probs = list(expl.symbolic_probabilities[p].items())
            if len(probs) == 1:
                parts.append(f"{p} plays {probs[0][0]}")
                continue
            parts.append(f"{p} plays ")
            for k, (s, x) in enumerate(probs):
                if k:
                    parts.append(", " if k < len(probs) - 1 else " and ")
                parts += [f"{s} with probability " if k == 0 else f"{s} with ", oriented(x, values)]
        blocks.append(para(*parts, "."))
    for i, p in enumerate(game.players):
        first = setup.supports[i][0]
        comb = expected_payoff(numeric, setup, i, first)
        sub = _substituted(comb, expl.solution)
        v = expl.payoffs[p]
        shown = Relation(sub, "=", v) if len(sub.terms) > 1 else v
        line = [f"{p}'s payoff is what {game.strategies[i][first]} pays: ", shown]
        if expl.symbolic_payoffs is not None and expl.symbolic_payoffs[p].free_symbols:
            line += [", in the parameters ", oriented(expl.symbolic_payoffs[p], values)]
        blocks.append(para(*line, "."))
    if expl.symbolic_probabilities is None or game.n_players != 2:
        return
    for i, p in enumerate(game.players):
        if len(setup.supports[i]) < 2:
            continue
        j = 1 - i
        own = _payoff_parameters(game, i)
        other = _payoff_parameters(game, j)
        mine_only = sorted(own - other)
        used = set()
        for x in expl.symbolic_probabilities[p].values():
            used |= {str(s) for s in x.free_symbols}
        absent = [name for name in mine_only if name not in used]
        if not absent:
            continue
        moved = set()
        for x in expl.symbolic_probabilities[game.players[j]].values():
            moved |= {str(s) for s in x.free_symbols}
        moves = [name for name in absent if name in moved]
        text = (f"{p}'s probabilities do not depend on {_name_list(absent)}, which enter{'s' if len(absent) == 1 else ''}"
                f" only {p}'s own payoffs: a player's mix is pinned down by the other player's indifference")
        if moves:
            text += (f", so changing {_name_list(moves)} moves only {game.players[j]}'s probabilities "
                     "(Tsebelis 1989)")
        blocks.append(para(text + "."))


def _payoff_parameters(game: Any, i: int) -> set[str]:
    used = game.names_used(list(set(game.payoff_expressions[i].flat)))
    return {name for name in used if name in game.parameters}


def balanced(diff: Any, unknowns: list[Any], values: dict | None) -> Relation:
    """``diff = 0`` written with every term on the side where it is positive: ``4yz = 1``, ``L(p - u)yz = c_N``.

    ``diff`` is a polynomial in ``unknowns`` whose coefficients may involve the
    parameters; a coefficient's sign is read at ``values``.
    """
    import sympy

    if not unknowns:
        return Relation(diff, "=", 0)
    poly = sympy.Poly(sympy.expand(diff), *unknowns)
    left, right = [], []
    for monom, coeff in poly.terms():
        weight = sympy.Mul(*[u**e for u, e in zip(unknowns, monom)])
        c = sympy.factor(coeff)
        at = c.subs(values) if values else c
        negative = bool(at.is_number and at < 0)
        c = oriented(-c if negative else c, values) if c.free_symbols else (-c if negative else c)
        (right if negative else left).append((c, weight))
    if not left:
        left, right = right, left
    side = [Combination(tuple(t), unit=False) if t else sympy.Integer(0) for t in (left, right)]
    return Relation(side[0], "=", side[1])


def _is_linear(exprs: list[Any], unknowns: list[Any]) -> bool:
    import sympy

    try:
        return all(sympy.Poly(sympy.expand(e), *unknowns).total_degree() <= 1 for e in exprs)
    except sympy.PolynomialError:
        return False


def _explain_many(game, eq, index, setup, numeric, symbolic, values, actual, blocks) -> MixedExplanation:
    """Three or more players: the polynomial indifference system and the solver's exact solution."""
    import sympy

    n = game.n_players
    equations: list[Relation] = []
    ok = True
    unknowns = [u for us in setup.unknowns for u in us]
    mixing = [i for i in range(n) if len(setup.supports[i]) > 1]
    extra = [c for c in setup.constraints if c is not None]
    blocks.append(para("Each player who mixes must be indifferent among its strategies, given the others' "
                       "mixtures; with three or more players these equations are polynomial (each is linear in "
                       "every other player's probabilities)."))
    sym_solution = None
    sym_equations: list[Relation] = []
    if symbolic is not None:
        diffs = []
        for i in mixing:
            sup = setup.supports[i]
            for a in sup[1:]:
                d = sympy.expand(expected_payoff(symbolic, setup, i, sup[0]).value
                                 - expected_payoff(symbolic, setup, i, a).value)
                diffs.append(d)
                sym_equations.append(balanced(d, unknowns, values))
        params = {str(x) for d in diffs for x in d.free_symbols} & set(game.parameters)
        if params:
            lines = list(sym_equations) + extra
            if _is_linear(diffs, unknowns):
                solved = sympy.linsolve(diffs + [value(c.lhs) - 1 for c in extra], unknowns)
                if solved:
                    sol = dict(zip(unknowns, next(iter(solved))))
                    if all(not x.free_symbols & set(unknowns) and _is_zero(x.subs(values) - actual[u])
                           for u, x in sol.items()):
                        sym_solution = {u: sympy.factor(sympy.cancel(x)) for u, x in sol.items()}
                        lines += [Relation(u, "=", oriented(x, values), implied=(k == 0))
                                  for k, (u, x) in enumerate(sym_solution.items())]
            blocks.append(para("In the parameters:"))
            blocks.append(Derivation(lines))
            blocks.append(para("With ", *_values_text(game, params), ":"))
    for i in mixing:
        sup = setup.supports[i]
        names = [game.strategies[i][k] for k in sup]
        combos = {a: expected_payoff(numeric, setup, i, a) for a in sup}
        lines: list[Relation] = []
        for a in sup[1:]:
            rel = Relation(combos[sup[0]], "=", combos[a])
            equations.append(rel)
            diff = sympy.expand(value(rel.lhs) - value(rel.rhs))
            if len(rel.lhs.terms) + len(rel.rhs.terms) <= MAX_TERMS_SHOWN:
                lines.append(rel)
                lines.append(Relation(*_sides(balanced(diff, unknowns, None)), implied=True))
            else:
                lines.append(balanced(diff, unknowns, None))
        blocks.append(para(f"{game.players[i]} ({_name_list(names)} equally good):"))
        blocks.append(Derivation(lines))
    if extra:
        blocks.append(para("and each player's probabilities sum to 1:"))
        blocks.append(Derivation(extra))
    sol_lines = [Relation(u, "=", x, implied=(k == 0)) for k, (u, x) in enumerate(actual.items())]
    blocks.append(para("The solver's exact solution of this system in the simplex (polynomial support "
                       "enumeration; McKelvey & McLennan 1996):"))
    blocks.append(Derivation(sol_lines))
    irrational = [(u, x) for u, x in actual.items() if not x.is_Rational]
    if irrational:
        parts: list[Any] = ["The probabilities are irrational, as three-player equilibria can be: "]
        for k, (u, x) in enumerate(irrational):
            if k:
                parts.append("; ")
            mp = sympy.minimal_polynomial(x, u)
            parts += [u, " is the root of ", Relation(mp, "=", 0), " between 0 and 1"]
        blocks.append(para(*parts, "."))
    for rel in equations:
        diff = value(rel.lhs) - value(rel.rhs)
        ok = ok and _is_zero(diff.subs(actual))
    parts = ["Substituting it, every equation holds exactly: "]
    for k, i in enumerate(mixing):
        sup = setup.supports[i]
        pay = _simplify_number(expected_payoff(numeric, setup, i, sup[0]).value.subs(actual))
        if k:
            parts.append("; ")
        parts += [f"each of {game.players[i]}'s {_name_list([game.strategies[i][k2] for k2 in sup])} pays ", pay]
    blocks.append(para(*parts, "."))
    probs, pays = _probabilities_and_payoffs(game, eq, setup, numeric, actual)
    expl = MixedExplanation(index, eq, {p: list(us) for p, us in zip(game.players, setup.unknowns)},
                            _meaning(game, setup), equations, dict(actual), probs, pays)
    expl.verified = ok
    if sym_solution is not None:
        expl.symbolic_solution = sym_solution
        expl.symbolic_equations = sym_equations
        expl.symbolic_probabilities = {
            p: {game.strategies[i][k]: sympy.factor(sympy.cancel(setup.exprs[i][k].subs(sym_solution)))
                for k in setup.supports[i]}
            for i, p in enumerate(game.players)
        }
    parts = ["Payoffs: "]
    for k, (p, v) in enumerate(pays.items()):
        parts += [", " if k else "", f"{p} ", v]
    blocks.append(para(*parts, "."))
    return expl


def _sides(rel: Relation) -> tuple[Any, str, Any]:
    return rel.lhs, rel.op, rel.rhs


def _check_unused(game, eq, setup, numeric, expl: MixedExplanation, blocks: list) -> None:
    """No strategy outside a player's support pays more than the equilibrium payoff."""
    unused_any = False
    items = []
    ok = True
    for i, p in enumerate(game.players):
        sup = setup.supports[i]
        outside = [a for a in range(game.shape[i]) if a not in sup]
        v = expl.payoffs[p]
        for a in outside:
            unused_any = True
            comb = expected_payoff(numeric, setup, i, a)
            got = _simplify_number(comb.value.subs(expl.solution))
            c = _compare(got, v)
            ok = ok and c <= 0
            op = "<" if c < 0 else ("=" if c == 0 else ">")
            sub = _substituted(comb, expl.solution)
            shown = Relation(sub, "=", got) if len(comb.terms) <= MAX_TERMS_SHOWN and len(comb.terms) > 1 else got
            verdict = "less" if c < 0 else ("the same: a best response, but unused" if c == 0 else "MORE")
            items.append(para(f"{p}'s {game.strategies[i][a]} would pay ", shown, ", and ",
                              Relation(got, op, v), f": {verdict}."))
    if not unused_any:
        blocks.append(para("Every strategy is used, so there is nothing more to check: each player is "
                           "indifferent among all its strategies."))
    else:
        from .lesson import Bullets

        blocks.append(para("Strategies left out must not pay more than the equilibrium payoff:"))
        blocks.append(Bullets(items))
    expl.verified = expl.verified and ok


def _continuum(game, eq, index, setup, numeric, expl: MixedExplanation, blocks: list, result: Any) -> None:
    """Where the equations leave probabilities free: the segment of equilibria this one ends."""
    import sympy

    component = None
    if result is not None and result.degenerate and result.components:
        component = next((c for c in result.components if index in c and len(c) > 1), None)
    if not expl.free:
        if component is not None:
            others = ", ".join(str(k + 1) for k in component if k != index)
            blocks.append(para(f"This equilibrium is an extreme point of a continuum of equilibria: it is "
                               f"connected to equilibri{'um' if len(component) == 2 else 'a'} {others} "
                               f"(mixtures of extreme points that share a strategy are equilibria too)."))
        return
    if game.n_players != 2 or len(expl.free) != 1:
        blocks.append(para(f"The equations leave {len(expl.free)} probabilities free: the equilibria form a "
                           f"continuum (a polytope) and the solver lists its extreme points."))
        return
    t = expl.free[0]
    owner = next(i for i, us in enumerate(setup.unknowns) if t in us)
    if len(setup.unknowns[owner]) != 1:
        blocks.append(para(f"The equations leave some of {game.players[owner]}'s probabilities free: the "
                           "equilibria form a continuum and the solver lists its extreme points."))
        return
    bounds_lo, bounds_hi = [], []
    for i in range(2):
        j = 1 - i
        if t not in setup.unknowns[j]:
            continue
        sup = setup.supports[i]
        v_expr = expected_payoff(numeric, setup, i, sup[0]).value
        for a in range(game.shape[i]):
            if a in sup:
                continue
            slack = sympy.expand(v_expr - expected_payoff(numeric, setup, i, a).value)
            coef = slack.coeff(t)
            const = sympy.expand(slack - coef * t)
            if coef > 0:
                bounds_lo.append(-const / coef)
            elif coef < 0:
                bounds_hi.append(-const / coef)
    lo = max(bounds_lo + [sympy.Integer(0)])
    hi = min(bounds_hi + [sympy.Integer(1)])
    interval = Relation(Relation(lo, "<=", t), "<=", hi)
    blocks.append(para(f"{game.players[owner]}'s ", t, " is not pinned down by an indifference condition: "
                       "every value with ", interval, " keeps the other player's strategy a best response, so the "
                       "equilibria form a segment (a continuum, reported as a component), and this equilibrium "
                       "is the point ", Relation(t, "=", expl.solution[t]), "."))


__all__ = ["MixedExplanation", "explain_mixed", "expected_payoff"]
