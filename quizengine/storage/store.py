"""The repository: every query quizengine makes, returning domain objects, never ORM rows."""

from __future__ import annotations

import functools
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, NamedTuple, ParamSpec, TypeVar, cast

from sqlalchemy import (
    Engine,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
    true,
    update,
)
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from quizengine.domain import sm2
from quizengine.domain.cards import CardState, Review, ReviewKind, replay
from quizengine.domain.mock import ExamClock, MockItem, MockMode, MockState
from quizengine.domain.model import Bank, InstalledBank, Question, QuestionReport
from quizengine.storage import db
from quizengine.storage.errors import StorageError
from quizengine.storage.mapping import (
    case_studies_from_json,
    cert_from_json,
    domains_from_json,
    formats_from_json,
    meta_to_json,
    question_from_json,
    question_hash,
    question_to_json,
)
from quizengine.storage.models import (
    BankQuestionRow,
    BankRow,
    CardRow,
    MockItemRow,
    MockRow,
    ProfileCertRow,
    ProfileRow,
    ProfileSettingRow,
    QuestionReportRow,
    QuestionRow,
    RecallStateRow,
    ReviewRow,
    StudySessionRow,
)

_T = TypeVar("_T")
_P = ParamSpec("_P")


@dataclass(frozen=True, slots=True)
class LoggedAnswer:
    question_id: str
    answered_at: datetime
    kind: ReviewKind
    correct: bool
    quality: int
    response_ms: int


class RecallRecord(NamedTuple):
    """One question's kept recall state (see models.RecallStateRow).

    A named tuple, not a frozen dataclass: a report reads tens of thousands of them, each made straight
    from a database row.
    """

    question_id: str
    stability: float
    difficulty: float
    fsrs_last: int  # moments: microseconds since the Unix epoch
    reviews: int
    first_correct: bool  # read back as 0 or 1 on SQLite: use it as a truth value
    first_at: int
    last_at: int
    weight: float
    correct_weight: float
    ms_total: int
    new_at: int | None


@dataclass(frozen=True, slots=True)
class RecallMark:
    """How far a profile's kept recall state reaches: every review with ``id <= upto`` is in it, and there
    were ``count`` of them when it was saved (a different count now means a late commit below the mark)."""

    upto: int = 0
    count: int = 0


RECALL_MARK_KEY = "recall_state"


@dataclass(frozen=True, slots=True)
class MockResult:
    """A submitted mock exam's outcome (``result`` as scoring stored it)."""

    cert_id: str
    mode: MockMode
    submitted_at: datetime
    result: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class SaveResult:
    added: int = 0
    updated: int = 0
    retired: int = 0
    revived: int = 0


@dataclass(frozen=True, slots=True)
class DayActivity:
    new_done: dict[str, int]  # cert id -> new questions answered that day
    reviews_done: dict[str, int]  # cert id -> scheduled reviews answered that day
    last_quality: dict[str, int]  # question id -> quality of its last answer that day
    answered: int = 0


