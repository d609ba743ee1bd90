"""Rasa's Redis lock store with atomic ticket operations, for several Rasa replicas.

Rasa 3.6's `RedisLockStore` changes a conversation's lock by GET, change in Python, SET.
Two replicas receiving messages of one conversation at the same moment can both read "no
lock", both take ticket 0 and process the two messages at once; the SQL tracker store then
keeps only one of the two turns' events (it appends what lies beyond the number of events
already stored), and a message is lost. Closing a lock races the same way: a replica can
delete the lock just after another one queued a ticket on it.

Here every change of a lock is one Redis transaction (WATCH, MULTI, EXEC; retried when
another replica changed the lock in between), so tickets are unique and in order, and a
lock is deleted only when no ticket is left in it. Storage format and keys are Rasa's, so
replicas with either class interoperate during a rolling update.
Configured by bot/deploy/endpoints.py when REDIS_URL is set.
"""

import json
from typing import Callable, Optional, Text, Tuple, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

Result = TypeVar("Result")
Change = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], Result]]


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # Rasa constructs a lock store named by its module path with the endpoint only.
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    def _transaction(self, conversation_id: Text, change: Change) -> Result:
        """Applies `change` to the stored lock atomically; a lock changed to None is deleted."""
        from redis.exceptions import WatchError

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock, result = change(TicketLock.from_dict(json.loads(stored)) if stored else None)
                    pipe.multi()
                    if lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, lock.dumps())
                    pipe.execute()
                    return result
                except WatchError:
                    continue  # another replica changed this lock meanwhile: read it again

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take(lock: Optional[TicketLock]):
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._transaction(conversation_id, take)
        except Exception as error:  # as Rasa's: the message fails instead of running unlocked
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        def expire(lock: Optional[TicketLock]):
            if lock:
                lock.remove_expired_tickets()
            return lock, None

        self._transaction(conversation_id, expire)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def finish(lock: Optional[TicketLock]):
            if lock:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._transaction(conversation_id, finish)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Removes the ticket, and the lock with it when nobody else holds a ticket."""

        def close(lock: Optional[TicketLock]):
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._transaction(conversation_id, close)
