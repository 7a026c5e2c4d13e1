"""Verification: the regret of a strategy profile, exact when it can be.

Every solver's candidates pass through :func:`certify`; a candidate that
fails is dropped, never reported.  For a profile ``x = (x_1, ..., x_N)``,
player i's *regret* is ``max_s u_i(s, x_-i) - u_i(x)``: what it would gain by
its best pure deviation.  ``x`` is a Nash equilibrium iff every regret is 0.

When the profile's probabilities are exact (ints or Fractions) and the game's
payoffs are exact, the regret is computed exactly, so "is an equilibrium"
means regret == 0, with no tolerance.  Otherwise it is computed in floats and
compared with a tolerance relative to the payoff scale.  Only the supports of
the other players are read, so checking a pure profile costs O(n_i) per player
however many players there are.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Sequence

from ..errors import GameError
from ._exact import compare, game_cache, is_exact_number, is_rational, sign
from .result import Equilibrium

DEFAULT_TOL = 1e-9
_NOT_A_DISTRIBUTION = "each player's probabilities must be non-negative and sum to 1"
_ZERO = Fraction(0)


def normalise_profile(
    game: Any, profile: Sequence[Sequence[Any]]
) -> tuple[tuple[tuple[Any, ...], ...], bool]:
    """Check a profile's shape; return it as tuples and whether it is exact.

    A profile is exact when every probability is an int or a Fraction; then the
    entries are returned as Fractions, otherwise as floats.
    """
    if len(profile) != game.n_players:
        raise GameError(f"a profile needs one strategy per player ({game.n_players}), got {len(profile)}")
    rows = []
    for player, n, x in zip(game.players, game.shape, profile):
        x = tuple(x)
        if len(x) != n:
            raise GameError(f"{player}'s strategy needs {n} probabilities, got {len(x)}")
        rows.append(x)
    exact = all(is_exact_number(p) for x in rows for p in x)
    if exact:
        return tuple(tuple(p if type(p) is Fraction else Fraction(p) for p in x) for x in rows), True
    return tuple(tuple(float(p) for p in x) for x in rows), False


def _is_distribution(profile: tuple[tuple[Any, ...], ...], exact: bool, tol: float) -> bool:
    for x in profile:
        if exact:
            if any(p < 0 for p in x) or sum(x) != 1:
                return False
        elif any(p < -tol for p in x) or abs(sum(x) - 1.0) > tol * max(1, len(x)):
            return False
    return True


def _deviation_values(payoffs: Any, profile: tuple[tuple[Any, ...], ...], exact: bool) -> list[Any]:
    """For each player, the payoff of each of its pure strategies against the others' mix."""
    import numpy as np

    n_players = len(profile)
    supports = [[k for k, p in enumerate(x) if p != 0] for x in profile]
    if all(len(s) == 1 for s in supports):  # a pure profile: read the payoffs directly
        point = [s[0] for s in supports]
        out = []
        for i in range(n_players):
            index = tuple(slice(None) if j == i else point[j] for j in range(n_players))
            out.append(list(payoffs[(i,) + index]))
        return out
    dtype = object if exact else float
    weights = [np.array([x[k] for k in s], dtype=dtype) for x, s in zip(profile, supports)]
    out = []
    for i in range(n_players):
        index = [np.arange(len(profile[i])) if j == i else np.asarray(supports[j]) for j in range(n_players)]
        sub = payoffs[i][np.ix_(*index)]
        for j in reversed(range(n_players)):
            if j != i:
                sub = np.tensordot(sub, weights[j], axes=([j], [0]))
        out.append(list(sub))
    return out