def _again_on_conflict(write: Callable[_P, _T]) -> Callable[_P, _T]:
    """Run a read-then-insert transaction once more if another process inserted the same key in between
    (the same learner starting in two terminals). PostgreSQL reports that as a unique violation; on
    SQLite the write lock taken at BEGIN already rules it out. A second conflict is a real one."""

    @functools.wraps(write)
    def again(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return write(*args, **kwargs)
        except IntegrityError:
            return write(*args, **kwargs)

    return again


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- opening --------------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str, *, migrate: bool | None = None) -> Store:
        """Open the database at ``url``. SQLite is migrated on open; other URLs need ``db upgrade``."""
        url = db.normalise_url(url)
        engine = db.make_engine(url)
        store = cls(engine)
        try:
            store._check_schema(migrate if migrate is not None else db.is_sqlite(url))
        except BaseException:
            engine.dispose()
            raise
        return store

    def _check_schema(self, migrate: bool) -> None:
        where = self.engine.url.render_as_string(hide_password=True)
        try:
            tables = set(inspect(self.engine).get_table_names())
            current = db.current_revision(self.engine)
        except (DatabaseError, sqlite3.DatabaseError) as exc:
            raise StorageError(
                f"{where} cannot be opened as a database ({_reason(exc)}); nothing was changed. "
                "Point --db at another file, or move this one aside."
            ) from None
        head = db.SCHEMA_HEAD
        if current is None and tables:
            raise StorageError(
                f"{where} is not a quizengine database (it has tables {', '.join(sorted(tables)[:5])}); "
                "nothing was changed. Use --db with a new file name."
            )
        if current is not None and current != head and not db.known_revision(self.engine, current):
            raise StorageError(
                f"{where} was written by a newer quizengine (schema {current}, this one knows up to {head}); "
                "nothing was changed. Upgrade quizengine."
            )
        if current == head:
            return
        if not migrate:
            raise StorageError(
                f"{where} needs its schema brought up to date: run `quizengine db upgrade --db URL`"
            )
        try:
            db.upgrade(self.engine)
        except OperationalError as exc:
            raise StorageError(f"cannot migrate {where}: {_reason(exc)}") from None

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine) as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction that takes the write lock at BEGIN (SQLite) and commits or rolls back whole."""
        with Session(self.engine) as session:
            session.connection(execution_options={"quizengine_write": True})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def integrity_ok(self) -> bool:
        if self.engine.dialect.name != "sqlite":
            return True
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"

    # --- profiles and settings ------------------------------------------------------------------

    def profile_id(self, name: str, now: datetime) -> int:
        with self._read() as s:
            found = s.scalar(select(ProfileRow.id).where(ProfileRow.name == name))
        if found is not None:
            return found
        return self._create_profile(name, now)

    @_again_on_conflict
    def _create_profile(self, name: str, now: datetime) -> int:
        with self._write() as s:
            found = s.scalar(select(ProfileRow.id).where(ProfileRow.name == name))
            if found is None:
                row = ProfileRow(name=name, created_at=now)
                s.add(row)
                s.flush()
                found = row.id
            return found

    def setting(self, profile_id: int, key: str, default: Any = None) -> Any:
        with self._read() as s:
            row = s.get(ProfileSettingRow, (profile_id, key))
            return default if row is None else row.value

    def settings(self, profile_id: int) -> dict[str, Any]:
        """Every setting of a profile, by key (a report reads them all at once)."""
        with self._read() as s:
            query = select(ProfileSettingRow.key, ProfileSettingRow.value).where(
                ProfileSettingRow.profile_id == profile_id
            )
            return {key: value for key, value in s.execute(query)}

    @_again_on_conflict
    def set_setting(self, profile_id: int, key: str, value: Any) -> None:
        with self._write() as s:
            row = s.get(ProfileSettingRow, (profile_id, key))
            if row is None:
                s.add(ProfileSettingRow(profile_id=profile_id, key=key, value=value))
            else:
                row.value = value

    # --- banks ----------------------------------------------------------------------------------

    def bank_hashes(self) -> dict[str, tuple[str, str]]:
        """cert id -> (source path, content hash) of every installed bank."""
        with self._read() as s:
            return {
                r.cert_id: (r.source, r.content_hash)
                for r in s.execute(select(BankRow.cert_id, BankRow.source, BankRow.content_hash))
            }

    def save_bank(self, bank: Bank, source: str, now: datetime) -> SaveResult:
        """Install or update a bank in one transaction; questions no longer in it are retired, not deleted."""
        cert = bank.certification
        meta = meta_to_json(cert, bank.domains, bank.formats, bank.case_studies)
        added = updated = retired = revived = 0
        with self._write() as s:
            row = s.get(BankRow, cert.id)
            if row is None:
                row = BankRow(cert_id=cert.id)
                s.add(row)
            row.exam_code, row.name, row.status = cert.exam_code, cert.name, cert.status.value
            row.source, row.content_hash, row.version = source, bank.content_hash, bank.version
            row.meta, row.loaded_at = meta, now
            s.flush()
            existing = {q.id: q for q in s.scalars(select(QuestionRow).where(QuestionRow.cert_id == cert.id))}
            clash = select(QuestionRow.id, QuestionRow.cert_id).where(
                QuestionRow.id.in_([q.id for q in bank.questions]), QuestionRow.cert_id != cert.id
            )
            owners = {qid: other for qid, other in s.execute(clash)}
            if owners:
                qid, other = next(iter(owners.items()))
                raise StorageError(
                    f"question id `{qid}` already belongs to bank `{other}`; ids are unique across banks"
                )
            for position, q in enumerate(bank.questions):
                payload = question_to_json(q)
                digest = question_hash(payload)
                qrow = existing.pop(q.id, None)
                if qrow is None:
                    s.add(
                        QuestionRow(
                            id=q.id,
                            cert_id=cert.id,
                            domain=q.domain,
                            type=q.type.value,
                            position=position,
                            payload=payload,
                            content_hash=digest,
                            updated_at=now,
                            retired_at=None,
                        )
                    )
                    added += 1
                    continue
                if qrow.retired_at is not None:
                    qrow.retired_at = None
                    revived += 1
                if qrow.content_hash != digest:
                    qrow.payload, qrow.content_hash, qrow.updated_at = payload, digest, now
                    qrow.domain, qrow.type = q.domain, q.type.value
                    updated += 1
                qrow.position = position
            for qrow in existing.values():
                if qrow.retired_at is None:
                    qrow.retired_at = now
                    retired += 1
            s.flush()
            _save_membership(s, bank)
        return SaveResult(added, updated, retired, revived)

    def installed_banks(self) -> list[InstalledBank]:
        with self._read() as s:
            counts: dict[str, dict[str, int]] = {}
            query = (
                select(BankQuestionRow.cert_id, BankQuestionRow.domain, func.count())
                .join(QuestionRow, QuestionRow.id == BankQuestionRow.question_id)
                .where(QuestionRow.retired_at.is_(None))
                .group_by(BankQuestionRow.cert_id, BankQuestionRow.domain)
            )
            for cert_id, domain, n in s.execute(query):
                counts.setdefault(cert_id, {})[domain] = n
            result = []
            for row in s.scalars(select(BankRow).order_by(BankRow.cert_id)):
                domains = domains_from_json(row.meta["domains"])
                per_domain = {d.id: counts.get(row.cert_id, {}).get(d.id, 0) for d in domains}
                result.append(
                    InstalledBank(
                        certification=cert_from_json(row.meta["certification"]),
                        domains=domains,
                        formats=formats_from_json(row.meta["formats"]),
                        counts=per_domain,
                        version=row.version,
                        content_hash=row.content_hash,
                        source=row.source,
                        case_studies=case_studies_from_json(row.meta.get("case_studies")),
                    )
                )
            return result

    def question(self, question_id: str) -> Question:
        with self._read() as s:
            payload = s.scalar(select(QuestionRow.payload).where(QuestionRow.id == question_id))
        if payload is None:
            raise StorageError(f"no question `{question_id}` in the database")
        return question_from_json(payload)

    def questions_of(self, cert_id: str) -> list[Question]:
        """The live questions a bank serves, in bank order, each under this bank's domain."""
        with self._read() as s:
            query = (
                select(QuestionRow.payload, BankQuestionRow.domain)
                .join(BankQuestionRow, BankQuestionRow.question_id == QuestionRow.id)
                .where(BankQuestionRow.cert_id == cert_id, QuestionRow.retired_at.is_(None))
                .order_by(BankQuestionRow.position)
            )
            return [_in_domain(question_from_json(p), domain) for p, domain in s.execute(query)]

    def served_as(self, cert_id: str, question: Question) -> Question:
        """``question`` as bank ``cert_id`` serves it: under that bank's domain when it is shared."""
        if question.cert_id == cert_id:
            return question
        with self._read() as s:
            domain = s.scalar(
                select(BankQuestionRow.domain).where(
                    BankQuestionRow.cert_id == cert_id, BankQuestionRow.question_id == question.id
                )
            )
        return question if domain is None else _in_domain(question, domain)

    def questions_by_id(self, ids: Sequence[str], cert_id: str | None = None) -> list[Question]:
        """The questions with these ids, retired ones included (a mock or history may still show them).

        With ``cert_id``, each question comes under that bank's domain where the bank shares it.
        """
        with self._read() as s:
            query = select(QuestionRow.payload, BankQuestionRow.domain).outerjoin(
                BankQuestionRow,
                and_(BankQuestionRow.question_id == QuestionRow.id, BankQuestionRow.cert_id == cert_id),
            )
            return [
                _in_domain(question_from_json(p), domain) if domain else question_from_json(p)
                for p, domain in s.execute(query.where(QuestionRow.id.in_(ids)))
            ]

    # --- a profile's certifications --------------------------------------------------------------

    def profile_certs(self, profile_id: int) -> list[str]:
        with self._read() as s:
            query = select(ProfileCertRow.cert_id).where(ProfileCertRow.profile_id == profile_id)
            return list(s.scalars(query.order_by(ProfileCertRow.added_at, ProfileCertRow.cert_id)))

    @_again_on_conflict
    def add_cert(self, profile_id: int, cert_id: str, now: datetime) -> None:
        with self._write() as s:
            if s.get(BankRow, cert_id) is None:
                raise StorageError(f"no installed bank `{cert_id}`; see `quizengine banks list`")
            if s.get(ProfileCertRow, (profile_id, cert_id)) is None:
                s.add(ProfileCertRow(profile_id=profile_id, cert_id=cert_id, added_at=now))

    def drop_cert(self, profile_id: int, cert_id: str) -> None:
        """Stop studying a certification; its review history and card states are kept."""
        with self._write() as s:
            s.execute(
                delete(ProfileCertRow).where(
                    ProfileCertRow.profile_id == profile_id, ProfileCertRow.cert_id == cert_id
                )
            )

    # --- study ----------------------------------------------------------------------------------

    def due_cards(self, profile_id: int, cert_ids: Sequence[str], today: date, limit: int) -> list[CardState]:
        """Due cards of live questions, most overdue first."""
        with self._read() as s:
            query = (
                _due_cards(profile_id, cert_ids, today, CardRow)
                .order_by(CardRow.due, CardRow.question_id)
                .limit(limit)
            )
            return [_card(r) for r in s.scalars(query)]

    def new_candidates(self, profile_id: int, cert_ids: Sequence[str]) -> list[tuple[str, str, str]]:
        """(question id, cert id, domain) of live questions the profile has never answered, in bank order."""
        with self._read() as s:
            columns = (BankQuestionRow.question_id, BankQuestionRow.cert_id, BankQuestionRow.domain)
            query = _unseen(profile_id, cert_ids, *columns).order_by(
                BankQuestionRow.cert_id, BankQuestionRow.position
            )
            return [(qid, cid, dom) for qid, cid, dom in s.execute(query)]

    def cert_counts(
        self, profile_id: int, cert_ids: Sequence[str], today: date
    ) -> dict[str, tuple[int, int]]:
        """cert id -> (due today, never answered) over live questions."""
        with self._read() as s:
            due = _pairs(
                s.execute(
                    select(BankQuestionRow.cert_id, func.count())
                    .join(QuestionRow, QuestionRow.id == BankQuestionRow.question_id)
                    .join(CardRow, CardRow.question_id == QuestionRow.id)
                    .where(
                        CardRow.profile_id == profile_id,
                        CardRow.due <= today,
                        BankQuestionRow.cert_id.in_(cert_ids),
                        QuestionRow.retired_at.is_(None),
                    )
                    .group_by(BankQuestionRow.cert_id)
                )
            )
            unseen = _pairs(
                s.execute(
                    _unseen(profile_id, cert_ids, BankQuestionRow.cert_id, func.count()).group_by(
                        BankQuestionRow.cert_id
                    )
                )
            )
        return {c: (due.get(c, 0), unseen.get(c, 0)) for c in cert_ids}

    def card(self, profile_id: int, question_id: str) -> CardState:
        with self._read() as s:
            return _read_card(s, profile_id, question_id) or CardState(question_id)

    def day_activity(self, profile_id: int, day: date) -> DayActivity:
        with self._read() as s:
            # A shared question belongs to several banks: its answer counts toward each bank's quota.
            rows = s.execute(
                select(
                    ReviewRow.id,
                    ReviewRow.question_id,
                    BankQuestionRow.cert_id,
                    ReviewRow.kind,
                    ReviewRow.quality,
                )
                .outerjoin(BankQuestionRow, BankQuestionRow.question_id == ReviewRow.question_id)
                .where(ReviewRow.profile_id == profile_id, ReviewRow.study_day == day)
                .order_by(ReviewRow.answered_at, ReviewRow.id)
            )
            new: dict[str, int] = {}
            reviews: dict[str, int] = {}
            last: dict[str, int] = {}
            counted: set[int] = set()
            for review_id, qid, cert_id, kind, quality in rows:
                if kind == ReviewKind.MOCK:  # a mock marks questions due; it is not study
                    continue
                counted.add(review_id)
                last[qid] = quality
                if cert_id is None:  # a question no bank serves any more
                    continue
                if kind == ReviewKind.NEW:
                    new[cert_id] = new.get(cert_id, 0) + 1
                elif kind == ReviewKind.REVIEW:
                    reviews[cert_id] = reviews.get(cert_id, 0) + 1
        return DayActivity(new, reviews, last, len(counted))

    def study_days(self, profile_id: int, since: date, until: date) -> set[date]:
        """The study days in [since, until] on which the profile answered anything."""
        with self._read() as s:
            query = (
                select(ReviewRow.study_day)
                .where(
                    ReviewRow.profile_id == profile_id,
                    ReviewRow.study_day >= since,
                    ReviewRow.study_day <= until,
                )
                .distinct()
            )
            return set(s.scalars(query))

    def record(self, profile_id: int, review: Review, session_id: int | None = None) -> None:
        """Append an answer already graded to the log and store the card's new state, in one committed
        transaction (answering in a session goes through ``record_answer``, which grades under the lock)."""
        with self._write() as s:
            _lock_profile(s, profile_id)
            card = _read_card(s, profile_id, review.question_id)
            _apply(s, profile_id, review, session_id, card_exists=card is not None)

    def record_answer(
        self,
        profile_id: int,
        question_id: str,
        review_of: Callable[[CardState], Review],
        session_id: int | None = None,
    ) -> Review:
        """Read the card, grade it with ``review_of`` and record the review, in one committed transaction.

        A profile's answers are taken one at a time: SQLite's write lock does that, and on PostgreSQL a
        lock on the profile's row (FOR NO KEY UPDATE, which the log's foreign keys do not wait for). So a
        second terminal of the same learner answering the same question waits and grades the card the first
        one left, instead of a stale one (or a card row both would create). One transaction, not a read
        and then a write.
        """
        with self._write() as s:
            _lock_profile(s, profile_id)
            card = _read_card(s, profile_id, question_id)
            review = review_of(card or CardState(question_id))
            _apply(s, profile_id, review, session_id, card_exists=card is not None)
        return review

    def reviews(self, profile_id: int, question_id: str | None = None) -> list[Review]:
        with self._read() as s:
            query = select(ReviewRow).where(ReviewRow.profile_id == profile_id)
            if question_id is not None:
                query = query.where(ReviewRow.question_id == question_id)
            return [_review(r) for r in s.scalars(query.order_by(ReviewRow.answered_at, ReviewRow.id))]

    def answer_log(self, profile_id: int) -> list[LoggedAnswer]:
        """Every answer of a profile in time order, lean (for recall models and reports)."""
        return [answer for _id, answer in self._logged(profile_id, true())]

    def logged_since(
        self, profile_id: int, after_id: int, limit: int | None = None
    ) -> list[tuple[int, LoggedAnswer]]:
        """(review id, answer) of the reviews with an id above ``after_id`` (the first ``limit`` of them by
        id), in time order."""
        if limit is None:
            return self._logged(profile_id, ReviewRow.id > after_id)
        with self._read() as s:
            query = (
                select(ReviewRow.id)
                .where(ReviewRow.profile_id == profile_id, ReviewRow.id > after_id)
                .order_by(ReviewRow.id)
                .limit(limit)
            )
            last = max(s.scalars(query), default=None)
        if last is None:
            return []
        return self._logged(profile_id, and_(ReviewRow.id > after_id, ReviewRow.id <= last))

    def logged_for(self, profile_id: int, question_ids: Sequence[str]) -> list[tuple[int, LoggedAnswer]]:
        """(review id, answer) of every review of ``question_ids``, in time order."""
        return self._logged(profile_id, ReviewRow.question_id.in_(list(question_ids)))

    def _logged(self, profile_id: int, condition: Any) -> list[tuple[int, LoggedAnswer]]:
        with self._read() as s:
            query = (
                select(
                    ReviewRow.id,
                    ReviewRow.question_id,
                    ReviewRow.answered_at,
                    ReviewRow.kind,
                    ReviewRow.correct,
                    ReviewRow.quality,
                    ReviewRow.response_ms,
                )
                .where(ReviewRow.profile_id == profile_id, condition)
                .order_by(ReviewRow.answered_at, ReviewRow.id)
            )
            return [
                (rid, LoggedAnswer(q, at, ReviewKind(k), c, quality, ms))
                for rid, q, at, k, c, quality, ms in s.execute(query)
            ]

    def review_extent(self, profile_id: int, upto: int) -> tuple[int, int]:
        """(reviews with an id up to ``upto``, the highest review id) of a profile: one cheap query."""
        query = select(
            func.count().filter(ReviewRow.id <= upto), func.coalesce(func.max(ReviewRow.id), 0)
        ).where(ReviewRow.profile_id == profile_id)
        with self._read() as s:
            count, top = s.execute(query).one()
            return int(count), int(top)

    def recall_mark(self, profile_id: int) -> RecallMark:
        with self._read() as s:
            return _recall_mark(s, profile_id)

    def recall_state(self, profile_id: int) -> tuple[dict[str, RecallRecord], RecallMark]:
        """The kept recall state of a profile and how far it reaches (nothing kept: empty, mark 0)."""
        with self._read() as s:
            mark = _recall_mark(s, profile_id)
            if mark == RecallMark():
                return {}, mark
            columns = [getattr(RecallStateRow, f) for f in RecallRecord._fields]
            rows = _plain_rows(s, select(*columns).where(RecallStateRow.profile_id == profile_id))
            make = RecallRecord._make
            return {row[0]: make(row) for row in rows}, mark

    def save_recall_state(
        self, profile_id: int, records: Sequence[RecallRecord], mark: RecallMark, *, since: RecallMark
    ) -> bool:
        """Replace the kept state of ``records``' questions and move the mark to ``mark``, in one
        transaction, if the kept mark is still ``since``. Another process of the same profile that saved
        first wins (False): its state is as good, and this one's would count some reviews twice."""
        try:
            with self._write() as s:
                row = s.get(ProfileSettingRow, (profile_id, RECALL_MARK_KEY), with_for_update=True)
                if _recall_mark_of(row) != since:
                    return False
                ids = [r.question_id for r in records]
                for start in range(0, len(ids), 500):
                    chunk = ids[start : start + 500]
                    s.execute(
                        delete(RecallStateRow).where(
                            RecallStateRow.profile_id == profile_id, RecallStateRow.question_id.in_(chunk)
                        )
                    )
                if records:
                    rows = [{"profile_id": profile_id, **r._asdict()} for r in records]
                    s.execute(insert(RecallStateRow), rows)
                value = {"upto": mark.upto, "count": mark.count}
                if row is None:
                    s.add(ProfileSettingRow(profile_id=profile_id, key=RECALL_MARK_KEY, value=value))
                else:
                    row.value = value
        except IntegrityError:  # the other process inserted the same rows first (PostgreSQL)
            return False
        return True

    def answers_per_day(self, profile_id: int, since: date) -> dict[date, int]:
        """Answers per study day from ``since`` on (the calendar heatmap)."""
        with self._read() as s:
            query = (
                select(ReviewRow.study_day, func.count())
                .where(ReviewRow.profile_id == profile_id, ReviewRow.study_day >= since)
                .group_by(ReviewRow.study_day)
            )
            return {day: n for day, n in s.execute(query)}

    def due_per_day(self, profile_id: int, cert_ids: Sequence[str], until: date) -> dict[date, int]:
        """Cards of live questions falling due on each day up to ``until`` (overdue ones on their old day)."""
        with self._read() as s:
            query = _due_cards(profile_id, cert_ids, until, CardRow.due, func.count()).group_by(CardRow.due)
            return {day: n for day, n in s.execute(query)}

    def profiles(self) -> list[tuple[int, str]]:
        """(id, name) of every profile, by name."""
        with self._read() as s:
            return [
                (i, n) for i, n in s.execute(select(ProfileRow.id, ProfileRow.name).order_by(ProfileRow.name))
            ]

    def find_profile(self, name: str) -> int | None:
        """The id of an existing profile, without creating one (read-only callers)."""
        with self._read() as s:
            return s.scalar(select(ProfileRow.id).where(ProfileRow.name == name))

    def lapses_and_ef(self, profile_id: int) -> dict[str, tuple[int, int]]:
        """question id -> (lapses, SM-2 EF in hundredths) of every card a profile has answered."""
        query = select(CardRow.question_id, CardRow.lapses, CardRow.ef_hundredths).where(
            CardRow.profile_id == profile_id
        )
        with self._read() as s:
            return {qid: (lapses, ef) for qid, lapses, ef in _plain_rows(s, query)}

    def cards(self, profile_id: int) -> list[CardState]:
        # Plain column rows, not ORM objects: a report reads tens of thousands of cards per profile.
        columns = (
            CardRow.question_id, CardRow.repetitions, CardRow.ef_hundredths, CardRow.interval_days,
            CardRow.due, CardRow.reviews, CardRow.lapses, CardRow.last_review,
        )  # fmt: skip
        with self._read() as s:
            return [
                CardState(qid, sm2.Sm2State(reps, ef, interval), due, reviews, lapses, last)
                for qid, reps, ef, interval, due, reviews, lapses, last in s.execute(
                    select(*columns).where(CardRow.profile_id == profile_id)
                )
            ]

    def start_session(
        self, profile_id: int, cert_ids: Sequence[str], minutes: int | None, now: datetime
    ) -> int:
        with self._write() as s:
            row = StudySessionRow(
                profile_id=profile_id, started_at=now, cert_ids=list(cert_ids), minutes_budget=minutes
            )
            s.add(row)
            s.flush()
            return row.id

    def end_session(self, session_id: int, now: datetime) -> None:
        with self._write() as s:
            s.execute(update(StudySessionRow).where(StudySessionRow.id == session_id).values(ended_at=now))

    def add_report(self, profile_id: int, question_id: str, text: str, now: datetime) -> None:
        """Store a report against the question and bank exactly as the learner saw them."""
        with self._write() as s:
            row = s.get(QuestionRow, question_id)
            if row is None:
                raise StorageError(f"no question `{question_id}` in the database")
            bank = s.get(BankRow, row.cert_id)
            assert bank is not None
            s.add(
                QuestionReportRow(
                    profile_id=profile_id,
                    question_id=question_id,
                    cert_id=row.cert_id,
                    bank_version=bank.version,
                    bank_hash=bank.content_hash,
                    question_hash=row.content_hash,
                    created_at=now,
                    text=text,
                )
            )

    def reports(self, cert_id: str | None = None) -> list[QuestionReport]:
        with self._read() as s:
            query = (
                select(QuestionReportRow, ProfileRow.name, QuestionRow.content_hash)
                .join(ProfileRow, ProfileRow.id == QuestionReportRow.profile_id)
                .outerjoin(QuestionRow, QuestionRow.id == QuestionReportRow.question_id)
                .order_by(QuestionReportRow.created_at, QuestionReportRow.id)
            )
            if cert_id is not None:
                query = query.where(QuestionReportRow.cert_id == cert_id)
            return [
                QuestionReport(
                    r.question_id,
                    r.cert_id,
                    r.bank_version,
                    r.bank_hash,
                    name,
                    r.created_at,
                    r.text,
                    current=now_hash == r.question_hash,
                )
                for r, name, now_hash in s.execute(query)
            ]

    # --- mock exams -----------------------------------------------------------------------------

    def create_mock(self, profile_id: int, mock: MockState) -> int:
        with self._write() as s:
            row = MockRow(
                profile_id=profile_id,
                cert_id=mock.cert_id,
                format_id=mock.format_id,
                mode=mock.mode.value,
                only_domain=mock.only_domain,
                esl=mock.esl,
                strict=mock.strict,
                seed=mock.seed,
                started_at=mock.clock.started_at,
                deadline=mock.clock.deadline,
                position=mock.position,
            )
            s.add(row)
            s.flush()
            s.add_all(
                MockItemRow(
                    mock_id=row.id,
                    position=n,
                    question_id=item.question_id,
                    unscored=item.unscored,
                    choices=None,
                    flagged=False,
                    seconds=0.0,
                )
                for n, item in enumerate(mock.items)
            )
            return row.id

    def mock(self, mock_id: int) -> MockState:
        with self._read() as s:
            row = s.get(MockRow, mock_id)
            if row is None:
                raise StorageError(f"no mock exam {mock_id}")
            items = s.scalars(
                select(MockItemRow).where(MockItemRow.mock_id == mock_id).order_by(MockItemRow.position)
            )
            return MockState(
                cert_id=row.cert_id,
                format_id=row.format_id,
                mode=MockMode(row.mode),
                clock=ExamClock(row.started_at, row.deadline),
                items=[
                    MockItem(
                        i.question_id,
                        i.unscored,
                        None if i.choices is None else tuple(i.choices),
                        i.flagged,
                        i.seconds,
                    )
                    for i in items
                ],
                seed=row.seed,
                esl=row.esl,
                strict=row.strict,
                only_domain=row.only_domain,
                position=row.position,
                id=row.id,
                submitted_at=row.submitted_at,
                result=row.result,
            )

    def open_mock(self, profile_id: int, *, practical: bool | None = None) -> int | None:
        """The newest mock the profile started and did not submit (timed ones first), if any.

        ``practical`` narrows it to practical assessments (True) or timed mocks (False): a
        project-length practical may stay open while timed mocks are taken.
        """
        with self._read() as s:
            query = select(MockRow.id, MockRow.mode).where(
                MockRow.profile_id == profile_id, MockRow.submitted_at.is_(None)
            )
            rows = list(s.execute(query.order_by(MockRow.started_at.desc())))
        timed = [mid for mid, mode in rows if mode != MockMode.PRACTICAL]
        practicals = [mid for mid, mode in rows if mode == MockMode.PRACTICAL]
        if practical is True:
            return practicals[0] if practicals else None
        if practical is False:
            return timed[0] if timed else None
        either = timed or practicals
        return either[0] if either else None

    def save_mock_item(self, mock_id: int, position: int, item: MockItem, current: int) -> None:
        """Store one answer, flag or time change and the question on screen: one committed transaction."""
        with self._write() as s:
            s.execute(
                update(MockItemRow)
                .where(MockItemRow.mock_id == mock_id, MockItemRow.position == position)
                .values(
                    choices=None if item.choices is None else list(item.choices),
                    flagged=item.flagged,
                    seconds=item.seconds,
                )
            )
            s.execute(update(MockRow).where(MockRow.id == mock_id).values(position=current))

    def set_mock_deadline(self, mock_id: int, deadline: datetime) -> None:
        with self._write() as s:
            s.execute(update(MockRow).where(MockRow.id == mock_id).values(deadline=deadline))

    def submit_mock(
        self,
        profile_id: int,
        mock_id: int,
        now: datetime,
        result: dict[str, Any],
        due: Mapping[str, Callable[[CardState], Review]],
    ) -> None:
        """Close the mock with its result and make its missed and flagged questions due, all at once:
        ``due`` maps each to how its card changes, applied to the card read inside the transaction, under
        the profile's lock, as ``record_answer`` does."""
        with self._write() as s:
            _lock_profile(s, profile_id)
            row = s.get(MockRow, mock_id)
            if row is None or row.submitted_at is not None:
                return
            row.submitted_at, row.result = now, result
            for question_id, review_of in due.items():
                card = _read_card(s, profile_id, question_id)
                review = review_of(card or CardState(question_id))
                _apply(s, profile_id, review, None, card_exists=card is not None)

    def recent_mock_questions(self, profile_id: int, cert_id: str, mocks: int = 3) -> frozenset[str]:
        with self._read() as s:
            recent = (
                select(MockRow.id)
                .where(MockRow.profile_id == profile_id, MockRow.cert_id == cert_id)
                .order_by(MockRow.started_at.desc())
                .limit(mocks)
                .scalar_subquery()
            )
            query = select(MockItemRow.question_id).where(MockItemRow.mock_id.in_(recent))
            return frozenset(s.scalars(query))

    def mock_results(self, profile_id: int) -> list[MockResult]:
        """The result of every submitted mock of a profile, in the order they were started (one query,
        without the items: what readiness needs)."""
        with self._read() as s:
            query = (
                select(MockRow.cert_id, MockRow.mode, MockRow.submitted_at, MockRow.result)
                .where(MockRow.profile_id == profile_id, MockRow.submitted_at.is_not(None))
                .order_by(MockRow.started_at)
            )
            return [MockResult(c, MockMode(m), at, result) for c, m, at, result in s.execute(query)]

    def mock_history(self, profile_id: int, cert_id: str | None = None) -> list[MockState]:
        with self._read() as s:
            query = select(MockRow.id).where(
                MockRow.profile_id == profile_id, MockRow.submitted_at.is_not(None)
            )
            if cert_id is not None:
                query = query.where(MockRow.cert_id == cert_id)
            ids = list(s.scalars(query.order_by(MockRow.started_at)))
        return [self.mock(i) for i in ids]

    # --- moving a profile's history between databases ------------------------------------------

    def export_history(self, profile_id: int) -> dict[str, Any]:
        """Everything a profile did, as plain JSON: reviews, mocks, settings, certifications, reports."""
        with self._read() as s:
            profile = s.get(ProfileRow, profile_id)
            assert profile is not None
            reviews = s.scalars(
                select(ReviewRow).where(ReviewRow.profile_id == profile_id).order_by(ReviewRow.id)
            )
            mocks = s.scalars(select(MockRow).where(MockRow.profile_id == profile_id).order_by(MockRow.id))
            return {
                "format": HISTORY_FORMAT,
                "version": HISTORY_VERSION,
                "profile": profile.name,
                "settings": {
                    r.key: r.value
                    for r in s.scalars(
                        select(ProfileSettingRow).where(
                            ProfileSettingRow.profile_id == profile_id,
                            ProfileSettingRow.key != RECALL_MARK_KEY,  # review ids of this database only
                        )
                    )
                },
                "certs": list(
                    s.scalars(select(ProfileCertRow.cert_id).where(ProfileCertRow.profile_id == profile_id))
                ),
                "reviews": [{c: _jsonable(getattr(r, c)) for c in REVIEW_FIELDS} for r in reviews],
                "mocks": [
                    {
                        **{c: _jsonable(getattr(m, c)) for c in MOCK_FIELDS},
                        "items": [
                            {c: getattr(i, c) for c in MOCK_ITEM_FIELDS}
                            for i in s.scalars(
                                select(MockItemRow)
                                .where(MockItemRow.mock_id == m.id)
                                .order_by(MockItemRow.position)
                            )
                        ],
                    }
                    for m in mocks
                ],
                "reports": [
                    {c: _jsonable(getattr(r, c)) for c in REPORT_FIELDS}
                    for r in s.scalars(
                        select(QuestionReportRow).where(QuestionReportRow.profile_id == profile_id)
                    )
                ],
            }

    def import_history(self, profile_id: int, data: dict[str, Any]) -> dict[str, int]:
        """Add an exported history to ``profile_id`` in one transaction; what is already here is skipped.

        Reviews are matched by their uid, mocks by certification, format and start time, reports by
        question, time and text. Card states are then rebuilt from the whole log.
        """
        if data.get("format") != HISTORY_FORMAT or data.get("version") != HISTORY_VERSION:
            raise StorageError(
                "not a quizengine history file (version 1); export it with `quizengine history export`"
            )
        counts = {"reviews": 0, "reviews_skipped": 0, "mocks": 0, "mocks_skipped": 0, "reports": 0}
        touched: set[str] = set()
        with self._write() as s:
            have = set(s.scalars(select(ReviewRow.uid).where(ReviewRow.profile_id == profile_id)))
            for r in data["reviews"]:
                if r["uid"] in have:
                    counts["reviews_skipped"] += 1
                    continue
                s.add(
                    ReviewRow(
                        profile_id=profile_id,
                        session_id=None,
                        **{c: _from_json(c, r[c]) for c in REVIEW_FIELDS},
                    )
                )
                touched.add(r["question_id"])
                counts["reviews"] += 1
            started = {
                (m.cert_id, m.format_id, m.started_at)
                for m in s.scalars(select(MockRow).where(MockRow.profile_id == profile_id))
            }
            for m in data["mocks"]:
                fields = {c: _from_json(c, m[c]) for c in MOCK_FIELDS}
                if (fields["cert_id"], fields["format_id"], fields["started_at"]) in started:
                    counts["mocks_skipped"] += 1
                    continue
                row = MockRow(profile_id=profile_id, **fields)
                s.add(row)
                s.flush()
                s.add_all(MockItemRow(mock_id=row.id, **i) for i in m["items"])
                counts["mocks"] += 1
            for key, value in data["settings"].items():
                if key != RECALL_MARK_KEY and s.get(ProfileSettingRow, (profile_id, key)) is None:
                    s.add(ProfileSettingRow(profile_id=profile_id, key=key, value=value))
            for cert_id in data["certs"]:
                if (
                    s.get(BankRow, cert_id) is not None
                    and s.get(ProfileCertRow, (profile_id, cert_id)) is None
                ):
                    s.add(ProfileCertRow(profile_id=profile_id, cert_id=cert_id, added_at=datetime.now(UTC)))
            known = {
                (r.question_id, r.created_at, r.text)
                for r in s.scalars(
                    select(QuestionReportRow).where(QuestionReportRow.profile_id == profile_id)
                )
            }
            for r in data["reports"]:
                fields = {c: _from_json(c, r[c]) for c in REPORT_FIELDS}
                if (fields["question_id"], fields["created_at"], fields["text"]) not in known:
                    s.add(QuestionReportRow(profile_id=profile_id, **fields))
                    counts["reports"] += 1
            s.flush()
            for qid in touched:
                rows = s.scalars(
                    select(ReviewRow).where(ReviewRow.profile_id == profile_id, ReviewRow.question_id == qid)
                )
                card = replay(qid, [_review(r) for r in rows])
                s.execute(delete(CardRow).where(CardRow.profile_id == profile_id, CardRow.question_id == qid))
                if card.due is not None:
                    assert card.last_review is not None
                    s.add(
                        CardRow(
                            profile_id=profile_id,
                            question_id=qid,
                            repetitions=card.sm2.repetitions,
                            ef_hundredths=card.sm2.ef_hundredths,
                            interval_days=card.sm2.interval,
                            due=card.due,
                            reviews=card.reviews,
                            lapses=card.lapses,
                            last_review=card.last_review,
                        )
                    )
        return counts

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))


