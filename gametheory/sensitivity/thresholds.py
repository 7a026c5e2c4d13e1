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
of the numerators in the range.

*Payoffs polynomial in p* (the usual case; :func:`_fast_candidates`): every
condition of a support pair is a polynomial in p of known bounded degree
(at most the number of support rows or columns holding p, times the payoffs'
degree: 1 when p enters one row or one column).  Each is evaluated in floating
point at that many Chebyshev nodes, all pairs at once (batched LU
determinants, each with a rounding-error bound), which gives its
coefficients and roots.  A root matters only if the pair may be a vertex of
the best-response polytope there (no probability or slack clearly of the
wrong sign): the status and labels of a pair that is clearly infeasible
cannot change.  The roots that survive are recomputed in exact rational
arithmetic (the pair's conditions interpolated exactly; rational roots, or
:meth:`sympy.Poly.real_roots`) and the pair's feasibility checked exactly;
a rational root is kept only if the pair's point is then part of some
equilibrium (:func:`_in_equilibrium`: a change of a vertex that belongs to no
equilibrium changes no equilibrium).  Games with up to ``FAST_PAIR_LIMIT``
support pairs (about 10 x 10) take seconds to a minute, most of it in the
exact solves that verify the candidates.

*Other payoffs* (``exp``, ``log``, ``sqrt``, ``min``, ``max`` of p, or
irrational constants): the conditions are general sympy expressions (up to
``SYMBOLIC_PAIR_LIMIT`` support pairs), their roots found with
:meth:`sympy.Poly.real_roots` when polynomial, else scanned on a fine grid
for sign changes, bisected to 1e-12 and recognised as a rational when one
checks exactly.  Larger games get the best-response comparisons exactly and
a numerical scan for the rest (exact solves on a grid, at most
``SCAN_SOLVE_LIMIT`` solves and ``SCAN_TIME_LIMIT`` seconds; the notes say
so).

Then the game is solved exactly at every candidate and at a simple rational
inside every interval between candidates (vertex enumeration); a candidate
where nothing changes (the same equilibrium structure on both sides and at
the point) is dropped, the others are the thresholds, each with what happens
exactly there (often a degenerate game with a continuum of equilibria,
reported as components).

The expression of a threshold in the other parameters comes from solving the
condition that produced it with those parameters kept symbolic
(:func:`sympy.solve`), choosing the branch equal to the exact value found.
2x2 regimes are named by :func:`~gametheory.sensitivity.classify.classify_2x2`.

N-player games: thresholds of the pure equilibria from the best-response
comparisons (exact), and for the mixed equilibria a scan with the exact
N-player solver (every isolated equilibrium at each of
``NPLAYER_SCAN_SAMPLES`` points, the changes bisected): on by default for
small games (3 players, at most ``NPLAYER_MIXED_DEFAULT_PROFILES`` support
profiles: up to 3 x 3 x 2), where a solve takes a fraction of a second.  The
notes say which was done.  Repeated games:
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
from .structure import PointSolution, describe, describe_degeneracy, solve_point
from .symbolic import expression_text, support_system, sym_number, symbol, symbolic_payoffs, value_map

FAST_PAIR_LIMIT = 200_000  # support pairs (per player) of the exact method for polynomial payoffs (~10 x 10)
SYMBOLIC_PAIR_LIMIT = 200  # support pairs solved with general sympy expressions (payoffs not polynomial in p)
SCAN_POINTS = 4001  # grid for sign changes of non-polynomial conditions
BISECT_WIDTH = 1e-12
RATIONAL_DENOMINATOR = 10**6
DET_ERROR = 1e-10  # bound on a float LU determinant's error, relative to the Hadamard bound (safe by ~100x)
FLOAT_BATCH = 2_000_000  # floats per batched array of the float pass (memory)
EXPRESSION_SUPPORT_LIMIT = 3  # conditions on larger supports are not solved symbolically for the expression
SCAN_SAMPLES = 41  # two-player numerical scan: exact solves on this grid
NPLAYER_SCAN_SAMPLES = 21  # N-player mixed scan
SCAN_RESOLUTION = Fraction(1, 10**9)  # scans locate a change to this fraction of the range
SCAN_SOLVE_LIMIT = 300  # exact solves a scan may spend
SCAN_TIME_LIMIT = 60.0  # seconds a scan may spend
NPLAYER_MIXED_DEFAULT_PLAYERS = 3  # the N-player mixed scan is on by default for games this small:
NPLAYER_MIXED_DEFAULT_PROFILES = 147  # ... product of (2^n_i - 1) support choices (2x2x2, 3x2x2, 3x3x2)


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
    approximate: bool = False  # located by bisection only (``exact`` is None)

    @property
    def float_value(self) -> float:
        return float(self.value)

    @property
    def exact(self) -> str | None:
        if self.approximate:
            return None
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
    if sol.degenerate:
        out["continuum"] = sol.continuum
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
# the fast exact method (two players, payoffs polynomial in the parameter)


