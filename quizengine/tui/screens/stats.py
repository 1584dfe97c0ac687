"""Progress at a glance: heatmap, due forecast, readiness per domain, calibration, weak topics, mocks."""

from __future__ import annotations

from datetime import timedelta

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from quizengine.services.readiness import CertReport, StatsView

SHADES = "·░▒▓█"
SPARK = " ▁▂▃▄▅▆▇█"


class StatsScreen(Screen[None]):
    BINDINGS = [Binding("escape,enter", "home", "Home"), Binding("q", "app.quit", "Quit")]

    def __init__(self, view: StatsView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        v = self.view
        with VerticalScroll(id="stats"):
            yield Static(Text(" Progress ", style="bold reverse"))
            yield Static(heatmap(v))
            yield Static(forecast(v))
            for cert in v.report.certs:
                yield Static(domains(cert))
            yield Static(calibration(v))
            for cert in v.report.certs:
                if cert.readiness.weak_topics or cert.mocks:
                    yield Static(weak_and_mocks(cert))
        yield Footer()

    def action_home(self) -> None:
        self.dismiss(None)


def heatmap(v: StatsView) -> Text:
    """Answers per day over the last 16 weeks: one column a week, Monday at the top."""
    days = sorted(v.answers_per_day)
    top = max(v.answers_per_day.values(), default=0)
    start = v.today - timedelta(days=v.today.weekday() + 7 * 15)
    text = Text("Answers per day, last 16 weeks" + (f" (darkest = {top})\n" if top else "\n"), style="bold")
    for weekday, name in enumerate("MTWTFSS"):
        text.append(f"{name} ")
        for week in range(16):
            day = start + timedelta(days=7 * week + weekday)
            if day > v.today:
                text.append(" ")
                continue
            n = v.answers_per_day.get(day, 0)
            level = 0 if not n else 1 + min(3, (n * 4 - 1) // max(top, 1))
            text.append(SHADES[level], style="green" if n else "grey30")
        text.append("\n")
    total = sum(v.answers_per_day.values())
    text.append(f"{total} answers on {len(days)} days\n")
    return text


def forecast(v: StatsView) -> Text:
    counts = [n for _, n in v.due_forecast]
    top = max(counts, default=0)
    text = Text("Due in the next 30 days (today includes overdue)\n", style="bold")
    text.append("".join(SPARK[0 if not n else 1 + (n * 7 - 1) // max(top, 1)] for n in counts), style="cyan")
    text.append(f"\ntoday {counts[0] if counts else 0}, week {sum(counts[:7])}, month {sum(counts)}\n")
    return text


def _bar(value: float, width: int = 20) -> str:
    filled = round(value * width)
    return "█" * filled + "·" * (width - filled)


def domains(c: CertReport) -> Table:
    r = c.readiness
    title = f"{c.certification.exam_code}: readiness {r.readiness}/100, {r.verdict}"
    if c.exam_date:
        title += f", exam {c.exam_date.isoformat()}"
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("Domain", overflow="fold", max_width=30)
    table.add_column("Predicted", no_wrap=True)
    table.add_column("Seen", justify="right")
    for d in r.domains:
        style = "green" if d.predicted_recall >= r.pass_mark else "red"
        table.add_row(
            d.name,
            Text(f"{_bar(d.predicted_recall)} {d.predicted_recall:4.0%}", style=style),
            f"{d.coverage:.0%}",
        )
    return table


def calibration(v: StatsView) -> Table:
    table = Table(
        title="Calibration: predicted against observed recall", title_justify="left", show_edge=False
    )
    for name in ("Predicted", "Answers", "Mean predicted", "Right"):
        table.add_column(name, justify="right")
    for b in v.calibration:
        table.add_row(f"{b.low:.0%}-{b.high:.0%}", str(b.answers), f"{b.predicted:.0%}", f"{b.observed:.0%}")
    if not v.calibration:
        table.add_row("-", "0", "-", "-")
    return table


def weak_and_mocks(c: CertReport) -> Text:
    text = Text(f"{c.certification.exam_code}: weakest topics (exam weight x gap)\n", style="bold")
    for w in c.readiness.weak_topics[:5]:
        acc = "-" if w.accuracy is None else f"{w.accuracy:.0%}"
        text.append(f"  {w.topic} ({w.domain}): {acc} right over {w.reviews}, {w.lapses} lapses\n")
    if c.mocks:
        text.append("Mock exams\n", style="bold")
        for m in c.mocks[-5:]:
            verdict = {True: "pass", False: "fail", None: "no pass mark"}[m.passed]
            text.append(f"  {m.taken_at:%Y-%m-%d}  {m.raw:.0%} right  {verdict}  {m.minutes_used:.0f} min\n")
    return text
