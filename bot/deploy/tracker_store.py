"""Rasa's SQL tracker store, with its table and behaviour, in SQLAlchemy Core instead of the ORM.

Every turn Rasa reads the conversation's events since its last session start and, after
the turn, counts them again and appends the new ones. Rasa 3.6 does this through ORM
objects: with PostgreSQL about a quarter of the Rasa process's CPU per turn (`make bench`).
The same statements as plain rows cost about half, and they run in a thread, so the event
loop serves other conversations while the database works (Rasa's block it). Same table,
same rows, same order, so replicas with either class share one database.
Configured by bot/deploy/endpoints.py for both SQLite and PostgreSQL.
"""

import asyncio
import json
from typing import Any, Dict, List, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY


class CoreSQLTrackerStore(SQLTrackerStore):
    def _conversation(self, sender_id: Text, all_sessions: bool) -> sa.sql.ColumnElement:
        """The rows of a conversation: since its latest SessionStarted, or all of them."""
        events = self.SQLEvent.__table__
        condition = events.c.sender_id == sender_id
        if all_sessions:
            return condition
        session_start = (sa.select(sa.func.max(events.c.timestamp))
                         .where(events.c.sender_id == sender_id, events.c.type_name == SessionStarted.type_name)
                         .scalar_subquery())
        return sa.and_(condition, sa.or_(events.c.timestamp >= session_start, session_start.is_(None)))

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool
                        ) -> Optional[DialogueStateTracker]:
        rows = await asyncio.to_thread(self._read, sender_id, fetch_events_from_all_sessions)
        if not self.domain or not rows:
            return None
        return DialogueStateTracker.from_dict(sender_id, [json.loads(row) for row in rows], self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        await asyncio.to_thread(self._append, tracker.sender_id, list(tracker.events))

    # In a thread: the event loop goes on with other conversations while the database works.
    def _read(self, sender_id: Text, all_sessions: bool) -> List[str]:
        events = self.SQLEvent.__table__
        query = sa.select(events.c.data).where(self._conversation(sender_id, all_sessions)).order_by(events.c.id)
        with self.engine.connect() as connection:  # ids, not timestamps, keep the order
            return connection.execute(query).scalars().all()

    def _append(self, sender_id: Text, tracker_events: List[Event]) -> None:
        """Appends the events beyond those stored since the session start, as Rasa's does."""
        events = self.SQLEvent.__table__
        with self.engine.begin() as connection:
            stored = connection.execute(sa.select(sa.func.count(events.c.id))
                                        .where(self._conversation(sender_id, False))).scalar()
            rows = [_row(sender_id, event) for event in tracker_events[stored:]]
            if rows:
                connection.execute(events.insert(), rows)


def _row(sender_id: Text, event: Event) -> Dict[str, Any]:
    data = event.as_dict()
    return {"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"), "data": json.dumps(data)}
