"""Safe payoff expressions: a small parser of our own over a whitelist.

A game file is data.  Payoffs may be written as expressions of parameters
(``"(T - R)/(T - P)"``, ``"max(0, v - c)"``), but nothing in a file is ever run
as Python: there is no ``eval``, ``exec``, ``sympify`` or ``parse_expr`` here.
The grammar is::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("-" | "+") unary | power
    power  := atom ["**" unary]                 (right-associative, as in Python)
    atom   := NUMBER | NAME | FUNC "(" expr ("," expr)* ")" | "(" expr ")"
    FUNC   := min | max | abs | sqrt | exp | log

Numbers are exact rationals (``0.1`` is 1/10).  A parsed expression is a tree of
frozen dataclasses that can be

* evaluated exactly (:func:`evaluate`): :class:`fractions.Fraction` while the
  arithmetic stays rational, a sympy number (``sqrt(2)``) once it does not;
* evaluated numerically over numpy arrays (:func:`evaluate_numeric`), the
  vectorised form used by parameter sweeps;
* turned into a sympy expression (:func:`to_sympy`) by calling sympy's
  constructors on the tree, for thresholds and comparative statics;
* printed back (:func:`to_text`), so that ``parse(to_text(e)) == e``.

Sizes are bounded (text length, nesting depth, and the size of exact powers),
so that a hostile file is refused quickly instead of exhausting the machine.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping, Union

from .errors import ExpressionError

MAX_LENGTH = 2000
MAX_DEPTH = 60
MAX_BITS = 4096  # exact powers whose result would exceed this many bits are refused

FUNCTIONS = {"min": (1, None), "max": (1, None), "abs": (1, 1), "sqrt": (1, 1), "exp": (1, 1), "log": (1, 1)}

# ---------------------------------------------------------------------------
# The tree


@dataclass(frozen=True)
class Num:
    """A rational literal; ``text`` keeps how it was written (not compared)."""

    value: Fraction
    text: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Neg:
    operand: "Expr"


@dataclass(frozen=True)
class BinOp:
    op: str  # one of + - * / **
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple["Expr", ...]


Expr = Union[Num, Name, Neg, BinOp, Call]

# ---------------------------------------------------------------------------
# Parsing

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/(),])
    """,
    re.VERBOSE,
)


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            ch = text[pos]
            if ch == "^":
                raise ExpressionError("'^' is not an operator here: write powers as '**'", pos)
            if ch in "[]{}.'\"`;:=<>!&|%@#$\\~":
                raise ExpressionError(f"character {ch!r} is not allowed in an expression", pos)
            raise ExpressionError(f"unexpected character {ch!r}", pos)
        kind = m.lastgroup
        if kind != "ws":
            tokens.append((kind, m.group(), pos))
        pos = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


