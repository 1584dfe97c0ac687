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
from typing import NamedTuple

from fsrs import Card, Rating, Scheduler, State

from quizengine.domain.cards import ReviewKind
from quizengine.domain.readiness import MICROS_PER_DAY, History, from_micros, micros
from quizengine.storage import Store
from quizengine.storage.store import LoggedAnswer, RecallMark, RecallRecord

__all__ = [
    "RATINGS", "Card", "Event", "QuestionState", "RecallModel", "RecallStates", "advance", "from_record",
    "rating", "read_states", "to_record",
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
        self._decay = -float(self.scheduler.parameters[20])
        self._factor = 0.9 ** (1 / self._decay) - 1

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

    def retrievability(self, state: QuestionState, when: datetime) -> float:
        """``recall`` for a kept state, without building a Card: FSRS-6's curve over whole elapsed days,
        ``(1 + factor * days / stability) ** decay``, with the scheduler's own decay parameter."""
        return self.retrievability_us(state, micros(when))

    def retrievability_us(self, state: QuestionState, when_us: int) -> float:
        """``retrievability`` at a moment already in microseconds (a report converts its moments once)."""
        days = (when_us - state.last_review_us) // MICROS_PER_DAY
        if days <= 0:  # no whole day has passed (or ``when`` is earlier): the curve's start
            return 1.0
        return float((1 + self._factor * days / state.stability) ** self._decay)

    def recall(self, card: Card, when: datetime) -> float:
        """The predicted probability of recalling the question at ``when``."""
        if card.last_review is not None and when < card.last_review:
            when = card.last_review
        return float(self.scheduler.get_card_retrievability(card, when))


class QuestionState(NamedTuple):
    """One question's recall state for a learner: FSRS memory plus the readiness summary of its answers.

    The FSRS card is kept as the three numbers that matter once it is reviewed (without learning steps a
    card is in the review state after its first answer); a Card is built only to take one more answer.
    Moments are microseconds since the Unix epoch (``readiness.micros``). A named tuple: a report reads
    one per answered question, tens of thousands per profile.
    """

    stability: float
    difficulty: float
    last_review_us: int
    history: History
    ms_total: int = 0  # answer time outside mock exams
    new_us: int | None = None  # when it was answered as a new question

    def card(self) -> Card:
        last = from_micros(self.last_review_us)
        return Card(
            card_id=1, state=State.Review, step=None, stability=self.stability, difficulty=self.difficulty,
            due=last, last_review=last,
        )  # fmt: skip


def advance(model: RecallModel, state: QuestionState | None, answer: LoggedAnswer) -> QuestionState:
    """``state`` (None before the first answer) after one more logged answer."""
    event = Event(answer.question_id, answer.answered_at, answer.quality)
    card = model.replay_one(state.card() if state else None, event)
    if card.state is not State.Review or card.stability is None or card.difficulty is None:
        raise AssertionError("without learning steps an answered card is in the review state")
    assert card.last_review is not None
    history = (state.history if state else History()).add(answer.answered_at, answer.correct)
    ms = (state.ms_total if state else 0) + (answer.response_ms if answer.kind is not ReviewKind.MOCK else 0)
    new_us = (
        micros(answer.answered_at) if answer.kind is ReviewKind.NEW else (state.new_us if state else None)
    )
    return QuestionState(card.stability, card.difficulty, micros(card.last_review), history, ms, new_us)


def to_record(question_id: str, s: QuestionState) -> RecallRecord:
    h = s.history
    assert h.first_us is not None
    assert h.last_us is not None
    assert h.first_correct is not None
    return RecallRecord(
        question_id, s.stability, s.difficulty, s.last_review_us, h.reviews, h.first_correct,
        h.first_us, h.last_us, h.weight, h.correct_weight, s.ms_total, s.new_us,
    )  # fmt: skip


def from_record(r: RecallRecord) -> QuestionState:
    history = History(r.reviews, bool(r.first_correct), r.first_at, r.last_at, r.weight, r.correct_weight)
    return QuestionState(r.stability, r.difficulty, r.fsrs_last, history, r.ms_total, r.new_at)


@dataclass(frozen=True, slots=True)
class RecallStates:
    states: dict[str, QuestionState]  # per answered question
    mark: RecallMark  # how far ``states`` reach
    changed: set[str]  # questions whose state differs from the kept one
    kept: RecallMark  # the mark kept in the database when this was read


def read_states(store: Store, model: RecallModel, profile_id: int, limit: int | None = None) -> RecallStates:
    """Every answered question's recall state: the kept state plus the reviews logged after its mark.

    Reads only. A review logged out of time order (a history import, a mock submitted late) makes its
    question replay from its whole log; a review committed late below the mark (two terminals on
    PostgreSQL) makes everything replay. ``limit`` takes only that many of the later reviews (by id),
    so that a long backlog can be kept in steps.
    """
    records, kept = store.recall_state(profile_id)
    mark = kept
    if records and store.review_extent(profile_id, mark.upto)[0] != mark.count:
        records, mark = {}, RecallMark()
    states = {qid: from_record(r) for qid, r in records.items()}
    tail = store.logged_since(profile_id, mark.upto, limit)
    upto = max([mark.upto, *(rid for rid, _ in tail)])
    count = mark.count + len(tail)
    stale = {
        a.question_id
        for _, a in tail
        if (st := states.get(a.question_id)) is not None
        and st.history.last_us is not None
        and micros(a.answered_at) < st.history.last_us
    }
    if stale:
        for qid in stale:
            del states[qid]
        tail = [t for t in tail if t[1].question_id not in stale]
        tail += store.logged_for(profile_id, sorted(stale))
        tail.sort(key=lambda t: (t[1].answered_at, t[0]))
    for _rid, answer in tail:
        states[answer.question_id] = advance(model, states.get(answer.question_id), answer)
    return RecallStates(states, RecallMark(upto, count), {a.question_id for _, a in tail}, kept)
