"""The game model: players, strategies, exact and float payoffs, parameters."""

from .game import Game, Parameter, Repeated, Source, define_order, exact_number, key_text

__all__ = ["Game", "Parameter", "Repeated", "Source", "define_order", "exact_number", "key_text"]
