"""kill -9 at any moment loses at most the question on screen, and the next start continues cleanly."""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizengine.domain.cards import ReviewKind, replay
from quizengine.storage import Store
from tests.conftest import REPO

CHILD = Path(__file__).with_name("kill_child.py")


def synth() -> object:
    spec = importlib.util.spec_from_file_location("synth", REPO / "scripts" / "synth.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def kill_after(child: Path, args: list[str], marker: str, count: int) -> list[str]:
    """Run ``child`` and SIGKILL it right after its ``count``-th ``marker`` line; return the lines read."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, str(child), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        for line in proc.stdout:
            lines.append(line.strip())
            if sum(seen.startswith(marker) for seen in lines) >= count:
                break
        else:
            pytest.fail(f"child ended early: {proc.stderr.read() if proc.stderr else ''}")
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # mid-stream: it is already working on the next step
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return lines


def run_until_killed(db: Path, banks: Path, answers_before_kill: int) -> list[str]:
    lines = kill_after(CHILD, [str(db), str(banks)], "COMMITTED", answers_before_kill)
    return [line.split()[1] for line in lines if line.startswith("COMMITTED")]


@pytest.mark.slow
def test_kill_minus_nine_loses_nothing_committed(tmp_path: Path) -> None:
    banks = tmp_path / "banks"
    synth().write_bank(banks, "killme", 80)  # type: ignore[attr-defined]
    db = tmp_path / "kill.db"
    rng = random.Random(7)
    reported: list[str] = []
    for _round in range(4):
        reported += run_until_killed(db, banks, rng.randint(2, 6))
        store = Store.open(str(db))
        assert store.integrity_ok()
        pid = store.profile_id("killed", datetime.now(UTC))
        log = store.reviews(pid)
        logged = [r.question_id for r in log]
        # every answer the app reported as committed is in the log, in order; at most one more
        # (committed in the instant between the report and the kill) may follow
        assert logged[: len(reported)] == reported
        assert len(logged) - len(reported) <= 1
        reported = logged
        # card states equal a replay of the log
        for card in store.cards(pid):
            rebuilt = replay(card.question_id, [r for r in log if r.question_id == card.question_id])
            assert (rebuilt.sm2, rebuilt.due) == (card.sm2, card.due)
        # each question is new at most once: a restart never re-asks an answered question as new
        news = [r.question_id for r in log if r.kind is ReviewKind.NEW]
        assert len(news) == len(set(news))
        store.close()
