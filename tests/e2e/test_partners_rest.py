"""Issue 6 end to end over REST: a jobcoach registered with the CLI asks for the status
in the chat, gets the profile when the intake is complete, and a candidate typing a
partner command gets nothing of the partner side."""

import json
import uuid

import pytest

from tests.e2e.test_intake_rest import ENGLISH_ANSWERS

pytestmark = pytest.mark.e2e


def register(assistant, role, name, channel, address):
    result = assistant.cli("partner", "add", "--role", role, "--name", name, "--channel", channel,
                           "--address", address)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_a_jobcoach_asks_for_status_in_the_chat_and_gets_the_profile(assistant, telegram_api):
    sender, coach_address = f"e2e-{uuid.uuid4().hex[:8]}", f"coach-{uuid.uuid4().hex[:6]}"
    name = f"Amina {uuid.uuid4().hex[:4].upper()}"
    assistant.say(sender, "hi", metadata={"display_name": name})
    coach = register(assistant, "jobcoach", "Joke", "local", coach_address)
    assert assistant.cli("link", sender, coach).returncode == 0
    chat_id = str(880000 + int(uuid.uuid4().hex[:4], 16))
    intermediair = register(assistant, "intermediair", "Ivo", "telegram", chat_id)
    assert assistant.cli("link", sender, intermediair).returncode == 0

    status = assistant.texts(coach_address, "/status")
    assert f"{name} (kandidaat" in status and "werving en selectie" in status
    assert "Intake: nog niet begonnen" in status and "jobcoach Joke" in status
    assert f"{name} (kandidaat" in assistant.texts(coach_address, f"hoe gaat het met {name.lower()}?")
    assert "intake" not in assistant.texts(coach_address, "hallo").lower()  # never the candidate side

    assistant.say(sender, "2")
    assistant.say(sender, "1")
    for answer, _expected in ENGLISH_ANSWERS:
        assistant.say(sender, answer)
    assert "Done!" in assistant.texts(sender, "work shoes")
    profile = telegram_api.wait_for(lambda: [m for m in telegram_api.sent(chat_id) if "Intakeprofiel" in m["text"]])
    assert "## Gewenste situatie" in profile[0]["text"] and "I want to become an electrician" in profile[0]["text"]
    assert "Elektricien" in profile[0]["text"]
    assert "Intake: afgerond" in assistant.texts(coach_address, f"/status {name}")

    audit = json.loads(assistant.cli("audit", "--json", "--partner", coach).stdout)
    assert {row["action"] for row in audit} >= {"status"} and all(row["candidate"] == sender for row in audit)


def test_a_candidate_typing_a_partner_command_stays_a_candidate(assistant):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    first = assistant.texts(sender, "/status x")  # the candidate side: the language question
    assert "kandidaat" not in first.lower() and "Ik vind geen" not in first and "/help" not in first
    assert assistant.cli("candidate", "show", sender).returncode == 0  # registered as a candidate
    later = assistant.texts(sender, "/kandidaten")
    assert "Je kandidaten" not in later and "Er zijn nog geen kandidaten" not in later
