"""Critical discount factors of trigger and reciprocity strategies, exact and symbolic.

For a target pure profile a* (by default the welfare-maximising pure profile
that is not a stage equilibrium), write for each player i

* ``v_i = u_i(a*)``, the target payoff;
* ``d_i = max_{a_i != a*_i} u_i(a_i, a*_-i)``, the best one-shot deviation;
* ``e_i``, the payoff of the stage Nash equilibrium used to punish i.

Trigger strategies punish any deviation with stage equilibria, so each
player's best deviation is the best one-shot one, at once, and its condition
is ``v_i (1 + delta + ... + delta^k) >= d_i + e_i (delta + ... + delta^k)``
for a punishment of k rounds (k infinite for grim): a lower bound on delta
when ``e_i < v_i``, an *upper* bound when the punishment pays the player more
than the target (``e_i > v_i``; never if also ``d_i > v_i``).  Every player
counts, also one who gains nothing by deviating.  The exact region of delta
is the intersection of the players' intervals (:mod:`.regions`): an interval,
possibly empty or bounded above.  ``critical`` is its lowest point when it
reaches up to 1 (the delta from which the strategy is an equilibrium for
every larger delta), None otherwise; the verdicts follow the region.

* **grim** (Friedman 1971): everyone reverts for ever to one stage
  equilibrium e after any deviation; an equilibrium (Nash and subgame
  perfect alike) iff ``v_i >= (1 - delta) d_i + delta e_i`` for all i, i.e.
  ``delta >= max_i (d_i - v_i)/(d_i - e_i)`` when every ``e_i < v_i``.
  Every stage equilibrium is tried as the common punishment and the one
  whose region is largest (then: reaching up to 1, then starting lowest) is
  used.  For the symmetric Prisoner's Dilemma this is ``(T - R)/(T - P)``.
* **nash-reversion**: the deviator is punished with the stage equilibrium
  worst for it (player-specific Nash reversion): the same condition with
  ``e_i = min over stage equilibria of u_i``, whose region contains every
  common reversion's.  Listed when the stage game has more than one
  equilibrium payoff (otherwise it is grim).
* **limited-punishment** for k rounds (Fudenberg & Tirole 1991, sec. 5.1.2;
  the forgiving trigger): the deviator's worst stage equilibrium is played k
  rounds, then cooperation resumes; ``(v_i - e_i)(delta + ... + delta^k) >=
  d_i - v_i`` for all i, i.e. ``delta + ... + delta^k >= (d_i - v_i)/(v_i -
  e_i)`` when ``e_i < v_i``, whose root is given exactly when rational or a
  quadratic surd, numerically otherwise.
* **grim-after-detection** (imperfect monitoring: a violation is detected
  with probability pi; Downs, Rocke & Siverson 1985; Wittman 1989; the
  trigger logic of Green & Porter 1984): cooperate until a violation is
  detected, then revert for ever; ``(1 - delta)(v_i - d_i) + delta pi (v_i -
  e_i) >= 0``, i.e. ``delta >= (d_i - v_i)/((d_i - v_i) + pi (v_i - e_i))``
  when ``e_i < v_i``, ``(T - R)/((T - R) + pi (R - P))`` in the PD.  Also the
  detection probabilities that work at the file's discount factor, from
  ``pi >= (1 - delta)(d_i - v_i)/(delta (v_i - e_i))`` (an upper bound when
  ``e_i > v_i``).
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
from . import regions as regions_mod
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
        critical: the critical discount factor delta*: the lowest delta from
            which the target path is a Nash equilibrium outcome of these
            strategies for every larger delta (exact: Fraction or sympy
            number), i.e. the start of the last interval of ``nash_region``
            when that interval reaches up to 1.  None when the region is
            empty or bounded above (an equilibrium only for some delta away
            from 1: see ``nash_region``); then there is no such threshold.
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
    minmax: Sequence[Any] | None = None  # each player's minmax value (a lower bound), to explain "never"

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


def sympy_zero() -> Any:
    import sympy

    return sympy.Integer(0)


def _worst_stage_for(ctx: Context, i: int) -> Stage:
    best = ctx.stages[0]
    for st in ctx.stages[1:]:
        if compare(st.payoffs[i], best.payoffs[i]) < 0:
            best = st
    return best


def _num_text(x: Any) -> str:
    return regions_mod.number_text(x)


# ---------------------------------------------------------------------------
# trigger strategies: one deterrence condition per player (see :mod:`.regions`)


@dataclass
class Requirement:
    """Player i's deterrence condition ``a + b g_k(delta) >= 0`` and the discount factors where it holds.

    ``a = v - d`` (minus the gain from the best one-shot deviation), ``b = v -
    e`` (the loss in a round of punishment; times pi under imperfect
    monitoring).  ``kind``: ``all``, ``none``, ``lower``, ``upper`` or
    ``zero`` (see :func:`.regions.deterrence`); ``bound`` the discount factor
    at the boundary, ``ratio`` the value of ``g_k`` there; ``expr`` and
    ``ratio_expr`` the same as expressions of the parameters (or None).
    """

    player: int
    v: Any
    d: Any
    e: Any
    a: Any
    b: Any
    region: list[automata.Interval]
    kind: str
    ratio: Any
    bound: Any
    expr: Any = None
    ratio_expr: Any = None
    label: str = ""  # the punishing stage equilibrium


def _requirements(ctx: Context, punish: Sequence[Stage], k: int | None, detection: Any = None) -> list[Requirement]:
    """Every player's condition (players with a deviation; with or without a gain from it)."""
    out = []
    for i in range(ctx.game.n_players):
        if ctx.target.deviation[i] is None:
            continue
        if detection is None:
            d, v, e = arith(ctx.target.deviation_payoff[i], ctx.target.payoffs[i], punish[i].payoffs[i])
            b = v - e
        else:
            d, v, e, p = arith(ctx.target.deviation_payoff[i], ctx.target.payoffs[i], punish[i].payoffs[i], detection)
            b = p * (v - e)
        a = v - d
        region, kind, ratio, bound = regions_mod.deterrence(a, b, k)
        req = Requirement(i, v, d, e, a, b, region, kind, ratio, bound, label=punish[i].label)
        if ctx.sym is not None and kind != "all" and compare(b, 0) != 0:
            req.expr, req.ratio_expr = _requirement_expressions(ctx, punish, i, k, detection is not None)
        out.append(req)
    return out


