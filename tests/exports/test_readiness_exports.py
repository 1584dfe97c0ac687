"""Readiness exports: golden files per format, spreadsheet-formula injection, HTML escaping, no overwrite."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from quizengine.cli import main
from quizengine.exports.readiness import FORMATS, render, safe_cell
from quizengine.services.app import AppServices
from quizengine.services.banks import sync_banks
from tests.conftest import DATA, FakeClock
from tests.services.test_study import right, wrong

GOLDEN = Path(__file__).parent / "golden"
HOSTILE = DATA / "banks" / "hostile"


def study(services: AppServices, clock: FakeClock) -> None:
    run = services.study.start()
    first = True
    while (view := run.current()) is not None:
        clock.advance(seconds=20)
        run.answer(wrong(view) if first else right(view))
        first = False


@pytest.fixture
def reports(services: AppServices, clock: FakeClock) -> AppServices:
    study(services, clock)
    clock.advance(days=1)
    study(services, clock)
    services.readiness.set_exam_date("sample-cert", services.study.today() + timedelta(days=20))
    return services


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden_files(reports: AppServices, fmt: str) -> None:
    """The exact bytes of each format for a fixed history (regenerate with UPDATE_GOLDEN=1)."""
    svc = reports.readiness
    text = render([svc.report("tester")], fmt, team=False, generated_at=reports.study.now())
    golden = GOLDEN / f"readiness.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8", newline="")
    with golden.open(encoding="utf-8", newline="") as f:
        assert text == f.read()


def test_the_json_export_has_the_documented_fields(reports: AppServices) -> None:
    data = json.loads(
        render([reports.readiness.report("tester")], "json", team=False, generated_at=reports.study.now())
    )
    assert data["schema_version"] == 1
    assert {"profile", "generated_at", "certifications"} <= set(data)
    (cert,) = data["certifications"]
    required = {
        "id", "exam_code", "status", "exam_date", "readiness", "expected_score", "pass_mark", "verdict",
        "domains", "weak_topics", "mocks", "study_minutes",
    }  # fmt: skip
    assert required <= set(cert)
    assert {"id", "name", "weight", "coverage", "accuracy", "predicted_recall"} <= set(cert["domains"][0])
    assert {"topic", "domain", "accuracy", "reviews", "lapses", "predicted_recall"} <= set(
        cert["weak_topics"][0]
    )
    assert cert["lifecycle"] == "SMP-01 retired on 2026-03-31, successor SMP-02"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_neutralised(value: str) -> None:
    assert safe_cell(value) == "'" + value
    assert safe_cell(-1.5) == -1.5  # numbers stay numbers


def hostile_services(services: AppServices, clock: FakeClock) -> AppServices:
    assert sync_banks(services.store, [HOSTILE], clock()).problems == []
    services.study.add_cert("evil-cert")
    study(services, clock)
    return services


def test_csv_cells_from_a_bank_never_start_a_formula(services: AppServices, clock: FakeClock) -> None:
    app = hostile_services(services, clock)
    text = render([app.readiness.report("tester", ["evil-cert"])], "csv", team=False, generated_at=clock())
    rows = list(csv.reader(io.StringIO(text)))
    cells = [c for row in rows[1:] for c in row]
    assert any("HYPERLINK" in c for c in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not _number(c))]


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]


def test_html_escapes_bank_text_and_forbids_scripts(services: AppServices, clock: FakeClock) -> None:
    app = hostile_services(services, clock)
    page = render([app.readiness.report("tester", ["evil-cert"])], "html", team=False, generated_at=clock())
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "img" not in parser.tags
    assert "onerror" not in parser.attrs
    assert "&lt;script&gt;alert(&#x27;cert&#x27;)&lt;/script&gt;" in page
    assert "default-src 'none'" in page  # and a CSP that would block a script that slipped through


def test_markdown_escapes_bank_text(services: AppServices, clock: FakeClock) -> None:
    app = hostile_services(services, clock)
    md = render([app.readiness.report("tester", ["evil-cert"])], "md", team=False, generated_at=clock())
    assert "<script>" not in md
    assert "<img" not in md
    assert "\\| pipe" in md


def test_export_cli_refuses_to_overwrite_without_force(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "team.html"
    out.write_text("keep me")
    args = ["export", "readiness", "--all-profiles", "-o", str(out), "--db", str(db_path)]
    assert main(args) == 2
    assert "exists; pass --force" in capsys.readouterr().err
    assert out.read_text() == "keep me"
    assert main([*args, "--force"]) == 0
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_export_cli_format_from_the_file_name_and_unknown_profile(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "me.csv"
    assert main(["export", "readiness", "--profile", "nobody", "-o", str(out), "--db", str(db_path)]) == 2
    assert "no profile `nobody`" in capsys.readouterr().err
    assert not out.exists()


def test_plan_sets_an_exam_date_and_prints_the_pace(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--db", str(db_path), "--profile", "ana"]
    assert main(["plan", "aws-mla-c01", "--exam-date", "2099-01-15", *base]) == 0
    out = capsys.readouterr().out
    assert "exam date 2099-01-15" in out
    assert "how this was computed:" in out
    assert main(["plan", "aws-mla-c01", "--exam-date", "2001-01-01", *base]) == 2
    assert "in the past" in capsys.readouterr().err
    assert main(["export", "readiness", "--format", "json", *base]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["certifications"][0]["exam_date"] == "2099-01-15"
