"""The N-player normal-form game.

A :class:`Game` has named players, named strategies and, for every profile of
strategies, one payoff per player.  Payoffs are held three ways:

* as parsed expressions of the parameters (:attr:`Game.payoff_expressions`),
  which is what the file said;
* exactly, at the current parameter values (:attr:`Game.payoffs`): an object
  array of :class:`fractions.Fraction` (or sympy numbers where a payoff is
  irrational, e.g. ``sqrt(2)``);
* as floats (:attr:`Game.payoff_array`), the fast view that solvers use.

Arrays are indexed ``[player, s_1, ..., s_N]``: ``game.payoff_array[i]`` is
player ``i``'s payoff tensor, with player ``j``'s strategy on axis ``j``.
A parameterised game is a concrete game at its parameters' current values;
:meth:`Game.with_parameters` gives the game at other values.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterable, Mapping, Sequence

from .. import expressions as ex
from ..errors import ExpressionError, GameError, GameFileError, Problem

MAX_PLAYERS = 16
MAX_STRATEGIES = 1000
MAX_PROFILES = 1_000_000


@dataclass(frozen=True)
class Parameter:
    """A named parameter: its default value, an optional range and a description."""

    name: str
    value: Any  # exact (Fraction, or a sympy number)
    range: tuple[Any, Any] | None = None
    description: str = ""


@dataclass(frozen=True)
class Repeated:
    """The ``repeated:`` section: how the stage game is repeated.

    ``discount`` and ``detection`` are expressions of the parameters (or None
    when not given); ``horizon`` is a number of rounds, or None for infinite.
    """

    discount: ex.Expr | None = None
    horizon: int | None = None
    detection: ex.Expr | None = None


@dataclass(frozen=True)
class Source:
    """Where a game came from, so that errors found later can name the line."""

    file: str | None = None
    lines: Mapping[tuple, int] = field(default_factory=dict)
    payoff_paths: Mapping[tuple, tuple] = field(default_factory=dict)  # payoff index -> key path

    def problem(self, path: tuple, message: str) -> Problem:
        """A :class:`Problem` at ``path`` (a key path such as ``("payoffs", "NATO", 0, 1)``)."""
        line = None
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.lines:
                line = self.lines[path[:cut]]
                break
        return Problem(message, file=self.file, line=line, key=key_text(path))


def key_text(path: Sequence[Any]) -> str:
    """``("payoffs", "NATO", 0, 1)`` -> ``"payoffs.NATO[0][1]"``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def exact_number(value: Any) -> Any:
    """An exact number from an int, Fraction, decimal text, float (by its repr) or sympy number."""
    if isinstance(value, bool):
        raise GameError("expected a number, found a boolean")
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value))
    if isinstance(value, str):
        return ex.evaluate(ex.parse(value), {})
    if hasattr(value, "is_number") and value.is_number:
        return ex._from_sym(value)
    try:  # Decimal, numpy scalars
        return Fraction(str(value))
    except (TypeError, ValueError):
        raise GameError(f"expected a number, found {value!r}") from None