def _integer_payoffs(game: Any) -> tuple[Any, list[int]]:
    """Rational payoffs as integers: (object array of ints, per-player scale), cached per game."""
    import numpy as np

    cache = game_cache(game)
    if "integer_payoffs" not in cache:
        ints = np.empty(game.payoffs.shape, dtype=object)
        scales = []
        for i in range(game.n_players):
            scale = 1
            for v in game.payoffs[i].flat:
                d = v.denominator
                if scale % d:
                    scale = scale * d // math.gcd(scale, d)
            scales.append(scale)
            flat = [v.numerator * (scale // v.denominator) for v in game.payoffs[i].flat]
            ints[i] = np.array(flat, dtype=object).reshape(game.shape)
        ints.flags.writeable = False
        cache["integer_payoffs"] = (ints, scales)
    return cache["integer_payoffs"]


def _integer_rows(game: Any) -> tuple[list[list[int]], list[list[int]]]:
    """Two-player integer payoffs as lists: A by rows, B by columns (cached)."""
    cache = game_cache(game)
    if "integer_rows" not in cache:
        ints, _ = _integer_payoffs(game)
        cache["integer_rows"] = (ints[0].tolist(), ints[1].T.tolist())
    return cache["integer_rows"]


def _evaluate_integer(game: Any, prof: tuple[tuple[Fraction, ...], ...]) -> tuple[tuple, tuple]:
    """Exact payoffs and regrets of a profile in a rational game, in integer arithmetic."""
    dens = []
    nums = []
    for x in prof:
        d = 1
        for p in x:
            if d % p.denominator:
                d = d * p.denominator // math.gcd(d, p.denominator)
        dens.append(d)
        nums.append([p.numerator * (d // p.denominator) for p in x])
    return _evaluate_scaled(game, nums, dens)


def _evaluate_scaled(game: Any, nums: list[list[int]], dens: list[int]) -> tuple[tuple, tuple]:
    """:func:`_evaluate_integer` for a profile given as integer numerators over one denominator per player."""
    import numpy as np

    ints, scales = _integer_payoffs(game)
    n_players = len(nums)
    supports = []
    for num, d in zip(nums, dens):
        if sum(num) != d or min(num) < 0:
            raise GameError(_NOT_A_DISTRIBUTION)
        supports.append([k for k, v in enumerate(num) if v])
    all_dens = math.prod(dens)
    pays = []
    regrets = []
    if n_players == 2:  # plain integer dot products: no object-array overhead
        rows = _integer_rows(game)
        a, bt = rows
        wy = [(j, nums[1][j]) for j in supports[1]]
        wx = [(i, nums[0][i]) for i in supports[0]]
        deviation_values = [
            [sum(row[j] * w for j, w in wy) for row in a],
            [sum(col[i] * w for i, w in wx) for col in bt],
        ]
    else:
        weights = [np.array([num[k] for k in s], dtype=object) for num, s in zip(nums, supports)]
        deviation_values = []
        for i in range(n_players):
            index = [np.arange(len(nums[i])) if j == i else np.asarray(supports[j]) for j in range(n_players)]
            sub = ints[i][np.ix_(*index)]
            for j in reversed(range(n_players)):
                if j != i:
                    sub = (
                        np.dot(sub, weights[j])
                        if sub.ndim == 1 + j
                        else np.tensordot(sub, weights[j], ([j], [0]))
                    )
            deviation_values.append(sub.tolist())
    for i in range(n_players):
        values = deviation_values[i]
        own = sum(nums[i][k] * values[k] for k in supports[i])
        denominator = scales[i] * all_dens
        pays.append(Fraction(own, denominator))
        regrets.append(Fraction(max(values) * dens[i] - own, denominator))
    return tuple(pays), tuple(regrets)


def evaluate(game: Any, profile: Sequence[Sequence[Any]]) -> tuple[tuple[Any, ...], tuple[Any, ...], bool]:
    """``(payoffs, regrets, exact)`` of a profile: expected payoffs and per-player regret."""
    prof, exact = normalise_profile(game, profile)
    if exact and is_rational(game):
        pays, regrets = _evaluate_integer(game, prof)
        return pays, regrets, True
    if not _is_distribution(prof, exact, DEFAULT_TOL):
        raise GameError(_NOT_A_DISTRIBUTION)
    values = _deviation_values(game.payoffs if exact else game.payoff_array, prof, exact)
    pays = []
    regrets = []
    for x, v in zip(prof, values):
        pay = sum((p * u for p, u in zip(x, v) if p != 0), Fraction(0) if exact else 0.0)
        if exact:
            best = v[0]
            for u in v[1:]:
                if compare(u, best) > 0:
                    best = u
        else:
            best = max(v)
        pays.append(pay)
        regrets.append(best - pay)
    return tuple(pays), tuple(regrets), exact


def regret(game: Any, profile: Sequence[Sequence[Any]]) -> tuple[Any, ...]:
    """Each player's largest gain from deviating to a pure strategy.

    Exact (Fractions, or sympy numbers for irrational payoffs) when every
    probability in ``profile`` is an int or Fraction; floats otherwise.
    """
    return evaluate(game, profile)[1]


def payoff_scale(game: Any) -> float:
    """``max(1, max |payoff|)``: the unit in which float tolerances are measured."""
    import numpy as np

    cache = game_cache(game)
    if "payoff_scale" not in cache:
        arr = game.payoff_array
        cache["payoff_scale"] = max(1.0, float(np.max(np.abs(arr)))) if arr.size else 1.0
    return cache["payoff_scale"]


def is_equilibrium(game: Any, profile: Sequence[Sequence[Any]], tol: float = DEFAULT_TOL) -> bool:
    """Whether ``profile`` is a Nash equilibrium.

    Exact profiles must have regret exactly 0; float profiles at most
    ``tol * max(1, max |payoff|)``.  A profile that is not a distribution
    (negative entries, sums other than 1) is not an equilibrium.
    """
    try:
        _, regrets, exact = evaluate(game, profile)
    except GameError:
        return False
    if exact:
        return all(sign(r) == 0 for r in regrets)
    return max(regrets) <= tol * payoff_scale(game)


def certify(
    game: Any, profile: Sequence[Sequence[Any]], tol: float = DEFAULT_TOL, strict: bool | None = None
) -> Equilibrium | None:
    """An :class:`Equilibrium` if ``profile`` passes verification, else ``None``."""
    try:
        pays, regrets, exact = evaluate(game, profile)
    except GameError:
        return None
    if exact:
        if any(sign(r) != 0 for r in regrets):
            return None
        prof, _ = normalise_profile(game, profile)
    else:
        if max(regrets) > tol * payoff_scale(game):
            return None
        prof = tuple(tuple(float(p) for p in x) for x in profile)
        pays = tuple(float(v) for v in pays)
        regrets = tuple(max(0.0, float(r)) for r in regrets)
    pure = all(sum(1 for p in x if p != 0) == 1 for x in prof)
    return Equilibrium(
        profile=prof, exact=exact, payoffs=pays, pure=pure, regret=regrets, strict=strict if pure else None
    )


_UNIT_CACHE: dict[tuple[int, int], tuple[Fraction, ...]] = {}


def _unit(n: int, k: int) -> tuple[Fraction, ...]:
    key = (n, k)
    if key not in _UNIT_CACHE:
        one, zero = Fraction(1), Fraction(0)
        _UNIT_CACHE[key] = tuple(one if t == k else zero for t in range(n))
    return _UNIT_CACHE[key]


def certify_scaled(game: Any, scaled: Sequence[tuple[Sequence[int], int]]) -> Equilibrium | None:
    """:func:`certify` for an exact profile of a rational game given as integers.

    ``scaled`` holds, per player, ``(numerators, denominator)`` with the
    probabilities ``numerators / denominator``; the regret is computed in
    integer arithmetic and must be exactly 0.
    """
    nums = [list(num) for num, _ in scaled]
    dens = [int(d) for _, d in scaled]
    try:
        pays, regrets = _evaluate_scaled(game, nums, dens)
    except GameError:
        return None
    if any(regrets):
        return None
    profile = tuple(tuple(Fraction(v, d) if v else _ZERO for v in num) for num, d in zip(nums, dens))
    pure = all(sum(1 for v in num if v) == 1 for num in nums)
    return Equilibrium(profile=profile, exact=True, payoffs=pays, pure=pure, regret=regrets, strict=None)


def certify_pure(game: Any, strategies: Sequence[int], strict: bool | None = None) -> Equilibrium | None:
    """:func:`certify` for a pure profile given by strategy indices (exact, O(sum n_i))."""
    payoffs = game.payoffs
    n_players = game.n_players
    pays = []
    regrets = []
    for i in range(n_players):
        index = tuple(slice(None) if j == i else strategies[j] for j in range(n_players))
        line = payoffs[(i,) + index]
        own = line[strategies[i]]
        if all(type(u) is Fraction for u in line):
            best = max(line)
            if best != own:
                return None
        else:
            best = own
            for u in line:
                if u is not best and compare(u, best) > 0:
                    best = u
            if best is not own and compare(best, own) != 0:
                return None
        pays.append(own)
        regrets.append(best - own)
    profile = tuple(_unit(n, s) for n, s in zip(game.shape, strategies))
    return Equilibrium(
        profile=profile, exact=True, payoffs=tuple(pays), pure=True, regret=tuple(regrets), strict=strict
    )


def certify_pure_batch(
    game: Any, profiles: Any, strict: Sequence[bool | None], floats_exact: bool = False
) -> list[Equilibrium]:
    """:func:`certify_pure` for many pure profiles (a ``K x N`` integer array).

    With ``floats_exact`` (every payoff is exactly its float, e.g. integer
    payoffs) the regrets are computed exactly on the float view, vectorised.
    """
    import numpy as np

    profiles = np.asarray(profiles, dtype=int).reshape(-1, game.n_players)
    if not floats_exact:
        out = [certify_pure(game, tuple(p), s) for p, s in zip(profiles.tolist(), strict)]
        return [e for e in out if e is not None]
    floats = game.payoff_array
    ok = np.ones(len(profiles), dtype=bool)
    cols = tuple(profiles[:, j] for j in range(game.n_players))
    for i in range(game.n_players):
        best = floats[i].max(axis=i)
        ok &= floats[i][cols] == best[cols[:i] + cols[i + 1 :]]
    zero = Fraction(0)
    regrets = (zero,) * game.n_players
    payoffs = game.payoffs
    out = []
    for row, good, st in zip(profiles.tolist(), ok.tolist(), strict):
        if not good:
            continue
        point = tuple(row)
        out.append(
            Equilibrium(
                profile=tuple(_unit(n, s) for n, s in zip(game.shape, point)),
                exact=True,
                payoffs=tuple(payoffs[(i,) + point] for i in range(game.n_players)),
                pure=True,
                regret=regrets,
                strict=st,
            )
        )
    return out


__all__ = [
    "certify_scaled",
    "certify_pure",
    "certify_pure_batch",
    "regret",
    "is_equilibrium",
    "certify",
    "evaluate",
    "normalise_profile",
    "payoff_scale",
    "DEFAULT_TOL",
]
