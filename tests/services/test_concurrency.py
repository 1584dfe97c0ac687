"""Many engineers answering at once: each answer logged once, cards equal a replay, no lock errors."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizengine.domain.cards import replay
from quizengine.services.banks import sync_banks
from quizengine.storage import Store
from tests.conftest import REPO
from tests.tui.test_kill import synth

CHILD = Path(__file__).with_name("concurrent_child.py")


def hammer(url: str, processes: int, seconds: float, tmp_path: Path) -> None:
    banks = tmp_path / "banks"
    synth().write_bank(banks, "killme", 300)  # type: ignore[attr-defined]
    store = Store.open(url, migrate=True)
    sync_banks(store, [banks], datetime.now(UTC))
    store.close()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = {
        f"engineer-{n}": subprocess.Popen(
            [sys.executable, str(CHILD), url, f"engineer-{n}", str(seconds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(processes)
    }
    answered: dict[str, list[str]] = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "database is locked" not in err
        lines = out.splitlines()
        assert lines[-1] == "DONE"
        answered[name] = [line.split()[1] for line in lines if line.startswith("ANSWERED")]
    store = Store.open(url)
    assert store.integrity_ok()
    for name, questions in answered.items():
        pid = store.profile_id(name, datetime.now(UTC))
        log = store.reviews(pid)
        assert [r.question_id for r in log] == questions  # every answer given, once, in order
        for card in store.cards(pid):
            rebuilt = replay(card.question_id, [r for r in log if r.question_id == card.question_id])
            assert (rebuilt.sm2, rebuilt.due, rebuilt.lapses) == (card.sm2, card.due, card.lapses)
    assert sum(len(q) for q in answered.values()) > processes  # they really did work at the same time
    store.close()


@pytest.mark.slow
def test_four_processes_on_one_sqlite_file(tmp_path: Path) -> None:
    hammer(str(tmp_path / "shared.db"), 4, 4.0, tmp_path)


@pytest.mark.slow
def test_twenty_processes_on_postgresql(pg_admin_url: str, tmp_path: Path) -> None:
    from tests import pg

    hammer(pg.fresh_database(pg_admin_url, "qe_concurrency"), 20, 6.0, tmp_path)