class Game:
    """An N-player normal-form game with named players and strategies.

    Build one from a file with :func:`gametheory.load`, or from arrays with
    :meth:`Game.from_arrays`.
    """

    def __init__(
        self,
        players: Sequence[str],
        strategies: Sequence[Sequence[str]],
        payoff_expressions: Any,
        *,
        parameters: Mapping[str, Parameter] | None = None,
        define: Mapping[str, ex.Expr] | None = None,
        values: Mapping[str, Any] | None = None,
        title: str = "",
        description: str = "",
        references: Sequence[str] = (),
        tags: Sequence[str] = (),
        scenarios: Mapping[str, Mapping[str, Any]] | None = None,
        repeated: Repeated | None = None,
        symmetric: bool = False,
        source: Source | None = None,
    ):
        import numpy as np

        self.players = tuple(str(p) for p in players)
        self.strategies = tuple(tuple(str(s) for s in ss) for ss in strategies)
        if len(self.players) != len(self.strategies):
            raise GameError("one strategy list is needed per player")
        if len(set(self.players)) != len(self.players):
            raise GameError("player names must be distinct")
        for p, ss in zip(self.players, self.strategies):
            if not ss:
                raise GameError(f"player {p!r} has no strategies")
            if len(set(ss)) != len(ss):
                raise GameError(f"player {p!r} has duplicate strategy names")
        exprs = np.empty((len(self.players),) + self.shape, dtype=object)
        given = np.asarray(payoff_expressions, dtype=object)
        if given.shape != exprs.shape:
            raise GameError(f"payoffs have shape {given.shape}, expected {exprs.shape}")
        for idx, val in np.ndenumerate(given):
            exprs[idx] = val if isinstance(val, (ex.Num, ex.Name, ex.Neg, ex.BinOp, ex.Call)) else ex.parse(val)
        exprs.flags.writeable = False
        self.payoff_expressions = exprs
        self.parameters: dict[str, Parameter] = dict(parameters or {})
        self.define: dict[str, ex.Expr] = dict(define or {})
        self.title = title or ""
        self.description = description or ""
        self.references = tuple(references)
        self.tags = tuple(tags)
        self.scenarios = {k: dict(v) for k, v in (scenarios or {}).items()}
        self.repeated = repeated
        self.symmetric_declared = symmetric
        self.source = source or Source()
        base = {name: p.value for name, p in self.parameters.items()}
        if values:
            for name, val in values.items():
                if name not in self.parameters:
                    raise GameError(_unknown("parameter", name, self.parameters))
                base[name] = exact_number(val)
        self.values: dict[str, Any] = base
        self._evaluate()

    # -- construction -----------------------------------------------------------

    @classmethod
    def from_arrays(
        cls,
        *arrays: Any,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        **meta: Any,
    ) -> "Game":
        """A game from one payoff array per player (``Game.from_arrays(A, B)``).

        Entries may be ints, Fractions, floats (read by their shortest repr, so
        ``0.1`` is 1/10) or expression strings (with ``parameters=``).  A single
        array of shape ``(N, n_1, ..., n_N)`` is accepted too.  Players default
        to ``Player 1, ...`` and strategies to ``1, 2, ...``.
        """
        import numpy as np

        if len(arrays) == 1:
            stacked = np.asarray(arrays[0], dtype=object)
            if stacked.ndim >= 2 and stacked.shape[0] == stacked.ndim - 1:
                arrays = tuple(stacked)
        mats = [np.asarray(a, dtype=object) for a in arrays]
        n = len(mats)
        if n == 0:
            raise GameError("a game needs at least one player")
        shape = mats[0].shape
        if len(shape) != n or any(m.shape != shape for m in mats):
            raise GameError(f"expected {n} arrays of {n} dimensions and the same shape")
        players = list(players) if players is not None else [f"Player {i + 1}" for i in range(n)]
        if strategies is None:
            strategies = [[str(k + 1) for k in range(size)] for size in shape]
        exprs = np.empty((n,) + shape, dtype=object)
        for i, m in enumerate(mats):
            for idx, val in np.ndenumerate(m):
                exprs[(i,) + idx] = _to_expr(val)
        params = meta.pop("parameters", None)
        if params is not None:
            params = {
                k: v if isinstance(v, Parameter) else Parameter(k, exact_number(v)) for k, v in params.items()
            }
        return cls(players, strategies, exprs, parameters=params, **meta)

    def with_parameters(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> "Game":
        """The same game at other parameter values (``game.with_parameters(g=1)``)."""
        merged = dict(self.values)
        for name, val in {**(values or {}), **kwargs}.items():
            if name not in self.parameters:
                raise GameError(_unknown("parameter", name, self.parameters))
            merged[name] = exact_number(val)
        return self._clone(values=merged)

    def _clone(self, **changes: Any) -> "Game":
        kw = dict(
            parameters=self.parameters,
            define=self.define,
            values=self.values,
            title=self.title,
            description=self.description,
            references=self.references,
            tags=self.tags,
            scenarios=self.scenarios,
            repeated=self.repeated,
            symmetric=self.symmetric_declared,
            source=self.source,
        )
        kw.update(changes)
        return Game(self.players, self.strategies, self.payoff_expressions, **kw)

    # -- evaluation -------------------------------------------------------------

    def _evaluate(self) -> None:
        import numpy as np

        problems: list[Problem] = []
        env = dict(self.values)
        define_problems: dict[str, Problem] = {}
        for name in define_order(self.define):
            if any(env.get(dep, 0) is None for dep in ex.names(self.define[name])):
                env[name] = None  # depends on a name that already failed
                continue
            try:
                env[name] = ex.evaluate(self.define[name], env)
            except ExpressionError as e:
                define_problems[name] = self.source.problem(("define", name), f"{e}{self._at()}")
                env[name] = None
        if define_problems:
            # a defined name that cannot be evaluated here is an error only where it is used
            used = self.names_used(list(set(self.payoff_expressions.flat)) + self.repeated_expressions())
            problems.extend(p for name, p in define_problems.items() if name in used)
        self.environment = env
        exact = np.empty(self.payoff_expressions.shape, dtype=object)
        floats = np.empty(self.payoff_expressions.shape, dtype=float)
        memo: dict[ex.Expr, Any] = {}
        failed: set[ex.Expr] = set()
        for idx, expr in np.ndenumerate(self.payoff_expressions):
            try:
                if expr not in memo:
                    if any(env.get(nm, 0) is None for nm in ex.names(expr)):
                        failed.add(expr)  # the define's own problem is reported
                        continue
                    val = ex.evaluate(expr, env)
                    memo[expr] = (val, ex.to_float(val))
                exact[idx], floats[idx] = memo[expr]
            except ExpressionError as e:
                if expr not in failed and len(problems) < 20:
                    problems.append(self.source.problem(self.payoff_path(idx), f"{e}{self._at()}"))
                failed.add(expr)
        if problems:
            raise GameFileError(problems)
        exact.flags.writeable = False
        floats.flags.writeable = False
        self.payoffs = exact
        self.payoff_array = floats

    def _at(self) -> str:
        if not self.values:
            return ""
        return " at " + ", ".join(f"{k}={ex.exact_text(v)}" for k, v in self.values.items())

    def payoff_path(self, index: tuple) -> tuple:
        """The key path of one payoff entry, for error messages."""
        index = tuple(int(i) for i in index)
        if index in self.source.payoff_paths:
            return self.source.payoff_paths[index]
        return ("payoffs", self.players[index[0]]) + index[1:]

    def names_used(self, exprs: Iterable[ex.Expr]) -> set[str]:
        """Every parameter and defined name the expressions use, directly or through ``define``."""
        used: set[str] = set()
        for e in exprs:
            used |= ex.names(e)
        stack = list(used)
        while stack:
            name = stack.pop()
            if name in self.define:
                for dep in ex.names(self.define[name]) - used:
                    used.add(dep)
                    stack.append(dep)
        return used

    def repeated_expressions(self) -> list[ex.Expr]:
        """The expressions of the ``repeated:`` section (discount, detection) that the file gives."""
        if self.repeated is None:
            return []
        return [e for e in (self.repeated.discount, self.repeated.detection) if e is not None]

    # -- shape and names --------------------------------------------------------

    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies of each player."""
        return tuple(len(s) for s in self.strategies)

    @property
    def n_profiles(self) -> int:
        out = 1
        for n in self.shape:
            out *= n
        return out

    @property
    def is_parameterised(self) -> bool:
        return bool(self.parameters)

    @property
    def is_rational(self) -> bool:
        """True when every payoff is a rational number (exact solvers apply)."""
        return all(isinstance(v, Fraction) for v in self.payoffs.flat)

    def player_index(self, player: str | int) -> int:
        if isinstance(player, int):
            return player
        try:
            return self.players.index(player)
        except ValueError:
            raise GameError(_unknown("player", player, self.players)) from None

    def strategy_index(self, player: str | int, strategy: str | int) -> int:
        i = self.player_index(player)
        if isinstance(strategy, int):
            return strategy
        try:
            return self.strategies[i].index(strategy)
        except ValueError:
            raise GameError(_unknown(f"strategy of {self.players[i]}", strategy, self.strategies[i])) from None

    def profiles(self) -> Iterable[tuple[int, ...]]:
        """Every pure profile, as index tuples, player 1's strategy slowest."""
        return itertools.product(*(range(n) for n in self.shape))

    def is_symmetric(self) -> bool:
        """A two-player game where B is A transposed (same strategy names not required)."""
        if self.n_players != 2 or self.shape[0] != self.shape[1]:
            return False
        a, b = self.payoffs
        return all(a[i, j] == b[j, i] for i in range(self.shape[0]) for j in range(self.shape[1]))

    # -- symbolic views ---------------------------------------------------------

    def expanded_expressions(self) -> Any:
        """Payoff expressions with ``define`` names replaced by their definitions."""
        import numpy as np

        full: dict[str, ex.Expr] = {}
        for name in define_order(self.define):
            full[name] = ex.substitute(self.define[name], full)
        out = np.empty(self.payoff_expressions.shape, dtype=object)
        for idx, e in np.ndenumerate(self.payoff_expressions):
            out[idx] = ex.substitute(e, full)
        return out

    def symbolic_payoffs(self) -> Any:
        """Payoffs as sympy expressions of the parameters (object array)."""
        import numpy as np

        expanded = self.expanded_expressions()
        symbols: dict[str, Any] = {}
        out = np.empty(expanded.shape, dtype=object)
        for idx, e in np.ndenumerate(expanded):
            out[idx] = ex.to_sympy(e, symbols)
        return out

    def numeric_payoffs(self, **grids: Any) -> Any:
        """Payoffs evaluated over arrays of parameter values (vectorised).

        Parameters not given keep their current value.  Returns an array of
        shape ``grid_shape + (N, n_1, ..., n_N)``; undefined entries are nan.
        """
        import numpy as np

        env: dict[str, Any] = {k: float(v) for k, v in self.values.items()}
        for k, v in grids.items():
            if k not in self.parameters:
                raise GameError(_unknown("parameter", k, self.parameters))
            env[k] = np.asarray(v, dtype=float)
        grid_shape = np.broadcast_shapes(*[np.shape(v) for v in env.values()]) if env else ()
        for name in define_order(self.define):
            env[name] = ex.evaluate_numeric(self.define[name], env)
        out = np.empty(grid_shape + self.payoff_expressions.shape, dtype=float)
        memo: dict[ex.Expr, Any] = {}
        for idx, e in np.ndenumerate(self.payoff_expressions):
            if e not in memo:
                memo[e] = np.broadcast_to(ex.evaluate_numeric(e, env), grid_shape)
            out[(...,) + idx] = memo[e]
        return out

    def repeated_values(self) -> dict[str, Any]:
        """The ``repeated:`` section evaluated at the current parameter values."""
        if self.repeated is None:
            return {}
        out: dict[str, Any] = {"horizon": self.repeated.horizon}
        for key in ("discount", "detection"):
            e = getattr(self.repeated, key)
            out[key] = None if e is None else ex.evaluate(e, self.environment)
        return out

    # -- comparison and display -------------------------------------------------

    def same_payoffs(self, other: "Game") -> bool:
        """Same players, strategies and exact payoffs (metadata ignored)."""
        import numpy as np

        return (
            self.players == other.players
            and self.strategies == other.strategies
            and self.payoffs.shape == other.payoffs.shape
            and all(a == b for a, b in zip(self.payoffs.flat, other.payoffs.flat))
            and bool(np.all(np.isfinite(self.payoff_array)))
        )

    def __repr__(self) -> str:
        dims = " x ".join(str(n) for n in self.shape)
        title = f" {self.title!r}" if self.title else ""
        return f"<Game{title}: {self.n_players} players, {dims}>"

    def _repr_html_(self) -> str:
        """Jupyter: the payoff table with best responses marked, as ``show`` prints it."""
        from ..report.notebook import game_html

        return game_html(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Game):
            return NotImplemented
        return (
            self.same_payoffs(other)
            and _parameter_specs(self) == _parameter_specs(other)
            and self.define == other.define
            and all(a == b for a, b in zip(self.payoff_expressions.flat, other.payoff_expressions.flat))
            and self.values == other.values
            and self.repeated == other.repeated
            and self.scenarios == other.scenarios
        )

    __hash__ = None  # type: ignore[assignment]


def _parameter_specs(game: "Game") -> dict[str, tuple]:
    """Parameters without their file defaults (a game is compared at its current values)."""
    return {k: (p.range, p.description) for k, p in game.parameters.items()}


def _to_expr(val: Any) -> ex.Expr:
    if isinstance(val, (ex.Num, ex.Name, ex.Neg, ex.BinOp, ex.Call)):
        return val
    if isinstance(val, str):
        return ex.parse(val)
    return ex.Num(exact_number(val))


def define_order(define: Mapping[str, ex.Expr]) -> list[str]:
    """Defined names in an order where each comes after the names it uses.

    Raises :class:`GameError` on a cycle.
    """
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str, chain: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = chain[chain.index(name):] + [name]
            raise GameError("define: circular definition " + " -> ".join(cycle))
        state[name] = 1
        for dep in sorted(ex.names(define[name])):
            if dep in define:
                visit(dep, chain + [name])
        state[name] = 2
        order.append(name)

    for name in define:
        visit(name, [])
    return order


def _unknown(what: str, name: Any, known: Iterable[str]) -> str:
    import difflib

    known = list(known)
    folded = [k for k in known if str(k).lower() == str(name).lower()]
    hint = folded or difflib.get_close_matches(str(name), known, n=1)
    msg = f"unknown {what} {name!r}"
    if hint:
        msg += f" (did you mean {hint[0]!r}?)"
    elif known:
        msg += f" (known: {', '.join(map(str, known[:16]))})"
    return msg


__all__ = ["Game", "Parameter", "Repeated", "Source", "exact_number", "define_order", "key_text"]