def _requirement_expressions(ctx: Context, punish: Sequence[Stage], i: int, k: int | None,
                             detected: bool) -> tuple[Any, Any]:
    """The boundary of player i's condition (and the ratio -a/b) as expressions of the parameters."""
    import sympy

    sd, sv = ctx.sym_deviation(i), ctx.sym_target(i)
    se = punish[i].symbolic[i] if punish[i].symbolic is not None else None
    sp = ctx.detection_sym if detected else sympy.Integer(1)
    if None in (sd, sv, se, sp):
        return None, None
    try:
        ratio = (sd - sv) / (sp * (sv - se))
        if k is None:
            bound = (sd - sv) / ((sd - sv) + sp * (sv - se))
        elif k == 1:
            bound = ratio
        elif k == 2:
            bound = (sympy.sqrt(1 + 4 * ratio) - 1) / 2
        else:
            bound = None
    except (ZeroDivisionError, TypeError, ValueError):  # pragma: no cover - sympy gives zoo rather than raising
        return None, None
    if any(x is not None and x.has(sympy.zoo, sympy.nan) for x in (ratio, bound)):
        return None, None
    return bound, ratio


def _minmax_reason(ctx: Context) -> str | None:
    """``the target pays Blue -1, below its minmax value 0: ...`` when some player gets less than its minmax."""
    if ctx.minmax is None:
        return None
    for i, m in enumerate(ctx.minmax):
        v = ctx.target.payoffs[i]
        if m is None:
            continue
        if isinstance(m, float) or isinstance(v, float):
            if not float(v) < float(m) - 1e-9:
                continue
        elif compare(v, m) >= 0:
            continue
        return (
            f"the target pays {ctx.game.players[i]} {_num_text(v)}, below its minmax value {_num_text(m)} "
            "(what it can get by best-responding every round), so no punishment can sustain it"
        )
    return None


def _requirement_reason(ctx: Context, r: Requirement, k: int | None, detection: Any) -> str:
    """Why one player's condition never holds (``kind == "none"``)."""
    who = ctx.game.players[r.player]
    gain = _num_text(r.d - r.v)
    if detection is not None and compare(detection, 0) == 0:
        return f"a violation is never detected (pi = 0) and deviating gains {who} {gain}"
    c = compare(r.e, r.v)
    if c > 0:
        return (
            f"the punishment {r.label} pays {who} {_num_text(r.e)}, more than its target {_num_text(r.v)}, and "
            f"deviating gains it {gain}"
        )
    if c == 0:
        return f"the punishment {r.label} pays {who} {_num_text(r.e)}, as much as its target, and deviating gains it {gain}"
    # the punishment hurts, but k rounds of it are worth less than the gain: g_k(delta) < k <= the ratio
    lhs = regions_mod.g_text(k)
    text = _ratio_text(ctx, r)
    value = _num_text(r.ratio)
    need = f"needs {lhs} >= {text}" + (f" = {value}" if text != value else "")
    cost = _num_text(r.v - r.e)
    if k == 1:
        return f"{need} ({who} gains {gain} by deviating; a round of punishment costs it {cost})"
    return f"{need}, but {lhs} < {k} ({who} gains {gain} by deviating; a round of punishment costs it {cost})"


