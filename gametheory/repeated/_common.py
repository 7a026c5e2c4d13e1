"""Helpers shared by the repeated-game modules: exact numbers, stage equilibria, printing.

Everything here is private to :mod:`gametheory.repeated`.  Numbers are kept
exact (:class:`fractions.Fraction`, or sympy numbers when a payoff is
irrational) and turned into JSON numbers and strings only at the edge, as the
solvers do (:func:`gametheory.solvers._exact.number`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from ..expressions import exact_text
from ..solvers._exact import compare, number

__all__ = [
    "compare",
    "exact_text",
    "number",
    "is_fraction",
    "exact_max",
    "exact_min",
    "as_exact",
    "profile_dict",
    "profile_label",
    "stage_equilibria",
    "symbol_values",
    "expression_text",
]


def rounds_text(k: int) -> str:
    """``1 round``, ``2 rounds``: the length of a limited punishment, in labels."""
    return f"{k} round{'s' if k != 1 else ''}"


def is_fraction(x: Any) -> bool:
    return isinstance(x, Fraction) or (isinstance(x, int) and not isinstance(x, bool))


def as_exact(x: Any) -> Any:
    """A Fraction for ints/Fractions; sympy numbers as they are; floats by their repr."""
    if isinstance(x, bool):
        raise TypeError("expected a number")
    if isinstance(x, (int, Fraction)):
        return Fraction(x)
    if isinstance(x, float):
        return Fraction(repr(x))
    return x


def _sym(x: Any) -> Any:
    import sympy

    if isinstance(x, Fraction):
        return sympy.Rational(x.numerator, x.denominator)
    return sympy.sympify(x)


def arith(*values: Any) -> tuple:
    """The values in one arithmetic: all Fractions, or (if any is irrational) all sympy."""
    if all(is_fraction(v) for v in values):
        return tuple(Fraction(v) for v in values)
    if any(isinstance(v, float) for v in values):  # e.g. numerically computed equilibria: stay in floats
        return tuple(float(v) for v in values)
    return tuple(_sym(v) for v in values)


def exact_max(values: Sequence[Any]) -> Any:
    best = values[0]
    for v in values[1:]:
        if compare(v, best) > 0:
            best = v
    return best


def exact_min(values: Sequence[Any]) -> Any:
    best = values[0]
    for v in values[1:]:
        if compare(v, best) < 0:
            best = v
    return best


def simplify_exact(x: Any) -> Any:
    """Back to a Fraction when a sympy number is rational."""
    if isinstance(x, Fraction):
        return x
    import sympy

    s = sympy.nsimplify(sympy.simplify(x)) if not getattr(x, "is_Rational", False) else x
    if getattr(s, "is_Rational", False):
        return Fraction(int(s.p), int(s.q))
    return s


def profile_dict(game: Any, profile: Sequence[Any]) -> dict:
    """A profile in the ``solve --format json`` shape: ``{player: {strategy: probability}}``.

    ``profile`` is one strategy index per player (pure) or one probability
    tuple per player (mixed).
    """
    out = {}
    for i, (player, strategies) in enumerate(zip(game.players, game.strategies)):
        x = profile[i]
        if isinstance(x, (int,)) and not isinstance(x, bool):
            out[player] = {s: (1.0 if k == x else 0.0) for k, s in enumerate(strategies)}
        else:
            out[player] = {s: float(p) for s, p in zip(strategies, x)}
    return out


def profile_label(game: Any, profile: Sequence[int]) -> str:
    """``(Cooperate, Defect)``."""
    return "(" + ", ".join(game.strategies[i][s] for i, s in enumerate(profile)) + ")"


def stage_equilibria(game: Any) -> tuple[list, str, bool]:
    """The stage game's Nash equilibria: ``(equilibria, method, complete)``.

    Uses :func:`gametheory.solvers.solve` when it exists; otherwise vertex
    enumeration for two players (every extreme equilibrium, exactly) and the
    pure equilibria for more (mixed ones are then not searched: ``complete``
    is false unless the game has a pure equilibrium and the caller only needs
    pure ones).
    """
    try:
        from ..solvers import solve  # type: ignore[attr-defined]
    except ImportError:
        solve = None
    if solve is not None:
        result = solve(game)
        return list(result.equilibria), str(result.method), bool(result.complete)
    if game.n_players == 2:
        from ..solvers.enumeration import enumerate_equilibria

        result = enumerate_equilibria(game)
        return list(result.equilibria), result.method, True
    from ..solvers.pure import pure_equilibria

    return pure_equilibria(game), "pure", False


def symbol_values(game: Any) -> dict:
    """``{sympy symbol: value}`` for the game's parameters (to check symbolic results)."""
    import sympy

    out = {}
    for name, v in game.values.items():
        out[sympy.Symbol(name, real=True)] = _sym(v)
    return out


