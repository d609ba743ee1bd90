"""The Store: every read and write of our tables, each method one short transaction."""

import contextlib
import hashlib
import logging
import os
import re
from pathlib import Path
from typing import Iterator, List, Optional

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.store import migrations
from bot.store.models import (Alert, Candidate, CandidateEvent, Consent, IntakeAnswer, Link, Partner,
                              PhaseChange, Precondition, Translation, utcnow)
from bot.vocabulary import (ANSWER_STATUSES, CHANNELS, INTAKE_TOPICS, LANGUAGES, NOTIFY_MODES, PHASES,
                            PRECONDITION_STATUSES, PRECONDITIONS, ROLES)

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
ISO_639 = re.compile(r"[A-Za-z]{2,3}")


class UnknownCandidate(LookupError):
    pass


class UnknownPartner(LookupError):
    pass


class ConsentRequired(PermissionError):
    """Nothing of an intake is stored before the candidate said yes."""


def _check(value: str, allowed, what: str) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} '{value}'; expected one of: {', '.join(allowed)}")


def default_url() -> str:
    data_dir = Path(os.environ.get("KL_DATA_DIR", ROOT / "var"))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'korte-lijnen.db'}"


def _engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        # hide_parameters: a database error must never carry a candidate's answer into a log.
        return create_engine(url, pool_pre_ping=True, future=True, hide_parameters=True)
    # Rasa's action server and the CLI write at the same time: wait for locks, and let
    # readers go on while one writes (WAL).
    engine = create_engine(url, connect_args={"timeout": 15}, future=True, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(connection, _record):
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, future=True)

    @classmethod
    def from_env(cls) -> "Store":
        return cls(os.environ.get("DATABASE_URL") or default_url())

    def upgrade(self) -> None:
        """Brings the schema to the newest migration (a no-op when it is there)."""
        migrations.upgrade(self.engine)

    @contextlib.contextmanager
    def session_scope(self) -> Iterator[Session]:
        """One short transaction: committed on success, rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    session = session_scope  # the shorter name, for tests and callers that already use it

    # Candidates -----------------------------------------------------------------------

    def ensure_candidate(self, channel: str, sender_id: str, display_name: Optional[str] = None) -> int:
        with self.session_scope() as session:
            candidate = session.execute(
                select(Candidate).filter_by(channel=channel, sender_id=sender_id)
            ).scalar_one_or_none()
            if candidate is None:
                candidate = Candidate(channel=channel, sender_id=sender_id)
                session.add(candidate)
            candidate.last_seen_at = utcnow()
            if display_name:
                candidate.display_name = display_name[:200]
            is_new = candidate.id is None
            session.flush()
            if is_new:  # everyone starts in werving en selectie (Tabel 1)
                session.add(PhaseChange(candidate_id=candidate.id, phase=PHASES[0], started_at=utcnow(),
                                        changed_by_name="start"))
                logger.info("new candidate %s on %s", candidate.id, channel)
            return candidate.id

    @staticmethod
    def _candidate(session: Session, sender_id: str) -> Candidate:
        candidate = session.execute(
            select(Candidate).filter_by(sender_id=sender_id).order_by(Candidate.id)
        ).scalars().first()
        if candidate is None:
            raise UnknownCandidate(sender_id)
        return candidate

    candidate_row = _candidate  # for bot.alerts, which works inside its own transactions

    @staticmethod
    def _record(session: Session, candidate: Candidate, kind: str) -> None:
        session.add(CandidateEvent(candidate_id=candidate.id, kind=kind))

    def set_language(self, sender_id: str, language: str) -> None:
        # Curated languages and any other ISO 639 code (those go through machine translation).
        if language not in LANGUAGES and not ISO_639.fullmatch(language or ""):
            raise ValueError(f"not an ISO 639 language code: {language!r}")
        with self.session_scope() as session:
            self._candidate(session, sender_id).language = language.lower()

    # Consent -------------------------------------------------------------------------

    def record_consent(self, sender_id: str, given: bool, text_version: str) -> None:
        with self.session_scope() as session:
            candidate = self._candidate(session, sender_id)
            session.add(Consent(candidate_id=candidate.id, given=given, text_version=text_version))
            self._record(session, candidate, "consent_given" if given else "consent_refused")

    @staticmethod
    def _latest_consent(session: Session, candidate: Candidate) -> Optional[Consent]:
        return session.execute(
            select(Consent).filter_by(candidate_id=candidate.id).order_by(Consent.id.desc())
        ).scalars().first()

    def has_consent(self, sender_id: str) -> bool:
        with self.session_scope() as session:
            consent = self._latest_consent(session, self._candidate(session, sender_id))
            return bool(consent and consent.given)

    def _consented(self, session: Session, sender_id: str) -> Candidate:
        candidate = self._candidate(session, sender_id)
        consent = self._latest_consent(session, candidate)
        if not (consent and consent.given):
            raise ConsentRequired(sender_id)
        return candidate

    # Intake --------------------------------------------------------------------------

    def save_answer(self, sender_id: str, topic: str, status: str, text: Optional[str] = None,
                    language: Optional[str] = None) -> None:
        _check(topic, INTAKE_TOPICS, "topic")
        _check(status, ANSWER_STATUSES, "answer status")
        if text is not None and status != "answered":
            raise ValueError("only an answered question has text")
        with self.session_scope() as session:
            candidate = self._consented(session, sender_id)
            answer = _one_or_new(session, IntakeAnswer, candidate_id=candidate.id, topic=topic)
            answer.status, answer.text, answer.language = status, text, language
            answer.text_nl = text if language == "nl" else None
            answer.translated = False
            answer.updated_at = utcnow()
            session.add(answer)

    def clear_answer(self, sender_id: str, topic: str) -> None:
        _check(topic, INTAKE_TOPICS, "topic")
        with self.session_scope() as session:
            candidate = self._candidate(session, sender_id)
            for answer in candidate.answers:
                if answer.topic == topic:
                    session.delete(answer)

    def save_precondition(self, sender_id: str, key: str, status: str, note: Optional[str] = None,
                          language: Optional[str] = None) -> None:
        _check(key, PRECONDITIONS, "precondition")
        _check(status, PRECONDITION_STATUSES, "precondition status")
        with self.session_scope() as session:
            candidate = self._consented(session, sender_id)
            row = _one_or_new(session, Precondition, candidate_id=candidate.id, key=key)
            row.status, row.note, row.note_language = status, note, language if note else None
            row.note_nl = note if note and language == "nl" else None
            row.updated_at = utcnow()
            session.add(row)

    def clear_precondition(self, sender_id: str, key: str) -> None:
        _check(key, PRECONDITIONS, "precondition")
        with self.session_scope() as session:
            candidate = self._candidate(session, sender_id)
            for row in candidate.preconditions:
                if row.key == key:
                    session.delete(row)

    def reset_intake(self, sender_id: str) -> None:
        with self.session_scope() as session:
            candidate = self._candidate(session, sender_id)
            candidate.answers.clear()
            candidate.preconditions.clear()
            candidate.intake_completed_at = None
            self._record(session, candidate, "intake_restarted")

    def complete_intake(self, sender_id: str) -> None:
        with self.session_scope() as session:
            candidate = self._candidate(session, sender_id)
            candidate.intake_completed_at = utcnow()
            self._record(session, candidate, "intake_completed")

    # Stop ----------------------------------------------------------------------------

    def record_stop(self, sender_id: str) -> None:
        with self.session_scope() as session:
            candidate = self._candidate(session, sender_id)
            candidate.stopped_at = utcnow()
            self._record(session, candidate, "stopped")

    def record_resume(self, sender_id: str) -> None:
        with self.session_scope() as session:
            candidate = self._candidate(session, sender_id)
            if candidate.stopped_at is not None:
                candidate.stopped_at = None
                self._record(session, candidate, "resumed")

    def is_stopped(self, sender_id: str) -> bool:
        with self.session_scope() as session:
            return self._candidate(session, sender_id).stopped_at is not None

    def events(self, sender_id: str) -> List[str]:
        with self.session_scope() as session:
            candidate = self._candidate(session, sender_id)
            rows = session.execute(
                select(CandidateEvent.kind).filter_by(candidate_id=candidate.id).order_by(CandidateEvent.id)
            )
            return [kind for (kind,) in rows]

    # Views ---------------------------------------------------------------------------

    def candidate_view(self, sender_id: str) -> dict:
        """Everything we hold on one candidate, as `python -m bot candidate show --json` prints it."""
        with self.session_scope() as session:
            candidate = self._candidate(session, sender_id)
            consent = self._latest_consent(session, candidate)
            answers = {answer.topic: answer for answer in candidate.answers}
            preconditions = {row.key: row for row in candidate.preconditions}
            links = session.execute(
                select(Link).filter_by(candidate_id=candidate.id).order_by(Link.partner_id)).scalars()
            return {
                "sender_id": candidate.sender_id,
                "channel": candidate.channel,
                "display_name": candidate.display_name,
                "language": candidate.language,
                "consent": consent.given if consent else None,
                "consent_version": consent.text_version if consent else None,
                "consent_at": _iso(consent.recorded_at) if consent else None,
                "stopped": candidate.stopped_at is not None,
                "intake_complete": candidate.intake_completed_at is not None,
                "intake_completed_at": _iso(candidate.intake_completed_at),
                "answers": {topic: answers[topic].text if topic in answers else None
                            for topic in INTAKE_TOPICS},
                "answer_status": {topic: answers[topic].status if topic in answers else None
                                  for topic in INTAKE_TOPICS},
                "answers_nl": {topic: answers[topic].text_nl if topic in answers else None
                               for topic in INTAKE_TOPICS},
                "preconditions": {
                    key: {"status": preconditions[key].status, "note": preconditions[key].note}
                    if key in preconditions else {"status": "unknown", "note": None}
                    for key in PRECONDITIONS
                },
                # Dutch beside the original, for partners (null: Dutch already, or waiting).
                "notes_nl": {key: preconditions[key].note_nl if key in preconditions else None
                             for key in PRECONDITIONS},
                "partners": [{"id": link.partner.id, "role": link.partner.role, "name": link.partner.name}
                             for link in links],
            }

    def list_candidates(self) -> List[dict]:
        with self.session_scope() as session:
            rows = []
            for candidate in session.execute(select(Candidate).order_by(Candidate.id)).scalars():
                consent = self._latest_consent(session, candidate)
                rows.append({
                    "id": candidate.id,
                    "sender_id": candidate.sender_id,
                    "channel": candidate.channel,
                    "display_name": candidate.display_name,
                    "language": candidate.language,
                    "consent": consent.given if consent else None,
                    "intake_complete": candidate.intake_completed_at is not None,
                    "answered": sum(1 for answer in candidate.answers if answer.status == "answered"),
                })
            return rows

    # Translations --------------------------------------------------------------------

    @staticmethod
    def _hash(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def cached_translation(self, source: str, target: str, text: str) -> Optional[str]:
        with self.session_scope() as session:
            row = session.execute(select(Translation).filter_by(
                source=source, target=target, text_hash=self._hash(text))).scalar_one_or_none()
            return row.translated if row else None

    def remember_translation(self, source: str, target: str, text: str, translated: str) -> None:
        key = dict(source=source, target=target, text_hash=self._hash(text))
        with self.session_scope() as session:
            if session.execute(select(Translation.id).filter_by(**key)).first() is None:
                session.add(Translation(translated=translated, **key))

    def untranslated(self) -> List[dict]:
        """Answers and notes not in Dutch that still wait for their Dutch translation."""
        with self.session_scope() as session:
            answers = session.execute(
                select(Candidate.sender_id, IntakeAnswer).join(IntakeAnswer)
                .where(IntakeAnswer.text.isnot(None), IntakeAnswer.text_nl.is_(None))
            )
            notes = session.execute(
                select(Candidate.sender_id, Precondition).join(Precondition)
                .where(Precondition.note.isnot(None), Precondition.note_nl.is_(None))
            )
            alerts = session.execute(
                select(Candidate.sender_id, Alert).join(Alert)
                .where(Alert.text.isnot(None), Alert.text_nl.is_(None))
            )
            return [{"sender_id": sender, "topic": row.topic, "text": row.text, "language": row.language}
                    for sender, row in answers] + \
                   [{"sender_id": sender, "precondition": row.key, "text": row.note,
                     "language": row.note_language} for sender, row in notes] + \
                   [{"sender_id": sender, "alert_id": row.id, "text": row.text, "language": row.language}
                    for sender, row in alerts]

    def set_translation(self, sender_id: str, text_nl: str, topic: Optional[str] = None,
                        precondition: Optional[str] = None) -> None:
        """Stores the Dutch translation of an answer (by topic) or of a precondition's note."""
        with self.session_scope() as session:
            candidate = self._candidate(session, sender_id)
            if topic:
                for answer in candidate.answers:
                    if answer.topic == topic and answer.text is not None:
                        answer.text_nl, answer.translated = text_nl, True
            else:
                for row in candidate.preconditions:
                    if row.key == precondition and row.note is not None:
                        row.note_nl = text_nl

    # Partners ------------------------------------------------------------------------

    def add_partner(self, role: str, name: str, channel: str, address: str) -> int:
        _check(role, ROLES, "role")
        _check(channel, CHANNELS, "channel")
        if not name.strip() or not address.strip():
            raise ValueError("a partner needs a name and an address")
        with self.session_scope() as session:
            existing = session.execute(
                select(Partner).filter_by(channel=channel, address=address.strip())
            ).scalar_one_or_none()
            if existing is not None:
                raise ValueError(f"partner {existing.id} already has this {channel} address")
            partner = Partner(role=role, name=name.strip(), channel=channel, address=address.strip())
            session.add(partner)
            session.flush()
            return partner.id

    def partner_by_address(self, channel: str, address: str) -> Optional[dict]:
        """The partner who writes from this address ({id, role, name}), or None.

        A partner registered on `local` is the REST or terminal-chat sender whose id is
        their address.
        """
        channels = ("local", "rest") if channel in ("local", "rest") else (channel,)
        with self.session_scope() as session:
            partner = session.execute(select(Partner).where(
                Partner.channel.in_(channels), Partner.address == address)).scalars().first()
            return {"id": partner.id, "role": partner.role, "name": partner.name} if partner else None

    def set_notify(self, partner_id: int, mode: str) -> None:
        _check(mode, NOTIFY_MODES, "notify mode")
        with self.session_scope() as session:
            partner = session.get(Partner, partner_id)
            if partner is None:
                raise UnknownPartner(str(partner_id))
            partner.notify = mode

    def link(self, sender_id: str, partner_id: int) -> None:
        with self.session_scope() as session:
            candidate = self._candidate(session, sender_id)
            if session.get(Partner, partner_id) is None:
                raise UnknownPartner(str(partner_id))
            if session.get(Link, (candidate.id, partner_id)) is None:
                session.add(Link(candidate_id=candidate.id, partner_id=partner_id))


def _iso(moment) -> Optional[str]:
    return moment.isoformat() if moment else None


def _one_or_new(session: Session, model, **key):
    """The row with this key, or a new one (added to the session by the caller)."""
    return session.execute(select(model).filter_by(**key)).scalar_one_or_none() or model(**key)
