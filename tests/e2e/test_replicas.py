"""Issue 7: two Rasa servers, two action servers and two workers sharing PostgreSQL and
Redis behave like one. Conversations are sent to both Rasa replicas in turn, one replica
is killed halfway, and every tracker, answer and alert is checked afterwards; then two
workers reach a scheduled digest at once."""

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid

import pytest
import redis
from sqlalchemy import create_engine, text

from bot import alerts
from bot.store import Store
from tests.conftest import _postgres_reachable, new_postgres_database
from tests.e2e.conftest import ROOT
from tests.e2e.topology import Topology
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.e2e

REDIS_DB = 9  # a database of its own on the local Redis, emptied first
CONVERSATIONS = 6
RACERS = 8  # conversations that get two messages at the same moment, one on each replica
# Dutch intake: language, consent, three answers, a problem and its follow-up, two answers.
SCRIPT = ["hallo", "1", "1", "Ik ben {name} uit Syrië", "Ik wil elektricien worden",
          "mijn fiets is gestolen, ik kan morgen niet komen", "2", "Ik kan goed met mijn handen werken",
          "Ik heb vijf jaar als timmerman gewerkt", "Mensen zeggen dat ik geduldig ben"]
ANSWERS = {"identity": 3, "motivation": 4, "capabilities": 7, "work_experience": 8, "talents": 9}


@pytest.fixture(scope="module")
def database():
    if not _postgres_reachable():
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    with new_postgres_database("kl_replicas") as url:
        yield url


def say(urls, turn: int, sender: str, message: str) -> None:
    """Like a load balancer: replicas in turn, the next one when a replica is gone."""
    import json

    body = json.dumps({"sender": sender, "message": message}).encode()
    for attempt in range(len(urls)):
        url = urls[(turn + attempt) % len(urls)]
        request = urllib.request.Request(f"{url}/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                return
        except (ConnectionError, urllib.error.URLError):
            continue
    raise AssertionError("no replica answered")


@pytest.fixture(scope="module")
def redis_server():
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=2).ping()
    except redis.RedisError:
        pytest.skip("Redis is not reachable at 127.0.0.1:6379 (the replicas' lock store)")


def test_two_replicas_behave_like_one_and_survive_losing_one(redis_server, database, tmp_path):
    telegram = FakeTelegramAPI()
    topology = Topology(database, telegram, tmp_path, redis_db=REDIS_DB)
    store = Store(database)
    try:
        coach = store.add_partner("jobcoach", "Joke", "telegram", "4242")
        senders = [f"replica-{n}-{uuid.uuid4().hex[:6]}" for n in range(CONVERSATIONS)]
        names = [f"Naam{n}" for n in range(CONVERSATIONS)]
        halfway = threading.Barrier(CONVERSATIONS + 1)

        def converse(index: int) -> None:
            sender = senders[index]
            for turn, line in enumerate(SCRIPT):
                if turn == 1:
                    store.link(sender, coach)  # the candidate exists after the first message
                if turn == len(SCRIPT) // 2:
                    halfway.wait(timeout=120)
                    halfway.wait(timeout=120)  # replica b is gone now
                say(topology.urls, turn + index, sender, line.format(name=names[index]))

        threads = [threading.Thread(target=converse, args=(n,)) for n in range(CONVERSATIONS)]
        for thread in threads:
            thread.start()
        halfway.wait(timeout=300)
        # Two messages of one conversation at the same moment, one to each replica, in several
        # conversations: the Redis lock store makes them take turns (without it, or with
        # Rasa's non-atomic one, one turn's events overwrite the other's in the tracker store).
        racers = [f"replica-race-{n}-{uuid.uuid4().hex[:6]}" for n in range(RACERS)]
        for racer in racers:
            say(topology.urls, 0, racer, "hallo")
        together = threading.Barrier(2 * RACERS)

        def at_once(turn, racer, word):
            together.wait(timeout=60)
            say(topology.urls, turn, racer, word)

        both = [threading.Thread(target=at_once, args=(turn, racer, word))
                for racer in racers for turn, word in ((0, "1"), (1, "hoi"))]
        for thread in both:
            thread.start()
        for thread in both:
            thread.join(timeout=120)
        os.killpg(topology.rasa[1].pid, signal.SIGKILL)  # replica b dies between messages
        topology.rasa[1].wait()
        halfway.wait(timeout=60)
        for thread in threads:
            thread.join(timeout=300)

        for index, sender in enumerate(senders):
            view = store.candidate_view(sender)
            expected = {topic: SCRIPT[turn].format(name=names[index]) for topic, turn in ANSWERS.items()}
            assert {topic: view["answers"][topic] for topic in ANSWERS} == expected, sender
            assert view["preconditions"] and view["consent"] is True
        engine = create_engine(database)
        with engine.connect() as connection:
            for index, sender in enumerate(senders):
                said = [row[0] for row in connection.execute(text(
                    "SELECT data::json->>'text' FROM events WHERE sender_id = :sender AND type_name = 'user' ORDER BY id"),
                    {"sender": sender})]
                assert said == [line.format(name=names[index]) for line in SCRIPT], sender  # in order, once
            for racer in racers:
                events = [(kind, name) for kind, name in connection.execute(text(
                    "SELECT type_name, data::json->>'name' FROM events WHERE sender_id = :sender ORDER BY id"),
                    {"sender": racer})]
                users = [n for n, (kind, _name) in enumerate(events) if kind == "user"]
                assert len(users) == 3, (racer, events)  # nothing lost
                for later in users[1:]:  # each turn ended (listening) before the next one began
                    assert events[later - 1] == ("action", "action_listen"), (racer, events)

        # One alert per conversation, each delivered once although two workers ran.
        found = [alert for alert in alerts.list_alerts(store) if alert["sender_id"] in senders]
        assert len(found) == CONVERSATIONS and {alert["problem_type"] for alert in found} == {"transport"}
        deadline = time.monotonic() + 30
        while not all(f"Melding {a['id']}:" in " ".join(m["text"] for m in telegram.sent("4242")) for a in found):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        texts = [m["text"] for m in telegram.sent("4242")]
        for alert in found:
            assert sum(f"Melding {alert['id']}:" in t for t in texts) == 1

        # A scheduled job, once: two workers reach the regisseur's digest hour at the same
        # moment; one digest is queued and sent. The alerts move a day back, into the 24 hours
        # before today's midnight digest, whatever the hour the test runs.
        regisseur = store.add_partner("regisseur", "Rita", "telegram", "4343")
        for sender in senders:
            store.link(sender, regisseur)
        with engine.begin() as connection:
            connection.execute(text("UPDATE alerts SET created_at = created_at - interval '1 day'"))
        due = dict(topology.base, DIGEST_HOUR="0")
        workers = [subprocess.Popen([sys.executable, "-m", "bot", "worker", "--once"], cwd=ROOT, env=due,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
        assert [worker.wait(timeout=120) for worker in workers] == [0, 0]
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM outbox WHERE purpose = 'digest'")).scalar() == 1
        assert len(telegram.sent("4343")) == 1
        engine.dispose()
    finally:
        topology.stop()
        store.engine.dispose()
        telegram.close()