HISTORY_FORMAT = "quizengine-history"
HISTORY_VERSION = 1
REVIEW_FIELDS = (
    "uid", "question_id", "answered_at", "study_day", "kind", "choices", "correct", "quality", "response_ms",
    "before_repetitions", "before_ef_hundredths", "before_interval_days", "before_due",
    "after_repetitions", "after_ef_hundredths", "after_interval_days", "after_due",
)  # fmt: skip
MOCK_FIELDS = (
    "cert_id", "format_id", "mode", "only_domain", "esl", "strict", "seed", "started_at", "deadline",
    "position", "submitted_at", "result",
)  # fmt: skip
MOCK_ITEM_FIELDS = ("position", "question_id", "unscored", "choices", "flagged", "seconds")
REPORT_FIELDS = ("question_id", "cert_id", "bank_version", "bank_hash", "question_hash", "created_at", "text")
_DATETIMES = {"answered_at", "started_at", "deadline", "submitted_at", "created_at"}
_DATES = {"study_day", "before_due", "after_due"}


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _from_json(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column in _DATETIMES:
        return datetime.fromisoformat(value).astimezone(UTC)
    if column in _DATES:
        return date.fromisoformat(value)
    return value


def _pairs(result: Any) -> dict[str, int]:
    # dict(result) would treat a Result as a mapping (it has .keys()); iterate its rows instead.
    return {key: value for key, value in result}


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]


