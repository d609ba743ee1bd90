"""The WhatsApp (Twilio) connector Rasa loads from credentials.yml.

POST /webhooks/whatsapp/webhook   incoming messages
POST /webhooks/whatsapp/status    delivery status callbacks
Both are signed by Twilio (X-Twilio-Signature) over the public URL it called, which behind
a TLS proxy differs from what this server sees: PUBLIC_BASE_URL says what it is. Without
the Twilio variables or PUBLIC_BASE_URL the webhooks answer 503 (logged once at start).
"""

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text
from urllib.parse import parse_qsl

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.channels import state
from bot.channels.common import in_background, in_thread, store
from bot.channels.errors import ChannelError
from bot.channels.incoming import Incoming
from bot.channels.whatsapp import api, inbound
from bot.channels.whatsapp import config as settings

logger = logging.getLogger(__name__)

CHANNEL = "whatsapp"
SIGNATURE_HEADER = "X-Twilio-Signature"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
FAILED = ("failed", "undelivered")
SEND_ATTEMPTS = 4


class WhatsAppOutput(OutputChannel):
    """Replies through Twilio's REST API, in a thread; choices arrive as numbered menus
    (bot/i18n/render.py renders them so for every channel without buttons)."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        try:
            language = await in_thread(state.language_of, store(), CHANNEL, recipient_id)
            await api.send_text_async(recipient_id, text, "reply", language, None, SEND_ATTEMPTS)
        except ChannelError as error:
            # Raising would make Rasa drop the whole turn from the tracker: log instead.
            logger.error("whatsapp reply to %s failed: %s", recipient_id, error.code)


    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: list,
                                     **kwargs: Any) -> None:
        # Our NLG already gives WhatsApp a numbered menu; this covers any other sender.
        menu = "\n".join(f"{number}. {button.get('title', '')}"
                         for number, button in enumerate(buttons, start=1))
        await self.send_text_message(recipient_id, f"{text}\n\n{menu}" if menu else text)


class WhatsAppInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls()  # everything comes from the environment, never from credentials.yml

    def __init__(self, config: Optional[settings.WhatsAppConfig] = None) -> None:
        self.config = config or settings.from_env()
        if self.config is None:
            logger.info("whatsapp channel off: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN or "
                        "TWILIO_WHATSAPP_FROM is not set (webhooks answer 503)")
        elif not self.config.public_base_url:
            logger.error("whatsapp channel off: PUBLIC_BASE_URL is not set, so Twilio's "
                         "signatures cannot be checked (webhooks answer 503)")
        self.validator = RequestValidator(self.config.auth_token) if self.config else None

    def get_output_channel(self) -> OutputChannel:
        return WhatsAppOutput()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("korte_lijnen_whatsapp", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self._ready() else "not configured"})

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            return await self._guarded(request, lambda: self._message(request, on_new_message))

        @blueprint.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            return await self._guarded(request, lambda: self._status(request))

        return blueprint

    def _ready(self) -> bool:
        return self.config is not None and bool(self.config.public_base_url)

    def _authentic(self, request: Request) -> bool:
        """Twilio signs the URL it called plus the form fields, with our auth token."""
        url = self.config.public_base_url + request.path
        if request.query_string:
            url += "?" + request.query_string
        signature = request.headers.get(SIGNATURE_HEADER, "")
        return bool(signature) and self.validator.validate(url, _fields(request), signature)

    async def _guarded(self, request: Request, handle) -> HTTPResponse:
        if not self._ready():
            return response.text("whatsapp channel not configured", status=503)
        try:
            authentic = self._authentic(request)
        except Exception:  # a body the validator cannot read is not Twilio's
            authentic = False
        if not authentic:
            logger.warning("whatsapp %s: missing or wrong signature", request.path)
            return response.text("forbidden", status=403)
        return await handle()

    async def _message(self, request: Request, on_new_message) -> HTTPResponse:
        incoming = inbound.parse(_fields(request))
        if incoming is None:
            return response.text("not a message", status=400)
        if not await in_thread(state.first_delivery, store(), CHANNEL, incoming.message_id):
            logger.info("whatsapp message %s again: dropped", incoming.message_id)
            return _twiml()
        await in_thread(state.note_inbound, store(), CHANNEL, incoming.sender_id,
                        incoming.display_name)
        # Twilio waits 15 s at most: answer now, reply through the REST API when done.
        in_background(self._handle(incoming, on_new_message), f"whatsapp message {incoming.message_id}")
        return _twiml()

    async def _handle(self, incoming: Incoming, on_new_message) -> None:
        # Texts that waited for the window go first: they are older than this reply.
        await in_thread(api.deliver_pending, incoming.sender_id)
        await on_new_message(UserMessage(
            incoming.text, self.get_output_channel(), incoming.sender_id,
            input_channel=CHANNEL, metadata=incoming.metadata()))

    async def _status(self, request: Request) -> HTTPResponse:
        fields = _fields(request)
        sid, status = fields.get("MessageSid"), (fields.get("MessageStatus") or "").lower()
        if not sid or not status:
            return response.text("not a status callback", status=400)
        await in_thread(state.record_status, store(), sid, status, fields.get("ErrorCode"))
        if status in FAILED:
            logger.warning("whatsapp message %s %s (error %s)", sid, status, fields.get("ErrorCode"))
            await in_thread(report_failed_delivery, sid)
        return _twiml()


def report_failed_delivery(message_sid: str) -> bool:
    """Tells the alerts code that a message did not arrive (it knows whether it was an
    alert to a partner). bot.alerts may not exist yet in older installs: then only log."""
    try:
        from bot import alerts
    except ModuleNotFoundError as error:
        if error.name not in ("bot.alerts",):
            raise
        alerts = None
    delivery_failed = getattr(alerts, "delivery_failed", None)
    if delivery_failed is None:
        logger.warning("bot.alerts.delivery_failed is not available: failure of %s only recorded",
                       message_sid)
        return False
    return bool(delivery_failed(store(), message_sid))


def _fields(request: Request) -> Dict[str, str]:
    """The form fields, blank ones included: Twilio signs `Body=` of a photo without caption
    (Sanic's request.form drops blank values, which would break the signature)."""
    if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
        return {}
    return dict(parse_qsl((request.body or b"").decode("utf-8", "replace"), keep_blank_values=True))


def _twiml() -> HTTPResponse:
    return response.text(EMPTY_TWIML, content_type="text/xml")
