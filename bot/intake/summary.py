"""The short summary a candidate gets back at the end of the intake, in their language."""

from typing import Mapping

from bot.i18n import catalog
from bot.intake.questions import BY_SLOT, DONT_KNOW, NOTHING_ELSE_NEEDED_SLOT, NUMBERED, SKIPPED, Question

MAX_ANSWER_LENGTH = 80  # characters of each answer shown back


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_ANSWER_LENGTH else text[: MAX_ANSWER_LENGTH - 1] + "…"


def _shown(value: object, language: str) -> str:
    words = {
        SKIPPED: "skipped",
        DONT_KNOW: "dont_know",
        "unknown": "dont_know",
        "met": "yes",
        "not_met": "no",
        "not_needed": "not_needed",
    }
    if value in words:
        return catalog.term(words[value], language)
    return _shorten(str(value))


def _label(question: Question, language: str) -> str:
    key = f"topic_{question.topic}" if question.topic else f"pre_{question.precondition}"
    return catalog.term(key, language)


def for_candidate(slots: Mapping[str, object], language: str) -> str:
    lines = []
    for question in NUMBERED:
        value = slots.get(question.slot)
        if value is None:
            continue
        shown = _shown(value, language)
        if question.slot == NOTHING_ELSE_NEEDED_SLOT and value == "met":
            shown = catalog.term("nothing", language)
        line = f"• {_label(question, language)}: {shown}"
        follow_up = BY_SLOT.get(f"{question.slot}_help")
        if follow_up and slots.get(follow_up.slot) not in (None, SKIPPED, DONT_KNOW):
            line += f" ({_shorten(str(slots[follow_up.slot]))})"
        lines.append(line)
    return "\n".join(lines)
