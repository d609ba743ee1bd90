"""`python -m bot telegram set-webhook`: tells Telegram where to post updates, with a secret
token it sends back on every call, and only the update kinds the connector handles."""

import asyncio
import secrets

from bot.channels.errors import ChannelError
from bot.channels.telegram import api
from bot.channels.telegram import config as settings


def set_webhook(new_secret: bool = False) -> str:
    """Registers PUBLIC_BASE_URL/webhooks/telegram/webhook; returns what to tell the operator.

    The secret is TELEGRAM_SECRET_TOKEN when set (the running servers already have it), or a
    newly generated one with `new_secret` or when none is set.
    """
    config = settings.from_env()
    if config is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    if not config.public_base_url:
        raise ValueError("PUBLIC_BASE_URL is not set (the https address Telegram can reach)")
    generated = new_secret or not config.secret
    secret = secrets.token_urlsafe(32) if generated else config.secret
    url = config.public_base_url + settings.WEBHOOK_PATH
    try:
        asyncio.run(api.set_webhook(url, secret, settings.ALLOWED_UPDATES))
    except ChannelError as error:
        raise ValueError(f"Telegram did not accept the webhook: {error}") from None
    lines = [f"webhook set: {url} (updates: {', '.join(settings.ALLOWED_UPDATES)})"]
    if generated:
        lines.append("new secret: set this in the environment of every Rasa server, then restart them:")
        lines.append(f"TELEGRAM_SECRET_TOKEN={secret}")
    return "\n".join(lines)
