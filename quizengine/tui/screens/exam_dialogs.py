"""Dialogs of the mock exam: the review list and the submit confirmation."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from quizengine.services.mock import MockRun

FILTERS = {"unanswered": "Unanswered", "flagged": "Marked for review", "all": "All"}


class ReviewListScreen(ModalScreen[int | None]):
    """Every question with its state, filtered; Enter jumps to the chosen one."""

    BINDINGS = [
        Binding("u", "filter('unanswered')", "Unanswered"),
        Binding("m", "filter('flagged')", "Marked"),
        Binding("a", "filter('all')", "All"),
        Binding("escape", "cancel", "Back"),
    ]

    def __init__(self, run: MockRun, mode: str = "all") -> None:
        super().__init__()
        self.run = run
        self.mode = mode

    def compose(self) -> ComposeResult:
        with Vertical(id="review-dialog"):
            yield Static(id="review-title")
            yield OptionList(id="review-list")

    def on_mount(self) -> None:
        self.action_filter(self.mode)

    def action_filter(self, mode: str) -> None:
        self.mode = mode
        title = Text(f"Review: {FILTERS[mode]}", style="bold")
        title.append("   u unanswered · m marked · a all · Enter go · Esc back", style="dim")
        self.query_one("#review-title", Static).update(title)
        listing = self.query_one("#review-list", OptionList)
        listing.clear_options()
        for n, item in enumerate(self.run.state.items):
            if (mode == "unanswered" and item.answered) or (mode == "flagged" and not item.flagged):
                continue
            stem = " ".join(self.run.questions[item.question_id].stem.split())
            state = ("answered  " if item.answered else "unanswered") + (
                "  marked" if item.flagged else "        "
            )
            label = Text(f"{n + 1:>3}. {state}  ")
            label.append(stem[:70] + ("..." if len(stem) > 70 else ""), style="dim")
            listing.add_option(Option(label, id=str(n)))
        if listing.option_count:
            listing.highlighted = 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmSubmitScreen(ModalScreen[bool]):
    BINDINGS = [Binding("enter,y", "yes", "Submit"), Binding("escape,n", "no", "Back to the exam")]

    def __init__(self, answered: int, unanswered: int, flagged: int) -> None:
        super().__init__()
        self.counts = (answered, unanswered, flagged)

    def compose(self) -> ComposeResult:
        answered, unanswered, flagged = self.counts
        text = Text("Submit the exam?\n\n", style="bold")
        text.append(f"{answered} answered, ")
        text.append(f"{unanswered} unanswered", style="bold red" if unanswered else "")
        text.append(" (they count as wrong), ")
        text.append(f"{flagged} marked for review", style="bold yellow" if flagged else "")
        text.append(".\n\nEnter submits, Esc goes back.", style="dim")
        with Vertical(id="confirm-dialog"):
            yield Static(text)

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question before something that cannot be undone."""

    BINDINGS = [Binding("enter,y", "yes", "Yes"), Binding("escape,n", "no", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        text = Text(self.question + "\n\n", style="bold")
        text.append("Enter or y: yes · Esc or n: no", style="dim")
        with Vertical(id="confirm-dialog"):
            yield Static(text)

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)
