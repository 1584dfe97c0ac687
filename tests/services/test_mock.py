from __future__ import annotations

from datetime import timedelta

import pytest

from quizengine.domain.cards import ReviewKind
from quizengine.domain.grading import correct_choices
from quizengine.domain.mock import MockMode
from quizengine.services.app import AppServices
from quizengine.services.mock import MockError
from tests.conftest import FakeClock


def test_a_mock_from_start_to_result(services: AppServices, clock: FakeClock) -> None:
    run = services.mock.start("sample-cert", seed=11)
    state = run.state
    assert len(state.items) == 4  # the sample bank has 4 questions; the format asks for 10
    assert state.clock.deadline == clock() + timedelta(minutes=20)
    right = run.view(0)
    clock.advance(seconds=40)
    run.answer(correct_choices(right.question))
    run.go(1)
    clock.advance(seconds=30)
    run.toggle_flag()
    run.go(2)
    wrong_view = run.view(2)
    run.answer([9] if wrong_view.question.type.value != "matching" else [1, 0])
    assert state.counts() == (2, 2, 1)
    result = run.submit()
    assert (result.scored, result.correct) == (4, 1)
    assert result.passed is False
    assert result.scaled == 325  # 100 + 900 * 1/4
    assert state.items[0].seconds == pytest.approx(40)
    # missed and flagged questions are due today; the one answered right and not flagged is not
    today = services.study.today()
    due_ids = {
        c.question_id for c in services.store.due_cards(services.study.profile_id, ["sample-cert"], today, 99)
    }
    assert due_ids == {i.question_id for i in state.items[1:]}
    kinds = {r.kind for r in services.store.reviews(services.study.profile_id)}
    assert kinds == {ReviewKind.MOCK}
    (history,) = services.mock.history("sample-cert")
    assert history.result is not None
    assert history.result["minutes_used"] == pytest.approx(70 / 60, abs=0.1)


def test_resume_keeps_position_answers_and_the_clock(services: AppServices, clock: FakeClock) -> None:
    run = services.mock.start("sample-cert", seed=3)
    view = run.view(0)
    run.answer(correct_choices(view.question))
    run.go(2)
    run.toggle_flag()
    clock.advance(minutes=7)  # the process died here; time keeps running
    again = services.mock.resume()
    assert again is not None
    assert again.state.position == 2
    assert again.state.items[0].choices == tuple(correct_choices(view.question))
    assert again.state.items[2].flagged
    assert again.remaining() == timedelta(minutes=13)
    assert again.view(0).presentation == run.view(0).presentation  # same shuffles after resume


def test_an_expired_mock_is_submitted_on_resume(services: AppServices, clock: FakeClock) -> None:
    run = services.mock.start("sample-cert", seed=3)
    run.answer(correct_choices(run.view(0).question))
    clock.advance(hours=3)
    again = services.mock.resume()
    assert again is not None
    assert again.submitted
    assert again.outcome is not None
    assert again.outcome.correct == 1
    assert services.mock.resume() is None


def test_one_open_mock_at_a_time_and_clear_errors(services: AppServices) -> None:
    services.mock.start("sample-cert")
    with pytest.raises(MockError, match="still open"):
        services.mock.start("sample-cert")
    services.mock.resume().submit()  # type: ignore[union-attr]
    with pytest.raises(MockError, match="no format `nope`"):
        services.mock.start("sample-cert", format_id="nope")
    with pytest.raises(MockError, match="no domain `nope`"):
        services.mock.start("sample-cert", only_domain="nope")
    with pytest.raises(MockError, match="no installed bank"):
        services.mock.start("nope")


def test_domain_mode_and_esl(services: AppServices, clock: FakeClock) -> None:
    run = services.mock.start("sample-cert", only_domain="beta", esl=True, mode=MockMode.PRACTICE)
    assert {run.questions[i.question_id].domain for i in run.state.items} == {"beta"}
    assert run.remaining() == timedelta(minutes=20)  # the sample format grants no ESL minutes


def test_a_practical_is_task_cards_with_a_time_box(services: AppServices, clock: FakeClock) -> None:
    with pytest.raises(MockError, match="practical"):
        services.mock.start("sample-cert", format_id="lab")
    run = services.mock.start_practical("sample-cert")
    assert run.remaining() == timedelta(minutes=60)
    assert [c[1] for c in run.criteria()] == [
        "The thing is built.",
        "The thing works.",
        "The thing is shipped.",
    ]
    run.toggle(0)
    run.toggle(2)
    run.toggle(2)
    clock.advance(minutes=30)
    again = services.mock.resume()  # a crash here loses nothing
    assert again is not None
    assert [met for *_, met in again.criteria()] == [True, False, False]
    again.toggle(1)
    again.toggle(2)
    result = again.submit()
    assert (result.met, result.total, result.passed) == (3, 3, True)
    (stored,) = services.mock.history("sample-cert")
    assert stored.result is not None
    assert stored.result["tasks"] == {"build": [2, 2], "ship": [1, 1]}
    assert stored.result["minutes_used"] == 30.0


def test_a_practical_submits_itself_when_the_time_box_ends(services: AppServices, clock: FakeClock) -> None:
    run = services.mock.start_practical("sample-cert", "lab")
    run.toggle(0)
    clock.advance(hours=2)
    again = services.mock.resume()
    assert again is not None
    assert again.submitted
    assert again.outcome is not None
    assert (again.outcome.met, again.outcome.passed) == (1, False)


def test_a_long_practical_does_not_block_timed_mocks(services: AppServices, clock: FakeClock) -> None:
    practical = services.mock.start_practical("sample-cert")
    timed = services.mock.start("sample-cert")  # allowed while the practical runs
    resumed = services.mock.resume()
    assert resumed is not None
    assert resumed.state.id == timed.state.id  # the timed exam comes back first: its clock matters more
    timed.submit()
    resumed = services.mock.resume()
    assert resumed is not None
    assert resumed.state.id == practical.state.id
    with pytest.raises(MockError, match="practical is still open"):
        services.mock.start_practical("sample-cert")
