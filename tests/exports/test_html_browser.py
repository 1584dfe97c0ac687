"""The HTML report opened in a real headless browser: a script in bank text or a profile name never runs.

A control page proves the harness notices a script that does run; then the real report, built from a
hostile bank and a hostile profile name, must leave the page untouched, both with its Content-Security-Policy
and with the policy stripped (so escaping alone is shown to hold).
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from quizengine.exports.readiness import CSP, render
from quizengine.services.app import AppServices
from tests.conftest import FakeClock
from tests.exports.test_readiness_exports import hostile_services

MARK = "PWNED"
PAYLOADS = (
    f"<script>document.title='{MARK}'</script>",
    f"<img src=x onerror=\"document.title='{MARK}'\">",
    f"<svg onload=\"document.title='{MARK}'\"></svg>",
)
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@pytest.fixture(scope="module")
def browser() -> str:
    for name in BROWSERS:
        if path := shutil.which(name):
            return path
    pytest.skip("no headless Chromium here (Debian package `chromium`; .ci/run installs it)")


def dom_after_load(browser: str, page: Path, profile_dir: Path) -> str:
    """The page's DOM once it has loaded and its scripts (if any were allowed) have run."""
    done = subprocess.run(
        [
            browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile_dir}",
            "--virtual-time-budget=3000", "--dump-dom", page.as_uri(),
        ],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return done.stdout


@pytest.mark.slow
def test_the_harness_sees_a_script_that_runs(browser: str, tmp_path: Path) -> None:
    for i, payload in enumerate(PAYLOADS):
        page = tmp_path / f"control-{i}.html"
        head = "<!DOCTYPE html><html><head><title>clean</title></head>"
        page.write_text(f"{head}<body>{payload}</body></html>")
        assert f"<title>{MARK}</title>" in dom_after_load(browser, page, tmp_path / "profile")


@pytest.mark.slow
@pytest.mark.parametrize("keep_csp", [True, False], ids=["with-csp", "escaping-alone"])
def test_no_script_from_a_bank_or_a_profile_runs_in_the_report(
    browser: str, tmp_path: Path, services: AppServices, clock: FakeClock, keep_csp: bool
) -> None:
    app = hostile_services(services, clock)  # its bank's names carry <script> and onerror payloads
    report = dataclasses.replace(app.readiness.report("tester", ["evil-cert"]), profile="".join(PAYLOADS))
    html = render([report], "html", team=False, generated_at=clock())
    if not keep_csp:
        html = html.replace(CSP, "default-src *; script-src * 'unsafe-inline'")
        assert CSP not in html
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    dom = dom_after_load(browser, page, tmp_path / "profile")
    assert "<title>Exam readiness</title>" in dom
    assert MARK not in dom.split("<body", 1)[0]  # the title was never rewritten
    assert "&lt;script&gt;document.title=" in dom  # the payload is shown as text
