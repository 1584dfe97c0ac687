"""Certification stacks for a profile: choose one, see it month by month, and track each exam on it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from quizengine.banks import BankError
from quizengine.banks.stacks import load_stacks_or_raise, stack_files
from quizengine.domain import stacks as st
from quizengine.domain.model import Certification
from quizengine.services.readiness import PASSED_KEY
from quizengine.services.study import EXAM_DATE_KEY, StudyService
from quizengine.storage import StorageError, Store

STACK_KEY = "stack"  # -> {"id": stack id, "start": ISO date}


class StackService:
    def __init__(self, store: Store, study: StudyService, dirs: Sequence[Path]) -> None:
        self.store = store
        self.study = study
        self.dirs = list(dirs)
        self._stacks: list[st.Stack] | None = None  # read once per process

    def available(self) -> list[st.Stack]:
        """The stacks shipped and in extra bank folders (an exam without an installed bank is noted in
        the plan, not refused: ``banks validate`` checks the references)."""
        if self._stacks is None:
            try:
                self._stacks = load_stacks_or_raise(stack_files(self.dirs), None)
            except BankError as exc:
                raise StorageError(f"cannot read the stack files:\n{exc}") from None
        return self._stacks

    def find(self, stack_id: str) -> st.Stack:
        stacks = self.available()
        for stack in stacks:
            if stack.id == stack_id:
                return stack
        names = ", ".join(s.id for s in stacks) or "none installed"
        raise StorageError(f"no stack `{stack_id}`; the stacks are: {names}")

    def preview(self, stack_id: str, start: date) -> st.StackPlan:
        return st.lay_out(self.find(stack_id), start, self._certs())

    def choose(self, stack_id: str, start: date) -> st.StackProgress:
        """Follow ``stack_id`` from ``start``: each exam gets its planned date, and the exam being studied
        now joins the certifications the profile studies. Later exams join when their turn comes."""
        plan = self.preview(stack_id, start)
        pid = self.study.profile_id
        self.store.set_setting(pid, STACK_KEY, {"id": stack_id, "start": start.isoformat()})
        for exam in plan.exams:
            if exam.cert_id is not None:
                self.store.set_setting(pid, EXAM_DATE_KEY + exam.cert_id, exam.exam_date.isoformat())
        view = self.progress(pid)
        assert view is not None
        if view.current is not None and view.current.planned.cert_id is not None:
            self.study.add_cert(view.current.planned.cert_id)
        return view

    def advance(self) -> st.StackProgress | None:
        """The profile's stack with progress; the exam now being studied on it joins what the profile
        studies (a new step began). Adding it changes no progress, so the view is returned as read."""
        view = self.progress()
        current = view.current if view else None
        if current is None or current.planned.cert_id is None or current.state != "studying":
            return view
        if current.planned.cert_id not in self.store.profile_certs(self.study.profile_id):
            self.study.add_cert(current.planned.cert_id)
        return view

    def clear(self) -> None:
        """Stop following the stack; the exam dates it set stay (``plan CERT --clear`` drops one)."""
        self.store.set_setting(self.study.profile_id, STACK_KEY, None)

    def progress(self, profile_id: int | None = None) -> st.StackProgress | None:
        """The profile's stack with progress per exam, or None when it follows none. Reads only."""
        pid = self.study.profile_id if profile_id is None else profile_id
        raw = self.store.setting(pid, STACK_KEY)
        if not isinstance(raw, dict):
            return None
        stack = next((s for s in self.available() if s.id == raw.get("id")), None)
        if stack is None:  # the stack file was removed or renamed since
            return None
        plan = st.lay_out(stack, date.fromisoformat(str(raw["start"])), self._certs())
        ids = [e.cert_id for e in plan.exams if e.cert_id is not None]
        today = self.study.today()
        banks = self.study.banks()
        counts = self.store.cert_counts(pid, ids, today)
        seen = {cid: (banks[cid].total - counts[cid][1], banks[cid].total) for cid in ids}
        dates, passed = {}, {}
        for cid in ids:
            if raw_date := self.store.setting(pid, EXAM_DATE_KEY + cid):
                dates[cid] = date.fromisoformat(raw_date)
            if raw_passed := self.store.setting(pid, PASSED_KEY + cid):
                passed[cid] = date.fromisoformat(raw_passed)
        return st.progress(plan, today, dates, seen, passed)

    def _certs(self) -> dict[str, Certification]:
        return {cid: b.certification for cid, b in self.study.banks().items()}
