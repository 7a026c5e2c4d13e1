"""Symbolic comparative statics: equilibria as expressions of the parameters.

For a two-player game whose payoffs are expressions of parameters, an
equilibrium with supports (I, J) of equal size solves the indifference
systems (support enumeration; von Stengel 2007, ch. 3 of Nisan et al.)::

    A[I, J] y = v 1,  sum(y) = 1          B[I, J]^T x = w 1,  sum(x) = 1

whose solutions are rational functions of the parameters, by Cramer's rule:
``y_j = N_j / D`` with ``D`` the determinant of the bordered matrix.  The
equilibrium exists, with these formulas, where every support probability is
positive and no strategy outside the supports does better (its *slack* is
non-negative).  :func:`symbolic_equilibria` gives each equilibrium of a game
at its current parameter values in this form: e.g. the Stag Hunt's mixed
equilibrium ``p* = (P - S)/((R - T) + (P - S))``, which exists when
``R > T`` and ``P > S``.  Pure equilibria are the special case k = 1 (their
conditions are best-response comparisons).

Everything is built from the parsed payoff expressions with sympy's
constructors (:meth:`~gametheory.model.Game.symbolic_payoffs`), never from
text; ``define`` names are expanded, so results are in the file's
parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

from ..errors import GameError

# ---------------------------------------------------------------------------
# symbols, substitution and printing


def sym_number(x: Any) -> Any:
    """An exact number (Fraction or sympy number) as a sympy number."""
    import sympy

    if isinstance(x, Fraction):
        return sympy.Rational(x.numerator, x.denominator)
    if isinstance(x, int):
        return sympy.Integer(x)
    return sympy.sympify(x)


def symbol(name: str) -> Any:
    """The sympy symbol of a parameter (the same one :func:`gametheory.expressions.to_sympy` makes)."""
    import sympy

    return sympy.Symbol(name, real=True)


def value_map(game: Any, exclude: Sequence[str] = ()) -> dict:
    """``{symbol: exact value}`` for the game's parameters (except ``exclude``)."""
    return {symbol(k): sym_number(v) for k, v in game.values.items() if k not in exclude}


def symbolic_payoffs(game: Any) -> Any:
    """The payoffs as sympy expressions of the parameters, cached per game."""
    from ..solvers._exact import game_cache

    cache = game_cache(game)
    if "symbolic_payoffs" not in cache:
        cache["symbolic_payoffs"] = game.symbolic_payoffs()
    return cache["symbolic_payoffs"]


def _printer():
    from sympy.printing.precedence import PRECEDENCE, precedence
    from sympy.printing.str import StrPrinter

    class Printer(StrPrinter):
        """sympy's str printer with a positive term first: ``T - R``, not ``-R + T``."""

        def _print_Add(self, expr, order=None):  # noqa: N802 - sympy's printer protocol
            terms = list(self._as_ordered_terms(expr, order=order))
            first = next((k for k, t in enumerate(terms) if not t.could_extract_minus_sign()), None)
            if first:
                terms = [terms[first]] + terms[:first] + terms[first + 1:]
            parts = []
            for term in terms:
                text = self._print(term)
                if text.startswith("-") and not term.is_Add:
                    sign, text = "-", text[1:]
                else:
                    sign = "+"
                if precedence(term) < PRECEDENCE["Add"]:
                    text = f"({text})"
                parts.extend([sign, text])
            sign = parts.pop(0)
            return ("" if sign == "+" else sign) + " ".join(parts)

    return Printer()


