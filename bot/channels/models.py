"""The channels' tables: incoming message ids seen, contacts, texts waiting for the WhatsApp
window, and Twilio's delivery statuses. Every replica shares them through the database."""

from sqlalchemy import Column, Integer, String, Text, UniqueConstraint

from bot.store.models import Base, UTCDateTime, utcnow


class ChannelReceipt(Base):
    """An incoming update_id / MessageSid, so a redelivery is processed once on any replica."""

    __tablename__ = "channel_receipts"
    __table_args__ = (UniqueConstraint("channel", "message_id", name="uq_channel_receipt"),)

    id = Column(Integer, primary_key=True)
    channel = Column(String(16), nullable=False)
    message_id = Column(String(64), nullable=False)
    received_at = Column(UTCDateTime, nullable=False, default=utcnow, index=True)


class ChannelContact(Base):
    """Someone who wrote to us: their name for partners, and when they last wrote
    (WhatsApp lets us send free text only within 24 hours of that)."""

    __tablename__ = "channel_contacts"
    __table_args__ = (UniqueConstraint("channel", "address", name="uq_channel_contact"),)

    id = Column(Integer, primary_key=True)
    channel = Column(String(16), nullable=False)
    address = Column(String(128), nullable=False)  # whatsapp:+31..., or a Telegram chat id
    display_name = Column(String(200))
    last_inbound_at = Column(UTCDateTime)


class PendingText(Base):
    """A full text that waits for the contact to reply to the template sent in its place."""

    __tablename__ = "channel_pending_texts"

    id = Column(Integer, primary_key=True)
    channel = Column(String(16), nullable=False)
    address = Column(String(128), nullable=False, index=True)
    purpose = Column(String(24), nullable=False)
    text = Column(Text, nullable=False)
    template_sid = Column(String(64))  # the MessageSid of the template sent instead
    claimed_by = Column(String(32))  # the replica delivering it now
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)


class DeliveryStatus(Base):
    """Twilio's latest status callback for a message we sent."""

    __tablename__ = "channel_delivery_statuses"
    __table_args__ = (UniqueConstraint("message_sid", name="uq_delivery_status"),)

    id = Column(Integer, primary_key=True)
    message_sid = Column(String(64), nullable=False)
    status = Column(String(16), nullable=False)
    error_code = Column(String(16))
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
