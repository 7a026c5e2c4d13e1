"""Repeated games: punishment values, folk-theorem sets, critical discount factors, simulation.

The entry point is :func:`analyse`, which gives everything ``gametheory
repeated`` prints::

    import gametheory as gt
    from gametheory import repeated

    game = gt.load("games/classics/prisoners_dilemma.yaml")
    result = repeated.analyse(game)
    result.threshold("grim").exact          # '1/2'
    result.threshold("grim").expression     # (T - R)/(T - P), a sympy expression

and :func:`simulate`, which plays strategies against each other::

    repeated.simulate(game, ["tit-for-tat", "always-defect"], rounds=5).total

Modules, one job each:

* :mod:`~gametheory.repeated.values`: minmax (pure, mixed, correlated) and maxmin values by LP, exact;
* :mod:`~gametheory.repeated.feasible`: feasible and individually rational payoffs; :func:`supportable`;
* :mod:`~gametheory.repeated.thresholds`: critical discount factors, exact and symbolic;
* :mod:`~gametheory.repeated.regions`: the exact regions of delta of trigger strategies;
* :mod:`~gametheory.repeated.automata`: finite-automaton strategies, exact Nash / SPE regions of delta;
* :mod:`~gametheory.repeated.finite`: finite horizons, unravelling and its exceptions;
* :mod:`~gametheory.repeated.apspace`: the equilibrium payoff set (Abreu-Pearce-Stacchetti, JYC);
* :mod:`~gametheory.repeated.strategies`: strategies with metadata, by name;
* :mod:`~gametheory.repeated.simulate`: matches and round-robin tournaments;
* :mod:`~gametheory.repeated.render`: the tables the command line prints.
"""

from __future__ import annotations

from .analysis import RepeatedResult, analyse
from .apspace import EquilibriumPayoffSet, equilibrium_payoff_set, plot_payoff_sets
from .feasible import feasible_set, individually_rational, supportable
from .simulate import MatchResult, TournamentResult, play_match, simulate, tournament
from .strategies import Strategy, register
from .strategies import get as get_strategy
from .strategies import names as strategy_names
from .thresholds import StrategyThreshold, critical_discounts
from .values import maxmin, minmax, minmax_values, player_values

__all__ = [
    "analyse",
    "RepeatedResult",
    "StrategyThreshold",
    "critical_discounts",
    "minmax",
    "maxmin",
    "minmax_values",
    "player_values",
    "feasible_set",
    "individually_rational",
    "supportable",
    "equilibrium_payoff_set",
    "EquilibriumPayoffSet",
    "plot_payoff_sets",
    "simulate",
    "play_match",
    "tournament",
    "MatchResult",
    "TournamentResult",
    "Strategy",
    "register",
    "get_strategy",
    "strategy_names",
]
