"""The intake form: consent, then the life-phase questions and the preconditions.

`validate_intake_form` decides what every reply means (see bot.intake.replies), stores
answers as they come (never before consent) and chooses the next question. Rasa then
asks it with the response `utter_ask_<slot>`.
"""

import asyncio
import functools
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.alerting import FOLLOW_UP_SLOT, pass_on
from actions.common import ensure_candidate, latest_message, store
from bot import translate
from bot.i18n import catalog
from bot.i18n.detect import detect_first_message
from bot.intake import questions, summary
from bot.partners import handover
from bot.intake.questions import DONT_KNOW, NOTHING_ELSE_NEEDED_SLOT, SKIPPED, Question
from bot.alerts.signals import Signal, signal_of
from bot.intake.replies import (MAX_LENGTH, Message, Reply, choice_of, control_of, interpret,
                                language_choice)
from bot.vocabulary import LANGUAGES, SOURCE_LANGUAGE

CONSENT_VERSION = "consent-v1"  # bump when the consent text in the catalogs changes
REQUESTED = "requested_slot"
PROPOSAL_SLOT = "language_proposal"
DECLINED = "declined"

# Replies that leave the question open: the response to send before asking it again.
_RE_ASK = {
    "media": "utter_media_not_supported",
    "unreadable": "utter_not_readable",
    "too_long": "utter_too_long",
    "other_language": "utter_other_language",
    "unclear_choice": "utter_choose_option",
    "help": "utter_help",
    "greet": "utter_welcome_back",
}


class ValidateIntakeForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_intake_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        sender = ensure_candidate(tracker)
        slots = dict(tracker.slots)
        requested = slots.get(REQUESTED)
        changes: Dict[str, Any] = {}
        ends_form = False
        if requested:  # the form asked something: the latest message is the reply
            slots[requested] = None  # Rasa put the raw text there; the turn decides the value
            turn = _Turn(sender, slots, requested, latest_message(tracker), dispatcher)
            changes, ends_form = await turn.handle()
            if turn.saved_text:
                await _translate_for_partners(turn.saved_text)
        slots.update(changes)
        next_slot = None if ends_form else questions.next_slot(slots)
        events = [SlotSet(slot, value) for slot, value in changes.items()]
        if requested and requested not in changes:
            events.append(SlotSet(requested, None))  # asked again; tells Rasa we handled it
        if next_slot in questions.BY_SLOT:
            events += [
                SlotSet("question_number", str(questions.step_of(next_slot))),
                SlotSet("question_count", str(questions.TOTAL)),
            ]
        return events + [SlotSet(REQUESTED, next_slot)]


