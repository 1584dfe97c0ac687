from __future__ import annotations

from pathlib import Path

import pytest

from quizengine.config import ConfigError, resolve


def test_defaults_live_in_the_user_dirs() -> None:
    settings = resolve({})
    assert settings.db.endswith("quizengine/quizengine.db")
    assert str(Path.home()) in settings.db
    assert settings.new_per_day == 20
    assert settings.rollover_hour == 4


def test_flag_beats_env_beats_file(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        'profile = "from-file"\nnew_per_day = 5\nrollover_hour = 3\ntimezone = "Europe/Berlin"\n'
    )
    env = {"QUIZENGINE_CONFIG": str(config), "QUIZENGINE_PROFILE": "from-env", "QUIZENGINE_NEW_PER_DAY": "7"}
    settings = resolve({"profile": "from-flag", "new_per_day": None}, env)
    assert settings.profile == "from-flag"
    assert settings.new_per_day == 7
    assert settings.rollover_hour == 3
    assert str(settings.tz()) == "Europe/Berlin"


def test_bank_dirs_from_env(tmp_path: Path) -> None:
    settings = resolve({}, {"QUIZENGINE_BANK_DIRS": f"{tmp_path}/a:{tmp_path}/b"})
    assert settings.bank_dirs == (tmp_path / "a", tmp_path / "b")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rollover_hour = 25\n", "`rollover_hour` must be 0..23"),
        ("timezone = 'Mars/Olympus'\n", "unknown time zone"),
        ("colour = 'blue'\n", "unknown setting `colour`"),
        ("new_per_day = -1\n", "`new_per_day` must be 0 or more"),
        ("profile = [1]\n", "`profile` must be non-empty text"),
        ("profile = \n", "line 1"),
    ],
)
def test_bad_config_names_the_file_and_the_fix(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "c.toml"
    config.write_text(text)
    with pytest.raises(ConfigError) as info:
        resolve({}, {"QUIZENGINE_CONFIG": str(config)})
    assert message in str(info.value)
    assert str(config) in str(info.value)
