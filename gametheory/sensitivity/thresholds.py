"""Exact thresholds: the parameter values where the equilibrium set changes.

For one parameter p of a two-player game, the equilibrium set can change
only where one of finitely many conditions changes sign (the supports of an
equilibrium, and whether it is one, are decided by these signs):

(a) a best-response comparison flips: ``u_i(s, t) - u_i(s', t) = 0``;
(b) for every support pair (I, J) of equal size, solved by Cramer's rule
    (:func:`~gametheory.sensitivity.symbolic.support_system`): a support
    probability reaches 0 (its numerator vanishes: a mixed equilibrium enters
    or leaves the simplex), an outside strategy's slack reaches 0 (a support
    becomes feasible or infeasible), or the system's determinant vanishes.

Each condition is a rational function of p once the other parameters are
replaced by their exact values; the candidate breakpoints are the real roots
of the numerators in the range, found exactly with sympy
(:meth:`sympy.Poly.real_roots`: rationals, surds or ``CRootOf``).  Conditions
that are not polynomial in p (``exp``, ``log``, ``sqrt``, ``min``, ``max``)
are scanned on a fine grid for sign changes, bisected to 1e-12 and
recognised as a rational when one checks exactly.  Then the game is solved
exactly at every candidate and at a simple rational inside every interval
between candidates (vertex enumeration); a candidate where nothing changes
(the same equilibrium structure on both sides and at the point) is dropped,
the others are the thresholds, each with what happens exactly there (often a
degenerate game with a continuum of equilibria, reported as components).

The expression of a threshold in the other parameters comes from solving the
condition that produced it with those parameters kept symbolic
(:func:`sympy.solve`), choosing the branch equal to the exact value found.
2x2 regimes are named by :func:`~gametheory.sensitivity.classify.classify_2x2`.

N-player games: thresholds of the pure equilibria from the best-response
comparisons, and numerical detection (a scan and bisection with the general
solver) for mixed equilibria when that solver is available.  Repeated games:
when p is the discount factor or the detection probability (or any
parameter of a file with a ``repeated:`` section), the critical values of the
repeated-game strategies (:func:`gametheory.repeated.analyse`) are
thresholds too, where a strategy profile becomes or stops being an
equilibrium.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable

from ..errors import GameError
from .grid import simplest_between
from .structure import PointSolution, describe, solve_point
from .symbolic import expression_text, support_system, sym_number, symbol, symbolic_payoffs, value_map

SYMBOLIC_PAIR_LIMIT = 200  # support pairs solved symbolically; larger games add a numerical scan
SCAN_POINTS = 4001  # grid for sign changes of non-polynomial conditions
BISECT_WIDTH = 1e-12
RATIONAL_DENOMINATOR = 10**6


# ---------------------------------------------------------------------------
# results


@dataclass
class Threshold:
    """A parameter value where the equilibrium set changes.

    ``value`` is exact (Fraction, or a sympy number such as a surd or a
    ``CRootOf``); ``expression`` the same value in the other parameters (a
    sympy expression, or None when it was found numerically);
    ``conditions`` says which comparisons vanish there; ``at`` is the exact
    solution at the threshold; ``below``/``above`` are the structure keys on
    either side.
    """

    value: Any
    expression: Any
    expression_text: str | None
    conditions: list[str]
    at: PointSolution | None
    below: tuple | None
    above: tuple | None
    method: str = "symbolic"
    classification: str | None = None
    repeated: dict | None = None

    @property
    def float_value(self) -> float:
        return float(self.value)

    @property
    def exact(self) -> str | None:
        if isinstance(self.value, Fraction):
            return str(self.value)
        if self.method == "numerical":
            return None
        return str(self.value)


@dataclass
class ThresholdRegime:
    """The open interval between two thresholds, with the equilibria at a point inside."""

    low: Any
    high: Any
    point: Fraction
    solution: PointSolution
    classification: str | None = None
    repeated: dict | None = None

    @property
    def key(self) -> tuple:
        return self.solution.key


@dataclass
class ThresholdResult:
    """:func:`thresholds`' answer; ``to_dict()`` is ``thresholds --format json`` (DESIGN.md section 3)."""

    game: Any
    parameter: str
    low: Fraction
    high: Fraction
    thresholds: list[Threshold]
    regimes: list[ThresholdRegime]
    method: str
    notes: list[str] = field(default_factory=list)

    def values(self) -> list[Any]:
        return [t.value for t in self.thresholds]

    def _repr_html_(self) -> str:
        """Jupyter: the thresholds and the regimes between them."""
        from ..report.notebook import thresholds_html

        return thresholds_html(self)

    def to_dict(self) -> dict:
        from ..solvers._exact import number

        game = self.game
        out: dict[str, Any] = {
            "game": game.title,
            "parameter": self.parameter,
            "range": [number(self.low), number(self.high)],
            "fixed": {k: number(v) for k, v in game.values.items() if k != self.parameter},
            "method": self.method,
        }
        out["thresholds"] = []
        for t in self.thresholds:
            d: dict[str, Any] = {"value": t.float_value, "exact": t.exact, "expression": t.expression_text}
            d["conditions"] = list(t.conditions)
            d["method"] = t.method
            d["below"] = describe(game, t.below) if t.below is not None else None
            d["above"] = describe(game, t.above) if t.above is not None else None
            if t.at is not None:
                at_game = game.with_parameters({self.parameter: t.value})
                d["at"] = _solution_dict(at_game, t.at, t.classification)
            if t.repeated is not None:
                d["repeated"] = t.repeated
            out["thresholds"].append(d)
        out["regimes"] = []
        for r in self.regimes:
            at_game = game.with_parameters({self.parameter: r.point})
            d = {"from": number(r.low), "to": number(r.high), "at": number(r.point)}
            if r.classification is not None:
                d["classification"] = r.classification
            d["structure"] = describe(game, r.key)
            d.update(_solution_dict(at_game, r.solution, None, structure=False))
            if r.repeated is not None:
                d["repeated"] = r.repeated
            out["regimes"].append(d)
        out["notes"] = list(self.notes)
        return out

    def __repr__(self) -> str:
        head = f"<ThresholdResult {self.parameter} in [{self.low}, {self.high}]: "
        vals = ", ".join(f"{t.exact or f'{t.float_value:.12g}'}" + (f" = {t.expression_text}" if t.expression_text else "")
                         for t in self.thresholds)
        return head + (vals or "no threshold") + ">"


