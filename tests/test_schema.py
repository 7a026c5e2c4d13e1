"""The JSON Schema shipped in the package agrees with the loader."""

from __future__ import annotations

import tomllib

import pytest
import yaml

from gametheory.formats import schema

from .conftest import GAMES
from .test_files import sd_text

jsonschema = pytest.importorskip("jsonschema")


def raw(path):
    if path.suffix == ".toml":
        return tomllib.loads(path.read_text())
    return yaml.safe_load(path.read_text())


def test_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(schema())


@pytest.mark.parametrize("path", sorted(p for p in GAMES.rglob("*") if p.suffix in (".yaml", ".yml", ".toml", ".json")),
                         ids=lambda p: p.name)
def test_every_shipped_game_matches_the_schema(path):
    jsonschema.validate(raw(path), schema())


def test_design_example_matches_and_typos_do_not():
    data = yaml.safe_load(sd_text())
    jsonschema.validate(data, schema())
    data["payofs"] = data.pop("payoffs")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())
