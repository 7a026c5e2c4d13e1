"""How games and results look in Jupyter: ``_repr_html_`` bodies.

A notebook user types ``game`` or ``gt.thresholds(game, "g")`` in a cell and should
see what ``gametheory show`` or ``gametheory thresholds`` prints, as HTML: the payoff
matrix with best responses marked (a starred payoff is a best response; a cell whose
payoffs are all starred, shown bold, is a pure Nash equilibrium), the parameters with
their meanings, the thresholds and the regimes between them.
"""

from __future__ import annotations

import html
import itertools
from typing import Any

from ..expressions import exact_text


def _e(text: Any) -> str:
    return html.escape(str(text))


def game_html(game) -> str:
    """The game as HTML: title, description, parameters, payoff tables with best responses."""
    from .show import best_response_mask, parameter_lines, pure_profiles_all_best

    mask = best_response_mask(game)
    equilibria = set(pure_profiles_all_best(game))
    parts = [f"<h4>{_e(game.title or '(untitled game)')}</h4>"]
    dims = " x ".join(str(n) for n in game.shape)
    parts.append(f"<p>{game.n_players} players, {dims} strategies</p>")
    if game.description:
        parts.append(f"<p>{_e(game.description.strip())}</p>")
    if game.parameters:
        items = "".join(f"<li><code>{_e(line)}</code></li>" for line in parameter_lines(game))
        parts.append(f"<p>Parameters:</p><ul>{items}</ul>")

    def cell(profile: tuple[int, ...]) -> str:
        texts = []
        for i in range(game.n_players):
            t = _e(exact_text(game.payoffs[(i,) + profile]))
            texts.append(t + ("*" if mask[(i,) + profile] else ""))
        body = ", ".join(texts)
        return f"<td style='text-align:center'>{'<b>[' + body + ']</b>' if profile in equilibria else body}</td>"

    if game.n_players == 1:
        rows = "".join(f"<tr><th>{_e(s)}</th>{cell((k,))}</tr>" for k, s in enumerate(game.strategies[0]))
        parts.append(f"<table><tr><th>{_e(game.players[0])}</th><th>payoff</th></tr>{rows}</table>")
    else:
        for tail in itertools.product(*(range(n) for n in game.shape[2:])):
            caption = ", ".join(f"{game.players[2 + k]} = {game.strategies[2 + k][s]}" for k, s in enumerate(tail))
            head = "".join(f"<th>{_e(c)}</th>" for c in game.strategies[1])
            rows = "".join(
                f"<tr><th>{_e(r)}</th>" + "".join(cell((ri, ci) + tail) for ci in range(game.shape[1])) + "</tr>"
                for ri, r in enumerate(game.strategies[0])
            )
            cap = f"<caption>{_e(caption)}</caption>" if caption else ""
            parts.append(
                f"<table>{cap}<tr><th>{_e(game.players[0])} \\ {_e(game.players[1])}</th>{head}</tr>{rows}</table>"
            )
    parts.append("<p><small>* best response; [bold]: every payoff a best response, a pure Nash equilibrium</small></p>")
    return "\n".join(parts)


def thresholds_html(result) -> str:
    """A threshold analysis as HTML: the thresholds, then one row per regime."""
    data = result.to_dict()
    parts = [f"<p>Thresholds in <code>{_e(data['parameter'])}</code> on [{_e(data['range'][0])}, "
             f"{_e(data['range'][1])}]:</p>"]
    if data["thresholds"]:
        items = []
        for t in data["thresholds"]:
            extra = f" = {_e(t['expression'])}" if t.get("expression") and t["expression"] != t.get("exact") else ""
            items.append(f"<li>{_e(t.get('exact') or t['value'])}{extra}</li>")
        parts.append(f"<ul>{''.join(items)}</ul>")
    else:
        parts.append("<p>none: the equilibrium set does not change on this range.</p>")
    rows = []
    for r in data["regimes"]:
        eqs = len(r.get("equilibria", []))
        rows.append(
            f"<tr><td>{_e(r['from'])}</td><td>{_e(r['to'])}</td><td>{_e(r.get('classification') or '')}</td>"
            f"<td>{eqs}</td></tr>"
        )
    parts.append(
        "<table><tr><th>from</th><th>to</th><th>type</th><th>equilibria</th></tr>" + "".join(rows) + "</table>"
    )
    return "\n".join(parts)
