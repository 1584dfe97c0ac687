"""Checking an answer and turning it, with the learner's confidence, into an SM-2 quality.

The mapping (documented in the README, "How grading works"):

| answer                          | quality |
|---------------------------------|---------|
| "no idea" (0 or ?)              | 0       |
| wrong                           | 1       |
| right, marked unsure (u)        | 3       |
| right (Enter)                   | 4       |
| right, marked easy (k)          | 5       |

Confidence is one optional key press: Enter submits with the default confidence.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from quizengine.domain.model import Question, QuestionType


class Confidence(StrEnum):
    NO_IDEA = "no_idea"
    UNSURE = "unsure"
    NORMAL = "normal"
    EASY = "easy"


QUALITY_NO_IDEA = 0
QUALITY_WRONG = 1
QUALITY_RIGHT = {Confidence.UNSURE: 3, Confidence.NORMAL: 4, Confidence.EASY: 5}


def quality(correct: bool, confidence: Confidence) -> int:
    if confidence is Confidence.NO_IDEA:
        return QUALITY_NO_IDEA
    if not correct:
        return QUALITY_WRONG
    return QUALITY_RIGHT[confidence]


def is_correct(question: Question, choices: Sequence[int]) -> bool:
    """Whether ``choices`` answers ``question`` exactly; no partial credit.

    - single / multiple: the indices of the chosen options (any order);
    - ordering: step indices (positions in the authored, correct order) in the learner's order;
    - matching: for each prompt in order, the index into ``question.answer_choices`` chosen for it.
    """
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return len(choices) == len(set(choices)) and set(choices) == question.correct_options
    if question.type is QuestionType.ORDERING:
        return list(choices) == list(range(len(question.steps)))
    return list(choices) == list(range(len(question.pairs)))


def correct_choices(question: Question) -> tuple[int, ...]:
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return tuple(sorted(question.correct_options))
    if question.type is QuestionType.ORDERING:
        return tuple(range(len(question.steps)))
    return tuple(range(len(question.pairs)))


@dataclass(frozen=True, slots=True)
class Presentation:
    """How a question is shown: ``order[k]`` is the authored index shown at display position k.

    Options of single/multiple questions keep their authored order (A is A in reports and bank
    feedback); ordering steps and matching answers are shuffled, or the answer would be on screen.
    """

    order: tuple[int, ...]

    def to_authored(self, display_index: int) -> int:
        return self.order[display_index]

    def to_display(self, authored_index: int) -> int:
        return self.order.index(authored_index)


def present(question: Question, rng: random.Random) -> Presentation:
    if question.type is QuestionType.ORDERING:
        n = len(question.steps)
    elif question.type is QuestionType.MATCHING:
        n = len(question.answer_choices)
    else:
        return Presentation(tuple(range(len(question.options))))
    order = list(range(n))
    if n > 1:
        while order == sorted(order):  # never show the answer in its solved order
            rng.shuffle(order)
    return Presentation(tuple(order))
