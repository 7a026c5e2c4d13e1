"""The mathematics of a lesson, and how it is written: plain text and LaTeX.

A lesson's equations are sympy objects, kept exact.  Two small types keep the
*form* a teacher writes on the board, which sympy would simplify away:

* :class:`Combination`: an expected payoff as a sum of payoff x probability
  terms, ``4q + 0(1 - q)``, unevaluated (``.value`` is the sympy sum);
* :class:`Relation`: ``lhs op rhs`` between combinations or sympy expressions,
  optionally marked as implied by the line before (``⇒``).

:func:`plain` writes any of these (and sympy expressions, Fractions, numbers)
as readable text: ``(P - S)/(P + R - S - T)``, ``3q = 2``, ``L·beta``;
:func:`latex` as LaTeX math.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

RELATIONS = {"=": ("=", "="), ">": (">", ">"), "<": ("<", "<"), ">=": ("≥", r"\geq"), "<=": ("≤", r"\leq"),
             "!=": ("≠", r"\neq")}
IMPLIES_PLAIN = "⇒"
IMPLIES_LATEX = r"\Rightarrow"


def sym(x: Any) -> Any:
    """An exact number (int, Fraction, sympy number or expression) as a sympy object."""
    import sympy

    if isinstance(x, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(x, Fraction):
        return sympy.Rational(x.numerator, x.denominator)
    if isinstance(x, int):
        return sympy.Integer(x)
    if isinstance(x, float):
        return sympy.Float(x)
    return sympy.sympify(x)


@dataclass(frozen=True)
class Combination:
    """``sum(coefficient * weight)``, kept as written: an expected payoff.

    ``terms`` are ``(coefficient, weight)`` pairs of sympy expressions: a
    payoff and the probability of the profile that earns it (``q``,
    ``1 - q``, ``q*(1 - r)``, or 1 when the others play pure strategies).
    """

    terms: tuple[tuple[Any, Any], ...]
    unit: bool = True  # write a coefficient of 1 (``1(1 - q)``); False for a plain sum of unknowns

    @property
    def value(self) -> Any:
        """The sum as one sympy expression."""
        import sympy

        return sympy.Add(*[c * w for c, w in self.terms])


@dataclass(frozen=True)
class Relation:
    """``lhs op rhs`` (op one of ``= > < >= <= !=``); ``implied``: follows from the line before."""

    lhs: Any
    op: str
    rhs: Any
    implied: bool = False

    def as_sympy(self) -> Any:
        """The relation as a sympy object (``Eq``, ``StrictGreaterThan``, ...), sides evaluated."""
        import sympy

        lhs, rhs = value(self.lhs), value(self.rhs)
        ops = {"=": sympy.Eq, ">": sympy.Gt, "<": sympy.Lt, ">=": sympy.Ge, "<=": sympy.Le, "!=": sympy.Ne}
        return ops[self.op](lhs, rhs, evaluate=False)


def value(obj: Any) -> Any:
    """The sympy value of a Combination, or the object itself as a sympy object."""
    if isinstance(obj, Combination):
        return obj.value
    return sym(obj)


def oriented(expr: Any, values: dict | None) -> Any:
    """``expr`` factored, each factor read with the sign it has at ``values``: ``(L*beta - c)/(L*beta)``."""
    import sympy

    expr = sympy.cancel(sympy.together(expr))
    if expr.is_number:
        return expr
    numer, denom = sympy.fraction(expr)

    def parts(poly: Any) -> tuple[Any, list[Any]]:
        try:
            coeff, factors = sympy.factor_list(poly)
        except (sympy.PolynomialError, sympy.polys.polyerrors.GeneratorsNeeded):
            return sympy.Integer(1), [poly]
        out = []
        for base, e in factors:
            if values and isinstance(base, sympy.Add):
                at = base.subs(values)
                if at.is_number and at < 0:
                    base = sympy.expand(-base)
                    if e % 2:
                        coeff = -coeff
            out.append(base if e == 1 else sympy.Pow(base, e))
        return coeff, out

    cn, fn = parts(numer)
    cd, fd = parts(denom)
    if (cn / cd).is_negative:  # -(loss - win)/3 reads better as (win - loss)/3 where the sign is not fixed
        for k, f in enumerate(fn):
            if isinstance(f, sympy.Add) and not (values and f.subs(values).is_number and f.subs(values) != 0):
                fn[k] = sympy.expand(-f)
                cn = -cn
                break
    coeff = sympy.Rational(cn) / sympy.Rational(cd) if cn.is_Rational and cd.is_Rational else cn / cd
    num = sympy.Mul(*fn, evaluate=False) if len(fn) > 1 else (fn[0] if fn else sympy.Integer(1))
    den = sympy.Mul(*fd, evaluate=False) if len(fd) > 1 else (fd[0] if fd else sympy.Integer(1))
    if coeff.is_Rational:
        num_c, den_c = sympy.Integer(coeff.p), sympy.Integer(coeff.q)
    else:
        num_c, den_c = coeff, sympy.Integer(1)
    negative = num_c < 0
    if negative:
        num_c = -num_c
    if num_c != 1:
        num = sympy.Mul(num_c, num, evaluate=False)
    if den_c != 1:
        den = sympy.Mul(den_c, den, evaluate=False) if den != 1 else den_c
    out = num if den == 1 else sympy.Mul(num, sympy.Pow(den, -1, evaluate=False), evaluate=False)
    return sympy.Mul(-1, out, evaluate=False) if negative else out


# ---------------------------------------------------------------------------------------
# plain text


def _plain_printer():
    import sympy
    from sympy.printing.str import StrPrinter

    class Plain(StrPrinter):
        """sympy's str printer, written the way a teacher writes: ``3q``, ``P - S`` first, ``L·beta``."""

        def _print_Add(self, expr, order=None):  # noqa: N802 - sympy's printer protocol
            terms = list(self._as_ordered_terms(expr, order=order))
            first = next((k for k, t in enumerate(terms) if not t.could_extract_minus_sign()), None)
            if first:
                terms = [terms[first]] + terms[:first] + terms[first + 1:]
            out = ""
            for k, term in enumerate(terms):
                negative = term.could_extract_minus_sign()
                text = self._print(-term if negative else term)
                if isinstance(-term if negative else term, sympy.Add):
                    text = f"({text})"
                if k == 0:
                    out = ("-" if negative else "") + text
                else:
                    out += (" - " if negative else " + ") + text
            return out

        def _print_Mul(self, expr):  # noqa: N802
            if expr.could_extract_minus_sign():
                inner = -expr
                text = self._print(inner)
                return "-" + (f"({text})" if isinstance(inner, sympy.Add) else text)
            numer, denom = sympy.fraction(expr)
            if denom != 1:
                n, d = self._print(numer), self._print(denom)
                if isinstance(numer, sympy.Add):
                    n = f"({n})"
                if isinstance(denom, (sympy.Add, sympy.Mul)) or (isinstance(denom, sympy.Pow) and not
                                                                 denom.exp.is_Integer):
                    d = f"({d})"
                return f"{n}/{d}"
            coeff, rest = expr.as_coeff_Mul()
            parts: list[str] = []
            if coeff != 1:
                parts.append(self._print(coeff))
            for factor in sympy.Mul.make_args(rest):
                text = self._print(factor)
                if isinstance(factor, sympy.Add):
                    text = f"({text})"
                parts.append(text)
            return join_product(parts)

        def _print_Pow(self, expr, rational=False):  # noqa: N802
            if expr.exp.is_Integer and expr.exp > 1:
                base = self._print(expr.base)
                if not (expr.base.is_Symbol or (expr.base.is_Integer and expr.base >= 0)):
                    base = f"({base})"
                return f"{base}^{expr.exp}"
            return super()._print_Pow(expr, rational)

        def _print_Rational(self, expr):  # noqa: N802
            return str(expr.p) if expr.q == 1 else f"{expr.p}/{expr.q}"

    return Plain()


