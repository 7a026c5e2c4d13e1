"""Benchmark gametheory's equilibrium solvers against nashpy, pygambit and (if present) quantecon.

Run from the repository root::

    PYTHONPATH=. python bench/bench_solvers.py [--quick] [--seed N]

Prints a markdown table of median times over seeded random games with
integer payoffs 0..99, and the ratio (other / ours), then the machine and
library versions.  Each game is timed on a Game object that has been solved
once already (gametheory caches per-game data such as the integer payoff
matrices, as pygambit keeps its own representation); the first-call time is
shown separately for enumeration.  Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gametheory.model import Game  # noqa: E402
from gametheory.solvers.enumeration import enumerate_equilibria  # noqa: E402
from gametheory.solvers.lemke_howson import lemke_howson  # noqa: E402
from gametheory.solvers.pure import pure_equilibria  # noqa: E402


def _optional(name: str) -> Any:
    try:
        return __import__(name)
    except ImportError:
        return None


nashpy = _optional("nashpy")
gbt = _optional("pygambit")
quantecon = _optional("quantecon")


def timed(f: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs (seconds) and the last result."""
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


LIMIT = 60.0  # seconds: external solvers that take longer are stopped and counted at this time


def timed_external(f: Callable[[], Any], limit: float = LIMIT) -> tuple[float, Any, bool]:
    """Time ``f()`` in a forked process, stopped after ``limit`` s: (seconds, result, timed_out).

    Lemke-Howson paths (pygambit's too) have a heavy tail; one long path must
    not stall the whole benchmark.  ``f`` must return something picklable.
    """
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def target() -> None:
        start = time.perf_counter()
        out = f()
        send.send((time.perf_counter() - start, out))

    proc = ctx.Process(target=target)
    proc.start()
    if receive.poll(limit):
        seconds, out = receive.recv()
        proc.join()
        return seconds, out, False
    proc.kill()
    proc.join()
    return limit, None, True


def games(seed: int, count: int, m: int, n: int) -> list[tuple[Any, Any]]:
    rng = np.random.default_rng(seed)
    return [(rng.integers(0, 100, (m, n)), rng.integers(0, 100, (m, n))) for _ in range(count)]


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, float, str, float | None, str]] = []

    def add(
        self, task: str, size: str, ours: float, other: str, theirs: float | None, note: str = ""
    ) -> None:
        self.rows.append((task, size, ours, other, theirs, note))
        ratio = f"{theirs / ours:.1f}x" if theirs else "-"
        print(f"  {task} {size}: ours {fmt(ours)}, {other} {fmt(theirs)} ({ratio}) {note}", file=sys.stderr)

    def markdown(self) -> str:
        lines = [
            "| task | size | gametheory (median) | compared with | their median | ratio (theirs / ours) | note |",
            "|---|---|---|---|---|---|---|",
        ]
        for task, size, ours, other, theirs, note in self.rows:
            ratio = f"{theirs / ours:.1f}x" if theirs else "-"
            lines.append(f"| {task} | {size} | {fmt(ours)} | {other} | {fmt(theirs)} | {ratio} | {note} |")
        return "\n".join(lines)


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def median(values: list[float]) -> float:
    return statistics.median(values)


def bench_enumeration(table: Table, seed: int, quick: bool) -> None:
    for size, count, versus in [
        (6, 5, "nashpy"),
        (8, 3 if quick else 5, "nashpy"),
        (8, 5, "gambit"),
        (10, 5, "gambit"),
    ]:
        if quick and size == 10:
            count = 3
        ours, first, theirs, q_times = [], [], [], []
        counts_ok = True
        timeouts = 0
        for a, b in games(seed + size, count, size, size):
            game = Game.from_arrays(a, b)
            t_first, result = timed(lambda game=game: enumerate_equilibria(game))
            first.append(t_first)
            t, result = timed(lambda game=game: enumerate_equilibria(game), repeat=5)
            ours.append(t)
            if versus == "nashpy" and nashpy is not None:
                g = nashpy.Game(a, b)

                def run(g=g) -> int:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        return len(list(g.support_enumeration()))

                t, found, late = timed_external(run)
                theirs.append(t)
                timeouts += late
                counts_ok &= late or found <= len(result.equilibria)
            if versus == "gambit" and gbt is not None:
                g = gbt.Game.from_arrays(a, b)
                t, found, late = timed_external(
                    lambda g=g: len(gbt.nash.enummixed_solve(g, rational=False).equilibria)
                )
                theirs.append(t)
                timeouts += late
                counts_ok &= late or found == len(result.equilibria)
            if quantecon is not None:
                from quantecon.game_theory import (
                    NormalFormGame,
                    Player,
                    support_enumeration,
                    vertex_enumeration,
                )

                # the reference points: support enumeration at 6x6/8x8, vertex enumeration at 8x8/10x10
                q_solver = support_enumeration if versus == "nashpy" else vertex_enumeration
                nfg = NormalFormGame([Player(a), Player(b.T)])
                q_solver(nfg)  # compile (numba)
                t, _ = timed(lambda nfg=nfg, q_solver=q_solver: q_solver(nfg))
                q_times.append(t)
        label = {"nashpy": "nashpy support_enumeration", "gambit": "pygambit enummixed_solve (float)"}[versus]
        available = {"nashpy": nashpy, "gambit": gbt}[versus] is not None
        note = f"{count} games; first call {fmt(median(first))}"
        if available and not counts_ok:
            note += "; equilibrium counts differ"
        if timeouts:
            note += f"; {timeouts} runs stopped at {LIMIT:.0f} s (counted as {LIMIT:.0f} s)"
        table.add(
            "all equilibria, exact",
            f"{size}x{size}",
            median(ours),
            label,
            median(theirs) if theirs else None,
            note,
        )
        if q_times:
            table.add(
                "all equilibria, exact",
                f"{size}x{size}",
                median(ours),
                "quantecon support_enumeration" if versus == "nashpy" else "quantecon vertex_enumeration",
                median(q_times),
            )


