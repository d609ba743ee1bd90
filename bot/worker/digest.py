"""The regisseur's daily digest: every alert of the day with its status, at a set hour."""

import os
from datetime import date, datetime, time, timedelta
from typing import List
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.alerts import outbox, routing
from bot.store.models import Alert, Partner

KEY = "digest:{partner}:{day}"


def zone() -> ZoneInfo:
    return ZoneInfo(os.environ.get("KL_TIMEZONE", "Europe/Amsterdam"))


def digest_hour() -> int:
    return int(os.environ.get("DIGEST_HOUR", "17"))


def digest_day(key: str) -> date:
    return date.fromisoformat(key.rsplit(":", 1)[1])


def _day_bounds(day: date) -> "tuple[datetime, datetime]":
    """The 24 hours before that day's digest: an alert after the hour is in the next one."""
    end = datetime.combine(day, time(digest_hour()), tzinfo=zone())
    return end - timedelta(days=1), end


def digest_alerts(session, regisseur: Partner, day: date) -> List[Alert]:
    """The alerts since the previous digest of the candidates this regisseur oversees."""
    start, end = _day_bounds(day)
    alerts = session.execute(select(Alert).where(Alert.created_at >= start, Alert.created_at < end)
                             .order_by(Alert.id)).scalars().all()
    return [alert for alert in alerts if regisseur in routing.regisseurs(session, alert.candidate)]


def queue_digests(store, now: datetime) -> int:
    """Queues today's digest for every regisseur on `digest` once the hour has come;
    the idempotency key makes it once a day, whichever worker gets there first."""
    local = now.astimezone(zone())
    if local.hour < digest_hour():
        return 0
    queued = 0
    with store.session_scope() as session:
        regisseurs = session.execute(select(Partner).where(
            Partner.role == "regisseur", Partner.notify == "digest")).scalars().all()
        for regisseur in regisseurs:
            if digest_alerts(session, regisseur, local.date()):
                key = KEY.format(partner=regisseur.id, day=local.date().isoformat())
                queued += outbox.enqueue(session, key, "digest", now, partner=regisseur)
    return queued