def _solution_dict(game: Any, sol: PointSolution, classification: str | None, structure: bool = True) -> dict:
    out: dict[str, Any] = {}
    if structure:
        out["structure"] = describe(game, sol.key)
        if classification is not None:
            out["classification"] = classification
    out["degenerate"] = bool(sol.degenerate)
    out["equilibria"] = [e.to_dict(game) for e in sol.equilibria]
    if sol.degenerate:
        out["components"] = [list(c) for c in sol.components or []]
    if not sol.complete:
        out["complete"] = False
    return out


# ---------------------------------------------------------------------------
# conditions and their roots


@dataclass(frozen=True)
class Condition:
    """A sign condition of the equilibrium structure, described so it can be rebuilt symbolically."""

    kind: str  # "br", "det", "prob", "slack"
    player: int
    data: tuple

    def label(self, game: Any) -> str:
        s = game.strategies
        p = game.players
        if self.kind == "br":
            own1, own2, other = self.data
            return f"{p[self.player]}: {s[self.player][own1]} = {s[self.player][own2]} against {_profile(game, self.player, other)}"
        rows, cols = self.data[0], self.data[1]
        pair = "{" + ", ".join(s[0][r] for r in rows) + "} x {" + ", ".join(s[1][c] for c in cols) + "}"
        if self.kind == "det":
            return f"support {pair}: the indifference system of {p[self.player]} is singular"
        if self.kind == "prob":
            return f"support {pair}: {p[self.player]}'s probability of {s[self.player][self.data[2]]} is 0"
        return f"support {pair}: {p[self.player]}'s {s[self.player][self.data[2]]} is also a best response"


def _profile(game: Any, player: int, other: tuple) -> str:
    names = [game.strategies[j][k] for j, k in zip([j for j in range(game.n_players) if j != player], other)]
    return names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"


def _conditions(game: Any, with_supports: bool) -> list[Condition]:
    import itertools

    out = []
    for i, n_i in enumerate(game.shape):
        others = [range(n) for j, n in enumerate(game.shape) if j != i]
        for s1, s2 in itertools.combinations(range(n_i), 2):
            for other in itertools.product(*others):
                out.append(Condition("br", i, (s1, s2, tuple(other))))
    if with_supports and game.n_players == 2:
        m, n = game.shape
        for k in range(2, min(m, n) + 1):
            for rows in itertools.combinations(range(m), k):
                for cols in itertools.combinations(range(n), k):
                    out.append(Condition("det", 0, (rows, cols)))
                    out.append(Condition("det", 1, (rows, cols)))
                    for r in rows:
                        out.append(Condition("prob", 0, (rows, cols, r)))
                    for c in cols:
                        out.append(Condition("prob", 1, (rows, cols, c)))
                    for r in range(m):
                        if r not in rows:
                            out.append(Condition("slack", 0, (rows, cols, r)))
                    for c in range(n):
                        if c not in cols:
                            out.append(Condition("slack", 1, (rows, cols, c)))
    return out