class _Side:
    """One player's best-response systems: ``M[R, C] z = v 1, sum z = 1`` for square supports (R, C).

    ``player`` 0: M is player 1's payoffs A (rows R of player 1, columns C of
    player 2; z is player 2's mixture y).  ``player`` 1: M is B transposed
    (rows R are player 2's strategies, columns C player 1's; z is x).  Each
    entry is a polynomial in the parameter, given by exact coefficients
    (constant term first).  The conditions of a support pair, in order: the
    bordered determinant D, the Cramer numerators N_c of z (c in C), and the
    numerator ``D (v - M[o, C] z)`` of each outside row o's slack.
    """

    def __init__(self, coeffs: Any, player: int):
        import numpy as np

        self.coef = coeffs
        self.player = player
        self.shape = coeffs.shape
        self.deg = np.array([[len(coeffs[r, c]) - 1 for c in range(self.shape[1])] for r in range(self.shape[0])],
                            dtype=int).reshape(self.shape)
        self.dep = self.deg > 0
        self.e = int(self.deg.max()) if self.deg.size else 0
        self._exact_nodes: dict[int, tuple[list[Fraction], list[Any]]] = {}
        self._at: dict[Fraction, list[list[Fraction]]] = {}
        self.in_equilibrium: dict[tuple, bool] = {}  # (x, point) -> is it an equilibrium strategy there

    def degree(self, k: int) -> int:
        """A bound on the degree in p of every condition of a k x k support pair (Laplace expansion)."""
        rows = int(self.dep.any(axis=1).sum())
        cols = int(self.dep.any(axis=0).sum())
        return self.e * min(k, rows, cols)

    def floats(self, ps: Any) -> Any:
        """The matrix at each float value in ``ps``: shape (len(ps), rows, cols)."""
        import numpy as np

        ps = np.asarray(ps, dtype=float)
        out = np.zeros((len(ps),) + self.shape)
        for r in range(self.shape[0]):
            for c in range(self.shape[1]):
                acc = np.zeros(len(ps))
                for coeff in reversed(self.coef[r, c]):
                    acc = acc * ps + float(coeff)
                out[:, r, c] = acc
        return out

    def exact_at(self, d: int, lo: Fraction, hi: Fraction) -> tuple[list[Fraction], list[Any]]:
        """d + 1 equally spaced nodes in [lo, hi] and the exact matrix at each."""
        if d not in self._exact_nodes:
            nodes = [lo + (hi - lo) * Fraction(j, d) for j in range(d + 1)]
            mats = []
            for x in nodes:
                mats.append([[_horner(self.coef[r, c], x) for c in range(self.shape[1])] for r in range(self.shape[0])])
            self._exact_nodes[d] = (nodes, mats)
        return self._exact_nodes[d]

    def exact_matrix(self, x: Fraction) -> list[list[Fraction]]:
        """The exact matrix at the rational x (cached: the same roots recur)."""
        if x not in self._at:
            self._at[x] = [[_horner(self.coef[r, c], x) for c in range(self.shape[1])] for r in range(self.shape[0])]
        return self._at[x]

    def condition(self, rows: tuple, cols: tuple, index: int) -> Condition:
        """The :class:`Condition` of a pair's ``index``-th condition (see the class docstring)."""
        k = len(rows)
        outside = [r for r in range(self.shape[0]) if r not in rows]
        if self.player == 0:
            pair = (rows, cols)
        else:
            pair = (cols, rows)
        if index == 0:
            return Condition("det", self.player, pair)
        if index <= k:
            return Condition("prob", 1 - self.player, pair + (cols[index - 1],))
        o = outside[index - k - 1]
        if k == 1:
            s = rows[0]
            return Condition("br", self.player, (min(s, o), max(s, o), (cols[0],)))
        return Condition("slack", self.player, pair + (o,))


def _horner(coeffs: tuple, x: Fraction) -> Fraction:
    acc = Fraction(0)
    for c in reversed(coeffs):
        acc = acc * x + c
    return acc


def _univariate_coefficients(uni: Any, p: Any) -> Any:
    """Each payoff as exact coefficients in p (Fractions, constant first); None if one is not such a polynomial."""
    import numpy as np
    import sympy

    out = np.empty(uni.shape, dtype=object)
    for idx in np.ndindex(uni.shape):
        e = sympy.expand(sympy.sympify(uni[idx]))
        if e.free_symbols - {p}:
            return None
        if not e.has(p):
            if not e.is_Rational:
                return None
            out[idx] = (Fraction(int(e.p), int(e.q)),)
            continue
        if not e.is_polynomial(p):
            return None
        coeffs = sympy.Poly(e, p).all_coeffs()[::-1]
        if not all(c.is_Rational for c in coeffs):
            return None
        out[idx] = tuple(Fraction(int(c.p), int(c.q)) for c in coeffs)
    return out


def _chebyshev_nodes(d: int) -> Any:
    """d + 1 Chebyshev-Lobatto points in [-1, 1] (the ends included), ascending."""
    import numpy as np

    return np.cos(np.pi * np.arange(d, -1, -1) / d)


def _pair_conditions_float(side: _Side, mats: Any, rows: Any, cols: Any, outside: Any) -> tuple[Any, Any, Any]:
    """Every condition of each support pair at each node, and a bound on its rounding error.

    ``mats`` (S nodes, r, c); ``rows``/``cols`` (P, k) index arrays; ``outside``
    (P, r - k).  Returns values and error bounds of shape (S, P, 1 + r), and
    which conditions can depend on p at all, (P, 1 + r).  The
    determinants are computed by LU (numpy), whose error is far below
    ``DET_ERROR`` times the Hadamard bound (the product of the row norms).
    """
    import numpy as np

    n_nodes = mats.shape[0]
    n_pairs, k = rows.shape
    blk = mats[:, rows[:, :, None], cols[:, None, :]]  # (S, P, k, k)
    big = np.zeros((n_nodes, n_pairs, k + 1, k + 1))
    big[..., :k, :k] = blk
    big[..., :k, k] = -1.0
    big[..., k, :k] = 1.0
    det = np.linalg.det(big)
    hadamard = np.prod(np.sqrt((big * big).sum(axis=-1)) + 1.0, axis=-1)
    err = DET_ERROR * hadamard
    repl = np.repeat(big[:, :, None], k + 1, axis=2)  # (S, P, k+1, k+1, k+1): column j replaced by e_k
    idx = np.arange(k + 1)
    repl[:, :, idx, :, idx] = 0.0
    repl[:, :, idx, k, idx] = 1.0
    numer = np.linalg.det(repl)  # (S, P, k+1); the last is the numerator of v
    out_blk = mats[:, outside[:, :, None], cols[:, None, :]]  # (S, P, r-k, k)
    slack = numer[..., k:] - np.einsum("spok,spk->spo", out_blk, numer[..., :k])
    slack_err = err[..., None] * (1.0 + np.abs(out_blk).sum(axis=-1)) * (k + 2)
    values = np.concatenate([det[..., None], numer[..., :k], slack], axis=-1)
    errors = np.concatenate([err[..., None], np.repeat(err[..., None], k, axis=-1), slack_err], axis=-1)
    # which conditions can depend on p at all: some p-dependent payoff among their rows and columns
    in_block = side.dep[rows[:, :, None], cols[:, None, :]].any(axis=(1, 2))
    out_dep = side.dep[outside[:, :, None], cols[:, None, :]].any(axis=-1)
    inner = np.repeat(in_block[:, None], k + 1, axis=1) & (k > 1)  # k = 1: D = N = 1
    varying = np.concatenate([inner, in_block[:, None] | out_dep], axis=1)
    return values, errors, varying


