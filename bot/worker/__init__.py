"""The worker (`python -m bot worker`): delivers the outbox, escalates alerts nobody
picked up, routes alerts that found nobody, queues the regisseurs' digests, translates
answers that are still waiting for their Dutch, and forgets old incoming message ids.

Every step is a short transaction, safe to run in several workers at once on PostgreSQL.
The clock is injectable, so tests move time instead of sleeping.
"""

import asyncio
import logging
from collections import Counter
from datetime import datetime, timedelta
from typing import Callable, Optional

from bot import alerts, translate
from bot.channels import state
from bot.store.models import utcnow
from bot.worker import delivery
from bot.worker.digest import queue_digests

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.2  # how soon a new alert leaves: well inside the 1-second target
BATCH = 10  # messages claimed and sent at once
HOUSEKEEPING = timedelta(seconds=30)  # escalation, routing, digests, translations


class Worker:
    def __init__(self, store, clock: Callable[[], datetime] = utcnow,
                 translator: Optional[translate.Translator] = None) -> None:
        self.store = store
        self.clock = clock
        self.translator = translator
        self.stats: Counter = Counter()
        self.last_tick: Optional[datetime] = None
        self._last_housekeeping: Optional[datetime] = None

    async def tick(self) -> Counter:
        """One round: housekeeping when due, then every due message. Returns this round's counts."""
        counts: Counter = Counter()
        now = self.clock()
        if self._last_housekeeping is None or now - self._last_housekeeping >= HOUSEKEEPING:
            counts.update(self.housekeeping(now))
            self._last_housekeeping = now
        claimed = delivery.claim(self.store, now, limit=BATCH)
        counts["reclaimed"] += sum(item.reclaimed for item in claimed)
        # Sent side by side: a slow channel does not hold up the others, and everything
        # claimed is truly in flight (so a crash re-sends only what may have gone out).
        outcomes = await asyncio.gather(*(delivery.deliver(self.store, item, self.clock) for item in claimed))
        counts.update(outcomes)
        self.stats.update(counts)
        self.last_tick = self.clock()
        return counts

    def housekeeping(self, now: datetime) -> Counter:
        counts = Counter(
            escalated=alerts.escalate_overdue(self.store, now),
            routed=alerts.route_unassigned(self.store, now),
            digests=queue_digests(self.store, now),
            # Incoming message ids are kept a week: longer than any platform redelivers.
            receipts_forgotten=state.forget_receipts(self.store),
        )
        if self.translator is not None:
            counts["translated"] = translate.translate_pending(self.store, self.translator)
        return +counts

    async def run_until(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            try:
                counts = await self.tick()
                if counts:
                    logger.info("worker round: %s", dict(counts))
            except Exception:  # the database may be restarting: log, wait, go on
                logger.exception("worker round failed; trying again")
                await asyncio.sleep(2)
            try:
                await asyncio.wait_for(stopping.wait(), POLL_SECONDS)
            except asyncio.TimeoutError:
                pass

    async def drain(self, limit: int = 100) -> Counter:
        """Ticks until nothing is due now (tests and `python -m bot worker --once`)."""
        total: Counter = Counter()
        for _ in range(limit):
            counts = await self.tick()
            total.update(counts)
            if not any(counts[key] for key in ("sent", "retry", "failed")):
                break
        return total
