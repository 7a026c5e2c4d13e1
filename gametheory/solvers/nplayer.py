"""All Nash equilibria of a small N-player game, by support enumeration and exact polynomial solving.

This is the method of McKelvey & McLennan (1996), "Computation of equilibria
in finite games", *Handbook of Computational Economics* vol. 1, ch. 2,
section 6: for every *support profile* ``S = (S_1, ..., S_N)`` the
equilibria whose supports are exactly ``S`` are the solutions of a system of
polynomial equations (each player indifferent among its support strategies)
with positive probabilities, at which no strategy outside the supports does
better.  Solving that system exactly with Groebner bases is the approach of
Datta (2003), "Using computer algebra to find Nash equilibria", *Proc.
ISSAC 2003*, and of Turocy (2008), "Towards a black-box solver for finite
games" (Gambit's ``enumpoly``, there with a numerical solver).  The
enumeration and pruning of supports follows Porter, Nudelman & Shoham (2008),
"Simple search methods for finding a Nash equilibrium", *Games and Economic
Behavior* 63:642-662, Algorithm 2.

Steps:

1. Enumerate support profiles by backtracking over the players.  After a
   player's support is fixed, strategies that are *conditionally strictly
   dominated* (some pure strategy does strictly better against every profile
   of the other players' current domains) are removed, iteratively, from the
   domains of the players not yet fixed; a fixed support that would lose a
   strategy is abandoned (it cannot be the support of an equilibrium).
   Profiles where every player is pure are the pure equilibria
   (:func:`gametheory.solvers.pure.pure_equilibria`).
2. At a full support profile, a support strategy that some strategy matches
   or beats on every profile of the others' supports, and strictly beats on
   one, cannot be a best response to opponents who use all of their supports:
   such profiles are skipped (exact).  When three or more players mix, a
   necessary condition is checked by linear programming: each player's
   support strategies must be best responses to *some* joint distribution
   over the others' supports (a relaxation of the product distribution).
   Profiles that fail it by a clear margin are skipped.
3. Build the indifference system with sympy's polynomial rings (never from
   text): unknowns ``x_{i,s}`` for each support strategy but the first, whose
   probability is ``1 - sum``; equations ``u_i(s, x_-i) = u_i(first, x_-i)``.
   The system is multilinear: linear in each other player's probabilities.
4. Solve it exactly.  Linear systems (at most two players mix) by
   Gauss-Jordan elimination over the rationals.  Otherwise a reduced Groebner
   basis (Buchberger, degree reverse lexicographic order); ``{1}`` means no
   solution; if it is not zero-dimensional the solution set is a continuum
   (step 6).  For a zero-dimensional ideal, the quotient ring is a finite
   vector space; multiplication by a random linear form ``t`` gives its
   minimal polynomial ``p(t)`` and every unknown as a polynomial ``g_k(t)``
   (the *shape* representation, computed by linear algebra as in FGLM:
   Faugere, Gianni, Lazard & Mora 1993; Rouillier 1999).  Non-radical ideals
   are first replaced by their radical (Seidenberg's lemma).
5. Factor ``p`` over the rationals and isolate the real roots of each
   irreducible factor ``f`` exactly (rational intervals).  At a root
   ``theta``, every quantity is a polynomial in ``theta`` reduced modulo
   ``f``: it is zero exactly when the reduced polynomial is zero, and
   otherwise its sign is found by interval arithmetic on a refined isolating
   interval.  Keep the roots where the support probabilities are positive and
   no outside strategy does better; irrational probabilities are reported by
   their minimal polynomials (radicals for degree 2, ``CRootOf`` beyond).
   Rational candidates are verified by :func:`gametheory.solvers.verify.certify`
   (regret exactly 0); irrational ones by the same exact sign computation in
   ``Q(theta)``, and in floats as a second check.
6. Continua.  When a support's system has a positive-dimensional solution
   set (and is nonlinear), the components where a support probability
   vanishes are removed first by saturation (``z * prod(x) = 1``); what
   remains is a continuum with positive probabilities.  Outside strategies
   are then made tight (added as equations, in growing sets) until the system
   is zero-dimensional: these points, and those of smaller supports, are
   where the continuum ends.  What lies between is analysed by kind: a
   polytope when every condition is linear (two players, or one player
   mixing); an exact interval analysis when the equations are linear and the
   solution set is a line; otherwise points inside are found numerically
   (bounded least squares) and a curve is followed to its ends
   (predictor-corrector).  Continua are reported in ``details["continua"]``
   and make the result ``degenerate``.

Equilibria that differ in exactly one player's strategy are joined by a
segment of equilibria (payoffs are linear in each player's mixed strategy),
so the ``components`` of a degenerate result are the connected components of
that graph; for two players this is the bipartite-graph rule of Avis,
Rosenberg, Savani & von Stengel (2010).  Points of a curved continuum (three
or more players) are grouped per continuum in ``details["continua"]``.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterator, Sequence

from ..errors import GameError
from ._exact import is_rational
from .pure import pure_equilibria
from .result import Equilibrium, SolveResult
from .verify import DEFAULT_TOL, certify, evaluate, payoff_scale

METHOD = "polynomial-support-enumeration"
LP_MARGIN = 1e-6  # an LP relaxation must be infeasible by this much (payoffs scaled to [-1, 1])
MAX_TIGHT_SYSTEMS = 64  # per continuum: systems tried with outside strategies made tight
SEPARATING_FORMS = ((1, 3, 7, 13, 19, 29, 37, 43, 53, 61), (2, -5, 11, -17, 23, -31, 41, -47, 59, -67))


# -- exact univariate arithmetic in Q(theta) ------------------------------------------------------


def _frac(c: Any) -> Fraction:
    """A sympy rational (QQ element or Rational) as a Fraction."""
    return Fraction(int(c.numerator), int(c.denominator))


def _rational(c: Any) -> Any:
    """A sympy Rational from a QQ element or Fraction."""
    import sympy

    return sympy.Rational(int(c.numerator), int(c.denominator))


def _interval_eval(coeffs: Sequence[Fraction], lo: Fraction, hi: Fraction) -> tuple[Fraction, Fraction]:
    """An enclosure of ``{q(x) : lo <= x <= hi}``, coefficients highest degree first (Horner)."""
    a = b = Fraction(0)
    for c in coeffs:
        products = (a * lo, a * hi, b * lo, b * hi)
        a, b = min(products) + c, max(products) + c
    return a, b


class _Root:
    """A real root ``theta`` of an irreducible polynomial ``f`` over Q, with an isolating interval."""

    def __init__(self, f: Any, lo: Fraction, hi: Fraction):
        self.f = f  # sympy Poly over QQ in t
        self.lo, self.hi = lo, hi

    @property
    def degree(self) -> int:
        return self.f.degree()

    def refine(self) -> None:
        width = self.hi - self.lo
        lo, hi = self.f.refine_root(self.lo, self.hi, eps=width / 2**20)
        self.lo, self.hi = Fraction(str(lo)), Fraction(str(hi))

    def enclose(self, q: Any) -> tuple[Fraction, Fraction]:
        """An interval containing ``q(theta)``."""
        coeffs = [_frac(c) for c in q.all_coeffs()]
        if self.lo == self.hi:
            v = sum((c * self.lo**k for k, c in enumerate(reversed(coeffs))), Fraction(0))
            return v, v
        return _interval_eval(coeffs, self.lo, self.hi)

    def sign(self, q: Any) -> int:
        """The exact sign of ``q(theta)`` for ``q`` reduced modulo ``f``."""
        if q.is_zero:
            return 0
        if q.degree() <= 0:
            c = _frac(q.LC())
            return (c > 0) - (c < 0)
        while True:  # q(theta) != 0 since f is irreducible and deg q < deg f: refining terminates
            a, b = self.enclose(q)
            if a > 0:
                return 1
            if b < 0:
                return -1
            self.refine()

    def value(self, q: Any) -> Any:
        """``q(theta)`` exactly: a Fraction, or a sympy algebraic number (radicals or ``CRootOf``)."""
        import sympy

        if q.degree() <= 0:
            return _frac(q.LC()) if not q.is_zero else Fraction(0)
        minimal = _minimal_polynomial(q, self.f)
        if minimal.degree() == 1:
            c1, c0 = minimal.all_coeffs()
            return Fraction(-_frac(c0) / _frac(c1))
        while True:
            a, b = self.enclose(q)
            if a < b and minimal.count_roots(a, b) == 1:
                break
            self.refine()
        index = minimal.count_roots(None, a)
        value = sympy.rootof(minimal, index)
        return sympy.factor_terms(value) if value.is_Add else value

    def float(self, q: Any) -> float:
        a, b = self.enclose(q)
        while float(b - a) > 1e-15 * max(1.0, abs(float(a))):
            self.refine()
            a, b = self.enclose(q)
        return float((a + b) / 2)


def _minimal_polynomial(q: Any, f: Any) -> Any:
    """The minimal polynomial over Q of ``q(theta)``, ``theta`` a root of the irreducible ``f``."""
    import sympy

    t = f.gens[0]
    n = f.degree()
    powers = [sympy.Poly(1, t, domain="QQ")]
    vectors: list[list[Fraction]] = []
    for k in range(n + 1):
        if k:
            powers.append((powers[-1] * q).rem(f))
        coeffs = [_frac(c) for c in reversed(powers[-1].all_coeffs())]
        vectors.append(coeffs + [Fraction(0)] * (n - len(coeffs)))
        dep = _first_dependency(vectors)
        if dep is not None:
            y = sympy.Symbol("x")
            return sympy.Poly(list(reversed(dep)), y, domain="QQ").monic()
    raise ArithmeticError("no minimal polynomial found")  # pragma: no cover (degree bound)


def _first_dependency(vectors: Sequence[Sequence[Fraction]]) -> list[Fraction] | None:
    """Coefficients ``c`` with ``sum c_k v_k = 0`` and ``c_last = 1`` if the last vector depends on the rest."""
    m = len(vectors)
    dim = len(vectors[0]) if vectors else 0
    # columns are the vectors; solve V[:, :m-1] c = -v_last in the least-squares-free exact sense
    rows = [[vectors[k][r] for k in range(m - 1)] + [-vectors[m - 1][r]] for r in range(dim)]
    pivots, reduced = _rref(rows, m - 1)
    if pivots is None:
        return None
    sol = [Fraction(0)] * (m - 1)
    for r, col in enumerate(pivots):
        sol[col] = reduced[r][m - 1]
    if len(pivots) < m - 1:
        return None  # earlier vectors already dependent: not the first dependency
    return sol + [Fraction(1)]


def _rref(rows: list[list[Fraction]], ncols: int) -> tuple[list[int] | None, list[list[Fraction]]]:
    """Gauss-Jordan on an augmented matrix (last column the right-hand side).

    Returns ``(pivot columns, reduced rows)``, or ``(None, rows)`` when inconsistent.
    """
    rows = [list(r) for r in rows]
    pivots: list[int] = []
    r = 0
    for col in range(ncols):
        piv = next((k for k in range(r, len(rows)) if rows[k][col] != 0), None)
        if piv is None:
            continue
        rows[r], rows[piv] = rows[piv], rows[r]
        inv = 1 / rows[r][col]
        rows[r] = [v * inv for v in rows[r]]
        for k in range(len(rows)):
            if k != r and rows[k][col] != 0:
                factor = rows[k][col]
                rows[k] = [a - factor * b for a, b in zip(rows[k], rows[r])]
        pivots.append(col)
        r += 1
        if r == len(rows):
            break
    for k in range(r, len(rows)):
        if rows[k][ncols] != 0:
            return None, rows
    return pivots, rows[:r]


# -- polynomial systems ---------------------------------------------------------------------------


@dataclass
class _Point:
    """A real solution of a system: rational values, or polynomials in a real algebraic ``theta``."""

    rational: list[Fraction] | None = None
    root: _Root | None = None
    coords: list[Any] | None = None  # Poly in t reduced modulo root.f, one per variable
    _powers: dict = field(default_factory=dict)

    def reduce(self, poly: Any) -> Any:
        """A ring polynomial in the unknowns evaluated at the point (Fraction, or Poly in t mod f)."""
        if self.rational is not None:
            total = Fraction(0)
            for monom, coeff in poly.terms():
                term = _frac(coeff)
                for k, e in enumerate(monom):
                    if e:
                        term *= self.rational[k] ** e
                total += term
            return total
        f = self.root.f
        total = f * 0
        for monom, coeff in poly.terms():
            term = f * 0 + _rational(coeff)
            for k, e in enumerate(monom):
                if e:
                    key = (k, e)
                    if key not in self._powers:
                        self._powers[key] = (self.coords[k] ** e).rem(f)
                    term = (term * self._powers[key]).rem(f)
            total = total + term
        return total

    def sign(self, poly: Any) -> int:
        v = self.reduce(poly)
        if self.rational is not None:
            return (v > 0) - (v < 0)
        return self.root.sign(v)

    def value(self, poly: Any) -> Any:
        v = self.reduce(poly)
        return v if self.rational is not None else self.root.value(v)

    def float(self, poly: Any) -> float:
        v = self.reduce(poly)
        return float(v) if self.rational is not None else self.root.float(v)


@dataclass
class _Outcome:
    """What solving one polynomial system gave."""

    kind: str  # "empty", "points" or "positive"
    points: list[_Point] = field(default_factory=list)
    dimension: int = 0
    note: str = ""


def _solve_linear(polys: Sequence[Any], nvars: int) -> _Outcome:
    rows = []
    for p in polys:
        row = [Fraction(0)] * (nvars + 1)
        for monom, coeff in p.terms():
            if sum(monom) == 0:
                row[nvars] = -_frac(coeff)
            else:
                row[monom.index(1)] = _frac(coeff)
        rows.append(row)
    pivots, reduced = _rref(rows, nvars)
    if pivots is None:
        return _Outcome("empty")
    if len(pivots) < nvars:
        return _Outcome("positive", dimension=nvars - len(pivots))
    values = [Fraction(0)] * nvars
    for r, col in enumerate(pivots):
        values[col] = reduced[r][nvars]
    return _Outcome("points", [_Point(rational=values)])


def _leading_monomials(basis: Sequence[Any]) -> list[tuple[int, ...]]:
    return [tuple(g.LM) for g in basis]


def _dimension(lms: Sequence[tuple[int, ...]], nvars: int) -> int:
    """Krull dimension of an ideal from its leading monomials: the largest independent set of variables."""
    for size in range(nvars, -1, -1):
        for subset in itertools.combinations(range(nvars), size):
            chosen = set(subset)
            if not any(all(k in chosen for k, e in enumerate(m) if e) for m in lms):
                return size
    return 0  # pragma: no cover


def _standard_monomials(lms: Sequence[tuple[int, ...]], nvars: int) -> list[tuple[int, ...]]:
    """Monomials not divisible by any leading monomial (a basis of the quotient ring)."""

    def divisible(m: tuple[int, ...]) -> bool:
        return any(all(a >= b for a, b in zip(m, lm)) for lm in lms)

    found = []
    frontier = [(0,) * nvars]
    seen = set(frontier)
    while frontier:
        m = frontier.pop()
        if divisible(m):
            continue
        found.append(m)
        for k in range(nvars):
            n = m[:k] + (m[k] + 1,) + m[k + 1 :]
            if n not in seen:
                seen.add(n)
                frontier.append(n)
    return sorted(found)


def _normal_vector(poly: Any, basis: Sequence[Any], index: dict) -> list[Fraction]:
    nf = poly.rem(list(basis))
    vec = [Fraction(0)] * len(index)
    for monom, coeff in nf.terms():
        vec[index[monom]] = _frac(coeff)
    return vec


def _univariate_minimal(poly: Any, basis: Sequence[Any], index: dict) -> list[Fraction]:
    """Coefficients (lowest first, monic) of the minimal polynomial of ``poly`` in the quotient ring."""
    vectors = []
    power = poly.ring.one
    while True:
        vectors.append(_normal_vector(power, basis, index))
        dep = _first_dependency(vectors)
        if dep is not None:
            return dep
        power = (power * poly).rem(list(basis))


def _solve_many(
    columns: Sequence[Sequence[Fraction]], targets: Sequence[Sequence[Fraction]]
) -> list[list[Fraction]] | None:
    """Solve ``V a = b`` for each target ``b`` (V given by its columns, square); None if V is singular."""
    size = len(columns)
    rows = [[columns[j][r] for j in range(size)] + [b[r] for b in targets] for r in range(size)]
    for col in range(size):
        piv = next((k for k in range(col, size) if rows[k][col] != 0), None)
        if piv is None:
            return None
        rows[col], rows[piv] = rows[piv], rows[col]
        inv = 1 / rows[col][col]
        rows[col] = [v * inv for v in rows[col]]
        for k in range(size):
            if k != col and rows[k][col] != 0:
                factor = rows[k][col]
                rows[k] = [a - factor * b for a, b in zip(rows[k], rows[col])]
    return [[rows[r][size + j] for r in range(size)] for j in range(len(targets))]


def _shape(ring: Any, basis: Sequence[Any], lms: Sequence[tuple[int, ...]]) -> tuple[Any, list[Any]] | None:
    """``(p, [g_1, ..., g_n])`` with the ideal's points ``x_k = g_k(t)``, ``p(t) = 0``, or None.

    First the lexicographic basis by FGLM (Faugere, Gianni, Lazard & Mora 1993):
    when it is in *shape position* (``x_k - g_k(x_n)`` and ``p(x_n)``), ``t``
    is the last unknown.  Otherwise ``t`` is a linear form: its powers, by the
    multiplication matrices of the quotient ring, must span the quotient ring
    (then ``t`` separates the points and the ideal is radical), and every
    unknown is written in that basis.  None when no form tried works (the
    ideal is then taken to be non-radical).
    """
    import sympy
    from sympy.polys.fglmtools import matrix_fglm
    from sympy.polys.orderings import lex

    nvars = ring.ngens
    standard = _standard_monomials(lms, nvars)
    size = len(standard)
    t = sympy.Symbol("t")
    last = nvars - 1
    lexbasis = matrix_fglm(list(basis), ring, lex)
    unit = [tuple(1 if j == k else 0 for j in range(nvars)) for k in range(nvars)]
    by_lead = {tuple(g.LM): g for g in lexbasis}
    tail = tuple(size if j == last else 0 for j in range(nvars))
    if len(lexbasis) == nvars and tail in by_lead and all(unit[k] in by_lead for k in range(last)):

        def univariate(poly: Any) -> Any:
            """The terms of ``poly`` in the last unknown alone (the leading ``x_k`` is left out)."""
            coeffs = [Fraction(0)] * (size + 1)
            for monom, c in poly.terms():
                if not any(monom[:last]):
                    coeffs[monom[last]] = _frac(c)
            return sympy.Poly([_rational(c) for c in reversed(coeffs)], t, domain="QQ")

        p = univariate(by_lead[tail])
        coords = [-univariate(by_lead[unit[k]]) for k in range(last)]
        coords.append(sympy.Poly(t, t, domain="QQ"))
        return p.monic(), coords
    index = {m: k for k, m in enumerate(standard)}
    one = [Fraction(1 if m == (0,) * nvars else 0) for m in standard]
    mult = []  # multiplication matrices, as functions on coordinate vectors
    for g in ring.gens:
        images = [_normal_vector(g * ring.from_dict({m: 1}), basis, index) for m in standard]
        mult.append(images)

    def apply(weights: Sequence[int], vec: Sequence[Fraction]) -> list[Fraction]:
        out = [Fraction(0)] * size
        for w, images in zip(weights, mult):
            if not w:
                continue
            for j, c in enumerate(vec):
                if c:
                    for r, v in enumerate(images[j]):
                        if v:
                            out[r] += w * c * v
        return out

    coordinates = [apply([1 if j == k else 0 for j in range(nvars)], one) for k in range(nvars)]
    for weights in SEPARATING_FORMS:
        weights = weights[:nvars]
        powers = [one]
        for _ in range(size):
            powers.append(apply(weights, powers[-1]))
        solved = _solve_many(powers[:size], [powers[size]] + coordinates)
        if solved is None:
            continue
        top, *rest = solved
        p = sympy.Poly([1] + [-_rational(c) for c in reversed(top)], t, domain="QQ")
        coords = [sympy.Poly([_rational(c) for c in reversed(a)], t, domain="QQ") for a in rest]
        return p, coords
    return None


def _solve_polys(ring: Any, polys: Sequence[Any]) -> _Outcome:
    """All real solutions of a polynomial system over Q (points), or its emptiness or dimension."""
    import sympy
    from sympy.polys.groebnertools import groebner

    polys = [p for p in polys if p]
    if any(p.is_ground for p in polys):
        return _Outcome("empty")
    nvars = ring.ngens
    if not polys:
        return _Outcome("positive", dimension=nvars)
    if all(max(sum(m) for m in p.monoms()) <= 1 for p in polys):
        return _solve_linear(polys, nvars)
    basis = groebner(list(polys), ring)
    if len(basis) == 1 and basis[0].is_ground:
        return _Outcome("empty")
    lms = _leading_monomials(basis)
    dim = _dimension(lms, nvars)
    if dim > 0:
        return _Outcome("positive", dimension=dim)
    shape = _shape(ring, basis, lms)
    if shape is None:  # not radical (or no separating form): add square-free eliminants (Seidenberg)
        index = {m: k for k, m in enumerate(_standard_monomials(lms, nvars))}
        extra = []
        for g in ring.gens:
            coeffs = _univariate_minimal(g, basis, index)
            x = sympy.Symbol("x")
            sqf = sympy.Poly(list(reversed(coeffs)), x, domain="QQ").sqf_part()
            poly = ring.zero
            for (e,), c in sqf.terms():
                poly += ring.domain.convert(c) * g**e
            extra.append(poly)
        basis = groebner(list(basis) + extra, ring)
        lms = _leading_monomials(basis)
        shape = _shape(ring, basis, lms)
        if shape is None:  # pragma: no cover (a radical ideal has separating forms)
            return _Outcome("positive", dimension=0, note="no separating linear form found")
    p, coords = shape
    points = []
    for f, _ in sympy.factor_list(p)[1]:
        f = f.monic()
        for (lo, hi), _mult in f.intervals():
            lo, hi = Fraction(str(lo)), Fraction(str(hi))
            if f.degree() == 1:
                r = -_frac(f.all_coeffs()[1])
                at = sympy.Rational(r.numerator, r.denominator)
                points.append(
                    _Point(rational=[_frac(c.eval(at)) if not c.is_zero else Fraction(0) for c in coords])
                )
            else:
                root = _Root(f, lo, hi)
                points.append(_Point(root=root, coords=[c.rem(f) for c in coords]))
    return _Outcome("points", points)


# -- the game's systems ---------------------------------------------------------------------------


def _integer_payoffs(game: Any, exact: bool) -> tuple[list[Any], list[int]]:
    """Per player: the payoffs scaled to integers (object arrays), and the scale.

    Games with irrational payoffs are approximated by nearby rationals (the
    result is then verified in floating point against the real game).
    """
    import numpy as np

    arrays, scales = [], []
    for i in range(game.n_players):
        if exact:
            values = [Fraction(v) for v in game.payoffs[i].flat]
        else:
            values = [Fraction(float(v)).limit_denominator(10**12) for v in game.payoff_array[i].flat]
        scale = 1
        for v in values:
            scale = scale * v.denominator // math.gcd(scale, v.denominator)
        ints = np.array([int(v * scale) for v in values], dtype=object).reshape(game.shape)
        arrays.append(ints)
        scales.append(scale)
    return arrays, scales


def _comparison_arrays(ints: Sequence[Any]) -> list[Any]:
    """Float copies when every integer is exactly a float (fast exact comparisons), else the objects."""

    out = []
    for a in ints:
        if all(abs(v) < 2**53 for v in a.flat):
            out.append(a.astype(float))
        else:
            out.append(a)
    return out


def _support_profiles(u: Sequence[Any], shape: tuple[int, ...]) -> Iterator[tuple[tuple[int, ...], ...]]:
    """Support profiles that survive iterated conditional strict dominance (Porter et al. 2008, Alg. 2)."""
    import numpy as np

    n = len(shape)

    def dominated(j: int, domains: Sequence[Sequence[int]]) -> set[int]:
        idx = [np.arange(shape[j]) if k == j else np.asarray(domains[k]) for k in range(n)]
        sub = np.moveaxis(u[j][np.ix_(*idx)], j, 0).reshape(shape[j], -1)
        own = sub[list(domains[j])]
        beaten = (sub[:, None, :] > own[None, :, :]).all(axis=2).any(axis=0)
        return {a for a, b in zip(domains[j], beaten.tolist()) if b}

    def prune(domains: list[list[int]], fixed: int) -> list[list[int]] | None:
        changed = True
        while changed:
            changed = False
            for j in range(n):
                bad = dominated(j, domains)
                if bad:
                    if j < fixed:
                        return None
                    domains[j] = [a for a in domains[j] if a not in bad]
                    if not domains[j]:
                        return None
                    changed = True
        return domains

    def extend(i: int, domains: list[list[int]]) -> Iterator[tuple[tuple[int, ...], ...]]:
        if i == n:
            yield tuple(tuple(d) for d in domains)
            return
        for size in range(1, len(domains[i]) + 1):
            for support in itertools.combinations(domains[i], size):
                trial = [list(d) for d in domains]
                trial[i] = list(support)
                pruned = prune(trial, i + 1)
                if pruned is not None:
                    yield from extend(i + 1, pruned)

    start = prune([list(range(k)) for k in shape], 0)
    if start is not None:
        yield from extend(0, start)


def _weakly_dominated(u: Sequence[Any], supports: Sequence[Sequence[int]], shape: tuple[int, ...]) -> bool:
    """Whether some support strategy is weakly dominated given exactly the others' supports.

    When the others mix with full support on ``S_-i``, every profile of
    ``S_-i`` has positive weight, so a strategy ``s`` in ``S_i`` that some
    ``t`` matches or beats on all of ``S_-i`` and strictly beats on one does
    strictly worse than ``t``: ``s`` is not a best response and ``S`` is not
    the support profile of an equilibrium.  Exact (integer comparisons).
    """
    import numpy as np

    n = len(shape)
    for i in range(n):
        idx = [np.arange(shape[i]) if k == i else np.asarray(supports[k]) for k in range(n)]
        sub = np.moveaxis(u[i][np.ix_(*idx)], i, 0).reshape(shape[i], -1)
        own = sub[list(supports[i])]
        geq = (sub[:, None, :] >= own[None, :, :]).all(axis=2)
        gt = (sub[:, None, :] > own[None, :, :]).any(axis=2)
        if (geq & gt).any():
            return True
    return False


def _relaxation_feasible(u: Sequence[Any], supports: Sequence[Sequence[int]], shape: tuple[int, ...]) -> bool:
    """Whether each player's support can be its best-response set against a joint distribution.

    A necessary condition for an equilibrium with these supports (the
    others' product distribution is one such joint distribution).  Decided by
    linear programming in floating point, minimising the largest violation;
    only a violation above ``LP_MARGIN`` (payoffs scaled to [-1, 1]) rules
    the profile out.
    """
    import numpy as np
    from scipy.optimize import linprog

    n = len(shape)
    for i in range(n):
        idx = [np.arange(shape[i]) if k == i else np.asarray(supports[k]) for k in range(n)]
        sub = np.moveaxis(np.asarray(u[i][np.ix_(*idx)], dtype=float), i, 0).reshape(shape[i], -1)
        scale = max(1.0, float(np.abs(sub).max()))
        sub = sub / scale
        first = supports[i][0]
        diff = sub - sub[first]  # rows: strategies, columns: joint profiles of the others
        m = diff.shape[1]
        inside = [s for s in supports[i][1:]]
        outside = [s for s in range(shape[i]) if s not in supports[i]]
        if not inside and not outside:
            continue
        # variables: q (m), delta; minimise delta
        a_ub, b_ub = [], []
        for s in inside:
            a_ub.append(np.append(diff[s], -1.0))
            a_ub.append(np.append(-diff[s], -1.0))
            b_ub += [0.0, 0.0]
        for s in outside:
            a_ub.append(np.append(diff[s], -1.0))
            b_ub.append(0.0)
        res = linprog(
            np.append(np.zeros(m), 1.0),
            A_ub=np.array(a_ub),
            b_ub=np.array(b_ub),
            A_eq=np.append(np.ones(m), 0.0)[None, :],
            b_eq=[1.0],
            bounds=[(0, None)] * (m + 1),
            method="highs",
        )
        if res.status == 0 and res.fun > LP_MARGIN:
            return False
    return True


@dataclass
class _System:
    """The indifference system of one support profile."""

    supports: tuple[tuple[int, ...], ...]
    ring: Any
    probabilities: list[list[Any]]  # per player, per strategy: ring polynomial (0 outside the support)
    equations: list[Any]
    outside: list[tuple[int, int, Any]]  # (player, strategy, u_i(t) - u_i(first)) for t outside
    values: list[Any]  # per player: u_i(first, x_-i), scaled by the player's integer scale


def _build_system(
    ints: Sequence[Any], shape: tuple[int, ...], supports: tuple[tuple[int, ...], ...]
) -> _System:
    from sympy.polys.domains import QQ
    from sympy.polys.orderings import grevlex
    from sympy.polys.rings import ring

    names = [f"p{i}_{s}" for i, sup in enumerate(supports) for s in sup[1:]]
    R = ring(names, QQ, grevlex)[0]
    gens = iter(R.gens)
    probabilities = []
    for i, sup in enumerate(supports):
        row = [R.zero] * shape[i]
        rest = [next(gens) for _ in sup[1:]]
        for s, g in zip(sup[1:], rest):
            row[s] = g
        row[sup[0]] = R.one - sum(rest, R.zero)
        probabilities.append(row)
    n = len(shape)
    equations, outside, values = [], [], []
    for i in range(n):
        others = [supports[j] for j in range(n) if j != i]
        weights = []
        for prof in itertools.product(*others):
            w = R.one
            for j, s in zip([j for j in range(n) if j != i], prof):
                w = w * probabilities[j][s]
            weights.append((prof, w))

        def expected(a: int, i: int = i, weights: list = weights) -> Any:
            total = R.zero
            for prof, w in weights:
                point = prof[:i] + (a,) + prof[i:]
                c = ints[i][point]
                if c:
                    total += c * w
            return total

        first = expected(supports[i][0])
        values.append(first)
        for s in supports[i][1:]:
            equations.append(expected(s) - first)
        for t in range(shape[i]):
            if t not in supports[i]:
                outside.append((i, t, expected(t) - first))
    return _System(supports, R, probabilities, equations, outside, values)


@dataclass
class _Found:
    """A verified equilibrium and where it came from."""

    equilibrium: Equilibrium
    key: tuple
    supports: tuple[tuple[int, ...], ...]


def _accept(
    game: Any, system: _System, point: _Point, scales: Sequence[int], exact: bool, tol: float
) -> _Found | None:
    """The point as a verified equilibrium with support exactly ``system.supports``, or None."""
    for i, sup in enumerate(system.supports):
        if len(sup) > 1 and any(point.sign(system.probabilities[i][s]) <= 0 for s in sup):
            return None
    if not exact:
        profile = [[point.float(p) if p else 0.0 for p in row] for row in system.probabilities]
        eq = certify(game, profile, tol=tol)
        if eq is None:
            return None
        return _Found(eq, tuple(round(v, 9) for x in eq.profile for v in x), system.supports)
    if point.rational is not None:
        profile = [[point.reduce(p) if p else Fraction(0) for p in row] for row in system.probabilities]
        eq = certify(game, profile)
        if eq is None:
            return None
        return _Found(eq, tuple(v for x in eq.profile for v in x), system.supports)
    # irrational: exact signs in Q(theta)
    for _i, _t, diff in system.outside:
        if point.sign(diff) > 0:
            return None
    for eq_poly in system.equations:
        if point.sign(eq_poly) != 0:  # pragma: no cover (points of the ideal satisfy its equations)
            return None
    profile = tuple(tuple(point.value(p) if p else Fraction(0) for p in row) for row in system.probabilities)
    floats = [[float(v) for v in x] for x in profile]
    _, regrets, _ = evaluate(game, floats)
    if max(regrets) > 1e-9 * payoff_scale(game):  # pragma: no cover (a second, independent check)
        raise ArithmeticError(f"exact verification disagrees with floating point at {floats}")
    payoffs = tuple(_simplify(point.value(v) / scales[i]) for i, v in enumerate(system.values))
    eq = Equilibrium(
        profile=profile,
        exact=True,
        payoffs=payoffs,
        pure=False,
        regret=(Fraction(0),) * game.n_players,
    )
    return _Found(
        eq, tuple(profile[i][s] for i in range(len(profile)) for s in range(len(profile[i]))), system.supports
    )


def _simplify(v: Any) -> Any:
    if isinstance(v, Fraction):
        return v
    import sympy

    return sympy.factor_terms(sympy.nsimplify(v) if v.is_Add else v)


def _degree(poly: Any) -> int:
    return max((sum(m) for m in poly.monoms()), default=0) if poly else 0


@dataclass
class _Piece:
    """A connected set of equilibria with support exactly S: part of a continuum."""

    sample: Equilibrium  # an equilibrium inside it (exact when it was found exactly)
    ends: list[Any]  # float profiles where it leaves the support profile
    closed: bool = False  # a closed curve, with no ends


@dataclass
class _Continuum:
    """What is known of a support profile whose indifference system has a continuum of solutions."""

    supports: tuple[tuple[int, ...], ...]
    dimension: int
    kind: str  # "polytope", "interval", "curve", "sampled" or "unresolved"
    pieces: list[_Piece] = field(default_factory=list)
    note: str = ""


def _profile_floats(system: _System, evaluate_poly: Any) -> list[list[float]]:
    return [[float(evaluate_poly(p)) if p else 0.0 for p in row] for row in system.probabilities]


def _interval_pieces(game: Any, system: _System) -> list[_Piece]:
    """Exact analysis of a line of solutions (linear equations, one free unknown).

    The line is parametrised by its free unknown ``s``; every probability and
    every outside payoff difference becomes a polynomial in ``s``.  Between
    consecutive real roots of these polynomials the conditions "support
    probabilities positive, outside strategies not better" are constant, and
    are checked exactly at a rational point of each gap.  Adjacent feasible
    gaps form one piece (an interval of equilibria) whose ends are roots.
    """
    import sympy

    ring = system.ring
    n = ring.ngens
    rows = []
    for p in system.equations:
        row = [Fraction(0)] * (n + 1)
        for monom, coeff in p.terms():
            if sum(monom) == 0:
                row[n] = -_frac(coeff)
            else:
                row[monom.index(1)] = _frac(coeff)
        rows.append(row)
    pivots, reduced = _rref(rows, n) if rows else ([], [])
    if pivots is None:
        return []
    free = [k for k in range(n) if k not in pivots]
    if len(free) != 1:  # pragma: no cover (dimension 1 was established)
        return []
    s = sympy.Symbol("s")
    line: list[Any] = [None] * n
    line[free[0]] = sympy.Poly(s, s, domain="QQ")
    for r, col in enumerate(pivots):
        a, rhs = reduced[r][free[0]], reduced[r][n]
        line[col] = sympy.Poly(_rational(rhs) - _rational(a) * s, s, domain="QQ")

    def compose(poly: Any) -> Any:
        total = sympy.Poly(0, s, domain="QQ")
        for monom, coeff in poly.terms():
            term = sympy.Poly(_rational(coeff), s, domain="QQ")
            for k, e in enumerate(monom):
                if e:
                    term = term * line[k] ** e
            total = total + term
        return total

    positive = [
        compose(system.probabilities[i][a])
        for i, sup in enumerate(system.supports)
        if len(sup) > 1
        for a in sup
    ]
    nonpositive = [compose(d) for _, _, d in system.outside]
    critical = sympy.Poly(1, s, domain="QQ")
    for q in positive + nonpositive:
        if q.degree() > 0:
            critical = critical.lcm(q)
    critical = critical.sqf_part()
    roots = (
        [(Fraction(str(lo)), Fraction(str(hi))) for (lo, hi), _ in critical.intervals()]
        if critical.degree() > 0
        else []
    )
    if roots:
        gaps = [roots[0][0] - 1] + [(roots[k][1] + roots[k + 1][0]) / 2 for k in range(len(roots) - 1)]
        gaps.append(roots[-1][1] + 1)
    else:  # pragma: no cover (a probability varies along the line)
        gaps = [Fraction(0)]

    def feasible(value: Fraction) -> bool:
        at = _rational(value)
        return all(q.eval(at) > 0 for q in positive) and all(q.eval(at) <= 0 for q in nonpositive)

    def root_float(k: int) -> float:
        lo, hi = roots[k]
        if lo != hi:
            lo, hi = critical.refine_root(lo, hi, eps=Fraction(1, 10**30))
        return float((Fraction(str(lo)) + Fraction(str(hi))) / 2)

    def floats_at(value: float) -> list[list[float]]:
        point = [float(q.eval(value)) for q in line]

        def ev(poly: Any) -> float:
            return sum(float(c) * math.prod(point[k] ** e for k, e in enumerate(m)) for m, c in poly.terms())

        return _profile_floats(system, ev)

    pieces: list[_Piece] = []
    flags = [feasible(g) for g in gaps]
    k = 0
    while k < len(gaps):
        if not flags[k]:
            k += 1
            continue
        first = k
        while k + 1 < len(gaps) and flags[k + 1]:
            k += 1
        profile = [
            [_frac(compose(p).eval(_rational(gaps[first]))) if p else Fraction(0) for p in row]
            for row in system.probabilities
        ]
        eq = certify(game, profile)
        if eq is not None:
            ends = []
            if first > 0:
                ends.append(floats_at(root_float(first - 1)))
            if k < len(roots):
                ends.append(floats_at(root_float(k)))
            pieces.append(_Piece(eq, ends))
        k += 1
    return pieces


class _Compiled:
    """A ring polynomial as a fast float function with its gradient."""

    def __init__(self, poly: Any, nvars: int):
        import numpy as np

        terms = list(poly.terms()) if poly else []
        self.exps = np.array([m for m, _ in terms], dtype=float).reshape(len(terms), nvars)
        self.coeffs = np.array([float(c) for _, c in terms])

    def __call__(self, x: Any) -> float:
        import numpy as np

        if not len(self.coeffs):
            return 0.0
        return float(self.coeffs @ np.prod(np.power(x[None, :], self.exps), axis=1))

    def gradient(self, x: Any) -> Any:
        import numpy as np

        out = np.zeros(len(x))
        for k in range(len(x)):
            mask = self.exps[:, k] > 0
            if mask.any():
                e = self.exps[mask].copy()
                c = self.coeffs[mask] * e[:, k]
                e[:, k] -= 1
                out[k] = float(c @ np.prod(np.power(x[None, :], e), axis=1))
        return out


def _curve_pieces(game: Any, system: _System, dimension: int, tol: float, starts: int = 10) -> list[_Piece]:
    """Numerical pieces of a continuum of a nonlinear system.

    Points inside are found by bounded least squares from several starting
    points; on a curve (dimension 1) each is then followed in both directions
    by a predictor-corrector (tangent from the Jacobian's null vector, Gauss-Newton
    correction on the pseudo-arclength hyperplane) until it leaves the support
    profile, whose crossing is located by bisection: those points are its ends.
    """
    import numpy as np
    from scipy.optimize import least_squares

    nvars = system.ring.ngens
    eqs = [_Compiled(p, nvars) for p in system.equations]
    outs = [_Compiled(d, nvars) for _, _, d in system.outside]
    probs = [
        _Compiled(system.probabilities[i][a], nvars)
        for i, sup in enumerate(system.supports)
        if len(sup) > 1
        for a in sup
    ]
    scale = max([1.0] + [float(np.abs(e.coeffs).max()) for e in eqs + outs if len(e.coeffs)])

    def residual(x: Any) -> Any:
        r = [e(x) / scale for e in eqs]
        r += [max(0.0, o(x) / scale) for o in outs]
        r += [min(0.0, q(x)) for q in probs]
        return np.array(r)

    def margin(x: Any) -> float:
        return min([q(x) for q in probs] + [-o(x) / scale for o in outs])

    def jacobian(x: Any) -> Any:
        return np.array([e.gradient(x) / scale for e in eqs]).reshape(len(eqs), nvars)

    def correct(p: Any, t: Any) -> Any:
        y = p.copy()
        for _ in range(12):
            f = np.array([e(y) / scale for e in eqs] + [float(t @ (y - p))])
            a = np.vstack([jacobian(y), t[None, :]])
            dy = np.linalg.lstsq(a, -f, rcond=None)[0]
            y = y + dy
            if np.linalg.norm(dy) < 1e-14:
                break
        if max(abs(e(y)) / scale for e in eqs) > 1e-11:
            return None
        return y

    def tangent(x: Any) -> Any:
        return np.linalg.svd(jacobian(x))[2][-1]

    def evaluate_profile(x: Any) -> list[list[float]]:
        return _profile_floats(system, lambda poly: _Compiled(poly, nvars)(x))

    pieces: list[_Piece] = []
    visited: list[Any] = []
    rng = np.random.default_rng(20240601)
    for k in range(starts):
        x0 = np.full(nvars, 1 / 3) if k == 0 else rng.uniform(0.05, 0.6, nvars)
        sol = least_squares(residual, x0, bounds=(0.0, 1.0), xtol=1e-15, ftol=1e-15, gtol=1e-15)
        x = sol.x
        if np.max(np.abs(sol.fun), initial=0.0) > 1e-12 or margin(x) < 1e-7:
            continue
        if any(np.linalg.norm(x - v) < 0.03 for v in visited):
            continue  # on a piece already followed
        eq = certify(game, evaluate_profile(x), tol=tol)
        if eq is None:
            continue
        if dimension != 1:
            visited.append(x)
            pieces.append(_Piece(eq, []))
            continue
        ends, closed = [], False
        base = tangent(x)
        for direction in (1.0, -1.0):
            cur, t, h = x.copy(), direction * base, 1e-2
            for step in range(4000):
                y = correct(cur + h * t, t)
                if y is None:
                    h /= 2
                    if h < 1e-12:
                        break
                    continue
                if margin(y) < 0:
                    lo, hi, best = 0.0, h, cur
                    while hi - lo > 1e-13:
                        mid = (lo + hi) / 2
                        z = correct(cur + mid * t, t)
                        if z is not None and margin(z) >= 0:
                            lo, best = mid, z
                        else:
                            hi = mid
                    ends.append(evaluate_profile(best))
                    break
                visited.append(y)
                if step > 5 and np.linalg.norm(y - x) < h:
                    closed = True
                    break
                new = tangent(y)
                t = new if new @ t >= 0 else -new
                cur, h = y, min(2 * h, 0.05)
            if closed:
                break
        visited.append(x)
        if not any(sorted(map(str, p.ends)) == sorted(map(str, ends)) for p in pieces if p.ends):
            pieces.append(_Piece(eq, ends, closed))
    return pieces


# -- the solver -----------------------------------------------------------------------------------


def support_equilibria(
    game: Any, supports: Sequence[Sequence[int]], exact: bool = True, tol: float = DEFAULT_TOL
) -> tuple[list[Equilibrium], dict]:
    """The equilibria whose supports are exactly ``supports`` (one index list per player).

    Solves that support's indifference system (module docstring, steps 3-6)
    and returns ``(equilibria, info)``: the verified equilibria, and ``info``
    with ``"dimension"`` (0 for isolated solutions, else that of the
    solution set of the system) and, for a continuum, ``"sample"`` (a float
    equilibrium inside it, if one was found).
    """
    supports = tuple(tuple(sorted(int(s) for s in sup)) for sup in supports)
    if len(supports) != game.n_players or any(not s for s in supports):
        raise GameError("one non-empty support per player is needed")
    use_exact = exact and is_rational(game)
    ints, scales = _integer_payoffs(game, use_exact)
    found, info = _solve_support(game, ints, scales, supports, use_exact, tol)
    return [f.equilibrium for f in found], info


def _saturate(system: _System) -> _System:
    """The system with ``z * prod(support probabilities) - 1 = 0`` added (a new unknown ``z``)."""
    from sympy.polys.domains import QQ
    from sympy.polys.orderings import grevlex
    from sympy.polys.rings import ring

    old = system.ring
    new = ring([str(g) for g in old.gens] + ["z_saturation"], QQ, grevlex)[0]

    def lift(p: Any) -> Any:
        return new.from_dict({m + (0,): c for m, c in p.terms()}) if p else new.zero

    product = new.one
    for i, sup in enumerate(system.supports):
        if len(sup) > 1:
            for a in sup:
                product *= lift(system.probabilities[i][a])
    return _System(
        system.supports,
        new,
        [[lift(p) for p in row] for row in system.probabilities],
        [lift(p) for p in system.equations] + [new.gens[-1] * product - 1],
        [(i, t, lift(d)) for i, t, d in system.outside],
        [lift(v) for v in system.values],
    )


def _classify(game: Any, system: _System, dimension: int, tol: float, note: str) -> _Continuum:
    """How a continuum of solutions is analysed: by its equations' degrees and its dimension."""
    equations_linear = all(_degree(p) <= 1 for p in system.equations)
    if equations_linear and all(_degree(d) <= 1 for _, _, d in system.outside):
        return _Continuum(system.supports, dimension, "polytope", note=note)
    if equations_linear and dimension == 1:
        return _Continuum(system.supports, dimension, "interval", _interval_pieces(game, system), note)
    pieces = _curve_pieces(game, system, dimension, max(tol, 1e-9))
    if not pieces:
        return _Continuum(system.supports, dimension, "unresolved", note=note)
    return _Continuum(system.supports, dimension, "curve" if dimension == 1 else "sampled", pieces, note)


def _solve_support(
    game: Any,
    ints: Sequence[Any],
    scales: Sequence[int],
    supports: tuple[tuple[int, ...], ...],
    exact: bool,
    tol: float,
) -> tuple[list[_Found], dict]:
    if all(len(s) == 1 for s in supports):
        from .verify import certify_pure

        eq = certify_pure(game, [s[0] for s in supports])
        if eq is None:
            return [], {"dimension": 0}
        return [_Found(eq, tuple(v for x in eq.profile for v in x), supports)], {"dimension": 0}
    system = _build_system(ints, game.shape, supports)
    outcome = _solve_polys(system.ring, system.equations)
    info: dict[str, Any] = {"dimension": 0}
    found: list[_Found] = []
    seen: set = set()
    search = system  # the system whose tight extensions are searched

    def collect(points: Sequence[_Point]) -> None:
        for point in points:
            f = _accept(game, search, point, scales, exact, tol)
            if f is not None and f.key not in seen:
                seen.add(f.key)
                found.append(f)

    if outcome.kind == "positive" and any(_degree(p) > 1 for p in system.equations):
        # remove the components where a support probability vanishes: they hold no equilibrium
        # with this support (saturation by the product of the probabilities, Rabinowitsch's trick)
        search = _saturate(system)
        outcome = _solve_polys(search.ring, search.equations)
    if outcome.kind == "points":
        collect(outcome.points)
    elif outcome.kind == "positive":
        info["dimension"] = outcome.dimension
        if outcome.note:
            info["note"] = outcome.note
        frontier: list[tuple[int, ...]] = [()]
        tried = 0
        exhausted = False
        while frontier and not exhausted:
            following = []
            for subset in frontier:
                start = subset[-1] + 1 if subset else 0
                for k in range(start, len(search.outside)):
                    if tried >= MAX_TIGHT_SYSTEMS:
                        exhausted = True
                        break
                    tried += 1
                    extended = subset + (k,)
                    res = _solve_polys(
                        search.ring, search.equations + [search.outside[j][2] for j in extended]
                    )
                    if res.kind == "points":
                        collect(res.points)
                    elif res.kind == "positive":
                        following.append(extended)
                if exhausted:
                    break
            frontier = following
        if exhausted:
            info["note"] = f"stopped after {MAX_TIGHT_SYSTEMS} systems with tight outside strategies"
        info["continuum"] = _classify(game, system, outcome.dimension, tol, info.get("note", ""))
    return found, info


def support_enumeration_nplayer(game: Any, exact: bool = True, tol: float = DEFAULT_TOL) -> SolveResult:
    """All isolated Nash equilibria of a small N-player game, exactly (module docstring).

    Args:
        game: a :class:`~gametheory.model.game.Game` with N >= 1 players.
        exact: report exact probabilities (Fractions, or sympy algebraic
            numbers such as ``(-1 + sqrt(33))/8``) verified with regret exactly
            0.  With ``exact=False``, or for a game with irrational payoffs,
            the same systems are solved but the equilibria are reported as
            floats verified to ``tol`` (relative to the payoff scale).
        tol: the regret tolerance for float results.

    Returns:
        A :class:`~gametheory.solvers.result.SolveResult` with method
        ``"polynomial-support-enumeration"``.  ``details`` holds
        ``"supports"`` (support profiles solved), ``"pruned"`` (skipped by
        the dominance and LP tests) and, when equilibria form continua,
        ``"continua"``: one entry per support profile with its ``supports``,
        ``dimension`` (of the solution set of its equations), ``kind``
        (``"polytope"``, ``"interval"``, ``"curve"``, ``"sampled"`` or
        ``"unresolved"``), ``points`` (indices of the equilibria that bound
        it) and ``pieces`` (each with a float ``sample`` equilibrium inside it,
        ``sample_exact`` when exact, and the indices of its ``ends``).
        ``components`` groups the equilibria joined by continua.
        ``complete`` is false when a continuum of a nonlinear system could
        neither be confirmed nor excluded, or has dimension 2 or more.

    Runs in seconds for games up to about 3 players x 3 strategies or
    4 players x 2 strategies; the number of support profiles, and the degree
    of the systems, grow exponentially.
    """

    if game.n_players < 1:
        raise GameError("a game needs at least one player")
    notes: list[str] = []
    use_exact = exact and is_rational(game)
    if exact and not use_exact:
        notes.append("irrational payoffs: solved with rational approximations and verified in floating point")
    ints, scales = _integer_payoffs(game, use_exact)
    compare_arrays = _comparison_arrays(ints)
    found: list[_Found] = []
    pure_found = pure_equilibria(game)
    for eq in pure_found:
        found.append(_Found(eq, tuple(v for x in eq.profile for v in x), eq.supports))
    continua: list[_Continuum] = []
    solved = pruned = 0
    for supports in _support_profiles(compare_arrays, game.shape):
        mixing = sum(1 for s in supports if len(s) > 1)
        if mixing == 0:
            continue
        if _weakly_dominated(compare_arrays, supports, game.shape):
            pruned += 1
            continue
        if mixing >= 3 and not _relaxation_feasible(compare_arrays, supports, game.shape):
            pruned += 1
            continue
        solved += 1
        new, info = _solve_support(game, ints, scales, supports, use_exact, tol)
        found.extend(new)
        if "continuum" in info:
            continua.append(info["continuum"])
    # order: by support size, then by profile (descending probabilities of the first strategies)
    found.sort(
        key=lambda f: (sum(len(s) for s in f.supports), [-p for x in f.equilibrium.float_profile for p in x])
    )
    equilibria = [f.equilibrium for f in found]
    details: dict[str, Any] = {"supports": solved, "pruned": pruned}
    joins, entries, complete = _describe_continua(game, found, continua)
    if entries:
        details["continua"] = entries
    components = _components(equilibria, joins)
    degenerate = any(len(c) > 1 for c in components) or any(e["pieces"] for e in entries)
    if notes:
        details["notes"] = notes
    return SolveResult(
        game=game,
        method=METHOD,
        equilibria=equilibria,
        degenerate=degenerate,
        components=components if degenerate else None,
        complete=complete,
        tolerance=0.0 if all(e.exact for e in equilibria) else tol,
        details=details,
    )


def _describe_continua(
    game: Any, found: Sequence[_Found], continua: Sequence[_Continuum]
) -> tuple[list[list[int]], list[dict], bool]:
    """``(groups of equilibria to join, details entries, complete)`` from the continua met.

    * ``polytope`` (every condition linear: two players, or one player mixing):
      the equilibria of the support profile's closure form a polytope whose
      vertices were all found (by making outside strategies tight); it holds
      equilibria with support exactly S iff the vertices' supports cover S.
    * ``interval``: exact pieces (intervals) with their ends.
    * ``curve``: numerically traced pieces; their ends are matched to the
      equilibria found (within 1e-6).
    * ``sampled`` (dimension 2 or more, nonlinear): points inside, ends unknown.
    * ``unresolved``: no point found, none excluded: the result is not complete.
    """
    joins: list[list[int]] = []
    entries: list[dict] = []
    complete = True
    names = game.players

    def describe_supports(sup: Sequence[Sequence[int]]) -> dict:
        return {p: [game.strategies[i][s] for s in sup[i]] for i, p in enumerate(names)}

    def match(profile: Any) -> int | None:
        best, where = 1e-6, None
        for k, f in enumerate(found):
            d = max(abs(u - v) for x, y in zip(profile, f.equilibrium.float_profile) for u, v in zip(x, y))
            if d < best:
                best, where = d, k
        return where

    for c in continua:
        entry: dict[str, Any] = {
            "supports": describe_supports(c.supports),
            "dimension": c.dimension,
            "kind": c.kind,
            "points": [],
            "pieces": [],
        }
        notes = [c.note] if c.note else []
        if c.kind == "polytope":
            closure = [k for k, f in enumerate(found) if _on_closure(game, f.equilibrium, c.supports)]
            covered = [set() for _ in c.supports]
            for k in closure:
                for i, sup in enumerate(found[k].supports):
                    covered[i] |= set(sup)
            if len(closure) < 2 or any(covered[i] != set(sup) for i, sup in enumerate(c.supports)):
                continue  # no equilibrium has exactly this support
            entry["points"] = closure
            joins.append(closure)
            centre = [
                [
                    sum(found[k].equilibrium.float_profile[i][a] for k in closure) / len(closure)
                    for a in range(n)
                ]
                for i, n in enumerate(game.shape)
            ]
            entry["pieces"].append({"sample": centre, "ends": closure})
        elif c.kind == "unresolved":
            complete = False
            notes.append(
                "the indifference system has a continuum of solutions; no equilibrium was found on it, "
                "none could be excluded"
            )
        else:
            if not c.pieces:
                continue
            for piece in c.pieces:
                ends = [match(e) for e in piece.ends]
                if any(e is None for e in ends):
                    notes.append("an end of a piece is not among the equilibria found")
                ends = [e for e in ends if e is not None]
                if len(ends) > 1:
                    joins.append(ends)
                entry["points"] = sorted(set(entry["points"]) | set(ends))
                item: dict[str, Any] = {"sample": [list(x) for x in piece.sample.float_profile], "ends": ends}
                if piece.sample.exact:
                    item["sample_exact"] = [[str(v) for v in x] for x in piece.sample.profile]
                if piece.closed:
                    item["closed"] = True
                    notes.append("a closed curve of equilibria: it has no extreme point")
                entry["pieces"].append(item)
            if c.kind == "sampled":
                complete = False
                notes.append(
                    "a continuum of dimension 2 or more with nonlinear conditions: its extreme points and "
                    "their connections are not established"
                )
        if notes:
            entry["note"] = "; ".join(notes)
        entries.append(entry)
    return joins, entries, complete


def _on_closure(game: Any, eq: Equilibrium, supports: Sequence[Sequence[int]]) -> bool:
    """Whether ``eq`` uses only strategies of ``supports`` and all of them are best responses there."""
    for x, sup in zip(eq.profile, supports):
        if any(p != 0 and k not in sup for k, p in enumerate(x)):
            return False
    if not eq.exact:
        return False
    try:
        values = _deviation_payoffs(game, eq.profile)
    except (TypeError, ValueError):  # pragma: no cover
        return False
    for v, sup in zip(values, supports):
        best = v[sup[0]]
        if any(_exact_compare(v[s], best) != 0 for s in sup[1:]):
            return False
    return True


def _exact_compare(a: Any, b: Any) -> int:
    from ._exact import compare

    return compare(a, b)


def _deviation_payoffs(game: Any, profile: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Each player's exact payoff from each pure strategy against the others' profile."""
    n = game.n_players
    out = []
    for i in range(n):
        row = []
        for a in range(game.shape[i]):
            total: Any = Fraction(0)
            for prof in itertools.product(*[range(game.shape[j]) if j != i else [a] for j in range(n)]):
                w: Any = Fraction(1)
                for j in range(n):
                    if j != i:
                        w = w * profile[j][prof[j]]
                        if w == 0:
                            break
                if w != 0:
                    total = total + w * game.payoffs[(i,) + prof]
            row.append(total)
        out.append(row)
    return out


def _components(equilibria: Sequence[Equilibrium], joins: Sequence[Sequence[int]] = ()) -> list[list[int]]:
    """Connected components of the graph joining equilibria that differ in one player's strategy.

    ``joins`` lists further groups known to be connected (ends of a piece of a continuum).
    """
    parent = list(range(len(equilibria)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in itertools.combinations(range(len(equilibria)), 2):
        pa, pb = equilibria[a].profile, equilibria[b].profile
        if not (equilibria[a].exact and equilibria[b].exact):
            fa, fb = equilibria[a].float_profile, equilibria[b].float_profile
            differ = sum(1 for x, y in zip(fa, fb) if max(abs(u - v) for u, v in zip(x, y)) > 1e-9)
        else:
            differ = sum(1 for x, y in zip(pa, pb) if tuple(x) != tuple(y))
        if differ <= 1:
            parent[find(a)] = find(b)
    for group in joins:
        for k in group[1:]:
            parent[find(k)] = find(group[0])
    groups: dict[int, list[int]] = {}
    for k in range(len(equilibria)):
        groups.setdefault(find(k), []).append(k)
    return sorted(groups.values())


__all__ = ["support_enumeration_nplayer", "support_equilibria", "METHOD"]
