"""Passing on what a candidate signalled (a problem, parking, a person, a file) and
telling them, in their language, who will contact them."""

import asyncio
import functools
import logging
from typing import Optional

from rasa_sdk.executor import CollectingDispatcher

from actions.common import store
from bot import alerts, translate
from bot.alerts.signals import Signal
from bot.i18n import catalog
from bot.intake.replies import Message
from bot.vocabulary import SOURCE_LANGUAGE

logger = logging.getLogger(__name__)

FOLLOW_UP_SLOT = "problem_follow_up"  # the alert whose "how long?" question is open
FOLLOW_UP_ANSWERS = ("today", "days", "longer")  # in the order of the question's buttons
# How long a report waits for its Dutch translation before it goes out without it (the
# translation then follows in the background). Urgent reports never wait.
TRANSLATION_BUDGET = 2.0


@functools.lru_cache(maxsize=None)
def _translator() -> translate.Translator:
    return translate.from_env()


async def pass_on(dispatcher: CollectingDispatcher, sender: str, signal: Signal, message: Message,
                  language: str) -> Optional[int]:
    """Records the alert and answers the candidate. Returns the alert's id when the
    follow-up question was asked (its answer comes with the next message)."""
    text = message.text.strip() or None
    urgent = signal.problem_type == "safety"
    text_nl = None if urgent else await _dutch_within_budget(sender, text, language)
    result = alerts.report(store(), sender, signal.kind, problem_type=signal.problem_type, text=text,
                           language=language, text_nl=text_nl, attachment=list(message.attachments) or None)
    logger.info("alert %s: %s/%s for candidate, to %s", result["id"], signal.kind, signal.problem_type,
                result["routed_to"])
    if text and text_nl is None and language != SOURCE_LANGUAGE:
        _translate_later(sender, result["id"], text, language)
    if signal.asks_how_long:
        dispatcher.utter_message(response="utter_problem_follow_up")
        return result["id"]
    _confirm(dispatcher, signal, result["routed_to"] == "jobcoach")
    return None


def _confirm(dispatcher: CollectingDispatcher, signal: Signal, has_jobcoach: bool) -> None:
    if signal.kind == "media":
        dispatcher.utter_message(response="utter_media_forwarded")
    elif signal.problem_type == "safety":
        dispatcher.utter_message(response="utter_safety_emergency")
        dispatcher.utter_message(response="utter_problem_passed_on_urgent")
    elif not has_jobcoach:
        dispatcher.utter_message(response="utter_no_coach_yet")
    else:
        dispatcher.utter_message(response={
            "park": "utter_park_passed_on", "human": "utter_human_passed_on",
        }.get(signal.kind, "utter_problem_passed_on"))


def record_follow_up(dispatcher: CollectingDispatcher, alert_id: int, message: Message, language: str) -> None:
    """The answer to "today, a few days or longer?" goes to the jobcoach; then the thanks."""
    alerts.add_follow_up(store(), alert_id, follow_up_answer(message, language))
    alert = alerts.show_alert(store(), alert_id) or {}
    has_jobcoach = (alert.get("assigned_to") or {}).get("role") == "jobcoach"
    _confirm(dispatcher, Signal("problem", alert.get("problem_type", "other")), has_jobcoach)


def follow_up_answer(message: Message, language: str) -> str:
    text = catalog.normalise(message.text)
    if text.isdigit() and 1 <= int(text) <= len(FOLLOW_UP_ANSWERS):
        return FOLLOW_UP_ANSWERS[int(text) - 1]
    titles = (catalog.response("utter_problem_follow_up", language) or {}).get("buttons") or []
    for answer, title in zip(FOLLOW_UP_ANSWERS, titles):
        if text == catalog.normalise(title):
            return answer
    return "unknown"  # the jobcoach asks when they call; the candidate is not held up


async def _dutch_within_budget(sender: str, text: Optional[str], language: str) -> Optional[str]:
    if not text or language == SOURCE_LANGUAGE or _translator().name == "none":
        return None
    loop = asyncio.get_running_loop()
    work = loop.run_in_executor(None, _translate, text, language)
    try:
        return await asyncio.wait_for(asyncio.shield(work), TRANSLATION_BUDGET)
    except asyncio.TimeoutError:
        return None


def _translate(text: str, language: str) -> Optional[str]:
    try:
        return translate.CachedTranslator(_translator(), store()).translate(text, language, SOURCE_LANGUAGE)
    except translate.TranslationUnavailable:
        return None


def _translate_later(sender: str, alert_id: int, text: str, language: str) -> None:
    """The report went out without Dutch; the translation follows (or the worker retries)."""
    if _translator().name == "none":
        return
    item = {"sender_id": sender, "alert_id": alert_id, "text": text, "language": language}
    asyncio.get_running_loop().run_in_executor(None, translate.translate_to_dutch, store(), _translator(), item)
