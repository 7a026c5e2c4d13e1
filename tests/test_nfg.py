"""Tests of the Gambit .nfg reader and writer (gametheory.formats.nfg).

The corpus is Gambit's own example games (GPL data, read in place from
shared/gambit-games, never copied).  pygambit, when installed, is the
reference: it must read the files we write as the same game.
"""

from __future__ import annotations

import os
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.errors import GameError, GameFileError
from gametheory.formats.nfg import read_nfg, write_nfg
from gametheory.model import Game


def _corpus_dir() -> Path | None:
    """shared/gambit-games beside the repository (or $GAMBIT_GAMES)."""
    candidates = [os.environ.get("GAMBIT_GAMES")]
    candidates += [str(p / "shared" / "gambit-games") for p in Path(__file__).resolve().parents]
    candidates.append("/work/shared/gambit-games")
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


CORPUS_DIR = _corpus_dir()
CORPUS = sorted(CORPUS_DIR.glob("*.nfg")) + sorted(CORPUS_DIR.glob("catalog/*.nfg")) if CORPUS_DIR else []
CORPUS_PARAMS = [pytest.param(p, id=p.name) for p in CORPUS] or [
    pytest.param(None, marks=pytest.mark.skip(reason="Gambit corpus (shared/gambit-games) not found"))
]
STYLES = ["payoffs", "outcomes"]


def corpus_file(name: str) -> Path:
    """One corpus file by name, or skip the test when the corpus is missing."""
    for path in CORPUS:
        if path.name == name:
            return path
    pytest.skip(f"corpus file {name} not found")


def read_path(path: Path) -> Game:
    return read_nfg(path.read_text(), str(path))


def F(*values) -> list[Fraction]:
    return [Fraction(v) for v in values]


def same_game(a: Game, b: Game) -> None:
    """Same players, strategies, exact payoffs (type and value), title and description."""
    assert a.players == b.players
    assert a.strategies == b.strategies
    assert a.payoffs.shape == b.payoffs.shape
    assert list(a.payoffs.flat) == list(b.payoffs.flat)
    assert all(type(x) is Fraction for x in b.payoffs.flat)
    assert (a.title, a.description) == (b.title, b.description)


# -- the example in NFG.md -------------------------------------------------------

SELTEN_PAYOFFS = """\
NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"
{ "Player 1" "Player 2" } { 3 2 }

1 1 0 2 0 2 1 1 0 3 2 0
"""

SELTEN_OUTCOMES = """\
NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" }

{ { "1" "2" "3" }
{ "1" "2" }
}
""

{
{ "" 1, 1 }
{ "" 0, 2 }
{ "" 0, 2 }
{ "" 1, 1 }
{ "" 0, 3 }
{ "" 2, 0 }
}
1 2 3 4 5 6
"""

SELTEN_A = [F(1, 1), F(0, 0), F(0, 2)]
SELTEN_B = [F(1, 1), F(2, 3), F(2, 0)]


@pytest.mark.parametrize("text", [SELTEN_PAYOFFS, SELTEN_OUTCOMES], ids=STYLES)
def test_selten_example(text):
    game = read_nfg(text, "selten.nfg")
    assert game.players == ("Player 1", "Player 2")
    assert game.strategies == (("1", "2", "3"), ("1", "2"))
    assert game.title == "Selten (IJGT, 75), Figure 2, normal form"
    assert game.description == ""
    assert game.payoffs[0].tolist() == SELTEN_A
    assert game.payoffs[1].tolist() == SELTEN_B
    assert all(type(x) is Fraction for x in game.payoffs.flat)


def test_writer_ordering_matches_the_spec():
    game = Game.from_arrays(SELTEN_A, SELTEN_B, players=["Player 1", "Player 2"])
    game = Game.from_arrays(
        *game.payoffs, players=game.players, title="Selten (IJGT, 75), Figure 2, normal form"
    )
    # The outcome style is byte for byte what Gambit itself writes for this game.
    assert write_nfg(game, "outcomes") == SELTEN_OUTCOMES
    body = write_nfg(game).split('""', 1)[1].split()
    assert body == "1 1 0 2 0 2 1 1 0 3 2 0".split()


# -- the corpus ----------------------------------------------------------------


def test_corpus_is_there():
    if CORPUS_DIR is None:
        pytest.skip("Gambit corpus not found")
    assert len(CORPUS) >= 50


@pytest.mark.parametrize("path", CORPUS_PARAMS)
def test_corpus_file_reads(path):
    game = read_path(path)
    assert 2 <= game.n_players <= 5
    assert game.payoffs.shape == (game.n_players,) + game.shape
    assert all(type(x) is Fraction for x in game.payoffs.flat)
    assert game.title


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("path", CORPUS_PARAMS)
def test_corpus_round_trip(path, style):
    game = read_path(path)
    same_game(game, read_nfg(write_nfg(game, style), "written.nfg"))


