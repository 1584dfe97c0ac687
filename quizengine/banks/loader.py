"""Find bank files, parse and validate them, and build domain ``Bank`` objects, all or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from quizengine.banks.errors import BankError, BankProblem
from quizengine.banks.fields import ID_RE, MISSING, TOPIC_RE, Checker
from quizengine.banks.yamlread import LList, LMap, YamlProblem, no_gc, parse
from quizengine.domain.model import (
    Bank,
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
    SharedQuestion,
    Step,
)

SCHEMA_VERSION = 1
MAX_FILE_BYTES = 20 * 1024 * 1024
BANK_SUFFIXES = (".yaml", ".yml")
FORMAT_RULES = ("case_study_sections_lock", "yes_no_no_revisit", "unscored_items_hidden", "review_screen")
WEIGHT_TOLERANCE = 0.01

CERT_KEYS = (
    "id", "name", "vendor", "exam_code", "status", "status_date", "successor", "exam_guide_version",
    "sources", "last_verified", "doc_domains", "validity_years", "suggested_study_hours", "notes",
)  # fmt: skip
QUESTION_KEYS = (
    "id", "type", "domain", "topics", "difficulty", "stem", "options", "select", "steps", "pairs",
    "extra_answers", "explanation", "references", "verified", "guide_version", "case_study", "series",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BankSource:
    """The files of one bank: a folder of YAML files, or a single YAML file."""

    path: Path
    files: tuple[Path, ...]

    def content_hash(self) -> str:
        """SHA-256 over the files' names and bytes: equal hashes mean nothing to parse again."""
        digest = hashlib.sha256()
        for file in self.files:
            digest.update(file.name.encode())
            digest.update(b"\0")
            digest.update(file.read_bytes())
            digest.update(b"\0")
        return digest.hexdigest()


def discover(roots: Iterable[Path]) -> list[BankSource]:
    """Every bank under ``roots``: each folder holding YAML files, and each loose YAML file, is a bank."""
    sources: list[BankSource] = []
    for root in roots:
        if root.is_file():
            sources.append(BankSource(root, (root,)))
            continue
        if not root.is_dir():
            continue
        loose = sorted(p for p in root.iterdir() if p.suffix in BANK_SUFFIXES and p.is_file())
        sources += [BankSource(p, (p,)) for p in loose]
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
            files = tuple(sorted(p for p in folder.iterdir() if p.suffix in BANK_SUFFIXES and p.is_file()))
            if files:
                sources.append(BankSource(folder, files))
    return sources


def _read(path: Path, root: Path) -> bytes:
    real = path.resolve()
    if path.is_symlink() and root.resolve() not in real.parents:
        raise YamlProblem(
            BankProblem(
                str(path), 0, f"symlink leads outside the bank folder (to {real})", "copy the file in instead"
            )
        )
    size = real.stat().st_size
    if size > MAX_FILE_BYTES:
        raise YamlProblem(
            BankProblem(
                str(path), 0, f"file is {size // 1_000_000} MB; the limit is 20 MB", "split it into files"
            )
        )
    return real.read_bytes()


def load_bank(source: BankSource) -> Bank:
    """Parse and validate every file of one bank; raise BankError listing every problem."""
    with no_gc():
        return _load_bank(source)


