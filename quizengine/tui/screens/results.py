"""A mock exam's result: pass or fail, the estimated scaled score, domains, time, and the review."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from quizengine.domain.mock import MockResult, MockState, pass_fraction
from quizengine.services.mock import MockRun, minutes_used
from quizengine.tui import render


def summary(run: MockRun, result: MockResult, history: list[MockState]) -> Table:
    fmt, cert = run.fmt, run.bank.certification
    grid = Table.grid(padding=(0, 2))
    grid.add_column()
    grid.add_column()
    if result.passed is None:
        verdict = Text(" NO PUBLISHED PASS MARK ", style="bold black on yellow")
    elif result.passed:
        verdict = Text(" PASS ", style="bold black on green")
    else:
        verdict = Text(" FAIL ", style="bold white on red")
    grid.add_row(Text(f"{cert.exam_code} mock", style="bold"), verdict)
    if cert.lifecycle_warning():
        grid.add_row("", Text(str(cert.lifecycle_warning()), style="yellow"))
    source = f"{fmt.name}; source {fmt.source}, verified {fmt.verified.isoformat()}"
    grid.add_row("Format", Text(source, style="dim"))
    if result.scaled is not None and fmt.scoring and fmt.scoring.scale:
        low, high = fmt.scoring.scale
        grid.add_row(
            "Score (estimate)", f"{result.scaled:.0f} on {low}-{high}, pass mark {result.pass_mark:g}"
        )
        cut = pass_fraction(fmt) or 0
        grid.add_row(
            "",
            Text(
                f"estimate: raw % mapped linearly onto the scale; {cut:.1%} raw reaches the pass "
                "mark (vendors do not publish their mapping)",
                style="dim",
            ),
        )
    grid.add_row("Raw", f"{result.correct} of {result.scored} scored questions, {result.raw_percent:.1f} %")
    state = run.state
    used = (
        min(state.submitted_at or run.now(), state.clock.deadline) - state.clock.started_at
    ).total_seconds()
    per_q = used / max(1, len(state.items))
    grid.add_row(
        "Time",
        f"{used / 60:.1f} of {(state.clock.deadline - state.clock.started_at).total_seconds() / 60:.0f}"
        f" minutes, {per_q:.0f} s a question",
    )
    names = {d.id: d.name for d in run.bank.domains}
    domains = Table("Domain", "Right", "%", "Band", "Time", box=None, padding=(0, 1))
    for d in result.domains:
        band = result.bands.get(d.domain, "")
        domains.add_row(
            names.get(d.domain, d.domain),
            f"{d.correct}/{d.scored}",
            f"{d.percent:.0f}",
            Text(band, style="green" if band.startswith("Meets") else "yellow"),
            f"{d.seconds / 60:.1f} m",
        )
    grid.add_row("Domains", domains)
    if history:
        trend = Text()
        for past in history[-8:]:
            r = past.result or {}
            mark = r.get("scaled") if r.get("scaled") is not None else r.get("raw_percent")
            trend.append(
                f"{past.clock.started_at:%m-%d} {mark:g}  ", style="green" if r.get("passed") else ""
            )
        grid.add_row("History", trend)
        grid.add_row(
            "",
            Text(
                f"{len(history)} mocks, {sum(minutes_used(h) for h in history):.0f} minutes in all",
                style="dim",
            ),
        )
    return grid


class ResultsScreen(Screen[None]):
    BINDINGS = [
        Binding("w", "filter('wrong')", "Wrong"),
        Binding("m", "filter('flagged')", "Marked"),
        Binding("a", "filter('all')", "All"),
        Binding("escape,q", "close", "Done"),
    ]

    def __init__(self, run: MockRun, result: MockResult, history: list[MockState]) -> None:
        super().__init__()
        self.run = run
        self.result = result
        self.history = history
        self.mode = "wrong"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="results"):
            yield Static(summary(self.run, self.result, self.history), id="results-summary")
            yield Static(id="results-filter")
            yield OptionList(id="results-list")
            yield Static(id="results-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.action_filter("wrong")

    def action_filter(self, mode: str) -> None:
        self.mode = mode
        label = {"wrong": "wrong or unanswered", "flagged": "marked for review", "all": "all"}[mode]
        self.query_one("#results-filter", Static).update(
            Text(f"Review: {label} (Enter shows the explanation)", style="bold")
        )
        listing = self.query_one("#results-list", OptionList)
        listing.clear_options()
        for n, item in enumerate(self.run.state.items):
            right = self.run.is_correct(n)
            if (mode == "wrong" and right) or (mode == "flagged" and not item.flagged):
                continue
            stem = " ".join(self.run.questions[item.question_id].stem.split())
            mark = Text("✓ " if right else "✗ ", style="green" if right else "red")
            mark.append(f"{n + 1:>3}. {item.seconds:>4.0f}s  {stem[:74]}")
            listing.add_option(Option(mark, id=str(n)))
        if listing.option_count:
            listing.highlighted = 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        n = int(event.option.id or 0)
        item = self.run.state.items[n]
        question = self.run.questions[item.question_id]
        self.query_one("#results-detail", Static).update(
            Group(
                render.stem_text(question),
                render.explain(question, item.choices or (), self.run.is_correct(n)),
            )
        )

    def action_close(self) -> None:
        self.dismiss(None)
