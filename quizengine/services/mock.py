"""Mock exams: start, answer, flag, navigate, resume after a crash, submit and score."""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from quizengine.domain import grading
from quizengine.domain.cards import CardState, Review, due_after_mock
from quizengine.domain.clock import study_day
from quizengine.domain.grading import Presentation
from quizengine.domain.mock import (
    ExamClock,
    MockItem,
    MockMode,
    MockResult,
    MockState,
    assemble,
    score,
    section_of,
)
from quizengine.domain.model import CaseStudy, ExamFormat, FormatKind, InstalledBank, Question
from quizengine.services.study import StudyService
from quizengine.storage import StorageError


class MockError(Exception):
    """A mock exam cannot be started as asked; the message says what to do."""


@dataclass(frozen=True, slots=True)
class MockQuestionView:
    position: int
    total: int
    question: Question
    presentation: Presentation
    item: MockItem


class MockService:
    def __init__(self, study: StudyService) -> None:
        self.study = study
        self.store = study.store

    def bank(self, cert_id: str) -> InstalledBank:
        bank = self.study.banks().get(cert_id)
        if bank is None:
            raise MockError(f"no installed bank `{cert_id}`; see `quizengine banks list`")
        return bank

    def timed_format(self, bank: InstalledBank, format_id: str | None) -> ExamFormat:
        timed = [f for f in bank.formats if f.kind is FormatKind.TIMED]
        if format_id is None:
            if not timed:
                raise MockError(f"{bank.certification.id} has no timed exam format")
            return timed[0]
        for f in bank.formats:
            if f.id == format_id:
                if f.kind is not FormatKind.TIMED:
                    raise MockError(
                        f"format `{format_id}` is a practical; practicals are task cards, not mocks"
                    )
                return f
        known = ", ".join(f.id for f in bank.formats)
        raise MockError(f"{bank.certification.id} has no format `{format_id}`; known: {known}")

    def start(
        self,
        cert_id: str,
        *,
        format_id: str | None = None,
        esl: bool = False,
        mode: MockMode = MockMode.EXAM,
        only_domain: str | None = None,
        seed: int | None = None,
        strict: bool = False,
    ) -> MockRun:
        if self.store.open_mock(self.study.profile_id, practical=False) is not None:
            raise MockError("a mock exam is still open: resume it with `quizengine mock --resume`")
        bank = self.bank(cert_id)
        fmt = self.timed_format(bank, format_id)
        if only_domain is not None and only_domain not in {d.id for d in bank.domains}:
            raise MockError(
                f"no domain `{only_domain}` in {cert_id}; domains: {', '.join(d.id for d in bank.domains)}"
            )
        seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
        questions = self.store.questions_of(cert_id)
        recent = self.store.recent_mock_questions(self.study.profile_id, cert_id)
        assembly = assemble(
            questions,
            fmt,
            bank.domains,
            random.Random(seed),
            recent=recent,
            only_domain=only_domain,
            strict=strict,
        )
        if not assembly.question_ids:
            raise MockError(f"{cert_id} has no questions of the types this format uses")
        now = self.study.now()
        extra = (fmt.extra_minutes_esl or 0) if esl else 0
        state = MockState(
            cert_id=cert_id,
            format_id=fmt.id,
            mode=mode,
            clock=ExamClock.start(now, fmt.minutes, extra),
            items=[MockItem(q, q in assembly.unscored) for q in assembly.question_ids],
            seed=seed,
            esl=esl,
            strict=strict,
            only_domain=only_domain,
        )
        state.id = self.store.create_mock(self.study.profile_id, state)
        return MockRun(self, state, fmt, bank)

    def start_practical(self, cert_id: str, format_id: str | None = None) -> PracticalRun:
        """A hands-on assessment as task cards: the real time box, criteria the learner checks off."""
        if self.store.open_mock(self.study.profile_id, practical=True) is not None:
            raise MockError("a practical is still open: resume it with `quizengine mock --resume`")
        bank = self.bank(cert_id)
        fmt = self.practical_format(bank, format_id)
        items = [MockItem(f"{task.id}#{n}") for task in fmt.tasks for n in range(len(task.criteria))]
        state = MockState(
            cert_id=cert_id,
            format_id=fmt.id,
            mode=MockMode.PRACTICAL,
            clock=ExamClock.start(self.study.now(), fmt.minutes),
            items=items,
            seed=0,
        )
        state.id = self.store.create_mock(self.study.profile_id, state)
        return PracticalRun(self, state, fmt, bank)

    def practical_format(self, bank: InstalledBank, format_id: str | None) -> ExamFormat:
        practicals = [f for f in bank.formats if f.kind is FormatKind.PRACTICAL]
        for f in practicals:
            if format_id in (None, f.id):
                return f
        raise MockError(
            f"{bank.certification.id} has no practical format" + (f" `{format_id}`" if format_id else "")
        )

    def resume(self) -> MockRun | PracticalRun | None:
        """The open mock exam with its clock recomputed from the stored deadline, or None.

        Time kept running while quizengine was closed, as in the real exam; if the deadline has
        passed, the exam is submitted and scored now.
        """
        mock_id = self.store.open_mock(self.study.profile_id)
        if mock_id is None:
            return None
        state = self.store.mock(mock_id)
        bank = self.bank(state.cert_id)
        run: MockRun | PracticalRun
        if state.mode is MockMode.PRACTICAL:
            run = PracticalRun(self, state, self.practical_format(bank, state.format_id), bank)
        else:
            run = MockRun(self, state, self.timed_format(bank, state.format_id), bank)
        if run.expired():
            run.submit()
        return run

    def history(self, cert_id: str | None = None) -> list[MockState]:
        return self.store.mock_history(self.study.profile_id, cert_id)