def _feasible_float(vals: Any, errs: Any, k: int) -> Any:
    """Could the support pair be a vertex of the best-response polytope here (not clearly infeasible)?

    ``vals``/``errs`` (..., 1 + r): the determinant first, then the numerators,
    then the slack numerators.  Clearly infeasible: the determinant is clearly
    nonzero and some probability or slack clearly has the wrong sign, or the
    determinant may be zero and two numerators clearly have opposite signs (the
    solution runs off to infinity there, so it is no vertex nearby).
    """
    import numpy as np

    det, det_err = vals[..., 0], errs[..., 0]
    rest, rest_err = vals[..., 1:], errs[..., 1:]
    clear = np.abs(det) > det_err
    sgn = np.sign(det)[..., None]
    wrong = ((sgn * rest) < -rest_err).any(axis=-1)
    num, num_err = vals[..., 1:k + 1], errs[..., 1:k + 1]
    both = (num > num_err).any(axis=-1) & (num < -num_err).any(axis=-1)
    return np.where(clear, ~wrong, ~both)


def _float_roots(coef: Any, cerr: Any, varying_struct: Any) -> tuple[Any, set[int]]:
    """Real roots in [-1, 1] of each condition polynomial (coefficients in t, constant first).

    ``coef``/``cerr`` (d + 1, P, Q); ``varying_struct`` (P, Q): the conditions
    that can depend on p (the others are constant: no root).  Returns
    ``(roots, unsure)``: roots as arrays (pair, condition, t, uncertainty of
    t); ``unsure`` the pairs with a condition whose float coefficients cannot
    tell whether it has a root (nearly identically zero): those pairs are done
    exactly.
    """
    import numpy as np

    d = coef.shape[0] - 1
    absc = np.abs(coef)
    clear = absc > cerr  # coefficients known to be nonzero
    higher = (absc[1:] + cerr[1:]).sum(axis=0)  # the most the non-constant part can be on [-1, 1]
    no_root = (absc[0] > cerr[0] + higher) | ~varying_struct  # constant term dominates, or constant in p
    varying = clear[1:].any(axis=0)
    unsure_mask = ~no_root & ~varying
    unsure = set(np.nonzero(unsure_mask.any(axis=1))[0].tolist())
    todo = ~no_root & varying
    pp, qq = np.nonzero(todo)
    if d == 1:
        c0, c1 = coef[0, pp, qq], coef[1, pp, qq]
        e0, e1 = cerr[0, pp, qq], cerr[1, pp, qq]
        t = -c0 / c1
        unc = (e0 + e1 * np.abs(t)) / (np.abs(c1) - e1) + 1e-12 * (1 + np.abs(t))
        ok = np.abs(t) <= 1 + unc
        return (pp[ok], qq[ok], t[ok], unc[ok]), unsure
    out: list[tuple[int, int, float, float]] = []
    for a, b in zip(pp.tolist(), qq.tolist()):
        c = coef[:, a, b]
        e = cerr[:, a, b]
        top = max(j for j in range(d + 1) if abs(c[j]) > e[j])
        dropped = sum(abs(c[j]) + e[j] for j in range(top + 1, d + 1))
        if dropped > 1e-9 * float(np.abs(c).sum()):
            unsure.add(a)  # a leading coefficient that may or may not vanish: exactly
            continue
        if top == 0:
            continue
        for z in np.roots(c[: top + 1][::-1]):
            if abs(z.imag) <= 1e-3 * (1 + abs(z.real)) and abs(z.real) <= 1 + 1e-3:
                out.append((a, b, float(z.real), 1e-5 * (1 + abs(z.real)) + 10 * abs(z.imag)))
    arr = np.array(out, dtype=float).reshape(len(out), 4)
    return (arr[:, 0].astype(np.intp), arr[:, 1].astype(np.intp), arr[:, 2], arr[:, 3]), unsure


def _eval_float(coef: Any, cerr: Any, pairs: Any, t: Any, unc: Any) -> tuple[Any, Any]:
    """All conditions of each pair at its t: values and error bounds (rounding, and t's own uncertainty).

    ``pairs``, ``t``, ``unc``: arrays of length R; returns arrays (R, Q).
    """
    import numpy as np

    d = coef.shape[0] - 1
    powers = t[:, None] ** np.arange(d + 1)  # (R, d+1)
    sel = coef[:, pairs, :]  # (d+1, R, Q)
    vals = np.einsum("rj,jrq->rq", powers, sel)
    errs = np.einsum("rj,jrq->rq", np.abs(powers), cerr[:, pairs, :])
    slope = np.einsum("j,jrq->rq", np.arange(1, d + 1, dtype=float), np.abs(sel[1:]))
    grow = (1 + np.abs(t) + unc) ** (d - 1)
    return vals, errs + slope * (grow * unc)[:, None]


