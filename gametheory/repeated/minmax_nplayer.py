"""The mixed minmax value of a player punished by several *independently* mixing opponents, exactly.

Player i's mixed minmax value (Fudenberg & Tirole 1991, sec. 5.1; Fudenberg &
Maskin 1986, eq. (1)) is

    v_i = min over x_-i in the product of the others' simplices of  F(x) = max over s of f_s(x),

where ``f_s(x) = u_i(s, x_-i)``, i's expected payoff from its pure strategy
``s``, is multilinear in the punishers' probabilities.  With one punisher
this is a linear programme; with two or more, mixing independently, it is a
nonconvex polynomial programme (the punishers cannot correlate), NP-hard in
general (Borgs, Chayes, Immorlica, Kalai, Mirrokni & Papadimitriou 2010, "The
myth of the folk theorem"; Hansen, Hansen, Miltersen & Sorensen 2008).  It is
also the value of the *team-maxmin equilibrium* of von Stengel & Koller (1997):
the punishers are a team with the common payoff ``-u_i``.

**Method (exact, for small games).**  At a minimiser x* let ``S`` be the
punishers' supports (a face of the product of simplices).  F is a maximum of
smooth functions on a polytope, so x* is a Karush-Kuhn-Tucker point (Clarke's
rule): some mixture ``lambda`` of i's strategies that are best against x*
(support ``B``) makes ``sum_s lambda_s grad f_s(x*)`` vanish along the face,
i.e. each punisher is indifferent among its support strategies when i plays
``lambda``: x* with ``lambda`` is a Nash equilibrium of the game in which
every punisher's payoff is ``-u_i``.  For every face ``S`` and support ``B``
the equations

    f_s(x) = f_b(x)                  for s in B   (b the first of B)
    sum_s lambda_s grad f_s(x) = 0   along the face, sum_s lambda_s = 1

are solved exactly (:func:`gametheory.solvers.nplayer._solve_polys`, the
Groebner-basis and real-algebraic-number machinery of the N-player Nash
solver).  The weights are eliminated when ``|B| >= d`` (the face's
dimension) or when only two punishers mix: ``grad f_b`` must lie in the span
of the ``grad f_s - grad f_b``, so all ``|B| x |B|`` minors of that d x |B|
matrix vanish (a single determinant when ``|B| = d``, nothing when
``|B| > d``); otherwise they stay unknowns.  With 3 players and 2 strategies
each these are the corners of the square, the critical points of one
bilinear payoff, the points of a curve ``f_s = f_b`` where the maximum is
stationary along it, and the crossings of three payoffs.  Every real solution
in the closed face at which ``f_b`` is the largest of i's payoffs is a
candidate; the smallest candidate value is an upper bound attained by an
exact profile, and it is the minimum when every system was solved to finitely
many points.

Degenerate payoffs give continua of solutions.  The equations are the
critical points of the Lagrangian ``t + sum lambda_s (f_s - t)``, so ``t =
f_b`` is constant on each component.  Components where a probability (or a
weight) vanishes are removed by saturation, the rest is projected on the
punishers' probabilities and ``t`` (lexicographic Groebner basis): solved when
finite; otherwise i's other strategies are made tight, in growing sets, and
the continuum's values of ``t`` (roots of the eliminant) are recorded.  A
recorded value below the best candidate (and not below the correlated bound)
leaves the value *bracketed* between it and the best candidate, except for a
curve in a two-dimensional face: it lies on a line or hyperbola ``f_s = f_b``,
which has no closed component, so a part of it where no payoff exceeds ``t``
would end on a smaller face or where another payoff becomes tight, both
solved separately.

Before the enumeration the game is reduced: i's strategies weakly dominated
by another pure strategy are dropped (they never raise the maximum), and so
are a punisher's strategies that another of its strategies matches or beats
for punishing (no higher payoff for i against any profile): the value is
unchanged.  When the correlated bound equals the pure minmax, or at most one
punisher is left with a choice (a linear programme,
:func:`gametheory.repeated.values.zero_sum`), no polynomial system is needed.
A face is skipped when its correlated relaxation (an LP over joint
distributions on the face) exceeds the best candidate, and a support ``B``
when no joint distribution on the face makes ``B`` tied best responses below
it (a product distribution is one; floating point, with a margin).

The number of systems grows like ``prod_j (2^{n_j} - 1) * (2^{n_i} - 1)`` and
their size with the face's dimension; beyond ``MAX_SYSTEMS`` systems, or
faces of dimension above ``MAX_DIMENSION`` (4 for two mixing punishers,
3 for three or more; sympy's Groebner bases are the limit), only bounds are
reported.  Typical times: 2x2x2 games 0.01-0.3 s per player, 3x3x3 about 1 s,
2x2x2x2 well under 1 s.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

MAX_SYSTEMS = 1000  # support systems (face x i's support), after the reduction
# the largest face dimension sum_j (n_j - 1) over the punishers who still mix: two punishers (i's
# payoffs bilinear), three or more (trilinear and up: the polynomial systems grow fast)
MAX_DIMENSION = (4, 3)
MAX_TIGHT = 32  # per continuum: systems with i's other strategies made tight
DISCHARGE_CURVES = True  # the argument for curves in two-dimensional faces (see _Search.solve)
PRUNE_MARGIN = 1e-9  # a face's LP bound must exceed the best value by this much (payoffs scaled to 1)


@dataclass(frozen=True)
class IndependentMinmax:
    """Player i's minmax value against independently mixing punishers.

    Attributes:
        player: i's index.
        exact: the value is certified (``value == lower == upper``).
        value: the minmax value (a Fraction or a sympy algebraic number) when
            ``exact``, else None.
        lower, upper: bounds on the value; ``upper`` is attained by ``profile``.
        profile: for each other player (in player order), a mixed strategy over
            its full strategy list (exact probabilities) that holds i to
            ``upper``: the minimising punishment when ``exact``.
        best_responses: i's pure strategies that are best against ``profile``.
        method: ``"pure"`` (no punisher needs to mix, or the bounds meet), ``"linear programme"``
            (one punisher left), ``"critical points"`` or ``"bounds"``.
        systems: polynomial systems solved; seconds: time taken.
    """

    player: int
    exact: bool
    value: Any
    lower: Any
    upper: Any
    profile: tuple[tuple[Any, ...], ...]
    best_responses: tuple[int, ...]
    method: str
    systems: int = 0
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)


# -- reduction -------------------------------------------------------------------------------------


def _reduce(u: Any) -> tuple[list[int], list[list[int]]]:
    """Indices kept: i's strategies (axis 0) and each punisher's (axes 1..m), value unchanged."""
    import numpy as np

    keep_i = list(range(u.shape[0]))
    keep = [list(range(n)) for n in u.shape[1:]]
    changed = True
    while changed:
        changed = False
        sub = u[np.ix_(keep_i, *keep)]
        for pos in range(len(keep_i) - 1, -1, -1):  # drop later duplicates first
            if len(keep_i) == 1:
                break
            row = sub[pos]
            if any(q != pos and bool(np.all(sub[q] >= row)) for q in range(len(keep_i))):
                del keep_i[pos]
                sub = np.delete(sub, pos, axis=0)
                changed = True
        for j in range(len(keep)):
            axis = j + 1
            for pos in range(len(keep[j]) - 1, -1, -1):
                if len(keep[j]) == 1:
                    break
                here = np.take(sub, pos, axis=axis)
                if any(
                    q != pos and bool(np.all(np.take(sub, q, axis=axis) <= here)) for q in range(len(keep[j]))
                ):
                    del keep[j][pos]
                    sub = np.delete(sub, pos, axis=axis)
                    changed = True
    return keep_i, keep


# -- systems ---------------------------------------------------------------------------------------


def _face_polys(R: Any, xgens: Sequence[Any], V: Any, S: Sequence[Sequence[int]]) -> tuple[list, list]:
    """Per punisher ``{strategy: probability}`` on the face ``S``, and i's payoffs ``f_s`` (ring elements)."""
    conv = R.domain.convert
    probs = []
    gens = iter(xgens)
    for Sj in S:
        rest = [next(gens) for _ in Sj[1:]]
        row = dict(zip(Sj[1:], rest))
        row[Sj[0]] = R.one - sum(rest, R.zero)
        probs.append(row)
    weights = []
    for prof in itertools.product(*S):
        w = R.one
        for j, a in enumerate(prof):
            w = w * probs[j][a]
        weights.append((prof, w))
    f = []
    for s in range(V.shape[0]):
        total = R.zero
        for prof, w in weights:
            c = V[(s,) + prof]
            if c:
                total += conv(c) * w
        f.append(total)
    return probs, f


