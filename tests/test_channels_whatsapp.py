"""The WhatsApp connector and sending API against a local fake of Twilio's Messages API,
with webhooks signed by twilio's real RequestValidator over the public URL."""

import asyncio
import urllib.parse
from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.channels import state
from bot.channels.errors import ChannelError
from bot.channels.models import ChannelContact
from bot.channels.whatsapp import api
from bot.channels.whatsapp.connector import WhatsAppInput
from bot.store.models import utcnow
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilioAPI
from tests.test_channels_harness import ConnectorServer, channel_store  # noqa: F401 (fixture)

PUBLIC = "https://bot.example.org"  # what Twilio calls; the test server sees 127.0.0.1
PATH, STATUS_PATH = "/webhooks/whatsapp/webhook", "/webhooks/whatsapp/status"
AMINA = "whatsapp:+31612345678"
BOT_NUMBER = "whatsapp:+3197010203040"
TEMPLATE = "HX" + "a" * 32


@pytest.fixture
def twilio(monkeypatch):
    fake = FakeTwilioAPI()
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    monkeypatch.setenv("TWILIO_WHATSAPP_FROM", "+31 970 1020 3040")
    monkeypatch.setenv("TWILIO_API_URL", fake.url)
    monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC + "/")
    monkeypatch.setenv("WHATSAPP_TEMPLATE_ALERT_NL", TEMPLATE)
    yield fake
    fake.close()


async def menu_reply(message):
    await message.output_channel.send_response(message.sender_id, {
        "text": f"Je schreef: {message.text}",
        "buttons": [{"title": "Ja", "payload": "1"}, {"title": "Nee", "payload": "2"}]})


@pytest.fixture
def server(twilio, channel_store):
    instance = ConnectorServer(WhatsAppInput(), reply=menu_reply)
    yield instance
    instance.close()


def form(sid: str, body: str = "hallo", sender: str = AMINA, **extra) -> dict:
    fields = {"SmsMessageSid": sid, "MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": sender,
              "To": BOT_NUMBER, "Body": body, "NumMedia": "0", "ProfileName": "Amina",
              "WaId": sender.split("+")[-1], "ApiVersion": "2010-04-01", "NumSegments": "1"}
    fields.update(extra)
    return fields


def post(server, twilio, fields: dict, path: str = PATH, signature: str = None, signed_url: str = None):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is None:
        signature = twilio.sign(signed_url or PUBLIC + path, fields)
    if signature:
        headers["X-Twilio-Signature"] = signature
    return server.post(path, urllib.parse.urlencode(fields).encode(), headers)


def wait_messages(server, twilio, count):
    twilio.wait_for(lambda: len(server.messages) >= count, timeout=10)
    return server.messages


def test_a_signed_message_reaches_rasa_and_the_reply_is_a_numbered_menu(server, twilio, channel_store):
    status, body = post(server, twilio, form("SM1"))
    assert status == 200 and b"<Response>" in body
    [message] = wait_messages(server, twilio, 1)
    assert (message.text, message.sender_id, message.input_channel) == ("hallo", AMINA, "whatsapp")
    assert message.output_channel.name() == "whatsapp"
    assert message.metadata == {"channel_message_id": "SM1", "display_name": "Amina"}
    [sent] = twilio.wait_for(lambda: twilio.messages(AMINA))
    assert sent["Body"] == "Je schreef: hallo\n\n1. Ja\n2. Nee"
    assert sent["From"] == BOT_NUMBER
    assert sent["StatusCallback"] == PUBLIC + STATUS_PATH
    assert state.display_name(channel_store, "whatsapp", AMINA) == "Amina"


@pytest.mark.parametrize("how", ["missing", "forged", "other_url", "other_body", "other_token"])
def test_a_forged_or_missing_signature_gets_403_and_changes_nothing(server, twilio, how):
    fields = form("SM2")
    kwargs = {
        "missing": dict(signature=""),
        "forged": dict(signature="bm90IGEgc2lnbmF0dXJl"),
        "other_url": dict(signed_url=server.url + PATH),  # what the server sees, not the public URL
        "other_body": dict(signature=twilio.sign(PUBLIC + PATH, form("SM2", body="iets anders"))),
        "other_token": dict(signature=FakeTwilioAPI(auth_token="another-token").sign(PUBLIC + PATH, fields)),
    }[how]
    assert post(server, twilio, fields, **kwargs)[0] == 403
    assert server.messages == [] and twilio.requests == []
    assert post(server, twilio, fields)[0] == 200  # the id was not spent
    wait_messages(server, twilio, 1)


def test_a_retried_message_sid_is_processed_once(server, twilio):
    for _ in range(3):
        assert post(server, twilio, form("SM3"))[0] == 200
    twilio.wait_for(lambda: twilio.messages(AMINA))
    assert post(server, twilio, form("SM4", body="tweede"))[0] == 200
    wait_messages(server, twilio, 2)
    assert [m.text for m in server.messages] == ["hallo", "tweede"]