class _Builder:
    """Builds each condition's expression from one payoff array (univariate or fully symbolic)."""

    def __init__(self, payoffs: Any):
        self.payoffs = payoffs
        self.systems: dict[tuple, Any] = {}

    def system(self, rows: tuple, cols: tuple) -> Any:
        key = (rows, cols)
        if key not in self.systems:
            a, b = self.payoffs
            self.systems[key] = support_system(a, b, rows, cols, simplify=False)
        return self.systems[key]

    def expr(self, cond: Condition) -> Any:
        import sympy

        if cond.kind == "br":
            s1, s2, other = cond.data
            u = self.payoffs[cond.player]
            idx1 = other[: cond.player] + (s1,) + other[cond.player:]
            idx2 = other[: cond.player] + (s2,) + other[cond.player:]
            return u[idx1] - u[idx2]
        rows, cols = cond.data[0], cond.data[1]
        sysm = self.system(rows, cols)
        if cond.kind == "det":
            return sysm.det_y if cond.player == 0 else sysm.det_x
        if cond.kind == "prob":
            which = cond.data[2]
            if cond.player == 0:
                return sysm.numer_x[rows.index(which)]
            return sysm.numer_y[cols.index(which)]
        slacks = sysm.slack_rows if cond.player == 0 else sysm.slack_cols
        value = slacks.get(cond.data[2])
        return sympy.Integer(1) if value is None else _numerator(value)


def _numerator(expr: Any) -> Any:
    """The numerator of a condition, whose roots are the condition's roots.

    Determinants and their bordered numerators are polynomials already; putting
    them over a common denominator (``together``) is the slow part of thresholds
    for larger games, so polynomials are returned as they are.
    """
    import sympy

    expr = sympy.sympify(expr)
    if expr.is_polynomial(*expr.free_symbols):
        return expr
    numer, denom = sympy.fraction(expr)
    if numer.is_polynomial(*numer.free_symbols) and denom.is_polynomial(*denom.free_symbols):
        return numer
    return sympy.fraction(sympy.together(expr))[0]


def _in_range(value: Any, lo: Fraction, hi: Fraction) -> bool:
    return bool(sym_number(lo) <= value) and bool(value <= sym_number(hi))


def _exact_value(value: Any) -> Any:
    """A sympy number as a Fraction when rational."""
    import sympy

    value = sympy.sympify(value)
    if value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    return value


def _roots(expr: Any, p: Any, lo: Fraction, hi: Fraction) -> tuple[list[Any], str]:
    """Real roots in [lo, hi] of a condition's numerator: (exact values, "symbolic" or "numerical")."""
    import sympy

    numer = sympy.expand(_numerator(expr))
    if not numer.has(p):
        return [], "symbolic"
    if numer.is_polynomial(p) and not (numer.free_symbols - {p}):
        poly = sympy.Poly(numer, p)
        if poly.degree() <= 0:
            return [], "symbolic"
        out = []
        for r in set(poly.real_roots()):
            if _in_range(r, lo, hi):
                out.append(_exact_value(r))
        return out, "symbolic"
    return _numeric_roots(numer, p, lo, hi), "numerical"


def _numeric_roots(numer: Any, p: Any, lo: Fraction, hi: Fraction) -> list[Any]:
    """Sign changes on a fine grid, bisected to 1e-12, recognised as rationals when exact."""
    import numpy as np
    import sympy

    f = sympy.lambdify(p, numer, modules="numpy")
    xs = np.linspace(float(lo), float(hi), SCAN_POINTS)
    with np.errstate(all="ignore"):
        ys = np.broadcast_to(np.asarray(f(xs), dtype=float), xs.shape)
    finite = np.isfinite(ys)
    scale = float(np.abs(ys[finite]).max()) if finite.any() else 1.0
    out: list[Any] = []

    def ev(x: float) -> float:
        with np.errstate(all="ignore"):
            return float(f(x))

    for k in range(len(xs)):
        if finite[k] and ys[k] == 0:
            out.append(_recognise(numer, p, float(xs[k])))
    for k in range(len(xs) - 1):
        if not (finite[k] and finite[k + 1]) or ys[k] == 0 or ys[k + 1] == 0 or np.sign(ys[k]) == np.sign(ys[k + 1]):
            continue
        a, b, fa = float(xs[k]), float(xs[k + 1]), float(ys[k])
        while b - a > BISECT_WIDTH * max(1.0, abs(a)):
            mid = 0.5 * (a + b)
            fm = ev(mid)
            if not np.isfinite(fm):
                break
            if np.sign(fm) == np.sign(fa):
                a, fa = mid, fm
            else:
                b = mid
        x = 0.5 * (a + b)
        if abs(ev(x)) <= 1e-8 * max(scale, 1e-300):  # a root, not a pole
            out.append(_recognise(numer, p, x))
    return out


