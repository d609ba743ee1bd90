"""Problem types from the word lists, and the spelling normalisation the NLU uses."""

import pytest

from bot.i18n import problems
from bot.i18n.normalise import normalise_word


@pytest.mark.parametrize("text,expected", [
    ("mijn fiets is gestolen", "transport"),
    ("ik heb geen oppas morgen", "childcare"),
    ("mijn uitkering is gestopt", "money"),
    ("ik heb een probleem", "other"),
    ("iets helemaal onbekends", "other"),
    ("my landlord wants to evict me", "housing"),
])
def test_lexicon_types(text, expected):
    assert problems.classify(text) == expected


def test_safety_always_wins_over_the_model():
    assert problems.classify("ik ben gevallen van de steiger, mijn been doet pijn", "health") == "safety"
    assert problems.classify("i don't want to live anymore", "health") == "safety"


def test_the_model_guess_stands_otherwise():
    assert problems.classify("mijn zoon is ziek", "childcare") == "childcare"
    assert problems.classify("mijn zoon is ziek", "not-a-type") in {"childcare", "health"}


def test_latin_stems_start_at_a_word():
    assert "transport" not in problems.matches("we talked about abuse")
    assert "transport" in problems.matches("the bus did not come")


def test_a_stem_marked_whole_word_is_not_part_of_a_longer_word():
    assert "transport" in problems.matches("sorry i will be late")
    assert "transport" not in problems.matches("ok see you later")


@pytest.mark.parametrize("text", ["i don't want to live anymore", "i dont want to live anymore",
                                  "i don’t want to live anymore"])
def test_apostrophes_may_be_left_out(text):
    assert problems.mentions_safety(text)


@pytest.mark.parametrize("variant,plain", [
    ("أنا", "انا"), ("إبني", "ابنی"), ("مـريـض", "مریض"), ("مَرِيضٌ", "مریض"), ("مدرسة", "مدرسه"),
    ("كتاب", "کتاب"), ("٣", "3"), ("Ziek", "ziek"),
])
def test_normalisation(variant, plain):
    assert normalise_word(variant) == plain
