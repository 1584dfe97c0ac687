"""Readiness per profile and certification: the recall model, the pace toward an exam date, mocks, minutes.

Read-only: building a report never writes to the database, so a lead's team export (`--all-profiles`) can
run with a role that may only read.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from quizengine.domain import readiness as rd
from quizengine.domain.clock import study_day
from quizengine.domain.mock import MockMode
from quizengine.domain.model import Certification, FormatKind, InstalledBank, Question
from quizengine.domain.stacks import StackProgress
from quizengine.services.recall import Card, Event, RecallModel, RecallStates, read_states, to_record
from quizengine.services.study import EXAM_DATE_KEY, StudyService
from quizengine.storage import StorageError, Store

NO_HISTORY = rd.History()
PASSED_KEY = "passed:"  # + cert id -> ISO date the learner passed the real exam


@dataclass(frozen=True, slots=True)
class Held:
    passed_on: date
    expires_on: date | None


@dataclass(frozen=True, slots=True)
class CertReport:
    certification: Certification
    generated_at: datetime
    exam_date: date | None
    readiness: rd.Readiness
    pace: rd.Pace | None
    mocks: tuple[rd.MockScore, ...]
    study_minutes: float
    suggested_hours: str | None
    held: Held | None
    recalls: tuple[rd.QuestionRecall, ...] = field(default=(), repr=False)  # per question, for drills

    @property
    def study_hours(self) -> float:
        return self.study_minutes / 60


@dataclass(frozen=True, slots=True)
class ProfileReport:
    profile: str
    generated_at: datetime
    certs: tuple[CertReport, ...]
    stack: StackProgress | None = None  # the certification stack the profile follows


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    low: float
    high: float
    answers: int
    predicted: float  # mean predicted recall just before the answer
    observed: float  # share answered right


@dataclass(frozen=True, slots=True)
class StatsView:
    today: date
    answers_per_day: dict[date, int]  # the last HEATMAP_DAYS study days
    due_forecast: list[tuple[date, int]]  # today (with overdue) and the next FORECAST_DAYS - 1 days
    report: ProfileReport
    calibration: tuple[CalibrationBin, ...]


HEATMAP_DAYS = 7 * 16
FORECAST_DAYS = 30
CALIBRATION_BINS = 5


class ReadinessService:
    """Builds readiness reports from the store; never writes."""

    def __init__(
        self,
        store: Store,
        study: StudyService,
        stack_of: Callable[[int], StackProgress | None] | None = None,
    ) -> None:
        self.store = store
        self.study = study
        self.model = RecallModel()
        self.stack_of = stack_of  # profile id -> its stack with progress (see StackService.progress)

    # --- settings the learner gives -------------------------------------------------------------

    def set_exam_date(self, cert_id: str, exam_date: date | None) -> None:
        self._bank(cert_id)
        value = exam_date.isoformat() if exam_date else None
        self.store.set_setting(self.study.profile_id, EXAM_DATE_KEY + cert_id, value)
        self.study.add_cert(cert_id)

    def exam_date(self, cert_id: str, profile_id: int) -> date | None:
        return _date_setting(self.store.settings(profile_id), EXAM_DATE_KEY + cert_id)

    def set_passed(self, cert_id: str, passed_on: date) -> None:
        self._bank(cert_id)
        self.store.set_setting(self.study.profile_id, PASSED_KEY + cert_id, passed_on.isoformat())

    # --- reports --------------------------------------------------------------------------------

    def profile_names(self) -> list[str]:
        return [name for _id, name in self.store.profiles()]

    def report(
        self,
        profile: str,
        cert_ids: Sequence[str] | None = None,
        *,
        served: Callable[[str], list[Question]] | None = None,
        banks: Mapping[str, InstalledBank] | None = None,
    ) -> ProfileReport:
        """One profile's readiness for ``cert_ids`` (default: the certifications it studies).

        A team report passes ``served`` (a bank's questions) and ``banks`` (the installed banks), each read
        once for the whole team.
        """
        served_of = served or self.store.questions_of
        pid = self.store.find_profile(profile)
        if pid is None:
            raise StorageError(f"no profile `{profile}` in this database")
        if banks is None:
            banks = self.study.banks()
        wanted = list(cert_ids) if cert_ids else [c for c in self.store.profile_certs(pid) if c in banks]
        unknown = [c for c in wanted if c not in banks]
        if unknown:
            raise StorageError(f"no installed bank {', '.join(unknown)}; see `quizengine banks list`")
        now = self.study.now()
        now_us = rd.micros(now)
        since_us = rd.micros(now - timedelta(days=rd.PACE_WINDOW_DAYS))
        states = self.recall_states(pid).states
        sm2_cards = self.store.lapses_and_ef(pid)
        settings = self.store.settings(pid)
        mocks_of = self._mocks(pid)
        retrievability = self.model.retrievability_us
        reports = []
        for cid in wanted:
            bank = banks[cid]
            exam_date = _date_setting(settings, EXAM_DATE_KEY + cid)
            when_us = rd.micros(self._exam_moment(exam_date, now))
            recalls = []
            unseen = new_recent = answer_ms = 0
            for q in served_of(cid):  # each question once: a bank lists a question once
                state = states.get(q.id)
                if state is None:
                    recalls.append(rd.QuestionRecall(q, NO_HISTORY, None, None))
                    unseen += 1
                    continue
                lapses, ef = sm2_cards.get(q.id, (0, None))
                recall_now, recall_exam = retrievability(state, now_us), retrievability(state, when_us)
                ef_value = ef / 100 if ef is not None else None
                recalls.append(rd.QuestionRecall(q, state.history, recall_now, recall_exam, lapses, ef_value))
                answer_ms += state.ms_total
                if state.new_us is not None and state.new_us >= since_us:
                    new_recent += 1
            fmt = next((f for f in bank.formats if f.kind is FormatKind.TIMED), None)
            mocks = mocks_of.get(cid, [])
            assessment = rd.assess(bank.domains, recalls, mocks, fmt, now)
            pace = None
            if exam_date is not None:
                today = study_day(now, self.study.tz, self.study.rollover_hour)
                pace = rd.pace(exam_date, today, unseen, new_recent)
            # Study time: answer times in sessions, plus the minutes spent in mock exams (whose answers are
            # logged at submission, without a response time of their own).
            minutes = answer_ms / 60000 + sum(m.minutes_used for m in mocks)
            reports.append(
                CertReport(
                    certification=bank.certification,
                    generated_at=now,
                    exam_date=exam_date,
                    readiness=assessment,
                    pace=pace,
                    mocks=tuple(mocks),
                    study_minutes=minutes,
                    suggested_hours=bank.certification.suggested_study_hours,
                    held=_held(settings, bank),
                    recalls=tuple(recalls),
                )
            )
        stack = self.stack_of(pid) if self.stack_of else None
        return ProfileReport(profile, now, tuple(reports), stack)

    # --- the kept recall state ---------------------------------------------------------------------

    def recall_states(self, profile_id: int, limit: int | None = None) -> RecallStates:
        """Every answered question's recall state (see ``recall.read_states``). Reads only."""
        return read_states(self.store, self.model, profile_id, limit)

    def refresh_recall_state(self, profile_id: int | None = None, *, limit: int | None = None) -> int:
        """Keep the profile's recall state up to date with its log, at most ``limit`` more reviews at a
        time (the learner's own process does this on closing, so that a team export replays little).
        Returns the number of questions saved (0 when nothing changed or another process saved first)."""
        pid = self.study.profile_id if profile_id is None else profile_id
        kept = self.store.recall_mark(pid)
        count, top = self.store.review_extent(pid, kept.upto)
        if count == kept.count and top <= kept.upto:  # nothing new: no need to read the kept rows
            return 0
        view = self.recall_states(pid, limit)
        if not view.changed:
            return 0
        records = [to_record(qid, view.states[qid]) for qid in sorted(view.changed)]
        if not self.store.save_recall_state(pid, records, view.mark, since=view.kept):
            return 0
        return len(records)

    def weak_drill(self, cert_ids: Sequence[str] | None = None, size: int = 20) -> list[tuple[str, str]]:
        """(question id, cert id) for a weak-topic drill: answered questions of the weakest topics, lowest
        predicted recall now (weighted by domain) first. A drill is logged but never moves the SM-2 schedule.
        """
        scored: list[tuple[float, str, str]] = []
        for cert in self.report(self.study.profile, cert_ids).certs:
            weights = {d.id: d.weight for d in cert.readiness.domains}
            weak = {(w.domain, w.topic) for w in cert.readiness.weak_topics}
            for r in cert.recalls:
                if not r.seen or not any((r.question.domain, t) in weak for t in r.question.topics):
                    continue
                gap = 1 - (r.recall_now if r.recall_now is not None else 0.0)
                scored.append(
                    (weights.get(r.question.domain, 0.0) * gap, r.question.id, cert.certification.id)
                )
        scored.sort(key=lambda item: (-item[0], item[1]))
        picked: dict[str, str] = {}
        for _score, qid, cid in scored:
            picked.setdefault(qid, cid)
            if len(picked) == size:
                break
        return list(picked.items())

    def stats(self) -> StatsView:
        """Everything the stats screen shows for the current profile."""
        pid = self.study.profile_id
        today = self.study.today()
        certs = [c for c in self.store.profile_certs(pid) if c in self.study.banks()]
        due = self.store.due_per_day(pid, certs, today + timedelta(days=FORECAST_DAYS - 1))
        overdue = sum(n for day, n in due.items() if day <= today)
        forecast = [(today, overdue)] + [
            (today + timedelta(days=i), due.get(today + timedelta(days=i), 0))
            for i in range(1, FORECAST_DAYS)
        ]
        return StatsView(
            today=today,
            answers_per_day=self.store.answers_per_day(pid, today - timedelta(days=HEATMAP_DAYS - 1)),
            due_forecast=forecast,
            report=self.report(self.study.profile, certs),
            calibration=self.calibration(pid),
        )

    def calibration(self, profile_id: int) -> tuple[CalibrationBin, ...]:
        """Predicted recall just before each repeat answer against whether it was right, in bins."""
        bins: list[list[tuple[float, bool]]] = [[] for _ in range(CALIBRATION_BINS)]
        cards: dict[str, Card] = {}
        for a in self.store.answer_log(profile_id):
            card = cards.get(a.question_id)
            if card is not None:
                p = self.model.recall(card, a.answered_at)
                bins[min(CALIBRATION_BINS - 1, int(p * CALIBRATION_BINS))].append((p, a.correct))
            cards[a.question_id] = self.model.replay_one(card, Event(a.question_id, a.answered_at, a.quality))
        width = 1 / CALIBRATION_BINS
        return tuple(
            CalibrationBin(
                i * width,
                (i + 1) * width,
                len(b),
                sum(p for p, _ in b) / len(b),
                sum(1 for _, ok in b if ok) / len(b),
            )
            for i, b in enumerate(bins)
            if b
        )

    def team(self, cert_ids: Sequence[str] | None = None) -> list[ProfileReport]:
        """Every profile's report: the lead's view. Reads only; each bank's questions are read once."""
        served = functools.cache(self.store.questions_of)
        banks = self.study.banks()
        return [self.report(name, cert_ids, served=served, banks=banks) for name in self.profile_names()]

    # --- helpers --------------------------------------------------------------------------------

    def _bank(self, cert_id: str) -> InstalledBank:
        bank = self.study.banks().get(cert_id)
        if bank is None:
            raise StorageError(f"no installed bank `{cert_id}`; see `quizengine banks list`")
        return bank

    def _exam_moment(self, exam_date: date | None, now: datetime) -> datetime:
        """When predictions 'on the exam date' refer to (see ``rd.exam_moment``); without a date, now."""
        return now if exam_date is None else max(now, rd.exam_moment(exam_date, self.study.tz))

    def _mocks(self, profile_id: int) -> dict[str, list[rd.MockScore]]:
        """Per certification, the profile's submitted whole-exam mocks in the order they were taken."""
        scores: dict[str, list[rd.MockScore]] = {}
        for m in self.store.mock_results(profile_id):
            if m.mode not in (MockMode.EXAM, MockMode.PRACTICE):  # a one-domain mock is not a whole exam
                continue
            result = m.result or {}
            scored = result.get("scored")
            if not isinstance(scored, int) or not scored:
                continue
            correct = result.get("correct", 0)
            scaled = result.get("scaled")
            passed = result.get("passed")
            minutes = result.get("minutes_used", 0.0)
            scores.setdefault(m.cert_id, []).append(
                rd.MockScore(
                    taken_at=m.submitted_at,
                    raw=float(correct) / scored if isinstance(correct, int | float) else 0.0,
                    scaled=float(scaled) if isinstance(scaled, int | float) else None,
                    passed=passed if isinstance(passed, bool) else None,
                    minutes_used=float(minutes) if isinstance(minutes, int | float) else 0.0,
                )
            )
        return scores


def _date_setting(settings: Mapping[str, Any], key: str) -> date | None:
    raw = settings.get(key)
    return date.fromisoformat(raw) if raw else None


def _held(settings: Mapping[str, Any], bank: InstalledBank) -> Held | None:
    """When the learner passed this certification (``plan CERT --passed``), and when that expires."""
    passed_on = _date_setting(settings, PASSED_KEY + bank.certification.id)
    if passed_on is None:
        return None
    years = bank.certification.validity_years
    expires = passed_on.replace(year=passed_on.year + years) if years else None
    return Held(passed_on, expires)