def parse_number(text: str) -> Fraction:
    """The exact rational that a decimal literal denotes (``1.5e-3`` is 3/2000)."""
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError) as exc:  # pragma: no cover - regex guarantees form
        raise ExpressionError(f"bad number {text!r}") from exc


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        kind, text, pos = self.take()
        if text != value or kind != "op":
            found = "end of expression" if kind == "end" else repr(text)
            raise ExpressionError(f"expected {value!r}, found {found}", pos)

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested deeper than {MAX_DEPTH} levels", pos)

    def parse(self) -> Expr:
        node = self.expr()
        kind, text, pos = self.peek()
        if kind != "end":
            raise ExpressionError(f"unexpected {text!r}", pos)
        return node

    def expr(self) -> Expr:
        self.enter(self.peek()[2])
        node = self.term()
        while self.peek()[1] in ("+", "-") and self.peek()[0] == "op":
            op = self.take()[1]
            node = BinOp(op, node, self.term())
        self.depth -= 1
        return node

    def term(self) -> Expr:
        node = self.unary()
        while self.peek()[1] in ("*", "/") and self.peek()[0] == "op":
            op, pos = self.take()[1:]
            right = self.unary()
            if op == "/" and isinstance(node, Num) and isinstance(right, Num):
                # fold a literal fraction "3/2" into one exact number
                if right.value == 0:
                    raise ExpressionError("division by zero", pos)
                plain = all(t is not None and re.fullmatch(r"-?[\d.eE+-]+", t) for t in (node.text, right.text))
                text = f"{node.text}/{right.text}" if plain and not right.text.startswith("-") else None
                node = Num(node.value / right.value, text)
            else:
                node = BinOp(op, node, right)
        return node

    def unary(self) -> Expr:
        kind, text, pos = self.peek()
        if kind == "op" and text in ("-", "+"):
            self.take()
            self.enter(pos)
            operand = self.unary()
            self.depth -= 1
            if text == "+":
                return operand
            if isinstance(operand, Num):
                return Num(-operand.value, "-" + _num_text(operand))
            return Neg(operand)
        return self.power()

    def power(self) -> Expr:
        base = self.atom()
        if self.peek()[1] == "**" and self.peek()[0] == "op":
            pos = self.take()[2]
            self.enter(pos)
            exponent = self.unary()
            self.depth -= 1
            return BinOp("**", base, exponent)
        return base

    def atom(self) -> Expr:
        kind, text, pos = self.take()
        if kind == "num":
            return Num(parse_number(text), text)
        if kind == "name":
            if self.peek()[1] == "(" and self.peek()[0] == "op":
                if text not in FUNCTIONS:
                    raise ExpressionError(
                        f"unknown function {text!r} (allowed: {', '.join(FUNCTIONS)})", pos
                    )
                self.take()
                args = [self.expr()]
                while self.peek()[1] == ",":
                    self.take()
                    args.append(self.expr())
                self.expect(")")
                lo, hi = FUNCTIONS[text]
                if len(args) < lo or (hi is not None and len(args) > hi):
                    raise ExpressionError(f"{text}() takes {lo} argument{'s' if lo > 1 else ''}", pos)
                return Call(text, tuple(args))
            if text in FUNCTIONS:
                raise ExpressionError(f"function {text!r} must be called, e.g. {text}(x)", pos)
            return Name(text)
        if kind == "op" and text == "(":
            self.enter(pos)
            node = self.expr()
            self.depth -= 1
            self.expect(")")
            return node
        if kind == "end":
            raise ExpressionError("expression ends too early", pos)
        raise ExpressionError(f"unexpected {text!r}", pos)


def parse(text: str | int | Fraction) -> Expr:
    """Parse an expression from text (or wrap an exact number).

    Raises :class:`ExpressionError` with the character position of the mistake.
    """
    if isinstance(text, bool):
        raise ExpressionError("expected a number or an expression, found a boolean")
    if isinstance(text, (int, Fraction)):
        return Num(Fraction(text))
    if not isinstance(text, str):
        raise ExpressionError(f"expected a number or an expression, found {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ExpressionError("empty expression")
    return _Parser(text).parse()


# ---------------------------------------------------------------------------
# Inspection and printing


def names(expr: Expr) -> set[str]:
    """The parameter and defined names an expression uses."""
    out: set[str] = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            out.add(node.name)
        elif isinstance(node, Neg):
            stack.append(node.operand)
        elif isinstance(node, BinOp):
            stack.extend((node.left, node.right))
        elif isinstance(node, Call):
            stack.extend(node.args)
    return out


def substitute(expr: Expr, mapping: Mapping[str, Expr]) -> Expr:
    """Replace names by expressions (used to expand ``define`` names)."""
    if isinstance(expr, Name):
        return mapping.get(expr.name, expr)
    if isinstance(expr, Neg):
        return Neg(substitute(expr.operand, mapping))
    if isinstance(expr, BinOp):
        return BinOp(expr.op, substitute(expr.left, mapping), substitute(expr.right, mapping))
    if isinstance(expr, Call):
        return Call(expr.func, tuple(substitute(a, mapping) for a in expr.args))
    return expr


def _num_text(node: Num) -> str:
    v = node.value
    if node.text is not None:
        return node.text
    if v.denominator == 1:
        return str(v.numerator)
    return f"{v.numerator}/{v.denominator}"


_PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "**": 4}


