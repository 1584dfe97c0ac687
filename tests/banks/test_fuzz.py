"""Whatever bytes or structures come in, the loader and the config reader fail only with their own errors."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizengine.banks import BankError, BankSource, load_bank
from quizengine.config import ConfigError, read_config_file
from tests.conftest import VALID_BANKS

BASE = (VALID_BANKS / "sample-cert" / "bank.yaml").read_text()
yaml_chars = st.sampled_from(list(":-[]{}#&*!|>'\"%@`,? \n\t") + list("abcxyz019"))


def load_text(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bank.yaml"
    path.write_bytes(data)
    error: BankError | None = None
    try:
        load_bank(BankSource(path, (path,)))
    except BankError as exc:  # the only exception allowed out
        error = exc
    if error is not None:
        assert error.problems
        assert all(p.message for p in error.problems)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    load_text(tmp_path, data)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(yaml_chars, max_size=300))
def test_yaml_shaped_noise(tmp_path: Path, text: str) -> None:
    load_text(tmp_path, text.encode())


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, len(BASE) - 1), st.integers(0, 40), st.text(yaml_chars, max_size=20))
def test_a_valid_bank_with_a_splice_of_noise(tmp_path: Path, at: int, cut: int, noise: str) -> None:
    load_text(tmp_path, (BASE[:at] + noise + BASE[at + cut :]).encode())


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_config_reader(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    message = ""
    try:
        read_config_file(path)
    except ConfigError as exc:  # the only exception allowed out
        message = str(exc)
    assert not message or str(path) in message
