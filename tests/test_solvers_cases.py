"""Games with published equilibrium sets, shared by the solver tests.

Each case is data (as in Gambit's tests/test_nash.py): the game, and the
expected extreme equilibria as exact profiles, with the expected components
for degenerate games.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import numpy as np

from gametheory.model import Game

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GAMBIT_GAMES = SHARED / "gambit-games"


def pure(n: int, k: int) -> tuple:
    return tuple(F(1) if i == k else F(0) for i in range(n))


def profile(*strategies: Any) -> tuple:
    return tuple(tuple(F(p) for p in s) for s in strategies)


@dataclass
class Case:
    name: str
    game: Game
    equilibria: set
    degenerate: bool = False
    components: list[set] = field(default_factory=list)  # sets of profiles, when degenerate


def identity_coordination(n: int) -> Case:
    """The n x n identity game: one equilibrium per non-empty support, uniform on it (2^n - 1)."""
    eye = np.eye(n, dtype=int)
    eqs = set()
    for mask in range(1, 2**n):
        support = [i for i in range(n) if mask >> i & 1]
        x = tuple(F(1, len(support)) if i in support else F(0) for i in range(n))
        eqs.add((x, x))
    return Case(f"identity {n}x{n}", Game.from_arrays(eye, eye), eqs)


def cases() -> list[Case]:
    out = [
        Case(
            "von Stengel 3x2 (Nisan et al. 2007, ch. 3)",
            Game.from_arrays([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]]),
            {
                profile((1, 0, 0), (1, 0)),
                profile((F(4, 5), F(1, 5), 0), (F(2, 3), F(1, 3))),
                profile((0, F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
            },
        ),
        Case(
            "Shapley's game",
            Game.from_arrays([[0, 1, 2], [2, 0, 1], [1, 2, 0]], [[0, 2, 1], [1, 0, 2], [2, 1, 0]]),
            {profile((F(1, 3),) * 3, (F(1, 3),) * 3)},
        ),
        Case(
            "Matching Pennies",
            Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]),
            {profile((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))},
        ),
        Case(
            "Rock-Paper-Scissors",
            Game.from_arrays([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]]),
            {profile((F(1, 3),) * 3, (F(1, 3),) * 3)},
        ),
        Case(
            "Prisoner's Dilemma",
            Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]]),
            {profile((0, 1), (0, 1))},
        ),
        Case(
            "Battle of the Sexes",
            Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]]),
            {
                profile((1, 0), (1, 0)),
                profile((0, 1), (0, 1)),
                profile((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3))),
            },
        ),
        Case(
            "Selten 1975, degenerate 3x2",
            Game.from_arrays([[1, 1], [0, 0], [0, 2]], [[1, 1], [2, 3], [2, 0]]),
            {profile((1, 0, 0), (1, 0)), profile((1, 0, 0), (F(1, 2), F(1, 2)))},
            degenerate=True,
            components=[{profile((1, 0, 0), (1, 0)), profile((1, 0, 0), (F(1, 2), F(1, 2)))}],
        ),
        Case(
            "all-zero 2x2 (one component, the whole square)",
            Game.from_arrays([[0, 0], [0, 0]], [[0, 0], [0, 0]]),
            {profile(pure(2, i), pure(2, j)) for i in range(2) for j in range(2)},
            degenerate=True,
            components=[{profile(pure(2, i), pure(2, j)) for i in range(2) for j in range(2)}],
        ),
        Case(
            "one row (1 x 3), tied best responses",
            Game.from_arrays([[1, 2, 2]], [[3, 1, 3]]),
            {profile((1,), (1, 0, 0)), profile((1,), (0, 0, 1))},
            degenerate=True,
            components=[{profile((1,), (1, 0, 0)), profile((1,), (0, 0, 1))}],
        ),
        Case(
            "1 x 1",
            Game.from_arrays([[5]], [[-2]]),
            {profile((1,), (1,))},
        ),
        Case(
            "fractional payoffs",
            Game.from_arrays([[F(1, 3), 0], [0, F(2, 7)]], [[F(2, 7), 0], [0, F(1, 3)]]),
            {
                profile((1, 0), (1, 0)),
                profile((0, 1), (0, 1)),
                profile((F(7, 13), F(6, 13)), (F(6, 13), F(7, 13))),
            },
        ),
    ]
    out += [identity_coordination(n) for n in range(2, 7)]
    return out


def as_set(result: Any) -> set:
    return {e.profile for e in result.equilibria}


def random_bimatrix(rng: np.random.Generator, m: int, n: int, high: int) -> Game:
    return Game.from_arrays(rng.integers(0, high, (m, n)), rng.integers(0, high, (m, n)))


def test_case_data_are_equilibria():
    """The expected profiles above are themselves equilibria (exact regret 0)."""
    from gametheory.solvers import regret

    for case in cases():
        for prof in case.equilibria:
            assert all(r == 0 for r in regret(case.game, prof)), case.name
