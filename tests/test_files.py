"""Game files: the three payoff forms, YAML/TOML/JSON, and every kind of bad input.

Errors are asserted by their exact text (as Gambit's tests do) and by the CLI's
exit status 2, with no traceback.
"""

from __future__ import annotations

import time
from fractions import Fraction as F

import pytest

import gametheory as gt
from gametheory.errors import GameError, GameFileError

SECURITY_DILEMMA = """
title: Security dilemma (offence-defence balance)
description: |
  Two states choose a defensive (Restrain) or offensive (Arm) posture.
references:
  - "Jervis, R. (1978). Cooperation under the Security Dilemma. World Politics 30(2):167-214."
tags: [symmetric, security-dilemma]
parameters:
  g: {value: -1, range: [-3, 3], description: "gain from exploiting a disarmed rival"}
  L: {value: 3, description: "loss when exploited"}
  k: 1                        # shorthand: just the default value
define:                       # named expressions, usable below
  R: 0
  T: g
  S: -L
  P: -k
players:                      # ordered: axis order of the payoff arrays
  NATO: [Restrain, Arm]
  Russia: [Restrain, Arm]
payoffs:                      # form (a): one array per player, indexed [s_1][s_2]...[s_N]
  NATO:   [[R, S], [T, P]]
  Russia: [[R, T], [S, P]]
scenarios:
  status quo: {g: -1, L: 3}
  offence advantage: {g: 1}
repeated:
  discount: delta
  horizon: infinite
  monitoring:
    detection: pi
"""


def sd_text():
    # DESIGN.md's example, with the repeated section's names as parameters
    return SECURITY_DILEMMA.replace("  k: 1 ", "  k: 1\n  delta: 0.9\n  pi: 1/2 ", 1)


def test_design_example_loads(game_file):
    game = gt.load(game_file(sd_text()))
    assert game.players == ("NATO", "Russia")
    assert game.strategies == (("Restrain", "Arm"), ("Restrain", "Arm"))
    assert game.payoffs[0].tolist() == [[0, -3], [-1, -1]]
    assert game.payoffs[1].tolist() == [[0, -1], [-3, -1]]
    assert game.parameters["g"].range == (-3, 3)
    assert game.parameters["g"].description == "gain from exploiting a disarmed rival"
    assert game.values == {"g": -1, "L": 3, "k": 1, "delta": F(9, 10), "pi": F(1, 2)}
    assert game.repeated_values() == {"horizon": None, "discount": F(9, 10), "detection": F(1, 2)}
    assert game.scenarios == {"status quo": {"g": -1, "L": 3}, "offence advantage": {"g": 1}}
    assert game.references[0].startswith("Jervis")
    assert game.tags == ("symmetric", "security-dilemma")
    assert game.is_symmetric()


def test_with_parameters_gives_a_concrete_game(game_file):
    game = gt.load(game_file(sd_text()))
    pd = game.with_parameters(g=1)
    assert pd.payoffs[0].tolist() == [[0, -3], [1, -1]]
    assert game.payoffs[0].tolist() == [[0, -3], [-1, -1]]  # unchanged
    assert gt.load(game_file(sd_text()), values={"g": "1/2"}).payoffs[0][1, 0] == F(1, 2)
    with pytest.raises(GameError, match="unknown parameter 'G' \\(did you mean 'g'\\?\\)"):
        game.with_parameters(G=1)


def test_the_three_payoff_forms_give_the_same_game(game_file):
    arrays = gt.load(game_file("""
        players: {A: [C, D], B: [C, D]}
        payoffs:
          A: [[3, 0], [5, 1]]
          B: [[3, 5], [0, 1]]
    """, "a.yaml"))
    symmetric = gt.load(game_file("""
        players: {A: [C, D], B: [C, D]}
        symmetric: true
        payoffs: [[3, 0], [5, 1]]
    """, "b.yaml"))
    outcomes = gt.load(game_file("""
        players: {A: [C, D], B: [C, D]}
        default: 1
        payoffs:
          - {profile: [C, C], payoffs: [3, 3]}
          - {profile: {A: C, B: D}, payoffs: {B: 5, A: 0}}
          - {profile: [D, C], payoffs: [5, 0]}
    """, "c.yaml"))
    assert arrays.same_payoffs(symmetric)
    assert arrays.same_payoffs(outcomes)