def _equations(
    R: Any, xgens: Sequence[Any], lgens: Sequence[Any], f: Sequence[Any], A: Sequence[int], B: Sequence[int]
) -> list[Any]:
    """i indifferent on ``A`` (``f_s = f_b``), the punishers indifferent against ``lambda`` on ``B``."""
    b = B[0]
    eqs = [f[s] - f[b] for s in A if s != b]
    weights = dict(zip(B[1:], lgens))
    weights[b] = R.one - sum(lgens, R.zero)
    lagrangian = sum((weights[s] * f[s] for s in B), R.zero)
    eqs.extend(lagrangian.diff(x) for x in xgens)
    return eqs


def _determinant(m: Sequence[Sequence[Any]]) -> Any:
    """Laplace expansion along the first row (the matrices are at most 6 x 6)."""
    if len(m) == 1:
        return m[0][0]
    total = m[0][0] * 0
    for c in range(len(m)):
        if m[0][c]:
            minor = [row[:c] + row[c + 1 :] for row in m[1:]]
            term = m[0][c] * _determinant(minor)
            total = total + term if c % 2 == 0 else total - term
    return total


def _critical_equations(
    xgens: Sequence[Any], f: Sequence[Any], A: Sequence[int], B: Sequence[int]
) -> list[Any]:
    """The system of :func:`_equations` with the weights ``lambda`` eliminated.

    Some ``lambda`` with ``sum lambda = 1`` and ``sum lambda_s grad f_s = 0``
    exists when ``grad f_b`` lies in the span of ``grad f_s - grad f_b``
    (s in B): then the d x |B| matrix of these columns has rank below |B|, so
    all its |B| x |B| minors vanish (no condition when |B| > d).  The minors
    can also vanish where the differences are dependent: more candidates,
    all of them still points of the face.
    """
    b = B[0]
    eqs = [f[s] - f[b] for s in A if s != b]
    d = len(xgens)
    if len(B) > d:
        return eqs
    grads = {s: [f[s].diff(x) for x in xgens] for s in B}
    columns = [[grads[s][r] - grads[b][r] for r in range(d)] for s in B[1:]] + [grads[b]]
    for rows in itertools.combinations(range(d), len(B)):
        minor = _determinant([[columns[c][r] for c in range(len(B))] for r in rows])
        if minor:
            eqs.append(minor)
    return eqs