class _Turn:
    """One reply to the open question: returns the slot changes and whether the form ends."""

    def __init__(self, sender: str, slots: Dict[str, Any], requested: str, message: Message,
                 dispatcher: CollectingDispatcher) -> None:
        self.sender = sender
        self.slots = slots
        self.requested = requested
        self.message = message
        self.dispatcher = dispatcher
        self.language = slots.get("language") or SOURCE_LANGUAGE
        self.saved_text: Optional[dict] = None  # an answer in words, to translate for partners

    async def handle(self) -> "tuple[Dict[str, Any], bool]":
        if self.requested == questions.LANGUAGE_SLOT:
            return self.choose_language(), False
        answering = questions.BY_SLOT.get(self.requested)
        signal = None if control_of(self.message, self.language) else signal_of(self.message, answering)
        if signal is not None:
            return await self.pass_on(signal)
        if self.requested == questions.CONSENT_SLOT:
            return self.consent()
        return self.answer(questions.BY_SLOT[self.requested])

    async def pass_on(self, signal: Signal) -> "tuple[Dict[str, Any], bool]":
        """A problem (or parking, a person, a file) mid-intake: the alert goes out, then
        the same question again. With a follow-up question the form pauses until the
        answer (action_route takes it and resumes the form)."""
        asked = await pass_on(self.dispatcher, self.sender, signal, self.message, self.language)
        if asked is not None:
            return {FOLLOW_UP_SLOT: asked}, True
        self.say("utter_intake_continues")
        return {}, False

    def say(self, response: str, **variables: Any) -> None:
        self.dispatcher.utter_message(response=response, **variables)

    def choose_language(self) -> Dict[str, Any]:
        proposal = self.slots.get(PROPOSAL_SLOT)
        if proposal in LANGUAGES:  # "1" means yes to the proposed language here
            choice = choice_of(self.message, ("met", "not_met"), proposal)
            if choice == "not_met" or catalog.matches_keyword(self.message.text, "language"):
                return {PROPOSAL_SLOT: DECLINED}  # now the whole menu
            language = proposal if choice == "met" else language_choice(
                self.message, LANGUAGES, by_number=False)
        else:
            language = language_choice(self.message, LANGUAGES)
        if language is None:
            return {}  # the same question again
        if language not in LANGUAGES and _translator().name == "none":
            self.say("utter_language_unavailable")  # in the language so far; English follows
            return {}
        store().set_language(self.sender, language)
        self.say("utter_language_set", language=language)
        return {questions.LANGUAGE_SLOT: language}

    def titles(self, response: str) -> List[str]:
        """The button titles the candidate saw, so typing one counts as pressing it."""
        entry = catalog.response(response, self.language) or {}
        return entry.get("buttons") or []

    def consent(self) -> "tuple[Dict[str, Any], bool]":
        reply = interpret(self.message, ("met", "not_met"), self.language, self.titles("utter_ask_consent"))
        if reply.kind == "stop":
            return self.stop()
        if reply.kind != "choice" or reply.value not in ("met", "not_met"):
            self.say("utter_choose_option")
            return {}, False
        given = reply.value == "met"
        store().record_consent(self.sender, given, CONSENT_VERSION)
        if given:
            self.say("utter_intake_intro", question_count=str(questions.TOTAL))
        else:
            self.say("utter_consent_refused")
        return {questions.CONSENT_SLOT: "yes" if given else "no"}, False

    def stop(self) -> "tuple[Dict[str, Any], bool]":
        store().record_stop(self.sender)
        self.say("utter_stopped")
        return {}, True

    def answer(self, question: Question) -> "tuple[Dict[str, Any], bool]":
        reply = interpret(self.message, question.choices, self.language,
                          self.titles(f"utter_ask_{question.slot}"))
        control = getattr(self, f"on_{reply.kind}", None)
        if control is not None:
            return control(question)
        if reply.kind in _RE_ASK:
            self.say(_RE_ASK[reply.kind], max_length=str(MAX_LENGTH))
            return {}, False
        value = self.value_of(question, reply)
        self.saved_text = _save(self.sender, question, value, self.language)
        return {question.slot: value}, False

    def value_of(self, question: Question, reply: Reply) -> str:
        if reply.kind == "skip":
            return SKIPPED
        if reply.kind == "dont_know":
            return "unknown" if question.is_closed else DONT_KNOW
        if question.slot == NOTHING_ELSE_NEEDED_SLOT and self.says_no():
            return "met"
        return reply.value

    def says_no(self) -> bool:
        return catalog.matches_keyword(self.message.text, "deny") or self.message.confidently("deny")

    # Controls that do more than record a value.
    def on_stop(self, question: Question) -> "tuple[Dict[str, Any], bool]":
        return self.stop()

    def on_pause(self, question: Question) -> "tuple[Dict[str, Any], bool]":
        self.say("utter_paused", question_number=str(questions.step_of(question.slot)))
        return {}, True

    def on_language(self, question: Question) -> "tuple[Dict[str, Any], bool]":
        return {questions.LANGUAGE_SLOT: None}, False  # the menu, then this question again

    def on_back(self, question: Question) -> "tuple[Dict[str, Any], bool]":
        previous = questions.previous_answered(self.slots, question.slot)
        if previous is None:
            self.say("utter_cannot_go_back")
            return {}, False
        _clear(self.sender, questions.BY_SLOT[previous])
        self.say("utter_went_back")
        return {previous: None}, False

    def on_restart(self, question: Question) -> "tuple[Dict[str, Any], bool]":
        store().reset_intake(self.sender)
        self.say("utter_restarted")
        return {slot: None for slot in questions.BY_SLOT}, False


