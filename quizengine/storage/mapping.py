"""Domain objects <-> plain JSON kept in the database (bank metadata and question payloads)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date
from typing import Any

from quizengine.domain.model import (
    CaseStudy,
    Certification,
    CertStatus,
    Domain,
    ExamFormat,
    FormatKind,
    Option,
    Pair,
    PracticalTask,
    Question,
    QuestionType,
    Scoring,
    Step,
)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def question_to_json(q: Question) -> dict[str, Any]:
    data: dict[str, Any] = _plain(asdict(q))
    return data


def question_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def question_from_json(d: dict[str, Any]) -> Question:
    return Question(
        id=d["id"],
        cert_id=d["cert_id"],
        type=QuestionType(d["type"]),
        domain=d["domain"],
        topics=tuple(d["topics"]),
        difficulty=d["difficulty"],
        stem=d["stem"],
        explanation=d["explanation"],
        references=tuple(d["references"]),
        verified=date.fromisoformat(d["verified"]),
        guide_version=d["guide_version"],
        options=tuple(Option(**o) for o in d["options"]),
        select=d["select"],
        steps=tuple(Step(**s) for s in d["steps"]),
        pairs=tuple(Pair(**p) for p in d["pairs"]),
        extra_answers=tuple(d["extra_answers"]),
        case_study=d.get("case_study"),
        series=d.get("series"),
    )


def meta_to_json(
    cert: Certification,
    domains: tuple[Domain, ...],
    formats: tuple[ExamFormat, ...],
    case_studies: tuple[CaseStudy, ...] = (),
) -> dict[str, Any]:
    return {
        "certification": _plain(asdict(cert)),
        "domains": [_plain(asdict(d)) for d in domains],
        "formats": [_plain(asdict(f)) for f in formats],
        "case_studies": [asdict(c) for c in case_studies],
    }


def case_studies_from_json(items: list[dict[str, Any]] | None) -> tuple[CaseStudy, ...]:
    return tuple(CaseStudy(**c) for c in items or [])


def cert_from_json(d: dict[str, Any]) -> Certification:
    return Certification(
        **{
            **d,
            "status": CertStatus(d["status"]),
            "status_date": date.fromisoformat(d["status_date"]),
            "last_verified": date.fromisoformat(d["last_verified"]),
            "sources": tuple(d["sources"]),
            "doc_domains": tuple(d.get("doc_domains", ())),
        }
    )


def domains_from_json(items: list[dict[str, Any]]) -> tuple[Domain, ...]:
    return tuple(
        Domain(d["id"], d["name"], d["weight"], tuple(d["weight_range"]) if d["weight_range"] else None)
        for d in items
    )


def formats_from_json(items: list[dict[str, Any]]) -> tuple[ExamFormat, ...]:
    result = []
    for f in items:
        scoring = f["scoring"]
        result.append(
            ExamFormat(
                id=f["id"],
                name=f["name"],
                kind=FormatKind(f["kind"]),
                minutes=f["minutes"],
                source=f["source"],
                verified=date.fromisoformat(f["verified"]),
                items=f["items"],
                unscored_items=f["unscored_items"],
                extra_minutes_esl=f["extra_minutes_esl"],
                item_types=tuple(QuestionType(t) for t in f["item_types"]),
                scoring=Scoring(**{**scoring, "scale": tuple(scoring["scale"]) if scoring["scale"] else None})
                if scoring
                else None,
                rules=tuple(f["rules"]),
                tasks=tuple(
                    PracticalTask(t["id"], t["title"], t["brief"], tuple(t["criteria"])) for t in f["tasks"]
                ),
            )
        )
    return tuple(result)
