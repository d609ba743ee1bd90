"""`python -m bot worker`: runs the worker until SIGTERM or Ctrl-C."""

import asyncio
import logging
import signal

from bot import settings, translate
from bot.store import Store
from bot.worker import Worker, health

logger = logging.getLogger(__name__)


async def _main(once: bool) -> int:
    store = Store.from_env()
    store.upgrade()
    translator = translate.from_env()
    worker = Worker(store, translator=None if translator.name == "none" else translate.CachedTranslator(translator, store))
    if once:
        counts = await worker.drain()
        print(dict(counts))
        return 0
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    server = await health.serve(worker, settings.WORKER_PORT)
    logger.info("worker started; health on port %s", settings.WORKER_PORT)
    try:
        await worker.run_until(stopping)
    finally:
        server.close()
    return 0


def main(once: bool = False) -> int:
    from bot import logging_config

    logging_config.configure("worker")
    return asyncio.run(_main(once))