def _recognise(numer: Any, p: Any, x: float) -> Any:
    """The rational the float root ``x`` is, when one checks exactly; else the float as a Fraction."""
    import sympy

    guess = Fraction(x).limit_denominator(RATIONAL_DENOMINATOR)
    try:
        check = sympy.simplify(numer.subs(p, sympy.Rational(guess.numerator, guess.denominator)))
        if check == 0:
            return guess
    except (TypeError, ValueError, ZeroDivisionError):
        pass
    return _Approx(Fraction(x))


class _Approx(Fraction):
    """A threshold located numerically (bisection), not known exactly."""


# ---------------------------------------------------------------------------
# the verification step


def _sort_key(value: Any) -> float:
    return float(value)


def _dedupe(values: list[tuple[Any, Condition | None, str]]) -> list[tuple[Any, list[Condition], str]]:
    """Merge equal candidate values (exactly equal; numerical ones within 1e-12)."""
    import sympy

    out: list[tuple[Any, list[Condition], str]] = []
    for value, cond, method in sorted(values, key=lambda t: _sort_key(t[0])):
        for k, (v, conds, _m) in enumerate(out):
            if abs(float(v) - float(value)) > 1e-9 * max(1.0, abs(float(v))):
                continue
            same = False
            if isinstance(v, _Approx) or isinstance(value, _Approx):
                same = abs(float(v) - float(value)) <= 1e-11 * max(1.0, abs(float(v)))
            elif isinstance(v, Fraction) and isinstance(value, Fraction):
                same = v == value
            else:
                same = sympy.simplify(sym_number(v) - sym_number(value)) == 0
            if same:
                if isinstance(v, _Approx) and not isinstance(value, _Approx):
                    out[k] = (value, conds, method)
                if cond is not None:
                    out[k][1].append(cond)
                break
        else:
            out.append((value, [cond] if cond is not None else [], method))
    return out


def _classify(game: Any) -> str | None:
    from .classify import classify_2x2

    try:
        return classify_2x2(game)
    except Exception:  # noqa: BLE001 - a name is optional (e.g. irrational payoffs)
        return None


def _verify(game: Any, name: str, lo: Fraction, hi: Fraction, candidates: list[tuple[Any, list[Condition], str]],
            state: Callable[[Any], Any]) -> tuple[list[tuple[Any, list[Condition], str, Any, Any, Any]], list[tuple]]:
    """Solve at each candidate and inside each interval; keep candidates where something changes.

    ``state(value)`` gives what must stay the same inside a regime (the
    equilibrium structure, plus the repeated-game status).  Returns the kept
    candidates as (value, conditions, method, state at, state below, state
    above) and the regimes as (low, high, interior point, state there).
    """
    inner = [c for c in candidates if lo < c[0] < hi]
    edges = [lo] + [c[0] for c in inner] + [hi]
    points = [simplest_between(edges[k], edges[k + 1]) for k in range(len(edges) - 1)]
    inside = [state(x) for x in points]
    kept = []
    keep_inner = []
    for k, (value, conds, method) in enumerate(inner):
        at = state(value)
        left, right = inside[k], inside[k + 1]
        change = left.key != right.key or at.key != left.key
        keep_inner.append(change)
        if change:
            kept.append((value, conds, method, at, left, right))
    for value, conds, method in candidates:
        if value == lo or value == hi:
            at = state(value)
            side = inside[0] if value == lo else inside[-1]
            if at.key != side.key:
                kept.append((value, conds, method, at, side if value == hi else None, side if value == lo else None))
    kept.sort(key=lambda t: _sort_key(t[0]))
    regimes = []
    start = 0
    for k in range(len(points)):
        last = k == len(points) - 1 or keep_inner[k]
        if last:
            group = range(start, k + 1)
            best = max(group, key=lambda j: float(edges[j + 1]) - float(edges[j]))
            regimes.append((edges[start], edges[k + 1], points[best], inside[best]))
            start = k + 1
    return kept, regimes


