"""Evidence for where a trajectory ends: convergence certificates, conserved quantities, oscillation, recurrence.

A run is called a *cycle* only with positive evidence that it keeps going
round, and *approaches* an equilibrium only when its end point is within the
tolerance of a verified Nash equilibrium or provably inside a region that
equilibrium attracts.  The pieces:

* :func:`strict_attractor`: a strict pure equilibrium ``a`` attracts every
  state whose mass off ``a`` is small enough.  If ``m_q`` is population q's
  share not playing ``a_q``, a strategy's expected payoff moves by at most
  ``R_p sum_{q != p} m_q`` (``R_p`` player p's payoff spread) from its payoff
  at ``a``; so while ``2 R_p sum_{q != p} m_q`` is below the gap ``Delta_p``
  by which ``a_p`` beats p's other strategies at ``a``, every ratio
  ``x_i / x_{a_p}`` falls (``d log(x_i / x_{a_p}) / dt = u_i - u_{a_p} < 0``),
  the masses off ``a`` shrink and the region is forward invariant: the
  replicator dynamics converge to ``a`` from there (the argument that strict
  equilibria are asymptotically stable: Hofbauer & Sigmund 1998, Thm 7.2.1;
  Weibull 1995, Prop. 3.10 and 5.11).
* :func:`conserved_quantity`: around an interior equilibrium ``x*`` of a
  zero-sum-like game the replicator dynamics conserve
  ``H(x) = sum_p sum_a x*_pa log x_pa`` and orbits are closed (Hofbauer &
  Sigmund 1998, ch. 7.7 and 11.2; Rock-Paper-Scissors and Matching Pennies).
* :func:`oscillation`: turning points of the shares (with a hysteresis of
  the tolerance, so that rounding does not count): at least two full
  swings in the last half of the run, not dying away, is a sustained
  oscillation; swings that shrink are a spiral towards a rest point, not a
  cycle.
* :func:`play_recurrence`: for fictitious play, the pure profiles played
  repeat in a fixed order (Shapley 1964).

References:
    Hofbauer, J. & Sigmund, K. (1998). Evolutionary Games and Population
    Dynamics. Cambridge University Press.
    Weibull, J. W. (1995). Evolutionary Game Theory. MIT Press.
    Sandholm, W. H. (2010). Population Games and Evolutionary Dynamics. MIT Press.
    Shapley, L. S. (1964). Some topics in two-person games. In Advances in
    Game Theory, Annals of Mathematics Studies 52, 1-28.
"""

from __future__ import annotations

from typing import Any, Sequence

CONSERVED_RTOL = 1e-6  # relative variation of H along the last half that counts as conserved
MIN_TURNS = 4  # turning points of one share in the last half: two full swings
STEADY = 1e-3  # swings that shrink (grow) by more than this fraction at every turn: a spiral in (out)
DAMPED = 0.5  # the last swings at most this fraction of the first: dying away, however irregularly


def populations(profile: Sequence[Any], one: bool) -> list:
    return [profile[0]] if one else list(profile)


def growth_rates(U: Any, profile: Sequence[Any], one: bool) -> list:
    """Replicator growth rates ``u_a(x) - u(x)`` per population (``U`` the float payoff array)."""
    import numpy as np

    from ._common import strategy_payoffs

    prof = [np.asarray(x, dtype=float) for x in profile]
    players = [0] if one else range(len(prof))
    out = []
    for i in players:
        u = strategy_payoffs(U, prof, i)
        out.append(u - prof[i] @ u)
    return out


