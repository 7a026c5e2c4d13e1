"""Shared pieces of the dynamics: payoff vectors, start points, and the equilibria to compare with."""

from __future__ import annotations

from typing import Any, Sequence

from ..errors import GameError

# A trajectory "approaches" an equilibrium when its end point is within this
# distance (largest coordinate difference) of it.
DEFAULT_TOL = 1e-3


def float_payoffs(game: Any) -> Any:
    """The game's float payoff array ``(N, n_1, ..., n_N)``."""
    import numpy as np

    return np.asarray(game.payoff_array, dtype=float)


def strategy_payoffs(payoffs: Any, profile: Sequence[Any], player: int) -> Any:
    """Player ``player``'s expected payoff from each of its pure strategies against ``profile``."""
    import numpy as np

    t = payoffs[player]
    for j in reversed(range(len(profile))):
        if j != player:
            t = np.tensordot(t, profile[j], axes=([j], [0]))
    return t


def cross_payoffs(payoffs: Any, profile: Sequence[Any], player: int, other: int) -> Any:
    """``M[a, b]``: player ``player``'s payoff from ``a`` when ``other`` plays ``b`` and the rest mix."""
    import numpy as np

    t = payoffs[player]
    for j in reversed(range(len(profile))):
        if j not in (player, other):
            t = np.tensordot(t, profile[j], axes=([j], [0]))
    return t if player < other else t.T


def rng(seed: Any) -> Any:
    """A numpy Generator from a seed (an int, None, or a Generator)."""
    import numpy as np

    return np.random.default_rng(seed)


def one_population(game: Any, populations: str) -> bool:
    """Whether to run one population (a symmetric two-player game) or one per player."""
    if populations not in ("auto", "one", "two"):
        raise GameError(f"populations must be 'auto', 'one' or 'two', not {populations!r}")
    if populations == "one":
        if not game.is_symmetric():
            raise GameError("one population needs a symmetric two-player game (B = A transposed)")
        return True
    return populations == "auto" and game.is_symmetric()


# a start whose probabilities sum to 1 within this is accepted (and renormalised against rounding)
START_SUM_TOL = 1e-9


def normalise(vec: Any, size: int, what: str) -> Any:
    """``vec`` as a float probability vector of length ``size``; a GameError unless it is one.

    The probabilities must be non-negative and sum to 1 within
    :data:`START_SUM_TOL`: a vector such as (0.5, 0.6) is an error, not
    silently rescaled.
    """
    import numpy as np

    arr = np.asarray([float(v) for v in vec], dtype=float)
    if arr.shape != (size,):
        raise GameError(f"{what}: expected {size} probabilities, got {len(arr)}")
    if (arr < 0).any() or not np.isfinite(arr).all():
        raise GameError(f"{what}: probabilities must be non-negative")
    if abs(float(arr.sum()) - 1.0) > START_SUM_TOL:
        values = ", ".join(f"{v:g}" for v in arr)
        raise GameError(f"{what}: the probabilities {values} sum to {float(arr.sum()):.10g}, not 1")
    return arr / arr.sum()


def start_profile(game: Any, start: Any, seed: Any, *, interior: bool = True) -> list[Any]:
    """The starting mixed profile: ``start`` (one vector per player, or one for all) or a seeded random one.

    A random start is uniform on each player's simplex (Dirichlet(1, ..., 1)).
    """
    if start is None:
        gen = rng(seed)
        return [gen.dirichlet([1.0] * n) for n in game.shape]
    vecs = list(start)
    if vecs and not hasattr(vecs[0], "__len__"):
        vecs = [vecs]
    if len(vecs) == 1 and game.n_players > 1:
        if len(set(game.shape)) != 1:
            raise GameError("one start vector for all players needs every player to have as many strategies")
        vecs = vecs * game.n_players
    if len(vecs) != game.n_players:
        raise GameError(f"start: expected one probability vector per player ({game.n_players}), got {len(vecs)}")
    return [normalise(v, n, f"start for {p!r}") for v, n, p in zip(vecs, game.shape, game.players)]