def _ratio_text(ctx: Context, r: Requirement) -> str:
    """The binding ratio (d - v)/(v - e) in the file's parameters, or as a number."""
    if ctx.game.parameters and r.ratio_expr is not None:
        expr = simplify_symbolic(r.ratio_expr, ctx.game, r.ratio)
        if expr is not None:
            return expression_text(expr, ctx.game)
    return _num_text(r.ratio)


def _never_reason(ctx: Context, reqs: list[Requirement], k: int | None, detection: Any) -> str:
    why = _minmax_reason(ctx)
    if why is not None:
        return why
    for r in reqs:
        if r.kind == "none":
            return _requirement_reason(ctx, r, k, detection)
    # every player's condition holds somewhere, but not at the same discount factors
    lower = [r for r in reqs if r.kind == "lower"]
    upper = [r for r in reqs if r.kind in ("upper", "zero")]
    if lower and upper:
        lo = max(lower, key=lambda r: float(r.bound))
        hi = min(upper, key=lambda r: float(r.bound))
        return (
            f"{ctx.game.players[lo.player]} needs {regions_mod.region_text(lo.region)}, "
            f"{ctx.game.players[hi.player]} {regions_mod.region_text(hi.region)} ({_upper_reason(ctx, hi)})"
        )
    parts = [f"{ctx.game.players[r.player]}: {regions_mod.region_text(r.region)}" for r in reqs if r.kind != "all"]
    return "the players' conditions do not overlap (" + "; ".join(parts) + ")"  # pragma: no cover


def _upper_reason(ctx: Context, r: Requirement) -> str:
    """Why a player's condition is bounded above: the punishment pays it more than the target."""
    who = ctx.game.players[r.player]
    gain = r.d - r.v
    cost = "nothing" if compare(gain, 0) == 0 else _num_text(-gain)
    return (
        f"the punishment {r.label} pays {who} {_num_text(r.e)}, more than its target {_num_text(r.v)}, and "
        f"deviating costs it {cost}"
    )


def _binding_upper(reqs: list[Requirement], region: list[automata.Interval]) -> Requirement:
    """The player whose upper bound ends the region."""
    top = region[-1].high
    uppers = [r for r in reqs if r.kind in ("upper", "zero")]
    return next((r for r in uppers if compare(r.bound, top) == 0), min(uppers, key=lambda r: float(r.bound)))


def _trigger_condition(ctx: Context, reqs: list[Requirement], region: list[automata.Interval], critical: Any,
                       expr: Any, k: int | None, detection: Any = None) -> str:
    """The condition in words, consistent with the region (and so with the verdict)."""
    if not region:
        return "never: " + _never_reason(ctx, reqs, k, detection)
    if critical is not None and len(region) == 1:
        if compare(critical, 0) == 0:
            return "every delta (no deviation pays)"
        if k is not None and k > 1:  # delta + ... + delta^k >= the binding player's ratio
            binding = [r for r in reqs if r.kind == "lower" and compare(r.bound, critical) == 0]
            return f"{regions_mod.g_text(k)} >= {_ratio_text(ctx, binding[0])}"
        text = expression_text(expr, ctx.game) if expr is not None and ctx.game.parameters else None
        return f"delta >= {text or _num_text(critical)}"
    return regions_mod.region_text(region) + " only: " + _upper_reason(ctx, _binding_upper(reqs, region))


@dataclass
class _Trigger:
    reqs: list[Requirement]
    region: list[automata.Interval]
    critical: Any
    expr: Any
    notes: list[str]


def _evaluate_trigger(ctx: Context, punish: Sequence[Stage], k: int | None, detection: Any = None) -> _Trigger:
    reqs = _requirements(ctx, punish, k, detection)
    region = regions_mod.intersect([r.region for r in reqs])
    critical = automata.lowest(region)
    expr, notes = None, []
    if critical is not None and ctx.sym is not None:
        per = []
        for r in reqs:
            if r.kind == "lower":
                per.append((r.bound, r.expr))
            else:  # every delta: no lower bound
                per.append((Fraction(0), sympy_zero()))
        expr, notes = _combine(ctx.game, per, critical)
    return _Trigger(reqs, region, critical, expr, notes)


