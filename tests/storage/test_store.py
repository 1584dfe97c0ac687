from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from quizengine.banks import BankSource, load_bank
from quizengine.domain.cards import CardState, ReviewKind, grade, replay
from quizengine.storage import StorageError, Store
from quizengine.storage.db import SCHEMA_HEAD, script_head
from quizengine.storage.models import Base
from tests.conftest import VALID_BANKS

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)
TODAY = date(2026, 11, 24)


def sample_bank():  # type: ignore[no-untyped-def]
    folder = VALID_BANKS / "sample-cert"
    return load_bank(BankSource(folder, tuple(sorted(folder.glob("*.yaml")))))


def first_answer(question_id: str, quality: int = 4):  # type: ignore[no-untyped-def]
    """A new card answered right today."""
    return grade(
        CardState(question_id),
        quality=quality,
        correct=quality >= 3,
        choices=(0,),
        answered_at=NOW,
        today=TODAY,
        response_ms=1,
    )


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A migrated store with the sample bank, on SQLite and on PostgreSQL."""
    s = Store.open(db_url)
    s.save_bank(sample_bank(), "sample", NOW)
    yield s
    s.close()


def test_migrations_from_empty_match_the_models(db_url: str) -> None:
    store = Store.open(db_url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert diff == []
    assert version == SCHEMA_HEAD == script_head(store.engine)


def test_sqlite_runs_in_wal_with_busy_timeout_and_foreign_keys(db_path: Path) -> None:
    store = Store.open(str(db_path))
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_record_appends_to_the_log_and_updates_the_card(store: Store) -> None:
    pid = store.profile_id("ana", NOW)
    assert store.profile_id("ana", NOW) == pid
    card = store.card(pid, "smp-alpha-001")
    assert card.is_new
    r1 = grade(card, quality=4, correct=True, choices=(0,), answered_at=NOW, today=TODAY, response_ms=900)
    store.record(pid, r1)
    r2 = grade(
        r1.after,
        quality=2,
        correct=False,
        choices=(1,),
        answered_at=NOW + timedelta(days=1),
        today=TODAY + timedelta(days=1),
        response_ms=500,
    )
    store.record(pid, r2)
    drill = grade(
        r2.after,
        quality=5,
        correct=True,
        choices=(0,),
        answered_at=NOW + timedelta(days=1, minutes=3),
        today=TODAY + timedelta(days=1),
        response_ms=400,
        drill=True,
    )
    store.record(pid, drill)
    log = store.reviews(pid, "smp-alpha-001")
    assert [r.kind for r in log] == [ReviewKind.NEW, ReviewKind.REVIEW, ReviewKind.DRILL]
    assert log[0].answered_at == NOW  # aware UTC back from SQLite
    stored = store.card(pid, "smp-alpha-001")
    assert stored.sm2 == r2.after.sm2
    assert stored.due == TODAY + timedelta(days=2)
    assert stored.lapses == 1
    assert replay("smp-alpha-001", log).sm2 == stored.sm2


def test_due_and_new_queries(store: Store) -> None:
    pid = store.profile_id("ana", NOW)
    new = store.new_candidates(pid, ["sample-cert"])
    assert [q for q, _, _ in new] == ["smp-alpha-001", "smp-alpha-002", "smp-beta-001", "smp-beta-002"]
    store.record(
        pid,
        grade(
            CardState("smp-beta-001"),
            quality=4,
            correct=True,
            choices=(),
            answered_at=NOW,
            today=TODAY,
            response_ms=1,
        ),
    )
    assert "smp-beta-001" not in [q for q, _, _ in store.new_candidates(pid, ["sample-cert"])]
    assert store.due_cards(pid, ["sample-cert"], TODAY, 10) == []
    assert [c.question_id for c in store.due_cards(pid, ["sample-cert"], TODAY + timedelta(days=1), 10)] == [
        "smp-beta-001"
    ]
    assert store.cert_counts(pid, ["sample-cert"], TODAY + timedelta(days=1)) == {"sample-cert": (1, 3)}
    activity = store.day_activity(pid, TODAY)
    assert activity.new_done == {"sample-cert": 1}
    assert activity.last_quality == {"smp-beta-001": 4}
    assert store.study_days(pid, TODAY - timedelta(days=5), TODAY) == {TODAY}


def test_removing_a_question_retires_it_and_keeps_its_reviews(store: Store, tmp_path: Path) -> None:
    pid = store.profile_id("ana", NOW)
    store.record(pid, first_answer("smp-alpha-001"))
    bank = sample_bank()
    smaller = type(bank)(
        bank.certification,
        bank.domains,
        bank.formats,
        tuple(q for q in bank.questions if q.id != "smp-alpha-001"),
        content_hash="other",
    )
    result = store.save_bank(smaller, "sample", NOW)
    assert result.retired == 1
    assert store.installed_banks()[0].total == 3
    assert store.due_cards(pid, ["sample-cert"], TODAY + timedelta(days=5), 10) == []
    assert len(store.reviews(pid, "smp-alpha-001")) == 1  # history kept
    back = store.save_bank(bank, "sample", NOW)
    assert back.revived == 1
    assert store.card(pid, "smp-alpha-001").reviews == 1  # same id, same history


def test_editing_text_keeps_history(store: Store) -> None:
    pid = store.profile_id("ana", NOW)
    store.record(pid, first_answer("smp-alpha-001"))
    bank = sample_bank()
    from dataclasses import replace

    edited = replace(bank, questions=(replace(bank.questions[0], stem="Reworded stem?"), *bank.questions[1:]))
    assert store.save_bank(edited, "sample", NOW).updated == 1
    assert store.question("smp-alpha-001").stem == "Reworded stem?"
    assert store.card(pid, "smp-alpha-001").reviews == 1


def test_profile_certs_and_settings(store: Store) -> None:
    pid = store.profile_id("ana", NOW)
    store.add_cert(pid, "sample-cert", NOW)
    store.add_cert(pid, "sample-cert", NOW)
    assert store.profile_certs(pid) == ["sample-cert"]
    with pytest.raises(StorageError, match="no installed bank"):
        store.add_cert(pid, "nope", NOW)
    store.drop_cert(pid, "sample-cert")
    assert store.profile_certs(pid) == []
    store.set_setting(pid, "new_per_day", 15)
    assert store.setting(pid, "new_per_day") == 15


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite" * 100)
    before = path.read_bytes()
    with pytest.raises(StorageError, match="cannot be opened as a database"):
        Store.open(str(path))
    assert path.read_bytes() == before


def test_a_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StorageError, match="not a quizengine database"):
        Store.open(str(path))


def _as_reader(argv: list[str]) -> list[str]:
    """``argv`` run so that file modes bind: as is for a normal user; for root, without the capabilities
    that let root write any file (root ignores a file's read-only mode otherwise)."""
    if os.geteuid() != 0:
        return argv
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux) to drop CAP_DAC_OVERRIDE")
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}", *argv]


