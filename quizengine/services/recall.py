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

from fsrs import Card, Rating, Scheduler

__all__ = ["RATINGS", "Card", "Event", "RecallModel", "rating"]

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
