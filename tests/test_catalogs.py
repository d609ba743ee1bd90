"""Every catalog covers every response of domain.yml, with the same placeholders and choices."""

import re

import pytest

from bot.i18n import catalog
from bot.vocabulary import LANGUAGES, PROBLEM_TYPES, SOURCE_LANGUAGE

PLACEHOLDER = re.compile(r"\{(\w+)\}")
TRANSLATED = [language for language in LANGUAGES
              if language != SOURCE_LANGUAGE and catalog.load(language)]


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text or ""))


def test_at_least_english_is_translated():
    assert "en" in TRANSLATED


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_has_exactly_the_domain_responses(language):
    source = set(catalog.source_responses())
    translated = set(catalog.responses(language))
    assert source - translated == set(), f"{language} misses responses"
    assert translated - source == set(), f"{language} has responses the domain does not"


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_are_kept(language):
    for name, source in catalog.source_responses().items():
        entry = catalog.responses(language)[name]
        assert placeholders(entry["text"]) == placeholders(source["text"]), (language, name)


@pytest.mark.parametrize("language", TRANSLATED)
def test_choices_are_kept(language):
    for name, source in catalog.source_responses().items():
        entry = catalog.responses(language)[name]
        assert len(entry.get("buttons") or []) == len(source.get("buttons") or []), (language, name)


@pytest.mark.parametrize("language", TRANSLATED)
def test_terms_and_keywords_match_dutch(language):
    dutch = catalog.load(SOURCE_LANGUAGE)
    other = catalog.load(language)
    assert set(other["terms"]) == set(dutch["terms"])
    assert set(other["keywords"]) == set(dutch["keywords"])
    assert all(other["keywords"][kind] for kind in dutch["keywords"]), "empty keyword list"


def test_catalog_check_catches_a_renamed_placeholder():
    source = catalog.source_responses()["utter_ask_identity"]["text"]
    assert placeholders(source) != placeholders(source.replace("{question_number}", "{number}"))


@pytest.mark.parametrize("language", [SOURCE_LANGUAGE] + TRANSLATED)
def test_yaml_did_not_turn_words_into_booleans(language):
    # Unquoted yes/no/on/off are booleans in YAML: a keyword 'no' would silently vanish.
    loaded = catalog.load(language)
    assert all(isinstance(key, str) and isinstance(value, str) for key, value in loaded["terms"].items())
    assert all(isinstance(word, str) for words in loaded["keywords"].values() for word in words)
    word_lists = list((loaded.get("problem_words") or {}).values()) + list((loaded.get("trouble_words") or {}).values())
    word_lists += [loaded.get("park_words") or [], loaded.get("resolved_words") or []]
    assert all(isinstance(word, str) for words in word_lists for word in words)


@pytest.mark.parametrize("language", [SOURCE_LANGUAGE] + TRANSLATED)
def test_every_language_has_its_problem_word_lists(language):
    loaded = catalog.load(language)
    assert loaded.get("trouble_words"), "no trouble words: reports the model files as answers are lost"
    assert loaded.get("resolved_words"), "no resolved words: healed injuries of long ago raise urgent alarms"
    assert set(loaded.get("problem_words") or {}) == set(PROBLEM_TYPES)
    # Safety words make a report on their own and live in problem_words.
    assert set(loaded["trouble_words"]) <= set(PROBLEM_TYPES) - {"safety"}
