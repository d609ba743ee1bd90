"""Whether and which kind of problem a message names, from the per-language word lists.

Each catalog holds, per problem type, `problem_words` (the subject: bus, my wife, house;
`safety` holds accidents, violence and self-harm) and `trouble_words` (what went wrong:
died, fever, broken, not paid). The NLU pipeline (bot/nlu/problem_type.py) uses them to
catch reports the model missed; the type they give always wins for `safety`: an accident,
violence or self-harm must never be filed as something milder. A third list,
`resolved_words` (healed, paid off, years ago), tells an answer about one's history from
a report: "I fell from a scaffold in 2019, healed now" is not an emergency.
"""

import functools
import re
from collections import Counter
from typing import Dict, List, NamedTuple, Optional, Tuple

from bot.i18n import catalog
from bot.i18n.normalise import normalise_word
from bot.vocabulary import LANGUAGES, PROBLEM_TYPES

_APOSTROPHES = re.compile("['\u2019\u02bc`]")
_HALF_SPACE = "\u200c"  # Persian zero-width non-joiner: "نمی‌توانم" is typed as "نمی توانم" too
_LATIN = re.compile(r"^[a-z0-9 \-çğışöüéèëïäàâêîôû]+$")


class _Stem(NamedTuple):
    """One entry of a word list: its normalised letters and the pattern that places them."""
    literal: str
    pattern: "re.Pattern"

    def search(self, normalised: str) -> bool:
        # The lists hold thousands of entries: a plain substring test first is far cheaper
        # than the regex and rules out nearly all of them.
        return self.literal in normalised and self.pattern.search(normalised) is not None


def _pattern(entry: str) -> _Stem:
    entry = str(entry)  # YAML would read an unquoted entry such as 112 as a number
    whole_word = entry.endswith("$")  # "late$": "late", not "later"
    word_start = entry.startswith("^")  # "^تب دارم": "I have a fever", not "مکتب دارم"
    stem = _normalised(entry.lstrip("^").rstrip("$"))
    # Latin stems start at a word boundary ("bus" is not in "business");
    # Arabic-script and Ge'ez words take prefixes, so there any position counts
    # unless the entry is marked "^".
    latin = bool(_LATIN.match(stem))
    # Any letter counts for the boundary: "sorunlar$" must not match "sorunlarım".
    prefix = r"(?<![^\W\d_])" if latin or word_start else ""
    suffix = r"(?![^\W\d_])" if latin and whole_word else ""
    return _Stem(stem, re.compile(prefix + re.escape(stem) + suffix))


@functools.lru_cache(maxsize=2)
def _patterns(key: str) -> Tuple[Tuple[str, _Stem], ...]:
    """The (problem type, stem) pairs of one word list of every language."""
    patterns = []
    for language in LANGUAGES:
        for problem_type, stems in (catalog.load(language).get(key) or {}).items():
            patterns += [(problem_type, _pattern(stem)) for stem in stems]
    return tuple(patterns)


@functools.lru_cache(maxsize=2)
def _phrases(key: str) -> Tuple[_Stem, ...]:
    """The entries of one flat word list (park_words, resolved_words) of every language."""
    return tuple(_pattern(phrase) for language in LANGUAGES
                 for phrase in catalog.load(language).get(key) or [])


def prepare() -> None:
    """Compile every word list now (about a second for thousands of entries), so that the
    first candidate after a start does not wait for it."""
    _patterns("problem_words")
    _patterns("trouble_words")
    _phrases("park_words")
    _phrases("resolved_words")


def _says(text: str, key: str) -> bool:
    """Whether the text holds an entry of the flat word list `key` of any language."""
    normalised = _normalised(text)
    return any(pattern.search(normalised) for pattern in _phrases(key))


def asks_to_park(text: str) -> bool:
    """Whether the candidate asks to stop working or learning for a while (parkeren)."""
    return _says(text, "park_words")


@functools.lru_cache(maxsize=32)
def sounds_resolved(text: str) -> bool:
    """Whether the text says its trouble is over or long past ("healed now", "paid off",
    "years ago", "when I was small"): then it tells the candidate's history, an answer."""
    return _says(text, "resolved_words")


def _normalised(text: str) -> str:
    # On phones people leave apostrophes out ("dont", "cant"); so do word lists and text here.
    text = _APOSTROPHES.sub("", text).replace(_HALF_SPACE, " ")
    return " ".join(normalise_word(word) for word in text.split())


def matches(text: str) -> Dict[str, int]:
    """How many subject words (problem_words) of each problem type occur in the text."""
    return dict(_counts(text, "problem_words"))


def troubles(text: str) -> Dict[str, int]:
    """How many trouble words of each type occur: they tell that something went wrong
    (died, fever, broken, not paid, shouts at me), where subject words ("bus", "my wife")
    occur in plain answers too. Type `other` holds trouble of no particular kind."""
    return dict(_counts(text, "trouble_words"))


@functools.lru_cache(maxsize=32)  # a message is looked at several times in its turn; few kept
def _counts(text: str, key: str) -> Tuple[Tuple[str, int], ...]:
    normalised = _normalised(text)
    counts: Counter = Counter()
    for problem_type, stem in _patterns(key):
        if stem.search(normalised):
            counts[problem_type] += 1
    return tuple(counts.items())


def specific_types(text: str) -> List[str]:
    """The problem types (other than 'other') whose subject words occur in the text."""
    return [problem_type for problem_type in matches(text) if problem_type != "other"]


def mentions_safety(text: str) -> bool:
    return bool(matches(text).get("safety"))


def mentions_trouble(text: str) -> bool:
    return bool(troubles(text))


def classify(text: str, model_guess: Optional[str] = None) -> str:
    """The problem type: safety if any safety word occurs, else the model's guess, else the
    word lists': what went wrong (trouble words) before what it is about (subject words)."""
    subjects, trouble = matches(text), troubles(text)
    if subjects.get("safety"):
        return "safety"
    if model_guess in PROBLEM_TYPES:
        return _help_needed(model_guess, subjects)
    named = [t for t in PROBLEM_TYPES if t not in ("safety", "other") and (trouble.get(t) or subjects.get(t))]
    if not named:
        return "other"
    # Ties go to the type listed first in the vocabulary.
    best = max(named, key=lambda t: (trouble.get(t, 0), subjects.get(t, 0), -PROBLEM_TYPES.index(t)))
    return _help_needed(best, subjects)


def _help_needed(problem_type: str, subjects: Dict[str, int]) -> str:
    """Whose health it is decides the help: a sick child keeps the parent at home
    (childcare), a sick mother or a wife in hospital is a family matter."""
    if problem_type != "health":
        return problem_type
    if subjects.get("childcare"):
        return "childcare"
    return "family" if subjects.get("family") else problem_type
