"""An alert's life after it was recorded: delivered, acknowledged, escalated, closed."""

from datetime import datetime
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.alerts import outbox, routing
from bot.alerts.report import route
from bot.alerts.settings import ack_timeout
from bot.store.models import Alert, OutboxMessage, Partner, utcnow

OPEN = ("pending", "delivered", "escalated")
# Messages that hand an alert to a person who must act on it.
HANDOVERS = ("alert", "escalation")


class UnknownAlert(LookupError):
    pass


class NotAllowed(PermissionError):
    """The partner may not handle this alert (the message does not say whether it exists)."""


def _alert(session: Session, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise UnknownAlert(str(alert_id))
    return alert


def acknowledge(store, alert_id: int, partner_id: int, now: Optional[datetime] = None) -> bool:
    """A partner picked the alert up; the candidate is told. False if it already was."""
    now = now or utcnow()
    with store.session_scope() as session:
        partner = session.get(Partner, partner_id)
        alert = session.get(Alert, alert_id)
        if partner is None or alert is None or not routing.may_handle(session, alert.candidate, partner):
            raise NotAllowed(str(alert_id))
        if alert.status not in OPEN:
            return False
        alert.status, alert.acknowledged_at, alert.acknowledged_by = "acknowledged", now, partner.id
        if alert.candidate.stopped_at is None:  # a candidate who said stop gets nothing
            outbox.enqueue(session, f"ack_notice:{alert.id}", "ack_notice", now,
                           alert=alert, candidate_id=alert.candidate_id)
        return True


def close(store, alert_id: int, now: Optional[datetime] = None) -> None:
    now = now or utcnow()
    with store.session_scope() as session:
        alert = _alert(session, alert_id)
        alert.status, alert.closed_at = "closed", now


def set_translation(store, alert_id: int, text_nl: str) -> None:
    with store.session_scope() as session:
        _alert(session, alert_id).text_nl = text_nl


def escalate(session: Session, alert: Alert, now: datetime) -> None:
    """Nobody picked the alert up: it goes to the regisseur(s) with a note saying so."""
    if alert.status not in ("pending", "delivered"):
        return
    alert.status, alert.escalated_at = "escalated", now
    regisseurs = routing.regisseurs(session, alert.candidate)
    if regisseurs:
        alert.assigned_to = regisseurs[0].id
    for regisseur in regisseurs:
        outbox.to_partner(session, alert, regisseur, "escalation", now)


def escalate_overdue(store, now: Optional[datetime] = None) -> int:
    """Escalates delivered alerts that nobody acknowledged in time; returns how many."""
    now = now or utcnow()
    with store.session_scope() as session:
        overdue = session.execute(
            select(Alert).where(Alert.status == "delivered", Alert.ack_due_at <= now)
            .with_for_update(skip_locked=True)).scalars().all()
        for alert in overdue:
            escalate(session, alert, now)
        return len(overdue)


def route_unassigned(store, now: Optional[datetime] = None) -> int:
    """Retries alerts that found nobody: a jobcoach or regisseur may have been added."""
    now = now or utcnow()
    routed = 0
    with store.session_scope() as session:
        waiting = session.execute(
            select(Alert).where(Alert.status == "pending", Alert.assigned_to.is_(None))
            .with_for_update(skip_locked=True)).scalars().all()
        for alert in waiting:
            if route(session, alert, alert.candidate, now) != "unassigned":
                routed += 1
        return routed


def on_sent(session: Session, message: OutboxMessage, now: datetime) -> None:
    """A hand-over reached the partner who has the alert: it is delivered, and the clock
    for acknowledging starts."""
    alert = message.alert
    if alert is None or message.purpose not in HANDOVERS or message.partner_id != alert.assigned_to:
        return
    if alert.status == "pending":
        alert.status, alert.delivered_at = "delivered", now
    if alert.ack_due_at is None:
        alert.ack_due_at = now + ack_timeout(alert.urgent)


def on_failed(session: Session, message: OutboxMessage, now: datetime) -> None:
    """A hand-over that could not be delivered escalates the alert at once."""
    alert = message.alert
    if alert is not None and message.purpose == "alert" and message.partner_id == alert.assigned_to:
        escalate(session, alert, now)


def delivery_failed(store, external_id: str, now: Optional[datetime] = None) -> bool:
    """The channel reported later that a sent message never arrived (Twilio's status
    callback `failed`/`undelivered`). True when it was one of ours."""
    now = now or utcnow()
    with store.session_scope() as session:
        message = session.execute(
            select(OutboxMessage).filter_by(external_id=external_id)).scalars().first()
        if message is None:
            return False
        message.status, message.last_error = "failed", "reported undelivered by the channel"
        if message.alert is not None and message.alert.status == "delivered":
            message.alert.status = "pending"  # it never arrived; escalate from there
        on_failed(session, message, now)
        return True
