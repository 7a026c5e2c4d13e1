"""Exact regions of discount factors for trigger strategies (one player's deterrence condition at a time).

A trigger strategy punishes a deviation for k rounds (grim trigger and Nash
reversion: for ever) with a stage equilibrium paying the deviator ``e``.  With
target payoff ``v`` and best one-shot deviation ``d``, the deviator's best
plan is to deviate at once (the strategies are stationary on the path and the
punishment is a stage equilibrium, where the deviator can do no better than
``e``), so the target path is an equilibrium for that player iff

    v (1 + delta + ... + delta^k) >= d + e (delta + ... + delta^k),

that is ``a + b g_k(delta) >= 0`` with ``a = v - d`` (minus the gain from
deviating), ``b = v - e`` (what a round of punishment costs) and ``g_k(delta)
= delta + ... + delta^k``, or ``delta/(1 - delta)`` for k infinite.  Since
``g_k`` increases from 0 on [0, 1), each player's set of discount factors is
one interval:

* ``b > 0`` (the punishment hurts): ``delta >= g_k^-1(-a/b)``, every delta
  when the deviation does not pay (``a >= 0``), none when ``-a/b >= k``;
* ``b < 0`` (the punishment pays the player *more* than the target): the
  condition holds only for ``delta <= g_k^-1(a/(-b))``, and never when the
  deviation pays (``a < 0``): such a player prefers to be punished, and does
  so once the future weighs enough;
* ``b = 0``: every delta if ``a >= 0``, none otherwise.

Imperfect monitoring (a violation detected with probability pi, then
punishment for ever) gives the same form with ``b = pi (v - e)`` and k
infinite (the best plan is to deviate until detected, whose value is linear
in the continuation, so deviating once is as good a test).  The regions of
several players intersect in one interval, possibly empty or bounded above.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from ._common import arith, compare, exact_text, is_fraction
from .automata import Interval

FULL = Interval(Fraction(0), Fraction(1), True, False)


def g_text(k: int | None) -> str:
    """``delta``, ``delta + delta^2``, ...; ``delta/(1 - delta)`` for k infinite."""
    if k is None:
        return "delta/(1 - delta)"
    return " + ".join("delta" if t == 1 else f"delta^{t}" for t in range(1, k + 1))


def g_value(k: int | None, delta: Any) -> Any:
    """``g_k(delta)``."""
    if k is None:
        return delta / (1 - delta)
    return sum((delta**t for t in range(1, k + 1)), Fraction(0) if is_fraction(delta) else 0)


def g_inverse(k: int | None, r: Any) -> Any:
    """The delta in (0, 1) with ``g_k(delta) = r``, for 0 < r (< k): exact when possible.

    Fractions give Fractions or sympy algebraic numbers (a quadratic surd for
    k = 2, a root of a polynomial otherwise), sympy numbers sympy numbers
    (numerically beyond k = 2), floats floats.
    """
    if k is None:
        return r / (1 + r)
    if k == 1:
        return r
    if isinstance(r, float):
        if k == 2:
            return ((1 + 4 * r) ** 0.5 - 1) / 2
        import numpy as np

        roots = np.roots([1.0] * k + [-r])
        return float(min(z.real for z in roots if abs(z.imag) < 1e-9 and 0 < z.real < 1))
    import sympy

    if not is_fraction(r):  # an irrational ratio (irrational payoffs): radicals for k <= 2, else numerical
        rr = sympy.sympify(r)
        if k == 2:
            return (sympy.sqrt(1 + 4 * rr) - 1) / 2
        import numpy as np

        roots = np.roots([1.0] * k + [-float(rr)])
        return float(min(z.real for z in roots if abs(z.imag) < 1e-9 and 0 < z.real < 1))
    x = sympy.Symbol("x")
    rr = sympy.Rational(r.numerator, r.denominator)
    poly = sympy.Poly(sum(x**t for t in range(1, k + 1)) - rr, x)
    for root in poly.real_roots():
        if root > 0 and root < 1:
            if root.is_Rational:
                return Fraction(int(root.p), int(root.q))
            return root
    raise ValueError(f"no root of g_{k} = {r} in (0, 1)")  # pragma: no cover - excluded by the callers


def deterrence(a: Any, b: Any, k: int | None) -> tuple[list[Interval], str, Any, Any]:
    """The discount factors in [0, 1) where ``a + b g_k(delta) >= 0``.

    Returns ``(region, kind, ratio, bound)``: ``kind`` is ``"all"``,
    ``"none"``, ``"lower"`` (``delta >= bound``), ``"upper"`` (``delta <=
    bound``) or ``"zero"`` (delta = 0 only); ``ratio`` is the value of
    ``g_k`` at the bound (``-a/b``), ``bound`` the discount factor.
    """
    a, b = arith(a, b)
    sb = compare(b, 0)
    if sb == 0:
        return ([FULL], "all", None, None) if compare(a, 0) >= 0 else ([], "none", None, None)
    r = -a / b
    if sb > 0:  # g_k(delta) >= r
        if compare(r, 0) <= 0:
            return [FULL], "all", r, None
        if k is not None and compare(r, k) >= 0:
            return [], "none", r, None
        bound = g_inverse(k, r)
        return [Interval(bound, Fraction(1), True, False)], "lower", r, bound
    # g_k(delta) <= r
    if compare(r, 0) < 0:
        return [], "none", r, None
    if compare(r, 0) == 0:
        return [Interval(Fraction(0), Fraction(0), True, True)], "zero", r, Fraction(0)
    if k is not None and compare(r, k) >= 0:
        return [FULL], "all", r, None
    bound = g_inverse(k, r)
    return [Interval(Fraction(0), bound, True, True)], "upper", r, bound


def linear_unit(a: Any, b: Any) -> list[Interval]:
    """The x in [0, 1] (closed) where ``a + b x >= 0``: e.g. detection probabilities."""
    a, b = arith(a, b)
    sb = compare(b, 0)
    one = Fraction(1)
    if sb == 0:
        return [Interval(Fraction(0), one, True, True)] if compare(a, 0) >= 0 else []
    r = -a / b
    if sb > 0:  # x >= r
        if compare(r, 1) > 0:
            return []
        return [Interval(r if compare(r, 0) > 0 else Fraction(0), one, True, True)]
    if compare(r, 0) < 0:  # x <= r
        return []
    return [Interval(Fraction(0), r if compare(r, 1) < 0 else one, True, True)]


def intersect(regions: Sequence[list[Interval]]) -> list[Interval]:
    """The intersection of unions of disjoint intervals (each sorted)."""
    out = [FULL] if not regions else list(regions[0])
    for region in regions[1:]:
        nxt = []
        for p in out:
            for q in region:
                c = compare(p.low, q.low)
                low, low_closed = (p.low, p.low_closed) if c > 0 else (q.low, q.low_closed)
                if c == 0:
                    low_closed = p.low_closed and q.low_closed
                c = compare(p.high, q.high)
                high, high_closed = (p.high, p.high_closed) if c < 0 else (q.high, q.high_closed)
                if c == 0:
                    high_closed = p.high_closed and q.high_closed
                s = compare(low, high)
                if s < 0 or (s == 0 and low_closed and high_closed):
                    nxt.append(Interval(low, high, low_closed, high_closed))
        out = sorted(nxt, key=lambda iv: float(iv.low))
    return out


def measure(region: Sequence[Interval]) -> float:
    """The total length of a region (a point has length 0)."""
    return sum(float(iv.high) - float(iv.low) for iv in region)


def reaches_one(region: Sequence[Interval]) -> bool:
    """Does the region contain every delta close enough to 1?"""
    if not region:
        return False
    last = region[-1]
    return compare(last.high, 1) == 0 and not last.is_point


def number_text(x: Any) -> str:
    """An exact number's text; a float (or a root without radicals) to six digits."""
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.6g}"
    if is_fraction(x):
        return str(Fraction(x))
    import sympy

    if isinstance(x, sympy.Basic) and x.atoms(sympy.CRootOf):
        return f"{float(x):.6g}"
    return exact_text(x)


