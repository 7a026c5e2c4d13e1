"""Benchmark of ``thresholds`` (exact parameter values where the equilibrium set changes).

No other tool computes exact thresholds of a parameterised game, so there is no
ratio against another library here: the table reports our wall times, with the
number of candidate values that had to be verified by exact solves.  For
reference, the previous method (general sympy expressions up to 200 support
pairs, else a numerical scan with exact solves bisected to 1e-12) took, on the
seed-0 games here: 4x4 one cell 0.3 s; 6x6 one cell 0.7 s (its 41-point scan
saw no change); 5x5 and 8x8 one cell, and 5x5, 6x6 and 8x8 one row, did not
finish in 200 s (a QA run of another 6x6 game took 114 s).

Measures, in one run on this machine:

* two-player games with random integer payoffs in [-5, 5] (numpy ``default_rng(seed)``)
  and one parameter ``a`` replacing one payoff, range [-10, 10]: 4x4 to 10x10;
* the same with ``a`` in every payoff of one row of player 1 (``c + k*a``, k in -2..2);
* a three-player threshold public good (mixed equilibria scanned by default) and a
  random 3x3x2 game.

``--check`` also solves each two-player game exactly on a grid of points and checks
that every change of the equilibria between neighbouring points lies across a
reported threshold (slow: it is the brute-force answer).

Run: ``python bench/bench_thresholds.py`` (``--quick`` for fewer sizes).  Prints a markdown table.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import gametheory as gt  # noqa: E402
from gametheory.sensitivity.structure import solve_point  # noqa: E402
from gametheory.sensitivity.thresholds import thresholds  # noqa: E402

QUICK = "--quick" in sys.argv
CHECK = "--check" in sys.argv


def random_game(m: int, n: int, seed: int, where: str = "cell") -> gt.Game:
    rng = np.random.default_rng(seed)
    pay = np.vectorize(str, otypes=[object])(rng.integers(-5, 6, size=(2, m, n)))
    if where == "cell":
        pay[0, 0, 0] = "a"
    else:  # every payoff of player 1's first row moves with a
        for c in range(n):
            pay[0, 0, c] = f"{pay[0, 0, c]} + ({rng.integers(-2, 3)})*a"
    return gt.Game.from_arrays(pay[0].tolist(), pay[1].tolist(), parameters={"a": 0},
                               title=f"random {m}x{n}, a in one {where}")


def public_good() -> gt.Game:
    """Three players; the good (worth b to each) is provided when at least two contribute, at cost e each."""
    profiles = [(i, j, k) for i in range(2) for j in range(2) for k in range(2)]
    arrays = [np.empty((2, 2, 2), dtype=object) for _ in range(3)]
    for prof in profiles:
        provided = sum(1 for s in prof if s == 0) >= 2
        for pl in range(3):
            value = "b" if provided else "0"
            arrays[pl][prof] = f"{value} - e" if prof[pl] == 0 else value
    return gt.Game.from_arrays(*[a.tolist() for a in arrays], parameters={"b": 3, "e": 1},
                               title="threshold public good")


def random_nplayer(shape: tuple[int, ...], seed: int = 0) -> gt.Game:
    rng = np.random.default_rng(seed)
    pay = np.vectorize(str, otypes=[object])(rng.integers(-5, 6, size=(len(shape),) + shape))
    pay[(0,) * (len(shape) + 1)] = "a"
    return gt.Game.from_arrays(*[p.tolist() for p in pay], parameters={"a": 0})


def run(game: gt.Game, name: str, lo, hi) -> tuple[float, object, int]:
    messages: list[str] = []
    start = time.perf_counter()
    result = thresholds(game, name, lo, hi, progress=messages.append)
    elapsed = time.perf_counter() - start
    verified = [m for m in messages if m.endswith("candidate values by exact solves")]
    candidates = int(verified[-1].split()[1]) if verified else 0
    return elapsed, result, candidates


def check(game: gt.Game, result, points: int = 200) -> str:
    grid = [Fraction(-10) + Fraction(20 * k, points) + Fraction(1, 7919) for k in range(points)]
    keys = [solve_point(game.with_parameters({"a": x})).key for x in grid]
    values = [t.value for t in result.thresholds]
    missed = sum(1 for k in range(points - 1)
                 if keys[k] != keys[k + 1] and not any(grid[k] <= v <= grid[k + 1] for v in values))
    return f"grid check ({points} points): {missed} missed"


def main() -> None:
    rows = []
    thresholds(random_game(3, 3, 0), "a", -10, 10)  # warm up (imports)
    sizes = [(4, 4), (5, 5), (6, 6), (8, 8)] + ([] if QUICK else [(10, 10)])
    seeds = range(1) if QUICK else range(3)
    for where in ("cell", "row"):
        for m, n in sizes:
            if where == "row" and m == 10:
                continue
            for seed in seeds:
                game = random_game(m, n, seed, where)
                t, res, cands = run(game, "a", -10, 10)
                extra = f"; {check(game, res)}" if CHECK and m <= 8 else ""
                rows.append((f"{m}x{n}, a in one {where}, seed {seed}", f"{t:.2f} s",
                             f"{len(res.thresholds)} thresholds, {cands} candidates verified{extra}"))
    pg = public_good()
    for name, lo, hi in (("e", 0, 3), ("b", 0, 6)):
        t, res, cands = run(pg, name, lo, hi)
        rows.append((f"3-player public good, {name} (mixed scan)", f"{t:.2f} s",
                     ", ".join(x.exact or f"{x.float_value:.6g}" for x in res.thresholds)))
    game = random_nplayer((3, 3, 2))
    t, res, cands = run(game, "a", -10, 10)
    rows.append(("random 3x3x2, a in one cell (mixed scan)", f"{t:.2f} s", f"{len(res.thresholds)} thresholds"))

    import scipy
    import sympy

    print("## Thresholds benchmark\n")
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    print(f"Machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {load[0]:.2f}; Python {platform.python_version()}, "
          f"numpy {np.__version__}, scipy {scipy.__version__}, sympy {sympy.__version__}\n")
    print("No other tool computes exact thresholds, so there is no comparison column.\n")
    print("| case | time | result |")
    print("|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
