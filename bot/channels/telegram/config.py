"""Telegram's configuration, from the environment only (see .env.example)."""

import os
from dataclasses import dataclass
from typing import Optional

WEBHOOK_PATH = "/webhooks/telegram/webhook"
# The update kinds we handle; Telegram is told to send only these (set-webhook).
ALLOWED_UPDATES = ("message", "callback_query")
# Telegram's limit on a message's text, in UTF-16 code units.
TEXT_LIMIT = 4096


@dataclass(frozen=True)
class TelegramConfig:
    token: str
    secret: Optional[str]
    api_url: str  # the Bot API server's root: real, a local Bot API server, or a test fake
    public_base_url: Optional[str]
    timeout: float = 10.0  # seconds to wait for the Bot API's answer

    @property
    def base_url(self) -> str:
        return f"{self.api_url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.api_url}/file/bot"


def from_env() -> Optional[TelegramConfig]:
    """The configuration, or None when TELEGRAM_BOT_TOKEN is not set (channel off)."""
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        return None
    return TelegramConfig(
        token=token,
        secret=os.environ.get("TELEGRAM_SECRET_TOKEN", "").strip() or None,
        api_url=os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org").strip().rstrip("/"),
        public_base_url=os.environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/") or None,
        timeout=float(os.environ.get("TELEGRAM_TIMEOUT", "10")),
    )
