"""Queueing messages in the outbox, in the caller's transaction (nothing sent here)."""

from datetime import datetime
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Alert, OutboxMessage, Partner


def enqueue(session: Session, key: str, purpose: str, now: datetime, alert: Optional[Alert] = None,
            partner: Optional[Partner] = None, candidate_id: Optional[int] = None) -> bool:
    """Adds a message unless one with this idempotency key exists; True when added."""
    if session.execute(select(OutboxMessage.id).filter_by(idempotency_key=key)).first():
        return False
    session.add(OutboxMessage(
        idempotency_key=key, purpose=purpose, alert_id=alert.id if alert else None,
        partner_id=partner.id if partner else None, candidate_id=candidate_id,
        status="pending", attempts=0, next_attempt_at=now, created_at=now))
    return True


def to_partner(session: Session, alert: Alert, partner: Partner, purpose: str, now: datetime) -> bool:
    return enqueue(session, f"{purpose}:{alert.id}:{partner.id}", purpose, now, alert=alert, partner=partner)
