"""The study screen: a question, then its feedback, until the session ends."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from quizengine.domain.grading import Confidence
from quizengine.domain.model import QuestionType
from quizengine.services.study import Feedback, QuestionView, StudyRun, Summary
from quizengine.tui import picking, render
from quizengine.tui.screens.report import ReportScreen
from quizengine.tui.widgets.choices import ChoiceList, ChoiceRow

PICK_BINDINGS = [
    Binding(key, f"pick({i})", "Pick", show=(key == "1"), key_display="1-9/A-I")
    for i in range(9)
    for key in (str(i + 1), "abcdefghi"[i])
]


class StudyScreen(Screen[Summary]):
    """Asks the session's questions. Every answer is committed by the service before feedback shows."""

    BINDINGS = [
        *PICK_BINDINGS,
        Binding("enter", "primary", "Answer/Next"),
        Binding("u", "submit('unsure')", "Unsure"),
        Binding("k", "submit('easy')", "Easy"),
        Binding("0", "submit('no_idea')", "No idea", key_display="0/?"),
        Binding("question_mark", "submit('no_idea')", "No idea", show=False),
        Binding("backspace", "undo", "Undo", show=False),
        Binding("space", "next", "Next", show=False),
        Binding("n", "next", "Next", show=False),
        Binding("r", "report", "Report"),
        Binding("escape", "end", "End"),
    ]

    class QuestionShown(Message):
        def __init__(self, question_id: str) -> None:
            self.question_id = question_id
            super().__init__()

    class AnswerRecorded(Message):
        def __init__(self, feedback: Feedback) -> None:
            self.feedback = feedback
            super().__init__()

    def __init__(self, run: StudyRun) -> None:
        super().__init__()
        self.run = run
        self.view: QuestionView | None = None
        self.feedback: Feedback | None = None
        self.picked: list[int] = []

    def compose(self) -> ComposeResult:
        yield Static(id="study-header")
        with VerticalScroll(id="study-body"):
            yield Static(id="stem")
            yield ChoiceList(id="choices")
            yield Static(id="feedback")
        yield Footer()

    def on_mount(self) -> None:
        self.show_next()

    def show_next(self) -> None:
        self.feedback = None
        self.picked = []
        self.view = self.run.current()
        if self.view is None:
            self.dismiss(self.run.finish())
            return
        self.query_one("#study-header", Static).update(render.header(self.view, self.run.minutes_left()))
        self.query_one("#stem", Static).update(render.stem(self.view))
        self.query_one("#feedback", Static).update("")
        self.query_one("#feedback").display = False
        self.refresh_choices()
        self.query_one("#study-body", VerticalScroll).scroll_home(animate=False)
        self.post_message(self.QuestionShown(self.view.question.id))

    def refresh_choices(self) -> None:
        box = self.query_one("#choices", ChoiceList)
        box.display = self.view is not None and self.feedback is None
        if self.view is not None and box.display:
            box.show(render.choice_rows(self.view, self.picked))

    def on_choice_row_clicked(self, event: ChoiceRow.Clicked) -> None:
        self.action_pick(event.index)

    # The footer stays the same for a question and its feedback on purpose: changing the enabled
    # bindings recomposes the footer, which costs more than everything else an answer does.
    # Each action checks the state itself instead.

    @property
    def answering(self) -> bool:
        return self.feedback is None and self.view is not None

    def action_primary(self) -> None:
        """Enter: answer while the question is open, move on once its feedback shows."""
        if self.answering:
            self.action_submit("normal")
        else:
            self.action_next()

    # --- answering ------------------------------------------------------------------------------

    def action_pick(self, index: int) -> None:
        if not self.answering or self.view is None:
            return
        self.picked = picking.pick(self.view.question, self.picked, index)
        self.refresh_choices()

    def action_undo(self) -> None:
        if self.answering and self.picked:
            self.picked.pop()
            self.refresh_choices()

    def action_submit(self, confidence: str) -> None:
        if self.view is None or self.feedback is not None:
            return
        conf = Confidence(confidence)
        if conf is not Confidence.NO_IDEA and not picking.complete(self.view.question, self.picked):
            self.notify(self._incomplete_hint(), severity="warning", timeout=3)
            return
        choices = picking.to_choices(self.view.question, self.view.presentation, self.picked)
        self.feedback = self.run.answer(choices if conf is not Confidence.NO_IDEA else [], conf)
        self.refresh_choices()
        panel = self.query_one("#feedback", Static)
        panel.update(render.feedback_block(self.feedback))
        panel.display = True
        self.post_message(self.AnswerRecorded(self.feedback))

    def _incomplete_hint(self) -> str:
        assert self.view is not None
        q = self.view.question
        if q.type is QuestionType.MULTIPLE:
            return f"{q.type_label}: you chose {len(self.picked)}. Or press 0 for no idea."
        return "Choose your answer first (keys 1-9 or A-I), or press 0 for no idea."

    # --- after the answer -----------------------------------------------------------------------

    def action_next(self) -> None:
        if self.feedback is not None:
            self.show_next()

    def action_report(self) -> None:
        """Report a problem with the question on screen (after its feedback, so the key is visible)."""
        if self.feedback is None:
            self.notify("Answer first; then r reports a problem with this question.", timeout=3)
            return
        question_id = self.feedback.view.question.id

        def send(text: str | None) -> None:
            if text:
                self.run.service.report(question_id, text)
                self.notify(f"Thanks: report on {question_id} saved.", timeout=3)

        self.app.push_screen(ReportScreen(question_id), send)

    def action_end(self) -> None:
        self.dismiss(self.run.finish())