def test_three_players_axis_order(game_file):
    game = gt.load(game_file("""
        players: {A: [a0, a1], B: [b0, b1, b2], C: [c0, c1]}
        default: 0
        payoffs:
          - {profile: [a1, b2, c0], payoffs: [1, 2, 3]}
    """))
    assert game.shape == (2, 3, 2)
    assert game.payoffs[:, 1, 2, 0].tolist() == [1, 2, 3]
    assert sum(game.payoff_array.ravel()) == 6


def test_numbers_are_exact_and_names_stay_names(game_file):
    game = gt.load(game_file("""
        players:
          Voter: [Yes, No, On, null]
          Other: [1, 2]
        payoffs:
          Voter: [[0.1, "3/2"], [1e-3, 2], [0, 0], [0, 0]]
          Other: [[0.2, 0.30], [0, 0], [0, 0], [0, 0]]
    """))
    assert game.strategies[0] == ("Yes", "No", "On", "null")
    assert game.strategies[1] == ("1", "2")
    assert game.payoffs[0, 0, 0] == F(1, 10)
    assert game.payoffs[0, 0, 1] == F(3, 2)
    assert game.payoffs[0, 1, 0] == F(1, 1000)
    assert game.payoffs[1, 0, 0] + game.payoffs[1, 0, 1] == F(1, 2)


def test_toml_and_json(game_file):
    toml = gt.load(game_file("""
        title = "PD"
        [parameters]
        T = 5
        [players]
        A = ["C", "D"]
        B = ["C", "D"]
        [payoffs]
        A = [[3, 0], ["T", 1]]
        B = [[3, "T"], [0, 1]]
    """, "pd.toml"))
    json = gt.load(game_file("""
        {"title": "PD", "parameters": {"T": 5},
         "players": {"A": ["C", "D"], "B": ["C", "D"]},
         "payoffs": {"A": [[3, 0], ["T", 1]], "B": [[3, "T"], [0, 1]]}}
    """, "pd.json"))
    assert toml == json
    assert toml.payoffs[0, 1, 0] == 5


@pytest.mark.parametrize("fmt", ["yaml", "toml", "json"])
def test_round_trip_keeps_everything(game_file, fmt):
    game = gt.load(game_file(sd_text()))
    again = gt.loads(gt.dumps(game, fmt), fmt, f"x.{fmt}")
    assert again == game
    assert list(again.parameters) == list(game.parameters)
    assert again.title == game.title and again.description == game.description
    assert again.references == game.references and again.tags == game.tags


# -- bad input: (file text, expected lines) ------------------------------------------