class MockRun:
    """A running mock exam. Every answer, flag and move is committed when it is given."""

    def __init__(self, service: MockService, state: MockState, fmt: ExamFormat, bank: InstalledBank) -> None:
        self.service = service
        self.state = state
        self.fmt = fmt
        self.bank = bank
        ids = [i.question_id for i in state.items]
        found = {q.id: q for q in service.store.questions_by_id(ids, state.cert_id)}
        missing = [q for q in ids if q not in found]
        if missing:
            raise StorageError(
                f"mock exam {state.id} refers to questions no longer installed: {', '.join(missing[:3])}"
            )
        self.questions = found
        self._entered = service.study.now()
        self.outcome: MockResult | None = None if state.result is None else _result_from_json(state.result)

    # --- the clock ----------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.service.study.now()

    def remaining(self) -> timedelta:
        return self.state.clock.remaining(self.now())

    def expired(self) -> bool:
        return self.state.clock.expired(self.now())

    def pace(self) -> tuple[timedelta, timedelta]:
        answered, _, _ = self.state.counts()
        return self.state.clock.pace(self.now(), answered, len(self.state.items))

    # --- questions ----------------------------------------------------------------------------------

    @property
    def submitted(self) -> bool:
        return self.state.submitted_at is not None

    def view(self, position: int | None = None) -> MockQuestionView:
        n = self.state.position if position is None else position
        item = self.state.items[n]
        question = self.questions[item.question_id]
        rng = random.Random(f"{self.state.seed}:{n}")  # the same shuffle after a resume
        return MockQuestionView(n, len(self.state.items), question, grading.present(question, rng), item)

    def _spend(self) -> None:
        """Charge the time since the learner arrived at the current question to it."""
        now = self.now()
        self.state.items[self.state.position].seconds += max(0.0, (now - self._entered).total_seconds())
        self._entered = now

    def _save(self, position: int) -> None:
        assert self.state.id is not None
        self.service.store.save_mock_item(
            self.state.id, position, self.state.items[position], self.state.position
        )

    def section(self, position: int) -> int:
        return section_of(self.questions[self.state.items[position].question_id])

    def blocked(self, position: int) -> str | None:
        """Why the learner may not go to ``position`` now, by the vendor's rules (None: they may)."""
        if position == self.state.position:
            return None
        if "case_study_sections_lock" in self.fmt.rules and self.section(position) < self.section(
            self.state.position
        ):
            return "That section is closed: once a section is left it cannot be revisited."
        item = self.state.items[position]
        question = self.questions[item.question_id]
        if "yes_no_no_revisit" in self.fmt.rules and question.series and item.answered:
            return "Answered yes/no questions of a series cannot be revisited."
        return None

    def leaves_section(self, position: int) -> bool:
        """Whether moving to ``position`` closes the current section for good."""
        return "case_study_sections_lock" in self.fmt.rules and self.section(position) > self.section(
            self.state.position
        )

    def case_study(self, question: Question) -> CaseStudy | None:
        return next((c for c in self.bank.case_studies if c.id == question.case_study), None)

    def go(self, position: int) -> None:
        if self.submitted:
            return
        if not 0 <= position < len(self.state.items):
            raise IndexError(position)
        reason = self.blocked(position)
        if reason:
            raise MockError(reason)
        self._spend()
        left = self.state.position
        self.state.position = position
        self._save(left)

    def answer(self, choices: Sequence[int]) -> None:
        if self.submitted:
            return
        self._spend()
        self.state.items[self.state.position].choices = tuple(choices)
        self._save(self.state.position)

    def clear_answer(self) -> None:
        if self.submitted:
            return
        self._spend()
        self.state.items[self.state.position].choices = None
        self._save(self.state.position)

    def extend(self, paused: timedelta) -> None:
        """Practice mode only: a pause moves the deadline on by its length."""
        if self.state.mode is not MockMode.PRACTICE or self.submitted:
            raise MockError("only a practice-mode mock can pause")
        self.state.clock = ExamClock(self.state.clock.started_at, self.state.clock.deadline + paused)
        assert self.state.id is not None
        self.service.store.set_mock_deadline(self.state.id, self.state.clock.deadline)

    def toggle_flag(self) -> bool:
        if self.submitted:
            return self.state.items[self.state.position].flagged
        self._spend()
        item = self.state.items[self.state.position]
        item.flagged = not item.flagged
        self._save(self.state.position)
        return item.flagged

    def is_correct(self, position: int) -> bool:
        item = self.state.items[position]
        return item.choices is not None and grading.is_correct(self.questions[item.question_id], item.choices)

    # --- the end ------------------------------------------------------------------------------------

    def submit(self) -> MockResult:
        """Score the exam, store the result, and make every missed or flagged question due today."""
        if self.outcome is not None:
            return self.outcome
        self._spend()
        self._save(self.state.position)
        now = min(self.now(), self.state.clock.deadline)
        items = self.state.items
        result = score(
            self.fmt,
            self.questions,
            [i.question_id for i in items],
            {i.question_id: i.choices for i in items if i.choices is not None},
            {i.question_id: i.seconds for i in items},
            frozenset(i.question_id for i in items if i.unscored),
        )
        svc = self.service.study
        answered_at = self.now()
        today = study_day(answered_at, svc.tz, svc.rollover_hour)
        due: dict[str, Callable[[CardState], Review]] = {}  # missed or flagged -> how its card changes
        for n, item in enumerate(items):
            right = self.is_correct(n)
            if not right or item.flagged:
                due[item.question_id] = functools.partial(
                    due_after_mock,
                    correct=right,
                    choices=tuple(item.choices or ()),
                    answered_at=answered_at,
                    today=today,
                )
        payload = _result_to_json(
            result, minutes_used=(now - self.state.clock.started_at).total_seconds() / 60
        )
        assert self.state.id is not None
        svc.store.submit_mock(svc.profile_id, self.state.id, now, payload, due)
        self.state.submitted_at, self.state.result = now, payload
        self.outcome = result
        return result