def region_text(region: Sequence[Interval], var: str = "delta", closed_top: bool = False) -> str:
    """``delta >= 1/2``, ``delta <= 1/3``, ``1/4 <= delta <= 1/3``, ``delta = 0``, ``never`` ...

    Over [0, 1) (``closed_top``: [0, 1], e.g. probabilities): a region
    starting at 0 (closed) has no lower bound, one reaching the top no upper
    bound.
    """
    if not region:
        return "never"
    parts = []
    for iv in region:
        if iv.is_point:
            parts.append(f"{var} = {number_text(iv.low)}")
            continue
        lo = None if (compare(iv.low, 0) == 0 and iv.low_closed) else iv.low
        hi = None if (compare(iv.high, 1) == 0 and iv.high_closed == closed_top) else iv.high
        lo_op = ">=" if iv.low_closed else ">"
        hi_op = "<=" if iv.high_closed else "<"
        if lo is None and hi is None:
            parts.append(f"every {var} in [0, 1{']' if closed_top else ')'}")
        elif hi is None:
            parts.append(f"{var} {lo_op} {number_text(lo)}")
        elif lo is None:
            parts.append(f"{var} {hi_op} {number_text(hi)}")
        else:
            lo_rev = "<=" if iv.low_closed else "<"
            parts.append(f"{number_text(lo)} {lo_rev} {var} {hi_op} {number_text(hi)}")
    return " or ".join(parts)


__all__ = [
    "FULL",
    "deterrence",
    "linear_unit",
    "intersect",
    "measure",
    "reaches_one",
    "region_text",
    "number_text",
    "g_text",
    "g_value",
    "g_inverse",
]
