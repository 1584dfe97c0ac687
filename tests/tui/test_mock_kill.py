"""kill -9 during a mock exam: every answer and mark given is kept, and resume reopens the same exam."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizengine.config import Settings
from quizengine.services.app import AppServices
from tests.conftest import FakeClock
from tests.tui.test_kill import kill_after, synth

CHILD = Path(__file__).with_name("mock_kill_child.py")


def run_until_killed(db: Path, banks: Path, steps: int) -> tuple[int, list[int]]:
    lines = kill_after(CHILD, [str(db), str(banks)], "SAVED", steps)
    ready = next(int(line.split()[1]) for line in lines if line.startswith("READY"))
    return ready, [int(line.split()[1]) for line in lines if line.startswith("SAVED")]


@pytest.mark.slow
def test_kill_during_a_mock_then_resume(tmp_path: Path) -> None:
    banks = tmp_path / "banks"
    synth().write_bank(banks, "killme", 120)  # type: ignore[attr-defined]
    db = tmp_path / "mock.db"
    ready, saved = run_until_killed(db, banks, 5)
    assert ready == 0
    settings = Settings(db=str(db), profile="examinee", timezone="UTC", bank_dirs=(banks,))
    app = AppServices.open(settings, clock=lambda: datetime.now(UTC))
    assert app.store.integrity_ok()
    mock_id = app.store.open_mock(app.study.profile_id)
    assert mock_id is not None
    state = app.store.mock(mock_id)
    deadline = state.clock.deadline
    for position in saved:  # every answer and mark reported as saved is in the database
        assert state.items[position].answered
        assert state.items[position].flagged == (position % 3 == 0)
    assert state.position >= saved[-1]  # it reopens where the learner was (or one further)
    app.close()

    # the next start continues the same exam, with the same deadline
    ready2, saved2 = run_until_killed(db, banks, 2)
    assert ready2 == state.position
    app = AppServices.open(settings, clock=lambda: datetime.now(UTC))
    again = app.store.mock(mock_id)
    assert again.clock.deadline == deadline
    assert all(again.items[p].answered for p in saved + saved2)
    app.close()

    # hours later the deadline has passed: resuming submits and scores it
    later = FakeClock(datetime.now(UTC) + timedelta(hours=3))
    app = AppServices.open(settings, clock=later)
    run = app.mock.resume()
    assert run is not None
    assert run.submitted
    assert run.outcome is not None
    assert run.outcome.scored == 65
    assert app.store.open_mock(app.study.profile_id) is None
    app.close()
