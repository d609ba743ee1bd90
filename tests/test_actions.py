"""The actions with real rasa-sdk Trackers and CollectingDispatchers, on a real SQLite store."""

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import common
from actions.conversation import ActionRoute
from actions.intake import ActionIntakeFinished, ValidateIntakeForm
from bot.intake import questions

SENDER = "amina"


@pytest.fixture(autouse=True)
def action_store(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'actions.db'}")
    common.store.cache_clear()
    yield common.store()
    common.store().engine.dispose()
    common.store.cache_clear()


def tracker(text="", slots=None, intent=None, confidence=0.0, metadata=None):
    message = {"text": text, "intent": {"name": intent, "confidence": confidence},
               "entities": [], "metadata": metadata or {}}
    return Tracker(SENDER, dict(slots or {}), message, [], False, None,
                   {"name": "intake_form"}, "action_listen")


def run_form(text, slots, **kwargs):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateIntakeForm().run(dispatcher, tracker(text, slots, **kwargs), {}))
    values = {event["name"]: event["value"] for event in events if event["event"] == "slot"}
    responses = [message["response"] for message in dispatcher.messages]
    return values, responses, dispatcher


def consented(**answers):
    common.store().ensure_candidate("rest", SENDER)
    common.store().record_consent(SENDER, True, "consent-v1")
    return {"language": "nl", "consent": "yes", **answers}


def test_new_candidate_is_asked_the_language_first():
    values, responses, _ = run_form("hallo", {})
    assert values["requested_slot"] == "language" and responses == []
    assert common.store().candidate_view(SENDER)["consent"] is None


def test_language_choice_is_stored_and_confirmed_in_that_language():
    values, responses, dispatcher = run_form("2", {"requested_slot": "language"})
    assert values["language"] == "en" and values["requested_slot"] == "consent"
    assert responses == ["utter_language_set"] and dispatcher.messages[0]["language"] == "en"
    assert common.store().candidate_view(SENDER)["language"] == "en"


def test_consent_yes_is_recorded_and_the_first_question_follows():
    values, responses, _ = run_form("1", {"language": "nl", "requested_slot": "consent"})
    assert values["consent"] == "yes" and values["requested_slot"] == "identity"
    assert values["question_number"] == "1" and values["question_count"] == "16"
    view = common.store().candidate_view(SENDER)
    assert view["consent"] is True and view["consent_version"] == "consent-v1"


def test_consent_no_ends_the_form_and_nothing_is_asked():
    values, responses, _ = run_form("nee", {"language": "nl", "requested_slot": "consent"})
    assert values["consent"] == "no" and values["requested_slot"] is None
    assert responses == ["utter_consent_refused"]
    assert common.store().candidate_view(SENDER)["consent"] is False


def answered_before(slot, **extra):
    """Slots of a candidate who answered every question before `slot` (with "1": 'met'
    for closed questions, so no follow-up applies unless `extra` says otherwise)."""
    order = [question.slot for question in questions.QUESTIONS]
    earlier = {name: "met" if questions.BY_SLOT[name].is_closed else "1"
               for name in order[: order.index(slot)]}
    slots = consented(**earlier)
    slots.update(extra, requested_slot=slot)
    return slots


def test_an_answer_is_stored_and_numbered():
    slots = consented(requested_slot="identity")
    values, _, _ = run_form("Ik ben Amina uit Syrië", slots)
    assert values["identity"] == "Ik ben Amina uit Syrië"
    assert values["requested_slot"] == "motivation" and values["question_number"] == "2"
    assert common.store().candidate_view(SENDER)["answers"]["identity"] == "Ik ben Amina uit Syrië"


def test_bad_input_stores_nothing_and_asks_again():
    slots = consented(requested_slot="identity")
    for text, response in [("", "utter_not_readable"), ("🙂", "utter_not_readable"),
                           ("x" * 5000, "utter_too_long")]:
        values, responses, _ = run_form(text, slots)
        assert values["identity"] is None and values["requested_slot"] == "identity"
        assert responses == [response]
    values, responses, _ = run_form("", slots, metadata={"media": [{"type": "voice", "reference": "f1"}]})
    # A file goes to the jobcoach as an alert; the question stays open.
    assert responses == ["utter_media_forwarded", "utter_intake_continues"] and values["identity"] is None
    assert common.store().candidate_view(SENDER)["answers"]["identity"] is None


