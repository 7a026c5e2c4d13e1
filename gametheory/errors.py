"""Errors that gametheory reports to users.

A :class:`GameFileError` carries one :class:`Problem` per mistake found in a
game file, each rendered as ``file:line: key: message`` so that an editor can
jump to it.  The CLI prints one line per problem and exits with status 2.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One mistake in a game file: where it is and what is wrong."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        key = f"{self.key}: " if self.key else ""
        return f"{where}{key}{self.message}"


class GameError(ValueError):
    """Bad input that is the user's to fix (exit status 2 in the CLI)."""


class GameFileError(GameError):
    """One or more problems in a game file."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ExpressionError(GameError):
    """A payoff expression that cannot be parsed or evaluated."""

    def __init__(self, message: str, position: int | None = None):
        self.position = position
        super().__init__(message)
