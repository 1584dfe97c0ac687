"""What a key (or click) on a choice does to the learner's picks, shared by study and exam screens.

Picks are display indices; ``to_choices`` turns them into the authored indices the domain grades.
"""

from __future__ import annotations

from quizengine.domain.grading import Presentation
from quizengine.domain.model import Question, QuestionType


def choice_count(q: Question) -> int:
    if q.type is QuestionType.ORDERING:
        return len(q.steps)
    if q.type is QuestionType.MATCHING:
        return len(q.answer_choices)
    return len(q.options)


def pick(q: Question, picked: list[int], index: int) -> list[int]:
    """single: choose; multiple: toggle; ordering: append a step; matching: answer the next prompt."""
    if index >= choice_count(q):
        return picked
    if q.type is QuestionType.SINGLE:
        return [index]
    if q.type is QuestionType.MULTIPLE:
        return [p for p in picked if p != index] if index in picked else [*picked, index]
    if q.type is QuestionType.ORDERING:
        return picked if index in picked else [*picked, index]
    return [*picked, index] if len(picked) < len(q.pairs) else picked


def complete(q: Question, picked: list[int]) -> bool:
    if q.type is QuestionType.SINGLE:
        return len(picked) == 1
    if q.type is QuestionType.MULTIPLE:
        return len(picked) == q.select
    if q.type is QuestionType.ORDERING:
        return len(picked) == len(q.steps)
    return len(picked) == len(q.pairs)


def to_choices(q: Question, presentation: Presentation, picked: list[int]) -> list[int]:
    choices = [presentation.order[d] for d in picked]
    return sorted(choices) if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE) else choices


def to_picks(q: Question, presentation: Presentation, choices: tuple[int, ...] | None) -> list[int]:
    if not choices:
        return []
    return [presentation.to_display(c) for c in choices]