BAD = [
    (
        "wrong shape",
        """
        players: {A: [C, D], B: [C, D]}
        payoffs:
          A: [[1, 2], [3]]
          B: [[1, 2], [3, 4], [5, 6]]
        """,
        [
            "{f}:3: payoffs.A[1]: expected 2 entries (one per strategy), found 1",
            "{f}:4: payoffs.B: expected 2 entries (one per strategy), found 3",
        ],
    ),
    (
        "unknown names",
        """
        parameters: {T: 5}
        players: {A: [C, D], B: [C, D]}
        payoffs:
          A: [[R, 0], [Tt, 1]]
          B: [[1, 2], [3, 4]]
          C: [[1]]
        """,
        [
            "{f}:6: payoffs.C: unknown player 'C' (known: A, B)",
            "{f}:4: payoffs.A[0][0]: unknown name 'R' (known: T)",
            "{f}:4: payoffs.A[1][0]: unknown name 'Tt' (did you mean 'T'?)",
        ],
    ),
    (
        "unquoted comma inside a flow list",
        """
        players: {A: [C, D], B: [C]}
        payoffs:
          A: [[max(0, 1)], [2]]
          B: [[1], [2]]
        """,
        [
            "{f}:3: payoffs.A[0]: expected 1 entry (one per strategy), found 2; "
            "an expression with a comma, like max(a, b), must be quoted inside [ ]",
        ],
    ),
    (
        "duplicates",
        """
        players:
          A: [C, D, C]
          A: [C]
        payoffs: {}
        """,
        [
            "{f}:3: duplicate key 'A'",
        ],
    ),
    (
        "duplicate strategy",
        """
        players:
          A: [C, D, C]
          B: [C]
        payoffs: {}
        """,
        ["{f}:2: players.A[2]: duplicate strategy 'C' of player 'A'"],
    ),
    (
        "missing and repeated profiles",
        """
        players: {A: [C, D], B: [C, D]}
        payoffs:
          - {profile: [C, C], payoffs: [1, 1]}
          - {profile: [C, C], payoffs: [2, 2]}
          - {profile: [C, E], payoffs: [2, 2]}
        """,
        [
            "{f}:4: payoffs[1].profile: profile (C, C) is repeated (first given in outcome 1)",
            "{f}:5: payoffs[2].profile: unknown strategy of B 'E' (known: C, D)",
            "{f}:2: payoffs: missing profile (C, D) and 2 more; give it, or a top-level 'default'",
        ],
    ),
    (
        "division by zero and non-finite values at the parameters",
        """
        parameters: {c: 1}
        players: {A: [C, D], B: [C, D]}
        symmetric: true
        payoffs:
          - [1/(c - 1), 0]
          - [log(c - 1), sqrt(c - 2)]
        """,
        [
            "{f}:5: payoffs[0][0]: division by zero at c=1",
            "{f}:6: payoffs[1][0]: log of a number that is not positive at c=1",
            "{f}:6: payoffs[1][1]: sqrt of a negative number is not a real number at c=1",
        ],
    ),
    (
        "non-finite literal",
        """
        players: {A: [C], B: [C]}
        payoffs: {A: [[.inf]], B: [[.nan]]}
        """,
        ["{f}:2: '.inf' is not a finite number", "{f}:2: '.nan' is not a finite number"],
    ),
    (
        "size beyond the bound",
        """
        players: {A: 1000, B: 1000, C: 1000}
        payoffs: {}
        """,
        ["{f}:1: players: 1000000000 strategy profiles is beyond the limit of 1000000"],
    ),
    (
        "a YAML tag that would run code",
        """
        players: {A: [C], B: [C]}
        payoffs:
          A: [[!!python/object/apply:os.system ["echo pwned"]]]
          B: [[1]]
        """,
        ["{f}:3: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed in a game file"],
    ),
    (
        "an expression that imports a module",
        """
        players: {A: [C], B: [C]}
        payoffs:
          A: [["__import__('os').system('echo pwned')"]]
          B: [[1]]
        """,
        [
            "{f}:3: payoffs.A[0][0]: bad expression \"__import__('os').system('echo pwned')\": "
            "character \"'\" is not allowed in an expression at character 12"
        ],
    ),
    (
        "an expression that calls a function",
        """
        players: {A: [C], B: [C]}
        payoffs:
          A: [[open(1)]]
          B: [[exec(x)]]
        """,
        [
            "{f}:3: payoffs.A[0][0]: bad expression 'open(1)': unknown function 'open' "
            "(allowed: min, max, abs, sqrt, exp, log) at character 1",
            "{f}:4: payoffs.B[0][0]: bad expression 'exec(x)': unknown function 'exec' "
            "(allowed: min, max, abs, sqrt, exp, log) at character 1",
        ],
    ),
    (
        "wrong types",
        """
        title: [1, 2]
        symmetric: maybe
        players: {A: [C], B: [C]}
        payoffs: {A: [[yes]], B: [[1]]}
        extra: 1
        """,
        [
            "{f}:5: extra: unknown key 'extra' (known: title, description, references, tags, parameters, "
            "define, players, payoffs, symmetric, default, scenarios, repeated, expected, notes, $schema)",
            "{f}:1: title: expected text, found a list",
            "{f}:2: symmetric: expected true or false, found text",
            "{f}:4: payoffs.A[0][0]: expected a number or an expression, found a boolean ('yes')",
        ],
    ),
    (
        "boolean payoff",
        """
        players: {A: [C], B: [C]}
        payoffs: {A: [[yes]], B: [[1]]}
        """,
        ["{f}:2: payoffs.A[0][0]: expected a number or an expression, found a boolean ('yes')"],
    ),
    (
        "parameters and define",
        """
        parameters:
          T: {value: 5, range: [4, 1]}
          max: 2
          R: x
          P: {range: [0, 1]}
        define:
          a: b
          b: a
          T: 1
        players: {A: [C], B: [C]}
        payoffs: {A: [[1]], B: [[1]]}
        """,
        [
            "{f}:2: parameters.T.range: low must be below high",
            "{f}:3: parameters.max: parameter name 'max' is a function name",
            "{f}:4: parameters.R: must be a number, not an expression of x",
            "{f}:5: parameters.P: missing key 'value'",
            "{f}:9: define.T: 'T' is already a parameter",
            "{f}:6: define: circular definition a -> b -> a",
        ],
    ),
    (
        "repeated section",
        """
        parameters: {d: 1}
        players: {A: [C], B: [C]}
        payoffs: {A: [[1]], B: [[1]]}
        repeated:
          discount: d
          horizon: forever
          monitoring: {detection: q, noise: 1}
        """,
        [
            "{f}:6: repeated.horizon: expected a whole number of rounds or 'infinite', found 'forever'",
            "{f}:7: repeated.monitoring.noise: unknown key 'noise' (known: detection)",
            "{f}:7: repeated.monitoring.detection: unknown name 'q' (known: d)",
        ],
    ),
    (
        "discount out of range",
        """
        parameters: {d: 1}
        players: {A: [C], B: [C]}
        payoffs: {A: [[1]], B: [[1]]}
        repeated: {discount: d, monitoring: {detection: 3/2}}
        """,
        [
            "{f}:4: repeated.discount: must satisfy 0 <= discount < 1, found 1 at d=1",
            "{f}:4: repeated.monitoring.detection: must be a probability in [0, 1], found 3/2 at d=1",
        ],
    ),
    ("invalid YAML", "players: [\n", ["{f}:2:1: invalid YAML: expected the node content, but found '<stream end>'"]),
    ("empty file", "\n", ["{f}:1: the file is empty"]),
    ("not a mapping", "- 1\n- 2\n", ["{f}:1: a game file must be a mapping of keys (title, players, payoffs, ...), found a list"]),
    ("missing keys", "title: x\n", ["{f}:1: missing key 'players'", "{f}:1: missing key 'payoffs'"]),
]