def _fraction_solve(mat: list[list[Fraction]]) -> tuple[Fraction, list[Fraction]]:
    """(det M, M^-1 e_last) in exact arithmetic (the solution is [] when det M = 0).

    Each row is scaled to integers, then fraction-free (Bareiss) elimination
    on the augmented matrix; integer arithmetic is several times faster than
    Fractions here.
    """
    import math

    n = len(mat)
    scale = Fraction(1)
    a = []
    for i, row in enumerate(mat):
        m = math.lcm(*(v.denominator for v in row))
        scale *= m
        a.append([int(v * m) for v in row] + [m if i == n - 1 else 0])
    sign, prev = 1, 1
    for k in range(n - 1):
        if a[k][k] == 0:
            piv = next((r for r in range(k + 1, n) if a[r][k] != 0), None)
            if piv is None:
                return Fraction(0), []
            a[k], a[piv] = a[piv], a[k]
            sign = -sign
        akk, rowk = a[k][k], a[k]
        for i in range(k + 1, n):
            rowi = a[i]
            aik = rowi[k]
            for j in range(k + 1, n + 1):
                rowi[j] = (rowi[j] * akk - aik * rowk[j]) // prev
            rowi[k] = 0
        prev = akk
    if a[n - 1][n - 1] == 0:
        return Fraction(0), []
    det = Fraction(sign * a[n - 1][n - 1]) / scale
    sol = [Fraction(0)] * n
    for r in range(n - 1, -1, -1):
        s = a[r][n] - sum(a[r][c] * sol[c] for c in range(r + 1, n))
        sol[r] = Fraction(s) / a[r][r]
    return det, sol


def _lagrange_basis(nodes: list[Fraction]) -> list[list[Fraction]]:
    """Coefficients (constant first) of the Lagrange basis polynomials of ``nodes``."""
    out = []
    for j, xj in enumerate(nodes):
        poly = [Fraction(1)]
        denom = Fraction(1)
        for m, xm in enumerate(nodes):
            if m == j:
                continue
            poly = [Fraction(0)] + poly  # times p
            for i in range(len(poly) - 1):
                poly[i] -= xm * poly[i + 1]
            denom *= xj - xm
        out.append([c / denom for c in poly])
    return out


def _exact_pair(side: _Side, rows: tuple, cols: tuple, d: int, lo: Fraction, hi: Fraction,
                cache: dict) -> list[list[Fraction]]:
    """Exact coefficients in p of every condition of one support pair (interpolated at d + 1 nodes)."""
    key = (side.player, rows, cols)
    if key in cache:
        return cache[key]
    nodes, mats = side.exact_at(d, lo, hi)
    k = len(rows)
    outside = [r for r in range(side.shape[0]) if r not in rows]
    per_node = []
    for mat in mats:
        big = [[mat[r][c] for c in cols] + [Fraction(-1)] for r in rows] + [[Fraction(1)] * k + [Fraction(0)]]
        det, sol = _fraction_solve(big)
        if det == 0:
            # singular at this node: Cramer numerators by cofactors (rare; a node on a root of D)
            numer = [_fraction_det([row[:j] + [Fraction(int(i == k))] + row[j + 1:] for i, row in enumerate(big)])
                     for j in range(k + 1)]
        else:
            numer = [det * z for z in sol]
        slacks = [numer[k] - sum(mat[o][c] * n for c, n in zip(cols, numer[:k])) for o in outside]
        per_node.append([det] + numer[:k] + slacks)
    key_b = (d, lo, hi)
    basis = cache.setdefault(("basis",) + key_b, _lagrange_basis(nodes))
    out = []
    for q in range(len(per_node[0])):
        coeffs = [Fraction(0)] * (d + 1)
        for j, vals in enumerate(per_node):
            v = vals[q]
            if v:
                for i, b in enumerate(basis[j]):
                    coeffs[i] += v * b
        while len(coeffs) > 1 and coeffs[-1] == 0:
            coeffs.pop()
        out.append(coeffs)
    cache[key] = out
    return out


def _fraction_det(mat: list[list[Fraction]]) -> Fraction:
    n = len(mat)
    a = [row[:] for row in mat]
    det = Fraction(1)
    for col in range(n):
        piv = next((r for r in range(col, n) if a[r][col] != 0), None)
        if piv is None:
            return Fraction(0)
        if piv != col:
            a[col], a[piv] = a[piv], a[col]
            det = -det
        pv = a[col][col]
        det *= pv
        for r in range(col + 1, n):
            f = a[r][col] / pv
            if f:
                for c in range(col, n):
                    a[r][c] -= f * a[col][c]
    return det


def _poly_roots_exact(coeffs: list[Fraction], p: Any, lo: Fraction, hi: Fraction) -> list[Any]:
    """Real roots in [lo, hi] of an exact polynomial (Fractions for rational roots, else sympy numbers)."""
    import sympy

    if len(coeffs) <= 1:
        return []
    if len(coeffs) == 2:
        r = -coeffs[0] / coeffs[1]
        return [r] if lo <= r <= hi else []
    poly = sympy.Poly([sympy.Rational(c.numerator, c.denominator) for c in reversed(coeffs)], p, domain="QQ")
    out = []
    for r in set(poly.real_roots()):
        if _in_range(r, lo, hi):
            out.append(_exact_value(r))
    return out


def _feasible_exact(polys: list[list[Fraction]], k: int, x: Any) -> bool:
    """The exact version of :func:`_feasible_float` at a root x (True when x is not rational: kept)."""
    if not isinstance(x, Fraction):
        return True
    vals = [_horner(tuple(c), x) for c in polys]
    det = vals[0]
    if det != 0:
        return all(v * det >= 0 for v in vals[1:])
    return all(v == 0 for v in vals[1:k + 1])


def _in_equilibrium(side: _Side, other: _Side, cols: tuple, polys: list[list[Fraction]], x: Any) -> bool:
    """Is the pair's point z (a mixture over ``cols``) a strategy of some equilibrium of the game at x?

    A change of a vertex of one best-response polytope changes the equilibria
    only if, at x, that vertex is part of an equilibrium: equilibria near x
    converge to equilibria at x, and a vertex that does not change keeps its
    labels.  z is computed exactly; the row player's best responses to z are
    exact; then some mixture w over them must make every strategy in z's
    support a best response for the other player.  A pure w is tried exactly
    first; otherwise a small linear program (HiGHS) decides, with the
    constraints relaxed by ``1e-6`` of the payoff scale (far above the
    solver's tolerance), so that only a clearly infeasible system removes the
    candidate.  ``other`` is the other side: its matrix is indexed
    [column of this side, row of this side].  Irrational x: True (kept).
    """
    if not isinstance(x, Fraction):
        return True
    det = _horner(tuple(polys[0]), x)
    if det == 0:
        return True
    z = [_horner(tuple(polys[1 + j]), x) / det for j in range(len(cols))]
    key = (x, tuple((c, zc) for c, zc in zip(cols, z) if zc != 0))
    if key not in side.in_equilibrium:
        side.in_equilibrium[key] = _point_in_equilibrium(side, other, cols, z, x)
    return side.in_equilibrium[key]


