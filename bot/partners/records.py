"""The partner side on the command line: profiles, phases, planned contacts, the audit log."""

from datetime import datetime
from typing import List, Optional

from sqlalchemy import select

from bot.partners import phases, profile
from bot.partners.desk import audit
from bot.store.models import AuditEntry, Candidate, Partner, PlannedContact, utcnow
from bot.store.store import UnknownCandidate, UnknownPartner


def _candidate(session, ident: str) -> Candidate:
    """A candidate by sender id, or by number."""
    found = session.execute(select(Candidate).where(Candidate.sender_id == ident)).scalars().first()
    if found is None and ident.isdigit():
        found = session.get(Candidate, int(ident))
    if found is None:
        raise UnknownCandidate(ident)
    return found


def _partner(session, partner_id: Optional[int]) -> Optional[Partner]:
    if partner_id is None:
        return None
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise UnknownPartner(str(partner_id))
    return partner


def profile_markdown(store, ident: str) -> str:
    with store.session_scope() as session:
        candidate = _candidate(session, ident)
        audit(session, None, "profile", candidate, "ok", utcnow())
        return profile.markdown(session, candidate, None)


def set_phase(store, ident: str, phase: str, by: Optional[int] = None) -> None:
    with store.session_scope() as session:
        candidate = _candidate(session, ident)
        partner = _partner(session, by)
        phases.change(session, candidate, phase, partner, utcnow())
        audit(session, partner, "phase", candidate, "ok", utcnow())


def phase_history(store, ident: str) -> List[dict]:
    with store.session_scope() as session:
        return [{"phase": row.phase, "started_at": row.started_at.isoformat(), "by": row.changed_by_name}
                for row in phases.history(session, _candidate(session, ident))]


def plan_contact(store, ident: str, at: datetime, partner_id: Optional[int] = None,
                 purpose: Optional[str] = None) -> int:
    with store.session_scope() as session:
        candidate = _candidate(session, ident)
        _partner(session, partner_id)
        contact = PlannedContact(candidate_id=candidate.id, planned_at=at, partner_id=partner_id, purpose=purpose)
        session.add(contact)
        session.flush()
        return contact.id


def audit_log(store, partner_id: Optional[int] = None, ident: Optional[str] = None,
              limit: int = 200) -> List[dict]:
    with store.session_scope() as session:
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if partner_id is not None:
            query = query.where(AuditEntry.partner_id == partner_id)
        if ident is not None:
            query = query.where(AuditEntry.candidate_id == _candidate(session, ident).id)
        rows = session.execute(query).scalars().all()
        senders = {row.candidate_id: session.get(Candidate, row.candidate_id).sender_id
                   for row in rows if row.candidate_id}
        return [{"id": row.id, "at": row.at.isoformat(), "actor": row.actor, "partner_id": row.partner_id,
                 "action": row.action, "candidate": senders.get(row.candidate_id), "outcome": row.outcome}
                for row in rows]