@pytest.mark.slow
@pytest.mark.parametrize("command", [["certs", "list"], ["export", "readiness"], []])
def test_a_read_only_database_file_is_refused_untouched(tmp_path: Path, command: list[str]) -> None:
    """A real process as a user who may not write the file: a clear message, no traceback, nothing
    written, and no -wal/-shm files left beside it."""
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "team.db"
    Store.open(str(path)).close()
    for leftover in folder.glob("team.db-*"):
        leftover.unlink()
    path.chmod(0o444)
    before = path.read_bytes()
    argv = [sys.executable, "-m", "quizengine", *command, "--db", str(path), "--profile", "ana"]
    done = subprocess.run(_as_reader(argv), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "is read-only for this user" in done.stderr
    assert "Traceback" not in done.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["team.db"]


def test_a_newer_schema_is_refused(db_path: Path) -> None:
    Store.open(str(db_path)).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StorageError, match="newer quizengine"):
        Store.open(str(db_path))


def test_integrity_check(store: Store) -> None:
    assert store.integrity_ok()


def test_postgresql_needs_db_upgrade_first(pg_admin_url: str) -> None:
    from tests import pg

    url = pg.fresh_database(pg_admin_url, "qe_needs_upgrade")
    with pytest.raises(StorageError, match="quizengine db upgrade"):
        Store.open(url)
    Store.open(url, migrate=True).close()
    Store.open(url).close()  # now it opens without migrating