def _load_bank(source: BankSource) -> Bank:
    problems: list[BankProblem] = []
    parsed: list[tuple[str, LMap]] = []
    root = source.path if source.path.is_dir() else source.path.parent
    for path in source.files:
        name = str(path)
        try:
            doc = parse(_read(path, root), name)
        except YamlProblem as exc:
            problems.append(exc.problem)
            continue
        except OSError as exc:
            problems.append(BankProblem(name, 0, f"cannot read the file: {exc.strerror}", "check the path"))
            continue
        if not isinstance(doc, LMap):
            problems.append(
                BankProblem(
                    name, getattr(doc, "line", 1), "a bank file must be a mapping", "start with `schema: 1`"
                )
            )
            continue
        parsed.append((name, doc))

    heads = [(f, d) for f, d in parsed if isinstance(d.get("certification"), LMap)]
    if len(heads) != 1 and not problems:
        where = str(source.path)
        if not heads:
            problems.append(
                BankProblem(
                    where,
                    0,
                    "no file describes the certification",
                    "add `certification:`, `domains:` and `formats:` to bank.yaml",
                )
            )
        else:
            names = ", ".join(f for f, _ in heads)
            problems.append(
                BankProblem(
                    where,
                    0,
                    f"several files describe the certification: {names}",
                    "keep it in one file; the others use `certification: <id>`",
                )
            )
    if not heads:
        raise BankError(problems)

    head_file, head = heads[0]
    check = Checker(head_file)
    cert, domains, formats = _head(check, head)
    questions: list[Question] = []
    seen: dict[str, str] = {}
    checkers = {name: check if name == head_file else Checker(name) for name, _ in parsed}
    case_studies: list[CaseStudy] = []
    for name, doc in parsed:
        case_studies += _case_studies(checkers[name], doc, {c.id for c in case_studies})
    case_ids = {c.id for c in case_studies}
    shared: list[SharedQuestion] = []
    for name, doc in parsed:
        found = _questions(checkers[name], doc, cert, domains, seen, is_head=name == head_file)
        for q in found:
            _check_groups(checkers[name], q, case_ids)
        questions += found
        shared += _shared(checkers[name], doc, cert, domains, seen)
    for name in checkers:
        problems += checkers[name].problems
    if problems:
        raise BankError(problems)
    assert cert is not None
    return Bank(
        certification=cert,
        domains=tuple(domains),
        formats=tuple(formats),
        questions=tuple(questions),
        files=tuple(str(p) for p in source.files),
        content_hash=source.content_hash(),
        version=cert.exam_guide_version,
        case_studies=tuple(case_studies),
        shared=tuple(shared),
    )


def load_banks(sources: Sequence[BankSource]) -> tuple[list[Bank], list[BankProblem]]:
    """Load every bank; a bank with a problem is left out whole, and ids must be unique across banks."""
    banks: list[Bank] = []
    problems: list[BankProblem] = []
    for source in sources:
        try:
            banks.append(load_bank(source))
        except BankError as exc:
            problems += exc.problems
    owners: dict[str, str] = {}
    certs: dict[str, str] = {}
    clean: list[Bank] = []
    for bank in banks:
        clash = False
        cid = bank.certification.id
        if cid in certs:
            problems.append(
                BankProblem(
                    bank.files[0],
                    0,
                    f"certification id `{cid}` is also used by {certs[cid]}",
                    "give each certification its own id",
                )
            )
            clash = True
        for q in bank.questions:
            if q.id in owners and owners[q.id] != cid:
                problems.append(
                    BankProblem(
                        bank.files[0],
                        0,
                        f"question id `{q.id}` is also used in bank `{owners[q.id]}`",
                        "question ids are unique across all banks; rename one",
                    )
                )
                clash = True
        if not clash:
            certs[cid] = bank.files[0]
            owners.update({q.id: cid for q in bank.questions})
            clean.append(bank)
    return clean, sorted(problems)


def validate_paths(paths: Sequence[Path]) -> tuple[list[Bank], list[BankProblem]]:
    """Validate banks at ``paths`` (bank folders, files, or folders of banks); never touches a database."""
    sources: list[BankSource] = []
    problems: list[BankProblem] = []
    for path in paths:
        if not path.exists():
            problems.append(BankProblem(str(path), 0, "no such file or folder", "check the path"))
        elif path.is_file():
            sources.append(BankSource(path, (path,)))
        elif any(p.suffix in BANK_SUFFIXES for p in path.iterdir() if p.is_file()) and not any(
            p.is_dir() for p in path.iterdir() if not p.name.startswith((".", "_"))
        ):
            files = tuple(sorted(p for p in path.iterdir() if p.suffix in BANK_SUFFIXES and p.is_file()))
            sources.append(BankSource(path, files))
        else:
            sources += discover([path])
    banks, more = load_banks(sources)
    banks, unresolved = resolve_shared(banks)
    return banks, sorted(problems + more + unresolved)


# --- the certification file -------------------------------------------------------------------------


