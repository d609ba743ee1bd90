"""WhatsApp (Twilio) configuration, from the environment only (see .env.example)."""

import os
import re
from dataclasses import dataclass
from typing import Optional

from bot.vocabulary import FALLBACK_LANGUAGES

WEBHOOK_PATH = "/webhooks/whatsapp/webhook"
STATUS_PATH = "/webhooks/whatsapp/status"
# Twilio's limit on a WhatsApp message body, in characters.
TEXT_LIMIT = 1600
DEFAULT_API_URL = "https://api.twilio.com"
_PURPOSE = re.compile(r"[a-z0-9_]+")


@dataclass(frozen=True)
class WhatsAppConfig:
    account_sid: str
    auth_token: str
    from_number: str  # whatsapp:+31...
    api_url: str  # Twilio's REST API root (a local fake in tests)
    public_base_url: Optional[str]  # what Twilio calls, and signs: https://bot.example.org

    @property
    def status_callback(self) -> Optional[str]:
        return f"{self.public_base_url}{STATUS_PATH}" if self.public_base_url else None


def from_env() -> Optional[WhatsAppConfig]:
    """The configuration, or None when the Twilio account is not set (channel off)."""
    values = {name: os.environ.get(name, "").strip()
              for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM")}
    if not all(values.values()):
        return None
    from bot.channels.whatsapp.address import normalise

    return WhatsAppConfig(
        account_sid=values["TWILIO_ACCOUNT_SID"],
        auth_token=values["TWILIO_AUTH_TOKEN"],
        from_number=normalise(values["TWILIO_WHATSAPP_FROM"]),
        api_url=(os.environ.get("TWILIO_API_URL", "").strip() or DEFAULT_API_URL).rstrip("/"),
        public_base_url=os.environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/") or None,
    )


def template_sid(purpose: str, language: Optional[str]) -> Optional[str]:
    """The approved template (ContentSid) for a purpose in a language:
    WHATSAPP_TEMPLATE_<PURPOSE>_<LANG>, falling back to Dutch, then English, then the
    `reply` purpose in the same order."""
    if not _PURPOSE.fullmatch(purpose or ""):
        raise ValueError(f"a purpose is lower-case letters, digits and _: {purpose!r}")
    languages = [language] if language else []
    languages += [fallback for fallback in FALLBACK_LANGUAGES if fallback not in languages]
    for name in dict.fromkeys([purpose, "reply"]):
        for lang in languages:
            sid = os.environ.get(f"WHATSAPP_TEMPLATE_{name.upper()}_{lang.upper()}", "").strip()
            if sid:
                return sid
    return None