def test_go_back_clears_the_previous_answer():
    slots = consented(identity="Amina", requested_slot="motivation")
    common.store().save_answer(SENDER, "identity", "answered", "Amina", "nl")
    values, responses, _ = run_form("terug", slots)
    assert values["identity"] is None and values["requested_slot"] == "identity"
    assert responses == ["utter_went_back"]
    assert common.store().candidate_view(SENDER)["answer_status"]["identity"] is None


def test_go_back_on_the_first_question():
    values, responses, _ = run_form("terug", consented(requested_slot="identity"))
    assert responses == ["utter_cannot_go_back"] and values["requested_slot"] == "identity"


def test_skip_and_dont_know():
    slots = consented(requested_slot="identity")
    values, _, _ = run_form("overslaan", slots)
    assert values["identity"] == questions.SKIPPED
    values, _, _ = run_form("geen idee", consented(requested_slot="motivation"), intent="dont_know", confidence=0.99)
    assert values["motivation"] == questions.DONT_KNOW
    status = common.store().candidate_view(SENDER)["answer_status"]
    assert status["identity"] == "skipped" and status["motivation"] == "dont_know"


def test_pause_and_stop_end_the_form_without_asking_again():
    values, responses, _ = run_form("pauze", consented(requested_slot="talents"))
    assert values["requested_slot"] is None and responses == ["utter_paused"]
    values, responses, _ = run_form("stop", consented(requested_slot="talents"))
    assert values["requested_slot"] is None and responses == ["utter_stopped"]
    assert common.store().is_stopped(SENDER)


def test_restart_clears_everything_but_language_and_consent():
    slots = consented(identity="Amina", motivation="werk", requested_slot="capabilities")
    common.store().save_answer(SENDER, "identity", "answered", "Amina", "nl")
    values, responses, _ = run_form("opnieuw", slots)
    assert responses == ["utter_restarted"] and values["requested_slot"] == "identity"
    assert values["motivation"] is None
    assert common.store().candidate_view(SENDER)["answers"]["identity"] is None


def test_closed_question_no_brings_the_follow_up_and_its_note():
    values, _, _ = run_form("2", answered_before("pre_childcare"))
    assert values["pre_childcare"] == "not_met" and values["requested_slot"] == "pre_childcare_help"
    assert values["question_number"] == "14"
    slots = answered_before("pre_childcare_help", pre_childcare="not_met")
    values, _, _ = run_form("mijn moeder kan helpen", slots)
    assert values["requested_slot"] == "pre_digital_skills"
    assert common.store().candidate_view(SENDER)["preconditions"]["childcare"] == {
        "status": "not_met", "note": "mijn moeder kan helpen"}


def test_childcare_not_needed_counts_as_met():
    values, _, _ = run_form("3", answered_before("pre_childcare"))
    assert values["pre_childcare"] == "not_needed" and values["requested_slot"] == "pre_digital_skills"
    assert common.store().candidate_view(SENDER)["preconditions"]["childcare"]["status"] == "met"


def test_nothing_else_needed():
    values, _, _ = run_form("nee", answered_before("pre_other"))
    assert values["pre_other"] == "met" and values["requested_slot"] is None
    assert common.store().candidate_view(SENDER)["preconditions"]["other"]["status"] == "met"


def test_language_switch_keeps_the_place():
    slots = consented(identity="Amina", requested_slot="motivation")
    values, _, _ = run_form("taal", slots)
    assert values["language"] is None and values["requested_slot"] == "language"
    values, _, _ = run_form("2", {**slots, "language": None, "requested_slot": "language"})
    assert values["requested_slot"] == "motivation"


def finished(slots):
    dispatcher = CollectingDispatcher()
    events = ActionIntakeFinished().run(dispatcher, tracker("", slots), {})
    return events, dispatcher.messages


def test_finishing_completes_the_intake_once_with_a_summary():
    slots = consented(**{slot: "1" for slot in questions.question_slots({})})
    slots.update(pre_driving_licence="met", pre_bicycle="not_met", pre_bicycle_help="lopen",
                 pre_other="met", talents=questions.SKIPPED)
    events, messages = finished(slots)
    assert messages[0]["response"] == "utter_intake_summary"
    summary = messages[0]["summary"]
    assert "• Rijbewijs: ja" in summary and "• Fiets: nee (lopen)" in summary
    assert "• Sterke punten: overgeslagen" in summary and "• Nog nodig: niets" in summary
    assert common.store().candidate_view(SENDER)["intake_complete"] is True
    assert finished(slots)[1] == []  # a second end (e.g. after a language switch) says nothing


def test_finishing_after_no_consent_forgets_the_no_so_it_is_asked_again():
    events, messages = finished({"language": "nl", "consent": "no"})
    assert events == [SlotSet("consent", None)] and messages == []