def _oriented_factors(poly: Any, values: dict | None) -> tuple[Any, list[Any]]:
    """(coefficient, factors) of a polynomial, each factor's sign chosen positive at ``values``.

    ``-(r - 1)*(R0 - S0)`` becomes ``(1 - r)*(R0 - S0)``: factors read the way
    they are positive near the current parameter values.
    """
    import sympy

    coeff, factors = sympy.factor_list(poly)
    out = []
    for base, exp in factors:
        if values and isinstance(base, sympy.Add):
            try:
                at = base.subs(values)
                if at.is_number and at < 0:
                    base = sympy.expand(-base)
                    if exp % 2:
                        coeff = -coeff
            except (TypeError, ValueError):
                pass
        out.append(base if exp == 1 else sympy.Pow(base, exp, evaluate=False))
    return coeff, out


def _product_text(printer: Any, coeff: Any, factors: list[Any]) -> tuple[str, int]:
    """Text of ``coeff * factors`` and how many parts it has (to decide on parentheses)."""
    import sympy

    parts = []
    for f in factors:
        text = printer.doprint(f)
        if isinstance(f, sympy.Add) and (len(factors) > 1 or coeff not in (1, -1)):
            text = f"({text})"
        parts.append(text)
    if not parts:
        return printer.doprint(coeff), 1
    body = "*".join(parts)
    if coeff == 1:
        return body, len(parts)
    if coeff == -1:
        if len(parts) == 1 and isinstance(factors[0], sympy.Add):
            return f"-({body})", 1
        return f"-{body}", len(parts)
    return f"{printer.doprint(coeff)}*{body}", len(parts) + 1


def expression_text(expr: Any, values: dict | None = None) -> str:
    """Readable text: ``(T - R)/(T - P)``; factors and denominators read positive at ``values``."""
    import sympy

    expr = sympy.sympify(expr)
    if isinstance(expr, (sympy.Max, sympy.Min)):
        name = "max" if isinstance(expr, sympy.Max) else "min"
        return f"{name}(" + ", ".join(expression_text(a, values) for a in expr.args) + ")"
    if expr.is_number:
        return str(expr)
    printer = _printer()
    numer, denom = sympy.fraction(sympy.cancel(sympy.together(expr)))
    try:
        cn, fn = _oriented_factors(numer, values)
        cd, fd = _oriented_factors(denom, values)
    except (sympy.PolynomialError, sympy.polys.polyerrors.GeneratorsNeeded, TypeError, ValueError):
        return printer.doprint(expr)
    coeff = sympy.Rational(cn) / sympy.Rational(cd) if cn.is_Rational and cd.is_Rational else None
    if coeff is None:
        return printer.doprint(expr)
    if not fd and coeff.q == 1:
        return _product_text(printer, coeff, fn)[0]
    num_text, num_parts = _product_text(printer, sympy.Integer(coeff.p), fn)
    den_text, den_parts = _product_text(printer, sympy.Integer(coeff.q), fd)
    single = len(fn) == 1 and isinstance(fn[0], sympy.Add) and coeff.p == 1
    if single:
        num_text = f"({num_text})"
    den_simple = den_parts == 1 and (not fd or not isinstance(fd[0], sympy.Add)) and "*" not in den_text
    if not den_simple:
        den_text = f"({den_text})"
    return f"{num_text}/{den_text}"


def condition_text(expr: Any, strict: bool) -> str:
    """``expr > 0`` (or ``>= 0``) written readably: ``R > T``, ``g < 0``, ``L*beta > c``."""
    import sympy

    op, flipped = (">", "<") if strict else (">=", "<=")
    expr = sympy.sympify(expr)
    printer = _printer()
    if expr.is_number:
        return f"{printer.doprint(expr)} {op} 0"
    numer, denom = sympy.fraction(sympy.together(expr))
    if denom != 1:
        return f"{expression_text(expr)} {op} 0"
    expanded = sympy.expand(numer)
    if isinstance(expanded, sympy.Add):
        pos = [t for t in expanded.args if not t.is_number and not t.could_extract_minus_sign()]
        rest = [t for t in expanded.args if t not in pos]
        if len(expanded.args) > 4:
            return f"{printer.doprint(sympy.factor(numer))} {op} 0"
        if pos:
            lhs = sympy.Add(*pos)
            rhs = -sympy.Add(*rest)
            return f"{printer.doprint(lhs)} {op} {printer.doprint(rhs)}"
        return f"{printer.doprint(-expanded)} {flipped} 0"
    if expanded.could_extract_minus_sign():
        return f"{printer.doprint(-expanded)} {flipped} 0"
    return f"{printer.doprint(expanded)} {op} 0"


