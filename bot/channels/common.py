"""What both connectors share: one store per process, background tasks, retries."""

import asyncio
import functools
import logging
import random
from typing import Awaitable, Callable, Set, TypeVar

from bot.channels.errors import ChannelError
from bot.store import Store

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Client libraries log request URLs (Telegram's carry the bot token) at INFO: keep them quiet.
for _name in ("httpx", "httpcore", "telegram", "twilio.http_client"):
    logging.getLogger(_name).setLevel(logging.WARNING)


@functools.lru_cache(maxsize=None)
def store() -> Store:
    """One store per process, at the newest schema (a no-op when the services migrated)."""
    instance = Store.from_env()
    instance.upgrade()
    return instance


async def in_thread(function: Callable[..., T], *args) -> T:
    """Runs blocking work (the database, twilio's client) off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(function, *args))


_tasks: Set[asyncio.Task] = set()


def in_background(coroutine: Awaitable, what: str) -> asyncio.Task:
    """Runs the coroutine after the webhook answered; keeps a reference so it is not
    garbage-collected half-way, and logs (ids only) instead of losing an exception."""
    task = asyncio.ensure_future(coroutine)
    _tasks.add(task)

    def done(finished: asyncio.Task) -> None:
        _tasks.discard(finished)
        if not finished.cancelled() and finished.exception() is not None:
            error = finished.exception()
            logger.error("%s failed: %s", what, type(error).__name__,
                         exc_info=error)

    task.add_done_callback(done)
    return task


async def with_retries(send: Callable[[], Awaitable[T]], attempts: int = 4,
                       first_delay: float = 0.5) -> T:
    """Retries a retryable ChannelError with exponential backoff and jitter."""
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            return await send()
        except ChannelError as error:
            if not error.retryable or attempt == attempts:
                raise
            logger.warning("send failed (%s), retry %d of %d", error.code, attempt, attempts - 1)
            await asyncio.sleep(delay * (1 + random.random() / 2))
            delay *= 2
    raise AssertionError("unreachable")