def strict_attractor(U: Any, end: Sequence[Any], equilibria: Sequence[Any], one: bool) -> tuple[int, float] | None:
    """The index of a strict pure equilibrium whose attracting region (module docstring) holds ``end``.

    Returns ``(index, margin)`` with the smallest ``Delta_p - 2 R_p sum m_q``
    (positive), or None.  With one population (``end`` the same state for
    both players) only symmetric equilibria qualify, and ``m`` is the one
    population's share off the equilibrium strategy.
    """
    import numpy as np

    from ._common import strategy_payoffs

    n = U.shape[0]
    for k, eq in enumerate(equilibria):
        if not all(max(x) > 1 - 1e-12 for x in eq):
            continue
        pure = [int(np.argmax(x)) for x in eq]
        if one and len(set(pure)) > 1:
            continue  # one population: only a symmetric profile is a state of it
        vertex = [np.eye(len(x))[a] for x, a in zip(eq, pure)]
        mass = [max(0.0, 1.0 - float(end[q][pure[q]])) for q in range(n)]
        margin = float("inf")
        for p in range(n):
            u = strategy_payoffs(U, vertex, p)
            others = np.delete(u, pure[p])
            if not len(others):
                continue
            gap = float(u[pure[p]] - others.max())
            spread = float(U[p].max() - U[p].min())
            margin = min(margin, gap - 2.0 * spread * sum(mass[q] for q in range(n) if q != p))
            if gap <= 0:
                margin = -1.0
        if margin > 0:
            return k, margin
    return None


def conserved_quantity(states: Sequence[Any], equilibria: Sequence[Any], one: bool) -> tuple[int, float] | None:
    """``(index, relative variation)`` of an interior equilibrium whose ``H`` is conserved along ``states``."""
    import numpy as np

    if len(states) < 3:
        return None
    for k, eq in enumerate(equilibria):
        stars = populations(eq, one)
        if one and any(max(abs(a - b) for a, b in zip(eq[0], x)) > 1e-9 for x in eq):
            continue  # one population: only a symmetric equilibrium is a state of it
        if min(min(x) for x in stars) <= 1e-12:
            continue
        values = []
        for s in states:
            pops = populations(s, one)
            if min(float(np.min(x)) for x in pops) <= 0:
                values = []
                break
            values.append(sum(float(np.dot(np.asarray(xs, float), np.log(np.asarray(x, float))))
                              for xs, x in zip(stars, pops)))
        if not values:
            continue
        values = np.array(values)
        variation = float(values.max() - values.min()) / max(1.0, float(np.abs(values).max()))
        if variation <= CONSERVED_RTOL:
            return k, variation
    return None


def _turns(series: Any, h: float) -> list[int]:
    """The indices of the turning points of ``series`` (a reversal must exceed ``h`` to count)."""
    out: list[int] = []
    hi = lo = 0
    direction = 0
    for k in range(1, len(series)):
        v = float(series[k])
        if direction >= 0:
            if v > series[hi]:
                hi = k
            if series[hi] - v > h:
                if direction > 0:
                    out.append(hi)
                direction, lo = -1, k
                continue
        if direction <= 0:
            if v < series[lo]:
                lo = k
            if v - series[lo] > h:
                if direction < 0:
                    out.append(lo)
                direction, hi = 1, k
    return out


def _extreme(times: Any, series: Any, k: int) -> float:
    """The value at a turning point, refined by the parabola through it and its neighbours."""
    if k == 0 or k + 1 >= len(series):
        return float(series[k])
    (t0, t1, t2), (v0, v1, v2) = times[k - 1:k + 2], series[k - 1:k + 2]
    d01, d12 = (v1 - v0) / (t1 - t0), (v2 - v1) / (t2 - t1)
    a = (d12 - d01) / (t2 - t0)
    if a == 0:
        return float(v1)
    t_star = (t0 + t1) / 2 - d01 / (2 * a)  # where the parabola's slope vanishes
    if not t0 <= t_star <= t2:
        return float(v1)
    return float(v1 + d01 * (t_star - t1) + a * (t_star - t0) * (t_star - t1))


