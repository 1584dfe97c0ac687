"""Following a certification stack, on SQLite and PostgreSQL: dates set, exams join in turn, reports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest

from quizengine.config import Settings
from quizengine.exports.readiness import render
from quizengine.services.app import AppServices
from quizengine.services.banks import sync_banks
from quizengine.storage import StorageError
from tests.conftest import DATA, VALID_BANKS, FakeClock

GOOD = DATA / "stacks" / "good"


@pytest.fixture
def app(db_url: str, clock: FakeClock) -> Iterator[AppServices]:
    settings = Settings(db=db_url, profile="tester", timezone="UTC", bank_dirs=(GOOD,))
    services = AppServices.open(settings, clock=clock, sync=False)
    report = sync_banks(services.store, [VALID_BANKS, DATA / "banks" / "shared", GOOD], clock())
    assert not report.problems
    yield services
    services.close()


def test_following_a_stack_sets_dates_and_studies_the_current_exam(
    app: AppServices, clock: FakeClock
) -> None:
    view = app.stacks.choose("sample-path", date(2026, 11, 10))
    first, second = view.exams
    # SMP-01 retired on 2026-03-31; its successor SMP-02 has a bank, so the plan takes it.
    assert first.planned.cert_id == "next-cert"
    assert first.planned.note == "SMP-01 retired on 2026-03-31: planned with its successor SMP-02"
    assert (first.exam_date, first.state) == (date(2026, 12, 9), "studying")
    assert (second.planned.study_from, second.exam_date, second.state) == (
        date(2026, 12, 10),
        date(2027, 2, 9),
        "upcoming",
    )
    assert app.study.studying() == ["next-cert"]
    assert app.readiness.exam_date("next-cert", app.study.profile_id) == date(2026, 12, 9)
    assert app.readiness.exam_date("sample-sharer", app.study.profile_id) == date(2027, 2, 9)
    assert app.home().stack is not None


def test_the_next_exam_joins_when_its_window_opens_and_a_pass_is_shown(
    app: AppServices, clock: FakeClock
) -> None:
    app.stacks.choose("sample-path", date(2026, 11, 10))
    clock.advance(days=21)  # 2026-12-15: the second window has begun
    home = app.home()
    assert "sample-sharer" in app.study.studying()
    assert home.stack is not None
    assert [e.state for e in home.stack.exams] == ["date passed", "studying"]
    app.readiness.set_passed("next-cert", date(2026, 12, 9))
    app.readiness.set_exam_date("sample-sharer", date(2027, 1, 20))  # the learner moves it
    stack = app.stacks.progress()
    assert stack is not None
    assert [e.state for e in stack.exams] == ["passed", "studying"]
    assert stack.exams[1].exam_date == date(2027, 1, 20)


def test_the_readiness_export_carries_the_stack(app: AppServices) -> None:
    app.stacks.choose("sample-path", date(2026, 11, 10))
    report = app.readiness.report("tester")
    data = json.loads(render([report], "json", team=False, generated_at=app.study.now()))
    assert data["stack"]["id"] == "sample-path"
    assert [e["exam_code"] for e in data["stack"]["exams"]] == ["SMP-02", "SMP-SH"]
    assert data["stack"]["exams"][0]["note"].startswith("SMP-01 retired")
    csv_text = render([report], "csv", team=False, generated_at=app.study.now())
    assert ",sample-path,1\r\n" in csv_text
    md = render([report], "md", team=False, generated_at=app.study.now())
    assert "Certification stack: **Sample path**" in md
    html_text = render([report], "html", team=False, generated_at=app.study.now())
    assert 'aria-label="stack timeline"' in html_text


def test_unknown_stack_names_the_ones_there_are(app: AppServices) -> None:
    with pytest.raises(StorageError, match=r"no stack `nope`; the stacks are: .*sample-path"):
        app.stacks.choose("nope", date(2026, 11, 10))
    app.stacks.clear()
    assert app.stacks.progress() is None


def test_a_broken_stack_file_is_named_and_never_blocks_studying(db_url: str, clock: FakeClock) -> None:
    settings = Settings(db=db_url, profile="tester", timezone="UTC", bank_dirs=(DATA / "stacks" / "bad",))
    app = AppServices.open(settings, clock=clock, sync=False)
    try:
        assert sync_banks(app.store, [VALID_BANKS], clock()).problems == []
        app.study.add_cert("sample-cert")
        app.store.set_setting(app.study.profile_id, "stack", {"id": "too-long", "start": "2026-11-01"})
        home = app.home()
        assert home.stack is None
        assert [n for n in home.notices if n.startswith("cannot read the stack files")]
        assert [c.certification.id for c in home.studying] == ["sample-cert"]  # studying goes on
        with pytest.raises(StorageError, match=r"_stacks/stacks.yaml:8: error: the steps add up to 4 months"):
            app.stacks.available()
    finally:
        app.close()