@dataclass
class _State:
    """What is compared along the parameter: the equilibria, and the repeated-game status if any."""

    solution: PointSolution
    repeated: tuple | None = None
    repeated_info: dict | None = None

    @property
    def key(self) -> tuple:
        return (self.solution.key, self.repeated)


# ---------------------------------------------------------------------------
# expressions of the thresholds


def _threshold_expression(game: Any, name: str, value: Any, conds: list[Condition],
                          extra: list[Any] | None = None) -> Any:
    """The threshold in the other parameters: solve a vanishing condition symbolically for ``name``.

    Several conditions can vanish at the same value by coincidence of the current
    parameter values (two different expressions that happen to be equal here).  When the
    candidates differ as expressions, each is tested off the coincidence: the other
    parameters are moved slightly, and a candidate is kept only if the equilibrium set
    still changes where it says (solved exactly on both sides).  The simplest kept
    candidate is the expression.
    """
    import sympy

    p = symbol(name)
    others = value_map(game, exclude=[name])
    builder = _Builder(symbolic_payoffs(game))
    target = sym_number(value)
    exprs = [builder.expr(c) for c in sorted(conds, key=lambda c: (c.kind != "br", c.kind))[:6]]
    exprs += list(extra or [])
    found: list[Any] = []
    for expr in exprs:
        numer = _numerator(expr)
        if not numer.has(p):
            continue
        try:
            sols = sympy.solve(numer, p)
        except (NotImplementedError, ValueError, TypeError):
            continue
        for s in sols:
            if s.has(p):
                continue
            try:
                at = s.subs(others)
                ok = abs(float(at) - float(target)) <= 1e-9 * max(1.0, abs(float(target)))
                if ok and not isinstance(value, _Approx):
                    ok = sympy.simplify(at - target) == 0
            except (TypeError, ValueError, ZeroDivisionError):
                continue
            if ok:
                s = sympy.factor(s) if s.is_rational_function() else s
                if not any(sympy.simplify(s - f) == 0 for f in found):
                    found.append(s)
                break
    if not found:
        return None
    found.sort(key=sympy.count_ops)
    if len(found) > 1 and not extra and game.n_players == 2:
        genuine = [s for s in found if _changes_off_coincidence(game, name, s)]
        if genuine:
            return genuine[0]
    return found[0]


def _changes_off_coincidence(game: Any, name: str, expr: Any) -> bool:
    """Does the equilibrium set still change at ``expr`` when the other parameters move a little?"""
    import sympy

    used = sorted(str(s) for s in expr.free_symbols)
    if not used:
        return True
    moved = {}
    for k, n in enumerate(used):
        v = game.values[n]
        moved[n] = Fraction(v) + Fraction(1, 97 + 10 * k) * max(1, abs(Fraction(v)))
    try:
        at = expr.subs({symbol(n): sym_number(v) for n, v in moved.items()})
        at = sympy.nsimplify(at) if not at.is_Rational else at
        if not at.is_real:
            return False
        point = Fraction(str(at)) if at.is_Rational else Fraction(float(at)).limit_denominator(10**9)
        eps = Fraction(1, 10**6) * max(1, abs(point))
        keys = [solve_point(game.with_parameters({**moved, name: point + d})).key for d in (-eps, eps)]
    except (GameError, TypeError, ValueError, ZeroDivisionError, ArithmeticError):
        return False
    return keys[0] != keys[1]


# ---------------------------------------------------------------------------
# the entry point


def _range(game: Any, name: str, lo: Any, hi: Any) -> tuple[Fraction, Fraction]:
    from ..model.game import _unknown, exact_number

    if name not in game.parameters:
        raise GameError(_unknown("parameter", name, game.parameters))
    if lo is None or hi is None:
        rng = game.parameters[name].range
        if rng is None:
            raise GameError(f"the file gives no range for {name}; give one, e.g. --vary {name}=0:1")
        lo = rng[0] if lo is None else lo
        hi = rng[1] if hi is None else hi
    lo, hi = exact_number(lo), exact_number(hi)
    if not isinstance(lo, Fraction) or not isinstance(hi, Fraction) or not lo < hi:
        raise GameError(f"the range of {name} must be two rational numbers, low < high")
    return lo, hi


