from __future__ import annotations

from datetime import timedelta
from typing import Any

from quizengine.domain.grading import correct_choices
from quizengine.domain.mock import MockMode
from quizengine.services.app import AppServices
from quizengine.tui.app import QuizApp
from quizengine.tui.screens.exam import ExamScreen
from quizengine.tui.screens.exam_dialogs import ConfirmSubmitScreen, ReviewListScreen
from quizengine.tui.screens.home import HomeScreen
from quizengine.tui.screens.results import ResultsScreen
from tests.conftest import FakeClock

SIZE = (80, 24)


def right_keys(screen: ExamScreen) -> list[str]:
    view = screen.run.view()
    q, order = view.question, view.presentation.order
    return [
        "abcdefghi"[order.index(c)] if q.type.value in ("ordering", "matching") else str(c + 1)
        for c in correct_choices(q)
    ]


async def test_exam_flow_navigator_flags_review_and_submit(services: AppServices, clock: FakeClock) -> None:
    run = services.mock.start("sample-cert", seed=1)
    app = QuizApp(services, mock=lambda: run)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        await pilot.press(*right_keys(screen))
        assert run.state.items[0].answered  # saved as given, no submit key needed
        await pilot.press("m", "right")
        assert run.state.items[0].flagged
        assert run.state.position == 1
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ReviewListScreen)
        await pilot.press("m")  # marked only: question 1
        await pilot.pause()
        assert app.screen.query_one("#review-list").option_count == 1
        await pilot.press("u")  # unanswered: questions 2-4
        await pilot.pause()
        assert app.screen.query_one("#review-list").option_count == 3
        await pilot.press("down", "enter")  # jump to question 3
        await pilot.pause()
        assert app.screen is screen
        assert run.state.position == 2
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSubmitScreen)
        assert app.screen.counts == (1, 3, 1)
        await pilot.press("escape")  # back to the exam
        await pilot.pause()
        assert app.screen is screen
        assert not run.submitted
        await pilot.press("s", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert app.screen.result.correct == 1
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.query_one("#results-list").option_count == 4
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_time_runs_out_and_the_exam_submits_itself(services: AppServices, clock: FakeClock) -> None:
    run = services.mock.start("sample-cert", seed=1)
    app = QuizApp(services, mock=lambda: run)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        await pilot.press(*right_keys(screen))
        clock.advance(minutes=19, seconds=59)
        screen.tick()
        assert not run.submitted
        assert "0:00:01 left" in str(screen.query_one("#exam-header").render())
        clock.advance(seconds=1)
        screen.tick()
        await pilot.pause()
        assert run.submitted
        assert isinstance(app.screen, ResultsScreen)
        assert app.screen.result.correct == 1


async def test_exam_mode_gives_no_feedback_and_never_pauses(services: AppServices, clock: FakeClock) -> None:
    run = services.mock.start("sample-cert", seed=1)
    app = QuizApp(services, mock=lambda: run)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        await pilot.press(*right_keys(screen), "enter")  # Enter moves on; nothing is revealed
        assert run.state.position == 1
        assert not screen.query_one("#feedback").display
        await pilot.press("z")
        assert screen.paused_at is None
        await pilot.press("t")
        assert "timer hidden" in str(screen.query_one("#exam-header").render())


async def test_practice_mode_checks_answers_and_pauses(services: AppServices, clock: FakeClock) -> None:
    run = services.mock.start("sample-cert", seed=1, mode=MockMode.PRACTICE)
    app = QuizApp(services, mock=lambda: run)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        await pilot.press(*right_keys(screen), "enter")
        await pilot.pause()
        assert screen.query_one("#feedback").display
        before = run.state.clock.deadline
        await pilot.press("z")
        clock.advance(minutes=10)
        await pilot.press("z")
        assert run.state.clock.deadline == before + timedelta(minutes=10)
        assert services.store.mock(run.state.id or 0).clock.deadline == run.state.clock.deadline


def test_exam_screen_snapshot(services: AppServices, snap_compare: Any) -> None:
    run = services.mock.start("sample-cert", seed=1)

    async def mark(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press("1", "m", "right")
        await pilot.pause()

    assert snap_compare(QuizApp(services, mock=lambda: run), terminal_size=SIZE, run_before=mark)


def test_review_screen_snapshot(services: AppServices, snap_compare: Any) -> None:
    run = services.mock.start("sample-cert", seed=1)

    async def review(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press("1", "m", "v")
        await pilot.pause()

    assert snap_compare(QuizApp(services, mock=lambda: run), terminal_size=SIZE, run_before=review)


def test_results_screen_snapshot(services: AppServices, snap_compare: Any) -> None:
    run = services.mock.start("sample-cert", seed=1)

    async def finish(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press("1", "right", "1", "s", "enter")
        await pilot.pause()

    assert snap_compare(QuizApp(services, mock=lambda: run), terminal_size=(100, 30), run_before=finish)


async def test_practical_screen_checks_criteria_off(services: AppServices, clock: FakeClock) -> None:
    from quizengine.tui.screens.practical import PracticalScreen

    run = services.mock.start_practical("sample-cert")
    app = QuizApp(services, mock=lambda: run)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PracticalScreen)
        await pilot.press("space", "down", "space")
        await pilot.pause()
        assert [met for *_, met in run.criteria()] == [True, True, False]
        await pilot.press("s")
        await pilot.pause()
        assert run.outcome is not None
        assert run.outcome.met == 2
        assert isinstance(app.screen, HomeScreen)


async def test_leaving_a_section_asks_first_and_then_locks_it(db_path: Any, clock: FakeClock) -> None:
    from quizengine.config import Settings
    from quizengine.services.banks import sync_banks
    from quizengine.tui.screens.exam_dialogs import ConfirmScreen
    from tests.conftest import VALID_BANKS

    app_services = AppServices.open(
        Settings(db=str(db_path), profile="p", timezone="UTC"), clock=clock, sync=False
    )
    sync_banks(app_services.store, [VALID_BANKS.parent / "sections"], clock())
    run = app_services.mock.start("ms-sample", seed=1)
    run.go(7)
    app = QuizApp(app_services, mock=lambda: run)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        await pilot.press("right")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert run.state.position == 7
        await pilot.press("right", "y")
        await pilot.pause()
        assert run.state.position == 8
        assert "Case study: Contoso" in str(screen.query_one("#stem").render())
        await pilot.press("left")  # closed now
        await pilot.pause()
        assert run.state.position == 8


async def test_home_screen_starts_a_mock_with_a_chosen_mode(services: AppServices, clock: FakeClock) -> None:
    from quizengine.tui.screens.mock_options import MockOptionsScreen

    app = QuizApp(services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MockOptionsScreen)
        labels = [label for label, _ in app.screen.options]
        assert labels[:2] == ["Sample exam: exam mode", "Sample exam: practice mode (feedback, may pause)"]
        assert "Sample lab: task cards, 60 min" in labels
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert app.screen.run.state.mode is MockMode.PRACTICE
        await pilot.press("escape")  # no escape from an exam: still there
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
    # the home screen offers to resume it next time
    assert services.study.home().open_mock == "SMP-01"
