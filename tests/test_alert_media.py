"""A file a candidate sent reaches the jobcoach: fetched with the channel's credentials from
local fakes of Twilio and Telegram, through the real client libraries."""

import pytest

from bot import alerts
from bot.channels import common as channel_common
from bot.notify.media import save_attachments
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilioAPI


def test_a_whatsapp_voice_note_is_fetched_with_the_account(store, tmp_path, monkeypatch):
    twilio = FakeTwilioAPI()
    try:
        for name, value in {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                            "TWILIO_WHATSAPP_FROM": "whatsapp:+3197000000001", "TWILIO_API_URL": twilio.url,
                            "DATABASE_URL": store.url}.items():
            monkeypatch.setenv(name, value)
        channel_common.store.cache_clear()
        url = twilio.media_url("audio/ogg", b"OggS-voice")
        store.ensure_candidate("whatsapp", "whatsapp:+31611112222")
        alert_id = alerts.report(store, "whatsapp:+31611112222", "media",
                                 attachment=[{"type": "voice", "reference": url, "content_type": "audio/ogg"},
                                             {"type": "location", "reference": "52.1,5.1"}])["id"]
        [path] = save_attachments(store, alert_id, tmp_path)
        assert path.read_bytes() == b"OggS-voice" and path.suffix in (".oga", ".ogg", ".opus")
        media_calls = [r for r in twilio.requests if r["method"] == "GET"]
        assert media_calls and all(r["auth"] == (ACCOUNT_SID, AUTH_TOKEN) for r in media_calls)
    finally:
        channel_common.store.cache_clear()
        twilio.close()


def test_a_telegram_photo_is_fetched_by_file_id(store, tmp_path, monkeypatch):
    telegram = FakeTelegramAPI()
    try:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:t")
        monkeypatch.setenv("TELEGRAM_API_URL", telegram.url)
        telegram.files["AgAD-photo"] = ("photos/file_1.jpg", b"\xff\xd8jpeg")
        store.ensure_candidate("telegram", "4242")
        alert_id = alerts.report(store, "4242", "media", attachment=[{"type": "image", "reference": "AgAD-photo"}])["id"]
        [path] = save_attachments(store, alert_id, tmp_path)
        assert path.read_bytes() == b"\xff\xd8jpeg" and path.suffix == ".jpg"
    finally:
        telegram.close()


def test_an_unknown_alert(store, tmp_path):
    with pytest.raises(alerts.UnknownAlert):
        save_attachments(store, 404, tmp_path)