def test_corpus_decimals_are_exact():
    game = read_path(corpus_file("2x2x2x2.nfg"))
    assert game.payoffs[(0, 0, 0, 0, 0)] == Fraction(1131, 1000)
    assert game.payoffs[(1, 0, 0, 0, 0)] == Fraction(121, 100)


def test_corpus_rationals_and_outcome_permutation():
    # Outcomes are labelled "ij" for profile (i, j) and listed row by row; the
    # indices 1 4 7 2 5 8 3 6 9 put them in Gambit's order (player 1 fastest).
    game = read_path(corpus_file("perfect1.nfg"))
    half = Fraction(3, 2)
    assert game.payoffs[0].tolist() == [F(3, 0, 0), F(half, 2, half), F(0, 0, 3)]
    assert game.payoffs[1].tolist() == [F(1, 0, 1), F(1, 2, 1), F(1, 0, 1)]


def test_corpus_outcomes_without_commas_or_comment():
    game = read_path(corpus_file("cent2.nfg"))
    assert game.strategies[0] == ("1*11", "2111", "2211")
    assert game.description == ""
    # Index list 1 4 7 2 ...: profile (2, 1) is outcome 4, { "" 0.564000 1.566000 }.
    assert game.payoffs[:, 1, 0].tolist() == [Fraction("0.564"), Fraction("1.566")]


def test_corpus_repeated_empty_player_names_get_defaults():
    game = read_path(corpus_file("sww1.nfg"))  # { "" "" } { 2 2 }, with D
    assert game.players == ("Player 1", "Player 2")
    assert game.strategies == (("1", "2"), ("1", "2"))


def test_corpus_brace_next_to_string_and_multiline_body():
    game = read_path(corpus_file("wink3.nfg"))  # { "1" "2" "3"} and payoffs over three lines
    assert game.shape == (3, 3)
    assert game.payoffs[:, 2, 2].tolist() == F(3, 3)


def test_corpus_multiline_comment():
    game = read_path(corpus_file("loopback.nfg"))
    assert game.description.startswith("This game has a backwards bend")
    assert game.description.count("\n") == 2


# -- pygambit, the reference implementation -------------------------------------


def gambit_payoffs(ggame) -> list:
    """pygambit's payoffs as exact Fractions (via their text), indexed [player][s_1]...[s_N]."""
    exact = np.vectorize(lambda v: Fraction(str(v)), otypes=[object])
    return [exact(np.asarray(a, dtype=object)) for a in ggame.to_arrays()]


def assert_gambit_agrees(ggame, game: Game) -> None:
    assert [p.label for p in ggame.players] == list(game.players)
    assert [len(p.strategies) for p in ggame.players] == list(game.shape)
    theirs = gambit_payoffs(ggame)
    for player in range(game.n_players):
        assert theirs[player].tolist() == game.payoffs[player].tolist()


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("path", CORPUS_PARAMS)
def test_pygambit_reads_what_we_write(path, style, tmp_path):
    gbt = pytest.importorskip("pygambit")
    game = read_path(path)
    out = tmp_path / f"{path.stem}.{style}.nfg"
    out.write_text(write_nfg(game, style))
    ggame = gbt.read_nfg(str(out))
    assert_gambit_agrees(ggame, game)
    assert [[s.label for s in p.strategies] for p in ggame.players] == [list(s) for s in game.strategies]
    assert ggame.title == game.title


@pytest.mark.parametrize("path", CORPUS_PARAMS)
def test_pygambit_reads_the_corpus_as_we_do(path):
    gbt = pytest.importorskip("pygambit")
    game = read_path(path)
    ggame = gbt.read_nfg(str(path))
    if path.name == "sww1.nfg":  # { "" "" }: Gambit names the players "_1", "_2"; we say "Player 1", ...
        for player, label in zip(ggame.players, game.players):
            player.label = label
    assert_gambit_agrees(ggame, game)


# -- numbers, strings and the writer --------------------------------------------


@pytest.mark.parametrize(
    "token, value",
    [
        ("7", Fraction(7)),
        ("-007", Fraction(-7)),
        ("0.1", Fraction(1, 10)),
        ("1.", Fraction(1)),
        ("-.5", Fraction(-1, 2)),
        ("1.5e-3", Fraction(3, 2000)),
        ("2E2", Fraction(200)),
        ("-3/4", Fraction(-3, 4)),
        ("6/4", Fraction(3, 2)),
    ],
)
def test_numbers_are_exact(token, value):
    game = read_nfg(f'NFG 1 R "" {{ "a" }} {{ 1 }} {token}')
    assert game.payoffs[0, 0] == value
    assert type(game.payoffs[0, 0]) is Fraction


