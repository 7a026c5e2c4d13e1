"""LaTeX output of the payoff matrix, for papers and slides.

Two players give one ``tabular`` (rows: player 1, columns: player 2, cells
``$u_1, u_2$``); N players give one table per combination of the strategies of
players 3..N.  Best-response payoffs are underlined, the convention of
textbooks such as Gibbons (1992), so that pure equilibria are the cells with
every payoff underlined.  Needs only plain LaTeX (no packages).
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def escape(text: str) -> str:
    """Text with LaTeX's special characters escaped."""
    return "".join(_SPECIAL.get(ch, ch) for ch in str(text))


def number_latex(value: Any) -> str:
    """``3``, ``-\\tfrac{1}{2}``, or sympy's LaTeX for irrational values."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        sign = "-" if value < 0 else ""
        return f"{sign}\\tfrac{{{abs(value.numerator)}}}{{{value.denominator}}}"
    import sympy

    return sympy.latex(value)


def latex_matrix(game) -> str:
    """The payoff table(s) as LaTeX, best responses underlined."""
    from ..report.show import best_response_mask

    mask = best_response_mask(game)
    out = [f"% {escape(game.title)}" if game.title else "% game"]
    if game.values:
        vals = ", ".join(f"{k} = {v}" for k, v in game.values.items())
        out.append(f"% parameters: {vals}")
    out.append("% underlined: a best response; a cell with every payoff underlined is a pure Nash equilibrium")

    def cell(profile: tuple[int, ...]) -> str:
        parts = []
        for i in range(game.n_players):
            t = number_latex(game.payoffs[(i,) + profile])
            parts.append(f"\\underline{{{t}}}" if mask[(i,) + profile] else t)
        return "$" + ", ".join(parts) + "$"

    if game.n_players == 1:
        out.append("\\begin{tabular}{l|c}")
        out.append(f"{escape(game.players[0])} & payoff \\\\ \\hline")
        for s, name in enumerate(game.strategies[0]):
            out.append(f"{escape(name)} & {cell((s,))} \\\\")
        out.append("\\end{tabular}")
        return "\n".join(out) + "\n"

    ncol = game.shape[1]
    for tail in itertools.product(*(range(n) for n in game.shape[2:])):
        if tail:
            label = ", ".join(
                f"{escape(game.players[2 + k])} $=$ {escape(game.strategies[2 + k][s])}" for k, s in enumerate(tail)
            )
            out.append(f"% {label}")
        out.append("\\begin{tabular}{r|" + "c" * ncol + "}")
        if tail:
            out.append(f"\\multicolumn{{{ncol + 1}}}{{c}}{{{label}}} \\\\")
        out.append(
            f"\\multicolumn{{1}}{{c}}{{}} & \\multicolumn{{{ncol}}}{{c}}{{{escape(game.players[1])}}} \\\\"
        )
        out.append(escape(game.players[0]) + " & " + " & ".join(escape(s) for s in game.strategies[1]) + " \\\\ \\hline")
        for r, rname in enumerate(game.strategies[0]):
            cells = [cell((r, c) + tail) for c in range(ncol)]
            out.append(f"{escape(rname)} & " + " & ".join(cells) + " \\\\")
        out.append("\\end{tabular}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
