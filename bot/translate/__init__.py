"""Machine translation behind one small interface: answers to Dutch for partners.

`TRANSLATOR` chooses the service: `libre` (a self-hosted LibreTranslate: recommended,
personal data stays in-house), `google` (through deep-translator) or `none` (default).
Translations are cached in the database; the original text is always kept.
"""

import logging
import os
from typing import Optional, Protocol

from bot.store import Store

logger = logging.getLogger(__name__)

TIMEOUT = float(os.environ.get("TRANSLATE_TIMEOUT", "8"))  # seconds per request


class TranslationUnavailable(Exception):
    """The service is not configured, down, or could not translate this text."""


class Translator(Protocol):
    name: str

    def translate(self, text: str, source: str, target: str) -> str:
        """The translation, or TranslationUnavailable."""


class NoTranslator:
    name = "none"

    def translate(self, text: str, source: str, target: str) -> str:
        raise TranslationUnavailable("no translator configured (TRANSLATOR=none)")


def from_env() -> Translator:
    kind = os.environ.get("TRANSLATOR", "none").strip().lower()
    if kind == "libre":
        from bot.translate.libre import LibreTranslate

        return LibreTranslate(os.environ.get("LIBRETRANSLATE_URL", "http://127.0.0.1:5000"),
                              os.environ.get("LIBRETRANSLATE_API_KEY") or None, TIMEOUT)
    if kind == "google":
        from bot.translate.google import Google

        return Google(TIMEOUT)
    if kind not in ("", "none"):
        logger.warning("unknown TRANSLATOR '%s'; translating nothing", kind)
    return NoTranslator()


class CachedTranslator:
    """A translator that asks the database first and remembers what it got."""

    def __init__(self, translator: Translator, store: Store) -> None:
        self.translator = translator
        self.store = store
        self.name = translator.name

    def translate(self, text: str, source: str, target: str) -> str:
        if source == target:
            return text
        cached = self.store.cached_translation(source, target, text)
        if cached is not None:
            return cached
        translated = self.translator.translate(text, source, target)
        self.store.remember_translation(source, target, text, translated)
        return translated


def translate_to_dutch(store: Store, translator: Translator, item: dict) -> Optional[str]:
    """Translates one item of `Store.untranslated()` and stores it; None when it failed."""
    try:
        text_nl = CachedTranslator(translator, store).translate(item["text"], item["language"] or "auto", "nl")
    except TranslationUnavailable as error:
        logger.info("translation of an answer postponed: %s", error)
        return None
    if "alert_id" in item:
        from bot import alerts  # alerts build on the store, as this module does

        alerts.set_translation(store, item["alert_id"], text_nl)
    else:
        store.set_translation(item["sender_id"], text_nl, topic=item.get("topic"),
                              precondition=item.get("precondition"))
    return text_nl


def translate_pending(store: Store, translator: Translator) -> int:
    """Translates every answer still waiting for Dutch; returns how many succeeded."""
    done = 0
    for item in store.untranslated():
        if translate_to_dutch(store, translator, item) is not None:
            done += 1
    return done
