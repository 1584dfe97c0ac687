from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from quizengine.config import Settings
from quizengine.domain.cards import ReviewKind
from quizengine.domain.grading import Confidence, correct_choices
from quizengine.domain.model import QuestionType
from quizengine.services.app import AppServices
from quizengine.services.banks import sync_banks
from quizengine.services.study import QuestionView, StudyRun
from quizengine.storage import StorageError
from tests.conftest import VALID_BANKS, FakeClock


def right(view: QuestionView) -> list[int]:
    return list(correct_choices(view.question))


def wrong(view: QuestionView) -> list[int]:
    q = view.question
    if q.type is QuestionType.SINGLE:
        return [next(i for i, o in enumerate(q.options) if not o.correct)]
    return list(reversed(correct_choices(q)))


def drain(run: StudyRun, clock: FakeClock) -> list[tuple[str, ReviewKind]]:
    seen = []
    while (view := run.current()) is not None:
        seen.append((view.question.id, view.kind))
        clock.advance(seconds=20)
        run.answer(right(view))
    return seen


def test_a_day_of_study_then_tomorrow(services: AppServices, clock: FakeClock) -> None:
    home = services.study.home()
    (cert,) = home.studying
    assert (cert.due, cert.new_today, cert.total) == (0, 4, 4)
    assert cert.warning == "SMP-01 retired on 2026-03-31, successor SMP-02"

    run = services.study.start()
    first = run.current()
    assert first is not None
    assert run.current() is first  # the same question until it is answered
    clock.advance(seconds=30)
    fb = run.answer(wrong(first))
    assert (fb.correct, fb.quality, fb.comes_back) == (False, 1, True)
    seen = drain(run, clock)
    assert (first.question.id, ReviewKind.DRILL) in seen  # the same-day re-drill
    summary = run.finish()
    assert summary.answered == 5
    assert summary.correct == 4
    assert summary.due_tomorrow == 4

    log = services.store.reviews(services.study.profile_id)
    assert len(log) == 5
    assert log[0].response_ms == 30_000
    assert services.study.home().streak == 1

    # the next morning everything is due once, most overdue first, nothing new left
    clock.advance(days=1)
    again = services.study.start()
    kinds = {kind for _, kind in drain(again, clock)}
    assert kinds == {ReviewKind.REVIEW}
    assert services.study.home().streak == 2


def test_new_limit_per_day(db_path: Path, clock: FakeClock) -> None:
    settings = Settings(db=str(db_path), profile="p", timezone="UTC", new_per_day=2)
    app = AppServices.open(settings, clock=clock, sync=False)
    sync_banks(app.store, [VALID_BANKS], clock())
    app.study.add_cert("sample-cert")
    assert len(drain(app.study.start(), clock)) == 2
    assert drain(app.study.start(), clock) == []  # quota used up today
    assert app.study.home().studying[0].new_today == 0
    app.close()


def test_confidence_keys_set_the_quality(services: AppServices, clock: FakeClock) -> None:
    run = services.study.start()
    view = run.current()
    assert view is not None
    assert run.answer(right(view), Confidence.EASY).quality == 5
    view = run.current()
    assert view is not None
    assert run.answer(right(view), Confidence.UNSURE).quality == 3
    view = run.current()
    assert view is not None
    fb = run.answer([], Confidence.NO_IDEA)
    assert (fb.correct, fb.quality) == (False, 0)


def test_restart_owes_the_redrill(services: AppServices, clock: FakeClock) -> None:
    run = services.study.start()
    view = run.current()
    assert view is not None
    run.answer(wrong(view))
    # the process dies here; a new session the same day starts with the owed re-drill
    again = services.study.start()
    first = again.current()
    assert first is not None
    assert (first.question.id, first.kind) == (view.question.id, ReviewKind.DRILL)


def test_time_budget(services: AppServices, clock: FakeClock) -> None:
    run = services.study.start(minutes=1)
    view = run.current()
    assert view is not None
    clock.advance(minutes=2)
    run.answer(right(view))
    assert run.current() is None
    assert run.finish().out_of_time


def test_unknown_certification(services: AppServices) -> None:
    with pytest.raises(StorageError, match="no installed bank"):
        services.study.start(["nope"])


def test_unchanged_banks_are_not_parsed_again(services: AppServices, clock: FakeClock) -> None:
    report = sync_banks(services.store, [VALID_BANKS], clock())
    assert (report.installed, report.unchanged) == ({}, 1)


def test_a_broken_bank_keeps_the_last_good_version(
    services: AppServices, clock: FakeClock, tmp_path: Path
) -> None:
    folder = tmp_path / "sample-cert"
    folder.mkdir()
    (folder / "bank.yaml").write_text(
        (VALID_BANKS / "sample-cert" / "bank.yaml").read_text().replace("weight: 40", "weight: 4")
    )
    report = sync_banks(services.store, [tmp_path], clock())
    assert report.problems
    assert services.study.home().studying[0].total == 4


def test_a_long_streak_is_counted_through_growing_windows(services: AppServices, clock: FakeClock) -> None:
    from quizengine.domain.cards import CardState, grade

    pid = services.study.profile_id
    start = clock()
    for day in range(150):  # one answer a day for 150 days, ending today
        at = start - timedelta(days=149 - day)
        review = grade(
            CardState("smp-alpha-001"),
            quality=4,
            correct=True,
            choices=(0,),
            answered_at=at,
            today=at.date(),
            response_ms=1,
            drill=True,
        )
        services.store.record(pid, review)
    assert services.study.home().streak == 150


def test_minutes_left_of_the_budget(services: AppServices, clock: FakeClock) -> None:
    assert services.study.start().minutes_left() is None
    run = services.study.start(minutes=20)
    clock.advance(minutes=5)
    assert run.minutes_left() == pytest.approx(15)


def test_the_same_bank_from_another_folder_is_not_written_again(
    services: AppServices, clock: FakeClock, tmp_path: Path
) -> None:
    import shutil

    elsewhere = tmp_path / "other-checkout" / "banks"
    shutil.copytree(VALID_BANKS, elsewhere)
    report = sync_banks(services.store, [elsewhere], clock())
    assert (report.installed, report.unchanged) == ({}, 1)
