"""Reactive strategies, generous tit-for-tat among them: exact equilibrium conditions.

A *reactive* strategy (Nowak & Sigmund 1992; Nowak 1990) is a triple
``(y, p, q)``: cooperate in the first round with probability y, and later
with probability p if the opponent cooperated in the previous round, q if it
defected.  Tit-for-tat is (1, 1, 0), always-cooperate (1, 1, 1) and
**generous tit-for-tat** (Molander 1985; Nowak & Sigmund 1992) is (1, 1, g):
it forgives a defection with probability g.

**Nash equilibrium.**  Against a reactive opponent, the opponent's move in
round t depends only on the deviator's own move in round t - 1.  So the
deviator faces a Markov decision problem whose state is its own last move
(``start``, ``C`` or ``D``), where in state s the opponent cooperates with
probability y (start), p (C) or q (D), and where the deviator's action
decides the next state (C if it plays its target action, D otherwise).  A
discounted MDP with finitely many states and actions has an optimal policy
that is stationary and deterministic (Blackwell 1965; Puterman 1994,
Theorem 6.2.10), and since the next state depends only on whether the target
action is played, in each state only two actions matter: the target action
and the best other action against the opponent's mixture there.  So the
deviator's best reply is one of 2^3 = 8 policies, each a deterministic path
through the three states whose discounted value is a rational function of
delta (:func:`gametheory.repeated.automata.path_value`).  The pair is a Nash
equilibrium iff the prescribed play is worth at least as much as each of
them: eight polynomial inequalities in delta, solved exactly
(:func:`gametheory.repeated.automata.feasible_region`).

For generous tit-for-tat against itself in a Prisoner's Dilemma the two
binding policies are "always defect" and "alternate", which gives

    delta >= max((T - R)/((1 - g)(T - P)), (T - R)/((1 - g)(R - S)))

(g = 0 is Axelrod's condition for tit-for-tat), and the largest generosity
that is still an equilibrium at delta is ``1 - (T - R)/(delta min(T - P,
R - S))``; as delta -> 1 this tends to Nowak & Sigmund's (1992) bound
``min(1 - (T - R)/(R - S), (R - P)/(T - P))``.

**Subgame perfection** (one-shot deviation principle): at every pair of last
moves (x, y) and at the start, each action the strategy plays with positive
probability must be a best one-shot choice given that both follow the
strategies afterwards.  Continuation values come from the four-state Markov
chain of last-move pairs, solved exactly in delta.  For 0 < g < 1 this needs
indifference between cooperating and defecting in every state, which holds
only on a knife edge (in a Prisoner's Dilemma: R + P = S + T and
delta (1 - g) = (T - R)/(R - S)).
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

from .automata import (
    Interval,
    Value,
    _add,
    _mul,
    _one_minus_power,
    _scale,
    _sub,
    _trim,
    feasible_region,
    path_value,
)

START, COOP, DEFECT = "start", "C", "D"


@dataclass(frozen=True)
class Reactive:
    """A reactive strategy: first move C with probability ``first``, then ``after_c`` / ``after_d``."""

    first: Fraction
    after_c: Fraction
    after_d: Fraction

    def cooperate(self, state: str) -> Fraction:
        """Probability of cooperating when the opponent's last move was ``state`` (or at the start)."""
        return {START: self.first, COOP: self.after_c, DEFECT: self.after_d}[state]


def generous_tit_for_tat(g: Any) -> Reactive:
    """(1, 1, g): cooperate after C, forgive a defection with probability g."""
    return Reactive(Fraction(1), Fraction(1), Fraction(g))


@dataclass(frozen=True)
class PlayerPayoffs:
    """One player's payoffs against the opponent's two moves.

    ``u[a] = (u(a, opponent's target action), u(a, opponent's defect action))``
    for every action a of the player; ``c`` is its target action, ``d`` its
    designated defect action (the one its strategy plays when it defects).
    """

    u: tuple[tuple[Fraction, Fraction], ...]
    c: int
    d: int

    def expected(self, a: int, coop: Fraction) -> Fraction:
        return coop * self.u[a][0] + (1 - coop) * self.u[a][1]

    def best_other(self, coop: Fraction) -> Fraction:
        return max(self.expected(a, coop) for a in range(len(self.u)) if a != self.c)


