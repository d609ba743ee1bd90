"""How long an alert may wait for a person (from the environment; see .env.example)."""

import os
from datetime import timedelta


def _minutes(name: str, default: float) -> timedelta:
    return timedelta(minutes=float(os.environ.get(name, default)))


def ack_timeout(urgent: bool) -> timedelta:
    """Time for the jobcoach to acknowledge before the regisseur is asked."""
    if urgent:
        return _minutes("ALERT_ACK_MINUTES_URGENT", 15)
    return _minutes("ALERT_ACK_MINUTES", 4 * 60)
