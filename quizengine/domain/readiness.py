"""Readiness for an exam date: expected score, its band, weak topics and a verdict, every number explained.

The inputs are per-question recall predictions (from the FSRS replay of the review log, outside this pure
core) and recent mock results. The rules, all shown to the learner:

- **Prior for unseen questions.** A question never answered gets the learner's first-try accuracy in its
  domain, shrunk toward the guessing rate of its item type with PRIOR_WEIGHT pseudo-answers:
  ``p = (first_try_correct + PRIOR_WEIGHT * guess) / (first_try_total + PRIOR_WEIGHT)``. With no history it
  is the guessing rate (1/4 for a single answer of four options, 1/C(5,2) for "select two of five", ...).
- **Expected score** = sum over domains of weight x mean predicted probability of a correct answer on the
  exam date (weights normalised to 1; vendor ranges use their midpoints).
- **Band**: +-1.28 standard deviations (an 80 % band) of the score of an exam of ``items`` questions drawn
  by domain weight: ``sd = sqrt(sum_d w_d * p_d * (1 - p_d) / items)``.
- **Blend with mocks**: with submitted mock exams in the last MOCK_WINDOW_DAYS days, the estimate is
  ``MODEL_SHARE * expected + (1 - MODEL_SHARE) * mean of the last MOCKS_USED mock scores``.
- **Readiness** (0-100) = the estimated chance of reaching the pass mark:
  ``100 * Phi((blended - pass) / sd)``.
- **Verdict**: "ready" needs readiness >= READY_AT and no domain more than FAR_BELOW below the pass mark;
  "borderline" from BORDERLINE_AT; otherwise "not ready".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import NamedTuple

from quizengine.domain.model import Domain, ExamFormat, Question, QuestionType

PRIOR_WEIGHT = 2.0
MOCK_WINDOW_DAYS = 30
MOCKS_USED = 3
MODEL_SHARE = 0.6
BAND_Z = 1.2816  # 80 % two-sided
READY_AT = 80
BORDERLINE_AT = 50
FAR_BELOW = 0.15
DEFAULT_PASS = 0.70  # when a vendor publishes no pass mark
ACCURACY_HALF_LIFE_DAYS = 14.0
WEAK_TOPICS = 10


def guess_rate(q: Question) -> float:
    """The chance of a blind guess being right, by item type (no partial credit)."""
    if q.type is QuestionType.SINGLE:
        return 1 / len(q.options)
    if q.type is QuestionType.MULTIPLE:
        return 1 / math.comb(len(q.options), q.select)
    if q.type is QuestionType.ORDERING:
        return 1 / math.factorial(len(q.steps))
    return 1 / math.perm(len(q.answer_choices), len(q.pairs))


def prior(first_correct: int, first_total: int, guess: float) -> float:
    """Predicted chance on an unseen question: first-try accuracy shrunk toward the guessing rate."""
    return (first_correct + PRIOR_WEIGHT * guess) / (first_total + PRIOR_WEIGHT)


def pass_fraction(fmt: ExamFormat | None) -> tuple[float, str]:
    """The pass mark as a fraction of questions right, and how it was derived."""
    scoring = fmt.scoring if fmt else None
    if scoring is None or scoring.pass_mark is None:
        return DEFAULT_PASS, f"no published pass mark: {DEFAULT_PASS:.0%} of questions right is used"
    if scoring.method == "scaled" and scoring.scale is not None:
        low, high = scoring.scale
        frac = (scoring.pass_mark - low) / (high - low)
        return frac, (
            f"pass mark {scoring.pass_mark:g} on the {low}-{high} scale, read as {frac:.1%} of questions "
            "right (a straight line; vendors do not publish their mapping)"
        )
    return scoring.pass_mark / 100, f"pass mark {scoring.pass_mark:g} % of questions right"


EXAM_HOUR = 9  # predictions "on the exam date" are taken at 9:00 local time that day


def exam_moment(exam_date: date, tz: tzinfo) -> datetime:
    """The moment predictions for ``exam_date`` refer to, as an aware UTC datetime."""
    return datetime(exam_date.year, exam_date.month, exam_date.day, EXAM_HOUR, tzinfo=tz).astimezone(UTC)


def recency_weight(answered_at: datetime, now: datetime) -> float:
    age_days = max(0.0, (now - answered_at).total_seconds() / 86400)
    return float(0.5 ** (age_days / ACCURACY_HALF_LIFE_DAYS))


@dataclass(frozen=True, slots=True)
class Answer:
    """One logged answer, as readiness needs it."""

    answered_at: datetime
    correct: bool


class History(NamedTuple):
    """What readiness needs of one question's answers, kept up to date one answer at a time.

    The recency weights of all answers are summed as of the latest one (``last_us``); since every weight
    halves each ACCURACY_HALF_LIFE_DAYS, the sums at any later moment are these times one common factor
    (``at``), so a report needs no answer but the summary. Moments are whole microseconds since the Unix
    epoch (``micros``): exact, and kept by the thousands without parsing dates. (A named tuple, like
    QuestionRecall: a team report makes hundreds of thousands, and a frozen dataclass is three times as
    slow to build.)
    """

    reviews: int = 0
    first_correct: bool | None = None  # the earliest answer (the first try)
    first_us: int | None = None
    last_us: int | None = None
    weight: float = 0.0  # sum of recency weights as of last_us
    correct_weight: float = 0.0  # the same over the right answers

    def add(self, answered_at: datetime, correct: bool) -> History:
        at = micros(answered_at)
        if self.last_us is None or self.first_us is None:
            return History(1, correct, at, at, 1.0, 1.0 if correct else 0.0)
        last = max(self.last_us, at)  # an answer logged out of order keeps the newest anchor
        old = _decay(last - self.last_us)
        new = _decay(last - at)
        earlier = at < self.first_us
        return History(
            self.reviews + 1,
            correct if earlier else self.first_correct,
            at if earlier else self.first_us,
            last,
            self.weight * old + new,
            self.correct_weight * old + (new if correct else 0.0),
        )

    def at(self, now: datetime) -> tuple[float, float]:
        """(all answers' weight, right answers' weight) at ``now``."""
        return self.at_us(micros(now))

    def at_us(self, now_us: int) -> tuple[float, float]:
        if self.last_us is None:
            return 0.0, 0.0
        factor = _decay(now_us - self.last_us)
        return self.weight * factor, self.correct_weight * factor

    @classmethod
    def of(cls, answers: Sequence[Answer]) -> History:
        history = cls()
        for a in answers:
            history = history.add(a.answered_at, a.correct)
        return history


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROS_PER_DAY = 86_400_000_000
_MICROS_PER_HALF_LIFE = ACCURACY_HALF_LIFE_DAYS * MICROS_PER_DAY


def micros(moment: datetime) -> int:
    """Whole microseconds from the Unix epoch to a UTC-aware ``moment``, exactly."""
    return (moment - _EPOCH) // timedelta(microseconds=1)


def from_micros(us: int) -> datetime:
    """The UTC moment ``us`` microseconds after the Unix epoch (the inverse of ``micros``)."""
    return _EPOCH + timedelta(microseconds=us)


def _decay(elapsed_us: int) -> float:
    """recency_weight for an age in microseconds (a negative age counts as none)."""
    return float(0.5 ** (max(0, elapsed_us) / _MICROS_PER_HALF_LIFE))


class QuestionRecall(NamedTuple):
    """What is known of one question for one learner."""

    question: Question  # under the domain of the bank being assessed
    history: History
    recall_now: float | None  # FSRS retrievability now; None if never answered
    recall_exam: float | None  # on the exam date (or now when no date is set)
    lapses: int = 0
    ef: float | None = None  # SM-2 easiness factor

    @property
    def seen(self) -> bool:
        return self.history.reviews > 0


@dataclass(frozen=True, slots=True)
class DomainReadiness:
    id: str
    name: str
    weight: float  # fraction, sums to 1 over the bank
    questions: int
    seen: int
    accuracy: float | None  # recency-weighted share of answers right
    predicted_recall: float  # mean predicted chance on the exam date, unseen questions at their prior
    prior: float  # the prior used for unseen questions of this domain (single-answer guess shown)

    @property
    def coverage(self) -> float:
        return self.seen / self.questions if self.questions else 0.0


@dataclass(frozen=True, slots=True)
class WeakTopic:
    topic: str
    domain: str
    accuracy: float | None
    reviews: int
    lapses: int
    mean_ef: float | None
    recall_now: float
    recall_exam: float
    priority: float  # domain weight x (1 - predicted recall on the exam date)


@dataclass(frozen=True, slots=True)
class MockScore:
    taken_at: datetime
    raw: float  # fraction right
    scaled: float | None
    passed: bool | None
    minutes_used: float


@dataclass(frozen=True, slots=True)
class Readiness:
    expected: float  # expected fraction right from predicted recall
    band: tuple[float, float]
    sd: float
    blended: float
    mocks_used: int
    pass_mark: float
    pass_note: str
    readiness: int  # 0-100
    verdict: str  # "ready" | "borderline" | "not ready"
    reasons: tuple[str, ...]
    domains: tuple[DomainReadiness, ...]
    weak_topics: tuple[WeakTopic, ...]
    formula: tuple[str, ...]  # the computation in words and numbers, for the learner


def assess(
    domains: Sequence[Domain],
    recalls: Sequence[QuestionRecall],
    mocks: Sequence[MockScore],
    fmt: ExamFormat | None,
    now: datetime,
) -> Readiness:
    total_weight = sum(d.weight for d in domains) or 1.0
    weights = {d.id: d.weight / total_weight for d in domains}
    by_domain: dict[str, list[QuestionRecall]] = {d.id: [] for d in domains}
    for r in recalls:
        by_domain.setdefault(r.question.domain, []).append(r)
    answered = _answer_weights(recalls, now)

    domain_rows = []
    for d in domains:
        items = by_domain[d.id]
        seen = [r for r in items if r.history.reviews]
        first_correct, first_total = sum(1 for r in seen if r.history.first_correct), len(seen)
        predictions = [
            r.recall_exam
            if r.recall_exam is not None
            else prior(first_correct, first_total, guess_rate(r.question))
            for r in items
        ]
        shown_prior = prior(first_correct, first_total, 0.25)
        domain_rows.append(
            DomainReadiness(
                id=d.id,
                name=d.name,
                weight=weights[d.id],
                questions=len(items),
                seen=first_total,
                accuracy=_weighted_accuracy(seen, answered),
                predicted_recall=sum(predictions) / len(predictions) if predictions else 0.0,
                prior=shown_prior,
            )
        )

    expected = sum(row.weight * row.predicted_recall for row in domain_rows)
    exam_items = _scored_items(fmt)
    variance = sum(row.weight * row.predicted_recall * (1 - row.predicted_recall) for row in domain_rows)
    sd = max(math.sqrt(variance / exam_items), 0.01)
    band = (max(0.0, expected - BAND_Z * sd), min(1.0, expected + BAND_Z * sd))

    recent = sorted(
        (m for m in mocks if now - m.taken_at <= timedelta(days=MOCK_WINDOW_DAYS)), key=lambda m: m.taken_at
    )[-MOCKS_USED:]
    formula = [
        "expected score = "
        + " + ".join(f"{row.weight:.2f} x {row.predicted_recall:.2f}" for row in domain_rows)
        + f" = {expected:.1%} (domain weight x mean predicted recall on the exam date)",
        f"80 % band: {band[0]:.1%} to {band[1]:.1%} "
        f"(+-{BAND_Z:g} sd, sd = {sd:.3f} over {exam_items} scored items)",
    ]
    if recent:
        mock_mean = sum(m.raw for m in recent) / len(recent)
        blended = MODEL_SHARE * expected + (1 - MODEL_SHARE) * mock_mean
        formula.append(
            f"blended = {MODEL_SHARE:g} x {expected:.1%} + {1 - MODEL_SHARE:g} x {mock_mean:.1%} "
            f"(mean of {len(recent)} mock exam(s) in the last {MOCK_WINDOW_DAYS} days) = {blended:.1%}"
        )
    else:
        blended = expected
        formula.append(
            f"no mock exam in the last {MOCK_WINDOW_DAYS} days: blended = expected = {blended:.1%}"
        )
    pass_mark, pass_note = pass_fraction(fmt)
    readiness = round(100 * _phi((blended - pass_mark) / sd))
    formula.append(
        f"readiness = chance of reaching the pass mark ({pass_mark:.1%}; {pass_note}) = "
        f"Phi(({blended:.3f} - {pass_mark:.3f}) / {sd:.3f}) = {readiness}"
    )

    reasons = []
    far = [row for row in domain_rows if row.questions and row.predicted_recall < pass_mark - FAR_BELOW]
    for row in far:
        reasons.append(
            f"{row.name}: predicted {row.predicted_recall:.0%}, more than {FAR_BELOW:.0%} below the pass mark"
        )
    if readiness >= READY_AT and not far:
        verdict = "ready"
    elif readiness >= BORDERLINE_AT:
        verdict = "borderline"
    else:
        verdict = "not ready"
    if verdict == "borderline" and far and readiness >= READY_AT:
        reasons.insert(0, "the overall estimate passes, but a domain is far below the pass mark")
    if verdict == "not ready":
        reasons.insert(0, f"readiness {readiness} is below {BORDERLINE_AT}")

    return Readiness(
        expected=expected,
        band=band,
        sd=sd,
        blended=blended,
        mocks_used=len(recent),
        pass_mark=pass_mark,
        pass_note=pass_note,
        readiness=readiness,
        verdict=verdict,
        reasons=tuple(reasons),
        domains=tuple(domain_rows),
        weak_topics=tuple(weak_topics(recalls, weights, answered)),
        formula=tuple(formula),
    )


def weak_topics(
    recalls: Sequence[QuestionRecall],
    weights: dict[str, float],
    answered: dict[str, tuple[float, float]],
    limit: int = WEAK_TOPICS,
) -> list[WeakTopic]:
    """Answered topics ranked by exam weight x gap (1 - predicted recall on the exam date); ``answered``
    is ``_answer_weights(recalls, now)``."""
    groups: dict[tuple[str, str], list[QuestionRecall]] = {}
    for r in recalls:
        if r.history.reviews:
            for topic in r.question.topics:
                groups.setdefault((r.question.domain, topic), []).append(r)
    rows = []
    for (domain, topic), items in groups.items():
        now_p = sum(r.recall_now or 0.0 for r in items) / len(items)
        exam_p = sum(r.recall_exam or 0.0 for r in items) / len(items)
        efs = [r.ef for r in items if r.ef is not None]
        rows.append(
            WeakTopic(
                topic=topic,
                domain=domain,
                accuracy=_weighted_accuracy(items, answered),
                reviews=sum(r.history.reviews for r in items),
                lapses=sum(r.lapses for r in items),
                mean_ef=sum(efs) / len(efs) if efs else None,
                recall_now=now_p,
                recall_exam=exam_p,
                priority=weights.get(domain, 0.0) * (1 - exam_p),
            )
        )
    rows.sort(key=lambda w: (-w.priority, w.domain, w.topic))
    return rows[:limit]


def _answer_weights(recalls: Sequence[QuestionRecall], now: datetime) -> dict[str, tuple[float, float]]:
    """Question id -> (all answers' recency weight, right answers' weight) at ``now``, for the answered
    questions: computed once per report, then summed per domain and per topic."""
    now_us = micros(now)
    return {r.question.id: r.history.at_us(now_us) for r in recalls if r.history.reviews}


def _weighted_accuracy(
    items: Sequence[QuestionRecall], answered: dict[str, tuple[float, float]]
) -> float | None:
    """Recency-weighted share of right answers over all answers to ``items`` (answered ones)."""
    total = right = 0.0
    for r in items:
        w, c = answered[r.question.id]
        total += w
        right += c
    return right / total if total else None


def _scored_items(fmt: ExamFormat | None) -> int:
    if fmt is None or fmt.items <= 0:
        return 50
    return max(1, fmt.items - fmt.unscored_items)


def _phi(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


@dataclass(frozen=True, slots=True)
class Pace:
    """Where the learner stands against an exam date."""

    exam_date: date
    days_left: int
    unseen: int
    new_per_day_needed: int
    new_per_day_recent: float  # mean new questions a day over the last PACE_WINDOW_DAYS days
    on_track: bool
    note: str


FINAL_REVIEW_DAYS = 3  # no new questions in the last days: they are for review
PACE_WINDOW_DAYS = 7


def pace(exam_date: date, today: date, unseen: int, new_recent: int) -> Pace:
    """The daily new quota that covers the whole bank before the exam, and whether recent study keeps up.

    New questions are spread over the days left minus FINAL_REVIEW_DAYS (at least one day).
    """
    days_left = (exam_date - today).days
    study_days = max(1, days_left - FINAL_REVIEW_DAYS)
    needed = math.ceil(unseen / study_days) if unseen else 0
    recent = new_recent / PACE_WINDOW_DAYS
    if days_left < 0:
        return Pace(exam_date, days_left, unseen, 0, recent, False, "the exam date has passed")
    on_track = unseen == 0 or recent >= needed
    if unseen == 0:
        note = "every question has been seen: review until the exam"
    elif on_track:
        note = f"on track: {recent:.1f} new a day recently, {needed} needed"
    else:
        note = f"behind: {recent:.1f} new a day recently, {needed} needed to see all {unseen} before the exam"
    return Pace(exam_date, days_left, unseen, needed, recent, on_track, note)


def due_before_exam(due: date, exam_date: date | None, today: date) -> date:
    """Deadline rule: a review SM-2 would place on or after the exam day comes the day before it instead.

    The SM-2 state (repetitions, EF, interval) is untouched; only the next due date moves, and never before
    tomorrow (a card answered the day before the exam is not asked twice that day). After the exam date the
    rule no longer applies.
    """
    if exam_date is None or exam_date <= today:
        return due
    return max(min(due, exam_date - timedelta(days=1)), today + timedelta(days=1))
