"""Rollover hour, daylight-saving changes, travel and clocks that go backwards."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from quizengine.domain.cards import CardState, grade
from quizengine.domain.clock import streak, study_day

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def test_daylight_saving_does_not_move_the_rollover() -> None:
    # 2026-03-29: Berlin jumps from 02:00 to 03:00; 2026-10-25: back from 03:00 to 02:00.
    assert study_day(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), BERLIN) == date(2026, 3, 28)  # 03:30 local
    assert study_day(datetime(2026, 3, 29, 2, 0, tzinfo=UTC), BERLIN) == date(2026, 3, 29)  # 04:00 local
    assert study_day(datetime(2026, 10, 25, 2, 30, tzinfo=UTC), BERLIN) == date(2026, 10, 24)  # 03:30 local
    assert study_day(datetime(2026, 10, 25, 3, 0, tzinfo=UTC), BERLIN) == date(2026, 10, 25)  # 04:00 local


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1)))
def test_a_day_is_never_counted_twice_or_skipped(moment: datetime) -> None:
    """Across any hour, including DST changes, the study day moves on by at most one day."""
    now = moment.replace(tzinfo=UTC)
    for tz in (BERLIN, NEW_YORK):
        today = study_day(now, tz)
        later = study_day(now + timedelta(hours=1), tz)
        assert later - today in (timedelta(0), timedelta(days=1))


def test_travel_across_time_zones_keeps_the_streak() -> None:
    # studied in Berlin in the evening, flew to New York, studied there the next evening
    day1 = study_day(datetime(2026, 11, 23, 19, tzinfo=UTC), BERLIN)
    day2 = study_day(datetime(2026, 11, 24, 23, tzinfo=UTC), NEW_YORK)
    assert (day1, day2) == (date(2026, 11, 23), date(2026, 11, 24))
    assert streak([day1, day2], day2) == 2


@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(0, 5)), min_size=1, max_size=20))
def test_a_clock_that_jumps_back_never_gives_a_negative_interval(steps: list[tuple[int, int]]) -> None:
    card = CardState("q")
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    for jump, q in steps:
        now += timedelta(days=jump)
        today = now.date()
        review = grade(
            card, quality=q, correct=q >= 3, choices=(), answered_at=now, today=today, response_ms=0
        )
        card = review.after
        assert card.sm2.interval >= 1
        assert card.due is not None
        assert card.due > today
