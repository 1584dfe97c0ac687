from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizengine.domain.mock import (
    MEETS,
    NEEDS,
    ExamClock,
    assemble,
    largest_remainder,
    pass_fraction,
    scaled_estimate,
    score,
)
from quizengine.domain.model import (
    Domain,
    ExamFormat,
    FormatKind,
    Option,
    Question,
    QuestionType,
    Scoring,
)

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)
AWS = ExamFormat(
    id="exam",
    name="MLA",
    kind=FormatKind.TIMED,
    minutes=130,
    source="https://docs.aws.amazon.com/x",
    verified=date(2026, 11, 24),
    items=65,
    unscored_items=15,
    extra_minutes_esl=30,
    item_types=(QuestionType.SINGLE, QuestionType.MULTIPLE),
    scoring=Scoring("scaled", (100, 1000), 720),
)
DOMAINS = (
    Domain("dp", "Data", 28),
    Domain("md", "Model", 26),
    Domain("dep", "Deploy", 22),
    Domain("mon", "Mon", 24),
)


def question(qid: str, domain: str, qtype: QuestionType = QuestionType.SINGLE) -> Question:
    if qtype is QuestionType.SINGLE:
        options = (Option("a", "w", True), Option("b", "w"), Option("c", "w"), Option("d", "w"))
        select = 1
    else:
        options = (
            Option("a", "w", True),
            Option("b", "w", True),
            Option("c", "w"),
            Option("d", "w"),
            Option("e", "w"),
        )
        select = 2
    return Question(
        id=qid,
        cert_id="c",
        type=qtype,
        domain=domain,
        topics=("t",),
        difficulty=2,
        stem="s",
        explanation="e",
        references=("https://docs.aws.amazon.com/x",),
        verified=date(2026, 11, 24),
        guide_version="1",
        options=options,
        select=select,
    )


POOL = [question(f"{d.id}-{i}", d.id) for d in DOMAINS for i in range(40)]


def test_largest_remainder_on_the_aws_blueprint() -> None:
    split = largest_remainder(65, {d.id: d.weight for d in DOMAINS})
    # quotas 18.2, 16.9, 14.3, 15.6 -> floors 18, 16, 14, 15 (63); the two largest remainders get one more
    assert split == {"dp": 18, "md": 17, "dep": 14, "mon": 16}


@given(st.integers(0, 200), st.dictionaries(st.sampled_from("abcdefg"), st.floats(0.5, 60), min_size=1))
def test_largest_remainder_properties(total: int, weights: dict[str, float]) -> None:
    split = largest_remainder(total, weights)
    assert sum(split.values()) == total
    s = sum(weights.values())
    for d, n in split.items():
        quota = total * weights[d] / s
        assert math.floor(quota) <= n <= math.floor(quota) + 1


def test_assembly_follows_the_blueprint_and_the_seed() -> None:
    a = assemble(POOL, AWS, DOMAINS, random.Random(5))
    b = assemble(POOL, AWS, DOMAINS, random.Random(5))
    assert a == b
    assert len(a.question_ids) == 65
    assert len(set(a.question_ids)) == 65
    counts = {d.id: sum(q.startswith(d.id + "-") for q in a.question_ids) for d in DOMAINS}
    assert counts == a.split
    assert a.unscored == frozenset()
    assert assemble(POOL, AWS, DOMAINS, random.Random(6)).question_ids != a.question_ids


def test_assembly_prefers_questions_not_seen_in_recent_mocks() -> None:
    first = assemble(POOL, AWS, DOMAINS, random.Random(1))
    second = assemble(POOL, AWS, DOMAINS, random.Random(2), recent=frozenset(first.question_ids))
    assert not set(first.question_ids) & set(second.question_ids)  # 160 questions: enough fresh ones


def test_strict_mode_hides_unscored_items_and_short_banks_are_topped_up() -> None:
    strict = assemble(POOL, AWS, DOMAINS, random.Random(3), strict=True)
    assert len(strict.unscored) == 15
    assert strict.unscored <= set(strict.question_ids)
    thin = [q for q in POOL if q.domain != "dep" or q.id in ("dep-0", "dep-1")]
    short = assemble(thin, AWS, DOMAINS, random.Random(3))
    assert len(short.question_ids) == 65
    assert short.shortfall == {"dep": 12}


def test_domain_mode_uses_one_domain() -> None:
    only = assemble(POOL, AWS, DOMAINS, random.Random(3), only_domain="md")
    assert len(only.question_ids) == 40
    assert all(q.startswith("md-") for q in only.question_ids)


def test_clock_is_a_deadline() -> None:
    clock = ExamClock.start(NOW, 130, 30)
    assert clock.deadline == NOW + timedelta(minutes=160)
    assert clock.remaining(NOW + timedelta(minutes=100)) == timedelta(minutes=60)
    assert clock.remaining(NOW + timedelta(days=2)) == timedelta(0)
    assert clock.expired(NOW + timedelta(minutes=160))
    used, budget = clock.pace(NOW + timedelta(minutes=40), answered=10, items=65)
    assert used == timedelta(minutes=40)
    assert budget == timedelta(minutes=160) * 10 / 65
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.remaining(datetime(2026, 1, 1))


def test_scoring_unanswered_is_wrong_no_partial_credit_unscored_ignored() -> None:
    qs = {
        q.id: q
        for q in [
            question("s1", "dp"),
            question("s2", "dp"),
            question("m1", "md", QuestionType.MULTIPLE),
            question("u1", "md"),
        ]
    }
    order = ["s1", "s2", "m1", "u1"]
    answers = {"s1": [0], "m1": [0], "u1": [1]}  # s2 unanswered; m1 only half right; u1 wrong but unscored
    result = score(
        AWS, qs, order, answers, {"s1": 30, "s2": 0, "m1": 90, "u1": 10}, unscored=frozenset({"u1"})
    )
    assert (result.scored, result.correct) == (3, 1)
    assert result.raw_percent == 33.3
    assert result.passed is False
    assert result.scaled == 400
    assert {r.domain: (r.scored, r.correct, r.seconds) for r in result.domains} == {
        "dp": (2, 1, 30),
        "md": (1, 0, 100),
    }
    assert result.bands == {"dp": NEEDS, "md": NEEDS}
    perfect = score(AWS, qs, order, {"s1": [0], "s2": [0], "m1": [1, 0], "u1": [0]}, {})
    assert (perfect.passed, perfect.scaled, perfect.bands["md"]) == (True, 1000, MEETS)


def test_scaled_estimate_keeps_the_pass_mark_in_place() -> None:
    cut = pass_fraction(AWS)
    assert cut == pytest.approx(620 / 900)
    assert scaled_estimate(cut, AWS) == 720
    google = ExamFormat(
        id="g",
        name="PMLE",
        kind=FormatKind.TIMED,
        minutes=120,
        source="https://cloud.google.com/x",
        verified=date(2026, 11, 24),
        items=55,
        item_types=(QuestionType.SINGLE,),
        scoring=Scoring("raw_percent", None, None),
    )
    assert scaled_estimate(0.8, google) is None
    assert pass_fraction(google) is None
    result = score(google, {"a": question("a", "dp")}, ["a"], {"a": [0]}, {})
    assert (result.passed, result.raw_percent, result.bands) == (None, 100.0, {})
