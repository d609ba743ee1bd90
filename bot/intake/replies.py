"""What a candidate's message means while a question is open.

Control words ('skip', 'back', 'stop' ...) are matched on the whole message, so an answer
that merely contains such a word ("I had to stop school") stays an answer. Intents from
the NLU only decide for short messages with high confidence, for the same reason.
"""

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from bot.i18n import catalog
from bot.i18n.detect import is_other_language
from bot.vocabulary import LANGUAGES

MAX_LENGTH = 1500  # characters; a longer message is most likely pasted by mistake
# Intents decide only when the model is this sure, and never for a language it was not
# trained on: a name like "Yonas" can look like a greeting, a short Pashto answer like
# a request to change language.
CONFIDENT = 0.95
SHORT = 4  # words

# Control words, checked in this order.
CONTROLS = ("stop", "language", "help", "back", "skip", "pause", "restart", "dont_know")

_READABLE = re.compile(r"[^\W_]", re.UNICODE)  # a letter or digit in any script


@dataclass(frozen=True)
class Reply:
    kind: str  # answer, choice, greet, media, unreadable, too_long, other_language, unclear_choice, or a control
    value: Optional[str] = None


@dataclass(frozen=True)
class Message:
    text: str
    intent: Optional[str] = None
    confidence: float = 0.0
    media: bool = False
    problem_type: Optional[str] = None  # the NLU's `problem_type` entity of a report
    attachments: tuple = ()  # media references from the channel, for the jobcoach

    @property
    def is_short(self) -> bool:
        return len(self.text.split()) <= SHORT

    def confidently(self, intent: str) -> bool:
        return self.intent == intent and self.confidence >= CONFIDENT and self.is_short


def control_of(message: Message, language: str) -> Optional[str]:
    for control in CONTROLS:
        if catalog.matches_keyword(message.text, control):
            return control
    # The model alone stops an intake only for a word or two ("wil stoppen"): a false stop
    # ends the conversation, while a missed one still has the stop words of every language.
    if language in LANGUAGES and message.confidently("stop") and len(message.text.split()) <= 2:
        return "stop"
    return None


def choice_of(message: Message, choices: Sequence[str], language: str,
              titles: Sequence[str] = ()) -> Optional[str]:
    """The meaning of a reply to a closed question: a number, a button's title, a word, or
    a yes/no intent. `titles` are the question's button titles in the candidate's language."""
    text = catalog.normalise(message.text)
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1]
    for choice, title in zip(choices, titles):
        if text == catalog.normalise(title):
            return choice
    languages = (language, "nl", "en")
    words = {
        "met": "affirm",
        "not_met": "deny",
        "not_needed": "not_needed",
        "unknown": "dont_know",
    }
    for choice in choices:
        if catalog.matches_keyword(text, words[choice], languages):
            return choice
    by_intent = {"affirm": "met", "deny": "not_met", "dont_know": "unknown"}
    for intent, choice in by_intent.items():
        if choice in choices and language in LANGUAGES and message.confidently(intent):
            return choice
    return None


def interpret(message: Message, choices: Sequence[str], language: str,
              titles: Sequence[str] = ()) -> Reply:
    """Classifies a message sent while a question is open (`choices` empty = open question)."""
    if message.media:
        return Reply("media")
    control = control_of(message, language)
    if control:
        return Reply(control)
    if not _READABLE.search(message.text):
        return Reply("unreadable")
    if len(message.text) > MAX_LENGTH:
        return Reply("too_long")
    if choices:
        choice = choice_of(message, choices, language, titles)
        if choice:
            return Reply("choice", choice)
    if catalog.matches_keyword(message.text, "greet"):
        return Reply("greet")
    if is_other_language(message.text, language):
        return Reply("other_language")
    if choices:
        return Reply("unclear_choice")
    if language in LANGUAGES and message.confidently("dont_know"):
        return Reply("dont_know")
    return Reply("answer", message.text.strip())


def language_choice(message: Message, languages: Sequence[str], by_number: bool = True) -> Optional[str]:
    """The language picked from the menu: its number, its code or its name in any script."""
    text = catalog.normalise(message.text)
    if by_number and text.isdigit() and 1 <= int(text) <= len(languages):
        return languages[int(text) - 1]
    menu = catalog.source_responses()["utter_ask_language"]["buttons"]  # in LANGUAGES order
    for language, title in zip(languages, menu):
        names = {language, *title.split("/"), *catalog.load(language).get("aliases", [])}
        if text in {catalog.normalise(name) for name in names}:
            return language
    return catalog.other_language_named(text)
