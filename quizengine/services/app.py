"""Everything the TUI and CLI need, opened once: the store, bank sync and the study service."""

from __future__ import annotations

from dataclasses import dataclass

from quizengine.banks import BankProblem
from quizengine.config import Settings
from quizengine.domain.session import SessionLimits
from quizengine.services.banks import bank_dirs, sync_banks
from quizengine.services.mock import MockService
from quizengine.services.readiness import ReadinessService
from quizengine.services.study import Clock, StudyService
from quizengine.storage import Store


@dataclass
class AppServices:
    settings: Settings
    store: Store
    study: StudyService
    bank_problems: list[BankProblem]
    mock: MockService
    readiness: ReadinessService

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
        return cls(settings, store, study, problems, MockService(study), ReadinessService(store, study))

    def close(self) -> None:
        self.store.close()
