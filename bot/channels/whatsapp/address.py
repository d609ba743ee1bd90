"""WhatsApp addresses as Twilio writes them: whatsapp:+<country code><number>."""

import re

_E164 = re.compile(r"\+[1-9]\d{6,14}")


def normalise(address: str) -> str:
    """'whatsapp:+31 6 1234-5678', '+31612345678', '0031612345678' -> 'whatsapp:+31612345678'."""
    number = (address or "").strip()
    if number.lower().startswith("whatsapp:"):
        number = number[len("whatsapp:"):]
    number = re.sub(r"[\s\-().]", "", number)
    if number.startswith("00"):
        number = "+" + number[2:]
    elif not number.startswith("+"):
        number = "+" + number
    return f"whatsapp:{number}"


def is_valid(address: str) -> bool:
    return address.startswith("whatsapp:") and bool(_E164.fullmatch(address[len("whatsapp:"):]))
