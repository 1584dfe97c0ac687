"""The `quizengine` command. The TUI is imported only when it is asked for."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from quizengine import __version__
from quizengine.config import ConfigError, Settings, resolve


def _now() -> datetime:
    return datetime.now(UTC)


def _add_common(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--db", default=default, help="database: a SQLAlchemy URL or a SQLite file path (env QUIZENGINE_DB)"
    )
    parser.add_argument(
        "--profile",
        default=default,
        help="whose progress (default: your OS user name; env QUIZENGINE_PROFILE)",
    )


def build_parser() -> argparse.ArgumentParser:
    # --db and --profile work before or after the command. On the sub-commands they default to
    # SUPPRESS: a sub-parser's own default would otherwise overwrite a value given before the command.
    common = argparse.ArgumentParser(add_help=False)
    _add_common(common, argparse.SUPPRESS)

    parser = argparse.ArgumentParser(
        prog="quizengine",
        description="Exam practice for ML and computer-vision certifications, in the terminal.",
    )
    _add_common(parser, None)
    parser.add_argument("--version", action="version", version=f"quizengine {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("home", parents=[common], help="open the home screen (the default)")

    study = sub.add_parser("study", parents=[common], help="study today's due and new questions")
    study.add_argument(
        "--cert", action="append", metavar="ID", help="certification id (repeatable; default: all you study)"
    )
    study.add_argument("--minutes", type=int, help="stop after this many minutes")
    study.add_argument(
        "--weak", action="store_true", help="drill your weakest topics (logged as drill; the schedule stays)"
    )
    study.add_argument(
        "--new", type=int, dest="new_per_day", metavar="N", help="new questions per day per certification"
    )

    mock = sub.add_parser("mock", parents=[common], help="a timed mock exam in the real exam's format")
    mock.add_argument(
        "cert_id", nargs="?", metavar="CERT", help="certification id (see `quizengine banks list`)"
    )
    mock.add_argument(
        "--format", dest="format_id", metavar="ID", help="exam format id (default: the bank's first)"
    )
    mock.add_argument(
        "--esl", action="store_true", help="add the extra minutes for non-native English speakers"
    )
    mock.add_argument(
        "--mode",
        default="exam",
        metavar="MODE",
        help="exam (real rules), practice (feedback, may pause) or domain:ID (one domain)",
    )
    mock.add_argument("--seed", type=int, help="assemble the same exam again")
    mock.add_argument("--strict", action="store_true", help="include the vendor's unscored items, unmarked")
    mock.add_argument("--resume", action="store_true", help="reopen the mock exam in progress")
    mock.add_argument("--history", action="store_true", help="list finished mocks for CERT with their scores")

    banks = sub.add_parser("banks", help="validate and list question banks")
    banks_sub = banks.add_subparsers(dest="banks_command", metavar="ACTION", required=True)
    validate = banks_sub.add_parser("validate", help="check bank files; never writes the database")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.add_argument("--json", action="store_true", help="print problems as JSON")
    validate.add_argument("--strict", action="store_true", help="also check answer-key hygiene (as CI does)")
    listing = banks_sub.add_parser(
        "list", parents=[common], help="installed banks with question counts per domain"
    )
    listing.add_argument("--json", action="store_true")
    reports = banks_sub.add_parser(
        "reports", parents=[common], help="problems learners reported with questions"
    )
    reports.add_argument("--cert", metavar="ID", help="only this certification")
    reports.add_argument("--json", action="store_true")

    certs = sub.add_parser("certs", help="choose the certifications you study")
    certs_sub = certs.add_subparsers(dest="certs_command", metavar="ACTION", required=True)
    certs_sub.add_parser("list", parents=[common], help="what you study, with due counts")
    for action in ("add", "drop"):
        p = certs_sub.add_parser(action, parents=[common], help=f"{action} a certification")
        p.add_argument("cert_id", metavar="ID")

    history = sub.add_parser("history", help="move a profile's whole history between databases")
    history_sub = history.add_subparsers(dest="history_command", metavar="ACTION", required=True)
    hexport = history_sub.add_parser("export", parents=[common], help="write the profile's history to a file")
    hexport.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    hexport.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    hexport.add_argument(
        "--format",
        choices=("json", "revlog"),
        default="json",
        help="json: everything, for history import; revlog: card_id,review_rating,review_time,"
        "review_duration (FSRS ratings 1-4) for scripts/eval_recall.py",
    )
    himport = history_sub.add_parser("import", parents=[common], help="add a history file to the profile")
    himport.add_argument("file", type=Path, metavar="FILE")

    plan = sub.add_parser(
        "plan",
        parents=[common],
        help="set an exam date; see days left, pace and readiness; or follow a certification stack",
        description="`plan CERT` sets or shows one exam; `plan stack [NAME] [--start YYYY-MM-DD]` lists the "
        "certification stacks, previews one, or follows it from a start date.",
    )
    plan.add_argument("cert_id", metavar="CERT", help="a certification id, or `stack`")
    plan.add_argument("stack_name", metavar="NAME", nargs="?", help="with `stack`: the stack's id")
    plan.add_argument(
        "--start", type=_date_arg, metavar="YYYY-MM-DD", help="with `stack NAME`: follow it from this day"
    )
    plan.add_argument("--exam-date", type=_date_arg, metavar="YYYY-MM-DD", help="the day you sit the exam")
    plan.add_argument(
        "--passed", type=_date_arg, metavar="YYYY-MM-DD", help="you passed it: track its expiry"
    )
    plan.add_argument("--clear", action="store_true", help="forget the exam date")

    export = sub.add_parser("export", help="readiness reports")
    export_sub = export.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    er = export_sub.add_parser(
        "readiness", parents=[common], help="how ready a profile (or the whole team) is for each exam"
    )
    er.add_argument("--cert", action="append", metavar="ID", help="certification id (repeatable)")
    er.add_argument("--all-profiles", action="store_true", help="every profile: the team report (reads only)")
    er.add_argument("--format", choices=("json", "csv", "md", "html"), help="default: from -o, else json")
    er.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of to stdout")
    er.add_argument("--force", action="store_true", help="overwrite FILE if it exists")

    anki = export_sub.add_parser("anki", parents=[common], help="an Anki deck (.apkg) of a bank, for a phone")
    anki.add_argument("cert_id", metavar="CERT")
    anki.add_argument("-o", "--output", type=Path, metavar="FILE.apkg", required=True)
    anki.add_argument("--force", action="store_true", help="overwrite FILE if it exists")

    dbp = sub.add_parser("db", help="database maintenance")
    db_sub = dbp.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", parents=[common], help="apply schema migrations to --db")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _dispatch(args)
    except ConfigError as exc:
        print(f"quizengine: config error: {exc}", file=sys.stderr)
        return 2
    except _CliError as exc:
        print(f"quizengine: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


class _CliError(Exception):
    pass


def _settings(args: argparse.Namespace) -> Settings:
    return resolve(
        {"db": args.db, "profile": args.profile, "new_per_day": getattr(args, "new_per_day", None)}
    )


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "banks" and args.banks_command == "validate":
        return _banks_validate(args)
    settings = _settings(args)
    from quizengine.storage import StorageError

    try:
        if args.command == "db":
            return _db_upgrade(settings)
        if args.command == "export" and args.export_command == "anki":
            return _export_anki(settings, args)
        if args.command == "export":
            return _export_readiness(settings, args)
        app_services = _open(settings)
        if args.command == "plan":
            return _plan(app_services, args)
        if args.command == "banks" and args.banks_command == "reports":
            return _banks_reports(app_services, args.cert, args.json)
        if args.command == "banks":
            return _banks_list(app_services, args.json)
        if args.command == "certs":
            return _certs(app_services, args)
        if args.command == "mock":
            return _mock(app_services, args)
        if args.command == "history":
            return _history(app_services, args)
        if args.command == "study":
            return _run_tui(
                app_services, start_study=True, certs=args.cert, minutes=args.minutes, weak=args.weak
            )
        return _run_tui(app_services, start_study=False, certs=None, minutes=None)
    except StorageError as exc:
        raise _CliError(str(exc)) from None


def _open(settings: Settings) -> Any:
    from quizengine.services.app import AppServices

    return AppServices.open(settings, clock=_now)


def _date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def _plan(app: Any, args: argparse.Namespace) -> int:
    if args.cert_id == "stack":
        return _plan_stack(app, args)
    if args.stack_name is not None or args.start is not None:
        raise _CliError("NAME and --start go with `plan stack NAME --start YYYY-MM-DD`")
    svc = app.readiness
    if args.clear:
        svc.set_exam_date(args.cert_id, None)
    elif args.exam_date is not None:
        if args.exam_date < app.study.today():
            raise _CliError(f"{args.exam_date} is in the past; give the day you will sit the exam")
        svc.set_exam_date(args.cert_id, args.exam_date)
    if args.passed is not None:
        svc.set_passed(args.cert_id, args.passed)
    (report,) = svc.report(app.study.profile, [args.cert_id]).certs
    print(_plan_text(report))
    return 0


def _plan_text(c: Any) -> str:
    r = c.readiness
    cert = c.certification
    lines = [f"{cert.exam_code}  {cert.name}"]
    if cert.lifecycle_warning():
        lines.append(f"  ! {cert.lifecycle_warning()}")
    if c.exam_date is None:
        lines.append("  no exam date set: `quizengine plan CERT --exam-date YYYY-MM-DD`")
    else:
        lines.append(f"  exam date {c.exam_date}  ({c.pace.days_left} days left)")
        lines.append(f"  pace: {c.pace.note}")
        lines.append(f"  new questions a day to cover the bank: {c.pace.new_per_day_needed}")
    lines.append(f"  readiness {r.readiness}/100: {r.verdict}")
    lines += [f"    - {reason}" for reason in r.reasons]
    for d in r.domains:
        lines.append(f"  {d.predicted_recall:5.0%} predicted  {d.coverage:4.0%} seen  {d.name}")
    if c.held is not None:
        expiry = c.held.expires_on or "no expiry published"
        lines.append(f"  held since {c.held.passed_on}, expires {expiry}")
    lines.append("  how this was computed:")
    lines += [f"    {line}" for line in r.formula]
    return "\n".join(lines)


def _plan_stack(app: Any, args: argparse.Namespace) -> int:
    svc = app.stacks
    if args.exam_date is not None or args.passed is not None:
        raise _CliError("set one exam's date with `plan CERT --exam-date`, not with `plan stack`")
    if args.clear:
        svc.clear()
        print("You no longer follow a stack; the exam dates it set stay (`plan CERT --clear` drops one).")
        return 0
    if args.stack_name is None:
        following = svc.progress()
        for stack in svc.available():
            mark = "*" if following and following.plan.stack.id == stack.id else " "
            low, high = stack.months
            print(f"{mark} {stack.id:24} {stack.name} ({low}-{high} months)")
            print(textwrap.fill(stack.summary, 104, initial_indent=" " * 27, subsequent_indent=" " * 27))
        print("\nfollow one: quizengine plan stack NAME --start YYYY-MM-DD")
        return 0
    if args.start is not None:
        print(_stack_text(svc.choose(args.stack_name, args.start)))
        return 0
    following = svc.progress()
    if following is not None and following.plan.stack.id == args.stack_name:
        print(_stack_text(following))
        return 0
    print(_stack_text(svc.preview(args.stack_name, app.study.today())))
    print("\nThis is a preview from today; follow it with --start YYYY-MM-DD.")
    return 0


def _stack_text(view: Any) -> str:
    """A stack plan (StackPlan) or a followed stack with progress (StackProgress), as text."""
    from quizengine.domain.stacks import StackProgress

    progress = view if isinstance(view, StackProgress) else None
    plan = progress.plan if progress else view
    stack = plan.stack
    low, high = stack.months
    lines = [
        f"{stack.name} ({stack.id}): {stack.total_months} months from {plan.start} to {plan.end}"
        f" (meant to take {low}-{high})",
        *textwrap.wrap(stack.summary, 100, initial_indent="  ", subsequent_indent="  "),
        "",
        f"  {'step':4}  {'exam':20}  {'study from':10}  {'exam date':10}"
        + ("  seen      state" if progress else ""),
    ]
    rows = progress.exams if progress else [None] * len(plan.exams)
    for exam, row in zip(plan.exams, rows, strict=True):
        when = row.exam_date if row else exam.exam_date
        line = f"  {exam.step:<4}  {exam.exam_code:20}  {exam.study_from}  {when}"
        if row is not None:
            line += f"  {row.seen_text:8}  {row.state_text}"
        lines.append(line)
        pad = " " * 8
        lines += textwrap.wrap(f"{exam.name}: {exam.why}", 104, initial_indent=pad, subsequent_indent=pad)
        if exam.note:
            lines.append(f"        ! {exam.note}")
    lines += ["", "  month by month:"]
    for month in plan.months:
        text = "study " + ", ".join(month.studying) if month.studying else "-"
        for code, day in month.exams:
            text += f"; exam {code} on {day}"
        lines.append(f"    {month.month:%Y-%m}  {text}")
    if progress is not None:
        current = progress.current
        lines.append("")
        if current is not None and current.planned.cert_id:
            days = (current.exam_date - progress.today).days
            lines.append(f"  now: {current.planned.exam_code}, exam in {days} days ({current.exam_date})")
        lines.append("  Each exam's date is set: move one with `plan CERT --exam-date YYYY-MM-DD`;")
        lines.append("  record a pass with `plan CERT --passed YYYY-MM-DD`.")
    return "\n".join(lines)


def _export_readiness(settings: Settings, args: argparse.Namespace) -> int:
    from quizengine.exports.readiness import render
    from quizengine.services.app import AppServices

    out: Path | None = args.output
    fmt = args.format or (out.suffix.lstrip(".").lower() if out else "json")
    fmt = {"markdown": "md", "htm": "html"}.get(fmt, fmt)
    if fmt not in ("json", "csv", "md", "html"):
        raise _CliError(f"cannot tell the format from {out}; pass --format json|csv|md|html")
    if out is not None and out.exists() and not args.force:
        raise _CliError(f"{out} exists; pass --force to overwrite it")
    app = AppServices.open(settings, clock=_now, read_only=True)
    try:
        svc = app.readiness
        team = bool(args.all_profiles)
        reports = app.team_reports(args.cert) if team else [svc.report(app.study.profile, args.cert)]
        text = render(reports, fmt, team=args.all_profiles, generated_at=app.study.now())
    finally:
        app.close()
    if out is None:
        sys.stdout.write(text)
        return 0
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.replace(out)  # never a half-written report
    print(f"wrote {fmt} readiness for {len(reports)} profile(s) to {out}", file=sys.stderr)
    return 0


def _export_anki(settings: Settings, args: argparse.Namespace) -> int:
    from quizengine.exports.anki import write_deck
    from quizengine.services.app import AppServices

    out: Path = args.output
    if out.exists() and not args.force:
        raise _CliError(f"{out} exists; pass --force to overwrite it")
    app = AppServices.open(settings, clock=_now, read_only=False)
    try:
        bank = app.study.banks().get(args.cert_id)
        if bank is None:
            raise _CliError(f"no installed bank `{args.cert_id}`; see `quizengine banks list`")
        count = write_deck(bank.certification, app.store.questions_of(args.cert_id), out)
    finally:
        app.close()
    print(f"wrote {count} notes of {bank.certification.exam_code} to {out} (re-importing updates them)")
    return 0


def _db_upgrade(settings: Settings) -> int:
    from quizengine.storage import Store

    store = Store.open(settings.db, migrate=True)
    where = store.engine.url.render_as_string(hide_password=True)
    store.close()
    print(f"database is up to date: {where}")
    return 0


def _banks_validate(args: argparse.Namespace) -> int:
    from quizengine.banks import validate_paths
    from quizengine.banks.stacks import load_stacks, stack_files

    banks, problems = validate_paths(args.paths)
    files = stack_files(p for p in args.paths if p.is_dir())
    stacks, stack_problems = load_stacks(files, {b.certification.id for b in banks})
    problems = sorted(problems + stack_problems)
    if args.strict:
        from quizengine.banks.hygiene import check

        problems = sorted(problems + check(banks))
    if args.json:
        print(
            json.dumps(
                {
                    "banks": [{"id": b.certification.id, "questions": len(b.questions)} for b in banks],
                    "stacks": [s.id for s in stacks],
                    "problems": [
                        {"file": p.file, "line": p.line, "message": p.message, "hint": p.hint}
                        for p in problems
                    ],
                },
                indent=2,
            )
        )
    else:
        for problem in problems:
            print(problem)
        for bank in banks:
            print(
                f"ok  {bank.certification.id}: {len(bank.questions)} questions in {len(bank.files)} file(s)"
            )
        if files:
            print(f"ok  stacks: {len(stacks)} in {len(files)} file(s)")
        if problems:
            print(f"{len(problems)} problem(s) found", file=sys.stderr)
    return 1 if problems else 0


def _banks_list(app: Any, as_json: bool) -> int:
    banks = app.study.banks()
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "id": b.certification.id,
                        "exam_code": b.certification.exam_code,
                        "name": b.certification.name,
                        "vendor": b.certification.vendor,
                        "status": b.certification.status.value,
                        "status_date": b.certification.status_date.isoformat(),
                        "successor": b.certification.successor,
                        "lifecycle": b.certification.lifecycle_warning(),
                        "version": b.version,
                        "questions": b.total,
                        "domains": [
                            {
                                "id": d.id,
                                "name": d.name,
                                "weight": d.weight,
                                "questions": b.counts.get(d.id, 0),
                            }
                            for d in b.domains
                        ],
                    }
                    for b in banks.values()
                ],
                indent=2,
            )
        )
        return 0
    for b in banks.values():
        c = b.certification
        print(f"{c.id}  {c.exam_code}  {c.name}  ({b.total} questions, guide {b.version})")
        if c.lifecycle_warning():
            print(f"    ! {c.lifecycle_warning()}")
        for d in b.domains:
            weight = f"{d.weight_range[0]:g}-{d.weight_range[1]:g} %" if d.weight_range else f"{d.weight:g} %"
            print(f"    {b.counts.get(d.id, 0):4d}  {d.name} ({weight})")
    return 0


def _banks_reports(app: Any, cert: str | None, as_json: bool) -> int:
    reports = app.store.reports(cert)
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "question_id": r.question_id,
                        "cert_id": r.cert_id,
                        "bank_version": r.bank_version,
                        "bank_hash": r.bank_hash,
                        "profile": r.profile,
                        "created_at": r.created_at.isoformat(),
                        "text": r.text,
                        "question_changed_since": not r.current,
                    }
                    for r in reports
                ],
                indent=2,
            )
        )
        return 0
    for r in reports:
        changed = "" if r.current else "  (question changed since)"
        when = f"{r.created_at:%Y-%m-%d %H:%M}"
        print(f"{when}  {r.question_id}  [{r.cert_id} {r.bank_version}]  {r.profile}{changed}")
        print(f"    {r.text}")
    if not reports:
        print("no reports")
    return 0


def _certs(app: Any, args: argparse.Namespace) -> int:
    if args.certs_command == "add":
        app.study.add_cert(args.cert_id)
        print(f"now studying {args.cert_id}")
    elif args.certs_command == "drop":
        app.study.drop_cert(args.cert_id)
        print(f"stopped studying {args.cert_id} (its history is kept)")
    else:
        home = app.study.home()
        for c in home.studying:
            line = f"{c.certification.id}: {c.due} due, {c.new_today} new today, {c.unseen}/{c.total} unseen"
            print(line + (f"  ! {c.warning}" if c.warning else ""))
        if not home.studying:
            print("not studying anything yet: quizengine certs add ID (see quizengine banks list)")
    return 0


# Textual paints at most 60 frames a second, so a screen change can wait up to 16.7 ms for its frame.
# The study screen only repaints on a key press, so a higher cap costs nothing while idle and halves
# that wait. Read by Textual at import time; a user's own TEXTUAL_FPS wins.
TEXTUAL_FPS = "120"


def _history(app: Any, args: argparse.Namespace) -> int:
    pid = app.study.profile_id
    if args.history_command == "export":
        out: Path = args.output
        if out.exists() and not args.force:
            raise _CliError(f"{out} exists; pass --force to overwrite it")
        if args.format == "revlog":
            return _write_revlog(app, out)
        data = app.store.export_history(pid)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        tmp.replace(out)  # never a half-written file
        reviews, mocks = len(data["reviews"]), len(data["mocks"])
        print(f"wrote {reviews} reviews and {mocks} mocks of {data['profile']} to {out}")
        return 0
    try:
        data = json.loads(args.file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _CliError(f"{args.file}: cannot read a history file ({exc})") from None
    counts = app.store.import_history(pid, data)
    print(
        f"imported into {app.study.profile}: {counts['reviews']} reviews"
        f" ({counts['reviews_skipped']} already here), {counts['mocks']} mocks"
        f" ({counts['mocks_skipped']} already here), {counts['reports']} reports"
    )
    return 0


def _write_revlog(app: Any, out: Path) -> int:
    """The profile's answers in the FSRS benchmark's revlog layout (q 0-2 -> 1, 3 -> 2, 4 -> 3, 5 -> 4)."""
    import csv

    from quizengine.services.recall import rating  # the same grade -> rating mapping the predictor uses

    log = app.store.answer_log(app.study.profile_id)
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["card_id", "review_rating", "review_time", "review_duration"])
        for a in log:
            writer.writerow(
                [a.question_id, rating(a.quality).value, a.answered_at.isoformat(), a.response_ms]
            )
    tmp.replace(out)
    print(f"wrote {len(log)} reviews of {app.study.profile} to {out}")
    return 0


def _mock(app: Any, args: argparse.Namespace) -> int:
    from quizengine.domain.mock import MockMode
    from quizengine.services.mock import MockError

    if args.history:
        if not args.cert_id:
            raise _CliError("say which certification: quizengine mock CERT --history")
        for past in app.mock.history(args.cert_id):
            r = past.result or {}
            shown = (
                f"{r['scaled']:g} scaled (estimate)"
                if r.get("scaled") is not None
                else f"{r['raw_percent']:g} %"
            )
            verdict = {True: "pass", False: "fail", None: "no pass mark"}[r.get("passed")]
            print(
                f"{past.clock.started_at:%Y-%m-%d %H:%M}  {past.format_id}  {past.mode.value}  {shown}"
                f"  {verdict}  {r.get('correct')}/{r.get('scored')}  {r.get('minutes_used')} min"
            )
        return 0
    if args.resume:
        factory = app.mock.resume
    else:
        if not args.cert_id:
            raise _CliError("say which certification: quizengine mock CERT (or --resume)")
        mode, _, domain = args.mode.partition(":")
        try:
            mock_mode = MockMode(mode)
        except ValueError:
            raise _CliError(f"--mode {args.mode!r}: use exam, practice or domain:ID") from None
        if mock_mode is MockMode.DOMAIN and not domain:
            raise _CliError("--mode domain needs a domain id, e.g. --mode domain:data-prep")
        options = {
            "format_id": args.format_id,
            "esl": args.esl,
            "mode": mock_mode,
            "seed": args.seed,
            "strict": args.strict,
            "only_domain": domain or None,
        }
        try:
            bank = app.mock.bank(args.cert_id)
            practical = any(f.id == args.format_id and f.kind.value == "practical" for f in bank.formats)
            run = (
                app.mock.start_practical(args.cert_id, args.format_id)
                if practical
                else app.mock.start(args.cert_id, **options)
            )
        except MockError as exc:
            raise _CliError(str(exc)) from None
        factory = lambda: run  # noqa: E731
    return _run_tui(app, start_study=False, certs=None, minutes=None, mock=factory)


def _run_tui(
    app_services: Any,
    *,
    start_study: bool,
    certs: list[str] | None,
    minutes: int | None,
    mock: Any = None,
    weak: bool = False,
) -> int:
    os.environ.setdefault("TEXTUAL_FPS", TEXTUAL_FPS)
    from quizengine.tui.app import QuizApp

    app = QuizApp(
        app_services,
        start_study=start_study,
        study_certs=certs,
        study_minutes=minutes,
        study_weak=weak,
        mock=mock,
    )
    app.run()
    return app.return_code or 0