# An answer's statements are built once, here, and take their values as parameters: they run between
# the key press and the feedback, where the ORM's unit of work, and building a statement around its
# values, each cost more than the database round trip.
_REVIEWS = cast(Table, ReviewRow.__table__)
_CARDS = cast(Table, CardRow.__table__)
_CARD_STATE = (
    CardRow.repetitions, CardRow.ef_hundredths, CardRow.interval_days, CardRow.due, CardRow.reviews,
    CardRow.lapses, CardRow.last_review,
)  # fmt: skip
_READ_CARD = select(*_CARD_STATE).where(
    CardRow.profile_id == bindparam("profile_id"), CardRow.question_id == bindparam("question_id")
)
_INSERT_REVIEW = insert(_REVIEWS)
_INSERT_CARD = insert(_CARDS)
_UPDATE_CARD = update(_CARDS).where(
    _CARDS.c.profile_id == bindparam("key_profile_id"), _CARDS.c.question_id == bindparam("key_question_id")
)


def _read_card(s: Session, profile_id: int, question_id: str) -> CardState | None:
    """One card; None if it has no row yet."""
    row = s.execute(_READ_CARD, {"profile_id": profile_id, "question_id": question_id}).first()
    if row is None:
        return None
    reps, ef, interval, due, reviews, lapses, last = row
    return CardState(question_id, sm2.Sm2State(reps, ef, interval), due, reviews, lapses, last)


