"""Readiness reports as JSON, CSV, Markdown and a self-contained HTML page.

Everything that comes from a bank (names, topics) is treated as untrusted text: CSV cells that a
spreadsheet would run as a formula are neutralised, Markdown table cells are escaped, and HTML is escaped
and served under a Content-Security-Policy that forbids every script.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from quizengine.domain.stacks import StackProgress
from quizengine.services.readiness import CertReport, ProfileReport

SCHEMA_VERSION = 1
SCHEMA_ID = "https://quizengine.invalid/schema/readiness-1.json"
FORMATS = ("json", "csv", "md", "html")
CSP = "default-src 'none'; style-src 'unsafe-inline'"  # no script of any kind may run in the HTML report


def render(reports: Sequence[ProfileReport], fmt: str, *, team: bool, generated_at: datetime) -> str:
    if fmt == "json":
        return to_json(reports, team=team, generated_at=generated_at)
    if fmt == "csv":
        return to_csv(reports)
    if fmt == "md":
        return to_markdown(reports, generated_at=generated_at)
    if fmt == "html":
        return to_html(reports, generated_at=generated_at)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


# --- JSON ----------------------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def cert_json(c: CertReport) -> dict[str, Any]:
    r = c.readiness
    cert = c.certification
    return {
        "id": cert.id,
        "exam_code": cert.exam_code,
        "name": cert.name,
        "status": cert.status.value,
        "status_date": _iso(cert.status_date),
        "successor": cert.successor,
        "lifecycle": cert.lifecycle_warning(),
        "exam_date": _iso(c.exam_date),
        "readiness": r.readiness,
        "expected_score": _r(r.expected),
        "expected_band": [_r(r.band[0]), _r(r.band[1])],
        "blended_score": _r(r.blended),
        "pass_mark": _r(r.pass_mark),
        "pass_mark_note": r.pass_note,
        "verdict": r.verdict,
        "reasons": list(r.reasons),
        "formula": list(r.formula),
        "domains": [
            {
                "id": d.id,
                "name": d.name,
                "weight": _r(d.weight),
                "questions": d.questions,
                "coverage": _r(d.coverage),
                "accuracy": _r(d.accuracy),
                "predicted_recall": _r(d.predicted_recall),
            }
            for d in r.domains
        ],
        "weak_topics": [
            {
                "topic": w.topic,
                "domain": w.domain,
                "accuracy": _r(w.accuracy),
                "reviews": w.reviews,
                "lapses": w.lapses,
                "mean_ef": _r(w.mean_ef, 2),
                "predicted_recall": _r(w.recall_exam),
                "predicted_recall_now": _r(w.recall_now),
                "priority": _r(w.priority),
            }
            for w in r.weak_topics
        ],
        "mocks": [
            {
                "taken_at": _iso(m.taken_at),
                "score": _r(m.raw),
                "scaled_estimate": m.scaled,
                "passed": m.passed,
                "minutes_used": m.minutes_used,
            }
            for m in c.mocks
        ],
        "pace": None
        if c.pace is None
        else {
            "days_left": c.pace.days_left,
            "unseen": c.pace.unseen,
            "new_per_day_needed": c.pace.new_per_day_needed,
            "new_per_day_recent": _r(c.pace.new_per_day_recent, 2),
            "on_track": c.pace.on_track,
            "note": c.pace.note,
        },
        "study_minutes": round(c.study_minutes, 1),
        "suggested_study_hours": c.suggested_hours,
        "held": None
        if c.held is None
        else {"passed_on": _iso(c.held.passed_on), "expires_on": _iso(c.held.expires_on)},
    }


def stack_json(stack: StackProgress | None) -> dict[str, Any] | None:
    if stack is None:
        return None
    plan = stack.plan
    return {
        "id": plan.stack.id,
        "name": plan.stack.name,
        "start": _iso(plan.start),
        "end": _iso(plan.end),
        "months": plan.stack.total_months,
        "exams": [
            {
                "step": e.planned.step,
                "cert_id": e.planned.cert_id,
                "exam_code": e.planned.exam_code,
                "study_from": _iso(e.planned.study_from),
                "exam_date": _iso(e.exam_date),
                "state": e.state,
                "seen": e.seen,
                "questions": e.total,
                "passed_on": _iso(e.passed_on),
                "note": e.planned.note,
            }
            for e in stack.exams
        ],
    }


def profile_json(p: ProfileReport) -> dict[str, Any]:
    return {
        "profile": p.profile,
        "generated_at": _iso(p.generated_at),
        "stack": stack_json(p.stack),
        "certifications": [cert_json(c) for c in p.certs],
    }


def to_json(reports: Sequence[ProfileReport], *, team: bool, generated_at: datetime) -> str:
    head = {"$schema": SCHEMA_ID, "schema_version": SCHEMA_VERSION}
    if team:
        data = {**head, "generated_at": _iso(generated_at), "profiles": [profile_json(p) for p in reports]}
    else:
        (only,) = reports
        data = {**head, **profile_json(only)}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- CSV -----------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "profile", "cert_id", "exam_code", "status", "exam_date", "readiness", "verdict", "expected_score",
    "pass_mark", "domain_id", "domain_name", "weight", "coverage", "accuracy", "predicted_recall",
    "study_hours", "generated_at", "stack", "stack_step",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: text starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(reports: Sequence[ProfileReport]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for p in reports:
        steps = {e.planned.cert_id: e.planned.step for e in p.stack.exams} if p.stack else {}
        stack_id = p.stack.plan.stack.id if p.stack else ""
        for c in p.certs:
            r = c.readiness
            step = steps.get(c.certification.id)
            for d in r.domains:
                row = (
                    p.profile, c.certification.id, c.certification.exam_code, c.certification.status.value,
                    _iso(c.exam_date) or "", r.readiness, r.verdict, _r(r.expected), _r(r.pass_mark),
                    d.id, d.name, _r(d.weight), _r(d.coverage), "" if d.accuracy is None else _r(d.accuracy),
                    _r(d.predicted_recall), round(c.study_hours, 2), _iso(p.generated_at),
                    stack_id if step else "", step or "",
                )  # fmt: skip
                writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


# --- Markdown ------------------------------------------------------------------------------------


def _md(text: object) -> str:
    """Text safe inside a Markdown table cell or line: no HTML, no pipes, no line breaks."""
    s = html.escape(str(text), quote=False)
    return s.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def to_markdown(reports: Sequence[ProfileReport], *, generated_at: datetime) -> str:
    lines = ["# Exam readiness", "", f"Generated {generated_at:%Y-%m-%d %H:%M} UTC by quizengine.", ""]
    for p in reports:
        lines += [f"## {_md(p.profile)}", ""]
        lines += _md_stack(p.stack)
        if not p.certs:
            lines += ["No certification studied yet.", ""]
        for c in p.certs:
            lines += _md_cert(c)
    return "\n".join(lines).rstrip() + "\n"


def _md_stack(stack: StackProgress | None) -> list[str]:
    if stack is None:
        return []
    plan = stack.plan
    out = [
        f"Certification stack: **{_md(plan.stack.name)}**, {plan.start.isoformat()} to "
        f"{plan.end.isoformat()}.",
        "",
        "| Step | Exam | Study from | Exam date | Seen | State |",
        "|---:|---|---|---|---:|---|",
    ]
    for e in stack.exams:
        out.append(
            f"| {e.planned.step} | {_md(e.planned.exam_code)} | {e.planned.study_from.isoformat()} "
            f"| {e.exam_date.isoformat()} | {e.seen_text} | {_md(e.state_text)} |"
        )
    out += [f"- {_md(e.planned.exam_code)}: {_md(e.planned.note)}" for e in stack.exams if e.planned.note]
    return [*out, ""]


def _md_cert(c: CertReport) -> list[str]:
    r = c.readiness
    cert = c.certification
    out = [f"### {_md(cert.exam_code)}: {_md(cert.name)}", ""]
    if cert.lifecycle_warning():
        out += [f"> {_md(cert.lifecycle_warning())}", ""]
    exam = f"exam date {c.exam_date.isoformat()}" if c.exam_date else "no exam date set"
    out += [
        f"**Readiness {r.readiness}/100: {r.verdict}** ({exam}). Expected score {_pct(r.expected)} "
        f"(80 % band {_pct(r.band[0])} to {_pct(r.band[1])}); pass mark {_pct(r.pass_mark)}.",
        "",
    ]
    out += [f"- {_md(reason)}" for reason in r.reasons]
    if c.pace is not None:
        out.append(f"- {c.pace.days_left} days left; {_md(c.pace.note)}")
    hours = f"{c.study_hours:.1f} h studied"
    if c.suggested_hours:
        hours += f" (vendor guidance {_md(c.suggested_hours)} h)"
    out.append(f"- {hours}")
    if c.held is not None:
        expiry = c.held.expires_on.isoformat() if c.held.expires_on else "no expiry published"
        out.append(f"- Held since {c.held.passed_on.isoformat()}, expires {expiry}")
    out += ["", "| Domain | Weight | Coverage | Accuracy | Predicted recall |", "|---|---:|---:|---:|---:|"]
    for d in r.domains:
        out.append(
            f"| {_md(d.name)} | {_pct(d.weight)} | {_pct(d.coverage)} | {_pct(d.accuracy)} "
            f"| {_pct(d.predicted_recall)} |"
        )
    if r.weak_topics:
        out += [
            "",
            "Weak topics (exam weight x gap):",
            "",
            "| Topic | Domain | Accuracy | Reviews | Lapses |",
        ]
        out.append("|---|---|---:|---:|---:|")
        for w in r.weak_topics:
            out.append(
                f"| {_md(w.topic)} | {_md(w.domain)} | {_pct(w.accuracy)} | {w.reviews} | {w.lapses} |"
            )
    if c.mocks:
        out += ["", "Mock exams:", ""]
        for m in c.mocks:
            verdict = {True: "pass", False: "fail", None: "no pass mark"}[m.passed]
            out.append(f"- {m.taken_at:%Y-%m-%d}: {_pct(m.raw)} right, {verdict}, {m.minutes_used:.0f} min")
    out += ["", "How this was computed:", ""]
    out += [f"- {_md(line)}" for line in r.formula]
    out.append("")
    return out


# --- HTML ----------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem;color:#222}
h1{font-size:1.6rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}
.ready{color:#176f2c}.borderline{color:#8a6100}.not-ready{color:#a11}.warn{background:#fff4d6;padding:.3rem}
.formula{font-family:monospace;font-size:.85rem;color:#444}
"""


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def to_html(reports: Sequence[ProfileReport], *, generated_at: datetime) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        # No script may run, whatever a bank contains: only inline styles and inline SVG are allowed.
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        "<title>Exam readiness</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Exam readiness</h1>",
        f"<p>Generated {generated_at:%Y-%m-%d %H:%M} UTC by quizengine.</p>",
    ]
    for p in reports:
        parts.append(f"<h2>{_h(p.profile)}</h2>")
        parts += _html_stack(p.stack)
        if not p.certs:
            parts.append("<p>No certification studied yet.</p>")
        for c in p.certs:
            parts += _html_cert(c)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_stack(stack: StackProgress | None) -> list[str]:
    if stack is None:
        return []
    plan = stack.plan
    out = [
        f"<p>Certification stack: <strong>{_h(plan.stack.name)}</strong>, "
        f"{plan.start.isoformat()} to {plan.end.isoformat()}.</p>",
        _stack_chart(stack),
    ]
    rows = []
    for e in stack.exams:
        note = _h(e.planned.note or "")
        rows.append(
            (str(e.planned.step), _h(e.planned.exam_code), e.planned.study_from.isoformat(),
             e.exam_date.isoformat(), e.seen_text, _h(e.state_text), note)
        )  # fmt: skip
    out.append(_html_table(("Step", "Exam", "Study from", "Exam date", "Seen", "State", "Note"), rows))
    return out


