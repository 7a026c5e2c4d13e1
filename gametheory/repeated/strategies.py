"""Strategies of the repeated game, as small classes with metadata (after the Axelrod library).

Each strategy chooses between two moves, ``C`` (0, cooperate) and ``D``
(1, defect).  In a 2x2 Prisoner's-Dilemma-like game these are the two
actions.  In any other two-player game, *cooperate* is the player's action in
the target profile (by default the welfare-maximising pure profile that is not
a stage equilibrium) and *defect* is its best deviation from it: the best
response to the other's target action (ties broken by the lower payoff for the
other player), which also serves as the punishment.  :func:`moves_for` gives
that mapping; the ``simulate`` command prints it.

Every class carries Axelrod-style metadata: ``name`` (the registry key),
``description``, ``source`` (where it comes from) and a ``classifier`` dict
(``memory_depth``: how many past rounds it looks at, ``inf`` for unbounded;
``stochastic``; ``makes_use_of``: e.g. ``{"game"}`` when it reads the
payoffs; ``long_run_time``, ``inspects_source``, ``manipulates_source``,
``manipulates_state``: always false here).  Deterministic finite-memory
strategies also give their :meth:`Strategy.automaton`, which
:mod:`gametheory.repeated.automata` uses to find the discount factors at which
they are equilibria.

A strategy sees its own past moves (as played) and the opponent's past moves
(as it perceived them: with misperception these can differ from what was
played).  Randomness comes only from the ``rng`` passed to :meth:`Strategy.move`
(a :class:`numpy.random.Generator`), so a seeded match is reproducible.

Register a new strategy with :func:`register`; :func:`get` builds one from a
name such as ``"limited-retaliation:3"`` or ``"generous-tft:0.1"``.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, Sequence

from .automata import Automaton

C, D = 0, 1
MOVE_NAMES = ("C", "D")

_BASE_CLASSIFIER = {
    "memory_depth": 0,
    "stochastic": False,
    "makes_use_of": frozenset(),
    "long_run_time": False,
    "inspects_source": False,
    "manipulates_source": False,
    "manipulates_state": False,
}

REGISTRY: dict[str, type["Strategy"]] = {}


def register(cls: type["Strategy"]) -> type["Strategy"]:
    """Class decorator: make a strategy available by its ``name``."""
    if not cls.name:
        raise ValueError("a strategy needs a name")
    cls.classifier = {**_BASE_CLASSIFIER, **cls.classifier}
    REGISTRY[cls.name] = cls
    for alias in cls.aliases:
        REGISTRY[alias] = cls
    return cls


class Strategy:
    """Base class: a repeated-game strategy choosing C (0) or D (1) each round.

    Subclasses set the metadata and implement :meth:`move`; a parameterised
    strategy takes its parameter in ``__init__`` (``param`` in
    :func:`get`).  :meth:`reset` is called before each match.
    """

    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""
    source: ClassVar[str] = ""
    classifier: ClassVar[dict[str, Any]] = {}
    parameter: ClassVar[str | None] = None  # the name of the optional parameter, if any

    def __init__(self) -> None:
        self.context: dict[str, Any] = {}

    @property
    def label(self) -> str:
        """The name with its parameter, e.g. ``limited-retaliation:3``."""
        return self.name

    def reset(self, context: dict[str, Any] | None = None) -> None:
        """Forget the last match; ``context`` has the player's abstract payoffs T, R, P, S."""
        self.context = dict(context or {})

    def move(self, own: Sequence[int], opponent: Sequence[int], rng: Any) -> int:
        raise NotImplementedError

    @classmethod
    def automaton(cls) -> Automaton | None:
        """The strategy as a finite automaton (deterministic strategies only)."""
        return None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.label!r}>"


class AutomatonStrategy(Strategy):
    """A deterministic strategy played by running its :meth:`automaton`.

    The state is updated with the last round's (own move, perceived opponent
    move), then the state's output is played; simulation and the equilibrium
    analysis of :mod:`gametheory.repeated.automata` therefore use the same
    machine.
    """

    def reset(self, context=None):
        super().reset(context)
        self._machine = instance_automaton(self)
        self._state = self._machine.initial

    def move(self, own, opponent, rng):
        if own:
            self._state = self._machine.next(self._state, own[-1], opponent[-1])
        return self._machine.output[self._state]


def _automaton(
    name: str,
    states: Sequence[str],
    output: Sequence[int],
    transition: Sequence[Sequence[int]],
    initial: int = 0,
) -> Automaton:
    return Automaton(name, tuple(states), initial, tuple(output), tuple(tuple(t) for t in transition))


