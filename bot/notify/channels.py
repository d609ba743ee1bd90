"""Handing a rendered message to a channel: Telegram, WhatsApp (Twilio) or the local console.

`local` is the embedded default: the message is printed in the `make run` console and
kept in the outbox table. Candidates on the REST channel (tests, the terminal chat) are
reached the same way: REST cannot push.
"""

from dataclasses import dataclass, field
from typing import List, Optional

LOCAL_CHANNELS = ("local", "rest")


@dataclass
class Outgoing:
    text: str
    buttons: Optional[List[dict]] = None  # [{"title", "payload"}]: Telegram shows them inline
    language: str = "nl"
    extra: dict = field(default_factory=dict)


class DeliveryError(Exception):
    """The channel did not take the message; `retryable` says whether trying later may help."""

    def __init__(self, reason: str, retryable: bool = True) -> None:
        super().__init__(reason)
        self.retryable = retryable


async def send(channel: str, address: str, message: Outgoing, purpose: str) -> Optional[str]:
    """Sends the message; returns the channel's message id (None for local)."""
    if channel in LOCAL_CHANNELS:
        return None  # the worker records it and prints it after the commit
    if channel == "telegram":
        return await _telegram(address, message)
    if channel == "whatsapp":
        return await _whatsapp(address, message, purpose)
    raise DeliveryError(f"no sender for channel {channel}", retryable=False)


async def _telegram(address: str, message: Outgoing) -> str:
    from bot.channels.telegram import api  # imported late: the action server never sends

    try:
        # One attempt: the worker retries with its own, durable backoff.
        return await api.send_text(address, message.text, buttons=message.buttons, attempts=1)
    except api.ChannelError as error:
        raise DeliveryError(type(error).__name__ + ": " + str(error)[:150], error.retryable) from error


async def _whatsapp(address: str, message: Outgoing, purpose: str) -> str:
    from bot.channels.whatsapp import api

    try:
        # Outside WhatsApp's 24-hour window the approved template for this purpose goes
        # first (WHATSAPP_TEMPLATE_ALERT_NL, ..._NOTICE_<LANG>); the text follows the reply.
        template = "notice" if purpose == "ack_notice" else "alert"
        return await api.send_text_async(address, message.text, purpose=template,
                                         language=message.language, attempts=1)
    except api.ChannelError as error:
        raise DeliveryError(type(error).__name__ + ": " + str(error)[:150], error.retryable) from error
