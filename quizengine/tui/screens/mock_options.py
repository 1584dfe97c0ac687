"""Choose how to take a mock exam: format, mode, extra time, one domain, or a practical."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from quizengine.domain.mock import MockMode
from quizengine.domain.model import FormatKind, InstalledBank


@dataclass(frozen=True, slots=True)
class MockChoice:
    format_id: str
    mode: MockMode
    esl: bool = False
    only_domain: str | None = None


def choices(bank: InstalledBank) -> list[tuple[str, MockChoice]]:
    result: list[tuple[str, MockChoice]] = []
    for f in bank.formats:
        if f.kind is FormatKind.PRACTICAL:
            result.append((f"{f.name}: task cards, {f.minutes} min", MockChoice(f.id, MockMode.PRACTICAL)))
            continue
        result.append((f"{f.name}: exam mode", MockChoice(f.id, MockMode.EXAM)))
        if f.extra_minutes_esl:
            result.append(
                (
                    f"{f.name}: exam mode, +{f.extra_minutes_esl} min (ESL)",
                    MockChoice(f.id, MockMode.EXAM, True),
                )
            )
        result.append((f"{f.name}: practice mode (feedback, may pause)", MockChoice(f.id, MockMode.PRACTICE)))
        for d in bank.domains:
            result.append((f"{f.name}: only {d.name}", MockChoice(f.id, MockMode.DOMAIN, only_domain=d.id)))
    return result


class MockOptionsScreen(ModalScreen[MockChoice | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, bank: InstalledBank) -> None:
        super().__init__()
        self.bank = bank
        self.options = choices(bank)

    def compose(self) -> ComposeResult:
        cert = self.bank.certification
        title = Text(f"Mock exam for {cert.exam_code}", style="bold")
        if cert.lifecycle_warning():
            title.append(f"   {cert.lifecycle_warning()}", style="yellow")
        title.append("\nEnter starts, Esc cancels", style="dim")
        with Vertical(id="pick-dialog"):
            yield Static(title)
            yield OptionList(
                *(Option(label, id=str(n)) for n, (label, _) in enumerate(self.options)), id="pick-list"
            )

    def on_mount(self) -> None:
        listing = self.query_one("#pick-list", OptionList)
        listing.highlighted = 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.options[int(event.option.id or 0)][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