def _trigger_threshold(
    ctx: Context,
    name: str,
    description: str,
    result: _Trigger,
    condition: str,
    punishment: Any,
    notes: list[str],
    details: dict | None = None,
) -> StrategyThreshold:
    """A trigger strategy's entry: Nash and subgame perfect alike (the punishment is a stage equilibrium)."""
    expr = result.expr if result.critical is not None else None
    return StrategyThreshold(
        name=name,
        description=description,
        source=STRATEGY_SOURCES[name],
        target=ctx.target.profile,
        critical=result.critical,
        expression=expr,
        expression_text=expression_text(expr, ctx.game) if expr is not None else None,
        condition=condition,
        nash_region=result.region,
        spe_region=list(result.region),
        discount=ctx.discount,
        punishment=punishment,
        details=details if details is not None else {},
        notes=notes,
    )


def _requirement_notes(ctx: Context, result: _Trigger) -> list[str]:
    """One line per player: what it needs, when that is not a plain lower bound."""
    if all(r.kind in ("lower", "all") for r in result.reqs):
        return []
    return ["per player: " + "; ".join(
        f"{ctx.game.players[r.player]} {regions_mod.region_text(r.region)}" for r in result.reqs
    )]


def _stage_key(result: _Trigger, st: Stage) -> tuple:
    """Sort key of a common punishment: most discount factors first, then the lowest threshold."""
    region = result.region
    return (
        -regions_mod.measure(region),
        not regions_mod.reaches_one(region),
        not region,
        float(region[0].low) if region else 2.0,
        st.index,
    )


def grim(ctx: Context) -> StrategyThreshold:
    """Common Nash reversion: everyone plays one stage equilibrium for ever after a deviation.

    Every stage equilibrium is tried as the common punishment; the one whose
    region of delta is largest (then: reaching up to 1, then starting lowest)
    is reported.
    """
    n = ctx.game.n_players
    tried = [(st, _evaluate_trigger(ctx, [st] * n, None)) for st in ctx.stages]
    tried.sort(key=lambda pair: _stage_key(pair[1], pair[0]))
    st, result = tried[0]
    notes = list(result.notes)
    if not result.region:
        if len(tried) == 1:
            condition = "never: " + _never_reason(ctx, result.reqs, None, None)
        else:
            why = _minmax_reason(ctx)
            if why is None:
                why = "with every stage equilibrium as the common punishment some player prefers to deviate (" + \
                    "; ".join(f"#{s.index} {s.label}: {_never_reason(ctx, r.reqs, None, None)}" for s, r in
                              sorted(tried, key=lambda pair: pair[0].index)) + ")"
            condition = "never: " + why
        punishment = {"kind": "stage equilibrium (common)", "equilibrium": None}
    else:
        condition = _trigger_condition(ctx, result.reqs, result.region, result.critical, result.expr, None)
        punishment = {
            "kind": "stage equilibrium (common)",
            "equilibrium": st.index,
            "profile": st.label,
            "payoffs": {p: number(x) for p, x in zip(ctx.game.players, st.payoffs)},
        }
        if len(ctx.stages) > 1:
            notes.append(
                f"reverts to the stage equilibrium {st.label}, the common punishment that sustains the target "
                "for the most discount factors"
            )
            for other, r in tried[1:]:
                if r.region and regions_mod.intersect([r.region, result.region]) != r.region:
                    notes.append(
                        f"with #{other.index} {other.label} as the common punishment: "
                        f"{regions_mod.region_text(r.region)}"
                    )
        notes += _requirement_notes(ctx, result)
    return _trigger_threshold(
        ctx,
        "grim",
        "Play the target until anyone deviates, then a stage Nash equilibrium for ever.",
        result,
        condition,
        punishment,
        notes,
    )


def nash_reversion(ctx: Context) -> StrategyThreshold:
    """Player-specific Nash reversion: the deviator's worst stage equilibrium for ever."""
    punish = [_worst_stage_for(ctx, i) for i in range(ctx.game.n_players)]
    result = _evaluate_trigger(ctx, punish, None)
    condition = _trigger_condition(ctx, result.reqs, result.region, result.critical, result.expr, None)
    return _trigger_threshold(
        ctx,
        "nash-reversion",
        "Play the target; after a deviation play the stage equilibrium worst for the deviator for ever.",
        result,
        condition,
        _punishment_dict(ctx, punish),
        result.notes + _requirement_notes(ctx, result),
    )


