"""The Redis lock store several Rasa replicas share (bot/deploy/lock_store.py), on the local
Redis: Rasa builds it from the endpoints we write, and tickets stay unique and in order when
replicas take them at the same moment (Rasa's own RedisLockStore hands out duplicates)."""

import asyncio
import random
import threading
import time
import uuid

import pytest
import redis
from rasa.core.lock_store import LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import read_endpoint_config

from bot.deploy import endpoints
from bot.deploy.lock_store import AtomicRedisLockStore

REDIS_DB = 11  # a database of its own on the local Redis


@pytest.fixture(scope="module")
def redis_url():
    url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError:
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    return url


def replica(redis_url, tmp_path) -> AtomicRedisLockStore:
    """A lock store as one Rasa replica builds it from the endpoints file we write."""
    path = endpoints.write({"REDIS_URL": redis_url}, tmp_path / "endpoints.yml")
    store = LockStore.create(read_endpoint_config(str(path), "lock_store"))
    assert isinstance(store, AtomicRedisLockStore)
    return store


def test_rasa_builds_our_lock_store_with_our_key_prefix(redis_url, tmp_path):
    store = replica(redis_url, tmp_path)
    assert store.key_prefix == f"{endpoints.KEY_PREFIX}:lock:"  # Rasa drops a prefix with a '-'
    assert store.red.connection_pool.connection_kwargs["db"] == REDIS_DB
    assert endpoints.build({})["tracker_store"]["dialect"] == "sqlite" and "lock_store" not in endpoints.build({})