def test_strings_escapes_and_lines():
    text = 'NFG 1 R "say \\"hi\\"\nthere" { "A" "B\\"" } { { "x y" "" } { "z" } }\n"c\\"\\n" 1 2 3 4\n'
    game = read_nfg(text)
    assert game.title == 'say "hi"\nthere'
    assert game.players == ("A", 'B"')
    assert game.strategies == (("x y", ""), ("z",))
    assert game.description == 'c"\\n'
    for style in STYLES:
        same_game(game, read_nfg(write_nfg(game, style)))


def test_writer_numbers():
    game = Game.from_arrays([[Fraction(-3, 2), 0]], [[Fraction(7), Fraction(1, 3)]])
    text = write_nfg(game)
    assert text.rstrip().endswith("-3/2 7\n0 1/3")
    assert "+" not in text


def test_writer_refuses_irrational_payoffs():
    game = Game.from_arrays([["sqrt(2)", "1"]], [["0", "1"]])
    with pytest.raises(GameError, match=r"cannot write irrational payoff sqrt\(2\) to \.nfg"):
        write_nfg(game)


def test_writer_refuses_text_ending_in_a_backslash():
    game = Game.from_arrays([[1]], players=["C:\\"])
    with pytest.raises(GameError, match="cannot write text ending in a backslash"):
        write_nfg(game)


def test_writer_refuses_unknown_style():
    with pytest.raises(GameError, match="unknown .nfg style 'matrix'"):
        write_nfg(read_nfg(SELTEN_PAYOFFS), "matrix")


# -- errors --------------------------------------------------------------------

HEAD = 'NFG 1 R "x"\n{ "a" "b" } { 3 2 }\n'


@pytest.mark.parametrize(
    "text, expected",
    [
        (HEAD + "1 1 0 2 0 2\n1 1 0 3 2", "x.nfg:4:10: expected a payoff, found end of file"),
        (HEAD + "1 1 0 2 0 2 1 1 0 3 2 0 7", "x.nfg:3:25: expected end of file after 12 payoffs, found '7'"),
        (HEAD + "1 1 0 2 0 2 1 1 0 3 2 0 }", "x.nfg:3:25: expected end of file after 12 payoffs, found '}'"),
        (HEAD + "1 1 0 2 0 2 1 x 0 3 2 0", "x.nfg:3:15: expected a payoff, found 'x'"),
        (HEAD + "1 1 0 2 0 +2 1 1 0 3 2 0", "x.nfg:3:11: expected a payoff, found '+2'"),
        (HEAD + "1 1 0 2 0 2 1 1e5x 0 3 2 0", "x.nfg:3:15: expected a payoff, found '1e5x'"),
        ('NFG 1 R "x" { "a" "b } { 3 2 }\n', "x.nfg:1:19: unterminated string"),
        ('NFG 1 R "x\n\ny', "x.nfg:1:9: unterminated string"),
        ('EFG 2 R "x" { "a" }', "x.nfg:1:1: expected 'NFG' at the start of the file, found 'EFG'"),
        ("", "x.nfg:1:1: expected 'NFG' at the start of the file, found end of file"),
        ('NFG 2 R "x"', "x.nfg:1:5: expected version 1 after 'NFG', found '2'"),
        ('NFG 1 Q "x"', "x.nfg:1:7: expected 'R' or 'D' after the version, found 'Q'"),
        ('NFG 1 R { "a" }', "x.nfg:1:9: expected the title (a quoted string), found '{'"),
        ('NFG 1 R "x" "a" }', "x.nfg:1:13: expected '{' before the player names, found \"a\""),
        ('NFG 1 R "x" { } { }', "x.nfg:1:15: expected a player name (a quoted string), found '}'"),
        ('NFG 1 R "x" { "a" "b" } { 2 }', "x.nfg:1:29: expected a strategy count for player 2, found '}'"),
        ('NFG 1 R "x" { "a" "b" } { 2 3 4 }', "x.nfg:1:31: expected '}' after 2 strategy counts, found '4'"),
        (
            'NFG 1 R "x" { "a" "b" } { 2 1.5 }',
            "x.nfg:1:29: a strategy count must be a positive integer, found '1.5'",
        ),
        (
            'NFG 1 R "x" { "a" "b" } { 2 0 }',
            "x.nfg:1:29: a strategy count must be a positive integer, found '0'",
        ),
        (
            'NFG 1 R "x" { "a" "b" } { { "u" } }',
            "x.nfg:1:35: expected '{' before player 2's strategies, found '}'",
        ),
        ('NFG 1 R "x" { "a" "b" } { { "u" } { } }', "x.nfg:1:37: player 2 has no strategies"),
        ('NFG 1 R "x" { "a" } { 1 }\n1e99999', "x.nfg:2:1: exponent too large in '1e99999'"),
        ('NFG 1 R "x" { "a" } { 1 }\n 1/0', "x.nfg:2:2: division by zero in '1/0'"),
        ('NFG 1 R "x" { "a" } { 2 }\n{ { "" 1 } }\n1 2', "x.nfg:3:3: outcome 2 does not exist (there are 1)"),
        (
            'NFG 1 R "x" { "a" } { 2 }\n{ { "" 1 } }\n1 -1',
            "x.nfg:3:3: an outcome index must be a whole number, found '-1'",
        ),
        (
            'NFG 1 R "x" { "a" } { 2 }\n{ { "" 1 } }\n1',
            "x.nfg:3:2: expected an outcome index, found end of file",
        ),
        (
            'NFG 1 R "x" { "a" } { 1 }\n{ { "" 1 } }\n1 1',
            "x.nfg:3:3: expected end of file after 1 outcome indices, found '1'",
        ),
        (
            'NFG 1 R "x" { "a" "b" } { 2 1 }\n{ { "" 1 } }\n1 1',
            "x.nfg:2:10: expected a payoff for player 2 in outcome 1, found '}'",
        ),
        (
            'NFG 1 R "x" { "a" } { 1 }\n{ { "" 1, 2 } }\n1',
            "x.nfg:2:11: expected '}' after 1 payoffs in outcome 1, found '2'",
        ),
        (
            'NFG 1 R "x" { "a" } { 1 }\n{ { 1 } }\n1',
            "x.nfg:2:5: expected a label (a quoted string) for outcome 1, found '1'",
        ),
    ],
)
def test_error_messages(text, expected):
    with pytest.raises(GameFileError) as info:
        read_nfg(text, "x.nfg")
    assert str(info.value) == expected
    (problem,) = info.value.problems
    _, line, column, _ = expected.split(":", 3)
    assert (problem.file, problem.line, problem.column) == ("x.nfg", int(line), int(column))


