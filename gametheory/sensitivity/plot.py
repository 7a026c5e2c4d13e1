"""Pictures of sweeps, thresholds and sensitivities (matplotlib, the optional extra ``gametheory[plot]``).

* One parameter (:func:`plot_line`): each equilibrium's probabilities (top)
  and payoffs (bottom) against the parameter, one colour per equilibrium,
  with the regimes shaded and named (the 2x2 game type when there is one)
  and the thresholds marked with their exact values.
* Two parameters (:func:`plot_map`): a regime map, one colour per
  equilibrium structure, with a legend that says in words which equilibria
  each colour has (and the 2x2 game type).
* Sensitivity (:func:`plot_tornado`): how far each parameter can move down
  and up before the equilibrium set changes, as a share of its range, most
  fragile first.

The format follows the file name's extension (``.png``, ``.svg``, ``.pdf``).
"""

from __future__ import annotations

from typing import Any

from ..errors import GameError
from ..report.plotting import PLOT_HINT, pyplot, save

REGIME_COLOURS = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3", "#8C8C8C",
                  "#CCB974", "#64B5CD", "#1B9E77", "#D95F02", "#7570B3", "#E7298A", "#66A61E", "#E6AB02"]


def _param_label(game: Any, name: str) -> str:
    desc = game.parameters[name].description if name in game.parameters else ""
    return f"{name} ({desc})" if desc else name


