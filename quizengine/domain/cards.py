"""Card state: one profile's SM-2 state for one question, and the review that changes it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from quizengine.domain import sm2
from quizengine.domain.clock import require_utc
from quizengine.domain.readiness import due_before_exam


class ReviewKind(StrEnum):
    NEW = "new"  # first answer ever: schedules
    REVIEW = "review"  # a due (or early) review: schedules
    DRILL = "drill"  # same-day re-drill or weak-topic drill: logged, never reschedules (C6)
    MOCK = "mock"  # missed or flagged in a mock exam: due today, SM-2 values unchanged


@dataclass(frozen=True, slots=True)
class CardState:
    question_id: str
    sm2: sm2.Sm2State = field(default_factory=sm2.Sm2State)
    due: date | None = None  # study day the card is due; None for a card never answered
    reviews: int = 0
    lapses: int = 0
    last_review: datetime | None = None

    @property
    def is_new(self) -> bool:
        return self.due is None


@dataclass(frozen=True, slots=True)
class Review:
    """One answer, as the append-only log keeps it."""

    question_id: str
    answered_at: datetime
    study_day: date
    kind: ReviewKind
    choices: tuple[int, ...]
    correct: bool
    quality: int
    response_ms: int
    before: CardState
    after: CardState


def grade(
    card: CardState,
    *,
    quality: int,
    correct: bool,
    choices: tuple[int, ...],
    answered_at: datetime,
    today: date,
    response_ms: int,
    drill: bool = False,
    deadline: date | None = None,
) -> Review:
    """Apply one answer to ``card``. A drill is logged but leaves the card's schedule unchanged.

    With ``deadline`` (an exam date), a review SM-2 would place on or after it comes the day before instead
    (see ``readiness.due_before_exam``); the SM-2 state itself is unchanged.
    """
    sm2.check_quality(quality)
    answered_at = require_utc(answered_at)
    if response_ms < 0:
        raise ValueError(f"response time must be >= 0 ms, got {response_ms}")
    if drill:
        kind = ReviewKind.DRILL
        after = card
    else:
        kind = ReviewKind.NEW if card.is_new else ReviewKind.REVIEW
        state = sm2.review(card.sm2, quality)
        lapsed = quality < sm2.PASSING_QUALITY and not card.is_new
        after = replace(
            card,
            sm2=state,
            due=due_before_exam(today + timedelta(days=state.interval), deadline, today),
            reviews=card.reviews + 1,
            lapses=card.lapses + (1 if lapsed else 0),
            last_review=answered_at,
        )
    return Review(
        question_id=card.question_id,
        answered_at=answered_at,
        study_day=today,
        kind=kind,
        choices=choices,
        correct=correct,
        quality=quality,
        response_ms=response_ms,
        before=card,
        after=after,
    )


def due_after_mock(
    card: CardState, *, correct: bool, choices: tuple[int, ...], answered_at: datetime, today: date
) -> Review:
    """A question missed or flagged in a mock exam becomes due today; its SM-2 values stay as they were."""
    answered_at = require_utc(answered_at)
    due = today if card.due is None else min(card.due, today)
    after = replace(card, due=due, last_review=card.last_review or answered_at)
    return Review(
        question_id=card.question_id,
        answered_at=answered_at,
        study_day=today,
        kind=ReviewKind.MOCK,
        choices=choices,
        correct=correct,
        quality=0 if not correct else 3,
        response_ms=0,
        before=card,
        after=after,
    )


def replay(question_id: str, reviews: list[Review]) -> CardState:
    """Rebuild a card from its log: the state after the last scheduling review (drills change nothing)."""
    card = CardState(question_id)
    for r in sorted(reviews, key=lambda r: r.answered_at):
        if r.kind is ReviewKind.DRILL:
            continue
        if r.kind is ReviewKind.MOCK:
            card = due_after_mock(
                card, correct=r.correct, choices=r.choices, answered_at=r.answered_at, today=r.study_day
            ).after
            continue
        card = grade(
            card,
            quality=r.quality,
            correct=r.correct,
            choices=r.choices,
            answered_at=r.answered_at,
            today=r.study_day,
            response_ms=r.response_ms,
        ).after
        if r.after.due is not None and card.due is not None and r.after.due < card.due:
            card = replace(card, due=r.after.due)  # brought before an exam date (the deadline rule)
    return card
