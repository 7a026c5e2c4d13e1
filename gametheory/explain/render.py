"""Writing a lesson: plain text for the terminal, Markdown for handouts, LaTeX for papers and slides.

The renderers only lay out what :func:`gametheory.explain.explain` computed:

* :func:`render_text`: a rich console (the payoff table of ``gametheory show``
  with best responses starred, then numbered sections; prose wrapped at 100
  columns at most, equations one per line with ``⇒``);
* :func:`render_markdown`: Markdown with the payoff table as a Markdown table
  and mathematics in ``$...$`` (display equations in ``$$\\begin{aligned}``);
* :func:`render_latex`: a fragment to ``\\input`` into a document that loads
  ``amsmath``: the payoff ``tabular`` with best responses underlined
  (:func:`gametheory.formats.latex.latex_matrix`), ``itemize`` lists and
  ``align*`` environments.
"""

from __future__ import annotations

import io
import itertools
import re
from typing import Any

from .lesson import Bullets, Derivation, Heading, Lesson, Paragraph
from .notation import Relation, latex, latex_aligned, plain, sym

PROSE_WIDTH = 100
NBSP = "\u00a0"


# ---------------------------------------------------------------------------------------
# plain text


def _wrap_plain(p: Paragraph, width: int, first: str = "", rest: str = "") -> list[str]:
    """A paragraph wrapped at ``width``, never breaking inside a formula."""
    import textwrap

    text = "".join(part if isinstance(part, str) else part.plain().replace(" ", NBSP) for part in p.parts)
    lines = textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=rest,
                          break_long_words=False, break_on_hyphens=False)
    return [line.replace(NBSP, " ") for line in lines] or [first.rstrip()]


def render_text(lesson: Lesson, console: Any) -> None:
    """Print the lesson to a rich console."""
    from rich.text import Text

    from ..report.show import render_table

    width = min(console.width, PROSE_WIDTH)

    def emit(line: str, style: str | None = None) -> None:
        console.print(Text(line, style=style or ""), soft_wrap=True)

    render_table(lesson.game, console)
    for section in lesson.sections:
        console.print()
        emit(section.title, "bold")
        for block in section.blocks:
            if isinstance(block, Heading):
                console.print()
                emit(block.text, "bold italic")
            elif isinstance(block, Paragraph):
                for line in _wrap_plain(block, width):
                    emit(line)
            elif isinstance(block, Bullets):
                for item in block.items:
                    for line in _wrap_plain(item, width, "  - ", "    "):
                        emit(line)
            elif isinstance(block, Derivation):
                for rel in block.lines:
                    text = plain(rel)
                    if rel.implied:
                        emit(f"    {text}")
                    else:
                        emit(f"      {text}")
    for note in lesson.notes:
        emit(f"Note: {note}", "dim")


def render_text_string(lesson: Lesson, width: int = PROSE_WIDTH) -> str:
    """The text rendering as a string (no colours)."""
    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, width=width, highlight=False, soft_wrap=False, color_system=None,
                      force_terminal=False)
    render_text(lesson, console)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------
# Markdown

_MD_SPECIAL = re.compile(r"([\\*_$|])")


def _md_escape(text: str) -> str:
    """Markdown-escape text, leaving `code spans` alone."""
    parts = text.split("`")
    for k in range(0, len(parts), 2):
        parts[k] = _MD_SPECIAL.sub(r"\\\1", parts[k])
    return "`".join(parts)


def _md_paragraph(p: Paragraph) -> str:
    out = []
    for part in p.parts:
        out.append(_md_escape(part) if isinstance(part, str) else f"${part.latex()}$")
    return "".join(out)


def _md_table(game: Any) -> list[str]:
    from ..report.show import best_response_mask, number_text, pure_profiles_all_best

    mask = best_response_mask(game)
    equilibria = set(pure_profiles_all_best(game))
    lines: list[str] = []

    def cell(prof: tuple[int, ...]) -> str:
        parts = []
        for i in range(game.n_players):
            t = number_text(game.payoffs[(i,) + prof])
            parts.append(_md_escape(t) + ("\\*" if mask[(i,) + prof] else ""))
        text = ", ".join(parts)
        return f"**[{text}]**" if prof in equilibria else text

    if game.n_players == 1:
        lines += [f"| {_md_escape(game.players[0])} | payoff |", "|---|---:|"]
        for s, name in enumerate(game.strategies[0]):
            lines.append(f"| {_md_escape(name)} | {cell((s,))} |")
        return lines
    for tail in itertools.product(*(range(n) for n in game.shape[2:])):
        if tail:
            label = ", ".join(f"{game.players[2 + k]} = {game.strategies[2 + k][s]}" for k, s in enumerate(tail))
            lines += ["", f"*{_md_escape(label)}*", ""]
        head = f"{game.players[0]} \\ {game.players[1]}"
        lines.append("| " + _md_escape(head) + " | " + " | ".join(_md_escape(c) for c in game.strategies[1]) + " |")
        lines.append("|---|" + "|".join(":---:" for _ in game.strategies[1]) + "|")
        for r, rname in enumerate(game.strategies[0]):
            cells = [cell((r, c) + tail) for c in range(game.shape[1])]
            lines.append(f"| **{_md_escape(rname)}** | " + " | ".join(cells) + " |")
    return lines