def _prec(node: Expr) -> int:
    if isinstance(node, BinOp):
        return _PREC[node.op]
    if isinstance(node, Neg):
        return 3
    if isinstance(node, Num):
        if node.value < 0:
            return 0  # printed in parentheses inside any operation
        if "/" in _num_text(node):
            return 2  # a literal fraction reads like a division
    return 5


def to_text(expr: Expr) -> str:
    """Print an expression so that ``parse(to_text(e)) == e``."""
    if isinstance(expr, Num):
        return _num_text(expr)
    if isinstance(expr, Name):
        return expr.name
    if isinstance(expr, Call):
        return f"{expr.func}({', '.join(to_text(a) for a in expr.args)})"
    if isinstance(expr, Neg):
        inner = to_text(expr.operand)
        if _prec(expr.operand) < 3:
            inner = f"({inner})"
        return f"-{inner}"
    p = _PREC[expr.op]
    left, right = to_text(expr.left), to_text(expr.right)
    lp, rp = _prec(expr.left), _prec(expr.right)
    if expr.op == "**":
        if lp <= 4:
            left = f"({left})"
        if rp < 3:
            right = f"({right})"
        return f"{left}**{right}"
    if isinstance(expr.left, Num):
        lp = 5  # "-1/3 * a" and "-1 + a" parse back to the same literal
    if lp < p:
        left = f"({left})"
    if rp <= p:
        right = f"({right})"
    return f"{left} {expr.op} {right}"


# ---------------------------------------------------------------------------
# Exact evaluation

Exact = Any  # Fraction, or a sympy number once the arithmetic leaves the rationals


def _sympy():
    import sympy

    return sympy


def _is_fraction(x: Exact) -> bool:
    return isinstance(x, Fraction)


def _to_sym(x: Exact):
    sp = _sympy()
    if isinstance(x, Fraction):
        return sp.Rational(x.numerator, x.denominator)
    return x


def _from_sym(x) -> Exact:
    """Back to a Fraction when sympy's result is rational."""
    if x.is_Rational:
        return Fraction(int(x.p), int(x.q))
    return x


def _check_real(x: Exact, what: str) -> Exact:
    if isinstance(x, Fraction):
        return x
    if x.is_real is False or x.has(_sympy().I):
        raise ExpressionError(f"{what} is not a real number")
    if x.is_finite is False or x.has(_sympy().zoo, _sympy().oo, _sympy().nan):
        raise ExpressionError(f"{what} is not finite")
    return x


def _is_zero(x: Exact) -> bool:
    if isinstance(x, Fraction):
        return x == 0
    return bool(x.is_zero)


def _sign(x: Exact) -> int:
    if isinstance(x, Fraction):
        return (x > 0) - (x < 0)
    return (bool(x.is_positive)) - (bool(x.is_negative))


