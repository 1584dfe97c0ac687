"""The Anki deck opens as Anki's own SQLite collection, with one note per question and stable GUIDs."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from quizengine.cli import main


def read_notes(apkg: Path, tmp_path: Path) -> list[tuple[str, str, str]]:
    with zipfile.ZipFile(apkg) as z:
        z.extract("collection.anki2", tmp_path)
    conn = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        return sorted(conn.execute("SELECT guid, flds, tags FROM notes"))
    finally:
        conn.close()


def test_the_deck_has_every_question_and_re_exporting_keeps_the_guids(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mla.apkg"
    base = ["export", "anki", "aws-mla-c01", "-o", str(out), "--db", str(db_path)]
    assert main(base) == 0
    assert "notes of MLA-C01" in capsys.readouterr().out
    first = read_notes(out, tmp_path / "a")
    assert len(first) == 211
    assert main(base) == 2  # no overwrite without --force
    assert main([*base, "--force"]) == 0
    second = read_notes(out, tmp_path / "b")
    assert [g for g, _, _ in first] == [g for g, _, _ in second]  # the same notes, so Anki updates them
    fields = next(f for _, f, _ in first if "\x1fmla-data-prep-001" in f).split("\x1f")
    assert "Select TWO" in fields[0]
    assert fields[5] == "mla-data-prep-001"
    assert all("<script" not in f for _, f, _ in first)


def test_an_unknown_bank_is_a_clear_error(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "anki", "nope", "-o", str(tmp_path / "x.apkg"), "--db", str(db_path)]) == 2
    assert "no installed bank `nope`" in capsys.readouterr().err
