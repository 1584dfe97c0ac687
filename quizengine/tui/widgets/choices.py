"""The list of options (or steps, or answers) of a question; a click on a row picks it like its key."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from textual import events
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static


class ChoiceRow(Static):
    """One option, step or answer."""

    class Clicked(Message):
        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        self.index: int | None = None  # the display index a click picks; None for a label row

    def on_click(self, event: events.Click) -> None:
        if self.index is not None:
            event.stop()
            self.post_message(self.Clicked(self.index))


class ChoiceList(Vertical):
    def show(self, rows: Sequence[tuple[RenderableType, int | None]]) -> None:
        """Show ``rows``, reusing the row widgets already mounted: mounting widgets is the costliest
        thing a question change can do, and most questions have as many rows as the one before."""
        have = list(self.query_children(ChoiceRow))
        for extra in have[len(rows) :]:
            extra.remove()
        if len(have) < len(rows):
            new = [ChoiceRow() for _ in range(len(rows) - len(have))]
            self.mount_all(new)
            have += new
        for widget, (text, index) in zip(have, rows, strict=False):
            widget.index = index
            widget.set_class(index is not None, "choice")
            widget.set_class(index is None, "choice-label")
            widget.update(text)