def _punishment_dict(ctx: Context, punish: Sequence[Stage]) -> dict:
    return {
        "kind": "stage equilibrium worst for the deviator",
        "equilibria": {p: st.index for p, st in zip(ctx.game.players, punish)},
        "profiles": {p: st.label for p, st in zip(ctx.game.players, punish)},
        "payoffs": {p: number(st.payoffs[i]) for i, (p, st) in enumerate(zip(ctx.game.players, punish))},
    }


def limited_punishment(ctx: Context, k: int) -> StrategyThreshold:
    """Punish the deviator with its worst stage equilibrium for k rounds, then forgive."""
    punish = [_worst_stage_for(ctx, i) for i in range(ctx.game.n_players)]
    result = _evaluate_trigger(ctx, punish, k)
    notes = list(result.notes) + _requirement_notes(ctx, result)
    lhs = regions_mod.g_text(k)
    condition = _trigger_condition(ctx, result.reqs, result.region, result.critical, result.expr, k)
    if result.critical is not None and exact_string(result.critical) is None:
        notes.append(
            f"the critical discount factor is the root in (0, 1) of {lhs} = (the binding player's gain from "
            "deviating)/(its loss in a round of punishment); it is irrational and not a quadratic surd, so it is "
            "given numerically"
        )
    return _trigger_threshold(
        ctx,
        "limited-punishment",
        (
            f"Play the target; after a deviation play the deviator's worst stage equilibrium for {k} "
            f"round{'s' if k > 1 else ''}, then return to the target."
        ),
        result,
        condition,
        _punishment_dict(ctx, punish),
        notes,
        details={"rounds": k},
    )


def grim_after_detection(ctx: Context) -> StrategyThreshold:
    """Imperfect monitoring: a violation is detected with probability pi; then reversion for ever."""
    pi = ctx.detection
    punish = [_worst_stage_for(ctx, i) for i in range(ctx.game.n_players)]
    result = _evaluate_trigger(ctx, punish, None, detection=pi)
    notes: list[str] = [
        "perfect public monitoring of the punishment phase; no false alarms: without a violation "
        "nothing is detected (Downs, Rocke & Siverson 1985)"
    ]
    notes += result.notes + _requirement_notes(ctx, result)
    details: dict[str, Any] = {"detection": number(pi), "detection_exact": exact_string(pi)}
    delta = ctx.discount
    terms = _detection_terms(ctx, punish)
    if delta is not None and compare(delta, 0) >= 0 and compare(delta, 1) < 0:
        region = detection_probability_region(terms, delta)
        details["detection_region"] = regions_mod.region_text(region, "pi", closed_top=True)
        crit = region[0].low if region and compare(region[-1].high, 1) == 0 else None
        if crit is not None:
            details["critical_detection"] = number(crit)
            details["critical_detection_exact"] = exact_string(crit)
            details["critical_detection_expression"] = (
                _critical_detection_expression(ctx, punish, crit) if ctx.sym is not None else None
            )
        else:
            details["critical_detection"] = None
            details["critical_detection_exact"] = None
            details["critical_detection_expression"] = None
    condition = _trigger_condition(ctx, result.reqs, result.region, result.critical, result.expr, None,
                                   detection=pi)
    entry = _trigger_threshold(
        ctx,
        "grim-after-detection",
        (
            "Play the target until a violation is detected (probability pi per violation), then the "
            "deviator's worst stage equilibrium for ever."
        ),
        result,
        condition,
        _punishment_dict(ctx, punish),
        notes,
        details=details,
    )
    entry.detection_terms = terms
    return entry


def _critical_detection_expression(ctx: Context, punish: Sequence[Stage], crit: Any) -> str | None:
    """``(1 - delta)*(T - R)/(delta*(R - P))``: the binding player's least detection probability."""
    sdelta = ctx.discount_sym
    if sdelta is None or compare(crit, 0) == 0:
        return None
    delta = ctx.discount
    for i, (gain, loss) in zip(_deviators(ctx), _detection_terms(ctx, punish)):
        if compare(loss, 0) <= 0 or compare(delta, 0) <= 0:
            continue
        dd = arith(delta, gain)[0]
        if compare((1 - dd) * gain / (dd * loss), crit) != 0:
            continue
        sd, sv = ctx.sym_deviation(i), ctx.sym_target(i)
        se = punish[i].symbolic[i] if punish[i].symbolic is not None else None
        if None in (sd, sv, se):
            return None
        expr = simplify_symbolic((1 - sdelta) * (sd - sv) / (sdelta * (sv - se)), ctx.game, crit)
        return expression_text(expr, ctx.game)
    return None


def _deviators(ctx: Context) -> list[int]:
    return [i for i in range(ctx.game.n_players) if ctx.target.deviation[i] is not None]


