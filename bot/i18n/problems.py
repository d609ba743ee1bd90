"""Which kind of problem a message is about, from the per-language word lists.

The NLU model decides that a message reports a problem and usually which kind; this
lexicon fills in the kind where the model found none, and always wins for `safety`:
an accident, violence or self-harm must never be filed as something milder.
"""

import functools
import re
from collections import Counter
from typing import Dict, List, Optional, Tuple

from bot.i18n import catalog
from bot.i18n.normalise import normalise_word
from bot.vocabulary import LANGUAGES, PROBLEM_TYPES

_APOSTROPHES = re.compile("['\u2019\u02bc`]")
_HALF_SPACE = "\u200c"  # Persian zero-width non-joiner: "نمی‌توانم" is typed as "نمی توانم" too
_LATIN = re.compile(r"^[a-z0-9 \-çğışöüéèëïäàâêîôû]+$")


def _pattern(stem: str) -> "re.Pattern":
    whole_word = str(stem).endswith("$")  # "late$": "late", not "later"
    stem = _normalised(str(stem).rstrip("$"))
    # Latin stems start at a word boundary ("bus" is not in "business");
    # Arabic-script and Ge'ez words take prefixes, so there any position counts.
    latin = bool(_LATIN.match(stem))
    # Any letter counts for the boundary: "sorunlar$" must not match "sorunlarım".
    prefix = r"(?<![^\W\d_])" if latin else ""
    suffix = r"(?![^\W\d_])" if latin and whole_word else ""
    return re.compile(prefix + re.escape(stem) + suffix)


@functools.lru_cache(maxsize=1)
def _patterns() -> Tuple[Tuple[str, "re.Pattern"], ...]:
    patterns = []
    for language in LANGUAGES:
        for problem_type, stems in (catalog.load(language).get("problem_words") or {}).items():
            patterns += [(problem_type, _pattern(stem)) for stem in stems]
    return tuple(patterns)


def _phrase_patterns(key: str) -> Tuple["re.Pattern", ...]:
    return tuple(_pattern(phrase) for language in LANGUAGES for phrase in catalog.load(language).get(key) or [])


@functools.lru_cache(maxsize=1)
def _park_patterns() -> Tuple["re.Pattern", ...]:
    return _phrase_patterns("park_words")


@functools.lru_cache(maxsize=1)
def _trouble_patterns() -> Tuple["re.Pattern", ...]:
    return _phrase_patterns("trouble_words")


def asks_to_park(text: str) -> bool:
    """Whether the candidate asks to stop working or learning for a while (parkeren)."""
    normalised = _normalised(text)
    return any(pattern.search(normalised) for pattern in _park_patterns())


def mentions_trouble(text: str) -> bool:
    """Whether the text says something went wrong (died, fever, broken, not paid, shouts at me).

    The problem words name a subject, and answers name subjects too ("I go by bus", "my wife
    helps"); trouble words tell that the subject has become a problem.
    """
    normalised = _normalised(text)
    return any(pattern.search(normalised) for pattern in _trouble_patterns())


def _normalised(text: str) -> str:
    # On phones people leave apostrophes out ("dont", "cant"); so do word lists and text here.
    text = _APOSTROPHES.sub("", text).replace(_HALF_SPACE, " ")
    return " ".join(normalise_word(word) for word in text.split())


def matches(text: str) -> Dict[str, int]:
    """How many stems of each problem type occur in the text."""
    return dict(_counts(text))


@functools.lru_cache(maxsize=16)  # a message is looked at several times in its turn; few kept
def _counts(text: str) -> Tuple[Tuple[str, int], ...]:
    normalised = _normalised(text)
    counts: Counter = Counter()
    for problem_type, pattern in _patterns():
        if pattern.search(normalised):
            counts[problem_type] += 1
    return tuple(counts.items())


def specific_types(text: str) -> List[str]:
    """The problem types (other than 'other') whose words occur in the text."""
    return [problem_type for problem_type in matches(text) if problem_type != "other"]


def mentions_safety(text: str) -> bool:
    return bool(matches(text).get("safety"))


def classify(text: str, model_guess: Optional[str] = None) -> str:
    """The problem type: safety if any safety word occurs, else the model's guess, else the lexicon's."""
    counts = matches(text)
    if counts.get("safety"):
        return "safety"
    if model_guess == "health" and counts.get("childcare"):
        return "childcare"  # a sick child keeps the parent at home: childcare is the help needed
    if model_guess in PROBLEM_TYPES:
        return model_guess
    specific: List[Tuple[int, str]] = [
        (count, problem_type) for problem_type, count in counts.items() if problem_type != "other"
    ]
    if specific:
        # Ties go to the type listed first in the vocabulary (childcare before health:
        # "my son is sick" keeps a parent at home).
        return max(specific, key=lambda item: (item[0], -PROBLEM_TYPES.index(item[1])))[1]
    return "other"