def _exact_pow(base: Exact, exp: Exact) -> Exact:
    if isinstance(base, Fraction) and isinstance(exp, Fraction):
        if exp.denominator == 1:
            e = exp.numerator
            if base == 0 and e < 0:
                raise ExpressionError("division by zero (0 to a negative power)")
            bits = abs(e) * max(base.numerator.bit_length(), base.denominator.bit_length())
            if bits > MAX_BITS:
                raise ExpressionError("number too large (exact power beyond 4096 bits)")
            return base**e
        if base < 0:
            raise ExpressionError("a negative number to a fractional power is not a real number")
        if base == 0:
            if exp < 0:
                raise ExpressionError("division by zero (0 to a negative power)")
            return Fraction(0)
        root = _exact_root(base, exp.denominator)
        if root is not None:
            return _exact_pow(root, Fraction(exp.numerator))
        if abs(exp) * max(base.numerator.bit_length(), base.denominator.bit_length()) > MAX_BITS:
            raise ExpressionError("number too large (exact power beyond 4096 bits)")
    sp = _sympy()
    b, e = _to_sym(base), _to_sym(exp)
    if _sign(base) < 0 and not (e.is_integer):
        raise ExpressionError("a negative number to a fractional power is not a real number")
    if _is_zero(base) and _sign(exp) < 0:
        raise ExpressionError("division by zero (0 to a negative power)")
    bound = abs(float(e)) * math.log2(abs(float(b)) + 2)
    if bound > MAX_BITS:
        raise ExpressionError("number too large (exact power beyond 4096 bits)")
    return _from_sym(sp.Pow(b, e))


def _iroot(n: int, k: int) -> int | None:
    if n < 0:
        return None
    r = round(n ** (1.0 / k)) if n < 2**1000 else int(math.exp(math.log(n) / k))
    for c in (r - 1, r, r + 1):
        if c >= 0 and c**k == n:
            return c
    return None


def _exact_root(x: Fraction, k: int) -> Fraction | None:
    if k > 64:
        return None
    p, q = _iroot(x.numerator, k), _iroot(x.denominator, k)
    if p is None or q is None:
        return None
    return Fraction(p, q)


def evaluate(expr: Expr, env: Mapping[str, Exact]) -> Exact:
    """Evaluate exactly.  ``env`` maps names to Fractions (or sympy numbers).

    Returns a :class:`~fractions.Fraction` while the arithmetic is rational and a
    sympy number otherwise.  Raises :class:`ExpressionError` for division by
    zero, values that are not real or not finite, and unknown names.
    """
    if isinstance(expr, Num):
        return expr.value
    if isinstance(expr, Name):
        try:
            return env[expr.name]
        except KeyError:
            raise ExpressionError(f"unknown name {expr.name!r}") from None
    if isinstance(expr, Neg):
        return -evaluate(expr.operand, env)
    if isinstance(expr, Call):
        args = [evaluate(a, env) for a in expr.args]
        return _call_exact(expr.func, args)
    a = evaluate(expr.left, env)
    b = evaluate(expr.right, env)
    op = expr.op
    if op == "**":
        return _check_real(_exact_pow(a, b), "the power")
    if _is_fraction(a) and _is_fraction(b):
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if b == 0:
            raise ExpressionError("division by zero")
        return a / b
    sa, sb = _to_sym(a), _to_sym(b)
    if op == "+":
        out = sa + sb
    elif op == "-":
        out = sa - sb
    elif op == "*":
        out = sa * sb
    else:
        if _is_zero(b):
            raise ExpressionError("division by zero")
        out = sa / sb
    return _check_real(_from_sym(out), "the result")


def _call_exact(func: str, args: list[Exact]) -> Exact:
    if func in ("min", "max"):
        if all(_is_fraction(a) for a in args):
            return min(args) if func == "min" else max(args)
        sp = _sympy()
        f = sp.Min if func == "min" else sp.Max
        return _from_sym(f(*[_to_sym(a) for a in args]))
    (x,) = args
    if func == "abs":
        return abs(x) if _is_fraction(x) else _from_sym(_sympy().Abs(x))
    if func == "sqrt":
        if _sign(x) < 0:
            raise ExpressionError("sqrt of a negative number is not a real number")
        return _exact_pow(x, Fraction(1, 2))
    if func == "exp":
        if _is_zero(x):
            return Fraction(1)
        if float(x) > 700:
            raise ExpressionError("exp() of a number this large overflows")
        return _sympy().exp(_to_sym(x))
    # log
    if _sign(x) <= 0:
        raise ExpressionError("log of a number that is not positive")
    if x == 1:
        return Fraction(0)
    return _from_sym(_sympy().log(_to_sym(x)))