def _detection_terms(ctx: Context, punish: Sequence[Stage]) -> list[tuple[Any, Any]]:
    """Per player with a deviation, (gain d - v, loss v - e): either may be zero or negative.

    Player i's condition at discount factor delta and detection probability pi
    is ``(1 - delta)(v - d) + delta pi (v - e) >= 0`` (:func:`detection_region`,
    :func:`detection_probability_region`): what a sweep over pi evaluates at
    every grid point.
    """
    out = []
    for i in _deviators(ctx):
        d, v, e = arith(ctx.target.deviation_payoff[i], ctx.target.payoffs[i], punish[i].payoffs[i])
        out.append((d - v, v - e))
    return out


def detection_region(terms: Sequence[tuple[Any, Any]], pi: Any) -> list[automata.Interval]:
    """The discount factors in [0, 1) at which grim after detection sustains the target, at detection pi."""
    parts = []
    for gain, loss in terms:
        a, b, p = arith(-gain, loss, pi)
        parts.append(regions_mod.deterrence(a, p * b, None)[0])
    return regions_mod.intersect(parts)


def detection_probability_region(terms: Sequence[tuple[Any, Any]], delta: Any) -> list[automata.Interval]:
    """The detection probabilities in [0, 1] at which grim after detection sustains the target at ``delta``."""
    parts = []
    for gain, loss in terms:
        gn, ls, dd = arith(gain, loss, delta)
        parts.append(regions_mod.linear_unit(-(1 - dd) * gn, dd * ls))
    return regions_mod.intersect(parts) if parts else [automata.Interval(Fraction(0), Fraction(1), True, True)]


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


def payoff_names(ctx: Context, defect: Sequence[int]) -> dict[str, str]:
    """Names for a player's four payoffs in generic formulas: ``T``, ``R``, ``P``, ``S``, unless they clash.

    T = u(D, C), R = u(C, C), P = u(D, D), S = u(C, D) (own move first).  When
    the file has a parameter or defined name T, R, P or S that is not that
    payoff for both players, the formulas use ``u(D,C)`` and so on instead
    (which no parameter can be called).
    """
    words = {"T": "u(D,C)", "R": "u(C,C)", "P": "u(D,D)", "S": "u(C,D)"}
    game = ctx.game
    taken = set(game.parameters) | set(getattr(game, "define", {}) or {})
    clash = [x for x in words if x in taken]
    if not clash:
        return {x: x for x in words}
    try:
        from .. import expressions as ex

        symbols = _two_by_two_symbols(ctx, defect)
        if symbols is not None and all(
            is_zero(symbolic(game, ex.Name(x)) - symbols[i][x]) for x in clash for i in range(2)
        ):
            return {x: x for x in words}
    except Exception:  # noqa: BLE001 - symbolic checks are optional: fall back to the unambiguous names
        pass
    return words


def _named(template: str, names: dict[str, str]) -> str:
    """``(T - R)/(R - S)`` with the payoff names of :func:`payoff_names` (T, R, P, S are placeholders)."""
    import re

    return re.sub(r"\b[TRPS]\b", lambda m: names[m.group(0)], template)


def _closed_form_expression(ctx: Context, defect: Sequence[int], forms: Any, exact_forms: list[dict[str, Any]],
                            critical: Any, extra: dict | None = None) -> tuple[Any, list[str]]:
    """The symbolic Nash threshold from a 2x2 closed form, when it equals the exact critical value.

    ``forms(t, r, p, s) -> list`` gives the candidates (their maximum is the
    threshold).  A zero payoff difference in a denominator (T = P, R = S, ...)
    leaves the closed form undefined: no expression (the region is exact all
    the same).
    """
    import sympy

    try:
        per_exact = [exact_max(forms(f["T"], f["R"], f["P"], f["S"])) for f in exact_forms]
    except ZeroDivisionError:
        return None, ["the 2x2 closed form is not defined here (a payoff difference in a denominator is zero, "
                      "e.g. T = P or R = S); the region is exact"]
    value = exact_max(per_exact)
    if compare(value, critical) != 0:
        return None, ["the 2x2 closed form does not apply to these payoffs; the region is exact"]
    symbols = _two_by_two_symbols(ctx, defect)
    if symbols is None:
        return None, []
    try:
        per = []
        for f_exact, f in zip(per_exact, symbols):
            cands = forms(f["T"], f["R"], f["P"], f["S"])
            if any(sympy.sympify(c).has(sympy.zoo, sympy.nan) for c in cands):
                return None, []
            per.append((f_exact, cands[0] if len(cands) == 1 else sympy.Max(*cands)))
        return _combine(ctx.game, per, value, extra)
    except (ZeroDivisionError, TypeError, ValueError):
        return None, []


