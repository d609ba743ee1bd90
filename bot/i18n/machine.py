"""Replies in languages without a catalog: the English text, machine-translated, with a note.

English is the source because machine translation from it is the most reliable. When the
translator is down, the English text goes out as it is: late understanding beats none.
"""

import logging
from typing import Any, Dict

from bot.i18n import catalog
from bot.translate import TranslationUnavailable, Translator

logger = logging.getLogger(__name__)
PIVOT = "en"


def translate_message(message: Dict[str, Any], language: str, translator: Translator) -> Dict[str, Any]:
    """`message` (rendered in English) in `language`, followed by the machine-translation note."""
    note = catalog.response("utter_machine_translated", PIVOT)["text"]
    try:
        translated = dict(message)
        translated["text"] = translator.translate(f"{message['text']}\n\n{note}", PIVOT, language)
        if message.get("buttons"):
            translated["buttons"] = [
                {**button, "title": translator.translate(button["title"], PIVOT, language)}
                for button in message["buttons"]
            ]
        return translated
    except TranslationUnavailable as error:
        logger.warning("no machine translation to %s: %s", language, error)
        return message