def _apply(s: Session, profile_id: int, review: Review, session_id: int | None, *, card_exists: bool) -> None:
    """Append one review and store its card's new state (within the caller's transaction, which holds the
    profile's lock and has just read whether the card exists)."""
    s.execute(_INSERT_REVIEW, _review_values(profile_id, review, session_id))
    if review.kind is ReviewKind.DRILL:
        return
    after = review.after
    state = {
        "repetitions": after.sm2.repetitions,
        "ef_hundredths": after.sm2.ef_hundredths,
        "interval_days": after.sm2.interval,
        "due": after.due,
        "reviews": after.reviews,
        "lapses": after.lapses,
        "last_review": after.last_review,
    }
    if card_exists:
        s.execute(
            _UPDATE_CARD, {"key_profile_id": profile_id, "key_question_id": review.question_id, **state}
        )
    else:
        s.execute(_INSERT_CARD, {"profile_id": profile_id, "question_id": review.question_id, **state})


def _card(row: CardRow) -> CardState:
    return CardState(
        question_id=row.question_id,
        sm2=sm2.Sm2State(row.repetitions, row.ef_hundredths, row.interval_days),
        due=row.due,
        reviews=row.reviews,
        lapses=row.lapses,
        last_review=row.last_review,
    )


def _review_values(profile_id: int, r: Review, session_id: int | None) -> dict[str, Any]:
    b, a = r.before, r.after
    return dict(
        uid=str(uuid.uuid4()),
        profile_id=profile_id,
        question_id=r.question_id,
        answered_at=r.answered_at,
        study_day=r.study_day,
        kind=r.kind.value,
        choices=list(r.choices),
        correct=r.correct,
        quality=r.quality,
        response_ms=r.response_ms,
        before_repetitions=b.sm2.repetitions,
        before_ef_hundredths=b.sm2.ef_hundredths,
        before_interval_days=b.sm2.interval,
        before_due=b.due,
        after_repetitions=a.sm2.repetitions,
        after_ef_hundredths=a.sm2.ef_hundredths,
        after_interval_days=a.sm2.interval,
        after_due=a.due,
        session_id=session_id,
    )


