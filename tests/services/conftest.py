from __future__ import annotations

from collections.abc import Iterator

import pytest

from quizengine.services.app import AppServices
from tests.conftest import FakeClock, open_services


@pytest.fixture
def services(db_url: str, clock: FakeClock) -> Iterator[AppServices]:
    """The service tests run on SQLite and on PostgreSQL alike."""
    app = open_services(db_url, clock)
    yield app
    app.close()