def to_float(x: Exact) -> float:
    """The nearest float; raises :class:`ExpressionError` if it is not finite."""
    try:
        f = float(x)
    except OverflowError:
        raise ExpressionError("number too large for floating point") from None
    except TypeError:
        raise ExpressionError(f"{x} is not a real number") from None
    if not math.isfinite(f):
        raise ExpressionError("number too large for floating point")
    return f


def exact_text(x: Exact) -> str:
    """``"2/3"``, ``"-1"``, ``"(-1 + sqrt(33))/8"``: how exact values are shown."""
    if isinstance(x, Fraction):
        return str(x)
    if isinstance(x, int):
        return str(x)
    roots = getattr(x, "atoms", None) and x.atoms(_crootof())
    if roots:
        # a root of a polynomial of degree 3 or more, with no radical form: name the polynomial
        value = f"{float(x):.6g}"
        if isinstance(x, _crootof()):
            poly = str(x.expr).replace("**", "^").replace("*", "")
            return f"{value} (root of {poly})"
        return value
    return re.sub(r"\bE\b", "exp(1)", str(x))


def _crootof():
    import sympy

    return sympy.CRootOf


# ---------------------------------------------------------------------------
# Numeric (vectorised) evaluation and sympy


def evaluate_numeric(expr: Expr, env: Mapping[str, Any]):
    """Evaluate with numpy over arrays of parameter values (broadcasting).

    Invalid operations give ``nan`` or ``inf`` rather than raising, so that a
    sweep can mark the points where a payoff is undefined.
    """
    import numpy as np

    def ev(node: Expr):
        if isinstance(node, Num):
            return float(node.value)
        if isinstance(node, Name):
            try:
                return np.asarray(env[node.name], dtype=float)
            except KeyError:
                raise ExpressionError(f"unknown name {node.name!r}") from None
        if isinstance(node, Neg):
            return -ev(node.operand)
        if isinstance(node, Call):
            args = [ev(a) for a in node.args]
            if node.func == "min":
                out = args[0]
                for a in args[1:]:
                    out = np.minimum(out, a)
                return out
            if node.func == "max":
                out = args[0]
                for a in args[1:]:
                    out = np.maximum(out, a)
                return out
            return {"abs": np.abs, "sqrt": np.sqrt, "exp": np.exp, "log": np.log}[node.func](args[0])
        a, b = ev(node.left), ev(node.right)
        if node.op == "+":
            return a + b
        if node.op == "-":
            return a - b
        if node.op == "*":
            return a * b
        if node.op == "/":
            return np.true_divide(a, b)
        return np.power(a, b)

    with np.errstate(all="ignore"):
        return ev(expr)


def to_sympy(expr: Expr, symbols: Mapping[str, Any] | None = None):
    """Build the sympy expression by calling sympy's constructors on the tree.

    ``symbols`` maps names to sympy objects; names not in it become real
    ``sympy.Symbol``s.  No text is ever handed to sympy's parser.
    """
    sp = _sympy()
    symbols = dict(symbols or {})

    def conv(node: Expr):
        if isinstance(node, Num):
            return sp.Rational(node.value.numerator, node.value.denominator)
        if isinstance(node, Name):
            if node.name not in symbols:
                symbols[node.name] = sp.Symbol(node.name, real=True)
            return symbols[node.name]
        if isinstance(node, Neg):
            return -conv(node.operand)
        if isinstance(node, Call):
            args = [conv(a) for a in node.args]
            f = {"min": sp.Min, "max": sp.Max, "abs": sp.Abs, "sqrt": sp.sqrt, "exp": sp.exp, "log": sp.log}
            return f[node.func](*args)
        a, b = conv(node.left), conv(node.right)
        if node.op == "+":
            return a + b
        if node.op == "-":
            return a - b
        if node.op == "*":
            return a * b
        if node.op == "/":
            return a / b
        return a**b

    return conv(expr)
