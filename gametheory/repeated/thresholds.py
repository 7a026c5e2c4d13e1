"""Critical discount factors of trigger and reciprocity strategies, exact and symbolic.

For a target pure profile a* (by default the welfare-maximising pure profile
that is not a stage equilibrium), write for each player i

* ``v_i = u_i(a*)``, the target payoff;
* ``d_i = max_{a_i != a*_i} u_i(a_i, a*_-i)``, the best one-shot deviation;
* ``e_i``, the payoff of the stage Nash equilibrium used to punish i.

Formulas (each with the player maximum taken over the players who gain from
deviating, ``d_i > v_i``):

* **grim** (Friedman 1971): everyone reverts for ever to one stage
  equilibrium e after any deviation; subgame perfect iff
  ``delta >= max_i (d_i - v_i)/(d_i - e_i)`` (and ``v_i > e_i``); e is the
  stage equilibrium with the lowest such threshold.  For the symmetric
  Prisoner's Dilemma this is ``(T - R)/(T - P)``.
* **nash-reversion**: the deviator is punished with the stage equilibrium
  worst for it (player-specific Nash reversion): the same formula with
  ``e_i = min over stage equilibria of u_i``.  Listed when the stage game
  has more than one equilibrium (otherwise it is grim).
* **limited-punishment** for k rounds (Fudenberg & Tirole 1991, sec. 5.1.2;
  the forgiving trigger): the deviator's worst stage equilibrium is played k
  rounds, then cooperation resumes; subgame perfect iff
  ``delta + ... + delta^k >= (d_i - v_i)/(v_i - e_i)`` for all i, a
  polynomial in delta whose root is given exactly when rational or a
  quadratic surd, numerically otherwise.
* **grim-after-detection** (imperfect monitoring: a violation is detected
  with probability pi; Downs, Rocke & Siverson 1985; Wittman 1989; the
  trigger logic of Green & Porter 1984): cooperate until a violation is
  detected, then revert for ever; ``delta >= (d_i - v_i)/((d_i - v_i) + pi
  (v_i - e_i))``, i.e. ``(T - R)/((T - R) + pi (R - P))`` in the PD.  Also
  the critical detection probability at the file's discount factor,
  ``pi >= (1 - delta)(d_i - v_i)/(delta (v_i - e_i))``.
* **tit-for-tat**, **win-stay-lose-shift**, **tit-for-two-tats** (two
  players): exact regions of delta from the automaton engine
  (:mod:`gametheory.repeated.automata`), with the closed forms of the 2x2
  case as expressions.  Tit-for-tat against itself is a Nash equilibrium iff
  ``delta >= max((T - R)/(T - P), (T - R)/(R - S))`` (Axelrod 1984, ch. 3 and
  appendix B, Proposition 2); by the one-shot deviation principle it is
  subgame perfect only if ``delta = (T - R)/(R - S)`` and also ``delta =
  (P - S)/(T - P)`` (after a lone defection the alternating path must be as
  good as restoring cooperation, and after mutual defection the defection
  path as good as forgiving; Kalai, Samet & Stanford 1988).
  Win-stay-lose-shift is subgame perfect iff ``delta >= (T - R)/(R - P)``
  (Nowak & Sigmund 1993); tit-for-two-tats is never an equilibrium when
  ``T > R`` (alternating defection exploits it).

Each threshold comes as an exact number, an exact string, and, for files with
parameters, a simplified sympy expression of the parameters built from
:meth:`~gametheory.model.Game.symbolic_payoffs` (checked to equal the exact
value at the current parameters; valid where the same deviation and the same
punishing equilibrium stay optimal).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

from ..errors import GameError
from . import automata
from ._common import (
    arith,
    compare,
    exact_max,
    exact_text,
    expression_text,
    is_fraction,
    is_zero,
    number,
    profile_dict,
    profile_label,
    simplify_symbolic,
    symbol_values,
    symbolic,
    symbolic_payoffs,
)

STRATEGY_SOURCES = {
    "grim": "Friedman (1971), Review of Economic Studies 38(1): 1-12",
    "nash-reversion": "Friedman (1971); player-specific punishments as in Abreu (1988), Econometrica 56(2)",
    "limited-punishment": "Fudenberg & Tirole (1991), Game Theory, sec. 5.1.2 (forgiving trigger)",
    "grim-after-detection": (
        "Downs, Rocke & Siverson (1985), World Politics 38(1): 118-146; Wittman (1989), "
        "APSR 83(3): 923-945; Green & Porter (1984)"
    ),
    "tit-for-tat": (
        "Axelrod (1984), The Evolution of Cooperation, Proposition 2; Kalai, Samet & Stanford "
        "(1988), IJGT 17(3): 177-186"
    ),
    "win-stay-lose-shift": "Nowak & Sigmund (1993), Nature 364: 56-58; Kraines & Kraines (1989)",
    "tit-for-two-tats": "Axelrod (1984), ch. 2",
    "generous-tft": (
        "Molander (1985), J. Conflict Resolution 29(4): 611-618; Nowak & Sigmund (1992), Nature 355: "
        "250-253; Nash condition by the deviator's Markov decision problem (Blackwell 1965)"
    ),
}

DEFAULT_GENEROSITY = Fraction(1, 10)


# ---------------------------------------------------------------------------
# the target and its deviations


@dataclass(frozen=True)
class Target:
    """A target pure profile with each player's best deviation from it.

    ``deviation[i]`` is player i's best action other than its target action
    against the others' target actions (ties: the one worst for the others),
    ``deviation_payoff[i]`` its payoff ``d_i``; ``payoffs[i]`` is ``v_i``.
    """

    profile: tuple[int, ...]
    payoffs: tuple[Any, ...]
    deviation: tuple[int | None, ...]
    deviation_payoff: tuple[Any, ...]

    def gains(self) -> tuple[Any, ...]:
        return tuple(d - v if d is not None else None for d, v in zip(self.deviation_payoff, self.payoffs))


def target_of(game: Any, profile: Sequence[int]) -> Target:
    """Payoffs and best deviations of a pure profile."""
    profile = tuple(int(s) for s in profile)
    n = game.n_players
    payoffs = tuple(game.payoffs[(i,) + profile] for i in range(n))
    deviation: list[int | None] = []
    dev_payoff: list[Any] = []
    for i in range(n):
        best = None
        for a in range(game.shape[i]):
            if a == profile[i]:
                continue
            alt = list(profile)
            alt[i] = a
            alt = tuple(alt)
            mine = game.payoffs[(i,) + alt]
            others = sum((game.payoffs[(j,) + alt] for j in range(n) if j != i), Fraction(0))
            key = (mine, others)
            if (
                best is None
                or compare(mine, best[1][0]) > 0
                or (compare(mine, best[1][0]) == 0 and compare(others, best[1][1]) < 0)
            ):
                best = (a, key)
        deviation.append(None if best is None else best[0])
        dev_payoff.append(None if best is None else best[1][0])
    return Target(profile, payoffs, tuple(deviation), tuple(dev_payoff))


def welfare_targets(game: Any, stage_profiles: Sequence[tuple[int, ...]] = ()) -> list[tuple[int, ...]]:
    """Welfare-maximising pure profiles, preferring those that are not stage equilibria.

    When every welfare maximiser is a stage equilibrium, cooperation needs no
    enforcement and those profiles are returned.  Symmetric profiles (every
    player on the same strategy index) come first.
    """
    best: Any = None
    found: list[tuple[int, ...]] = []
    for profile in game.profiles():
        w = sum((game.payoffs[(i,) + profile] for i in range(game.n_players)), Fraction(0))
        c = 1 if best is None else compare(w, best)
        if c > 0:
            best, found = w, [profile]
        elif c == 0:
            found.append(profile)
    stage = set(stage_profiles)
    candidates = [p for p in found if p not in stage] or found
    candidates.sort(key=lambda p: (len(set(p)) != 1,))
    return candidates


def parse_target(game: Any, target: Any) -> list[tuple[int, ...]]:
    """A target from names (``["Cooperate", "Cooperate"]`` or ``"Cooperate,Cooperate"``) or indices.

    A list of such profiles gives several targets.
    """
    if isinstance(target, str):
        target = [t.strip() for t in target.split(",")]
    target = list(target)
    if target and all(isinstance(t, (list, tuple)) for t in target):
        out = []
        for t in target:
            out.extend(parse_target(game, t))
        return out
    if len(target) != game.n_players:
        raise GameError(
            f"a target needs one strategy per player ({game.n_players}), found {len(target)}: "
            + ", ".join(map(str, target))
        )
    return [tuple(game.strategy_index(i, s) for i, s in enumerate(target))]


# ---------------------------------------------------------------------------
# results


@dataclass
class StrategyThreshold:
    """The discount factors at which one strategy profile sustains the target.

    Attributes:
        name: ``grim``, ``nash-reversion``, ``limited-punishment``,
            ``grim-after-detection``, ``tit-for-tat``, ...
        target: the target profile (strategy indices).
        critical: the lowest discount factor at which the target path is a
            Nash equilibrium outcome of these strategies (exact: Fraction or
            sympy number), when the region reaches up to 1; None if never.
        expression: the critical value as a sympy expression of the
            parameters (or None); ``expression_text`` its readable text.
        condition: the condition in words, e.g. ``delta >= (T - R)/(T - P)``.
        nash_region, spe_region: where the profile is a Nash / subgame-perfect
            equilibrium, as intervals of delta in [0, 1).
        nash, subgame_perfect, sustainable: judged at ``discount`` (None
            when the file gives no discount factor).  ``sustainable`` means
            the target path is an equilibrium outcome (Nash) at that discount
            factor, for a finite known horizon it follows backward induction.
        punishment: what punishes a deviation (stage equilibria, actions).
        details: extra values (e.g. ``rounds`` for limited punishment,
            ``detection`` and ``critical_detection`` for imperfect monitoring).
    """

    name: str
    description: str
    source: str
    target: tuple[int, ...]
    critical: Any
    expression: Any
    expression_text: str | None
    condition: str
    nash_region: list[automata.Interval]
    spe_region: list[automata.Interval]
    discount: Any = None
    punishment: dict = field(default_factory=dict)
    details: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    horizon: int | None = None
    finite_sustainable: bool | None = None
    detection_terms: list | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if (
            self.critical is not None
            and not is_fraction(self.critical)
            and not isinstance(self.critical, float)
        ):
            import sympy

            if isinstance(self.critical, sympy.CRootOf):  # a root of a polynomial: already canonical
                return
            simple = sympy.simplify(self.critical)
            if simple.is_Rational:
                simple = Fraction(int(simple.p), int(simple.q))
            self.critical = simple

    def _in(self, region: list[automata.Interval]) -> bool | None:
        if self.discount is None:
            return None
        return any(iv.contains(self.discount) for iv in region)

    @property
    def nash(self) -> bool | None:
        if self.horizon is not None:
            return self.finite_sustainable
        return self._in(self.nash_region)

    @property
    def subgame_perfect(self) -> bool | None:
        if self.horizon is not None:
            return self.finite_sustainable
        return self._in(self.spe_region)

    @property
    def sustainable(self) -> bool | None:
        return self.nash

    @property
    def critical_float(self) -> float | None:
        return None if self.critical is None else float(self.critical)

    @property
    def exact(self) -> str | None:
        return exact_string(self.critical)

    def to_dict(self, game: Any) -> dict:
        out: dict[str, Any] = {
            "name": self.name,
            "target": profile_dict(game, self.target),
            "critical_discount": self.critical_float,
            "exact": self.exact,
            "expression": self.expression_text,
            "sustainable": self.sustainable,
            "nash": self.nash,
            "subgame_perfect": self.subgame_perfect,
            "condition": self.condition,
            "nash_region": [interval_dict(iv) for iv in self.nash_region],
            "subgame_perfect_region": [interval_dict(iv) for iv in self.spe_region],
            "punishment": self.punishment,
            "description": self.description,
            "source": self.source,
        }
        for k, v in self.details.items():
            out[k] = v
        out["notes"] = list(self.notes)
        return out


def exact_string(x: Any) -> str | None:
    """``"1/2"``, ``"-1/2 + sqrt(5)/2"``; None for numbers known only as roots of a polynomial."""
    if x is None or isinstance(x, float):
        return None
    if is_fraction(x):
        return str(Fraction(x))
    import sympy

    if isinstance(x, sympy.Basic) and x.atoms(sympy.CRootOf):
        return None
    return exact_text(x)


def interval_dict(iv: automata.Interval) -> dict:
    return {
        "from": number(iv.low),
        "to": number(iv.high),
        "exact_from": exact_string(iv.low),
        "exact_to": exact_string(iv.high),
        "closed_from": iv.low_closed,
        "closed_to": iv.high_closed,
    }


# ---------------------------------------------------------------------------
# context shared by the formulas


@dataclass
class Stage:
    """One stage equilibrium as a punishment: exact payoffs, symbolic payoffs, label."""

    index: int
    payoffs: tuple[Any, ...]
    symbolic: tuple[Any, ...] | None
    label: str
    equilibrium: Any


@dataclass
class Context:
    game: Any
    target: Target
    stages: list[Stage]
    sym: Any  # symbolic payoff array or None
    discount: Any
    horizon: int | None
    detection: Any
    detection_sym: Any
    discount_sym: Any
    symbolic: bool = True  # formulas and the extras of the report (off in sweeps: exact values only)

    def sym_at(self, i: int, profile: Sequence[int]) -> Any:
        if self.sym is None:
            return None
        return self.sym[(i,) + tuple(profile)]

    def sym_target(self, i: int) -> Any:
        return self.sym_at(i, self.target.profile)

    def sym_deviation(self, i: int) -> Any:
        a = self.target.deviation[i]
        if a is None:
            return None
        prof = list(self.target.profile)
        prof[i] = a
        return self.sym_at(i, prof)


def _stage_label(game: Any, eq: Any) -> str:
    if eq.pure:
        return profile_label(game, tuple(x.index(1) for x in eq.profile))

    def text(i: int, mix: Sequence[Any]) -> str:
        used = [(s, p) for s, p in zip(game.strategies[i], mix) if float(p) > 1e-12]
        if len(used) == 1:
            return used[0][0]
        return ", ".join(f"{s} {exact_text(p) if eq.exact else f'{float(p):.4g}'}" for s, p in used)

    return "(" + "; ".join(text(i, x) for i, x in enumerate(eq.profile)) + ")"


def _symbolic_equilibrium_payoffs(game: Any, eq: Any, sym: Any) -> tuple[Any, ...] | None:
    """Payoffs of a stage equilibrium as expressions of the parameters.

    Pure: the symbolic payoffs at the profile.  Mixed, two players: solve the
    indifference equations on the supports symbolically (square supports only).
    """
    if sym is None:
        return None
    import sympy

    if eq.pure:
        prof = tuple(x.index(1) for x in eq.profile)
        return tuple(sym[(i,) + prof] for i in range(game.n_players))
    if game.n_players != 2:
        return None
    s1, s2 = eq.supports
    if len(s1) != len(s2):
        return None
    out = []
    for i, (own, other) in enumerate(((s1, s2), (s2, s1))):
        probs = sympy.symbols(f"q0:{len(other)}")
        v = sympy.Symbol("v")
        eqs = [sum(probs) - 1]
        for a in own:
            terms = []
            for k, b in enumerate(other):
                idx = (i, a, b) if i == 0 else (i, b, a)
                terms.append(sym[idx] * probs[k])
            eqs.append(sum(terms) - v)
        sol = sympy.solve(eqs, list(probs) + [v], dict=True)
        if len(sol) != 1 or v not in sol[0]:
            return None
        out.append(sol[0][v])
    values = symbol_values(game)
    for expr, exact in zip(out, eq.payoffs):
        try:
            if sympy.simplify(expr.subs(values) - sympy.nsimplify(exact)) != 0:
                return None
        except (TypeError, ValueError):
            return None
    return tuple(out)


def make_context(game: Any, profile: Sequence[int], equilibria: Sequence[Any], symbolic_: bool = True) -> Context:
    """The target, the stage equilibria as punishments and (``symbolic_``) the payoffs as sympy expressions."""
    sym = symbolic_payoffs(game) if symbolic_ else None
    stages = []
    for k, eq in enumerate(equilibria):
        sp = None
        try:
            sp = _symbolic_equilibrium_payoffs(game, eq, sym) if sym is not None else None
        except Exception:  # noqa: BLE001 - symbolic results are optional
            sp = None
        payoffs = tuple(eq.payoffs)
        if eq.pure:  # exact payoffs even when the solver worked in floating point
            prof = tuple(x.index(1) for x in eq.profile)
            payoffs = tuple(game.payoffs[(i,) + prof] for i in range(game.n_players))
        stages.append(Stage(k, payoffs, sp, _stage_label(game, eq), eq))
    rv = game.repeated_values()
    detection_sym = discount_sym = None
    if game.repeated is not None and game.parameters and symbolic_:
        try:
            if game.repeated.detection is not None:
                detection_sym = symbolic(game, game.repeated.detection)
            if game.repeated.discount is not None:
                discount_sym = symbolic(game, game.repeated.discount)
        except Exception:  # noqa: BLE001
            pass
    return Context(
        game=game,
        target=target_of(game, profile),
        stages=stages,
        sym=sym,
        discount=rv.get("discount"),
        horizon=rv.get("horizon"),
        detection=rv.get("detection"),
        detection_sym=detection_sym,
        discount_sym=discount_sym,
        symbolic=symbolic_,
    )


# ---------------------------------------------------------------------------
# helpers for max over players with symbolic companions


def _combine(game: Any, per_player: list[tuple[Any, Any]], value: Any, extra: dict | None = None) -> tuple[Any, list[str]]:
    """The symbolic expression of ``max_i`` of per-player thresholds (value, expression).

    When the binding players' expressions agree (e.g. a symmetric game) that
    expression; otherwise the binding player's, with a note.
    """
    notes: list[str] = []
    binding = [(k, e) for k, (v, e) in enumerate(per_player) if v is not None and compare(v, value) == 0]
    exprs = [e for _, e in binding]
    if not exprs or any(e is None for e in exprs):
        return None, notes
    first = exprs[0]
    others = [e for k, (v, e) in enumerate(per_player) if e is not None and (k, e) not in binding]
    all_same = all(is_zero(e - first) for e in exprs) and all(is_zero(e - first) for e in others)
    if not all_same and len(per_player) > 1:
        who = ", ".join(game.players[k] for k, _ in binding)
        notes.append(f"the expression is the binding player's ({who}) at the current parameter values")
    return simplify_symbolic(first, game, value, extra), notes


def _lower_region(critical: Any) -> list[automata.Interval]:
    if critical is None:
        return []
    if compare(critical, 1) >= 0:
        return []
    return [automata.Interval(critical, Fraction(1), True, False)]


def _gainers(ctx: Context) -> list[int]:
    return [i for i, g in enumerate(ctx.target.gains()) if g is not None and compare(g, 0) > 0]


def _reversion(ctx: Context, punish: Sequence[Stage], name: str) -> tuple[Any, Any, list[str], bool]:
    """``max_i (d_i - v_i)/(d_i - e_i)`` with ``e_i`` from ``punish[i]``: (value, expression, notes, ok)."""
    per: list[tuple[Any, Any]] = []
    ok = True
    for i in range(ctx.game.n_players):
        if i not in _gainers(ctx):
            per.append((Fraction(0), sympy_zero()))
            continue
        d, v, e = arith(ctx.target.deviation_payoff[i], ctx.target.payoffs[i], punish[i].payoffs[i])
        if compare(v, e) <= 0:
            ok = False
            per.append((None, None))
            continue
        sd, sv, se = ctx.sym_deviation(i), ctx.sym_target(i), (punish[i].symbolic or [None] * 99)[i]
        expr = None if None in (sd, sv, se) else (sd - sv) / (sd - se)
        per.append(((d - v) / (d - e), expr))
    if not ok:
        return None, None, [], False
    value = exact_max([p[0] for p in per])
    expr, notes = _combine(ctx.game, per, value) if ctx.sym is not None else (None, [])
    return value, expr, notes, True


def sympy_zero() -> Any:
    import sympy

    return sympy.Integer(0)


def _worst_stage_for(ctx: Context, i: int) -> Stage:
    best = ctx.stages[0]
    for st in ctx.stages[1:]:
        if compare(st.payoffs[i], best.payoffs[i]) < 0:
            best = st
    return best


def _condition_text(ctx: Context, expr_text: str | None, value: Any, fallback: str) -> str:
    if expr_text is not None and ctx.game.parameters:
        return f"delta >= {expr_text}"
    if value is not None:
        return f"delta >= {exact_string(value) or f'{float(value):.6g}'}"
    return fallback


# ---------------------------------------------------------------------------
# the strategies


def _trigger_threshold(
    ctx: Context,
    name: str,
    description: str,
    value: Any,
    expr: Any,
    text: str | None,
    condition: str,
    punishment: Any,
    notes: list[str],
    details: dict | None = None,
) -> StrategyThreshold:
    """A trigger strategy's entry: an equilibrium (Nash and subgame perfect alike) for delta >= value."""
    region = _lower_region(value)
    return StrategyThreshold(
        name=name,
        description=description,
        source=STRATEGY_SOURCES[name],
        target=ctx.target.profile,
        critical=value if region else None,
        expression=expr if region else None,
        expression_text=text if region else None,
        condition=condition,
        nash_region=region,
        spe_region=region,
        discount=ctx.discount,
        punishment=punishment,
        details=details if details is not None else {},
        notes=notes,
    )


