"""Arbitrary bodies, headers and unicode at both webhooks: never a 500, never a crash."""

import json
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels import common
from bot.channels.telegram.connector import TelegramInput
from bot.channels.whatsapp.connector import WhatsAppInput
from bot.store import Store
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilioAPI
from tests.test_channels_harness import ConnectorServer

SECRET = "property-secret"
PUBLIC = "https://bot.example.org"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
# What an HTTP client can put in a header: printable Latin-1, unicode included.
header_values = st.text(st.characters(min_codepoint=32, max_codepoint=255, blacklist_characters="\x7f"),
                        max_size=40)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    telegram, twilio = FakeTelegramAPI(), FakeTwilioAPI()
    patch = pytest.MonkeyPatch()
    for name, value in dict(
            DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('property')}/store.db",
            TELEGRAM_BOT_TOKEN="1:prop", TELEGRAM_SECRET_TOKEN=SECRET, TELEGRAM_API_URL=telegram.url,
            TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN, TWILIO_WHATSAPP_FROM="+3197010203040",
            TWILIO_API_URL=twilio.url, PUBLIC_BASE_URL=PUBLIC).items():
        patch.setenv(name, value)
    common.store.cache_clear()
    Store.from_env().upgrade()
    async def collect(message):
        assert isinstance(message.text, str) and not message.text.startswith("/")

    pair = {"telegram": ConnectorServer(TelegramInput(), reply=collect),
            "whatsapp": ConnectorServer(WhatsAppInput(), reply=collect), "twilio": twilio}
    yield pair
    pair["telegram"].close()
    pair["whatsapp"].close()
    telegram.close()
    twilio.close()
    patch.undo()
    common.store.cache_clear()


@SETTINGS
@given(body=st.binary(max_size=300), secret=st.one_of(st.just(SECRET), header_values),
       content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded"]))
def test_telegram_any_bytes(servers, body, secret, content_type):
    headers = {"Content-Type": content_type, "X-Telegram-Bot-Api-Secret-Token": secret}
    status, _ = servers["telegram"].post("/webhooks/telegram/webhook", body, headers)
    assert status in (200, 400, 403)


@SETTINGS
@given(update_id=st.integers(min_value=0, max_value=2**31), message=json_values,
       text=st.text(max_size=200), kind=st.sampled_from(["message", "edited_message", "callback_query", "poll"]))
def test_telegram_any_update_with_the_secret(servers, update_id, message, text, kind):
    if isinstance(message, dict):
        message.setdefault("text", text)
    body = json.dumps({"update_id": update_id, kind: message}).encode()
    status, _ = servers["telegram"].post("/webhooks/telegram/webhook", body, {
        "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert status in (200, 400)


@SETTINGS
@given(fields=st.dictionaries(st.sampled_from(["MessageSid", "From", "Body", "NumMedia", "MediaUrl0",
                                               "MediaContentType0", "Latitude", "Longitude", "ProfileName",
                                               "MessageStatus"]) | st.text(max_size=10),
                              st.text(max_size=80), max_size=8),
       path=st.sampled_from(["/webhooks/whatsapp/webhook", "/webhooks/whatsapp/status"]),
       signed=st.booleans())
def test_whatsapp_any_form(servers, fields, path, signed):
    signature = servers["twilio"].sign(PUBLIC + path, fields) if signed else "bm9wZQ=="
    status, _ = servers["whatsapp"].post(path, urllib.parse.urlencode(fields).encode(), {
        "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})
    assert status in ((200, 400) if signed else (403,))


@SETTINGS
@given(body=st.binary(max_size=300), signature=header_values)
def test_whatsapp_any_bytes(servers, body, signature):
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
    status, _ = servers["whatsapp"].post("/webhooks/whatsapp/webhook", body, headers)
    assert status == 403
