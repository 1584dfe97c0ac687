"""The vocabulary of quizengine: certifications, domains, exam formats and questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class CertStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"
    CLOSED = "closed"


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    ORDERING = "ordering"
    MATCHING = "matching"


class FormatKind(StrEnum):
    TIMED = "timed"
    PRACTICAL = "practical"


@dataclass(frozen=True, slots=True)
class Certification:
    id: str
    name: str
    vendor: str
    exam_code: str
    status: CertStatus
    status_date: date
    exam_guide_version: str
    sources: tuple[str, ...]
    last_verified: date
    successor: str | None = None
    doc_domains: tuple[str, ...] = ()  # where references may point, e.g. docs.aws.amazon.com
    validity_years: int | None = None
    suggested_study_hours: str | None = None
    notes: str | None = None

    def lifecycle_warning(self) -> str | None:
        """A one-line warning for a retired or closed exam, naming the date and successor."""
        if self.status is CertStatus.ACTIVE:
            return None
        verb = "retired" if self.status is CertStatus.RETIRED else "closed"
        text = f"{self.exam_code} {verb} on {self.status_date.isoformat()}"
        return f"{text}, successor {self.successor}" if self.successor else f"{text}, no successor announced"


@dataclass(frozen=True, slots=True)
class Domain:
    id: str
    name: str
    weight: float  # effective percent; vendor ranges are normalised midpoints
    weight_range: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class Scoring:
    method: str  # "scaled" | "raw_percent"
    scale: tuple[int, int] | None
    pass_mark: float | None
    partial_credit: bool = False
    unanswered: str = "wrong"


@dataclass(frozen=True, slots=True)
class PracticalTask:
    id: str
    title: str
    brief: str
    criteria: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExamFormat:
    id: str
    name: str
    kind: FormatKind
    minutes: int
    source: str
    verified: date
    items: int = 0
    unscored_items: int = 0
    extra_minutes_esl: int | None = None
    item_types: tuple[QuestionType, ...] = ()
    scoring: Scoring | None = None
    rules: tuple[str, ...] = ()
    tasks: tuple[PracticalTask, ...] = ()


@dataclass(frozen=True, slots=True)
class Option:
    text: str
    why: str
    correct: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    text: str
    why: str | None = None


@dataclass(frozen=True, slots=True)
class Pair:
    prompt: str
    answer: str


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    cert_id: str
    type: QuestionType
    domain: str
    topics: tuple[str, ...]
    difficulty: int
    stem: str
    explanation: str
    references: tuple[str, ...]
    verified: date
    guide_version: str
    options: tuple[Option, ...] = ()
    select: int = 1
    steps: tuple[Step, ...] = ()
    pairs: tuple[Pair, ...] = ()
    extra_answers: tuple[str, ...] = ()
    case_study: str | None = None  # id of the case study whose scenario this question belongs to
    series: str | None = None  # id of a yes/no series (Microsoft: answered items cannot be revisited)

    @property
    def correct_options(self) -> frozenset[int]:
        return frozenset(i for i, o in enumerate(self.options) if o.correct)

    @property
    def answer_choices(self) -> tuple[str, ...]:
        """For matching: every answer a prompt can be matched to (pair answers, then extras)."""
        return tuple(p.answer for p in self.pairs) + self.extra_answers

    @property
    def type_label(self) -> str:
        if self.type is QuestionType.MULTIPLE:
            return f"Select {NUMBER_WORDS.get(self.select, str(self.select))}"
        return {
            QuestionType.SINGLE: "Single answer",
            QuestionType.ORDERING: "Ordering",
            QuestionType.MATCHING: "Matching",
        }[self.type]


NUMBER_WORDS = {2: "TWO", 3: "THREE", 4: "FOUR", 5: "FIVE", 6: "SIX"}


@dataclass(frozen=True, slots=True)
class CaseStudy:
    """A scenario several questions share; in a mock it becomes a section (Microsoft: locked once left)."""

    id: str
    title: str
    scenario: str


@dataclass(frozen=True, slots=True)
class SharedQuestion:
    """A question written once in another bank and served in this one too, under one of this bank's domains.

    The question keeps its id, text and learner's card; only the domain it counts towards differs.
    """

    question_id: str
    bank: str  # the certification id of the bank that owns the question
    domain: str  # this bank's domain
    where: str = ""  # file:line of the reference, for messages


@dataclass(frozen=True, slots=True)
class Bank:
    """One certification's validated bank: all of its files, loaded together or not at all."""

    certification: Certification
    domains: tuple[Domain, ...]
    formats: tuple[ExamFormat, ...]
    questions: tuple[Question, ...]
    files: tuple[str, ...] = ()
    content_hash: str = ""
    version: str = field(default="")
    case_studies: tuple[CaseStudy, ...] = ()
    shared: tuple[SharedQuestion, ...] = ()  # questions of other banks served here by reference

    def domain(self, domain_id: str) -> Domain:
        for d in self.domains:
            if d.id == domain_id:
                return d
        raise KeyError(domain_id)

    def counts_by_domain(self) -> dict[str, int]:
        counts = {d.id: 0 for d in self.domains}
        for q in self.questions:
            counts[q.domain] = counts.get(q.domain, 0) + 1
        return counts


@dataclass(frozen=True, slots=True)
class InstalledBank:
    """A bank as the database holds it: metadata plus live question counts per domain."""

    certification: Certification
    domains: tuple[Domain, ...]
    formats: tuple[ExamFormat, ...]
    counts: dict[str, int]
    version: str
    content_hash: str
    source: str
    case_studies: tuple[CaseStudy, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class QuestionReport:
    """A learner's report that a question is wrong or unclear."""

    question_id: str
    cert_id: str
    bank_version: str
    bank_hash: str
    profile: str
    created_at: datetime
    text: str
    current: bool  # False once the question has changed since the report (it may be fixed)