def grim(ctx: Context) -> StrategyThreshold:
    """Common Nash reversion: everyone plays one stage equilibrium for ever after a deviation."""
    n = ctx.game.n_players
    best = None
    for st in ctx.stages:
        value, expr, notes, ok = _reversion(ctx, [st] * n, "grim")
        if ok and (best is None or compare(value, best[0]) < 0):
            best = (value, expr, notes, st)
    notes: list[str] = []
    if best is None:
        value = expr = None
        punishment = {"kind": "stage equilibrium (common)", "equilibrium": None}
        notes.append(
            "no stage equilibrium gives every deviating player less than the target: grim reversion "
            "cannot sustain it"
        )
    else:
        value, expr, notes, st = best
        punishment = {
            "kind": "stage equilibrium (common)",
            "equilibrium": st.index,
            "profile": st.label,
            "payoffs": {p: number(x) for p, x in zip(ctx.game.players, st.payoffs)},
        }
        if len(ctx.stages) > 1:
            notes = notes + [
                f"reverts to the stage equilibrium {st.label}, the one with the lowest threshold"
            ]
    text = expression_text(expr, ctx.game)
    return _trigger_threshold(
        ctx,
        "grim",
        "Play the target until anyone deviates, then a stage Nash equilibrium for ever.",
        value,
        expr,
        text,
        _condition_text(ctx, text, value, "never (no punishing stage equilibrium)"),
        punishment,
        notes,
    )