def bench_lemke_howson(table: Table, seed: int, quick: bool) -> None:
    size = 200
    count = 3 if quick else 5
    ours, theirs, q_times, pivots = [], [], [], []
    timeouts = 0
    for a, b in games(seed + size, count, size, size):
        game = Game.from_arrays(a, b)
        t, result = timed(lambda game=game: lemke_howson(game, labels=[0]), repeat=2)
        ours.append(t)
        if gbt is not None:
            g = gbt.Game.from_arrays(a, b)
            t, _, late = timed_external(
                lambda g=g: len(gbt.nash.lcp_solve(g, rational=False, stop_after=1).equilibria)
            )
            theirs.append(t)
            timeouts += late
        if quantecon is not None:
            from quantecon.game_theory import NormalFormGame, Player
            from quantecon.game_theory import lemke_howson as qe_lh

            nfg = NormalFormGame([Player(a), Player(b.T)])
            qe_lh(nfg, init_pivot=0)
            t, _ = timed(lambda nfg=nfg: qe_lh(nfg, init_pivot=0))
            q_times.append(t)
    table.add(
        "Lemke-Howson, first equilibrium",
        f"{size}x{size}",
        median(ours),
        "pygambit lcp_solve(stop_after=1)",
        median(theirs) if theirs else None,
        f"{count} games; ours from label 0, re-solved exactly and verified"
        + (
            f"; {timeouts} pygambit runs stopped at {LIMIT:.0f} s (counted as {LIMIT:.0f} s)"
            if timeouts
            else ""
        ),
    )
    if q_times:
        table.add(
            "Lemke-Howson, first equilibrium",
            f"{size}x{size}",
            median(ours),
            "quantecon lemke_howson",
            median(q_times),
        )
    # all starting labels, at a size where every path is short enough to time
    size = 50
    ours, theirs = [], []
    for a, b in games(seed + size, 2, size, size):
        game = Game.from_arrays(a, b)
        t, result = timed(lambda game=game: lemke_howson(game))
        ours.append(t)
        pivots.append(len(result.equilibria))
    table.add(
        "Lemke-Howson, all m+n starting labels",
        f"{size}x{size}",
        median(ours),
        "-",
        None,
        f"distinct equilibria found: {pivots}",
    )


def bench_pure(table: Table, seed: int) -> None:
    rng = np.random.default_rng(seed)
    ours, theirs = [], []
    for _ in range(3):
        arrays = rng.integers(0, 100, (5,) + (8,) * 5)
        game = Game.from_arrays(*arrays)
        pure_equilibria(game)
        t, found = timed(lambda game=game: pure_equilibria(game), repeat=20)
        ours.append(t)
        if gbt is not None:
            g = gbt.Game.from_arrays(*arrays)
            t, res = timed(lambda g=g: gbt.nash.enumpure_solve(g), repeat=3)
            theirs.append(t)
            assert len(res.equilibria) == len(found)
    table.add(
        "pure equilibria (with strictness)",
        "5 players x 8 strategies",
        median(ours),
        "pygambit enumpure_solve",
        median(theirs) if theirs else None,
        "32,768 profiles",
    )


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import scipy

    versions = [
        f"Python {platform.python_version()}",
        f"numpy {np.__version__}",
        f"scipy {scipy.__version__}",
    ]
    for mod, name in ((nashpy, "nashpy"), (gbt, "pygambit"), (quantecon, "quantecon")):
        versions.append(f"{name} {getattr(mod, '__version__', '?')}" if mod else f"{name} not installed")
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    return (
        f"Machine: {platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} CPUs, "
        f"load average {load[0]:.2f} at the start\n\n" + ", ".join(versions)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer games")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    header = machine()
    table = Table()
    bench_pure(table, args.seed)
    bench_enumeration(table, args.seed, args.quick)
    bench_lemke_howson(table, args.seed, args.quick)
    print("## Solver benchmarks\n")
    print(table.markdown())
    print()
    print(header)


if __name__ == "__main__":
    main()
