"""Readiness from a real review log, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quizengine.config import Settings
from quizengine.domain.cards import ReviewKind
from quizengine.services.app import AppServices
from quizengine.services.recall import Event, RecallModel
from quizengine.storage import StorageError
from tests.conftest import FakeClock
from tests.services.test_study import drain, right, wrong


def study_all(services: AppServices, clock: FakeClock, *, miss: str | None = None) -> None:
    """Answer today's session right, except the first time ``miss`` is asked (its re-drill is right)."""
    run = services.study.start()
    missed = False
    while (view := run.current()) is not None:
        clock.advance(seconds=15)
        if view.question.id == miss and not missed:
            missed = True
            run.answer(wrong(view))
        else:
            run.answer(right(view))


def test_a_learner_who_answers_right_is_predicted_higher(services: AppServices, clock: FakeClock) -> None:
    before = services.readiness.report("tester").certs[0].readiness
    study_all(services, clock)
    after = services.readiness.report("tester").certs[0].readiness
    assert after.expected > before.expected
    assert all(d.coverage == 1.0 for d in after.domains)
    assert all(d.accuracy == 1.0 for d in after.domains)


def test_readiness_is_monotonic_in_correct_answers(db_url: str, clock: FakeClock) -> None:
    """Two learners with the same history except one answer: the one who got it right is no less ready."""
    from tests.conftest import open_services

    good, bad = open_services(db_url, clock), None
    try:
        study_all(good, clock)
        bad_settings = Settings(db=db_url, profile="other", timezone="UTC")
        bad = AppServices.open(bad_settings, clock=clock, sync=False)
        bad.study.add_cert("sample-cert")
        study_all(bad, clock, miss="smp-alpha-001")
        exam = good.study.today() + timedelta(days=30)  # recall is judged a month on, not at once
        good.readiness.set_exam_date("sample-cert", exam)
        bad.readiness.set_exam_date("sample-cert", exam)
        r_good = good.readiness.report("tester").certs[0].readiness
        r_bad = good.readiness.report("other").certs[0].readiness
        assert r_good.expected > r_bad.expected
        assert r_good.readiness >= r_bad.readiness
    finally:
        good.close()
        if bad is not None:
            bad.close()


def test_exam_date_pace_and_the_deadline_rule(services: AppServices, clock: FakeClock) -> None:
    exam = services.study.today() + timedelta(days=5)
    services.readiness.set_exam_date("sample-cert", exam)
    (report,) = services.readiness.report("tester").certs
    assert report.exam_date == exam
    assert report.pace is not None
    assert (report.pace.days_left, report.pace.unseen, report.pace.new_per_day_needed) == (5, 4, 2)
    # the new quota covers the bank before the exam: 4 unseen over 5 - 3 days = 2 today
    seen = drain(services.study.start(), clock)
    assert len(seen) == 2
    # four days on, SM-2 would schedule a right answer 6 days out; the rule brings it to the day before
    clock.advance(days=1)
    run = services.study.start()
    view = run.current()
    assert view is not None
    feedback = run.answer(right(view))
    assert feedback.next_due is not None
    assert feedback.next_due <= exam - timedelta(days=1)


def test_mocks_held_certifications_and_minutes_appear(services: AppServices, clock: FakeClock) -> None:
    from quizengine.domain.grading import correct_choices

    run = services.mock.start("sample-cert", seed=1)
    for i in range(len(run.state.items)):
        run.go(i)
        clock.advance(seconds=30)
        run.answer(list(correct_choices(run.view(i).question)))
    run.submit()
    services.readiness.set_passed("sample-cert", date(2025, 6, 1))
    (report,) = services.readiness.report("tester").certs
    (mock,) = report.mocks
    assert (mock.raw, mock.passed) == (1.0, True)
    assert report.readiness.mocks_used == 1
    assert report.held is not None
    assert report.held.expires_on is None  # the sample bank publishes no validity period
    assert report.study_minutes == pytest.approx(2.0)  # four mock answers of 30 s


def test_the_team_report_reads_every_profile_and_writes_nothing(db_url: str, clock: FakeClock) -> None:
    from tests.conftest import open_services

    app = open_services(db_url, clock)
    try:
        study_all(app, clock)
    finally:
        app.close()
    lead = Settings(db=db_url, profile="lead", timezone="UTC")
    reader = AppServices.open(lead, clock=clock, read_only=True)
    try:
        profiles = reader.store.profiles()
        team = reader.readiness.team()
        assert [p.profile for p in team] == ["tester"]  # the lead's own profile was not created
        assert reader.store.profiles() == profiles
        with pytest.raises(StorageError, match="no profile `lead`"):
            reader.readiness.report("lead")
    finally:
        reader.close()


def test_fsrs_ratings_follow_the_grades() -> None:
    model = RecallModel()
    from datetime import UTC, datetime

    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    good = model.replay([Event("q", t0, 4)])["q"]
    again = model.replay([Event("q", t0, 1)])["q"]
    easy = model.replay([Event("q", t0, 5)])["q"]
    later = t0 + timedelta(days=10)
    assert model.recall(again, later) < model.recall(good, later) < model.recall(easy, later)


def test_the_weak_drill_starts_with_the_weakest_question(services: AppServices, clock: FakeClock) -> None:
    study_all(services, clock, miss="smp-alpha-002")
    clock.advance(days=3)
    items = services.readiness.weak_drill(size=3)
    assert len(items) == 3
    assert ("smp-alpha-002", "sample-cert") in items
    (cert,) = services.readiness.report("tester").certs
    weights = {d.id: d.weight for d in cert.readiness.domains}
    gaps = {r.question.id: weights[r.question.domain] * (1 - (r.recall_now or 0.0)) for r in cert.recalls}
    assert [qid for qid, _ in items] == sorted(gaps, key=lambda q: (-gaps[q], q))[
        :3
    ]  # weight x gap, largest first
    before = services.store.cards(services.study.profile_id)
    run = services.study.start_drill(items)
    drain(run, clock)
    assert services.store.cards(services.study.profile_id) == before  # drills never move the schedule


def test_the_final_days_favour_the_lowest_predicted_recall(services: AppServices, clock: FakeClock) -> None:
    """A week before the exam, answered questions predicted weak on the exam day come back early, weakest
    (by domain weight x gap) first, although SM-2 has them due only later."""
    from quizengine.domain.grading import Confidence

    for _day in range(2):  # right but unsure on two days: SM-2 then waits 6 days; FSRS expects forgetting
        run = services.study.start()
        unsure: set[str] = set()
        while (view := run.current()) is not None:
            clock.advance(seconds=15)
            first = view.question.id not in unsure
            unsure.add(view.question.id)
            run.answer(right(view), Confidence.UNSURE if first else Confidence.NORMAL)  # re-drill: sure
        clock.advance(days=1)
    today = services.study.today()
    assert services.store.due_cards(services.study.profile_id, ["sample-cert"], today, 99) == []
    services.readiness.set_exam_date("sample-cert", today + timedelta(days=5))
    run = services.study.start()
    asked = [item.question_id for item in run.session.queue]
    assert len(asked) == 4  # all brought forward
    (cert,) = services.readiness.report("tester").certs
    weights = {d.id: d.weight for d in cert.readiness.domains}
    gap = {r.question.id: weights[r.question.domain] * (1 - (r.recall_exam or 0.0)) for r in cert.recalls}
    assert asked == sorted(asked, key=lambda q: (-gap[q], q))
    assert all(item.kind is ReviewKind.REVIEW for item in run.session.queue)