@register
class AlwaysCooperate(AutomatonStrategy):
    name = "always-cooperate"
    aliases = ("allc", "cooperator")
    description = "Cooperates every round."
    source = "Axelrod (1984), The Evolution of Cooperation"
    classifier = {"memory_depth": 0}

    @classmethod
    def automaton(cls):
        return _automaton(cls.name, ["C"], [C], [[0, 0, 0, 0]])


@register
class AlwaysDefect(AutomatonStrategy):
    name = "always-defect"
    aliases = ("alld", "defector")
    description = "Defects every round."
    source = "Axelrod (1984), The Evolution of Cooperation"
    classifier = {"memory_depth": 0}

    @classmethod
    def automaton(cls):
        return _automaton(cls.name, ["D"], [D], [[0, 0, 0, 0]])


@register
class Grim(AutomatonStrategy):
    name = "grim"
    aliases = ("grim-trigger", "friedman")
    description = (
        "Cooperates until someone defects, then defects for ever (a defection by either player "
        "triggers it, as in the equilibrium construction)."
    )
    source = "Friedman (1971), Review of Economic Studies 38(1): 1-12"
    classifier = {"memory_depth": math.inf}

    @classmethod
    def automaton(cls):
        # transition index: 2 * own + opp
        return _automaton(cls.name, ["cooperate", "punish"], [C, D], [[0, 1, 1, 1], [1, 1, 1, 1]])


@register
class TitForTat(AutomatonStrategy):
    name = "tit-for-tat"
    aliases = ("tft",)
    description = "Cooperates first, then copies the opponent's last move."
    source = "Rapoport; Axelrod (1980), Journal of Conflict Resolution 24(1): 3-25; Axelrod (1984)"
    classifier = {"memory_depth": 1}

    @classmethod
    def automaton(cls):
        return _automaton(
            cls.name, ["opponent cooperated", "opponent defected"], [C, D], [[0, 1, 0, 1], [0, 1, 0, 1]]
        )


@register
class TitForTwoTats(AutomatonStrategy):
    name = "tit-for-two-tats"
    aliases = ("tf2t",)
    description = "Defects only after two consecutive defections of the opponent."
    source = "Axelrod (1984), ch. 2 (the entry that would have won the first tournament)"
    classifier = {"memory_depth": 2}

    @classmethod
    def automaton(cls):
        # states: consecutive defections seen, capped at 2
        return _automaton(
            cls.name,
            ["0 defections", "1 defection", "2 defections"],
            [C, C, D],
            [[0, 1, 0, 1], [0, 2, 0, 2], [0, 2, 0, 2]],
        )


@register
class GenerousTitForTat(Strategy):
    name = "generous-tft"
    aliases = ("gtft", "generous-tit-for-tat")
    parameter = "g"
    description = (
        "Tit-for-tat that forgives a defection with probability g (default: Nowak & Sigmund's "
        "min(1 - (T - R)/(R - S), (R - P)/(T - P)) from the game's payoffs, else 1/3)."
    )
    source = "Nowak & Sigmund (1992), Nature 355: 250-253; Molander (1985), J. Conflict Resolution 29(4)"
    classifier = {"memory_depth": 1, "stochastic": True, "makes_use_of": frozenset({"game"})}

    def __init__(self, g: float | None = None) -> None:
        super().__init__()
        if g is not None and not 0 <= g <= 1:
            raise ValueError("the forgiveness probability must be in [0, 1]")
        self.g = g

    @property
    def label(self) -> str:
        return self.name if self.g is None else f"{self.name}:{self.g:g}"

    def forgiveness(self) -> float:
        if self.g is not None:
            return self.g
        t, r, p, s = (self.context.get(k) for k in ("T", "R", "P", "S"))
        try:
            g = min(1 - (t - r) / (r - s), (r - p) / (t - p))
        except (TypeError, ZeroDivisionError):
            return 1 / 3
        return float(g) if 0 <= g <= 1 else 1 / 3

    def move(self, own, opponent, rng):
        if not opponent or opponent[-1] == C:
            return C
        return C if rng.random() < self.forgiveness() else D


@register
class WinStayLoseShift(AutomatonStrategy):
    name = "win-stay-lose-shift"
    aliases = ("wsls", "pavlov")
    description = (
        "Cooperates first; repeats its move after a good outcome (R or T), switches after a bad one "
        "(P or S): it cooperates exactly when both made the same move last round."
    )
    source = (
        "Kraines & Kraines (1989), Theory and Decision 26: 47-79; Nowak & Sigmund (1993), Nature 364: 56-58"
    )
    classifier = {"memory_depth": 1}

    @classmethod
    def automaton(cls):
        # state: (own, opponent) last round; index 2 * own + opp; start as after (C, C)
        return _automaton(cls.name, ["CC", "CD", "DC", "DD"], [C, D, D, C], [[0, 1, 2, 3]] * 4)