def nash_reversion(ctx: Context) -> StrategyThreshold:
    """Player-specific Nash reversion: the deviator's worst stage equilibrium for ever."""
    punish = [_worst_stage_for(ctx, i) for i in range(ctx.game.n_players)]
    value, expr, notes, ok = _reversion(ctx, punish, "nash-reversion")
    if not ok:
        value = expr = None
        notes = ["some deviating player gets at least its target payoff in every stage equilibrium"]
    text = expression_text(expr, ctx.game)
    return _trigger_threshold(
        ctx,
        "nash-reversion",
        "Play the target; after a deviation play the stage equilibrium worst for the deviator for ever.",
        value,
        expr,
        text,
        _condition_text(ctx, text, value, "never"),
        _punishment_dict(ctx, punish),
        notes,
    )


def _punishment_dict(ctx: Context, punish: Sequence[Stage]) -> dict:
    return {
        "kind": "stage equilibrium worst for the deviator",
        "equilibria": {p: st.index for p, st in zip(ctx.game.players, punish)},
        "profiles": {p: st.label for p, st in zip(ctx.game.players, punish)},
        "payoffs": {p: number(st.payoffs[i]) for i, (p, st) in enumerate(zip(ctx.game.players, punish))},
    }


def _limited_root(k: int, r: Any) -> Any:
    """The root in (0, 1) of ``delta + ... + delta^k = r`` (0 < r < k): exact when possible."""
    import sympy

    if not is_fraction(r):  # an irrational ratio (irrational payoffs): radicals for k <= 2, else numerical
        rr = sympy.sympify(r)
        if k == 1:
            return rr
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
    return None  # pragma: no cover - the sum is increasing from 0 to k on (0, 1)


