"""Partners (jobcoach, regisseur ...) who write to the bot get the partner side, in Dutch.

For now: acknowledging an alert ("ok 17", "/ok 17", or the Telegram button, whose
payload is the same text).
"""

import re

from rasa_sdk.executor import CollectingDispatcher

from actions.common import store
from bot import alerts
from bot.notify.messages import text as partner_text

_ACK = re.compile(r"^\s*/?\s*(?:ok|oké|oke|opgepakt)\s*#?\s*(\d+)\s*$", re.IGNORECASE)


def reply_to_partner(dispatcher: CollectingDispatcher, partner: dict, message_text: str) -> None:
    match = _ACK.match(message_text or "")
    if match is None:
        dispatcher.utter_message(text=partner_text("partner_help"))
        return
    alert_id = int(match.group(1))
    try:
        changed = alerts.acknowledge(store(), alert_id, partner["id"])
    except alerts.NotAllowed:
        dispatcher.utter_message(text=partner_text("not_allowed", id=alert_id))
        return
    dispatcher.utter_message(text=partner_text("acknowledged" if changed else "already_acknowledged", id=alert_id))
