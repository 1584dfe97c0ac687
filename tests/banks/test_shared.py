"""A question written once in one bank and served by another under its own domain."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quizengine.banks import validate_paths
from quizengine.banks.hygiene import check
from tests.conftest import DATA, VALID_BANKS

SHARED = DATA / "banks" / "shared"


def test_a_sharing_bank_serves_the_owners_questions_under_its_own_domains() -> None:
    banks, problems = validate_paths([VALID_BANKS, SHARED])
    assert problems == []
    sharer = next(b for b in banks if b.certification.id == "sample-sharer")
    served = {q.id: (q.domain, q.cert_id) for q in sharer.questions}
    assert served == {
        "shr-gamma-001": ("gamma", "sample-sharer"),
        "smp-beta-001": ("gamma", "sample-cert"),  # the owner's text, the sharer's domain
        "smp-beta-002": ("delta", "sample-cert"),
    }
    assert sharer.counts_by_domain() == {"gamma": 2, "delta": 1}
    owner = next(b for b in banks if b.certification.id == "sample-cert")
    assert {q.domain for q in owner.questions if q.id.startswith("smp-beta")} == {"beta"}


def test_a_shared_question_is_not_a_near_duplicate_of_itself() -> None:
    banks, _ = validate_paths([VALID_BANKS, SHARED])
    assert not [p for p in check(banks) if "near-duplicate" in p.message]


def test_a_reference_to_a_bank_that_is_not_loaded_names_the_line() -> None:
    banks, problems = validate_paths([SHARED])
    assert [b.certification.id for b in banks] == []  # the sharing bank is left out whole
    assert [(Path(p.file).name, p.line) for p in problems] == [("shared.yaml", 6), ("shared.yaml", 7)]
    assert "sample-cert" in problems[0].message
    assert "validate the owning bank" in problems[0].hint


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("smp-beta-001: omega", "shared question `smp-beta-001` maps to unknown domain `omega`"),
        ("smp-beta-404: gamma", "bank `sample-cert` has no question `smp-beta-404`"),
        ("Not An Id: gamma", "`Not An Id` is not a question id"),
    ],
)
def test_bad_references_are_reported_with_their_line(tmp_path: Path, line: str, message: str) -> None:
    bank = tmp_path / "banks" / "sample-sharer"
    shutil.copytree(SHARED / "sample-sharer", bank)
    (bank / "shared.yaml").write_text(
        "schema: 1\ncertification: sample-sharer\nshared:\n  - bank: sample-cert\n"
        f"    questions:\n      {line}\n"
    )
    banks, problems = validate_paths([VALID_BANKS, tmp_path / "banks"])
    assert "sample-sharer" not in [b.certification.id for b in banks]
    assert [(Path(p.file).name, p.line, p.message) for p in problems] == [("shared.yaml", 6, message)]


def test_a_bank_cannot_list_a_question_twice(tmp_path: Path) -> None:
    bank = tmp_path / "banks" / "sample-sharer"
    shutil.copytree(SHARED / "sample-sharer", bank)
    (bank / "more.yaml").write_text(
        "schema: 1\ncertification: sample-sharer\nshared:\n  - bank: sample-cert\n    questions:\n"
        "      smp-beta-001: delta\n"
    )
    _, problems = validate_paths([VALID_BANKS, tmp_path / "banks"])
    assert any(p.line == 6 and "listed twice" in p.message for p in problems)
