"""Finite-automaton strategies and the exact discount factors at which they are equilibria.

A deterministic strategy with finite memory is an automaton (Rubinstein 1986;
Kalai & Stanford 1988): states, an initial state, an output (cooperate or
defect) per state, and a transition on the pair (own move, opponent's move).
For a pair of automata playing a two-player repeated game with discount
factor delta, everything is computable exactly:

* every path is eventually periodic, so each player's discounted sum is a
  rational function of delta: a prefix ``A(delta)`` and a cycle
  ``B(delta)`` of length c starting at round p give
  ``A + delta^p B / (1 - delta^c)``;
* **Nash**: player i's best reply to the opponent's automaton is a stationary
  policy on the opponent's states (a Markov decision problem with finitely
  many states, Blackwell 1965), so the pair is a Nash equilibrium iff no such
  policy (there are 2^|Q| of them, each a path) earns more than the
  prescribed play;
* **subgame perfection**: by the one-shot deviation principle (Blackwell
  1965; Fudenberg & Tirole 1991, Theorem 4.2; Mailath & Samuelson 2006,
  Proposition 2.2.1) it suffices that no player gains by deviating once, in
  any state of the product automaton that some history reaches, and
  following the automata afterwards.

Each condition ``V - V' >= 0`` is a polynomial inequality in delta with
rational coefficients (after multiplying by the positive denominators
``1 - delta^c``); the set of delta in [0, 1) where all hold is a finite union
of intervals whose endpoints are roots of those polynomials, found exactly
(rational, or radicals for quadratics; otherwise a numerical root of a named
polynomial).

The two actions of each player are "cooperate" (the target action) and
"defect" (the designated punishment action).  In games with more actions a
deviating player may use any other action: "defect" then stands for the best
of them against the opponent's current action (its transitions are those of a
defection, since the opponent's automaton only sees whether the target action
was played).
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Sequence

COOPERATE, DEFECT = 0, 1


@dataclass(frozen=True)
class Automaton:
    """A deterministic finite-memory strategy of the repeated game.

    ``transition[s][2 * own + opp]`` is the next state after the player played
    ``own`` and its opponent ``opp`` (0 cooperate, 1 defect) in state ``s``.
    """

    name: str
    states: tuple[str, ...]
    initial: int
    output: tuple[int, ...]
    transition: tuple[tuple[int, int, int, int], ...]

    def next(self, state: int, own: int, opp: int) -> int:
        return self.transition[state][2 * own + opp]


# ---------------------------------------------------------------------------
# polynomials in delta: lists of Fractions, lowest degree first


def _trim(p: list) -> list:
    while p and p[-1] == 0:
        p = p[:-1]
    return p


def _add(p: list, q: list) -> list:
    n = max(len(p), len(q))
    return _trim([(p[k] if k < len(p) else 0) + (q[k] if k < len(q) else 0) for k in range(n)])


def _scale(p: list, a: Any) -> list:
    return _trim([a * c for c in p])


def _sub(p: list, q: list) -> list:
    return _add(p, _scale(q, -1))


def _shift(p: list, k: int) -> list:
    return _trim([Fraction(0)] * k + list(p)) if p else []


def _mul(p: list, q: list) -> list:
    if not p or not q:
        return []
    out = [Fraction(0)] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        for j, b in enumerate(q):
            out[i + j] += a * b
    return _trim(out)


def _one_minus_power(c: int) -> list:
    return _trim([Fraction(1)] + [Fraction(0)] * (c - 1) + [Fraction(-1)])


def _evaluate(p: list, x: Fraction) -> Fraction:
    out = Fraction(0)
    for c in reversed(p):
        out = out * x + c
    return out


@dataclass(frozen=True)
class Value:
    """A discounted sum ``numerator(delta) / (1 - delta^cycle)`` (not normalised by 1 - delta)."""

    numerator: tuple
    cycle: int

    def minus(self, other: "Value") -> list:
        """A polynomial with the sign of ``self - other`` on (0, 1)."""
        return _sub(
            _mul(list(self.numerator), _one_minus_power(other.cycle)),
            _mul(list(other.numerator), _one_minus_power(self.cycle)),
        )

    def after(self, reward: Any) -> "Value":
        """``reward + delta * self``: one round of ``reward``, then this value."""
        return Value(
            tuple(_add(_scale(_one_minus_power(self.cycle), reward), _shift(list(self.numerator), 1))),
            self.cycle,
        )

    def at(self, delta: Fraction) -> Fraction:
        """The normalised value ``(1 - delta) * sum`` at a rational discount factor."""
        return (
            (1 - delta)
            * _evaluate(list(self.numerator), delta)
            / _evaluate(_one_minus_power(self.cycle), delta)
        )


def path_value(start: Any, step: Callable[[Any], tuple[Any, Any]]) -> Value:
    """The discounted sum along the deterministic path from ``start``.

    ``step(state) -> (reward, next_state)``; the path is followed until a state
    repeats (prefix of length p, cycle of length c).
    """
    seen: dict[Any, int] = {}
    rewards: list = []
    state = start
    while state not in seen:
        seen[state] = len(rewards)
        reward, state = step(state)
        rewards.append(Fraction(reward))
    p = seen[state]
    c = len(rewards) - p
    prefix = _trim(rewards[:p])
    cycle = _trim(rewards[p:])
    numerator = _add(_mul(prefix, _one_minus_power(c)), _shift(cycle, p))
    return Value(tuple(numerator), c)


# ---------------------------------------------------------------------------
# regions of delta


@dataclass(frozen=True)
class Interval:
    """An interval of discount factors with exact endpoints (Fractions or sympy numbers)."""

    low: Any
    high: Any
    low_closed: bool
    high_closed: bool

    def contains(self, x: Any) -> bool:
        from ._common import compare

        lo = compare(x, self.low)
        hi = compare(x, self.high)
        return (lo > 0 or (lo == 0 and self.low_closed)) and (hi < 0 or (hi == 0 and self.high_closed))

    @property
    def is_point(self) -> bool:
        from ._common import compare

        return compare(self.low, self.high) == 0

    def text(self) -> str:
        from ._common import exact_text

        if self.is_point:
            return f"delta = {exact_text(self.low)}"
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        return f"{left}{exact_text(self.low)}, {exact_text(self.high)}{right}"


def _to_exact(r: Any) -> Any:
    if getattr(r, "is_Rational", False):
        return Fraction(int(r.p), int(r.q))
    return r


def _sign_at(poly: list, point: Any) -> int:
    """The sign of ``poly`` at an exact point (Fraction, or an algebraic sympy number)."""
    if isinstance(point, Fraction):
        v = _evaluate(poly, point)
        return (v > 0) - (v < 0)
    # clearly away from zero in floating point (the point is in [0, 1]): that is the sign
    approx = float(point)
    scale = float(sum(abs(c) for c in poly)) or 1.0
    fv = 0.0
    for c in reversed(poly):
        fv = fv * approx + float(c)
    if abs(fv) > 1e-9 * scale:
        return 1 if fv > 0 else -1
    import sympy

    x = sympy.Symbol("x")
    p = sympy.Poly([sympy.Rational(c.numerator, c.denominator) for c in reversed(poly)], x)
    # clearly away from zero at 60 digits: that is the sign; otherwise decide exactly
    v = p.as_expr().subs(x, point).evalf(60)
    scale = max((abs(c) for c in poly), default=Fraction(1))
    if abs(v) > 1e-40 * float(scale):
        return 1 if v > 0 else -1
    m = sympy.Poly(sympy.minimal_polynomial(point, x), x)
    if p.rem(m).is_zero:
        return 0
    return 1 if v > 0 else -1


def _divide_one_minus_x(poly: list) -> list:
    """Divide out every factor (1 - x) (roots at delta = 1 do not matter on [0, 1))."""
    while len(poly) > 1 and sum(poly) == 0:
        # synthetic division by (x - 1), then negate: p(x) = (1 - x) q(x)
        n = len(poly) - 1
        q = [Fraction(0)] * n
        acc = Fraction(0)
        for k in range(n, 0, -1):
            acc = acc + poly[k]
            q[k - 1] = -acc
        poly = _trim(q)
    return poly


def _roots_in_unit_interval(poly: list) -> list:
    return list(_cached_roots(tuple(poly)))


@functools.lru_cache(maxsize=4096)
def _cached_roots(poly: tuple) -> tuple:
    import numpy as np

    p = list(poly)
    while p and p[0] == 0:  # roots at 0 are endpoints anyway
        p = p[1:]
    p = _divide_one_minus_x(_trim(p))
    out: list = []
    while True:
        if len(p) <= 1:
            return tuple(sorted(out))
        if all(c >= 0 for c in p) or all(c <= 0 for c in p):
            return tuple(sorted(out))  # no positive roots (Descartes)
        approx = [r for r in np.roots([float(c) for c in reversed(p)])
                  if abs(r.imag) < 1e-6 and -1e-6 < r.real < 1 + 1e-6]
        if not approx:
            return tuple(sorted(out))
        # rational roots first (the common case): recognise, check exactly, divide out
        found = None
        for r in approx:
            guess = Fraction(float(r.real)).limit_denominator(10**6)
            if 0 < guess < 1 and _evaluate(p, guess) == 0:
                found = guess
                break
        if found is None:
            break
        if not any(found == o for o in out):
            out.append(found)
        p = _divide_root(p, found)
    import sympy

    x = sympy.Symbol("x")
    sp = sympy.Poly([sympy.Rational(c.numerator, c.denominator) for c in reversed(p)], x)
    for r in sp.real_roots():
        if r > 0 and r < 1:
            value = _to_exact(r)
            if not any(_equal(value, o) for o in out):
                out.append(value)
    return tuple(sorted(out, key=float))


def _divide_root(poly: list, root: Fraction) -> list:
    """``poly / (x - root)`` for an exact root (synthetic division)."""
    n = len(poly) - 1
    q = [Fraction(0)] * n
    acc = Fraction(0)
    for k in range(n, 0, -1):
        acc = acc * root + poly[k]
        q[k - 1] = acc
    return _trim(q)


def feasible_region(polys: Sequence[list]) -> list[Interval]:
    """The discount factors in [0, 1) where every polynomial is >= 0, as disjoint intervals."""
    polys = [_trim([Fraction(c) for c in p]) for p in polys]
    polys = [p for p in polys if p]
    if any(len(p) == 1 and p[0] < 0 for p in polys):
        return []
    polys = [p for p in polys if len(p) > 1]
    roots: list = []
    for p in polys:
        for r in _roots_in_unit_interval(p):
            if not any(_equal(r, s) for s in roots):
                roots.append(r)
    roots.sort(key=float)
    points = [Fraction(0)] + roots + [Fraction(1)]

    def ok_at(x: Any) -> bool:
        return all(_sign_at(p, x) >= 0 for p in polys)

    pieces: list[tuple[Any, Any, bool, bool]] = []  # (low, high, low_closed, high_closed)
    # the points themselves (0 and the roots; 1 is excluded) and the open gaps between them
    for k in range(len(points) - 1):
        lo, hi = points[k], points[k + 1]
        mid = _midpoint(lo, hi)
        if ok_at(lo):
            pieces.append((lo, lo, True, True))
        if ok_at(mid):
            pieces.append((lo, hi, False, False))
    merged: list[list] = []
    for lo, hi, lc, hc in pieces:
        if merged and _equal(merged[-1][1], lo) and (merged[-1][3] or lc):
            merged[-1][1] = hi
            merged[-1][3] = hc
        else:
            merged.append([lo, hi, lc, hc])
    return [Interval(lo, hi, lc, hc) for lo, hi, lc, hc in merged]


def _equal(a: Any, b: Any) -> bool:
    from ._common import compare

    return compare(a, b) == 0


def _midpoint(lo: Any, hi: Any) -> Fraction:
    if isinstance(lo, Fraction) and isinstance(hi, Fraction):
        return (lo + hi) / 2
    a, b = float(lo), float(hi)
    mid = Fraction((a + b) / 2)
    return mid


# ---------------------------------------------------------------------------
# the game seen by the automata


@dataclass(frozen=True)
class ActionPayoffs:
    """Per player i: payoffs when i's class is ``k_i`` and the opponent plays its designated ``k_j``.

    ``prescribed[i][k_i][k_j]``: with i's designated action of class ``k_i``;
    ``best[i][k_i][k_j]``: with i's best action of that class (class 1 =
    any action other than the target one).
    """

    prescribed: tuple
    best: tuple


def action_payoffs(game: Any, cooperate: Sequence[int], defect: Sequence[int]) -> ActionPayoffs:
    """The payoffs the automata engine needs, from a two-player game (exact)."""
    from ._common import exact_max

    actions = [(cooperate[0], defect[0]), (cooperate[1], defect[1])]
    prescribed = []
    best = []
    for i in range(2):
        j = 1 - i
        pres = [[None, None], [None, None]]
        bst = [[None, None], [None, None]]
        for ki in (0, 1):
            for kj in (0, 1):
                a = [0, 0]
                a[i] = actions[i][ki]
                a[j] = actions[j][kj]
                pres[ki][kj] = game.payoffs[(i, a[0], a[1])]
                if ki == 0:
                    bst[ki][kj] = pres[ki][kj]
                else:
                    options = []
                    for t in range(game.shape[i]):
                        if t == cooperate[i]:
                            continue
                        b = list(a)
                        b[i] = t
                        options.append(game.payoffs[(i, b[0], b[1])])
                    bst[ki][kj] = exact_max(options)
        prescribed.append(tuple(tuple(r) for r in pres))
        best.append(tuple(tuple(r) for r in bst))
    return ActionPayoffs(tuple(prescribed), tuple(best))


def _reachable(m1: Automaton, m2: Automaton) -> list[tuple[int, int]]:
    start = (m1.initial, m2.initial)
    seen = {start}
    stack = [start]
    while stack:
        q1, q2 = stack.pop()
        for k1, k2 in itertools.product((0, 1), repeat=2):
            nxt = (m1.next(q1, k1, k2), m2.next(q2, k2, k1))
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return sorted(seen)


def _reachable_single(m: Automaton) -> list[int]:
    seen = {m.initial}
    stack = [m.initial]
    while stack:
        q = stack.pop()
        for own, opp in itertools.product((0, 1), repeat=2):
            nxt = m.next(q, own, opp)
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return sorted(seen)


def _joint_value(
    payoffs: ActionPayoffs, m: tuple[Automaton, Automaton], start: tuple[int, int], i: int
) -> Value:
    def step(s: tuple[int, int]):
        o = (m[0].output[s[0]], m[1].output[s[1]])
        reward = payoffs.prescribed[i][o[i]][o[1 - i]]
        return reward, (m[0].next(s[0], o[0], o[1]), m[1].next(s[1], o[1], o[0]))

    return path_value(start, step)


@dataclass
class EquilibriumRegions:
    """Where a pair of automata is an equilibrium, as intervals of delta in [0, 1)."""

    nash: list[Interval]
    subgame_perfect: list[Interval]
    nash_conditions: list[list]
    spe_conditions: list[list]


def nash_conditions(payoffs: ActionPayoffs, m: tuple[Automaton, Automaton]) -> list[list]:
    """Polynomials >= 0 iff no player has a better stationary reply (from the initial states)."""
    out = []
    start = (m[0].initial, m[1].initial)
    for i in range(2):
        j = 1 - i
        prescribed = _joint_value(payoffs, m, start, i)
        states = _reachable_single(m[j])
        for choice in itertools.product((0, 1), repeat=len(states)):
            policy = dict(zip(states, choice))

            def step(q: int, policy=policy, i=i, j=j):
                oj = m[j].output[q]
                k = policy[q]
                return payoffs.best[i][k][oj], m[j].next(q, oj, k)

            out.append(prescribed.minus(path_value(m[j].initial, step)))
    return out


def spe_conditions(payoffs: ActionPayoffs, m: tuple[Automaton, Automaton]) -> list[list]:
    """Polynomials >= 0 iff no one-shot deviation pays in any reachable state of the product."""
    out = []
    for s in _reachable(m[0], m[1]):
        o = (m[0].output[s[0]], m[1].output[s[1]])
        for i in range(2):
            j = 1 - i
            here = _joint_value(payoffs, m, s, i)
            for k in (0, 1):
                if k == o[i]:
                    # another action of the same class: same continuation, compare stage payoffs
                    gain = payoffs.best[i][k][o[j]] - payoffs.prescribed[i][k][o[j]]
                    out.append([Fraction(-gain)] if gain else [])
                    continue
                kk = [0, 0]
                kk[i], kk[j] = k, o[j]
                nxt = (m[0].next(s[0], kk[0], kk[1]), m[1].next(s[1], kk[1], kk[0]))
                deviation = _joint_value(payoffs, m, nxt, i).after(payoffs.best[i][k][o[j]])
                out.append(here.minus(deviation))
    return out


def equilibrium_regions(
    payoffs: ActionPayoffs, m1: Automaton, m2: Automaton | None = None
) -> EquilibriumRegions:
    """The discount factors at which (m1, m2) is a Nash, and a subgame-perfect, equilibrium."""
    m = (m1, m2 or m1)
    nash = nash_conditions(payoffs, m)
    spe = spe_conditions(payoffs, m)
    return EquilibriumRegions(feasible_region(nash), feasible_region(spe), nash, spe)


def lowest(region: list[Interval]) -> Any:
    """The smallest discount factor of a region, if the region reaches up to 1 (else None)."""
    if not region:
        return None
    last = region[-1]
    if last.high != 1 or last.high_closed:
        return None
    return last.low


__all__ = [
    "Automaton",
    "Value",
    "Interval",
    "ActionPayoffs",
    "EquilibriumRegions",
    "action_payoffs",
    "path_value",
    "feasible_region",
    "equilibrium_regions",
    "nash_conditions",
    "spe_conditions",
    "lowest",
    "COOPERATE",
    "DEFECT",
]
