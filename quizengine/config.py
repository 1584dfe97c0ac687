"""Settings, resolved once: command-line flag > QUIZENGINE_* environment > config file > defaults.

Paths come from platformdirs and are created on first use, never at import.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from quizengine.domain.clock import DEFAULT_ROLLOVER_HOUR
from quizengine.domain.session import DEFAULT_NEW_PER_DAY, DEFAULT_REVIEW_CAP

APP = "quizengine"


class ConfigError(Exception):
    """A setting is wrong; the message names where it came from and how to fix it."""


@dataclass(frozen=True)
class Settings:
    db: str  # SQLAlchemy URL or file path
    profile: str
    bank_dirs: tuple[Path, ...] = ()  # extra bank folders, besides the shipped ones
    rollover_hour: int = DEFAULT_ROLLOVER_HOUR
    new_per_day: int = DEFAULT_NEW_PER_DAY
    review_cap: int = DEFAULT_REVIEW_CAP
    timezone: str | None = None  # IANA name; None means the machine's local time
    config_file: Path | None = field(default=None, compare=False)

    def tz(self) -> tzinfo:
        if self.timezone is None:
            local = datetime.now().astimezone().tzinfo
            assert local is not None
            return local
        return ZoneInfo(self.timezone)


FIELDS: dict[str, type] = {
    "db": str,
    "profile": str,
    "bank_dirs": list,
    "rollover_hour": int,
    "new_per_day": int,
    "review_cap": int,
    "timezone": str,
}


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP))


def config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def default_profile() -> str:
    try:
        return getpass.getuser() or "default"
    except (KeyError, OSError):
        return "default"


def read_config_file(path: Path) -> dict[str, Any]:
    """Read and check a TOML config file; a problem names the file, the line and the fix."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8; save the config file as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}; fix the TOML syntax there") from None
    return check_values(data, str(path))


def check_values(data: Mapping[str, Any], where: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in data.items():
        if key not in FIELDS:
            raise ConfigError(f"{where}: unknown setting `{key}`; known settings: {', '.join(FIELDS)}")
        kind = FIELDS[key]
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                try:
                    value = int(str(value))
                except ValueError:
                    raise ConfigError(f"{where}: `{key}` must be a whole number, got {value!r}") from None
        elif kind is list:
            if isinstance(value, str):
                value = [p for p in value.split(os.pathsep) if p]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: `{key}` must be a list of folder paths")
        elif not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: `{key}` must be non-empty text, got {value!r}")
        result[key] = value
    _check_ranges(result, where)
    return result


def _check_ranges(values: Mapping[str, Any], where: str) -> None:
    if "rollover_hour" in values and not 0 <= values["rollover_hour"] <= 23:
        raise ConfigError(f"{where}: `rollover_hour` must be 0..23, got {values['rollover_hour']}")
    for key in ("new_per_day", "review_cap"):
        if key in values and values[key] < 0:
            raise ConfigError(f"{where}: `{key}` must be 0 or more, got {values[key]}")
    if values.get("timezone"):
        try:
            ZoneInfo(values["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"{where}: unknown time zone {values['timezone']!r}; use an IANA name such as Europe/Berlin"
            ) from None


def resolve(flags: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    path = Path(environ["QUIZENGINE_CONFIG"]) if environ.get("QUIZENGINE_CONFIG") else config_path()
    merged: dict[str, Any] = {
        "db": str(data_dir() / "quizengine.db"),
        "profile": default_profile(),
    }
    merged.update(read_config_file(path))
    env_values = {
        k: environ[f"QUIZENGINE_{k.upper()}"] for k in FIELDS if environ.get(f"QUIZENGINE_{k.upper()}")
    }
    merged.update(check_values(env_values, "environment (QUIZENGINE_*)"))
    merged.update(check_values({k: v for k, v in flags.items() if v is not None}, "command line"))
    return Settings(
        db=merged["db"],
        profile=merged["profile"],
        bank_dirs=tuple(Path(p).expanduser() for p in merged.get("bank_dirs", [])),
        rollover_hour=merged.get("rollover_hour", DEFAULT_ROLLOVER_HOUR),
        new_per_day=merged.get("new_per_day", DEFAULT_NEW_PER_DAY),
        review_cap=merged.get("review_cap", DEFAULT_REVIEW_CAP),
        timezone=merged.get("timezone"),
        config_file=path,
    )