# ---------------------------------------------------------------------------
# support systems


@dataclass
class SupportSystem:
    """The symbolic solution of one support pair's indifference systems (Cramer's rule).

    ``x`` and ``y`` are the support probabilities (rational functions),
    ``v``/``w`` the players' payoffs, ``det_x``/``det_y`` the bordered
    determinants (zero where the system is singular), ``numer_x``/``numer_y``
    the numerators of the probabilities, and ``slack_rows``/``slack_cols``
    each outside strategy's payoff shortfall ``v - (A y)_r`` and
    ``w - (x^T B)_c`` (>= 0 at an equilibrium).
    """

    rows: tuple[int, ...]
    cols: tuple[int, ...]
    x: list[Any]
    y: list[Any]
    v: Any
    w: Any
    det_x: Any
    det_y: Any
    numer_x: list[Any]
    numer_y: list[Any]
    slack_rows: dict[int, Any] = field(default_factory=dict)
    slack_cols: dict[int, Any] = field(default_factory=dict)


def _bordered(mat: list[list[Any]]) -> tuple[Any, list[Any], Any]:
    """(D, [N_j], N_v): determinant and Cramer numerators of ``[[M, -1], [1, 0]] (z, v) = (0, 1)``."""
    import sympy

    k = len(mat)
    if k == 1:
        return sympy.Integer(1), [sympy.Integer(1)], mat[0][0]
    if k == 2:
        (a11, a12), (a21, a22) = mat
        det = a11 - a12 - a21 + a22
        return det, [a22 - a12, a11 - a21], a11 * a22 - a12 * a21
    big = sympy.zeros(k + 1, k + 1)
    for r in range(k):
        for c in range(k):
            big[r, c] = mat[r][c]
        big[r, k] = -1
        big[k, r] = 1
    det = big.det(method="berkowitz")
    numers = []
    for j in range(k + 1):
        rep = big.copy()
        for r in range(k + 1):
            rep[r, j] = 1 if r == k else 0
        numers.append(rep.det(method="berkowitz"))
    return det, numers[:k], numers[k]


def support_system(a: Any, b: Any, rows: Sequence[int], cols: Sequence[int], *,
                   simplify: bool = True) -> SupportSystem:
    """Solve the indifference systems of the support pair (rows, cols) symbolically.

    ``a`` and ``b`` are m x n object arrays of sympy expressions (the two
    players' payoffs).  ``simplify=False`` leaves the ratios uncancelled: callers
    that need only the determinants and numerators (threshold conditions) skip
    the cost of multivariate cancellation, which dominates for larger games.
    """
    import sympy

    if not simplify:
        def cancel(e):
            return e
    else:
        cancel = sympy.cancel

    rows, cols = tuple(rows), tuple(cols)
    m, n = a.shape
    det_y, numer_y, vn = _bordered([[a[r, c] for c in cols] for r in rows])
    det_x, numer_x, wn = _bordered([[b[r, c] for r in rows] for c in cols])
    y = [cancel(nj / det_y) for nj in numer_y] if det_y != 0 else []
    x = [cancel(nj / det_x) for nj in numer_x] if det_x != 0 else []
    v = cancel(vn / det_y) if det_y != 0 else None
    w = cancel(wn / det_x) if det_x != 0 else None
    slack_rows, slack_cols = {}, {}
    if det_y != 0:
        for r in range(m):
            if r not in rows:
                slack_rows[r] = cancel((vn - sum(a[r, c] * nj for c, nj in zip(cols, numer_y))) / det_y)
    if det_x != 0:
        for c in range(n):
            if c not in cols:
                slack_cols[c] = cancel((wn - sum(b[r, c] * nj for r, nj in zip(rows, numer_x))) / det_x)
    return SupportSystem(rows, cols, x, y, v, w, det_x, det_y, list(numer_x), list(numer_y), slack_rows, slack_cols)


