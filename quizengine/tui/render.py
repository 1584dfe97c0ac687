"""Rich text for questions and feedback. Bank text is never parsed as markup."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.text import Text

from quizengine.domain.grading import Presentation
from quizengine.domain.mock import MockItem
from quizengine.domain.model import Question, QuestionType
from quizengine.services.study import Feedback, QuestionView

KEYS = "123456789"
LETTERS = "ABCDEFGHI"


_STARTS_BLOCK = re.compile(r"^\s*([-*•] |\d+[.)] )|^\s{2,}")  # a list item or an indented line
_ENDS_BLOCK = re.compile(r"^\s*([-*•] |\d+[.)] )|:$")  # a list item, or a line introducing one


def reflow(text: str) -> str:
    """Join hard-wrapped lines into paragraphs so the terminal can wrap them at its own width.

    Blank lines stay paragraph breaks; lines that start a list item or are indented keep their break.
    """
    out: list[str] = []
    for line in text.strip().splitlines():
        joinable = out and out[-1] and line.strip() and not _STARTS_BLOCK.search(line)
        if joinable and not _ENDS_BLOCK.search(out[-1]):
            out[-1] = f"{out[-1]} {line.strip()}"
        else:
            out.append(line.rstrip())
    return "\n".join(out)


def key_label(i: int) -> str:
    return f"{KEYS[i]}/{LETTERS[i]}"


def header(view: QuestionView, minutes_left: float | None = None) -> Text:
    cert = view.certification
    kind = {"new": "new", "review": "review", "drill": "again"}[view.kind.value]
    text = Text()
    text.append(f" {cert.exam_code} ", style="bold reverse")
    text.append(f"  {view.domain.name}", style="bold")
    text.append(f"  ·  {view.question.type_label}", style="bold yellow" if view.question.select > 1 else "")
    text.append(f"  ·  {kind}  ·  {view.remaining} left", style="dim")
    if minutes_left is not None:
        text.append(f"  ·  {max(0, round(minutes_left))} min of budget left", style="bold")
    return text


def stem(view: QuestionView) -> Text:
    return stem_text(view.question)


def stem_text(q: Question) -> Text:
    text = Text(reflow(q.stem))
    if q.type is QuestionType.MULTIPLE and "select" not in q.stem.lower():
        text.append(f"\n{q.type_label}.", style="bold")
    if q.type is QuestionType.ORDERING:
        text.append("\nPress the keys of the steps in the right order (Backspace undoes).", style="dim")
    if q.type is QuestionType.MATCHING:
        text.append("\nFor each prompt in turn, press the key of its answer (Backspace undoes).", style="dim")
    return text


def choice_rows(view: QuestionView, picked: Sequence[int]) -> list[tuple[RenderableType, int | None]]:
    return choice_rows_for(view.question, view.presentation, picked)


class Hanging:
    """``prefix`` then ``body``, with the body's wrapped lines indented under its first line.

    What a two-column grid table draws, without a table's column measuring: every choice row is drawn
    on each question change, and tables were a quarter of the time the next question took to paint.
    """

    def __init__(self, prefix: Text, body: Text) -> None:
        self.prefix = prefix
        self.body = body

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = self.prefix.cell_len
        width = max(1, options.max_width - indent)
        lines = self.body.wrap(console, width, justify="left", overflow="fold", no_wrap=False)
        blank = Text(" " * indent)
        for n, line in enumerate(lines):
            line.rstrip()
            yield Text.assemble(self.prefix if n == 0 else blank, line, end="\n")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = self.prefix.cell_len
        body = Measurement.get(console, options, self.body)
        return Measurement(indent + body.minimum, indent + body.maximum).clamp(max_width=options.max_width)


def hang(prefix: Text, body: Text) -> Hanging:
    """``prefix`` then ``body``, with the body's wrapped lines indented under its first line."""
    return Hanging(prefix, body)


