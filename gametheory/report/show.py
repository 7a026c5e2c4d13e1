"""What ``gametheory show`` prints: the payoff table with best responses marked.

For two players this is the bimatrix a teacher puts on a slide: rows are the
first player's strategies, columns the second's, each cell ``u1, u2``.  A payoff
is starred when it is that player's best response to the other's strategy, so
a cell with every payoff starred is a pure Nash equilibrium.  For N players
there is one such table for each combination of the other players' strategies
(players 3..N), with all N payoffs in each cell.
"""

from __future__ import annotations

import itertools
from typing import Any

from ..expressions import exact_text


def best_response_mask(game) -> Any:
    """Boolean array ``(N, n_1, ..., n_N)``: is player i's strategy a best response there?

    Compared exactly (Fractions, or sympy numbers), never as floats.
    """
    import numpy as np

    mask = np.empty(game.payoffs.shape, dtype=bool)
    for i in range(game.n_players):
        u = game.payoffs[i]
        best = u.max(axis=i, keepdims=True)
        mask[i] = u == best
    return mask


def pure_profiles_all_best(game) -> list[tuple[int, ...]]:
    """Profiles where every player's payoff is a best response (pure equilibria)."""
    import numpy as np

    mask = best_response_mask(game).all(axis=0)
    return [tuple(int(i) for i in idx) for idx in zip(*np.nonzero(mask))]


def number_text(value: Any) -> str:
    return exact_text(value)


def parameter_lines(game) -> list[str]:
    """``g = -1  (range -3 to 3): gain from exploiting a disarmed rival``."""
    out = []
    for name, p in game.parameters.items():
        line = f"{name} = {number_text(game.values[name])}"
        extra = []
        if p.range is not None:
            extra.append(f"range {number_text(p.range[0])} to {number_text(p.range[1])}")
        if game.values[name] != p.value:
            extra.append(f"file default {number_text(p.value)}")
        if extra:
            line += f"  ({'; '.join(extra)})"
        if p.description:
            line += f": {p.description}"
        out.append(line)
    return out


def cell_text(game, mask, profile: tuple[int, ...], mark: str = "*") -> str:
    parts = []
    for i in range(game.n_players):
        t = number_text(game.payoffs[(i,) + profile])
        parts.append(t + (mark if mask[(i,) + profile] else ""))
    return ", ".join(parts)


def render_table(game, console) -> None:
    """Print the game to a rich console."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    mask = best_response_mask(game)
    title = game.title or "(untitled game)"
    console.print(Text(title, style="bold"))
    dims = " x ".join(str(n) for n in game.shape)
    console.print(f"{game.n_players} players, {dims} strategies")
    if game.parameters:
        console.print("Parameters:")
        import textwrap

        for line in parameter_lines(game):
            # long descriptions wrap under themselves, not at the margin
            for part in textwrap.wrap(line, width=max(40, console.width), initial_indent="  ",
                                      subsequent_indent="      ", break_on_hyphens=False):
                console.print(part, highlight=False)
    console.print()
    equilibria = set(pure_profiles_all_best(game))

    if game.n_players == 1:
        table = Table(box=box.SIMPLE_HEAVY)
        table.add_column(game.players[0])
        table.add_column("payoff", justify="right")
        for s, name in enumerate(game.strategies[0]):
            table.add_row(name, cell_text(game, mask, (s,)))
        console.print(table)
    else:
        rest = list(itertools.product(*(range(n) for n in game.shape[2:])))
        for tail in rest:
            if tail:
                label = ", ".join(
                    f"{game.players[2 + k]} = {game.strategies[2 + k][s]}" for k, s in enumerate(tail)
                )
                console.print(Text(label, style="italic"))
            row_p, col_p = game.players[0], game.players[1]
            table = Table(box=box.HEAVY_HEAD, show_lines=False, title=None)
            table.add_column(f"{row_p} \\ {col_p}", style="bold")
            for c in game.strategies[1]:
                table.add_column(c, justify="center")
            for r, rname in enumerate(game.strategies[0]):
                cells = []
                for c in range(game.shape[1]):
                    prof = (r, c) + tail
                    text = cell_text(game, mask, prof)
                    if prof in equilibria:
                        cells.append(Text(f"[{text}]", style="bold green"))
                    else:
                        cells.append(Text(text))
                table.add_row(rname, *cells)
            console.print(table)
    legend = "* best response;  [ ] every payoff a best response: a pure Nash equilibrium"
    console.print(legend, style="dim", highlight=False)
    if equilibria:
        names = [
            "(" + ", ".join(game.strategies[i][s] for i, s in enumerate(p)) + ")" for p in sorted(equilibria)
        ]
        console.print("Pure Nash equilibria: " + ", ".join(names), highlight=False)
    else:
        console.print("No pure Nash equilibrium.", highlight=False)


def game_summary(game) -> dict[str, Any]:
    """The data behind ``show --format json``."""
    import numpy as np

    mask = best_response_mask(game)

    def nested(arr, conv):
        def walk(x):
            return [walk(y) for y in x] if isinstance(x, list) else conv(x)

        return walk(np.asarray(arr).tolist())

    return {
        "game": game.title,
        "players": list(game.players),
        "strategies": {p: list(s) for p, s in zip(game.players, game.strategies)},
        "parameters": {k: float(v) for k, v in game.values.items()},
        "payoffs": {p: nested(np.asarray(game.payoff_array[i]), float) for i, p in enumerate(game.players)},
        "exact": {p: nested(np.asarray(game.payoffs[i], dtype=object), number_text) for i, p in enumerate(game.players)},
        "best_responses": {p: nested(np.asarray(mask[i]), bool) for i, p in enumerate(game.players)},
        "pure_equilibria": [
            {p: game.strategies[i][s] for i, (p, s) in enumerate(zip(game.players, prof))}
            for prof in pure_profiles_all_best(game)
        ],
    }


def game_csv_rows(game) -> list[list[str]]:
    """One row per profile: each player's strategy, then each player's payoff."""
    header = list(game.players) + [f"payoff_{p}" for p in game.players]
    rows = [header]
    for prof in game.profiles():
        row = [game.strategies[i][s] for i, s in enumerate(prof)]
        row += [number_text(game.payoffs[(i,) + prof]) for i in range(game.n_players)]
        rows.append(row)
    return rows