def _head(check: Checker, doc: LMap) -> tuple[Certification | None, list[Domain], list[ExamFormat]]:
    check.keys(
        doc,
        ("schema", "certification", "domains", "formats", "case_studies", "questions", "shared"),
        "bank.yaml",
    )
    _schema(check, doc)
    c = doc["certification"]
    check.keys(c, CERT_KEYS, "certification")
    w = "certification"
    cid = check.get(c, "id", "id", w)
    status_raw = check.get(c, "status", "text", w)
    status = None
    if status_raw is not MISSING:
        try:
            status = CertStatus(status_raw)
        except ValueError:
            check.add(c.lines["status"], f"unknown status `{status_raw}`", "use active, retired or closed")
    successor = check.get(c, "successor", "text", w, required=False)
    if status in (CertStatus.RETIRED,) and not successor and "successor" in c and c["successor"] is None:
        pass  # a retired exam may have no successor announced
    sources = check.get(c, "sources", "list", w)
    source_urls = (
        tuple(v for v, _ in check.items(sources, "url", "sources")) if sources is not MISSING else ()
    )
    if sources is not MISSING and not source_urls and not check.problems:
        check.add(c.lines["sources"], "certification `sources` is empty", "list the official exam page(s)")
    domains_raw = check.get(c, "doc_domains", "list", w, required=False)
    doc_domains = (
        tuple(v.lower() for v, _ in check.items(domains_raw, "text", "doc_domains"))
        if isinstance(domains_raw, LList)  # None when absent; MISSING (already reported) when not a list
        else ()
    )
    validity = check.get(c, "validity_years", "int", w, required=False)
    hours = check.get(c, "suggested_study_hours", "scalar", w, required=False)
    notes = check.get(c, "notes", "text", w, required=False)
    values = {
        "name": check.get(c, "name", "text", w),
        "vendor": check.get(c, "vendor", "text", w),
        "exam_code": check.get(c, "exam_code", "scalar", w),
        "status_date": check.get(c, "status_date", "date", w),
        "exam_guide_version": check.get(c, "exam_guide_version", "scalar", w),
        "last_verified": check.get(c, "last_verified", "date", w),
    }
    domains = _domains(check, doc)
    formats = _formats(check, doc)
    if MISSING in (cid, *values.values()) or status is None:
        return None, domains, formats
    cert = Certification(
        id=cid,
        status=status,
        sources=source_urls,
        successor=successor if successor is not MISSING else None,
        doc_domains=doc_domains,
        validity_years=validity if validity is not MISSING else None,
        suggested_study_hours=hours if hours is not MISSING else None,
        notes=notes if notes is not MISSING else None,
        **values,
    )
    return cert, domains, formats


def _schema(check: Checker, doc: LMap) -> None:
    version = check.get(doc, "schema", "int", "the file", hint="start the file with `schema: 1`")
    if version is not MISSING and version != SCHEMA_VERSION:
        check.add(
            doc.lines["schema"],
            f"schema {version} is not supported (this quizengine reads schema 1)",
            "set `schema: 1`, or upgrade quizengine",
        )


def _parse_weight(value: Any) -> tuple[float, tuple[float, float] | None] | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value), None
    if isinstance(value, str) and "-" in value:
        low, _, high = value.partition("-")
        try:
            lo, hi = float(low), float(high)
        except ValueError:
            return None
        if 0 < lo <= hi:
            return (lo + hi) / 2, (lo, hi)
    return None


def _domains(check: Checker, doc: LMap) -> list[Domain]:
    lst = check.get(doc, "domains", "list", "bank.yaml", hint="list the exam domains with their weights")
    if lst is MISSING:
        return []
    raw: list[tuple[str, str, float, tuple[float, float] | None, int]] = []
    for item, line in check.items(lst, "map", "domains"):
        check.keys(item, ("id", "name", "weight"), "a domain")
        did = check.get(item, "id", "id", "a domain")
        name = check.get(item, "name", "text", "a domain")
        if "weight" not in item:
            check.add(
                line,
                "a domain is missing `weight`",
                'add `weight: 25` (percent) or a range `weight: "20-25"`',
            )
            continue
        weight = _parse_weight(item["weight"])
        if weight is None:
            check.add(
                item.lines["weight"],
                f"domain weight {item['weight']!r} is not a percent or a range",
                'write a positive number (28) or a range in quotes ("20-25")',
            )
            continue
        if MISSING in (did, name):
            continue
        if any(did == r[0] for r in raw):
            check.add(line, f"domain id `{did}` appears twice", "give each domain its own id")
            continue
        raw.append((did, name, weight[0], weight[1], line))
    if not raw:
        if not check.problems:
            check.add(lst.line, "the bank has no domains", "list at least one exam domain")
        return []
    ranged = [r for r in raw if r[3] is not None]
    if ranged and len(ranged) != len(raw):
        check.add(lst.line, "mix of point weights and ranges", "use either numbers or ranges for all domains")
        return []
    if ranged:
        lo = sum(r[3][0] for r in raw if r[3])
        hi = sum(r[3][1] for r in raw if r[3])
        if not lo <= 100 <= hi:
            check.add(
                lst.line,
                f"domain weight ranges sum to {lo:g}-{hi:g}, which cannot make 100",
                "check the ranges against the exam guide",
            )
            return []
        total = sum(r[2] for r in raw)
        return [Domain(r[0], r[1], round(r[2] * 100 / total, 4), r[3]) for r in raw]
    total = sum(r[2] for r in raw)
    if abs(total - 100) > WEIGHT_TOLERANCE:
        check.add(
            lst.line, f"domain weights sum to {total:g}, not 100", "fix the weights so they add up to 100"
        )
        return []
    return [Domain(r[0], r[1], r[2], None) for r in raw]