def _save(sender: str, question: Question, value: str, language: str) -> Optional[dict]:
    """Stores one answer (a topic, or a precondition's status and note).

    Returns what was stored in the candidate's own words when that needs a Dutch
    translation, in the shape of `Store.untranslated()`.
    """
    if question.topic:
        status = {SKIPPED: "skipped", DONT_KNOW: "dont_know"}.get(value, "answered")
        text = value if status == "answered" else None
        store().save_answer(sender, question.topic, status, text=text, language=language)
        item = {"topic": question.topic}
    else:
        status, text = _precondition_state(question, value)
        store().save_precondition(sender, question.precondition, status, note=text, language=language)
        item = {"precondition": question.precondition}
    if text is None or language == "nl":
        return None
    return {"sender_id": sender, "text": text, "language": language, **item}


@functools.lru_cache(maxsize=None)
def _translator():
    return translate.from_env()


async def _translate_for_partners(item: dict) -> None:
    """Dutch for partners, off the event loop; if the service fails, the worker retries later."""
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, translate.translate_to_dutch, store(), _translator(), item)


def _precondition_state(question: Question, value: str) -> "tuple[str, Optional[str]]":
    if question.follow_up_of:  # the hindrance stays; the reply says what would help
        note = None if value in (SKIPPED, DONT_KNOW) else value
        return "not_met", note
    if question.is_closed:
        return {"met": "met", "not_needed": "met", "not_met": "not_met"}.get(value, "unknown"), None
    # The open "anything else needed?" question: "no" means nothing is missing.
    if value in (SKIPPED, DONT_KNOW):
        return "unknown", None
    if value == "met":
        return "met", None
    return "not_met", value


def _clear(sender: str, question: Question) -> None:
    if question.topic:
        store().clear_answer(sender, question.topic)
    elif question.follow_up_of:
        store().save_precondition(sender, question.precondition, "not_met")
    else:
        store().clear_precondition(sender, question.precondition)


class ActionAskLanguage(Action):
    """Asks for the language: offers the one the first message is clearly written in, else the menu."""

    def name(self) -> Text:
        return "action_ask_language"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[EventType]:
        proposal = tracker.get_slot(PROPOSAL_SLOT)
        if proposal is None and _is_new(tracker):
            proposal = detect_first_message(latest_message(tracker).text)
        if proposal in LANGUAGES:
            dispatcher.utter_message(response="utter_propose_language", language=proposal)
            return [SlotSet(PROPOSAL_SLOT, proposal)]
        dispatcher.utter_message(response="utter_ask_language")
        return []


def _is_new(tracker: Tracker) -> bool:
    """No language was ever chosen: someone switching language gets the menu, not a guess."""
    return store().candidate_view(ensure_candidate(tracker))["language"] is None


class ActionIntakeFinished(Action):
    """Runs when the form ends: completes the intake, or tidies up after 'no' to consent."""

    def name(self) -> Text:
        return "action_intake_finished"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[EventType]:
        slots = dict(tracker.slots)
        if slots.get(questions.CONSENT_SLOT) == "no":
            return [SlotSet(questions.CONSENT_SLOT, None)]  # asked again when they return
        if slots.get(questions.CONSENT_SLOT) != "yes" or questions.next_slot(slots):
            return []  # paused or stopped: the answers so far are kept
        sender = tracker.sender_id
        if not store().candidate_view(sender)["intake_complete"]:
            store().complete_intake(sender)
            handover.send_profile(store(), sender)  # the jobcoach and intermediair get the profile
            language = slots.get("language") or SOURCE_LANGUAGE
            dispatcher.utter_message(
                response="utter_intake_summary", summary=summary.for_candidate(slots, language)
            )
        return []
