"""Study days: "today" follows local time, starting at a rollover hour (default 4 AM)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo

DEFAULT_ROLLOVER_HOUR = 4


def require_utc(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got naive {now.isoformat()}")
    return now.astimezone(UTC)


def study_day(now: datetime, tz: tzinfo, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> date:
    """The study day ``now`` belongs to: local date, where the day starts at ``rollover_hour``."""
    if not 0 <= rollover_hour <= 23:
        raise ValueError(f"rollover hour must be 0..23, got {rollover_hour}")
    local = require_utc(now).astimezone(tz)
    return (local - timedelta(hours=rollover_hour)).date()


def streak(days: Iterable[date], today: date) -> int:
    """Consecutive study days ending today, or yesterday if today has no study yet."""
    studied = set(days)
    day = today if today in studied else today - timedelta(days=1)
    count = 0
    while day in studied:
        count += 1
        day -= timedelta(days=1)
    return count
