from __future__ import annotations

import gc
import random
from typing import Any

import pytest

from quizengine.domain.cards import ReviewKind
from quizengine.domain.model import QuestionType
from quizengine.services.app import AppServices
from quizengine.services.study import HomeView
from quizengine.tui.app import GC_THRESHOLDS, QuizApp
from quizengine.tui.screens.home import HomeScreen
from quizengine.tui.screens.pick_cert import PickCertScreen
from quizengine.tui.screens.study import StudyScreen
from quizengine.tui.screens.summary import SummaryScreen
from tests.conftest import FakeClock

SIZE = (80, 24)


def keys_for_right_answer(screen: StudyScreen) -> list[str]:
    assert screen.view is not None
    q, order = screen.view.question, screen.view.presentation.order
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return [str(i + 1) for i in sorted(q.correct_options)]
    # ordering: authored step k sits at display position order.index(k); matching likewise per prompt
    count = len(q.steps) if q.type is QuestionType.ORDERING else len(q.pairs)
    return ["abcdefghi"[order.index(k)] for k in range(count)]


async def test_study_a_whole_session_with_the_keyboard(services: AppServices, clock: FakeClock) -> None:
    services.study.rng = random.Random(3)
    app = QuizApp(services)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        answered = 0
        while isinstance(app.screen, StudyScreen):
            await pilot.press(*keys_for_right_answer(screen), "enter")
            await pilot.pause()
            assert screen.feedback is not None
            assert screen.feedback.correct
            answered += 1
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.summary.answered == answered == 4
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.view.studying[0].new_today == 0
    reviews = services.store.reviews(services.study.profile_id)
    assert len(reviews) == 4
    assert all(r.correct and r.kind is ReviewKind.NEW for r in reviews)


