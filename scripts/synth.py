"""Write synthetic but valid banks (for the benchmark and the kill tests); never shipped content."""

from __future__ import annotations

import argparse
from pathlib import Path

HEAD = """schema: 1
certification:
  id: {cert}
  name: Synthetic certification {cert}
  vendor: Example
  exam_code: {code}
  status: active
  status_date: 2026-01-01
  exam_guide_version: "1.0"
  sources: [https://docs.example.com/{cert}]
  last_verified: 2026-11-24
domains:
  - {{id: d1, name: Domain one, weight: 40}}
  - {{id: d2, name: Domain two, weight: 35}}
  - {{id: d3, name: Domain three, weight: 25}}
formats:
  - id: exam
    name: Synthetic exam
    kind: timed
    items: 65
    unscored_items: 15
    minutes: 130
    item_types: [single, multiple]
    scoring: {{method: scaled, scale: [100, 1000], pass_mark: 720}}
    source: https://docs.example.com/{cert}
    verified: 2026-11-24
questions:
"""

QUESTION = """  - id: {cert}-{n:06d}
    type: single
    domain: d{d}
    topics: [topic-{t}]
    difficulty: {diff}
    stem: |
      Synthetic scenario {n}: a team must choose a service for workload {n} with low latency and
      the least operational effort. Which option meets the requirements?
    options:
      - text: Option one for question {n}
        correct: {c0}
        why: Reason one for question {n}.
      - text: Option two for question {n}
        correct: {c1}
        why: Reason two for question {n}.
      - text: Option three for question {n}
        correct: {c2}
        why: Reason three for question {n}.
      - text: Option four for question {n}
        correct: {c3}
        why: Reason four for question {n}.
    explanation: Explanation for question {n}.
    references: [https://docs.example.com/{cert}/q{n}]
    verified: 2026-11-24
"""


def write_bank(folder: Path, cert: str, count: int, *, biased: bool = False) -> Path:
    """A bank folder ``folder/cert`` with ``count`` single-answer questions; returns the folder.

    Keys rotate over A-D, or with ``biased`` are always A (for the answer-key hygiene checks).
    """
    target = folder / cert
    target.mkdir(parents=True, exist_ok=True)
    parts = [HEAD.format(cert=cert, code=cert.upper()[:12])]
    for n in range(count):
        key = 0 if biased else n % 4
        flags = {f"c{i}": "true" if i == key else "false" for i in range(4)}
        parts.append(QUESTION.format(cert=cert, n=n, d=1 + n % 3, t=n % 17, diff=1 + n % 3, **flags))
    (target / "bank.yaml").write_text("".join(parts), encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--cert", default="synthetic")
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    print(write_bank(args.folder, args.cert, args.count))


if __name__ == "__main__":
    main()
