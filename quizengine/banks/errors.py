from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class BankProblem:
    """One thing wrong with a bank: where, what, and how to fix it."""

    file: str
    line: int  # 1-based; 0 when the problem belongs to the file (or the folder) as a whole
    message: str
    hint: str = ""
    severity: str = "error"  # "error" | "warning" (warnings come from --strict hygiene checks)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


class BankError(Exception):
    """A bank could not be loaded; ``problems`` lists every reason at once."""

    def __init__(self, problems: list[BankProblem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
