"""Correlated equilibria of N-player games by linear programming.

A *correlated equilibrium* (Aumann 1974) is a probability distribution p over
pure strategy profiles such that, when a mediator draws a profile from p and
tells each player only its own part, no player gains by disobeying: for every
player i and every pair of its strategies (a, b),

    sum_{s_-i} p(a, s_-i) [u_i(a, s_-i) - u_i(b, s_-i)] >= 0.

These incentive constraints, with ``p >= 0`` and ``sum p = 1``, are linear in
p, so the correlated equilibria form a polytope, and optimising a linear
objective over it (a player's expected payoff, or welfare, the sum of all
players' payoffs) is a linear program with one variable per pure profile and
``sum_i n_i (n_i - 1)`` constraints: polynomial in the size of the normal
form (Papadimitriou and Roughgarden 2008).  Every Nash equilibrium, as a
product distribution, is a correlated equilibrium, so the best correlated
equilibrium is at least as good as the best Nash equilibrium, and in games
such as Chicken strictly better (Aumann 1974).

Algorithm of :func:`correlated_equilibrium` (and of each of the ``2N + 2``
programs of :func:`payoff_ranges`):

1. Solve the LP in floating point with ``scipy.optimize.linprog`` (HiGHS dual
   simplex, which ends at a vertex).
2. For a game with rational payoffs, recover the exact vertex: the profiles
   with positive probability are the unknowns; the constraint ``sum p = 1``
   and the incentive constraints that are tight at the LP's solution (read
   with a small tolerance, most trusted first: by dual value, then by slack)
   give a square system of independent equations, solved in exact integer
   arithmetic (fraction-free Gauss-Jordan, :mod:`gametheory.solvers._exact`).
3. Verify the exact distribution: non-negative, sums to 1, every incentive
   constraint holds exactly.  Certify optimality exactly where possible: the
   dual multipliers of the same basis, solved exactly, must have the right
   signs (then the objective is exactly optimal, by LP duality); otherwise
   the exact value must equal the LP's optimum within a tolerance.
4. If no exact vertex is confirmed (or the payoffs are irrational), fall back
   to the LP's floats; the result says so (``exact`` false) and states the
   tolerance to which the incentive constraints hold.

References:
    Aumann, R. J. (1974). Subjectivity and correlation in randomized
    strategies. *Journal of Mathematical Economics* 1(1): 67-96.
    Aumann, R. J. (1987). Correlated equilibrium as an expression of Bayesian
    rationality. *Econometrica* 55(1): 1-18.
    Papadimitriou, C. H. and Roughgarden, T. (2008). Computing correlated
    equilibria in multi-player games. *Journal of the ACM* 55(3): 14.
    Nisan, N., Roughgarden, T., Tardos, E. and Vazirani, V. (eds.) (2007).
    *Algorithmic Game Theory*, ch. 2. Cambridge UP.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import GameError
from ._exact import (
    exact_string,
    game_cache,
    independent_rows,
    is_rational,
    number,
    sign,
    solve_integer,
)

#: Relative tolerances (times the payoff scale) for reading which constraints are tight.
TIGHT_TOLERANCES = (1e-9, 1e-7, 1e-5)
#: Tolerance, relative to the payoff scale, of the float fallback (HiGHS's feasibility tolerance).
FLOAT_TOLERANCE = 1e-7
WELFARE = "welfare"


# -- results ---------------------------------------------------------------------


@dataclass
class PayoffRanges:
    """The range of each player's expected payoff, and of welfare, over all correlated equilibria.

    Attributes:
        game: the game.
        players: ``{player: (min, max)}``.
        welfare: ``(min, max)`` of the sum of the players' payoffs.
        exact: every bound is exact (Fractions); else floats.
        certified: every exact bound was certified optimal by an exact dual
            solution (else by agreement with the LP's optimum to a tolerance).
    """

    game: Any
    players: dict[str, tuple[Any, Any]]
    welfare: tuple[Any, Any]
    exact: bool
    certified: bool

    def to_dict(self) -> dict:
        """``{player: [min, max], ..., "welfare": [min, max]}`` as JSON numbers."""
        out: dict[str, Any] = {p: [number(lo), number(hi)] for p, (lo, hi) in self.players.items()}
        out[WELFARE] = [number(self.welfare[0]), number(self.welfare[1])]
        return out

    def exact_dict(self) -> dict:
        """The same bounds as exact strings (``"21/2"``)."""
        out: dict[str, Any] = {
            p: [exact_string(lo), exact_string(hi)] for p, (lo, hi) in self.players.items()
        }
        out[WELFARE] = [exact_string(self.welfare[0]), exact_string(self.welfare[1])]
        return out

    def contains(self, payoffs: Sequence[Any]) -> bool:
        """Whether a payoff vector (one entry per player) lies inside every player's range and welfare's."""
        vals = list(payoffs)
        inside = all(_le(lo, v) and _le(v, hi) for (lo, hi), v in zip(self.players.values(), vals))
        total = sum(vals, Fraction(0))
        return inside and _le(self.welfare[0], total) and _le(total, self.welfare[1])


@dataclass
class NashComparison:
    """How the welfare-maximising correlated equilibrium compares with the Nash equilibria.

    Attributes:
        correlated_welfare: the largest welfare of any correlated equilibrium.
        nash_welfare: the welfare of each Nash equilibrium given.
        best_nash_welfare: the largest of them (``None`` if none was given).
        beats_every_nash: the best correlated equilibrium gives strictly more
            welfare than every Nash equilibrium given (``None`` if none was).
        gain: ``correlated_welfare - best_nash_welfare``.
        exact: the comparison was made in exact arithmetic.
    """

    correlated_welfare: Any
    nash_welfare: list[Any]
    best_nash_welfare: Any
    beats_every_nash: bool | None
    gain: Any
    exact: bool

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "correlated_welfare": number(self.correlated_welfare),
            "nash_welfare": [number(w) for w in self.nash_welfare],
            "best_nash_welfare": None if self.best_nash_welfare is None else number(self.best_nash_welfare),
            "beats_every_nash": self.beats_every_nash,
            "gain": None if self.gain is None else number(self.gain),
        }
        if self.exact and self.best_nash_welfare is not None:
            out["gain_exact"] = exact_string(self.gain)
        return out


@dataclass
class CorrelatedResult:
    """An optimal correlated equilibrium, with the payoff ranges over all of them.

    Attributes:
        game: the game.
        objective: ``"welfare"`` or the name of the player whose payoff was maximised.
        probabilities: an array of the game's shape (``game.shape``):
            the probability of each pure profile (Fractions when ``exact``).
        payoffs: each player's expected payoff.
        welfare: the sum of the players' expected payoffs.
        exact: the distribution is exact and satisfies every incentive
            constraint exactly; else floats within ``tolerance``.
        certified: the objective's optimality was certified by an exact dual
            solution (else it agrees with the LP's optimum within a tolerance).
        tolerance: 0 when exact, else the absolute tolerance of the incentive
            constraints.
        ranges: the :class:`PayoffRanges` over all correlated equilibria.
        nash: the comparison with Nash equilibria, when one was made.
    """

    game: Any
    objective: str
    probabilities: Any
    payoffs: tuple[Any, ...]
    welfare: Any
    exact: bool
    certified: bool
    tolerance: float
    ranges: PayoffRanges | None = None
    nash: NashComparison | None = None

    def support(self) -> list[tuple[tuple[int, ...], Any]]:
        """``[(profile indices, probability), ...]`` for the profiles with positive probability."""
        out = []
        for idx in itertools.product(*(range(n) for n in self.game.shape)):
            p = self.probabilities[idx]
            if (p != 0) if self.exact else (float(p) > 0):
                out.append((idx, p))
        return out

    def distribution(self) -> dict[tuple[str, ...], Any]:
        """``{(strategy names...): probability}`` over the support."""
        g = self.game
        return {tuple(g.strategies[i][s] for i, s in enumerate(idx)): p for idx, p in self.support()}

    def to_dict(self) -> dict:
        """``{"game", "objective", "distribution", "payoffs", "welfare", "ranges", "exact", ...}``.

        Exact runs add ``payoffs_exact``, ``welfare_exact`` and ``ranges_exact``
        (strings); ``nash_comparison`` is present when a comparison was made.
        """
        g = self.game
        dist = []
        for idx, p in self.support():
            entry: dict[str, Any] = {
                "profile": {g.players[i]: g.strategies[i][s] for i, s in enumerate(idx)},
                "probability": float(p),
            }
            if self.exact:
                entry["exact"] = exact_string(p)
            dist.append(entry)
        out: dict[str, Any] = {
            "game": g.title,
            "objective": self.objective,
            "distribution": dist,
            "payoffs": {p: number(v) for p, v in zip(g.players, self.payoffs)},
            "welfare": number(self.welfare),
            "ranges": self.ranges.to_dict() if self.ranges is not None else None,
            "exact": self.exact,
        }
        if self.exact:
            out["payoffs_exact"] = {p: exact_string(v) for p, v in zip(g.players, self.payoffs)}
            out["welfare_exact"] = exact_string(self.welfare)
            if self.ranges is not None and self.ranges.exact:
                out["ranges_exact"] = self.ranges.exact_dict()
        else:
            out["tolerance"] = self.tolerance
        out["optimality_certified"] = self.certified
        if self.nash is not None:
            out["nash_comparison"] = self.nash.to_dict()
        return out

    def __repr__(self) -> str:
        def fmt(v: Any) -> str:
            return exact_string(v) if self.exact else f"{float(v):.6g}"

        head = f"<CorrelatedResult maximising {self.objective}: welfare {fmt(self.welfare)}"
        head += "" if self.exact else f" (floats, tolerance {self.tolerance:.1e})"
        lines = [head + ">"]
        for names, p in self.distribution().items():
            lines.append(f"  ({', '.join(names)}): {fmt(p)}")
        lines.append(
            "  payoffs: " + ", ".join(f"{pl} {fmt(v)}" for pl, v in zip(self.game.players, self.payoffs))
        )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        g = self.game

        def fmt(v: Any) -> str:
            return exact_string(v) if self.exact else f"{float(v):.4g}"

        head = "".join(f"<th>{html.escape(p)}</th>" for p in g.players)
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(n)}</td>" for n in names) + f"<td>{fmt(p)}</td></tr>"
            for names, p in self.distribution().items()
        )
        pays = ", ".join(f"{html.escape(pl)} {fmt(v)}" for pl, v in zip(g.players, self.payoffs))
        return (
            f"<table><caption>Correlated equilibrium maximising {html.escape(self.objective)}</caption>"
            f"<tr>{head}<th>probability</th></tr>{rows}</table><p>Payoffs: {pays}; welfare {fmt(self.welfare)}</p>"
        )


# -- the linear program -------------------------------------------------------------


def _le(a: Any, b: Any) -> bool:
    """``a <= b``, exactly when both are exact, else with a small relative tolerance."""
    if isinstance(a, (int, Fraction)) and isinstance(b, (int, Fraction)):
        return a <= b
    if isinstance(a, float) or isinstance(b, float):
        return _float_le(a, b)
    return sign(b - a) >= 0


def _float_le(a: Any, b: Any) -> bool:
    fa, fb = float(a), float(b)
    return fa <= fb + 1e-9 * max(1.0, abs(fa), abs(fb))


@dataclass
class _Program:
    """The incentive constraints of a game, in floats and (for rational games) in integers.

    Each exact row is scaled by a positive integer to clear its denominators,
    which leaves the constraint ``G_j . p >= 0`` unchanged and keeps the exact
    checks in integer arithmetic.
    """

    rows_float: Any  # (m, P) array: one row per non-trivial (player, a, b)
    rows_int: list[list[int]] | None
    labels: list[tuple[int, int, int]]
    payoffs_float: Any  # (N, P)
    payoffs_exact: list[list[Any]]  # N lists of P exact payoffs
    exact: bool
    scale: float


def _integer_row(values: Any) -> list[int]:
    """A rational row times the least common multiple of its denominators."""
    values = list(values)
    if all(type(v) is int for v in values):
        return values
    values = [Fraction(v) for v in values]
    scale = math.lcm(*(v.denominator for v in values)) if values else 1
    return [int(v.numerator * (scale // v.denominator)) for v in values]


def _common_denominator(values: Sequence[Any]) -> tuple[list[int], int]:
    """Exact values as ``(integers, D)`` with ``values[k] == integers[k] / D``."""
    fracs = [Fraction(v) for v in values]
    den = math.lcm(*(v.denominator for v in fracs)) if fracs else 1
    return [int(v.numerator * (den // v.denominator)) for v in fracs], den


# -- exact linear systems ------------------------------------------------------------

#: A prime below 2**26, so that products of residues summed over a row fit in int64.
_PRIME = 67108859
#: Systems smaller than this are solved by fraction-free elimination; larger by p-adic lifting.
_DIXON_MIN_SIZE = 40


def _inverse_mod(a: Any, p: int) -> Any:
    """The inverse of an integer matrix modulo the prime p (numpy int64), or ``None`` if singular mod p."""
    import numpy as np

    n = a.shape[0]
    m = np.concatenate([a % p, np.eye(n, dtype=np.int64)], axis=1)
    for k in range(n):
        nonzero = np.flatnonzero(m[k:, k])
        if len(nonzero) == 0:
            return None
        piv = k + int(nonzero[0])
        if piv != k:
            m[[k, piv]] = m[[piv, k]]
        m[k] = (m[k] * pow(int(m[k, k]), -1, p)) % p
        col = m[:, k].copy()
        col[k] = 0
        rows = np.flatnonzero(col)  # the matrices are sparse: update only the rows that need it
        if len(rows):
            m[rows] = (m[rows] - np.outer(col[rows], m[k])) % p
    return m[:, n:]


def _rational_reconstruction(t: int, modulus: int) -> tuple[int, int] | None:
    """``a / b`` with ``a == t * b (mod modulus)`` and ``|a|, b <= sqrt(modulus / 2)`` (Wang 1981)."""
    bound = math.isqrt(modulus // 2)
    r0, r1 = modulus, t % modulus
    s0, s1 = 0, 1
    while r1 > bound:
        q = r0 // r1
        r0, r1 = r1, r0 - q * r1
        s0, s1 = s1, s0 - q * s1
    if s1 == 0 or abs(s1) > bound:
        return None
    return (r1, s1) if s1 > 0 else (-r1, -s1)


def _dixon(rows: list[list[int]], rhs: list[int]) -> tuple[list[int], int] | None:
    """Solve a square integer system by p-adic lifting (Dixon 1982); ``None`` to fall back.

    One inverse modulo a prime p, then each step finds the next p-adic digit
    of the solution with one matrix-vector product mod p and updates the
    residual ``r <- (r - A x_i) / p`` exactly (it stays small).  The rational
    solution is read from the p-adic one by rational reconstruction, with a
    common denominator, and checked exactly (``A x == b d``); the number of
    digits is doubled until the check passes or Hadamard's bound is reached.
    """
    import numpy as np

    n = len(rows)
    p = _PRIME
    largest = max((abs(v) for r in rows for v in r), default=0)
    if largest == 0 or n >= 2048 or largest * p * n >= 2**62:
        return None
    a = np.array(rows, dtype=np.int64)
    inverse = _inverse_mod(a, p)
    if inverse is None:
        return None  # singular, or an unlucky prime: elimination decides
    col_norms = [math.sqrt(sum(float(rows[i][j]) ** 2 for i in range(n))) for j in range(n)]
    log_det = sum(math.log2(c) for c in col_norms if c > 0)
    log_b = math.log2(max(1.0, math.sqrt(sum(float(v) ** 2 for v in rhs))))
    max_digits = int((2 * log_det + log_b + 4) / math.log2(p)) + 2
    residual = np.array([int(v) for v in rhs], dtype=object)
    digits: list[Any] = []
    check_at = 4
    for step in range(1, max_digits + 1):
        small = np.array([int(v % p) for v in residual], dtype=np.int64)
        x_i = (inverse @ small) % p
        residual = (residual - (a @ x_i).astype(object)) // p
        digits.append(x_i)
        if step < check_at and step < max_digits:
            continue
        check_at *= 2
        modulus = p**step
        approx = [0] * n
        for x_d in reversed(digits):
            approx = [v * p + int(d) for v, d in zip(approx, x_d)]
        den = 1
        nums: list[int] = []
        ok = True
        for u in approx:
            got = _rational_reconstruction(u * den % modulus, modulus)
            if got is None:
                ok = False
                break
            num, extra = got
            if extra != 1:
                den *= extra
                nums = [v * extra for v in nums]
            nums.append(num)
        if not ok:
            continue
        if all(sum(r[j] * nums[j] for j in range(n) if r[j]) == b * den for r, b in zip(rows, rhs)):
            return nums, den
    return None


def _solve_exact(matrix: Sequence[Sequence[Any]], rhs: Sequence[Any]) -> tuple[list[int], int] | None:
    """Solve a square rational system exactly: ``(numerators, denominator)``, or ``None`` if singular.

    Each equation is scaled to integers; small systems are solved by
    fraction-free Gauss-Jordan elimination (:func:`gametheory.solvers._exact.solve_integer`),
    large ones by p-adic lifting (:func:`_dixon`), falling back to elimination.
    """
    rows: list[list[int]] = []
    ints_rhs: list[int] = []
    for row, b in zip(matrix, rhs):
        scaled = _integer_row(list(row) + [b])
        rows.append(scaled[:-1])
        ints_rhs.append(scaled[-1])
    if len(rows) >= _DIXON_MIN_SIZE:
        found = _dixon(rows, ints_rhs)
        if found is not None:
            nums, den = found
            g = math.gcd(den, *nums)
            return [v // g for v in nums], den // g
    return solve_integer(rows, ints_rhs)


def _solve_fractions(matrix: Sequence[Sequence[Any]], rhs: Sequence[Any]) -> list[Fraction] | None:
    found = _solve_exact(matrix, rhs)
    if found is None:
        return None
    nums, den = found
    return [Fraction(v, den) for v in nums]


def _integer_payoffs(payoffs: Any) -> Any:
    """One player's rational payoffs times the least common multiple of their denominators (object array)."""
    import numpy as np

    flat = list(payoffs.flat)
    scale = math.lcm(*(v.denominator for v in flat)) if flat else 1
    ints = [v.numerator * (scale // v.denominator) for v in flat]
    return np.array(ints, dtype=object).reshape(payoffs.shape)


def _program(game: Any) -> _Program:
    """Build (once per game) the constraint matrix ``G`` with ``G p >= 0`` the incentive constraints."""
    import numpy as np

    cache = game_cache(game)
    if "correlated_program" in cache:
        return cache["correlated_program"]
    exact = is_rational(game)
    rows_f: list[Any] = []
    rows_i: list[list[int]] = []
    labels = []
    for i in range(game.n_players):
        uf = np.moveaxis(game.payoff_array[i], i, 0)
        ui = np.moveaxis(_integer_payoffs(game.payoffs[i]), i, 0) if exact else None
        for a in range(game.shape[i]):
            for b in range(game.shape[i]):
                if a == b:
                    continue
                if exact:
                    diff = ui[a] - ui[b]
                    if not diff.any():
                        continue  # identical strategies: the constraint is 0 >= 0
                    row_i = np.zeros(ui.shape, dtype=object)
                    row_i[a] = diff
                    rows_i.append(np.moveaxis(row_i, 0, i).reshape(-1).tolist())
                elif not (uf[a] - uf[b]).any():
                    continue
                row = np.zeros(uf.shape)
                row[a] = uf[a] - uf[b]
                rows_f.append(np.moveaxis(row, 0, i).reshape(-1))
                labels.append((i, a, b))
    n_prof = game.n_profiles
    arr = game.payoff_array.reshape(game.n_players, n_prof)
    prog = _Program(
        rows_float=np.array(rows_f, dtype=float).reshape(len(rows_f), n_prof),
        rows_int=rows_i if exact else None,
        labels=labels,
        payoffs_float=arr,
        payoffs_exact=[list(game.payoffs[i].flat) for i in range(game.n_players)],
        exact=exact,
        scale=max(1.0, float(np.max(np.abs(arr)))) if arr.size else 1.0,
    )
    cache["correlated_program"] = prog
    return prog


@dataclass
class _Optimum:
    p: list[Any]  # one probability per profile (flattened, C order)
    value: Any
    exact: bool
    certified: bool


def _objective_vector(prog: _Program, weights: Sequence[int]) -> tuple[Any, list[Any]]:
    """The objective ``sum_i w_i u_i`` over profiles, as floats and exactly."""
    import numpy as np

    c_f = np.zeros(prog.payoffs_float.shape[1])
    n_prof = len(c_f)
    c_e: list[Any] = [Fraction(0)] * n_prof
    for i, w in enumerate(weights):
        if w == 0:
            continue
        c_f = c_f + w * prog.payoffs_float[i]
        col = prog.payoffs_exact[i]
        c_e = [c + w * u for c, u in zip(c_e, col)]
    return c_f, c_e


def _exact_value(c_e: list[Any], p: list[Any]) -> Any:
    return sum((c * q for c, q in zip(c_e, p) if q != 0), Fraction(0))


def _feasible(prog: _Program, nums: list[int], den: int) -> bool:
    """Exact check that ``p = nums / den`` (den > 0) is a correlated equilibrium, in integers."""
    if den <= 0 or any(v < 0 for v in nums) or sum(nums) != den:
        return False
    support = [k for k, v in enumerate(nums) if v]
    weights = [nums[k] for k in support]
    for row in prog.rows_int or []:
        if sum(row[k] * w for k, w in zip(support, weights)) < 0:
            return False
    return True


def _combination(prog: _Program, coefficients: list[int], rows: list[int], n_prof: int) -> list[int]:
    """``sum_j coefficients[j] * G_rows[j]`` as a list of integers over profiles."""
    acc = [0] * n_prof
    for coef, j in zip(coefficients, rows):
        if coef:
            row = prog.rows_int[j]
            acc = [a + coef * r for a, r in zip(acc, row)]
    return acc


def _recover(prog: _Program, res: Any, c_e: list[Any], lp_value: float) -> _Optimum | None:
    """The exact optimal vertex from the LP's solution (see the module docstring, steps 2-3).

    Tries the tight sets read at increasing tolerances, with the incentive
    rows ordered by dual value and then by slack; the first exact vertex that
    is a correlated equilibrium and reaches the LP's value is returned, with
    its optimality certified where an exact dual solution confirms it.
    """
    import numpy as np

    x = np.clip(res.x, 0.0, None)
    g = prog.rows_float
    m, n_prof = g.shape
    slack = g @ x if m else np.zeros(0)
    duals = np.abs(np.asarray(res.ineqlin.marginals)) if m else np.zeros(0)
    margin = 1e-6 * max(prog.scale, abs(lp_value))
    tried: set[tuple] = set()
    for tol in TIGHT_TOLERANCES:
        support = [k for k in range(n_prof) if x[k] > tol]
        tight = [j for j in range(m) if slack[j] <= tol * prog.scale]
        if not support:
            continue
        orders = (
            sorted(tight, key=lambda j: (-duals[j], slack[j])),  # the rows the dual solution uses first
            sorted(tight, key=lambda j: slack[j]),
        )
        for order in orders:
            sub = np.ones((1, len(support)))
            if order:
                sub = np.vstack([sub, g[np.ix_(order, support)]])
            chosen = independent_rows(sub, range(sub.shape[0]), len(support))
            if chosen is None:
                continue
            rows_idx = [None if r == 0 else order[r - 1] for r in chosen]
            key = (tuple(support), frozenset(rows_idx))
            if key in tried:
                continue
            tried.add(key)
            matrix = [
                [1] * len(support) if j is None else [prog.rows_int[j][k] for k in support] for j in rows_idx
            ]
            solved = _solve_exact(matrix, [1 if j is None else 0 for j in rows_idx])
            if solved is None:
                continue
            nums = [0] * n_prof
            for k, v in zip(support, solved[0]):
                nums[k] = v
            if not _feasible(prog, nums, solved[1]):
                continue
            p = [Fraction(v, solved[1]) for v in nums]
            value = _exact_value(c_e, p)
            if float(value) < lp_value - margin:
                continue  # a vertex of the polytope, but not the optimal one
            certified = _dual_certificate(prog, c_e, support, rows_idx, matrix) or _dual_from_lp(
                prog, res, c_e, support, value
            )
            return _Optimum(p, value, True, certified)
    rounded = [Fraction(float(q)).limit_denominator(10**6) for q in x]
    nums, den = _common_denominator(rounded)
    total = sum(nums)
    if total > 0 and _feasible(prog, nums, total):
        p = [Fraction(v, total) for v in nums]
        value = _exact_value(c_e, p)
        if float(value) >= lp_value - margin:
            support = [k for k, v in enumerate(nums) if v]
            return _Optimum(p, value, True, _dual_from_lp(prog, res, c_e, support, value))
    return None


def _dual_certificate(
    prog: _Program,
    c_e: list[Any],
    support: list[int],
    rows_idx: list[int | None],
    matrix: list[list[int]],
) -> bool:
    """LP duality, exactly: multipliers y with ``c = y_0 1 + sum_j y_j G_j + z`` and ``y_j, z <= 0``.

    ``y`` is solved from the chosen basis rows on the support columns
    (``matrix^T y = c_support``); ``z`` is then the remainder on the other
    profiles.  If every ``y_j`` (j an incentive row) and every ``z_k`` is
    ``<= 0``, then ``c . p <= y_0`` for every correlated equilibrium p, with
    equality at ours: it is optimal.
    """
    transposed = [[matrix[r][col] for r in range(len(matrix))] for col in range(len(support))]
    y = _solve_fractions(transposed, [c_e[k] for k in support])
    if y is None:
        return False
    if any(v > 0 for v, j in zip(y, rows_idx) if j is not None):
        return False
    ints, den = _common_denominator(list(y) + list(c_e))
    ys, cs = ints[: len(y)], ints[len(y) :]
    y0 = sum(v for v, j in zip(ys, rows_idx) if j is None)
    pairs = [(v, j) for v, j in zip(ys, rows_idx) if j is not None]
    acc = _combination(prog, [v for v, _ in pairs], [j for _, j in pairs], len(c_e))
    in_support = set(support)
    return all(cs[k] - y0 - acc[k] <= 0 for k in range(len(c_e)) if k not in in_support)


def _dual_from_lp(prog: _Program, res: Any, c_e: list[Any], support: list[int], value: Any) -> bool:
    """Certify a primal value by an exact dual solution recovered from the LP's dual values.

    The dual of ``max c.p`` over the CE polytope is ``min y0`` subject to
    ``y0 - sum_j lam_j G_j[k] >= c_k`` for every profile k, ``lam >= 0``.  The
    multipliers that HiGHS reports as non-zero are the unknowns (with y0); the
    dual constraints it reports as tight (zero reduced cost; those of profiles
    in the primal support first) give a square system, solved exactly.  A
    feasible exact dual with ``y0`` equal to the primal value proves optimality.
    Used when the primal basis read from the tight set is not dual feasible
    (degenerate programs).
    """
    import numpy as np

    m = prog.rows_float.shape[0]
    lam_f = -np.asarray(res.ineqlin.marginals, dtype=float) if m else np.zeros(0)
    reduced = np.asarray(res.lower.marginals, dtype=float)
    in_support = set(support)
    tried: set[tuple] = set()
    for tol in TIGHT_TOLERANCES:
        dual_scale = max(1.0, float(np.max(np.abs(lam_f), initial=0.0)))
        active = [j for j in range(m) if lam_f[j] > tol * dual_scale]
        tight = [k for k in range(len(reduced)) if abs(reduced[k]) <= tol * prog.scale or k in in_support]
        if not tight:
            continue
        order = sorted(tight, key=lambda k: (k not in in_support, abs(reduced[k])))
        n_var = 1 + len(active)
        rows_f = np.hstack([np.ones((len(order), 1)), -prog.rows_float[np.ix_(active, order)].T])
        chosen = independent_rows(rows_f, range(len(order)), n_var)
        if chosen is None:
            continue
        ks = [order[r] for r in chosen]
        key = (tuple(active), frozenset(ks))
        if key in tried:
            continue
        tried.add(key)
        matrix = [[1] + [-prog.rows_int[j][k] for j in active] for k in ks]
        sol = _solve_fractions(matrix, [c_e[k] for k in ks])
        if sol is None or any(v < 0 for v in sol[1:]) or sol[0] != value:
            continue
        ints, den = _common_denominator(list(sol) + list(c_e))
        y0, lam, cs = ints[0], ints[1 : len(sol)], ints[len(sol) :]
        acc = _combination(prog, lam, active, len(c_e))
        if all(y0 - acc[k] >= cs[k] for k in range(len(c_e))):
            return True
    return False


def _optimise(game: Any, weights: Sequence[int]) -> _Optimum:
    """Maximise ``sum_i w_i E[u_i]`` over the correlated equilibria of ``game``."""
    import numpy as np
    from scipy.optimize import linprog

    prog = _program(game)
    c_f, c_e = _objective_vector(prog, weights)
    n_prof = len(c_f)
    m = prog.rows_float.shape[0]
    res = linprog(
        -c_f,
        A_ub=-prog.rows_float if m else None,
        b_ub=np.zeros(m) if m else None,
        A_eq=np.ones((1, n_prof)),
        b_eq=[1.0],
        bounds=[(0, None)] * n_prof,
        method="highs-ds",
    )
    if res.status != 0:  # the polytope is never empty (Nash's theorem): a numerical failure
        raise RuntimeError(f"the correlated-equilibrium LP failed: {res.message}")
    lp_value = -float(res.fun)
    if prog.exact:
        opt = _recover(prog, res, c_e, lp_value)
        if opt is not None:
            return opt
    p = np.clip(res.x, 0.0, None)
    p = p / p.sum()
    return _Optimum([float(q) for q in p], float(c_f @ p), False, False)


def _weights(game: Any, objective: Any) -> tuple[list[int], str]:
    """Objective -> (weights per player, its name)."""
    if isinstance(objective, bool):
        raise GameError(f"objective must be 'welfare', a player name or a player index, not {objective!r}")
    if isinstance(objective, int):
        if not 0 <= objective < game.n_players:
            raise GameError(f"objective: no player with index {objective} (the game has {game.n_players})")
        i = objective
    elif isinstance(objective, str):
        if objective == WELFARE:
            return [1] * game.n_players, WELFARE
        if objective not in game.players:
            known = ", ".join([WELFARE] + list(game.players))
            raise GameError(f"unknown objective {objective!r} (expected one of: {known})")
        i = game.players.index(objective)
    else:
        raise GameError(f"objective must be 'welfare', a player name or a player index, not {objective!r}")
    w = [0] * game.n_players
    w[i] = 1
    return w, game.players[i]


def _expected_payoffs(prog: _Program, p: list[Any], exact: bool) -> tuple[Any, ...]:
    if exact:
        return tuple(_exact_value(col, p) for col in prog.payoffs_exact)
    import numpy as np

    return tuple(float(v) for v in prog.payoffs_float @ np.asarray(p, dtype=float))


# -- public API ---------------------------------------------------------------------


def payoff_ranges(game: Any) -> PayoffRanges:
    """The minimum and maximum of each player's expected payoff, and of welfare, over the CE polytope.

    ``2N + 2`` linear programs (max and min of each player's payoff and of
    the sum), each solved as in :func:`correlated_equilibrium`: exact where
    the payoffs are rational and an exact optimal vertex is confirmed.
    """
    n = game.n_players
    bounds: list[tuple[Any, Any]] = []
    all_exact = True
    all_certified = True
    targets = [[1 if j == i else 0 for j in range(n)] for i in range(n)] + [[1] * n]
    for w in targets:
        hi = _optimise(game, w)
        lo = _optimise(game, [-v for v in w])
        all_exact &= hi.exact and lo.exact
        all_certified &= hi.certified and lo.certified
        bounds.append((-lo.value, hi.value))
    if not all_exact:
        bounds = [(float(lo), float(hi)) for lo, hi in bounds]
    return PayoffRanges(
        game=game,
        players=dict(zip(game.players, bounds[:n])),
        welfare=bounds[n],
        exact=all_exact,
        certified=all_exact and all_certified,
    )


def correlated_equilibrium(
    game: Any, objective: str | int = WELFARE, ranges: bool = True
) -> CorrelatedResult:
    """The correlated equilibrium that maximises ``objective`` (Aumann 1974), by linear programming.

    Args:
        game: a :class:`~gametheory.model.Game` with any number of players.
        objective: ``"welfare"`` (the sum of the players' expected payoffs),
            a player's name, or a player's index: whose expected payoff to
            maximise.
        ranges: also compute :func:`payoff_ranges` (``2N + 2`` more LPs).

    Returns:
        A :class:`CorrelatedResult`.  For rational games the distribution is
        exact (Fractions) and satisfies every incentive constraint exactly;
        see the module docstring for how the exact vertex is recovered from
        the floating-point LP and its optimality certified.

    Raises:
        GameError: the objective names no player, or the game has one player.
    """
    if game.n_players < 2:
        raise GameError("correlated equilibria need at least two players (with one, choose a best strategy)")
    weights, name = _weights(game, objective)
    opt = _optimise(game, weights)
    prog = _program(game)
    pays = _expected_payoffs(prog, opt.p, opt.exact)
    welfare = sum(pays, Fraction(0)) if opt.exact else float(sum(pays))
    import numpy as np

    probs = np.empty(game.shape, dtype=object if opt.exact else float)
    probs.reshape(-1)[:] = opt.p if opt.exact else np.asarray(opt.p, dtype=float)
    return CorrelatedResult(
        game=game,
        objective=name,
        probabilities=probs,
        payoffs=pays,
        welfare=welfare,
        exact=opt.exact,
        certified=opt.certified,
        tolerance=0.0 if opt.exact else FLOAT_TOLERANCE * prog.scale,
        ranges=payoff_ranges(game) if ranges else None,
    )


def product_distribution(profile: Sequence[Sequence[Any]]) -> Any:
    """The joint distribution of independent mixed strategies (an array of shape ``(n_1, ..., n_N)``).

    Exact (object array of Fractions) when every probability is exact.  A
    Nash equilibrium's product distribution is a correlated equilibrium.
    """
    import numpy as np

    exact = all(isinstance(q, (int, Fraction)) and not isinstance(q, bool) for x in profile for q in x)
    out = np.array(Fraction(1) if exact else 1.0, dtype=object if exact else float)
    for x in profile:
        vec = np.array(
            [Fraction(q) for q in x] if exact else [float(q) for q in x], dtype=object if exact else float
        )
        out = np.multiply.outer(out, vec)
    return out


def incentive_slacks(game: Any, distribution: Any) -> list[tuple[int, int, int, Any]]:
    """For each player i and pair (a, b): ``sum_{s_-i} p(a, s_-i) [u_i(a, s_-i) - u_i(b, s_-i)]``.

    ``distribution`` is an array of the game's shape (or anything numpy reads
    as one).  Exact when its entries are exact and the game's payoffs are;
    returns ``[(player, a, b, slack), ...]``; the distribution is a
    correlated equilibrium iff every slack is ``>= 0``.
    """
    import numpy as np

    arr = np.asarray(distribution, dtype=object)
    if arr.shape != tuple(game.shape):
        raise GameError(f"a distribution over profiles needs shape {tuple(game.shape)}, got {arr.shape}")
    exact = all(isinstance(q, (int, Fraction)) and not isinstance(q, bool) for q in arr.flat)
    pay = game.payoffs if exact else game.payoff_array
    if not exact:
        arr = arr.astype(float)
    out = []
    for i in range(game.n_players):
        u = np.moveaxis(pay[i], i, 0)
        q = np.moveaxis(arr, i, 0)
        for a in range(game.shape[i]):
            for b in range(game.shape[i]):
                if a != b:
                    terms = q[a] * (u[a] - u[b])
                    total = sum(terms.flat, Fraction(0)) if exact else float(np.sum(terms))
                    out.append((i, a, b, total))
    return out


def is_correlated_equilibrium(game: Any, distribution: Any, tol: float = FLOAT_TOLERANCE) -> bool:
    """Whether ``distribution`` (an array of the game's shape) is a correlated equilibrium.

    Exact (no tolerance) when the probabilities are ints or Fractions; float
    distributions are allowed ``tol`` times the payoff scale of violation.
    """
    import numpy as np

    arr = np.asarray(distribution, dtype=object)
    exact = all(isinstance(q, (int, Fraction)) and not isinstance(q, bool) for q in arr.flat)
    if exact:
        if any(q < 0 for q in arr.flat) or sum(arr.flat, Fraction(0)) != 1:
            return False
        return all(
            (s >= 0) if isinstance(s, (int, Fraction)) else sign(s) >= 0
            for *_, s in incentive_slacks(game, arr)
        )
    scale = max(1.0, float(np.max(np.abs(game.payoff_array))))
    vals = arr.astype(float)
    if (vals < -tol).any() or abs(vals.sum() - 1.0) > tol * max(1, vals.size):
        return False
    return all(s >= -tol * scale for *_, s in incentive_slacks(game, vals))


def compare_with_nash(result: CorrelatedResult, nash_payoffs: Sequence[Sequence[Any]]) -> NashComparison:
    """Does the welfare-maximising correlated equilibrium beat every Nash equilibrium in welfare?

    Args:
        result: a :class:`CorrelatedResult`; its largest CE welfare is
            ``result.welfare`` when it maximised welfare, else the top of
            ``result.ranges`` (computed if missing).
        nash_payoffs: the payoff vector (one value per player) of each Nash
            equilibrium, e.g. ``[eq.payoffs for eq in solve(game)]``.

    Since every Nash equilibrium is a correlated equilibrium, the best CE is
    never worse; ``beats_every_nash`` says whether it is strictly better
    (exactly, when everything is exact).  Also stored on ``result.nash``.
    """
    if result.objective == WELFARE:
        best = result.welfare
    elif result.ranges is not None:
        best = result.ranges.welfare[1]
    else:
        best = correlated_equilibrium(result.game, WELFARE, ranges=False).welfare
    welfare = [
        sum(v, Fraction(0)) if all(isinstance(x, (int, Fraction)) for x in v) else sum(float(x) for x in v)
        for v in (list(p) for p in nash_payoffs)
    ]
    exact = isinstance(best, (int, Fraction)) and all(isinstance(w, (int, Fraction)) for w in welfare)
    if not welfare:
        comp = NashComparison(best, [], None, None, None, exact)
    else:
        top = max(welfare) if exact else max(float(w) for w in welfare)
        if exact:
            beats = best > top
            gain = best - top
        else:
            gain = float(best) - float(top)
            beats = gain > 1e-9 * max(1.0, abs(float(best)), abs(float(top)))
        comp = NashComparison(best, welfare, top, beats, gain, exact)
    result.nash = comp
    return comp


__all__ = [
    "CorrelatedResult",
    "NashComparison",
    "PayoffRanges",
    "compare_with_nash",
    "correlated_equilibrium",
    "incentive_slacks",
    "is_correlated_equilibrium",
    "payoff_ranges",
    "product_distribution",
]
