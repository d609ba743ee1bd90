"""When a candidate completes the intake, their jobcoach and intermediair get the profile."""

from datetime import datetime
from typing import Optional

from bot.alerts import outbox, routing
from bot.partners.desk import audit
from bot.store.models import utcnow

RECEIVERS = ("jobcoach", "intermediair")


def send_profile(store, sender_id: str, now: Optional[datetime] = None) -> int:
    """Queues the profile for each linked jobcoach and intermediair; returns how many.
    Rendered when sent (bot.worker.delivery), so a translation that lands later is in it."""
    now = now or utcnow()
    with store.session_scope() as session:
        candidate = store.candidate_row(session, sender_id)
        stamp = (candidate.intake_completed_at or now).isoformat()
        queued = 0
        for role in RECEIVERS:
            for partner in routing.linked(session, candidate, role):
                key = f"profile:{candidate.id}:{partner.id}:{stamp}"
                if outbox.enqueue(session, key, "profile", now, partner=partner, candidate_id=candidate.id):
                    audit(session, partner, "profile_sent", candidate, "ok", now)
                    queued += 1
        return queued
