"""The Telegram connector and sending API against a local fake of the Bot API."""

import asyncio
import json

import pytest

from bot.channels import state
from bot.channels.errors import ChannelError
from bot.channels.telegram import api
from bot.channels.telegram.connector import TelegramInput
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.test_channels_harness import ConnectorServer, channel_store  # noqa: F401 (fixture)

SECRET = "s3cret-Token_for-tests"
PATH = "/webhooks/telegram/webhook"
CHAT = 4242


@pytest.fixture
def telegram(monkeypatch):
    fake = FakeTelegramAPI()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-token")
    monkeypatch.setenv("TELEGRAM_SECRET_TOKEN", SECRET)
    monkeypatch.setenv("TELEGRAM_API_URL", fake.url)
    yield fake
    fake.close()


async def menu_reply(message):
    """Replies as Rasa does after our NLG rendered a choice for a button channel."""
    await message.output_channel.send_response(message.sender_id, {
        "text": f"Je schreef: {message.text}",
        "buttons": [{"title": "Ja", "payload": "1"}, {"title": "Nee", "payload": "2"}]})


@pytest.fixture
def server(telegram, channel_store):
    instance = ConnectorServer(TelegramInput(), reply=menu_reply)
    yield instance
    instance.close()


def update(update_id: int, **message) -> dict:
    body = {"message_id": update_id, "date": 1767225600, "chat": {"id": CHAT, "type": "private"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "Amina", "last_name": "Haddad"}}
    body.update(message)
    return {"update_id": update_id, "message": body}


def post(server, payload, secret=SECRET):
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return server.post(PATH, data, headers)


def wait_messages(server, count, telegram=None):
    telegram = telegram or FakeTelegramAPI.__new__(FakeTelegramAPI)
    FakeTelegramAPI.wait_for(telegram, lambda: len(server.messages) >= count, timeout=10)
    return server.messages


def test_a_message_reaches_rasa_with_its_metadata_and_the_reply_has_buttons(server, telegram, channel_store):
    status, _ = post(server, update(1, text="hallo"))
    assert status == 200
    [message] = wait_messages(server, 1)
    assert (message.text, message.sender_id, message.input_channel) == ("hallo", str(CHAT), "telegram")
    assert message.output_channel.name() == "telegram"
    assert message.metadata == {"channel_message_id": "1", "display_name": "Amina Haddad"}
    [sent] = telegram.wait_for(lambda: telegram.sent(CHAT))
    assert sent["text"] == "Je schreef: hallo"
    assert sent["reply_markup"] == {"inline_keyboard": [
        [{"text": "Ja", "callback_data": "1"}], [{"text": "Nee", "callback_data": "2"}]]}
    assert state.display_name(channel_store, "telegram", str(CHAT)) == "Amina Haddad"


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", SECRET.upper()])
def test_a_missing_or_wrong_secret_gets_403_and_changes_nothing(server, telegram, channel_store, secret):
    status, _ = post(server, update(7, text="hallo"), secret=secret)
    assert status == 403
    assert server.messages == [] and telegram.requests == []
    # The update id was not spent: the real one still goes through.
    assert post(server, update(7, text="hallo"))[0] == 200
    wait_messages(server, 1)


def test_a_redelivered_update_is_processed_once(server, telegram):
    for _ in range(3):
        assert post(server, update(11, text="hallo"))[0] == 200
    wait_messages(server, 1)
    telegram.wait_for(lambda: telegram.sent(CHAT))
    assert post(server, update(12, text="nog iets"))[0] == 200
    wait_messages(server, 2)
    assert [m.text for m in server.messages] == ["hallo", "nog iets"]