# ---------------------------------------------------------------------------
# symbolic equilibria


@dataclass
class SymbolicEquilibrium:
    """One equilibrium as expressions of the parameters.

    Attributes:
        supports: the strategies each player uses.
        probabilities: per player, ``{strategy name: sympy expression}`` (support only).
        payoffs: per player, a sympy expression.
        conditions: ``(expression, strict)`` pairs: the equilibrium exists
            with these formulas where every ``expression > 0`` (strict) or
            ``>= 0`` holds (a region containing the current values).
        exact: the equilibrium's exact value at the current parameters.
    """

    supports: tuple[tuple[int, ...], ...]
    pure: bool
    probabilities: list[dict[str, Any]]
    payoffs: list[Any]
    conditions: list[tuple[Any, bool]]
    exact: Any = None
    note: str = ""

    def condition_texts(self) -> list[str]:
        return [condition_text(e, s) for e, s in self.conditions]


@dataclass
class SymbolicResult:
    """:func:`symbolic_equilibria`'s result; ``to_dict()`` and :func:`render_symbolic` show it."""

    game: Any
    equilibria: list[SymbolicEquilibrium]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        values = value_map(self.game)
        out = []
        for e in self.equilibria:
            out.append({
                "pure": e.pure,
                "profile": {p: {s: expression_text(x, values) for s, x in probs.items()}
                            for p, probs in zip(self.game.players, e.probabilities)},
                "payoffs": {p: expression_text(v, values) for p, v in zip(self.game.players, e.payoffs)},
                "conditions": e.condition_texts(),
                **({"note": e.note} if e.note else {}),
            })
        return {"game": self.game.title, "parameters": list(self.game.parameters), "equilibria": out,
                "notes": list(self.notes)}

    def __repr__(self) -> str:
        return render_symbolic(self)


def _dedupe_conditions(conds: list[tuple[Any, bool]]) -> list[tuple[Any, bool]]:
    """Drop constant-true conditions and repeats (equal up to a positive constant factor)."""
    import sympy

    out: list[tuple[Any, bool]] = []
    seen: list[Any] = []
    for expr, strict in conds:
        expr = sympy.factor(expr)
        if expr.is_number:
            continue
        coeff, rest = expr.as_coeff_Mul()
        if coeff.is_number and coeff > 0:
            expr = rest
        if any(sympy.simplify(expr - s) == 0 for s in seen):
            continue
        seen.append(expr)
        out.append((expr, strict))
    return out


def _signed(expr: Any, values: dict) -> Any:
    """``expr`` or ``-expr``, whichever is positive at ``values`` (the sign the condition keeps)."""
    at = expr.subs(values)
    return -expr if at.is_number and at < 0 else expr