def _review(row: ReviewRow) -> Review:
    before = CardState(
        row.question_id,
        sm2.Sm2State(row.before_repetitions, row.before_ef_hundredths, row.before_interval_days),
        due=row.before_due,
    )
    after = CardState(
        row.question_id,
        sm2.Sm2State(row.after_repetitions, row.after_ef_hundredths, row.after_interval_days),
        due=row.after_due,
    )
    return Review(
        question_id=row.question_id,
        answered_at=row.answered_at,
        study_day=row.study_day,
        kind=ReviewKind(row.kind),
        choices=tuple(row.choices),
        correct=row.correct,
        quality=row.quality,
        response_ms=row.response_ms,
        before=before,
        after=after,
    )


def _served_by(cert_ids: Sequence[str]) -> Any:
    """The ids of the questions the banks ``cert_ids`` serve, their own and shared ones (a subquery)."""
    return select(BankQuestionRow.question_id).where(BankQuestionRow.cert_id.in_(cert_ids))


def _due_cards(profile_id: int, cert_ids: Sequence[str], until: date, *columns: Any) -> Any:
    """SELECT ``columns`` over the profile's cards of live questions of the banks ``cert_ids`` that fall
    due on or before ``until``."""
    return (
        select(*columns)
        .select_from(CardRow)
        .join(QuestionRow, QuestionRow.id == CardRow.question_id)
        .where(
            CardRow.profile_id == profile_id,
            CardRow.due <= until,
            CardRow.question_id.in_(_served_by(cert_ids)),
            QuestionRow.retired_at.is_(None),
        )
    )


