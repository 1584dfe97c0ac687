"""Microsoft-style rules: a case study is a section locked once left; answered yes/no items stay closed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quizengine.banks import BankSource, load_bank
from quizengine.banks.errors import BankError
from quizengine.config import Settings
from quizengine.services.app import AppServices
from quizengine.services.banks import sync_banks
from quizengine.services.mock import MockError
from tests.conftest import VALID_BANKS, FakeClock

SECTIONS = VALID_BANKS.parent / "sections"


@pytest.fixture
def ms(db_path: Path, clock: FakeClock) -> Iterator[AppServices]:
    app = AppServices.open(Settings(db=str(db_path), profile="p", timezone="UTC"), clock=clock, sync=False)
    assert not sync_banks(app.store, [SECTIONS], clock()).problems
    yield app
    app.close()


def test_the_case_study_is_the_last_section_and_the_series_stays_together(ms: AppServices) -> None:
    for seed in range(8):
        run = ms.mock.start("ms-sample", seed=seed)
        ids = [i.question_id for i in run.state.items]
        assert ids[-2:] == ["mss-cs-1", "mss-cs-2"]
        at = ids.index("mss-yn-1")
        assert ids[at + 1] == "mss-yn-2"
        assert [run.section(n) for n in range(len(ids))] == [0] * 8 + [1, 1]
        run.submit()


def test_a_section_is_locked_once_left(ms: AppServices) -> None:
    run = ms.mock.start("ms-sample", seed=1)
    last_main, first_case = 7, 8
    run.go(last_main)
    assert run.leaves_section(first_case)
    run.go(first_case)
    assert run.blocked(last_main) is not None
    with pytest.raises(MockError, match="cannot be revisited"):
        run.go(0)
    run.go(first_case + 1)  # within the case study: free
    run.go(first_case)


def test_an_answered_yes_no_item_cannot_be_reopened(ms: AppServices) -> None:
    run = ms.mock.start("ms-sample", seed=1)
    ids = [i.question_id for i in run.state.items]
    first_yes_no = ids.index("mss-yn-1")
    run.go(first_yes_no)
    assert run.blocked(first_yes_no + 1) is None
    run.answer([0])
    run.go(first_yes_no + 1)
    assert "yes/no" in (run.blocked(first_yes_no) or "")
    run.answer([1])
    result = run.submit()
    assert result.correct == 2


def test_case_study_scenario_is_shown_with_its_questions(ms: AppServices) -> None:
    run = ms.mock.start("ms-sample", seed=1)
    question = run.questions["mss-cs-1"]
    case = run.case_study(question)
    assert case is not None
    assert case.title == "Contoso"


def test_bad_case_study_and_series_are_reported(tmp_path: Path) -> None:
    text = (SECTIONS / "ms-sample" / "bank.yaml").read_text()
    bad = text.replace("case_study: contoso\n", "case_study: fabrikam\n", 1).replace(
        "      - text: No\n        why: Because no.\n",
        "      - text: Maybe\n        why: Because maybe.\n",
        1,
    )
    path = tmp_path / "bank.yaml"
    path.write_text(bad)
    with pytest.raises(BankError) as info:
        load_bank(BankSource(path, (path,)))
    messages = " | ".join(p.message for p in info.value.problems)
    assert "unknown case study `fabrikam`" in messages
    assert "yes/no series `sol`" in messages


def test_yes_and_no_stay_text() -> None:
    bank = load_bank(BankSource(SECTIONS / "ms-sample", (SECTIONS / "ms-sample" / "bank.yaml",)))
    series = [q for q in bank.questions if q.series]
    assert [o.text for o in series[0].options] == ["Yes", "No"]