_PRINTER = None


def _printer():
    global _PRINTER
    if _PRINTER is None:
        _PRINTER = _plain_printer()
    return _PRINTER


_SHORT = re.compile(r"^[A-Za-z]'*(\^\d+)?$")


def _short(text: str) -> bool:
    """A one-letter name (with primes, maybe a power): juxtaposition reads unambiguously."""
    return bool(_SHORT.match(text))


def join_product(parts: list[str]) -> str:
    """Factors as a product: ``3q``, ``2(1 - q)``, ``qr``, ``L·beta``, ``(1 - q)(1 - r)``."""
    out = ""
    prev = ""
    for text in parts:
        if not out:
            out = text
        else:
            number_before = prev.replace("/", "").replace("-", "").isdigit()
            glue = (
                (_short(text) and (number_before or _short(prev) or prev.endswith(")")))
                or (text.startswith("(") and (number_before or _short(prev) or prev.endswith(")")))
            )
            if "/" in prev and number_before:
                glue = False
            out += ("" if glue else "·") + text
        prev = text
    return out


def plain_number(x: Any) -> str:
    """An exact number as text: ``2/3``, ``-1``, ``(53 - sqrt(601))/46``."""
    if isinstance(x, Fraction):
        return str(x)
    if isinstance(x, int) and not isinstance(x, bool):
        return str(x)
    if isinstance(x, float):
        return f"{x:.6g}"
    import sympy

    x = sym(x)
    if x.is_number and not x.is_Rational and x.is_negative and not _positive_first(_tidy(x)):
        positive = _tidy(-x)  # -(3 + 5·sqrt(13))/8, not (-5·sqrt(13) - 3)/8
        text = _printer().doprint(positive)
        return f"-({text})" if isinstance(positive, sympy.Add) else f"-{text}"
    return _printer().doprint(_tidy(x))


def _positive_first(expr: Any) -> bool:
    """Whether the (numerator's) sum has a positive term to write first."""
    import sympy

    numer = sympy.fraction(expr)[0]
    return any(not t.could_extract_minus_sign() for t in sympy.Add.make_args(numer))