def limited_punishment(ctx: Context, k: int) -> StrategyThreshold:
    """Punish the deviator with its worst stage equilibrium for k rounds, then forgive."""
    import sympy

    punish = [_worst_stage_for(ctx, i) for i in range(ctx.game.n_players)]
    per: list[tuple[Any, Any]] = []
    notes: list[str] = []
    possible = True
    for i in range(ctx.game.n_players):
        if i not in _gainers(ctx):
            per.append((Fraction(0), sympy_zero()))
            continue
        d, v, e = arith(ctx.target.deviation_payoff[i], ctx.target.payoffs[i], punish[i].payoffs[i])
        if compare(v, e) <= 0:
            possible = False
            break
        r = (d - v) / (v - e)
        if compare(r, k) >= 0:
            possible = False
            break
        root = _limited_root(k, r)
        expr = None
        sd, sv = ctx.sym_deviation(i), ctx.sym_target(i)
        se = punish[i].symbolic[i] if punish[i].symbolic is not None else None
        if None not in (sd, sv, se) and k <= 2:
            sr = (sd - sv) / (sv - se)
            expr = sr if k == 1 else (sympy.sqrt(1 + 4 * sr) - 1) / 2
        per.append((root, expr))
    if possible:
        value = exact_max([p[0] for p in per])
        expr, more = _combine(ctx.game, per, value) if ctx.sym is not None else (None, [])
        notes += more
    else:
        value = expr = None
        notes.append(f"{k} round{'s' if k > 1 else ''} of punishment cannot outweigh the gain from deviating")
    text = expression_text(expr, ctx.game)
    lhs = " + ".join("delta" if t == 1 else f"delta^{t}" for t in range(1, k + 1))
    gains = _gainers(ctx)
    ratio_text = None
    if gains and ctx.sym is not None:
        i = gains[0]
        se = punish[i].symbolic[i] if punish[i].symbolic is not None else None
        if None not in (ctx.sym_deviation(i), ctx.sym_target(i), se):
            ratio = simplify_symbolic(
                (ctx.sym_deviation(i) - ctx.sym_target(i)) / (ctx.sym_target(i) - se), ctx.game
            )
            ratio_text = expression_text(ratio, ctx.game)
    if ratio_text and ctx.game.parameters:
        condition = f"{lhs} >= {ratio_text}"
    else:
        condition = f"{lhs} >= (d - v)/(v - e)"
        if value is not None:
            condition += f", i.e. delta >= {exact_string(value) or f'{float(value):.6g}'}"
    if value is not None and exact_string(value) is None:
        notes.append(
            f"the critical discount factor is the root in (0, 1) of {lhs} = (d - v)/(v - e); "
            "it is irrational and not a quadratic surd, so it is given numerically"
        )
    return _trigger_threshold(
        ctx,
        "limited-punishment",
        (
            f"Play the target; after a deviation play the deviator's worst stage equilibrium for {k} "
            f"round{'s' if k > 1 else ''}, then return to the target."
        ),
        value,
        expr,
        text,
        condition,
        _punishment_dict(ctx, punish),
        notes,
        details={"rounds": k},
    )