def _wrap(text: str, width: int = 38) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def plot_line(result: Any, path: str, thresholds: Any = None) -> None:
    """One-parameter picture of a :class:`~gametheory.sensitivity.sweep.SweepResult`.

    ``thresholds``: a :class:`~gametheory.sensitivity.thresholds.ThresholdResult`
    for the same parameter, whose exact thresholds and regimes are drawn
    (otherwise the sweep's own regimes are used).
    """
    import numpy as np

    from .classify import classify_2x2
    from .structure import describe_equilibrium, short_label

    plt = pyplot()
    game = result.game
    axis = result.axes[0]
    xs = axis.floats()
    fig, (ax_p, ax_u) = plt.subplots(2, 1, figsize=(9, 7.5), sharex=True, gridspec_kw={"hspace": 0.08})
    # regimes and thresholds
    spans, marks = [], []
    if thresholds is not None:
        for r in thresholds.regimes:
            spans.append((float(r.low), float(r.high), r.classification or short_label(game, r.key)))
        for t in thresholds.thresholds:
            label = f"{axis.name} = {t.exact or f'{t.float_value:.6g}'}"
            if t.expression_text and t.expression_text != t.exact:
                label += f" = {t.expression_text}"
            marks.append((t.float_value, label))
    else:
        for reg in result.regimes:
            lo, hi = (float(v) for v in reg.bounds[axis.name])
            if reg.points == 1 and len(result.regimes) > 1:
                marks.append((lo, f"{axis.name} = {reg.bounds[axis.name][0]}"))
                continue
            at = game.with_parameters(result.values_at(reg.point))
            spans.append((lo, hi, classify_2x2(at) or short_label(game, reg.key)))
    shade = ["#f2f2f2", "#e0e7f1"]
    for k, (lo, hi, label) in enumerate(spans):
        for ax in (ax_p, ax_u):
            ax.axvspan(lo, hi, color=shade[k % 2], zorder=0, lw=0)
        ax_p.text((lo + hi) / 2, 1.04, _wrap(label, 22), ha="center", va="bottom", fontsize=8,
                  transform=ax_p.get_xaxis_transform(), color="#333333")
    for x, label in marks:
        for ax in (ax_p, ax_u):
            ax.axvline(x, color="#444444", ls="--", lw=1, zorder=1)
        ax_u.annotate(label, (x, 0.02), xycoords=("data", "axes fraction"), rotation=90, fontsize=8,
                      ha="right", va="bottom", color="#222222", xytext=(-2, 0), textcoords="offset points")
    # equilibrium branches
    styles = ["-", "--", ":", "-."]
    for k, h in enumerate(result.hits):
        colour = REGIME_COLOURS[k % len(REGIME_COLOURS)]
        name = describe_equilibrium(game, h.pattern.key)
        prof = np.full((len(xs), sum(game.shape)), np.nan)
        prof[h.mask] = h.profiles(game.shape)
        pay = np.full((len(xs), game.n_players), np.nan)
        pay[h.mask] = h.payoffs.T
        offset = 0
        for i, (player, strategies) in enumerate(zip(game.players, game.strategies)):
            ax_p.plot(xs, prof[:, offset], color=colour, ls=styles[i % 4], lw=2,
                      label=f"{name}: P({player} plays {strategies[0]})")
            offset += len(strategies)
            ax_u.plot(xs, pay[:, i], color=colour, ls=styles[i % 4], lw=2, label=f"{name}: {player}'s payoff")
    # points solved exactly (degenerate points at thresholds)
    for index, sol in result.solutions.items():
        x = float(result.values_at(index)[axis.name])
        for e in sol.equilibria:
            ax_p.plot([x] * game.n_players, [float(e.profile[i][0]) for i in range(game.n_players)], "o",
                      color="black", ms=4, zorder=5)
            ax_u.plot([x] * game.n_players, [float(v) for v in e.payoffs], "o", color="black", ms=4, zorder=5)
    ax_p.set_ylabel("probability of the first strategy")
    ax_p.set_ylim(-0.05, 1.05)
    ax_u.set_ylabel("expected payoff")
    ax_u.set_xlabel(_param_label(game, axis.name))
    ax_u.set_xlim(float(xs[0]), float(xs[-1]))
    handles, labels = ax_p.get_legend_handles_labels()
    h2, l2 = ax_u.get_legend_handles_labels()
    fixed = ", ".join(f"{k} = {v}" for k, v in game.values.items() if k != axis.name)
    fig.suptitle(f"{game.title or 'Equilibria'}: equilibria as {axis.name} varies" +
                 (f"\n(other parameters: {fixed})" if fixed else ""), fontsize=11, y=1.02)
    ax_p.legend(handles, labels, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                title="equilibria (lines)", title_fontsize=8)
    ax_u.legend(h2, l2, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    if result.solutions:
        ax_u.text(1.01, 0.0, "black dots: points solved exactly\n(e.g. degenerate games at thresholds)",
                  transform=ax_u.transAxes, fontsize=7, va="bottom")
    save(fig, path, dpi=150)


def plot_map(result: Any, path: str) -> None:
    """Two-parameter regime map of a :class:`~gametheory.sensitivity.sweep.SweepResult`."""
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from .classify import region_types
    from .structure import UNDEFINED, describe

    plt = pyplot()
    game = result.game
    a0, a1 = result.axes
    ids = result.structure.reshape(a0.num, a1.num)
    n = len(result.structures)
    colours = [REGIME_COLOURS[k % len(REGIME_COLOURS)] for k in range(n)]
    fig, ax = plt.subplots(figsize=(9, 6.5))
    x0, x1 = float(a0.start), float(a0.stop)
    y0, y1 = float(a1.start), float(a1.stop)
    ax.imshow(ids.T, origin="lower", aspect="auto", cmap=ListedColormap(colours), vmin=-0.5, vmax=n - 0.5,
              extent=(x0 - float(a0.step) / 2, x1 + float(a0.step) / 2, y0 - float(a1.step) / 2,
                      y1 + float(a1.step) / 2), interpolation="nearest")
    handles = []
    regimes = {r.structure: r for r in result.regimes}
    for sid, key in enumerate(result.structures):
        reg = regimes.get(sid)
        kind = main_kind = None
        if reg is not None and key != UNDEFINED:
            # one structure can span several game types (e.g. the boundaries R = T and P = S):
            # name every type found at a sample of the region's points
            ranked = region_types(result, sid)
            kind = " or ".join(ranked) if ranked else None
            main_kind = ranked[0] if len(ranked) == 1 else None
        text = describe(game, key)
        label = (f"{kind}: " if kind and not kind.startswith("boundary") else "") + text
        if kind and kind.startswith("boundary"):
            label = f"{kind}: {text}"
        count = reg.points if reg is not None else 0
        handles.append(Patch(color=colours[sid], label=_wrap(f"{label} [{count} points]", 60)))
        if reg is not None and count > 0.02 * ids.size and main_kind:
            px, py = result.values_at(reg.point).values()
            ax.text(float(px), float(py), main_kind, ha="center", va="center", fontsize=9, color="white",
                    fontweight="bold")
    ax.set_xlabel(_param_label(game, a0.name))
    ax.set_ylabel(_param_label(game, a1.name))
    fixed = ", ".join(f"{k} = {v}" for k, v in game.values.items() if k not in (a0.name, a1.name))
    ax.set_title(f"{game.title or 'Equilibria'}: regime map" + (f"\n(other parameters: {fixed})" if fixed else ""),
                 fontsize=11)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
              title="equilibria in each region\n(pure profiles listed; 'mixed' = a mixed equilibrium)",
              title_fontsize=8)
    del np
    save(fig, path, dpi=150)


