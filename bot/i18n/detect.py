"""Guesses which curated language a message is written in, only where it is clear.

Script decides for Ge'ez (Tigrinya) and Arabic script (Arabic, or Persian where letters
that Arabic lacks appear). Latin-script languages are told apart by common short words;
a guess needs several of them, so a short answer or a name never counts as a language.
"""

import re
from typing import Optional

from bot.i18n.catalog import normalise
from bot.vocabulary import LANGUAGES

_ETHIOPIC = re.compile(r"[\u1200-\u137f]")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_PERSIAN_ONLY = re.compile(r"[پچژگکی]")
_LATIN = re.compile(r"[a-zA-Zà-ÿçğışöüÇĞİŞÖÜ]")

# Frequent function words that are rare in the other Latin-script languages here.
_COMMON_WORDS = {
    "nl": {"ik", "je", "het", "een", "de", "niet", "en", "van", "is", "heb", "mijn", "wat", "ook", "maar", "met", "zijn", "kan", "wil", "graag", "ben"},
    "en": {"i", "the", "and", "my", "is", "not", "have", "you", "to", "a", "of", "am", "want", "with", "can", "it", "work", "do"},
    "tr": {"ve", "bir", "bu", "ben", "benim", "çok", "için", "var", "yok", "değil", "ama", "ile", "de", "da", "istiyorum", "evet", "hayır"},
    "so": {"waa", "iyo", "ma", "aan", "ku", "ka", "oo", "waxaan", "haa", "maya", "wax", "la", "uu", "ay", "shaqo"},
}


# Greetings that are clear on their own in a first message. "hi" and "salam" are left
# out: people of every language here use them.
_GREETINGS = {
    "nl": {"hallo", "hoi", "goedemorgen", "goedemiddag", "goedenavond", "hallootjes", "dag"},
    "en": {"hello", "good morning", "good afternoon", "good evening"},
    "tr": {"merhaba", "selamlar", "günaydın", "gunaydin", "iyi günler", "iyi gunler", "merhabalar"},
    "so": {"iska warran", "nabad", "subax wanaagsan", "galab wanaagsan", "see tahay"},
}


def detect_first_message(text: str) -> Optional[str]:
    """The language of a first message: a clear greeting counts, or `detect`."""
    normalised = normalise(text)
    for language, greetings in _GREETINGS.items():
        if normalised in greetings:
            return language
    return detect(text)


def detect(text: str, minimum_words: int = 3) -> Optional[str]:
    """The language of `text` when it is clear, else None."""
    if _ETHIOPIC.search(text):
        return "ti"
    if _ARABIC_SCRIPT.search(text) and not _LATIN.search(text):
        return "fa" if _PERSIAN_ONLY.search(text) else "ar"
    words = normalise(text).split()
    scores = {
        language: sum(word in common for word in words)
        for language, common in _COMMON_WORDS.items()
    }
    best = max(scores, key=scores.get)
    runner_up = max(score for language, score in scores.items() if language != best)
    if scores[best] >= minimum_words and scores[best] >= 2 * runner_up + 1:
        return best
    return None


def is_other_language(text: str, chosen: str) -> bool:
    """Whether `text` is clearly written in another curated language than `chosen`.

    Arabic and Persian share a script and readers of one often write the other, so they
    are not told apart here.
    """
    if chosen not in LANGUAGES:  # served by machine translation: any script may be right
        return False
    detected = detect(text)
    if detected is None or detected == chosen:
        return False
    return {detected, chosen} != {"ar", "fa"}
