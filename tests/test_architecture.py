"""The domain core stays pure; the layers only import inward."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.parametrize(
    "module",
    [
        "quizengine.domain.sm2",
        "quizengine.domain.session",
        "quizengine.domain.grading",
        "quizengine.domain.cards",
        "quizengine.domain.model",
        "quizengine.domain.clock",
    ],
)
def test_domain_loads_neither_textual_nor_sqlalchemy(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "heavy = {'textual', 'sqlalchemy', 'alembic', 'yaml'}; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in heavy); "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == ""


def test_cli_does_not_load_the_tui_for_non_tui_commands() -> None:
    code = (
        "import sys; from quizengine.cli import main; "
        "main(['banks', 'validate', 'tests/data/banks/valid']); "
        "print('TUI' if any(m.startswith('textual') for m in sys.modules) else 'no TUI', file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stderr.strip().endswith("no TUI")


def test_import_contracts() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    out = subprocess.run(
        [str(lint_imports), "--no-cache"], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert out.returncode == 0, out.stdout + out.stderr
