from __future__ import annotations

from dataclasses import replace
from datetime import date

from quizengine.banks import validate_paths
from quizengine.banks.hygiene import check
from quizengine.domain.model import Bank, Certification, CertStatus, Domain, Option, Question, QuestionType
from tests.conftest import REPO

CERT = Certification(
    id="c",
    name="C",
    vendor="V",
    exam_code="C-01",
    status=CertStatus.ACTIVE,
    status_date=date(2026, 1, 1),
    exam_guide_version="1",
    sources=("https://docs.example.com",),
    last_verified=date(2026, 11, 24),
    doc_domains=("docs.example.com",),
)


def q(
    n: int, right: int = 0, domain: str = "a", stem: str | None = None, long_right: bool = False
) -> Question:
    options = tuple(
        Option(
            f"option {n}-{i}" + (" with much more detail" if long_right and i == right else ""),
            "why",
            i == right,
        )
        for i in range(4)
    )
    return Question(
        id=f"q{n}",
        cert_id="c",
        type=QuestionType.SINGLE,
        domain=domain,
        topics=("t",),
        difficulty=2,
        stem=stem or f"Distinct scenario number {n} about topic {n * 7} with constraint {n * 13}?",
        explanation="e",
        references=("https://docs.example.com/x",),
        verified=date(2026, 11, 24),
        guide_version="1",
        options=options,
    )


def bank(questions: list[Question], domains: tuple[Domain, ...] = (Domain("a", "A", 100),)) -> Bank:
    return Bank(CERT, domains, (), tuple(questions), files=("bank.yaml",))


def messages(b: Bank) -> str:
    return " | ".join(p.message for p in check([b]))


def test_a_balanced_bank_is_clean() -> None:
    assert check([bank([q(n, right=n % 4) for n in range(12)])]) == []


def test_letter_bias() -> None:
    assert "A is the answer of 67%" in messages(bank([q(n, right=0 if n < 8 else 1) for n in range(12)]))


def test_right_answer_systematically_longest() -> None:
    assert "the right option is the longest in 100%" in messages(
        bank([q(n, right=n % 4, long_right=True) for n in range(12)])
    )


def test_all_of_the_above_and_select_n() -> None:
    questions = [q(n, right=n % 4) for n in range(12)]
    first = questions[0]
    questions[0] = replace(first, options=(*first.options[:3], Option("All of the above", "why")))
    multi = replace(
        questions[1],
        type=QuestionType.MULTIPLE,
        select=2,
        options=tuple(replace(o, correct=i in (1, 2)) for i, o in enumerate(questions[1].options)),
    )
    questions[1] = multi
    text = messages(bank(questions))
    assert "'all/none of the above'" in text
    assert "does not say 'Select TWO.'" in text


def test_near_duplicate_stems_across_banks() -> None:
    stem = "A retail company trains a demand model nightly and must serve features with low latency online."
    one = bank([q(1, stem=stem)] + [q(n, right=n % 4) for n in range(2, 12)])
    two = replace(
        one, certification=replace(CERT, id="d"), questions=(replace(q(99), stem=stem + " Which?"),)
    )
    assert any("near-duplicate" in p.message for p in check([one, two]))


def test_reference_outside_the_doc_domains() -> None:
    questions = [q(n, right=n % 4) for n in range(12)]
    questions[3] = replace(questions[3], references=("https://someblog.example.org/post",))
    assert "cites someblog.example.org" in messages(bank(questions))


def test_blueprint_fit() -> None:
    domains = (Domain("a", "A", 50), Domain("b", "B", 50))
    questions = [q(n, right=n % 4, domain="a" if n < 9 else "b") for n in range(12)]
    assert "domain `a` has 75.0 % of the questions" in messages(bank(questions, domains))


def test_shipped_banks_pass_strict() -> None:
    banks, problems = validate_paths([REPO / "question_banks"])
    assert problems == []
    strict = check(banks)
    assert strict == [], "\n".join(map(str, strict))


def multi(n: int, keys: tuple[int, int]) -> Question:
    options = tuple(Option(f"choice {n}-{i}", "why", i in keys) for i in range(5))
    return replace(q(n), id=f"m{n}", type=QuestionType.MULTIPLE, options=options, select=2,
                   stem=f"Which two of these {n} things? Select TWO.")  # fmt: skip


def test_multiple_response_keys_may_not_always_sit_at_the_same_positions() -> None:
    patterned = bank([q(n, right=n % 4) for n in range(8)] + [multi(n, (0, 1)) for n in range(10, 20)])
    assert any("option A is a key of 100%" in p.message for p in check([patterned]))
    pairs = [(0, 1), (2, 3), (1, 4), (0, 3), (2, 4), (1, 3), (0, 2), (3, 4), (1, 2), (0, 4)]
    spread = bank([q(n, right=n % 4) for n in range(8)] + [multi(10 + i, p) for i, p in enumerate(pairs)])
    assert not [p for p in check([spread]) if "multiple-response" in p.message]
