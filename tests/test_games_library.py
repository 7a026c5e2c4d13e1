"""The games library: every file in games/ loads, round-trips and reproduces its documented results.

One parametrised test per file (``*.yaml``, ``*.yml``, ``*.toml``, ``*.json``), in the
spirit of Axelrod's per-strategy checks: adding a game file adds its tests.  Each file
must

* load with :func:`gametheory.load`, pass ``gametheory validate`` (exit status 0), and
  carry a title, a description and at least one reference;
* round-trip exactly through YAML, TOML and JSON (``loads(dumps(game, fmt), fmt) ==
  game``, metadata included), and through Gambit's ``.nfg`` (same payoffs) when the
  ``.nfg`` module is available;
* solve: every equilibrium :func:`gametheory.solvers.solve` reports verifies (regret
  exactly 0 when exact);
* document its results under ``expected``: ``pure_equilibria`` is required, and every
  other key present is checked against what the tool computes (never against formulas
  written here).  The keys are documented in docs/reference/format.md, section
  "expected and notes", and listed in ``CHECKS`` below; an unknown key fails the test,
  so that a misspelt key cannot pass silently.  ``mixed_equilibria`` and ``notes`` are
  free text for readers.

``expected`` is read from the raw file, since the :class:`~gametheory.model.Game`
does not keep it.
"""

from __future__ import annotations

import json
import tomllib
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

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

PROSE_KEYS = {"mixed_equilibria", "notes"}  # free text: shown to readers, not checked
FLOAT_TOL = 1e-9  # regret allowed for equilibria whose probabilities are irrational


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


# ---------------------------------------------------------------------------
# exact values written in a file: "2/3", "(53 - sqrt(601))/46", 0.5, 1


def exact(value: Any) -> Any:
    """A documented value as an exact number (parsed by the tool's own safe expression parser)."""
    from gametheory.expressions import evaluate, parse

    if isinstance(value, bool):
        raise AssertionError(f"expected a number, found {value!r}")
    if isinstance(value, float):  # YAML 0.5: read as the decimal it was written as
        value = repr(value)
    return evaluate(parse(str(value) if not isinstance(value, (int, Fraction)) else value), {})


def same_number(a: Any, b: Any) -> bool:
    """Exact equality of rationals or algebraic numbers (sympy), without float shortcuts."""
    if isinstance(a, (int, Fraction)) and isinstance(b, (int, Fraction)):
        return Fraction(a) == Fraction(b)
    import sympy

    def sym(x: Any) -> Any:
        return sympy.Rational(x.numerator, x.denominator) if isinstance(x, (int, Fraction)) else sympy.sympify(x)

    diff = sym(a) - sym(b)
    if abs(float(diff)) > 1e-9:
        return False
    return sympy.simplify(diff) == 0


def same_expression(expected: str, computed: Any) -> bool:
    """A documented expression in the parameters equals the tool's (sympy) expression."""
    import sympy

    from gametheory.expressions import parse, to_sympy

    if computed is None:
        return False
    symbols = {s.name: s for s in computed.free_symbols} if hasattr(computed, "free_symbols") else {}
    return sympy.simplify(to_sympy(parse(str(expected)), symbols) - computed) == 0


# ---------------------------------------------------------------------------
# profiles written in a file


def parse_profile(game, doc: Any, where: str) -> tuple[tuple[Any, ...], ...]:
    """A documented profile as exact probability tuples, in the game's player and strategy order.

    Forms: a list with one strategy name per player (pure), or a mapping player ->
    strategy name (pure) or player -> {strategy: probability} (strategies left out
    have probability 0).
    """
    if isinstance(doc, list):
        assert len(doc) == game.n_players, f"{where}: one strategy per player expected, found {doc!r}"
        doc = dict(zip(game.players, doc))
    assert isinstance(doc, dict), f"{where}: a profile is a list of strategies or a mapping by player"
    unknown = set(doc) - set(game.players)
    assert not unknown, f"{where}: unknown players {sorted(unknown)} (players: {game.players})"
    out = []
    for i, player in enumerate(game.players):
        assert player in doc, f"{where}: no strategy given for {player!r}"
        value = doc[player]
        if isinstance(value, str):
            value = {value: 1}
        assert isinstance(value, dict), f"{where}: {player}: expected a strategy or {{strategy: probability}}"
        bad = set(value) - set(game.strategies[i])
        assert not bad, f"{where}: {player}: unknown strategies {sorted(bad)} (known: {game.strategies[i]})"
        out.append(tuple(exact(value[s]) if s in value else Fraction(0) for s in game.strategies[i]))
    return tuple(out)