def player_payoffs(game: Any, target: Sequence[int], defect: Sequence[int]) -> tuple[PlayerPayoffs, PlayerPayoffs]:
    """Both players' :class:`PlayerPayoffs` in a two-player game with rational payoffs."""
    out = []
    for i in range(2):
        j = 1 - i
        rows = []
        for a in range(game.shape[i]):
            pair = []
            for b in (target[j], defect[j]):
                prof = [0, 0]
                prof[i], prof[j] = a, b
                pair.append(Fraction(game.payoffs[(i, prof[0], prof[1])]))
            rows.append(tuple(pair))
        out.append(PlayerPayoffs(tuple(rows), int(target[i]), int(defect[i])))
    return out[0], out[1]


# ---------------------------------------------------------------------------
# rational functions of delta: (numerator, denominator), denominators positive on [0, 1)


@dataclass(frozen=True)
class Rational:
    """``numerator(delta) / denominator(delta)`` with the denominator positive on [0, 1)."""

    numerator: tuple
    denominator: tuple

    @staticmethod
    def of(value: Value) -> "Rational":
        return Rational(tuple(value.numerator), tuple(_one_minus_power(value.cycle)))

    def minus(self, other: "Rational") -> list:
        """A polynomial with the sign of ``self - other`` on [0, 1)."""
        return _sub(_mul(list(self.numerator), list(other.denominator)),
                    _mul(list(other.numerator), list(self.denominator)))

    def at(self, delta: Fraction) -> Fraction:
        from .automata import _evaluate

        return _evaluate(list(self.numerator), delta) / _evaluate(list(self.denominator), delta)


def _det(m: list[list[list]]) -> list:
    """Determinant of a small matrix of polynomials (Laplace expansion along the first row)."""
    n = len(m)
    if n == 1:
        return m[0][0]
    out: list = []
    for k in range(n):
        if not m[0][k]:
            continue
        minor = [row[:k] + row[k + 1:] for row in m[1:]]
        term = _mul(m[0][k], _det(minor))
        out = _add(out, term) if k % 2 == 0 else _sub(out, term)
    return out


def _solve(matrix: list[list[list]], rhs: list[list]) -> list[Rational]:
    """Cramer's rule for ``matrix x = rhs`` with polynomial entries; det(matrix) > 0 on [0, 1)."""
    det = _det(matrix)
    from .automata import _evaluate

    sign = 1 if _evaluate(det, Fraction(1, 2)) > 0 else -1
    if sign < 0:
        det = _scale(det, -1)
    out = []
    for k in range(len(matrix)):
        m = [row[:k] + [rhs[r]] + row[k + 1:] for r, row in enumerate(matrix)]
        num = _det(m)
        out.append(Rational(tuple(_scale(num, sign)), tuple(det)))
    return out


# ---------------------------------------------------------------------------
# the deviator's MDP (Nash) and the joint chain (prescribed play, subgame perfection)


def _joint_states() -> list[tuple[str, str]]:
    return [(x, y) for x in (COOP, DEFECT) for y in (COOP, DEFECT)]


@functools.lru_cache(maxsize=4096)
def joint_values(me: PlayerPayoffs, s_me: Reactive, s_other: Reactive) -> dict[Any, Rational]:
    """Discounted sums (not normalised) for ``me`` when both follow their reactive strategies.

    Keys: ``(x, y)``, the last moves (mine, the other's), and ``START``.  In
    state (x, y) I cooperate with probability ``s_me.cooperate(y)``, the other
    with ``s_other.cooperate(x)``; the moves are independent.
    """
    states = _joint_states()
    index = {s: k for k, s in enumerate(states)}
    n = len(states)
    matrix = [[[] for _ in range(n)] for _ in range(n)]
    rhs: list[list] = []
    for s in states:
        x, y = s
        pi, pj = s_me.cooperate(y), s_other.cooperate(x)
        row = matrix[index[s]]
        row[index[s]] = [Fraction(1)]
        reward = Fraction(0)
        for a, pa in ((COOP, pi), (DEFECT, 1 - pi)):
            for b, pb in ((COOP, pj), (DEFECT, 1 - pj)):
                w = pa * pb
                if not w:
                    continue
                action = me.c if a == COOP else me.d
                reward += w * me.u[action][0 if b == COOP else 1]
                k = index[(a, b)]
                row[k] = _sub(row[k], [Fraction(0), w])  # - delta * w
        rhs.append(_trim([reward]))
    values = dict(zip(states, _solve(matrix, rhs)))
    # the start: one round at the first-move probabilities, then a joint state
    pi, pj = s_me.first, s_other.first
    values[START] = _one_round(me, pi, pj, values)
    return values


