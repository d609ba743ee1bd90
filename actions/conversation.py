"""Messages outside the intake form: start or resume the intake, stop, small talk."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import ensure_candidate, latest_message, store
from bot.i18n import catalog
from bot.intake import questions

OPEN_INTAKE = SlotSet("intake_open", True)  # data/rules.yml then run intake_form


class ActionRoute(Action):
    """Decides where a message outside the form goes.

    Until the intake is complete every message leads (back) into it, exactly where the
    candidate left off; afterwards greetings and questions get a short answer.
    """

    def name(self) -> Text:
        return "action_route"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[EventType]:
        sender = ensure_candidate(tracker)
        events: List[EventType] = []
        returning = store().is_stopped(sender)
        if returning:
            store().record_resume(sender)
        view = store().candidate_view(sender)
        if tracker.get_slot("language") is None and view["language"]:
            events.append(SlotSet("language", view["language"]))
        message = latest_message(tracker)

        if message.intent == "change_language" or catalog.matches_keyword(message.text, "language"):
            return events + [SlotSet("language", None), OPEN_INTAKE]
        if not view["intake_complete"]:
            if returning or _has_progress(tracker):
                dispatcher.utter_message(response="utter_welcome_back")
            return events + [OPEN_INTAKE]
        if message.intent == "goodbye":
            dispatcher.utter_message(response="utter_goodbye")
        else:
            dispatcher.utter_message(response="utter_intake_already_done")
        return events + [SlotSet("intake_open", False)]


def _has_progress(tracker: Tracker) -> bool:
    return any(tracker.get_slot(slot) is not None for slot in questions.BY_SLOT)


class ActionStop(Action):
    """The candidate asked us to stop: record it and send nothing more until they write."""

    def name(self) -> Text:
        return "action_stop"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[EventType]:
        sender = ensure_candidate(tracker)
        store().record_stop(sender)
        dispatcher.utter_message(response="utter_stopped")
        return []
