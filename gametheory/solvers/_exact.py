"""Exact arithmetic shared by the solvers: signs, integer matrices, linear solves.

Solvers search in floating point and confirm in exact arithmetic.  The exact
side works on integers wherever it can: a rational payoff matrix is scaled by
the least common multiple of its denominators, and square systems are solved
by fraction-free (Bareiss) Gauss-Jordan elimination, the integer pivoting that
lrs uses (Avis 2000), so that no :class:`~fractions.Fraction` is built until
the answer is known.
"""

from __future__ import annotations

import math
import weakref
from fractions import Fraction
from typing import Any, Sequence

_CACHE: dict[int, tuple[weakref.ref, dict]] = {}


def game_cache(game: Any) -> dict:
    """A per-game dict of derived data (a game's payoffs never change once built)."""
    key = id(game)
    entry = _CACHE.get(key)
    if entry is not None and entry[0]() is game:
        return entry[1]
    data: dict = {}
    try:
        ref = weakref.ref(game, lambda _r, key=key: _CACHE.pop(key, None))
    except TypeError:  # not weak-referenceable: no caching
        return data
    _CACHE[key] = (ref, data)
    return data


def is_rational(game: Any) -> bool:
    """``game.is_rational``, computed once per game."""
    cache = game_cache(game)
    if "rational" not in cache:
        cache["rational"] = all(isinstance(v, Fraction) for v in game.payoffs.flat)
    return cache["rational"]


def is_exact_number(x: Any) -> bool:
    """An int or Fraction (bools and floats are not exact probabilities)."""
    return isinstance(x, (int, Fraction)) and not isinstance(x, bool)


def sign(x: Any) -> int:
    """The sign of an exact number (Fraction, int or sympy number)."""
    if isinstance(x, (int, Fraction)):
        return (x > 0) - (x < 0)
    import sympy

    s = sympy.sympify(x)
    if s.is_zero:
        return 0
    if s.is_positive:
        return 1
    if s.is_negative:
        return -1
    for digits in (30, 100, 300):  # undecided by sympy's assumptions: evaluate
        v = s.evalf(digits)
        if v != 0 and abs(v) > sympy.Float(10) ** (-(digits - 10)):
            return 1 if v > 0 else -1
    simplified = sympy.nsimplify(sympy.simplify(s))
    return 0 if simplified == 0 else (1 if simplified.evalf(300) > 0 else -1)


def compare(a: Any, b: Any) -> int:
    """-1, 0 or 1 as ``a < b``, ``a == b``, ``a > b`` exactly."""
    if isinstance(a, (int, Fraction)) and isinstance(b, (int, Fraction)):
        return (a > b) - (a < b)
    return sign(a - b)


