"""How a reply to an open question is understood: the intake's bad-input handling."""

import pytest

from bot.intake.questions import YES_NO_UNKNOWN
from bot.intake.replies import Message, interpret, language_choice
from bot.vocabulary import LANGUAGES


def open_reply(text, intent=None, confidence=0.0, language="nl"):
    return interpret(Message(text, intent, confidence), (), language)


@pytest.mark.parametrize("text,kind", [
    ("stop", "stop"), ("Stoppen!", "stop"), ("overslaan", "skip"), ("skip", "skip"),
    ("terug", "back"), ("pauze", "pause"), ("opnieuw", "restart"), ("weet ik niet", "dont_know"),
    ("help", "help"), ("taal", "language"), ("language", "language"),
])
def test_control_words(text, kind):
    assert open_reply(text).kind == kind


def test_an_answer_that_contains_a_control_word_stays_an_answer():
    reply = open_reply("ik moest stoppen met school toen ik 15 was")
    assert reply == open_reply("ik moest stoppen met school toen ik 15 was")
    assert reply.kind == "answer"


def test_a_long_answer_classified_as_stop_is_still_an_answer():
    assert open_reply("ik ben gestopt met werken in 2019 door de oorlog", "stop", 0.99).kind == "answer"


def test_a_short_confident_stop_intent_stops():
    assert open_reply("wil stoppen", "stop", 0.97).kind == "stop"
    assert open_reply("laat me met rust").kind == "stop"  # a stop phrase of the catalog


def test_a_three_word_answer_the_model_calls_stop_is_an_answer():
    # "I want to become a tiler": the model once read it as stop; only words stop then.
    assert open_reply("میخوام کاشی‌کار بشم", "stop", 1.0, language="fa").kind == "answer"


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "👍", "...", "?!"])
def test_unreadable(text):
    assert open_reply(text).kind in {"unreadable", "help"}


def test_emoji_only_is_unreadable():
    assert open_reply("🙂🙂").kind == "unreadable"


def test_too_long():
    assert open_reply("a" * 5000).kind == "too_long"


def test_media():
    assert interpret(Message("", media=True), (), "nl").kind == "media"


def test_other_language_than_chosen():
    assert open_reply("أنا من سوريا وأحب الطبخ", language="nl").kind == "other_language"
    assert open_reply("I am from Syria and I like to cook with my family", language="nl").kind == "other_language"
    assert open_reply("Ik kom uit Syrië en ik kook graag", language="nl").kind == "answer"


def test_a_name_is_not_another_language():
    assert open_reply("Yonas", language="en").kind == "answer"


@pytest.mark.parametrize("text,value", [
    ("1", "met"), ("2", "not_met"), ("3", "unknown"), ("ja", "met"), ("Nee", "not_met"),
    ("yes", "met"), ("weet ik niet", "unknown"),
])
def test_closed_choices(text, value):
    reply = interpret(Message(text), YES_NO_UNKNOWN, "nl")
    if value == "unknown" and text != "3":
        assert reply.kind == "dont_know"
    else:
        assert (reply.kind, reply.value) == ("choice", value)


def test_closed_choice_out_of_range_or_free_text_asks_again():
    assert interpret(Message("7"), YES_NO_UNKNOWN, "nl").kind == "unclear_choice"
    assert interpret(Message("soms wel"), YES_NO_UNKNOWN, "nl").kind == "unclear_choice"


def test_closed_choice_by_confident_intent():
    reply = interpret(Message("jazeker heb ik", "affirm", 0.95), YES_NO_UNKNOWN, "nl")
    assert (reply.kind, reply.value) == ("choice", "met")


@pytest.mark.parametrize("text,language", [
    ("1", "nl"), ("2", "en"), ("7", "so"), ("English", "en"), ("nederlands", "nl"), ("العربية", "ar"),
])
def test_language_choice(text, language):
    assert language_choice(Message(text), LANGUAGES) == language


def test_language_choice_unknown():
    assert language_choice(Message("8"), LANGUAGES) is None
    assert language_choice(Message("klingon"), LANGUAGES) is None


def test_a_name_the_model_takes_for_a_greeting_is_an_answer():
    assert open_reply("Yonas", "greet", 0.99).kind == "answer"
    assert open_reply("hallo").kind == "greet"


def test_intents_do_not_decide_for_languages_the_model_never_saw():
    assert open_reply("زه احمد یم", "change_language", 0.98, language="ps").kind == "answer"
    assert open_reply("زه احمد یم", "stop", 0.99, language="ps").kind == "answer"
    assert open_reply("stop", language="ps").kind == "stop"  # the words still work