def grim_after_detection(ctx: Context) -> StrategyThreshold:
    """Imperfect monitoring: a violation is detected with probability pi; then reversion for ever."""
    pi = ctx.detection
    punish = [_worst_stage_for(ctx, i) for i in range(ctx.game.n_players)]
    per: list[tuple[Any, Any]] = []
    per_pi: list[tuple[Any, Any]] = []
    terms: list[tuple[Any, Any]] = []  # (gain d - v, loss v - e) of each player who gains from deviating
    possible = True
    delta = ctx.discount
    for i in range(ctx.game.n_players):
        if i not in _gainers(ctx):
            per.append((Fraction(0), sympy_zero()))
            per_pi.append((Fraction(0), sympy_zero()))
            continue
        d, v, e, p = arith(ctx.target.deviation_payoff[i], ctx.target.payoffs[i], punish[i].payoffs[i], pi)
        if compare(v, e) <= 0 or compare(p, 0) <= 0:
            possible = False
            break
        sd, sv = ctx.sym_deviation(i), ctx.sym_target(i)
        se = punish[i].symbolic[i] if punish[i].symbolic is not None else None
        sp = ctx.detection_sym
        expr = None if None in (sd, sv, se, sp) else (sd - sv) / ((sd - sv) + sp * (sv - se))
        per.append(((d - v) / ((d - v) + p * (v - e)), expr))
        terms.append((d - v, v - e))
        if delta is not None and compare(delta, 0) > 0:
            dd = arith(delta)[0] if is_fraction(d) else arith(delta, d)[0]
            sdelta = ctx.discount_sym
            pexpr = None if None in (sd, sv, se, sdelta) else (1 - sdelta) * (sd - sv) / (sdelta * (sv - se))
            per_pi.append(((1 - dd) * (d - v) / (dd * (v - e)), pexpr))
    notes: list[str] = [
        "perfect public monitoring of the punishment phase; no false alarms: without a violation "
        "nothing is detected (Downs, Rocke & Siverson 1985)"
    ]
    details: dict[str, Any] = {"detection": number(pi), "detection_exact": exact_string(pi)}
    if possible:
        value = exact_max([q[0] for q in per])
        expr, more = _combine(ctx.game, per, value) if ctx.sym is not None else (None, [])
        notes += more
        if per_pi and len(per_pi) == ctx.game.n_players:
            crit = exact_max([q[0] for q in per_pi])
            pexpr, _ = _combine(ctx.game, per_pi, crit) if ctx.sym is not None else (None, [])
            details["critical_detection"] = number(crit) if compare(crit, 1) <= 0 else None
            details["critical_detection_exact"] = exact_string(crit) if compare(crit, 1) <= 0 else None
            details["critical_detection_expression"] = expression_text(pexpr, ctx.game)
    else:
        value = expr = None
        notes.append("no detection probability sustains the target (or pi = 0)")
    text = expression_text(expr, ctx.game)
    entry = _trigger_threshold(
        ctx,
        "grim-after-detection",
        (
            "Play the target until a violation is detected (probability pi per violation), then the "
            "deviator's worst stage equilibrium for ever."
        ),
        value,
        expr,
        text,
        _condition_text(ctx, text, value, "never"),
        _punishment_dict(ctx, punish),
        notes,
        details=details,
    )
    entry.detection_terms = _detection_terms(ctx, punish)
    return entry


