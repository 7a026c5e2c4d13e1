"""Benchmark of parameter sweeps (issue "Sensitivity analysis", speed floors).

Measures, in one run on this machine:

* points/s of :func:`gametheory.sensitivity.sweep` on a 2x2 game (Stag Hunt, 1,000,001 points)
  and on a 3x3 game (a parameterised Shapley-type game, 300,001 points);
* for comparison, a per-point loop with nashpy (support enumeration) and with
  pygambit (``enummixed_solve``), a few hundred points each, and our exact
  per-point solver (vertex enumeration) on the same points;
* wall time of the command line writing a 100,001-point 2x2 sweep as CSV to a file;
* a 500 x 500 two-parameter sweep of a 3x3 game;
* ``workers=1`` against ``workers=2`` on a sweep of 30 x 30 games (per-point solver).

Run: ``python bench/bench_sweep.py`` (``--quick`` for smaller sizes).  Prints a markdown table.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import gametheory as gt  # noqa: E402
from gametheory.sensitivity import sweep  # noqa: E402

QUICK = "--quick" in sys.argv


def timed(fn, repeat: int = 1):
    best = float("inf")
    out = None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def game_3x3():
    """A 3x3 game whose payoffs move with p: a Shapley-type cycle with a coordination bonus p."""
    a = [["p", "0", "1"], ["1", "p", "0"], ["0", "1", "p"]]
    b = [["p", "1", "0"], ["0", "p", "1"], ["1", "0", "p"]]
    return gt.Game.from_arrays(a, b, parameters={"p": 0}, title="parameterised Shapley game")


def game_3x3_two():
    a = [["p", "0", "1 + q"], ["1", "p", "0"], ["0", "1", "p"]]
    b = [["p", "1", "0"], ["0", "p", "1 - q"], ["1", "0", "p"]]
    return gt.Game.from_arrays(a, b, parameters={"p": 0, "q": 0}, title="two-parameter 3x3 game")


def game_30x30(seed: int = 1):
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 20, size=(2, 30, 30))
    slope = rng.integers(-3, 4, size=(2, 30, 30))
    arrays = [[[f"{base[i, r, c]} + ({slope[i, r, c]})*p" for c in range(30)] for r in range(30)] for i in range(2)]
    return gt.Game.from_arrays(*arrays, parameters={"p": 0}, title="random 30x30")


def per_point_floats(game, name, values):
    """Float payoff matrices at each value (for the per-point libraries)."""
    pay = game.numeric_payoffs(**{name: np.asarray(values, dtype=float)})
    return [(pay[k, 0], pay[k, 1]) for k in range(len(values))]


def bench_nashpy(mats):
    import warnings

    import nashpy

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for a, b in mats:
                list(nashpy.Game(a, b).support_enumeration())

    t, _ = timed(run)
    return len(mats) / t


def bench_pygambit(mats):
    import pygambit

    def run():
        for a, b in mats:
            g = pygambit.Game.from_arrays(a, b)
            pygambit.nash.enummixed_solve(g, rational=False)

    t, _ = timed(run)
    return len(mats) / t


def bench_exact_per_point(game, name, values):
    from fractions import Fraction

    from gametheory.solvers.enumeration import enumerate_equilibria

    def run():
        for v in values:
            enumerate_equilibria(game.with_parameters({name: Fraction(v)}))

    t, _ = timed(run)
    return len(values) / t


def cli_csv_wall(points: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sweep.csv"
        code = "import gametheory.cli.sensitivity_commands; from gametheory.cli import main; main()"
        cmd = [sys.executable, "-c", code, "sweep", str(ROOT / "games" / "stag_hunt.yaml"),
               "--vary", f"T=0:4:{points}", "--format", "csv", "-o", str(out)]
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, cwd=ROOT)
            best = min(best, time.perf_counter() - start)
        rows = sum(1 for _ in out.open()) - 1 if out.exists() else 0
    return best, rows


def main() -> None:
    rows = []
    stag = gt.load(ROOT / "games" / "stag_hunt.yaml")
    n2 = 100_001 if QUICK else 1_000_001
    sweep(stag, [f"T=0:4:{n2}"])  # warm up (imports)
    t, res = timed(lambda: sweep(stag, [f"T=0:4:{n2}"]), repeat=3)
    rate_2x2 = n2 / t
    rows.append(("2x2 sweep, API (Stag Hunt, T)", f"{n2:,} points", f"{t:.3f} s", f"{rate_2x2:,.0f} points/s"))

    g3 = game_3x3()
    n3 = 30_001 if QUICK else 300_001
    sweep(g3, ["p=-2:2:1001"])
    t, res3 = timed(lambda: sweep(g3, [f"p=-2:2:{n3}"]), repeat=3)
    rate_3x3 = n3 / t
    rows.append(("3x3 sweep, API (Shapley-type, p)", f"{n3:,} points", f"{t:.3f} s", f"{rate_3x3:,.0f} points/s"))

    few = np.linspace(0.01, 3.99, 300)
    mats2 = per_point_floats(stag, "T", few)
    few3 = np.linspace(-1.99, 1.99, 200)
    mats3 = per_point_floats(g3, "p", few3)
    for label, fn in (("nashpy per point (support enumeration)", bench_nashpy),
                      ("pygambit per point (enummixed)", bench_pygambit)):
        for size, mats, ours in (("2x2", mats2, rate_2x2), ("3x3", mats3, rate_3x3)):
            try:
                rate = fn(mats)
                rows.append((f"{size} {label}", f"{len(mats)} points", "", f"{rate:,.0f} points/s "
                             f"(ours {ours / rate:,.0f}x)"))
            except ImportError as exc:
                rows.append((f"{size} {label}", "", "", f"not installed ({exc.name})"))
    rate = bench_exact_per_point(stag, "T", few[:100])
    rows.append(("2x2 our exact per-point solver (vertex enumeration)", "100 points", "",
                 f"{rate:,.0f} points/s (batch {rate_2x2 / rate:,.0f}x)"))

    wall, csv_rows = cli_csv_wall(100_001)
    rows.append(("CLI: 2x2 sweep to CSV file (stag hunt)", f"100,001 points, {csv_rows:,} rows", f"{wall:.2f} s wall",
                 "floor < 2 s"))

    g32 = game_3x3_two()
    side = 100 if QUICK else 500
    t, res2d = timed(lambda: sweep(g32, [f"p=-2:2:{side}", f"q=-1:1:{side}"]))
    rows.append(("3x3 two-parameter sweep, API", f"{side} x {side}", f"{t:.2f} s",
                 f"{len(res2d.regimes)} regions, {res2d.n_exact} points solved exactly; floor < 10 s"))

    big = game_30x30()
    n30 = 40 if QUICK else 120
    t1, r1 = timed(lambda: sweep(big, [f"p=0:2:{n30}"], workers=1))
    t2, r2 = timed(lambda: sweep(big, [f"p=0:2:{n30}"], workers=2))
    same = r1.structure.tolist() == r2.structure.tolist()
    rows.append(("30x30 sweep, per-point solver, workers 1 vs 2", f"{n30} points",
                 f"{t1:.2f} s vs {t2:.2f} s", f"speed-up {t1 / t2:.2f}x (identical: {same}); floor 1.6x"))

    import numpy
    import scipy
    import sympy

    print("## Sweep benchmark\n")
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    print(f"Machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {load[0]:.2f}; Python {platform.python_version()}, "
          f"numpy {numpy.__version__}, scipy {scipy.__version__}, sympy {sympy.__version__}\n")
    print("| what | size | time | result |")
    print("|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