def same_profile(p: Any, q: Any) -> bool:
    return all(same_number(a, b) for x, y in zip(p, q) for a, b in zip(x, y))


def show_profile(game, profile: Any) -> str:
    from gametheory.solvers._exact import exact_string

    parts = []
    for player, names, x in zip(game.players, game.strategies, profile):
        used = [f"{s} {exact_string(p)}" for s, p in zip(names, x) if p != 0]
        parts.append(f"{player}: " + ", ".join(used))
    return "(" + "; ".join(parts) + ")"


def assert_same_profiles(game, documented: list, computed: list, what: str) -> None:
    """The documented profiles are the computed ones, as sets (exact comparison)."""
    left = list(computed)
    missing = []
    for p in documented:
        k = next((k for k, q in enumerate(left) if same_profile(p, q)), None)
        if k is None:
            missing.append(p)
        else:
            left.pop(k)
    assert not missing and not left, (
        f"{what}: documented but not computed: {[show_profile(game, p) for p in missing]}; "
        f"computed but not documented: {[show_profile(game, p) for p in left]}"
    )


# ---------------------------------------------------------------------------
# what the tool computes, each computed once per file (and per scenario)


class Computed:
    """The tool's results for one game, computed lazily."""

    def __init__(self, game, path: Path):
        self.game = game
        self.path = path

    @cached_property
    def result(self):
        from gametheory.solvers import solve

        return solve(self.game)

    @cached_property
    def analysis(self) -> dict:
        from gametheory.solvers.refinements import analyse

        return analyse(self.result)

    @cached_property
    def repeated(self):
        from gametheory.repeated import analyse

        return analyse(self.game, payoff_set=False)

    def thresholds(self, name: str):
        from gametheory.sensitivity import thresholds

        return thresholds(self.game, name)


# ---------------------------------------------------------------------------
# the checks, one per key of `expected`


def check_pure_equilibria(c: Computed, value: Any) -> None:
    from gametheory.report.show import pure_profiles_all_best

    assert isinstance(value, list), "pure_equilibria: a list of profiles (one strategy name per player)"
    documented = sorted(tuple(str(s) for s in prof) for prof in value)
    computed = sorted(profile_names(c.game, prof) for prof in pure_profiles_all_best(c.game))
    assert documented == computed, f"pure_equilibria: computed {computed}"


def check_equilibria(c: Computed, value: Any) -> None:
    documented = [parse_profile(c.game, p, f"equilibria[{k}]") for k, p in enumerate(value)]
    assert_same_profiles(c.game, documented, [e.profile for e in c.result], "equilibria")


def check_complete(c: Computed, value: Any) -> None:
    assert c.result.complete is bool(value), f"complete: the solver says {c.result.complete}"


def check_equilibrium_count(c: Computed, value: Any) -> None:
    assert len(c.result) == int(value), f"equilibrium_count: computed {len(c.result)}"


def check_degenerate(c: Computed, value: Any) -> None:
    assert c.result.degenerate is bool(value), f"degenerate: computed {c.result.degenerate}"


def check_components(c: Computed, value: Any) -> None:
    comps = c.result.components
    count = len(comps) if comps is not None else len(c.result)
    assert count == int(value), f"components: computed {count} ({comps})"


def _flagged(c: Computed, key: str, documented: Any) -> None:
    flags = c.analysis.get(key)
    assert flags is not None, f"{key}: not computed for this game"
    profiles = [parse_profile(c.game, p, f"{key}[{k}]") for k, p in enumerate(documented)]
    chosen = [e.profile for e, flag in zip(c.result, flags) if flag]
    assert_same_profiles(c.game, profiles, chosen, key)


def check_undominated(c: Computed, value: Any) -> None:
    _flagged(c, "undominated", value)


def check_ess(c: Computed, value: Any) -> None:
    _flagged(c, "ess", value)


def _pick(c: Computed, index: int | None, key: str, value: Any) -> None:
    if value is None:
        assert index is None, f"{key}: computed {show_profile(c.game, c.result[index].profile)}"
        return
    assert index is not None, f"{key}: the tool finds none"
    assert same_profile(parse_profile(c.game, value, key), c.result[index].profile), (
        f"{key}: computed {show_profile(c.game, c.result[index].profile)}"
    )


def check_risk_dominant(c: Computed, value: Any) -> None:
    rd = c.analysis.get("risk_dominance")
    _pick(c, rd["risk_dominant"] if rd else None, "risk_dominant", value)


