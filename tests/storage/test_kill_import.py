"""kill -9 during a bank import: the bank is there whole or not at all, and the next start finishes it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizengine.services.banks import sync_banks
from quizengine.storage import Store
from tests.conftest import REPO
from tests.tui.test_kill import synth

CHILD = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from quizengine.services.banks import sync_banks
from quizengine.storage import Store
store = Store.open(sys.argv[1])
print("OPEN", flush=True)
sync_banks(store, [Path(sys.argv[2])], datetime.now(UTC))
print("DONE", flush=True)
"""


@pytest.mark.slow
def test_kill_during_a_bank_import(tmp_path: Path) -> None:
    banks = tmp_path / "banks"
    synth().write_bank(banks, "big", 4000)  # type: ignore[attr-defined]
    db = tmp_path / "import.db"
    rng = random.Random(11)
    for _ in range(3):
        db.unlink(missing_ok=True)
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db), str(banks)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            cwd=REPO,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "OPEN"
        time.sleep(rng.uniform(0.05, 0.9))  # somewhere in parsing or in the import transaction
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        store = Store.open(str(db))
        assert store.integrity_ok()
        installed = {b.certification.id: b.total for b in store.installed_banks()}
        assert installed in ({}, {"big": 4000})  # never half a bank
        report = sync_banks(store, [banks], datetime.now(UTC))  # the next start completes it
        assert not report.problems
        assert {b.certification.id: b.total for b in store.installed_banks()} == {"big": 4000}
        store.close()
