"""Everything the TUI and CLI need, opened once: the store, bank sync and the study service."""

from __future__ import annotations

from dataclasses import dataclass, replace

from quizengine.banks import BankProblem
from quizengine.config import Settings
from quizengine.domain.session import SessionLimits
from quizengine.services.banks import bank_dirs, sync_banks
from quizengine.services.mock import MockService
from quizengine.services.readiness import ReadinessService
from quizengine.services.stacks import StackService
from quizengine.services.study import Clock, HomeView, StudyService
from quizengine.storage import StorageError, Store

RECALL_STEP = 20_000  # reviews folded into the kept recall state per close: about 0.4 s at most


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
            self.stacks.advance()
            stack = self.stacks.progress()
        except StorageError as exc:  # a broken stack file must not keep the learner from studying
            view = self.study.home()
            return replace(view, notices=(*view.notices, str(exc).splitlines()[0]))
        return replace(self.study.home(), stack=stack)

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