def _detection_terms(ctx: Context, punish: Sequence[Stage]) -> list[tuple[Any, Any]] | None:
    """Per player who gains from deviating, (gain d - v, loss v - e); None if reversion cannot punish.

    The critical discount factor at detection probability pi is then
    ``max (gain)/(gain + pi loss)`` (never when pi = 0), and the critical
    detection probability at delta ``max (1 - delta) gain/(delta loss)``:
    what a sweep over pi evaluates at every grid point.
    """
    out = []
    for i in _gainers(ctx):
        d, v, e = arith(ctx.target.deviation_payoff[i], ctx.target.payoffs[i], punish[i].payoffs[i])
        if compare(v, e) <= 0:
            return None
        out.append((d - v, v - e))
    return out


# ---------------------------------------------------------------------------
# automaton strategies (two players)


def _two_by_two_symbols(ctx: Context, defect: Sequence[int]) -> list[dict[str, Any]] | None:
    """Per player: symbolic T, R, P, S in the cooperate/defect reduction."""
    if ctx.sym is None:
        return None
    c = ctx.target.profile
    out = []
    for i in range(2):
        j = 1 - i

        def at(ai: int, aj: int, i=i, j=j) -> Any:
            prof = [0, 0]
            prof[i], prof[j] = ai, aj
            return ctx.sym_at(i, prof)

        out.append(
            {
                "R": at(c[i], c[j]),
                "S": at(c[i], defect[j]),
                "T": at(defect[i], c[j]),
                "P": at(defect[i], defect[j]),
            }
        )
    return out


def _closed_forms(name: str, s: dict[str, Any]) -> tuple[list[Any], Any]:
    """Nash threshold candidates (max of them) and the SPE knife edge, for one player's T, R, P, S."""
    t, r, p, q = s["T"], s["R"], s["P"], s["S"]
    if name == "tit-for-tat":
        return [(t - r) / (t - p), (t - r) / (r - q)], ((t - r) / (r - q), (p - q) / (t - p))
    if name == "win-stay-lose-shift":
        return [(t - r) / (r - p)], None
    return [], None