def check_payoff_dominant(c: Computed, value: Any) -> None:
    _pick(c, c.analysis.get("payoff_dominant"), "payoff_dominant", value)


def check_surviving(c: Computed, value: Any) -> None:
    from gametheory.solvers.dominance import iterated_elimination

    result = iterated_elimination(c.game, weak=False, mixed=True)
    computed = {p: list(names) for p, names in result.surviving.items()}
    documented = {p: [value[p]] if isinstance(value[p], str) else list(value[p]) for p in value}
    assert documented == computed, f"surviving: computed {computed}"


CORRELATED_KEYS = {"welfare", "payoffs", "distribution", "best_nash_welfare"}


def check_correlated(c: Computed, value: Any) -> None:
    from gametheory.solvers.correlated import correlated_equilibrium
    from gametheory.solvers.refinements import welfare

    assert isinstance(value, dict) and set(value) <= CORRELATED_KEYS, (
        f"correlated: a mapping with keys among {sorted(CORRELATED_KEYS)}"
    )
    ce = correlated_equilibrium(c.game, "welfare", ranges=False)
    assert ce.exact, "correlated: the welfare-maximising correlated equilibrium was not found exactly"
    if "welfare" in value:
        assert same_number(exact(value["welfare"]), ce.welfare), f"correlated.welfare: computed {ce.welfare}"
    if "payoffs" in value:
        for i, player in enumerate(c.game.players):
            assert same_number(exact(value["payoffs"][player]), ce.payoffs[i]), (
                f"correlated.payoffs: computed {ce.payoffs}"
            )
    if "distribution" in value:
        documented = {tuple(d["profile"]): exact(d["probability"]) for d in value["distribution"]}
        computed = ce.distribution()
        assert set(documented) == set(computed) and all(
            same_number(documented[k], computed[k]) for k in documented
        ), f"correlated.distribution: computed {computed}"
    if "best_nash_welfare" in value:
        assert c.result.complete, "correlated.best_nash_welfare: the Nash equilibria are not all known"
        best = max((welfare(e) for e in c.result), key=float)
        assert same_number(exact(value["best_nash_welfare"]), best), f"best Nash welfare: computed {best}"


THRESHOLD_KEYS = {"value", "expression", "below", "above"}


def check_thresholds(c: Computed, value: Any) -> None:
    from gametheory.sensitivity.structure import describe

    assert isinstance(value, dict), "thresholds: a mapping parameter -> list of thresholds"
    for name, entries in value.items():
        result = c.thresholds(name)
        found = result.thresholds
        shown = [(t.exact, t.expression_text) for t in found]
        assert len(entries) == len(found), f"thresholds.{name}: computed {shown}"
        for entry, t in zip(entries, found):
            assert set(entry) <= THRESHOLD_KEYS, f"thresholds.{name}: keys among {sorted(THRESHOLD_KEYS)}"
            assert t.exact is not None and same_number(exact(entry["value"]), t.value), (
                f"thresholds.{name}: computed {shown}"
            )
            if "expression" in entry:
                assert same_expression(entry["expression"], t.expression), (
                    f"thresholds.{name} = {t.exact}: the tool's expression is {t.expression_text!r}"
                )
            for side, key in (("below", t.below), ("above", t.above)):
                if side not in entry:
                    continue
                regime = next(
                    (r for r in result.regimes if (r.high if side == "below" else r.low) == t.value), None
                )
                names = {describe(c.game, key)} if key is not None else set()
                if regime is not None and regime.classification:
                    names.add(regime.classification)
                assert entry[side] in names, f"thresholds.{name} = {t.exact}, {side}: the tool says {sorted(names)}"


def _strategy(c: Computed, name: str):
    try:
        return c.repeated.threshold(name)
    except KeyError:
        known = sorted({s.name for s in c.repeated.strategies})
        raise AssertionError(f"unknown repeated-game strategy {name!r} (known: {known})") from None


def check_critical_discount(c: Computed, value: Any) -> None:
    for name, documented in value.items():
        s = _strategy(c, name)
        if documented in (None, "never"):
            assert s.critical is None, f"critical_discount.{name}: computed {s.exact}"
        else:
            assert s.critical is not None and same_number(exact(documented), s.critical), (
                f"critical_discount.{name}: computed {s.exact}"
            )


def check_sustainable(c: Computed, value: Any) -> None:
    for name, documented in value.items():
        s = _strategy(c, name)
        assert s.sustainable is bool(documented), f"sustainable.{name}: computed {s.sustainable}"