def _one_round(me: PlayerPayoffs, pi: Fraction, pj: Fraction, values: dict) -> Rational:
    """``E[u] + delta E[W(next)]`` for one round with cooperation probabilities pi (me) and pj."""
    den = list(values[(COOP, COOP)].denominator)
    num: list = []
    for a, pa in ((COOP, pi), (DEFECT, 1 - pi)):
        for b, pb in ((COOP, pj), (DEFECT, 1 - pj)):
            w = pa * pb
            if not w:
                continue
            action = me.c if a == COOP else me.d
            stage = me.u[action][0 if b == COOP else 1]
            num = _add(num, _scale(_add(_scale(den, stage), [Fraction(0)] + list(values[(a, b)].numerator)), w))
    return Rational(tuple(num), tuple(den))


def policy_values(me: PlayerPayoffs, s_me: Reactive, s_other: Reactive,
                  every_action: bool = False) -> tuple[Rational, list[Rational]]:
    """The prescribed play's value and the value of each of the deviator's stationary policies.

    By default the eight policies that choose, in each state, the target
    action or the best other action there; with ``every_action`` every
    deterministic stationary policy (n^3 of them for n actions).
    """
    prescribed = joint_values(me, s_me, s_other)[START]
    states = (START, COOP, DEFECT)
    coop = {s: s_other.cooperate(s) for s in states}
    if every_action:
        actions = list(range(len(me.u)))
        reward = {(s, a): me.expected(a, coop[s]) for s in states for a in actions}
    else:
        actions = [me.c, -1]
        reward = {(s, me.c): me.expected(me.c, coop[s]) for s in states}
        for s in states:
            reward[(s, -1)] = me.best_other(coop[s])
    out = []
    for choice in itertools.product(actions, repeat=3):
        policy = dict(zip(states, choice))

        def step(s: str, policy=policy) -> tuple[Fraction, str]:
            k = policy[s]
            return reward[(s, k)], (COOP if k == me.c else DEFECT)

        out.append(Rational.of(path_value(START, step)))
    return prescribed, out


def nash_conditions(me: PlayerPayoffs, s_me: Reactive, s_other: Reactive) -> list[list]:
    """Polynomials in delta, each >= 0 iff no deterministic stationary policy beats the prescribed play."""
    prescribed, policies = policy_values(me, s_me, s_other)
    return [prescribed.minus(v) for v in policies]


def spe_conditions(me: PlayerPayoffs, s_me: Reactive, s_other: Reactive) -> list[list]:
    """Polynomials >= 0 iff no one-shot deviation pays at any pair of last moves (or at the start)."""
    values = joint_values(me, s_me, s_other)
    den = list(values[(COOP, COOP)].denominator)
    out: list[list] = []
    nodes = [(START, s_me.first, s_other.first)] + [
        ((x, y), s_me.cooperate(y), s_other.cooperate(x)) for x, y in _joint_states()
    ]
    for _node, pi, pj in nodes:
        def q(action: int, pj=pj) -> list:
            """The value of playing ``action`` once, then following the strategies (numerator over den)."""
            a = COOP if action == me.c else DEFECT
            num: list = []
            for b, pb in ((COOP, pj), (DEFECT, 1 - pj)):
                if not pb:
                    continue
                stage = me.u[action][0 if b == COOP else 1]
                num = _add(num, _scale(_add(_scale(den, stage), [Fraction(0)] + list(values[(a, b)].numerator)), pb))
            return num

        support = ([me.c] if pi > 0 else []) + ([me.d] if pi < 1 else [])
        others = range(len(me.u))
        for s in support:
            qs = q(s)
            for a in others:
                if a != s:
                    out.append(_sub(qs, q(a)))
    return out


@dataclass
class ReactiveRegions:
    """Where a pair of reactive strategies is a Nash / subgame-perfect equilibrium (intervals of delta)."""

    nash: list[Interval]
    subgame_perfect: list[Interval]


@functools.lru_cache(maxsize=2048)
def _regions(players: tuple[PlayerPayoffs, PlayerPayoffs], strategy: Reactive) -> ReactiveRegions:
    nash: list[list] = []
    spe: list[list] = []
    for i in range(2):
        nash += nash_conditions(players[i], strategy, strategy)
        spe += spe_conditions(players[i], strategy, strategy)
    return ReactiveRegions(feasible_region(nash), feasible_region(spe))


def equilibrium_regions(players: Sequence[PlayerPayoffs], strategy: Reactive) -> ReactiveRegions:
    """Both players use ``strategy``: the exact regions of delta in [0, 1) where it is an equilibrium."""
    return _regions(tuple(players), strategy)