def _region_condition(ctx: Context, region: list[automata.Interval], critical: Any, text: str | None) -> str:
    """The Nash condition in words, consistent with the region: ``delta >= ...``, ``delta <= ...``, ``never``."""
    if not region:
        why = _minmax_reason(ctx)
        return "never a Nash equilibrium" + (f": {why}" if why else "")
    if critical is not None and len(region) == 1:
        if text is not None and ctx.game.parameters:
            return f"delta >= {text}"
        return f"delta >= {_num_text(critical)}"
    return "Nash only for " + regions_mod.region_text(region)


def automaton_strategy(ctx: Context, name: str, defect: Sequence[int]) -> StrategyThreshold:
    """Both players use the named automaton strategy; exact regions, closed-form expressions when they hold."""
    from . import strategies

    machine = strategies.REGISTRY[name].automaton()
    payoffs = automata.action_payoffs(ctx.game, ctx.target.profile, defect)
    regions = automata.equilibrium_regions(payoffs, machine)
    critical = automata.lowest(regions.nash)
    notes: list[str] = []
    expr = None
    exact_forms = _two_by_two_exact(ctx, payoffs)
    names = payoff_names(ctx, defect) if ctx.symbolic else {x: x for x in "TRPS"}
    if critical is not None and name in ("tit-for-tat", "win-stay-lose-shift"):
        def forms(t: Any, r: Any, p: Any, q: Any) -> list:
            return _closed_forms(name, {"T": t, "R": r, "P": p, "S": q})[0]

        expr, more = _closed_form_expression(ctx, defect, forms, exact_forms, critical)
        notes += [_named(n, names) for n in more]
    details: dict[str, Any] = {}
    if name == "tit-for-tat":
        notes.append(_named(
            "one-shot deviation principle: in the state after a lone defection the alternating path must be "
            "worth as much as restoring cooperation (delta <= (T - R)/(R - S)) and cooperating must not pay "
            "(delta >= (T - R)/(R - S)); after mutual defection, delta = (P - S)/(T - P) likewise: so "
            "tit-for-tat is subgame perfect only at delta = (T - R)/(R - S) = (P - S)/(T - P) "
            "(Kalai, Samet & Stanford 1988)", names))
        spe_value = _knife_edge(exact_forms)
        if spe_value is not None:
            notes.append(_named(f"here (T - R)/(R - S) and (P - S)/(T - P) are {spe_value}", names))
        else:
            notes.append(_named("here (T - R)/(R - S) or (P - S)/(T - P) is not defined (a zero denominator); the "
                                "regions are exact", names))
        details["subgame_perfect_condition"] = _named("only where (T - R)/(R - S) = (P - S)/(T - P) = delta", names)
        if names["T"] != "T":
            details["subgame_perfect_condition"] += "; u(X,Y) is a player's payoff when it plays X and the other Y"
    if name == "tit-for-two-tats" and not regions.nash:
        notes.append("never a Nash equilibrium when T > R: defecting every other round is never punished")
    text = expression_text(expr, ctx.game)
    condition = _region_condition(ctx, regions.nash, critical, text)
    if regions.nash and (critical is None or len(regions.nash) > 1):
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
        details=details,
        notes=notes,
    )


# ---------------------------------------------------------------------------
# generous tit-for-tat (a reactive strategy, two players)


RESERVED_NAMES = {"delta", "pi", "min", "max", "sqrt", "exp", "log", "u", "T", "R", "P", "S"}


def generosity_symbol(game: Any) -> Any:
    """The sympy symbol for the forgiveness probability: ``g``, or another name if the file uses ``g``.

    Never a parameter or defined name of the file, nor a name the formulas use
    otherwise (delta, pi, T, R, P, S, functions).
    """
    import sympy

    taken = set(game.parameters) | set(getattr(game, "define", {}) or {}) | RESERVED_NAMES
    for name in ("g", "q", "gamma", "generosity", *(f"g_{k}" for k in range(1, 100))):
        if name not in taken:
            return sympy.Symbol(name, real=True)
    raise GameError("no free name for the generosity")  # pragma: no cover - a file with 100+ such names