def _formats(check: Checker, doc: LMap) -> list[ExamFormat]:
    lst = check.get(doc, "formats", "list", "bank.yaml", hint="describe at least one exam format")
    if lst is MISSING:
        return []
    if not lst:
        check.add(
            lst.line,
            "the bank has no exam formats",
            "describe at least one format (see question_banks/README.md)",
        )
    result: list[ExamFormat] = []
    ids: set[str] = set()
    for item, line in check.items(lst, "map", "formats"):
        fmt = _format(check, item, line)
        if fmt is None:
            continue
        if fmt.id in ids:
            check.add(line, f"format id `{fmt.id}` appears twice", "give each format its own id")
        ids.add(fmt.id)
        result.append(fmt)
    return result


def _format(check: Checker, f: LMap, line: int) -> ExamFormat | None:
    w = "a format"
    check.keys(
        f,
        (
            "id",
            "name",
            "kind",
            "items",
            "unscored_items",
            "minutes",
            "extra_minutes_esl",
            "item_types",
            "scoring",
            "rules",
            "tasks",
            "source",
            "verified",
        ),
        w,
    )
    fid = check.get(f, "id", "id", w)
    name = check.get(f, "name", "text", w)
    kind_raw = check.get(f, "kind", "text", w, hint="timed or practical")
    minutes = check.get(f, "minutes", "int", w)
    source = check.get(f, "source", "url", w, hint="the official page the format was taken from")
    verified = check.get(f, "verified", "date", w)
    try:
        kind = FormatKind(kind_raw) if kind_raw is not MISSING else None
    except ValueError:
        check.add(f.lines["kind"], f"unknown format kind `{kind_raw}`", "use timed or practical")
        kind = None
    if minutes is not MISSING and minutes <= 0:
        check.add(f.lines["minutes"], "minutes must be positive", "give the exam's time limit in minutes")
    if MISSING in (fid, name, minutes, source, verified) or kind is None:
        return None
    common = {
        "id": fid,
        "name": name,
        "kind": kind,
        "minutes": minutes,
        "source": source,
        "verified": verified,
    }
    if kind is FormatKind.PRACTICAL:
        return ExamFormat(**common, tasks=tuple(_tasks(check, f)))
    items = check.get(f, "items", "int", w)
    unscored = check.get(f, "unscored_items", "int", w, required=False)
    esl = check.get(f, "extra_minutes_esl", "int", w, required=False)
    types_raw = check.get(f, "item_types", "list", w)
    rules_raw = check.get(f, "rules", "list", w, required=False)
    scoring = _scoring(check, f)
    item_types: list[QuestionType] = []
    if types_raw is not MISSING:
        for t, tline in check.items(types_raw, "text", "item_types"):
            try:
                item_types.append(QuestionType(t))
            except ValueError:
                check.add(tline, f"unknown item type `{t}`", "use single, multiple, ordering or matching")
    rules: list[str] = []
    if rules_raw not in (MISSING, None):
        for r, rline in check.items(rules_raw, "text", "rules"):
            if r not in FORMAT_RULES:
                check.add(rline, f"unknown format rule `{r}`", f"known rules: {', '.join(FORMAT_RULES)}")
            rules.append(r)
    unscored = unscored if unscored not in (MISSING, None) else 0
    if items is not MISSING and (items <= 0 or unscored < 0 or unscored >= items):
        check.add(
            f.lines.get("items", line),
            "items must be positive and more than unscored_items",
            "copy the counts from the exam guide",
        )
    if MISSING in (items, types_raw) or scoring is None:
        return None
    return ExamFormat(
        **common,
        items=items,
        unscored_items=unscored,
        extra_minutes_esl=esl if esl is not MISSING else None,
        item_types=tuple(item_types),
        scoring=scoring,
        rules=tuple(rules),
    )