def _stack_chart(stack: StackProgress) -> str:
    """A timeline: one bar per exam from its first study day to its exam date, and today as a line."""
    plan = stack.plan
    label_w, chart_w, row_h = 180, 420, 22
    span = max(1, (plan.end - plan.start).days)
    height = row_h * len(stack.exams) + 10
    colours = {"passed": "#2e8b57", "studying": "#2c6fbb", "upcoming": "#9bb7d4"}
    parts = [
        f'<svg width="{label_w + chart_w + 10}" height="{height}" role="img" aria-label="stack timeline">'
    ]
    for i, e in enumerate(stack.exams):
        y = 5 + i * row_h
        x0 = label_w + round(chart_w * (e.planned.study_from - plan.start).days / span)
        x1 = label_w + round(chart_w * min(span, (e.exam_date - plan.start).days) / span)
        fill = colours.get(e.state, "#d4a017")
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{_h(e.planned.exam_code)}</text>')
        parts.append(f'<rect x="{x0}" y="{y}" width="{max(2, x1 - x0)}" height="16" fill="{fill}"/>')
    if plan.start <= stack.today <= plan.end:
        x = label_w + round(chart_w * (stack.today - plan.start).days / span)
        parts.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{height}" stroke="#333" stroke-dasharray="3,2"/>')
    parts.append("</svg>")
    return "".join(parts)


