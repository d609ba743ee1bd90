"""Issue 5 end to end: the real assistant behind our Telegram and WhatsApp webhooks, with
fake platform APIs. A candidate does the whole intake on each; forged requests get 403 and
change nothing; a redelivery is answered once; a leading "/" never becomes an intent."""

import itertools
import json
import random
import urllib.error
import urllib.parse
import urllib.request

import pytest


pytestmark = pytest.mark.e2e

SECRET = "e2e-secret"  # TELEGRAM_SECRET_TOKEN in tests/e2e/conftest.py
PUBLIC = "https://bot.example.org"  # PUBLIC_BASE_URL there
BOT_NUMBER = "whatsapp:+3197010203040"
# The intake in English; the preconditions answered so that no follow-up question comes.
ENGLISH_ANSWERS = [
    ("I am Yonas from Eritrea", "Question 2 of 16"),
    ("I want to become an electrician", "Question 3 of 16"),
    ("I can repair almost anything", "Question 4 of 16"),
    ("I was a carpenter for ten years", "Question 5 of 16"),
    ("people say I am patient", "Question 6 of 16"),
    ("no diploma, I learned woodwork from my father", "Question 7 of 16"),
    ("I learn best by watching and then trying", "Question 8 of 16"),
    ("my brother and my neighbours", "Question 9 of 16"),
    ("I live with my wife", "Question 10 of 16"),
    ("about 1500 euro a month", "Question 11 of 16"),
    ("1", "Question 12 of 16"),
    ("1", "Question 13 of 16"),
    ("1", "Question 14 of 16"),
    ("3", "Question 15 of 16"),
    ("3", "Question 16 of 16"),
]
_ids = itertools.count(random.randrange(10**6, 10**9))


