"""The tables of Korte Lijnen (SQLAlchemy 1.4, as Rasa pins it).

Answers keep the candidate's original words; a Dutch translation sits beside them, never
instead of them. Events record what happened (consent, stop, restart), never text.
"""

from datetime import datetime, timezone

from sqlalchemy import (Boolean, CheckConstraint, Column, DateTime, ForeignKey, Index, Integer,
                        String, Text, UniqueConstraint)
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.types import TypeDecorator

from bot.vocabulary import (ALERT_KINDS, ALERT_STATUSES, ANSWER_STATUSES, CHANNELS, INTAKE_TOPICS,
                            NOTIFY_MODES, PHASES, PRECONDITION_STATUSES, PRECONDITIONS, PROBLEM_TYPES,
                            ROLES, STATES)

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
    trajectory_id = Column(Integer, ForeignKey("trajectories.id", ondelete="SET NULL"), index=True)

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
    # A regisseur hears of non-urgent alerts at once or in a daily digest.
    notify = Column(String(16), nullable=False, default="digest", server_default="digest")
    # The trajectory a regisseur oversees (all its candidates); none: the whole installation.
    trajectory_id = Column(Integer, ForeignKey("trajectories.id", ondelete="SET NULL"))
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)


class Link(Base):
    """A partner works with a candidate: what the partner may see follows from this."""

    __tablename__ = "links"

    candidate_id = Column(Integer, ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True)
    partner_id = Column(Integer, ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    partner = relationship("Partner")


class Alert(Base):
    """Something a candidate signalled that a person must pick up: a problem, a request to
    be parked, a request for a person, or a file the bot cannot read."""

    __tablename__ = "alerts"
    __table_args__ = (
        one_of("kind", ALERT_KINDS),
        one_of("problem_type", PROBLEM_TYPES),
        one_of("status", ALERT_STATUSES),
    )

    id = Column(Integer, primary_key=True)
    candidate_id = Column(Integer, ForeignKey("candidates.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(16), nullable=False)
    problem_type = Column(String(16), nullable=False)
    urgent = Column(Boolean, nullable=False, default=False)
    text = Column(Text)  # the candidate's own words
    language = Column(String(8))
    text_nl = Column(Text)  # Dutch for the partners; null while untranslated
    follow_up = Column(String(16))  # the answer to "today or longer?": today, days, longer
    attachment = Column(Text)  # a media reference (JSON) the jobcoach can fetch
    status = Column(String(16), nullable=False, default="pending", index=True)
    # The partner who has the alert now: the jobcoach, or the regisseur after escalation;
    # null while nobody could be found (shown as unassigned).
    assigned_to = Column(Integer, ForeignKey("partners.id", ondelete="SET NULL"))
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    delivered_at = Column(UTCDateTime)
    ack_due_at = Column(UTCDateTime)
    acknowledged_at = Column(UTCDateTime)
    acknowledged_by = Column(Integer, ForeignKey("partners.id", ondelete="SET NULL"))
    escalated_at = Column(UTCDateTime)
    closed_at = Column(UTCDateTime)

    candidate = relationship("Candidate")


class OutboxMessage(Base):
    """A message waiting to be delivered by the worker.

    Written in the same transaction as what caused it (an alert, an acknowledgement), so
    nothing is lost when a process dies. The text is rendered when it is sent, from the
    alert as it is then (with its Dutch translation if that arrived in the meantime).
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("idempotency_key", name="uq_outbox_key"),
        Index("ix_outbox_due", "status", "next_attempt_at"),  # the worker's query: what is due
    )

    id = Column(Integer, primary_key=True)
    idempotency_key = Column(String(120), nullable=False)
    purpose = Column(String(24), nullable=False)  # see bot.notify.messages
    alert_id = Column(Integer, ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    partner_id = Column(Integer, ForeignKey("partners.id", ondelete="CASCADE"))
    candidate_id = Column(Integer, ForeignKey("candidates.id", ondelete="CASCADE"))
    status = Column(String(16), nullable=False, default="pending")  # pending sending sent failed
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(UTCDateTime, nullable=False, default=utcnow)
    claimed_until = Column(UTCDateTime)  # a worker is sending it; reclaimed after a crash
    last_error = Column(String(200))  # the channel's error class and code, never text
    external_id = Column(String(64), index=True)  # Telegram message id, Twilio MessageSid
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    sent_at = Column(UTCDateTime)
    rendered = Column(Text)  # what was sent, for the local console and the record

    alert = relationship("Alert")
    partner = relationship("Partner")
    candidate = relationship("Candidate")


class Trajectory(Base):
    """A leerwerktraject: one programme (employers, school, municipality) with its candidates."""

    __tablename__ = "trajectories"

    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False, unique=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)


class PhaseChange(Base):
    """A candidate entered a phase (or was parked or stopped): kept as history, never edited."""

    __tablename__ = "phase_changes"
    __table_args__ = (one_of("phase", PHASES + STATES),)

    id = Column(Integer, primary_key=True)
    candidate_id = Column(Integer, ForeignKey("candidates.id", ondelete="CASCADE"), nullable=False, index=True)
    phase = Column(String(32), nullable=False)
    started_at = Column(UTCDateTime, nullable=False, default=utcnow)
    changed_by = Column(Integer, ForeignKey("partners.id", ondelete="SET NULL"))  # null: the CLI
    changed_by_name = Column(String(200))  # kept when the partner is removed later


class PlannedContact(Base):
    """A planned conversation with a candidate (intake talk, check-in, nazorg)."""

    __tablename__ = "planned_contacts"

    id = Column(Integer, primary_key=True)
    candidate_id = Column(Integer, ForeignKey("candidates.id", ondelete="CASCADE"), nullable=False, index=True)
    planned_at = Column(UTCDateTime, nullable=False)
    partner_id = Column(Integer, ForeignKey("partners.id", ondelete="SET NULL"))
    purpose = Column(String(200))


class AuditEntry(Base):
    """Who read or changed which candidate's data, when; and every refusal. Never content."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    partner_id = Column(Integer, ForeignKey("partners.id", ondelete="SET NULL"), index=True)
    actor = Column(String(200), nullable=False)  # "partner 3 (Joke, jobcoach)" or "cli"
    action = Column(String(32), nullable=False)
    candidate_id = Column(Integer, ForeignKey("candidates.id", ondelete="SET NULL"), index=True)
    outcome = Column(String(16), nullable=False)  # ok, refused, ambiguous, not_found
