"""The Textual application: screens on top of AppServices (handed in, so tests can use their own)."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App

from quizengine.domain.mock import MockMode, MockResult
from quizengine.services.app import AppServices
from quizengine.services.mock import MockError, MockRun, PracticalResult, PracticalRun
from quizengine.services.study import Summary
from quizengine.tui import upstream
from quizengine.tui.screens.exam import ExamScreen
from quizengine.tui.screens.home import HomeScreen
from quizengine.tui.screens.mock_options import MockChoice, MockOptionsScreen
from quizengine.tui.screens.pick_cert import PickCertScreen
from quizengine.tui.screens.practical import PracticalScreen
from quizengine.tui.screens.results import ResultsScreen
from quizengine.tui.screens.stats import StatsScreen
from quizengine.tui.screens.study import StudyScreen
from quizengine.tui.screens.summary import SummaryScreen

# Young-generation collections at 5,000 net allocations instead of Python's 700, and the older ones at 20
# instead of 10 collections of the one below: a repaint allocates thousands of objects, so at the default
# every key press ran one to three young collections and every few a 1-1.5 ms older one, inside the frame.
# On the PostgreSQL bench (2,400 answers, A/B interleaved) answer-to-next pairs over 25 ms went from
# 1.0 % to 0.5 % with the same peak memory.
GC_THRESHOLDS = (5000, 20, 20)


def settle_garbage_collector() -> None:
    """Once start-up has painted. What start-up built (Textual's DOM and CSS, SQLAlchemy's mappers) lives
    for the whole run: frozen, later collections do not rescan it between two questions. The app owns its
    process, so it also sets how often the collector runs."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


class QuizApp(App[int]):
    """Database calls run on the UI thread on purpose: each is one indexed statement of a few
    milliseconds, and an answer must be committed before the next question appears."""

    CSS_PATH = Path(__file__).parent / "styles" / "app.tcss"
    TITLE = "quizengine"
    ENABLE_COMMAND_PALETTE = False  # every action has a key in the footer; the palette only took its space

    def __init__(
        self,
        services: AppServices,
        *,
        start_study: bool = False,
        study_certs: list[str] | None = None,
        study_minutes: int | None = None,
        study_weak: bool = False,
        mock: Callable[[], MockRun | PracticalRun | None] | None = None,
        **kwargs: Any,
    ) -> None:
        upstream.apply()  # before Textual starts any timer
        super().__init__(**kwargs)
        self.mock_factory = mock
        self.services = services
        self.start_study = start_study
        self.study_certs = study_certs
        self.study_minutes = study_minutes
        self.study_weak = study_weak
        self.home: HomeScreen | None = None

    def on_mount(self) -> None:
        for problem in self.services.bank_problems[:5]:
            self.notify(str(problem), title="Bank not loaded", severity="error", timeout=15)
        # Started straight into a session or a mock, the home screen is built when it is first shown
        # (after the session): its overview is not computed before the first question.
        started = False
        if self.start_study:
            started = self.begin_study(self.study_certs, self.study_minutes, weak=self.study_weak)
        elif self.mock_factory is not None:
            started = self.begin_mock(self.mock_factory)
        if not started:
            self.refresh_home()
        self.call_after_refresh(settle_garbage_collector)

    def begin_study(
        self, cert_ids: list[str] | None, minutes: int | None = None, *, weak: bool = False
    ) -> bool:
        """Open a study session (or a weak-topic drill); False, with a notice, when there is nothing to
        study."""
        if not cert_ids and not self.services.study.studying():
            self.notify("Add a certification first (press a).", severity="warning")
            return False
        if weak:
            items = self.services.readiness.weak_drill(cert_ids)
            if not items:
                self.notify("No weak topics yet: answer some questions first.", severity="warning")
                return False
            run = self.services.study.start_drill(items, minutes=minutes)
        else:
            run = self.services.study.start(cert_ids, minutes=minutes)
        self.push_screen(StudyScreen(run), self.session_ended)
        return True

    def begin_mock(self, factory: Callable[[], MockRun | PracticalRun | None]) -> bool:
        """Open (or resume) a mock; False, with a notice, when none could be opened."""
        try:
            run = factory()
        except MockError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return False
        if run is None:
            self.notify("No mock exam is open.")
            return False
        if isinstance(run, PracticalRun):
            if run.outcome is not None:
                self.practical_done(run, run.outcome)
            else:
                self.push_screen(PracticalScreen(run), lambda result: self.practical_done(run, result))
            return True
        if run.submitted and run.outcome is not None:  # its deadline passed while quizengine was closed
            self.notify("The mock's time ran out while quizengine was closed: it was submitted.", timeout=8)
            self.show_results(run, run.outcome)
            return True
        self.push_screen(ExamScreen(run), lambda result: self.show_results(run, result))
        return True

    def practical_done(self, run: PracticalRun, result: PracticalResult | None) -> None:
        if result is not None:
            verdict = "all criteria met" if result.passed else f"{result.met} of {result.total} criteria met"
            self.notify(f"{run.fmt.name}: {verdict}. It is stored with your mock exams.", timeout=10)
        self.refresh_home()

    def show_results(self, run: MockRun, result: MockResult | None) -> None:
        if result is None:
            self.refresh_home()
            return
        history = self.services.mock.history(run.state.cert_id)
        self.push_screen(ResultsScreen(run, result, history), lambda _: self.refresh_home())

    def on_home_screen_mock_requested(self, event: HomeScreen.MockRequested) -> None:
        if event.cert_id is None:
            self.begin_mock(self.services.mock.resume)
            return
        bank = self.services.study.banks().get(event.cert_id)
        if bank is None:
            return

        def chosen(choice: MockChoice | None) -> None:
            if choice is None:
                return
            mock = self.services.mock
            if choice.mode is MockMode.PRACTICAL:
                self.begin_mock(lambda: mock.start_practical(bank.certification.id, choice.format_id))
            else:
                self.begin_mock(
                    lambda: mock.start(
                        bank.certification.id,
                        format_id=choice.format_id,
                        mode=choice.mode,
                        esl=choice.esl,
                        only_domain=choice.only_domain,
                    )
                )

        self.push_screen(MockOptionsScreen(bank), chosen)

    def session_ended(self, summary: Summary | None) -> None:
        if summary is None:
            self.refresh_home()
            return
        self.push_screen(SummaryScreen(summary), lambda _: self.refresh_home())

    def refresh_home(self) -> None:
        """Show the home screen with a fresh overview (building it the first time it is needed)."""
        view = self.services.home()
        if self.home is None:
            self.home = HomeScreen(view)
            self.push_screen(self.home)
        else:
            self.home.show(view)

    def on_home_screen_study_requested(self, event: HomeScreen.StudyRequested) -> None:
        self.begin_study(event.cert_ids, weak=event.weak)

    def on_home_screen_stats_requested(self, _event: HomeScreen.StatsRequested) -> None:
        self.push_screen(StatsScreen(self.services.readiness.stats()))

    def on_home_screen_add_requested(self, _event: HomeScreen.AddRequested) -> None:
        available = self.services.study.home().available
        if not available:
            self.notify("You already study every installed bank.")
            return

        def added(cert_id: str | None) -> None:
            if cert_id:
                self.services.study.add_cert(cert_id)
                self.refresh_home()

        self.push_screen(PickCertScreen(available), added)

    def on_home_screen_drop_requested(self, event: HomeScreen.DropRequested) -> None:
        self.services.study.drop_cert(event.cert_id)
        self.notify(f"Stopped studying {event.cert_id}; its history is kept.")
        self.refresh_home()

    def on_unmount(self) -> None:
        self.services.close()