@pytest.mark.parametrize("case, text, expected", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_reported_with_file_line_and_key(run_cli, game_file, case, text, expected):
    path = game_file(text)
    result = run_cli("validate", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [e.format(f=path) for e in expected]
    assert "Traceback" not in result.stderr
    with pytest.raises(GameFileError):
        gt.load(path)


def test_alias_bomb_is_refused_fast(run_cli, tmp_path):
    lines = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    lines += ["players: {A: [x], B: [y]}", "payoffs: {A: [[1]], B: [[1]]}", "title: *a9"]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    result = run_cli("validate", path)
    assert time.perf_counter() - start < 1
    assert result.exit_code == 2
    assert "the document expands to too many values (an alias bomb?)" in result.stderr


def test_huge_exponent_is_refused_fast(run_cli, game_file):
    path = game_file("""
        players: {A: [C], B: [C]}
        payoffs: {A: [[9**9**9]], B: [[1]]}
    """)
    start = time.perf_counter()
    result = run_cli("validate", path)
    assert time.perf_counter() - start < 1
    assert result.stderr.strip() == f"{path}:2: payoffs.A[0][0]: number too large (exact power beyond 4096 bits)"


def test_toml_and_json_errors_name_the_line(run_cli, game_file):
    toml = game_file('[players]\nA = ["x"]\nB = ["y"]\n[payoffs]\nA = [["1"]]\nB = [["foo("]]\n', "g.toml")
    result = run_cli("validate", toml)
    assert result.stderr.strip() == (
        f"{toml}:6: payoffs.B[0][0]: bad expression 'foo(': unknown function 'foo' "
        "(allowed: min, max, abs, sqrt, exp, log) at character 1"
    )
    bad_toml = game_file("[players\n", "bad.toml")
    assert run_cli("validate", bad_toml).stderr.startswith(f"{bad_toml}:1:")
    js = game_file('{"players": {"A": ["x"], "B": ["y"]},\n "payoffs": {"A": [[1]],\n  "B": [[1, 2]]}}\n', "g.json")
    assert run_cli("validate", js).stderr.strip() == f"{js}:3: payoffs.B[0]: expected 1 entry (one per strategy), found 2"
    dup = game_file('{"players": {}, "players": {}}', "dup.json")
    assert run_cli("validate", dup).stderr.strip() == f"{dup}: invalid JSON: duplicate key 'players'"


def test_missing_file_and_unknown_extension(run_cli, tmp_path):
    result = run_cli("validate", tmp_path / "nope.yaml", tmp_path / "x.txt")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'nope.yaml'}: no such file",
        f"{tmp_path / 'x.txt'}: cannot tell the format from the extension '.txt'; use one of .yaml .yml .toml .json .nfg",
    ]


