"""Typed access to parsed YAML that records a problem (with line and hint) instead of raising."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from quizengine.banks.errors import BankProblem
from quizengine.banks.yamlread import LList, LMap

MISSING: Any = object()
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
TOPIC_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
URL_RE = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/[^\s]*)?$")


MAX_TEXT_CHARS = 20_000  # a stem, option, explanation or scenario; the longest shipped is about 3,300


class Checker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[BankProblem] = []

    def add(self, line: int, message: str, hint: str = "") -> None:
        self.problems.append(BankProblem(self.file, line, message, hint))

    def keys(self, m: LMap, allowed: Iterable[str], where: str) -> None:
        allowed = list(allowed)
        for key in m:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean `{close[0]}`?" if close else f"allowed keys: {', '.join(allowed)}"
                self.add(m.lines[key], f"unknown key `{key}` in {where}", hint)

    def get(self, m: LMap, key: str, kind: str, where: str, *, required: bool = True, hint: str = "") -> Any:
        if key not in m:
            if not required:
                return None
            self.add(m.line, f"{where} is missing `{key}`", hint or f"add `{key}:` ({_DESCRIBE[kind]})")
            return MISSING
        value, line = m[key], m.lines[key]
        if value is None and not required:
            return None
        checked = self._check(value, kind)
        if checked is MISSING:
            self.add(
                line,
                f"`{key}` in {where} must be {_DESCRIBE[kind]}, got {_show(value)}",
                hint or f"write {_DESCRIBE[kind]} after `{key}:`",
            )
        elif kind == "text" and len(checked) > MAX_TEXT_CHARS:
            self.add(
                line,
                f"`{key}` in {where} is {len(checked):,} characters; at most {MAX_TEXT_CHARS:,}",
                "shorten it (a long shared scenario belongs in a case study, split into questions)",
            )
            return MISSING
        return checked

    def _check(self, value: Any, kind: str) -> Any:
        if kind == "text":
            return value.strip() if isinstance(value, str) and value.strip() else MISSING
        if kind == "id":
            return value if isinstance(value, str) and ID_RE.match(value) else MISSING
        if kind == "int":
            return value if isinstance(value, int) and not isinstance(value, bool) else MISSING
        if kind == "number":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            return float(value) if ok else MISSING
        if kind == "bool":
            return value if isinstance(value, bool) else MISSING
        if kind == "date":
            return value if isinstance(value, date) and not isinstance(value, datetime) else MISSING
        if kind == "url":
            return value if isinstance(value, str) and URL_RE.match(value) else MISSING
        if kind == "map":
            return value if isinstance(value, LMap) else MISSING
        if kind == "list":
            return value if isinstance(value, LList) else MISSING
        if kind == "scalar":  # a version or code: text, or a number written without quotes
            if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
                return str(value).strip()
            return MISSING
        raise AssertionError(kind)

    def items(self, lst: LList, kind: str, where: str, hint: str = "") -> list[tuple[Any, int]]:
        """The items of a list that have ``kind``, with their lines; the others are reported."""
        good = []
        for value, line in zip(lst, lst.lines, strict=True):
            checked = self._check(value, kind)
            if checked is MISSING:
                self.add(
                    line,
                    f"an item of {where} must be {_DESCRIBE[kind]}, got {_show(value)}",
                    hint or f"make each item of {where} {_DESCRIBE[kind]}",
                )
            else:
                good.append((checked, line))
        return good


_DESCRIBE = {
    "text": "non-empty text",
    "id": "an id (lower-case letters, digits, '.', '_' or '-')",
    "int": "a whole number",
    "number": "a number",
    "bool": "true or false",
    "date": "a date YYYY-MM-DD",
    "url": "an https:// URL",
    "map": "a mapping (key: value lines)",
    "list": "a list (lines starting with '- ')",
    "scalar": "a short text such as a version",
}


def _show(value: Any) -> str:
    if isinstance(value, LMap):
        return "a mapping"
    if isinstance(value, LList):
        return "a list"
    if value is None:
        return "nothing (null)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
