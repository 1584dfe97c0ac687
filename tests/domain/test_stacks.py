"""Certification stacks laid out month by month: dates, successors, skipped exams, progress."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as hs

from quizengine.domain.model import Certification, CertStatus
from quizengine.domain.stacks import Stack, StackStep, add_months, lay_out, progress


def cert(cid: str, code: str, status: CertStatus = CertStatus.ACTIVE, **kw: object) -> Certification:
    return Certification(
        id=cid,
        name=cid.title(),
        vendor="V",
        exam_code=code,
        status=status,
        status_date=kw.pop("status_date", date(2024, 1, 1)),  # type: ignore[arg-type]
        exam_guide_version="1",
        sources=("https://example.com",),
        last_verified=date(2026, 11, 24),
        successor=kw.pop("successor", None),  # type: ignore[arg-type]
    )


CERTS = {
    c.id: c
    for c in (
        cert("old-ml", "ML-1", CertStatus.RETIRED, status_date=date(2026, 3, 31), successor="ML-2"),
        cert("new-ml", "ML-2"),
        cert("old-ai", "AI-1", CertStatus.RETIRED, status_date=date(2026, 6, 30), successor="AI-2"),
        cert("tf", "TF", CertStatus.CLOSED, status_date=date(2024, 5, 1)),
        cert("pt", "PT"),
        cert("gcp", "GCP"),
        cert("edge", "EDGE"),
    )
}


def stack(*steps: StackStep) -> Stack:
    total = sum(s.months for s in steps)
    return Stack("s", "S", "summary", (total, total), steps)


def test_each_exam_closes_its_window_and_the_next_window_opens_the_day_after() -> None:
    plan = lay_out(stack(StackStep(("pt",), 3), StackStep(("edge",), 2)), date(2026, 12, 1), CERTS)
    (a, b) = plan.exams
    assert (a.study_from, a.exam_date) == (date(2026, 12, 1), date(2027, 2, 28))
    assert (b.study_from, b.exam_date) == (date(2027, 3, 1), date(2027, 4, 30))
    assert plan.end == date(2027, 4, 30)
    assert [m.month for m in plan.months] == [date(2026, 12, 1), *(date(2027, m, 1) for m in range(1, 5))]
    assert plan.months[2].exams == (("PT", date(2027, 2, 28)),)
    assert plan.months[3].studying == ("EDGE",)


def test_a_mid_month_start_studies_two_exams_in_the_month_they_meet() -> None:
    plan = lay_out(stack(StackStep(("pt",), 1), StackStep(("edge",), 1)), date(2026, 12, 15), CERTS)
    assert plan.exams[0].exam_date == date(2027, 1, 14)
    jan = plan.months[1]
    assert jan.studying == ("PT", "EDGE")
    assert jan.exams == (("PT", date(2027, 1, 14)),)


def test_a_retired_exam_is_replaced_by_its_successor_with_a_note() -> None:
    plan = lay_out(stack(StackStep(("old-ml",), 4)), date(2026, 12, 1), CERTS)
    (exam,) = plan.exams
    assert exam.cert_id == "new-ml"
    assert exam.note == "ML-1 retired on 2026-03-31: planned with its successor ML-2"


def test_a_retired_exam_without_a_successor_bank_gives_way_to_the_next_candidate() -> None:
    plan = lay_out(
        stack(StackStep(("old-ai", "gcp"), 4), StackStep(("tf", "pt"), 2)), date(2026, 12, 1), CERTS
    )
    cloud, framework = plan.exams
    assert cloud.cert_id == "gcp"
    assert cloud.note == (
        "AI-1 retired on 2026-06-30; its successor AI-2 has no quizengine bank yet; planned with GCP instead"
    )
    assert framework.cert_id == "pt"
    assert framework.note == "TF closed on 2024-05-01 with no successor; planned with PT instead"


def test_an_exam_is_kept_when_its_date_falls_before_the_retirement() -> None:
    plan = lay_out(stack(StackStep(("old-ai", "gcp"), 3)), date(2026, 1, 1), CERTS)
    (exam,) = plan.exams
    assert (exam.cert_id, exam.exam_date, exam.note) == ("old-ai", date(2026, 3, 31), None)


def test_a_step_nothing_can_fill_stays_in_the_plan_and_says_so() -> None:
    plan = lay_out(stack(StackStep(("tf",), 2), StackStep(("missing",), 1)), date(2026, 12, 1), CERTS)
    tf, missing = plan.exams
    assert tf.cert_id is None
    assert tf.exam_code == "TF"
    assert tf.note is not None
    assert "no exam of this step can be sat" in tf.note
    assert missing.cert_id is None
    assert "missing has no installed bank" in (missing.note or "")


def test_the_same_exam_is_not_planned_twice() -> None:
    plan = lay_out(
        stack(StackStep(("old-ml",), 2), StackStep(("new-ml", "gcp"), 2)), date(2026, 12, 1), CERTS
    )
    assert [e.cert_id for e in plan.exams] == ["new-ml", "gcp"]
    assert plan.exams[1].note == "ML-2 is already an earlier step; planned with GCP instead"


def test_progress_states_follow_dates_passes_and_overrides() -> None:
    plan = lay_out(
        stack(StackStep(("pt",), 2), StackStep(("gcp",), 2), StackStep(("edge",), 2)), date(2026, 9, 1), CERTS
    )
    today = date(2026, 11, 24)
    view = progress(
        plan,
        today,
        exam_dates={"pt": date(2026, 10, 31), "gcp": date(2026, 12, 20)},
        seen={"pt": (60, 60), "gcp": (10, 110)},
        passed={"pt": date(2026, 10, 31)},
    )
    assert [e.state for e in view.exams] == ["passed", "studying", "upcoming"]
    assert view.exams[1].exam_date == date(2026, 12, 20)  # the learner moved it
    assert view.current is view.exams[1]
    assert view.exams[1].coverage == 10 / 110
    late = progress(plan, date(2027, 1, 5), {}, {}, {})
    assert [e.state for e in late.exams] == ["date passed", "date passed", "studying"]


@given(hs.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), hs.integers(0, 60))
def test_add_months_lands_in_the_right_month_and_never_past_its_end(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day <= day.day


@given(hs.lists(hs.integers(1, 6), min_size=1, max_size=5), hs.dates(date(2020, 1, 1), date(2040, 1, 1)))
def test_windows_tile_the_plan_without_gaps_or_overlaps(months: list[int], start: date) -> None:
    plan = lay_out(stack(*(StackStep(("pt", "gcp", "edge", "new-ml"), m) for m in months)), start, CERTS)
    assert plan.exams[0].study_from == start
    for before, after in zip(plan.exams, plan.exams[1:], strict=False):
        assert (after.study_from - before.exam_date).days == 1
    assert start < plan.end < add_months(start, sum(months))
