"""Typed SQLAlchemy models. The schema is created and changed only by the Alembic migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite returns naive ones: normalise here)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ProfileRow(Base):
    __tablename__ = "profiles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ProfileSettingRow(Base):
    __tablename__ = "profile_settings"
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class BankRow(Base):
    __tablename__ = "banks"
    cert_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    exam_code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(64))
    meta: Mapped[Any] = mapped_column(JSON)  # certification, domains, formats as plain JSON
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class QuestionRow(Base):
    __tablename__ = "questions"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    cert_id: Mapped[str] = mapped_column(ForeignKey("banks.cert_id"), index=True)
    domain: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)  # order within its bank
    payload: Mapped[Any] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class BankQuestionRow(Base):
    """Which questions a bank serves, under which of its domains: its own, and others' shared by reference."""

    __tablename__ = "bank_questions"
    cert_id: Mapped[str] = mapped_column(ForeignKey("banks.cert_id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), primary_key=True, index=True)
    domain: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)


class ProfileCertRow(Base):
    __tablename__ = "profile_certs"
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
    cert_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CardRow(Base):
    __tablename__ = "cards"
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    repetitions: Mapped[int] = mapped_column(Integer)
    ef_hundredths: Mapped[int] = mapped_column(SmallInteger)
    interval_days: Mapped[int] = mapped_column(Integer)
    due: Mapped[date] = mapped_column(Date)
    reviews: Mapped[int] = mapped_column(Integer)
    lapses: Mapped[int] = mapped_column(Integer)
    last_review: Mapped[datetime] = mapped_column(UtcDateTime())
    __table_args__ = (Index("ix_cards_profile_due", "profile_id", "due"),)


class ReviewRow(Base):
    """The append-only review log: every answer ever given, with the card state before and after."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(36))  # stable across databases (history export/import)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(128))
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    study_day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(8))
    choices: Mapped[Any] = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column(Boolean)
    quality: Mapped[int] = mapped_column(SmallInteger)
    response_ms: Mapped[int] = mapped_column(Integer)
    before_repetitions: Mapped[int] = mapped_column(Integer)
    before_ef_hundredths: Mapped[int] = mapped_column(SmallInteger)
    before_interval_days: Mapped[int] = mapped_column(Integer)
    before_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    after_repetitions: Mapped[int] = mapped_column(Integer)
    after_ef_hundredths: Mapped[int] = mapped_column(SmallInteger)
    after_interval_days: Mapped[int] = mapped_column(Integer)
    after_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("study_sessions.id"), nullable=True)
    __table_args__ = (
        UniqueConstraint("uid", name="uq_reviews_uid"),
        Index("ix_reviews_profile_day", "profile_id", "study_day"),
        Index("ix_reviews_profile_question", "profile_id", "question_id"),
    )


class RecallStateRow(Base):
    """A profile's recall state per question, kept from its review log (a cache: the log can rebuild it).

    The FSRS memory state (stability, difficulty, last review) and the readiness summary of the answers, up
    to the review id kept in the profile setting ``recall_state``; a report replays only later reviews.
    Moments are whole microseconds since the Unix epoch: exact, and tens of thousands of rows a profile are
    read without parsing a date.
    """

    __tablename__ = "recall_state"
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    stability: Mapped[float] = mapped_column(Float)
    difficulty: Mapped[float] = mapped_column(Float)
    fsrs_last: Mapped[int] = mapped_column(BigInteger)  # microseconds since the Unix epoch
    reviews: Mapped[int] = mapped_column(Integer)
    first_correct: Mapped[bool] = mapped_column(Boolean)
    first_at: Mapped[int] = mapped_column(BigInteger)  # microseconds since the Unix epoch
    last_at: Mapped[int] = mapped_column(BigInteger)  # microseconds since the Unix epoch
    weight: Mapped[float] = mapped_column(Float)
    correct_weight: Mapped[float] = mapped_column(Float)
    ms_total: Mapped[int] = mapped_column(BigInteger)  # answer time outside mock exams
    new_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # when answered as new


class StudySessionRow(Base):
    __tablename__ = "study_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    cert_ids: Mapped[Any] = mapped_column(JSON)
    minutes_budget: Mapped[int | None] = mapped_column(Integer, nullable=True)


class QuestionReportRow(Base):
    """A learner's report that a question is wrong or unclear, tied to the bank version they saw."""

    __tablename__ = "question_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(128), index=True)
    cert_id: Mapped[str] = mapped_column(String(64))
    bank_version: Mapped[str] = mapped_column(String(64))  # the exam-guide version of the bank
    bank_hash: Mapped[str] = mapped_column(String(64))  # content hash of the bank files seen
    question_hash: Mapped[str] = mapped_column(String(64))  # the question's text as seen
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    text: Mapped[str] = mapped_column(Text)


class MockRow(Base):
    """A mock exam: its deadline (never a countdown), rules and, once submitted, its result."""

    __tablename__ = "mocks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    cert_id: Mapped[str] = mapped_column(String(64))
    format_id: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(16))
    only_domain: Mapped[str | None] = mapped_column(String(64), nullable=True)
    esl: Mapped[bool] = mapped_column(Boolean)
    strict: Mapped[bool] = mapped_column(Boolean)
    seed: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    deadline: Mapped[datetime] = mapped_column(UtcDateTime())
    position: Mapped[int] = mapped_column(Integer)  # the question on screen, for resume
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    result: Mapped[Any | None] = mapped_column(JSON, nullable=True)


class MockItemRow(Base):
    __tablename__ = "mock_items"
    mock_id: Mapped[int] = mapped_column(ForeignKey("mocks.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[str] = mapped_column(String(128))
    unscored: Mapped[bool] = mapped_column(Boolean)
    choices: Mapped[Any | None] = mapped_column(JSON, nullable=True)  # None: unanswered
    flagged: Mapped[bool] = mapped_column(Boolean)
    seconds: Mapped[float] = mapped_column(Float)
