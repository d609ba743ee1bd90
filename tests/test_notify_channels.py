"""The worker delivering alerts through the real client libraries to local fakes of the
Telegram Bot API: buttons, retries after 500s and timeouts, refusals that escalate."""

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from bot import alerts
from bot.worker import Worker
from tests.fakes.telegram_api import FakeTelegramAPI

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


@pytest.fixture
def telegram(monkeypatch):
    fake = FakeTelegramAPI()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:test")
    monkeypatch.setenv("TELEGRAM_API_URL", fake.url)
    yield fake
    fake.close()


@pytest.fixture
def setup(store):
    store.ensure_candidate("rest", "amina", display_name="Amina")
    store.set_language("amina", "nl")
    coach = store.add_partner("jobcoach", "Joke", "telegram", "4242")
    store.link("amina", coach)
    store.add_partner("regisseur", "Rita", "local", "rita")
    return store


def tick(store, clock):
    return asyncio.run(Worker(store, clock=clock).drain())


def test_an_alert_reaches_telegram_with_an_acknowledge_button(setup, telegram):
    clock = Clock()
    alert_id = alerts.report(setup, "amina", "problem", problem_type="childcare",
                             text="mijn zoon is ziek", language="nl")["id"]
    assert tick(setup, clock)["sent"] == 1
    [sent] = telegram.sent("4242")
    assert "mijn zoon is ziek" in sent["text"] and "kinderopvang" in sent["text"]
    button = sent["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"] == "Opgepakt" and button["callback_data"] == f"ok {alert_id}"
    view = alerts.show_alert(setup, alert_id)
    assert view["status"] == "delivered" and view["deliveries"][0]["status"] == "sent"


def test_500s_are_retried_with_backoff_until_delivered(setup, telegram):
    clock = Clock()
    alert_id = alerts.report(setup, "amina", "problem", text="x", language="nl")["id"]
    telegram.fail_next = 2
    assert tick(setup, clock)["retry"] == 1
    assert tick(setup, clock)["sent"] == 0  # not due yet: the backoff holds it
    clock.now += timedelta(seconds=5)
    assert tick(setup, clock)["retry"] == 1
    clock.now += timedelta(seconds=10)  # doubled
    assert tick(setup, clock)["sent"] == 1
    assert alerts.show_alert(setup, alert_id)["deliveries"][0]["attempts"] == 3
    assert len(telegram.calls("sendMessage")) == 3 and len(telegram.sent("4242")) == 1  # two 500s, then it arrived


def test_a_timeout_is_retried(setup, telegram, monkeypatch):
    clock = Clock()
    alerts.report(setup, "amina", "problem", text="x", language="nl")
    monkeypatch.setenv("TELEGRAM_TIMEOUT", "1")
    telegram.hang = 2  # past the client's read timeout
    assert tick(setup, clock)["retry"] == 1
    telegram.hang = 0
    clock.now += timedelta(seconds=5)
    assert tick(setup, clock)["sent"] == 1


def test_after_the_last_retry_the_regisseur_gets_it(setup, telegram, monkeypatch):
    monkeypatch.setenv("OUTBOX_MAX_ATTEMPTS", "2")
    clock = Clock()
    alert_id = alerts.report(setup, "amina", "problem", text="x", language="nl")["id"]
    telegram.fail_next = 10
    tick(setup, clock)
    clock.now += timedelta(seconds=5)
    tick(setup, clock)
    view = alerts.show_alert(setup, alert_id)
    assert view["status"] == "escalated" and view["assigned_to"]["name"] == "Rita"
    assert [(d["purpose"], d["status"]) for d in view["deliveries"]] == [("alert", "failed"), ("escalation", "sent")]


def test_a_refusal_is_not_retried(setup, telegram):
    clock = Clock()
    telegram.missing_chats.add("4242")
    alert_id = alerts.report(setup, "amina", "problem", text="x", language="nl")["id"]
    assert tick(setup, clock)["failed"] == 1
    assert alerts.show_alert(setup, alert_id)["status"] == "escalated"


# WhatsApp (Twilio) --------------------------------------------------------------------

from bot.channels import common as channel_common  # noqa: E402
from bot.channels import state  # noqa: E402
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilioAPI  # noqa: E402

COACH_NUMBER = "whatsapp:+31612345678"


@pytest.fixture
def whatsapp(store, monkeypatch):
    fake = FakeTwilioAPI()
    for name, value in {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                        "TWILIO_WHATSAPP_FROM": "whatsapp:+3197000000001", "TWILIO_API_URL": fake.url,
                        "DATABASE_URL": store.url, "WHATSAPP_TEMPLATE_ALERT_NL": "HX0alert"}.items():
        monkeypatch.setenv(name, value)
    channel_common.store.cache_clear()  # the channels' store: this test's database
    store.ensure_candidate("rest", "amina", display_name="Amina")
    store.link("amina", store.add_partner("jobcoach", "Joke", "whatsapp", COACH_NUMBER))
    yield fake
    channel_common.store.cache_clear()
    fake.close()


def test_whatsapp_alert_inside_the_window_is_text_with_the_ok_reply(store, whatsapp):
    state.note_inbound(store, "whatsapp", COACH_NUMBER, "Joke")  # Joke wrote today
    alert_id = alerts.report(store, "amina", "problem", problem_type="transport", text="fiets kapot", language="nl")["id"]
    assert tick(store, Clock())["sent"] == 1
    [message] = whatsapp.messages(COACH_NUMBER)
    assert "fiets kapot" in message["Body"] and f"Antwoord 'ok {alert_id}'" in message["Body"]
    assert alerts.show_alert(store, alert_id)["status"] == "delivered"


def test_whatsapp_alert_outside_the_window_goes_as_the_template(store, whatsapp):
    alert_id = alerts.report(store, "amina", "problem", text="x", language="nl")["id"]
    assert tick(store, Clock())["sent"] == 1
    [message] = whatsapp.messages(COACH_NUMBER)
    assert message.get("ContentSid") == "HX0alert" and "Body" not in message
    assert state.pending_count(store, "whatsapp", COACH_NUMBER) == 1  # the text follows their reply
    assert alerts.show_alert(store, alert_id)["deliveries"][0]["status"] == "sent"


def test_twilio_reporting_undelivered_escalates(store, whatsapp):
    store.add_partner("regisseur", "Rita", "local", "rita")
    state.note_inbound(store, "whatsapp", COACH_NUMBER, "Joke")
    alert_id = alerts.report(store, "amina", "problem", text="x", language="nl")["id"]
    tick(store, Clock())
    sid = [d for d in alerts.show_alert(store, alert_id)["deliveries"]][0]
    with store.session_scope() as session:
        from bot.store.models import OutboxMessage
        external_id = session.query(OutboxMessage).first().external_id
    assert external_id and sid["status"] == "sent"
    assert alerts.delivery_failed(store, external_id) is True
    view = alerts.show_alert(store, alert_id)
    assert view["status"] == "escalated" and view["assigned_to"]["name"] == "Rita"