@pytest.mark.parametrize(
    "header, expected",
    [
        (
            '{ "a" "b" } { 1000000 1000000 }',
            "x.nfg:1:27: too many strategies for player 1: 1000000 (at most 1000)",
        ),
        (
            '{ "a" "b" "c" } { 1000 1000 2 }',
            "x.nfg:1:41: too many strategy profiles: 2000000 (at most 1000000)",
        ),
    ],
)
def test_declared_size_beyond_bounds_is_refused_at_once(header, expected):
    text = f'NFG 1 R "x" {header}\n' + "1 " * 2_000_000
    start = time.perf_counter()
    with pytest.raises(GameFileError) as info:
        read_nfg(text, "x.nfg")
    assert time.perf_counter() - start < 0.5
    assert str(info.value) == expected


def test_too_many_players():
    names = " ".join(f'"p{i}"' for i in range(17))
    with pytest.raises(GameFileError, match=r"x\.nfg:1:\d+: too many players \(at most 16\)"):
        read_nfg(f'NFG 1 R "x" {{ {names} }} {{ {"1 " * 17}}}', "x.nfg")


def test_error_without_filename_keeps_the_position():
    with pytest.raises(GameFileError) as info:
        read_nfg(HEAD + "1 2 3")
    (problem,) = info.value.problems
    assert (problem.line, problem.column, problem.message) == (3, 6, "expected a payoff, found end of file")


# -- property: random games round-trip ------------------------------------------

LABEL = st.text(alphabet=st.sampled_from('ab Z1"\n{},\\é'), max_size=6)
FRACTIONS = st.fractions(max_denominator=50).map(lambda f: f.limit_denominator(50)) | st.integers(
    -(10**30), 10**30
).map(Fraction)


@st.composite
def games(draw):
    """Random games: 2-4 players, 1-4 strategies each, exact rational payoffs, awkward labels."""
    n = draw(st.integers(2, 4))
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=n, max_size=n)))
    players = draw(
        st.lists(LABEL.filter(lambda s: not s.endswith("\\")), min_size=n, max_size=n, unique=True)
    )
    strategies = [
        draw(st.lists(LABEL.filter(lambda s: not s.endswith("\\")), min_size=k, max_size=k, unique=True))
        for k in shape
    ]
    size = int(np.prod(shape))
    arrays = [np.array(draw(st.lists(FRACTIONS, min_size=size, max_size=size)), dtype=object).reshape(shape)]
    arrays += [
        np.array(draw(st.lists(FRACTIONS, min_size=size, max_size=size)), dtype=object).reshape(shape)
        for _ in range(n - 1)
    ]
    title = draw(LABEL.filter(lambda s: not s.endswith("\\")))
    return Game.from_arrays(*arrays, players=players, strategies=strategies, title=title, description="d\n")


@settings(max_examples=60, deadline=None)
@given(game=games(), style=st.sampled_from(STYLES))
def test_random_games_round_trip(game, style):
    same_game(game, read_nfg(write_nfg(game, style)))
