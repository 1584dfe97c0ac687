"""Mock exams: blueprint assembly, the clock, and scoring on the vendor's scale.

Pure: chance comes in as a ``random.Random``, time as UTC datetimes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from quizengine.domain.clock import require_utc
from quizengine.domain.grading import is_correct
from quizengine.domain.model import Domain, ExamFormat, Question


class MockMode(StrEnum):
    EXAM = "exam"  # the real rules: no feedback, no pause
    PRACTICE = "practice"  # feedback after each question; may pause
    DOMAIN = "domain"  # one domain only, exam rules
    PRACTICAL = "practical"  # a hands-on assessment's task cards, checked off by the learner


def largest_remainder(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split ``total`` items over domains in proportion to ``weights`` (Hamilton's method).

    Each domain gets the floor of its quota; the items left go to the largest remainders
    (ties: the larger weight, then the domain id, so the split is deterministic).
    """
    if total < 0:
        raise ValueError(f"total must be >= 0, got {total}")
    weight_sum = sum(weights.values())
    if weight_sum <= 0:
        raise ValueError("weights must sum to more than 0")
    quotas = {d: total * w / weight_sum for d, w in weights.items()}
    split = {d: math.floor(q) for d, q in quotas.items()}
    left = total - sum(split.values())
    order = sorted(quotas, key=lambda d: (-(quotas[d] - split[d]), -weights[d], d))
    for d in order[:left]:
        split[d] += 1
    return split


@dataclass(frozen=True, slots=True)
class Assembly:
    question_ids: tuple[str, ...]
    unscored: frozenset[str]  # items shown but not counted (strict mode only)
    split: dict[str, int]  # domain -> items planned by the blueprint for the main section
    shortfall: dict[str, int]  # domain -> items the bank could not supply (filled from other domains)
    sections: tuple[int, ...] = ()  # per item: 0 the main section, 1 the case study after it


def assemble(
    questions: Sequence[Question],
    fmt: ExamFormat,
    domains: Sequence[Domain],
    rng: random.Random,
    *,
    recent: frozenset[str] = frozenset(),
    only_domain: str | None = None,
    strict: bool = False,
) -> Assembly:
    """Pick a mock exam's questions by the blueprint.

    Per domain, questions not seen in the profile's recent mocks come first (so scores are not
    inflated by recognition), then the rest, each group shuffled. A domain the bank cannot fill is
    topped up from the others. If the bank has case studies, one of them (all its questions, in bank
    order) is the last section; if it has yes/no series, one series is kept together, in order, inside
    the main section. With ``strict``, ``fmt.unscored_items`` random items do not count, as on the
    real exam. The main section's order is shuffled so domains are mixed.
    """
    weights = {only_domain: 1.0} if only_domain is not None else {d.id: d.weight for d in domains}
    eligible = [q for q in questions if q.type in fmt.item_types and q.domain in weights]
    case_section = _pick_group(eligible, lambda q: q.case_study, rng, recent)
    series_block = _pick_group(eligible, lambda q: q.series, rng, recent)
    grouped = {q.id for q in eligible if q.case_study or q.series}
    total = min(fmt.items, len(eligible) - len(grouped) + len(case_section) + len(series_block))
    main_total = max(0, total - len(case_section) - len(series_block))
    by_domain: dict[str, list[Question]] = {d: [] for d in weights}
    for q in eligible:
        if q.id not in grouped:
            by_domain[q.domain].append(q)
    split = largest_remainder(main_total, weights)

    def ranked(pool: list[Question]) -> list[Question]:
        fresh = [q for q in pool if q.id not in recent]
        seen = [q for q in pool if q.id in recent]
        rng.shuffle(fresh)
        rng.shuffle(seen)
        return fresh + seen

    pools = {d: ranked(sorted(v, key=lambda q: q.id)) for d, v in sorted(by_domain.items())}
    chosen: list[Question] = []
    shortfall: dict[str, int] = {}
    for d in sorted(split):
        take = pools[d][: split[d]]
        pools[d] = pools[d][split[d] :]
        if len(take) < split[d]:
            shortfall[d] = split[d] - len(take)
        chosen += take
    missing = main_total - len(chosen)
    if missing > 0:
        rest = ranked([q for d in sorted(pools) for q in pools[d]])
        chosen += rest[:missing]
    rng.shuffle(chosen)
    if series_block:
        at = rng.randint(0, len(chosen))
        chosen[at:at] = series_block
    ids = tuple(q.id for q in chosen) + tuple(q.id for q in case_section)
    sections = (0,) * len(chosen) + (1,) * len(case_section)
    unscored: frozenset[str] = frozenset()
    if strict and fmt.unscored_items and len(ids) > fmt.unscored_items:
        unscored = frozenset(rng.sample(ids, fmt.unscored_items))
    return Assembly(ids, unscored, split, shortfall, sections)


def _pick_group(
    questions: Sequence[Question],
    key: Callable[[Question], str | None],
    rng: random.Random,
    recent: frozenset[str],
) -> list[Question]:
    """The questions of one group (a case study or a yes/no series), in bank order; fresh groups first."""
    groups: dict[str, list[Question]] = {}
    for q in questions:
        group = key(q)
        if group is not None:
            groups.setdefault(group, []).append(q)
    if not groups:
        return []
    fresh = sorted(g for g, qs in groups.items() if not any(q.id in recent for q in qs))
    return groups[rng.choice(fresh or sorted(groups))]


