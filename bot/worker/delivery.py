"""Delivering the outbox: claim due messages, send each, record the outcome.

At least once: a message is claimed for a lease, sent, then marked sent. A worker that
dies between sending and marking leaves the claim to expire, and another worker sends
again (counted as `reclaimed`: the one duplicate the channels cannot prevent). Local
deliveries are recorded in the same transaction that marks them sent: exactly once.
Several workers on PostgreSQL never claim the same row (FOR UPDATE SKIP LOCKED).
"""

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import List, Optional

from sqlalchemy import and_, or_, select

from bot.alerts.lifecycle import on_failed, on_sent
from bot.notify import DeliveryError, Outgoing, messages, send
from bot.notify.channels import LOCAL_CHANNELS
from bot.partners import profile
from bot.store.models import OutboxMessage
from bot.worker.digest import digest_alerts, digest_day

logger = logging.getLogger(__name__)



def lease() -> timedelta:
    """How long a claim holds: far above a send's timeout, so a live worker never loses it."""
    return timedelta(seconds=float(os.environ.get("OUTBOX_LEASE_SECONDS", "60")))


def max_attempts() -> int:
    return int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "6"))


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s ... up to 15 minutes between tries (OUTBOX_RETRY_SECONDS sets the first)."""
    first = float(os.environ.get("OUTBOX_RETRY_SECONDS", "5"))
    return timedelta(seconds=min(first * 2 ** max(attempts - 1, 0), 900))


@dataclass
class Claimed:
    id: int
    channel: str
    address: str
    purpose: str
    outgoing: Outgoing
    reclaimed: bool


def claim(store, now: datetime, limit: int = 20) -> List[Claimed]:
    """Claims the due messages and renders them, in one short transaction."""
    with store.session_scope() as session:
        rows = session.execute(
            select(OutboxMessage).where(or_(
                and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
                and_(OutboxMessage.status == "sending", OutboxMessage.claimed_until < now),
            )).order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True)
        ).scalars().all()
        claimed = []
        for row in rows:
            reclaimed = row.status == "sending"
            row.status, row.claimed_until, row.attempts = "sending", now + lease(), row.attempts + 1
            channel, address = _recipient(row)
            claimed.append(Claimed(row.id, channel, address, row.purpose, _render(session, row, channel), reclaimed))
        return claimed


def _recipient(row: OutboxMessage) -> "tuple[str, str]":
    if row.partner is not None:
        return row.partner.channel, row.partner.address
    return row.candidate.channel, row.candidate.sender_id


def _render(session, row: OutboxMessage, channel: str) -> Outgoing:
    if row.purpose == "profile":
        return Outgoing(profile.markdown(session, row.candidate, row.partner))
    if row.purpose != "digest":
        return messages.render_outbox(row, channel)
    day = digest_day(row.idempotency_key)
    return messages.render_outbox(row, channel, digest_alerts(session, row.partner, day), day)


async def deliver(store, item: Claimed, now_fn) -> str:
    """Sends one claimed message and records the outcome: sent, retry or failed."""
    try:
        external_id = await send(item.channel, item.address, item.outgoing, item.purpose)
    except DeliveryError as error:
        return _failed(store, item, error, now_fn())
    except Exception as error:  # a bug or an unexpected library error: retry, never lose it
        logger.exception("outbox %s: unexpected error while sending", item.id)
        return _failed(store, item, DeliveryError(type(error).__name__), now_fn())
    _sent(store, item, external_id, now_fn())
    if item.channel in LOCAL_CHANNELS:
        print(f"\n[{item.purpose} -> {item.address}]\n{item.outgoing.text}\n", flush=True)
    return "sent"


def _sent(store, item: Claimed, external_id: Optional[str], now: datetime) -> None:
    with store.session_scope() as session:
        row = session.get(OutboxMessage, item.id)
        row.status, row.sent_at, row.claimed_until = "sent", now, None
        row.external_id, row.rendered = external_id, item.outgoing.text
        on_sent(session, row, now)
    logger.info("outbox %s delivered (%s, %s, attempt %s)", item.id, item.purpose, item.channel, row.attempts)


def _failed(store, item: Claimed, error: DeliveryError, now: datetime) -> str:
    with store.session_scope() as session:
        row = session.get(OutboxMessage, item.id)
        row.last_error, row.claimed_until = str(error)[:200], None
        if error.retryable and row.attempts < max_attempts():
            row.status, row.next_attempt_at = "pending", now + backoff(row.attempts)
            outcome = "retry"
        else:
            row.status = "failed"
            on_failed(session, row, now)
            outcome = "failed"
    logger.warning("outbox %s: %s (%s, attempt %s)", item.id, outcome, item.channel, row.attempts)
    return outcome


def pending_count(store) -> int:
    with store.session_scope() as session:
        return session.query(OutboxMessage).filter(OutboxMessage.status.in_(("pending", "sending"))).count()