# -- exact real algebraic numbers ------------------------------------------------------------------


class _Alg:
    """A real algebraic number: a Fraction, or the root of a monic irreducible ``poly`` in ``(lo, hi)``.

    Comparisons refine the isolating intervals until they separate; two roots
    of the same polynomial whose intervals share a root are equal.  No sympy
    assumptions are involved (they are very slow on nested algebraic numbers).
    """

    def __init__(self, rational: Fraction | None = None, poly: Any = None, lo: Any = None, hi: Any = None):
        self.rational = rational
        self.poly = poly
        self.lo, self.hi = (rational, rational) if rational is not None else (Fraction(lo), Fraction(hi))

    def refine(self) -> None:
        if self.rational is None:
            lo, hi = self.poly.refine_root(self.lo, self.hi, eps=(self.hi - self.lo) / 2**16)
            self.lo, self.hi = Fraction(str(lo)), Fraction(str(hi))

    def __float__(self) -> float:
        if self.rational is not None:
            return float(self.rational)
        while float(self.hi - self.lo) > 1e-15 * max(1.0, abs(float(self.lo))):
            self.refine()
        return float((self.lo + self.hi) / 2)

    def cmp(self, other: _Alg) -> int:
        if self.rational is not None and other.rational is not None:
            return (self.rational > other.rational) - (self.rational < other.rational)
        for _ in range(200):
            if self.hi < other.lo:
                return -1
            if other.hi < self.lo:
                return 1
            if self.poly is not None and other.poly is not None and self.poly == other.poly:
                lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
                if lo <= hi and self.poly.count_roots(lo, hi) >= 1:
                    return 0  # both intervals isolate that root
            self.refine()
            other.refine()
        raise ArithmeticError("algebraic numbers not separated")  # pragma: no cover

    def value(self) -> Any:
        """A Fraction, or a sympy number (radicals for a quadratic, ``CRootOf`` beyond)."""
        if self.rational is not None:
            return self.rational
        import sympy

        index = self.poly.count_roots(None, self.lo)
        return _simplify(sympy.rootof(self.poly, index))


def _alg_of_number(x: Any) -> _Alg:
    return _Alg(rational=Fraction(x))


