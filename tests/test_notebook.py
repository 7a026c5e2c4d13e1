"""The notebook walkthrough in docs/ runs from top to bottom, and results display as HTML.

The notebook is executed with a real Jupyter kernel (nbclient + ipykernel, in the dev
extra), from the repository root, so a broken API or a stale cell fails here.
"""

from __future__ import annotations

import pytest

import gametheory as gt

from .conftest import GAMES, ROOT

NOTEBOOK = ROOT / "docs" / "walkthrough.ipynb"


def test_walkthrough_notebook_executes():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    html = [o["data"]["text/html"] for o in outputs if "data" in o and "text/html" in o["data"]]
    # the game, the solve result and the thresholds render as HTML tables
    assert any("Security dilemma" in h and "<table>" in h for h in html)
    assert any("vertex-enumeration" in h for h in html)
    assert any("stag hunt" in h and "prisoner" in h for h in html)
    images = [o for o in outputs if "data" in o and "image/png" in o["data"]]
    assert images, "the regime map is shown"
    markdown = [o["data"]["text/markdown"] for o in outputs if "data" in o and "text/markdown" in o["data"]]
    assert any("q &= \\frac{2}{3}" in m for m in markdown), "the lesson derives the Stag Hunt's mixed equilibrium"
    assert any("ends at" in h and "(Stag, Stag)" in h for h in html), "basins display as a table"


def test_game_html_marks_best_responses_and_equilibria():
    game = gt.load(GAMES / "classics" / "prisoners_dilemma.yaml")
    html = game._repr_html_()
    assert "<table>" in html and "Prisoner" in html
    # (Defect, Defect) is the only pure equilibrium: one bold bracketed cell, with both payoffs starred
    assert html.count("<b>[") == 1
    assert "<b>[1*, 1*]</b>" in html
    # a starred payoff is a best response: 5 against Cooperate, for each player
    assert "5*, 0" in html and "0, 5*" in html


def test_game_html_three_players_has_a_table_per_strategy_of_player_three():
    game = gt.Game.from_arrays([[[1, 0], [0, 0]], [[0, 0], [0, 2]]], [[[1, 0], [0, 0]], [[0, 0], [0, 2]]],
                               [[[1, 0], [0, 0]], [[0, 0], [0, 2]]])
    html = game._repr_html_()
    assert html.count("<table>") == 2 and html.count("<caption>") == 2


def test_thresholds_html_lists_threshold_and_regimes():
    game = gt.load(GAMES / "security" / "security_dilemma.yaml")
    html = gt.thresholds(game, "g")._repr_html_()
    assert "<li>0</li>" in html
    assert "stag hunt" in html and "prisoner&#x27;s dilemma" in html
