"""The ``gametheory`` command line: a thin layer over the Python API.

Each command parses its options, calls the API and renders the result; no
analysis happens here.  Only click is imported at start-up, so that
``gametheory --help`` answers at once; numpy, sympy and scipy are imported by
the commands that need them.

Exit codes: 0 success, 2 bad usage or bad input (one line per problem on
stderr, no traceback), 1 anything else.  ``GAMETHEORY_DEBUG=1`` shows
tracebacks.
"""

from __future__ import annotations

from . import (  # noqa: F401  (each module registers its commands)
    analysis_commands,
    dynamics_commands,
    explain_commands,
    game_commands,
    repeated_commands,
    sensitivity_commands,
    solve_commands,
)
from .common import main_group as main

__all__ = ["main"]