async def test_select_two_needs_two_and_wrong_answers_come_back(services: AppServices) -> None:
    services.study.rng = random.Random(3)
    app = QuizApp(services, start_study=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        # first question is single-answer: B (Green) is wrong
        await pilot.press("b", "enter")
        await pilot.pause()
        assert screen.feedback is not None
        assert not screen.feedback.correct
        assert screen.feedback.comes_back
        wrong_id = screen.feedback.view.question.id
        await pilot.press("n")
        await pilot.pause()
        while screen.view is not None and screen.view.question.type is not QuestionType.MULTIPLE:
            await pilot.press(*keys_for_right_answer(screen), "enter", "enter")
            await pilot.pause()
        assert screen.view is not None
        await pilot.press("1", "enter")  # only one of two chosen: not submitted
        await pilot.pause()
        assert screen.feedback is None
        await pilot.press("3", "k")  # second choice, answered as "knew it"
        await pilot.pause()
        assert screen.feedback is not None
        assert screen.feedback.quality == 5
        queue = [item.question_id for item in screen.run.session.queue]
        assert wrong_id in queue


async def test_no_idea_and_end_session(services: AppServices) -> None:
    app = QuizApp(services, start_study=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert screen.feedback is not None
        assert screen.feedback.quality == 0
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.summary.answered == 1


async def test_add_and_drop_certifications_from_home(services: AppServices) -> None:
    services.study.drop_cert("sample-cert")
    app = QuizApp(services)
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.view.studying == []
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PickCertScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert [c.certification.id for c in app.screen.view.studying] == ["sample-cert"]
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.view.studying == []
    assert services.study.studying() == []


async def test_mouse_clicks_choose_and_answer(services: AppServices) -> None:
    app = QuizApp(services, start_study=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        rows = list(screen.query(".choice"))
        assert len(rows) == 3
        await pilot.click(rows[0])
        await pilot.pause()
        assert screen.picked == [0]
        await pilot.click(rows[2])
        await pilot.pause()
        assert screen.picked == [2]


def test_question_screen_snapshot(services: AppServices, snap_compare: Any) -> None:
    services.study.rng = random.Random(0)
    assert snap_compare(QuizApp(services, start_study=True), terminal_size=SIZE)


def test_feedback_screen_snapshot(services: AppServices, snap_compare: Any) -> None:
    services.study.rng = random.Random(0)

    async def answer_wrong(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press("b", "enter")
        await pilot.pause()

    assert snap_compare(QuizApp(services, start_study=True), terminal_size=SIZE, run_before=answer_wrong)


def test_home_screen_snapshot(services: AppServices, snap_compare: Any) -> None:
    assert snap_compare(QuizApp(services), terminal_size=(100, 24))


async def test_report_a_problem_from_the_feedback_screen(services: AppServices) -> None:
    from quizengine.tui.screens.report import ReportScreen

    app = QuizApp(services, start_study=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        await pilot.press("a", "enter", "r")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        await pilot.press(*"option B is also right", "enter")
        await pilot.pause()
        assert app.screen is screen
    (report,) = services.store.reports()
    assert (report.question_id, report.text, report.profile) == (
        "smp-alpha-001",
        "option B is also right",
        "tester",
    )
    assert report.bank_version == "1.0"
    assert report.current


def test_reflow_joins_hard_wrapped_lines_but_keeps_paragraphs_and_lists() -> None:
    from quizengine.tui.render import reflow

    text = "A company trains a model\nevery night.\n\nRequirements:\n- low latency\n- low cost\nWhich option?"
    assert (
        reflow(text)
        == "A company trains a model every night.\n\nRequirements:\n- low latency\n- low cost\nWhich option?"
    )


async def test_drill_weak_topics_from_home_logs_drills_and_keeps_the_schedule(
    services: AppServices, clock: FakeClock
) -> None:
    services.study.rng = random.Random(3)
    app = QuizApp(services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")  # nothing answered yet: nothing to drill
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("s")
        await pilot.pause()
        while isinstance(app.screen, StudyScreen):
            await pilot.press(*keys_for_right_answer(app.screen), "enter", "enter")
            await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        cards_before = {c.question_id: c for c in services.store.cards(services.study.profile_id)}
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        drilled = 0
        while isinstance(app.screen, StudyScreen):
            assert app.screen.view is not None
            assert app.screen.view.kind is ReviewKind.DRILL
            await pilot.press(*keys_for_right_answer(app.screen), "enter", "enter")
            await pilot.pause()
            drilled += 1
        assert drilled == 4
    drills = [r for r in services.store.reviews(services.study.profile_id) if r.kind is ReviewKind.DRILL]
    assert len(drills) == 4
    assert {c.question_id: c for c in services.store.cards(services.study.profile_id)} == cards_before


def test_stats_screen_snapshot(services: AppServices, clock: FakeClock, snap_compare: Any) -> None:
    from tests.services.test_study import drain

    for _day in range(3):
        drain(services.study.start(), clock)
        clock.advance(days=2)

    async def open_stats(pilot: Any) -> None:
        await pilot.press("t")
        await pilot.pause()

    assert snap_compare(QuizApp(services), terminal_size=(80, 40), run_before=open_stats)


async def test_stats_screen_shows_the_numbers_and_returns_home(
    services: AppServices, clock: FakeClock
) -> None:
    from quizengine.tui.screens.stats import StatsScreen
    from tests.services.test_study import drain

    drain(services.study.start(), clock)
    clock.advance(days=1)
    drain(services.study.start(), clock)
    app = QuizApp(services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        view = app.screen.view
        assert sum(view.answers_per_day.values()) == 8
        assert len(view.due_forecast) == 30
        assert sum(b.answers for b in view.calibration) == 4  # the four second answers were predicted
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


def test_home_screen_with_a_stack_snapshot(tmp_path: Any, clock: FakeClock, snap_compare: Any) -> None:
    """The stack the learner follows, each exam's state, and the exam being studied now, at 80x24."""
    from datetime import date

    from quizengine.config import Settings
    from quizengine.services.banks import sync_banks
    from tests.conftest import DATA, VALID_BANKS

    good = DATA / "stacks" / "good"
    settings = Settings(db=str(tmp_path / "qe.db"), profile="tester", timezone="UTC", bank_dirs=(good,))
    services = AppServices.open(settings, clock=clock, sync=False)
    sync_banks(services.store, [VALID_BANKS, DATA / "banks" / "shared", good], clock())
    services.stacks.choose("sample-path", date(2026, 11, 10))
    try:
        assert snap_compare(QuizApp(services), terminal_size=SIZE)
    finally:
        services.close()


async def test_started_straight_into_a_session_home_comes_after_it(
    services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`quizengine study` opens the session without computing the home overview first; when the session
    ends the home screen appears with the counts the session left behind."""
    services.study.rng = random.Random(3)
    overviews: list[int] = []
    home = services.home

    def counted_home() -> HomeView:
        overviews.append(1)
        return home()

    monkeypatch.setattr(services, "home", counted_home)
    app = QuizApp(services, start_study=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert overviews == []  # nothing computed for a screen nobody sees yet
        await pilot.press(*keys_for_right_answer(screen), "enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert overviews == [1]
        assert app.screen.view.studying[0].new_today == 3  # one of the four new questions was answered


async def test_nothing_to_study_shows_home_with_the_reason(services: AppServices) -> None:
    services.study.drop_cert("sample-cert")
    app = QuizApp(services, start_study=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.view.studying == []


async def test_the_app_sets_how_often_the_garbage_collector_runs_once_started(services: AppServices) -> None:
    gc.set_threshold(700, 10, 10)  # Python's default
    app = QuizApp(services, start_study=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert gc.get_threshold() == GC_THRESHOLDS
