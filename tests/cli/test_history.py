"""Moving house: a profile's whole history goes between SQLite and PostgreSQL without loss, once."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizengine.cli import main
from quizengine.config import Settings
from quizengine.domain.grading import correct_choices
from quizengine.services.app import AppServices
from quizengine.services.banks import sync_banks
from tests.conftest import VALID_BANKS, FakeClock, open_services


def test_history_moves_between_sqlite_and_postgresql(
    tmp_path: Path,
    clock: FakeClock,
    pg_admin_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests import pg

    monkeypatch.setenv("QUIZENGINE_BANK_DIRS", str(VALID_BANKS))
    sqlite_url = str(tmp_path / "laptop.db")
    source = open_services(sqlite_url, clock)
    run = source.study.start()
    while (view := run.current()) is not None:
        run.answer(list(correct_choices(view.question)) if view.number % 2 else [])
        clock.advance(minutes=1)
    run.finish()
    mock = source.mock.start("sample-cert", seed=2)
    mock.answer(list(correct_choices(mock.view(0).question)))
    mock.submit()
    source.study.report("smp-alpha-001", "typo in option C")
    source.store.set_setting(source.study.profile_id, "exam_date", "2027-01-15")
    before = source.store.export_history(source.study.profile_id)
    cards_before = sorted(source.store.cards(source.study.profile_id), key=lambda c: c.question_id)
    source.close()

    out = tmp_path / "tester.json"
    assert main(["history", "export", "--db", sqlite_url, "--profile", "tester", "-o", str(out)]) == 0
    assert main(["history", "export", "--db", sqlite_url, "--profile", "tester", "-o", str(out)]) == 2
    assert "pass --force" in capsys.readouterr().err

    team = pg.fresh_database(pg_admin_url, "qe_history")
    assert main(["db", "upgrade", "--db", team]) == 0
    for _ in range(2):  # importing twice adds nothing the second time
        assert main(["history", "import", str(out), "--db", team, "--profile", "tester"]) == 0
    assert "0 reviews (" in capsys.readouterr().out.splitlines()[-1]

    target = open_services(team, clock)
    after = target.store.export_history(target.study.profile_id)
    assert after["reviews"] == before["reviews"]
    assert [{k: v for k, v in m.items()} for m in after["mocks"]] == before["mocks"]
    assert after["reports"] == before["reports"]
    assert after["settings"] == before["settings"]
    assert sorted(target.store.cards(target.study.profile_id), key=lambda c: c.question_id) == cards_before
    target.close()


def test_import_refuses_a_file_that_is_not_a_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"hello": 1}))
    assert main(["history", "import", str(bad), "--db", str(tmp_path / "x.db")]) == 2
    assert "not a quizengine history file" in capsys.readouterr().err
    bad.write_text("{not json")
    assert main(["history", "import", str(bad), "--db", str(tmp_path / "x.db")]) == 2
    assert "cannot read a history file" in capsys.readouterr().err


def test_history_export_revlog_feeds_the_calibration_script(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv as _csv
    import subprocess
    import sys

    from tests.conftest import REPO

    db = tmp_path / "q.db"
    settings = Settings(db=str(db), profile="ana", timezone="UTC")
    clock = FakeClock(datetime(2026, 1, 5, 9, tzinfo=UTC))
    app = AppServices.open(settings, clock=clock, sync=False)
    sync_banks(app.store, [VALID_BANKS], clock())
    app.study.add_cert("sample-cert")
    for _day in range(6):
        run = app.study.start()
        while (view := run.current()) is not None:
            clock.advance(seconds=12)
            run.answer(list(correct_choices(view.question)))
        clock.advance(days=2)
    app.close()
    out = tmp_path / "ana.csv"
    assert (
        main(["history", "export", "--format", "revlog", "-o", str(out), "--db", str(db), "--profile", "ana"])
        == 0
    )
    with out.open(newline="") as f:
        rows = list(_csv.DictReader(f))
    assert list(rows[0]) == ["card_id", "review_rating", "review_time", "review_duration"]
    assert {r["review_rating"] for r in rows} == {"3"}  # right at normal confidence: q 4, FSRS Good
    assert rows[0]["review_duration"] == "12000"
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "eval_recall.py"), str(out)], capture_output=True, text=True
    )
    assert "log loss" in done.stdout
    assert "quizengine" in done.stdout