def flow_start(game: Any, start: Any, seed: Any, one: bool) -> list[Any]:
    """The start of a flow: :func:`start_profile`, the same state for every player with one population.

    One population has one state, so starts given per player must agree
    (else a GameError, rather than silently using the first).
    """
    import numpy as np

    prof = start_profile(game, start, seed)
    if not one:
        return prof
    if start is not None and any(np.max(np.abs(np.asarray(x) - prof[0])) > 1e-12 for x in prof[1:]):
        raise GameError("one population (a symmetric game, populations 'auto' or 'one') has one start, but the "
                        "starts given differ by player: give one start, or use populations 'two' "
                        "(--populations two)")
    return [prof[0]] * game.n_players


def nash_profiles(game: Any) -> list[tuple[tuple[float, ...], ...]]:
    """The verified Nash equilibria of ``game`` (:func:`gametheory.solvers.solve`), as float profiles."""
    return nash_solution(game)[0]


def nash_solution(game: Any) -> tuple[list, list | None]:
    """The verified Nash equilibria as float profiles, and (degenerate games) their components.

    ``components`` lists, for each connected set of equilibria, the indices
    of its extreme points (None when the game is nondegenerate or the solver
    does not report them).
    """
    from ..solvers import solve

    res = solve(game)
    comps = getattr(res, "components", None)
    return [e.float_profile for e in res.equilibria], [list(c) for c in comps] if comps else None


def max_regret(payoffs: Any, profile: Sequence[Any]) -> list[float]:
    """Each player's largest gain from a pure deviation from ``profile`` (0 at a Nash equilibrium)."""
    import numpy as np

    prof = [np.asarray(x, dtype=float) for x in profile]
    out = []
    for i in range(len(prof)):
        u = strategy_payoffs(payoffs, prof, i)
        out.append(float(u.max() - prof[i] @ u))
    return out


def in_component(profile: Sequence[Any], equilibria: Sequence[Any], members: Sequence[int], tol: float) -> bool:
    """Whether each player's strategy is, within ``tol``, a mixture of its strategies at ``members``."""
    import numpy as np
    from scipy.optimize import nnls

    for i, x in enumerate(profile):
        corners = np.array([equilibria[k][i] for k in members], dtype=float).T  # strategies x members
        weight = 1e3
        a = np.vstack([corners, weight * np.ones((1, corners.shape[1]))])
        b = np.concatenate([np.asarray(x, dtype=float), [weight]])
        w, _ = nnls(a, b)
        if np.max(np.abs(corners @ w - np.asarray(x, dtype=float))) > tol or abs(w.sum() - 1) > 1e-6:
            return False
    return True


def distance(a: Sequence[Sequence[float]], b: Sequence[Sequence[float]]) -> float:
    """The largest coordinate difference between two profiles."""
    return max(abs(float(x) - float(y)) for u, v in zip(a, b) for x, y in zip(u, v))


def nearest(profile: Sequence[Sequence[float]], equilibria: Sequence[Any]) -> tuple[int | None, float]:
    """The index of the nearest equilibrium and its distance (``(None, inf)`` when there are none)."""
    best, best_d = None, float("inf")
    for k, eq in enumerate(equilibria):
        d = distance(profile, eq)
        if d < best_d:
            best, best_d = k, d
    return best, best_d


def logit(values: Any, lam: float) -> Any:
    """The logit (softmax) choice probabilities ``exp(lam v_a) / sum_b exp(lam v_b)``."""
    import numpy as np

    z = lam * (np.asarray(values, dtype=float) - np.max(values))
    e = np.exp(z)
    return e / e.sum()


def best_response_set(values: Any, tol: float = 1e-12) -> Any:
    """Uniform weights on the (near-)maximisers of ``values`` (ties within ``tol`` times the scale)."""
    import numpy as np

    v = np.asarray(values, dtype=float)
    top = v.max()
    scale = max(1.0, float(np.abs(v).max()))
    mask = v >= top - tol * scale
    return mask / mask.sum()


def equilibrium_text(game: Any, profile: Sequence[Sequence[float]]) -> str:
    """``(Hare, Hare)`` for a pure profile, else ``mixed (0.667, 0.333; 0.667, 0.333)``."""
    if all(max(x) > 1 - 1e-9 for x in profile):
        return "(" + ", ".join(ss[max(range(len(x)), key=lambda a: x[a])]
                               for ss, x in zip(game.strategies, profile)) + ")"
    return "mixed (" + "; ".join(", ".join(f"{float(q):.3g}" for q in x) for x in profile) + ")"
