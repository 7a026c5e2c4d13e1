"""What the solvers return: :class:`Equilibrium` and :class:`SolveResult`.

An :class:`Equilibrium` is a strategy profile that has been verified
(:mod:`gametheory.solvers.verify`): its regret is exactly zero when
``exact`` is true, and within the result's tolerance otherwise.
A :class:`SolveResult` holds the equilibria a method found, whether the
list is complete, and, for degenerate games, how the extreme equilibria
group into connected components.  ``to_dict()`` gives the JSON shape of
``gametheory solve --format json`` (DESIGN.md section 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ._exact import exact_string, number


@dataclass(frozen=True)
class Equilibrium:
    """A verified Nash equilibrium.

    Attributes:
        profile: one probability tuple per player, in strategy order:
            :class:`fractions.Fraction` entries when ``exact``, floats otherwise.
        exact: the profile is exact and its regret was checked to be exactly 0.
        payoffs: each player's expected payoff (exact numbers when ``exact``).
        pure: every player plays one strategy with probability 1.
        regret: each player's largest gain from a unilateral deviation
            (exactly 0 when ``exact``; at most the tolerance otherwise).
        strict: for pure equilibria, whether each player's strategy is its
            unique best response; ``None`` for mixed ones.
    """

    profile: tuple[tuple[Any, ...], ...]
    exact: bool
    payoffs: tuple[Any, ...]
    pure: bool
    regret: tuple[Any, ...]
    strict: bool | None = None

    @property
    def float_profile(self) -> tuple[tuple[float, ...], ...]:
        """The profile as floats."""
        return tuple(tuple(float(p) for p in x) for x in self.profile)

    @property
    def float_payoffs(self) -> tuple[float, ...]:
        return tuple(float(v) for v in self.payoffs)

    @property
    def supports(self) -> tuple[tuple[int, ...], ...]:
        """The indices of the strategies each player uses."""
        return tuple(tuple(k for k, p in enumerate(x) if p != 0) for x in self.profile)

    def to_dict(self, game: Any) -> dict:
        """This equilibrium in the ``solve --format json`` shape, keyed by names."""
        out: dict[str, Any] = {
            "profile": {
                player: {s: float(p) for s, p in zip(strats, x)}
                for player, strats, x in zip(game.players, game.strategies, self.profile)
            }
        }
        if self.exact:
            out["exact"] = {
                player: {s: exact_string(p) for s, p in zip(strats, x)}
                for player, strats, x in zip(game.players, game.strategies, self.profile)
            }
        out["payoffs"] = {player: float(v) for player, v in zip(game.players, self.payoffs)}
        out["pure"] = self.pure
        return out

    def __str__(self) -> str:
        def fmt(p: Any) -> str:
            return str(p) if self.exact else f"{float(p):.6g}"

        return "; ".join("(" + ", ".join(fmt(p) for p in x) + ")" for x in self.profile)


@dataclass
class SolveResult:
    """The equilibria one method found, with what is known about them.

    Attributes:
        game: the game solved.
        method: the method used (``"pure"``, ``"vertex-enumeration"``,
            ``"lemke-howson"``, ``"zero-sum"``).
        equilibria: the verified equilibria (for a degenerate game solved by
            enumeration: the extreme equilibria).
        degenerate: the game is degenerate (some mixed strategy with support
            size k has more than k pure best responses); its equilibria may
            form continua, described by ``components``.
        components: for degenerate games, lists of indices into
            ``equilibria``: the extreme equilibria of one connected set each.
        complete: whether ``equilibria`` is every (extreme) equilibrium.
        tolerance: the regret tolerance used for inexact equilibria (0 when
            everything was checked exactly).
    """

    game: Any
    method: str
    equilibria: list[Equilibrium]
    degenerate: bool = False
    components: list[list[int]] | None = None
    complete: bool = True
    tolerance: float = 0.0
    details: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self) -> Iterator[Equilibrium]:
        return iter(self.equilibria)

    def __getitem__(self, index: int) -> Equilibrium:
        return self.equilibria[index]

    @property
    def exact(self) -> bool:
        """Every equilibrium was verified exactly."""
        return all(e.exact for e in self.equilibria)

    def as_float(self) -> "SolveResult":
        """The same result with every number as a float (for ``solve --float``)."""
        from dataclasses import replace

        eqs = [
            replace(
                e,
                profile=e.float_profile,
                payoffs=e.float_payoffs,
                exact=False,
                regret=tuple(float(r) for r in e.regret),
            )
            for e in self.equilibria
        ]
        return replace(self, equilibria=eqs)

    def to_dict(self) -> dict:
        """The JSON shape of ``gametheory solve --format json`` (DESIGN.md section 3)."""
        game = self.game
        out: dict[str, Any] = {
            "game": game.title,
            "players": list(game.players),
            "strategies": {p: list(s) for p, s in zip(game.players, game.strategies)},
            "parameters": {name: number(v) for name, v in game.values.items()},
            "method": self.method,
            "degenerate": bool(self.degenerate),
            "equilibria": [e.to_dict(game) for e in self.equilibria],
        }
        if self.degenerate:
            out["components"] = [list(c) for c in (self.components or [])]
        return out

    def __repr__(self) -> str:
        head = (
            f"<SolveResult {self.method}: {len(self.equilibria)} equilibri"
            f"{'um' if len(self.equilibria) == 1 else 'a'}"
            f"{'' if self.complete else ' (not necessarily all)'}"
            f"{', degenerate' if self.degenerate else ''}>"
        )
        lines = [head] + [f"  {k}: {e}" for k, e in enumerate(self.equilibria)]
        if self.degenerate and self.components:
            lines.append("  components: " + ", ".join(str(c) for c in self.components))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        game = self.game
        head = "".join(f"<th>{html.escape(p)}</th>" for p in game.players)
        rows = []
        for k, e in enumerate(self.equilibria):
            cells = []
            for strats, x in zip(game.strategies, e.profile):
                parts = [
                    f"{html.escape(s)}: {p if e.exact else f'{float(p):.4g}'}"
                    for s, p in zip(strats, x)
                    if p != 0
                ]
                cells.append("<td>" + ", ".join(parts) + "</td>")
            pay = ", ".join(f"{float(v):.4g}" for v in e.payoffs)
            rows.append(f"<tr><td>{k}</td>{''.join(cells)}<td>{pay}</td></tr>")
        caption = html.escape(repr(self).splitlines()[0])
        return (
            f"<table><caption>{caption}</caption><tr><th>#</th>{head}<th>payoffs</th></tr>"
            + "".join(rows)
            + "</table>"
        )