@register
class LimitedRetaliation(AutomatonStrategy):
    name = "limited-retaliation"
    aliases = ("limited", "forgiving-trigger")
    parameter = "k"
    description = (
        "Cooperates until someone defects, then defects for k rounds (default 2) and forgives; "
        "defections during the punishment do not prolong it (both players punish together, as in "
        "the equilibrium construction)."
    )
    source = "Forgiving trigger: Fudenberg & Tirole (1991), Game Theory, sec. 5.1; Axelrod & Keohane (1985)"
    classifier = {"memory_depth": math.inf}

    def __init__(self, k: int = 2) -> None:
        super().__init__()
        if int(k) != k or k < 1:
            raise ValueError("the number of punishment rounds must be a whole number >= 1")
        self.k = int(k)

    @property
    def label(self) -> str:
        return f"{self.name}:{self.k}"

    @classmethod
    def automaton_k(cls, k: int) -> Automaton:
        states = ["cooperate"] + [f"punish {t}" for t in range(1, k + 1)]
        transition = [[0, 1, 1, 1]] + [[(t + 1) % (k + 1)] * 4 for t in range(1, k + 1)]
        return _automaton(f"{cls.name}:{k}", states, [C] + [D] * k, transition)

    @classmethod
    def automaton(cls):
        return cls.automaton_k(2)

    def instance_automaton(self) -> Automaton:
        return self.automaton_k(self.k)


@register
class RandomStrategy(Strategy):
    name = "random"
    parameter = "p"
    description = "Cooperates with probability p (default 1/2) each round, independently."
    source = "Axelrod (1980), the RANDOM entry of the first tournament"
    classifier = {"memory_depth": 0, "stochastic": True}

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError("the probability must be in [0, 1]")
        self.p = p

    @property
    def label(self) -> str:
        return self.name if self.p == 0.5 else f"{self.name}:{self.p:g}"

    def move(self, own, opponent, rng):
        return C if rng.random() < self.p else D


def instance_automaton(strategy: Strategy) -> Automaton | None:
    """The automaton of a strategy instance (with its parameter), or None if it is not deterministic."""
    if hasattr(strategy, "instance_automaton"):
        return strategy.instance_automaton()
    return type(strategy).automaton()


def names() -> list[str]:
    """The registered strategy names (without aliases), in registration order."""
    return [name for name, cls in REGISTRY.items() if cls.name == name]


def get(spec: str | Strategy) -> Strategy:
    """A strategy from ``"name"`` or ``"name:parameter"`` (e.g. ``"limited-retaliation:3"``)."""
    from ..errors import GameError

    if isinstance(spec, Strategy):
        return spec
    text = str(spec).strip()
    name, _, arg = text.partition(":")
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    if key not in REGISTRY:
        import difflib

        hint = difflib.get_close_matches(key, list(REGISTRY), n=1)
        more = f" (did you mean {hint[0]!r}?)" if hint else f" (known: {', '.join(names())})"
        raise GameError(f"unknown strategy {name!r}{more}")
    cls = REGISTRY[key]
    if not arg:
        return cls()
    if cls.parameter is None:
        raise GameError(f"strategy {cls.name!r} takes no parameter, found {arg!r}")
    try:
        from fractions import Fraction

        value = Fraction(arg.strip())
        return cls(int(value)) if cls.parameter == "k" else cls(float(value))
    except (ValueError, ZeroDivisionError) as exc:
        raise GameError(f"strategy {text!r}: {exc}") from None


def describe() -> list[dict[str, Any]]:
    """Every registered strategy's metadata (for ``--help`` texts and docs)."""
    out = []
    for name in names():
        cls = REGISTRY[name]
        classifier = {k: (sorted(v) if isinstance(v, frozenset) else v) for k, v in cls.classifier.items()}
        if classifier.get("memory_depth") == math.inf:
            classifier["memory_depth"] = "inf"
        out.append(
            {
                "name": name,
                "aliases": list(cls.aliases),
                "parameter": cls.parameter,
                "description": cls.description,
                "source": cls.source,
                "classifier": classifier,
            }
        )
    return out


__all__ = [
    "Strategy",
    "AutomatonStrategy",
    "REGISTRY",
    "register",
    "get",
    "names",
    "describe",
    "instance_automaton",
    "C",
    "D",
    "AlwaysCooperate",
    "AlwaysDefect",
    "Grim",
    "TitForTat",
    "TitForTwoTats",
    "GenerousTitForTat",
    "WinStayLoseShift",
    "LimitedRetaliation",
    "RandomStrategy",
]
