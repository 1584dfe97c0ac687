"""Everything the TUI and CLI need, opened once: the store, bank sync and the study service."""

from __future__ import annotations

from dataclasses import dataclass

from quizengine.banks import BankProblem
from quizengine.config import Settings
from quizengine.domain.session import SessionLimits
from quizengine.services.banks import bank_dirs, sync_banks
from quizengine.services.mock import MockService
from quizengine.services.study import Clock, StudyService
from quizengine.storage import Store


@dataclass
class AppServices:
    settings: Settings
    store: Store
    study: StudyService
    bank_problems: list[BankProblem]
    mock: MockService

    @classmethod
    def open(cls, settings: Settings, *, clock: Clock, sync: bool = True) -> AppServices:
        store = Store.open(settings.db)
        problems: list[BankProblem] = []
        if sync:
            problems = sync_banks(store, bank_dirs(settings.bank_dirs), clock()).problems
        study = StudyService(
            store,
            settings.profile,
            clock=clock,
            tz=settings.tz(),
            rollover_hour=settings.rollover_hour,
            limits=SessionLimits(settings.new_per_day, settings.review_cap),
        )
        return cls(settings, store, study, problems, MockService(study))

    def close(self) -> None:
        self.store.close()
