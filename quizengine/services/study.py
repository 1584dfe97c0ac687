"""The daily study use case: the home overview, a session's questions, answers and summary."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from quizengine.domain import grading
from quizengine.domain.cards import CardState, Review, ReviewKind, grade
from quizengine.domain.clock import require_utc, streak, study_day
from quizengine.domain.grading import Confidence, Presentation
from quizengine.domain.model import Certification, Domain, InstalledBank, Question
from quizengine.domain.readiness import exam_moment, micros, pace
from quizengine.domain.session import (
    QueueItem,
    SessionLimits,
    StudySession,
    order_new,
    pending_redrills,
    plan,
)
from quizengine.domain.stacks import StackProgress
from quizengine.services.recall import RecallModel, read_states
from quizengine.storage import StorageError, Store

Clock = Callable[[], datetime]
STREAK_LOOKBACK_DAYS = 3660
PREFETCH = 25  # queued questions read in one query


@dataclass(frozen=True, slots=True)
class CertOverview:
    certification: Certification
    due: int
    new_today: int  # new questions still to be introduced today
    unseen: int  # questions never answered
    total: int

    @property
    def warning(self) -> str | None:
        return self.certification.lifecycle_warning()


@dataclass(frozen=True, slots=True)
class HomeView:
    profile: str
    today: date
    streak: int
    studying: list[CertOverview]
    available: list[InstalledBank]  # installed banks the profile does not study yet
    open_mock: str | None = None  # exam code of a mock exam started and not submitted
    stack: StackProgress | None = None  # the certification stack the profile follows
    notices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QuestionView:
    question: Question
    presentation: Presentation
    kind: ReviewKind
    certification: Certification
    domain: Domain
    number: int  # 1-based count of questions shown in this session
    remaining: int  # items in the queue, this one included


@dataclass(frozen=True, slots=True)
class Feedback:
    view: QuestionView
    choices: tuple[int, ...]
    correct: bool
    quality: int
    confidence: Confidence
    correct_choices: tuple[int, ...]
    next_due: date | None  # None for a drill (the schedule did not move)
    comes_back: bool  # same-day re-drill


@dataclass(frozen=True, slots=True)
class Summary:
    answered: int
    correct: int
    minutes: float
    due_tomorrow: int
    out_of_time: bool

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


EXAM_DATE_KEY = "exam_date:"  # + cert id -> ISO date, in the profile's settings
FINAL_DAYS = 7  # in the last days before an exam, reviews favour the lowest predicted recall
FINAL_DAYS_RECALL = 0.9  # ... and bring forward answered questions predicted below this on the exam day


class StudyService:
    def __init__(
        self,
        store: Store,
        profile: str,
        *,
        clock: Clock,
        tz: tzinfo,
        rollover_hour: int,
        limits: SessionLimits,
        rng: random.Random | None = None,
        create_profile: bool = True,
    ) -> None:
        self.store = store
        self.profile = profile
        self.clock = clock
        self.tz = tz
        self.rollover_hour = rollover_hour
        self.limits = limits
        self.rng = rng or random.Random()
        if create_profile:
            self.profile_id = store.profile_id(profile, self.now())
        else:  # a reader: an unknown profile simply has no rows (id 0 matches nothing)
            self.profile_id = store.find_profile(profile) or 0

    def now(self) -> datetime:
        return require_utc(self.clock())

    def today(self) -> date:
        return study_day(self.now(), self.tz, self.rollover_hour)

    def banks(self) -> dict[str, InstalledBank]:
        return {b.certification.id: b for b in self.store.installed_banks()}

    def home(self) -> HomeView:
        today = self.today()
        banks = self.banks()
        studying = [c for c in self.store.profile_certs(self.profile_id) if c in banks]
        counts = self.store.cert_counts(self.profile_id, studying, today)
        activity = self.store.day_activity(self.profile_id, today)
        overviews = []
        for cid in studying:
            due, unseen = counts[cid]
            new_left = max(0, self.limits.new_per_day - activity.new_done.get(cid, 0))
            overviews.append(
                CertOverview(banks[cid].certification, due, min(new_left, unseen), unseen, banks[cid].total)
            )
        available = [b for cid, b in banks.items() if cid not in studying]
        open_mock = None
        mock_id = self.store.open_mock(self.profile_id)
        if mock_id is not None:
            cert_id = self.store.mock(mock_id).cert_id
            open_mock = banks[cert_id].certification.exam_code if cert_id in banks else cert_id
        return HomeView(self.profile, today, self._streak(today), overviews, available, open_mock)

    def _streak(self, today: date) -> int:
        """Consecutive study days, read in growing windows (one query for a streak of under 32 days)."""
        window = 32
        days: set[date] = set()
        until = today
        while window <= STREAK_LOOKBACK_DAYS:
            since = today - timedelta(days=window - 1)
            days |= self.store.study_days(self.profile_id, since, until)
            count = streak(days, today)
            if count < window - 1:  # the streak ends inside the window
                return count
            until, window = since, window * 4
        return streak(days, today)

    def _final_days_reviews(self, bank: InstalledBank, exam: date, room: int) -> list[CardState]:
        """The final-days rule: answered questions whose predicted recall on the exam day is below
        FINAL_DAYS_RECALL (or that SM-2 has due), weakest first by domain weight x (1 - predicted recall).
        Cards brought forward are reviewed early; their next date then follows SM-2 and the deadline rule.
        """
        today = self.today()
        weights = {d.id: d.weight for d in bank.domains}
        domain_of = {q.id: q.domain for q in self.store.questions_of(bank.certification.id)}
        model = RecallModel()
        memory = read_states(self.store, model, self.profile_id).states  # kept, not replayed
        exam_morning_us = micros(exam_moment(exam, self.tz))
        ranked = []
        for card in self.store.cards(self.profile_id):
            if card.is_new or card.question_id not in domain_of or card.question_id not in memory:
                continue
            recall = model.retrievability_us(memory[card.question_id], exam_morning_us)
            due = card.due is not None and card.due <= today
            if due or recall < FINAL_DAYS_RECALL:
                ranked.append(
                    (weights.get(domain_of[card.question_id], 0.0) * (1 - recall), card.question_id, card)
                )
        ranked.sort(key=lambda t: (-t[0], t[1]))
        return [card for _score, _qid, card in ranked[:room]]

    def exam_date(self, cert_id: str) -> date | None:
        """The exam date the learner set with `quizengine plan CERT --exam-date`, if any."""
        raw = self.store.setting(self.profile_id, EXAM_DATE_KEY + cert_id)
        return date.fromisoformat(raw) if raw else None

    def add_cert(self, cert_id: str) -> None:
        self.store.add_cert(self.profile_id, cert_id, self.now())

    def drop_cert(self, cert_id: str) -> None:
        self.store.drop_cert(self.profile_id, cert_id)

    def report(self, question_id: str, text: str) -> None:
        """Report a problem with a question; `quizengine banks reports` lists the reports."""
        text = text.strip()
        if not text:
            raise ValueError("say what is wrong with the question")
        self.store.add_report(self.profile_id, question_id, text, self.now())

    def studying(self) -> list[str]:
        return self.store.profile_certs(self.profile_id)

    def start_drill(self, items: Sequence[tuple[str, str]], *, minutes: int | None = None) -> StudyRun:
        """A drill of chosen questions ((question id, cert id), e.g. the weakest topics): every answer is
        logged as kind `drill` and leaves the SM-2 schedule as it was.
        """
        banks = self.banks()
        certs = list(dict.fromkeys(cid for _qid, cid in items))
        limits = SessionLimits(0, len(items), minutes)
        started = self.now()
        session_id = self.store.start_session(self.profile_id, certs, minutes, started)
        session = StudySession(_drill_queue(items), started, limits)
        return StudyRun(self, session, session_id, banks, certs, dict(items))

    def start(self, cert_ids: Sequence[str] | None = None, *, minutes: int | None = None) -> StudyRun:
        """Plan today's session for ``cert_ids`` (default: every certification the profile studies)."""
        banks = self.banks()
        if cert_ids:
            unknown = [c for c in cert_ids if c not in banks]
            if unknown:
                raise StorageError(f"no installed bank {', '.join(unknown)}; see `quizengine banks list`")
            for cid in cert_ids:
                self.add_cert(cid)
            certs = list(cert_ids)
        else:
            certs = [c for c in self.studying() if c in banks]
        limits = SessionLimits(self.limits.new_per_day, self.limits.review_cap, minutes)
        today = self.today()
        activity = self.store.day_activity(self.profile_id, today)
        due: list[CardState] = []
        new_per_cert: list[list[str]] = []
        served_by: dict[str, str] = {}  # question id -> the certification it is asked for in this session
        exam_dates = {cid: d for cid in certs if (d := self.exam_date(cid)) is not None}
        final = False
        for cid in certs:
            room = max(0, limits.review_cap - activity.reviews_done.get(cid, 0))
            exam = exam_dates.get(cid)
            if exam is not None and 0 < (exam - today).days <= FINAL_DAYS:
                found = self._final_days_reviews(banks[cid], exam, room)
                final = True
            else:
                found = self.store.due_cards(self.profile_id, [cid], today, room)
            # A question shared by two certifications studied together is asked once.
            cards = [c for c in found if c.question_id not in served_by]
            served_by.update((c.question_id, cid) for c in cards)
            due += cards
            weights = {d.id: d.weight for d in banks[cid].domains}
            candidates = [(qid, dom) for qid, _c, dom in self.store.new_candidates(self.profile_id, [cid])]
            done = activity.new_done.get(cid, 0)
            if cid in exam_dates:  # cover the whole bank before the exam (the pace rule)
                quota = max(
                    0, pace(exam_dates[cid], today, len(candidates) + done, 0).new_per_day_needed - done
                )
            else:
                quota = max(0, limits.new_per_day - done)
            picked = [q for q in order_new(candidates, weights) if q not in served_by][:quota]
            served_by.update((q, cid) for q in picked)
            new_per_cert.append(picked)
        new_ids = _round_robin(new_per_cert)
        redrills = pending_redrills(activity.last_quality)
        queue = plan(
            due=due,
            new_ids=new_ids,
            redrill_ids=redrills,
            limits=SessionLimits(len(new_ids), len(due), minutes),
            today=today,
            keep_order=final,
        )
        started = self.now()
        session_id = self.store.start_session(self.profile_id, certs, minutes, started)
        return StudyRun(
            self, StudySession(queue, started, limits), session_id, banks, certs, served_by, exam_dates
        )


