"""Rasa's Redis lock store with atomic ticket operations, for several Rasa replicas.

Rasa 3.6's `RedisLockStore` changes a conversation's lock by GET, change in Python, SET.
Two replicas receiving messages of one conversation at the same moment can both read "no
lock", both take ticket 0 and process the two messages at once; the SQL tracker store then
keeps only one of the two turns' events (it appends what lies beyond the number of events
already stored), and a message is lost. Closing a lock races the same way: a replica can
delete the lock just after another one queued a ticket on it.

Here every change of a lock is one Lua script that Redis runs atomically: tickets are
unique and in order, and a lock is deleted only when no ticket is left in it. Storage
format and keys are Rasa's, so replicas with either class interoperate during a rolling
update. Ticket times come from the replica's clock, as in Rasa's class.

`lock()`, the one method Rasa's message handling uses, also waits differently. Rasa's
calls Redis synchronously three times per message, holding up every other conversation
of the replica while Redis answers, and a message that finds its conversation busy
checks again only after a whole second (people often send two messages in a row). Ours
asks Redis without blocking the event loop, twice per message when nobody is waiting
(take a ticket and learn whose turn it is, then give the ticket back), and checks a busy
conversation every 50 ms. Configured by bot/deploy/endpoints.py when REDIS_URL is set.
"""

import asyncio
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Optional, Text, Tuple

import redis.asyncio
from rasa.core.lock_store import DEFAULT_SOCKET_TIMEOUT_IN_SECONDS, LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

WAIT_FOR_TURN = 0.05  # seconds between checks while another message of the conversation is served

# Rasa's TicketLock in Lua. KEYS[1]: the lock. ARGV: conversation id, now, operation
# (issue | expire | serving | finish | close), then the lifetime (issue) or ticket number
# (serving, finish, close). The lock is {"conversation_id": ..., "tickets": [<each ticket as
# a JSON string>]}. Issue returns {new ticket, ticket now served}; serving returns the ticket
# now served, or -1 when the given one has expired; the others -1 when there is no lock.
CHANGE_LOCK = """
local now, operation = tonumber(ARGV[2]), ARGV[3]
local stored = redis.call('GET', KEYS[1])
if not stored and operation ~= 'issue' then
  return -1
end
local tickets = {}  -- {json, number}, without the expired ones (TicketLock drops them first)
if stored then
  for _, raw in ipairs(cjson.decode(stored)['tickets']) do
    local ticket = cjson.decode(raw)
    if ticket['expires'] >= now then
      table.insert(tickets, {raw, ticket['number']})
    end
  end
end
local result = -1
if operation == 'serving' then
  for _, ticket in ipairs(tickets) do
    if ticket[2] == tonumber(ARGV[4]) then
      result = tickets[1][2]
    end
  end
elseif operation == 'issue' then
  result = 0
  if #tickets > 0 then
    result = tickets[#tickets][2] + 1
  end
  local expires = now + tonumber(ARGV[4])
  table.insert(tickets, {cjson.encode({number = result, expires = expires}), result})
elseif operation == 'finish' or operation == 'close' then
  for index, ticket in ipairs(tickets) do
    if ticket[2] == tonumber(ARGV[4]) then
      table.remove(tickets, index)
      break
    end
  end
end
if operation == 'close' and #tickets == 0 then
  redis.call('DEL', KEYS[1])
  return result
end
local encoded = {}
for index, ticket in ipairs(tickets) do
  encoded[index] = cjson.encode(ticket[1])
end
redis.call('SET', KEYS[1], '{"conversation_id": ' .. cjson.encode(ARGV[1]) ..
  ', "tickets": [' .. table.concat(encoded, ', ') .. ']}')
if operation == 'issue' then
  return {result, tickets[1][2]}
end
return result
"""


def _async_client(config: EndpointConfig) -> redis.asyncio.Redis:
    """The connection settings Rasa's RedisLockStore takes from the endpoint, for asyncio."""
    kwargs = config.kwargs
    return redis.asyncio.Redis(
        host=config.url, port=int(kwargs.get("port", 6379)), db=int(kwargs.get("db", 1)),
        username=kwargs.get("username"), password=kwargs.get("password"), ssl=bool(kwargs.get("use_ssl")),
        ssl_certfile=kwargs.get("ssl_certfile"), ssl_keyfile=kwargs.get("ssl_keyfile"),
        ssl_ca_certs=kwargs.get("ssl_ca_certs"),
        socket_timeout=float(kwargs.get("socket_timeout", DEFAULT_SOCKET_TIMEOUT_IN_SECONDS)))


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # Rasa constructs a lock store named by its module path with the endpoint only.
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)
        self._endpoint = endpoint_config
        self._change_lock = self.red.register_script(CHANGE_LOCK)  # EVALSHA, loaded on first use
        self._async: Optional[Tuple[asyncio.AbstractEventLoop, Any]] = None  # (loop, script)

    def _arguments(self, conversation_id: Text, operation: str, argument: float) -> dict:
        return {"keys": [self.key_prefix + conversation_id],
                "args": [conversation_id, repr(time.time()), operation, repr(argument)]}

    def _change(self, conversation_id: Text, operation: str, argument: float = 0):
        return self._change_lock(**self._arguments(conversation_id, operation, argument))

    async def _change_async(self, conversation_id: Text, operation: str, argument: float = 0):
        loop = asyncio.get_running_loop()
        if self._async is None or self._async[0] is not loop:  # a client's connections belong to one loop
            self._async = (loop, _async_client(self._endpoint).register_script(CHANGE_LOCK))
        return await self._async[1](**self._arguments(conversation_id, operation, argument))

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = WAIT_FOR_TURN) -> AsyncIterator[None]:
        """Holds the conversation's turn while the message is handled (Rasa's callers take
        no lock object from it)."""
        try:
            ticket, serving = await self._change_async(conversation_id, "issue", lock_lifetime)
        except Exception as error:  # as Rasa's: the message fails instead of running unlocked
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        try:
            while serving != ticket:
                if serving == -1:  # our ticket expired while waiting
                    raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
                await asyncio.sleep(wait_time_in_seconds)
                serving = await self._change_async(conversation_id, "serving", ticket)
            yield None
        finally:
            await self._change_async(conversation_id, "close", ticket)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return self._change(conversation_id, "issue", lock_lifetime)[0]
        except Exception as error:  # as Rasa's: the message fails instead of running unlocked
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        """Drops the expired tickets."""
        self._change(conversation_id, "expire")

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self._change(conversation_id, "finish", ticket_number)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Removes the ticket, and the lock with it when nobody else holds a ticket."""
        self._change(conversation_id, "close", ticket_number)