def _alg_at(point: Any, poly: Any) -> _Alg:
    """The value of a ring polynomial at a solution point of :func:`_solve_polys`, as an :class:`_Alg`."""
    from ..solvers.nplayer import _frac, _minimal_polynomial

    v = point.reduce(poly)
    if point.rational is not None:
        return _Alg(rational=Fraction(v))
    if v.degree() <= 0:
        return _Alg(rational=_frac(v.LC()) if not v.is_zero else Fraction(0))
    root = point.root
    minimal = _minimal_polynomial(v, root.f)
    if minimal.degree() == 1:
        c1, c0 = minimal.all_coeffs()
        return _Alg(rational=-_frac(c0) / _frac(c1))
    while True:
        a, b = root.enclose(v)
        if a < b and minimal.count_roots(a, b) == 1:
            return _Alg(poly=minimal, lo=a, hi=b)
        root.refine()


def _algs_of_univariate(coeffs: dict) -> list[_Alg]:
    """The real roots of a polynomial ``{degree: coefficient}`` over Q."""
    import sympy

    x = sympy.Symbol("x")
    poly = sympy.Poly({(k,): c for k, c in coeffs.items()}, x, domain="QQ")
    out = []
    for g, _ in sympy.factor_list(poly)[1]:
        g = g.monic()
        if g.degree() == 1:
            c1, c0 = g.all_coeffs()
            out.append(_Alg(rational=Fraction(int(c0.p), int(c0.q)) * -1 / Fraction(int(c1.p), int(c1.q))))
            continue
        for (lo, hi), _mult in g.intervals():
            out.append(_Alg(poly=g, lo=Fraction(str(lo)), hi=Fraction(str(hi))))
    return out


# -- the search ------------------------------------------------------------------------------------


@dataclass
class _Candidate:
    value: _Alg
    point: Any  # a solution point (None at a vertex)
    probs: list[dict]  # per punisher: strategy -> ring polynomial, or exact probability at a vertex
    f: list[Any]  # i's payoffs (ring polynomials) at the point; exact numbers at a vertex
    b: int