def _html_cert(c: CertReport) -> list[str]:
    r = c.readiness
    cert = c.certification
    css = r.verdict.replace(" ", "-")
    out = [f"<h3>{_h(cert.exam_code)}: {_h(cert.name)}</h3>"]
    if cert.lifecycle_warning():
        out.append(f'<p class="warn">{_h(cert.lifecycle_warning())}</p>')
    exam = f"exam date {c.exam_date.isoformat()}" if c.exam_date else "no exam date set"
    out.append(
        f'<p><strong class="{css}">Readiness {r.readiness}/100: {_h(r.verdict)}</strong> ({_h(exam)}). '
        f"Expected score {_pct(r.expected)} (80 % band {_pct(r.band[0])} to {_pct(r.band[1])}); "
        f"pass mark {_pct(r.pass_mark)}.</p>"
    )
    out.append(_gauge(r.readiness))
    items = [_h(reason) for reason in r.reasons]
    if c.pace is not None:
        items.append(f"{c.pace.days_left} days left; {_h(c.pace.note)}")
    hours = f"{c.study_hours:.1f} h studied"
    if c.suggested_hours:
        hours += f" (vendor guidance {_h(c.suggested_hours)} h)"
    items.append(hours)
    if c.held is not None:
        expiry = c.held.expires_on.isoformat() if c.held.expires_on else "no expiry published"
        items.append(f"Held since {c.held.passed_on.isoformat()}, expires {expiry}")
    out.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
    out.append(_domain_chart(c))
    domain_rows = [
        (_h(d.name), _pct(d.weight), _pct(d.coverage), _pct(d.accuracy), _pct(d.predicted_recall))
        for d in r.domains
    ]
    out.append(_html_table(("Domain", "Weight", "Coverage", "Accuracy", "Predicted"), domain_rows))
    if r.weak_topics:
        out.append("<p>Weak topics (exam weight x gap):</p>")
        topic_rows = [
            (_h(w.topic), _h(w.domain), _pct(w.accuracy), str(w.reviews), str(w.lapses))
            for w in r.weak_topics
        ]
        out.append(_html_table(("Topic", "Domain", "Accuracy", "Reviews", "Lapses"), topic_rows))
    if c.mocks:
        out.append("<p>Mock exams:</p><ul>")
        for m in c.mocks:
            verdict = {True: "pass", False: "fail", None: "no pass mark"}[m.passed]
            out.append(
                f"<li>{m.taken_at:%Y-%m-%d}: {_pct(m.raw)} right, {verdict}, {m.minutes_used:.0f} min</li>"
            )
        out.append("</ul>")
    out.append('<p class="formula">' + "<br>".join(_h(line) for line in r.formula) + "</p>")
    return out


