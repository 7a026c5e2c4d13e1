"""Parameter sweeps: the equilibria at every point of a grid of one or two parameters.

:func:`sweep` evaluates the payoff expressions over the whole grid at once
and solves all points together (:mod:`gametheory.sensitivity.batch`): batched
support enumeration for two-player games, batched pure equilibria for
N-player games.  Points where the batch is not sure (a margin within
rounding of zero, a singular system, an even number of equilibria) are
solved exactly, one by one, at their exact rational parameter values
(:func:`gametheory.solvers.enumeration.enumerate_equilibria`), so a grid
point exactly on a threshold gets the exact degenerate answer with its
components.  Games too large to batch are solved point by point.

The grid is cut into chunks that run in this process, in local processes
(``workers``) or on a Dask cluster (``scheduler``); the results are the same
whatever the back-end.  The result holds arrays (per support pattern, a mask
over the grid and the probabilities and payoffs there), not Python objects
per point: per-point equilibrium dicts are built only for JSON and tables,
and CSV is written vectorised.

Regimes: in one dimension the maximal stretches of consecutive points with
the same equilibrium structure (:mod:`gametheory.sensitivity.structure`); in
two, the regions of points with the same structure.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Sequence

from ..errors import GameError, GameFileError
from .batch import TOL, Pattern, PatternHits, can_batch, solve_batch
from .grid import Axis, make_axes
from .structure import UNDEFINED, PointSolution, describe, general_solver, solve_point

CHUNK_ENTRIES = 500_000  # payoff entries per chunk: chunks stay in the CPU cache
MIN_CHUNK = 1024
POINT_CHUNK = 64  # points per task when solving point by point


# ---------------------------------------------------------------------------
# evaluation over the grid


def grid_columns(axes: Sequence[Axis], start: int, stop: int) -> dict[str, Any]:
    """The float values of each varied parameter at flat grid indices ``start..stop-1``."""
    import numpy as np

    flat = np.arange(start, stop)
    if len(axes) == 1:
        return {axes[0].name: axes[0].floats()[flat]}
    n1 = axes[1].num
    return {axes[0].name: axes[0].floats()[flat // n1], axes[1].name: axes[1].floats()[flat % n1]}


def point_values(axes: Sequence[Axis], index: int) -> dict[str, Fraction]:
    """The exact parameter values at a flat grid index."""
    if len(axes) == 1:
        return {axes[0].name: axes[0].value(index)}
    n1 = axes[1].num
    return {axes[0].name: axes[0].value(index // n1), axes[1].name: axes[1].value(index % n1)}


def evaluate_grid(game: Any, columns: dict[str, Any], size: int) -> Any:
    """Payoffs over grid points, shape ``(N, n_1, ..., n_N, size)``: the grid axis last.

    Like :meth:`~gametheory.model.Game.numeric_payoffs` (the same
    :func:`~gametheory.expressions.evaluate_numeric` on each distinct
    expression), laid out so that each payoff entry is a contiguous vector.
    """
    import numpy as np

    from .. import expressions as ex
    from ..model.game import define_order

    env: dict[str, Any] = {k: float(v) for k, v in game.values.items()}
    env.update(columns)
    for name in define_order(game.define):
        env[name] = ex.evaluate_numeric(game.define[name], env)
    out = np.empty(game.payoff_expressions.shape + (size,))
    memo: dict[Any, Any] = {}
    for idx, e in np.ndenumerate(game.payoff_expressions):
        if e not in memo:
            memo[e] = ex.evaluate_numeric(e, env)
        out[idx] = memo[e]
    return out


# ---------------------------------------------------------------------------
# chunks


@dataclass
class ChunkResult:
    """What one chunk of grid points gives: pattern hits (masks over the chunk) and exact solutions."""

    start: int
    stop: int
    hits: dict[Pattern, PatternHits]
    solutions: dict[int, PointSolution]
    undefined: Any
    notes: list[str] = field(default_factory=list)


def _solve_exact(game: Any, axes: Sequence[Axis], index: int, general: bool, pure_only: bool) -> PointSolution | None:
    try:
        at = game.with_parameters(point_values(axes, index))
    except GameFileError:
        return None  # payoffs undefined here
    if pure_only:
        from ..solvers.pure import pure_equilibria

        return PointSolution(pure_equilibria(at), complete=False, method="pure")
    return solve_point(at, general=general)


def chunk_task(task: tuple) -> ChunkResult:
    """Solve grid points ``start..stop-1`` (a picklable top-level function for the back-ends)."""
    import numpy as np

    game, axes, start, stop, tol, mode = task
    size = stop - start
    if mode == "points":
        solutions: dict[int, PointSolution] = {}
        undefined = np.zeros(size, dtype=bool)
        for k in range(size):
            sol = _solve_exact(game, axes, start + k, general=True, pure_only=False)
            if sol is None:
                undefined[k] = True
            else:
                solutions[start + k] = sol
        return ChunkResult(start, stop, {}, solutions, undefined)
    payoffs = evaluate_grid(game, grid_columns(axes, start, stop), size)
    batch = solve_batch(payoffs, game.shape, tol=tol)
    solutions = {}
    undefined = batch.undefined.copy()
    for k in np.flatnonzero(batch.flagged).tolist():
        sol = _solve_exact(game, axes, start + k, general=False, pure_only=(mode == "pure"))
        if sol is None:
            undefined[k] = True
        else:
            solutions[start + k] = sol
    hits = {h.pattern: h for h in batch.hits if h.count}
    return ChunkResult(start, stop, hits, solutions, undefined, batch.notes)


# ---------------------------------------------------------------------------
# results


@dataclass
class Regime:
    """A stretch (one parameter) or region (two) of grid points with one equilibrium structure.

    ``first``/``last`` are flat grid indices (the stretch's ends, in one
    dimension); ``point`` the index of a representative point inside;
    ``points`` how many grid points it has; ``bounds`` the smallest and
    largest value of each varied parameter over its points.
    """

    structure: int
    key: tuple
    first: int
    last: int
    point: int
    points: int
    bounds: dict[str, tuple[Fraction, Fraction]]


def regime_where_text(d: dict) -> str:
    """Where a regime lies, from its ``regime_dict``: ``-3 .. 0`` or ``g in [-3, 0], L in [1, 6]``."""
    if "from" in d:
        return f"{d['from']} .. {d['to']}"
    return ", ".join(f"{k} in [{lo}, {hi}]" for k, (lo, hi) in d["bounds"].items())


@dataclass
class SweepResult:
    """The equilibria over a grid; see :func:`sweep`.

    Attributes:
        game: the game swept (at its other parameters' values).
        axes: the varied parameters (one or two :class:`~gametheory.sensitivity.grid.Axis`).
        hits: per support pattern, a :class:`~gametheory.sensitivity.batch.PatternHits`
            with a mask over the whole grid (flat index, first parameter slowest).
        solutions: exact per-point solutions (flagged points, or every point
            of games solved point by point), by flat index.
        undefined: mask of points whose payoffs are undefined.
        structure: the structure id of every point (an index into ``structures``).
        structures: the structure keys, in order of first appearance.
        method: how the points were solved; ``notes`` what to know about it.
    """

    game: Any
    axes: list[Axis]
    hits: list[PatternHits]
    solutions: dict[int, PointSolution]
    undefined: Any
    structure: Any
    structures: list[tuple]
    method: str
    notes: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    _positions: dict[int, Any] = field(default_factory=dict, repr=False)
    _regimes: list[Regime] | None = field(default=None, repr=False)

    # -- basic views --------------------------------------------------------

    @property
    def parameters(self) -> list[str]:
        return [a.name for a in self.axes]

    @property
    def grid_shape(self) -> tuple[int, ...]:
        return tuple(a.num for a in self.axes)

    @property
    def n_points(self) -> int:
        out = 1
        for a in self.axes:
            out *= a.num
        return out

    def __len__(self) -> int:
        return self.n_points

    def values_at(self, index: int) -> dict[str, Fraction]:
        """Exact parameter values at a flat grid index."""
        return point_values(self.axes, index)

    def float_values(self) -> dict[str, Any]:
        """Float values of each varied parameter at every point (flat order)."""
        return grid_columns(self.axes, 0, self.n_points)

    def index_of(self, **values: Any) -> int:
        """The flat index of the grid point with these exact values (GameError if not on the grid)."""
        from ..model.game import exact_number

        pos = []
        for a in self.axes:
            if a.name not in values:
                raise GameError(f"give a value for {a.name}")
            v = exact_number(values[a.name])
            k = (v - a.start) / a.step if a.num > 1 else Fraction(0)
            if k.denominator != 1 or not 0 <= k < a.num:
                raise GameError(f"{a.name} = {v} is not a grid point")
            pos.append(int(k))
        return pos[0] if len(pos) == 1 else pos[0] * self.axes[1].num + pos[1]

    @property
    def n_exact(self) -> int:
        """How many points were solved exactly one by one."""
        return len(self.solutions)

    # -- equilibria at a point ----------------------------------------------

    def _position(self, k: int) -> Any:
        import numpy as np

        if k not in self._positions:
            self._positions[k] = np.cumsum(self.hits[k].mask) - 1
        return self._positions[k]

    def key_at(self, index: int) -> tuple:
        return self.structures[int(self.structure[index])]

    def solution_at(self, index: int, game: Any = None) -> PointSolution | None:
        """The equilibria at one point as a :class:`PointSolution` (exact where the payoffs are rational).

        Batch results are made exact here: the support systems are re-solved
        in rational arithmetic at the point's exact parameter values and each
        equilibrium is verified (:func:`gametheory.solvers.verify.certify`).
        Returns None where the payoffs are undefined.
        """
        if index in self.solutions:
            return self.solutions[index]
        if self.undefined[index]:
            return None
        if game is None:
            game = self.game.with_parameters(self.values_at(index))
        eqs = []
        for k, h in enumerate(self.hits):
            if not h.mask[index]:
                continue
            col = int(self._position(k)[index])
            eq = _exact_equilibrium(game, h, col)
            if eq is None:  # cannot happen for a verified batch result; solve the point instead
                return solve_point(game)
            eqs.append(eq)
        eqs.sort(key=lambda e: tuple(-float(v) for x in e.profile for v in x))
        return PointSolution(eqs, method="batch support enumeration")

    def equilibria_at(self, index: int) -> list[dict]:
        """The equilibria at one point in the ``solve --format json`` shape."""
        if self.undefined[index]:
            return []
        game = self.game.with_parameters(self.values_at(index))
        sol = self.solution_at(index, game)
        return [e.to_dict(game) for e in sol.equilibria]

    def point_dict(self, index: int) -> dict:
        """``{"values": ..., "equilibria": [...], "degenerate": ...}`` for one point."""
        from ..solvers._exact import number

        values = self.values_at(index)
        out: dict[str, Any] = {"values": {k: number(v) for k, v in values.items()}}
        if self.undefined[index]:
            out["equilibria"] = []
            out["undefined"] = True
            return out
        game = self.game.with_parameters(values)
        sol = self.solution_at(index, game)
        out["equilibria"] = [e.to_dict(game) for e in sol.equilibria]
        out["degenerate"] = bool(sol.degenerate)
        if sol.degenerate:
            out["components"] = [list(c) for c in sol.components or []]
        if not sol.complete:
            out["complete"] = False
        return out

    # -- regimes ------------------------------------------------------------

    @property
    def regimes(self) -> list[Regime]:
        """Stretches (one parameter) or regions (two) with the same equilibrium structure."""
        if self._regimes is None:
            self._regimes = _regimes(self)
        return self._regimes

    def regime_dict(self, regime: Regime) -> dict:
        """A regime in the shape of ``thresholds --format json`` (from, to, classification, equilibria)."""
        from ..solvers._exact import number
        from .classify import classify_2x2

        at = self.values_at(regime.point)
        out: dict[str, Any] = {}
        if len(self.axes) == 1:
            name = self.axes[0].name
            out["from"] = number(self.values_at(regime.first)[name])
            out["to"] = number(self.values_at(regime.last)[name])
        else:
            out["bounds"] = {k: [number(lo), number(hi)] for k, (lo, hi) in regime.bounds.items()}
        out["points"] = regime.points
        out["structure"] = describe(self.game, regime.key)
        out["degenerate"] = bool(regime.key[1]) if regime.key != UNDEFINED else None
        if regime.key != UNDEFINED and regime.key[1] == 2:
            out["continuum"] = True
        out["at"] = {k: number(v) for k, v in at.items()}
        if regime.key != UNDEFINED:
            game = self.game.with_parameters(at)
            cls = classify_2x2(game)
            if cls is not None:
                out["classification"] = cls
            out["equilibria"] = self.equilibria_at(regime.point)
        else:
            out["equilibria"] = []
        return out

    # -- output -------------------------------------------------------------

    def to_dict(self, points: bool = True) -> dict:
        """The JSON of ``sweep --format json`` (DESIGN.md section 3), extended with notes and counts."""
        from ..solvers._exact import number

        out: dict[str, Any] = {
            "game": self.game.title,
            "parameters": self.parameters,
            "grid": {a.name: {"start": number(a.start), "stop": number(a.stop), "num": a.num} for a in self.axes},
            "fixed": {k: number(v) for k, v in self.game.values.items() if k not in self.parameters},
            "method": self.method,
            "exactly_solved_points": self.n_exact,
        }
        if points:
            out["points"] = [self.point_dict(k) for k in range(self.n_points)]
        out["regimes"] = [self.regime_dict(r) for r in self.regimes]
        out["notes"] = list(self.notes)
        return out

    def columns(self) -> tuple[list[str], list[Any]]:
        """CSV columns, vectorised: one row per point and equilibrium.

        Columns: the varied parameters, ``equilibrium`` (1, 2, ... within the
        point), every strategy's probability (``Player:strategy``), every
        player's payoff (``payoff:Player``), ``pure``, ``degenerate``.
        """
        import numpy as np

        game = self.game
        width = sum(game.shape)
        n_players = game.n_players
        idx_parts, prof_parts, pay_parts, pure_parts, deg_parts = [], [], [], [], []
        for h in self.hits:
            if not h.count:
                continue
            idx_parts.append(h.points())
            prof_parts.append(h.profiles(game.shape))
            pay_parts.append(h.payoffs.T)
            pure_parts.append(np.full(h.count, h.pattern.pure))
            deg_parts.append(np.zeros(h.count, dtype=bool))
        extra_idx, extra_prof, extra_pay, extra_pure, extra_deg = [], [], [], [], []
        for index, sol in sorted(self.solutions.items()):
            for e in sol.equilibria:
                extra_idx.append(index)
                extra_prof.append([float(p) for x in e.profile for p in x])
                extra_pay.append([float(v) for v in e.payoffs])
                extra_pure.append(e.pure)
                extra_deg.append(sol.degenerate)
        if extra_idx:
            idx_parts.append(np.array(extra_idx, dtype=np.int64))
            prof_parts.append(np.array(extra_prof, dtype=float).reshape(-1, width))
            pay_parts.append(np.array(extra_pay, dtype=float).reshape(-1, n_players))
            pure_parts.append(np.array(extra_pure, dtype=bool))
            deg_parts.append(np.array(extra_deg, dtype=bool))
        if idx_parts:
            idx = np.concatenate(idx_parts)
            prof = np.concatenate(prof_parts)
            pay = np.concatenate(pay_parts)
            pure = np.concatenate(pure_parts)
            deg = np.concatenate(deg_parts)
        else:
            idx = np.zeros(0, dtype=np.int64)
            prof = np.zeros((0, width))
            pay = np.zeros((0, n_players))
            pure = deg = np.zeros(0, dtype=bool)
        # order: by point, then as the solvers list equilibria (player 1's probabilities descending)
        keys = [-prof[:, c] for c in reversed(range(width))] + [idx]
        order = np.lexsort(keys)
        idx, prof, pay, pure, deg = idx[order], prof[order], pay[order], pure[order], deg[order]
        number = np.ones(len(idx), dtype=np.int64)
        if len(idx):
            starts = np.r_[True, idx[1:] != idx[:-1]]
            run_start = np.maximum.accumulate(np.where(starts, np.arange(len(idx)), 0))
            number = np.arange(len(idx)) - run_start + 1
        cols = grid_columns(self.axes, 0, self.n_points)
        header = list(self.parameters) + ["equilibrium"]
        columns: list[Any] = [cols[a.name][idx] for a in self.axes] + [number]
        k = 0
        for p, strategies in zip(game.players, game.strategies):
            for s in strategies:
                header.append(f"{p}:{s}")
                columns.append(np.clip(prof[:, k], 0.0, 1.0))
                k += 1
        for i, p in enumerate(game.players):
            header.append(f"payoff:{p}")
            columns.append(pay[:, i])
        header += ["pure", "degenerate"]
        columns += [pure, deg]
        return header, columns

    def csv_bytes(self) -> bytes:
        """The CSV file (see :meth:`columns`), formatted vectorised."""
        from .csvout import csv_bytes

        header, columns = self.columns()
        return csv_bytes(header, columns)

    def write_csv(self, path_or_file: Any) -> None:
        data = self.csv_bytes()
        if hasattr(path_or_file, "write"):
            buffer = getattr(path_or_file, "buffer", None)
            if buffer is not None:
                path_or_file.flush()
                buffer.write(data)
                buffer.flush()
            else:
                path_or_file.write(data.decode())
            return
        with open(path_or_file, "wb") as fh:
            fh.write(data)

    def __repr__(self) -> str:
        grid = " x ".join(str(a) for a in self.axes)
        return (f"<SweepResult {grid}: {self.n_points} points, {len(self.regimes)} regimes, "
                f"{self.n_exact} solved exactly>")

    def _repr_html_(self) -> str:
        import html

        rows = []
        for r in self.regimes:
            d = self.regime_dict(r)
            where = regime_where_text(d)
            rows.append(f"<tr><td>{html.escape(str(where))}</td><td>{d['points']}</td>"
                        f"<td>{html.escape(d['structure'])}</td><td>{html.escape(d.get('classification') or '')}</td></tr>")
        return (f"<table><caption>{html.escape(repr(self))}</caption><tr><th>where</th><th>points</th>"
                "<th>equilibria</th><th>type</th></tr>" + "".join(rows) + "</table>")


def _exact_equilibrium(game: Any, hits: PatternHits, col: int) -> Any:
    """The equilibrium of one support pattern at an exact game, re-solved exactly and verified."""
    from ..solvers._exact import solve_rational
    from ..solvers.verify import certify

    supports = hits.pattern.supports
    if hits.pattern.pure:
        from ..solvers.verify import certify_pure

        return certify_pure(game, tuple(s[0] for s in supports))
    if not game.is_rational:
        probs = hits.probs[:, col]
        profile, row = [], 0
        for n, s in zip(game.shape, supports):
            x = [0.0] * n
            for k in s:
                x[k] = float(probs[row])
                row += 1
            profile.append(tuple(x))
        return certify(game, tuple(profile), tol=1e-7)
    a, b = game.payoffs
    rows_i, cols_j = supports
    k = len(rows_i)
    y = solve_rational([[a[r, c] for c in cols_j] + [-1] for r in rows_i] + [[1] * k + [0]], [0] * k + [1])
    x = solve_rational([[b[r, c] for r in rows_i] + [-1] for c in cols_j] + [[1] * k + [0]], [0] * k + [1])
    if x is None or y is None:
        return None
    px = [Fraction(0)] * game.shape[0]
    py = [Fraction(0)] * game.shape[1]
    for r, v in zip(rows_i, x[:k]):
        px[r] = v
    for c, v in zip(cols_j, y[:k]):
        py[c] = v
    return certify(game, (tuple(px), tuple(py)))


def _structure_ids(result_hits: list[PatternHits], solutions: dict[int, PointSolution], undefined: Any,
                   n: int) -> tuple[Any, list[tuple]]:
    """A structure id per point, and the structure keys in order of first appearance."""
    import numpy as np

    keys: list[tuple] = []
    if result_hits:
        masks = np.stack([h.mask for h in result_hits])
        packed = np.ascontiguousarray(np.packbits(masks, axis=0).T)
        view = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
        uniq, inverse = np.unique(view, return_inverse=True)
        inverse = inverse.ravel()
        for u in uniq:
            bits = np.unpackbits(np.frombuffer(u.tobytes(), dtype=np.uint8))[: len(result_hits)]
            present = [result_hits[k].pattern.key for k in np.flatnonzero(bits)]
            keys.append((tuple(sorted(present)), 0))
        ids = inverse.astype(np.int64)
    else:
        ids = np.zeros(n, dtype=np.int64)
        keys.append(((), 0))
    lookup = {k: i for i, k in enumerate(keys)}
    # a key may occur twice (batch and exact): merge by key
    canonical = np.array([lookup[k] for k in keys], dtype=np.int64)
    ids = canonical[ids]
    for index, sol in solutions.items():
        key = sol.key
        if key not in lookup:
            lookup[key] = len(keys)
            keys.append(key)
        ids[index] = lookup[key]
    if undefined.any():
        if UNDEFINED not in lookup:
            lookup[UNDEFINED] = len(keys)
            keys.append(UNDEFINED)
        ids[undefined] = lookup[UNDEFINED]
    # renumber by first appearance
    used, first = np.unique(ids, return_index=True)
    order = used[np.argsort(first)]
    remap = np.empty(len(keys), dtype=np.int64)
    remap[order] = np.arange(len(order))
    return remap[ids], [keys[k] for k in order]


def _regimes(result: SweepResult) -> list[Regime]:
    import numpy as np

    ids = result.structure
    axes = result.axes
    out = []
    if len(axes) == 1:
        a = axes[0]
        change = np.flatnonzero(ids[1:] != ids[:-1]) + 1
        starts = np.r_[0, change]
        ends = np.r_[change - 1, len(ids) - 1]
        for s, e in zip(starts.tolist(), ends.tolist()):
            sid = int(ids[s])
            out.append(Regime(sid, result.structures[sid], s, e, (s + e) // 2, e - s + 1,
                              {a.name: (a.value(s), a.value(e))}))
        return out
    n1 = axes[1].num
    for sid in range(len(result.structures)):
        where = np.flatnonzero(ids == sid)
        if not len(where):
            continue
        i0, i1 = where // n1, where % n1
        # representative: the member nearest the region's centre
        c0, c1 = i0.mean(), i1.mean()
        rep = int(where[np.argmin((i0 - c0) ** 2 + (i1 - c1) ** 2)])
        bounds = {axes[0].name: (axes[0].value(int(i0.min())), axes[0].value(int(i0.max()))),
                  axes[1].name: (axes[1].value(int(i1.min())), axes[1].value(int(i1.max())))}
        out.append(Regime(sid, result.structures[sid], int(where[0]), int(where[-1]), rep, len(where), bounds))
    return out


# ---------------------------------------------------------------------------
# the entry point


def _mode(game: Any, mixed: bool | None) -> tuple[str, list[str]]:
    if game.n_players == 2:
        if can_batch(game):
            return "batch", []
        return "points", [f"{game.shape[0]}x{game.shape[1]} game: too many support pairs to batch; "
                          "solved point by point"]
    if mixed:
        if general_solver() is None:
            raise GameError("mixed equilibria of N-player games need gametheory.solvers.solve, not available here")
        return "points", ["N-player game: every point solved by the general solver (mixed equilibria included)"]
    return "pure", ["N-player game: pure equilibria only (batched); pass mixed=True (--mixed) for mixed "
                    "equilibria by the per-point general solver"]


def _chunks(n: int, size: int) -> list[tuple[int, int]]:
    return [(s, min(n, s + size)) for s in range(0, n, size)]


def sweep(
    game: Any,
    vary: Sequence[Any],
    *,
    workers: int = 1,
    scheduler: Any = None,
    tol: float = TOL,
    chunk_size: int | None = None,
    mixed: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
    repeated: bool | None = None,
    target: Any = None,
    strategies: Any = None,
    generosity: Any = "default",
) -> Any:
    """The equilibria of ``game`` at every point of a grid of one or two parameters.

    ``vary``: one or two items, each ``"NAME=START:STOP[:NUM]"`` (exact
    rational ends), ``(name, start, stop, num)``, or an
    :class:`~gametheory.sensitivity.grid.Axis`.  The other parameters keep
    the game's values.  ``workers``: local processes; ``scheduler``: a Dask
    scheduler address (or ``Client``/``LocalCluster``); ``progress(done,
    total)`` is called as chunks finish.  ``mixed``: for N-player games,
    also search mixed equilibria with the per-point general solver.

    ``repeated``: sweep the repeated game too (each strategy's critical
    discount factor and whether it sustains the target at every point, see
    :func:`gametheory.repeated.sweep.repeated_sweep`); by default when a
    varied parameter appears in the file's ``repeated:`` section (the
    discount factor, the detection probability).  Returns a
    :class:`~gametheory.repeated.sweep.RepeatedSweepResult` then (its
    ``stage`` is this function's usual result).  ``target``, ``strategies``
    and ``generosity`` are passed on to it.

    Example::

        >>> import gametheory as gt
        >>> from gametheory.sensitivity import sweep
        >>> result = sweep(gt.load("games/security/security_dilemma.yaml"), ["g=-3:3:61"])
        >>> [r.points for r in result.regimes]   # stag hunt, the threshold g = 0, prisoner's dilemma
        [30, 1, 30]
    """
    started = time.perf_counter()
    axes = make_axes(game, vary)
    asked = repeated
    if repeated is None:
        repeated = game.repeated is not None and any(
            a.name in game.names_used(game.repeated_expressions()) for a in axes)
    if repeated:
        from ..repeated.sweep import repeated_sweep
        from ..repeated.thresholds import DEFAULT_GENEROSITY

        return repeated_sweep(game, axes, target=target, strategies=strategies,
                              generosity=DEFAULT_GENEROSITY if generosity == "default" else generosity,
                              workers=workers, scheduler=scheduler, mixed=mixed, progress=progress)
    mode, notes = _mode(game, mixed)
    n = 1
    for a in axes:
        n *= a.num
    if chunk_size is None:
        if mode == "points":  # small tasks, so that processes share the work (same chunks for any back-end)
            chunk_size = max(1, min(POINT_CHUNK, -(-n // 16)))
        else:
            entries = game.n_players * game.n_profiles
            chunk_size = max(MIN_CHUNK, CHUNK_ENTRIES // max(1, entries))
    chunk_size = max(1, int(chunk_size))
    spans = _chunks(n, chunk_size)
    tasks = [(game, axes, s, e, tol, mode) for s, e in spans]
    from .backends import run_tasks

    results = run_tasks(chunk_task, tasks, workers=workers, scheduler=scheduler, progress=progress,
                        sizes=[e - s for s, e in spans])
    import numpy as np

    patterns: dict[Pattern, None] = {}
    for r in results:
        for p in r.hits:
            patterns.setdefault(p)
    sizes = [r.stop - r.start for r in results]
    hits = [PatternHits.concatenate(p, [r.hits.get(p) for r in results], sizes) for p in patterns]
    hits.sort(key=lambda h: (not h.pattern.pure, h.pattern.supports))
    solutions: dict[int, PointSolution] = {}
    for r in results:
        solutions.update(r.solutions)
        for note in r.notes:
            if note not in notes:
                notes.append(note)
    undefined = np.concatenate([r.undefined for r in results]) if results else np.zeros(0, dtype=bool)
    ids, keys = _structure_ids(hits, solutions, undefined, n)
    if undefined.any():
        notes.append(f"{int(undefined.sum())} points have undefined payoffs (e.g. log or sqrt of a negative "
                     "number, division by zero) and no equilibria")
    for sol in solutions.values():
        for note in sol.notes:
            if note not in notes:
                notes.append(note)
    method = {"batch": "batch support enumeration, exact vertex enumeration at flagged points",
              "pure": "batch pure equilibria", "points": "per-point solver"}[mode]
    unused = [a.name for a in axes if not _affects_payoffs(game, a.name)]
    for name in unused:
        notes.append(f"{name} does not appear in the payoffs: the equilibria do not change with it")
    if game.repeated is not None and asked is None and not unused:
        notes.append("the file has a repeated: section: --repeated adds each strategy's critical discount factor "
                     "and where it sustains cooperation")
    return SweepResult(game=game, axes=axes, hits=hits, solutions=solutions, undefined=undefined,
                       structure=ids, structures=keys, method=method, notes=notes,
                       elapsed=time.perf_counter() - started)


def _affects_payoffs(game: Any, name: str) -> bool:
    return name in game.names_used(set(game.payoff_expressions.flat))


__all__ = ["sweep", "SweepResult", "Regime", "chunk_task", "evaluate_grid", "point_values", "grid_columns"]
