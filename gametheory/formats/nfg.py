"""Gambit's strategic-form ``.nfg`` format, version 1: reading and writing.

Gambit (https://www.gambit-project.org) stores a normal-form game as a short
header followed by the payoffs; see "The .nfg file format" in Gambit's
documentation (https://gambitproject.readthedocs.io/en/latest/formats.html).
A file looks like::

    NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"
    { "Player 1" "Player 2" } { 3 2 }
    ""

    1 1 0 2 0 2 1 1 0 3 2 0

* ``NFG 1`` then ``R`` or ``D`` (both mean the same here: every number is read
  as an exact rational), the title, and the players' names in braces;
* the strategies: either counts (``{ 3 2 }``, strategies labelled "1".."n") or
  one brace list of labels per player (``{ { "U" "D" } { "L" "R" } }``);
* an optional comment (a quoted string), which becomes ``Game.description``;
* the body, either N payoffs per strategy profile, or a brace list of outcomes
  (``{ "label" 1, 2 }``) followed by one outcome index per profile, where index
  0 is the null outcome (all payoffs zero).

Profiles are listed with **player 1's strategy changing fastest**, and within a
profile the players' payoffs in order.  With the payoff array laid out as
``payoffs[player, s_1, ..., s_N]`` the body is exactly ``payoffs.ravel(order="F")``.

Whitespace separates tokens and means nothing else; ``{``, ``}`` and ``,`` are
tokens on their own; strings may span lines and use ``\\"`` for a quote.
Numbers are ``-?D+``, ``-?D+.D*``, ``-?.D+``, with an optional exponent, or
``-?D+/D+``, all read exactly (``0.1`` is 1/10).

:func:`read_nfg` reads such text into a :class:`~gametheory.model.Game`, with
errors reported as ``file:line:column: message``; :func:`write_nfg` writes a
game with exact rational payoffs in either body style.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from typing import Any, NamedTuple

from ..errors import GameError, GameFileError, Problem
from ..model import Game
from ..model.game import MAX_PLAYERS, MAX_PROFILES, MAX_STRATEGIES

STYLES = ("payoffs", "outcomes")

#: Exponents beyond this size are refused, so that ``1e999999999`` cannot exhaust memory.
MAX_EXPONENT = 1000

_SPACE = re.compile(r"[ \t\n\r\v\f]*")
_WORD = re.compile(r'[^ \t\n\r\v\f{},"]+')
_NUMBER = re.compile(r"-?(?:\d+/\d+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE](?P<exp>[-+]?\d+))?)\Z")
_INTEGER = re.compile(r"\d+\Z")


# -- tokens --------------------------------------------------------------------


class Token(NamedTuple):
    """One token: its kind (``word``, ``text``, ``{``, ``}``, ``,`` or ``eof``), value and position."""

    kind: str
    value: str
    line: int
    column: int

    def describe(self) -> str:
        """The token as an error message shows it."""
        if self.kind == "eof":
            return "end of file"
        if self.kind == "text":
            return f'"{_shorten(self.value)}"'
        return f"'{_shorten(self.value)}'"


def _shorten(text: str, limit: int = 30) -> str:
    """``text`` on one line, cut to ``limit`` characters."""
    text = " ".join(text.split()) if ("\n" in text or "\r" in text) else text
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Lexer:
    """Splits .nfg text into tokens on demand, tracking line and column (both 1-based)."""

    def __init__(self, text: str, filename: str | None):
        self.text = text
        self.filename = filename
        self.pos = 1 if text.startswith("\ufeff") else 0
        self.line = 1
        self.line_start = self.pos
        self.end_of_last = (1, 1)

    def _advance(self, end: int) -> None:
        """Move to ``end``, counting the newlines passed."""
        newlines = self.text.count("\n", self.pos, end)
        if newlines:
            self.line += newlines
            self.line_start = self.text.rfind("\n", self.pos, end) + 1
        self.pos = end

    def _column(self) -> int:
        """The 1-based column of the current position."""
        return self.pos - self.line_start + 1

    def next(self) -> Token:
        """The next token; at the end, an ``eof`` token placed just after the last token."""
        self._advance(_SPACE.match(self.text, self.pos).end())
        if self.pos >= len(self.text):
            return Token("eof", "", *self.end_of_last)
        line, column = self.line, self._column()
        char = self.text[self.pos]
        if char in "{},":
            token, end = Token(char, char, line, column), self.pos + 1
        elif char == '"':
            end = self._string_end(line, column)
            value = self.text[self.pos + 1 : end - 1].replace('\\"', '"')
            token = Token("text", value, line, column)
        else:
            end = _WORD.match(self.text, self.pos).end()
            token = Token("word", self.text[self.pos : end], line, column)
        self._advance(end)
        self.end_of_last = (self.line, self._column())
        return token

    def _string_end(self, line: int, column: int) -> int:
        """The index just past the closing quote of the string that starts at ``self.pos``."""
        probe = self.pos + 1
        while True:
            close = self.text.find('"', probe)
            if close < 0:
                raise _error(self.filename, line, column, "unterminated string")
            if self.text[close - 1] != "\\":
                return close + 1
            probe = close + 1


def _error(filename: str | None, line: int, column: int, message: str) -> GameFileError:
    """A :class:`GameFileError` with one problem at ``line``:``column`` (to be raised by the caller)."""
    return GameFileError([Problem(message, file=filename, line=line, column=column)])


# -- reading -------------------------------------------------------------------


def read_nfg(text: str, filename: str | None = None) -> Game:
    """Read a game from the text of a Gambit ``.nfg`` file.

    ``filename`` is used only in error messages.  Raises
    :class:`~gametheory.errors.GameFileError` (``file:line:column: message``)
    on malformed input, and refuses files whose declared size exceeds the
    model's bounds before reading their payoffs.
    """
    return _Parser(text, filename).parse()


class _Parser:
    """A recursive-descent parser over :class:`_Lexer` tokens with one token of look-ahead."""

    def __init__(self, text: str, filename: str | None):
        self.filename = filename
        self.lexer = _Lexer(text, filename)
        self.ahead: Token | None = None
        self.known: dict[str, Fraction] = {}  # number text -> value, as payoffs repeat

    # token plumbing

    def peek(self) -> Token:
        """The next token, not consumed."""
        if self.ahead is None:
            self.ahead = self.lexer.next()
        return self.ahead

    def take(self) -> Token:
        """The next token, consumed."""
        token = self.peek()
        self.ahead = None
        return token

    def fail(self, token: Token, message: str) -> GameFileError:
        """An error at ``token`` (to be raised by the caller)."""
        return _error(self.filename, token.line, token.column, message)

    def expect(self, kind: str, what: str) -> Token:
        """Consume a token of ``kind``, or fail with "expected ``what``, found ..."."""
        token = self.take()
        if token.kind != kind:
            raise self.fail(token, f"expected {what}, found {token.describe()}")
        return token

    def number(self, token: Token, what: str) -> Fraction:
        """The exact value of a number token, or fail with "expected ``what``, found ..."."""
        value = self.known.get(token.value) if token.kind == "word" else None
        if value is None:
            if token.kind != "word" or not _NUMBER.match(token.value):
                raise self.fail(token, f"expected {what}, found {token.describe()}")
            value = self.known[token.value] = self.exact(token)
        return value

    def exact(self, token: Token) -> Fraction:
        """A number token (already known to be well formed) as a Fraction."""
        exponent = _NUMBER.match(token.value).group("exp")
        if exponent is not None and abs(int(exponent)) > MAX_EXPONENT:
            raise self.fail(token, f"exponent too large in {token.describe()}")
        try:
            return Fraction(token.value)
        except ZeroDivisionError:
            raise self.fail(token, f"division by zero in {token.describe()}") from None
        except ValueError:  # more digits than Python converts
            raise self.fail(token, f"number too long: {token.describe()}") from None

    # grammar

    def parse(self) -> Game:
        """``"NFG" "1" ("R"|"D") title players strategies [comment] body``."""
        self.header()
        title = self.expect("text", "the title (a quoted string)").value
        players = self.players()
        strategies = self.strategies(len(players))
        comment = self.take().value if self.peek().kind == "text" else ""
        shape = tuple(len(s) for s in strategies)
        payoffs = self.body(shape, len(players))
        return Game.from_arrays(
            *payoffs, players=players, strategies=strategies, title=title, description=comment
        )

    def header(self) -> None:
        """The magic word, the version and the number type."""
        token = self.take()
        if token.kind != "word" or token.value != "NFG":
            raise self.fail(token, f"expected 'NFG' at the start of the file, found {token.describe()}")
        token = self.take()
        if token.kind != "word" or token.value != "1":
            raise self.fail(token, f"expected version 1 after 'NFG', found {token.describe()}")
        token = self.take()
        if token.kind != "word" or token.value not in ("R", "D"):
            raise self.fail(token, f"expected 'R' or 'D' after the version, found {token.describe()}")

    def players(self) -> list[str]:
        """``{ TEXT+ }``: the players' names (at most MAX_PLAYERS)."""
        self.expect("{", "'{' before the player names")
        names: list[str] = []
        while self.peek().kind != "}":
            token = self.expect("text", "a player name (a quoted string)")
            if len(names) == MAX_PLAYERS:
                raise self.fail(token, f"too many players (at most {MAX_PLAYERS})")
            names.append(token.value)
        if not names:
            raise self.fail(self.peek(), "expected a player name (a quoted string), found '}'")
        self.take()
        return _distinct(names, lambda i: f"Player {i + 1}")

    def strategies(self, n_players: int) -> list[list[str]]:
        """``{ NUMBER{N} }`` or ``{ ({ TEXT+ }){N} }``, checked against the size bounds."""
        self.expect("{", "'{' before the strategies")
        by_label = self.peek().kind == "{"
        lists: list[list[str]] = []
        profiles = 1
        for player in range(n_players):
            token = self.peek()
            labels = self.strategy_labels(player) if by_label else self.strategy_count(player)
            profiles *= len(labels)
            if profiles > MAX_PROFILES:
                raise self.fail(token, f"too many strategy profiles: {profiles} (at most {MAX_PROFILES})")
            lists.append(labels)
        what = "strategy lists" if by_label else "strategy counts"
        self.expect("}", f"'}}' after {n_players} {what}")
        return lists

    def strategy_count(self, player: int) -> list[str]:
        """One count of the counts-only style, as labels "1".."n"."""
        token = self.take()
        if token.kind != "word" or not _NUMBER.match(token.value):
            raise self.fail(
                token, f"expected a strategy count for player {player + 1}, found {token.describe()}"
            )
        if not _INTEGER.match(token.value) or int(token.value) == 0:
            raise self.fail(token, f"a strategy count must be a positive integer, found {token.describe()}")
        count = int(token.value)
        if count > MAX_STRATEGIES:
            raise self.fail(
                token, f"too many strategies for player {player + 1}: {count} (at most {MAX_STRATEGIES})"
            )
        return [str(k + 1) for k in range(count)]

    def strategy_labels(self, player: int) -> list[str]:
        """One player's ``{ TEXT+ }`` list of strategy labels."""
        self.expect("{", f"'{{' before player {player + 1}'s strategies")
        labels: list[str] = []
        while self.peek().kind != "}":
            token = self.expect("text", "a strategy label (a quoted string)")
            if len(labels) == MAX_STRATEGIES:
                raise self.fail(
                    token, f"too many strategies for player {player + 1} (at most {MAX_STRATEGIES})"
                )
            labels.append(token.value)
        if not labels:
            raise self.fail(self.peek(), f"player {player + 1} has no strategies")
        self.take()
        return _distinct(labels, lambda i: str(i + 1))

    def body(self, shape: tuple[int, ...], n_players: int) -> Any:
        """The payoffs, as an object array ``[player, s_1, ..., s_N]`` of Fractions."""
        import numpy as np

        n_profiles = 1
        for n in shape:
            n_profiles *= n
        if self.peek().kind == "{":
            flat = self.outcome_body(n_profiles, n_players)
        else:
            flat = self.payoff_body(n_profiles * n_players)
        values = np.empty(len(flat), dtype=object)
        values[:] = flat
        return values.reshape((n_players,) + shape, order="F")

    def payoff_body(self, count: int) -> list[Fraction]:
        """``NUMBER{K*N}`` and then the end of the file."""
        values = [self.number(self.take(), "a payoff") for _ in range(count)]
        self.expect_end(f"{count} payoffs")
        return values

    def outcome_body(self, n_profiles: int, n_players: int) -> list[Fraction]:
        """``{ outcome* } NUMBER{K}`` and then the end of the file, expanded to payoffs."""
        self.take()
        outcomes: list[list[Fraction]] = [[Fraction(0)] * n_players]
        while self.peek().kind != "}":
            outcomes.append(self.outcome(len(outcomes), n_players))
        self.take()
        flat: list[Fraction] = []
        for _ in range(n_profiles):
            flat.extend(outcomes[self.outcome_index(len(outcomes) - 1)])
        self.expect_end(f"{n_profiles} outcome indices")
        return flat

    def outcome(self, number: int, n_players: int) -> list[Fraction]:
        """``{ TEXT (NUMBER [","]){N} }``: outcome ``number``'s payoffs."""
        self.expect("{", "'{' to start an outcome, or '}'")
        self.expect("text", f"a label (a quoted string) for outcome {number}")
        values = []
        for player in range(n_players):
            values.append(self.number(self.take(), f"a payoff for player {player + 1} in outcome {number}"))
            if self.peek().kind == ",":
                self.take()
        self.expect("}", f"'}}' after {n_players} payoffs in outcome {number}")
        return values

    def outcome_index(self, n_outcomes: int) -> int:
        """One outcome index, 0 (the null outcome) to ``n_outcomes``."""
        token = self.take()
        if token.kind != "word" or not _NUMBER.match(token.value):
            raise self.fail(token, f"expected an outcome index, found {token.describe()}")
        if not _INTEGER.match(token.value):
            raise self.fail(token, f"an outcome index must be a whole number, found {token.describe()}")
        index = int(token.value)
        if index > n_outcomes:
            raise self.fail(token, f"outcome {index} does not exist (there are {n_outcomes})")
        return index

    def expect_end(self, what: str) -> None:
        """Fail unless the file ends here."""
        token = self.peek()
        if token.kind != "eof":
            raise self.fail(token, f"expected end of file after {what}, found {token.describe()}")


