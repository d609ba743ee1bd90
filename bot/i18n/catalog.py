"""Per-language catalogs (bot/catalogs/<lang>.yml): response texts, terms and control keywords.

Dutch response texts are the source in domain.yml; every other catalog mirrors them by
response name. Lookups fall back to Dutch, then English, and log a missing key once.
"""

import functools
import logging
import re
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import yaml

from bot.i18n.normalise import normalise_word
from bot.vocabulary import FALLBACK_LANGUAGES, LANGUAGES, SOURCE_LANGUAGE

logger = logging.getLogger(__name__)

CATALOG_DIR = Path(__file__).resolve().parent.parent / "catalogs"
DOMAIN_FILE = Path(__file__).resolve().parents[2] / "domain.yml"


@functools.lru_cache(maxsize=None)
def load(language: str) -> dict:
    """The parsed catalog of one language ({} when there is none)."""
    path = CATALOG_DIR / f"{language}.yml"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


@functools.lru_cache(maxsize=None)
def source_responses() -> Dict[str, dict]:
    """The Dutch source responses from domain.yml, reduced to text and button titles."""
    with DOMAIN_FILE.open(encoding="utf-8") as handle:
        domain = yaml.safe_load(handle)
    return {
        name: _catalog_entry(variations[0])
        for name, variations in (domain.get("responses") or {}).items()
    }


def _catalog_entry(variation: dict) -> dict:
    entry = {"text": variation.get("text", "")}
    if variation.get("buttons"):
        entry["buttons"] = [button["title"] for button in variation["buttons"]]
    return entry


def responses(language: str) -> Dict[str, dict]:
    if language == SOURCE_LANGUAGE:
        return source_responses()
    return load(language).get("responses") or {}


_warned: set = set()


def _warn_missing_once(language: str, section: str, key: str) -> None:
    if (language, section, key) not in _warned:
        _warned.add((language, section, key))
        logger.warning("catalog %s has no %s '%s'; using a fallback", language, section, key)


def fallback_chain(language: Optional[str]) -> Tuple[str, ...]:
    chain = [language] if language else []
    chain += [lang for lang in FALLBACK_LANGUAGES if lang not in chain]
    return tuple(chain)


def response(name: str, language: Optional[str]) -> Optional[dict]:
    """The catalog entry (text, button titles) of a response in a language, with fallback."""
    for candidate in fallback_chain(language):
        entry = responses(candidate).get(name)
        if entry is not None:
            return entry
        if candidate in LANGUAGES:
            _warn_missing_once(candidate, "response", name)
    return None


def term(key: str, language: Optional[str]) -> str:
    """A short label or word (e.g. 'yes', a topic's name) in a language, with fallback."""
    for candidate in fallback_chain(language):
        value = (load(candidate).get("terms") or {}).get(key)
        if value is not None:
            return value
        if candidate in LANGUAGES:
            _warn_missing_once(candidate, "term", key)
    return key


@functools.lru_cache(maxsize=1)
def _other_languages() -> Dict[str, str]:
    """Names of the languages served by machine translation, mapped to their codes."""
    with (Path(__file__).parent / "other_languages.yml").open(encoding="utf-8") as handle:
        table = yaml.safe_load(handle)
    return {normalise(str(name)): code for code, names in table.items() for name in [code, *names]}


def other_language_named(name: str) -> Optional[str]:
    """The code of a non-curated language named in `name` ("pashto" -> "ps"), or None."""
    return _other_languages().get(normalise(name))


def language_name(language: str) -> str:
    return load(language).get("name", language)


def normalise(text: str) -> str:
    """Lower case, one spelling of Arabic/Persian letters, no punctuation or emoji, single spaces."""
    text = normalise_word(text or "")
    text = text.replace("’", "'")
    text = re.sub(r"[^\w\s'?]", " ", text)
    return re.sub(r"\s+", " ", text).strip(" '")


@functools.lru_cache(maxsize=None)
def _keywords(kind: str, languages: Tuple[str, ...]) -> frozenset:
    words: List[str] = []
    for language in languages:
        words += (load(language).get("keywords") or {}).get(kind) or []
    return frozenset(normalise(str(word)) for word in words)


def matches_keyword(text: str, kind: str, languages: Optional[Iterable[str]] = None) -> bool:
    """Whether the whole message is one of the keywords of a kind (e.g. 'skip').

    Without `languages`, the keywords of every curated language count: people mix
    languages, and a Dutch 'stop' must work in an Arabic conversation.
    """
    chosen = tuple(languages) if languages else LANGUAGES
    return normalise(text) in _keywords(kind, chosen)
