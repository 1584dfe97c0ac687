"""A practical assessment: task cards with acceptance criteria, the real time box, criteria checked off."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, SelectionList, Static
from textual.widgets.selection_list import Selection

from quizengine.services.mock import PracticalResult, PracticalRun
from quizengine.tui.screens.exam import clock_text


class PracticalScreen(Screen[PracticalResult]):
    BINDINGS = [Binding("s", "submit", "Submit"), Binding("t", "toggle_timer", "Timer")]

    def __init__(self, run: PracticalRun) -> None:
        super().__init__()
        self.run = run
        self.show_timer = True

    def compose(self) -> ComposeResult:
        yield Static(id="exam-header")
        with VerticalScroll(id="exam-body"):
            yield Static(id="briefs")
            yield SelectionList[int](id="criteria")
        yield Footer()

    def on_mount(self) -> None:
        briefs = Text()
        for task in self.run.fmt.tasks:
            briefs.append(f"{task.title}\n", style="bold")
            briefs.append(f"{task.brief}\n\n")
        briefs.append(
            "Do the work outside quizengine, then check each criterion you met (Space).", style="dim"
        )
        self.query_one("#briefs", Static).update(briefs)
        selections = [
            Selection(Text(f"{title}: {criterion}"), n, met)
            for n, (title, criterion, met) in enumerate(self.run.criteria())
        ]
        criteria = self.query_one("#criteria", SelectionList)
        criteria.add_options(selections)
        criteria.highlighted = 0
        criteria.focus()
        self.set_interval(1, self.tick)
        self.refresh_header()

    def refresh_header(self) -> None:
        cert = self.run.bank.certification
        met = sum(met for *_, met in self.run.criteria())
        header = Text(f" {cert.exam_code} {self.run.fmt.name} ", style="bold reverse")
        header.append(f"  {met} of {len(self.run.state.items)} criteria met")
        header.append(
            f"   {clock_text(self.run.remaining())} left" if self.show_timer else "   timer hidden",
            style="bold",
        )
        self.query_one("#exam-header", Static).update(header)

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled[int]) -> None:
        self.run.toggle(event.selection.value)  # saved at once
        self.refresh_header()

    def tick(self) -> None:
        if not self.run.submitted and self.run.expired():
            self.notify("The time box is over: the assessment was submitted.", severity="warning")
            self.dismiss(self.run.submit())
            return
        self.refresh_header()

    def action_toggle_timer(self) -> None:
        self.show_timer = not self.show_timer
        self.refresh_header()

    def action_submit(self) -> None:
        self.dismiss(self.run.submit())