def test_a_slash_never_reaches_rasa_as_an_intent(server, twilio):
    post(server, twilio, form("SM5", body="/stop"))
    [message] = wait_messages(server, twilio, 1)
    assert message.text == "stop" and message.metadata["command"] is True


def test_a_voice_note_is_media_metadata_and_fetched_with_the_account_credentials(server, twilio):
    url = twilio.media_url("audio/ogg", b"OggS-voice")
    post(server, twilio, form("SM6", body="", NumMedia="1", MediaUrl0=url, MediaContentType0="audio/ogg"))
    [message] = wait_messages(server, twilio, 1)
    assert message.text == ""
    assert message.metadata["media"] == [{"type": "voice", "reference": url, "content_type": "audio/ogg"}]
    assert asyncio.run(api.fetch_media(url)) == (b"OggS-voice", "audio/ogg")
    assert twilio.requests[-1]["auth"] == (ACCOUNT_SID, AUTH_TOKEN)


def test_media_elsewhere_is_never_fetched_with_our_credentials(twilio):
    with pytest.raises(ChannelError) as refused:
        asyncio.run(api.fetch_media("https://evil.example.org/2010-04-01/Accounts/x/Media/1"))
    assert refused.value.retryable is False
    assert twilio.requests == []


def test_images_documents_and_a_location(server, twilio):
    image, pdf = twilio.media_url("image/jpeg", b"jpg"), twilio.media_url("application/pdf", b"%PDF")
    post(server, twilio, form("SM7", body="mijn rooster", NumMedia="2", MediaUrl0=image,
                              MediaContentType0="image/jpeg", MediaUrl1=pdf, MediaContentType1="application/pdf"))
    post(server, twilio, form("SM8", body="", Latitude="52.37", Longitude="4.89"))
    messages = {m.metadata["channel_message_id"]: m for m in wait_messages(server, twilio, 2)}
    assert messages["SM7"].text == "mijn rooster"
    assert [item["type"] for item in messages["SM7"].metadata["media"]] == ["image", "document"]
    assert messages["SM8"].metadata["media"] == [{"type": "location", "reference": "52.37,4.89", "content_type": None}]


def test_the_webhook_answers_at_once_while_twilio_is_slow(server, twilio):
    twilio.hang = 3.0
    fields = form("SM9")
    status, _ = server.post(PATH, urllib.parse.urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded",
                             "X-Twilio-Signature": twilio.sign(PUBLIC + PATH, fields)}, timeout=1.0)
    assert status == 200
    twilio.wait_for(lambda: twilio.messages(AMINA), timeout=15)


def test_a_failing_twilio_is_retried_until_the_reply_arrives(server, twilio):
    twilio.fail_next = 2
    post(server, twilio, form("SM10"))
    twilio.wait_for(lambda: len(twilio.messages(AMINA)) == 3, timeout=15)
    assert [r.get("Body", "").startswith("Je schreef") for r in twilio.messages(AMINA)] == [True] * 3


def set_last_inbound(store, address, hours_ago):
    with store.session_scope() as session:
        session.execute(update(ChannelContact).where(ChannelContact.address == address)
                        .values(last_inbound_at=utcnow() - timedelta(hours=hours_ago)))


def test_outside_the_window_a_template_goes_and_the_full_text_follows_the_reply(server, twilio, channel_store):
    sid = api.send_text("+31 6 1234 5678", "Nieuw probleem bij Amina: kinderopvang.", purpose="alert",
                        language="nl", variables={"1": "Amina"})
    [template] = twilio.messages(AMINA)
    assert template["ContentSid"] == TEMPLATE and "Body" not in template
    assert template["ContentVariables"] == '{"1": "Amina"}'
    assert sid.startswith("SM") and state.pending_count(channel_store, "whatsapp", AMINA) == 1

    post(server, twilio, form("SM11", body="ok"))
    twilio.wait_for(lambda: len(twilio.messages(AMINA)) == 3)
    bodies = [m.get("Body") for m in twilio.messages(AMINA)]
    assert bodies[1:] == ["Nieuw probleem bij Amina: kinderopvang.", "Je schreef: ok\n\n1. Ja\n2. Nee"]
    assert state.pending_count(channel_store, "whatsapp", AMINA) == 0


def test_the_window_closes_after_24_hours(server, twilio, channel_store):
    post(server, twilio, form("SM12"))
    twilio.wait_for(lambda: twilio.messages(AMINA))
    assert "Body" in twilio.messages(AMINA)[-1] and api.send_text(AMINA, "binnen", "alert")
    assert twilio.messages(AMINA)[-1]["Body"] == "binnen"
    set_last_inbound(channel_store, AMINA, 25)
    api.send_text(AMINA, "buiten", "alert")
    assert twilio.messages(AMINA)[-1]["ContentSid"] == TEMPLATE