def _uses(game: Any, name: str) -> tuple[bool, bool]:
    """(name affects the stage payoffs, name appears in the repeated section)."""
    from .sweep import _affects_payoffs

    return _affects_payoffs(game, name), name in game.names_used(game.repeated_expressions())


def thresholds(game: Any, name: str, low: Any = None, high: Any = None, *,
               repeated: bool | None = None, scan_nplayer_mixed: bool = False) -> ThresholdResult:
    """The exact values of parameter ``name`` in [low, high] where the equilibrium set changes.

    ``low``/``high`` default to the parameter's range in the file.
    ``repeated``: also find where the repeated-game strategies of
    :func:`gametheory.repeated.analyse` start or stop being equilibria
    (default: when ``name`` appears in the file's ``repeated:`` section, e.g.
    the discount factor or the detection probability).  ``scan_nplayer_mixed``:
    for N-player games, also scan the mixed equilibria with the exact solver
    (slow: it solves the game at every scan point).  Returns a
    :class:`ThresholdResult`: the thresholds (exact value, expression in the
    other parameters, what happens exactly there) and the regimes between
    them (equilibria at an interior point, and the 2x2 game type).

    Example::

        >>> import gametheory as gt
        >>> from gametheory.sensitivity import thresholds
        >>> result = thresholds(gt.load("games/security/security_dilemma.yaml"), "L")
        >>> [(t.exact, t.expression_text) for t in result.thresholds]
        [('1', 'k')]
    """
    import numpy as np

    lo, hi = _range(game, name, low, high)
    in_payoffs, in_repeated = _uses(game, name)
    with_supports = False
    notes: list[str] = []
    p = symbol(name)
    raw: list[tuple[Any, Condition | None, str]] = []
    methods = set()
    if in_payoffs:
        from .batch import support_pair_count

        with_supports = game.n_players == 2 and support_pair_count(game.shape) <= SYMBOLIC_PAIR_LIMIT
        conds = _conditions(game, with_supports)
        others = value_map(game, exclude=[name])
        sym = symbolic_payoffs(game)
        uni = sym.copy()
        for idx in np.ndindex(sym.shape):
            uni[idx] = sym[idx].subs(others)
        builder = _Builder(uni)
        for cond in conds:
            roots, method = _roots(builder.expr(cond), p, lo, hi)
            if roots:
                methods.add(method)
            for r in roots:
                raw.append((r, cond, method))
        if game.n_players != 2:
            notes.append("N-player game: thresholds of the pure equilibria from the best-response comparisons "
                         "(exact); mixed equilibria are followed by a numerical scan with the general solver "
                         "where it reports all equilibria")
        elif not with_supports:
            notes.append(f"{game.shape[0]}x{game.shape[1]} game: support systems not solved symbolically; "
                         "mixed-equilibrium thresholds found by a numerical scan")
    elif not in_repeated:
        notes.append(f"{name} does not appear in the payoffs: the equilibria do not depend on it")
    if repeated is None:
        repeated = in_repeated
    if repeated and game.repeated is None:
        raise GameError("the file has no repeated: section")
    repeated_ctx = _RepeatedContext(game, name) if repeated else None
    if not repeated and game.repeated is not None:
        notes.append(f"thresholds of the stage game; the critical discount factors of the repeated game move "
                     f"with {name} too (repeated=True, --repeated)")
    if repeated_ctx is not None and repeated_ctx.available:
        for value, label in repeated_ctx.candidates(lo, hi):
            raw.append((value, None, "symbolic"))
            repeated_ctx.labels.setdefault(_key(value), []).append(label)
        notes.extend(repeated_ctx.notes)
    elif repeated_ctx is not None:
        notes.extend(repeated_ctx.notes)

    def state(value: Any) -> _State:
        at = game.with_parameters({name: value})
        if game.n_players == 2:
            sol = solve_point(at)
        else:
            from ..solvers.pure import pure_equilibria

            sol = PointSolution(pure_equilibria(at), complete=False, method="pure")
        rep, info = repeated_ctx.state(value, at) if (repeated_ctx and repeated_ctx.available) else (None, None)
        return _State(sol, rep, info)

    if in_payoffs and game.n_players == 2 and not with_supports:
        for value in _scan(state, lo, hi):
            raw.append((value, None, "numerical"))
            methods.add("numerical")
    elif in_payoffs and game.n_players != 2 and scan_nplayer_mixed and _general() is not None:
        def general_state(value: Any) -> _State:
            return _State(solve_point(game.with_parameters({name: value}), general=True))

        probe = general_state(lo)
        if probe.solution.complete:
            for value in _scan(general_state, lo, hi, samples=21):
                raw.append((value, None, "numerical"))
                methods.add("numerical")
        else:
            notes.append("mixed equilibria not scanned: the general N-player solver does not guarantee to find "
                         "all equilibria, so a change in what it finds need not be a threshold")
    elif in_payoffs and game.n_players != 2:
        notes.append("N-player game: thresholds of the pure equilibria only; mixed equilibria are not scanned "
                     "(exact N-player enumeration at every scan point is slow; see `sweep --mixed`)")
    candidates = _dedupe(raw)
    kept, regimes = _verify(game, name, lo, hi, candidates, state)
    out = []
    values = value_map(game)
    for value, conds, method, at, below, above in kept:
        extra = repeated_ctx.expressions(value) if (repeated_ctx and repeated_ctx.available) else []
        expr, text = None, None
        if repeated_ctx is not None and repeated_ctx.available and repeated_ctx.is_discount:
            expr, text = repeated_ctx.critical_expression(value)
        if expr is None and not isinstance(value, _Approx):
            expr = _threshold_expression(game, name, value, conds, extra)
            text = expression_text(expr, values) if expr is not None else None
        labels = [c.label(game) for c in conds[:6]]
        if repeated_ctx is not None:
            labels += repeated_ctx.labels.get(_key(value), [])
        at_game = game.with_parameters({name: value})
        out.append(Threshold(
            value=Fraction(value) if isinstance(value, _Approx) else value,
            expression=expr,
            expression_text=text,
            conditions=labels,
            at=at.solution,
            below=below.solution.key if below is not None else None,
            above=above.solution.key if above is not None else None,
            method="numerical" if isinstance(value, _Approx) else method,
            classification=_classify(at_game),
            repeated=_repeated_change(below, at, above),
        ))
    regs = []
    for low_v, high_v, point, st in regimes:
        regs.append(ThresholdRegime(low_v, high_v, point, st.solution,
                                    classification=_classify(game.with_parameters({name: point})),
                                    repeated=st.repeated_info))
    method = "symbolic" if methods <= {"symbolic"} else ("numerical" if methods == {"numerical"} else "symbolic and numerical")
    return ThresholdResult(game, name, lo, hi, out, regs, method, notes)


