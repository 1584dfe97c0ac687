"""Question banks: YAML files -> validated domain objects, all or nothing, every problem with file:line."""

from quizengine.banks.errors import BankError, BankProblem
from quizengine.banks.loader import BankSource, discover, load_bank, load_banks, validate_paths

__all__ = ["BankError", "BankProblem", "BankSource", "discover", "load_bank", "load_banks", "validate_paths"]
