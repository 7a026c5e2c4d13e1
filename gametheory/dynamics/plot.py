"""Pictures of the dynamics (matplotlib, the optional extra ``gametheory[plot]``).

* :func:`plot_phase`: the phase portrait of the replicator dynamics (or
  another flow) on the unit square (2x2 games: each axis a population's
  share of its first strategy) or on the simplex (symmetric games with three
  strategies), with the Nash equilibria marked: filled when asymptotically
  stable, hollow when unstable, grey when neutrally stable (a centre, as in
  Rock-Paper-Scissors); optionally a run's trajectory and the basins.
* :func:`plot_trajectory`: each strategy's share (or empirical frequency) over time.
* :func:`plot_qre`: the logit QRE branch against lambda, with the arms of any bifurcation.
* :func:`plot_basins_sweep`: the basin shares against a parameter.
* :func:`plot_run`: the phase portrait (where there is one) next to the time plot.

matplotlib is imported only when a picture is drawn; without it a
:class:`~gametheory.errors.GameError` says how to install it.
"""

from __future__ import annotations

from typing import Any

from ..errors import GameError
from ..report.plotting import PLOT_HINT, pyplot, save  # noqa: F401  (PLOT_HINT re-exported)
from ._common import equilibrium_text, nash_profiles
from ._flow import Flow, integrate

COLOURS = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3", "#8C8C8C"]
SQRT3_2 = 3 ** 0.5 / 2


def phase_kind(game: Any) -> str | None:
    """``"square"`` (2x2), ``"simplex"`` (symmetric, 3 strategies) or None (no phase portrait)."""
    if game.n_players == 2 and tuple(game.shape) == (2, 2):
        return "square"
    if game.n_players == 2 and tuple(game.shape) == (3, 3) and game.is_symmetric():
        return "simplex"
    return None


def _to_triangle(x: Any) -> tuple[Any, Any]:
    """Barycentric (x1, x2, x3) -> the plane: vertex 1 bottom left, 2 bottom right, 3 top."""
    import numpy as np

    x = np.asarray(x, dtype=float)
    return x[..., 1] + 0.5 * x[..., 2], SQRT3_2 * x[..., 2]


def _marker(ax: Any, xy: tuple[float, float], kind: str, label_done: set) -> None:
    style = {
        "stable": dict(facecolor="black", edgecolor="black", label="stable equilibrium"),
        "unstable": dict(facecolor="white", edgecolor="black", label="unstable equilibrium"),
        "neutral": dict(facecolor="0.6", edgecolor="black", label="neutrally stable (centre)"),
    }[kind]
    label = style.pop("label")
    ax.scatter([xy[0]], [xy[1]], s=110, zorder=6, linewidths=1.8, clip_on=False,
               label=None if label in label_done else label, **style)
    label_done.add(label)