def _scoring(check: Checker, f: LMap) -> Scoring | None:
    s = check.get(
        f, "scoring", "map", "a timed format", hint="add `scoring:` with method, scale and pass_mark"
    )
    if s is MISSING:
        return None
    w = "scoring"
    check.keys(s, ("method", "scale", "pass_mark", "partial_credit", "unanswered"), w)
    method = check.get(s, "method", "text", w, hint="scaled or raw_percent")
    if method is MISSING:
        return None
    if method not in ("scaled", "raw_percent"):
        check.add(s.lines["method"], f"unknown scoring method `{method}`", "use scaled or raw_percent")
        return None
    pass_mark = check.get(s, "pass_mark", "number", w, required=method == "scaled")
    partial = check.get(s, "partial_credit", "bool", w, required=False)
    unanswered = check.get(s, "unanswered", "text", w, required=False)
    scale: tuple[int, int] | None = None
    if method == "scaled":
        raw = check.get(s, "scale", "list", w, hint="write the scale as [100, 1000]")
        if raw is MISSING:
            return None
        if (
            len(raw) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in raw)
            or raw[0] >= raw[1]
        ):
            check.add(
                s.lines["scale"],
                f"scale must be [low, high] whole numbers, got {list(raw)}",
                "e.g. [100, 1000]",
            )
            return None
        scale = (raw[0], raw[1])
        if pass_mark is not MISSING and not scale[0] <= pass_mark <= scale[1]:
            check.add(
                s.lines["pass_mark"],
                f"pass mark {pass_mark:g} is outside the scale {scale}",
                "copy the pass mark from the exam guide",
            )
    elif pass_mark not in (MISSING, None) and not 0 <= pass_mark <= 100:
        check.add(
            s.lines["pass_mark"], "a raw_percent pass mark is a percentage 0-100", "or null if unpublished"
        )
    if pass_mark is MISSING:
        return None
    return Scoring(
        method=method,
        scale=scale,
        pass_mark=pass_mark,
        partial_credit=bool(partial) if partial not in (MISSING, None) else False,
        unanswered=unanswered if unanswered not in (MISSING, None) else "wrong",
    )


def _tasks(check: Checker, f: LMap) -> list[PracticalTask]:
    lst = check.get(f, "tasks", "list", "a practical format", hint="list the task cards")
    if lst is MISSING:
        return []
    tasks = []
    for t, _line in check.items(lst, "map", "tasks"):
        check.keys(t, ("id", "title", "brief", "criteria"), "a task")
        tid = check.get(t, "id", "id", "a task")
        title = check.get(t, "title", "text", "a task")
        brief = check.get(t, "brief", "text", "a task")
        crit = check.get(t, "criteria", "list", "a task", hint="list the acceptance criteria")
        criteria = [c for c, _ in check.items(crit, "text", "criteria")] if crit is not MISSING else []
        if crit is not MISSING and not criteria:
            check.add(t.lines["criteria"], "a task needs at least one acceptance criterion", "list them")
        if MISSING not in (tid, title, brief) and criteria:
            tasks.append(PracticalTask(tid, title, brief, tuple(criteria)))
    return tasks


# --- questions ------------------------------------------------------------------------------------------


def _questions(
    check: Checker,
    doc: LMap,
    cert: Certification | None,
    domains: list[Domain],
    seen: dict[str, str],
    *,
    is_head: bool,
) -> list[Question]:
    if not is_head:
        check.keys(doc, ("schema", "certification", "case_studies", "questions", "shared"), "a question file")
        _schema(check, doc)
        ref = check.get(
            doc, "certification", "id", "a question file", hint="name the certification id of bank.yaml"
        )
        if ref is not MISSING and cert is not None and ref != cert.id:
            check.add(
                doc.lines["certification"],
                f"this file names certification `{ref}`, the folder's is `{cert.id}`",
                f"set `certification: {cert.id}` or move the file",
            )
    lst = check.get(
        doc,
        "questions",
        "list",
        "the file",
        hint="add `questions:` followed by a list",
        required="shared" not in doc,
    )
    if lst in (MISSING, None):
        return []
    domain_ids = {d.id for d in domains}
    guide = cert.exam_guide_version if cert else ""
    cert_id = cert.id if cert else ""
    result = []
    for item, line in check.items(lst, "map", "questions"):
        q = _question(check, item, line, domain_ids, guide, cert_id, seen)
        if q is not None:
            result.append(q)
    return result