def plot_sweep(result: Any, path: str, thresholds: Any = None) -> None:
    """:func:`plot_line` for one parameter, :func:`plot_map` for two."""
    if len(result.axes) == 1:
        plot_line(result, path, thresholds)
    else:
        plot_map(result, path)


def _threshold_label(name: str, value: Any, expression: str | None) -> str:
    text = f"{name} = {value}"
    if expression and expression != str(value):
        text += f" = {expression}"
    return text


def plot_tornado(result: Any, path: str) -> None:
    """Tornado chart of a :class:`~gametheory.sensitivity.compare.SensitivityResult`."""
    plt = pyplot()
    game = result.game
    params = [p for p in result.parameters if p.affects_payoffs]
    if not params:
        raise GameError("no parameter affects the payoffs: nothing to plot")
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(params) + 1.8))
    labels = []
    for row, p in enumerate(params):
        width = float(p.high - p.low) or 1.0
        down = float(p.margin_down) / width if p.margin_down is not None else float(p.value - p.low) / width
        up = float(p.margin_up) / width if p.margin_up is not None else float(p.high - p.value) / width
        y = len(params) - 1 - row
        ax.barh(y, -down * 100, color="#C44E52" if p.margin_down is not None else "#cccccc", height=0.6)
        ax.barh(y, up * 100, color="#4C72B0" if p.margin_up is not None else "#cccccc", height=0.6)
        if p.below is not None:
            ax.text(-down * 100, y, f" {_threshold_label(p.name, p.below, p.below_expression)} ", ha="right",
                    va="center", fontsize=8)
        if p.above is not None:
            ax.text(up * 100, y, f" {_threshold_label(p.name, p.above, p.above_expression)} ", ha="left",
                    va="center", fontsize=8)
        labels.append(f"{p.name} = {p.value}")
    ax.set_yticks(range(len(params)))
    ax.set_yticklabels(list(reversed(labels)))
    ax.axvline(0, color="black", lw=1)
    lim = max(abs(v) for v in ax.get_xlim())
    ax.set_xlim(-lim * 1.35, lim * 1.35)
    ax.set_xlabel("room to move before the equilibrium set changes (% of the parameter's range);\n"
                  "red: down to the nearest threshold, blue: up; grey: no threshold in the range")
    ax.set_title(f"{game.title or 'Game'}: sensitivity at the current values (most fragile on top)", fontsize=11)
    save(fig, path, dpi=150)


# ---------------------------------------------------------------------------
# the repeated game over a grid


STRATEGY_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
                    "#bcbd22", "#7f7f7f"]


BOUNDARY_COLOURS = ["#d62728", "#ff7f0e", "#2ca02c", "#e377c2", "#000000", "#bcbd22", "#8c564b", "#17becf"]


def plot_repeated_sweep(result: Any, path: str) -> None:
    """A :class:`~gametheory.repeated.sweep.RepeatedSweepResult`: bands for one parameter, a map for two."""
    if len(result.axes) == 1:
        plot_repeated_line(result, path)
    else:
        plot_repeated_map(result, path)


def _fixed_text(result: Any, skip: Any) -> str:
    game = result.game
    return ", ".join(f"{k} = {v}" for k, v in game.values.items() if k not in skip)


