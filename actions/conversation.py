"""Every message outside the intake form goes through `action_route`.

It tells partners from candidates, passes on what a candidate signals (a problem, a
request to be parked or to talk to someone, a file), handles stop and the language, and
otherwise starts or resumes the intake exactly where the candidate left off.
"""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.alerting import FOLLOW_UP_SLOT, pass_on, record_follow_up
from actions.common import channel_of, ensure_candidate, latest_message, store
from actions.partners import reply_to_partner
from bot.alerts.signals import signal_of
from bot.i18n import catalog
from bot.intake import questions
from bot.intake.replies import Message
from bot.vocabulary import LANGUAGES, SOURCE_LANGUAGE

OPEN_INTAKE = SlotSet("intake_open", True)  # data/rules.yml then runs intake_form
WAIT = SlotSet("intake_open", False)  # data/rules.yml then listens
STOP_CONFIDENCE = 0.8


class ActionRoute(Action):
    def name(self) -> Text:
        return "action_route"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        message = latest_message(tracker)
        partner = store().partner_by_address(channel_of(tracker), tracker.sender_id)
        if partner is not None:
            reply_to_partner(dispatcher, partner, message.text)
            return [WAIT]
        return await _Candidate(dispatcher, tracker, message).route()


class _Candidate:
    """One message from a candidate outside the form."""

    def __init__(self, dispatcher: CollectingDispatcher, tracker: Tracker, message: Message) -> None:
        self.dispatcher = dispatcher
        self.tracker = tracker
        self.message = message
        self.sender = ensure_candidate(tracker)
        self.events: List[EventType] = []
        self.returning = store().is_stopped(self.sender)
        if self.returning:
            store().record_resume(self.sender)
        self.view = store().candidate_view(self.sender)
        self.language = tracker.get_slot("language") or self.view["language"] or SOURCE_LANGUAGE
        if tracker.get_slot("language") is None and self.view["language"]:
            self.events.append(SlotSet("language", self.view["language"]))

    async def route(self) -> List[EventType]:
        if self.wants_to_stop():
            store().record_stop(self.sender)
            self.dispatcher.utter_message(response="utter_stopped")
            return self.events + [SlotSet(FOLLOW_UP_SLOT, None), WAIT]
        signal = signal_of(self.message)
        follow_up: Optional[int] = self.tracker.get_slot(FOLLOW_UP_SLOT)
        if follow_up is not None:
            self.events.append(SlotSet(FOLLOW_UP_SLOT, None))
            if signal is None:  # the answer to "how long?"; a new report goes its own way
                record_follow_up(self.dispatcher, int(follow_up), self.message, self.language)
                return self.continue_intake(after_report=True)
        if signal is not None:
            asked = await pass_on(self.dispatcher, self.sender, signal, self.message, self.language)
            if asked is not None:
                return self.events + [SlotSet(FOLLOW_UP_SLOT, asked), WAIT]
            return self.continue_intake(after_report=True)
        if self.message.intent == "change_language" or catalog.matches_keyword(self.message.text, "language"):
            return self.events + [SlotSet("language", None), OPEN_INTAKE]
        return self.continue_intake()

    def wants_to_stop(self) -> bool:
        if catalog.matches_keyword(self.message.text, "stop"):
            return True
        # Outside the form a message answers nothing, so the model's word counts for more.
        return (self.language in LANGUAGES and self.message.intent == "stop"
                and self.message.confidence >= STOP_CONFIDENCE)

    def continue_intake(self, after_report: bool = False) -> List[EventType]:
        if not self.view["intake_complete"]:
            if after_report and _has_progress(self.tracker):
                self.dispatcher.utter_message(response="utter_intake_continues")
            elif not after_report and (self.returning or _has_progress(self.tracker)):
                self.dispatcher.utter_message(response="utter_welcome_back")
            return self.events + [OPEN_INTAKE]
        if not after_report:
            self.dispatcher.utter_message(
                response="utter_goodbye" if self.message.intent == "goodbye" else "utter_intake_already_done")
        return self.events + [WAIT]


def _has_progress(tracker: Tracker) -> bool:
    return any(tracker.get_slot(slot) is not None for slot in questions.BY_SLOT)
