"""Calibration benchmark: how well plain SM-2 and quizengine's recall model predict the next answer.

    python scripts/eval_recall.py REVLOG.csv
    python scripts/eval_recall.py --simulate 2000 [--seed 7]     # a synthetic log (see below)

REVLOG.csv has the columns `card_id,review_rating,review_time,review_duration` (ratings 1-4: Again, Hard,
Good, Easy; ISO-8601 UTC times; duration in ms): the layout `quizengine history export --format revlog`
writes. The log is split chronologically 50/50; every review in the second half whose card was reviewed
before is a prediction: "is this answered correctly (rating > 1)?", made from the card's earlier reviews only.

- SM-2: the card's reviews replayed through SM-2 (ratings 1, 2, 3, 4 as grades 1, 3, 4, 5), R = 0.9^(t/I)
  with t the days since the last review and I the SM-2 interval.
- quizengine: the shipped predictor, FSRS-6 with its published default parameters (`fsrs` package).

Prints log loss, RMSE(bins) (predictions in 20 equal-width bins; the root of the count-weighted mean squared
gap between mean prediction and observed share right) and AUC, and whether the shipped predictor's log loss
is at least 10 % below SM-2's. `--simulate N` writes no file: it draws N cards of a synthetic learner whose
recall follows R = 0.9^(t / S) (SM-2's own curve, not FSRS's power curve) with a per-card growth of S,
scheduled by SM-2 as quizengine schedules: a test that favours SM-2's functional form, not FSRS's.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizengine.domain import sm2
from quizengine.services.recall import Event, RecallModel

GRADE = {1: 1, 2: 3, 3: 4, 4: 5}  # FSRS rating -> SM-2 grade (and quizengine's quality)
EPS = 1e-6


@dataclass(frozen=True)
class Row:
    card: str
    rating: int
    at: datetime
    duration_ms: int


def read_revlog(path: Path) -> list[Row]:
    rows = []
    with path.open(newline="", encoding="utf-8") as f:
        for n, rec in enumerate(csv.DictReader(f), start=2):
            try:
                at = datetime.fromisoformat(rec["review_time"].replace("Z", "+00:00"))
                rating = int(rec["review_rating"])
                if rating not in GRADE or at.tzinfo is None:
                    raise ValueError("rating must be 1-4 and the time must carry a UTC offset")
                rows.append(Row(rec["card_id"], rating, at.astimezone(UTC), int(rec["review_duration"] or 0)))
            except (KeyError, ValueError) as exc:
                raise SystemExit(f"{path}:{n}: {exc}") from None
    return sorted(rows, key=lambda r: r.at)


def simulate(cards: int, seed: int) -> list[Row]:
    """A learner whose true recall is R = 0.9^(t / S) with a card-specific growth of S on success.

    S starts at 0.5-4 days after the first answer, grows by the card's own factor (1.3-3.5, +-20 %) on each
    right answer and falls to 30 % on a wrong one. SM-2 schedules the reviews, as quizengine does.
    """
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, 9, tzinfo=UTC)
    rows: list[Row] = []
    for c in range(cards):
        growth = rng.uniform(1.3, 3.5)  # the card's true difficulty
        stability = rng.uniform(0.5, 4.0)  # days until recall falls to 90 %
        state = sm2.Sm2State()
        t = start + timedelta(days=rng.uniform(0, 120))
        last: datetime | None = None
        for _ in range(rng.randint(3, 12)):
            if last is None:
                right = rng.random() < 0.5  # first sight: half are known already
            else:
                elapsed = (t - last).total_seconds() / 86400
                right = rng.random() < 0.9 ** (elapsed / stability)
                stability = stability * growth * rng.uniform(0.8, 1.2) if right else max(0.3, stability * 0.3)
            rating = (4 if rng.random() < 0.2 else 3 if rng.random() < 0.8 else 2) if right else 1
            rows.append(Row(f"c{c}", rating, t, rng.randint(3000, 40000)))
            state = sm2.review(state, GRADE[rating])
            last = t
            t = t + timedelta(days=max(1, state.interval), hours=rng.uniform(-3, 3))
    return sorted(rows, key=lambda r: r.at)


def sm2_predictions(rows: Sequence[Row], test_from: datetime) -> list[tuple[float, int]]:
    states: dict[str, tuple[sm2.Sm2State, datetime]] = {}
    out = []
    for r in rows:
        seen = states.get(r.card)
        if seen is not None and r.at >= test_from:
            state, last = seen
            t = max(0.0, (r.at - last).total_seconds() / 86400)
            interval = max(1, state.interval)
            out.append((0.9 ** (t / interval), int(r.rating > 1)))
        state = seen[0] if seen else sm2.Sm2State()
        states[r.card] = (sm2.review(state, GRADE[r.rating]), r.at)
    return out


def model_predictions(rows: Sequence[Row], test_from: datetime) -> list[tuple[float, int]]:
    model = RecallModel()
    cards: dict[str, object] = {}
    out = []
    for r in rows:
        card = cards.get(r.card)
        if card is not None and r.at >= test_from:
            out.append((model.recall(card, r.at), int(r.rating > 1)))  # type: ignore[arg-type]
        cards[r.card] = model.replay_one(card, Event(r.card, r.at, GRADE[r.rating]))  # type: ignore[arg-type]
    return out


def log_loss(pairs: Iterable[tuple[float, int]]) -> float:
    items = list(pairs)
    return -sum(y * math.log(max(p, EPS)) + (1 - y) * math.log(max(1 - p, EPS)) for p, y in items) / len(
        items
    )


def rmse_bins(pairs: Iterable[tuple[float, int]], bins: int = 20) -> float:
    groups: dict[int, list[tuple[float, int]]] = {}
    for p, y in pairs:
        groups.setdefault(min(bins - 1, int(p * bins)), []).append((p, y))
    total = sum(len(g) for g in groups.values())
    sq = sum(
        len(g) * (sum(p for p, _ in g) / len(g) - sum(y for _, y in g) / len(g)) ** 2 for g in groups.values()
    )
    return math.sqrt(sq / total)


def auc(pairs: Iterable[tuple[float, int]]) -> float:
    """The probability that a random right answer got a higher prediction than a random wrong one."""
    items = sorted(pairs)
    ranks: list[float] = []
    i = 0
    while i < len(items):  # average ranks over ties
        j = i
        while j < len(items) and items[j][0] == items[i][0]:
            j += 1
        ranks += [(i + j + 1) / 2] * (j - i)
        i = j
    pos = sum(y for _, y in items)
    neg = len(items) - pos
    if not pos or not neg:
        return float("nan")
    rank_sum = sum(r for r, (_, y) in zip(ranks, items, strict=True) if y)
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revlog", nargs="?", type=Path)
    parser.add_argument("--simulate", type=int, metavar="CARDS", help="evaluate on a synthetic log instead")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.simulate:
        rows = simulate(args.simulate, args.seed)
        source = f"synthetic: {args.simulate} cards, seed {args.seed}"
    elif args.revlog:
        rows = read_revlog(args.revlog)
        source = str(args.revlog)
    else:
        parser.error("give REVLOG.csv or --simulate N")
    if len(rows) < 4:
        raise SystemExit("the log is too short to split")
    test_from = rows[len(rows) // 2].at
    results = {}
    for name, predict in (("sm2", sm2_predictions), ("quizengine", model_predictions)):
        pairs = predict(rows, test_from)
        results[name] = {
            "log_loss": log_loss(pairs),
            "rmse_bins": rmse_bins(pairs),
            "auc": auc(pairs),
            "n": len(pairs),
        }
    print(f"source: {source}; {len(rows)} reviews, predictions from {test_from.isoformat()}")
    print(f"{'predictor':<12} {'n':>7} {'log loss':>9} {'RMSE(bins)':>11} {'AUC':>6}")
    for name, m in results.items():
        print(f"{name:<12} {m['n']:>7} {m['log_loss']:>9.4f} {m['rmse_bins']:>11.4f} {m['auc']:>6.3f}")
    gain = 1 - results["quizengine"]["log_loss"] / results["sm2"]["log_loss"]
    verdict = "meets" if gain >= 0.10 else "misses"
    print(f"log loss {gain:.1%} below SM-2's: {verdict} the target of 10 %")
    return 0 if gain >= 0.10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
