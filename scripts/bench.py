"""Performance report for quizengine (a benchmark, never a timed unit test).

Builds a synthetic collection of 10,000 questions (two banks of 5,000) and one profile with
1,000,000 review rows in a fresh SQLite file, then measures:

- first_question_s: process start to the first question painted (headless TUI, a real process; with
  `--tui-runs N` the median of N starts, and the per-answer figures below pool all N runs' answers);
- answer_to_next_ms_p50 / _p99: the work from the answer key press to the next question painted,
  without the learner's reading time: answer key -> committed and feedback painted
  (answer_to_feedback_ms), plus next key -> next question painted (next_key_to_question_ms);
  the key handlers are called directly (a test pilot adds its own waits), at the frame cap the
  `quizengine` command sets (TEXTUAL_FPS=120); answer_to_next_over_target_share is the share of answers
  whose pair took longer than the p99 target;
- unchanged_sync_s: syncing the banks when nothing changed (content hashes only);
- parse_5000_s: parsing and validating one 5,000-question bank;
- peak_rss_mb: peak resident memory of the TUI process (and of this process, for parsing);
- team_export_cold_s: `export readiness --all-profiles` before any recall state is kept (every review
  replayed); keep_recall_state_s: folding every profile's log into its kept state (what learners'
  processes do a step at a time); team_export_s: the same export once the state is kept.

Prints one JSON object. Targets (issue 2): first question <= 1.0 s, answer to next p99 <= 15 ms,
unchanged sync <= 0.1 s, 5,000-question parse <= 1.0 s, RSS <= 250 MB. With `--postgres URL` (an empty
database; add `--profiles 50 --reviews 20000` for issue 6's scale) the same measures run on PostgreSQL.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from quizengine.banks import BankSource, load_bank  # noqa: E402
from quizengine.services.banks import bank_dirs, sync_banks  # noqa: E402
from quizengine.storage import Store  # noqa: E402
from scripts.synth import write_bank  # noqa: E402

TARGETS = {
    "first_question_s": 1.0,
    "answer_to_next_ms_p99": 15.0,
    "unchanged_sync_s": 0.1,
    "parse_5000_s": 1.0,
    "peak_rss_mb": 250.0,
}

# Issue 6's targets on PostgreSQL (team mode): first question 1.2 s, answer to next question p99 25 ms.
POSTGRES_TARGETS = {"first_question_s": 1.2, "answer_to_next_ms_p99": 25.0, "team_export_s": 5.0}

CHILD = r"""
import asyncio, json, sys, time
from datetime import UTC, datetime
from pathlib import Path
from quizengine.config import Settings
from quizengine.services.app import AppServices
from quizengine.tui.app import QuizApp
from quizengine.tui.screens.study import StudyScreen

db, banks, answers = sys.argv[1], sys.argv[2], int(sys.argv[3])
settings = Settings(db=db, profile="bench", timezone="UTC", bank_dirs=(Path(banks),))
services = AppServices.open(settings, clock=lambda: datetime.now(UTC))


def peak_rss_mb():
    # VmHWM is this process's own high-water mark (ru_maxrss would include the parent's, kept across exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def painted(widget):
    done = asyncio.get_running_loop().create_future()
    widget.call_after_refresh(lambda: done.done() or done.set_result(time.perf_counter()))
    return await done


async def main():
    app = QuizApp(services, start_study=True)
    async with app.run_test(size=(100, 30)) as pilot:
        while not isinstance(app.screen, StudyScreen) or app.screen.view is None:
            await asyncio.sleep(0)
        await painted(app.screen)
        print(json.dumps({"first_painted_at": time.time()}), flush=True)
        await pilot.pause()
        gaps = []
        for i in range(answers):
            screen = app.screen
            if not isinstance(screen, StudyScreen) or screen.view is None:
                break
            # the key handlers themselves, without the test pilot's own waits
            t0 = time.perf_counter()
            screen.action_pick(i % 4)
            screen.action_submit("normal")    # committed, feedback shown
            tf = await painted(screen)
            tn = time.perf_counter()          # (the learner reads the feedback here)
            screen.action_next()              # next question shown
            t1 = await painted(screen)
            gaps.append([(tf - t0) * 1000, (t1 - tn) * 1000])
        print(json.dumps({"gaps_ms": gaps, "rss_mb": peak_rss_mb()}), flush=True)
        app.exit()

