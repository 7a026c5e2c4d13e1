"""Playing strategies against each other in the repeated game: matches and round-robin tournaments.

A *match* plays two strategies (:mod:`gametheory.repeated.strategies`) for a
number of rounds in a two-player game.  Each strategy picks C (cooperate: its
target action) or D (defect: its best deviation from the target, see
:func:`moves_for`).  Two kinds of error, as in Axelrod's tournaments with
noise (Bendor, Kramer & Stout 1991; Wu & Axelrod 1995):

* ``noise``: each intended move is flipped with this probability
  (implementation error: the other action is played);
* ``misperception``: each player sees the opponent's move flipped with this
  probability, independently (perception error; the payoffs follow the moves
  actually played).

Payoffs are reported as the total, the average per round (both exact for
rational games) and the discounted sum ``sum_t delta^t u_t`` (t = 0, 1, ...)
with the file's discount factor, and its normalised form ``(1 - delta) /
(1 - delta^n)`` times that sum.

Several strategies play a round-robin *tournament* (Axelrod 1980, 1984):
every pair meets once per repetition, and every strategy meets a copy of
itself; in an asymmetric game each ordered pair meets, so that every strategy
plays both roles.  Strategies are ranked by their mean payoff per round over
all their matches.

Randomness is reproducible: ``seed`` seeds a :func:`numpy.random.default_rng`;
in a tournament the parent draws one seed per match from it, in a fixed order,
before any match is played (as Axelrod's library does for parallel runs), so
the result does not depend on the order in which matches run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

from ..errors import GameError
from . import strategies as strategies_module
from ._common import exact_text, is_fraction, number

MAX_ROUNDS = 1_000_000


@dataclass(frozen=True)
class Moves:
    """The concrete actions behind C and D for each player, and the target they come from."""

    cooperate: tuple[int, int]
    defect: tuple[int, int]
    target: tuple[int, int]


def moves_for(game: Any, target: Sequence[Any] | None = None) -> Moves:
    """C = each player's target action; D = its best deviation from the target.

    ``target`` defaults to the welfare-maximising pure profile that is not a
    stage equilibrium (the same default as :func:`gametheory.repeated.analyse`).
    In a 2x2 Prisoner's Dilemma this is (C, C) and D is the other action.
    """
    from .thresholds import defect_actions, parse_target, target_of, welfare_targets

    if game.n_players != 2:
        raise GameError(f"simulation needs a two-player game, not {game.n_players} players")
    if target is None:
        from ..solvers.pure import pure_equilibrium_profiles

        profile = welfare_targets(game, pure_equilibrium_profiles(game))[0]
    else:
        profile = parse_target(game, target)[0]
    t = target_of(game, profile)
    defect = defect_actions(game, t)
    if any(dv == cv for dv, cv in zip(defect, profile)):
        raise GameError("every player needs a second action to defect with")
    return Moves(cooperate=tuple(profile), defect=tuple(defect), target=tuple(profile))


def _context(game: Any, moves: Moves, player: int) -> dict[str, Any]:
    """A player's T, R, P, S in the cooperate/defect reduction (for strategies that read the game)."""
    acts = (moves.cooperate, moves.defect)

    def u(own: int, opp: int) -> Any:
        prof = [0, 0]
        prof[player] = acts[own][player]
        prof[1 - player] = acts[opp][1 - player]
        return game.payoffs[(player, prof[0], prof[1])]

    return {"R": u(0, 0), "S": u(0, 1), "T": u(1, 0), "P": u(1, 1)}