def test_finishing_after_pause_keeps_answers_and_says_nothing():
    events, messages = finished(consented(identity="Amina"))
    assert events == [] and messages == []
    assert common.store().candidate_view(SENDER)["intake_complete"] is False


def route(dispatcher, *args, **kwargs):
    return asyncio.run(ActionRoute().run(dispatcher, tracker(*args, **kwargs), {}))


def test_router_opens_the_intake_and_welcomes_back_after_a_stop():
    dispatcher = CollectingDispatcher()
    events = route(dispatcher, "hallo", {}, intent="greet")
    assert SlotSet("intake_open", True) in events and dispatcher.messages == []
    dispatcher = CollectingDispatcher()
    events = route(dispatcher, "stop", {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_stopped"]
    assert SlotSet("intake_open", False) in events and common.store().is_stopped(SENDER)
    dispatcher = CollectingDispatcher()
    events = route(dispatcher, "hoi", {}, intent="greet")
    assert [m["response"] for m in dispatcher.messages] == ["utter_welcome_back"]
    assert not common.store().is_stopped(SENDER)


def test_router_after_a_complete_intake():
    consented()
    common.store().complete_intake(SENDER)
    dispatcher = CollectingDispatcher()
    events = route(dispatcher, "doei", {}, intent="goodbye")
    assert SlotSet("intake_open", False) in events
    assert dispatcher.messages[0]["response"] == "utter_goodbye"


def ask_language(text):
    dispatcher = CollectingDispatcher()
    common.store().ensure_candidate("rest", SENDER)
    from actions.intake import ActionAskLanguage
    events = ActionAskLanguage().run(dispatcher, tracker(text, {}), {})
    return events, dispatcher.messages


@pytest.mark.parametrize("text,language", [("hello", "en"), ("goedemorgen", "nl"), ("merhaba", "tr"),
                                           ("مرحبا كيف حالك", "ar"), ("سلام، چطوری؟", "fa"), ("ሰላም", "ti")])
def test_a_clear_first_message_gets_its_language_proposed(text, language):
    events, messages = ask_language(text)
    assert events == [SlotSet("language_proposal", language)]
    assert messages[0]["response"] == "utter_propose_language" and messages[0]["language"] == language


@pytest.mark.parametrize("text", ["hi", "salam", "1", "ok"])
def test_an_unclear_first_message_gets_the_menu(text):
    events, messages = ask_language(text)
    assert events == [] and messages[0]["response"] == "utter_ask_language"


def test_accepting_and_declining_the_proposal():
    values, _, _ = run_form("1", {"requested_slot": "language", "language_proposal": "tr"})
    assert values["language"] == "tr" and values["requested_slot"] == "consent"
    values, _, _ = run_form("2", {"requested_slot": "language", "language_proposal": "tr"})
    assert values["language_proposal"] == "declined" and values["requested_slot"] == "language"
    values, _, _ = run_form("3", {"requested_slot": "language", "language_proposal": "declined"})
    assert values["language"] == "ar"


def test_someone_switching_language_gets_the_menu_not_a_guess():
    common.store().ensure_candidate("rest", SENDER)
    common.store().set_language(SENDER, "nl")
    events, messages = ask_language("I would like to use English instead please")
    assert messages[0]["response"] == "utter_ask_language"


def test_asking_for_another_language_declines_the_proposal():
    values, _, _ = run_form("andere taal", {"requested_slot": "language", "language_proposal": "nl"})
    assert values["language_proposal"] == "declined"


def test_a_language_outside_the_seven_needs_a_translator(monkeypatch):
    from actions import intake

    monkeypatch.setenv("TRANSLATOR", "none")
    intake._translator.cache_clear()
    values, responses, _ = run_form("pashto", {"requested_slot": "language"})
    assert responses == ["utter_language_unavailable"] and values["requested_slot"] == "language"
    monkeypatch.setenv("TRANSLATOR", "libre")
    intake._translator.cache_clear()
    values, _, _ = run_form("pashto", {"requested_slot": "language"})
    assert values["language"] == "ps" and values["requested_slot"] == "consent"
    intake._translator.cache_clear()


def test_typing_a_button_title_counts_as_pressing_it():
    values, _, _ = run_form("Ja, ik doe mee", {"language": "nl", "requested_slot": "consent"})
    assert values["consent"] == "yes"
    values, _, _ = run_form("Niet nodig", answered_before("pre_childcare"))
    assert values["pre_childcare"] == "not_needed"
