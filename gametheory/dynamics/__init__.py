"""Learning and evolutionary dynamics, basins of attraction and the logit QRE.

=================================  ===========================================  ===============================
function                           rule                                         reference
=================================  ===========================================  ===============================
:func:`replicator`                 replicator dynamics (ODE), one population    Taylor & Jonker 1978
                                   for symmetric games, else one per player
:func:`best_response_dynamics`     ``dx/dt = BR(x) - x`` (Euler steps)          Gilboa & Matsui 1991
:func:`logit_dynamics`             ``dx/dt = logit_lambda(u(x)) - x`` (ODE)     Fudenberg & Levine 1998
:func:`fictitious_play`            best response to empirical frequencies       Brown 1951; Robinson 1951
:func:`stochastic_fictitious_play` logit response to empirical frequencies      Fudenberg & Levine 1998
:func:`regret_matching`            switch in proportion to positive regret;     Hart & Mas-Colell 2000
                                   joint play -> correlated equilibria
:func:`basins`                     share of starts reaching each equilibrium
:func:`basins_sweep`               the basins along a parameter grid (the
                                   sweep machinery: exact grids, workers, Dask)
:func:`qre_branch`                 principal branch of logit QRE to the         McKelvey & Palfrey 1995;
                                   Nash limit (from :mod:`gametheory.solvers    Turocy 2005
                                   .logit`, the package's one tracer)
=================================  ===========================================  ===============================

Every rule returns a :class:`DynamicsResult` (``to_dict()``, ``rows()``):
the trajectory, its end point, and whether it approaches a verified Nash
equilibrium (:func:`gametheory.solvers.solve`), cycles, rests elsewhere, or
did not settle, with the evidence for the verdict (``evidence``; see
:mod:`gametheory.dynamics._evidence`).  The flows are integrated robustly
(the replicator dynamics in log-shares, so every state is on the simplex;
:mod:`gametheory.dynamics._flow`) and every run is bounded by a cap on its
solver steps (``max_steps``).
Every random entry point takes ``seed`` (numpy ``default_rng``); the same
seed gives the same result.  :func:`run` picks a rule by its CLI name.
Pictures are in :mod:`gametheory.dynamics.plot` (matplotlib, ``gametheory[plot]``).
"""

from __future__ import annotations

from typing import Any

from ..errors import GameError
from ..solvers.logit import QREBranch, qre_branch
from .basins import BasinsResult, BasinsSweep, basins, basins_sweep
from .best_response import best_response_dynamics, logit_dynamics
from .fictitious_play import fictitious_play, stochastic_fictitious_play
from .regret_matching import max_incentive_violation, regret_matching
from .replicator import replicator
from .result import DynamicsResult

RULES = {
    "replicator": replicator,
    "best-response": best_response_dynamics,
    "logit": logit_dynamics,
    "fictitious-play": fictitious_play,
    "stochastic-fictitious-play": stochastic_fictitious_play,
    "regret-matching": regret_matching,
}
CONTINUOUS_RULES = ("replicator", "best-response", "logit")


def run(game: Any, rule: str, start: Any = None, **kwargs: Any) -> DynamicsResult:
    """Run the rule named ``rule`` (a key of :data:`RULES`) on ``game``; keyword arguments pass through."""
    if rule not in RULES:
        raise GameError(f"unknown rule {rule!r} (known: {', '.join(RULES)})")
    return RULES[rule](game, start, **kwargs)


__all__ = [
    "RULES",
    "run",
    "DynamicsResult",
    "replicator",
    "best_response_dynamics",
    "logit_dynamics",
    "fictitious_play",
    "stochastic_fictitious_play",
    "regret_matching",
    "max_incentive_violation",
    "basins",
    "basins_sweep",
    "BasinsResult",
    "BasinsSweep",
    "qre_branch",
    "QREBranch",
]
