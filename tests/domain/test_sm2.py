from __future__ import annotations

import math

import pytest
import supermemo2
from hypothesis import given
from hypothesis import strategies as st

from quizengine.domain.sm2 import Sm2State, needs_redrill, review

VECTORS = [
    ([4, 4, 4, 4, 4, 4], [1, 6, 15, 38, 95, 238], [2.50] * 6),
    (
        [3] * 10,
        [1, 6, 14, 30, 59, 107, 178, 271, 374, 487],
        [2.36, 2.22, 2.08, 1.94, 1.80, 1.66, 1.52, 1.38, 1.30, 1.30],
    ),
    ([4, 4, 4, 2, 4, 4, 4], [1, 6, 15, 1, 1, 6, 14], [2.50, 2.50, 2.50, 2.18, 2.18, 2.18, 2.18]),
    ([1, 4, 4, 4], [1, 1, 6, 12], [1.96] * 4),
]


@pytest.mark.parametrize(("grades", "intervals", "efs"), VECTORS)
def test_public_vectors(grades: list[int], intervals: list[int], efs: list[float]) -> None:
    state = Sm2State()
    got_intervals, got_efs = [], []
    for q in grades:
        state = review(state, q)
        got_intervals.append(state.interval)
        got_efs.append(state.easiness)
    assert got_intervals == intervals
    assert got_efs == efs


def test_new_item() -> None:
    state = Sm2State()
    assert (state.repetitions, state.easiness, state.interval) == (0, 2.5, 0)
    assert state.is_new


@pytest.mark.parametrize("q", [-1, 6, 10, 2.5, True, "4", None])
def test_quality_outside_0_to_5_is_an_error(q: object) -> None:
    with pytest.raises(ValueError, match="quality"):
        review(Sm2State(), q)  # type: ignore[arg-type]


def test_review_does_not_change_its_input() -> None:
    state = Sm2State()
    review(state, 5)
    assert state == Sm2State()


def test_failure_resets_repetitions_and_interval() -> None:
    state = review(review(review(Sm2State(), 5), 5), 5)
    failed = review(state, 0)
    assert (failed.repetitions, failed.interval) == (0, 1)
    assert failed.easiness == round(state.easiness - 0.80, 2)


def test_redrill_below_four() -> None:
    assert [needs_redrill(q) for q in range(6)] == [True, True, True, True, False, False]


grades = st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=40)


@given(grades)
def test_invariants(seq: list[int]) -> None:
    state = Sm2State()
    for q in seq:
        before = state
        state = review(state, q)
        assert state.easiness >= 1.3
        assert state.interval >= 1
        assert state.ef_hundredths == round(state.easiness * 100)
        if q < 3:
            assert (state.repetitions, state.interval) == (0, 1)
        else:
            assert state.repetitions == before.repetitions + 1
            # intervals never shrink while the learner keeps passing
            assert state.interval >= before.interval


@given(grades)
def test_ef_is_whole_hundredths_and_matches_the_formula(seq: list[int]) -> None:
    state = Sm2State()
    ef = 2.5
    for q in seq:
        state = review(state, q)
        ef = max(1.3, ef + (0.1 - (5 - q) * (0.08 + (5 - q) * 0.02)))
        assert math.isclose(state.easiness, ef, abs_tol=1e-6) or state.easiness == 1.3


@given(grades)
def test_cross_check_against_supermemo2(seq: list[int]) -> None:
    """Step by step, from the same state, supermemo2 follows the same rules.

    supermemo2 keeps EF as a float, so each step is fed our exact two-decimal EF; even then a float
    like 1.3 is not exact in binary, and where I(n-1) x EF is a whole number its ceiling can come out
    one day too long (10 x 1.3 = 13.000000000000002 -> 14). That case, and only that one, may differ.
    """
    state = Sm2State()
    for q in seq:
        out = supermemo2.review(q, state.easiness, state.interval, state.repetitions, "2026-01-01")
        new = review(state, q)
        assert new.repetitions == out["repetitions"]
        assert math.isclose(new.easiness, max(1.3, out["easiness"]), abs_tol=1e-9)
        exact_product = state.interval * state.ef_hundredths % 100 == 0 and new.repetitions > 2
        if exact_product:
            assert out["interval"] in (new.interval, new.interval + 1)
        else:
            assert new.interval == out["interval"]
        state = new


def test_supermemo2_drifts_after_five_fives_and_we_do_not() -> None:
    """EF 3.0 held as 3.0000000000000004 makes supermemo2 schedule 421 days where 140 x 3.0 = 420."""
    state = Sm2State()
    easiness, interval, repetitions = 2.5, 0, 0
    exact, floaty = [], []
    for _ in range(6):
        state = review(state, 5)
        out = supermemo2.review(5, easiness, interval, repetitions, "2026-01-01")
        easiness, interval, repetitions = out["easiness"], out["interval"], out["repetitions"]
        exact.append(state.interval)
        floaty.append(interval)
    assert exact == [1, 6, 17, 48, 140, 420]
    assert floaty == [1, 6, 17, 48, 140, 421]
    assert state.ef_hundredths == 310