def _point_in_equilibrium(side: _Side, other: _Side, cols: tuple, z: list[Fraction], x: Fraction) -> bool:
    mat = side.exact_matrix(x)
    pay = [sum(mat[r][c] * zc for c, zc in zip(cols, z)) for r in range(side.shape[0])]
    best = max(pay)
    rows = [r for r, v in enumerate(pay) if v == best]
    support = [c for c, zc in zip(cols, z) if zc != 0]
    w_mat = other.exact_matrix(x)  # [column of this side][row of this side]
    for r in rows:
        col = [w_mat[c][r] for c in range(side.shape[1])]
        top = max(col)
        if all(col[c] == top for c in support):
            return True
    if len(rows) == 1:
        return False
    import numpy as np
    from scipy.optimize import linprog

    w = np.array([[float(w_mat[c][r]) for r in rows] for c in range(side.shape[1])])
    tau = 1e-6 * (1.0 + float(np.abs(w).max()))
    n_cols = side.shape[1]
    a_ub = np.vstack([np.hstack([w, -np.ones((n_cols, 1))]),
                      np.hstack([-w[support], np.ones((len(support), 1))])])
    b_ub = np.full(a_ub.shape[0], tau)
    a_eq = np.hstack([np.ones((1, len(rows))), np.zeros((1, 1))])
    res = linprog(np.zeros(len(rows) + 1), A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[1.0],
                  bounds=[(0, None)] * len(rows) + [(None, None)], method="highs")
    return res.status != 2  # 2: infeasible