class _Search:
    """The critical-point enumeration for one player's reduced game ``V`` (axis 0: i's strategies).

    ``active``: i's strategies left by the reduction (the others are dominated);
    every strategy of ``V``'s other axes is kept.
    """

    def __init__(self, V: Any, active: Sequence[int], lower: Any):
        import numpy as np

        self.V = V
        self.active = list(active)
        self.lower = lower
        self.best: _Candidate | None = None
        self.flagged: list[_Alg | None] = []  # values of t on unresolved continua
        self.systems = 0
        self.pruned = 0
        self.discharged = 0  # continua shown to hold no better point (see solve)
        self.fmat = np.array([[float(c) for c in row] for row in V.reshape(V.shape[0], -1)])
        self.scale = float(np.abs(self.fmat).max()) or 1.0
        self.margin = PRUNE_MARGIN * self.scale
        self.columns = list(itertools.product(*[range(n) for n in V.shape[1:]]))

    # -- candidates

    def _better(self, value: _Alg) -> bool:
        return self.best is None or value.cmp(self.best.value) < 0

    def vertex(self, prof: Sequence[int]) -> None:
        payoffs = [self.V[(s,) + tuple(prof)] for s in range(self.V.shape[0])]
        b = max(self.active, key=lambda s: payoffs[s])
        value = _Alg(rational=Fraction(payoffs[b]))
        if self._better(value):
            self.best = _Candidate(value, None, [{a: Fraction(1)} for a in prof], payoffs, b)

    def _consider(self, point: Any, probs: Sequence[dict], f: Sequence[Any], b: int) -> None:
        for row in probs:
            for p in row.values():
                if not p.is_ground and point.sign(p) < 0:
                    return
        if self.best is not None and point.float(f[b]) > float(self.best.value) + self.margin:
            return
        for s in self.active:
            if s != b and point.sign(f[s] - f[b]) > 0:
                return
        value = _alg_at(point, f[b])
        if self._better(value):
            self.best = _Candidate(value, point, list(probs), list(f), b)

    # -- pruning by linear programming

    def face_bound(self, S: Sequence[Sequence[int]]) -> bool:
        """False when the face's correlated relaxation exceeds the best value: nothing to find there."""
        from .values import _lp_strategies

        cols = self._on_face(S)
        bound = _lp_strategies(self.fmat[self.active][:, cols])[2]
        return bound <= float(self.best.value) + self.margin

    def _on_face(self, S: Sequence[Sequence[int]]) -> list[int]:
        return [c for c, prof in enumerate(self.columns) if all(a in s for a, s in zip(prof, S))]

    def relaxation(self, S: Sequence[Sequence[int]], B: Sequence[int]) -> bool:
        """A joint distribution on the face at which ``B`` are tied best responses below the best value.

        A product distribution is one, so when none exists (by a clear margin)
        no solution of the system can improve on the best value.
        """
        import numpy as np
        from scipy.optimize import linprog

        cols = self._on_face(S)
        a = self.fmat[:, cols] / self.scale
        b = B[0]
        rows, rhs = [], []
        for s in self.active:
            if s == b:
                continue
            d = a[s] - a[b]
            rows.append(d)
            rhs.append(0.0)
            if s in B:
                rows.append(-d)
                rhs.append(0.0)
        rows.append(a[b])
        rhs.append(float(self.best.value) / self.scale)
        n = len(cols)
        A_ub = np.hstack([np.array(rows), -np.ones((len(rows), 1))])
        res = linprog(
            np.r_[np.zeros(n), 1.0],
            A_ub=A_ub,
            b_ub=np.array(rhs),
            A_eq=np.r_[np.ones(n), 0.0][None, :],
            b_eq=[1.0],
            bounds=[(0, None)] * n + [(None, None)],
            method="highs",
        )
        return res.status != 0 or res.fun <= PRUNE_MARGIN

    # -- one support profile

    def solve(self, S: Sequence[Sequence[int]], B: Sequence[int]) -> None:
        """Face ``S`` (a support per punisher), i's weights ``lambda`` supported on ``B``."""
        self._continuum: tuple[list, int] | None = None
        self._tie = False
        if self._solve(S, B, B):
            return
        # a continuum: make i's other strategies tight, in growing sets (its ends and corners)
        others = [s for s in self.active if s not in B]
        singles_resolved = True
        tried = 0
        frontier: list[tuple[int, ...]] = [()]
        while frontier and tried < MAX_TIGHT:
            following = []
            for subset in frontier:
                start = others.index(subset[-1]) + 1 if subset else 0
                for s in others[start:]:
                    if tried >= MAX_TIGHT:
                        break
                    tried += 1
                    extended = subset + (s,)
                    if not self._solve(S, sorted(set(B) | set(extended)), B, flag=False):
                        following.append(extended)
                        singles_resolved = singles_resolved and len(extended) > 1
            frontier = following
        singles_resolved = singles_resolved and len(others) <= MAX_TIGHT
        roots, dimension = self._continuum if self._continuum else ([None], -1)
        d = sum(len(Sj) - 1 for Sj in S)
        curve = d == 2 and dimension == 1 and self._tie and singles_resolved and None not in roots
        if curve and DISCHARGE_CURVES:
            # A curve in a square (or triangle) inside the zero set of f_s - f_b, a nonzero
            # polynomial a + b p + c q + e p q: a line or a hyperbola, with no closed (compact) real
            # component.  So a part of the curve where no other payoff exceeds t would end on the
            # face's boundary (a point of a smaller face, at the same t) or where another payoff
            # becomes tight (the systems just solved): the smaller faces and those systems account
            # for it.  Nothing to record.
            self.discharged += 1
            return
        self.flagged.extend(roots)

    def _solve(
        self, S: Sequence[Sequence[int]], A: Sequence[int], B: Sequence[int], flag: bool = True
    ) -> bool:
        """Solve one system; True when its solutions were all examined, False for an unresolved continuum."""
        from sympy.polys.domains import QQ
        from sympy.polys.orderings import grevlex
        from sympy.polys.rings import ring

        from ..solvers.nplayer import _solve_polys

        self.systems += 1
        xnames = [f"x{j}_{a}" for j, Sj in enumerate(S) for a in Sj[1:]]
        # the weights are eliminated (minors) when |B| >= d (one determinant, or no condition) or when
        # at most two punishers mix (the minors are then quadratic); otherwise they stay unknowns
        lagrange = 1 < len(B) < len(xnames) and sum(len(Sj) > 1 for Sj in S) > 2
        lnames = [f"l{s}" for s in B[1:]] if lagrange else []
        R = ring(xnames + lnames, QQ, grevlex)[0]
        xg, lg = R.gens[: len(xnames)], R.gens[len(xnames) :]
        probs, f = _face_polys(R, xg, self.V, S)
        if flag and len(B) > 1:
            self._tie = bool(f[B[1]] - f[B[0]])
        eqs = _equations(R, xg, lg, f, A, B) if lagrange else _critical_equations(xg, f, A, B)
        outcome = _solve_polys(R, eqs)
        if outcome.kind == "empty":
            return True
        if outcome.kind == "points":
            for point in outcome.points:
                self._consider(point, probs, f, B[0])
            return True
        resolved = self._eliminate(S, A, B, flag, lagrange=lagrange)
        if resolved is None:  # t varies on a component of the minors' variety: the Lagrange system
            resolved = bool(self._eliminate(S, A, B, flag, lagrange=True))
        return resolved

    def _eliminate(
        self, S: Sequence[Sequence[int]], A: Sequence[int], B: Sequence[int], flag: bool, lagrange: bool
    ) -> bool | None:
        """A continuum: saturate, eliminate, solve for the punishers' probabilities if they are finite.

        Components where a probability (or a weight) vanishes are removed by
        saturation (``z * prod - 1``: they belong to smaller faces or
        supports).  A lexicographic basis with ``z`` (and the weights) first
        and ``t = f_b`` last gives the projection on ``(x, t)``: solved when
        finite; otherwise its eliminant in ``t`` gives the values of ``t`` on
        the continuum (recorded when ``flag``).  None: ``t`` is not finite
        there (only possible without ``lagrange``).
        """
        from sympy.polys.domains import QQ
        from sympy.polys.groebnertools import groebner
        from sympy.polys.orderings import grevlex, lex
        from sympy.polys.rings import ring

        from ..solvers.nplayer import _dimension, _frac, _solve_polys

        xnames = [f"x{j}_{a}" for j, Sj in enumerate(S) for a in Sj[1:]]
        lnames = [f"l{s}" for s in B[1:]] if lagrange else []
        R = ring(["z"] + lnames + xnames + ["t"], QQ, lex)[0]
        head = 1 + len(lnames)
        z, lg, xg, t = R.gens[0], R.gens[1:head], R.gens[head:-1], R.gens[-1]
        probs, f = _face_polys(R, xg, self.V, S)
        product = R.one
        for row in probs:
            if len(row) > 1:
                for p in row.values():
                    product *= p
        if lagrange and len(B) > 1:
            product *= R.one - sum(lg, R.zero)
            for g in lg:
                product *= g
        eqs = _equations(R, xg, lg, f, A, B) if lagrange else _critical_equations(xg, f, A, B)
        eqs = [e for e in eqs if e] + [z * product - 1, t - f[B[0]]]
        basis = groebner(eqs, R)
        if len(basis) == 1 and basis[0].is_ground:
            return True
        projected = [g for g in basis if not any(any(m[:head]) for m in g.monoms())]
        nx = len(xnames) + 1
        pure_powers = {
            k
            for g in projected
            for k in range(nx)
            if g.LM[head + k] and sum(1 for e in g.LM[head:] if e) == 1
        }
        if len(pure_powers) == nx:  # finitely many (x, t): solve for them
            R2 = ring(xnames + ["t"], QQ, grevlex)[0]
            outcome = _solve_polys(R2, [R2.from_dict({m[head:]: c for m, c in g.terms()}) for g in projected])
            if outcome.kind == "empty":
                return True
            if outcome.kind == "points":
                probs2, f2 = _face_polys(R2, R2.gens[:-1], self.V, S)
                f2[B[0]] = R2.gens[-1]  # t = f_b on the solutions
                for point in outcome.points:
                    self._consider(point, probs2, f2, B[0])
                return True
        univariate = [g for g in projected if not any(any(m[:-1]) for m in g.monoms())]
        if not univariate:
            if not lagrange:
                return None
            if flag:  # pragma: no cover (t takes finitely many values on the critical set)
                self._continuum = ([None], -1)
            return False
        if flag:
            coeffs = {m[-1]: _frac(c) for m, c in univariate[0].terms()}
            # the dimension of the punishers' part; -1 (not used) for the Lagrange system, whose
            # weights can diverge at the end of a continuum
            dimension = -1 if lagrange else _dimension([tuple(g.LM[head:]) for g in projected], nx)
            self._continuum = (_algs_of_univariate(coeffs), dimension)
        return False

    # -- the result

    def profile(self) -> list[dict]:
        """The best candidate's punisher strategies (exact), per punisher ``{strategy: probability}``."""
        best = self.best
        if best.point is None:
            return best.probs
        return [
            {a: (_simplify(best.point.value(p)) if not p.is_ground else _ground(p)) for a, p in row.items()}
            for row in best.probs
        ]

    def best_responses(self) -> list[int]:
        """i's strategies (all of ``V``'s rows) that are best against the best candidate."""
        best = self.best
        if best.point is None:
            top = max(best.f)
            return [s for s, v in enumerate(best.f) if v == top]
        return [s for s in range(self.V.shape[0]) if best.point.sign(best.f[s] - best.f[best.b]) == 0]