def section_of(question: Question) -> int:
    return 1 if question.case_study else 0


@dataclass(frozen=True, slots=True)
class ExamClock:
    """The exam clock is a stored deadline: what it shows is always ``deadline - now``."""

    started_at: datetime
    deadline: datetime

    @classmethod
    def start(cls, now: datetime, minutes: int, extra_minutes: int = 0) -> ExamClock:
        now = require_utc(now)
        return cls(now, now + timedelta(minutes=minutes + extra_minutes))

    def remaining(self, now: datetime) -> timedelta:
        return max(timedelta(0), self.deadline - require_utc(now))

    def expired(self, now: datetime) -> bool:
        return self.remaining(now) == timedelta(0)

    def pace(self, now: datetime, answered: int, items: int) -> tuple[timedelta, timedelta]:
        """(time used, time the answered items were budgeted) with an even per-item budget."""
        used = min(require_utc(now), self.deadline) - self.started_at
        budget = (self.deadline - self.started_at) * (answered / items) if items else timedelta(0)
        return used, budget


@dataclass(frozen=True, slots=True)
class DomainResult:
    domain: str
    scored: int
    correct: int
    seconds: float

    @property
    def percent(self) -> float:
        return 100 * self.correct / self.scored if self.scored else 0.0


@dataclass(frozen=True, slots=True)
class MockResult:
    scored: int
    correct: int
    raw_percent: float
    scaled: float | None  # estimate on the vendor's scale, None for raw-percent formats
    pass_mark: float | None
    passed: bool | None  # None when the vendor publishes no pass mark
    domains: tuple[DomainResult, ...]
    bands: dict[str, str] = field(default_factory=dict)


MEETS = "Meets competencies"
NEEDS = "Needs improvement"


def scaled_estimate(raw_fraction: float, fmt: ExamFormat) -> float | None:
    """Raw score -> the vendor's scale, by a straight line from (0, low) to (1, high).

    Vendors do not publish their raw-to-scaled mapping (it differs per exam form), so this is an
    estimate and is always labelled so. The line keeps the pass mark's place on the scale: on AWS's
    100-1000 scale with a 720 pass mark, 68.9 % raw maps to 720.
    """
    scoring = fmt.scoring
    if scoring is None or scoring.method != "scaled" or scoring.scale is None:
        return None
    low, high = scoring.scale
    return round(low + (high - low) * raw_fraction, 0)


def pass_fraction(fmt: ExamFormat) -> float | None:
    """The raw fraction the estimate needs to reach the pass mark."""
    scoring = fmt.scoring
    if scoring is None or scoring.pass_mark is None:
        return None
    if scoring.method == "raw_percent" or scoring.scale is None:
        return scoring.pass_mark / 100
    low, high = scoring.scale
    return (scoring.pass_mark - low) / (high - low)


def score(
    fmt: ExamFormat,
    questions: Mapping[str, Question],
    order: Sequence[str],
    answers: Mapping[str, Sequence[int]],
    seconds: Mapping[str, float],
    unscored: frozenset[str] = frozenset(),
) -> MockResult:
    """Score a finished mock: unanswered counts as wrong, no partial credit, unscored items ignored."""
    per_domain: dict[str, list[int]] = {}
    time_per_domain: dict[str, float] = {}
    for qid in order:
        q = questions[qid]
        time_per_domain[q.domain] = time_per_domain.get(q.domain, 0.0) + seconds.get(qid, 0.0)
        if qid in unscored:
            continue
        right = qid in answers and is_correct(q, answers[qid])
        per_domain.setdefault(q.domain, []).append(int(right))
    scored = sum(len(v) for v in per_domain.values())
    correct = sum(sum(v) for v in per_domain.values())
    fraction = correct / scored if scored else 0.0
    cut = pass_fraction(fmt)
    scaled = scaled_estimate(fraction, fmt)
    pass_mark = fmt.scoring.pass_mark if fmt.scoring else None
    passed = None if cut is None else fraction >= cut - 1e-9
    domains = tuple(
        DomainResult(d, len(v), sum(v), round(time_per_domain.get(d, 0.0), 1))
        for d, v in sorted(per_domain.items())
    )
    bands = (
        {} if cut is None else {r.domain: MEETS if r.percent / 100 >= cut - 1e-9 else NEEDS for r in domains}
    )
    return MockResult(scored, correct, round(100 * fraction, 1), scaled, pass_mark, passed, domains, bands)


@dataclass(slots=True)
class MockItem:
    question_id: str
    unscored: bool = False
    choices: tuple[int, ...] | None = None  # None: not answered
    flagged: bool = False
    seconds: float = 0.0

    @property
    def answered(self) -> bool:
        return self.choices is not None


@dataclass(slots=True)
class MockState:
    """A mock exam as stored: everything needed to resume it exactly after a crash."""

    cert_id: str
    format_id: str
    mode: MockMode
    clock: ExamClock
    items: list[MockItem]
    seed: int
    esl: bool = False
    strict: bool = False
    only_domain: str | None = None
    position: int = 0
    id: int | None = None
    submitted_at: datetime | None = None
    result: dict[str, object] | None = None

    def counts(self) -> tuple[int, int, int]:
        """(answered, unanswered, flagged)."""
        answered = sum(i.answered for i in self.items)
        return answered, len(self.items) - answered, sum(i.flagged for i in self.items)
