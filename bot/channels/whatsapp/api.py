"""Sending to WhatsApp through Twilio's REST API, for the connector and for others:

    send_text(to, text, purpose="alert", language="nl") -> MessageSid
    await send_text_async(...)                          -> the same, off the event loop
    await fetch_media(media_url)                        -> (bytes, content_type)

Within 24 hours of the contact's last message the text goes as it is (split at 1,600
characters). Outside that window WhatsApp accepts only an approved template: the one
configured for the purpose and language is sent instead, and the full text is kept and
sent when the contact replies. Failures raise ChannelError (retryable for 5xx, 429 and
network errors). Free of Rasa; twilio's client is synchronous, so async callers use the
wrappers, which run it in a thread.
"""

import functools
import json
import logging
import time
from typing import Callable, List, Optional, Tuple, TypeVar
from urllib.parse import urlparse

import httpx
import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.channels import state
from bot.channels.common import in_thread, store
from bot.channels.errors import ChannelError
from bot.channels.split import split_text
from bot.channels.whatsapp import config as settings
from bot.channels.whatsapp.address import is_valid, normalise
from bot.channels.whatsapp.config import WhatsAppConfig

logger = logging.getLogger(__name__)

CHANNEL = "whatsapp"
REQUEST_TIMEOUT = 10.0  # seconds per Twilio call
OUTSIDE_WINDOW = 63016  # Twilio: "freeform message outside the allowed window"
T = TypeVar("T")


def configured() -> WhatsAppConfig:
    config = settings.from_env()
    if config is None:
        raise ChannelError("WhatsApp is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, "
                           "TWILIO_WHATSAPP_FROM)", retryable=False, code="not_configured")
    return config


@functools.lru_cache(maxsize=4)
def client(config: WhatsAppConfig) -> Client:
    twilio = Client(config.account_sid, config.auth_token,
                    http_client=TwilioHttpClient(timeout=REQUEST_TIMEOUT))
    # The Api domain's base URL is the one documented knob for another host (a fake in tests).
    twilio.api.base_url = config.api_url
    return twilio


def channel_error(error: Exception) -> ChannelError:
    if isinstance(error, TwilioRestException):
        retryable = error.status >= 500 or error.status == 429
        return ChannelError(f"Twilio answered {error.status} (error {error.code})",
                            retryable=retryable, code=str(error.code or error.status))
    if isinstance(error, requests.Timeout):
        return ChannelError("Twilio timed out", retryable=True, code="timeout")
    if isinstance(error, (requests.ConnectionError, TwilioException)):
        return ChannelError("Twilio unreachable", retryable=True, code="network")
    raise error


def _call(create: Callable[[], T], attempts: int) -> T:
    """One Twilio call, retried briefly (in this thread) when the failure is retryable."""
    delay = 0.5
    for attempt in range(1, attempts + 1):
        try:
            return create()
        except (TwilioException, requests.RequestException) as raised:
            error = channel_error(raised)
            if not error.retryable or attempt == attempts:
                raise error from None
            logger.warning("twilio send failed (%s), retry %d of %d", error.code, attempt, attempts - 1)
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def _create(config: WhatsAppConfig, to: str, attempts: int, **fields) -> str:
    if config.status_callback:
        fields["status_callback"] = config.status_callback
    message = _call(lambda: client(config).messages.create(to=to, from_=config.from_number, **fields),
                    attempts)
    return message.sid


def send_parts(config: WhatsAppConfig, to: str, text: str, attempts: int = 3) -> str:
    """The text as free-form messages (inside the window); the last MessageSid."""
    sid = ""
    for part in split_text(text, settings.TEXT_LIMIT):
        sid = _create(config, to, attempts, body=part or "…")
    return sid


def send_text(to: str, text: str, purpose: str = "reply", language: Optional[str] = "nl",
              variables: Optional[dict] = None, attempts: int = 3) -> str:
    """Sends `text` to `to` (any spelling of a WhatsApp number); returns the MessageSid.

    Outside the 24-hour window it sends the template for `purpose` and `language`
    (with `variables` as its ContentVariables) and keeps the text until the contact replies.
    """
    config = configured()
    to = normalise(to)
    if not is_valid(to):
        raise ChannelError("not a WhatsApp number", retryable=False, code="bad_address")
    if state.window_open(store(), CHANNEL, to):
        try:
            return send_parts(config, to, text, attempts)
        except ChannelError as error:
            if error.code != str(OUTSIDE_WINDOW):
                raise
    return _send_template(config, to, text, purpose, language, variables, attempts)


def _send_template(config: WhatsAppConfig, to: str, text: str, purpose: str,
                   language: Optional[str], variables: Optional[dict], attempts: int) -> str:
    content_sid = settings.template_sid(purpose, language)
    if content_sid is None:
        state.keep_pending(store(), CHANNEL, to, purpose, text, None)
        raise ChannelError(f"outside the 24-hour window and no template for '{purpose}' "
                           f"(WHATSAPP_TEMPLATE_{purpose.upper()}_{(language or 'nl').upper()})",
                           retryable=False, code="no_template")
    fields = {"content_sid": content_sid}
    if variables:
        fields["content_variables"] = json.dumps({str(k): str(v) for k, v in variables.items()})
    sid = _create(config, to, attempts, **fields)
    state.keep_pending(store(), CHANNEL, to, purpose, text, sid)
    logger.info("whatsapp %s outside the window: template for %s sent as %s", to, purpose, sid)
    return sid


async def send_text_async(to: str, text: str, purpose: str = "reply", language: Optional[str] = "nl",
                          variables: Optional[dict] = None, attempts: int = 3) -> str:
    return await in_thread(functools.partial(send_text, to, text, purpose, language, variables, attempts))


def deliver_pending(address: str, attempts: int = 3) -> int:
    """Sends the texts that waited for this contact to write (their window is open now).
    Returns how many went; those that failed stay for the next message."""
    config = configured()
    token, texts = state.claim_pending(store(), CHANNEL, address)
    delivered: List[int] = []
    try:
        for pending_id, text in texts:
            send_parts(config, address, text, attempts)
            delivered.append(pending_id)
    except ChannelError as error:
        logger.error("pending text for %s not delivered: %s", address, error.code)
    finally:
        state.release_pending(store(), delivered, token)
    return len(delivered)


async def fetch_media(reference: str) -> Tuple[bytes, str]:
    """The bytes and content type of a MediaUrl a contact sent, fetched with the account's
    credentials; they are never sent to a host other than Twilio's API."""
    config = configured()
    if not _is_twilio_url(reference, config):
        raise ChannelError("not a Twilio media URL", retryable=False, code="foreign_url")
    try:
        async with httpx.AsyncClient(auth=(config.account_sid, config.auth_token),
                                     follow_redirects=True, timeout=30.0) as http:
            answer = await http.get(reference)
    except httpx.TimeoutException:
        raise ChannelError("Twilio media timed out", retryable=True, code="timeout") from None
    except httpx.HTTPError:
        raise ChannelError("Twilio media unreachable", retryable=True, code="network") from None
    if answer.status_code != 200:
        raise ChannelError(f"Twilio media answered {answer.status_code}",
                           retryable=answer.status_code >= 500 or answer.status_code == 429,
                           code=str(answer.status_code))
    return answer.content, answer.headers.get("content-type", "application/octet-stream")


def _is_twilio_url(url: str, config: WhatsAppConfig) -> bool:
    parsed, api = urlparse(url), urlparse(config.api_url)
    return (parsed.scheme, parsed.netloc) == (api.scheme, api.netloc) and \
        parsed.path.startswith(f"/2010-04-01/Accounts/{config.account_sid}/")