def symbolic_equilibria(game: Any) -> SymbolicResult:
    """Each equilibrium of a two-player game at its current values, as expressions of the parameters.

    The equilibria are found exactly at the current parameter values
    (vertex enumeration); for each, the support pair's indifference systems
    are solved symbolically (Cramer's rule on the bordered systems), giving
    the probabilities and payoffs as rational functions of the parameters,
    and the conditions under which the same supports stay an equilibrium:
    each support probability's numerator keeps its sign (the denominator,
    their sum, then does too) and each outside strategy's slack stays
    non-negative.  Pure equilibria: the best-response comparisons.

    Example (the Stag Hunt file, parameters R, T, P, S): the mixed
    equilibrium plays Stag with ``(P - S)/(P + R - S - T)`` under the
    conditions ``R > T`` and ``P > S``.
    """
    import sympy

    if game.n_players != 2:
        raise GameError("symbolic equilibria are computed for two-player games")
    from .structure import solve_point, supports_of

    a, b = symbolic_payoffs(game)
    values = value_map(game)
    sol = solve_point(game)
    notes = []
    if sol.degenerate:
        notes.append("the game is degenerate at these values: the formulas describe the isolated extreme "
                     "equilibria; continua are not expressed symbolically")
    out = []
    for eq in sol.equilibria:
        rows, cols = supports_of(eq)
        names = [[game.strategies[i][s] for s in sup] for i, sup in enumerate((rows, cols))]
        if len(rows) != len(cols):
            out.append(SymbolicEquilibrium((rows, cols), eq.pure, [
                {s: sym_number(eq.profile[i][k]) for s, k in zip(names[i], sup)} for i, sup in enumerate((rows, cols))
            ], [sym_number(v) for v in eq.payoffs], [], eq,
                note="supports of unequal size (a degenerate game): no formula, values at this point only"))
            continue
        system = support_system(a, b, rows, cols)
        if system.det_x == 0 or system.det_y == 0 or system.det_x.subs(values) == 0 or system.det_y.subs(values) == 0:
            out.append(SymbolicEquilibrium((rows, cols), eq.pure, [
                {s: sym_number(eq.profile[i][k]) for s, k in zip(names[i], sup)} for i, sup in enumerate((rows, cols))
            ], [sym_number(v) for v in eq.payoffs], [], eq, note="singular indifference system: values here only"))
            continue
        conds: list[tuple[Any, bool]] = []
        if len(rows) > 1:
            for nj in system.numer_x + system.numer_y:
                conds.append((_signed(sympy.expand(nj), values), True))
        for slack in list(system.slack_rows.values()) + list(system.slack_cols.values()):
            numer, denom = sympy.fraction(sympy.together(slack))
            d_at = denom.subs(values)
            conds.append((sympy.expand(numer if not (d_at.is_number and d_at < 0) else -numer), False))
        probs = [
            {s: sympy.factor(x) for s, x in zip(names[0], system.x)},
            {s: sympy.factor(y) for s, y in zip(names[1], system.y)},
        ]
        pays = [sympy.factor(system.v), sympy.factor(system.w)]
        out.append(SymbolicEquilibrium((rows, cols), eq.pure, probs, pays, _dedupe_conditions(conds), eq))
    return SymbolicResult(game, out, notes)


def render_symbolic(result: SymbolicResult) -> str:
    """Plain-text rendering for ``solve --symbolic``: one block per equilibrium."""
    game = result.game
    values = value_map(game)
    lines = [f"{game.title or 'Game'}: equilibria as functions of the parameters "
             f"({', '.join(game.parameters) or 'none'})"]
    for k, e in enumerate(result.equilibria, 1):
        kind = "pure" if e.pure else "mixed"
        lines.append(f"{k}. {kind}")
        for p, probs in zip(game.players, e.probabilities):
            if e.pure:
                lines.append(f"   {p}: {next(iter(probs))}")
            else:
                lines.append(f"   {p}: " + ", ".join(f"{s} = {expression_text(x, values)}" for s, x in probs.items()))
        lines.append("   payoffs: " + ", ".join(f"{p} = {expression_text(v, values)}"
                                               for p, v in zip(game.players, e.payoffs)))
        conds = e.condition_texts()
        if conds:
            lines.append("   exists while: " + " and ".join(conds))
        elif not e.note:
            lines.append("   exists for all parameter values")
        if e.note:
            lines.append(f"   note: {e.note}")
    for note in result.notes:
        lines.append(f"Note: {note}")
    return "\n".join(lines)


__all__ = ["symbolic_equilibria", "render_symbolic", "SymbolicResult", "SymbolicEquilibrium", "support_system",
           "SupportSystem", "expression_text", "condition_text", "symbolic_payoffs", "value_map", "symbol",
           "sym_number"]
