"""Addresses as the channels give them to Rasa, so a registered partner or candidate is
recognised when they write: WhatsApp `whatsapp:+31...`, Telegram the numeric chat id,
local/REST any sender id without spaces."""

import re

from bot.channels.whatsapp import address as whatsapp

TELEGRAM_CHAT_ID = re.compile(r"-?\d{1,20}")
LOCAL_SENDER_ID = re.compile(r"\S{1,128}")
MAX_LENGTH = 128  # the column's width


class BadAddress(ValueError):
    pass


def normalise(channel: str, address: str) -> str:
    """The address as the channel's connector writes it; BadAddress if it cannot be one.

    The message never repeats the address: it can be a phone number.
    """
    address = (address or "").strip()
    if not address:
        raise BadAddress("missing address")
    if channel == "whatsapp":
        address = whatsapp.normalise(address)
        if not whatsapp.is_valid(address):
            raise BadAddress("not a WhatsApp number (expected whatsapp:+31612345678 or +31612345678)")
    elif channel == "telegram":
        if not TELEGRAM_CHAT_ID.fullmatch(address):
            raise BadAddress("not a Telegram chat id (digits only)")
    elif not LOCAL_SENDER_ID.fullmatch(address):
        raise BadAddress("an address has no spaces and at most 128 characters")
    if len(address) > MAX_LENGTH:
        raise BadAddress("address longer than 128 characters")
    return address