def symbolic_payoffs(game: Any) -> Any:
    """``game.symbolic_payoffs()``, or None when the game has no parameters or it fails."""
    if not game.parameters:
        return None
    try:
        return game.symbolic_payoffs()
    except Exception:  # noqa: BLE001 - symbolic results are optional
        return None


def symbolic(game: Any, expr: Any) -> Any:
    """A parsed expression of the file (e.g. the detection probability) as sympy, defines expanded."""
    from .. import expressions as ex
    from ..model.game import define_order

    full: dict = {}
    for name in define_order(game.define):
        full[name] = ex.substitute(game.define[name], full)
    return ex.to_sympy(ex.substitute(expr, full))


def simplify_symbolic(expr: Any, game: Any, expected: Any = None, extra: dict | None = None) -> Any:
    """Simplify a sympy expression; None if it does not equal ``expected`` at the game's values.

    ``extra``: values of further symbols (e.g. a strategy's generosity) for that check.
    """
    import sympy

    if expr is None:
        return None
    try:
        out = sympy.sympify(expr)
        if out.is_rational_function():
            cancelled = sympy.cancel(out)
            candidates = (cancelled,) if cancelled.is_number else (cancelled, sympy.factor(cancelled))
        else:
            simple = sympy.simplify(out)
            candidates = (simple, sympy.factor(simple))
        for candidate in candidates:
            if sympy.count_ops(candidate) < sympy.count_ops(out):
                out = candidate
        if expected is not None and not is_zero(out.subs({**symbol_values(game), **(extra or {})}) - _sym(expected)):
            return None
        return out
    except Exception:  # noqa: BLE001 - symbolic results are optional
        return None


def is_zero(expr: Any) -> bool:
    """Is a sympy expression identically zero?  (Cheap for rational functions.)"""
    import sympy

    expr = sympy.sympify(expr)
    if expr.is_Rational:
        return expr == 0
    if expr.is_rational_function():
        return sympy.cancel(expr) == 0
    return sympy.simplify(expr) == 0


def expression_text(expr: Any, game: Any = None, extra: dict | None = None) -> str | None:
    """Readable text of a sympy expression: ``(T - R)/(T - P)`` rather than ``(-R + T)/(-P + T)``.

    A quotient is printed with its denominator positive at the game's current
    parameter values (and ``extra``: values of further symbols), so
    ``(R - T)/(P - T)`` reads ``(T - R)/(T - P)``; each sum starts with a
    positive term.
    """
    if expr is None:
        return None
    import sympy

    numer, denom = sympy.fraction(sympy.together(expr))
    if game is not None and denom != 1:
        try:
            value = denom.subs({**symbol_values(game), **(extra or {})})
            if value.is_number and value < 0:
                numer, denom = -numer, -denom
        except (TypeError, ValueError):
            pass
    printer = _Printer()
    if isinstance(expr, (sympy.Max, sympy.Min)):
        name = "max" if isinstance(expr, sympy.Max) else "min"
        return f"{name}(" + ", ".join(expression_text(a, game, extra) for a in expr.args) + ")"
    if denom == 1:
        return printer.doprint(numer)
    n = printer.doprint(numer)
    d = printer.doprint(denom)
    if isinstance(numer, sympy.Add) or (isinstance(numer, sympy.Mul) and numer.could_extract_minus_sign()):
        n = f"({n})"
    if not (denom.is_Symbol or (denom.is_Integer and denom > 0)):
        d = f"({d})"
    return f"{n}/{d}"


def _printer_class():
    from sympy.printing.precedence import PRECEDENCE, precedence
    from sympy.printing.str import StrPrinter

    class Printer(StrPrinter):
        def _print_Add(self, expr, order=None):  # noqa: N802 - sympy's printer protocol
            terms = list(self._as_ordered_terms(expr, order=order))
            first = next((k for k, t in enumerate(terms) if not t.could_extract_minus_sign()), None)
            if first:
                terms = [terms[first]] + terms[:first] + terms[first + 1 :]
            parts = []
            for term in terms:
                t = self._print(term)
                if t.startswith("-") and not term.is_Add:
                    sign, t = "-", t[1:]
                else:
                    sign = "+"
                if precedence(term) < PRECEDENCE["Add"]:
                    t = f"({t})"
                parts.extend([sign, t])
            sign = parts.pop(0)
            return ("" if sign == "+" else sign) + " ".join(parts)

    return Printer


_PRINTER = None


def _Printer():  # noqa: N802 - a cached class
    global _PRINTER
    if _PRINTER is None:
        _PRINTER = _printer_class()
    return _PRINTER()
