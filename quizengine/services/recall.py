"""Predicted recall: a learner's review log replayed through FSRS-6 (the `fsrs` package).

SM-2 stays the scheduler; FSRS only predicts the chance of answering a question correctly on a given date.
Grades map to FSRS ratings as: q 0-2 Again, 3 Hard, 4 Good, 5 Easy. Every logged answer counts (new, review,
same-day drill and mock answers are all recall events). Learning steps and fuzzing are off: the model never
schedules anything, it only tracks memory stability and difficulty per question.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from fsrs import Card, Rating, Scheduler, State

from quizengine.domain.cards import ReviewKind
from quizengine.domain.readiness import History
from quizengine.storage.store import LoggedAnswer, RecallRecord

__all__ = [
    "RATINGS", "Card", "Event", "QuestionState", "RecallModel", "advance", "from_record", "rating",
    "to_record",
]  # fmt: skip

RATINGS = {0: Rating.Again, 1: Rating.Again, 2: Rating.Again, 3: Rating.Hard, 4: Rating.Good, 5: Rating.Easy}


def rating(quality: int) -> Rating:
    return RATINGS[quality]


@dataclass(frozen=True, slots=True)
class Event:
    question_id: str
    at: datetime
    quality: int


class RecallModel:
    """FSRS-6 with its published default parameters."""

    def __init__(self) -> None:
        self.scheduler = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)

    def replay(self, events: Iterable[Event]) -> dict[str, Card]:
        """The FSRS memory state of every question answered, from events in time order."""
        cards: dict[str, Card] = {}
        for e in events:
            cards[e.question_id] = self.replay_one(cards.get(e.question_id), e)
        return cards

    def replay_one(self, card: Card | None, event: Event) -> Card:
        """``card`` (None before the first answer) after one more answer."""
        # An explicit card_id: without one, fsrs.Card() sleeps a millisecond to make its id unique.
        fresh = card or Card(card_id=1, due=event.at)
        updated, _log = self.scheduler.review_card(fresh, rating(event.quality), event.at)
        return updated

    def recall(self, card: Card, when: datetime) -> float:
        """The predicted probability of recalling the question at ``when``."""
        if card.last_review is not None and when < card.last_review:
            when = card.last_review
        return float(self.scheduler.get_card_retrievability(card, when))


@dataclass(frozen=True, slots=True)
class QuestionState:
    """One question's recall state for a learner: FSRS memory plus the readiness summary of its answers."""

    card: Card
    history: History
    ms_total: int = 0  # answer time outside mock exams
    new_at: datetime | None = None  # when it was answered as a new question


def advance(model: RecallModel, state: QuestionState | None, answer: LoggedAnswer) -> QuestionState:
    """``state`` (None before the first answer) after one more logged answer."""
    card = model.replay_one(
        state.card if state else None, Event(answer.question_id, answer.answered_at, answer.quality)
    )
    history = (state.history if state else History()).add(answer.answered_at, answer.correct)
    ms = (state.ms_total if state else 0) + (answer.response_ms if answer.kind is not ReviewKind.MOCK else 0)
    new_at = answer.answered_at if answer.kind is ReviewKind.NEW else (state.new_at if state else None)
    return QuestionState(card, history, ms, new_at)


def to_record(question_id: str, s: QuestionState) -> RecallRecord | None:
    """The kept form of ``s``; None if its FSRS card is not in the review state (never with this model)."""
    h = s.history
    card = s.card
    if card.state is not State.Review or card.stability is None or card.difficulty is None:
        return None
    if card.last_review is None or h.first_at is None or h.last_at is None or h.first_correct is None:
        return None
    return RecallRecord(
        question_id, card.stability, card.difficulty, card.last_review, h.reviews, h.first_correct,
        h.first_at, h.last_at, h.weight, h.correct_weight, s.ms_total, s.new_at,
    )  # fmt: skip


def from_record(r: RecallRecord) -> QuestionState:
    card = Card(
        card_id=1, state=State.Review, step=None, stability=r.stability, difficulty=r.difficulty,
        due=r.fsrs_last, last_review=r.fsrs_last,
    )  # fmt: skip
    history = History(r.reviews, r.first_correct, r.first_at, r.last_at, r.weight, r.correct_weight)
    return QuestionState(card, history, r.ms_total, r.new_at)
