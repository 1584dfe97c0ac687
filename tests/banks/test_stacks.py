"""Stack files: the shipped ones validate against the shipped banks; a bad one names file, line and fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quizengine.banks import validate_paths
from quizengine.banks.stacks import load_stacks, stack_files
from quizengine.cli import main
from tests.conftest import DATA, REPO, VALID_BANKS

BAD = DATA / "stacks" / "bad"


def test_the_shipped_stacks_name_only_shipped_banks_and_fit_their_ranges() -> None:
    banks, problems = validate_paths([REPO / "question_banks"])
    assert not [p for p in problems if p.severity == "error"]
    stacks, stack_problems = load_stacks(
        stack_files([REPO / "question_banks"]), {b.certification.id for b in banks}
    )
    assert stack_problems == []
    by_id = {s.id: s for s in stacks}
    assert {"production-cv", "enterprise", "edge-vision-specialist"} <= set(by_id)
    assert 12 <= by_id["production-cv"].total_months <= 18  # the 12-18 months
    assert 9 <= by_id["enterprise"].total_months <= 15


def test_every_problem_of_a_bad_stack_file_is_reported_with_its_line() -> None:
    stacks, problems = load_stacks(stack_files([BAD]), {"sample-cert"})
    assert stacks == []
    found = {(p.line, p.message) for p in problems}
    assert all(p.file.endswith("_stacks/stacks.yaml") for p in problems)
    assert (8, "the steps add up to 4 months, outside the stack's range [2, 3]") in found
    assert (15, "no bank `no-such-bank`") in found
    assert (18, "a step takes 1 to 24 months") in found
    assert (19, "a stack is missing `name`") in found
    assert (22, "a stack needs at least one step") in found
    assert all(p.hint for p in problems)


def test_without_bank_ids_an_unknown_exam_is_not_a_problem() -> None:
    """At run time a plan notes an exam without a bank instead of refusing the whole file."""
    _stacks, problems = load_stacks(stack_files([BAD]), None)
    assert not any("no bank" in p.message for p in problems)


def test_banks_validate_checks_stacks_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(VALID_BANKS, tmp_path / "banks")
    shutil.copytree(BAD / "_stacks", tmp_path / "banks" / "_stacks")
    assert main(["banks", "validate", str(tmp_path / "banks")]) == 1
    out = capsys.readouterr().out
    assert "_stacks/stacks.yaml:15: error: no bank `no-such-bank`" in out
    assert "ok  sample-cert" in out
