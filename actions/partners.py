"""Partners (jobcoach, regisseur, intermediair ...) who write to the bot get the partner
side, in Dutch: bot.partners.desk answers, with their rights, and audits."""

import functools

from rasa_sdk.executor import CollectingDispatcher

from actions.common import store
from bot.partners.desk import Desk


@functools.lru_cache(maxsize=None)
def desk() -> Desk:
    return Desk(store())


def reply_to_partner(dispatcher: CollectingDispatcher, partner: dict, message_text: str) -> None:
    for reply in desk().handle(partner["id"], message_text):
        dispatcher.utter_message(text=reply)