def automaton_strategy(ctx: Context, name: str, defect: Sequence[int]) -> StrategyThreshold:
    """Both players use the named automaton strategy; exact regions, closed-form expressions when they hold."""
    from . import strategies

    machine = strategies.REGISTRY[name].automaton()
    payoffs = automata.action_payoffs(ctx.game, ctx.target.profile, defect)
    regions = automata.equilibrium_regions(payoffs, machine)
    critical = automata.lowest(regions.nash)
    notes: list[str] = []
    expr = None
    symbols = _two_by_two_symbols(ctx, defect)
    exact_forms = _two_by_two_exact(ctx, payoffs)
    try:
        candidates, _ = _closed_forms(name, exact_forms[0])
    except ZeroDivisionError:
        candidates = []
    if candidates and critical is not None:
        per_exact = []
        per_sym = []
        try:
            for i in range(2):
                cands, _ = _closed_forms(name, exact_forms[i])
                per_exact.append(exact_max(cands))
                if symbols is not None:
                    import sympy

                    sym_cands = _closed_forms(name, symbols[i])[0]
                    per_sym.append(sym_cands[0] if len(sym_cands) == 1 else sympy.Max(*sym_cands))
                else:
                    per_sym.append(None)
            value = exact_max(per_exact)
            if compare(value, critical) == 0:
                if symbols is not None:
                    expr, more = _combine(ctx.game, list(zip(per_exact, per_sym)), value)
                    notes += more
            else:
                notes.append("the 2x2 closed form does not apply to these payoffs; the region is exact")
        except ZeroDivisionError:
            pass
    if name == "tit-for-tat":
        notes.append(
            "one-shot deviation principle: in the state after a lone defection the alternating path must be "
            "worth as much as restoring cooperation (delta <= (T - R)/(R - S)) and cooperating must not pay "
            "(delta >= (T - R)/(R - S)); after mutual defection, delta = (P - S)/(T - P) likewise: so "
            "tit-for-tat is subgame perfect only at delta = (T - R)/(R - S) = (P - S)/(T - P) "
            "(Kalai, Samet & Stanford 1988)"
        )
        spe_value = _knife_edge(exact_forms)
        if spe_value is not None:
            notes.append(f"here (T - R)/(R - S) and (P - S)/(T - P) are {spe_value}")
    if name == "tit-for-two-tats" and critical is None:
        notes.append("never a Nash equilibrium when T > R: defecting every other round is never punished")
    text = expression_text(expr, ctx.game)
    if expr is not None and ctx.game.parameters:
        condition = f"delta >= {text}"
    elif critical is not None:
        condition = f"delta >= {exact_string(critical) or f'{float(critical):.6g}'}"
    else:
        condition = (
            "never a Nash equilibrium"
            if not regions.nash
            else "delta in " + ", ".join(iv.text() for iv in regions.nash)
        )
    if regions.nash and critical is None:
        notes.append("Nash only for " + ", ".join(iv.text() for iv in regions.nash))
    cls = strategies.REGISTRY[name]
    return StrategyThreshold(
        name=name,
        description=cls.description,
        source=STRATEGY_SOURCES.get(name, cls.source),
        target=ctx.target.profile,
        critical=critical,
        expression=expr,
        expression_text=text,
        condition=condition,
        nash_region=regions.nash,
        spe_region=regions.subgame_perfect,
        discount=ctx.discount,
        punishment={
            "kind": "designated action",
            "actions": {p: ctx.game.strategies[i][defect[i]] for i, p in enumerate(ctx.game.players)},
        },
        notes=notes,
    )


# ---------------------------------------------------------------------------
# generous tit-for-tat (a reactive strategy, two players)


def generosity_symbol(game: Any) -> Any:
    """The sympy symbol for the forgiveness probability: ``g``, or ``q`` if the file uses ``g``."""
    import sympy

    taken = set(game.parameters) | set(getattr(game, "define", {}) or {})
    for name in ("g", "q", "generosity"):
        if name not in taken:
            return sympy.Symbol(name, real=True)
    return sympy.Symbol("forgiveness", real=True)  # pragma: no cover


def generous_tft(ctx: Context, defect: Sequence[int], g: Any) -> StrategyThreshold:
    """Both play generous tit-for-tat (1, 1, g): exact regions from the deviator's MDP (:mod:`.reactive`)."""
    import sympy

    from . import reactive

    g = Fraction(g)
    players = reactive.player_payoffs(ctx.game, ctx.target.profile, defect)
    regions = reactive.equilibrium_regions(players, reactive.generous_tit_for_tat(g))
    critical = automata.lowest(regions.nash)
    notes: list[str] = []
    expr = None
    gsym = generosity_symbol(ctx.game)
    extra = {gsym: sympy.Rational(g.numerator, g.denominator)}
    two_by_two = tuple(ctx.game.shape) == (2, 2)
    if two_by_two and g < 1 and critical is not None:
        exact_forms = _two_by_two_exact(ctx, automata.action_payoffs(ctx.game, ctx.target.profile, defect))
        try:
            per_exact = [exact_max(reactive.generous_closed_form(f["T"], f["R"], f["P"], f["S"], g))
                         for f in exact_forms]
            value = exact_max(per_exact)
        except ZeroDivisionError:
            value = None
        if value is not None and compare(value, critical) == 0:
            symbols = _two_by_two_symbols(ctx, defect)
            if symbols is not None:
                per = []
                for f_exact, f in zip(per_exact, symbols):
                    per.append((f_exact, sympy.Max(*reactive.generous_closed_form(f["T"], f["R"], f["P"], f["S"], gsym))))
                expr, more = _combine(ctx.game, per, value, extra)
                notes += more
        elif value is not None:
            notes.append("the closed form max((T - R)/((1 - g)(T - P)), (T - R)/((1 - g)(R - S))) does not apply "
                         "to these payoffs; the region is exact")
    text = expression_text(expr, ctx.game, extra) if expr is not None else None
    if expr is not None and not notes:  # both players' formulas agree: the compact form
        f = _two_by_two_symbols(ctx, defect)[0]
        num, a, b = (expression_text(x, ctx.game) for x in (f["T"] - f["R"], f["T"] - f["P"], f["R"] - f["S"]))
        num = num if num.replace("_", "").isalnum() else f"({num})"
        text = f"{num}/((1 - {gsym})*min({a}, {b}))"
    gtext = exact_text(g)
    if text is not None:
        condition = f"delta >= {text}"
    elif critical is not None:
        condition = f"delta >= {exact_string(critical) or f'{float(critical):.6g}'}"
    else:
        condition = "never a Nash equilibrium" if not regions.nash else (
            "delta in " + ", ".join(iv.text() for iv in regions.nash))
    if regions.nash and critical is None:
        notes.append("Nash only for " + ", ".join(iv.text() for iv in regions.nash))
    details: dict[str, Any] = {"generosity": float(g), "generosity_exact": gtext}
    if ctx.symbolic and ctx.discount is not None and is_fraction(ctx.discount) and 0 < ctx.discount < 1:
        gs = reactive.largest_generosity(players, ctx.discount)
        top = gs[-1].high if gs else None
        details["largest_generosity"] = None if top is None else number(top)
        details["largest_generosity_exact"] = None if top is None else exact_string(top)
        symbols = _two_by_two_symbols(ctx, defect) if two_by_two else None
        if symbols is not None and ctx.discount_sym is not None and top is not None:
            dsym = ctx.discount_sym
            per = [sympy.Min(1 - (f["T"] - f["R"]) / (dsym * (f["T"] - f["P"])),
                             1 - (f["T"] - f["R"]) / (dsym * (f["R"] - f["S"]))) for f in symbols]
            if all(is_zero(e - per[0]) for e in per) and simplify_symbolic(per[0], ctx.game, top) is not None:
                f = symbols[0]
                parts = [expression_text(x, ctx.game) for x in (f["T"] - f["R"], dsym, f["T"] - f["P"], f["R"] - f["S"])]
                num = parts[0] if len(parts[0]) == 1 else f"({parts[0]})"
                details["largest_generosity_expression"] = f"1 - {num}/({parts[1]}*min({parts[2]}, {parts[3]}))"
    notes.append(
        "Nash: against a reactive opponent the deviator faces a Markov decision problem whose state is its own "
        "last move; a stationary deterministic policy is optimal (Blackwell 1965), and the eight policies give "
        "the condition exactly. SPE (one-shot deviation principle) needs indifference after every defection "
        "when 0 < g < 1: a knife edge"
    )
    return StrategyThreshold(
        name="generous-tft",
        description=(
            f"Cooperates first and after the opponent's cooperation; after a defection cooperates with "
            f"probability g = {gtext} (generous tit-for-tat, the reactive strategy (1, 1, g))."
        ),
        source=STRATEGY_SOURCES["generous-tft"],
        target=ctx.target.profile,
        critical=critical,
        expression=expr,
        expression_text=text,
        condition=condition,
        nash_region=regions.nash,
        spe_region=regions.subgame_perfect,
        discount=ctx.discount,
        punishment={
            "kind": "reactive: defect after a defection with probability 1 - g",
            "actions": {p: ctx.game.strategies[i][defect[i]] for i, p in enumerate(ctx.game.players)},
        },
        details=details,
        notes=notes,
    )