def _tidy(expr: Any) -> Any:
    """An irrational number over one denominator: ``(53 - sqrt(601))/46``, not ``53/46 - sqrt(601)/46``."""
    import sympy

    if expr.is_number and not expr.is_Rational and isinstance(expr, sympy.Add):
        return sympy.together(expr)
    return expr


def _plain_term(coeff: Any, weight: Any) -> tuple[bool, str]:
    """(negative?, text of |coeff * weight|) for one term of a Combination."""
    import sympy

    negative = bool(coeff.could_extract_minus_sign()) and not isinstance(coeff, sympy.Add)
    c = -coeff if negative else coeff
    if weight == 1:
        return negative, plain(c)
    ctext = plain(c)
    if isinstance(c, sympy.Add) or (c.is_Rational and c.q != 1) or (isinstance(c, sympy.Mul) and
                                                                   sympy.fraction(c)[1] != 1):
        ctext = f"({ctext})"
    if weight.is_number:  # probabilities put in: 4(2/3)
        return negative, f"{ctext}({plain(weight)})"
    factors = []
    for f in sympy.Mul.make_args(weight):
        t = plain(f)
        factors.append(f"({t})" if isinstance(f, sympy.Add) else t)
    return negative, join_product([ctext] + factors)


def plain(obj: Any) -> str:
    """Readable text for a Relation, Combination, sympy expression or exact number."""
    if isinstance(obj, Relation):
        text = f"{plain(obj.lhs)} {RELATIONS[obj.op][0]} {plain(obj.rhs)}"
        return f"{IMPLIES_PLAIN} {text}" if obj.implied else text
    if isinstance(obj, Combination):
        out = ""
        for k, (c, w) in enumerate(obj.terms):
            negative, text = _plain_term(sym(c), sym(w)) if obj.unit or c != 1 else (False, plain(w))
            if k == 0:
                out = ("-" if negative else "") + text
            else:
                out += (" - " if negative else " + ") + text
        return out or "0"
    if isinstance(obj, Formula):
        return obj.plain_text
    if isinstance(obj, str):
        return obj
    return plain_number(obj)


# ---------------------------------------------------------------------------------------
# LaTeX


def latex_expr(expr: Any) -> str:
    """LaTeX for a sympy expression or exact number (``\\frac{2}{3}``, ``\\frac{c}{L \\beta}``)."""
    import sympy

    return sympy.latex(_tidy(sym(expr)))


def _latex_term(coeff: Any, weight: Any) -> tuple[bool, str]:
    import sympy

    negative = bool(coeff.could_extract_minus_sign()) and not isinstance(coeff, sympy.Add)
    c = -coeff if negative else coeff
    ctext = latex_expr(c)
    if weight == 1:
        return negative, (rf"\left({ctext}\right)" if isinstance(c, sympy.Add) else ctext)
    if isinstance(c, sympy.Add):
        ctext = rf"\left({ctext}\right)"
    if weight.is_number:  # probabilities put in: 4 \cdot \frac{2}{3}
        wtext = latex_expr(weight)
        return negative, f"{ctext} \\cdot " + (rf"\left({wtext}\right)" if weight.could_extract_minus_sign()
                                                else wtext)
    factors = []
    for f in sympy.Mul.make_args(weight):
        t = latex_expr(f)
        factors.append(f"({t})" if isinstance(f, sympy.Add) else t)
    return negative, ctext + " " + " ".join(factors)


def latex(obj: Any) -> str:
    """LaTeX math (no ``$``) for a Relation, Combination, sympy expression or exact number."""
    if isinstance(obj, Relation):
        text = f"{latex(obj.lhs)} {RELATIONS[obj.op][1]} {latex(obj.rhs)}"
        return f"{IMPLIES_LATEX}\\quad {text}" if obj.implied else text
    if isinstance(obj, Combination):
        out = ""
        for k, (c, w) in enumerate(obj.terms):
            negative, text = _latex_term(sym(c), sym(w)) if obj.unit or c != 1 else (False, latex(w))
            if k == 0:
                out = ("-" if negative else "") + text
            else:
                out += (" - " if negative else " + ") + text
        return out or "0"
    if isinstance(obj, Formula):
        return obj.latex_text
    if isinstance(obj, str):
        return obj
    if isinstance(obj, float):
        return f"{obj:.6g}"
    return latex_expr(obj)


def latex_aligned(rel: Relation) -> str:
    """One line of an ``align`` environment: ``lhs &= rhs``, with ``\\Rightarrow`` when implied."""
    text = f"{latex(rel.lhs)} &{RELATIONS[rel.op][1]} {latex(rel.rhs)}"
    return f"{IMPLIES_LATEX}\\quad {text}" if rel.implied else text


@dataclass(frozen=True)
class Formula:
    """Mathematics already written out, in both notations (for forms sympy would simplify away)."""

    plain_text: str
    latex_text: str


__all__ = ["Combination", "Relation", "Formula", "oriented", "plain", "latex", "latex_aligned", "plain_number", "sym", "value"]
