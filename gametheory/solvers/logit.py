"""A Nash equilibrium of an N-player game by following the logit quantal response branch.

The logit quantal response equilibria (McKelvey & Palfrey 1995, "Quantal
response equilibria for normal form games", *Games and Economic Behavior*
10:6-38) of precision ``lambda >= 0`` are the profiles with
``x_ia = exp(lambda u_ia(x)) / sum_b exp(lambda u_ib(x))``.  At
``lambda = 0`` the unique one is the uniform profile; the *principal branch*
through it is, for almost every game, a smooth curve whose limit as
``lambda -> infinity`` is a Nash equilibrium (McKelvey & Palfrey 1995,
Theorem 3).  Following it is the homotopy method of Turocy (2005), "A dynamic
homotopy interpretation of the logistic quantal response equilibrium
correspondence", *Games and Economic Behavior* 51:243-263, which Gambit's
``gambit-logit`` implements.

Steps:

1. Payoffs are rescaled to the range [0, 1] (``lambda`` is reported in the
   game's own payoff units).  Unknowns are the log-probabilities
   ``y_ia = log x_ia`` and ``lambda``; equations, per player,
   ``y_ia - y_i1 - lambda (u_ia - u_i1) = 0`` for ``a > 1`` and
   ``sum_a exp(y_ia) = 1``.  In log-probabilities, strategies whose
   probability vanishes in the limit go to minus infinity linearly, which
   keeps the curve well conditioned as ``lambda`` grows.
2. Predictor-corrector continuation in arclength: the tangent is the null
   vector of the Jacobian (oriented to continue the previous one, so that
   backward bends in ``lambda`` are followed), an Euler step, then Newton
   corrections on the hyperplane orthogonal to the tangent.  A step that
   does not converge is halved; a good one lengthens the next by
   ``max_accel``.
3. From time to time (each decade of ``lambda``) the limit's support is
   guessed from the current profile and solved exactly on that support with
   :func:`gametheory.solvers.nplayer.support_equilibria` (rational games):
   an exact equilibrium near the branch is its limit.  Otherwise the profile
   is Newton-polished on its support and accepted when its regret is below
   the tolerance (:func:`gametheory.solvers.verify.certify`).
"""

from __future__ import annotations

import math
import string
from typing import Any, Sequence

from ..errors import GameError
from ._exact import is_rational
from .result import SolveResult
from .verify import certify, payoff_scale

METHOD = "logit"
SUPPORT_THRESHOLD = 1e-4  # a strategy is in the guessed support when its probability exceeds this share
NEAR = 1e-2  # an exact equilibrium this close (max norm) to the branch is taken as its limit


class _Kernel:
    """Expected payoffs and their derivatives for a game with payoffs scaled to [0, 1]."""

    def __init__(self, game: Any):
        import numpy as np

        arr = np.asarray(game.payoff_array, dtype=float)
        lo, hi = float(arr.min()), float(arr.max())
        self.range = hi - lo if hi > lo else 1.0
        self.u = (arr - lo) / self.range
        self.shape = tuple(game.shape)
        self.n = len(self.shape)
        self.offsets = [0]
        for k in self.shape:
            self.offsets.append(self.offsets[-1] + k)

    def split(self, flat: Any) -> list[Any]:
        return [flat[self.offsets[i] : self.offsets[i + 1]] for i in range(self.n)]

    def payoffs(self, x: Sequence[Any]) -> list[Any]:
        """``u_ia(x)`` for every player and strategy."""
        import numpy as np

        out = []
        for i in range(self.n):
            letters = string.ascii_letters[: self.n]
            operands = [self.u[i]] + [x[j] for j in range(self.n) if j != i]
            spec = letters + "," + ",".join(letters[j] for j in range(self.n) if j != i) + "->" + letters[i]
            out.append(np.einsum(spec, *operands))
        return out

    def cross(self, x: Sequence[Any]) -> dict[tuple[int, int], Any]:
        """``d u_ia / d x_jb`` for players ``i != j``: an ``n_i x n_j`` matrix each."""
        import numpy as np

        letters = string.ascii_letters[: self.n]
        out = {}
        for i in range(self.n):
            for j in range(self.n):
                if i == j:
                    continue
                others = [k for k in range(self.n) if k not in (i, j)]
                spec = letters + "".join("," + letters[k] for k in others) + "->" + letters[i] + letters[j]
                out[(i, j)] = np.einsum(spec, self.u[i], *[x[k] for k in others])
        return out

    def regret(self, x: Sequence[Any]) -> float:
        """The largest regret, in the scaled payoffs."""
        values = self.payoffs(x)
        return max(float(v.max() - v @ p) for v, p in zip(values, x))


