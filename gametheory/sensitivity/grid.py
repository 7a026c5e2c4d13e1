"""Parameter grids with exact rational points.

``--vary g=-3:3:61`` asks for 61 points from -3 to 3.  Point ``k`` is the
rational number ``start + k (stop - start)/(num - 1)``, kept exact so that a
grid point that lands exactly on a threshold (``g = 0`` here) can be solved
exactly there; the float array used for the vectorised evaluation is computed
as ``(start (num - 1 - k) + stop k)/(num - 1)``, which is exact whenever the
rational point is a float (so ``g = 0`` is ``0.0``, not ``4e-16``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

from ..errors import GameError

DEFAULT_POINTS_1D = 101
DEFAULT_POINTS_2D = 51
MAX_POINTS = 100_000_000


@dataclass(frozen=True)
class Axis:
    """One varied parameter: ``num`` equally spaced exact points from ``start`` to ``stop``."""

    name: str
    start: Fraction
    stop: Fraction
    num: int

    @property
    def step(self) -> Fraction:
        return (self.stop - self.start) / (self.num - 1) if self.num > 1 else Fraction(0)

    def value(self, k: int) -> Fraction:
        """The exact value of point ``k``."""
        if self.num == 1:
            return self.start
        return (self.start * (self.num - 1 - k) + self.stop * k) / (self.num - 1)

    def floats(self) -> Any:
        """All points as a float array (exact where the points are floats)."""
        import numpy as np

        if self.num == 1:
            return np.array([float(self.start)])
        k = np.arange(self.num, dtype=float)
        n = float(self.num - 1)
        return (float(self.start) * (n - k) + float(self.stop) * k) / n

    def __str__(self) -> str:
        return f"{self.name}={self.start}:{self.stop}:{self.num}"


def _exact(text: str, what: str) -> Fraction:
    from ..expressions import ExpressionError, evaluate, parse

    try:
        value = evaluate(parse(text.strip()), {})
    except ExpressionError as exc:
        raise GameError(f"{what}: {exc}") from None
    if not isinstance(value, Fraction):
        raise GameError(f"{what}: grid ends must be rational numbers, not {text.strip()!r}")
    return value


def parse_vary(text: str, game: Any = None, *, default_num: int = DEFAULT_POINTS_1D,
               need_range: bool = True) -> tuple[str, Fraction | None, Fraction | None, int]:
    """``"g=-3:3:61"`` -> ``("g", -3, 3, 61)``; ``"g"`` -> the parameter's range from the file.

    START and STOP are exact numbers (``1/3`` allowed); NUM defaults to
    ``default_num``.  With ``need_range=False`` a bare name without a range in
    the file gives ``(name, None, None, num)``.
    """
    what = f"--vary {text!r}"
    name, _, spec = text.partition("=")
    name = name.strip()
    if not name:
        raise GameError(f"{what}: expected NAME=START:STOP[:NUM], e.g. --vary g=-3:3:61")
    if game is not None and name not in game.parameters:
        from ..model.game import _unknown

        raise GameError(f"{what}: {_unknown('parameter', name, game.parameters)}")
    num = default_num
    if not spec.strip():
        rng = game.parameters[name].range if game is not None else None
        if rng is None:
            if need_range:
                raise GameError(f"{what}: the file gives no range for {name}; write --vary {name}=START:STOP")
            return name, None, None, num
        return name, Fraction(rng[0]), Fraction(rng[1]), num
    parts = spec.split(":")
    if len(parts) not in (2, 3):
        raise GameError(f"{what}: expected NAME=START:STOP[:NUM], e.g. --vary g=-3:3:61")
    start = _exact(parts[0], what)
    stop = _exact(parts[1], what)
    if len(parts) == 3:
        try:
            num = int(parts[2])
        except ValueError:
            raise GameError(f"{what}: NUM must be a whole number, not {parts[2]!r}") from None
        if num < 1:
            raise GameError(f"{what}: NUM must be at least 1")
    if start == stop and num > 1:
        raise GameError(f"{what}: START and STOP are equal")
    return name, start, stop, num


def make_axes(game: Any, vary: Sequence[Any]) -> list[Axis]:
    """Axes from ``--vary`` texts or ``(name, start, stop[, num])`` tuples (one or two)."""
    if not vary:
        raise GameError("give a parameter to vary, e.g. --vary g=-3:3:61")
    if len(vary) > 2:
        raise GameError("a sweep varies one or two parameters")
    default = DEFAULT_POINTS_1D if len(vary) == 1 else DEFAULT_POINTS_2D
    axes = []
    for item in vary:
        if isinstance(item, Axis):
            axes.append(item)
            continue
        if isinstance(item, str):
            name, start, stop, num = parse_vary(item, game, default_num=default)
        else:
            item = tuple(item)
            name, start, stop = item[0], item[1], item[2]
            num = int(item[3]) if len(item) > 3 else default
            if name not in game.parameters:
                from ..model.game import _unknown

                raise GameError(_unknown("parameter", name, game.parameters))
            from ..model.game import exact_number

            start, stop = exact_number(start), exact_number(stop)
        axes.append(Axis(name, Fraction(start), Fraction(stop), num))
    if len(axes) == 2 and axes[0].name == axes[1].name:
        raise GameError(f"--vary {axes[0].name} is given twice")
    total = 1
    for a in axes:
        total *= a.num
    if total > MAX_POINTS:
        raise GameError(f"{total:,} grid points is too many (at most {MAX_POINTS:,})")
    return axes


def simplest_between(lo: Any, hi: Any) -> Fraction:
    """The rational with the smallest denominator strictly between ``lo < hi``.

    The continued-fraction (Stern-Brocot) search; used to pick a readable
    interior point of a regime (``1/2`` rather than ``0.4999...``).  ``lo`` and
    ``hi`` may be Fractions or sympy numbers (e.g. ``sqrt(2)``).
    """
    import math

    mixed = not (isinstance(lo, Fraction) and isinstance(hi, Fraction))
    if mixed:
        import sympy

        def conv(x: Any) -> Any:
            return sympy.Rational(x.numerator, x.denominator) if isinstance(x, Fraction) else sympy.sympify(x)

        lo, hi = conv(lo), conv(hi)

    def floor(x: Any) -> int:
        if isinstance(x, Fraction):
            return math.floor(x)
        import sympy

        return int(sympy.floor(x))

    def simplest(a: Any, b: Any | None) -> Fraction:  # 0 <= a < b; b None is +infinity
        fl = floor(a)
        if b is None or fl + 1 < b:
            return Fraction(fl + 1)
        lower = 1 / (b - fl)
        upper = None if a == fl else 1 / (a - fl)
        return Fraction(fl) + 1 / simplest(lower, upper)

    if not lo < hi:
        raise ValueError("simplest_between needs lo < hi")
    if lo < 0 < hi:
        return Fraction(0)
    if hi <= 0:
        return -simplest(-hi, -lo)
    return simplest(lo, hi)


__all__ = ["Axis", "parse_vary", "make_axes", "simplest_between"]
