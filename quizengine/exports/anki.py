"""An Anki deck (.apkg) of a bank, for study on a phone.

Every note's GUID is derived from the question id, so exporting again and importing into Anki updates the
existing notes instead of adding duplicates; the deck and note-type ids are derived from the certification id.
All bank text is HTML-escaped (Anki fields are HTML).
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from pathlib import Path

import genanki  # type: ignore[import-untyped]

from quizengine.domain.model import Certification, Question, QuestionType

LETTERS = "ABCDEFGHI"
FIELDS = ["Question", "Answer", "Explanation", "Reference", "Exam", "Id"]
CSS = ".card{font-family:sans-serif;font-size:18px;text-align:left}.why{color:#555;font-size:15px}"


def stable_id(text: str) -> int:
    """A positive 31-bit id from ``text`` (Anki ids are integers; the same text gives the same id)."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) & 0x7FFFFFFF


def _h(text: str) -> str:
    return html.escape(text.strip()).replace("\n", "<br>")


def _front(q: Question) -> str:
    parts = [_h(q.stem), f"<p><i>{_h(q.type_label)}</i></p>"]
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        parts.append("<br>".join(f"{LETTERS[i]}. {_h(o.text)}" for i, o in enumerate(q.options)))
    elif q.type is QuestionType.ORDERING:
        parts.append("<br>".join(f"- {_h(s.text)}" for s in sorted(q.steps, key=lambda s: s.text)))
    else:
        parts.append("<br>".join(f"- {_h(p.prompt)}" for p in q.pairs))
        parts.append("Answers: " + ", ".join(_h(a) for a in sorted(q.answer_choices)))
    return "<br>".join(parts)


def _back(q: Question) -> tuple[str, str]:
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        answer = "<br>".join(f"{LETTERS[i]}. {_h(o.text)}" for i, o in enumerate(q.options) if o.correct)
        whys = "<br>".join(
            f'<span class="why">{LETTERS[i]}: {_h(o.why)}</span>' for i, o in enumerate(q.options)
        )
        return answer, f"{_h(q.explanation)}<br><br>{whys}"
    if q.type is QuestionType.ORDERING:
        answer = "<br>".join(f"{n}. {_h(s.text)}" for n, s in enumerate(q.steps, start=1))
    else:
        answer = "<br>".join(f"{_h(p.prompt)} &rarr; {_h(p.answer)}" for p in q.pairs)
    return answer, _h(q.explanation)


def build_deck(cert: Certification, questions: Sequence[Question]) -> genanki.Package:
    model = genanki.Model(
        stable_id(f"quizengine-model-1:{cert.id}"),
        "quizengine question",
        fields=[{"name": f} for f in FIELDS],
        templates=[
            {
                "name": "Question",
                "qfmt": "{{Question}}",
                "afmt": "{{FrontSide}}<hr id=answer><b>{{Answer}}</b><br><br>{{Explanation}}"
                "<br><br>{{Reference}}<br><small>{{Exam}} {{Id}}</small>",
            }
        ],
        css=CSS,
    )
    title = f"quizengine::{cert.exam_code} {cert.name}"
    deck = genanki.Deck(stable_id(f"quizengine-deck:{cert.id}"), title)
    for q in questions:
        answer, explanation = _back(q)
        refs = "<br>".join(f'<a href="{html.escape(u, quote=True)}">{_h(u)}</a>' for u in q.references)
        exam = _h(f"{cert.exam_code} / {q.domain}")
        fields = [_front(q), answer, explanation, refs, exam, _h(q.id)]
        tags = [f"quizengine::{cert.id}", f"domain::{q.domain}", *(f"topic::{t}" for t in q.topics)]
        deck.add_note(
            genanki.Note(model=model, fields=fields, tags=tags, guid=genanki.guid_for("quizengine", q.id))
        )
    return genanki.Package(deck)


def write_deck(cert: Certification, questions: Sequence[Question], out: Path) -> int:
    """Write the deck to ``out`` (through a temporary file, never half-written); return the note count."""
    tmp = out.with_name(out.name + ".tmp")
    build_deck(cert, questions).write_to_file(str(tmp))
    tmp.replace(out)
    return len(questions)