def _fast_candidates(game: Any, uni: Any, p: Any, lo: Fraction, hi: Fraction,
                     progress: Callable[[str], None] | None = None) -> list[tuple[Any, Condition, str]] | None:
    """Candidate thresholds of a two-player game whose payoffs are polynomials in p (None: not applicable).

    Every square support pair of each player's payoff matrix gives its
    conditions (determinant, Cramer numerators, slacks), polynomials in p of
    known bounded degree.  Each is computed in floating point at that many
    nodes over the range (batched LU determinants), giving its roots; a root
    is kept only if the pair may be a vertex of the best-response polytope
    there (no condition clearly of the wrong sign; the rounding error of every
    value is bounded), since elsewhere nothing about that pair changes.  The
    kept roots are then recomputed exactly: the pair's conditions are
    interpolated in exact rational arithmetic, the root and the pair's
    feasibility checked exactly, and the pair's point must belong to an
    equilibrium there (:func:`_in_equilibrium`).
    """
    import itertools

    import numpy as np

    coeffs = _univariate_coefficients(uni, p)
    if coeffs is None:
        return None
    sides = [_Side(coeffs[0], 0), _Side(np.ascontiguousarray(coeffs[1].T), 1)]
    mid, half = (float(lo) + float(hi)) / 2, (float(hi) - float(lo)) / 2
    out: list[tuple[Any, Condition, str]] = []
    cache: dict = {}
    for side in sides:
        other = sides[1 - side.player]
        if not side.dep.any():
            continue
        nr, nc = side.shape
        dep_cols = set(np.nonzero(side.dep.any(axis=0))[0].tolist())
        for k in range(1, min(nr, nc) + 1):
            d = side.degree(k)
            if d == 0:
                continue
            if progress:
                progress(f"support systems of size {k} ({'first' if side.player == 0 else 'second'} player's payoffs)")
            t_nodes = _chebyshev_nodes(d)
            mats = side.floats(mid + half * t_nodes)
            vinv = np.linalg.inv(np.vander(t_nodes, d + 1, increasing=True))
            row_sets = list(itertools.combinations(range(nr), k))
            col_sets = [c for c in itertools.combinations(range(nc), k) if dep_cols.intersection(c)]
            if not col_sets:
                continue
            rows_arr = np.array(row_sets, dtype=np.intp).reshape(len(row_sets), k)
            cols_arr = np.array(col_sets, dtype=np.intp).reshape(len(col_sets), k)
            out_arr = np.array([[r for r in range(nr) if r not in rs] for rs in row_sets],
                               dtype=np.intp).reshape(len(row_sets), nr - k)
            total = len(row_sets) * len(col_sets)
            chunk = max(1, FLOAT_BATCH // ((d + 1) * (k + 2) ** 3))
            for start in range(0, total, chunk):
                flat = np.arange(start, min(total, start + chunk))
                ir, ic = flat // len(col_sets), flat % len(col_sets)
                vals, errs, varying = _pair_conditions_float(side, mats, rows_arr[ir], cols_arr[ic], out_arr[ir])
                coef = np.einsum("js,spq->jpq", vinv, vals)
                cerr = np.einsum("js,spq->jpq", np.abs(vinv), errs) + 1e-13 * np.abs(coef)
                (ra, rq, rt, ru), unsure = _float_roots(coef, cerr, varying)
                v, e = _eval_float(coef, cerr, ra, rt, ru)
                keep = _feasible_float(v, e, k)
                pairs: dict[int, list[int]] = {}
                for a, q in zip(ra[keep].tolist(), rq[keep].tolist()):
                    pairs.setdefault(a, []).append(q)
                for a in unsure:
                    pairs[a] = list(range(coef.shape[2]))
                for a, qs in pairs.items():
                    rows, cols = row_sets[ir[a]], col_sets[ic[a]]
                    polys = _exact_pair(side, rows, cols, d, lo, hi, cache)
                    for q in sorted(set(qs)):
                        for x in _poly_roots_exact(polys[q], p, lo, hi):
                            if _feasible_exact(polys, k, x) and _in_equilibrium(side, other, cols, polys, x):
                                out.append((x, side.condition(rows, cols, q), "symbolic"))
    return out


# ---------------------------------------------------------------------------
# the verification step


def _sort_key(value: Any) -> float:
    return float(value)


def _dedupe(values: list[tuple[Any, Condition | None, str]]) -> list[tuple[Any, list[Condition], str]]:
    """Merge equal candidate values (exactly equal; numerical ones within 1e-11).

    The merged value is exact when one of them is, and its method "symbolic"
    when one of them came from an exact root.
    """
    import sympy

    out: list[tuple[Any, list[Condition], str]] = []
    for value, cond, method in sorted(values, key=lambda t: _sort_key(t[0])):
        fv = float(value)
        for k in range(len(out) - 1, -1, -1):
            v, conds, m = out[k]
            if fv - float(v) > 1e-9 * max(1.0, abs(float(v))):
                k = -1
                break
            if isinstance(v, _Approx) or isinstance(value, _Approx):
                same = abs(float(v) - fv) <= 1e-11 * max(1.0, abs(float(v)))
            elif isinstance(v, Fraction) and isinstance(value, Fraction):
                same = v == value
            else:
                same = sympy.simplify(sym_number(v) - sym_number(value)) == 0
            if same:
                if isinstance(v, _Approx) and not isinstance(value, _Approx):
                    v = value
                if m != method and "symbolic" in (m, method) and not isinstance(v, _Approx):
                    m = "symbolic"
                if cond is not None:
                    conds.append(cond)
                out[k] = (v, conds, m)
                break
        else:
            k = -1
        if k == -1:
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
                          extra: list[Any] | None = None) -> tuple[Any, bool]:
    """The threshold in the other parameters: solve a vanishing condition symbolically for ``name``.

    Several conditions can vanish at the same value by coincidence of the current
    parameter values (two different expressions that happen to be equal here).  When the
    candidates differ as expressions, each is tested off the coincidence: the other
    parameters are moved slightly, and a candidate is kept only if the equilibrium set
    still changes where it says (solved exactly on both sides).  The simplest kept
    candidate is the expression.

    When no other parameter enters the payoffs, the expression is the value itself.
    Conditions of support pairs larger than ``EXPRESSION_SUPPORT_LIMIT`` are not
    expanded symbolically (a determinant of many symbolic entries is slow).  Returns
    ``(expression or None, whether a condition was skipped for that reason)``.
    """
    import sympy

    p = symbol(name)
    others = value_map(game, exclude=[name])
    sym = symbolic_payoffs(game)
    target = sym_number(value)
    if not extra and not any(e.free_symbols - {p} for e in sym.flat):
        return target, False
    builder = _Builder(sym)
    ordered = sorted(conds, key=_condition_order)
    usable = [c for c in ordered if _support_size(c) <= EXPRESSION_SUPPORT_LIMIT]
    skipped = len(usable) < len(ordered)
    exprs = [builder.expr(c) for c in usable[:6]]
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
        return None, skipped
    found.sort(key=sympy.count_ops)
    if len(found) > 1 and not extra and game.n_players == 2:
        genuine = [s for s in found if _changes_off_coincidence(game, name, s)]
        if genuine:
            return genuine[0], False
    return found[0], False


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
               repeated: bool | None = None, mixed: bool | None = None, scan_nplayer_mixed: bool | None = None,
               progress: Callable[[str], None] | None = None) -> ThresholdResult:
    """The exact values of parameter ``name`` in [low, high] where the equilibrium set changes.

    ``low``/``high`` default to the parameter's range in the file.
    ``repeated``: also find where the repeated-game strategies of
    :func:`gametheory.repeated.analyse` start or stop being equilibria
    (default: when ``name`` appears in the file's ``repeated:`` section, e.g.
    the discount factor or the detection probability).  ``mixed`` (N-player
    games; ``scan_nplayer_mixed`` is an older name): also find thresholds of
    the mixed equilibria, by a scan with the exact N-player solver (default:
    on for small games, 3 players with at most 147 support profiles, i.e. up to
    3 x 3 x 2 strategies, where each solve takes well under a second; off
    otherwise).  ``progress``: called with a short message as the work goes
    on.  Returns a :class:`ThresholdResult`: the thresholds (exact value,
    expression in the other parameters, what happens exactly there) and the
    regimes between them (equilibria at an interior point, and the 2x2 game
    type).

    Two-player games whose payoffs are polynomials in ``name`` (after the
    other parameters take their values) use the fast exact method of
    :func:`_fast_candidates`, up to ``FAST_PAIR_LIMIT`` support pairs (about
    10 x 10); other payoffs use general sympy expressions up to
    ``SYMBOLIC_PAIR_LIMIT`` pairs, and beyond these limits a numerical scan
    (at most ``SCAN_SOLVE_LIMIT`` exact solves and ``SCAN_TIME_LIMIT``
    seconds).  ``result.notes`` says which was done.

    Example::

        >>> import gametheory as gt
        >>> from gametheory.sensitivity import thresholds
        >>> result = thresholds(gt.load("games/security/security_dilemma.yaml"), "L")
        >>> [(t.exact, t.expression_text) for t in result.thresholds]
        [('1', 'k')]
    """
    import numpy as np

    if mixed is None:
        mixed = scan_nplayer_mixed
    lo, hi = _range(game, name, lo=low, hi=high)
    in_payoffs, in_repeated = _uses(game, name)
    notes: list[str] = []
    p = symbol(name)
    raw: list[tuple[Any, Condition | None, str]] = []
    methods = set()
    two = game.n_players == 2
    scan_two = False  # two-player game scanned numerically (too large, or not polynomial and large)
    if in_payoffs:
        others = value_map(game, exclude=[name])
        sym = symbolic_payoffs(game)
        uni = sym.copy()
        for idx in np.ndindex(sym.shape):
            uni[idx] = sym[idx].subs(others)
        fast = None
        if two:
            from .batch import support_pair_count

            pairs = support_pair_count(game.shape)
            if pairs <= FAST_PAIR_LIMIT:
                fast = _fast_candidates(game, uni, p, lo, hi, progress)
            if fast is not None:
                raw.extend(fast)
                if fast:
                    methods.add("symbolic")
            elif pairs <= SYMBOLIC_PAIR_LIMIT:
                raw.extend(_sympy_candidates(game, uni, p, lo, hi, True, methods))
            else:
                scan_two = True
                raw.extend(_sympy_candidates(game, uni, p, lo, hi, False, methods))
                m, n = game.shape
                why = (f"more than {FAST_PAIR_LIMIT:,} support pairs" if pairs > FAST_PAIR_LIMIT else
                       f"payoffs not polynomial in {name} and more than {SYMBOLIC_PAIR_LIMIT} support pairs")
                notes.append(f"{m}x{n} game ({why}): support systems not solved; thresholds from the best-response "
                             "comparisons, and those of mixed equilibria from a numerical scan with exact solves at "
                             f"{SCAN_SAMPLES} points (a threshold between two of them can be missed)")
        else:
            raw.extend(_sympy_candidates(game, uni, p, lo, hi, False, methods))
    elif not in_repeated:
        notes.append(f"{name} does not appear in the payoffs: the equilibria do not depend on it")
    if repeated is None:
        repeated = in_repeated
    if repeated and game.repeated is None:
        raise GameError("the file has no repeated: section")
    repeated_ctx = _RepeatedContext(game, name) if repeated else None
    if not repeated and game.repeated is not None:
        notes.append(f"thresholds of the stage game; the critical discount factors of the repeated game move "
                     f"with {name} too (--repeated includes them)")
    if repeated_ctx is not None and repeated_ctx.available:
        for value, label in repeated_ctx.candidates(lo, hi):
            raw.append((value, None, "symbolic"))
            repeated_ctx.labels.setdefault(_key(value), []).append(label)
        notes.extend(repeated_ctx.notes)
    elif repeated_ctx is not None:
        notes.extend(repeated_ctx.notes)

    nplayer_mixed = False
    if in_payoffs and not two:
        nplayer_mixed, note = _nplayer_mode(game, mixed)
        notes.append(note)
    budget = _Budget(SCAN_SOLVE_LIMIT, SCAN_TIME_LIMIT)
    cache: dict[Any, _State] = {}
    phase: list[Any] = ["numerical scan", None]  # for the progress messages

    def state(value: Any) -> _State:
        if value in cache:
            return cache[value]
        budget.solves += 1
        if progress and budget.solves % 5 == 0:
            progress(f"{phase[0]}: {budget.solves} exact solves" + (f" of {phase[1]}" if phase[1] else ""))
        at = game.with_parameters({name: value})
        if two:
            sol = solve_point(at)
        elif nplayer_mixed:
            sol = solve_point(at, general=True)
        else:
            from ..solvers.pure import pure_equilibria

            sol = PointSolution(pure_equilibria(at), complete=False, method="pure")
        rep, info = repeated_ctx.state(value, at) if (repeated_ctx and repeated_ctx.available) else (None, None)
        cache[value] = _State(sol, rep, info)
        return cache[value]

    if scan_two or nplayer_mixed:
        if nplayer_mixed and not state(lo).solution.complete:
            nplayer_mixed = False
            cache.clear()
            notes[-1] = ("N-player game: thresholds of the pure equilibria only, from the best-response comparisons "
                         "(exact); mixed equilibria were not scanned: the N-player solver cannot list every "
                         "equilibrium of a game this size, so a change in what it finds need not be a threshold")
        else:
            if progress:
                progress("numerical scan")
            found = _scan(state, lo, hi, NPLAYER_SCAN_SAMPLES if nplayer_mixed else SCAN_SAMPLES, budget)
            for value in found:
                raw.append((value, None, "numerical"))
                methods.add("numerical")
            if budget.hit:
                notes.append(f"the numerical scan stopped at its limit ({budget.hit}): the thresholds it found are "
                             f"located only roughly, and others may be missed")
    candidates = _dedupe(raw)
    phase[:] = ["verifying", budget.solves + 2 * len(candidates) + 1]
    if progress:
        progress(f"verifying {len(candidates)} candidate values by exact solves")
    kept, regimes = _verify(game, name, lo, hi, candidates, state)
    out = []
    values = value_map(game)
    skipped_expression = False
    for value, conds, method, at, below, above in kept:
        extra = repeated_ctx.expressions(value) if (repeated_ctx and repeated_ctx.available) else []
        expr, text = None, None
        if repeated_ctx is not None and repeated_ctx.available and repeated_ctx.is_discount:
            expr, text = repeated_ctx.critical_expression(value)
        if expr is None and not isinstance(value, _Approx) and (conds or extra):
            expr, skipped = _threshold_expression(game, name, value, conds, extra)
            skipped_expression |= skipped
            text = expression_text(expr, values) if expr is not None else None
        labels = [c.label(game) for c in sorted(conds, key=_condition_order)[:6]]
        if repeated_ctx is not None:
            labels += repeated_ctx.labels.get(_key(value), [])
        at_game = game.with_parameters({name: value})
        out.append(Threshold(
            value=Fraction(value) if isinstance(value, Fraction) else value,
            expression=expr,
            expression_text=text,
            conditions=labels,
            at=at.solution,
            below=below.solution.key if below is not None else None,
            above=above.solution.key if above is not None else None,
            method=method,
            classification=_classify(at_game),
            repeated=_repeated_change(below, at, above),
            approximate=isinstance(value, _Approx),
        ))
    continua = [t for t in out if t.at is not None and t.at.continuum]
    if continua:
        places = [f"{name} = {_value_text(t)}" for t in continua]
        if len(places) > 3:
            where = f"{len(places)} of the thresholds"
        else:
            where = places[0] if len(places) == 1 else ", ".join(places[:-1]) + " and " + places[-1]
        notes.append(f"exactly at {where} ({describe_degeneracy(2)}), the equilibria listed are the extreme points "
                     "of the connected sets (JSON: components)")
    if skipped_expression:
        notes.append(f"some thresholds have no expression in the other parameters: they come from support systems "
                     f"of more than {EXPRESSION_SUPPORT_LIMIT} strategies, not solved symbolically (their exact "
                     "values are given)")
    regs = []
    for low_v, high_v, point, st in regimes:
        regs.append(ThresholdRegime(low_v, high_v, point, st.solution,
                                    classification=_classify(game.with_parameters({name: point})),
                                    repeated=st.repeated_info))
    method = "symbolic" if methods <= {"symbolic"} else ("numerical" if methods == {"numerical"} else "symbolic and numerical")
    return ThresholdResult(game, name, lo, hi, out, regs, method, notes)