def plot_phase(game: Any, path: str | None = None, *, ax: Any = None, rule: str = "replicator",
               noise: float = 10.0, runs: Any = (), basins: Any = None, title: str | None = None) -> Any:
    """The phase portrait of ``rule`` with the Nash equilibria marked; saved to ``path`` if given.

    Args:
        game: a 2x2 game (unit square, two populations) or a symmetric game
            with three strategies (simplex, one population).
        rule: ``"replicator"``, ``"best-response"`` or ``"logit"`` (precision ``noise``).
        runs: :class:`~gametheory.dynamics.DynamicsResult` objects whose paths to draw.
        basins: a :class:`~gametheory.dynamics.BasinsResult` whose starts are
            drawn coloured by the equilibrium they reach.
    Returns the matplotlib axes.
    """
    import numpy as np

    kind = phase_kind(game)
    if kind is None:
        raise GameError("a phase portrait needs a 2x2 game or a symmetric game with three strategies")
    plt = pyplot()
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 6.0 if kind == "square" else 5.6))
    eqs = nash_profiles(game)
    done: set = set()
    if kind == "square":
        flow = Flow(game, rule, False, noise=noise)
        g = np.linspace(0, 1, 31)
        X, Y = np.meshgrid(g, g)
        U = np.zeros_like(X)
        V = np.zeros_like(X)
        for i in range(X.shape[0]):
            for j in range(X.shape[1]):
                d = flow.field(np.array([X[i, j], 1 - X[i, j], Y[i, j], 1 - Y[i, j]]))
                U[i, j], V[i, j] = d[0], d[2]
        speed = np.hypot(U, V)
        if basins is None:
            ax.streamplot(X, Y, U, V, color=speed, cmap="Blues", density=1.1, linewidth=1.0, arrowsize=1.1)
        else:  # grey flow lines over the coloured basins
            ax.streamplot(X, Y, U, V, color="0.35", density=0.9, linewidth=0.7, arrowsize=0.9)
        if game.is_symmetric():
            ax.plot([0, 1], [0, 1], ls=":", color="0.5", lw=1, label="one population (x = y)")
        (s1, s2) = game.strategies
        ax.set_xlabel(f"{game.players[0]}: share playing {s1[0]}")
        ax.set_ylabel(f"{game.players[1]}: share playing {s2[0]}")
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.set_aspect("equal")
        if basins is not None:
            _basin_points(ax, basins, lambda s: (s[0][0], s[1][0]), area=None if basins.populations == "one" else 1.0)
        for run in runs:
            xs = [s[0][0] for s in run.trajectory]
            ys = [s[1][0] for s in run.trajectory]
            ax.plot(xs, ys, color="#C44E52", lw=2, zorder=5, label=f"{run.rule} from ({xs[0]:.2f}, {ys[0]:.2f})")
            ax.plot(xs[:1], ys[:1], "o", color="#C44E52", ms=4, zorder=5)
        for eq in eqs:
            _marker(ax, (eq[0][0], eq[1][0]), flow.stability(eq), done)
    else:
        flow = Flow(game, rule, True, noise=noise)
        tri = np.array([[0, 0], [1, 0], [0.5, SQRT3_2], [0, 0]])
        ax.plot(tri[:, 0], tri[:, 1], color="black", lw=1)
        pts, vec = [], []
        m = 18
        for i in range(m + 1):
            for j in range(m + 1 - i):
                x = np.array([i, j, m - i - j], dtype=float) / m
                x = 0.985 * x + 0.005
                d = flow.field(x)
                pts.append(_to_triangle(x))
                vec.append(_to_triangle(d))
        pts, vec = np.array(pts), np.array(vec)
        speed = np.hypot(vec[:, 0], vec[:, 1])
        unit = vec / np.maximum(speed, 1e-12)[:, None]
        ax.quiver(pts[:, 0], pts[:, 1], unit[:, 0], unit[:, 1], speed, cmap="Blues", scale=30, width=0.004,
                  pivot="mid")
        for k, x0 in enumerate(([0.6, 0.2, 0.2], [0.45, 0.35, 0.2], [0.75, 0.15, 0.1])):
            orbit = integrate(flow, [np.array(x0)] * 2, 40.0, 800, rtol=1e-9, atol=1e-11)
            px, py = _to_triangle(np.array([s[0] for s in orbit.states]))
            ax.plot(px, py, color="0.35", lw=0.9, label="orbits" if k == 0 else None)
        if basins is not None:
            _basin_points(ax, basins, lambda s: _to_triangle(s[0]), area=SQRT3_2 / 2 / 1.16**2)
        for run in runs:
            px, py = _to_triangle(np.array([s[0] for s in run.trajectory]))
            ax.plot(px, py, color="#C44E52", lw=2, zorder=5, label=f"{run.rule}")
            ax.plot(px[:1], py[:1], "o", color="#C44E52", ms=4, zorder=5)
        names = game.strategies[0]
        for (vx, vy), name, va in zip(tri[:3], names, ("top", "top", "bottom")):
            ax.annotate(name, (vx, vy), xytext=(0, -10 if va == "top" else 8), textcoords="offset points",
                        ha="center", va=va, fontsize=11)
        for eq in eqs:
            if max(abs(a - b) for a, b in zip(eq[0], eq[1])) < 1e-9:  # symmetric: a state of the population
                _marker(ax, _to_triangle(eq[0]), flow.stability(eq), done)
        ax.set_xlim(-0.08, 1.08)
        ax.set_ylim(-0.1, SQRT3_2 + 0.08)
        ax.set_aspect("equal")
        ax.axis("off")
    ax.set_title(title or f"{game.title or 'game'}: {rule} dynamics")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    if fig is not None and path is not None:
        save(fig, path)
    return ax


