"""What a lesson is made of: sections of blocks, with exact mathematics inside.

A :class:`Lesson` is data, not text.  It has numbered :class:`Section` s, each a
list of blocks:

* :class:`Heading`: a sub-heading inside a section;
* :class:`Paragraph`: text with inline mathematics (:class:`Math`), such as
  "If Hunter 2 plays Stag, Hunter 1's best response is Stag (4 > 3)";
* :class:`Bullets`: a list of paragraphs;
* :class:`Derivation`: displayed equations, each line a
  :class:`~gametheory.explain.notation.Relation` (``⇒`` for a line implied by
  the one before): the indifference method solved step by step;
* :class:`PayoffTable`: the game's payoff table with best responses marked.

The mathematics stays exact (sympy objects, Fractions) until a renderer
(:mod:`gametheory.explain.render`) writes it as plain text, Markdown or
LaTeX.  Structured results sit beside the prose: :attr:`Lesson.mixed` holds,
for each mixed equilibrium, the equations, the solution (symbolic in the
parameters where the file has them) and whether it verified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .notation import Combination, Relation, latex, plain


@dataclass(frozen=True)
class Math:
    """Inline mathematics: a Relation, Combination, sympy expression or exact number."""

    obj: Any

    def plain(self) -> str:
        return plain(self.obj)

    def latex(self) -> str:
        return latex(self.obj)


@dataclass
class Paragraph:
    """Text with inline mathematics: ``parts`` are strings and :class:`Math` objects."""

    parts: list[Any]

    def plain(self) -> str:
        return "".join(p if isinstance(p, str) else p.plain() for p in self.parts)

    def to_dict(self) -> dict:
        return {"type": "paragraph", "text": self.plain()}


@dataclass
class Heading:
    """A sub-heading inside a section."""

    text: str

    def to_dict(self) -> dict:
        return {"type": "heading", "text": self.text}


@dataclass
class Bullets:
    """A list of paragraphs."""

    items: list[Paragraph]

    def to_dict(self) -> dict:
        return {"type": "bullets", "items": [i.plain() for i in self.items]}


@dataclass
class Derivation:
    """Displayed equations, one :class:`Relation` per line, read top to bottom."""

    lines: list[Relation]

    def to_dict(self) -> dict:
        return {
            "type": "derivation",
            "lines": [
                {"text": plain(r), "lhs": plain(r.lhs), "relation": r.op, "rhs": plain(r.rhs),
                 "implied": r.implied, "latex": latex(r)}
                for r in self.lines
            ],
        }


@dataclass
class PayoffTable:
    """The payoff table of ``game`` with best responses marked (per-player tables for N players)."""

    game: Any

    def to_dict(self) -> dict:
        from ..report.show import game_summary

        summary = game_summary(self.game)
        return {"type": "payoff_table", "exact": summary["exact"], "best_responses": summary["best_responses"],
                "pure_equilibria": summary["pure_equilibria"]}


@dataclass
class Section:
    """One numbered part of the lesson: ``key`` names it for programs, ``title`` for readers."""

    key: str
    title: str
    blocks: list[Any] = field(default_factory=list)

    def add(self, block: Any) -> Any:
        self.blocks.append(block)
        return block

    def para(self, *parts: Any) -> Paragraph:
        return self.add(para(*parts))

    def text(self) -> str:
        """The section's prose and equations as plain text (for searching and tests)."""
        out = []
        for b in self.blocks:
            if isinstance(b, (Paragraph, Heading)):
                out.append(b.plain() if isinstance(b, Paragraph) else b.text)
            elif isinstance(b, Bullets):
                out.extend(i.plain() for i in b.items)
            elif isinstance(b, Derivation):
                out.extend(plain(r) for r in b.lines)
        return "\n".join(out)

    def to_dict(self) -> dict:
        return {"key": self.key, "title": self.title, "blocks": [b.to_dict() for b in self.blocks]}


def para(*parts: Any) -> Paragraph:
    """A paragraph from strings (text) and anything else (mathematics)."""
    out: list[Any] = []
    for p in parts:
        if p is None or p == "":
            continue
        if isinstance(p, str):
            if out and isinstance(out[-1], str):
                out[-1] += p
            else:
                out.append(p)
        elif isinstance(p, Math):
            out.append(p)
        elif isinstance(p, Paragraph):
            out.extend(p.parts)
        else:
            out.append(Math(p))
    return Paragraph(out)


@dataclass
class Lesson:
    """The walkthrough of one game: :func:`gametheory.explain.explain` builds it.

    Attributes:
        game: the game explained (at its parameter values).
        result: the :class:`~gametheory.solvers.result.SolveResult` explained.
        analysis: :func:`gametheory.solvers.refinements.analyse` of it.
        table: the payoff table shown first.
        sections: the numbered sections, in order.
        mixed: one :class:`~gametheory.explain.indifference.MixedExplanation`
            per mixed equilibrium explained.
        notes: what was left out and why (time budget, size limits).
    """

    game: Any
    result: Any
    analysis: dict | None
    table: PayoffTable
    sections: list[Section]
    mixed: list[Any] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def section(self, key: str) -> Section | None:
        """The section with this key (``"best_responses"``, ``"dominance"``, ``"pure"``, ``"mixed"``,
        ``"selection"``, ``"thresholds"``, ``"degenerate"``), or None."""
        return next((s for s in self.sections if s.key == key), None)

    @property
    def equilibria(self) -> list[Any]:
        """Every equilibrium of the result, explained or not."""
        return list(self.result.equilibria)

    def text(self) -> str:
        """All prose and equations as plain text, without tables or layout."""
        return "\n\n".join(f"{s.title}\n{s.text()}" for s in self.sections)

    def to_dict(self) -> dict:
        """JSON-ready: the game, the equilibria (exact strings), the sections' blocks as text and LaTeX."""
        from ..expressions import exact_text

        game = self.game
        eqs = []
        for k, e in enumerate(self.result.equilibria):
            eqs.append({
                "index": k + 1,
                "pure": e.pure,
                "exact": e.exact,
                "profile": {p: {s: (plain(x) if e.exact else float(x)) for s, x in zip(ss, mix)}
                            for p, ss, mix in zip(game.players, game.strategies, e.profile)},
                "payoffs": {p: (plain(v) if e.exact else float(v)) for p, v in zip(game.players, e.payoffs)},
            })
        return {
            "game": game.title,
            "players": list(game.players),
            "strategies": {p: list(s) for p, s in zip(game.players, game.strategies)},
            "parameters": {k: exact_text(v) for k, v in game.values.items()},
            "method": self.result.method,
            "complete": bool(self.result.complete),
            "degenerate": bool(self.result.degenerate),
            "equilibria": eqs,
            "mixed": [m.to_dict() for m in self.mixed],
            "table": self.table.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
            "notes": list(self.notes),
        }

    def to_text(self, width: int = 100) -> str:
        """The lesson as plain text (what ``gametheory explain`` prints)."""
        from .render import render_text_string

        return render_text_string(self, width=width)

    def to_markdown(self) -> str:
        """The lesson as Markdown (tables as Markdown tables, mathematics in ``$...$``)."""
        from .render import render_markdown

        return render_markdown(self)

    def to_latex(self) -> str:
        """The lesson as a LaTeX fragment (needs ``amsmath``)."""
        from .render import render_latex

        return render_latex(self)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        titles = ", ".join(s.title for s in self.sections)
        return f"<Lesson {self.game.title!r}: {titles}>"


__all__ = ["Lesson", "Section", "Paragraph", "Heading", "Bullets", "Derivation", "PayoffTable", "Math", "para",
           "Combination", "Relation"]