def integer_matrix(values: Any) -> tuple[list[list[int]], int]:
    """Rational 2-d array -> (integer rows, scale) with ``values == rows / scale``."""
    rows = [list(r) for r in values]
    scale = 1
    for r in rows:
        for v in r:
            d = v.denominator
            if scale % d:
                scale = scale * d // math.gcd(scale, d)
    return [[int(v.numerator * (scale // v.denominator)) for v in r] for r in rows], scale


def positive_bimatrix(game: Any) -> tuple[list[list[int]], list[list[int]]]:
    """(A', B'): positive integer matrices with the same best responses as a rational bimatrix game.

    Each player's payoffs are scaled by the common denominator and shifted
    (a positive affine map, which changes no equilibrium) into ``[R, 2R]``
    with R the range of the payoffs (at least 1): entries within a factor of
    two keep the best-response polytopes well-conditioned in floating point,
    even when payoffs span many orders of magnitude.  Cached per game.
    """
    cache = game_cache(game)
    if "positive_bimatrix" not in cache:
        out = []
        for i in range(2):
            mat, _ = integer_matrix(game.payoffs[i])
            low = min(min(r) for r in mat)
            high = max(max(r) for r in mat)
            offset = max(1, high - low) - low
            out.append([[v + offset for v in r] for r in mat])
        cache["positive_bimatrix"] = (out[0], out[1])
    return cache["positive_bimatrix"]


def solve_integer(matrix: Sequence[Sequence[int]], rhs: Sequence[int]) -> tuple[list[int], int] | None:
    """Solve ``matrix @ x == rhs`` for a square integer matrix, exactly.

    Returns ``(numerators, denominator)`` with ``x = numerators / denominator``
    and ``denominator > 0`` (the absolute determinant), or ``None`` when the
    matrix is singular.  Fraction-free Gauss-Jordan elimination: every entry
    stays an integer minor of the input (Bareiss 1968; as in lrs).
    """
    n = len(matrix)
    if n == 0:
        return [], 1
    rows = [list(r) + [b] for r, b in zip(matrix, rhs)]
    prev = 1
    for k in range(n):
        piv = k
        while piv < n and rows[piv][k] == 0:
            piv += 1
        if piv == n:
            return None
        if piv != k:
            rows[k], rows[piv] = rows[piv], rows[k]
        rk = rows[k]
        akk = rk[k]
        for i in range(n):
            if i == k:
                continue
            ri = rows[i]
            aik = ri[k]
            if aik == 0:
                if akk != prev:
                    rows[i] = [v * akk // prev for v in ri]
                continue
            rows[i] = [(akk * v - aik * w) // prev for v, w in zip(ri, rk)]
        prev = akk
    det = prev
    nums = [r[n] for r in rows]
    if det < 0:
        det = -det
        nums = [-v for v in nums]
    return nums, det


def solve_rational(matrix: Sequence[Sequence[Any]], rhs: Sequence[Any]) -> list[Fraction] | None:
    """Solve a square rational system exactly; ``None`` when singular."""
    rows = [list(r) + [b] for r, b in zip(matrix, rhs)]
    ints, _ = integer_matrix([[Fraction(v) for v in r] for r in rows])
    out = solve_integer([r[:-1] for r in ints], [r[-1] for r in ints])
    if out is None:
        return None
    nums, det = out
    return [Fraction(v, det) for v in nums]


def independent_rows(matrix: Any, order: Sequence[int], want: int, tol: float = 1e-9) -> list[int] | None:
    """Greedily pick ``want`` linearly independent rows of a float matrix, in ``order``.

    Rows are taken in the given order (most trusted first) and kept when they
    add a new direction (Gram-Schmidt).  ``None`` if fewer than ``want`` exist.
    """
    import numpy as np

    basis: list[Any] = []
    chosen: list[int] = []
    for r in order:
        v = np.asarray(matrix[r], dtype=float)
        norm = float(np.linalg.norm(v))
        if norm == 0.0:
            continue
        w = v / norm
        for q in basis:
            w = w - (q @ w) * q
        res = float(np.linalg.norm(w))
        if res > tol:
            basis.append(w / res)
            chosen.append(r)
            if len(chosen) == want:
                return chosen
    return chosen if len(chosen) == want else None


def number(x: Any) -> int | float:
    """An exact value as a JSON number: int when integral, else float."""
    if isinstance(x, Fraction) and x.denominator == 1:
        return int(x.numerator)
    if isinstance(x, int) and not isinstance(x, bool):
        return x
    try:
        f = float(x)
    except (TypeError, ValueError):
        return float("nan")
    return f


def exact_string(x: Any) -> str:
    """``"2/3"``, ``"1"``; sympy numbers by their text."""
    if isinstance(x, Fraction):
        return str(x)
    return str(x)


class single_threaded_blas:
    """Context manager: OpenBLAS on one thread while many small BLAS calls run.

    Pivoting calls a rank-1 update thousands of times; on a busy machine
    OpenBLAS's threads cost far more than the arithmetic.  This finds the
    OpenBLAS libraries loaded in the process (as threadpoolctl does) and sets
    their thread count to 1, restoring it on exit.  A no-op where none is found.
    """

    _SETTERS = (
        ("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"),
        ("scipy_openblas_set_num_threads", "scipy_openblas_get_num_threads"),
        ("openblas_set_num_threads64_", "openblas_get_num_threads64_"),
        ("openblas_set_num_threads", "openblas_get_num_threads"),
    )
    _found: list | None = None

    @classmethod
    def _libraries(cls) -> list:
        if cls._found is None:
            found = []
            try:
                import ctypes

                with open("/proc/self/maps", encoding="utf-8") as f:
                    paths = {line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line}
                for path in sorted(paths):
                    try:
                        lib = ctypes.CDLL(path)
                    except OSError:
                        continue
                    for setter, getter in cls._SETTERS:
                        if hasattr(lib, setter) and hasattr(lib, getter):
                            found.append((getattr(lib, setter), getattr(lib, getter)))
                            break
            except OSError:
                found = []
            cls._found = found
        return cls._found

    def __enter__(self) -> "single_threaded_blas":
        self._saved = []
        for setter, getter in self._libraries():
            try:
                self._saved.append((setter, int(getter())))
                setter(1)
            except Exception:  # pragma: no cover - foreign library trouble: leave it alone
                continue
        return self

    def __exit__(self, *exc: Any) -> None:
        for setter, count in self._saved:
            try:
                setter(count)
            except Exception:  # pragma: no cover
                continue
