"""Many engineers answering at once: each answer logged once, cards equal a replay, no lock errors."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizengine.domain.cards import ReviewKind, replay
from quizengine.services.banks import sync_banks
from quizengine.storage import Store
from tests.conftest import REPO
from tests.tui.test_kill import synth

CHILD = Path(__file__).with_name("concurrent_child.py")


def run_children(url: str, profiles: list[str], seconds: float, tmp_path: Path) -> list[list[str]]:
    """One process per entry of ``profiles`` answering for ``seconds``; each one's answered question ids."""
    banks = tmp_path / "banks"
    synth().write_bank(banks, "killme", 300)  # type: ignore[attr-defined]
    store = Store.open(url, migrate=True)
    sync_banks(store, [banks], datetime.now(UTC))
    store.close()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, str(CHILD), url, name, str(seconds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for name in profiles
    ]
    answered = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "database is locked" not in err
        lines = out.splitlines()
        assert lines[-1] == "DONE"
        answered.append([line.split()[1] for line in lines if line.startswith("ANSWERED")])
    return answered


def hammer(url: str, processes: int, seconds: float, tmp_path: Path) -> None:
    names = [f"engineer-{n}" for n in range(processes)]
    answered = dict(zip(names, run_children(url, names, seconds, tmp_path), strict=True))
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


def one_learner_in_two_terminals(url: str, tmp_path: Path) -> None:
    """The same profile answering in two processes at once: both plan the same questions, so they answer
    the same cards within moments of each other. Both start cleanly, every answer is logged once, and each
    card equals a replay of its log: no answer graded a card the other had already moved on."""
    answered = run_children(url, ["same-engineer", "same-engineer"], 3.0, tmp_path)
    store = Store.open(url)
    pid = store.profile_id("same-engineer", datetime.now(UTC))
    log = store.reviews(pid)
    assert sorted(r.question_id for r in log) == sorted(q for part in answered for q in part)
    twice = 0
    for card in store.cards(pid):
        mine = [r for r in log if r.question_id == card.question_id]
        twice += sum(1 for r in mine if r.kind is not ReviewKind.DRILL) > 1
        rebuilt = replay(card.question_id, mine)
        assert (rebuilt.sm2, rebuilt.due, rebuilt.lapses) == (card.sm2, card.due, card.lapses)
    assert twice  # the two terminals really did answer the same cards
    store.close()


@pytest.mark.slow
def test_one_learner_in_two_terminals_on_sqlite(tmp_path: Path) -> None:
    one_learner_in_two_terminals(str(tmp_path / "shared.db"), tmp_path)


@pytest.mark.slow
def test_one_learner_in_two_terminals_on_postgresql(pg_admin_url: str, tmp_path: Path) -> None:
    from tests import pg

    one_learner_in_two_terminals(pg.fresh_database(pg_admin_url, "qe_two_terminals"), tmp_path)