@dataclass
class MatchResult:
    """One match: the moves played and the payoffs.

    ``moves[t]`` is the pair of moves (0 = C, 1 = D) played in round t;
    ``actions`` maps them to strategy names.  ``total``, ``average`` are exact
    (Fractions) for rational games; ``discounted`` is a float sum.
    """

    game: Any
    strategies: tuple[str, str]
    rounds: int
    moves: list[tuple[int, int]]
    mapping: Moves
    total: tuple[Any, Any]
    discounted: tuple[float, float] | None
    discount: Any
    seed: int | None
    noise: float
    misperception: float

    @property
    def average(self) -> tuple[Any, Any]:
        return tuple(t / self.rounds for t in self.total)

    @property
    def normalised(self) -> tuple[float, float] | None:
        """``(1 - delta)/(1 - delta^n)`` times the discounted sum: an average per round."""
        if self.discounted is None:
            return None
        d = float(self.discount)
        if d == 0:
            return self.discounted
        factor = (1 - d) / (1 - d**self.rounds) if d < 1 else 1 / self.rounds
        return tuple(factor * v for v in self.discounted)

    @property
    def cooperation(self) -> tuple[float, float]:
        """The share of rounds in which each player played C."""
        n = max(1, len(self.moves))
        return tuple(sum(1 for m in self.moves if m[i] == 0) / n for i in range(2))

    def action_names(self, t: int) -> tuple[str, str]:
        acts = (self.mapping.cooperate, self.mapping.defect)
        return tuple(self.game.strategies[i][acts[self.moves[t][i]][i]] for i in range(2))

    def payoffs_at(self, t: int) -> tuple[Any, Any]:
        acts = (self.mapping.cooperate, self.mapping.defect)
        prof = tuple(acts[self.moves[t][i]][i] for i in range(2))
        return tuple(self.game.payoffs[(i,) + prof] for i in range(2))

    def to_dict(self, history: bool = True) -> dict:
        game = self.game
        out: dict[str, Any] = {
            "game": game.title,
            "players": list(game.players),
            "strategies": {p: s for p, s in zip(game.players, self.strategies)},
            "rounds": self.rounds,
            "noise": self.noise,
            "misperception": self.misperception,
            "seed": self.seed,
            "discount": None if self.discount is None else number(self.discount),
            "moves": _mapping_dict(game, self.mapping),
            "payoffs": {
                p: {
                    "total": number(self.total[i]),
                    "total_exact": exact_text(self.total[i]) if is_fraction(self.total[i]) else None,
                    "average": number(self.average[i]),
                    "average_exact": exact_text(self.average[i]) if is_fraction(self.average[i]) else None,
                    "discounted": None if self.discounted is None else self.discounted[i],
                    "discounted_average": None if self.normalised is None else self.normalised[i],
                }
                for i, p in enumerate(game.players)
            },
            "cooperation": {p: c for p, c in zip(game.players, self.cooperation)},
        }
        if history:
            out["history"] = [list(self.action_names(t)) for t in range(len(self.moves))]
        return out


def _mapping_dict(game: Any, mapping: Moves) -> dict:
    return {
        "cooperate": {p: game.strategies[i][mapping.cooperate[i]] for i, p in enumerate(game.players)},
        "defect": {p: game.strategies[i][mapping.defect[i]] for i, p in enumerate(game.players)},
    }


def _check(rounds: int, noise: float, misperception: float) -> None:
    if int(rounds) != rounds or rounds < 1 or rounds > MAX_ROUNDS:
        raise GameError(f"the number of rounds must be a whole number from 1 to {MAX_ROUNDS}, found {rounds}")
    for name, p in (("noise", noise), ("misperception", misperception)):
        if not 0 <= float(p) <= 1:
            raise GameError(f"{name} must be a probability in [0, 1], found {p}")