def _unseen(profile_id: int, cert_ids: Sequence[str], *columns: Any) -> Any:
    """SELECT ``columns`` over live questions of the banks ``cert_ids`` that the profile never answered."""
    return (
        select(*columns)
        .select_from(BankQuestionRow)
        .join(QuestionRow, QuestionRow.id == BankQuestionRow.question_id)
        .outerjoin(CardRow, and_(CardRow.question_id == QuestionRow.id, CardRow.profile_id == profile_id))
        .where(
            BankQuestionRow.cert_id.in_(cert_ids),
            QuestionRow.retired_at.is_(None),
            CardRow.question_id.is_(None),
        )
    )


def _in_domain(question: Question, domain: str) -> Question:
    return question if question.domain == domain else replace(question, domain=domain)


def _save_membership(s: Session, bank: Bank) -> None:
    """Record which questions ``bank`` serves: its own, then those it shares from other banks."""
    cert_id = bank.certification.id
    wanted = {q.id: q.domain for q in bank.questions}
    if bank.shared:
        ids = [ref.question_id for ref in bank.shared]
        live = dict(
            s.execute(
                select(QuestionRow.id, QuestionRow.cert_id).where(
                    QuestionRow.id.in_(ids), QuestionRow.retired_at.is_(None)
                )
            ).all()
        )
        for ref in bank.shared:
            if live.get(ref.question_id) != ref.bank:
                raise StorageError(
                    f"{ref.where}: shared question `{ref.question_id}` is not a live question of bank "
                    f"`{ref.bank}`; install that bank first or fix the reference"
                )
            wanted[ref.question_id] = ref.domain
    rows = {
        r.question_id: r for r in s.scalars(select(BankQuestionRow).where(BankQuestionRow.cert_id == cert_id))
    }
    for position, (qid, domain) in enumerate(wanted.items()):
        row = rows.pop(qid, None)
        if row is None:
            s.add(BankQuestionRow(cert_id=cert_id, question_id=qid, domain=domain, position=position))
        elif (row.domain, row.position) != (domain, position):
            row.domain, row.position = domain, position
    for row in rows.values():
        s.delete(row)


