"""Translation for partners: real HTTP to a local fake LibreTranslate, cached in the store."""

import pytest

from bot import translate
from bot.translate.libre import LibreTranslate
from tests.fakes.libretranslate import FakeLibreTranslate


@pytest.fixture
def libre():
    fake = FakeLibreTranslate()
    yield fake
    fake.close()


def consenting(store, sender="amina"):
    store.ensure_candidate("rest", sender)
    store.record_consent(sender, True, "consent-v1")
    return sender


def test_libre_client_speaks_the_api(libre):
    assert LibreTranslate(libre.url, "key").translate("مرحبا", "ar", "nl") == "[nl] مرحبا"
    assert libre.requests[0] == {"q": "مرحبا", "source": "ar", "target": "nl", "format": "text", "api_key": "key"}


def test_a_failing_or_slow_service_is_unavailable_not_a_crash(libre):
    libre.fail_next = 1
    with pytest.raises(translate.TranslationUnavailable):
        LibreTranslate(libre.url).translate("x", "ar", "nl")
    libre.hang = 1.0
    with pytest.raises(translate.TranslationUnavailable):
        LibreTranslate(libre.url, timeout=0.2).translate("x", "ar", "nl")


def test_unreachable_service():
    with pytest.raises(translate.TranslationUnavailable):
        LibreTranslate("http://127.0.0.1:9", timeout=1).translate("x", "ar", "nl")


def test_from_env(monkeypatch, libre):
    monkeypatch.setenv("TRANSLATOR", "none")
    assert translate.from_env().name == "none"
    monkeypatch.setenv("TRANSLATOR", "libre")
    monkeypatch.setenv("LIBRETRANSLATE_URL", libre.url)
    assert translate.from_env().translate("a", "en", "nl") == "[nl] a"


def test_cache_asks_the_service_once(store, libre):
    cached = translate.CachedTranslator(LibreTranslate(libre.url), store)
    assert cached.translate("hello", "en", "nl") == "[nl] hello"
    assert cached.translate("hello", "en", "nl") == "[nl] hello"
    assert len(libre.requests) == 1
    assert cached.translate("same", "nl", "nl") == "same"


def test_pending_answers_are_translated_later_and_the_original_kept(store, libre):
    sender = consenting(store)
    store.save_answer(sender, "identity", "answered", "أنا أمينة", "ar")
    store.save_answer(sender, "motivation", "answered", "Ik wil werken", "nl")
    store.save_precondition(sender, "childcare", "not_met", "جدتي تساعد", "ar")
    assert translate.translate_pending(store, translate.NoTranslator()) == 0
    assert len(store.untranslated()) == 2  # the Dutch answer needs nothing
    assert translate.translate_pending(store, LibreTranslate(libre.url)) == 2
    view = store.candidate_view(sender)
    assert view["answers"]["identity"] == "أنا أمينة"
    assert view["answers_nl"]["identity"] == "[nl] أنا أمينة"
    assert store.untranslated() == []


def test_replies_in_other_languages_are_machine_translated_with_a_note(libre):
    from bot.i18n.machine import translate_message
    from bot.i18n.render import render

    message = render("utter_ask_pre_bicycle", "en", "collector", {"question_number": 12, "question_count": 16})
    translated = translate_message(message, "ps", LibreTranslate(libre.url))
    assert translated["text"].startswith("[ps] Question 12 of 16.")
    assert translated["text"].endswith("this text was translated automatically.")
    assert [b["title"] for b in translated["buttons"]] == ["[ps] Yes", "[ps] No", "[ps] I don't know"]
    assert [b["payload"] for b in translated["buttons"]] == ["1", "2", "3"]


def test_without_a_translator_the_english_text_goes_out(libre):
    from bot.i18n.machine import translate_message

    message = {"text": "Hello"}
    assert translate_message(message, "ps", translate.NoTranslator()) == message


def test_other_languages_are_understood_by_name():
    from bot.intake.replies import Message, language_choice
    from bot.vocabulary import LANGUAGES

    assert language_choice(Message("پښتو"), LANGUAGES) == "ps"
    assert language_choice(Message("Français"), LANGUAGES) == "fr"
    assert language_choice(Message("Kurmanji"), LANGUAGES) == "ku"