def _ground(p: Any) -> Fraction:
    if not p:
        return Fraction(0)
    c = p.LC
    return Fraction(int(c.numerator), int(c.denominator))


def _simplify(v: Any) -> Any:
    if isinstance(v, Fraction):
        return v
    import sympy

    if getattr(v, "is_Rational", False):
        return Fraction(int(v.p), int(v.q))
    return sympy.factor_terms(v) if getattr(v, "is_Add", False) else v


# -- the player's problem --------------------------------------------------------------------------


def _subsets(items: Sequence[int]) -> list[tuple[int, ...]]:
    return [c for r in range(1, len(items) + 1) for c in itertools.combinations(items, r)]


def system_count(shape: Sequence[int], strategies: int) -> int:
    """Support systems for punishers with ``shape`` strategies each against ``strategies`` of i's."""
    faces = 1
    for n in shape:
        faces *= 2**n - 1
    return faces * (2**strategies - 1)


def independent_minmax(
    game: Any, player: int | str, lower: Any = None, max_systems: int | None = None
) -> IndependentMinmax:
    """Player's minmax value against the others mixing independently (module docstring).

    ``lower``: a known lower bound (the correlated-punishment LP value); it is
    computed when not given.  Exact and certified for rational games of
    modest size (``max_systems`` support systems after the reduction, by
    default ``MAX_SYSTEMS``, and ``MAX_DIMENSION``); otherwise ``exact`` is
    False and ``lower``/``upper`` bracket the value.
    """
    import numpy as np

    if max_systems is None:
        max_systems = MAX_SYSTEMS

    from .values import pure_minmax, zero_sum

    started = time.perf_counter()
    i = game.player_index(player)
    others = [j for j in range(game.n_players) if j != i]
    u = np.moveaxis(np.asarray(game.payoffs[i], dtype=object), i, 0)
    if lower is None:
        lower = zero_sum(u.reshape(u.shape[0], -1)).value
    pure_value, pure_profile = pure_minmax(game, i)
    pure_full = tuple(
        tuple(Fraction(int(a == b)) for b in range(game.shape[j])) for j, a in zip(others, pure_profile)
    )

    def result(
        value: Any,
        lo: Any,
        hi: Any,
        profile: tuple,
        method: str,
        responses: Sequence[int] | None = None,
        systems: int = 0,
        notes: Sequence[str] = (),
    ) -> IndependentMinmax:
        return IndependentMinmax(
            player=i,
            exact=value is not None,
            value=value,
            lower=lo,
            upper=hi,
            profile=profile,
            best_responses=tuple(responses) if responses is not None else _best_responses(u, profile),
            method=method,
            systems=systems,
            seconds=time.perf_counter() - started,
            notes=tuple(notes),
        )

    if isinstance(lower, (int, Fraction)) and lower == pure_value:  # the bounds meet: nothing to search
        return result(pure_value, pure_value, pure_value, pure_full, "pure")
    if not all(isinstance(c, (int, Fraction)) and not isinstance(c, bool) for c in u.flat):
        return result(
            None,
            lower,
            pure_value,
            pure_full,
            "bounds",
            notes=["irrational payoffs: the exact method needs rational ones"],
        )
    u = np.vectorize(Fraction, otypes=[object])(u)
    keep_i, keep = _reduce(u)

    def full(profile: Sequence[dict]) -> tuple[tuple[Any, ...], ...]:
        """Reduced-index mixtures of every punisher -> probabilities over its whole strategy list."""
        out = []
        for j, row in enumerate(profile):
            probs = [Fraction(0)] * game.shape[others[j]]
            for a, p in row.items():
                probs[keep[j][a]] = p
            out.append(tuple(probs))
        return tuple(out)

    mixing = [j for j, kj in enumerate(keep) if len(kj) > 1]
    fixed = [{0: Fraction(1)} for _ in keep]
    if not mixing:
        value = max(u[np.ix_(keep_i, *keep)].flat)
        return result(value, value, value, full(fixed), "pure")
    if len(mixing) == 1:
        j = mixing[0]
        sel = tuple(keep[k] if k == j else [keep[k][0]] for k in range(len(keep)))
        mat = u[np.ix_(keep_i, *sel)].reshape(len(keep_i), -1)
        sol = zero_sum(mat)
        if sol.exact:
            profile = [dict(enumerate(sol.column)) if k == j else {0: Fraction(1)} for k in range(len(keep))]
            return result(sol.value, sol.value, sol.value, full(profile), "linear programme")
        return result(
            None,
            lower,
            pure_value,
            pure_full,
            "bounds",
            notes=["the linear programme was not solved exactly"],
        )  # pragma: no cover
    # two or more punishers mix; the others are fixed at their single remaining strategy
    sel = tuple(keep[k] if k in mixing else [keep[k][0]] for k in range(len(keep)))
    W = u[np.ix_(range(u.shape[0]), *sel)].reshape((u.shape[0],) + tuple(len(keep[k]) for k in mixing))
    count = system_count(W.shape[1:], len(keep_i))
    dimension = sum(n - 1 for n in W.shape[1:])
    limit = MAX_DIMENSION[0] if len(mixing) == 2 else MAX_DIMENSION[1]
    if count > max_systems or dimension > limit:
        size = "x".join(str(n) for n in W.shape)
        return result(
            None,
            lower,
            pure_value,
            pure_full,
            "bounds",
            notes=[
                f"too large for the exact method ({size} after the reduction: {len(mixing)} punishers mixing "
                f"over dimension {dimension} (limit {limit}), {count} support systems (limit {max_systems}))"
            ],
        )

    search = _Search(W, keep_i, lower)
    for prof in search.columns:
        search.vertex(prof)
    faces = [
        S for S in itertools.product(*[_subsets(range(n)) for n in W.shape[1:]]) if any(len(s) > 1 for s in S)
    ]
    faces.sort(key=lambda S: sum(len(s) - 1 for s in S))
    supports = _subsets(keep_i)
    for S in faces:
        if not search.face_bound(S):
            search.pruned += len(supports)
            continue
        for B in supports:
            if search.relaxation(S, B):
                search.solve(S, B)
            else:
                search.pruned += 1
    reduced = search.profile()
    it = iter(reduced)
    profile = full([next(it) if k in mixing else {0: Fraction(1)} for k in range(len(keep))])
    value = search.best.value
    exact_value = value.value()
    responses = search.best_responses()
    _check(u, profile, float(value), responses)
    notes = []
    lower_alg = _Alg(rational=Fraction(lower)) if isinstance(lower, (int, Fraction)) else None
    if lower_alg is not None and value.cmp(lower_alg) < 0:  # pragma: no cover (the LP is a relaxation)
        raise ArithmeticError(f"minmax candidate {exact_value} below the correlated bound {lower}")
    open_values = [
        r
        for r in search.flagged
        if r is None or ((lower_alg is None or r.cmp(lower_alg) >= 0) and r.cmp(value) < 0)
    ]
    if open_values:
        known = [r for r in open_values if r is not None]
        lo = lower
        if len(known) == len(open_values):  # the value is one of these or the upper bound
            least = known[0]
            for r in known[1:]:
                if r.cmp(least) < 0:
                    least = r
            lo = least.value()
        notes.append(
            "a continuum of critical points could not be resolved (the value is the upper bound or "
            "that of such a continuum)"
        )
        return result(None, lo, exact_value, profile, "bounds", responses, search.systems, notes)
    return result(
        exact_value, exact_value, exact_value, profile, "critical points", responses, search.systems, notes
    )