@pytest.mark.parametrize("payload", [
    {"update_id": 21, "edited_message": update(21, text="hallo")["message"]},
    {"update_id": 22, "my_chat_member": {
        "chat": {"id": CHAT, "type": "private"}, "from": {"id": CHAT, "is_bot": False, "first_name": "A"},
        "date": 1767225600,
        "old_chat_member": {"status": "member", "user": {"id": 1, "is_bot": True, "first_name": "B"}},
        "new_chat_member": {"status": "kicked", "until_date": 0,
                            "user": {"id": 1, "is_bot": True, "first_name": "B"}}}},
    {"update_id": 23, "channel_post": {"message_id": 1, "date": 1767225600,
                                       "chat": {"id": -100, "type": "channel"}, "text": "x"}},
])
def test_updates_it_does_not_handle_get_200_and_no_reply(server, telegram, payload):
    assert post(server, payload)[0] == 200
    assert post(server, update(24, text="hallo"))[0] == 200  # a later message still works
    wait_messages(server, 1)
    assert [m.text for m in server.messages] == ["hallo"]


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'{"update_id": "x"}',
                                  b'{"update_id": 5, "message": {"chat": 3}}'])
def test_malformed_updates_get_400(server, body):
    assert post(server, body)[0] == 400
    assert server.messages == []


def test_a_button_press_becomes_its_payload_and_is_answered(server, telegram):
    press = {"update_id": 31, "callback_query": {
        "id": "cbq-1", "chat_instance": "ci", "data": "2",
        "from": {"id": CHAT, "is_bot": False, "first_name": "Amina"},
        "message": {"message_id": 900, "date": 1767225600, "text": "Kies",
                    "chat": {"id": CHAT, "type": "private"}}}}
    assert post(server, press)[0] == 200
    [message] = wait_messages(server, 1)
    assert (message.text, message.sender_id) == ("2", str(CHAT))
    [answer] = telegram.wait_for(lambda: telegram.calls("answerCallbackQuery"))
    assert answer["params"]["callback_query_id"] == "cbq-1"


@pytest.mark.parametrize("text,expected", [("/stop", "stop"), ("/start", "start"),
                                           ("/greet{\"name\": \"x\"}", "greet{\"name\": \"x\"}"),
                                           ("//restart", "restart"), ("/stop@KorteLijnenBot", "stop")])
def test_a_slash_command_never_reaches_rasa_as_an_intent(server, text, expected):
    assert post(server, update(41, text=text))[0] == 200
    [message] = wait_messages(server, 1)
    assert message.text == expected and not message.text.startswith("/")
    assert message.metadata["command"] is True


def test_a_voice_note_comes_as_media_metadata_and_can_be_fetched(server, telegram):
    telegram.files["voice-1"] = ("voice/file_7.oga", b"OggS-voice")
    voice = {"file_id": "voice-1", "file_unique_id": "u1", "duration": 3, "mime_type": "audio/ogg"}
    assert post(server, update(51, voice=voice))[0] == 200
    [message] = wait_messages(server, 1)
    assert message.text == ""
    assert message.metadata["media"] == [{"type": "voice", "reference": "voice-1", "content_type": "audio/ogg"}]
    data, content_type = server.run(api.fetch_media("voice-1"))
    assert (data, content_type) == (b"OggS-voice", "audio/ogg")
    assert telegram.calls("download")[0]["path"] == "voice/file_7.oga"


def test_photo_caption_document_and_location(server):
    photo = [{"file_id": "small", "file_unique_id": "s", "width": 90, "height": 90},
             {"file_id": "large", "file_unique_id": "l", "width": 1280, "height": 960}]
    post(server, update(61, photo=photo, caption="mijn rooster"))
    post(server, update(62, document={"file_id": "doc", "file_unique_id": "d", "mime_type": "application/pdf"}))
    post(server, update(63, location={"latitude": 52.37, "longitude": 4.89}))
    messages = wait_messages(server, 3)
    by_id = {m.metadata["channel_message_id"]: m for m in messages}
    assert by_id["61"].text == "mijn rooster"
    assert by_id["61"].metadata["media"] == [{"type": "image", "reference": "large", "content_type": "image/jpeg"}]
    assert by_id["62"].metadata["media"][0]["type"] == "document"
    assert by_id["63"].metadata["media"] == [{"type": "location", "reference": "52.37,4.89", "content_type": None}]


