"""The home screen: what the profile studies, what is due, and lifecycle warnings."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from quizengine.services.study import HomeView


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("s", "study_all", "Study"),
        Binding("enter", "study_selected", "Study selected"),
        Binding("w", "weak", "Weak topics"),
        Binding("m", "mock", "Mock"),
        Binding("r", "resume", "Resume mock", show=False),
        Binding("t", "stats", "Stats"),
        Binding("a", "add", "Add exam"),
        Binding("d", "drop", "Drop"),
        Binding("q", "app.quit", "Quit"),
    ]

    class StudyRequested(Message):
        def __init__(self, cert_ids: list[str] | None, *, weak: bool = False) -> None:
            self.cert_ids = cert_ids
            self.weak = weak  # a drill of the weakest topics instead of today's session
            super().__init__()

    class AddRequested(Message):
        pass

    class StatsRequested(Message):
        pass

    class MockRequested(Message):
        """A mock for ``cert_id``; None resumes the open one."""

        def __init__(self, cert_id: str | None) -> None:
            self.cert_id = cert_id
            super().__init__()

    class DropRequested(Message):
        def __init__(self, cert_id: str) -> None:
            self.cert_id = cert_id
            super().__init__()

    def __init__(self, view: HomeView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        yield Static(id="home-title")
        yield DataTable(id="certs", cursor_type="row", zebra_stripes=True)
        yield Static(id="home-stack")
        yield Static(id="home-warnings")
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.view)

    def show(self, view: HomeView) -> None:
        self.view = view
        title = Text()
        title.append(" quizengine ", style="bold reverse")
        title.append(f"  {view.profile}  ·  {view.today.isoformat()}  ·  streak {view.streak} day")
        title.append("" if view.streak == 1 else "s")
        total_due = sum(c.due for c in view.studying)
        total_new = sum(c.new_today for c in view.studying)
        title.append(f"  ·  {total_due} due, {total_new} new today", style="bold")
        self.query_one("#home-title", Static).update(title)
        table = self.query_one("#certs", DataTable)
        table.clear(columns=True)
        table.add_columns("Exam", "Certification", "Due", "New today", "Seen", "Status")
        for c in view.studying:
            cert = c.certification
            status = (
                Text(f"{cert.status.value} {cert.status_date.isoformat()}", style="yellow")
                if c.warning
                else Text("active", style="green")
            )
            seen = f"{c.total - c.unseen}/{c.total}"
            table.add_row(
                cert.exam_code, Text(cert.name), str(c.due), str(c.new_today), seen, status, key=cert.id
            )
        stack = self.query_one("#home-stack", Static)
        stack.update(stack_line(view))
        stack.display = view.stack is not None
        warnings = Text()
        for notice in view.notices:
            warnings.append(f"! {notice}\n", style="yellow")
        for c in view.studying:
            if c.warning:
                warnings.append(f"! {c.warning}\n", style="yellow")
        if not view.studying:
            warnings.append("You are not studying any certification yet. Press a to add one.\n", style="bold")
        if view.open_mock:
            warnings.append(
                f"A {view.open_mock} mock exam is in progress and its clock is running: press r (or m) "
                "to resume it.\n",
                style="bold yellow",
            )
        self.query_one("#home-warnings", Static).update(warnings)
        table.focus()

    def _selected(self) -> str | None:
        table = self.query_one("#certs", DataTable)
        if not self.view.studying or table.cursor_row < 0:
            return None
        return str(table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value)

    def action_study_all(self) -> None:
        self.post_message(self.StudyRequested(None))

    def action_stats(self) -> None:
        self.post_message(self.StatsRequested())

    def action_weak(self) -> None:
        selected = self._selected()
        self.post_message(self.StudyRequested([selected] if selected else None, weak=True))

    def action_study_selected(self) -> None:
        selected = self._selected()
        self.post_message(self.StudyRequested([selected] if selected else None))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.StudyRequested([str(event.row_key.value)]))

    def action_mock(self) -> None:
        selected = self._selected()
        if self.view.open_mock:
            self.post_message(self.MockRequested(None))
        elif selected:
            self.post_message(self.MockRequested(selected))
        else:
            self.notify("Add a certification first (press a).", severity="warning")

    def action_resume(self) -> None:
        self.post_message(self.MockRequested(None))

    def action_add(self) -> None:
        self.post_message(self.AddRequested())

    def action_drop(self) -> None:
        selected = self._selected()
        if selected:
            self.post_message(self.DropRequested(selected))


STATE_STYLE = {
    "passed": "green",
    "studying": "bold",
    "upcoming": "dim",
    "date passed": "yellow",
    "no exam": "red",
}


def stack_line(view: HomeView) -> Text:
    """The stack the profile follows: each exam in order with its state, then the exam being studied."""
    progress = view.stack
    text = Text()
    if progress is None:
        return text
    text.append(" Stack ", style="bold reverse")
    text.append(f" {progress.plan.stack.name}: ")
    for i, exam in enumerate(progress.exams):
        if i:
            text.append(" > ", style="dim")
        mark = "\u2713 " if exam.state == "passed" else ""
        text.append(f"{mark}{exam.planned.exam_code}", style=STATE_STYLE[exam.state])
    current = progress.current
    if current is not None:
        days = (current.exam_date - view.today).days
        text.append(f"\n now {current.planned.exam_code}: exam {current.exam_date} ({days} days)")
        if current.total:
            text.append(f", {current.seen}/{current.total} seen")
    late = [e.planned.exam_code for e in progress.exams if e.state == "date passed"]
    if late:
        text.append(f"\n ! exam date passed for {', '.join(late)}: ", style="yellow")
        text.append("record a pass with `plan CERT --passed`, or move the date", style="yellow")
    return text