def _check(u: Any, profile: Sequence[Sequence[Any]], value: float, responses: Sequence[int]) -> None:
    """An independent check in floating point: i's best payoff against ``profile`` is ``value``."""
    import numpy as np

    t = np.array(u, dtype=float)
    for x in reversed(profile):
        t = t @ np.array([float(p) for p in x])
    scale = max(1.0, float(np.abs(np.array(u, dtype=float)).max()))
    if abs(t.max() - value) > 1e-9 * scale or any(abs(t[s] - value) > 1e-9 * scale for s in responses):
        raise ArithmeticError(f"minmax check failed: {t.tolist()} against {value}")  # pragma: no cover


def _payoffs_at(u: Any, profile: Sequence[Sequence[Any]]) -> list[Any]:
    """i's payoff from each pure strategy against a rational ``profile``, exactly."""
    out = []
    for s in range(u.shape[0]):
        total = Fraction(0)
        for prof in itertools.product(*[range(len(x)) for x in profile]):
            w = Fraction(1)
            for x, a in zip(profile, prof):
                w *= x[a]
                if not w:
                    break
            if w:
                total += w * u[(s,) + prof]
        out.append(total)
    return out


def _best_responses(u: Any, profile: Sequence[Sequence[Any]]) -> tuple[int, ...]:
    if not all(isinstance(p, (int, Fraction)) for x in profile for p in x):  # pragma: no cover
        return ()
    payoffs = _payoffs_at(u, profile)
    top = max(payoffs)
    return tuple(s for s, v in enumerate(payoffs) if v == top)


__all__ = ["IndependentMinmax", "independent_minmax", "system_count", "MAX_SYSTEMS"]