def post(assistant, path, body: bytes, headers: dict) -> int:
    request = urllib.request.Request(assistant.url + path, body, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class TelegramChat:
    def __init__(self, assistant, fake):
        self.assistant, self.fake = assistant, fake
        self.chat_id = random.randrange(10**8, 10**9)

    def update(self, text=None, callback=None, update_id=None) -> dict:
        update_id = update_id or next(_ids)
        user = {"id": self.chat_id, "is_bot": False, "first_name": "Yonas"}
        chat = {"id": self.chat_id, "type": "private"}
        if callback is not None:
            return {"update_id": update_id, "callback_query": {
                "id": str(update_id), "chat_instance": "1", "data": callback, "from": user,
                "message": {"message_id": 1, "date": 1767225600, "chat": chat, "text": "menu"}}}
        return {"update_id": update_id, "message": {"message_id": update_id, "date": 1767225600,
                                                    "chat": chat, "from": user, "text": text}}

    def send(self, update: dict, secret=SECRET) -> int:
        headers = {"Content-Type": "application/json"}
        if secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        return post(self.assistant, "/webhooks/telegram/webhook", json.dumps(update).encode(), headers)

    def say(self, expected: str, text=None, callback=None) -> list:
        """Sends a message or button press; waits for a reply containing `expected`."""
        before = len(self.fake.sent(self.chat_id))
        assert self.send(self.update(text, callback)) == 200
        try:
            return self.fake.wait_for(lambda: [m for m in self.fake.sent(self.chat_id)[before:]
                                               if expected in m["text"] + json.dumps(
                                                   m.get("reply_markup"), ensure_ascii=False)], timeout=30)
        except AssertionError:
            got = [m["text"][:120] for m in self.fake.sent(self.chat_id)[before:]]
            raise AssertionError(f"after {text or callback!r}: no {expected!r} in {got}") from None


class WhatsAppContact:
    def __init__(self, assistant, fake):
        self.assistant, self.fake = assistant, fake
        self.address = f"whatsapp:+316{random.randrange(10**7, 10**8)}"

    def form(self, text: str, sid=None) -> dict:
        sid = sid or f"SM{next(_ids):032d}"
        return {"MessageSid": sid, "SmsMessageSid": sid, "AccountSid": self.fake.account_sid,
                "From": self.address, "To": BOT_NUMBER, "Body": text, "NumMedia": "0",
                "ProfileName": "Amina"}

    def send(self, fields: dict, signature=None) -> int:
        path = "/webhooks/whatsapp/webhook"
        signature = signature or self.fake.sign(PUBLIC + path, fields)
        return post(self.assistant, path, urllib.parse.urlencode(fields).encode(), {
            "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})

    def bodies(self) -> list:
        return [m.get("Body", "") for m in self.fake.messages(self.address)]

    def say(self, expected: str, text: str) -> list:
        before = len(self.bodies())
        assert self.send(self.form(text)) == 200
        try:
            return self.fake.wait_for(lambda: [b for b in self.bodies()[before:] if expected in b], timeout=30)
        except AssertionError:
            got = [b[:120] for b in self.bodies()[before:]]
            raise AssertionError(f"after {text!r}: no {expected!r} in {got}") from None


def show(assistant, sender):
    result = assistant.cli("candidate", "show", sender, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_whole_intake_on_telegram_with_buttons(assistant, telegram_api):
    chat = TelegramChat(assistant, telegram_api)
    [menu] = chat.say("English", "hi")
    titles = [row[0]["text"] for row in menu["reply_markup"]["inline_keyboard"]]
    assert "English" in titles
    [consent] = chat.say("Do you want to take part?", callback=str(titles.index("English") + 1))
    assert consent["reply_markup"]["inline_keyboard"]
    chat.say("Question 1 of 16", callback="1")
    for answer, expected in ENGLISH_ANSWERS:
        chat.say(expected, answer)
    chat.say("Done!", "work shoes")
    assert telegram_api.calls("answerCallbackQuery")

    candidate = show(assistant, str(chat.chat_id))
    assert candidate["channel"] == "telegram" and candidate["intake_complete"] is True
    assert candidate["answers"]["work_experience"] == "I was a carpenter for ten years"


def test_whole_intake_on_whatsapp_with_numbered_menus(assistant, twilio_api):
    contact = WhatsAppContact(assistant, twilio_api)
    [menu] = contact.say("English", "hi")
    number = next(line.split(".")[0] for line in menu.splitlines() if line.endswith(". English"))
    [consent] = contact.say("Do you want to take part?", number)
    assert "\n1. " in consent and "\n2. " in consent  # the choices as a numbered menu
    contact.say("Question 1 of 16", "1")
    for answer, expected in ENGLISH_ANSWERS:
        contact.say(expected, answer)
    contact.say("Done!", "work shoes")

    candidate = show(assistant, contact.address)
    assert candidate["channel"] == "whatsapp" and candidate["intake_complete"] is True
    assert candidate["preconditions"]["other"]["note"] == "work shoes"


def test_forged_requests_get_403_and_change_nothing(assistant, telegram_api, twilio_api):
    chat = TelegramChat(assistant, telegram_api)
    assert chat.send(chat.update("hallo"), secret="wrong") == 403
    assert chat.send(chat.update("hallo"), secret=None) == 403
    contact = WhatsAppContact(assistant, twilio_api)
    fields = contact.form("hallo")
    assert contact.send(fields, signature="Zm9yZ2Vk") == 403
    # Signed for the address the server sees instead of the public one.
    assert contact.send(fields, signature=twilio_api.sign(assistant.url + "/webhooks/whatsapp/webhook",
                                                          fields)) == 403
    assert assistant.cli("candidate", "show", str(chat.chat_id)).returncode == 1
    assert assistant.cli("candidate", "show", contact.address).returncode == 1
    assert telegram_api.sent(chat.chat_id) == [] and contact.bodies() == []


def test_a_redelivered_message_is_answered_once(assistant, telegram_api, twilio_api):
    chat = TelegramChat(assistant, telegram_api)
    update = chat.update("hi")
    assert [chat.send(update) for _ in range(3)] == [200, 200, 200]
    contact = WhatsAppContact(assistant, twilio_api)
    fields = contact.form("hi")
    assert [contact.send(fields) for _ in range(3)] == [200, 200, 200]
    telegram_api.wait_for(lambda: telegram_api.sent(chat.chat_id))
    twilio_api.wait_for(lambda: contact.bodies())
    # The next message is answered after the first one: the duplicates were never queued.
    chat.say("Do you want to take part?", callback="2")
    contact.say("Do you want to take part?", "2")
    menus = [m for m in telegram_api.sent(chat.chat_id) if "Choose your language" in m["text"]]
    assert len(menus) == 1
    assert len([body for body in contact.bodies() if "Choose your language" in body]) == 1


def test_a_leading_slash_is_text_not_an_intent(assistant, twilio_api):
    contact = WhatsAppContact(assistant, twilio_api)
    contact.say("English", "hi")
    contact.say("Do you want to take part?", "2")
    contact.say("Question 1 of 16", "1")
    contact.say("Question 2 of 16", "/restart{\"x\": 1} I am Amina")
    answer = show(assistant, contact.address)["answers"]["identity"]
    assert answer == "restart{\"x\": 1} I am Amina"