asyncio.run(main())
"""


def build(
    folder: Path, reviews: int, postgres: str | None = None, profiles: int = 1
) -> tuple[Path, str, Path]:
    """The synthetic collection, and ``reviews`` log rows for each of ``profiles`` profiles."""
    banks = folder / "banks"
    write_bank(banks, "bench-a", 5000)
    write_bank(banks, "bench-b", 5000)
    db = postgres or str(folder / "bench.db")
    store = Store.open(db, migrate=True)
    now = datetime.now(UTC)
    # The shipped banks too, as on any start after the first: otherwise the measured first start would
    # include installing them (about 1,100 questions, a one-off cost of some 0.4 s).
    sync_banks(store, bank_dirs([banks]), now)
    pids = []
    for n in range(profiles):
        pid = store.profile_id("bench" if n == 0 else f"engineer-{n:02d}", now)
        store.add_cert(pid, "bench-a", now)
        store.add_cert(pid, "bench-b", now)
        pids.append(pid)
    store.close()
    for pid in pids:
        if postgres:
            _fill_history_postgres(postgres, pid, reviews, now)
        else:
            _fill_history(Path(db), pid, reviews, now)
    return banks, db, banks / "bench-a"


def _history_rows(
    pid: int, reviews: int, now: datetime
) -> tuple[list[tuple[object, ...]], Iterator[tuple[object, ...]]]:
    """8,000 cards (300 due today) and ``reviews`` log rows over two years, for one profile.

    The log rows are generated lazily: a million tuples held at once would inflate this process
    (and slow the parse measured in it afterwards).
    """
    rng = random.Random(42 + pid)
    today = now.date()
    qids = [f"bench-a-{n:06d}" for n in range(4000)] + [f"bench-b-{n:06d}" for n in range(4000)]
    naive_now = now.replace(tzinfo=None).isoformat(sep=" ")
    cards: list[tuple[object, ...]] = []
    for i, qid in enumerate(qids):
        due = (
            today - timedelta(days=rng.randint(0, 3))
            if i < 300
            else today + timedelta(days=rng.randint(1, 200))
        )
        cards.append((pid, qid, 5, 250, 30, due.isoformat(), 10, 1, naive_now))
    return cards, _log_rows(pid, reviews, now, qids, rng)


def _log_rows(
    pid: int, reviews: int, now: datetime, qids: list[str], rng: random.Random
) -> Iterator[tuple[object, ...]]:
    start = now - timedelta(days=730)
    for n in range(reviews):
        at = start + timedelta(seconds=n * (730 * 86400 // max(reviews, 1)))
        day = at.date()
        yield (
            str(uuid.UUID(int=rng.getrandbits(128))),
            pid,
            qids[n % len(qids)],
            at.replace(tzinfo=None).isoformat(sep=" "),
            day.isoformat(),
            "review",
            "[0]",
            1,
            4,
            9000,
            3,
            250,
            6,
            day.isoformat(),
            4,
            250,
            15,
            (day + timedelta(days=15)).isoformat(),
            None,
        )


def _fill_history_postgres(url: str, pid: int, reviews: int, now: datetime) -> None:
    import psycopg

    cards, rows = _history_rows(pid, reviews, now)
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn, conn.cursor() as cur:
        with cur.copy("COPY cards FROM STDIN") as copy:
            for card in cards:
                copy.write_row((*card[:8], f"{card[8]}+00"))
        columns = (
            "uid, profile_id, question_id, answered_at, study_day, kind, choices, correct, quality,"
            " response_ms, before_repetitions, before_ef_hundredths, before_interval_days, before_due,"
            " after_repetitions, after_ef_hundredths, after_interval_days, after_due, session_id"
        )
        with cur.copy(f"COPY reviews ({columns}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row((*r[:3], f"{r[3]}+00", r[4], r[5], r[6], bool(r[7]), *r[8:]))
        cur.execute("ANALYZE")


def _fill_history(db: Path, pid: int, reviews: int, now: datetime) -> None:
    cards, rows = _history_rows(pid, reviews, now)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA synchronous=OFF")
    conn.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?)", cards)
    while batch := list(itertools.islice(rows, 50_000)):
        _insert_reviews(conn, batch)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def _insert_reviews(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    conn.executemany(
        "INSERT INTO reviews (uid, profile_id, question_id, answered_at, study_day, kind, choices, correct,"
        " quality,"
        " response_ms, before_repetitions, before_ef_hundredths, before_interval_days, before_due,"
        " after_repetitions, after_ef_hundredths, after_interval_days, after_due, session_id)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )


def measure_tui(
    db: str, banks: Path, answers: int, runs: int = 1, target_ms: float = 15.0
) -> dict[str, float]:
    """Start the TUI ``runs`` times; the first question is the median start, the per-answer figures pool
    every run's answers (a p99 over a few hundred answers turns on its three slowest)."""
    from quizengine.cli import TEXTUAL_FPS

    env = {**os.environ, "PYTHONPATH": str(REPO), "TEXTUAL_FPS": TEXTUAL_FPS}  # as `quizengine` runs it
    firsts: list[float] = []
    steps: list[list[float]] = []
    rss = 0.0
    for _ in range(runs):
        started = time.time()
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db), str(banks), str(answers)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        out, err = proc.communicate(timeout=600)
        if proc.returncode != 0:
            raise SystemExit(f"TUI child failed:\n{err}")
        lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        firsts.append(lines[0]["first_painted_at"] - started)
        steps += lines[1]["gaps_ms"]
        rss = max(rss, lines[1]["rss_mb"])
    pairs = [a + b for a, b in steps]
    return {
        "first_question_s": round(statistics.median(firsts), 3),
        **_percentiles("answer_to_next_ms", pairs),
        "answer_to_next_over_target_share": round(sum(1 for p in pairs if p > target_ms) / len(pairs), 4),
        **_percentiles("answer_to_feedback_ms", [a for a, _ in steps]),
        **_percentiles("next_key_to_question_ms", [b for _, b in steps]),
        "answers_timed": len(steps),
        "tui_runs": runs,
        "peak_rss_mb": round(rss, 1),
    }


