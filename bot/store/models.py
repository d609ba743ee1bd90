"""The tables of Korte Lijnen (SQLAlchemy 1.4, as Rasa pins it).

Answers keep the candidate's original words; a Dutch translation sits beside them, never
instead of them. Events record what happened (consent, stop, restart), never text.
"""

from datetime import datetime, timezone

from sqlalchemy import (Boolean, CheckConstraint, Column, DateTime, ForeignKey, Integer,
                        String, Text, UniqueConstraint)
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.types import TypeDecorator

from bot.vocabulary import (ANSWER_STATUSES, CHANNELS, INTAKE_TOPICS, PRECONDITION_STATUSES,
                            PRECONDITIONS, ROLES)

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every database (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use UTC-aware datetimes")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc) if value is not None else None


def one_of(column: str, values) -> CheckConstraint:
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_allowed")


class Candidate(Base):
    __tablename__ = "candidates"
    __table_args__ = (UniqueConstraint("channel", "sender_id", name="uq_candidate_sender"),)

    id = Column(Integer, primary_key=True)
    channel = Column(String(32), nullable=False)
    sender_id = Column(String(128), nullable=False, index=True)
    display_name = Column(String(200))
    language = Column(String(8))
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at = Column(UTCDateTime, nullable=False, default=utcnow)
    stopped_at = Column(UTCDateTime)
    intake_completed_at = Column(UTCDateTime)

    consents = relationship("Consent", order_by="Consent.id", cascade="all, delete-orphan")
    answers = relationship("IntakeAnswer", cascade="all, delete-orphan")
    preconditions = relationship("Precondition", cascade="all, delete-orphan")


class Consent(Base):
    __tablename__ = "consents"

    id = Column(Integer, primary_key=True)
    candidate_id = Column(Integer, ForeignKey("candidates.id", ondelete="CASCADE"), nullable=False, index=True)
    given = Column(Boolean, nullable=False)
    text_version = Column(String(32), nullable=False)
    recorded_at = Column(UTCDateTime, nullable=False, default=utcnow)


class IntakeAnswer(Base):
    __tablename__ = "intake_answers"
    __table_args__ = (
        UniqueConstraint("candidate_id", "topic", name="uq_answer_topic"),
        one_of("topic", INTAKE_TOPICS),
        one_of("status", ANSWER_STATUSES),
    )

    id = Column(Integer, primary_key=True)
    candidate_id = Column(Integer, ForeignKey("candidates.id", ondelete="CASCADE"), nullable=False)
    topic = Column(String(32), nullable=False)
    status = Column(String(16), nullable=False)
    text = Column(Text)
    language = Column(String(8))
    text_nl = Column(Text)
    translated = Column(Boolean, nullable=False, default=False)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class Precondition(Base):
    __tablename__ = "preconditions"
    __table_args__ = (
        UniqueConstraint("candidate_id", "key", name="uq_precondition_key"),
        one_of("key", PRECONDITIONS),
        one_of("status", PRECONDITION_STATUSES),
    )

    id = Column(Integer, primary_key=True)
    candidate_id = Column(Integer, ForeignKey("candidates.id", ondelete="CASCADE"), nullable=False)
    key = Column(String(32), nullable=False)
    status = Column(String(16), nullable=False)
    note = Column(Text)
    note_language = Column(String(8))
    note_nl = Column(Text)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class CandidateEvent(Base):
    """What happened to a candidate, for the record (consent, stop, restart); never text."""

    __tablename__ = "candidate_events"

    id = Column(Integer, primary_key=True)
    candidate_id = Column(Integer, ForeignKey("candidates.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(32), nullable=False)
    at = Column(UTCDateTime, nullable=False, default=utcnow)


class Translation(Base):
    """A cache of machine translations, so one text is sent to the service once."""

    __tablename__ = "translations"
    __table_args__ = (UniqueConstraint("source", "target", "text_hash", name="uq_translation"),)

    id = Column(Integer, primary_key=True)
    source = Column(String(8), nullable=False)
    target = Column(String(8), nullable=False)
    text_hash = Column(String(64), nullable=False)
    translated = Column(Text, nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)


class Partner(Base):
    __tablename__ = "partners"
    __table_args__ = (
        UniqueConstraint("channel", "address", name="uq_partner_address"),
        one_of("role", ROLES),
        one_of("channel", CHANNELS),
    )

    id = Column(Integer, primary_key=True)
    role = Column(String(32), nullable=False)
    name = Column(String(200), nullable=False)
    channel = Column(String(32), nullable=False)
    address = Column(String(128), nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)


class Link(Base):
    """A partner works with a candidate: what the partner may see follows from this."""

    __tablename__ = "links"

    candidate_id = Column(Integer, ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True)
    partner_id = Column(Integer, ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    partner = relationship("Partner")
