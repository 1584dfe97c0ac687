"""The mock exam screen: countdown from the stored deadline, navigator, flags, review, submit."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from quizengine.domain.mock import MockMode, MockResult
from quizengine.services.mock import MockRun
from quizengine.tui import picking, render
from quizengine.tui.screens.exam_dialogs import ConfirmScreen, ConfirmSubmitScreen, ReviewListScreen
from quizengine.tui.screens.study import PICK_BINDINGS
from quizengine.tui.widgets.choices import ChoiceList, ChoiceRow


def clock_text(left: timedelta) -> str:
    total = int(left.total_seconds())
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


class ExamScreen(Screen[MockResult]):
    """Exam mode gives no feedback and never pauses; practice mode checks each answer and may pause."""

    BINDINGS = [
        *PICK_BINDINGS,
        Binding("right,n", "move(1)", "Next", key_display="→/n"),
        Binding("left,p", "move(-1)", "Prev", key_display="←/p"),
        Binding("m", "flag", "Mark"),
        Binding("v", "review", "Review"),
        Binding("enter", "check", "Check", show=False),
        Binding("backspace", "undo", "Undo", show=False),
        Binding("t", "toggle_timer", "Timer"),
        Binding("z", "pause", "Pause", show=False),
        Binding("s", "submit", "Submit"),
    ]

    def __init__(self, run: MockRun) -> None:
        super().__init__()
        self.run = run
        self.picked: list[int] = []
        self.show_timer = True
        self.checked: set[int] = set()  # practice mode: positions whose feedback was shown
        self.paused_at: datetime | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="exam-header")
        yield Static(id="exam-pace")
        with VerticalScroll(id="exam-body"):
            yield Static(id="stem")
            yield ChoiceList(id="choices")
            yield Static(id="feedback")
        yield Static(id="navigator")
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(1, self.tick)
        self.show_question()

    # --- display --------------------------------------------------------------------------------

    def show_question(self) -> None:
        view = self.run.view()
        self.picked = picking.to_picks(view.question, view.presentation, view.item.choices)
        stem = Text(f"Question {view.position + 1} of {view.total}", style="bold")
        stem.append(
            f"   {view.question.type_label}", style="bold yellow" if view.question.select > 1 else "dim"
        )
        if view.item.flagged:
            stem.append("   [marked for review]", style="bold yellow")
        stem.append("\n\n")
        case = self.run.case_study(view.question)
        if case is not None:
            stem.append(f"Case study: {case.title}\n", style="bold underline")
            stem.append(render.reflow(case.scenario) + "\n\n", style="italic")
        stem.append_text(render.stem_text(view.question))
        self.query_one("#stem", Static).update(stem)
        self.refresh_choices()
        self.show_feedback()
        self.query_one("#exam-body", VerticalScroll).scroll_home(animate=False)
        self.refresh_status()

    def refresh_choices(self) -> None:
        view = self.run.view()
        self.query_one("#choices", ChoiceList).show(
            render.choice_rows_for(view.question, view.presentation, self.picked)
        )

    def show_feedback(self) -> None:
        panel = self.query_one("#feedback", Static)
        position = self.run.state.position
        if self.run.state.mode is not MockMode.PRACTICE or position not in self.checked:
            panel.display = False
            return
        view = self.run.view()
        correct = self.run.is_correct(position)
        verdict = Text(
            " RIGHT " if correct else " WRONG ",
            style="bold black on green" if correct else "bold white on red",
        )
        panel.update(Group(verdict, render.explain(view.question, view.item.choices or (), correct)))
        panel.display = True

    def refresh_status(self) -> None:
        state = self.run.state
        cert = self.run.bank.certification
        answered, unanswered, flagged = state.counts()
        header = Text()
        header.append(f" {cert.exam_code} mock ", style="bold reverse")
        header.append(f"  {state.mode.value}  ·  {answered} answered, {unanswered} left, {flagged} marked")
        if cert.lifecycle_warning():
            header.append(f"  ·  {cert.status.value}", style="yellow")
        if self.paused_at is not None:
            header.append("   PAUSED (z resumes)", style="bold yellow")
        elif self.show_timer:
            left = self.run.remaining()
            header.append(
                f"   {clock_text(left)} left", style="bold red" if left < timedelta(minutes=5) else "bold"
            )
        else:
            header.append("   timer hidden (t shows it)", style="dim")
        self.query_one("#exam-header", Static).update(header)
        used, budget = self.run.pace()
        per_item = (state.clock.deadline - state.clock.started_at) / max(1, len(state.items))
        ahead = budget - used
        pace = Text(
            f" pace: {clock_text(used)} used for {answered} answers; budget {clock_text(budget)}"
            f" ({int(per_item.total_seconds() // 60)}:{int(per_item.total_seconds() % 60):02d} a question)",
            style="green" if ahead >= timedelta(0) else "yellow",
        )
        self.query_one("#exam-pace", Static).update(pace)
        self.query_one("#navigator", Static).update(render.navigator(state.items, state.position))

    def tick(self) -> None:
        if self.run.submitted:
            return
        if self.paused_at is None and self.run.expired():
            self.notify("Time is up: the exam was submitted.", severity="warning")
            self.dismiss(self.run.submit())
            return
        self.refresh_status()

    # --- actions --------------------------------------------------------------------------------

    def on_choice_row_clicked(self, event: ChoiceRow.Clicked) -> None:
        self.action_pick(event.index)

    def _locked(self) -> bool:
        return self.paused_at is not None or (
            self.run.state.mode is MockMode.PRACTICE and self.run.state.position in self.checked
        )

    def action_pick(self, index: int) -> None:
        if self._locked():
            return
        view = self.run.view()
        self.picked = picking.pick(view.question, self.picked, index)
        self.run.answer(picking.to_choices(view.question, view.presentation, self.picked))  # saved at once
        self.refresh_choices()
        self.refresh_status()

    def action_undo(self) -> None:
        if self._locked() or not self.picked:
            return
        view = self.run.view()
        self.picked = self.picked[:-1]
        choices = picking.to_choices(view.question, view.presentation, self.picked)
        self.run.answer(choices) if choices else self.run.clear_answer()
        self.refresh_choices()
        self.refresh_status()

    def action_check(self) -> None:
        """Practice mode: Enter shows whether the answer is right; in exam mode Enter moves on."""
        if self.run.state.mode is MockMode.PRACTICE and self.run.state.position not in self.checked:
            if not self.picked:
                self.notify("Choose an answer first.", timeout=2)
                return
            self.checked.add(self.run.state.position)
            self.show_feedback()
            return
        self.action_move(1)

    def action_move(self, step: int) -> None:
        target = self.run.state.position + step
        if 0 <= target < len(self.run.state.items):
            self.jump(target)

    def jump(self, position: int | None) -> None:
        if position is None or self.paused_at is not None:
            return
        reason = self.run.blocked(position)
        if reason:
            self.notify(reason, severity="warning", timeout=4)
            return
        if self.run.leaves_section(position):
            question = "Leave this section? You cannot come back to its questions."

            def go(yes: bool | None) -> None:
                if yes:
                    self._go(position)

            self.app.push_screen(ConfirmScreen(question), go)
            return
        self._go(position)

    def _go(self, position: int) -> None:
        self.run.go(position)
        self.show_question()

    def action_flag(self) -> None:
        if self.paused_at is None:
            self.run.toggle_flag()
            self.show_question()

    def action_toggle_timer(self) -> None:
        self.show_timer = not self.show_timer  # the clock keeps running either way
        self.refresh_status()

    def action_pause(self) -> None:
        if self.run.state.mode is not MockMode.PRACTICE:
            self.notify("Exam mode never pauses, as on the real exam.", timeout=3)
            return
        if self.paused_at is None:
            self.paused_at = self.run.now()
        else:
            self.run.extend(self.run.now() - self.paused_at)
            self.paused_at = None
        self.refresh_status()

    def action_review(self) -> None:
        self.app.push_screen(ReviewListScreen(self.run), self.jump)

    def action_submit(self) -> None:
        if self.paused_at is not None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.dismiss(self.run.submit())

        self.app.push_screen(ConfirmSubmitScreen(*self.run.state.counts()), confirmed)
