"""SM-2 exactly as P. A. Wozniak described it (1990), with the project's conventions C1-C6.

EF is kept as a whole number of hundredths, so no floating point ever reaches an interval:
every per-grade change of EF is a whole number of hundredths (q5 +10, q4 0, q3 -14, q2 -32,
q1 -54, q0 -80) and the next interval is an exact integer ceiling.
"""

from __future__ import annotations

from dataclasses import dataclass

EF_START = 250
EF_FLOOR = 130
MIN_QUALITY = 0
MAX_QUALITY = 5
PASSING_QUALITY = 3
REDRILL_BELOW = 4  # same-day re-drill: grades below this come back in the session (rule 6)

# EF' - EF = 0.1 - (5-q)(0.08 + (5-q)0.02), in hundredths: 10 - d(8 + 2d) with d = 5 - q.
_EF_DELTA = {q: 10 - (5 - q) * (8 + 2 * (5 - q)) for q in range(MIN_QUALITY, MAX_QUALITY + 1)}


@dataclass(frozen=True, slots=True)
class Sm2State:
    """An item's SM-2 state. ``Sm2State()`` is a new item: n = 0, EF = 2.5, no interval (0)."""

    repetitions: int = 0
    ef_hundredths: int = EF_START
    interval: int = 0

    def __post_init__(self) -> None:
        if self.repetitions < 0:
            raise ValueError(f"repetitions must be >= 0, got {self.repetitions}")
        if self.ef_hundredths < EF_FLOOR:
            raise ValueError(f"EF must be >= 1.30, got {self.ef_hundredths / 100:.2f}")
        if self.interval < 0:
            raise ValueError(f"interval must be >= 0 days, got {self.interval}")

    @property
    def easiness(self) -> float:
        """The easiness factor with two decimals, e.g. 2.36."""
        return self.ef_hundredths / 100

    @property
    def is_new(self) -> bool:
        return self.repetitions == 0 and self.interval == 0


def check_quality(q: int) -> int:
    if isinstance(q, bool) or not isinstance(q, int) or not MIN_QUALITY <= q <= MAX_QUALITY:
        raise ValueError(f"SM-2 quality must be an integer 0..5, got {q!r}")
    return q


def next_easiness(ef_hundredths: int, q: int) -> int:
    """EF' in hundredths, floored at 1.30 (C1: applied for every grade, failures included)."""
    return max(EF_FLOOR, ef_hundredths + _EF_DELTA[check_quality(q)])


def review(state: Sm2State, q: int) -> Sm2State:
    """Grade ``state`` with quality ``q`` and return the new state (the input is not changed).

    q >= 3: n <- n + 1 and I(1) = 1, I(2) = 6, I(n) = ceil(I(n-1) * EF) using the EF from before
    this grade (C2) and the stored whole-day I(n-1) (C3), exactly in integers (C4).
    q < 3: n <- 0 and the interval is 1 day; the next pass counts as repetition 1 (C5).
    """
    check_quality(q)
    if q >= PASSING_QUALITY:
        n = state.repetitions + 1
        if n == 1:
            interval = 1
        elif n == 2:
            interval = 6
        else:
            interval = -((-state.interval * state.ef_hundredths) // 100)  # exact ceiling
    else:
        n = 0
        interval = 1
    return Sm2State(repetitions=n, ef_hundredths=next_easiness(state.ef_hundredths, q), interval=interval)


def needs_redrill(q: int) -> bool:
    """Rule 6: an item graded below 4 comes back later in the same session (C6: without rescheduling)."""
    return check_quality(q) < REDRILL_BELOW