def _html_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table of cells that are already escaped."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _gauge(readiness: int) -> str:
    width = 300
    fill = round(width * readiness / 100)
    colour = "#2e8b57" if readiness >= 80 else "#d4a017" if readiness >= 50 else "#c0392b"
    return (
        f'<svg width="{width}" height="16" role="img" aria-label="readiness {readiness} of 100">'
        f'<rect width="{width}" height="16" fill="#eee"/>'
        f'<rect width="{fill}" height="16" fill="{colour}"/></svg>'
    )


def _domain_chart(c: CertReport) -> str:
    """Horizontal bars of predicted recall per domain, with the pass mark as a vertical line."""
    r = c.readiness
    label_w, bar_w, row_h = 260, 300, 22
    height = row_h * len(r.domains) + 10
    parts = [
        f'<svg width="{label_w + bar_w + 60}" height="{height}" role="img" '
        f'aria-label="predicted recall per domain">'
    ]
    for i, d in enumerate(r.domains):
        y = 5 + i * row_h
        name = d.name if len(d.name) <= 40 else d.name[:39] + "..."
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{_h(name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="16" fill="#eee"/>')
        fill = "#2e8b57" if d.predicted_recall >= r.pass_mark else "#c0392b"
        bar = round(bar_w * d.predicted_recall)
        parts.append(f'<rect x="{label_w}" y="{y}" width="{bar}" height="16" fill="{fill}"/>')
        parts.append(
            f'<text x="{label_w + bar_w + 5}" y="{y + 14}" font-size="12">{_pct(d.predicted_recall)}</text>'
        )
    x = label_w + round(bar_w * r.pass_mark)
    parts.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{height}" stroke="#333" stroke-dasharray="3,2"/>')
    parts.append("</svg>")
    return "".join(parts)