def _basin_points(ax: Any, basins: Any, where: Any, area: float | None = 1.0) -> None:
    """Each start as a square coloured by where it ends: on a grid the squares tile the basins.

    ``area``: the share of the axes (in data units, about 1 x 1) that the starts cover; None for
    starts on a line (one population with two strategies), drawn as small squares.
    """
    labels = list(dict.fromkeys(basins.labels))
    width = ax.get_window_extent().width * 72.0 / ax.figure.dpi  # in points
    size = 20.0 if area is None else 0.8 * width**2 * area / max(1, len(basins.starts))
    for lab in labels:
        pts = [where(s) for s, b in zip(basins.starts, basins.labels) if b == lab]
        xs, ys = zip(*pts)
        colour = COLOURS[lab % len(COLOURS)] if isinstance(lab, int) else \
            COLOURS[-1] if str(lab).startswith("component") else "0.7"
        ax.scatter(xs, ys, s=size, marker="s", color=colour, alpha=0.8 if area is None else 0.35, zorder=2,
                   linewidths=0,
                   label=f"reaches {basins.label_text(lab)} ({basins.shares[lab]:.0%})")


def plot_trajectory(result: Any, path: str | None = None, *, ax: Any = None) -> Any:
    """Each strategy's share (flows) or empirical frequency (learning rules) against time."""
    import numpy as np

    plt = pyplot()
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.5, 4.2))
    game = result.game
    players = [0] if result.populations == "one" else range(game.n_players)
    styles = ["-", "--", ":", "-."]
    for i in players:
        arr = np.array([s[i] for s in result.trajectory])
        for a, name in enumerate(game.strategies[i]):
            who = "" if result.populations == "one" else f"{game.players[i]}: "
            ax.plot(result.times, arr[:, a], color=COLOURS[a % len(COLOURS)], ls=styles[i % 4], lw=1.8,
                    label=f"{who}{name}")
    learning = result.rule in ("fictitious-play", "stochastic-fictitious-play", "regret-matching")
    ax.set_xlabel("round" if learning else "time")
    ax.set_ylabel("empirical frequency" if learning else "population share")
    ax.set_ylim(-0.02, 1.02)
    import textwrap

    ax.set_title(f"{game.title or 'game'}: {result.rule}\n" + "\n".join(textwrap.wrap(result.describe(), 80)),
                 fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    if fig is not None and path is not None:
        save(fig, path)
    return ax


def plot_run(result: Any, path: str, basins: Any = None) -> None:
    """The phase portrait with the run drawn (2x2 and 3-strategy symmetric games) beside the time plot."""
    plt = pyplot()
    kind = phase_kind(result.game)
    if kind is None:
        fig, ax = plt.subplots(figsize=(8, 4.2))
        plot_trajectory(result, ax=ax)
    else:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(15, 5.8), gridspec_kw={"width_ratios": [1.15, 1], "wspace": 0.6})
        rule = result.rule if result.rule in ("replicator", "best-response", "logit") else "replicator"
        plot_phase(result.game, ax=ax1, rule=rule, noise=result.parameters.get("lambda", 10.0),
                   runs=[result], basins=basins)
        plot_trajectory(result, ax=ax2)
    save(fig, path)