def _question(
    check: Checker, q: LMap, line: int, domain_ids: set[str], guide: str, cert_id: str, seen: dict[str, str]
) -> Question | None:
    qid = check.get(q, "id", "id", "a question", hint="give every question a unique, stable id")
    w = f"question `{qid}`" if qid is not MISSING else f"the question at line {line}"
    check.keys(q, QUESTION_KEYS, w)
    if qid is not MISSING:
        if qid in seen:
            check.add(
                q.lines["id"],
                f"question id `{qid}` is used twice (first at {seen[qid]})",
                "ids are unique; give this question a new id",
            )
        else:
            seen[qid] = f"{check.file}:{q.lines['id']}"
    type_raw = check.get(q, "type", "text", w, hint="single, multiple, ordering or matching")
    qtype = None
    if type_raw is not MISSING:
        try:
            qtype = QuestionType(type_raw)
        except ValueError:
            check.add(
                q.lines["type"],
                f"unknown question type `{type_raw}`",
                "use single, multiple, ordering or matching",
            )
    domain = check.get(q, "domain", "id", w)
    if domain is not MISSING and domain_ids and domain not in domain_ids:
        check.add(
            q.lines["domain"], f"unknown domain `{domain}`", f"use one of: {', '.join(sorted(domain_ids))}"
        )
    topics_raw = check.get(q, "topics", "list", w, hint="list one or more kebab-case topics")
    topics = []
    if topics_raw is not MISSING:
        for t, tline in check.items(topics_raw, "text", "topics"):
            if not TOPIC_RE.match(t):
                check.add(tline, f"topic `{t}` is not kebab-case", "use lower-case words joined by '-'")
            topics.append(t)
        if not topics_raw:
            check.add(q.lines["topics"], f"{w} has no topics", "name at least one topic")
    difficulty = check.get(q, "difficulty", "int", w, hint="1 recall, 2 apply, 3 analyse")
    if difficulty is not MISSING and difficulty not in (1, 2, 3):
        check.add(
            q.lines["difficulty"],
            f"difficulty must be 1, 2 or 3, got {difficulty}",
            "1 recall, 2 apply, 3 analyse",
        )
    stem = check.get(q, "stem", "text", w)
    explanation = check.get(q, "explanation", "text", w, hint="explain why the answer is right")
    refs_raw = check.get(q, "references", "list", w, hint="cite at least one official documentation URL")
    refs = [r for r, _ in check.items(refs_raw, "url", "references")] if refs_raw is not MISSING else []
    if refs_raw is not MISSING and not refs_raw:
        check.add(
            q.lines["references"], f"{w} has no references", "cite at least one official documentation URL"
        )
    verified = check.get(q, "verified", "date", w, hint="the date you checked it against the references")
    guide_version = check.get(q, "guide_version", "scalar", w, required=False)
    case_study = check.get(q, "case_study", "id", w, required=False)
    series = check.get(q, "series", "id", w, required=False)
    body: dict[str, Any] = {}
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        body = _options(check, q, w, qtype)
    elif qtype is QuestionType.ORDERING:
        body = _steps(check, q, w)
    elif qtype is QuestionType.MATCHING:
        body = _pairs(check, q, w)
    if qtype is not None:
        _forbid(check, q, w, qtype)
    required = (qid, domain, topics_raw, difficulty, stem, explanation, refs_raw, verified)
    if MISSING in required or qtype is None or body is None or not body:
        return None
    return Question(
        id=qid,
        cert_id=cert_id,
        type=qtype,
        domain=domain,
        topics=tuple(topics),
        difficulty=difficulty,
        stem=stem,
        explanation=explanation,
        references=tuple(refs),
        verified=verified,
        guide_version=guide_version if guide_version not in (MISSING, None) else guide,
        case_study=case_study if case_study not in (MISSING, None) else None,
        series=series if series not in (MISSING, None) else None,
        **body,
    )


_BODY_KEYS = {
    QuestionType.SINGLE: ("options",),
    QuestionType.MULTIPLE: ("options", "select"),
    QuestionType.ORDERING: ("steps",),
    QuestionType.MATCHING: ("pairs", "extra_answers"),
}


def _forbid(check: Checker, q: LMap, w: str, qtype: QuestionType) -> None:
    for key in ("options", "select", "steps", "pairs", "extra_answers"):
        if key in q and key not in _BODY_KEYS[qtype]:
            check.add(
                q.lines[key],
                f"`{key}` does not belong in a {qtype} question ({w})",
                f"a {qtype} question uses {', '.join(_BODY_KEYS[qtype])}",
            )