@dataclass(frozen=True, slots=True)
class PracticalResult:
    met: int
    total: int
    per_task: dict[str, tuple[int, int]]  # task id -> (criteria met, criteria)

    @property
    def passed(self) -> bool:
        return self.met == self.total


class PracticalRun:
    """A practical assessment: task cards, a time box, acceptance criteria checked off by the learner."""

    def __init__(self, service: MockService, state: MockState, fmt: ExamFormat, bank: InstalledBank) -> None:
        self.service = service
        self.state = state
        self.fmt = fmt
        self.bank = bank
        self.outcome: PracticalResult | None = None
        if state.result is not None:
            self.outcome = self._tally()

    def now(self) -> datetime:
        return self.service.study.now()

    def remaining(self) -> timedelta:
        return self.state.clock.remaining(self.now())

    def expired(self) -> bool:
        return self.state.clock.expired(self.now())

    @property
    def submitted(self) -> bool:
        return self.state.submitted_at is not None

    def criteria(self) -> list[tuple[str, str, bool]]:
        """(task title, criterion, met) in order; item n is criterion n."""
        rows = []
        n = 0
        for task in self.fmt.tasks:
            for criterion in task.criteria:
                rows.append((task.title, criterion, self.state.items[n].answered))
                n += 1
        return rows

    def toggle(self, n: int) -> bool:
        """Check or uncheck criterion ``n``; saved at once."""
        if self.submitted:
            return self.state.items[n].answered
        item = self.state.items[n]
        item.choices = None if item.answered else (1,)
        self.state.position = n
        assert self.state.id is not None
        self.service.store.save_mock_item(self.state.id, n, item, n)
        return item.answered

    def _tally(self) -> PracticalResult:
        per_task: dict[str, tuple[int, int]] = {}
        n = 0
        for task in self.fmt.tasks:
            met = sum(self.state.items[n + k].answered for k in range(len(task.criteria)))
            per_task[task.id] = (met, len(task.criteria))
            n += len(task.criteria)
        return PracticalResult(sum(m for m, _ in per_task.values()), n, per_task)

    def submit(self) -> PracticalResult:
        if self.outcome is not None:
            return self.outcome
        result = self._tally()
        now = min(self.now(), self.state.clock.deadline)
        payload: dict[str, Any] = {
            "scored": result.total,
            "correct": result.met,
            "passed": result.passed,
            "scaled": None,
            "raw_percent": round(100 * result.met / result.total, 1) if result.total else 0.0,
            "tasks": {k: list(v) for k, v in result.per_task.items()},
            "minutes_used": round((now - self.state.clock.started_at).total_seconds() / 60, 1),
        }
        assert self.state.id is not None
        self.service.store.submit_mock(self.service.study.profile_id, self.state.id, now, payload, {})
        self.state.submitted_at, self.state.result = now, payload
        self.outcome = result
        return result


def _result_to_json(result: MockResult, minutes_used: float) -> dict[str, Any]:
    data = asdict(result)
    data["minutes_used"] = round(minutes_used, 1)
    return data


def _result_from_json(data: dict[str, Any]) -> MockResult:
    from quizengine.domain.mock import DomainResult

    return MockResult(
        scored=data["scored"],
        correct=data["correct"],
        raw_percent=data["raw_percent"],
        scaled=data["scaled"],
        pass_mark=data["pass_mark"],
        passed=data["passed"],
        domains=tuple(DomainResult(**d) for d in data["domains"]),
        bands=data["bands"],
    )


def minutes_used(state: MockState) -> float:
    if state.result and "minutes_used" in state.result:
        return float(state.result["minutes_used"])  # type: ignore[arg-type]
    return 0.0