def test_simultaneous_tickets_are_unique_and_the_lock_closes_when_empty(redis_url, tmp_path):
    stores = [replica(redis_url, tmp_path) for _ in range(8)]  # one connection each, like replicas
    conversation = f"c-{uuid.uuid4().hex[:8]}"
    tickets, start = [], threading.Barrier(len(stores))

    def take(store):
        start.wait()
        for _ in range(25):
            tickets.append(store.issue_ticket(conversation))

    threads = [threading.Thread(target=take, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(tickets) == list(range(200))  # none lost, none twice
    lock = stores[0].get_lock(conversation)
    assert [ticket.number for ticket in lock.tickets] == list(range(200))
    assert not lock.is_locked(0) and lock.is_locked(1)  # served in the order issued

    # Every holder cleans up at the same time: the lock goes only with the last ticket.
    done = threading.Barrier(len(stores))

    def finish(index, store):
        done.wait()
        for ticket in range(index, 200, len(stores)):
            store.cleanup(conversation, ticket)

    threads = [threading.Thread(target=finish, args=pair) for pair in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert stores[0].get_lock(conversation) is None


def test_a_ticket_taken_while_another_replica_closes_the_lock_survives(redis_url, tmp_path):
    first, second = replica(redis_url, tmp_path), replica(redis_url, tmp_path)
    conversation = f"c-{uuid.uuid4().hex[:8]}"
    for _ in range(50):
        mine = first.issue_ticket(conversation)
        start = threading.Barrier(2)
        theirs = []

        def close():
            start.wait()
            first.cleanup(conversation, mine)

        def take():
            start.wait()
            theirs.append(second.issue_ticket(conversation))

        threads = [threading.Thread(target=close), threading.Thread(target=take)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        lock = second.get_lock(conversation)
        assert lock is not None and theirs[0] in [ticket.number for ticket in lock.tickets]
        assert not lock.is_locked(theirs[0])  # the waiting replica can go on
        second.cleanup(conversation, theirs[0])
        assert second.get_lock(conversation) is None


def rasas(redis_url) -> RedisLockStore:
    return RedisLockStore(host="127.0.0.1", port=6379, db=REDIS_DB, key_prefix="rasa")


def test_every_change_leaves_the_lock_rasas_class_would_leave(redis_url, tmp_path):
    """The same random operations on our store and on Rasa's (one replica, where Rasa's is
    right) give the same tickets, expiries dropped alike, locks deleted alike."""
    ours, theirs = replica(redis_url, tmp_path), rasas(redis_url)
    pick = random.Random(7)
    conversation = f"c-{uuid.uuid4().hex[:8]}"
    for step in range(300):
        operation = pick.choice(["issue", "issue", "expired", "update", "finish", "cleanup"])
        number = pick.randrange(-1, 6)
        for store in (ours, theirs):
            if operation == "issue":
                store.issue_ticket(conversation, 60)
            elif operation == "expired":  # a ticket whose holder died long ago
                store.issue_ticket(conversation, -1)
            elif operation == "update":
                store.update_lock(conversation)
            elif operation == "finish":
                store.finish_serving(conversation, number)
            else:
                store.cleanup(conversation, number)
        mine, rasa = ours.get_lock(conversation), theirs.get_lock(conversation)
        assert (mine is None) == (rasa is None), (step, operation)
        if mine:
            assert [t.number for t in mine.tickets] == [t.number for t in rasa.tickets], (step, operation)
            assert mine.conversation_id == rasa.conversation_id == conversation


def test_replicas_with_rasas_class_and_ours_share_one_lock(redis_url, tmp_path):
    ours = replica(redis_url, tmp_path)
    theirs = RedisLockStore(host="127.0.0.1", port=6379, db=REDIS_DB, key_prefix=endpoints.KEY_PREFIX)
    conversation = f"c-{uuid.uuid4().hex[:8]}"
    assert [theirs.issue_ticket(conversation), ours.issue_ticket(conversation), theirs.issue_ticket(conversation)] == [0, 1, 2]
    assert [t.number for t in ours.get_lock(conversation).tickets] == [0, 1, 2]
    theirs.cleanup(conversation, 0)
    ours.cleanup(conversation, 1)
    assert [t.number for t in theirs.get_lock(conversation).tickets] == [2]
    ours.cleanup(conversation, 2)
    assert theirs.get_lock(conversation) is None


def test_messages_of_one_conversation_take_turns_across_replicas(redis_url, tmp_path):
    """Rasa's message handling holds `lock()`: holders on two replicas never overlap, go in
    the order they came, and a waiting message goes on soon after the turn is free
    (Rasa's class checks again only after a second)."""
    first, second = replica(redis_url, tmp_path), replica(redis_url, tmp_path)
    conversation = f"c-{uuid.uuid4().hex[:8]}"
    log = []

    async def handle(store, name, delay):
        await asyncio.sleep(delay)
        async with store.lock(conversation):
            log.append((name, "in", time.monotonic()))
            await asyncio.sleep(0.2)
            log.append((name, "out", time.monotonic()))

    async def both():
        await asyncio.gather(*(handle(store, n, 0.05 * n) for n, store in enumerate([first, second, first, second])))

    asyncio.run(both())
    assert [(name, step) for name, step, _ in log] == [(n, s) for n in range(4) for s in ("in", "out")]
    waits = [log[i + 1][2] - log[i][2] for i in range(1, len(log) - 1, 2)]  # from one out to the next in
    assert max(waits) < 0.5, waits
    assert first.get_lock(conversation) is None


def test_a_message_waits_for_a_ticket_rasas_class_holds(redis_url, tmp_path):
    ours = replica(redis_url, tmp_path)
    theirs = RedisLockStore(host="127.0.0.1", port=6379, db=REDIS_DB, key_prefix=endpoints.KEY_PREFIX)
    conversation = f"c-{uuid.uuid4().hex[:8]}"
    held = theirs.issue_ticket(conversation)
    entered = []

    async def handle():
        async with ours.lock(conversation):
            entered.append(time.monotonic())

    async def release_later():
        await asyncio.sleep(0.3)
        released = time.monotonic()
        theirs.cleanup(conversation, held)
        return released

    async def run():
        return (await asyncio.gather(handle(), release_later()))[1]

    released = asyncio.run(run())
    assert entered and entered[0] >= released
    assert ours.get_lock(conversation) is None


def test_a_message_whose_ticket_expired_while_waiting_fails_instead_of_running_unlocked(redis_url, tmp_path):
    store = replica(redis_url, tmp_path)
    conversation = f"c-{uuid.uuid4().hex[:8]}"
    held = store.issue_ticket(conversation)

    async def handle():
        async with store.lock(conversation, lock_lifetime=-1):  # expired as soon as it is taken
            pass

    with pytest.raises(LockError):
        asyncio.run(handle())
    assert [ticket.number for ticket in store.get_lock(conversation).tickets] == [held]
    store.cleanup(conversation, held)
    assert store.get_lock(conversation) is None


def test_a_redis_that_cannot_be_reached_fails_the_message(tmp_path):
    store = replica("redis://127.0.0.1:1/0", tmp_path)

    async def handle():
        async with store.lock("c-unreachable"):
            pass

    with pytest.raises(LockError):
        asyncio.run(handle())
