"""Our SQL tracker store (bot/deploy/tracker_store.py) against Rasa's own, on SQLite and on
the local PostgreSQL: Rasa builds it from the endpoints we write, both read and write the
same rows, and a conversation handed between them (replicas in a rolling update) keeps
every event once, in order, within its latest session."""

import asyncio

import pytest
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from bot.deploy import endpoints
from bot.deploy.tracker_store import CoreSQLTrackerStore
from tests.conftest import _postgres_reachable, new_postgres_database
from tests.e2e.conftest import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(params=["sqlite", "postgresql"])
def environment(request, tmp_path):
    if request.param == "sqlite":
        yield {"TRACKER_DB": str(tmp_path / "tracker.db")}
        return
    if not _postgres_reachable():
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    with new_postgres_database("kl_tracker") as url:
        yield {"DATABASE_URL": url}


def stores(environment, tmp_path):
    """Ours as Rasa builds it from our endpoints file, and Rasa's on the same database."""
    path = endpoints.write(dict(environment), tmp_path / "endpoints.yml")
    config = read_endpoint_config(str(path), "tracker_store")
    ours = TrackerStore.create(config, domain=DOMAIN)
    theirs = SQLTrackerStore(domain=DOMAIN, host=config.url, **config.kwargs)
    return ours, theirs


def turn(tracker: DialogueStateTracker, text: str, number: int) -> None:
    tracker.update(UserUttered(text, {"name": "inform", "confidence": 0.9},
                               parse_data={"intent": {"name": "inform", "confidence": 0.9}, "entities": [], "text": text}))
    tracker.update(SlotSet("language", "ar"))
    tracker.update(BotUttered(f"vraag {number}"))
    tracker.update(ActionExecuted("action_listen"))


def texts(tracker: DialogueStateTracker) -> list:
    return [event.text for event in tracker.events if isinstance(event, UserUttered)]


def test_a_conversation_handed_between_our_store_and_rasas_keeps_every_event(environment, tmp_path):
    ours, theirs = stores(environment, tmp_path)
    assert type(ours.inner_tracker_store if hasattr(ours, "inner_tracker_store") else ours) is CoreSQLTrackerStore

    async def conversation():
        tracker = DialogueStateTracker("amina", DOMAIN.slots)
        for number, store in enumerate([ours, theirs, ours, ours, theirs]):
            stored = await store.retrieve("amina") if number else tracker
            turn(stored, f"antwoord {number}", number)
            await store.save(stored)
        return await ours.retrieve("amina"), await theirs.retrieve("amina")

    read_by_ours, read_by_theirs = asyncio.run(conversation())
    assert texts(read_by_ours) == [f"antwoord {number}" for number in range(5)]
    assert [event.as_dict() for event in read_by_ours.events] == [event.as_dict() for event in read_by_theirs.events]
    assert read_by_ours.get_slot("language") == "ar"


def test_only_the_latest_session_is_read_unless_all_are_asked_for(environment, tmp_path):
    ours, theirs = stores(environment, tmp_path)

    async def two_sessions():
        tracker = DialogueStateTracker("yonas", DOMAIN.slots)
        turn(tracker, "oude sessie", 1)
        await ours.save(tracker)
        tracker = await ours.retrieve("yonas")
        tracker.update(ActionExecuted("action_session_start"))
        tracker.update(SessionStarted())
        tracker.update(ActionExecuted("action_listen"))
        turn(tracker, "nieuwe sessie", 2)
        await ours.save(tracker)
        tracker = await ours.retrieve("yonas")  # the new session only: saving again adds nothing twice
        turn(tracker, "nog een", 3)
        await ours.save(tracker)
        return (await ours.retrieve("yonas"), await theirs.retrieve("yonas"),
                await ours.retrieve_full_tracker("yonas"), await theirs.retrieve_full_tracker("yonas"))

    latest, latest_by_rasa, everything, everything_by_rasa = asyncio.run(two_sessions())
    assert texts(latest) == texts(latest_by_rasa) == ["nieuwe sessie", "nog een"]
    assert texts(everything) == texts(everything_by_rasa) == ["oude sessie", "nieuwe sessie", "nog een"]


def test_an_unknown_conversation_is_none(environment, tmp_path):
    ours, _theirs = stores(environment, tmp_path)
    assert asyncio.run(ours.retrieve("nobody")) is None