def render_markdown(lesson: Lesson) -> str:
    """The lesson as Markdown."""
    from ..report.show import parameter_lines

    game = lesson.game
    out = [f"## {_md_escape(game.title or 'Untitled game')}: a walkthrough", ""]
    dims = " x ".join(str(n) for n in game.shape)
    out.append(f"{game.n_players} players, {dims} strategies.")
    if game.parameters:
        out += ["", "Parameters:", ""]
        out += [f"- {_md_escape(line)}" for line in parameter_lines(game)]
    out.append("")
    out += _md_table(game)
    out += ["", "\\* best response; **[ ]** every payoff a best response: a pure Nash equilibrium.", ""]
    for section in lesson.sections:
        out += [f"### {_md_escape(section.title)}", ""]
        for block in section.blocks:
            if isinstance(block, Heading):
                out += [f"#### {_md_escape(block.text)}", ""]
            elif isinstance(block, Paragraph):
                out += [_md_paragraph(block), ""]
            elif isinstance(block, Bullets):
                out += [f"- {_md_paragraph(item)}" for item in block.items] + [""]
            elif isinstance(block, Derivation):
                out += ["$$", "\\begin{aligned}"]
                out += [latex_aligned(rel) + (" \\\\" if k < len(block.lines) - 1 else "")
                        for k, rel in enumerate(block.lines)]
                out += ["\\end{aligned}", "$$", ""]
    for note in lesson.notes:
        out += [f"*Note: {_md_escape(note)}*", ""]
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------------------------------
# LaTeX


def _tex_text(text: str) -> str:
    """Escape text for LaTeX; `code spans` become \\texttt."""
    from ..formats.latex import escape

    parts = text.split("`")
    out = []
    for k, part in enumerate(parts):
        out.append(escape(part) if k % 2 == 0 else f"\\texttt{{{escape(part)}}}")
    return "".join(out)


def _tex_paragraph(p: Paragraph) -> str:
    return "".join(_tex_text(part) if isinstance(part, str) else f"${part.latex()}$" for part in p.parts)


def render_latex(lesson: Lesson) -> str:
    """The lesson as a LaTeX fragment (``\\usepackage{amsmath}`` needed for ``align*``)."""
    from ..formats.latex import latex_matrix
    from ..report.show import number_text, parameter_lines
    from ..sensitivity.symbolic import symbol

    game = lesson.game
    title = _tex_text(game.title or "Untitled game")
    out = [f"% gametheory explain: {title}",
           "% A fragment: \\input{} it into a document that loads amsmath (for align*).",
           f"\\subsection*{{{title}: a walkthrough}}"]
    dims = " $\\times$ ".join(str(n) for n in game.shape)
    out.append(f"{game.n_players} players, {dims} strategies.")
    if game.parameters:
        out += ["Parameters:", "\\begin{itemize}"]
        for name, line in zip(game.parameters, parameter_lines(game)):
            head = f"{name} = {number_text(game.values[name])}"
            rest = line[len(head):] if line.startswith(head) else ": " + line
            value = latex(Relation(symbol(name), "=", sym(game.values[name])))
            out.append(f"\\item ${value}${_tex_text(rest)}")
        out.append("\\end{itemize}")
    out += ["", "\\begin{center}", latex_matrix(game).rstrip(), "\\end{center}",
            "Underlined: a best response; a cell with every payoff underlined is a pure Nash equilibrium.", ""]
    for section in lesson.sections:
        out += [f"\\subsubsection*{{{_tex_text(section.title)}}}", ""]
        for block in section.blocks:
            if isinstance(block, Heading):
                out += [f"\\paragraph{{{_tex_text(block.text)}}}", ""]
            elif isinstance(block, Paragraph):
                out += [_tex_paragraph(block), ""]
            elif isinstance(block, Bullets):
                if block.items:
                    out.append("\\begin{itemize}")
                    out += [f"\\item {_tex_paragraph(item)}" for item in block.items]
                    out += ["\\end{itemize}", ""]
            elif isinstance(block, Derivation):
                out.append("\\begin{align*}")
                out += [latex_aligned(rel) + (" \\\\" if k < len(block.lines) - 1 else "")
                        for k, rel in enumerate(block.lines)]
                out += ["\\end{align*}", ""]
    for note in lesson.notes:
        out += [f"\\emph{{Note: {_tex_text(note)}}}", ""]
    return "\n".join(out).rstrip() + "\n"


__all__ = ["render_text", "render_text_string", "render_markdown", "render_latex"]
