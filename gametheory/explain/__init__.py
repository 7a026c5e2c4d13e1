"""The teaching walkthrough of a game: ``gametheory explain``.

:func:`explain` builds a :class:`Lesson`: the walkthrough a teacher gives for
a normal-form game, as data (sections of paragraphs and equations, the
mathematics exact, as sympy objects) that renders as plain text, Markdown or
LaTeX::

    import gametheory as gt
    from gametheory.explain import explain

    lesson = explain(gt.load("games/classics/stag_hunt.yaml"))
    print(lesson.to_text())          # what `gametheory explain` prints
    lesson.to_markdown()             # a handout; Jupyter shows it (``_repr_markdown_``)
    lesson.to_latex()                # a fragment for a paper or slides (amsmath)
    lesson.mixed[0].symbolic_probabilities   # the mixed equilibrium in the parameters

The sections, in the order a teacher takes them:

1. the payoff table with best responses marked, and in words ("If Hunter 2
   plays Stag, Hunter 1's best response is Stag (4 > 3)"): a Nash equilibrium
   is a profile of mutual best responses (Nash 1951);
2. strict and weak dominance, also by mixed strategies, and what iterated
   elimination leaves, with its trail; whether the order of weak elimination
   matters (Gibbons 1992, sec. 1.1.B; Fudenberg & Tirole 1991, sec. 2.1);
3. each pure equilibrium, and each player's payoff against every deviation;
4. each mixed equilibrium by the indifference method (Gibbons 1992,
   sec. 1.3.A; Osborne 2004, ch. 4), in the parameters and with the numbers;
   for three or more players the polynomial equations and the solver's exact
   solution, verified (:mod:`.indifference`);
5. Pareto efficiency, payoff and risk dominance with the Harsanyi-Selten
   products (Harsanyi & Selten 1988), strictness, evolutionary stability
   (Maynard Smith & Price 1973) and security values (von Neumann 1928);
6. for a parameterised file, the thresholds of each parameter and the kind of
   game on each side (two-player games, within a time budget);
7. for a degenerate game, the components (continua) of equilibria.

Modules: :mod:`.notation` (equations and how they are written),
:mod:`.lesson` (the data), :mod:`.build` (the sections),
:mod:`.indifference` (mixed equilibria), :mod:`.render` (text, Markdown, LaTeX).

References:
    Nash, J. (1951). Non-cooperative games. *Annals of Mathematics* 54(2): 286-295.
    Gibbons, R. (1992). *Game Theory for Applied Economists*. Princeton UP.
    Osborne, M. J. (2004). *An Introduction to Game Theory*. Oxford UP.
    Harsanyi, J. C. and Selten, R. (1988). *A General Theory of Equilibrium
    Selection in Games*. MIT Press.
    Tsebelis, G. (1989). The abuse of probability in political analysis: the
    Robinson Crusoe fallacy. *American Political Science Review* 83(1): 77-91.
"""

from __future__ import annotations

from .build import explain
from .indifference import MixedExplanation
from .lesson import Lesson, Section

__all__ = ["explain", "Lesson", "Section", "MixedExplanation"]
