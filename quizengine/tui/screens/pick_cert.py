"""A dialog that picks a certification to add."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from quizengine.domain.model import InstalledBank


class PickCertScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, banks: list[InstalledBank]) -> None:
        super().__init__()
        self.banks = banks

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-dialog"):
            yield Static("Add a certification (Enter adds, Esc cancels)", id="pick-title")
            options = []
            for b in self.banks:
                c = b.certification
                label = Text(f"{c.exam_code:<8} {c.name} ({b.total} questions)")
                if c.lifecycle_warning():
                    label.append(f"  {c.lifecycle_warning()}", style="yellow")
                options.append(Option(label, id=c.id))
            yield OptionList(*options, id="pick-list")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