def play_match(
    game: Any,
    first: Any,
    second: Any,
    rounds: int,
    noise: float = 0.0,
    misperception: float = 0.0,
    seed: int | None = None,
    mapping: Moves | None = None,
    discount: Any = None,
) -> MatchResult:
    """Play one match: ``first`` as player 1, ``second`` as player 2.

    Strategies are names (``"tit-for-tat"``, ``"limited-retaliation:3"``) or
    :class:`~gametheory.repeated.strategies.Strategy` instances.
    """
    import numpy as np

    _check(rounds, noise, misperception)
    mapping = mapping or moves_for(game)
    if discount is None:
        discount = game.repeated_values().get("discount")
    players = [strategies_module.get(first), strategies_module.get(second)]
    if players[0] is players[1]:
        players[1] = (
            type(players[0])()
            if type(players[0]).parameter is None
            else strategies_module.get(players[0].label)
        )
    for i, s in enumerate(players):
        s.reset(_context(game, mapping, i))
    rng = np.random.default_rng(seed)
    own: list[list[int]] = [[], []]
    seen: list[list[int]] = [[], []]  # seen[i]: the opponent's moves as player i perceived them
    moves: list[tuple[int, int]] = []
    for _ in range(int(rounds)):
        intended = [players[i].move(own[i], seen[i], rng) for i in (0, 1)]
        played = list(intended)
        if noise:
            for i in (0, 1):
                if rng.random() < noise:
                    played[i] = 1 - played[i]
        moves.append((played[0], played[1]))
        for i in (0, 1):
            own[i].append(played[i])
            perceived = played[1 - i]
            if misperception and rng.random() < misperception:
                perceived = 1 - perceived
            seen[i].append(perceived)
    # payoffs: exact totals from outcome counts, discounted sums in floats
    acts = (mapping.cooperate, mapping.defect)
    counts: dict[tuple[int, int], int] = {}
    for m in moves:
        counts[m] = counts.get(m, 0) + 1
    total = []
    for i in (0, 1):
        t: Any = Fraction(0)
        for m, c in counts.items():
            prof = tuple(acts[m[k]][k] for k in (0, 1))
            t = t + c * game.payoffs[(i,) + prof]
        total.append(t)
    discounted = None
    if discount is not None:
        d = float(discount)
        table = np.array(
            [
                [[float(game.payoff_array[(i, acts[a][0], acts[b][1])]) for b in (0, 1)] for a in (0, 1)]
                for i in (0, 1)
            ]
        )
        arr = np.array(moves, dtype=int)
        weights = d ** np.arange(len(moves), dtype=float)
        discounted = tuple(float((weights * table[i][arr[:, 0], arr[:, 1]]).sum()) for i in (0, 1))
    return MatchResult(
        game,
        (players[0].label, players[1].label),
        int(rounds),
        moves,
        mapping,
        tuple(total),
        discounted,
        discount,
        seed,
        float(noise),
        float(misperception),
    )


@dataclass
class TournamentResult:
    """A round-robin tournament: every match, and the strategies ranked by mean payoff per round."""

    game: Any
    strategies: list[str]
    rounds: int
    repetitions: int
    noise: float
    misperception: float
    seed: int | None
    matches: list[MatchResult]
    mapping: Moves
    ranking: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "game": self.game.title,
            "players": list(self.game.players),
            "strategies": list(self.strategies),
            "rounds": self.rounds,
            "repetitions": self.repetitions,
            "noise": self.noise,
            "misperception": self.misperception,
            "seed": self.seed,
            "moves": _mapping_dict(self.game, self.mapping),
            "ranking": self.ranking,
            "matches": [
                {
                    "strategies": list(m.strategies),
                    "seed": m.seed,
                    "average": [number(a) for a in m.average],
                    "total": [number(t) for t in m.total],
                    "discounted": None if m.discounted is None else list(m.discounted),
                    "cooperation": list(m.cooperation),
                }
                for m in self.matches
            ],
        }


