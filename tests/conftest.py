from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizengine.config import Settings
from quizengine.services.app import AppServices
from quizengine.services.banks import sync_banks

DATA = Path(__file__).parent / "data"
VALID_BANKS = DATA / "banks" / "valid"
INVALID_BANKS = DATA / "banks" / "invalid"
REPO = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the developer's home or settings."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    for var in list(os.environ):
        if var.startswith("QUIZENGINE_"):
            monkeypatch.delenv(var)


class FakeClock:
    """A settable UTC clock: tests move time on explicitly."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "quizengine.db"


@pytest.fixture
def services(db_path: Path, clock: FakeClock) -> Iterator[AppServices]:
    """AppServices over a real SQLite file with the sample bank installed and studied."""
    settings = Settings(db=str(db_path), profile="tester", timezone="UTC")
    app = AppServices.open(settings, clock=clock, sync=False)
    report = sync_banks(app.store, [VALID_BANKS], clock())
    assert not report.problems
    app.study.add_cert("sample-cert")
    yield app
    app.close()
