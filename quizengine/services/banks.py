"""Installing banks into the database: parse only what changed, all or nothing per bank."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import quizengine
from quizengine.banks import BankError, BankProblem, BankSource, discover, load_bank
from quizengine.domain.model import Bank
from quizengine.storage import StorageError, Store
from quizengine.storage.store import SaveResult


def shipped_bank_dir() -> Path:
    """The banks that ship with quizengine: inside the wheel, or the checkout's question_banks/."""
    package = Path(quizengine.__file__).parent
    packaged = package / "_shipped_banks"
    return packaged if packaged.is_dir() else package.parent / "question_banks"


def bank_dirs(extra: Iterable[Path] = ()) -> list[Path]:
    return [shipped_bank_dir(), *extra]


@dataclass
class SyncReport:
    installed: dict[str, SaveResult] = field(default_factory=dict)
    unchanged: int = 0
    problems: list[BankProblem] = field(default_factory=list)


def sync_banks(store: Store, dirs: Sequence[Path], now: datetime) -> SyncReport:
    """Install every changed bank under ``dirs``. Unchanged files (same content hash) are not parsed.

    A bank with any problem is skipped whole; the version already in the database stays in use.
    """
    report = SyncReport()
    # Compare content, not paths: the same bank installed elsewhere (another engineer's checkout on a
    # shared database, a moved virtualenv) has the same hash and must not be written again.
    stored = {digest for _source, digest in store.bank_hashes().values()}
    loaded: list[tuple[Bank, str]] = []
    for source in discover(dirs):
        key = _key(source)
        try:
            digest = source.content_hash()
        except OSError as exc:
            report.problems.append(
                BankProblem(key, 0, f"cannot read the bank: {exc}", "check the file permissions")
            )
            continue
        if digest in stored:
            report.unchanged += 1
            continue
        try:
            loaded.append((load_bank(source), key))
        except BankError as exc:
            report.problems += exc.problems
    # Banks that share other banks' questions go last, so that the questions they name are installed.
    for bank, key in sorted(loaded, key=lambda pair: bool(pair[0].shared)):
        try:
            report.installed[bank.certification.id] = store.save_bank(bank, key, now)
        except StorageError as exc:
            report.problems.append(BankProblem(key, 0, str(exc), "fix the bank and start again"))
    return report


def _key(source: BankSource) -> str:
    return str(source.path.resolve())
