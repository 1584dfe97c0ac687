"""Stack files (``<bank folder>/_stacks/*.yaml``) -> ``Stack`` objects, every problem with file:line.

```yaml
schema: 1
stacks:
  - id: production-cv
    name: Production computer-vision engineer
    summary: One line on who it is for.
    months: [12, 18]            # the range the whole stack is meant to take
    steps:
      - exams: [pytorch-associate, tensorflow-developer]   # interchangeable, the preferred first
        months: 3                                          # study time before this exam
        why: What this step proves.
```
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path

from quizengine.banks.errors import BankError, BankProblem
from quizengine.banks.fields import MISSING, Checker
from quizengine.banks.yamlread import LList, LMap, YamlProblem, parse
from quizengine.domain.stacks import Stack, StackStep

STACKS_DIR = "_stacks"
MAX_STEP_MONTHS = 24


def stack_files(roots: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for root in roots:
        folder = root / STACKS_DIR
        if folder.is_dir():
            files += sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return files


def load_stacks(
    files: Iterable[Path], bank_ids: Collection[str] | None
) -> tuple[list[Stack], list[BankProblem]]:
    """Every stack in ``files``. With ``bank_ids``, a stack naming another certification is a problem
    (``banks validate``); without, it is not (at run time a plan says which exams have no bank)."""
    stacks: list[Stack] = []
    problems: list[BankProblem] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            doc = parse(path.read_bytes(), str(path))
        except YamlProblem as exc:
            problems.append(exc.problem)
            continue
        check = Checker(str(path))
        found = _file(check, doc, bank_ids)
        for stack, line in found:
            if stack.id in seen:
                check.add(
                    line, f"stack id `{stack.id}` is also used in {seen[stack.id]}", "give it another id"
                )
            seen.setdefault(stack.id, f"{path}:{line}")
        problems += check.problems
        if not check.problems:
            stacks += [s for s, _ in found]
    return stacks, sorted(problems)


def load_stacks_or_raise(files: Iterable[Path], bank_ids: Collection[str] | None) -> list[Stack]:
    stacks, problems = load_stacks(files, bank_ids)
    if problems:
        raise BankError(problems)
    return stacks


def _file(check: Checker, doc: object, bank_ids: Collection[str] | None) -> list[tuple[Stack, int]]:
    if not isinstance(doc, LMap):
        check.add(0, "a stack file is a mapping", "start it with `schema: 1` and `stacks:`")
        return []
    check.keys(doc, ("schema", "stacks"), "a stack file")
    if check.get(doc, "schema", "int", "a stack file") not in (1, MISSING):
        check.add(doc.lines["schema"], "unknown stack schema", "write `schema: 1`")
    lst = check.get(doc, "stacks", "list", "a stack file", hint="list the stacks under `stacks:`")
    if lst is MISSING:
        return []
    out = []
    for item, line in zip(lst, lst.lines, strict=True):
        if not isinstance(item, LMap):
            check.add(line, "a stack must be a mapping", "give it id, name, summary, months and steps")
            continue
        stack = _stack(check, item, bank_ids)
        if stack is not None:
            out.append((stack, line))
    return out


def _stack(check: Checker, m: LMap, bank_ids: Collection[str] | None) -> Stack | None:
    where = "a stack"
    check.keys(m, ("id", "name", "summary", "months", "steps"), where)
    sid = check.get(m, "id", "id", where)
    name = check.get(m, "name", "text", where)
    summary = check.get(m, "summary", "text", where)
    span = check.get(m, "months", "list", where, hint="add `months: [LOW, HIGH]`, the range it should take")
    months: tuple[int, int] | None = None
    if span is not MISSING:
        values = [v for v, _ in check.items(span, "int", "`months`")]
        if len(values) != 2 or not 0 < values[0] <= values[1]:
            check.add(m.lines["months"], "`months` must be [LOW, HIGH] with 0 < LOW <= HIGH", "e.g. [12, 18]")
        else:
            months = (values[0], values[1])
    steps_raw = check.get(m, "steps", "list", where, hint="list the exams in order under `steps:`")
    steps: list[StackStep] = []
    if steps_raw is not MISSING:
        if not steps_raw:
            check.add(m.lines["steps"], "a stack needs at least one step", "add a step with `exams:`")
        for item, line in zip(steps_raw, steps_raw.lines, strict=True):
            step = _step(check, item, line, bank_ids)
            if step is not None:
                steps.append(step)
    if MISSING in (sid, name, summary) or months is None or len(steps) != len(steps_raw or ()):
        return None
    total = sum(s.months for s in steps)
    if not months[0] <= total <= months[1]:
        check.add(
            m.lines["steps"],
            f"the steps add up to {total} months, outside the stack's range {list(months)}",
            "change the steps' months or the range",
        )
        return None
    return Stack(sid, name, summary, months, tuple(steps))


def _step(check: Checker, item: object, line: int, bank_ids: Collection[str] | None) -> StackStep | None:
    where = "a stack step"
    if not isinstance(item, LMap):
        check.add(line, "a stack step must be a mapping", "give it `exams:` and `months:`")
        return None
    check.keys(item, ("exams", "months", "why"), where)
    exams = check.get(item, "exams", "list", where, hint="list certification ids, the preferred first")
    months = check.get(item, "months", "int", where)
    why = check.get(item, "why", "text", where, required=False)
    if months is not MISSING and not 1 <= months <= MAX_STEP_MONTHS:
        check.add(item.lines["months"], f"a step takes 1 to {MAX_STEP_MONTHS} months", "fix `months`")
        months = MISSING
    ids: list[str] = []
    if isinstance(exams, LList):
        if not exams:
            check.add(item.lines["exams"], "a step needs at least one exam", "name a certification id")
        for cid, cid_line in check.items(exams, "id", "`exams`"):
            if bank_ids is not None and cid not in bank_ids:
                check.add(cid_line, f"no bank `{cid}`", "use the `id` of a bank's certification")
            elif cid in ids:
                check.add(cid_line, f"`{cid}` is listed twice in this step", "list it once")
            else:
                ids.append(cid)
    if exams is MISSING or months is MISSING or not ids or len(ids) != len(exams):
        return None
    return StackStep(tuple(ids), months, why or "")
