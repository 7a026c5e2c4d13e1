"""The games library: every file in games/ loads, round-trips and reproduces its documented results.

One parametrised test per file (``*.yaml``, ``*.yml``, ``*.toml``, ``*.json``), in the
spirit of Axelrod's per-strategy checks: adding a game file adds its tests.  Each file
must

* load with :func:`gametheory.load` and carry a title, a description and at least one
  reference;
* round-trip exactly through YAML, TOML and JSON (``loads(dumps(game, fmt), fmt) ==
  game``, metadata included), and through Gambit's ``.nfg`` (same payoffs) when the
  ``.nfg`` module is available;
* document its pure Nash equilibria under ``expected.pure_equilibria`` (one strategy
  name per player, in player order), which must equal the profiles where every
  player's payoff is a best response.

``expected`` is read from the raw file, since the :class:`~gametheory.model.Game`
does not keep it.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
import yaml

import gametheory as gt

GAMES = Path(__file__).resolve().parents[1] / "games"
PATTERNS = ("*.yaml", "*.yml", "*.toml", "*.json")
FILES = sorted(p for pattern in PATTERNS for p in GAMES.rglob(pattern))
try:
    import gametheory.formats.nfg  # noqa: F401

    HAVE_NFG = True
except ImportError:
    HAVE_NFG = False

pytestmark = pytest.mark.skipif(not FILES, reason="no game files in games/")


def raw_document(path: Path) -> dict:
    """The file as plain data (for the ``expected`` section, which the Game does not keep)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".toml":
        return tomllib.loads(text)
    if path.suffix == ".json":
        return json.loads(text)
    return yaml.safe_load(text)


def profile_names(game, profile: tuple[int, ...]) -> tuple[str, ...]:
    return tuple(game.strategies[i][s] for i, s in enumerate(profile))


@pytest.fixture(params=FILES, ids=lambda p: p.name)
def path(request) -> Path:
    return request.param


def test_game_file(path: Path) -> None:
    from gametheory.report.show import pure_profiles_all_best

    game = gt.load(path)

    # metadata a teacher relies on
    assert game.title.strip(), "missing title"
    assert game.description.strip(), "missing description"
    assert game.references, "needs at least one reference"

    # exact round trips through the text formats, metadata included
    for fmt in ("yaml", "toml", "json"):
        text = gt.dumps(game, fmt)
        back = gt.loads(text, fmt)
        assert back == game, f"{fmt} round trip changed the game:\n{text}"
        assert (back.title, back.description, back.references, back.tags) == (
            game.title,
            game.description,
            game.references,
            game.tags,
        ), f"{fmt} round trip changed the metadata"

    # Gambit .nfg keeps the payoffs at the current parameter values
    if HAVE_NFG:
        back = gt.loads(gt.dumps(game, "nfg"), "nfg")
        assert back.same_payoffs(game), ".nfg round trip changed the payoffs"
        assert back.title == game.title

    # the documented pure equilibria are the computed ones
    doc = raw_document(path)
    expected = doc.get("expected")
    assert isinstance(expected, dict) and "pure_equilibria" in expected, (
        "document the results under expected: {pure_equilibria: [...], mixed_equilibria: [...]}"
    )
    documented = sorted(tuple(str(s) for s in prof) for prof in expected["pure_equilibria"])
    computed = sorted(profile_names(game, prof) for prof in pure_profiles_all_best(game))
    assert documented == computed
    assert isinstance(expected.get("mixed_equilibria", []), list)
