"""The intake end to end over Rasa's REST channel, read back with the CLI."""

import json
import uuid

import pytest

from bot.vocabulary import INTAKE_TOPICS, PRECONDITIONS

pytestmark = pytest.mark.e2e

ENGLISH_ANSWERS = [
    ("I am Amina from Syria and I like cooking", "Question 2 of 16"),
    ("I want to become an electrician", "Question 3 of 16"),
    ("I can repair almost anything", "Question 4 of 16"),
    ("I was a carpenter for ten years", "Question 5 of 16"),
    ("people say I am patient", "Question 6 of 16"),
    ("no diploma, I learned woodwork from my father", "Question 7 of 16"),
    ("by doing it, in a team", "Question 8 of 16"),
    ("my brother and my neighbours", "Question 9 of 16"),
    ("I have three small children", "Question 10 of 16"),
    ("about 1500 euro a month", "Question 11 of 16"),
    ("1", "Question 12 of 16"),
    ("2", "How do you get to work"),
    ("I walk; a second-hand bike would help", "Question 13 of 16"),
    ("1", "Question 14 of 16"),
    ("2", "What would help you"),
    ("my mother could help if she lived closer", "Question 15 of 16"),
    ("3", "Question 16 of 16"),
]


def new_sender():
    return f"e2e-{uuid.uuid4().hex[:10]}"