def choice_rows_for(
    q: Question, presentation: Presentation, picked: Sequence[int]
) -> list[tuple[RenderableType, int | None]]:
    """The options (or steps, or prompts and answers) with the learner's picks marked.

    Each row comes with the display index a click on it picks (None: not clickable).
    """
    order = presentation.order
    rows: list[tuple[RenderableType, int | None]] = []
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        for i, option in enumerate(q.options):
            mark = "[x]" if i in picked else "[ ]"
            style = "bold" if i in picked else ""
            rows.append(
                (hang(Text(f" {mark} {key_label(i)}  ", style=style), Text(option.text, style=style)), i)
            )
    elif q.type is QuestionType.ORDERING:
        for d, authored in enumerate(order):
            pos = picked.index(d) + 1 if d in picked else None
            prefix = Text(f" {pos if pos else ' '}.  {key_label(d)}  ", style="bold" if pos else "")
            rows.append((hang(prefix, Text(q.steps[authored].text)), d))
    else:
        choices = q.answer_choices
        rows.append((Text("Prompts", style="underline"), None))
        for i, pair in enumerate(q.pairs):
            got = f"-> {LETTERS[picked[i]]}" if i < len(picked) else ("-> ?" if i == len(picked) else "")
            line = Text(f" {i + 1}. ", style="bold" if i == len(picked) else "")
            line.append(pair.prompt)
            line.append(f"  {got}", style="bold cyan")
            rows.append((line, None))
        rows.append((Text("Answers", style="underline"), None))
        for d, authored in enumerate(order):
            rows.append((hang(Text(f" {LETTERS[d]}.  "), Text(choices[authored])), d))
    return rows


def feedback_block(fb: Feedback) -> Text:
    q = fb.view.question
    verdict = Text()
    if fb.correct:
        verdict.append(" RIGHT ", style="bold black on green")
    elif fb.confidence.value == "no_idea":
        verdict.append(" NO IDEA ", style="bold black on yellow")
    else:
        verdict.append(" WRONG ", style="bold white on red")
    verdict.append(f"  quality {fb.quality}", style="dim")
    if fb.next_due is not None:
        verdict.append(f"  ·  next review {fb.next_due.isoformat()}", style="dim")
    if fb.comes_back:
        verdict.append("  ·  comes back later in this session", style="yellow")
    verdict.append(f"  ·  id {q.id}", style="dim")
    return Text("\n").join([verdict, explain(q, fb.choices, fb.correct)])


def explain(q: Question, choices: Sequence[int], correct: bool) -> Text:
    """The right answer, why it is right, why each chosen distractor is wrong, the rest, references.

    One Text of many lines rather than a group of renderables: Textual paints a plain Text on its fast
    path, and the feedback is the biggest thing on the screen.
    """
    parts: list[Text] = []
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        for i, option in enumerate(q.options):
            chosen = i in choices
            if option.correct:
                mark, style = ("✓", "bold green")
            elif chosen:
                mark, style = ("✗", "bold red")
            else:
                mark, style = (" ", "dim")
            line = Text(f" {mark} {LETTERS[i]}. ", style=style)
            line.append(option.text, style=style)
            if chosen:
                line.append("  (your answer)", style="italic")
            parts.append(line)
            if option.correct or chosen:
                parts.append(Text(f"      {option.why}", style="green" if option.correct else "red"))
        others = [(i, o) for i, o in enumerate(q.options) if not o.correct and i not in choices]
        if others:
            parts.append(Text("Why not the others", style="underline"))
            parts += [Text(f" {LETTERS[i]}. {o.why}", style="dim") for i, o in others]
    elif q.type is QuestionType.ORDERING:
        parts.append(Text("Right order", style="underline"))
        for n, step in enumerate(q.steps):
            line = Text(f" {n + 1}. {step.text}", style="green")
            if step.why:
                line.append(f"  {step.why}", style="dim")
            parts.append(line)
        yours = " -> ".join(str(authored + 1) for authored in choices) if choices else "(none)"
        parts.append(Text(f"Your order (as right-order numbers): {yours}", style="" if correct else "red"))
    else:
        answers = q.answer_choices
        parts.append(Text("Right pairs", style="underline"))
        for i, pair in enumerate(q.pairs):
            got = answers[choices[i]] if i < len(choices) else "(none)"
            ok = got == pair.answer
            line = Text(
                f" {'✓' if ok else '✗'} {pair.prompt} -> {pair.answer}", style="green" if ok else "red"
            )
            if not ok:
                line.append(f"   (you: {got})", style="italic")
            parts.append(line)
    parts.append(Text("Explanation", style="underline"))
    parts.append(Text(reflow(q.explanation)))
    parts.append(Text("References", style="underline"))
    parts += [Text(f" {url}", style="blue") for url in q.references]
    return Text("\n").join(parts)


def navigator(items: Sequence[MockItem], current: int) -> Text:
    """Every question's number: answered, unanswered (dim), marked (yellow, with !), current (reversed)."""
    text = Text(" ")
    for n, item in enumerate(items):
        label = f"{n + 1}{'!' if item.flagged else ''}"
        style = "bold green" if item.answered else "dim"
        if item.flagged:
            style = "bold yellow"
        if n == current:
            style += " reverse"
        text.append(label, style=style)
        text.append(" ")
    text.append("\n green answered · dim unanswered · ! marked · reversed: this one", style="dim italic")
    return text
