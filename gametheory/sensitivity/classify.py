"""What kind of 2x2 game is this?  Names after Rapoport & Guyer (1966) and Robinson & Goforth (2005).

For a symmetric 2x2 game in the cooperation-game notation of DOMAIN.md

    |   | C      | D      |
    | C | (R, R) | (S, T) |
    | D | (T, S) | (P, P) |

the ordinal ranking of R, S, T, P names the game: Prisoner's Dilemma
(T > R > P > S), Stag Hunt (R > T, P > S, R > P), Chicken (T > R > S > P),
Leader (T > S > R > P), Hero (S > T > R > P), Harmony (R > T, S > P), Deadlock
(T > P > R > S).  The security-dilemma literature reads the sign of R - T
(is exploiting a cooperator tempting?) and of P - S (is being exploited
worse than mutual arming?) as the offence-defence balance (Jervis 1978).

Asymmetric 2x2 games are described by their structure: dominance, the
number and position of pure equilibria, and whether the players agree on
which equilibrium is better (Robinson & Goforth's layers).  A tie in the
ranking is a boundary between types; it is reported as such, because sweeps
land exactly on these thresholds.
"""

from __future__ import annotations

from typing import Any


def _cmp(a: Any, b: Any) -> int:
    return (a > b) - (a < b)


def symmetric_type(R: Any, S: Any, T: Any, P: Any) -> str:
    """Name of the symmetric 2x2 game with payoffs R, S, T, P (exact comparisons).

    The name does not depend on the order in which the file lists the strategies:
    C is the strategy whose mutual play pays more, so when the second strategy's mutual
    payoff is higher (P > R: Hawk-Dove with Hawk listed first) the strategies are
    relabelled before naming (R, S, T, P -> P, T, S, R), and Hawk-Dove is Chicken.
    """
    if P > R:
        R, S, T, P = P, T, S, R
    rt, ps, rp, st = _cmp(R, T), _cmp(P, S), _cmp(R, P), _cmp(S, T)
    ties = []
    if rt == 0:
        ties.append("R = T")
    if ps == 0:
        ties.append("P = S")
    if ties:
        return "boundary (" + ", ".join(ties) + ")"
    if rt > 0 and ps < 0:  # C strictly dominant
        return "harmony" if rp > 0 else "boundary (R = P)"
    if rt < 0 and ps > 0:  # D strictly dominant
        if rp > 0:
            return "prisoner's dilemma"
        if rp < 0:
            return "deadlock"
        return "boundary (R = P)"
    if rt > 0 and ps > 0:  # two symmetric pure equilibria (C, C) and (D, D)
        return "stag hunt" if rp > 0 else "boundary (R = P)"
    # rt < 0 and ps < 0: anti-coordination, equilibria (C, D) and (D, C)
    if st < 0:  # T > S
        rs = _cmp(R, S)
        if rs > 0:
            return "chicken"
        if rs < 0:
            return "leader"
        return "boundary (R = S)"
    if st > 0:
        return "hero"
    return "boundary (S = T)"


def classify_2x2(game) -> str | None:
    """A name for a 2x2 game: the symmetric type, or a structural description.

    Returns None for games that are not 2x2.
    """
    if game.n_players != 2 or game.shape != (2, 2):
        return None
    a, b = game.payoffs
    if game.is_symmetric():
        return symmetric_type(a[0, 0], a[0, 1], a[1, 0], a[1, 1])
    return _structure(a, b)


def region_types(result: Any, structure: int, samples: int = 25) -> list[str]:
    """The 2x2 game types found over a sweep region, most frequent first.

    One equilibrium structure can span several types (the boundaries R = T and P = S
    have the same equilibria), so a region is named by every type at a sample of its
    points, spread evenly over them.
    """
    from collections import Counter

    import numpy as np

    where = np.flatnonzero(result.structure.ravel() == structure)
    if not len(where):
        return []
    sample = where[np.linspace(0, len(where) - 1, min(len(where), samples)).astype(int)]
    kinds = Counter(classify_2x2(result.game.with_parameters(result.values_at(int(i)))) for i in sample)
    kinds.pop(None, None)
    return [k for k, _ in kinds.most_common()]


def _dominant(u, axis: int) -> int | None:
    """Index of a strictly dominant strategy for the player on ``axis``, if any."""
    if axis == 0:
        d = [_cmp(u[0, j], u[1, j]) for j in range(2)]
    else:
        d = [_cmp(u[i, 0], u[i, 1]) for i in range(2)]
    if all(x > 0 for x in d):
        return 0
    if all(x < 0 for x in d):
        return 1
    return None


def _structure(a, b) -> str:
    ties = [j for j in range(2) if a[0, j] == a[1, j]] + [i for i in range(2) if b[i, 0] == b[i, 1]]
    if ties:
        # a player indifferent against some pure strategy: a non-generic (degenerate) game,
        # whatever the other comparisons say, as in deterrence games at the status quo
        return "boundary (ties in the payoffs)"
    row, col = _dominant(a, 0), _dominant(b, 1)
    pure = [
        (i, j)
        for i in range(2)
        for j in range(2)
        if a[i, j] >= a[1 - i, j] and b[i, j] >= b[i, 1 - j]
    ]
    if row is not None and col is not None:
        (i, j) = (row, col)
        better = [(k, m) for k in range(2) for m in range(2) if a[k, m] > a[i, j] and b[k, m] > b[i, j]]
        return "dilemma (dominant strategies, Pareto-deficient equilibrium)" if better else "dominance solvable"
    if row is not None or col is not None:
        return "one player has a dominant strategy"
    if not pure:
        return "discoordination (no pure equilibrium, as in matching pennies)"
    if len(pure) == 2:
        (i1, j1), (i2, j2) = pure
        agree = _cmp(a[i1, j1], a[i2, j2]) * _cmp(b[i1, j1], b[i2, j2])
        if agree > 0:
            return "coordination game (players agree which equilibrium is better)"
        if agree < 0:
            return "battle of the sexes (players disagree which equilibrium is better)"
        return "coordination game"
    return "boundary (ties in the payoffs)"