def oscillation(times: Any, states: Sequence[Any], one: bool, tol: float, names: Sequence[str]) -> dict | None:
    """Sustained or dying oscillation of some share over the last half of the run.

    Turning points are found with a hysteresis of ``tol`` and their values
    refined by a parabola through the neighbouring states, so that the
    swings (peak to trough) are accurate far beyond the sampling.

    Returns None (no oscillation: fewer than :data:`MIN_TURNS` turning points
    in every share) or a dict with ``share`` (its name), ``turns``, ``swing``
    (the last peak-to-trough swing), ``ratio`` (the last two swings over the
    first two), ``damped`` (the swings die away: below :data:`DAMPED` of the
    first, or shrinking at every turn by more than :data:`STEADY`: a spiral
    towards a rest point) and ``growing`` (growing at every turn: a spiral
    out, towards the boundary).
    """
    import numpy as np

    times = np.asarray(times, dtype=float)
    if len(times) < 5:
        return None
    half = (times[0] + times[-1]) / 2
    idx = np.flatnonzero(times >= half)
    if len(idx) < 5:
        return None
    tt = times[idx]
    flat = np.array([np.concatenate([np.asarray(x, float) for x in populations(states[i], one)]) for i in idx])
    best = None
    for c in range(flat.shape[1]):
        col = flat[:, c]
        turns = [_extreme(tt, col, k) for k in _turns(col, tol)]
        if len(turns) < MIN_TURNS:
            continue
        swings = np.abs(np.diff(turns))
        first, last = swings[:2].mean(), swings[-2:].mean()
        ratio = float(last / first) if first > 0 else 1.0
        pairs = list(zip(swings[:-2], swings[2:]))  # each swing against the one two before (same direction)
        shrinking = bool(pairs) and all(b < a * (1 - STEADY) for a, b in pairs)
        growing = bool(pairs) and all(b > a * (1 + STEADY) for a, b in pairs)
        cand = {"share": names[c], "turns": len(turns), "swing": float(swings[-1]), "ratio": ratio,
                "damped": bool(ratio < DAMPED or shrinking), "growing": growing}
        if best is None or (best["damped"], -best["turns"]) > (cand["damped"], -cand["turns"]):
            best = cand
    return best


def _periodic(seq: Sequence[Any], min_length: Any, max_period: int = 24) -> tuple[int, int] | None:
    """``(period, length)``: the shortest period ``p >= 2`` (``p`` distinct items) of the end of ``seq``,
    when the periodic stretch holds at least ``min_length(p)`` items."""
    for p in range(2, max_period + 1):
        if len(seq) < min_length(p):
            break
        k = 0
        while k + p < len(seq) and seq[-1 - k] == seq[-1 - k - p]:
            k += 1
        if k + p >= min_length(p) and len(set(seq[-p:])) == p:
            return p, k + p
    return None


def play_recurrence(plays: Any, min_repeats: int = 2) -> tuple[int, int] | None:
    """``(period, repeats)`` when the runs of identical pure profiles repeat in a fixed order.

    The sequence of profiles played run after run must be periodic with some
    period ``p >= 2`` over its last ``min_repeats * p`` runs at least (the
    unfinished last run left out).
    """
    import numpy as np

    if plays is None or len(plays) < 2:
        return None
    arr = np.asarray(plays)
    codes = np.ravel_multi_index(tuple(arr.T), tuple(int(m) + 1 for m in arr.max(axis=0)))
    changes = np.flatnonzero(np.diff(codes)) + 1
    seq = [int(c) for c in codes[np.concatenate([[0], changes])][:-1]]  # one code per complete run
    found = _periodic(seq, lambda p: min_repeats * p)
    return None if found is None else (found[0], found[1] // found[0])


def vertex_recurrence(times: Any, states: Sequence[Any], one: bool, near: float = 0.9) -> dict | None:
    """The pure profiles a flow passes near (every population's largest share at least ``near``), when
    they recur in a fixed order: a cycle of at least three profiles visited and the first visited again,
    or two profiles alternating twice.  This is how a flow approaching a heteroclinic cycle on the
    boundary shows itself (Shapley's and Jordan's games: Hofbauer & Sigmund 1998, ch. 11), with stays
    near each profile that grow longer.

    Returns a dict with ``profiles`` (the cycle, as tuples of strategy indices), ``visits`` and
    ``stays`` (the durations of the visits), or None.
    """
    import numpy as np

    seq: list = []
    since: list = []
    stays: list = []
    for t, s in zip(times, states):
        pops = populations(s, one)
        if min(float(np.max(x)) for x in pops) < near:
            continue
        code = tuple(int(np.argmax(x)) for x in pops)
        if not seq or seq[-1] != code:
            seq.append(code)
            since.append(float(t))
            stays.append(0.0)
        stays[-1] = float(t) - since[-1]
    found = _periodic(seq, lambda p: 2 * p if p == 2 else p + 1)
    if found is None:
        return None
    p, length = found
    return {"profiles": seq[-p:], "visits": length, "stays": stays[-length:]}


