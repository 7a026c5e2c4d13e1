"""Batch solving: the equilibria of one game at many parameter points at once.

A sweep must not call a solver once per grid point in a Python loop.  The
payoffs are evaluated over the whole grid at once
(:meth:`~gametheory.model.Game.numeric_payoffs`), and the equilibria are found
by array operations over the grid points:

* **Two-player games: support enumeration, batched over the grid.**  For every
  pair of supports (I, J) of equal size k (Mangasarian 1964; Algorithm 3.4
  ("support enumeration") in von Stengel 2007, ch. 3 of Nisan et al.,
  *Algorithmic Game Theory*), the indifference systems

      A[I, J] y = v 1,  sum(y) = 1      and      B[I, J]^T x = w 1,  sum(x) = 1

  are solved for ALL grid points together: in closed form for k = 1 (pure
  profiles: best-response comparisons) and k = 2, and as stacked
  (k+1) x (k+1) systems (:func:`numpy.linalg.solve` on the non-singular ones)
  for k >= 3.  x >= 0, y >= 0 and the best-response conditions of the
  strategies outside the supports are checked vectorised.  In a
  nondegenerate game every equilibrium has supports of equal size with
  non-singular systems, so this finds them all.
* **N-player games: pure equilibria** by comparing each player's payoff with
  the best of its other strategies, along its own axis.

Payoffs are divided by their largest absolute value at each point, so the
*margin* of an equilibrium (its smallest support probability, and the
smallest slack of a strategy outside the support) is relative to the payoff
scale.  A grid point is **flagged**, and later solved exactly by the caller
at its exact rational parameter values, when

* an equilibrium's margin is within ``tol`` of zero (a probability or a slack
  is zero: the point is on, or within rounding of, a threshold),
* an indifference system is (nearly) singular but may have a solution in the
  simplex (a continuum of equilibria is possible), or
* (two players) the number of equilibria found is even: nondegenerate
  bimatrix games have an odd number of equilibria (Lemke & Howson 1964;
  Shapley 1974), so an even count means degeneracy or a numerical accident.

Degenerate points thus get the exact degenerate answer (with components),
never a floating-point accident.  Results are arrays, one record per support
pattern (:class:`PatternHits`), not Python objects per point.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

TOL = 1e-9  # margins (relative to the payoff scale) closer to 0 than this are decided exactly
SINGULAR = 1e-6  # relative determinants below this are near-singular
MAX_SUPPORT_PAIRS = 2000  # larger two-player games are solved point by point


@dataclass(frozen=True)
class Pattern:
    """A support pattern: the strategies each player uses (indices), and whether it is pure."""

    supports: tuple[tuple[int, ...], ...]

    @property
    def pure(self) -> bool:
        return all(len(s) == 1 for s in self.supports)

    @property
    def key(self) -> tuple:
        """The equilibrium-structure key of one equilibrium with this pattern."""
        return (self.supports, self.pure)


@dataclass
class PatternHits:
    """Where one support pattern is an equilibrium: a mask over grid points and the values there.

    ``mask`` marks the grid points (of the chunk or sweep it belongs to);
    ``probs`` has one row per support strategy (player 1's first) and one
    column per marked point (None for a pure pattern, whose probabilities are
    1); ``payoffs`` one row per player; ``margin`` the relative margin.
    """

    pattern: Pattern
    mask: Any
    probs: Any
    payoffs: Any
    margin: Any

    @property
    def count(self) -> int:
        return int(self.payoffs.shape[1])

    def points(self) -> Any:
        """The flat indices of the marked points."""
        import numpy as np

        return np.flatnonzero(self.mask)

    def profiles(self, shape: tuple[int, ...]) -> Any:
        """Full profiles, one row per marked point: every strategy's probability."""
        import numpy as np

        out = np.zeros((self.count, sum(shape)))
        offset = 0
        row = 0
        for n, sup in zip(shape, self.pattern.supports):
            for s in sup:
                out[:, offset + s] = 1.0 if self.probs is None else self.probs[row]
                row += 1
            offset += n
        return out

    @staticmethod
    def concatenate(pattern: Pattern, parts: list["PatternHits | None"], sizes: list[int]) -> "PatternHits":
        """Join the hits of consecutive chunks (None for a chunk without this pattern)."""
        import numpy as np

        n_sup = sum(len(s) for s in pattern.supports)
        n_players = len(pattern.supports)
        masks, probs, pays, margins = [], [], [], []
        for part, size in zip(parts, sizes):
            if part is None:
                masks.append(np.zeros(size, dtype=bool))
                continue
            masks.append(part.mask)
            if part.probs is not None:
                probs.append(part.probs)
            pays.append(part.payoffs)
            margins.append(part.margin)
        return PatternHits(
            pattern,
            np.concatenate(masks),
            None if pattern.pure else (np.concatenate(probs, axis=1) if probs else np.zeros((n_sup, 0))),
            np.concatenate(pays, axis=1) if pays else np.zeros((n_players, 0)),
            np.concatenate(margins) if margins else np.zeros(0),
        )


@dataclass
class BatchResult:
    """The batch solution over ``n`` grid points.

    ``hits`` holds the equilibria found at points that are not flagged;
    ``flagged`` marks the points to solve exactly; ``undefined`` those whose
    payoffs are not finite numbers (e.g. ``log`` of a negative number).
    """

    n: int
    hits: list[PatternHits]
    flagged: Any
    undefined: Any
    notes: list[str] = field(default_factory=list)


def support_pair_count(shape: tuple[int, ...]) -> int:
    """Number of support pairs of equal size of an m x n game: C(m + n, m) - 1."""
    m, n = shape
    return math.comb(m + n, m) - 1


def can_batch(game: Any) -> bool:
    """Whether :func:`solve_batch` finds every equilibrium of this game (two players, not too large)."""
    return game.n_players == 2 and support_pair_count(game.shape) <= MAX_SUPPORT_PAIRS


def solve_batch(payoffs: Any, shape: tuple[int, ...], points: Any = None, tol: float = TOL) -> BatchResult:
    """Equilibria at many points; ``payoffs`` has shape ``(N, n_1, ..., n_N, G)``: grid axis LAST.

    The grid axis comes last so that every payoff entry is one contiguous
    vector over the grid and all the work is elementwise arithmetic on long
    vectors.  Two players: all equilibria by batched support enumeration
    (see the module docstring).  N players: pure equilibria only.
    ``points`` gives the flat grid index of each column (default ``0..G-1``).
    """
    import numpy as np

    payoffs = np.asarray(payoffs, dtype=float)
    g = payoffs.shape[-1]
    points = np.arange(g) if points is None else np.asarray(points)
    flat = payoffs.reshape(-1, g)
    undefined = ~np.isfinite(flat).all(axis=0)
    with np.errstate(all="ignore"):
        scale = np.abs(flat).max(axis=0)
    if undefined.any():
        scale[undefined] = 1.0
    scale[scale == 0] = 1.0
    norm = payoffs / scale
    if undefined.any():
        norm[..., undefined] = 0.0
    if len(shape) == 2:
        return _two_player(norm, scale, shape, points, undefined, tol)
    return _pure_only(norm, scale, shape, points, undefined, tol)


def _pure_margins(norm: Any, shape: tuple[int, ...]) -> dict[tuple[int, ...], Any]:
    """Each pure profile's margin: min over players of (own payoff - best other strategy's)."""
    import numpy as np

    out = {}
    for profile in itertools.product(*(range(k) for k in shape)):
        mg = None
        for i, n_i in enumerate(shape):
            if n_i == 1:
                continue
            u = norm[i]
            best = None
            for t in range(n_i):
                if t != profile[i]:
                    other = u[profile[:i] + (t,) + profile[i + 1:]]
                    best = other if best is None else np.maximum(best, other)
            slack = u[profile] - best
            mg = slack if mg is None else np.minimum(mg, slack)
        out[profile] = mg if mg is not None else np.full(norm.shape[-1], np.inf)
    return out


def _near_zero(mg: Any, tol: float) -> Any:
    import numpy as np

    return (mg <= tol) & (mg >= -tol) if mg.dtype != bool else np.zeros(mg.shape, dtype=bool)


def _finish(found: list, flag: Any, undefined: Any, scale: Any, notes: list[str] | None = None) -> "BatchResult":
    """Compress the candidates to the points that are equilibria and not flagged."""
    flag &= ~undefined
    good = ~flag & ~undefined
    hits = []
    import numpy as np

    for pattern, ok, probs, pays, mg in found:
        keep = ok & good
        if keep.all():
            hits.append(PatternHits(pattern, keep, probs, pays * scale, mg))
            continue
        hits.append(PatternHits(
            pattern,
            keep,
            None if probs is None else np.compress(keep, probs, axis=1),
            np.compress(keep, pays, axis=1) * np.compress(keep, scale),
            np.compress(keep, mg),
        ))
    return BatchResult(len(flag), hits, flag, undefined, notes or [])


def _pure_only(norm, scale, shape, points, undefined, tol) -> BatchResult:
    import numpy as np

    margins = _pure_margins(norm, shape)
    flag = np.zeros(norm.shape[-1], dtype=bool)
    found = []
    for profile, mg in margins.items():
        flag |= _near_zero(mg, tol)
        pays = np.stack([norm[(i,) + profile] for i in range(len(shape))])
        found.append((Pattern(tuple((s,) for s in profile)), mg > tol, None, pays, mg))
    return _finish(found, flag, undefined, scale,
                   ["N-player game: pure equilibria batched; mixed equilibria need the per-point solver"])


def _solve_bordered(mats: list[list[Any]]) -> tuple[list[Any], Any, Any]:
    """Solve ``[[M, -1], [1, 0]] (z, v) = (0, 1)`` for M given as k x k lists of grid vectors.

    Returns (z: k grid vectors, v, status): status 0 solved, 1 near-singular
    and possibly solvable in the simplex (flag the point), 2 near-singular
    with no bounded solution (no equilibrium on this support).
    """
    import numpy as np

    k = len(mats)
    if k == 2:
        (a11, a12), (a21, a22) = mats
        det = a11 - a12 - a21 + a22
        n1 = a22 - a12
        n2 = a11 - a21
        vn = a11 * a22 - a12 * a21
        small = np.abs(det) < SINGULAR
        if small.any():
            bounded = np.maximum(np.abs(n1), np.abs(n2)) <= np.abs(det) + SINGULAR
            status = np.where(small, np.where(bounded, 1, 2), 0)
            det = np.where(small, 1.0, det)
        else:
            status = np.zeros(len(det), dtype=np.int8)
        inv = 1.0 / det
        return [n1 * inv, n2 * inv], vn * inv, status
    g = len(mats[0][0])
    big = np.zeros((g, k + 1, k + 1))
    for r in range(k):
        for c in range(k):
            big[:, r, c] = mats[r][c]
    big[:, :k, k] = -1.0
    big[:, k, :k] = 1.0
    det = np.linalg.det(big)
    hadamard = np.sqrt((big * big).sum(axis=2)).prod(axis=1)
    small = np.abs(det) < SINGULAR * hadamard
    z = np.zeros((g, k))
    v = np.zeros(g)
    status = np.zeros(g, dtype=np.int8)
    good = np.flatnonzero(~small)
    if len(good):
        rhs = np.zeros((len(good), k + 1, 1))
        rhs[:, k, 0] = 1.0
        sol = np.linalg.solve(big[good], rhs)[:, :, 0]
        z[good] = sol[:, :k]
        v[good] = sol[:, k]
    bad = np.flatnonzero(small)
    if len(bad):
        # Cramer's numerators as small as the determinant: the system may be consistent
        sub = big[bad]
        bound = np.abs(det[bad]) + SINGULAR * hadamard[bad]
        ok = np.ones(len(bad), dtype=bool)
        for j in range(k):
            rep = sub.copy()
            rep[:, :, j] = 0.0
            rep[:, k, j] = 1.0
            ok &= np.abs(np.linalg.det(rep)) <= bound
        status[bad] = np.where(ok, 1, 2)
    return [z[:, j] for j in range(k)], v, status


def _two_player(norm, scale, shape, points, undefined, tol) -> BatchResult:
    import numpy as np

    m, n = shape
    g = norm.shape[-1]
    a, b = norm[0], norm[1]
    flag = np.zeros(g, dtype=bool)
    count = np.zeros(g, dtype=np.int16)
    found: list[tuple[Pattern, Any, Any, Any, Any]] = []  # pattern, is-equilibrium mask, probs, payoffs, margin
    for (i, j), mg in _pure_margins(norm, shape).items():
        flag |= _near_zero(mg, tol)
        ok = mg > tol
        count += ok
        found.append((Pattern(((i,), (j,))), ok, None, np.stack([a[i, j], b[i, j]]), mg))
    for k in range(2, min(m, n) + 1):
        for rows_i in itertools.combinations(range(m), k):
            for cols_j in itertools.combinations(range(n), k):
                y, v, st_y = _solve_bordered([[a[r, c] for c in cols_j] for r in rows_i])
                x, w, st_x = _solve_bordered([[b[r, c] for r in rows_i] for c in cols_j])
                mg = y[0]
                for z in y[1:] + x:
                    mg = np.minimum(mg, z)
                for r in range(m):
                    if r not in rows_i:
                        pay = a[r, cols_j[0]] * y[0]
                        for c, yc in zip(cols_j[1:], y[1:]):
                            pay += a[r, c] * yc
                        mg = np.minimum(mg, v - pay)
                for c in range(n):
                    if c not in cols_j:
                        pay = b[rows_i[0], c] * x[0]
                        for r, xr in zip(rows_i[1:], x[1:]):
                            pay += b[r, c] * xr
                        mg = np.minimum(mg, w - pay)
                if st_y.any() or st_x.any():
                    flag |= (st_y == 1) | (st_x == 1)
                    mg = np.where((st_y != 0) | (st_x != 0), -np.inf, mg)
                flag |= _near_zero(mg, tol)
                ok = mg > tol
                if not ok.any():
                    continue
                count += ok
                found.append((Pattern((rows_i, cols_j)), ok, np.stack(x + y), np.stack([v, w]), mg))
    flag |= count % 2 == 0
    return _finish(found, flag, undefined, scale)


__all__ = ["Pattern", "PatternHits", "BatchResult", "solve_batch", "can_batch", "support_pair_count", "TOL"]
