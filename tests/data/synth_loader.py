"""Import scripts/synth.py's bank writer from tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("synth", Path(__file__).parents[2] / "scripts" / "synth.py")
assert _spec is not None
assert _spec.loader is not None
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
write_bank = _module.write_bank