def plot_qre(branch: Any, path: str | None = None, *, ax: Any = None) -> Any:
    """The logit QRE branch against lambda / (1 + lambda), with the arms of any bifurcation dashed.

    A player with two strategies is drawn by the probability of its first
    strategy alone (the other is one minus it); players whose curves
    coincide (symmetric games) share one line.
    """
    import numpy as np

    plt = pyplot()
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(8.5, 4.8))
    game = branch.game

    def curves(profiles: list) -> list[tuple[int, int, Any]]:
        return [(i, a, np.array([p[i][a] for p in profiles]))
                for i in range(game.n_players) for a in range(game.shape[i] if game.shape[i] > 2 else 1)]

    main = curves(branch.profiles)
    drawn: dict[tuple[int, int], str] = {}  # (player, strategy) -> label of the line it coincides with
    lines = []
    for i, a, ys in main:
        same = next((j for j, b, other in lines if b == a and game.strategies[j][b] == game.strategies[i][a]
                     and np.allclose(other, ys, atol=1e-9)), None)
        if same is not None:
            drawn[(i, a)] = drawn[(same, a)]
            continue
        lines.append((i, a, ys))
        drawn[(i, a)] = f"{i}:{a}"
    s = np.asarray(branch.lambdas, dtype=float)
    s = s / (1 + s)
    for n, (i, a, ys) in enumerate(lines):
        twins = [game.players[j] for (j, b), key in drawn.items() if key == f"{i}:{a}" and j != i]
        who = " = ".join([game.players[i]] + twins)
        name = game.strategies[i][a]
        label = f"{who}: P({name})" if game.shape[i] == 2 else f"{who}: {name}"
        ax.plot(s, ys, color=COLOURS[n % len(COLOURS)], lw=2.2, label=label)
    for b in branch.bifurcations:
        x0 = b.lam / (1 + b.lam)
        ax.axvline(x0, color="0.55", ls=":", lw=1)
        ax.annotate(f"bifurcation\nlambda = {b.lam:.4g}", (x0, 1.0), xytext=(4, -4), textcoords="offset points",
                    fontsize=8, va="top", color="0.35")
        for arm in b.arms:
            sa = np.asarray(arm.lambdas, dtype=float)
            sa = sa / (1 + sa)
            target = _arm_target(game, branch, arm)
            for n, (i, a, _) in enumerate(lines):
                ys = np.array([p[i][a] for p in arm.profiles])
                ax.plot(sa, ys, color=COLOURS[n % len(COLOURS)], lw=1.2, ls="--", alpha=0.8)
            ax.annotate(f"arm -> {target}", (sa[-1], float(arm.profiles[-1][lines[0][0]][lines[0][1]])),
                        xytext=(-6, 6 if arm.profiles[-1][lines[0][0]][lines[0][1]] < 0.5 else -12),
                        textcoords="offset points", ha="right", fontsize=8, color="0.3")
    if branch.bifurcations:
        ax.plot([], [], color="0.4", lw=1.2, ls="--", label="other arms of the bifurcation")
    for n, lam_at in enumerate(branch.at):
        ax.axvline(lam_at / (1 + lam_at), color="#C44E52", ls="--", lw=0.8,
                   label="requested lambda" if n == 0 else None)
    ticks = [0, 0.5, 1, 2, 5, 10]
    ax.set_xticks([t / (1 + t) for t in ticks] + [1.0])
    ax.set_xticklabels([str(t) for t in ticks] + ["Nash\nlimit"])
    ax.set_xlim(0, 1.0)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("lambda, the precision of the logit response (axis: lambda / (1 + lambda))")
    ax.set_ylabel("probability")
    sel = branch.describe()
    title = f"{game.title or 'game'}: principal branch of logit QRE, {sel}"
    if not branch.unique:
        title += "\n(not unique: the branch meets a bifurcation; dashed arms lead to other equilibria)"
    ax.set_title(title, fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    if fig is not None and path is not None:
        save(fig, path)
    return ax


def _arm_target(game: Any, branch: Any, arm: Any) -> str:
    if arm.equilibrium is not None:
        return equilibrium_text(game, branch.equilibria[arm.equilibrium])
    return equilibrium_text(game, arm.limit)


def plot_basins_sweep(sweep: Any, path: str | None = None, *, ax: Any = None) -> Any:
    """The share of starts reaching each outcome against the varied parameter, with the line share = 1/2.

    Outcomes reached from no start anywhere on the grid are left out.
    """
    import numpy as np

    plt = pyplot()
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(8.5, 4.6))
    xs = np.array([float(v) for v in sweep.values])
    for n, key in enumerate(sweep.keys()):
        shares = sweep.shares(key)
        if not shares.any():  # an equilibrium no start reaches (e.g. a saddle)
            continue
        colour = "0.6" if key in ("cycle", "rest-point", "did-not-settle") else COLOURS[n % len(COLOURS)]
        ax.plot(xs, shares, color=colour, lw=2, marker="o", ms=3, label=key)
    ax.axhline(0.5, color="0.5", ls=":", lw=1, label="one half")
    ax.set_xlabel(sweep.parameter)
    ax.set_ylabel("share of starting points")
    ax.set_ylim(-0.02, 1.02)
    where = "the line" if sweep.populations == "one" and sweep.game.shape[0] == 2 else \
        "the simplex" if sweep.populations == "one" else "the unit square"
    ax.set_title(f"{sweep.game.title or 'game'}: basins of {sweep.rule} dynamics "
                 f"({len(sweep.results[0].starts)} starts on {where}) as {sweep.parameter} moves", fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    if fig is not None and path is not None:
        save(fig, path)
    return ax