def _equations(kernel: _Kernel, z: Any) -> tuple[Any, Any]:
    """``(H(z), dH/dz)`` for ``z = (y, lambda)``; H has one row per strategy."""
    import numpy as np

    y, lam = z[:-1], z[-1]
    x = [np.exp(part) for part in kernel.split(y)]
    values = kernel.payoffs(x)
    cross = kernel.cross(x)
    size = kernel.offsets[-1]
    h = np.zeros(size)
    jac = np.zeros((size, size + 1))
    for i in range(kernel.n):
        o = kernel.offsets[i]
        k = kernel.shape[i]
        h[o] = x[i].sum() - 1.0
        jac[o, o : o + k] = x[i]
        for a in range(1, k):
            row = o + a
            h[row] = y[o + a] - y[o] - lam * (values[i][a] - values[i][0])
            jac[row, o + a] += 1.0
            jac[row, o] -= 1.0
            jac[row, size] = -(values[i][a] - values[i][0])
            for j in range(kernel.n):
                if j == i:
                    continue
                oj = kernel.offsets[j]
                d = cross[(i, j)]
                jac[row, oj : oj + kernel.shape[j]] -= lam * (d[a] - d[0]) * x[j]
    return h, jac


def _tangent(jac: Any, previous: Any | None) -> Any:
    import numpy as np

    t = np.linalg.svd(jac)[2][-1]
    if previous is None:
        return t if t[-1] > 0 else -t
    return t if t @ previous >= 0 else -t


def _trace(
    kernel: _Kernel, stop: Any, first_step: float = 0.03, max_accel: float = 1.1, max_steps: int = 20000
) -> tuple[list[tuple[float, list[Any]]], Any, int]:
    """Follow the principal branch from ``lambda = 0`` until ``stop(lambda, x)`` is true.

    Returns ``(points, last z, steps)``; ``points`` are ``(scaled lambda, profile)`` pairs.
    """
    import numpy as np

    z = np.concatenate([np.full(k, -math.log(k)) for k in kernel.shape] + [np.zeros(1)])
    h, jac = _equations(kernel, z)
    t = _tangent(jac, None)
    step = first_step
    points = [(0.0, [np.exp(p) for p in kernel.split(z[:-1])])]
    steps = 0
    while steps < max_steps:
        steps += 1
        predicted = z + step * t
        w = predicted.copy()
        ok = False
        previous_norm = math.inf
        for _ in range(10):
            h, jac = _equations(kernel, w)
            aug = np.vstack([jac, t[None, :]])
            rhs = np.concatenate([h, [t @ (w - predicted)]])
            dw = (
                np.linalg.solve(aug, -rhs)
                if np.linalg.cond(aug) < 1e14
                else np.linalg.lstsq(aug, -rhs, rcond=None)[0]
            )
            w = w + dw
            norm = float(np.linalg.norm(dw))
            if norm < 1e-11 * max(1.0, float(np.linalg.norm(w))):
                ok = True
                break
            if norm > 2 * previous_norm:
                break
            previous_norm = norm
        if not ok or not np.all(np.isfinite(w)):
            step /= 2
            if step < 1e-12:
                break
            continue
        h, jac = _equations(kernel, w)
        t = _tangent(jac, t)
        z = w
        x = [np.exp(p) for p in kernel.split(z[:-1])]
        points.append((float(z[-1]), x))
        if stop(float(z[-1]), x):
            break
        step *= max_accel
    return points, z, steps