def plot_repeated_line(result: Any, path: str) -> None:
    """Critical discount factors against the parameter (top) and where each strategy is sustainable (bottom)."""
    import numpy as np

    plt = pyplot()
    game = result.game
    axis = result.axes[0]
    xs = axis.floats()
    cols = [k for k in range(len(result.columns)) if result.present[k].any()]
    height = 3.2 + 0.38 * max(1, len(cols))
    fig, (ax_c, ax_b) = plt.subplots(2, 1, figsize=(10, 4.2 + height), sharex=True,
                                     gridspec_kw={"hspace": 0.12, "height_ratios": [4.2, height]})
    # top: critical discount factors and the discount factor itself
    for row, k in enumerate(cols):
        c = result.columns[k]
        colour = STRATEGY_COLOURS[row % len(STRATEGY_COLOURS)]
        ys = np.where(result.present[k], result.critical[k], np.nan)
        if np.isnan(ys).all():
            continue
        ax_c.plot(xs, ys, color=colour, lw=2.2, ls=["-", "--", "-.", ":"][row % 4],
                  marker="o" if len(xs) <= 41 else None, ms=3, label=c.label)
    if result.has_discount:
        d = np.where(np.isfinite(result.discount), result.discount, np.nan)
        ax_c.plot(xs, d, color="black", lw=3, alpha=0.75, label="the discount factor delta", zorder=5)
    ax_c.set_ylim(-0.03, 1.03)
    ax_c.set_ylabel("critical discount factor delta*")
    ax_c.grid(alpha=0.3)
    ax_c.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                title="a strategy sustains the target\nwhere delta (black) is at or\nabove its delta* line;\n"
                      "no line: never", title_fontsize=8)
    # bottom: bands of sustainability
    if result.has_discount:
        step = float(axis.step) if axis.num > 1 else 1.0
        for row, k in enumerate(cols):
            colour = STRATEGY_COLOURS[row % len(STRATEGY_COLOURS)]
            ok = result.nash[k] & result.valid
            y = len(cols) - 1 - row
            ax_b.axhspan(y - 0.4, y + 0.4, color="#f0f0f0", lw=0, zorder=0)
            runs = np.flatnonzero(np.diff(np.r_[0, ok.astype(int), 0]))
            for a, b in zip(runs[::2], runs[1::2]):
                lo = xs[a] - step / 2
                hi = xs[b - 1] + step / 2
                ax_b.broken_barh([(lo, hi - lo)], (y - 0.35, 0.7), color=colour, zorder=2)
        invalid = ~result.valid
        if invalid.any():
            for i in np.flatnonzero(invalid):
                ax_b.axvspan(xs[i] - step / 2, xs[i] + step / 2, color="#cccccc", zorder=1, lw=0)
        ax_b.set_yticks(range(len(cols)))
        ax_b.set_yticklabels([result.columns[k].label for k in reversed(cols)], fontsize=9)
        ax_b.set_ylim(-0.6, len(cols) - 0.4)
        ax_b.set_title("sustainable (Nash) at each grid point: coloured", fontsize=9, loc="left")
        for t in result.thresholds:
            if t.value is None:
                continue
            x = float(t.value)
            label = f"{axis.name} = {_exact_label(t.value)}"
            for ax in (ax_c, ax_b):
                ax.axvline(x, color="#444444", ls="--", lw=0.8, zorder=3)
            ax_c.annotate(label, (x, 0.02), xycoords=("data", "axes fraction"), rotation=90, fontsize=7,
                          ha="right", va="bottom", xytext=(-2, 0), textcoords="offset points")
    ax_b.set_xlabel(_param_label(game, axis.name))
    ax_b.set_xlim(float(xs[0]) - (float(axis.step) / 2 if axis.num > 1 else 0.5),
                  float(xs[-1]) + (float(axis.step) / 2 if axis.num > 1 else 0.5))
    fixed = _fixed_text(result, {axis.name})
    fig.suptitle(f"{game.title or 'Repeated game'}: which strategies sustain cooperation as {axis.name} varies"
                 + (f"\n(other parameters: {fixed})" if fixed else ""), fontsize=11, y=0.995)
    save(fig, path, dpi=150)


def _exact_label(value: Any) -> str:
    from ..repeated.thresholds import exact_string

    text = exact_string(value)
    return text if text is not None and len(text) <= 18 else f"{float(value):.4g}"


