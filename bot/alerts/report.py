"""Recording an alert: the alert and its outbox messages in one transaction."""

import json
from datetime import datetime
from typing import Optional

from sqlalchemy.orm import Session

from bot.alerts import outbox, routing
from bot.store.models import Alert, Candidate, OutboxMessage, utcnow
from bot.vocabulary import ALERT_KINDS, PROBLEM_TYPES

# What an alert reached when it was recorded: the answer to the candidate depends on it.
JOBCOACH, REGISSEUR, UNASSIGNED = "jobcoach", "regisseur", "unassigned"


def report(store, sender_id: str, kind: str, *, problem_type: str = "other", text: Optional[str] = None,
           language: Optional[str] = None, text_nl: Optional[str] = None,
           attachment: Optional[list] = None, now: Optional[datetime] = None) -> dict:
    """Records what a candidate signalled and queues it for the people who must know.

    Returns the alert's id, whether it is urgent, and who it went to (jobcoach,
    regisseur, or unassigned when the programme has neither yet).
    """
    if kind not in ALERT_KINDS or problem_type not in PROBLEM_TYPES:
        raise ValueError(f"unknown alert kind or problem type: {kind}, {problem_type}")
    now = now or utcnow()
    with store.session_scope() as session:
        candidate = store.candidate_row(session, sender_id)
        alert = Alert(
            candidate_id=candidate.id, kind=kind, problem_type=problem_type,
            urgent=problem_type == "safety", text=text, language=language,
            text_nl=text if language == "nl" else text_nl,
            attachment=json.dumps(attachment, ensure_ascii=False) if attachment else None,
            status="pending", created_at=now)
        session.add(alert)
        session.flush()
        routed_to = route(session, alert, candidate, now)
        return {"id": alert.id, "urgent": alert.urgent, "routed_to": routed_to}


def route(session: Session, alert: Alert, candidate: Candidate, now: datetime) -> str:
    """Queues the alert for the candidate's jobcoach, or the regisseur when there is none.

    Urgent alerts go to both at once; a regisseur who chose `immediate` gets a copy of
    the rest (the others read them in the daily digest).
    """
    coaches = routing.jobcoaches(session, candidate)
    regisseurs = routing.regisseurs(session, candidate)
    if coaches:
        alert.assigned_to = coaches[0].id
        for coach in coaches:
            outbox.to_partner(session, alert, coach, "alert", now)
        for regisseur in regisseurs:
            if alert.urgent:
                outbox.to_partner(session, alert, regisseur, "alert", now)
            elif regisseur.notify == "immediate":
                outbox.to_partner(session, alert, regisseur, "alert_copy", now)
        return JOBCOACH
    if regisseurs:
        alert.assigned_to = regisseurs[0].id
        for regisseur in regisseurs:
            outbox.to_partner(session, alert, regisseur, "alert", now)
        return REGISSEUR
    return UNASSIGNED


def add_follow_up(store, alert_id: int, answer: str, now: Optional[datetime] = None) -> None:
    """Adds the candidate's answer to the follow-up question ("today or longer?") and
    tells everyone who received the alert."""
    now = now or utcnow()
    with store.session_scope() as session:
        alert = session.get(Alert, alert_id)
        if alert is None or alert.follow_up is not None:
            return
        alert.follow_up = answer
        receivers = {row.partner for row in session.query(OutboxMessage).filter(
            OutboxMessage.alert_id == alert.id,
            OutboxMessage.purpose.in_(("alert", "alert_copy", "escalation"))) if row.partner}
        for partner in sorted(receivers, key=lambda partner: partner.id):
            outbox.to_partner(session, alert, partner, "follow_up", now)