def test_the_webhook_answers_at_once_while_the_api_is_slow_and_the_reply_follows(server, telegram):
    telegram.hang = 2.0
    status, _ = server.post(PATH, json.dumps(update(71, text="hallo")).encode(),
                            {"Content-Type": "application/json",
                             "X-Telegram-Bot-Api-Secret-Token": SECRET}, timeout=1.0)
    assert status == 200
    telegram.wait_for(lambda: telegram.sent(CHAT), timeout=15)


def test_a_failing_api_is_retried_until_the_reply_arrives(server, telegram):
    telegram.fail_next = 2
    assert post(server, update(81, text="hallo"))[0] == 200
    [sent] = telegram.wait_for(lambda: telegram.sent(CHAT), timeout=15)
    assert sent["text"] == "Je schreef: hallo"
    assert len(telegram.calls("sendMessage")) == 3


def test_send_text_splits_long_texts_and_puts_the_buttons_on_the_last_part(telegram):
    sentence = "Dit is een zin over het werk op de bouwplaats. "
    text = sentence * 200  # about 9,400 characters
    message_id = asyncio.run(api.send_text(str(CHAT), text, [{"title": "OK", "payload": "1"}]))
    parts = telegram.sent(CHAT)
    assert len(parts) == 3 and message_id == "1003"
    assert all(len(part["text"]) <= 4096 and part["text"].endswith("bouwplaats.") for part in parts)
    assert " ".join(part["text"] for part in parts) == text.strip()
    assert [("reply_markup" in part) for part in parts] == [False, False, True]


def test_send_text_errors_say_whether_to_retry(telegram, monkeypatch):
    telegram.missing_chats.add("404404")
    with pytest.raises(ChannelError) as refused:
        asyncio.run(api.send_text("404404", "hallo"))
    assert refused.value.retryable is False and "chat not found" in str(refused.value).lower()

    telegram.fail_next = 10
    with pytest.raises(ChannelError) as failing:
        asyncio.run(api.send_text(str(CHAT), "hallo", attempts=2))
    assert failing.value.retryable is True
    assert len(telegram.calls("sendMessage")) == 3  # one refused, two failing attempts

    telegram.fail_next = 0
    monkeypatch.setenv("TELEGRAM_TIMEOUT", "1")
    telegram.hang = 2  # longer than the client's read timeout
    with pytest.raises(ChannelError) as slow:
        asyncio.run(api.send_text(str(CHAT), "hallo", attempts=1))
    assert slow.value.retryable is True and slow.value.code == "timeout"
    telegram.hang = 0


def test_set_webhook_registers_the_url_a_new_secret_and_the_update_kinds(telegram, monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setenv("PUBLIC_BASE_URL", "https://bot.example.org")
    assert main(["telegram", "set-webhook", "--new-secret"]) == 0
    [call] = telegram.calls("setWebhook")
    assert call["params"]["url"] == "https://bot.example.org/webhooks/telegram/webhook"
    assert call["params"]["allowed_updates"] == ["message", "callback_query"]
    secret = call["params"]["secret_token"]
    assert secret != SECRET and len(secret) >= 32
    assert f"TELEGRAM_SECRET_TOKEN={secret}" in capsys.readouterr().out
    # Without --new-secret the servers' secret stays.
    assert main(["telegram", "set-webhook"]) == 0
    assert telegram.calls("setWebhook")[-1]["params"]["secret_token"] == SECRET
    monkeypatch.delenv("PUBLIC_BASE_URL")
    assert main(["telegram", "set-webhook"]) == 1
    assert "PUBLIC_BASE_URL" in capsys.readouterr().err
