"""kill -9 during a schema migration: the file stays sound at the old or the new version, never between,
and the next start finishes the migration without help."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic import command

from quizengine.storage import Store, db
from tests.conftest import REPO

CHILD = """
import sys
from quizengine.storage import Store
print("START", flush=True)
Store.open(sys.argv[1]).close()
print("DONE", flush=True)
"""
QUESTIONS = 250_000


def database_at_0003(path: Path) -> None:
    """A file at schema 0003 holding many questions, so the 0004 backfill takes a while."""
    engine = db.make_engine(str(path))
    command.upgrade(db.alembic_config(engine), "0003")
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO banks VALUES"
        " ('big', 'BIG', 'Big', 'active', 'src', 'h', '1', '{}', '2026-11-24 09:00:00')"
    )
    conn.executemany(
        "INSERT INTO questions VALUES (?, 'big', 'd', 'single', ?, '{}', 'h', '2026-11-24 09:00:00', NULL)",
        ((f"q{n:06d}", n) for n in range(QUESTIONS)),
    )
    conn.commit()
    conn.close()


def state(path: Path) -> tuple[str, str, int]:
    conn = sqlite3.connect(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        members = (
            conn.execute("SELECT count(*) FROM bank_questions").fetchone()[0]
            if "bank_questions" in tables
            else -1
        )
        return integrity, version, members
    finally:
        conn.close()


def run_and_kill(path: Path, *, mid_transaction: bool, delay: float) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=REPO,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "START"
    if mid_transaction:  # the backfill's pages pile up in the write-ahead log until it commits
        wal = path.with_name(path.name + "-wal")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (not wal.exists() or wal.stat().st_size < 2_000_000):
            time.sleep(0.001)
    else:
        time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


@pytest.mark.slow
def test_kill_during_a_migration(tmp_path: Path) -> None:
    template = tmp_path / "template.db"
    database_at_0003(template)
    rng = random.Random(5)
    for attempt in range(5):
        path = tmp_path / f"m{attempt}.db"
        path.write_bytes(template.read_bytes())
        mid = attempt < 3
        run_and_kill(path, mid_transaction=mid, delay=rng.uniform(0.05, 1.0))
        integrity, version, members = state(path)
        assert integrity == "ok"
        if mid:  # killed inside the migration's transaction: rolled back to the old version, whole
            assert (version, members) == ("0003", -1)
        else:  # killed at a random moment: the old version or the new one, never between
            assert (version, members) in (("0003", -1), ("0004", QUESTIONS), (db.SCHEMA_HEAD, QUESTIONS))
        Store.open(str(path)).close()  # the next start migrates without help
        assert state(path) == ("ok", db.SCHEMA_HEAD, QUESTIONS)