def test_twilio_saying_outside_the_window_falls_back_to_the_template(server, twilio, channel_store):
    post(server, twilio, form("SM13"))
    twilio.wait_for(lambda: twilio.messages(AMINA))
    twilio.outside_window.add(AMINA)
    api.send_text(AMINA, "toch buiten", "alert")
    assert twilio.messages(AMINA)[-1]["ContentSid"] == TEMPLATE
    assert state.pending_count(channel_store, "whatsapp", AMINA) == 1


def test_without_a_template_the_error_says_so_and_the_text_still_waits(twilio, channel_store, monkeypatch):
    monkeypatch.delenv("WHATSAPP_TEMPLATE_ALERT_NL")
    with pytest.raises(ChannelError) as error:
        asyncio.run(api.send_text_async(AMINA, "Nieuw bericht", "alert", "ti"))
    assert error.value.code == "no_template" and error.value.retryable is False
    assert twilio.requests == [] and state.pending_count(channel_store, "whatsapp", AMINA) == 1


def test_long_texts_are_split_at_the_limit(server, twilio):
    post(server, twilio, form("SM14"))
    twilio.wait_for(lambda: twilio.messages(AMINA))
    text = "Dit is een zin over de bouwplaats. " * 100  # 3,500 characters
    api.send_text(AMINA, text)
    parts = [m["Body"] for m in twilio.messages(AMINA)[1:]]
    assert len(parts) == 3 and all(len(p) <= 1600 and p.endswith("bouwplaats.") for p in parts)


def test_send_errors_say_whether_to_retry(twilio, channel_store):
    state.note_inbound(channel_store, "whatsapp", "whatsapp:+31600000000", None)
    twilio.missing.add("whatsapp:+31600000000")
    with pytest.raises(ChannelError) as refused:
        api.send_text("whatsapp:+31600000000", "hallo")
    assert (refused.value.retryable, refused.value.code) == (False, "21211")
    twilio.missing.clear()
    twilio.fail_next = 5
    with pytest.raises(ChannelError) as failing:
        api.send_text("whatsapp:+31600000000", "hallo", attempts=2)
    assert failing.value.retryable is True
    with pytest.raises(ChannelError) as bad:
        api.send_text("not a number", "hallo")
    assert bad.value.code == "bad_address"


@pytest.mark.parametrize("status,reported", [("delivered", False), ("failed", True), ("undelivered", True)])
def test_status_callbacks_are_recorded_and_failures_reported(server, twilio, channel_store, status, reported):
    """An alert really sent to a jobcoach on WhatsApp (by the worker, through the fake
    Twilio); Twilio reports its fate; a failure escalates the alert to the regisseur."""
    import asyncio

    from bot import alerts
    from bot.channels import state as channel_state
    from bot.worker import Worker

    channel_store.ensure_candidate("rest", "amina-sc")
    coach = channel_store.add_partner("jobcoach", "Joke", "whatsapp", AMINA)
    channel_store.link("amina-sc", coach)
    channel_store.add_partner("regisseur", "Rita", "local", "rita")
    channel_state.note_inbound(channel_store, "whatsapp", AMINA, "Joke")  # inside the window
    alert_id = alerts.report(channel_store, "amina-sc", "problem", text="x", language="nl")["id"]
    asyncio.run(Worker(channel_store).drain())
    assert len(twilio.messages(AMINA)) == 1
    sid = sent_sid(channel_store)
    fields = {"MessageSid": sid, "MessageStatus": status, "AccountSid": ACCOUNT_SID,
              "To": AMINA, "From": BOT_NUMBER, "ErrorCode": "63024" if reported else ""}
    assert post(server, twilio, fields, STATUS_PATH)[0] == 200
    assert state.delivery_status(channel_store, sid) == status
    view = alerts.show_alert(channel_store, alert_id)
    assert view["status"] == ("escalated" if reported else "delivered")
    assert (view["assigned_to"]["name"] == "Rita") is reported
    assert post(server, twilio, fields, STATUS_PATH, signature="Zm9yZ2Vk")[0] == 403


def sent_sid(store) -> str:
    """The MessageSid Twilio gave the alert, as the worker recorded it."""
    from bot.store.models import OutboxMessage

    with store.session_scope() as session:
        return session.query(OutboxMessage).filter_by(purpose="alert").one().external_id


def test_a_failed_status_for_a_message_that_was_no_alert_goes_to_the_real_alerts_code(server, twilio, channel_store):
    from bot.channels.whatsapp.connector import report_failed_delivery

    assert report_failed_delivery("SMnot-an-alert") is False
    fields = {"MessageSid": "SM98", "MessageStatus": "undelivered", "AccountSid": ACCOUNT_SID, "ErrorCode": "63016"}
    assert post(server, twilio, fields, STATUS_PATH)[0] == 200
    assert state.delivery_status(channel_store, "SM98") == "undelivered"
