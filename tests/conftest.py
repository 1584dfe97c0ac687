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


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A PostgreSQL server for the session: QUIZENGINE_TEST_DATABASE_URL, or a throwaway cluster."""
    from tests import pg

    given = os.environ.get("QUIZENGINE_TEST_DATABASE_URL")
    if given:
        yield given
        return
    if pg.find_bin_dir() is None:
        pytest.skip("no PostgreSQL binaries here (Debian package `postgresql`; .ci/run installs it)")
    with pg.cluster() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same tests on a real SQLite file and on a real PostgreSQL database (migrated, empty)."""
    if request.param == "sqlite":
        return str(tmp_path / "quizengine.db")
    from quizengine.storage import Store
    from tests import pg

    admin = request.getfixturevalue("pg_admin_url")
    name = "qe_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[-50:]
    url = pg.fresh_database(admin, name)
    Store.open(url, migrate=True).close()
    return url


def open_services(url: str, clock: FakeClock) -> AppServices:
    settings = Settings(db=url, profile="tester", timezone="UTC")
    app = AppServices.open(settings, clock=clock, sync=False)
    report = sync_banks(app.store, [VALID_BANKS], clock())
    assert not report.problems
    app.study.add_cert("sample-cert")
    return app


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
