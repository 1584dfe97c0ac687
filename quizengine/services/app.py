"""Everything the TUI and CLI need, opened once: the store, bank sync and the study service."""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime

from quizengine.banks import BankProblem
from quizengine.config import Settings
from quizengine.domain.model import Question
from quizengine.domain.session import SessionLimits
from quizengine.services.banks import bank_dirs, sync_banks
from quizengine.services.mock import MockService
from quizengine.services.readiness import ProfileReport, ReadinessService
from quizengine.services.stacks import StackService
from quizengine.services.study import Clock, HomeView, StudyService
from quizengine.storage import StorageError, Store

RECALL_STEP = 20_000  # reviews folded into the kept recall state per close: about 0.4 s at most
MAX_TEAM_WORKERS = 8
PROFILES_PER_WORKER = 4  # fewer profiles than this a worker are not worth a process
_SHARED_QUESTIONS: dict[str, list[Question]] = {}  # filled by the parent just before it forks workers


@dataclass
class AppServices:
    settings: Settings
    store: Store
    study: StudyService
    bank_problems: list[BankProblem]
    mock: MockService
    readiness: ReadinessService
    stacks: StackService
    read_only: bool = False

    @classmethod
    def open(
        cls, settings: Settings, *, clock: Clock, sync: bool = True, read_only: bool = False
    ) -> AppServices:
        """Open the database; ``read_only`` neither installs banks nor creates the profile (team export)."""
        store = Store.open(settings.db)
        problems: list[BankProblem] = []
        if sync and not read_only:
            problems = sync_banks(store, bank_dirs(settings.bank_dirs), clock()).problems
        study = StudyService(
            store,
            settings.profile,
            clock=clock,
            tz=settings.tz(),
            rollover_hour=settings.rollover_hour,
            limits=SessionLimits(settings.new_per_day, settings.review_cap),
            create_profile=not read_only,
        )
        stacks = StackService(store, study, bank_dirs(settings.bank_dirs))
        readiness = ReadinessService(store, study, stack_of=stacks.progress)
        return cls(settings, store, study, problems, MockService(study), readiness, stacks, read_only)

    def home(self) -> HomeView:
        """The home screen's view, with the profile's certification stack when it follows one."""
        try:
            stack = self.stacks.advance()
        except StorageError as exc:  # a broken stack file must not keep the learner from studying
            view = self.study.home()
            return replace(view, notices=(*view.notices, str(exc).splitlines()[0]))
        return replace(self.study.home(), stack=stack)

    def team_reports(
        self, cert_ids: Sequence[str] | None = None, *, workers: int | None = None
    ) -> list[ProfileReport]:
        """Every profile's report, as ``readiness.team`` gives it, built by up to one process per core.

        Profiles are independent, so a team of many is split across worker processes (each opens the
        database read-only); reports come back without the per-question detail only drills use.
        """
        names = self.readiness.profile_names()
        if workers is None:
            workers = min(os.cpu_count() or 1, MAX_TEAM_WORKERS, len(names) // PROFILES_PER_WORKER)
        if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return self.readiness.team(cert_ids)
        now = self.study.now()
        chunks = [names[i::workers] for i in range(workers)]
        # Read every bank's questions once, here: the forked workers share them instead of each reading.
        _SHARED_QUESTIONS.clear()
        _SHARED_QUESTIONS.update({cid: self.store.questions_of(cid) for cid in self.study.banks()})
        self.store.engine.dispose()  # no open connection is carried into the workers
        # Nothing read so far is garbage: frozen, the workers' collector never walks the shared questions
        # again (each report makes tens of thousands of small objects, so collections are frequent).
        gc.freeze()
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                jobs = [(self.settings, chunk, cert_ids, now) for chunk in chunks]
                parts = list(pool.map(_team_part, jobs))
        finally:
            gc.unfreeze()
            _SHARED_QUESTIONS.clear()
        by_name = {r.profile: r for part in parts for r in part}
        return [by_name[name] for name in names]

    def close(self) -> None:
        """Close the database; a learner's process first keeps its recall state up to date (a bounded
        step, so a long backlog never holds up an exit; the team export reads only and skips this)."""
        try:
            if not self.read_only and self.study.profile_id is not None:
                self.readiness.refresh_recall_state(limit=RECALL_STEP)
        except StorageError:
            pass  # a cache: the next report replays what was not kept
        finally:
            self.store.close()


def _team_part(job: tuple[Settings, list[str], Sequence[str] | None, datetime]) -> list[ProfileReport]:
    """A worker's share of the team report: its own read-only connection, the parent's clock."""
    settings, names, cert_ids, now = job
    app = AppServices.open(settings, clock=lambda: now, read_only=True)
    try:

        @functools.cache
        def served(cert_id: str) -> list[Question]:
            shared = _SHARED_QUESTIONS.get(cert_id)
            return shared if shared is not None else app.store.questions_of(cert_id)

        banks = app.study.banks()
        # Each report drops its per-question detail at once: kept for the whole share, hundreds of
        # thousands of objects would pile up for the collector to walk again and again.
        return [
            _without_recalls(app.readiness.report(name, cert_ids, served=served, banks=banks))
            for name in names
        ]
    finally:
        app.close()


def _without_recalls(report: ProfileReport) -> ProfileReport:
    return replace(report, certs=tuple(replace(c, recalls=()) for c in report.certs))