def _largest_generosity_expression(ctx: Context, defect: Sequence[int], top: Any) -> str | None:
    """``1 - (T - R)/(delta*min(T - P, R - S))`` in the file's parameters, when it holds for both players."""
    import sympy

    symbols = _two_by_two_symbols(ctx, defect)
    dsym = ctx.discount_sym
    if symbols is None or dsym is None:
        return None
    try:
        per = []
        for f in symbols:
            a, b = dsym * (f["T"] - f["P"]), dsym * (f["R"] - f["S"])
            if is_zero(a) or is_zero(b):
                return None
            per.append(sympy.Min(1 - (f["T"] - f["R"]) / a, 1 - (f["T"] - f["R"]) / b))
        if not all(is_zero(e - per[0]) for e in per) or simplify_symbolic(per[0], ctx.game, top) is None:
            return None
        f = symbols[0]
        parts = [expression_text(x, ctx.game) for x in (f["T"] - f["R"], dsym, f["T"] - f["P"], f["R"] - f["S"])]
    except (ZeroDivisionError, TypeError, ValueError):
        return None
    num = parts[0] if len(parts[0]) == 1 else f"({parts[0]})"
    return f"1 - {num}/({parts[1]}*min({parts[2]}, {parts[3]}))"


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
    names = payoff_names(ctx, defect) if ctx.symbolic and two_by_two else {x: x for x in "TRPS"}
    if two_by_two and g < 1 and critical is not None:
        exact_forms = _two_by_two_exact(ctx, automata.action_payoffs(ctx.game, ctx.target.profile, defect))

        def forms(t: Any, r: Any, p: Any, q: Any) -> list:
            gg = g if is_fraction(t) else gsym
            return reactive.generous_closed_form(t, r, p, q, gg)

        expr, more = _closed_form_expression(ctx, defect, forms, exact_forms, critical, extra)
        notes += [_named(n.replace("2x2 closed form", "closed form max((T - R)/((1 - g)(T - P)), "
                                   "(T - R)/((1 - g)(R - S)))").replace("(1 - g)", f"(1 - {gsym})"), names)
                  for n in more]
    text = expression_text(expr, ctx.game, extra) if expr is not None else None
    if expr is not None and not notes:  # both players' formulas agree: the compact form
        f = _two_by_two_symbols(ctx, defect)[0]
        num, a, b = (expression_text(x, ctx.game) for x in (f["T"] - f["R"], f["T"] - f["P"], f["R"] - f["S"]))
        if num != "0":
            num = num if num.replace("_", "").isalnum() else f"({num})"
            text = f"{num}/((1 - {gsym})*min({a}, {b}))"
    gtext = exact_text(g)
    condition = _region_condition(ctx, regions.nash, critical, text)
    if regions.nash and (critical is None or len(regions.nash) > 1):
        notes.append("Nash only for " + ", ".join(iv.text() for iv in regions.nash))
    details: dict[str, Any] = {"generosity": float(g), "generosity_exact": gtext, "generosity_symbol": str(gsym)}
    if ctx.symbolic and ctx.discount is not None and is_fraction(ctx.discount) and 0 < ctx.discount < 1:
        gs = reactive.largest_generosity(players, ctx.discount)
        top = gs[-1].high if gs else None
        details["largest_generosity"] = None if top is None else number(top)
        details["largest_generosity_exact"] = None if top is None else exact_string(top)
        details["generosity_region"] = regions_mod.region_text(gs, str(gsym)) if gs else "never"
        details["generosity_region_from_zero"] = bool(gs) and compare(gs[0].low, 0) == 0
        if two_by_two and top is not None:
            details["largest_generosity_expression"] = _largest_generosity_expression(ctx, defect, top)
    notes.append(
        "Nash: against a reactive opponent the deviator faces a Markov decision problem whose state is its own "
        "last move; a stationary deterministic policy is optimal (Blackwell 1965), and the eight policies give "
        "the condition exactly. SPE (one-shot deviation principle) needs indifference after every defection "
        f"when 0 < {gsym} < 1: a knife edge"
    )
    return StrategyThreshold(
        name="generous-tft",
        description=(
            f"Cooperates first and after the opponent's cooperation; after a defection cooperates with "
            f"probability {gsym} = {gtext} (generous tit-for-tat, the reactive strategy (1, 1, {gsym}))."
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
            "kind": f"reactive: defect after a defection with probability 1 - {gsym}",
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
    minmax: Sequence[Any] | None = None,
) -> list[StrategyThreshold]:
    """Every strategy's threshold for one target profile (see the module docstring).

    ``generosity``: the forgiveness probability g of generous tit-for-tat
    (None leaves it out).  ``symbolic=False`` skips the formulas in the
    parameters (the exact values and regions are the same; much faster).
    ``minmax``: each player's minmax value (or a lower bound on it), used
    only to explain why a target below it is never sustained.
    """
    ctx = make_context(game, target, equilibria, symbolic)
    ctx.minmax = None if minmax is None else tuple(minmax)
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
