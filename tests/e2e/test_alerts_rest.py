"""Issue 4 end to end: a candidate mid-intake reports a problem over REST; the jobcoach's
(fake) Telegram receives the alert within a second, the Opgepakt button acknowledges it,
the candidate is told, and the intake goes on at the question where it stopped."""

import json
import time
import uuid

import pytest

from bot.i18n.render import render
from tests.e2e.test_languages import expected_question, plain

pytestmark = pytest.mark.e2e

# (menu number, the problem as people write it, what the first answer says)
REPORTS = {
    "nl": ("1", "ik kan morgen niet komen, mijn zoon is ziek", "Ik ben Amina uit Syrië"),
    "ar": ("3", "ما بقدر اجي بكرا، ابني مريض", "انا أمينة من سوريا"),
    "ti": ("4", "ጽባሕ ክመጽእ ኣይክእልን እየ፣ ወደይ ሓሚሙ", "ኣነ ሳባ እየ ካብ ኤርትራ"),
}


def catalog_text(response, language):
    return plain(render(response, language, "collector", {})["text"])


def cli_json(assistant, *args):
    result = assistant.cli(*args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def add_jobcoach(assistant, sender, chat_id):
    result = assistant.cli("partner", "add", "--role", "jobcoach", "--name", f"Coach {chat_id}",
                           "--channel", "telegram", "--address", chat_id)
    assert result.returncode == 0, result.stderr
    partner_id = result.stdout.strip().splitlines()[-1]
    assert assistant.cli("link", sender, partner_id).returncode == 0
    return int(partner_id)


def press_button(assistant, telegram_api, chat_id, payload):
    """The jobcoach presses an inline button: Telegram posts a callback query to our webhook."""
    update = {"update_id": int(time.time() * 1000) % 2_000_000_000, "callback_query": {
        "id": uuid.uuid4().hex, "chat_instance": "1", "data": payload,
        "from": {"id": int(chat_id), "is_bot": False, "first_name": "Coach"},
        "message": {"message_id": 1, "date": int(time.time()),
                    "chat": {"id": int(chat_id), "type": "private"}, "text": "Melding"}}}
    return assistant.post("/webhooks/telegram/webhook", update,
                          {"X-Telegram-Bot-Api-Secret-Token": "e2e-secret"})


@pytest.mark.parametrize("language", sorted(REPORTS))
def test_a_problem_mid_intake_reaches_the_jobcoach_and_the_intake_goes_on(assistant, telegram_api, language):
    number, problem, first_answer = REPORTS[language]
    sender, chat_id = f"e2e-{uuid.uuid4().hex[:10]}", str(70000 + len(telegram_api.requests) + hash(language) % 1000)
    assistant.say(sender, "hi")
    assistant.say(sender, number)
    assistant.say(sender, "1")  # consent
    assert expected_question("motivation", language) in plain(assistant.texts(sender, first_answer))
    add_jobcoach(assistant, sender, chat_id)

    started = time.monotonic()
    reply = plain(assistant.texts(sender, problem))
    alert_message = telegram_api.wait_for(lambda: telegram_api.sent(chat_id), timeout=10)[0]
    elapsed = time.monotonic() - started
    assert elapsed <= 1.0, f"the alert took {elapsed:.2f} s"
    assert catalog_text("utter_problem_follow_up", language) in reply
    assert "kinderopvang" in alert_message["text"] and problem in alert_message["text"]
    [alert] = [a for a in cli_json(assistant, "alerts", "--json") if a["sender_id"] == sender]
    assert alert["problem_type"] == "childcare" and alert["status"] == "delivered"
    assert alert["text"] == problem and alert["text_nl"] in (problem, f"[nl] {problem}")

    # "3": longer. The thanks, then the question where the intake stopped.
    reply = plain(assistant.texts(sender, "3"))
    assert catalog_text("utter_problem_passed_on", language) in reply
    assert expected_question("motivation", language) in reply

    button = alert_message["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"] == "Opgepakt"
    assert press_button(assistant, telegram_api, chat_id, button["callback_data"]) == 200
    confirmation = telegram_api.wait_for(lambda: [m for m in telegram_api.sent(chat_id) if "opgepakt" in m["text"]])
    assert str(alert["id"]) in confirmation[0]["text"]
    life = cli_json(assistant, "alerts", "show", str(alert["id"]))
    assert life["status"] == "acknowledged" and life["acknowledged_by"]["name"] == f"Coach {chat_id}"
    assert life["follow_up"] == "longer"
    deadline = time.monotonic() + 5
    while "ack_notice" not in [d["purpose"] for d in life["deliveries"] if d["status"] == "sent"]:
        assert time.monotonic() < deadline, life["deliveries"]
        time.sleep(0.2)
        life = cli_json(assistant, "alerts", "show", str(alert["id"]))

    reply = plain(assistant.texts(sender, "elektricien" if language == "nl" else "كهربائي" if language == "ar" else "ኤሌክትሪሽያን"))
    assert expected_question("capabilities", language) in reply


def test_an_answer_about_children_is_not_a_report(assistant):
    sender = f"e2e-{uuid.uuid4().hex[:10]}"
    for text in ("hi", "2", "1"):
        assistant.say(sender, text)
    for answer in ["I am Amina", "electrician", "I can fix things", "carpenter", "patient",
                   "no diploma", "in a team", "my brother"]:
        assistant.say(sender, answer)
    reply = assistant.texts(sender, "I have three small children")
    assert "Question 10 of 16" in reply
    assert [a for a in cli_json(assistant, "alerts", "--json") if a["sender_id"] == sender] == []


def test_safety_gets_emergency_numbers_and_a_local_jobcoach_acknowledges_by_chat(assistant):
    sender, coach = f"e2e-{uuid.uuid4().hex[:10]}", f"coach-{uuid.uuid4().hex[:6]}"
    assistant.say(sender, "hi")
    assistant.say(sender, "1")
    result = assistant.cli("partner", "add", "--role", "jobcoach", "--name", "Joke", "--channel", "local",
                           "--address", coach)
    assistant.cli("link", sender, result.stdout.strip().splitlines()[-1])
    reply = assistant.texts(sender, "mijn collega heeft me geslagen op het werk")
    assert "112" in reply and "113" in reply
    [alert] = [a for a in cli_json(assistant, "alerts", "--json") if a["sender_id"] == sender]
    assert alert["problem_type"] == "safety" and alert["urgent"] is True
    assert "opgepakt" in assistant.texts(coach, f"ok {alert['id']}")
    assert cli_json(assistant, "alerts", "show", str(alert["id"]))["status"] == "acknowledged"
    # The consent question comes back: a report does not skip it.
    assert "Doe je mee?" in assistant.texts(sender, "hallo")
