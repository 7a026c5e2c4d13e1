"""The game file format: from plain data to a :class:`~gametheory.model.Game` and back.

The format is specified in ``docs/reference/format.md`` (and as a JSON Schema in
``gametheory/formats/schema.json``).  :func:`build_game` checks a document and
reports *every* problem it finds, each naming the file, the line and the key,
before any payoff is evaluated; :func:`game_to_data` writes a game back in the
canonical form (one payoff array per player), keeping expressions as text.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from .. import expressions as ex
from ..errors import ExpressionError, GameError, GameFileError, Problem
from ..model.game import (
    MAX_PLAYERS,
    MAX_PROFILES,
    MAX_STRATEGIES,
    Game,
    Parameter,
    Repeated,
    Source,
    _unknown,
    define_order,
)
from .source import Word, source_text

TOP_LEVEL_KEYS = (
    "title",
    "description",
    "references",
    "tags",
    "parameters",
    "define",
    "players",
    "payoffs",
    "symmetric",
    "default",
    "scenarios",
    "repeated",
    "expected",
    "notes",
    "$schema",
)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _Checker:
    """Collects problems with their lines while a document is read."""

    def __init__(self, source: Source):
        self.source = source
        self.problems: list[Problem] = []

    def error(self, path: tuple, message: str) -> None:
        self.problems.append(self.source.problem(path, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise GameFileError(self.problems)


def _kind(value: Any) -> str:
    if isinstance(value, Word):
        return "a boolean" if isinstance(value.value, bool) else "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, Fraction)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def _is_null(value: Any) -> bool:
    return value is None or (isinstance(value, Word) and value.value is None)


def _text(ck: _Checker, value: Any, path: tuple, default: str = "") -> str:
    if _is_null(value):
        return default
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        return source_text(value)
    ck.error(path, f"expected text, found {_kind(value)}")
    return default


def _text_list(ck: _Checker, value: Any, path: tuple) -> list[str]:
    if _is_null(value):
        return []
    if isinstance(value, str):
        return [str(value)]
    if not isinstance(value, list):
        ck.error(path, f"expected a list of text, found {_kind(value)}")
        return []
    return [_text(ck, v, path + (i,)) for i, v in enumerate(value)]


def _bool(ck: _Checker, value: Any, path: tuple) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, Word) and isinstance(value.value, bool):
        return value.value
    ck.error(path, f"expected true or false, found {_kind(value)}")
    return False


def _expr(ck: _Checker, value: Any, path: tuple) -> ex.Expr | None:
    """Parse a number or expression; report a problem and return None if it is bad."""
    if isinstance(value, Word) or isinstance(value, bool):
        ck.error(path, f"expected a number or an expression, found {_kind(value)} ({source_text(value)!r})")
        return None
    if isinstance(value, Fraction):
        return ex.Num(value)
    if isinstance(value, str):
        try:
            return ex.parse(str(value))
        except ExpressionError as e:
            where = f" at character {e.position + 1}" if e.position is not None else ""
            ck.error(path, f"bad expression {_short(value)}: {e}{where}")
            return None
    ck.error(path, f"expected a number or an expression, found {_kind(value)}")
    return None


def _short(text: str, n: int = 40) -> str:
    text = str(text)
    return repr(text if len(text) <= n else text[: n - 3] + "...")


def _constant(ck: _Checker, value: Any, path: tuple) -> Any:
    """A constant exact number (an expression without names)."""
    e = _expr(ck, value, path)
    if e is None:
        return None
    used = ex.names(e)
    if used:
        ck.error(path, f"must be a number, not an expression of {', '.join(sorted(used))}")
        return None
    try:
        value = ex.evaluate(e, {})
        ex.to_float(value)
        return value
    except ExpressionError as err:
        ck.error(path, str(err))
        return None


def _check_name(ck: _Checker, name: str, path: tuple, what: str) -> bool:
    if not _NAME.match(name):
        ck.error(path, f"{what} name {name!r} must be a name like x, delta or cost_1")
        return False
    if name in ex.FUNCTIONS:
        ck.error(path, f"{what} name {name!r} is a function name")
        return False
    return True


def build_game(data: Any, lines: dict[tuple, int], filename: str | None, values: dict | None = None) -> Game:
    """Check a parsed game document and build the :class:`Game`.

    ``values`` overrides parameter values (the CLI's ``--set``).  Raises
    :class:`GameFileError` listing every problem found.
    """
    source = Source(filename, lines, {})
    ck = _Checker(source)
    if not isinstance(data, dict):
        ck.error((), f"a game file must be a mapping of keys (title, players, payoffs, ...), found {_kind(data)}")
        ck.raise_if_any()
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            ck.error((key,), _unknown("key", key, TOP_LEVEL_KEYS))

    title = _text(ck, data.get("title"), ("title",))
    description = _text(ck, data.get("description"), ("description",))
    references = _text_list(ck, data.get("references"), ("references",))
    tags = _text_list(ck, data.get("tags"), ("tags",))

    parameters = _parameters(ck, data.get("parameters"))
    define = _define(ck, data.get("define"), parameters)
    known = set(parameters) | set(define)
    players, strategies = _players(ck, data.get("players"))
    symmetric = _bool(ck, data["symmetric"], ("symmetric",)) if "symmetric" in data else False
    scenarios = _scenarios(ck, data.get("scenarios"), parameters)
    repeated = _repeated(ck, data.get("repeated"), known)
    if "payoffs" not in data:
        ck.error((), "missing key 'payoffs'")
    if not players or "payoffs" not in data or len(ck.problems) and any(
        p.key and p.key.startswith("players") for p in ck.problems
    ):
        ck.raise_if_any()
    exprs = _payoffs(ck, data, players, strategies, symmetric, known)
    ck.raise_if_any()

    if values:
        for name in values:
            if name not in parameters:
                raise GameFileError(
                    Problem(f"--set: {_unknown('parameter', name, parameters)}", file=filename)
                )
    game = Game(
        players,
        strategies,
        exprs,
        parameters=parameters,
        define=define,
        values=values,
        title=title,
        description=description,
        references=references,
        tags=tags,
        scenarios=scenarios,
        repeated=repeated,
        symmetric=symmetric,
        source=source,
    )
    check_repeated(game)
    return game


def check_repeated(game: Game) -> None:
    """The discount factor and detection probability must be probabilities at the game's values."""
    if game.repeated is None:
        return
    ck = _Checker(game.source)
    try:
        vals = game.repeated_values()
    except ExpressionError as e:
        ck.error(("repeated",), str(e))
        ck.raise_if_any()
    d = vals.get("discount")
    if d is not None:
        finite = game.repeated.horizon is not None
        if not (0 <= d <= 1) or (not finite and d == 1):
            bound = "0 <= discount <= 1" if finite else "0 <= discount < 1"
            ck.error(("repeated", "discount"), f"must satisfy {bound}, found {ex.exact_text(d)}{game._at()}")
    p = vals.get("detection")
    if p is not None and not (0 <= p <= 1):
        ck.error(
            ("repeated", "monitoring", "detection"),
            f"must be a probability in [0, 1], found {ex.exact_text(p)}{game._at()}",
        )
    ck.raise_if_any()


def _parameters(ck: _Checker, value: Any) -> dict[str, Parameter]:
    out: dict[str, Parameter] = {}
    if _is_null(value):
        return out
    if not isinstance(value, dict):
        ck.error(("parameters",), f"expected a mapping of parameter names, found {_kind(value)}")
        return out
    for name, spec in value.items():
        path = ("parameters", name)
        if not _check_name(ck, name, path, "parameter"):
            continue
        rng = None
        desc = ""
        if isinstance(spec, dict):
            for k in spec:
                if k not in ("value", "range", "description"):
                    ck.error(path + (k,), _unknown("key", k, ("value", "range", "description")))
            if "value" not in spec:
                ck.error(path, "missing key 'value'")
                continue
            val = _constant(ck, spec["value"], path + ("value",))
            desc = _text(ck, spec.get("description"), path + ("description",))
            if "range" in spec:
                r = spec["range"]
                if not isinstance(r, list) or len(r) != 2:
                    ck.error(path + ("range",), "expected [low, high]")
                else:
                    lo = _constant(ck, r[0], path + ("range", 0))
                    hi = _constant(ck, r[1], path + ("range", 1))
                    if lo is not None and hi is not None:
                        if not lo < hi:
                            ck.error(path + ("range",), "low must be below high")
                        rng = (lo, hi)
        else:
            val = _constant(ck, spec, path)
        if val is not None:
            out[name] = Parameter(name, val, rng, desc)
    return out


def _define(ck: _Checker, value: Any, parameters: dict) -> dict[str, ex.Expr]:
    out: dict[str, ex.Expr] = {}
    if _is_null(value):
        return out
    if not isinstance(value, dict):
        ck.error(("define",), f"expected a mapping of names to expressions, found {_kind(value)}")
        return out
    for name, spec in value.items():
        path = ("define", name)
        if not _check_name(ck, name, path, "defined"):
            continue
        if name in parameters:
            ck.error(path, f"{name!r} is already a parameter")
            continue
        e = _expr(ck, spec, path)
        if e is not None:
            out[name] = e
    known = set(parameters) | set(out)
    for name, e in out.items():
        for used in sorted(ex.names(e) - known):
            ck.error(("define", name), _unknown("name", used, sorted(known)))
    try:
        define_order(out)
    except GameError as e:
        ck.error(("define",), str(e).removeprefix("define: "))
    return out


def _players(ck: _Checker, value: Any) -> tuple[list[str], list[list[str]]]:
    players: list[str] = []
    strategies: list[list[str]] = []
    if value is None:
        ck.error((), "missing key 'players'")
        return players, strategies
    if not isinstance(value, dict) or not value:
        ck.error(("players",), "expected a mapping of player names to their strategies")
        return players, strategies
    if len(value) > MAX_PLAYERS:
        ck.error(("players",), f"{len(value)} players is beyond the limit of {MAX_PLAYERS}")
        return players, strategies
    for name, strats in value.items():
        path = ("players", name)
        if isinstance(strats, (int, Fraction)) and not isinstance(strats, bool):
            n = int(strats) if Fraction(strats).denominator == 1 else 0
            if n < 1 or n > MAX_STRATEGIES:
                ck.error(path, f"number of strategies must be between 1 and {MAX_STRATEGIES}")
                continue
            names = [str(k + 1) for k in range(n)]
        elif isinstance(strats, list):
            if not strats:
                ck.error(path, "a player needs at least one strategy")
                continue
            if len(strats) > MAX_STRATEGIES:
                ck.error(path, f"{len(strats)} strategies is beyond the limit of {MAX_STRATEGIES}")
                continue
            names = []
            for i, s in enumerate(strats):
                if isinstance(s, (dict, list)) or s is None:
                    ck.error(path + (i,), f"a strategy name must be text, found {_kind(s)}")
                    continue
                s = source_text(s)
                if not s.strip():
                    ck.error(path + (i,), "empty strategy name")
                elif s in names:
                    ck.error(path + (i,), f"duplicate strategy {s!r} of player {name!r}")
                names.append(s)
        else:
            ck.error(path, f"expected a list of strategy names, found {_kind(strats)}")
            continue
        players.append(str(name))
        strategies.append(names)
    total = 1
    for s in strategies:
        total *= len(s)
    if total > MAX_PROFILES:
        ck.error(("players",), f"{total} strategy profiles is beyond the limit of {MAX_PROFILES}")
    return players, strategies


def _scenarios(ck: _Checker, value: Any, parameters: dict) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    if _is_null(value):
        return out
    if not isinstance(value, dict):
        ck.error(("scenarios",), "expected a mapping of scenario names to parameter values")
        return out
    for name, spec in value.items():
        path = ("scenarios", name)
        if not isinstance(spec, dict):
            ck.error(path, "expected a mapping of parameter names to values")
            continue
        vals = {}
        for p, v in spec.items():
            if p not in parameters:
                ck.error(path + (p,), _unknown("parameter", p, parameters))
                continue
            c = _constant(ck, v, path + (p,))
            if c is not None:
                vals[p] = c
        out[str(name)] = vals
    return out


def _repeated(ck: _Checker, value: Any, known: set[str]) -> Repeated | None:
    if _is_null(value):
        return None
    path = ("repeated",)
    if not isinstance(value, dict):
        ck.error(path, "expected a mapping with discount, horizon and monitoring")
        return None
    allowed = ("discount", "horizon", "monitoring")
    for k in value:
        if k not in allowed:
            ck.error(path + (k,), _unknown("key", k, allowed))

    def expr_of(v: Any, p: tuple) -> ex.Expr | None:
        e = _expr(ck, v, p)
        if e is not None:
            for used in sorted(ex.names(e) - known):
                ck.error(p, _unknown("name", used, sorted(known)))
        return e

    discount = expr_of(value["discount"], path + ("discount",)) if "discount" in value else None
    horizon = None
    h = value.get("horizon", "infinite")
    if isinstance(h, str) and not isinstance(h, Word) and h.strip().lower() in ("infinite", "inf", "infinity"):
        horizon = None
    elif isinstance(h, Fraction) and h.denominator == 1 and 1 <= h <= 10**9:
        horizon = int(h)
    else:
        ck.error(path + ("horizon",), f"expected a whole number of rounds or 'infinite', found {str(h)!r}")
    detection = None
    mon = value.get("monitoring")
    if not _is_null(mon):
        if not isinstance(mon, dict):
            ck.error(path + ("monitoring",), "expected a mapping with 'detection'")
        else:
            for k in mon:
                if k != "detection":
                    ck.error(path + ("monitoring", k), _unknown("key", k, ("detection",)))
            if "detection" in mon:
                detection = expr_of(mon["detection"], path + ("monitoring", "detection"))
    return Repeated(discount=discount, horizon=horizon, detection=detection)


def _payoffs(
    ck: _Checker,
    data: dict,
    players: list[str],
    strategies: list[list[str]],
    symmetric: bool,
    known: set[str],
):
    import numpy as np

    n = len(players)
    shape = tuple(len(s) for s in strategies)
    exprs = np.empty((n,) + shape, dtype=object)
    value = data["payoffs"]

    def entry(v: Any, path: tuple) -> ex.Expr | None:
        e = _expr(ck, v, path)
        if e is not None:
            for used in sorted(ex.names(e) - known):
                ck.error(path, _unknown("name", used, sorted(known)))
        return e

    default = None
    if "default" in data:
        if symmetric or not isinstance(value, list):
            ck.error(("default",), "'default' applies only to payoffs given as a list of outcomes")
        else:
            default = entry(data["default"], ("default",))

    def nested(v: Any, path: tuple, dims: tuple, out: Any, index: tuple) -> None:
        """Read a nested list of the given dimensions into ``out[index + ...]``."""
        if not dims:
            out[index] = entry(v, path)
            return
        if not isinstance(v, list):
            ck.error(path, f"expected a list of {_entries(dims[0])}, found {_kind(v)}")
            return
        if len(v) != dims[0]:
            hint = ""
            if any(isinstance(x, str) and x.count("(") != x.count(")") for x in v):
                hint = "; an expression with a comma, like max(a, b), must be quoted inside [ ]"
            ck.error(path, f"expected {_entries(dims[0])} (one per strategy), found {len(v)}{hint}")
            return
        for i, item in enumerate(v):
            nested(item, path + (i,), dims[1:], out, index + (i,))

    if symmetric:
        if n != 2 or shape[0] != shape[1]:
            ck.error(("symmetric",), "the symmetric shortcut needs two players with the same number of strategies")
            return exprs
        if not isinstance(value, list):
            ck.error(("payoffs",), "with symmetric: true, payoffs is the row player's matrix (a list of rows)")
            return exprs
        nested(value, ("payoffs",), shape, exprs, (0,))
        exprs[1] = exprs[0].T
        for r in range(shape[0]):
            for c in range(shape[1]):
                ck.source.payoff_paths[(0, r, c)] = ("payoffs", r, c)
                ck.source.payoff_paths[(1, c, r)] = ("payoffs", r, c)
        return exprs

    if isinstance(value, dict):
        for p in value:
            if p not in players:
                ck.error(("payoffs", p), _unknown("player", p, players))
        for i, p in enumerate(players):
            if p not in value:
                ck.error(("payoffs",), f"no payoffs for player {p!r}")
                continue
            nested(value[p], ("payoffs", p), shape, exprs, (i,))
        return exprs

    if isinstance(value, list):
        seen: dict[tuple, int] = {}
        for k, item in enumerate(value):
            path = ("payoffs", k)
            if not isinstance(item, dict):
                ck.error(path, "expected {profile: [...], payoffs: [...]}")
                continue
            for key in item:
                if key not in ("profile", "payoffs"):
                    ck.error(path + (key,), _unknown("key", key, ("profile", "payoffs")))
            if "profile" not in item or "payoffs" not in item:
                ck.error(path, "each outcome needs 'profile' and 'payoffs'")
                continue
            prof = _profile(ck, item["profile"], path + ("profile",), players, strategies)
            vals = _outcome_values(ck, item["payoffs"], path + ("payoffs",), players)
            if prof is None or vals is None:
                continue
            if prof in seen:
                names = ", ".join(strategies[i][s] for i, s in enumerate(prof))
                ck.error(path + ("profile",), f"profile ({names}) is repeated (first given in outcome {seen[prof] + 1})")
                continue
            seen[prof] = k
            for i, v in enumerate(vals):
                exprs[(i,) + prof] = entry(v, path + ("payoffs", players[i]))
                ck.source.payoff_paths[(i,) + prof] = path + ("payoffs", players[i])
        if len(seen) < int(np.prod(shape)):
            missing = [p for p in np.ndindex(*shape) if p not in seen]
            if default is None:
                first = ", ".join(strategies[i][s] for i, s in enumerate(missing[0]))
                more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
                ck.error(("payoffs",), f"missing profile ({first}){more}; give it, or a top-level 'default'")
            else:
                for p in missing:
                    for i in range(n):
                        exprs[(i,) + p] = default
                        ck.source.payoff_paths[(i,) + p] = ("default",)
        return exprs

    ck.error(("payoffs",), f"expected a mapping of players to arrays, or a list of outcomes, found {_kind(value)}")
    return exprs


def _entries(n: int) -> str:
    return f"{n} entr{'y' if n == 1 else 'ies'}"


def _profile(ck, value, path, players, strategies) -> tuple | None:
    n = len(players)
    if isinstance(value, dict):
        for p in value:
            if p not in players:
                ck.error(path + (p,), _unknown("player", p, players))
                return None
        missing = [p for p in players if p not in value]
        if missing:
            ck.error(path, f"no strategy given for {', '.join(missing)}")
            return None
        items = [value[p] for p in players]
    elif isinstance(value, list):
        if len(value) != n:
            ck.error(path, f"expected {n} strategies (one per player), found {len(value)}")
            return None
        items = value
    else:
        ck.error(path, f"expected a list of strategies, found {_kind(value)}")
        return None
    out = []
    for i, s in enumerate(items):
        s = source_text(s)
        if s not in strategies[i]:
            ck.error(path, _unknown(f"strategy of {players[i]}", s, strategies[i]))
            return None
        out.append(strategies[i].index(s))
    return tuple(out)


def _outcome_values(ck, value, path, players) -> list | None:
    if isinstance(value, dict):
        for p in value:
            if p not in players:
                ck.error(path + (p,), _unknown("player", p, players))
                return None
        missing = [p for p in players if p not in value]
        if missing:
            ck.error(path, f"no payoff given for {', '.join(missing)}")
            return None
        return [value[p] for p in players]
    if isinstance(value, list):
        if len(value) != len(players):
            ck.error(path, f"expected {len(players)} payoffs (one per player), found {len(value)}")
            return None
        return value
    ck.error(path, f"expected a list of payoffs, found {_kind(value)}")
    return None


# ---------------------------------------------------------------------------
# Writing


def _number_out(value: Any) -> Any:
    """An exact number as a file value: int, a float whose text is exact, or ``"p/q"``."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return int(value)
        f = float(value)
        if Fraction(repr(f)) == value:
            return f
        return f"{value.numerator}/{value.denominator}"
    return ex.exact_text(value)


def _expr_out(e: ex.Expr) -> Any:
    if isinstance(e, ex.Num):
        return _number_out(e.value)
    return ex.to_text(e)


def game_to_data(game: Game) -> dict[str, Any]:
    """The canonical document of a game (per-player payoff arrays; expressions as text)."""
    data: dict[str, Any] = {}
    if game.title:
        data["title"] = game.title
    if game.description:
        data["description"] = game.description
    if game.references:
        data["references"] = list(game.references)
    if game.tags:
        data["tags"] = list(game.tags)
    if game.parameters:
        params: dict[str, Any] = {}
        for name, p in game.parameters.items():
            val = _number_out(game.values.get(name, p.value))
            if p.range is None and not p.description:
                params[name] = val
            else:
                spec: dict[str, Any] = {"value": val}
                if p.range is not None:
                    spec["range"] = [_number_out(p.range[0]), _number_out(p.range[1])]
                if p.description:
                    spec["description"] = p.description
                params[name] = spec
        data["parameters"] = params
    if game.define:
        data["define"] = {k: _expr_out(v) for k, v in game.define.items()}
    data["players"] = {p: list(s) for p, s in zip(game.players, game.strategies)}
    data["payoffs"] = {p: _nested_out(game.payoff_expressions[i]) for i, p in enumerate(game.players)}
    if game.scenarios:
        data["scenarios"] = {k: {p: _number_out(v) for p, v in s.items()} for k, s in game.scenarios.items()}
    if game.repeated is not None:
        r = game.repeated
        rep: dict[str, Any] = {}
        if r.discount is not None:
            rep["discount"] = _expr_out(r.discount)
        rep["horizon"] = "infinite" if r.horizon is None else r.horizon
        if r.detection is not None:
            rep["monitoring"] = {"detection": _expr_out(r.detection)}
        data["repeated"] = rep
    return data


def _nested_out(arr: Any) -> Any:
    if getattr(arr, "ndim", 0) == 0:
        return _expr_out(arr[()] if hasattr(arr, "shape") else arr)
    return [_nested_out(sub) for sub in arr]