def show(assistant, sender):
    result = assistant.cli("candidate", "show", sender, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def start_in(assistant, sender, language_number, consent_word):
    menu = assistant.say(sender, "hi")  # used in every language: no guess, the menu
    assert any(b["title"] == "English" for m in menu for b in m.get("buttons", []))
    reply = assistant.texts(sender, language_number)
    assert consent_word in reply
    return reply


def test_whole_intake_in_english_then_cli(assistant):
    sender = new_sender()
    start_in(assistant, sender, "2", "Do you want to take part?")
    assert "Question 1 of 16" in assistant.texts(sender, "1")
    for answer, expected in ENGLISH_ANSWERS:
        assert expected in assistant.texts(sender, answer), answer
    final = assistant.texts(sender, "work shoes")
    assert "Done!" in final and "About you: I am Amina" in final

    candidate = show(assistant, sender)
    assert candidate["consent"] is True and candidate["language"] == "en"
    assert candidate["intake_complete"] is True
    assert set(candidate["answers"]) == set(INTAKE_TOPICS)
    assert candidate["answers"]["home_situation"] == "I have three small children"
    assert candidate["answers_nl"]["home_situation"] == "[nl] I have three small children"
    assert set(candidate["preconditions"]) == set(PRECONDITIONS)
    assert candidate["preconditions"]["driving_licence"]["status"] == "met"
    assert candidate["preconditions"]["bicycle"] == {
        "status": "not_met", "note": "I walk; a second-hand bike would help"}
    assert candidate["notes_nl"]["bicycle"] == "[nl] I walk; a second-hand bike would help"
    assert candidate["preconditions"]["digital_skills"]["status"] == "unknown"
    assert candidate["preconditions"]["other"] == {"status": "not_met", "note": "work shoes"}
    assert candidate["notes_nl"]["other"] == "[nl] work shoes"


def test_dutch_intake_with_skip_dont_know_back_pause_and_resume(assistant):
    sender = new_sender()
    start_in(assistant, sender, "1", "Doe je mee?")
    assert "Vraag 1 van 16" in assistant.texts(sender, "ja")
    assert "Vraag 2 van 16" in assistant.texts(sender, "Ik ben Yonas uit Eritrea")
    assert "Vraag 3 van 16" in assistant.texts(sender, "overslaan")
    reply = assistant.texts(sender, "terug")
    assert "vorige vraag" in reply and "Vraag 2 van 16" in reply
    assert "Vraag 3 van 16" in assistant.texts(sender, "Ik wil lasser worden")
    assert "Vraag 4 van 16" in assistant.texts(sender, "weet ik niet")
    paused = assistant.texts(sender, "pauze")
    assert "bewaard" in paused and "Vraag" not in paused
    back = assistant.texts(sender, "hallo")
    assert "Welkom terug" in back and "Vraag 4 van 16" in back

    candidate = show(assistant, sender)
    assert candidate["answers"]["motivation"] == "Ik wil lasser worden"
    assert candidate["answers"]["capabilities"] is None
    assert candidate["answer_status"]["capabilities"] == "dont_know"
    assert candidate["intake_complete"] is False


def test_no_consent_stores_nothing(assistant):
    sender = new_sender()
    start_in(assistant, sender, "1", "Doe je mee?")
    assert "bewaar geen antwoorden" in assistant.texts(sender, "2")
    assert show(assistant, sender)["consent"] is False
    # Writing again asks for consent again, and still stores no answer.
    assert "Doe je mee?" in assistant.texts(sender, "Ik ben Sara")
    candidate = show(assistant, sender)
    assert all(value is None for value in candidate["answers"].values())


def test_stop_and_write_again(assistant):
    sender = new_sender()
    start_in(assistant, sender, "1", "Doe je mee?")
    assistant.texts(sender, "1")
    assistant.texts(sender, "Ik ben Sara")
    assert "geen berichten meer" in assistant.texts(sender, "stop")
    assert show(assistant, sender)["stopped"] is True
    reply = assistant.texts(sender, "hoi")
    assert "Vraag 2 van 16" in reply
    assert show(assistant, sender)["stopped"] is False


def test_restart_clears_answers(assistant):
    sender = new_sender()
    start_in(assistant, sender, "1", "Doe je mee?")
    assistant.texts(sender, "1")
    assistant.texts(sender, "Ik ben Sara")
    reply = assistant.texts(sender, "opnieuw")
    assert "gewist" in reply and "Vraag 1 van 16" in reply
    assert show(assistant, sender)["answers"]["identity"] is None


@pytest.mark.parametrize("message,metadata,expected", [
    ("", None, "kan ik niet lezen"),
    ("😀👍", None, "kan ik niet lezen"),
    ("x" * 5000, None, "te lang"),
    ("", {"media": {"kind": "sticker"}}, "alleen tekst lezen"),
    ("أنا من سوريا وأحب الطبخ كثيرا", None, "andere taal"),
])
def test_bad_input_gets_a_kind_answer_and_the_question_again(assistant, message, metadata, expected):
    sender = new_sender()
    start_in(assistant, sender, "1", "Doe je mee?")
    assistant.texts(sender, "1")
    reply = assistant.texts(sender, message, metadata)
    assert expected in reply and "Vraag 1 van 16" in reply
    assert show(assistant, sender)["answers"]["identity"] is None


def test_first_message_in_a_clear_language_gets_that_language_proposed(assistant):
    sender = new_sender()
    proposal = assistant.say(sender, "hello")
    assert "Shall we talk in English?" in proposal[0]["text"]
    assert "Do you want to take part?" in assistant.texts(sender, "1")
    other = new_sender()
    assistant.say(other, "goedemorgen")
    menu = assistant.say(other, "andere taal")
    assert any(b["title"] == "Türkçe" for m in menu for b in m.get("buttons", []))
    assert "Do you want to take part?" in assistant.texts(other, "english")


def test_a_language_outside_the_seven_goes_through_machine_translation(assistant):
    sender = new_sender()
    assistant.say(sender, "hi")
    consent = assistant.say(sender, "pashto")
    text = "\n".join(m["text"] for m in consent)
    assert text.startswith("[ps] ") and "translated automatically" in text
    assert any(b["title"] == "[ps] Yes, I take part" for m in consent for b in m.get("buttons", []))
    assert "[ps] Question 1 of 16" in assistant.texts(sender, "1")
    assistant.texts(sender, "زه احمد یم")
    candidate = show(assistant, sender)
    assert candidate["language"] == "ps"
    assert candidate["answers"]["identity"] == "زه احمد یم"
    assert candidate["answers_nl"]["identity"] == "[nl] زه احمد یم"
