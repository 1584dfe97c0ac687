"""Engine factory and migrations. SQLite is set up for WAL, a busy timeout and foreign keys."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from quizengine.storage.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

BUSY_TIMEOUT_MS = 10_000
MIGRATIONS = "quizengine.storage:migrations"
# The newest migration. Start-up compares the database with this constant instead of loading
# Alembic and every migration script (a tenth of a second); a test keeps the two in step.
SCHEMA_HEAD = "0005"


def normalise_url(url_or_path: str) -> str:
    """A SQLAlchemy URL, or a file path taken as a SQLite database."""
    if "://" in url_or_path:
        try:
            make_url(url_or_path)
        except ArgumentError as exc:
            raise StorageError(f"--db {url_or_path!r} is not a database URL: {exc}") from None
        return url_or_path
    return f"sqlite:///{Path(url_or_path).expanduser().resolve()}"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if not is_sqlite(url):
        try:
            return create_engine(url, pool_pre_ping=True)
        except ModuleNotFoundError as exc:
            raise StorageError(
                f"the driver for {make_url(url).drivername} is not installed ({exc.name}); "
                "install it with: pip install 'quizengine[postgres]'"
            ) from None
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        _check_writable(Path(database))
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module, so BEGIN is ours (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front: a deferred transaction that later upgrades to a
        # write can fail at once with "database is locked" instead of waiting for the busy timeout.
        write = conn.get_execution_options().get("quizengine_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _check_writable(path: Path) -> None:
    """Refuse a SQLite file (or folder) this user may not write, before SQLite creates -wal/-shm files
    beside it or fails half-way through the first write."""
    if path.exists() and not os.access(path, os.W_OK):
        raise StorageError(
            f"{path} is read-only for this user, and quizengine writes every answer to it; nothing was "
            "changed. Make it writable (chmod u+w), or point --db at a copy."
        )
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise StorageError(
            f"the folder {path.parent} is read-only for this user; SQLite needs to create its journal "
            "files beside the database. Nothing was changed. Point --db at a writable folder."
        )


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS)
    cfg.attributes["engine"] = engine
    return cfg


def script_head(engine: Engine) -> str | None:
    """The head revision as the migration scripts say (loads Alembic; tests and upgrades only)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def known_revision(engine: Engine, revision: str) -> bool:
    from alembic.script import ScriptDirectory

    try:
        return ScriptDirectory.from_config(alembic_config(engine)).get_revision(revision) is not None
    except Exception:
        return False


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
