"""The Telegram connector Rasa loads from credentials.yml (webhook /webhooks/telegram/webhook).

Configuration comes from the environment only (TELEGRAM_BOT_TOKEN, TELEGRAM_SECRET_TOKEN,
TELEGRAM_API_URL). Without a token or secret the webhook answers 503 and says why in the
log once at start, so `make run` works without any Telegram setup.
"""

import hmac
import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import state
from bot.channels.common import in_background, in_thread, store
from bot.channels.errors import ChannelError
from bot.channels.incoming import Incoming
from bot.channels.telegram import api, updates
from bot.channels.telegram import config as settings

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SEND_ATTEMPTS = 5  # about 7 s of backoff before a reply is given up (and logged)


class TelegramOutput(OutputChannel):
    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, text, None)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        await self._send(recipient_id, text, buttons)

    async def _send(self, chat_id: str, text: str, buttons: Optional[list]) -> None:
        # Raising here would make Rasa drop the whole turn from the tracker: log instead.
        try:
            await api.send_text(chat_id, text, buttons, attempts=SEND_ATTEMPTS)
        except ChannelError as error:
            logger.error("telegram reply to chat %s failed: %s", chat_id, error.code)


class TelegramInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls()  # everything comes from the environment, never from credentials.yml

    def __init__(self, config: Optional[settings.TelegramConfig] = None) -> None:
        self.config = config or settings.from_env()
        if self.config is None:
            logger.info("telegram channel off: TELEGRAM_BOT_TOKEN is not set (webhook answers 503)")
        elif not self.config.secret:
            logger.error("telegram channel off: TELEGRAM_SECRET_TOKEN is not set (webhook answers 503)")

    def get_output_channel(self) -> OutputChannel:
        return TelegramOutput()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("korte_lijnen_telegram", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self._ready() else "not configured"})

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            return await self._webhook(request, on_new_message)

        return blueprint

    def _ready(self) -> bool:
        return self.config is not None and bool(self.config.secret)

    def _authentic(self, request: Request) -> bool:
        given = request.headers.get(SECRET_HEADER, "")
        return hmac.compare_digest(given.encode("utf-8", "replace"), self.config.secret.encode())

    async def _webhook(self, request: Request, on_new_message) -> HTTPResponse:
        if not self._ready():
            return response.json({"error": "telegram channel not configured"}, status=503)
        if not self._authentic(request):
            logger.warning("telegram webhook: wrong or missing secret token")
            return response.json({"error": "forbidden"}, status=403)
        try:
            data = json.loads(request.body or b"")
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            incoming = updates.parse(data)
        except Exception:  # any malformed update: the sender must fix it, we must not crash
            return response.json({"error": "not a Telegram update"}, status=400)
        if incoming is None:
            return response.json({"status": "ignored"})
        if not await in_thread(state.first_delivery, store(), CHANNEL, incoming.message_id):
            logger.info("telegram update %s again: dropped", incoming.message_id)
            return response.json({"status": "duplicate"})
        await in_thread(state.note_inbound, store(), CHANNEL, incoming.sender_id,
                        incoming.display_name)
        # Answer Telegram at once; Rasa replies through the Bot API when it is done.
        in_background(self._handle(incoming, on_new_message), f"telegram update {incoming.message_id}")
        return response.json({"status": "ok"})

    async def _handle(self, incoming: Incoming, on_new_message) -> None:
        if incoming.callback_query_id:
            await api.answer_callback(incoming.callback_query_id)
        await on_new_message(UserMessage(
            incoming.text, self.get_output_channel(), incoming.sender_id,
            input_channel=CHANNEL, metadata=incoming.metadata()))
