"""What the actions share: the store, and reading the latest message from a tracker."""

import functools

from rasa_sdk import Tracker

from bot.intake.replies import Message
from bot.store import Store


@functools.lru_cache(maxsize=None)
def store() -> Store:
    """One store per action-server process, migrated to the current schema on first use."""
    instance = Store.from_env()
    instance.upgrade()
    return instance


def channel_of(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "rest"


def latest_message(tracker: Tracker) -> Message:
    latest = tracker.latest_message or {}
    intent = latest.get("intent") or {}
    metadata = latest.get("metadata") or {}
    media = metadata.get("media") or []
    problem_types = [entity.get("value") for entity in latest.get("entities") or []
                     if entity.get("entity") == "problem_type"]
    return Message(
        text=latest.get("text") or "",
        intent=intent.get("name"),
        confidence=float(intent.get("confidence") or 0.0),
        media=bool(media),
        problem_type=problem_types[0] if problem_types else None,
        attachments=tuple(media if isinstance(media, list) else [media]),
    )


def ensure_candidate(tracker: Tracker) -> str:
    """Registers the sender as a candidate (or notes they were seen); returns the sender id."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    store().ensure_candidate(
        channel_of(tracker), tracker.sender_id, display_name=metadata.get("display_name")
    )
    return tracker.sender_id
