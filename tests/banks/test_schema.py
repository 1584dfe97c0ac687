"""The machine-readable schema and the loader agree on every bank we ship and test with."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from quizengine.banks.yamlread import parse
from tests.conftest import REPO, VALID_BANKS

SCHEMA = json.loads((REPO / "quizengine" / "banks" / "bank.schema.json").read_text())
FILES = (
    sorted(p for p in (REPO / "question_banks").glob("*/*.yaml") if not p.parent.name.startswith("_"))
    + sorted(VALID_BANKS.glob("*/*.yaml"))
    + sorted((VALID_BANKS.parent / "sections").glob("*/*.yaml"))
    + sorted((VALID_BANKS.parent / "shared").glob("*/*.yaml"))
)


def plain(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def test_the_schema_is_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bank_files_match_the_schema(path: Path) -> None:
    data = plain(parse(path.read_bytes(), str(path)))  # the loader's own reading (YAML 1.2 booleans)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)


def test_the_schema_rejects_what_the_loader_rejects() -> None:
    data = plain(yaml.load((VALID_BANKS / "sample-cert" / "bank.yaml").read_text(), Loader=yaml.CSafeLoader))
    data["questions"][0]["difficulty"] = 7
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data))
    assert errors
