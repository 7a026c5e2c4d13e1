"""Finitely repeated games: backward induction and its limits.

With a known last round H, play in round H must be a stage Nash equilibrium.
If every stage equilibrium gives each player the same payoff (in particular if
the stage equilibrium is unique), what happens in round H does not depend on
the history, so round H - 1 is a stage game as well, and so on: every
subgame-perfect equilibrium plays stage equilibria in every round, and
cooperation *unravels* from the end (Luce & Raiffa 1957, ch. 5; Selten 1978
for the chain store; for arms control, fixed-term treaties).

If some player's payoff differs across stage equilibria, the last rounds can
reward and punish (Benoit & Krishna 1985): play the target a* in rounds
1..H-1 and, in round H, a "reward" equilibrium e^R if nobody deviated, or
after a deviation by i its worst equilibrium e^i for the rest of the game.
The binding deviation is the one in round H - 1, which is punished for one
round only, so the construction works iff for every player i who gains from
deviating

    d_i - v_i <= delta (u_i(e^R) - u_i(e^i)),

the classic two-round construction (Benoit & Krishna 1985, section 2; Gibbons
1992, sec. 2.3.A).  (Earlier deviations are punished for longer; this needs
``v_i >= u_i(e^i)``, which holds whenever the round-H-1 condition holds with
the target better than the punishment.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

from ._common import arith, compare, exact_text, number


@dataclass
class FiniteHorizon:
    """What backward induction says about a known finite horizon.

    Attributes:
        horizon: the number of rounds (None: the file's horizon is infinite;
            the analysis then says what a known end would do).
        unique_stage_payoffs: every stage equilibrium gives each player the
            same payoff (e.g. a unique stage equilibrium).
        unravels: every subgame-perfect equilibrium plays stage equilibria in
            every round.
        target_sustainable: the target can be played in rounds 1..H-1 by the
            reward/punishment construction (None when it unravels or the
            target is a stage equilibrium anyway).
        reward, punishments: the stage equilibria of that construction
            (indices into the stage equilibria), with each player's condition.
    """

    horizon: int | None
    discount: Any
    unique_stage_payoffs: bool
    unravels: bool
    target_sustainable: bool | None
    reward: int | None = None
    punishments: dict = field(default_factory=dict)
    conditions: list[dict] = field(default_factory=list)
    summary: str = ""

    def to_dict(self, game: Any) -> dict:
        return {
            "horizon": self.horizon,
            "discount": None if self.discount is None else number(self.discount),
            "unique_stage_payoffs": self.unique_stage_payoffs,
            "unravels": self.unravels,
            "target_sustainable": self.target_sustainable,
            "reward_equilibrium": self.reward,
            "punishment_equilibria": self.punishments,
            "conditions": self.conditions,
            "summary": self.summary,
        }


def finite_horizon(
    game: Any, target: Any, equilibria: Sequence[Any], horizon: int | None, discount: Any = None
) -> FiniteHorizon:
    """Backward induction for ``horizon`` rounds with the given stage equilibria and target.

    ``target`` is a :class:`~gametheory.repeated.thresholds.Target`.
    ``discount`` defaults to 1 (no discounting) when None.
    """
    delta = Fraction(1) if discount is None else discount
    n = game.n_players
    payoffs = [tuple(eq.payoffs) for eq in equilibria]
    unique = all(len({p[i] for p in payoffs}) <= 1 for i in range(n)) if payoffs else True
    rounds = f"{horizon} rounds" if horizon is not None else "a known number of rounds"
    stage_profiles = {tuple(x.index(1) for x in eq.profile) for eq in equilibria if eq.pure}
    target_is_stage = target.profile in stage_profiles
    if not payoffs:
        return FiniteHorizon(
            horizon,
            discount,
            True,
            False,
            None,
            summary="no stage equilibrium was found, so backward induction cannot start",
        )
    if target_is_stage:
        return FiniteHorizon(
            horizon,
            discount,
            unique,
            unique,
            True,
            summary="The target is itself a stage equilibrium: playing it in every round is a "
            "subgame-perfect equilibrium of the finitely repeated game.",
        )
    if unique:
        summary = (
            f"With {rounds} and a unique stage-equilibrium payoff, the last round must be a stage equilibrium, "
            "and what happens in it does not depend on the past; by backward induction every round is: "
            "cooperation unravels from the end (Luce & Raiffa 1957; Selten 1978)."
        )
        return FiniteHorizon(horizon, discount, True, True, False, summary=summary)
    # multiple stage-equilibrium payoffs: the two-round construction (Benoit & Krishna 1985)
    worst = []
    for i in range(n):
        k = min(range(len(payoffs)), key=lambda t, i=i: float(payoffs[t][i]))
        for t in range(len(payoffs)):
            if compare(payoffs[t][i], payoffs[k][i]) < 0:
                k = t
        worst.append(k)
    gains = [None if d is None else d - v for d, v in zip(target.deviation_payoff, target.payoffs)]
    best_reward = None
    best_slack = None
    for r in range(len(payoffs)):
        slack = None
        for i in range(n):
            if gains[i] is None or compare(gains[i], 0) <= 0:
                continue
            g, dl, ur, up = arith(gains[i], delta, payoffs[r][i], payoffs[worst[i]][i])
            s = dl * (ur - up) - g
            slack = s if slack is None or compare(s, slack) < 0 else slack
        if slack is None:
            slack = Fraction(0)
        if best_slack is None or compare(slack, best_slack) > 0:
            best_reward, best_slack = r, slack
    conditions = []
    for i in range(n):
        if gains[i] is None or compare(gains[i], 0) <= 0:
            continue
        g, dl, ur, up = arith(gains[i], delta, payoffs[best_reward][i], payoffs[worst[i]][i])
        holds = compare(dl * (ur - up), g) >= 0
        conditions.append(
            {
                "player": game.players[i],
                "gain": number(g),
                "gain_exact": exact_text(g),
                "discounted_loss": number(dl * (ur - up)),
                "discounted_loss_exact": exact_text(dl * (ur - up)),
                "holds": holds,
                "text": (
                    f"gain from deviating {exact_text(g)} <= delta x (reward - punishment) = "
                    f"{exact_text(dl * (ur - up))}"
                ),
            }
        )
    ok = all(c["holds"] for c in conditions)
    reward_label = _label(game, equilibria[best_reward])
    summary = (
        f"Stage equilibria with different payoffs let the last round reward and punish (Benoit & Krishna 1985): "
        f"play the target in rounds 1 to {'H - 1' if horizon is None else horizon - 1}, then {reward_label} "
        f"if nobody deviated, else the deviator's worst stage equilibrium to the end. "
    )
    summary += (
        ("This sustains the target: " if ok else "This does not sustain the target: ")
        + "; ".join(f"{c['player']}: {c['text']}" + ("" if c["holds"] else " fails") for c in conditions)
        + "."
    )
    return FiniteHorizon(
        horizon=horizon,
        discount=discount,
        unique_stage_payoffs=False,
        unravels=False,
        target_sustainable=ok,
        reward=best_reward,
        punishments={game.players[i]: worst[i] for i in range(n)},
        conditions=conditions,
        summary=summary,
    )


def _label(game: Any, eq: Any) -> str:
    from .thresholds import _stage_label

    return _stage_label(game, eq)


__all__ = ["FiniteHorizon", "finite_horizon"]
