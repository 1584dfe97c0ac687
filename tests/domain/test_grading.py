from __future__ import annotations

import random
from datetime import date

import pytest

from quizengine.domain.grading import Confidence, correct_choices, is_correct, present, quality
from quizengine.domain.model import Option, Pair, Question, QuestionType, Step


def make(qtype: QuestionType, **body: object) -> Question:
    return Question(
        id="q1",
        cert_id="c",
        type=qtype,
        domain="d",
        topics=("t",),
        difficulty=2,
        stem="?",
        explanation="e",
        references=("https://docs.example.com",),
        verified=date(2026, 11, 24),
        guide_version="1",
        **body,  # type: ignore[arg-type]
    )


SINGLE = make(QuestionType.SINGLE, options=(Option("a", "w"), Option("b", "r", True), Option("c", "w")))
MULTI = make(
    QuestionType.MULTIPLE,
    select=2,
    options=(Option("a", "r", True), Option("b", "w"), Option("c", "r", True), Option("d", "w")),
)
ORDER = make(QuestionType.ORDERING, steps=(Step("one"), Step("two"), Step("three")))
MATCH = make(QuestionType.MATCHING, pairs=(Pair("p1", "a1"), Pair("p2", "a2")), extra_answers=("x",))


@pytest.mark.parametrize(
    ("correct", "confidence", "q"),
    [
        (True, Confidence.EASY, 5),
        (True, Confidence.NORMAL, 4),
        (True, Confidence.UNSURE, 3),
        (False, Confidence.NORMAL, 1),
        (False, Confidence.EASY, 1),
        (False, Confidence.UNSURE, 1),
        (False, Confidence.NO_IDEA, 0),
        (True, Confidence.NO_IDEA, 0),
    ],
)
def test_quality_mapping(correct: bool, confidence: Confidence, q: int) -> None:
    assert quality(correct, confidence) == q


def test_single() -> None:
    assert is_correct(SINGLE, [1])
    assert not is_correct(SINGLE, [0])
    assert not is_correct(SINGLE, [1, 0])
    assert not is_correct(SINGLE, [])


def test_multiple_has_no_partial_credit() -> None:
    assert is_correct(MULTI, [2, 0])
    assert not is_correct(MULTI, [0])
    assert not is_correct(MULTI, [0, 2, 1])
    assert not is_correct(MULTI, [0, 0])


def test_ordering_and_matching_need_everything_right() -> None:
    assert is_correct(ORDER, [0, 1, 2])
    assert not is_correct(ORDER, [0, 2, 1])
    assert is_correct(MATCH, [0, 1])
    assert not is_correct(MATCH, [0, 2])
    assert correct_choices(MULTI) == (0, 2)


def test_presentation_never_shows_the_solved_order() -> None:
    for seed in range(50):
        p = present(ORDER, random.Random(seed))
        assert sorted(p.order) == [0, 1, 2]
        assert list(p.order) != [0, 1, 2]
        assert p.to_authored(p.to_display(2)) == 2


def test_options_keep_their_authored_letters() -> None:
    assert present(SINGLE, random.Random(1)).order == (0, 1, 2)
