"""Equilibrium structure: what stays the same inside a regime.

Two parameter points are in the same regime when their equilibrium sets have
the same *structure*: the sorted list of (support of each player, pure?)
over the equilibria, and whether the game is degenerate there (0: no; 1:
degenerate, every equilibrium still isolated; 2: with a continuum of
equilibria).  Probabilities
and payoffs move continuously inside a regime; the structure changes only at
a threshold.  This module computes structure keys from exact per-point
solutions and describes them in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

UNDEFINED = ((), None)  # the key of a point whose payoffs are undefined
FLOAT_SUPPORT = 1e-9  # float probabilities above this are in the support


@dataclass
class PointSolution:
    """The equilibria at one point, solved by a per-point solver (no reference to the game).

    ``equilibria`` are :class:`~gametheory.solvers.result.Equilibrium`
    objects; ``components`` (degenerate games) lists indices into them.
    """

    equilibria: list[Any]
    degenerate: bool = False
    components: list[list[int]] | None = None
    complete: bool = True
    method: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def continuum(self) -> bool:
        """Degenerate with a connected set of equilibria that is not a single point."""
        return bool(self.degenerate and any(len(c) > 1 for c in self.components or []))

    @property
    def key(self) -> tuple:
        """(sorted (supports, pure) of each equilibrium, 0 nondegenerate / 1 degenerate / 2 a continuum)."""
        level = 0 if not self.degenerate else (2 if self.continuum else 1)
        return (tuple(sorted(equilibrium_key(e) for e in self.equilibria)), level)


def supports_of(eq: Any) -> tuple[tuple[int, ...], ...]:
    """The strategies each player uses (floats: probability above 1e-9)."""
    if eq.exact:
        return tuple(tuple(k for k, p in enumerate(x) if p != 0) for x in eq.profile)
    return tuple(tuple(k for k, p in enumerate(x) if float(p) > FLOAT_SUPPORT) for x in eq.profile)


def equilibrium_key(eq: Any) -> tuple:
    sup = supports_of(eq)
    return (sup, all(len(s) == 1 for s in sup))


def solve_point(game: Any, *, general: bool = False) -> PointSolution:
    """Every equilibrium of ``game`` at its current (exact) parameter values.

    Two-player games: vertex enumeration (exact, with components for
    degenerate games), unless ``general``, when the general solver
    :func:`gametheory.solvers.solve` (method ``auto``) is used if present.
    N-player games: the general solver if present, else the pure equilibria
    only (``complete=False``).
    """
    if game.n_players == 2 and not general:
        from ..solvers.enumeration import enumerate_equilibria

        return _from_result(enumerate_equilibria(game))
    solver = general_solver()
    if solver is not None:
        return _from_result(solver(game, method="auto"))
    if game.n_players == 2:
        from ..solvers.enumeration import enumerate_equilibria

        return _from_result(enumerate_equilibria(game))
    from ..solvers.pure import pure_equilibria

    return PointSolution(pure_equilibria(game), complete=False, method="pure",
                         notes=["only pure equilibria (no general N-player solver available)"])


def general_solver() -> Any:
    """:func:`gametheory.solvers.solve` when that module is available, else None."""
    try:
        from ..solvers import solve  # type: ignore[attr-defined]
    except ImportError:
        return None
    return solve


def _from_result(result: Any) -> PointSolution:
    note = result.details.get("note") if isinstance(result.details, dict) else None
    return PointSolution(
        list(result.equilibria),
        degenerate=bool(result.degenerate),
        components=[list(c) for c in result.components] if result.components else None,
        complete=bool(result.complete),
        method=result.method,
        notes=[note] if note else [],
    )


def describe_equilibrium(game: Any, key: tuple) -> str:
    """``(Arm, Arm)`` for a pure equilibrium, ``mixed {Restrain, Arm} x {Restrain, Arm}`` otherwise."""
    supports, pure = key
    if pure:
        return "(" + ", ".join(game.strategies[i][s[0]] for i, s in enumerate(supports)) + ")"
    parts = []
    for i, s in enumerate(supports):
        names = [game.strategies[i][k] for k in s]
        parts.append(names[0] if len(names) == 1 else "{" + ", ".join(names) + "}")
    return "mixed " + " x ".join(parts)


def describe(game: Any, key: tuple) -> str:
    """A structure key in words: ``(Hare, Hare); (Stag, Stag); mixed {Stag, Hare} x {Stag, Hare}``."""
    if key == UNDEFINED:
        return "payoffs undefined"
    eqs, degenerate = key
    if not eqs:
        return "no equilibrium found"
    pure = [describe_equilibrium(game, k) for k in eqs if k[1]]
    mixed = [describe_equilibrium(game, k) for k in eqs if not k[1]]
    text = "; ".join(pure + mixed)
    if degenerate:
        text += f" ({describe_degeneracy(degenerate)})"
    return text


def describe_degeneracy(level: int) -> str:
    """The degeneracy level of a structure key in words (``""`` for 0): as :func:`describe` marks it."""
    if level == 2:
        return "degenerate: a continuum of equilibria"
    return "degenerate game" if level else ""


def short_label(game: Any, key: tuple) -> str:
    """A compact label for legends: ``2 pure + 1 mixed: (Stag, Stag), (Hare, Hare), mixed``."""
    if key == UNDEFINED:
        return "payoffs undefined"
    eqs, degenerate = key
    pure = [describe_equilibrium(game, k) for k in eqs if k[1]]
    n_mixed = sum(1 for k in eqs if not k[1])
    parts = pure[:4] + ([f"+{len(pure) - 4} pure"] if len(pure) > 4 else [])
    if n_mixed:
        parts.append("1 mixed" if n_mixed == 1 else f"{n_mixed} mixed")
    text = ", ".join(parts) if parts else "none"
    if degenerate == 2:
        text = "continuum: " + text
    elif degenerate:
        text += " (degenerate)"
    return text


def exact_or_none(x: Any) -> Fraction | None:
    return x if isinstance(x, Fraction) else None


__all__ = ["PointSolution", "solve_point", "equilibrium_key", "describe", "describe_degeneracy", "short_label",
           "supports_of", "UNDEFINED"]
