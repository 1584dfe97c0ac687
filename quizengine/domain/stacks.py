"""Certification stacks: several exams in a row, laid out month by month with exam dates.

A stack is data (``question_banks/_stacks/*.yaml``): steps in order, each a list of interchangeable exams
(the first is preferred) and the months of study it takes. ``lay_out`` turns a stack and a start date into
a plan. Exams move, so each step takes the first candidate that can still be sat on its planned exam date:

- an active exam, or one that retires only after the planned date, is taken as it is;
- a retired exam whose successor has a bank is replaced by that successor, with a note;
- otherwise the next candidate is tried, and the note says why the earlier one was passed over;
- if no candidate can be sat, the step stays in the plan with no exam and a note saying so.

Each step's exam falls on the last day of its study window; the next window starts the day after.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from quizengine.domain.model import Certification, CertStatus


@dataclass(frozen=True, slots=True)
class StackStep:
    candidates: tuple[str, ...]  # certification ids, the preferred first
    months: int
    why: str = ""


@dataclass(frozen=True, slots=True)
class Stack:
    id: str
    name: str
    summary: str
    months: tuple[int, int]  # the range the stack is meant to take
    steps: tuple[StackStep, ...]

    @property
    def total_months(self) -> int:
        return sum(s.months for s in self.steps)


@dataclass(frozen=True, slots=True)
class PlannedExam:
    step: int  # 1-based
    cert_id: str | None  # None: no candidate can be sat any more
    exam_code: str
    name: str
    study_from: date
    exam_date: date
    why: str
    note: str | None = None  # a substitution or a gap, in words


@dataclass(frozen=True, slots=True)
class MonthPlan:
    month: date  # the first day of the calendar month
    studying: tuple[str, ...]  # exam codes whose study window overlaps this month
    exams: tuple[tuple[str, date], ...]  # (exam code, date) sat this month


@dataclass(frozen=True, slots=True)
class StackPlan:
    stack: Stack
    start: date
    exams: tuple[PlannedExam, ...]
    months: tuple[MonthPlan, ...]

    @property
    def end(self) -> date:
        return self.exams[-1].exam_date if self.exams else self.start

    def current(self, today: date) -> PlannedExam | None:
        """The step being studied on ``today`` (the first one before the start; None after the end)."""
        return next((e for e in self.exams if today <= e.exam_date), None)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, clamped to the month's last day (Jan 31 + 1 -> Feb 28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def can_sit(cert: Certification, on: date) -> bool:
    """Whether the exam can still be taken on ``on``: active, or retiring only after that day."""
    return cert.status is CertStatus.ACTIVE or on < cert.status_date


def lay_out(stack: Stack, start: date, certs: Mapping[str, Certification]) -> StackPlan:
    """The plan for ``stack`` from ``start``; ``certs`` are the installed banks' certifications."""
    by_code = {c.exam_code: c for c in certs.values()}
    planned: list[PlannedExam] = []
    taken: set[str] = set()
    study_from = start
    for number, step in enumerate(stack.steps, 1):
        exam_date = add_months(study_from, step.months) - timedelta(days=1)
        chosen, notes = _choose(step, exam_date, certs, by_code, taken)
        if chosen is None:
            first = certs.get(step.candidates[0])
            code = (first.successor or first.exam_code) if first else step.candidates[0]
            notes.append("no exam of this step can be sat on that date: skip it or pick another")
            planned.append(
                PlannedExam(
                    number, None, code, "(no exam)", study_from, exam_date, step.why, "; ".join(notes)
                )
            )
        else:
            taken.add(chosen.id)
            planned.append(
                PlannedExam(
                    number,
                    chosen.id,
                    chosen.exam_code,
                    chosen.name,
                    study_from,
                    exam_date,
                    step.why,
                    "; ".join(notes) or None,
                )
            )
        study_from = exam_date + timedelta(days=1)
    return StackPlan(stack, start, tuple(planned), _months(planned))


def _choose(
    step: StackStep,
    exam_date: date,
    certs: Mapping[str, Certification],
    by_code: Mapping[str, Certification],
    taken: set[str],
) -> tuple[Certification | None, list[str]]:
    notes: list[str] = []
    for cid in step.candidates:
        cert = certs.get(cid)
        if cert is None:
            notes.append(f"{cid} has no installed bank")
            continue
        if can_sit(cert, exam_date):
            if cert.id in taken:
                notes.append(f"{cert.exam_code} is already an earlier step")
                continue
            if notes:  # an earlier candidate was passed over
                notes.append(f"planned with {cert.exam_code} instead")
            return cert, notes
        verb = "retired" if cert.status is CertStatus.RETIRED else "closed"
        gone = f"{cert.exam_code} {verb} on {cert.status_date}"
        successor = by_code.get(cert.successor) if cert.successor else None
        if successor is not None and can_sit(successor, exam_date) and successor.id not in taken:
            notes.append(f"{gone}: planned with its successor {successor.exam_code}")
            return successor, notes
        if cert.successor:
            notes.append(f"{gone}; its successor {cert.successor} has no quizengine bank yet")
        else:
            notes.append(f"{gone} with no successor")
    return None, notes


def _months(exams: list[PlannedExam]) -> tuple[MonthPlan, ...]:
    if not exams:
        return ()
    month = exams[0].study_from.replace(day=1)
    last = exams[-1].exam_date.replace(day=1)
    out = []
    while month <= last:
        month_end = add_months(month, 1) - timedelta(days=1)
        studying = tuple(e.exam_code for e in exams if e.study_from <= month_end and e.exam_date >= month)
        sat = tuple((e.exam_code, e.exam_date) for e in exams if month <= e.exam_date <= month_end)
        out.append(MonthPlan(month, studying, sat))
        month = add_months(month, 1)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class ExamProgress:
    planned: PlannedExam
    exam_date: date  # the profile's exam date for it (``plan CERT --exam-date`` overrides the stack's)
    seen: int
    total: int
    passed_on: date | None
    state: str  # "passed" | "studying" | "upcoming" | "date passed" | "no exam"

    @property
    def coverage(self) -> float:
        return self.seen / self.total if self.total else 0.0

    @property
    def seen_text(self) -> str:
        return f"{self.seen}/{self.total}" if self.total else "-"

    @property
    def state_text(self) -> str:
        return f"passed {self.passed_on.isoformat()}" if self.passed_on else self.state


@dataclass(frozen=True, slots=True)
class StackProgress:
    plan: StackPlan
    today: date
    exams: tuple[ExamProgress, ...]

    @property
    def current(self) -> ExamProgress | None:
        """The first exam not yet passed whose date is today or later (None when all are behind)."""
        return next((e for e in self.exams if e.state in ("studying", "upcoming")), None)


def progress(
    plan: StackPlan,
    today: date,
    exam_dates: Mapping[str, date],
    seen: Mapping[str, tuple[int, int]],
    passed: Mapping[str, date],
) -> StackProgress:
    """Where a profile stands on ``plan``: per exam its date, questions seen of the bank, and a state."""
    out = []
    for e in plan.exams:
        if e.cert_id is None:
            out.append(ExamProgress(e, e.exam_date, 0, 0, None, "no exam"))
            continue
        when = exam_dates.get(e.cert_id, e.exam_date)
        done, total = seen.get(e.cert_id, (0, 0))
        passed_on = passed.get(e.cert_id)
        if passed_on is not None:
            state = "passed"
        elif when < today:
            state = "date passed"
        elif e.study_from <= today:
            state = "studying"
        else:
            state = "upcoming"
        out.append(ExamProgress(e, when, done, total, passed_on, state))
    return StackProgress(plan, today, tuple(out))