def _drill_queue(items: Sequence[tuple[str, str]]) -> list[QueueItem]:
    return [QueueItem(qid, ReviewKind.DRILL) for qid, _cid in items]


def _round_robin(lists: list[list[str]]) -> list[str]:
    out: list[str] = []
    for i in range(max((len(x) for x in lists), default=0)):
        out += [x[i] for x in lists if i < len(x)]
    return out


@dataclass
class StudyRun:
    """One running session. Every answer is committed before ``answer`` returns."""

    service: StudyService
    session: StudySession
    session_id: int
    banks: dict[str, InstalledBank]
    cert_ids: list[str]
    served_by: dict[str, str] = field(default_factory=dict)  # question id -> certification it is asked for
    exam_dates: dict[str, date] = field(default_factory=dict)  # certification -> exam date, if set
    shown: int = 0
    _questions: dict[str, Question] = field(default_factory=dict)  # read ahead (see ``_question``)
    _view: QuestionView | None = None
    _shown_at: datetime | None = None
    _ended: bool = False

    def current(self) -> QuestionView | None:
        """The question to show now (the same one until it is answered), or None when the session is over."""
        if self._view is not None:
            return self._view
        item = self.session.current(self.service.now())
        while item is not None:
            try:
                question = self._question(item.question_id)
            except StorageError:  # removed since the session was planned
                self.session.queue.pop(0)
                item = self.session.current(self.service.now())
                continue
            self.shown += 1
            self._view = self._make_view(item, question)
            self._shown_at = self.service.now()
            return self._view
        return None

    def _question(self, question_id: str) -> Question:
        """A queued question, read with the next PREFETCH queued ones in one query: moving on to the next
        question then costs no database round trip (the queue only ever repeats ids it already holds)."""
        question = self._questions.get(question_id)
        if question is None:
            ids = [
                i.question_id for i in self.session.queue[:PREFETCH] if i.question_id not in self._questions
            ]
            found = self.service.store.questions_by_id(sorted({question_id, *ids}))
            self._questions.update({q.id: q for q in found})
            question = self._questions.get(question_id)
        if question is None:
            raise StorageError(f"no question `{question_id}` in the database")
        return question

    def _make_view(self, item: QueueItem, question: Question) -> QuestionView:
        cert_id = self.served_by.get(question.id, question.cert_id)
        if cert_id not in self.banks:
            cert_id = question.cert_id
        question = self.service.store.served_as(cert_id, question)
        bank = self.banks[cert_id]
        domain = next(
            (d for d in bank.domains if d.id == question.domain), Domain(question.domain, question.domain, 0)
        )
        return QuestionView(
            question=question,
            presentation=grading.present(question, self.service.rng),
            kind=item.kind,
            certification=bank.certification,
            domain=domain,
            number=self.shown,
            remaining=self.session.remaining,
        )

    def minutes_left(self) -> float | None:
        """What is left of the session's time budget, or None without one."""
        budget = self.session.limits.minutes
        if budget is None:
            return None
        return budget - (self.service.now() - self.session.started_at).total_seconds() / 60

    def answer(self, choices: Sequence[int], confidence: Confidence = Confidence.NORMAL) -> Feedback:
        """Grade the current question, commit the review, and say how it went."""
        view = self._view
        if view is None:
            raise RuntimeError("no question is on screen")
        svc = self.service
        picked = tuple(choices)
        correct = confidence is not Confidence.NO_IDEA and grading.is_correct(view.question, picked)
        q = grading.quality(correct, confidence)
        deadline = self.exam_dates.get(view.certification.id)

        def review_of(card: CardState) -> Review:
            # The moment is taken under the profile's lock, so the log's time order is the order in which
            # answers changed the card, even with the same learner answering in two terminals.
            now = svc.now()
            shown_at = self._shown_at or now
            return grade(
                card,
                quality=q,
                correct=correct,
                choices=picked,
                answered_at=now,
                today=study_day(now, svc.tz, svc.rollover_hour),
                response_ms=max(0, int((now - shown_at).total_seconds() * 1000)),
                drill=view.kind is ReviewKind.DRILL,
                deadline=deadline,
            )

        # committed before anything else happens
        review = svc.store.record_answer(svc.profile_id, view.question.id, review_of, self.session_id)
        self.session.record(view.question.id, quality=q, correct=correct)
        self._view = None
        return Feedback(
            view=view,
            choices=picked,
            correct=correct,
            quality=q,
            confidence=confidence,
            correct_choices=grading.correct_choices(view.question),
            next_due=None if review.kind is ReviewKind.DRILL else review.after.due,
            comes_back=q < 4,
        )

    def finish(self) -> Summary:
        svc = self.service
        now = svc.now()
        if not self._ended:
            svc.store.end_session(self.session_id, now)
            self._ended = True
        tomorrow = svc.today() + timedelta(days=1)
        counts = svc.store.cert_counts(svc.profile_id, self.cert_ids, tomorrow)
        due_tomorrow = sum(due for due, _unseen in counts.values())
        minutes = (now - self.session.started_at).total_seconds() / 60
        return Summary(
            answered=self.session.answered,
            correct=self.session.correct,
            minutes=minutes,
            due_tomorrow=due_tomorrow,
            out_of_time=self.session.out_of_time(now) and self.session.remaining > 0,
        )
