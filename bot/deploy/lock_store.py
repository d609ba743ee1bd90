"""Rasa's Redis lock store with atomic ticket operations, for several Rasa replicas.

Rasa 3.6's `RedisLockStore` changes a conversation's lock by GET, change in Python, SET.
Two replicas receiving messages of one conversation at the same moment can both read "no
lock", both take ticket 0 and process the two messages at once; the SQL tracker store then
keeps only one of the two turns' events (it appends what lies beyond the number of events
already stored), and a message is lost. Closing a lock races the same way: a replica can
delete the lock just after another one queued a ticket on it.

Here every change of a lock is one Lua script that Redis runs atomically: tickets are
unique and in order, and a lock is deleted only when no ticket is left in it. One round
trip per change also matters for speed: Rasa calls the lock store synchronously on its
event loop, twice per message. Storage format and keys are Rasa's, so replicas with either
class interoperate during a rolling update. Ticket times come from the replica's clock, as
in Rasa's class. Configured by bot/deploy/endpoints.py when REDIS_URL is set.
"""

import time
from typing import Text

from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# Rasa's TicketLock in Lua. KEYS[1]: the lock. ARGV: conversation id, now, operation
# (issue | expire | finish | close), then the lifetime (issue) or ticket number (finish, close).
# The lock is {"conversation_id": ..., "tickets": [<each ticket as a JSON string>]}.
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
if operation == 'issue' then
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
return result
"""


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # Rasa constructs a lock store named by its module path with the endpoint only.
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)
        self._change_lock = self.red.register_script(CHANGE_LOCK)  # EVALSHA, loaded on first use

    def _change(self, conversation_id: Text, operation: str, argument: float = 0) -> int:
        return self._change_lock(keys=[self.key_prefix + conversation_id],
                                 args=[conversation_id, repr(time.time()), operation, repr(argument)])

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return self._change(conversation_id, "issue", lock_lifetime)
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
