"""Rasa SDK actions of Korte Lijnen. The action server loads every module in this package."""

from bot.i18n import problems
from bot.logging_config import configure

# Structured lines without personal data, also from the action server's own libraries.
configure("actions")
# The word lists are compiled at start-up, not while the first candidate waits.
problems.prepare()
