"""The readiness rules: priors, expected score, band, mock blend, verdict, pace and the deadline rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizengine.domain import readiness as rd
from quizengine.domain.model import Domain, ExamFormat, FormatKind, Option, Question, QuestionType, Scoring

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
FMT = ExamFormat(
    id="exam",
    name="exam",
    kind=FormatKind.TIMED,
    minutes=130,
    source="https://docs.example.com",
    verified=date(2026, 11, 24),
    items=65,
    unscored_items=15,
    scoring=Scoring("scaled", (100, 1000), 720),
)
DOMAINS = (Domain("a", "Alpha", 60), Domain("b", "Beta", 40))


def question(
    qid: str, domain: str = "a", options: int = 4, qtype: QuestionType = QuestionType.SINGLE
) -> Question:
    opts = tuple(Option(f"o{i}", "why", correct=i == 0) for i in range(options))
    return Question(
        id=qid,
        cert_id="c",
        type=qtype,
        domain=domain,
        topics=(f"topic-{domain}",),
        difficulty=2,
        stem="stem",
        explanation="e",
        references=("https://docs.example.com",),
        verified=date(2026, 11, 24),
        guide_version="1",
        options=opts,
        select=2 if qtype is QuestionType.MULTIPLE else 1,
    )


def seen(q: Question, recall: float, *answers: bool) -> rd.QuestionRecall:
    log = tuple(rd.Answer(NOW - timedelta(days=len(answers) - i), ok) for i, ok in enumerate(answers))
    return rd.QuestionRecall(q, rd.History.of(log), recall, recall)


def unseen(q: Question) -> rd.QuestionRecall:
    return rd.QuestionRecall(q, rd.History(), None, None)


def test_guess_rates_follow_the_item_type() -> None:
    assert rd.guess_rate(question("s")) == pytest.approx(1 / 4)
    assert rd.guess_rate(question("m", options=5, qtype=QuestionType.MULTIPLE)) == pytest.approx(1 / 10)


def test_the_prior_shrinks_first_try_accuracy_toward_the_guess_rate() -> None:
    assert rd.prior(0, 0, 0.25) == pytest.approx(0.25)  # no history: the guessing rate
    assert rd.prior(8, 10, 0.25) == pytest.approx((8 + 2 * 0.25) / 12)


def test_the_aws_pass_mark_is_read_on_a_straight_line() -> None:
    frac, note = rd.pass_fraction(FMT)
    assert frac == pytest.approx(620 / 900)
    assert "720" in note


def test_expected_score_is_the_weighted_mean_of_predicted_recall() -> None:
    recalls = [seen(question("a1"), 0.9, True), seen(question("b1", "b"), 0.5, True)]
    r = rd.assess(DOMAINS, recalls, [], FMT, NOW)
    assert r.expected == pytest.approx(0.6 * 0.9 + 0.4 * 0.5)
    assert r.band[0] < r.expected < r.band[1]
    assert r.blended == r.expected
    assert any("blended = expected" in line for line in r.formula)


def test_unseen_questions_use_the_domains_first_try_prior() -> None:
    recalls = [seen(question("a1"), 1.0, True), unseen(question("a2")), unseen(question("b1", "b"))]
    r = rd.assess(DOMAINS, recalls, [], FMT, NOW)
    alpha, beta = r.domains
    assert alpha.predicted_recall == pytest.approx((1.0 + rd.prior(1, 1, 0.25)) / 2)
    assert beta.predicted_recall == pytest.approx(0.25)  # no history in Beta: the guessing rate
    assert (alpha.coverage, beta.coverage) == (0.5, 0.0)


def test_recent_mocks_are_blended_by_the_shown_formula() -> None:
    recalls = [seen(question("a1"), 0.9, True), seen(question("b1", "b"), 0.9, True)]
    mocks = [
        rd.MockScore(NOW - timedelta(days=40), 0.1, None, False, 100),  # too old: ignored
        rd.MockScore(NOW - timedelta(days=2), 0.6, None, False, 100),
    ]
    r = rd.assess(DOMAINS, recalls, mocks, FMT, NOW)
    assert r.mocks_used == 1
    assert r.blended == pytest.approx(rd.MODEL_SHARE * 0.9 + (1 - rd.MODEL_SHARE) * 0.6)
    assert any(line.startswith("blended = 0.6 x 90.0% + 0.4 x 60.0%") for line in r.formula)


def test_a_strong_learner_is_ready_and_a_weak_domain_blocks_the_verdict() -> None:
    strong = [seen(question(f"a{i}"), 0.97, True) for i in range(5)]
    strong += [seen(question(f"b{i}", "b"), 0.97, True) for i in range(5)]
    r = rd.assess(DOMAINS, strong, [], FMT, NOW)
    assert (r.verdict, r.readiness) == ("ready", 100)
    lopsided = [seen(question(f"a{i}"), 1.0, True) for i in range(5)]
    lopsided += [seen(question(f"b{i}", "b"), 0.45, False) for i in range(5)]
    r = rd.assess(DOMAINS, lopsided, [], FMT, NOW)
    assert r.verdict != "ready"
    assert any("Beta" in reason for reason in r.reasons)


def test_weak_topics_rank_by_exam_weight_times_gap() -> None:
    recalls = [seen(question("a1"), 0.5, False, True), seen(question("b1", "b"), 0.4, False)]
    r = rd.assess(DOMAINS, recalls, [], FMT, NOW)
    first, second = r.weak_topics
    assert (first.topic, first.priority) == ("topic-a", pytest.approx(0.6 * 0.5))
    assert (second.topic, second.priority) == ("topic-b", pytest.approx(0.4 * 0.6))
    assert first.reviews == 2
    assert first.accuracy is not None
    assert 0.5 < first.accuracy < 1  # the recent right answer weighs more than the older wrong one


@given(st.lists(st.floats(0, 1), min_size=1, max_size=12), st.integers(0, 11), st.floats(0, 1))
def test_readiness_never_falls_when_a_prediction_rises(recalls: list[float], which: int, rise: float) -> None:
    qs = [question(f"q{i}", "a" if i % 2 else "b") for i in range(len(recalls))]
    before = [seen(q, p, True) for q, p in zip(qs, recalls, strict=True)]
    i = which % len(recalls)
    after = list(before)
    after[i] = seen(qs[i], min(1.0, recalls[i] + rise), True)
    r0, r1 = rd.assess(DOMAINS, before, [], FMT, NOW), rd.assess(DOMAINS, after, [], FMT, NOW)
    assert r1.expected >= r0.expected - 1e-12
    assert r1.blended >= r0.blended - 1e-12


def test_pace_spreads_the_unseen_questions_over_the_days_before_the_final_review_days() -> None:
    today = date(2026, 11, 24)
    p = rd.pace(today + timedelta(days=23), today, unseen=200, new_recent=70)
    assert p.new_per_day_needed == 10  # 200 over 23 - 3 days
    assert p.on_track  # 10 a day over the last 7 days
    behind = rd.pace(today + timedelta(days=23), today, unseen=200, new_recent=14)
    assert not behind.on_track
    assert "behind" in behind.note


@pytest.mark.parametrize(
    ("due_in", "exam_in", "expected_in"),
    [
        (5, 30, 5),  # well before the exam: unchanged
        (30, 30, 29),  # on the exam day: the day before
        (90, 30, 29),  # after the exam: the day before
        (6, 1, 1),  # the exam is tomorrow: never before tomorrow, never after the exam
        (40, -3, 40),  # the exam is over: SM-2 as usual
    ],
)
def test_the_deadline_rule(due_in: int, exam_in: int, expected_in: int) -> None:
    today = date(2026, 11, 24)
    d = timedelta
    assert rd.due_before_exam(today + d(days=due_in), today + d(days=exam_in), today) == today + d(
        days=expected_in
    )


def test_a_review_moved_before_the_exam_replays_to_the_same_card() -> None:
    """The card store and a replay of the log agree even when the deadline rule moved the due date."""
    from quizengine.domain.cards import CardState, grade, replay

    today = date(2026, 11, 24)
    card = CardState("q")
    log = []
    for day in (0, 1):  # intervals 1, then 6: the second would land after an exam 4 days out
        review = grade(
            card,
            quality=5,
            correct=True,
            choices=(0,),
            answered_at=NOW + timedelta(days=day),
            today=today + timedelta(days=day),
            response_ms=1000,
            deadline=today + timedelta(days=4),
        )
        log.append(review)
        card = review.after
    assert card.due == today + timedelta(days=3)  # the day before the exam, not day 7
    assert replay("q", log) == card


@given(
    st.lists(st.tuples(st.floats(0, 400), st.booleans()), min_size=1, max_size=30),
    st.floats(0, 100),
)
def test_a_history_summary_weighs_answers_exactly_like_the_answers_themselves(
    answers: list[tuple[float, bool]], later: float
) -> None:
    """The kept summary (one answer at a time, in any order) gives the recency-weighted accuracy and first
    try that the whole list of answers gives."""
    start = NOW - timedelta(days=500)
    log = [rd.Answer(start + timedelta(days=d), ok) for d, ok in answers]
    history = rd.History.of(log)
    now = max(a.answered_at for a in log) + timedelta(days=later)
    weights = [rd.recency_weight(a.answered_at, now) for a in log]
    total, right = history.at(now)
    assert total == pytest.approx(sum(weights), rel=1e-9)
    assert right == pytest.approx(
        sum(w for w, a in zip(weights, log, strict=True) if a.correct), rel=1e-9, abs=1e-12
    )
    assert history.reviews == len(log)
    earliest = min(a.answered_at for a in log)
    assert history.first_us == rd.micros(earliest)
    assert history.first_correct in {a.correct for a in log if a.answered_at == earliest}