def _two_by_two_exact(ctx: Context, payoffs: automata.ActionPayoffs) -> list[dict[str, Any]]:
    out = []
    for i in range(2):
        pres = payoffs.prescribed[i]
        out.append(
            {
                "R": Fraction(pres[0][0]),
                "S": Fraction(pres[0][1]),
                "T": Fraction(payoffs.best[i][1][0]),
                "P": Fraction(pres[1][1]),
            }
        )
    return out


def _knife_edge(forms: list[dict[str, Any]]) -> str | None:
    """``(T - R)/(R - S) = 2/3 and (P - S)/(T - P) = 1/4`` for each player (once if they agree)."""
    texts = []
    for s in forms:
        try:
            a = (s["T"] - s["R"]) / (s["R"] - s["S"])
            b = (s["P"] - s["S"]) / (s["T"] - s["P"])
        except ZeroDivisionError:
            return None
        texts.append(f"{a} and {b}")
    return texts[0] if len(set(texts)) == 1 else "; ".join(texts)


# ---------------------------------------------------------------------------


def critical_discounts(
    game: Any,
    target: Sequence[int],
    equilibria: Sequence[Any],
    punishment_rounds: Sequence[int] = (1, 2, 3),
    defect: Sequence[int] | None = None,
    generosity: Any = DEFAULT_GENEROSITY,
    symbolic: bool = True,
) -> list[StrategyThreshold]:
    """Every strategy's threshold for one target profile (see the module docstring).

    ``generosity``: the forgiveness probability g of generous tit-for-tat
    (None leaves it out).  ``symbolic=False`` skips the formulas in the
    parameters (the exact values and regions are the same; much faster).
    """
    ctx = make_context(game, target, equilibria, symbolic)
    out: list[StrategyThreshold] = []
    if not ctx.stages:
        return out
    out.append(grim(ctx))
    if len({st.payoffs for st in ctx.stages}) > 1:
        out.append(nash_reversion(ctx))
    for k in punishment_rounds:
        out.append(limited_punishment(ctx, int(k)))
    if ctx.detection is not None:
        out.append(grim_after_detection(ctx))
    rational = all(is_fraction(v) for v in game.payoffs.flat)
    if game.n_players == 2 and rational:
        defect = tuple(defect) if defect is not None else defect_actions(game, ctx.target)
        for name in ("tit-for-tat", "win-stay-lose-shift", "tit-for-two-tats"):
            out.append(automaton_strategy(ctx, name, defect))
        if generosity is not None:
            out.append(generous_tft(ctx, defect, generosity))
    for entry in out:
        entry.horizon = ctx.horizon
    return out


def defect_actions(game: Any, target: Target) -> tuple[int, ...]:
    """Each player's "defect" action: its best deviation from the target (see strategies)."""
    return tuple(d if d is not None else t for d, t in zip(target.deviation, target.profile))


__all__ = [
    "Target",
    "StrategyThreshold",
    "target_of",
    "welfare_targets",
    "parse_target",
    "critical_discounts",
    "defect_actions",
    "make_context",
    "grim",
    "nash_reversion",
    "limited_punishment",
    "grim_after_detection",
    "automaton_strategy",
    "generous_tft",
    "generosity_symbol",
    "DEFAULT_GENEROSITY",
    "exact_string",
    "interval_dict",
]
