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
    assert problems.classify("mijn rug doet pijn", "health") == "health"
    assert problems.classify("mijn zoon is ziek", "not-a-type") in {"childcare", "health"}


def test_the_illness_of_a_relative_is_a_family_matter_whatever_the_model_says():
    assert problems.classify("annem suriyede çok hasta", "health") == "family"


def test_latin_stems_start_at_a_word():
    assert "transport" not in problems.matches("we talked about abuse")
    assert "transport" in problems.matches("the bus did not come")


def test_a_stem_marked_as_a_word_start_is_not_found_inside_a_word():
    # Persian "^تب دارم" (I have a fever) is not in "مکتب دارم" (I have [a diploma] from school).
    assert "health" in problems.troubles("تب دارم و سرم درد میکنه")
    assert "health" not in problems.troubles("دیپلم صنف دوازده از مکتب دارم")
    assert "workplace" not in problems.troubles("پول زیاد نمیخواهم")


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
    ("ابنى", "ابنی"), ("ابني", "ابنی"),  # Egyptian alef maqsura and yeh end up as one letter
])
def test_normalisation(variant, plain):
    assert normalise_word(variant) == plain


@pytest.mark.parametrize("text", [
    "mijn fiets is kapot", "mijn moeder is overleden", "de baas schreeuwt steeds",
    "i will be late today", "my benefit was not paid this month", "the landlord wants to evict us",
])
def test_trouble_words_tell_something_went_wrong(text):
    assert problems.mentions_trouble(text)


@pytest.mark.parametrize("text", [
    "ik ga met de fiets", "ik werk in een ziekenhuis", "mijn vrouw past op de kinderen",
    "i worked as a painter", "see you later", "my boss is nice",
    "mijn vrouw kan zorgen voor de kinderen", "ik ben gestopt met school",
    "bshofak bukra",  # every language's lists meet every message: Somali "buk(aa)" is not Arabizi "bukra"
])
def test_subjects_alone_are_no_trouble(text):
    assert not problems.mentions_trouble(text)


def test_a_letter_outside_a_to_z_is_no_word_boundary():
    # Turkish letters belong to the word: "sorunlarım" (my problems) is not the whole word "sorunlar".
    assert not problems._pattern("sorunlar$").search("sorunlarım")
    assert problems._pattern("sorunlar$").search("sorunlar var")
    assert not problems._pattern("bus").search("çbus")


def test_the_persian_half_space_counts_as_a_space():
    assert problems._normalised("نمی\u200cتوانم بیایم") == problems._normalised("نمی توانم بیایم")


@pytest.mark.parametrize("text,expected", [
    ("er lekt water in de kamer van de kinderen", "housing"),  # what went wrong, not whom it is about
    ("de verwarming doet het niet en de baby heeft het koud", "housing"),
    ("ik ben ziek", "health"),
    ("mijn vrouw is ziek", "family"),  # a relative's illness is a family matter
    ("my mother is in hospital", "family"),
    ("mijn zoon is ziek", "childcare"),  # a sick child keeps the parent at home
    ("de bus kwam niet", "transport"),  # trouble of no kind: the subject tells
])
def test_trouble_words_tell_the_kind_before_the_subject(text, expected):
    assert problems.classify(text) == expected


@pytest.mark.parametrize("text", [
    "ik werk als steigerbouwer", "i worked on scaffolding for 3 years",  # the trade, not a fall
    "mijn ambulant begeleider helpt mij", "dat slaat nergens op", "ik ben in slaap gevallen in de bus",
    "mijn rug begint pijn te doen", "het was geweldig vandaag", "bdi mutarjem",
    "ik ga nu slapen, doei",  # English "slap" is no stem of Dutch "slapen"
    # A summons or a letter from the police is trouble of its own (other), not danger.
    "got a letter from the police, i must come on monday", "politie stuurt brief, ik moet komen",
    "پولیس نامه فرستاده", "البوليس بعتلي رساله", "booliska ayaa warqad ii soo diray",
    "ፖሊስ ደብዳቤ ሰዲዶምለይ", "polisten mektup geldi, karakola gitmem lazim",
])
def test_everyday_words_of_this_work_raise_no_safety_alarm(text):
    assert not problems.mentions_safety(text)


@pytest.mark.parametrize("text", [
    "ik ben gevallen van de steiger", "mijn man slaat mij", "i think everyone is better off without me",
    "he slapped me", "جوزي بدو يقتلني", "ninkayga ayaa i garaacay", "kocam beni dövüyor", "شوهرم منو میزنه", "ሰብኣየይ ይወቕዓኒ",
])
def test_safety_words_are_found_in_their_usual_wording(text):
    assert problems.mentions_safety(text)


def test_prepare_compiles_every_list_before_the_first_message():
    problems._patterns.cache_clear()
    problems._phrases.cache_clear()
    problems.prepare()
    assert problems._patterns.cache_info().currsize == 2
    assert problems._phrases.cache_info().currsize == 2


@pytest.mark.parametrize("text", [
    "2 jaar geleden ongeluk gehad, is genezen", "i had debts but paid everything off", "dahri kan yewja3ni bas hala2 mni7",
    "پارسال دستم شکست، الان خوب شده", "kolum kırılmıştı ama iyileşti", "ቅድሚ ክልተ ዓመት ኢደይ ተሰይሩ ሕጂ ደሓን እየ",
    "dhabarka ayaa i xanuuni jiray mar hore, hada waa fiican yahay",
])
def test_a_trouble_that_is_over_is_recognised(text):
    assert problems.sounds_resolved(text)


@pytest.mark.parametrize("text", [
    "my bike doesn't work anymore", "ik ben gisteren gevallen", "mijn zoon is ziek, ik blijf thuis",
    "the landlord wants us out by friday", "ana mareed el yom", "bugün çok hastayım", "man emruz mariz hastam",
    # A trouble that began a while ago and goes on is a report.
    "my uitkering stopped two months ago and i still have nothing", "دو ماه پیش uitkering قطع شد و هنوز هیچی ندارم",
])
def test_a_current_trouble_is_not_taken_for_one_that_is_over(text):
    assert not problems.sounds_resolved(text)