def tournament(
    game: Any,
    strategies: Sequence[Any],
    rounds: int,
    noise: float = 0.0,
    misperception: float = 0.0,
    seed: int | None = None,
    repetitions: int = 1,
    mapping: Moves | None = None,
) -> TournamentResult:
    """A round-robin tournament (Axelrod 1980): every pair, and every strategy against itself.

    Seeds for the matches are drawn in the parent from ``default_rng(seed)``,
    one per match in a fixed order, so results are reproducible.
    """
    import numpy as np

    _check(rounds, noise, misperception)
    if int(repetitions) != repetitions or repetitions < 1:
        raise GameError(f"repetitions must be a whole number >= 1, found {repetitions}")
    entrants = [strategies_module.get(s) for s in strategies]
    labels = [s.label for s in entrants]
    if len(set(labels)) != len(labels):
        raise GameError("each strategy can enter the tournament once")
    mapping = mapping or moves_for(game)
    symmetric = (
        game.is_symmetric()
        and mapping.cooperate[0] == mapping.cooperate[1]
        and mapping.defect[0] == mapping.defect[1]
    )
    pairs = []
    for a in range(len(labels)):
        for b in range(len(labels)):
            if symmetric and b < a:
                continue
            pairs.append((a, b))
    master = np.random.default_rng(seed)
    seeds = master.integers(0, 2**63 - 1, size=(int(repetitions), len(pairs)))
    matches = []
    scores: list[list[float]] = [[] for _ in labels]
    wins = [0] * len(labels)
    coop: list[list[float]] = [[] for _ in labels]
    for r in range(int(repetitions)):
        for k, (a, b) in enumerate(pairs):
            m = play_match(
                game, labels[a], labels[b], rounds, noise, misperception, int(seeds[r, k]), mapping
            )
            matches.append(m)
            avg = [float(x) for x in m.average]
            if a == b:
                scores[a].append((avg[0] + avg[1]) / 2)
                coop[a].append(sum(m.cooperation) / 2)
                continue
            scores[a].append(avg[0])
            scores[b].append(avg[1])
            coop[a].append(m.cooperation[0])
            coop[b].append(m.cooperation[1])
            if avg[0] > avg[1]:
                wins[a] += 1
            elif avg[1] > avg[0]:
                wins[b] += 1
    rows = []
    for k, label in enumerate(labels):
        s = np.array(scores[k])
        rows.append(
            {
                "strategy": label,
                "mean": float(s.mean()),
                "median": float(np.median(s)),
                "min": float(s.min()),
                "max": float(s.max()),
                "wins": wins[k],
                "cooperation": float(np.mean(coop[k])),
                "matches": len(s),
            }
        )
    rows.sort(key=lambda row: (-row["mean"], -row["median"], row["strategy"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return TournamentResult(
        game,
        labels,
        int(rounds),
        int(repetitions),
        float(noise),
        float(misperception),
        seed,
        matches,
        mapping,
        [{"rank": r.pop("rank"), **r} for r in rows],
    )


def simulate(
    game: Any,
    strategies: Sequence[Any],
    rounds: int,
    noise: float = 0.0,
    misperception: float = 0.0,
    seed: int | None = None,
    target: Sequence[Any] | None = None,
    repetitions: int = 1,
    tournament_mode: bool | None = None,
) -> MatchResult | TournamentResult:
    """Play strategies in the repeated game.

    Two strategies play one match (the first as player 1); three or more (or
    ``tournament_mode=True``) play a round-robin tournament.  ``target``
    chooses the cooperative profile (see :func:`moves_for`).
    """
    strategies = list(strategies)
    if not strategies:
        raise GameError("name at least one strategy, e.g. tit-for-tat,always-defect")
    mapping = moves_for(game, target)
    if tournament_mode is None:
        tournament_mode = len(strategies) != 2
    if not tournament_mode:
        if len(strategies) != 2:
            raise GameError("a match needs exactly two strategies")
        if repetitions != 1:
            raise GameError("repetitions apply to tournaments (three or more strategies)")
        return play_match(game, strategies[0], strategies[1], rounds, noise, misperception, seed, mapping)
    return tournament(game, strategies, rounds, noise, misperception, seed, repetitions, mapping)


__all__ = ["Moves", "MatchResult", "TournamentResult", "moves_for", "play_match", "tournament", "simulate"]
