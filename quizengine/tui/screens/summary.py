"""The end of a session: how it went and what is due tomorrow."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from quizengine.services.study import Summary


class SummaryScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "home", "Home"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, summary: Summary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        s = self.summary
        text = Text()
        text.append(" Session done \n\n", style="bold reverse")
        if s.out_of_time:
            text.append("Time budget reached.\n\n", style="yellow")
        text.append(f"Answered      {s.answered}\n")
        text.append(f"Accuracy      {s.accuracy:.0%} ({s.correct} right)\n")
        text.append(f"Minutes       {s.minutes:.1f}\n")
        text.append(f"Due tomorrow  {s.due_tomorrow}\n")
        yield Static(text, id="summary")
        yield Footer()

    def action_home(self) -> None:
        self.dismiss(None)