def logit_branch(
    game: Any, lambdas: Sequence[float] | None = None, *, first_step: float = 0.03, max_accel: float = 1.1
) -> list[tuple[float, tuple[tuple[float, ...], ...]]]:
    """Points ``(lambda, profile)`` on the principal logit QRE branch, e.g. for plotting.

    With ``lambdas`` (in the game's payoff units), the branch is followed up
    to the largest and each requested value is located where the branch first
    reaches it (Newton at fixed ``lambda`` from the nearest traced point);
    without, every point the tracer visited is returned.  Profiles are floats.
    """
    import numpy as np

    if game.n_players < 1:
        raise GameError("a game needs at least one player")
    kernel = _Kernel(game)
    if lambdas is None:
        points, _, _ = _trace(kernel, lambda lam, x: lam >= 100.0, first_step, max_accel)  # scaled lambda 100
        return [(lam / kernel.range, tuple(tuple(float(v) for v in p) for p in x)) for lam, x in points]
    wanted = sorted(float(v) for v in lambdas)
    if any(v < 0 for v in wanted):
        raise GameError("lambda must be non-negative")
    top = max(wanted, default=0.0) * kernel.range
    points, _, _ = _trace(kernel, lambda lam, x: lam >= top, first_step, max_accel)
    out = []
    for value in lambdas:
        lam = float(value) * kernel.range
        k = next((k for k, (traced, _) in enumerate(points) if traced >= lam), len(points) - 1)
        start = (
            points[max(0, k - 1)]
            if k > 0 and abs(points[k - 1][0] - lam) < abs(points[k][0] - lam)
            else points[k]
        )
        y = np.concatenate([np.log(np.maximum(p, 1e-300)) for p in start[1]])
        for _ in range(50):
            h, jac = _equations(kernel, np.append(y, lam))
            dy = np.linalg.lstsq(jac[:, :-1], -h, rcond=None)[0]
            y = y + dy
            if np.linalg.norm(dy) < 1e-13:
                break
        x = [np.exp(p) for p in kernel.split(y)]
        out.append((float(value), tuple(tuple(float(v) for v in p) for p in x)))
    return out


def _guess_support(x: Sequence[Any]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(int(a) for a in range(len(p)) if p[a] >= SUPPORT_THRESHOLD * p.max()) for p in x)


def _newton_polish(kernel: _Kernel, x: Sequence[Any], supports: Sequence[Sequence[int]]) -> list[Any] | None:
    """Newton's method on the indifference system of ``supports``, from ``x``; None if it fails."""
    import numpy as np

    n = kernel.n
    index = [(i, a) for i in range(n) for a in supports[i]]
    v = np.array([x[i][a] for i, a in index])

    def profile(v: Any) -> list[Any]:
        out = [np.zeros(k) for k in kernel.shape]
        for (i, a), p in zip(index, v):
            out[i][a] = p
        return out

    for _ in range(100):
        prof = profile(v)
        values = kernel.payoffs(prof)
        cross = kernel.cross(prof)
        rows, jac_rows = [], []
        for i in range(n):
            s0 = supports[i][0]
            row = np.zeros(len(index))
            for k, (j, _a) in enumerate(index):
                if j == i:
                    row[k] = 1.0
            rows.append(sum(prof[i][a] for a in supports[i]) - 1.0)
            jac_rows.append(row)
            for a in supports[i][1:]:
                rows.append(values[i][a] - values[i][s0])
                row = np.zeros(len(index))
                for k, (j, b) in enumerate(index):
                    if j != i:
                        row[k] = cross[(i, j)][a, b] - cross[(i, j)][s0, b]
                jac_rows.append(row)
        f = np.array(rows)
        dv = np.linalg.lstsq(np.array(jac_rows), -f, rcond=None)[0]
        v = v + dv
        if np.linalg.norm(dv) < 1e-15:
            break
    if np.any(v < -1e-12) or not np.all(np.isfinite(v)):
        return None
    return profile(np.maximum(v, 0.0))