def _recall_mark_of(row: ProfileSettingRow | None) -> RecallMark:
    value = row.value if row is not None else None
    if not isinstance(value, dict):
        return RecallMark()
    return RecallMark(int(value.get("upto", 0)), int(value.get("count", 0)))


def _recall_mark(s: Session, profile_id: int) -> RecallMark:
    return _recall_mark_of(s.get(ProfileSettingRow, (profile_id, RECALL_MARK_KEY)))


_LOCK_PROFILE = (
    select(ProfileRow.id).where(ProfileRow.id == bindparam("profile_id")).with_for_update(key_share=True)
)


def _lock_profile(s: Session, profile_id: int) -> None:
    """Take the profile's answers one at a time (see ``Store.record_answer``): on PostgreSQL a FOR NO KEY
    UPDATE lock on its row, which the log's foreign-key checks do not wait for; SQLite's write lock, taken
    at BEGIN, already does it.

    Read what the lock guards in later statements, never in this one: on PostgreSQL a statement that waited
    for the lock still sees the other rows as they were when it started (a card joined in here would miss
    the one the other terminal's answer just created)."""
    s.execute(_LOCK_PROFILE, {"profile_id": profile_id})


def _plain_rows(s: Session, query: ClauseElement) -> list[Any]:
    """The rows of ``query`` exactly as the database driver returns them, as tuples.

    For the few reads that fetch tens of thousands of rows per profile for a report: it skips SQLAlchemy's
    per-row result processing, so use it only for number and text columns whose parameters are plain
    numbers or text (SQLite's driver gives a boolean as 0 or 1). PostgreSQL sends them in its binary
    format, which halves the time against text (no float printed and parsed back).
    """
    conn = s.connection()
    compiled = cast(SQLCompiler, query.compile(dialect=conn.dialect))
    params = compiled.construct_params()
    args: Any = tuple(params[name] for name in compiled.positiontup or ()) if compiled.positional else params
    cursor: Any = conn.connection.cursor()
    try:
        if conn.dialect.driver == "psycopg":
            cursor.execute(str(compiled), args, binary=True)
        else:
            cursor.execute(str(compiled), args)
        return list(cursor.fetchall())
    finally:
        cursor.close()
