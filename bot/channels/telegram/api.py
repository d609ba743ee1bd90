"""Sending to Telegram through python-telegram-bot, for the connector and for others
(alerts to partners, notices to candidates):

    await send_text(chat_id, text, buttons=[{"title": "Ja", "payload": "1"}]) -> message id
    await fetch_media(file_id) -> (bytes, content_type)

Failures raise ChannelError (retryable for 5xx, timeouts and rate limits). Free of Rasa.
"""

import asyncio
import logging
import mimetypes
import weakref
from typing import Dict, List, Optional, Sequence, Tuple

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram import error as tg
from telegram.request import HTTPXRequest

from bot.channels.common import with_retries  # (importing common quiets httpx's URL logs)
from bot.channels.errors import ChannelError
from bot.channels.split import split_text, utf16_length
from bot.channels.telegram import config as settings
from bot.channels.telegram.config import TelegramConfig

logger = logging.getLogger(__name__)

CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit on a button's payload
_EXTRA_TYPES = {".oga": "audio/ogg", ".ogg": "audio/ogg", ".webp": "image/webp", ".tgs": "application/x-tgsticker"}

# One Bot (and its HTTP connection pool) per event loop and configuration: httpx's pool
# belongs to the loop that opened it.
_bots: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Dict[TelegramConfig, Bot]]" = (
    weakref.WeakKeyDictionary())


def configured() -> TelegramConfig:
    config = settings.from_env()
    if config is None:
        raise ChannelError("Telegram is not configured (TELEGRAM_BOT_TOKEN)", retryable=False,
                           code="not_configured")
    return config


def bot(config: Optional[TelegramConfig] = None) -> Bot:
    config = config or configured()
    per_loop = _bots.setdefault(asyncio.get_running_loop(), {})
    if config not in per_loop:
        per_loop[config] = Bot(
            config.token, base_url=config.base_url, base_file_url=config.base_file_url,
            request=HTTPXRequest(connection_pool_size=32, read_timeout=config.timeout))
    return per_loop[config]


def channel_error(error: tg.TelegramError) -> ChannelError:
    """Our exception for a python-telegram-bot one: 5xx, timeouts and 429 are retryable."""
    if isinstance(error, tg.RetryAfter):
        return ChannelError("Telegram rate limit", retryable=True, code="429")
    if isinstance(error, tg.TimedOut):
        return ChannelError("Telegram timed out", retryable=True, code="timeout")
    refusals = (tg.BadRequest, tg.Forbidden, tg.InvalidToken, tg.ChatMigrated, tg.Conflict)
    if isinstance(error, refusals):
        # The description ("chat not found") names no user data; keep it for the operator.
        return ChannelError(f"Telegram refused: {error.message}", retryable=False,
                            code=type(error).__name__)
    if isinstance(error, tg.NetworkError):
        return ChannelError("Telegram unreachable or failing", retryable=True, code="network")
    return ChannelError("Telegram error", retryable=False, code=type(error).__name__)


def keyboard(buttons: Optional[Sequence[dict]]) -> Optional[InlineKeyboardMarkup]:
    """One button per row (titles in some languages are long); payloads become callback data."""
    rows = [
        [InlineKeyboardButton(str(button["title"])[:64], callback_data=str(button["payload"]))]
        for button in buttons or []
        if button.get("title") and 0 < len(str(button.get("payload", "")).encode()) <= CALLBACK_DATA_LIMIT
    ]
    return InlineKeyboardMarkup(rows) if rows else None


async def send_text(chat_id: str, text: str, buttons: Optional[List[dict]] = None,
                    attempts: int = 3) -> str:
    """Sends `text` (split at Telegram's limit on sentence boundaries; the buttons go with
    the last part) and returns the last part's message id. Each part is retried briefly."""
    client = bot()
    parts = split_text(text, settings.TEXT_LIMIT, utf16_length)
    markup = keyboard(buttons)
    message_id = ""
    for index, part in enumerate(parts):
        last = index == len(parts) - 1

        async def send(part=part, last=last):
            try:
                return await client.send_message(
                    chat_id=chat_id, text=part or "…", reply_markup=markup if last else None)
            except tg.TelegramError as error:
                raise channel_error(error) from None

        message = await with_retries(send, attempts=attempts)
        message_id = str(message.message_id)
    return message_id


async def answer_callback(callback_query_id: str) -> None:
    """Stops the button's spinner; a failure here costs nothing, so it is only logged."""
    try:
        await bot().answer_callback_query(callback_query_id)
    except tg.TelegramError as error:
        logger.warning("answerCallbackQuery failed: %s", channel_error(error).code)


async def fetch_media(reference: str) -> Tuple[bytes, str]:
    """The bytes and content type of a file the contact sent (its file_id), via getFile."""
    try:
        file = await bot().get_file(reference)
        data = await file.download_as_bytearray()
    except tg.TelegramError as error:
        raise channel_error(error) from None
    return bytes(data), content_type_of(file.file_path or "")


def content_type_of(path: str) -> str:
    suffix = ("." + path.rsplit(".", 1)[-1].lower()) if "." in path else ""
    return _EXTRA_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


async def set_webhook(url: str, secret: str, allowed_updates: Sequence[str]) -> bool:
    try:
        return await bot().set_webhook(url=url, secret_token=secret,
                                       allowed_updates=list(allowed_updates))
    except tg.TelegramError as error:
        raise channel_error(error) from None
