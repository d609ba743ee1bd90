"""The channels' shared state in the database (see models.py): every function is one short
transaction, safe to run on several replicas at once."""

import logging
import uuid
from datetime import datetime, timedelta
from typing import List, Optional, Tuple

from sqlalchemy import delete, exc, select, update

from bot.channels.models import ChannelContact, ChannelReceipt, DeliveryStatus, PendingText
from bot.store import Store
from bot.store.models import Candidate, utcnow

logger = logging.getLogger(__name__)

# WhatsApp's customer-service window, with a margin for clocks and queues.
WINDOW = timedelta(hours=24) - timedelta(minutes=5)


def first_delivery(store: Store, channel: str, message_id: str) -> bool:
    """True the first time this id arrives, on any replica; False for a redelivery.

    The unique constraint decides, so two replicas racing on one id cannot both win.
    """
    try:
        with store.session_scope() as session:
            session.add(ChannelReceipt(channel=channel, message_id=str(message_id)[:64]))
        return True
    except exc.IntegrityError:
        return False


def forget_receipts(store: Store, older_than: timedelta = timedelta(days=7)) -> int:
    """Drops receipts older than any platform redelivers (for the worker's purge)."""
    with store.session_scope() as session:
        result = session.execute(
            delete(ChannelReceipt).where(ChannelReceipt.received_at < utcnow() - older_than))
        return result.rowcount or 0


def note_inbound(store: Store, channel: str, address: str, display_name: Optional[str]) -> None:
    """Records that a contact just wrote (opens the WhatsApp window) and their name."""
    for attempt in range(2):  # a first message racing on two replicas: the loser updates
        try:
            with store.session_scope() as session:
                contact = _contact(session, channel, address) or ChannelContact(
                    channel=channel, address=address)
                session.add(contact)
                contact.last_inbound_at = utcnow()
                if display_name:
                    contact.display_name = display_name[:200]
            return
        except exc.IntegrityError:
            if attempt:
                raise


def _contact(session, channel: str, address: str) -> Optional[ChannelContact]:
    return session.execute(
        select(ChannelContact).filter_by(channel=channel, address=address)).scalar_one_or_none()


def display_name(store: Store, channel: str, address: str) -> Optional[str]:
    with store.session_scope() as session:
        contact = _contact(session, channel, address)
        return contact.display_name if contact else None


def window_open(store: Store, channel: str, address: str, now: Optional[datetime] = None) -> bool:
    with store.session_scope() as session:
        contact = _contact(session, channel, address)
        last = contact.last_inbound_at if contact else None
    return last is not None and (now or utcnow()) - last < WINDOW


def language_of(store: Store, channel: str, address: str) -> Optional[str]:
    """The candidate's chosen language, if this address is a candidate."""
    with store.session_scope() as session:
        return session.execute(
            select(Candidate.language).filter_by(channel=channel, sender_id=address)
        ).scalars().first()


def keep_pending(store: Store, channel: str, address: str, purpose: str, text: str,
                 template_sid: Optional[str]) -> None:
    with store.session_scope() as session:
        session.add(PendingText(channel=channel, address=address, purpose=purpose, text=text,
                                template_sid=template_sid))


def claim_pending(store: Store, channel: str, address: str) -> Tuple[str, List[Tuple[int, str]]]:
    """Claims the texts waiting for this contact, oldest first, for this replica alone.

    Returns the claim token and (id, text) pairs; finish with `release_pending`.
    """
    token = uuid.uuid4().hex
    with store.session_scope() as session:
        session.execute(
            update(PendingText)
            .where(PendingText.channel == channel, PendingText.address == address,
                   PendingText.claimed_by.is_(None))
            .values(claimed_by=token))
        rows = session.execute(
            select(PendingText.id, PendingText.text)
            .where(PendingText.claimed_by == token).order_by(PendingText.id)).all()
    return token, [(row.id, row.text) for row in rows]


def release_pending(store: Store, delivered: List[int], token: str) -> None:
    """Deletes the delivered texts and unclaims the rest, for the contact's next message."""
    with store.session_scope() as session:
        if delivered:
            session.execute(delete(PendingText).where(PendingText.id.in_(delivered)))
        session.execute(
            update(PendingText).where(PendingText.claimed_by == token).values(claimed_by=None))


def pending_count(store: Store, channel: str, address: str) -> int:
    with store.session_scope() as session:
        return len(session.execute(
            select(PendingText.id).filter_by(channel=channel, address=address)).all())


def record_status(store: Store, message_sid: str, status: str, error_code: Optional[str]) -> None:
    for attempt in range(2):
        try:
            with store.session_scope() as session:
                row = session.execute(
                    select(DeliveryStatus).filter_by(message_sid=message_sid)).scalar_one_or_none()
                row = row or DeliveryStatus(message_sid=message_sid)
                session.add(row)
                row.status, row.error_code = status[:16], (error_code or None) and error_code[:16]
            return
        except exc.IntegrityError:
            if attempt:
                raise


def delivery_status(store: Store, message_sid: str) -> Optional[str]:
    with store.session_scope() as session:
        return session.execute(
            select(DeliveryStatus.status).filter_by(message_sid=message_sid)).scalar_one_or_none()