def _distinct(labels: list[str], default: Callable[[int], str]) -> list[str]:
    """Labels made distinct for the model: labels that occur more than once get default names.

    Gambit allows repeated (typically empty) labels, e.g. ``{ "" "" }``; the
    model does not.  Unique labels are kept as they are; each repeated one is
    replaced by ``default(i)`` (primed if that name is taken).
    """
    counts = Counter(labels)
    out = [label if counts[label] == 1 else None for label in labels]
    taken = {label for label in out if label is not None}
    for i, label in enumerate(out):
        if label is None:
            name = default(i)
            while name in taken:
                name += "'"
            taken.add(name)
            out[i] = name
    return out  # type: ignore[return-value]


# -- writing -------------------------------------------------------------------


def write_nfg(game: Game, style: str = "payoffs") -> str:
    """The text of a Gambit ``.nfg`` file for ``game``.

    ``style`` is ``"payoffs"`` (one line of N payoffs per profile) or
    ``"outcomes"`` (one outcome per profile, as Gambit writes).  Strategies are
    written as labels, the description as the comment.  Payoffs are written
    exactly, as integers or ``p/q``; an irrational payoff raises
    :class:`~gametheory.errors.GameError`.
    """
    if style not in STYLES:
        raise GameError(f"unknown .nfg style {style!r} (expected 'payoffs' or 'outcomes')")
    flat = [_number_text(value) for value in game.payoffs.ravel(order="F")]
    n = game.n_players
    rows = [flat[k : k + n] for k in range(0, len(flat), n)]
    lines = [
        f"NFG 1 R {_quote(game.title)} {{ {' '.join(_quote(p) for p in game.players)} }}",
        "",
        "{ " + "\n".join("{ " + " ".join(_quote(s) for s in ss) + " }" for ss in game.strategies),
        "}",
        _quote(game.description),
        "",
    ]
    if style == "payoffs":
        lines.extend(" ".join(row) for row in rows)
    else:
        lines.append("{")
        lines.extend('{ "" ' + ", ".join(row) + " }" for row in rows)
        lines.append("}")
        lines.append(" ".join(str(k + 1) for k in range(len(rows))))
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    """``text`` as an .nfg string, with ``\\"`` for each quote.

    A backslash just before the closing quote would escape it, and the format
    has no other escape, so text ending in a backslash cannot be written.
    """
    if text.endswith("\\"):
        raise GameError(f"cannot write text ending in a backslash to .nfg: {text!r}")
    return '"' + text.replace('"', '\\"') + '"'


def _number_text(value: Any) -> str:
    """An exact payoff as ``.nfg`` text: an integer or ``p/q``."""
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        return str(Fraction(value))
    if getattr(value, "is_Rational", False):  # a sympy rational
        return str(Fraction(int(value.p), int(value.q)))
    raise GameError(f"cannot write irrational payoff {value} to .nfg")


__all__ = ["read_nfg", "write_nfg", "STYLES", "MAX_EXPONENT"]
