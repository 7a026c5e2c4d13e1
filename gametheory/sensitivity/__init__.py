"""Sensitivity analysis: sweeps, exact thresholds, regimes, scenarios and comparative statics.

The entry points, each returning a result object with ``to_dict()``::

    import gametheory as gt
    from gametheory import sensitivity as sa

    game = gt.load("games/security/security_dilemma.yaml")
    sa.sweep(game, ["g=-3:3:61"])              # equilibria at every grid point, regimes
    sa.thresholds(game, "g")                   # exact thresholds: g = 0, with expressions
    sa.symbolic_equilibria(game)               # equilibria as formulas of the parameters
    sa.compare(game)                           # the file's scenarios side by side
    sa.sensitivity(game)                       # margins to thresholds and derivatives, ranked

Modules, one job each: :mod:`~.grid` (exact grids), :mod:`~.batch` (batched
support enumeration over grid points), :mod:`~.sweep` (sweeps and regimes),
:mod:`~.backends` (processes, Dask), :mod:`~.thresholds`, :mod:`~.symbolic`,
:mod:`~.compare` (scenarios and sensitivity), :mod:`~.structure`
(equilibrium structure of a point), :mod:`~.classify` (2x2 game types),
:mod:`~.plot`, :mod:`~.render`, :mod:`~.csvout`.
"""

from __future__ import annotations

# Bound eagerly: a submodule of the same name (sweep, thresholds, compare) would
# otherwise replace the function on the package once imported.  None of these
# modules imports numpy, scipy or sympy at import time.
from .classify import classify_2x2, symmetric_type
from .compare import CompareResult, SensitivityResult, compare, sensitivity
from .sweep import SweepResult, sweep
from .symbolic import SymbolicResult, render_symbolic, symbolic_equilibria
from .thresholds import ThresholdResult, thresholds

_LAZY = {
    "plot_sweep": ("gametheory.sensitivity.plot", "plot_sweep"),
    "plot_tornado": ("gametheory.sensitivity.plot", "plot_tornado"),
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'gametheory.sensitivity' has no attribute {name!r}")


__all__ = [
    "sweep", "SweepResult", "thresholds", "ThresholdResult", "symbolic_equilibria", "render_symbolic",
    "SymbolicResult", "compare", "CompareResult", "sensitivity", "SensitivityResult", "classify_2x2",
    "symmetric_type", "plot_sweep", "plot_tornado",
]
