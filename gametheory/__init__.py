"""gametheory: game-theoretic modelling from parameterised game files.

Heavy libraries (numpy, sympy, scipy) are imported only when used, so that the
command line starts fast.  The main entry points::

    import gametheory as gt
    game = gt.load("games/classics/prisoners_dilemma.yaml")
    game.with_parameters(T=6)
    gt.solve(game)                      # every equilibrium, verified
    gt.thresholds(game, "T")            # where the equilibrium set changes
    from gametheory import repeated, dynamics
    repeated.analyse(game)              # critical discount factors

Subpackages: ``model`` (the Game), ``formats`` (files), ``solvers``, ``sensitivity``
(sweeps, thresholds), ``repeated``, ``dynamics``, ``report`` (rendering), ``cli``.
"""

from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "Game": ("gametheory.model", "Game"),
    "Parameter": ("gametheory.model", "Parameter"),
    "load": ("gametheory.formats", "load"),
    "loads": ("gametheory.formats", "loads"),
    "save": ("gametheory.formats", "save"),
    "dumps": ("gametheory.formats", "dumps"),
    "solve": ("gametheory.solvers", "solve"),
    "sweep": ("gametheory.sensitivity", "sweep"),
    "thresholds": ("gametheory.sensitivity", "thresholds"),
    "compare": ("gametheory.sensitivity", "compare"),
    "GameError": ("gametheory.errors", "GameError"),
    "GameFileError": ("gametheory.errors", "GameFileError"),
}

_SUBPACKAGES = ("model", "formats", "solvers", "sensitivity", "repeated", "dynamics", "explain", "report", "expressions")


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    if name in _SUBPACKAGES:
        import importlib

        return importlib.import_module(f"gametheory.{name}")
    raise AttributeError(f"module 'gametheory' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY))


__all__ = list(_LAZY)
