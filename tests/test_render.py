from bot.i18n import bidi
from bot.i18n.render import fill, render


def test_buttons_on_rest_and_numbered_menu_on_whatsapp():
    variables = {"question_number": "13", "question_count": "16"}
    rest = render("utter_ask_pre_bicycle", "en", "collector", variables)
    assert rest["text"].startswith("Question 13 of 16.")
    assert [b["title"] for b in rest["buttons"]] == ["Yes", "No", "I don't know"]
    assert [b["payload"] for b in rest["buttons"]] == ["1", "2", "3"]
    whatsapp = render("utter_ask_pre_bicycle", "en", "whatsapp", variables)
    assert "buttons" not in whatsapp
    assert "1. Yes\n2. No\n3. I don't know" in whatsapp["text"]
    assert whatsapp["text"].endswith("Send the number of your choice.")


def test_dutch_comes_from_the_domain():
    message = render("utter_ask_identity", "nl", "collector", {"question_number": 1, "question_count": 16})
    assert message["text"].startswith("Vraag 1 van 16.")


def test_missing_language_falls_back_to_dutch():
    message = render("utter_goodbye", "xx", "collector", {})
    assert message["text"].startswith("Tot ziens")


def test_unknown_response_renders_nothing():
    assert render("utter_does_not_exist", "nl", "collector", {}) is None


def test_missing_placeholder_value_stays_visible():
    assert fill("Vraag {question_number}", {}) == "Vraag {question_number}"


def test_rtl_values_are_isolated():
    text = fill("مرحبا {name}", {"name": "Amina 12"}, rtl=True)
    assert f"{bidi.FSI}Amina 12{bidi.PDI}" in text
    assert bidi.mark_rtl_lines("a\nb").split("\n") == [bidi.RLM + "a", bidi.RLM + "b"]