def _options(check: Checker, q: LMap, w: str, qtype: QuestionType) -> dict[str, Any]:
    lst = check.get(q, "options", "list", w, hint="list the answer options")
    if lst is MISSING:
        return {}
    low = 4 if qtype is QuestionType.MULTIPLE else (2 if "series" in q else 3)  # yes/no series: Yes and No
    if not low <= len(lst) <= 9:
        check.add(
            lst.line,
            f"{w} has {len(lst)} options; a {qtype} question has {low} to 9",
            "keys 1-9 / A-I must cover every option",
        )
    options = []
    texts: set[str] = set()
    for o, oline in check.items(lst, "map", "options"):
        check.keys(o, ("text", "correct", "why"), "an option")
        text = check.get(o, "text", "text", "an option")
        why = check.get(
            o,
            "why",
            "text",
            "an option",
            hint="explain why this option is right, or which requirement it fails",
        )
        correct = check.get(o, "correct", "bool", "an option", required=False)
        if text is not MISSING and text in texts:
            check.add(oline, f"option text repeated in {w}", "make every option different")
        if text is not MISSING:
            texts.add(text)
        if MISSING not in (text, why, correct):
            options.append(Option(text=text, why=why, correct=bool(correct)))
    n_correct = sum(o.correct for o in options)
    if len(options) != len(lst):
        return {}
    if qtype is QuestionType.SINGLE:
        if n_correct != 1:
            check.add(
                lst.line,
                f"{w} marks {n_correct} options correct; a single-answer question has exactly 1",
                "mark exactly one option `correct: true`, or use type: multiple",
            )
            return {}
        return {"options": tuple(options)}
    select = check.get(
        q, "select", "int", w, hint="how many options the learner must choose (the stem says 'Select N')"
    )
    if select is MISSING:
        return {}
    if select != n_correct:
        check.add(
            q.lines["select"],
            f"{w} says select {select} but marks {n_correct} options correct",
            "make `select` equal the number of options marked `correct: true`",
        )
        return {}
    if not 2 <= select < len(options):
        check.add(
            q.lines["select"],
            f"select must be at least 2 and fewer than the {len(options)} options",
            "use type: single for one answer",
        )
        return {}
    return {"options": tuple(options), "select": select}


def _steps(check: Checker, q: LMap, w: str) -> dict[str, Any]:
    lst = check.get(q, "steps", "list", w, hint="list the steps in the correct order")
    if lst is MISSING:
        return {}
    if not 3 <= len(lst) <= 9:
        check.add(
            lst.line, f"{w} has {len(lst)} steps; an ordering question has 3 to 9", "add or merge steps"
        )
    steps = []
    for s, _line in check.items(lst, "map", "steps"):
        check.keys(s, ("text", "why"), "a step")
        text = check.get(s, "text", "text", "a step")
        why = check.get(s, "why", "text", "a step", required=False)
        if text is not MISSING:
            steps.append(Step(text, why if why not in (MISSING, None) else None))
    if len({s.text for s in steps}) != len(steps):
        check.add(lst.line, f"{w} repeats a step", "make every step different")
    return {"steps": tuple(steps)} if len(steps) == len(lst) and 3 <= len(steps) <= 9 else {}


def _pairs(check: Checker, q: LMap, w: str) -> dict[str, Any]:
    lst = check.get(q, "pairs", "list", w, hint="list prompt/answer pairs")
    if lst is MISSING:
        return {}
    if not 2 <= len(lst) <= 7:
        check.add(
            lst.line, f"{w} has {len(lst)} pairs; a matching question has 2 to 7", "add or remove pairs"
        )
    pairs = []
    for p, _line in check.items(lst, "map", "pairs"):
        check.keys(p, ("prompt", "answer"), "a pair")
        prompt = check.get(p, "prompt", "text", "a pair")
        answer = check.get(p, "answer", "text", "a pair")
        if MISSING not in (prompt, answer):
            pairs.append(Pair(prompt, answer))
    extra_raw = check.get(q, "extra_answers", "list", w, required=False)
    extras = (
        [e for e, _ in check.items(extra_raw, "text", "extra_answers")]
        if extra_raw not in (MISSING, None)
        else []
    )
    answers = [p.answer for p in pairs] + extras
    if len(set(answers)) != len(answers):
        check.add(lst.line, f"{w} has an answer twice", "answers (and extra_answers) must be distinct")
        return {}
    if len(answers) > 9:
        check.add(
            lst.line, f"{w} offers {len(answers)} answers; at most 9 fit the keys", "drop extra answers"
        )
        return {}
    ok = len(pairs) == len(lst) and 2 <= len(pairs) <= 7
    return {"pairs": tuple(pairs), "extra_answers": tuple(extras)} if ok else {}


