"""Alerts: what a candidate signalled, on its way to a person who can help.

`report` records an alert and its outbox messages in one transaction; the worker
(bot.worker) delivers them and escalates what nobody picked up. Free of Rasa imports.
"""

from bot.alerts.lifecycle import (NotAllowed, UnknownAlert, acknowledge, close, delivery_failed,
                                  escalate_overdue, route_unassigned, set_translation)
from bot.alerts.queries import list_alerts, show_alert
from bot.alerts.report import add_follow_up, report

__all__ = [
    "report", "add_follow_up", "acknowledge", "close", "delivery_failed", "escalate_overdue",
    "route_unassigned", "set_translation", "list_alerts", "show_alert", "NotAllowed", "UnknownAlert",
]