def plot_repeated_map(result: Any, path: str) -> None:
    """Two parameters: regions by the set of sustainable strategies, with each strategy's exact boundary."""
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    plt = pyplot()
    game = result.game
    a0, a1 = result.axes
    ids, keys = result._structure()
    grid = ids.reshape(a0.num, a1.num)
    n = len(keys)
    # colours: by how many strategies are sustainable (light: few, dark: many), invalid points grey
    palette = ["#f7f7f7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]
    sizes = [len(k[2]) if k[2] is not None else -1 for k in keys]
    distinct = sorted(set(s for s in sizes if s >= 0))
    colours = []
    used: dict[int, int] = {}
    extra = ["#fdd0a2", "#a1d99b", "#fcbba1", "#dadaeb", "#fdae6b", "#74c476", "#9e9ac8"]
    for sid, size in enumerate(sizes):
        if size < 0:
            colours.append("#bdbdbd")
            continue
        shade = palette[min(len(palette) - 1, round(distinct.index(size) * (len(palette) - 1) / max(1, len(distinct) - 1)))]
        if shade in used.values():  # two different sets of the same size: tell them apart
            shade = extra[len(used) % len(extra)]
        used[sid] = shade
        colours.append(shade)
    fig, ax = plt.subplots(figsize=(10, 7))
    x0, x1 = float(a0.start), float(a0.stop)
    y0, y1 = float(a1.start), float(a1.stop)
    hx = float(a0.step) / 2 if a0.num > 1 else 0.5
    hy = float(a1.step) / 2 if a1.num > 1 else 0.5
    ax.imshow(grid.T, origin="lower", aspect="auto", cmap=ListedColormap(colours), vmin=-0.5, vmax=n - 0.5,
              extent=(x0 - hx, x1 + hx, y0 - hy, y1 + hy), interpolation="nearest")
    handles = []
    regimes = {}
    for r in result.regimes:
        regimes.setdefault(r.key, r)
    for sid, key in enumerate(keys):
        reg = regimes.get(key)
        count = int((ids == sid).sum())
        sustained = key[2]
        text = ("discount factor not in [0, 1)" if sustained is None else
                ("sustainable: " + ", ".join(sustained) if sustained else "no strategy sustains the target"))
        handles.append(Patch(facecolor=colours[sid], edgecolor="#555555", lw=0.5,
                             label=_wrap(f"{sid + 1}: {text} [{count} points]", 58)))
        if reg is not None and count > 0.015 * ids.size:
            px, py = (float(v) for v in result.values_at(reg.point).values())
            ax.text(px, py, str(sid + 1), ha="center", va="center", fontsize=11, fontweight="bold",
                    color="white" if sizes[sid] >= 0 and distinct and sizes[sid] >= distinct[len(distinct) // 2]
                    and sizes[sid] > 0 else "black")
    # each strategy's boundary: where the discount factor equals its critical value
    xs, ys = a0.floats(), a1.floats()
    lines = []
    for k in range(len(result.columns)):
        c = result.columns[k]
        if not result.present[k].any() or not result.has_discount:
            continue
        field = (result.discount - np.nan_to_num(result.critical[k], nan=2.0)).reshape(a0.num, a1.num)
        if not (np.nanmin(field) < 0 < np.nanmax(field)):
            continue
        colour = BOUNDARY_COLOURS[len(lines) % len(BOUNDARY_COLOURS)]
        try:
            ax.contour(xs, ys, field.T, levels=[0.0], colors=[colour], linewidths=2.2,
                       linestyles=["-", "--", "-.", ":"][len(lines) % 4])
        except (ValueError, TypeError):  # pragma: no cover - degenerate grids
            continue
        base = result._base_entry(c)
        formula = f": delta = {base.expression_text}" if base is not None and base.expression_text else ""
        lines.append(Line2D([0], [0], color=colour, lw=2.2, ls=["-", "--", "-.", ":"][len(lines) % 4],
                            label=_wrap(f"{c.label}{formula}", 58)))
    ax.set_xlabel(_param_label(game, a0.name))
    ax.set_ylabel(_param_label(game, a1.name))
    fixed = _fixed_text(result, {a0.name, a1.name})
    ax.set_title(f"{game.title or 'Repeated game'}: where cooperation is self-enforcing"
                 + (f"\n(other parameters: {fixed})" if fixed else ""), fontsize=11)
    first = ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
                      title="regions (sustainable = a Nash equilibrium\nthat keeps the target on its path)",
                      title_fontsize=8)
    if lines:
        ax.add_artist(first)
        ax.legend(handles=lines, loc="lower left", bbox_to_anchor=(1.01, 0.0), fontsize=8, frameon=False,
                  title="boundaries: a strategy sustains the\ntarget on the side where delta is larger",
                  title_fontsize=8)
    save(fig, path, dpi=150)


__all__ = ["plot_repeated_sweep", "plot_repeated_line", "plot_repeated_map", "plot_sweep", "plot_line", "plot_map", "plot_tornado", "PLOT_HINT"]