def _case_studies(check: Checker, doc: LMap, known: set[str]) -> list[CaseStudy]:
    lst = check.get(doc, "case_studies", "list", "the file", required=False)
    if lst in (MISSING, None):
        return []
    result: list[CaseStudy] = []
    for item, line in check.items(lst, "map", "case_studies"):
        check.keys(item, ("id", "title", "scenario"), "a case study")
        cid = check.get(item, "id", "id", "a case study")
        title = check.get(item, "title", "text", "a case study")
        scenario = check.get(
            item, "scenario", "text", "a case study", hint="the shared scenario the questions refer to"
        )
        if MISSING in (cid, title, scenario):
            continue
        if cid in known or any(c.id == cid for c in result):
            check.add(line, f"case study id `{cid}` appears twice", "give each case study its own id")
            continue
        result.append(CaseStudy(cid, title, scenario))
    return result


def _shared(
    check: Checker, doc: LMap, cert: Certification | None, domains: list[Domain], seen: dict[str, str]
) -> list[SharedQuestion]:
    """`shared:` lists questions owned by other banks, each mapped to one of this bank's domains."""
    lst = check.get(doc, "shared", "list", "the file", required=False)
    if lst in (MISSING, None):
        return []
    domain_ids = {d.id for d in domains}
    result: list[SharedQuestion] = []
    for item, _line in check.items(lst, "map", "shared"):
        check.keys(item, ("bank", "questions"), "a `shared:` entry")
        owner = check.get(
            item, "bank", "id", "a `shared:` entry", hint="the certification id of the owning bank"
        )
        refs = check.get(
            item,
            "questions",
            "map",
            "a `shared:` entry",
            hint="map each question id to one of this bank's domains",
        )
        if MISSING in (owner, refs):
            continue
        if cert is not None and owner == cert.id:
            check.add(
                item.lines["bank"], "a bank cannot share its own questions", "list questions of another bank"
            )
            continue
        for qid, domain in refs.items():
            line = refs.lines[qid]
            if not isinstance(qid, str) or not ID_RE.match(qid):
                check.add(
                    line, f"`{qid}` is not a question id", "write the id of a question of the owning bank"
                )
                continue
            if not isinstance(domain, str) or domain not in domain_ids:
                check.add(
                    line,
                    f"shared question `{qid}` maps to unknown domain `{domain}`",
                    f"use one of: {', '.join(sorted(domain_ids))}",
                )
                continue
            if qid in seen:
                check.add(line, f"question id `{qid}` is listed twice (first at {seen[qid]})", "list it once")
                continue
            seen[qid] = f"{check.file}:{line}"
            result.append(SharedQuestion(str(qid), owner, domain, f"{check.file}:{line}"))
    return result


def resolve_shared(banks: Sequence[Bank]) -> tuple[list[Bank], list[BankProblem]]:
    """Each bank with its shared questions filled in (under its own domains) for checks that count questions.

    A reference to a bank or question that is not among ``banks`` is a problem, and its bank is left out.
    """
    owned = {b.certification.id: {q.id: q for q in b.questions} for b in banks}
    resolved: list[Bank] = []
    problems: list[BankProblem] = []
    for bank in banks:
        extra: list[Question] = []
        bad = False
        for ref in bank.shared:
            file, _, line = ref.where.rpartition(":")
            if ref.bank not in owned:
                problems.append(
                    BankProblem(
                        file,
                        int(line or 0),
                        f"shared question `{ref.question_id}` names bank `{ref.bank}`, which is not loaded",
                        "validate the owning bank with this one (e.g. the whole question_banks folder)",
                    )
                )
                bad = True
            elif ref.question_id not in owned[ref.bank]:
                problems.append(
                    BankProblem(
                        file,
                        int(line or 0),
                        f"bank `{ref.bank}` has no question `{ref.question_id}`",
                        "check the id; a retired question cannot be shared",
                    )
                )
                bad = True
            else:
                extra.append(replace(owned[ref.bank][ref.question_id], domain=ref.domain))
        if not bad:
            resolved.append(replace(bank, questions=bank.questions + tuple(extra)) if extra else bank)
    return resolved, problems


def _check_groups(check: Checker, q: Question, case_ids: set[str]) -> None:
    """A question's case study must exist; a yes/no series item is a single answer of Yes and No."""
    if q.case_study is not None and q.case_study not in case_ids:
        known = ", ".join(sorted(case_ids)) or "none defined"
        check.add(
            0,
            f"question `{q.id}` names unknown case study `{q.case_study}`",
            f"define it under `case_studies:` (known: {known})",
        )
    if q.series is not None and (
        q.type is not QuestionType.SINGLE or [o.text for o in q.options] != ["Yes", "No"]
    ):
        check.add(
            0,
            f"question `{q.id}` is in yes/no series `{q.series}` but is not a single answer "
            "with options Yes and No",
            "give it exactly the options `Yes` and `No`, in that order",
        )