def _value_text(t: Threshold) -> str:
    from ..expressions import exact_text

    return exact_text(t.value) if t.exact is not None else f"{t.float_value:.12g}"


def _sympy_candidates(game: Any, uni: Any, p: Any, lo: Fraction, hi: Fraction, with_supports: bool,
                      methods: set) -> list[tuple[Any, Condition, str]]:
    """Candidates from general sympy expressions of the conditions (best responses, and support systems)."""
    builder = _Builder(uni)
    out = []
    for cond in _conditions(game, with_supports):
        roots, method = _roots(builder.expr(cond), p, lo, hi)
        if roots:
            methods.add(method)
        for r in roots:
            out.append((r, cond, method))
    return out


def _nplayer_mode(game: Any, mixed: bool | None) -> tuple[bool, str]:
    """Whether to scan an N-player game's mixed equilibria, and the note that says what is done."""
    pure = "N-player game: thresholds of the pure equilibria from the best-response comparisons (exact)"
    if mixed is None:
        count = 1
        for n in game.shape:
            count *= 2**n - 1
        mixed = game.n_players <= NPLAYER_MIXED_DEFAULT_PLAYERS and count <= NPLAYER_MIXED_DEFAULT_PROFILES
        if not mixed:
            return False, (f"{pure}; mixed equilibria were not scanned (a game this size takes seconds to minutes "
                           "per exact solve; --mixed scans them)")
    if not mixed:
        return False, f"{pure}; mixed equilibria were not scanned (--no-mixed)"
    if _general() is None:
        return False, f"{pure}; mixed equilibria were not scanned (no N-player solver available)"
    return True, (f"{pure}; those of the mixed equilibria from a numerical scan: the game solved exactly (every "
                  f"equilibrium) at {NPLAYER_SCAN_SAMPLES} points, each change located by bisection; a threshold "
                  "between two scan points can be missed")


