from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from quizengine.banks import BankError, BankSource, load_bank, validate_paths
from quizengine.domain.model import CertStatus, QuestionType
from tests.conftest import INVALID_BANKS, REPO, VALID_BANKS

HEADER = re.compile(rb"^# expect: (\d+): (.+)$")
NO_HEADER = {"empty.yaml": (0, "the file is empty")}


def expectation(path: Path) -> tuple[int, str]:
    if path.name in NO_HEADER:
        return NO_HEADER[path.name]
    first = path.read_bytes().splitlines()[0]
    match = HEADER.match(first)
    assert match, f"{path} needs a '# expect: LINE: MESSAGE' first line"
    return int(match[1]), match[2].decode()


INVALID = sorted(INVALID_BANKS.glob("*.yaml"))


def test_the_invalid_corpus_is_there() -> None:
    assert len(INVALID) >= 40


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_each_invalid_bank_names_file_line_and_fix(path: Path) -> None:
    line, message = expectation(path)
    with pytest.raises(BankError) as info:
        load_bank(BankSource(path, (path,)))
    problems = info.value.problems
    matching = [p for p in problems if message in p.message or message in p.hint]
    assert matching, f"expected {message!r}, got: {[str(p) for p in problems]}"
    assert matching[0].file == str(path)
    assert matching[0].line == line, str(matching[0])
    assert matching[0].hint, "every problem carries a hint on how to fix it"


def test_valid_sample_bank_loads_every_type() -> None:
    banks, problems = validate_paths([VALID_BANKS])
    assert problems == []
    (bank,) = banks
    assert bank.certification.status is CertStatus.RETIRED
    assert bank.certification.lifecycle_warning() == "SMP-01 retired on 2026-03-31, successor SMP-02"
    assert {q.type for q in bank.questions} == set(QuestionType)
    assert bank.counts_by_domain() == {"alpha": 2, "beta": 2}
    multiple = next(q for q in bank.questions if q.type is QuestionType.MULTIPLE)
    assert multiple.type_label == "Select TWO"
    assert bank.questions[0].guide_version == "1.0"  # inherited from the certification


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = (VALID_BANKS / "sample-cert" / "bank.yaml").read_text()
    text = text.replace("difficulty: 1", "difficulty: 9", 1).replace(
        "domain: alpha\n    topics: [numbers]", "domain: nope\n    topics: [numbers]"
    )
    text = text.replace("    weight: 40", "    weight: 41")
    bad = tmp_path / "bank.yaml"
    bad.write_text(text)
    with pytest.raises(BankError) as info:
        load_bank(BankSource(bad, (bad,)))
    messages = " | ".join(p.message for p in info.value.problems)
    assert "difficulty must be 1, 2 or 3" in messages
    assert "sum to 101" in messages
    assert len(info.value.problems) >= 2


def test_a_bad_file_keeps_the_whole_bank_out(tmp_path: Path) -> None:
    folder = tmp_path / "sample-cert"
    folder.mkdir()
    (folder / "bank.yaml").write_text((VALID_BANKS / "sample-cert" / "bank.yaml").read_text())
    (folder / "more.yaml").write_text(
        (VALID_BANKS / "sample-cert" / "more.yaml").read_text().replace("pairs:", "pears:")
    )
    banks, problems = validate_paths([folder])
    assert banks == []
    assert any(p.file.endswith("more.yaml") and "unknown key `pears`" in p.message for p in problems)


def test_question_ids_are_unique_across_banks(tmp_path: Path) -> None:
    for name in ("one", "two"):
        folder = tmp_path / name
        folder.mkdir()
        text = (
            (VALID_BANKS / "sample-cert" / "bank.yaml").read_text().replace("id: sample-cert", f"id: {name}")
        )
        (folder / "bank.yaml").write_text(text)
    banks, problems = validate_paths([tmp_path])
    assert [b.certification.id for b in banks] == ["one"]
    assert any("also used in bank `one`" in p.message for p in problems)


def test_ranged_weights_are_normalised_midpoints(tmp_path: Path) -> None:
    text = (VALID_BANKS / "sample-cert" / "bank.yaml").read_text()
    text = text.replace("weight: 60", 'weight: "50-60"').replace("weight: 40", 'weight: "35-45"')
    path = tmp_path / "bank.yaml"
    path.write_text(text)
    bank = load_bank(BankSource(path, (path,)))
    assert [round(d.weight, 2) for d in bank.domains] == [57.89, 42.11]


def test_symlink_outside_the_bank_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text((VALID_BANKS / "sample-cert" / "bank.yaml").read_text())
    folder = tmp_path / "banks" / "sample"
    folder.mkdir(parents=True)
    (folder / "bank.yaml").symlink_to(outside)
    banks, problems = validate_paths([folder])
    assert banks == []
    assert any("symlink leads outside" in p.message for p in problems)


def test_billion_laughs_fails_fast(tmp_path: Path) -> None:
    lines = ["schema: 1", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\nquestions: *a9\n")
    start = time.process_time()
    with pytest.raises(BankError) as info:
        load_bank(BankSource(path, (path,)))
    assert time.process_time() - start < 5  # generous: it must not expand 10^9 nodes
    assert "aliases" in str(info.value)


def test_shipped_banks_are_valid() -> None:
    banks, problems = validate_paths([REPO / "question_banks"])
    assert problems == [], "\n".join(map(str, problems))
    assert {b.certification.id for b in banks} >= {"aws-mla-c01", "azure-ai-102", "nvidia-dli-cv"}


def test_a_10_mb_file_is_refused_at_the_line_of_its_huge_text(tmp_path: Path) -> None:
    bank = tmp_path / "huge"
    shutil.copytree(VALID_BANKS / "sample-cert", bank)
    text = (bank / "more.yaml").read_text()
    huge = "word " * 2_000_000  # 10 MB in one stem
    (bank / "more.yaml").write_text(
        text.replace("stem: Put the steps of making tea in order.", f"stem: {huge}")
    )
    assert (bank / "more.yaml").stat().st_size > 10_000_000
    banks, problems = validate_paths([bank])
    assert banks == []
    (problem,) = problems
    assert problem.file.endswith("more.yaml")
    assert "is 9,999,999 characters; at most 20,000" in problem.message
    assert problem.line == 9  # the line of `stem:` in more.yaml


def test_a_file_over_20_mb_is_refused_before_parsing(tmp_path: Path) -> None:
    bank = tmp_path / "huger"
    shutil.copytree(VALID_BANKS / "sample-cert", bank)
    with (bank / "more.yaml").open("a") as f:
        f.write("# " + "x" * 21_000_000 + "\n")
    _, problems = validate_paths([bank])
    assert any("the limit is 20 MB" in p.message for p in problems)