def check_critical_detection(c: Computed, value: Any) -> None:
    details = _strategy(c, "grim-after-detection").details
    computed = details.get("critical_detection_exact")  # exact text, beside the float critical_detection
    assert computed is not None and same_number(exact(value), exact(computed)), (
        f"critical_detection: computed {details.get('critical_detection_exact')}"
    )


def check_minmax(c: Computed, value: Any) -> None:
    computed = {v.player: v.minmax for v in c.repeated.values}
    for player, documented in value.items():
        assert same_number(exact(documented), computed[player]), f"minmax.{player}: computed {computed[player]}"


def check_scenarios(c: Computed, value: Any) -> None:
    assert isinstance(value, dict), "scenarios: a mapping scenario name -> expected results there"
    for name, expected in value.items():
        assert name in c.game.scenarios, f"scenarios: no scenario {name!r} in the file ({sorted(c.game.scenarios)})"
        assert "scenarios" not in expected, "scenarios cannot be nested"
        game = c.game.with_parameters(c.game.scenarios[name])
        check_expected(Computed(game, c.path), expected, f"scenario {name!r}: ")


CHECKS: dict[str, Callable[[Computed, Any], None]] = {
    "pure_equilibria": check_pure_equilibria,
    "equilibria": check_equilibria,
    "complete": check_complete,
    "equilibrium_count": check_equilibrium_count,
    "degenerate": check_degenerate,
    "components": check_components,
    "undominated": check_undominated,
    "ess": check_ess,
    "risk_dominant": check_risk_dominant,
    "payoff_dominant": check_payoff_dominant,
    "surviving": check_surviving,
    "correlated": check_correlated,
    "thresholds": check_thresholds,
    "critical_discount": check_critical_discount,
    "sustainable": check_sustainable,
    "critical_detection": check_critical_detection,
    "minmax": check_minmax,
    "scenarios": check_scenarios,
}


def check_expected(c: Computed, expected: dict, prefix: str = "") -> None:
    """Every key of ``expected`` is known and agrees with the tool."""
    unknown = set(expected) - set(CHECKS) - PROSE_KEYS
    assert not unknown, f"{prefix}unknown keys in expected: {sorted(unknown)} (known: {sorted(set(CHECKS) | PROSE_KEYS)})"
    for key in PROSE_KEYS & set(expected):
        assert isinstance(expected[key], (list, str)), f"{prefix}{key}: free text, or a list of texts"
    for key, check in CHECKS.items():
        if key not in expected:
            continue
        try:
            check(c, expected[key])
        except AssertionError as exc:
            raise AssertionError(f"{prefix}{exc}") from None
    # listing every equilibrium claims the list is complete unless the file says otherwise
    if ("equilibria" in expected or "equilibrium_count" in expected) and "complete" not in expected:
        assert c.result.complete, f"{prefix}the solver's list is not complete; say `complete: false`"


# ---------------------------------------------------------------------------


@pytest.fixture(params=FILES, ids=lambda p: str(p.relative_to(GAMES)))
def path(request) -> Path:
    return request.param


def test_game_file(path: Path, run_cli) -> None:
    from gametheory.solvers.verify import regret

    game = gt.load(path)

    # metadata a teacher relies on
    assert game.title.strip(), "missing title"
    assert game.description.strip(), "missing description"
    assert game.references, "needs at least one reference"

    # the command line accepts it
    result = run_cli("validate", path)
    assert result.exit_code == 0, result.output

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

    # every equilibrium the solver reports verifies
    computed = Computed(game, path)
    assert len(computed.result) > 0, "no equilibrium found"
    for eq in computed.result:
        if eq.exact:
            assert all(r == 0 for r in eq.regret), f"exact equilibrium with regret {eq.regret}"
            independent = regret(game, eq.profile)
            if all(isinstance(p, (int, Fraction)) for x in eq.profile for p in x):
                assert all(r == 0 for r in independent), f"regret {independent} at {eq}"
            else:  # irrational probabilities: checked in floating point here
                assert max(float(r) for r in independent) <= FLOAT_TOL, f"regret {independent} at {eq}"
        else:
            assert max(float(r) for r in regret(game, eq.profile)) <= computed.result.tolerance + FLOAT_TOL

    # the documented results are the computed ones
    doc = raw_document(path)
    expected = doc.get("expected")
    assert isinstance(expected, dict) and "pure_equilibria" in expected, (
        "document the results under expected: {pure_equilibria: [...], mixed_equilibria: [...]}"
    )
    check_expected(computed, expected)
