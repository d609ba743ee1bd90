"""Queueing messages in the outbox, in the caller's transaction (nothing sent here)."""

from datetime import datetime
from typing import Optional

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.store.models import Alert, OutboxMessage, Partner

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def enqueue(session: Session, key: str, purpose: str, now: datetime, alert: Optional[Alert] = None,
            partner: Optional[Partner] = None, candidate_id: Optional[int] = None) -> bool:
    """Adds a message unless one with this idempotency key exists; True when added.

    One statement (INSERT ... ON CONFLICT DO NOTHING): two workers queueing the same
    message at the same moment (a digest, an escalation) add it once, and neither fails.
    """
    insert = _INSERT[session.get_bind().dialect.name](OutboxMessage).values(
        idempotency_key=key, purpose=purpose, alert_id=alert.id if alert else None,
        partner_id=partner.id if partner else None, candidate_id=candidate_id,
        status="pending", attempts=0, next_attempt_at=now, created_at=now)
    return session.execute(insert.on_conflict_do_nothing(index_elements=["idempotency_key"])).rowcount == 1


def to_partner(session: Session, alert: Alert, partner: Partner, purpose: str, now: datetime) -> bool:
    return enqueue(session, f"{purpose}:{alert.id}:{partner.id}", purpose, now, alert=alert, partner=partner)