def test_set_errors(run_cli, game_file):
    path = game_file(sd_text())
    result = run_cli("show", path, "--set", "G=1")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{path}: --set: unknown parameter 'G' (did you mean 'g'?)"
    result = run_cli("show", path, "--set", "g")
    assert result.stderr.strip() == "error: --set 'g': expected NAME=VALUE, e.g. --set delta=0.9"
    result = run_cli("show", path, "--set", "g=os.system")
    assert result.exit_code == 2
    assert "not allowed" in result.stderr
    result = run_cli("show", path, "--set", "delta=1")
    line = sd_text().lstrip("\n").splitlines().index("  discount: delta") + 1
    assert result.stderr.strip() == f"{path}:{line}: repeated.discount: must satisfy 0 <= discount < 1, found 1 at g=-1, L=3, k=1, delta=1, pi=1/2"


def test_defined_names_fail_only_where_used(run_cli, game_file):
    text = """
        parameters: {R: 3, T: 3, P: 1, S: 0}
        define:
          p_star: (P - S)/((R - T) + (P - S))
          unused_ratio: 1/(R - T)
        players: {A: [C, D], B: [C, D]}
        symmetric: true
        payoffs: [[R, S], [T, P]]
    """
    assert gt.load(game_file(text)).payoffs[0, 1, 0] == 3  # unused_ratio divides by zero, unused
    used = game_file(text.replace("[[R, S], [T, P]]", "[[R, S], [T, unused_ratio]]"), "used.yaml")
    result = run_cli("validate", used)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{used}:4: define.unused_ratio: division by zero at R=3, T=3, P=1, S=0"


def test_default_is_checked(run_cli, game_file):
    outcomes = game_file("""
        players: {A: [C, D], B: [C]}
        default: foo
        payoffs:
          - {profile: [C, C], payoffs: [1, 1]}
    """)
    assert run_cli("validate", outcomes).stderr.strip() == f"{outcomes}:2: default: unknown name 'foo'"
    arrays = game_file("""
        players: {A: [C], B: [C]}
        default: 0
        payoffs: {A: [[1]], B: [[1]]}
    """, "arrays.yaml")
    assert run_cli("validate", arrays).stderr.strip() == (
        f"{arrays}:2: default: 'default' applies only to payoffs given as a list of outcomes"
    )


def test_numbers_written_as_text_keep_their_spelling(game_file):
    game = gt.load(game_file("""
        title: 1.50
        players: {A: [0.5, 1, 1.0], B: [C]}
        payoffs: {A: [[1], [2], [3]], B: [[1], [1], [1]]}
    """))
    assert game.title == "1.50"
    assert game.strategies[0] == ("0.5", "1", "1.0")
