from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from quizengine.cli import main
from tests.conftest import INVALID_BANKS, REPO, VALID_BANKS


def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["banks", "validate", str(VALID_BANKS)]) == 0
    assert "ok  sample-cert: 4 questions" in capsys.readouterr().out


def test_validate_reports_every_problem_with_file_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    paths = [
        str(INVALID_BANKS / "unknown-domain.yaml"),
        str(INVALID_BANKS / "select-disagrees-with-key.yaml"),
    ]
    assert main(["banks", "validate", *paths]) == 1
    out = capsys.readouterr().out
    assert "unknown-domain.yaml:" in out
    assert "unknown domain `gamma`" in out
    assert "select-disagrees-with-key.yaml:" in out
    assert "hint:" in out


def test_validate_never_writes_a_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    main(["banks", "validate", str(VALID_BANKS)])
    data_home = Path.home()
    assert not list(data_home.rglob("*.db"))
    assert not list(tmp_path.rglob("*.db"))


def test_validate_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["banks", "validate", "--json", str(INVALID_BANKS / "bad-date.yaml")]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["problems"][0]["line"] > 0


def test_list_certs_and_db_default_in_the_data_dir(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZENGINE_BANK_DIRS", str(VALID_BANKS))
    assert main(["banks", "list", "--json"]) == 0
    banks = {b["id"]: b for b in json.loads(capsys.readouterr().out)}
    assert banks["sample-cert"]["questions"] == 4
    assert banks["sample-cert"]["lifecycle"] == "SMP-01 retired on 2026-03-31, successor SMP-02"
    assert banks["azure-ai-102"]["status"] == "retired"
    assert list(Path.home().rglob("quizengine.db")), "the default database lives in the user data dir"
    assert main(["certs", "add", "sample-cert"]) == 0
    assert main(["certs", "list"]) == 0
    out = capsys.readouterr().out
    assert "sample-cert: 0 due, 4 new today" in out
    assert main(["certs", "add", "nope"]) == 2


def test_bad_config_file_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("new_per_day = 'lots'\n")
    monkeypatch.setenv("QUIZENGINE_CONFIG", str(config))
    assert main(["certs", "list"]) == 2
    assert "`new_per_day` must be a whole number" in capsys.readouterr().err
    config.write_text("new_per_day = \n")
    assert main(["certs", "list"]) == 2
    assert "line 1" in capsys.readouterr().err


def test_db_upgrade_and_foreign_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "team.db"
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00garbage" * 64)
    assert main(["certs", "list", "--db", str(junk)]) == 2
    assert "cannot be opened as a database" in capsys.readouterr().err


def test_python_dash_m_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "quizengine", "--version"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("quizengine ")


def test_banks_reports_lists_what_learners_reported(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from quizengine.config import resolve
    from quizengine.services.app import AppServices

    monkeypatch.setenv("QUIZENGINE_BANK_DIRS", str(VALID_BANKS))
    app = AppServices.open(resolve({}), clock=lambda: datetime.now(UTC))
    app.study.report("smp-alpha-001", "the sky is grey in Hamburg")
    app.close()
    assert main(["banks", "reports"]) == 0
    out = capsys.readouterr().out
    assert "smp-alpha-001" in out
    assert "the sky is grey in Hamburg" in out
    assert main(["banks", "reports", "--json"]) == 0
    (report,) = json.loads(capsys.readouterr().out)
    assert report["cert_id"] == "sample-cert"
    assert report["question_changed_since"] is False


@pytest.mark.parametrize("before", [True, False])
def test_db_and_profile_work_before_or_after_the_command(
    tmp_path: Path, before: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "here.db"
    opts = ["--db", str(db), "--profile", "zoe"]
    argv = [*opts, "certs", "list"] if before else ["certs", "list", *opts]
    assert main(argv) == 0
    assert db.exists()
    assert not list(Path.home().rglob("quizengine.db"))


def test_db_upgrade_on_postgresql(
    pg_admin_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests import pg

    url = pg.fresh_database(pg_admin_url, "qe_cli_upgrade")
    assert main(["certs", "list", "--db", url]) == 2
    assert "quizengine db upgrade" in capsys.readouterr().err
    assert main(["db", "upgrade", "--db", url]) == 0
    monkeypatch.setenv("QUIZENGINE_BANK_DIRS", str(VALID_BANKS))
    assert main(["certs", "add", "sample-cert", "--db", url, "--profile", "ana"]) == 0
    assert main(["certs", "list", "--db", url, "--profile", "ana"]) == 0
    assert "sample-cert: 0 due, 4 new today" in capsys.readouterr().out


def test_validate_strict_fails_on_answer_key_bias(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.data.synth_loader import write_bank

    folder = write_bank(tmp_path, "biased", 12, biased=True)
    assert main(["banks", "validate", str(folder)]) == 0
    assert main(["banks", "validate", "--strict", str(folder)]) == 1
    assert "A is the answer of 100%" in capsys.readouterr().out


def test_mock_command_errors_and_history(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from quizengine.config import resolve
    from quizengine.services.app import AppServices

    monkeypatch.setenv("QUIZENGINE_BANK_DIRS", str(VALID_BANKS))
    assert main(["mock", "sample-cert", "--mode", "oral"]) == 2
    assert "use exam, practice or domain:ID" in capsys.readouterr().err
    assert main(["mock", "sample-cert", "--mode", "domain"]) == 2
    assert main(["mock"]) == 2
    app = AppServices.open(resolve({}), clock=lambda: datetime.now(UTC))
    app.mock.start("sample-cert", seed=1).submit()
    app.close()
    assert main(["mock", "sample-cert", "--history"]) == 0
    out = capsys.readouterr().out
    assert "exam  exam  100 scaled (estimate)  fail  0/4" in out


def test_plan_stack_lists_follows_and_clears(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", str(tmp_path / "qe.db"), "--profile", "ana"]
    assert main(["plan", "stack", *base]) == 0
    listing = capsys.readouterr().out
    for stack_id in ("production-cv", "enterprise", "edge-vision-specialist"):
        assert stack_id in listing
    assert main(["plan", "stack", "enterprise", "--start", "2026-11-01", *base]) == 0
    out = capsys.readouterr().out
    assert "Enterprise ML engineer (enterprise): 12 months from 2026-11-01 to 2027-10-31" in out
    assert "! MLS-C01 retired on 2026-03-31: planned with its successor MLA-C01" in out
    assert "AI-102 retired on 2026-06-30; its successor AI-103 has no quizengine bank yet" in out
    assert "    2027-02  study MLA-C01; exam MLA-C01 on 2027-02-28" in out
    assert main(["certs", "list", *base]) == 0
    assert capsys.readouterr().out.startswith("aws-mla-c01:")  # the exam being studied now joined
    assert main(["plan", "aws-mla-c01", *base]) == 0
    assert "exam date 2027-02-28" in capsys.readouterr().out
    assert main(["plan", "stack", *base]) == 0
    assert "* enterprise" in capsys.readouterr().out
    assert main(["plan", "stack", "--clear", *base]) == 0
    assert main(["plan", "stack", "nope", "--start", "2026-11-01", *base]) == 2
    assert "no stack `nope`" in capsys.readouterr().err
    assert main(["plan", "aws-mla-c01", "--start", "2026-11-01", *base]) == 2
    assert "plan stack NAME --start" in capsys.readouterr().err