def value(me: PlayerPayoffs, s_me: Reactive, s_other: Reactive, delta: Any) -> Fraction:
    """The normalised value ``(1 - delta) * sum`` of the prescribed play at a rational delta."""
    delta = Fraction(delta)
    return (1 - delta) * joint_values(me, s_me, s_other)[START].at(delta)


# ---------------------------------------------------------------------------
# symbolic: the conditions with delta, g and the payoffs as symbols (2x2 reduction)


def symbolic_candidates(t: Any, r: Any, p: Any, s: Any, g: Any) -> list[Any]:
    """Critical-delta candidates of generous tit-for-tat (1, 1, g) against itself, in sympy.

    The deviator's eight stationary policies in the 2x2 reduction (T, R, P,
    S); each condition ``V(prescribed) - V(policy) >= 0`` is solved for delta
    (after removing the factors delta and 1 - delta, which do not change
    sign on (0, 1)).  Returns the distinct non-trivial roots, e.g.
    ``[(T - R)/((1 - g)(T - P)), (T - R)/((1 - g)(R - S))]``.
    """
    import sympy

    d = sympy.Symbol("delta", positive=True)
    coop = {START: 1, COOP: 1, DEFECT: g}
    reward = {}
    for st, c in coop.items():
        reward[(st, 0)] = c * r + (1 - c) * s
        reward[(st, 1)] = c * t + (1 - c) * p
    prescribed = r / (1 - d)
    out: list[Any] = []
    for choice in itertools.product((0, 1), repeat=3):
        policy = dict(zip((START, COOP, DEFECT), choice))
        seen: dict[str, int] = {}
        rewards = []
        state = START
        while state not in seen:
            seen[state] = len(rewards)
            k = policy[state]
            rewards.append(reward[(state, k)])
            state = COOP if k == 0 else DEFECT
        start = seen[state]
        cycle = len(rewards) - start
        v = sum(rw * d**k for k, rw in enumerate(rewards[:start]))
        v += d**start * sum(rw * d**k for k, rw in enumerate(rewards[start:])) / (1 - d**cycle)
        numer = sympy.factor(sympy.numer(sympy.together(prescribed - v)))
        factors = [f for f, _ in sympy.factor_list(numer)[1] if f.has(d) and sympy.simplify(f - d) != 0
                   and sympy.simplify(f - (1 - d)) != 0 and sympy.simplify(f - (d - 1)) != 0]
        for f in factors:
            if sympy.degree(f, d) != 1:
                continue
            root = sympy.factor(sympy.solve(f, d)[0])
            if not any(sympy.simplify(root - o) == 0 for o in out):
                out.append(root)
    return out


def generous_closed_form(t: Any, r: Any, p: Any, s: Any, g: Any) -> list[Any]:
    """The two binding conditions, as printed: ``(T - R)/((1 - g)(T - P))`` and ``(T - R)/((1 - g)(R - S))``."""
    return [(t - r) / ((1 - g) * (t - p)), (t - r) / ((1 - g) * (r - s))]


def largest_generosity(players: Sequence[PlayerPayoffs], delta: Any) -> list[Interval]:
    """The generosities g in [0, 1) at which (1, 1, g) against itself is a Nash equilibrium at ``delta``.

    At fixed delta the value of each deterministic stationary policy of the
    deviator is affine in g (a path whose rewards are affine in g), and the
    prescribed play is worth R/(1 - delta) whatever g; so each condition is
    affine in g and the set is an interval, found exactly.
    """
    delta = Fraction(delta)
    polys: list[list] = []
    for me in players:
        # condition(g) = a + b g at this delta: evaluate at g = 0 and g = 1 (affine in g)
        at0 = _conditions_at(me, delta, Fraction(0))
        at1 = _conditions_at(me, delta, Fraction(1))
        for c0, c1 in zip(at0, at1):
            polys.append(_trim([c0, c1 - c0]))
    return feasible_region(polys)


def _conditions_at(me: PlayerPayoffs, delta: Fraction, g: Fraction) -> list[Fraction]:
    """V(prescribed) - V(policy) at ``delta`` for each policy (values, not polynomials: affine in g)."""
    strategy = generous_tit_for_tat(g)
    prescribed, policies = policy_values(me, strategy, strategy, every_action=True)
    here = prescribed.at(delta)
    return [here - v.at(delta) for v in policies]


__all__ = [
    "Reactive",
    "PlayerPayoffs",
    "ReactiveRegions",
    "generous_tit_for_tat",
    "player_payoffs",
    "joint_values",
    "nash_conditions",
    "policy_values",
    "spe_conditions",
    "equilibrium_regions",
    "value",
    "symbolic_candidates",
    "generous_closed_form",
    "largest_generosity",
]