def _key(value: Any) -> Any:
    return round(float(value), 9)


def _general() -> Any:
    from .structure import general_solver

    return general_solver()


def _scan(state: Callable[[Any], _State], lo: Fraction, hi: Fraction, samples: int = 41) -> list[Any]:
    """Numerical detection: structure changes between grid points, bisected (exact rational midpoints)."""
    grid = [lo + (hi - lo) * k / (samples - 1) for k in range(samples)]
    keys = [state(x).key for x in grid]
    out: list[Any] = []
    for k in range(samples - 1):
        if keys[k] == keys[k + 1] or len(out) >= 20:
            continue
        a, b, ka = grid[k], grid[k + 1], keys[k]
        while b - a > Fraction(1, 10**12) * max(1, abs(a)):
            mid = simplest_between(a, b) if b - a > Fraction(1, 10**6) else (a + b) / 2
            km = state(mid).key
            if km == ka:
                a = mid
            else:
                b = mid
        out.append(_Approx(simplest_between(a, b) if a < b else a))
    return out


def _repeated_change(below: _State | None, at: _State, above: _State | None) -> dict | None:
    if at.repeated_info is None:
        return None
    out = {"at": at.repeated_info}
    if below is not None and below.repeated_info is not None:
        out["below"] = below.repeated_info
    if above is not None and above.repeated_info is not None:
        out["above"] = above.repeated_info
    return out


# ---------------------------------------------------------------------------
# repeated games


