from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizengine.domain.cards import CardState, ReviewKind, grade, replay
from quizengine.domain.clock import streak, study_day
from quizengine.domain.session import (
    QueueItem,
    SessionLimits,
    StudySession,
    order_new,
    pending_redrills,
    plan,
)
from quizengine.domain.sm2 import Sm2State

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)


def due(qid: str, days_overdue: int) -> CardState:
    return CardState(qid, Sm2State(1, 250, 1), due=TODAY - timedelta(days=days_overdue))


def test_reviews_most_overdue_first_with_new_spread_between() -> None:
    queue = plan(
        due=[due("r1", 0), due("r2", 5), due("r3", 2), due("r4", 1)],
        new_ids=["n1", "n2"],
        redrill_ids=[],
        limits=SessionLimits(),
        today=TODAY,
    )
    ids = [item.question_id for item in queue]
    assert [i for i in ids if i.startswith("r")] == ["r2", "r3", "r4", "r1"]
    assert ids[0] == "r2"
    assert ids.index("n1") < ids.index("n2")
    # new items are spread, not bunched at the end
    assert ids.index("n1") < len(ids) - 2


def test_limits_count_what_was_done_earlier_today() -> None:
    queue = plan(
        due=[due(f"r{i}", i) for i in range(10)],
        new_ids=[f"n{i}" for i in range(10)],
        redrill_ids=[],
        limits=SessionLimits(new_per_day=5, review_cap=6),
        today=TODAY,
        new_done_today=3,
        reviews_done_today=2,
    )
    kinds = [item.kind for item in queue]
    assert kinds.count(ReviewKind.NEW) == 2
    assert kinds.count(ReviewKind.REVIEW) == 4


def test_pending_redrills_come_first_once() -> None:
    queue = plan(
        due=[due("r1", 1)], new_ids=["n1"], redrill_ids=["r1", "x"], limits=SessionLimits(), today=TODAY
    )
    assert queue[:2] == [QueueItem("r1", ReviewKind.DRILL), QueueItem("x", ReviewKind.DRILL)]
    assert [i.question_id for i in queue].count("r1") == 1


def test_cards_not_yet_due_are_not_planned() -> None:
    future = CardState("f", Sm2State(1, 250, 1), due=TODAY + timedelta(days=1))
    assert plan(due=[future], new_ids=[], redrill_ids=[], limits=SessionLimits(), today=TODAY) == []


def test_failed_item_comes_back_until_it_scores_four() -> None:
    session = StudySession([QueueItem(q, ReviewKind.NEW) for q in "abcde"], NOW)
    session.record("a", quality=2, correct=False)
    assert [i.question_id for i in session.queue] == ["b", "c", "d", "a", "e"]
    assert session.queue[3].kind is ReviewKind.DRILL
    for qid in "bcd":
        session.record(qid, quality=4, correct=True)
    session.record("a", quality=3, correct=True)  # 3 is a pass for SM-2 but still below 4: again
    assert [i.question_id for i in session.queue] == ["e", "a"]
    session.record("e", quality=5, correct=True)
    session.record("a", quality=4, correct=True)
    assert session.current(NOW) is None
    assert (session.answered, session.correct) == (7, 6)


def test_only_the_current_item_can_be_recorded() -> None:
    session = StudySession([QueueItem("a", ReviewKind.NEW), QueueItem("b", ReviewKind.NEW)], NOW)
    with pytest.raises(ValueError, match="current"):
        session.record("b", quality=4, correct=True)


def test_time_budget_ends_the_session_between_questions() -> None:
    session = StudySession([QueueItem("a", ReviewKind.NEW)], NOW, SessionLimits(minutes=20))
    assert session.current(NOW + timedelta(minutes=19)) is not None
    assert session.current(NOW + timedelta(minutes=20)) is None


def test_drill_is_logged_but_never_reschedules() -> None:
    card = CardState("q", Sm2State(2, 250, 6), due=TODAY)
    r = grade(
        card, quality=1, correct=False, choices=(0,), answered_at=NOW, today=TODAY, response_ms=10, drill=True
    )
    assert r.kind is ReviewKind.DRILL
    assert r.after == card


def test_grade_schedules_from_today_and_counts_lapses() -> None:
    card = CardState("q", Sm2State(2, 250, 6), due=TODAY - timedelta(days=3))
    r = grade(card, quality=2, correct=False, choices=(1,), answered_at=NOW, today=TODAY, response_ms=10)
    assert r.kind is ReviewKind.REVIEW
    assert r.after.due == TODAY + timedelta(days=1)
    assert r.after.lapses == 1
    first = grade(
        CardState("n"), quality=4, correct=True, choices=(0,), answered_at=NOW, today=TODAY, response_ms=1
    )
    assert first.kind is ReviewKind.NEW
    assert first.after.lapses == 0


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        grade(
            CardState("q"),
            quality=4,
            correct=True,
            choices=(),
            answered_at=datetime(2026, 1, 1),
            today=TODAY,
            response_ms=0,
        )


@given(st.lists(st.tuples(st.integers(0, 5), st.booleans(), st.integers(0, 3)), max_size=30))
def test_replaying_the_log_rebuilds_the_card(steps: list[tuple[int, bool, int]]) -> None:
    card = CardState("q")
    log = []
    now, today = NOW, TODAY
    for q, drill, gap in steps:
        r = grade(
            card,
            quality=q,
            correct=q >= 3,
            choices=(),
            answered_at=now,
            today=today,
            response_ms=5,
            drill=drill and not card.is_new,
        )
        log.append(r)
        card = r.after
        if r.kind is not ReviewKind.DRILL:
            assert card.due is not None
            assert card.due > today  # never a negative or zero interval
        now += timedelta(days=gap, minutes=1)
        today += timedelta(days=gap)
    rebuilt = replay("q", log)
    assert (rebuilt.sm2, rebuilt.due, rebuilt.lapses) == (card.sm2, card.due, card.lapses)


def test_order_new_meets_every_domain_early_by_weight() -> None:
    cands = [(f"a{i}", "a") for i in range(6)] + [(f"b{i}", "b") for i in range(3)]
    ordered = order_new(cands, {"a": 67, "b": 33})
    assert ordered[:3].count("b0") == 1
    assert [q for q in ordered if q.startswith("a")] == [f"a{i}" for i in range(6)]


def test_study_day_rolls_over_at_four_local() -> None:
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    # 02:30 in Berlin on the 25th still belongs to the 24th; 04:00 starts the 25th
    assert study_day(datetime(2026, 11, 25, 1, 30, tzinfo=UTC), berlin) == date(2026, 11, 24)
    assert study_day(datetime(2026, 11, 25, 3, 0, tzinfo=UTC), berlin) == date(2026, 11, 25)
    assert study_day(datetime(2026, 11, 25, 3, 0, tzinfo=UTC), berlin, rollover_hour=0) == date(2026, 11, 25)
    with pytest.raises(ValueError, match="rollover"):
        study_day(NOW, berlin, 24)


def test_streak() -> None:
    days = [TODAY - timedelta(days=i) for i in (1, 2, 3, 5)]
    assert streak(days, TODAY) == 3  # today not studied yet: the streak still stands
    assert streak([*days, TODAY], TODAY) == 4
    assert streak([TODAY - timedelta(days=2)], TODAY) == 0


def test_pending_redrills_from_todays_last_answers() -> None:
    assert pending_redrills({"a": 2, "b": 4, "c": 3, "d": 5}) == ["a", "c"]
