"""A daily session: what to ask, in what order, and the same-day re-drill."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from quizengine.domain import sm2
from quizengine.domain.cards import CardState, ReviewKind
from quizengine.domain.clock import require_utc

DEFAULT_NEW_PER_DAY = 20
DEFAULT_REVIEW_CAP = 200
REDRILL_GAP = 3  # a failed item comes back after this many other items (sooner if the queue is shorter)


@dataclass(frozen=True, slots=True)
class SessionLimits:
    new_per_day: int = DEFAULT_NEW_PER_DAY
    review_cap: int = DEFAULT_REVIEW_CAP  # scheduled reviews per study day
    minutes: int | None = None  # optional time budget for the session

    def __post_init__(self) -> None:
        if self.new_per_day < 0:
            raise ValueError(f"new questions per day must be >= 0, got {self.new_per_day}")
        if self.review_cap < 0:
            raise ValueError(f"review cap must be >= 0, got {self.review_cap}")
        if self.minutes is not None and self.minutes <= 0:
            raise ValueError(f"session minutes must be > 0, got {self.minutes}")


@dataclass(frozen=True, slots=True)
class QueueItem:
    question_id: str
    kind: ReviewKind


def order_new(candidates: Sequence[tuple[str, str]], weights: Mapping[str, float]) -> list[str]:
    """Order unseen questions ``(id, domain)`` so every domain is met early, in proportion to its weight.

    Stride scheduling: the k-th question of a domain of weight w gets the virtual time (k + 0.5) / w;
    within a domain the bank's order is kept.
    """
    seen: dict[str, int] = {}
    keyed: list[tuple[float, int, str]] = []
    for position, (qid, domain) in enumerate(candidates):
        k = seen.get(domain, 0)
        seen[domain] = k + 1
        weight = weights.get(domain) or 1.0
        keyed.append(((k + 0.5) / weight, position, qid))
    keyed.sort()
    return [qid for _, _, qid in keyed]


def due_cards(cards: Sequence[CardState], today: date) -> list[CardState]:
    """Cards due today or earlier, most overdue first (ties by question id, so the order is stable)."""
    due = [c for c in cards if c.due is not None and c.due <= today]
    return sorted(due, key=lambda c: (c.due or today, c.question_id))


def plan(
    *,
    due: Sequence[CardState],
    new_ids: Sequence[str],
    redrill_ids: Sequence[str],
    limits: SessionLimits,
    today: date,
    new_done_today: int = 0,
    reviews_done_today: int = 0,
    keep_order: bool = False,
) -> list[QueueItem]:
    """The session queue: pending re-drills, then due reviews (most overdue first) with new ones spread in.

    ``due`` must already be due; it is re-sorted here, unless ``keep_order`` (the final days before an exam,
    when the caller has ranked the reviews itself and may bring some forward). ``new_ids`` must be in study
    order.
    """
    ranked = list(due) if keep_order else due_cards(due, today)
    reviews = ranked[: max(0, limits.review_cap - reviews_done_today)]
    new = list(new_ids)[: max(0, limits.new_per_day - new_done_today)]
    queue = [QueueItem(qid, ReviewKind.DRILL) for qid in dict.fromkeys(redrill_ids)]
    # Merge by fractional position: review j at (j+1)/(R+1), new i at (i+1)/(N+1); reviews win ties.
    keyed = [
        ((j + 1) / (len(reviews) + 1), 0, QueueItem(c.question_id, ReviewKind.REVIEW))
        for j, c in enumerate(reviews)
    ]
    keyed += [((i + 1) / (len(new) + 1), 1, QueueItem(qid, ReviewKind.NEW)) for i, qid in enumerate(new)]
    keyed.sort(key=lambda t: (t[0], t[1]))
    taken = {item.question_id for item in queue}
    queue += [item for _, _, item in keyed if item.question_id not in taken]
    return queue


@dataclass
class StudySession:
    """The running session: hands out items and puts failed ones back for the same-day re-drill."""

    queue: list[QueueItem]
    started_at: datetime
    limits: SessionLimits = field(default_factory=SessionLimits)
    answered: int = 0
    correct: int = 0

    def __post_init__(self) -> None:
        self.started_at = require_utc(self.started_at)

    def current(self, now: datetime) -> QueueItem | None:
        """The next item, or None when the queue is empty or the time budget is spent."""
        if not self.queue or self.out_of_time(now):
            return None
        return self.queue[0]

    def out_of_time(self, now: datetime) -> bool:
        if self.limits.minutes is None:
            return False
        return require_utc(now) - self.started_at >= timedelta(minutes=self.limits.minutes)

    def record(self, question_id: str, *, quality: int, correct: bool) -> None:
        """The current item was answered; a grade below 4 brings it back (rule 6, as a drill)."""
        if not self.queue or self.queue[0].question_id != question_id:
            raise ValueError(f"{question_id} is not the current question")
        self.queue.pop(0)
        self.answered += 1
        self.correct += int(correct)
        if sm2.needs_redrill(quality):
            self.queue.insert(min(REDRILL_GAP, len(self.queue)), QueueItem(question_id, ReviewKind.DRILL))

    @property
    def remaining(self) -> int:
        return len(self.queue)


def pending_redrills(todays_last_quality: Mapping[str, int]) -> list[str]:
    """Questions whose last answer today was below 4: the re-drill owed, even after a restart."""
    return [qid for qid, q in todays_last_quality.items() if sm2.needs_redrill(q)]