class _Budget:
    """Exact solves and seconds a scan may spend; ``hit`` says which limit stopped it."""

    def __init__(self, solves: int, seconds: float):
        import time

        self.max_solves = solves
        self.seconds = seconds
        self.solves = 0
        self.start = time.monotonic()
        self.hit = ""

    def ok(self, used_before: int) -> bool:
        import time

        if self.solves - used_before >= self.max_solves:
            self.hit = f"{self.max_solves} exact solves"
        elif time.monotonic() - self.start > self.seconds:
            self.hit = f"{self.seconds:g} s"
        return not self.hit


def _condition_order(c: Condition) -> tuple:
    return (c.kind != "br", _support_size(c), c.kind)


def _support_size(c: Condition) -> int:
    return 1 if c.kind == "br" else len(c.data[0])


def _key(value: Any) -> Any:
    return round(float(value), 9)


def _general() -> Any:
    from .structure import general_solver

    return general_solver()


def _scan(state: Callable[[Any], _State], lo: Fraction, hi: Fraction, samples: int, budget: _Budget) -> list[Any]:
    """Numerical detection of structure changes: exact solves on a grid, then at the changes.

    A grid point whose structure differs from the structure just beside it
    (``SCAN_RESOLUTION`` of the range away) is itself a candidate, exactly;
    a change inside a grid interval is bisected (exact rational midpoints) to
    ``SCAN_RESOLUTION`` of the range and reported at the simplest rational
    there: exactly if the structure at that rational differs from both sides,
    else marked approximate.  Stops refining when ``budget`` runs out.
    """
    start = budget.solves
    grid = [lo + (hi - lo) * Fraction(k, samples - 1) for k in range(samples)]
    keys = []
    for x in grid:
        if len(keys) >= 2 and not budget.ok(start):
            grid = grid[:len(keys)]  # the rest of the range is not scanned (the note says the limit was hit)
            break
        keys.append(state(x).key)
    samples = len(grid)
    delta = (hi - lo) * SCAN_RESOLUTION
    out: list[Any] = []
    inner: dict[int, tuple[Any, Any]] = {}  # grid index -> (key just left, key just right)
    for k, x in enumerate(grid):
        if (k > 0 and keys[k - 1] != keys[k]) or (k < samples - 1 and keys[k + 1] != keys[k]):
            if not budget.ok(start):
                break
            left = state(x - delta).key if k > 0 else keys[k]
            right = state(x + delta).key if k < samples - 1 else keys[k]
            inner[k] = (left, right)
            if left != keys[k] or right != keys[k]:
                out.append(x)
    for k in range(samples - 1):
        a, b = grid[k], grid[k + 1]
        ka = inner[k][1] if k in inner else keys[k]
        kb = inner[k + 1][0] if k + 1 in inner else keys[k + 1]
        if ka == kb:
            continue
        if k in inner:
            a += delta
        if k + 1 in inner:
            b -= delta
        while b - a > delta and budget.ok(start):
            mid = (a + b) / 2
            km = state(mid).key
            if km == ka:
                a = mid
            elif km == kb:
                b = mid
            else:  # a third structure: follow the change on the left
                b, kb = mid, km
        r = simplest_between(a, b) if a < b else a
        if b - a <= delta and state(r).key not in (ka, kb):
            out.append(r)
        else:
            out.append(_Approx(r))
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