def logit_solve(
    game: Any,
    tol: float = 1e-8,
    max_lambda: float = 1e7,
    *,
    first_step: float = 0.03,
    max_accel: float = 1.1,
    refine: bool = True,
) -> SolveResult:
    """One Nash equilibrium: the limit of the principal logit QRE branch (module docstring).

    Args:
        game: a :class:`~gametheory.model.game.Game`.
        tol: the regret tolerance, relative to the payoff scale
            (``max(1, max |payoff|)``) as in :func:`gametheory.solvers.verify.certify`.
        max_lambda: where to give up following the branch (scaled payoffs,
            range 1: ``lambda`` in game units is this over the payoff range).
        first_step, max_accel: the first arclength step, and how fast steps grow.
        refine: solve the guessed support exactly (rational games) or
            Newton-polish it, instead of reporting the raw point of the branch.

    Returns:
        A :class:`~gametheory.solvers.result.SolveResult` (method ``"logit"``,
        ``complete=False``, ``tolerance=tol``) with at most one equilibrium:
        exact when the refinement found it exactly, else floats with regret
        below ``tol``.  ``details``: ``lambda`` (game units) where the branch
        was left, ``branch_regret`` there, ``refined`` (``"exact"``,
        ``"newton"`` or ``"none"``), ``support`` and ``steps``.
    """
    import numpy as np

    if game.n_players < 1:
        raise GameError("a game needs at least one player")
    kernel = _Kernel(game)
    scale = payoff_scale(game)
    limit = tol * scale / kernel.range  # the regret tolerance in scaled payoffs
    state: dict[str, Any] = {"found": None, "tried": set(), "next": 10.0}
    rational = is_rational(game)

    def try_refine(x: Sequence[Any]) -> Any:
        supports = _guess_support(x)
        if supports in state["tried"]:
            return None
        state["tried"].add(supports)
        floats = [np.asarray(p) for p in x]
        if rational:
            from .nplayer import support_equilibria

            try:
                candidates, _ = support_equilibria(game, supports)
            except Exception:  # pragma: no cover (an exact solve that fails leaves Newton)
                candidates = []
            best = None
            for eq in candidates:
                d = max(float(np.max(np.abs(np.asarray(p) - q))) for p, q in zip(eq.float_profile, floats))
                if d < NEAR and (best is None or d < best[0]):
                    best = (d, eq)
            if best is not None:
                return best[1], "exact", supports
        polished = _newton_polish(kernel, floats, supports)
        if polished is not None:
            eq = certify(game, [list(p) for p in polished], tol=tol)
            if eq is not None:
                d = max(float(np.max(np.abs(p - q))) for p, q in zip(polished, floats))
                if d < NEAR:
                    return eq, "newton", supports
        return None

    def stop(lam: float, x: Sequence[Any]) -> bool:
        if lam >= max_lambda:
            return True
        if refine and lam >= state["next"]:
            state["next"] = lam * 10.0
            got = try_refine(x)
            if got is not None:
                state["found"] = got
                return True
        return kernel.regret(x) <= limit / 10

    points, z, steps = _trace(kernel, stop, first_step, max_accel)
    lam, x = points[-1]
    details: dict[str, Any] = {
        "lambda": lam / kernel.range,
        "branch_regret": kernel.regret(x) * kernel.range,
        "steps": steps,
    }
    equilibria = []
    if state["found"] is None and refine:
        state["tried"].clear()
        got = try_refine(x)
        if got is not None:
            state["found"] = got
    if state["found"] is not None:
        eq, how, supports = state["found"]
        details["refined"] = how
        details["support"] = [list(s) for s in supports]
        equilibria.append(eq)
    else:
        details["refined"] = "none"
        eq = certify(game, [list(p) for p in x], tol=tol)
        if eq is not None:
            equilibria.append(eq)
        else:
            details["note"] = "the branch did not reach a profile with regret below the tolerance"
    return SolveResult(
        game=game,
        method=METHOD,
        equilibria=equilibria,
        degenerate=False,
        complete=False,
        tolerance=tol,
        details=details,
    )


__all__ = ["logit_solve", "logit_branch", "METHOD"]