def keep_recall_states(db: str) -> dict[str, float]:
    """Fold every profile's whole log into its kept recall state, as the learners' own processes do a step
    at a time when they close (the synthetic log was written without them)."""
    from quizengine.config import Settings
    from quizengine.services.app import AppServices

    store = Store.open(db)
    names = [name for _id, name in store.profiles()]
    store.close()
    t = time.perf_counter()
    for name in names:
        app = AppServices.open(Settings(db=db, profile=name), clock=lambda: datetime.now(UTC), sync=False)
        app.readiness.refresh_recall_state()
        app.close()
    return {"keep_recall_state_s": round(time.perf_counter() - t, 2)}


def measure_team_export(db: str, folder: Path, name: str = "team_export_s") -> dict[str, float]:
    """`quizengine export readiness --all-profiles` as a lead runs it: a whole process, JSON to a file."""
    out = folder / "team.json"
    out.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cmd = [
        sys.executable,
        "-m",
        "quizengine",
        "export",
        "readiness",
        "--all-profiles",
        "--db",
        db,
        "-o",
        str(out),
    ]
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return {name: round(time.perf_counter() - t, 2)}


def _percentiles(name: str, values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {f"{name}_p50": round(statistics.median(ordered), 2), f"{name}_p99": round(p99, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument(
        "--postgres", metavar="URL", help="measure on this (empty) PostgreSQL database instead"
    )
    parser.add_argument("--profiles", type=int, default=1, help="profiles, each with --reviews rows")
    parser.add_argument(
        "--tui-runs", type=int, default=1, help="start the TUI this many times and pool the answers timed"
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="quizengine-bench-"))
    folder.mkdir(parents=True, exist_ok=True)

    t = time.perf_counter()
    banks, db, one_bank = build(folder, args.reviews, args.postgres, args.profiles)
    build_s = time.perf_counter() - t

    t = time.perf_counter()
    bank = load_bank(BankSource(one_bank, tuple(sorted(one_bank.glob("*.yaml")))))
    parse_s = time.perf_counter() - t
    assert len(bank.questions) == 5000

    store = Store.open(db)
    t = time.perf_counter()
    report = sync_banks(store, bank_dirs([banks]), datetime.now(UTC))  # what every start does
    sync_s = time.perf_counter() - t
    assert report.unchanged >= 2
    assert not report.installed
    store.close()

    result: dict[str, object] = {
        "database": "postgresql" if args.postgres else "sqlite",
        "questions": 10_000,
        "profiles": args.profiles,
        "review_rows": args.reviews * args.profiles,
        "parse_5000_s": round(parse_s, 3),
        "unchanged_sync_s": round(sync_s, 4),
        **measure_tui(
            db,
            banks,
            args.answers,
            args.tui_runs,
            (POSTGRES_TARGETS if args.postgres else TARGETS)["answer_to_next_ms_p99"],
        ),
        **measure_team_export(db, folder, "team_export_cold_s"),
        **keep_recall_states(db),
        **measure_team_export(db, folder),
        "parse_process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "build_s": round(build_s, 1),
        "python": sys.version.split()[0],
    }
    targets = {**TARGETS, **(POSTGRES_TARGETS if args.postgres else {})}
    result["targets_met"] = {k: float(result[k]) <= v for k, v in targets.items()}  # type: ignore[arg-type]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
