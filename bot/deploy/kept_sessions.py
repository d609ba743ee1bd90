"""Rasa's HTTP calls to its endpoints (the action server) over connections kept open.

Rasa 3.6 makes a new aiohttp session for every request (`EndpointConfig.request` does
`async with self.session()`), so each custom action costs a new TCP connection and a new
connection pool on both sides. Here `session()` hands out one session per endpoint and
event loop, and leaving the `async with` keeps it open. Idle connections are dropped
after 4 s, before Sanic's keep-alive timeout (5 s) closes them from the other side, so a
request never goes out on a connection the server is closing.
"""

import asyncio
from typing import Optional

import aiohttp
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

IDLE_SECONDS = 4


class _KeptOpen:
    """`async with` on a session that outlives the block."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *exc_info) -> None:
        return None


def _new_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """As Rasa's `EndpointConfig.session()`, with a pool that drops idle connections early."""
    auth: Optional[aiohttp.BasicAuth] = None
    if endpoint.basic_auth:
        auth = aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
    return aiohttp.ClientSession(headers=endpoint.headers, auth=auth,
                                 timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                                 connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_SECONDS))


def kept_session(endpoint: EndpointConfig) -> _KeptOpen:
    loop = asyncio.get_running_loop()
    kept = endpoint.__dict__.get("_kept_session")
    if kept is None or kept[0] is not loop or kept[1].closed:
        kept = (loop, _new_session(endpoint))
        endpoint.__dict__["_kept_session"] = kept
    return _KeptOpen(kept[1])


def install() -> None:
    EndpointConfig.session = kept_session