class _RepeatedContext:
    """Thresholds of the repeated game: where a strategy profile starts or stops sustaining the target.

    Uses :func:`gametheory.repeated.analyse`.  When the varied parameter is
    the discount factor itself, the regions of delta where each strategy
    profile is a Nash or subgame-perfect equilibrium are computed once and
    their end points are the candidates; otherwise the critical discount
    factors, as expressions of the parameters, are equated with the file's
    discount factor and solved for the parameter.
    """

    def __init__(self, game: Any, name: str):
        self.game = game
        self.name = name
        self.notes: list[str] = []
        self.labels: dict[Any, list[str]] = {}
        self.available = True
        try:
            from ..repeated import analyse
        except ImportError:
            self.available = False
            self.notes.append("repeated-game thresholds need gametheory.repeated, not available here")
            return
        self.analyse = analyse
        from .. import expressions as ex

        disc = game.repeated.discount
        self.is_discount = isinstance(disc, ex.Name) and disc.name == name
        if game.repeated.discount is None:
            self.available = False
            self.notes.append("the repeated: section gives no discount factor")
            return
        self.base = analyse(game, payoff_set=False)
        self.notes.append("repeated game: thresholds include the critical values where a strategy profile of "
                          "gametheory.repeated starts or stops sustaining its target (Nash / subgame perfect)")
        self._cache: dict[Any, Any] = {}

    def _result(self, value: Any, at: Any) -> Any:
        if self.is_discount:
            return self.base
        k = _key(value)
        if k not in self._cache:
            self._cache[k] = self.analyse(at, payoff_set=False)
        return self._cache[k]

    def state(self, value: Any, at: Any) -> tuple[tuple, dict]:
        result = self._result(value, at)
        status = []
        info = {}
        for s in result.strategies:
            label = _strategy_label(at, s)
            if self.is_discount:
                nash = any(iv.contains(value) for iv in s.nash_region)
                spe = any(iv.contains(value) for iv in s.spe_region)
            else:
                nash, spe = bool(s.nash), bool(s.subgame_perfect)
            status.append((label, nash, spe))
            info[label] = {"nash": nash, "subgame_perfect": spe}
        return tuple(status), info

    def candidates(self, lo: Fraction, hi: Fraction) -> list[tuple[Any, str]]:
        import sympy

        out = []
        if self.is_discount:
            for s in self.base.strategies:
                label = _strategy_label(self.game, s)
                for kind, region in (("Nash", s.nash_region), ("subgame perfect", s.spe_region)):
                    for iv in region:
                        for end in (iv.low, iv.high):
                            if end is not None and _in_range(sym_number(end), lo, hi):
                                out.append((_exact_value(sym_number(end)), f"{label}: {kind} region ends"))
            return out
        p = symbol(self.name)
        others = value_map(self.game, exclude=[self.name])
        disc = self._discount_expr()
        for s in self.base.strategies:
            if s.expression is None:
                continue
            try:
                cond = _numerator(sympy.together(s.expression - disc)).subs(others)
            except (TypeError, ValueError):
                continue
            roots, _ = _roots(cond, p, lo, hi)
            for r in roots:
                out.append((r, f"{_strategy_label(self.game, s)}: critical discount factor = discount factor"))
        return out

    def _discount_expr(self) -> Any:
        from .. import expressions as ex
        from ..model.game import define_order

        full: dict = {}
        for nm in define_order(self.game.define):
            full[nm] = ex.substitute(self.game.define[nm], full)
        return ex.to_sympy(ex.substitute(self.game.repeated.discount, full))

    def critical_expression(self, value: Any) -> tuple[Any, str | None]:
        """The simplest strategy expression whose critical discount factor is ``value``."""
        best = (None, None)
        for s in self.base.strategies:
            if s.expression is None or s.critical is None or not s.expression_text:
                continue
            try:
                if abs(float(s.critical) - float(value)) >= 1e-12:
                    continue
            except (TypeError, ValueError):
                continue
            if best[1] is None or len(s.expression_text) < len(best[1]):
                best = (s.expression, s.expression_text)
        return best

    def expressions(self, value: Any) -> list[Any]:
        """Conditions whose root is this value, for the threshold's expression."""
        out = []
        if self.is_discount:
            for s in self.base.strategies:
                if s.expression is not None and s.critical is not None:
                    try:
                        if abs(float(s.critical) - float(value)) < 1e-12:
                            out.append(symbol(self.name) - s.expression)
                    except (TypeError, ValueError):
                        continue
            return out
        disc = self._discount_expr()
        for s in self.base.strategies:
            if s.expression is not None:
                out.append(s.expression - disc)
        return out


def _strategy_label(game: Any, s: Any) -> str:
    target = "(" + ", ".join(game.strategies[i][k] for i, k in enumerate(s.target)) + ")"
    rounds = s.details.get("rounds") if isinstance(s.details, dict) else None
    name = s.name + (f" ({rounds} rounds)" if rounds else "")
    return f"{name} for {target}"


__all__ = ["thresholds", "ThresholdResult", "Threshold", "ThresholdRegime"]
