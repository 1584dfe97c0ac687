"""Answer-key hygiene (`banks validate --strict`): checks that keep a bank from teaching by accident.

- no answer letter holds more than 35 % of a bank's single-answer keys;
- no option position is keyed in more than 60 % of a bank's multiple-response questions (options are shown
  in authored order, so "always A and B" would be learnt instead of the content);
- the right option is not systematically the longest (at most 40 % of single-answer questions);
- no "all of the above" / "none of the above";
- multiple-response stems say how many to select ("Select TWO");
- no duplicate or near-duplicate stems within or across banks;
- every reference is on one of the certification's documentation domains;
- every domain's share of questions is within 3 percentage points of its official weight.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import combinations

from quizengine.banks.errors import BankProblem
from quizengine.domain.model import NUMBER_WORDS, Bank, Question, QuestionType

MAX_LETTER_SHARE = 0.35
MAX_LONGEST_SHARE = 0.40
MAX_MULTI_POSITION_SHARE = 0.60  # "select 2 of 5" puts each position in 40 % of keys on average
NEAR_DUPLICATE = 0.6  # Jaccard similarity of word 3-gram sets
BLUEPRINT_TOLERANCE_PP = 3.0
MIN_QUESTIONS_FOR_SHARES = 8  # shares of tiny banks say nothing
_OF_THE_ABOVE = re.compile(r"\b(all|none|both|neither) of the (above|options|answers)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")


def check(banks: Sequence[Bank]) -> list[BankProblem]:
    problems: list[BankProblem] = []
    for bank in banks:
        problems += _letters(bank) + _multi_positions(bank) + _longest(bank) + _wording(bank)
        problems += _references(bank) + _blueprint(bank)
    problems += _near_duplicates(banks)
    return sorted(problems)


def _where(bank: Bank) -> str:
    return bank.files[0] if bank.files else bank.certification.id


def _owned(bank: Bank) -> list[Question]:
    """The questions written in this bank (a shared question is checked once, in the bank that owns it)."""
    shared = {ref.question_id for ref in bank.shared}
    return [q for q in bank.questions if q.id not in shared]


def _singles(bank: Bank) -> list[Question]:
    return [q for q in bank.questions if q.type is QuestionType.SINGLE]


def _letters(bank: Bank) -> list[BankProblem]:
    singles = _singles(bank)
    if len(singles) < MIN_QUESTIONS_FOR_SHARES:
        return []
    counts = Counter(min(q.correct_options) for q in singles)
    letter, n = counts.most_common(1)[0]
    share = n / len(singles)
    if share <= MAX_LETTER_SHARE:
        return []
    spread = ", ".join(f"{'ABCDEFGHI'[i]} {counts[i]}" for i in sorted(counts))
    return [
        BankProblem(
            _where(bank),
            0,
            f"{'ABCDEFGHI'[letter]} is the answer of {share:.0%} of single-answer "
            f"questions (at most {MAX_LETTER_SHARE:.0%}); keys: {spread}",
            "move some right answers to other positions",
        )
    ]


def _multi_positions(bank: Bank) -> list[BankProblem]:
    multis = [q for q in _owned(bank) if q.type is QuestionType.MULTIPLE]
    if len(multis) < MIN_QUESTIONS_FOR_SHARES:
        return []
    counts = Counter(i for q in multis for i in q.correct_options)
    position, n = counts.most_common(1)[0]
    share = n / len(multis)
    if share <= MAX_MULTI_POSITION_SHARE:
        return []
    return [
        BankProblem(
            _where(bank),
            0,
            f"option {'ABCDEFGHI'[position]} is a key of {share:.0%} of multiple-response questions "
            f"(at most {MAX_MULTI_POSITION_SHARE:.0%})",
            "move the right options of some questions to other positions",
        )
    ]


def _longest(bank: Bank) -> list[BankProblem]:
    singles = _singles(bank)
    if len(singles) < MIN_QUESTIONS_FOR_SHARES:
        return []
    longest = [q for q in singles if _right_is_strictly_longest(q)]
    share = len(longest) / len(singles)
    if share <= MAX_LONGEST_SHARE:
        return []
    ids = ", ".join(q.id for q in longest[:8])
    return [
        BankProblem(
            _where(bank),
            0,
            f"the right option is the longest in {share:.0%} of single-answer "
            f"questions (at most {MAX_LONGEST_SHARE:.0%}): {ids}...",
            "make distractors as specific as the answer, or the answer shorter",
        )
    ]


def _right_is_strictly_longest(q: Question) -> bool:
    right = next(o for o in q.options if o.correct)
    return all(len(right.text) > len(o.text) for o in q.options if not o.correct)


def _wording(bank: Bank) -> list[BankProblem]:
    problems = []
    for q in _owned(bank):
        texts = [o.text for o in q.options] + [s.text for s in q.steps]
        if any(_OF_THE_ABOVE.search(t) for t in texts):
            problems.append(
                BankProblem(
                    _where(bank),
                    0,
                    f"question `{q.id}` offers an 'all/none of the above' option",
                    "replace it with a real, plausible option",
                )
            )
        if q.type is QuestionType.MULTIPLE:
            word = NUMBER_WORDS.get(q.select, str(q.select))
            if f"select {word}".lower() not in q.stem.lower():
                problems.append(
                    BankProblem(
                        _where(bank),
                        0,
                        f"question `{q.id}` does not say 'Select {word}.'",
                        f"end the stem with 'Select {word}.'",
                    )
                )
    return problems


def _domain_of(url: str) -> str:
    return url.split("/")[2].lower()


def _references(bank: Bank) -> list[BankProblem]:
    allowed = bank.certification.doc_domains
    if not allowed:
        return [
            BankProblem(
                _where(bank),
                0,
                "the certification lists no `doc_domains`",
                "list the vendor documentation domains references may point at",
            )
        ]
    problems = []
    for q in bank.questions:
        for url in q.references:
            host = _domain_of(url)
            if not any(host == d or host.endswith("." + d) for d in allowed):
                problems.append(
                    BankProblem(
                        _where(bank),
                        0,
                        f"question `{q.id}` cites {host}, not a documentation "
                        f"domain of this bank ({', '.join(allowed)})",
                        "cite the vendor's official documentation",
                    )
                )
    return problems


def _blueprint(bank: Bank) -> list[BankProblem]:
    total = len(bank.questions)
    if total < MIN_QUESTIONS_FOR_SHARES:
        return []
    counts = bank.counts_by_domain()
    problems = []
    for d in bank.domains:
        share = 100 * counts.get(d.id, 0) / total
        if abs(share - d.weight) > BLUEPRINT_TOLERANCE_PP:
            need = round(d.weight * total / 100)
            problems.append(
                BankProblem(
                    _where(bank),
                    0,
                    f"domain `{d.id}` has {share:.1f} % of the questions, its "
                    f"weight is {d.weight:.1f} % (allowed +/- {BLUEPRINT_TOLERANCE_PP:g} pp)",
                    f"aim for about {need} of {total} questions in this domain",
                )
            )
    return problems


def _shingles(text: str) -> frozenset[str]:
    words = _WORD.findall(text.lower())
    return frozenset(" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2)))


def _near_duplicates(banks: Sequence[Bank]) -> list[BankProblem]:
    """Pairs of stems sharing most of their word 3-grams, found through an index of shared 3-grams."""
    stems: list[tuple[Bank, Question, frozenset[str]]] = [
        (b, q, _shingles(q.stem)) for b in banks for q in _owned(b)
    ]
    index: dict[str, list[int]] = defaultdict(list)
    for i, (_, _, grams) in enumerate(stems):
        for g in grams:
            index[g].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for members in index.values():
        if len(members) > 50:  # boilerplate phrase shared by many stems: not evidence
            continue
        for a, b in combinations(members, 2):
            shared[(a, b)] += 1
    problems = []
    for (a, b), n in shared.items():
        ga, gb = stems[a][2], stems[b][2]
        similarity = n / len(ga | gb)
        if similarity >= NEAR_DUPLICATE:
            (bank_a, qa, _), (_, qb, _) = stems[a], stems[b]
            problems.append(
                BankProblem(
                    _where(bank_a),
                    0,
                    f"questions `{qa.id}` and `{qb.id}` have near-duplicate stems ({similarity:.0%} alike)",
                    "rewrite one, or remove it (a question may serve two exams by reference)",
                )
            )
    return problems
