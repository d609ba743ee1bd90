"""Alerts as the CLI and partners see them (`python -m bot alerts --json`)."""

import json
from typing import List, Optional

from sqlalchemy import select

from bot.store.models import Alert, OutboxMessage, Partner


def _iso(moment) -> Optional[str]:
    return moment.isoformat() if moment else None


def _partner(partner: Optional[Partner]) -> Optional[dict]:
    return {"id": partner.id, "role": partner.role, "name": partner.name} if partner else None


def _delivery(message: OutboxMessage) -> dict:
    to = _partner(message.partner) if message.partner else {"candidate": message.candidate_id}
    return {"purpose": message.purpose, "to": to, "status": message.status,
            "attempts": message.attempts, "sent_at": _iso(message.sent_at),
            "last_error": message.last_error}


def _view(session, alert: Alert, with_deliveries: bool) -> dict:
    candidate = alert.candidate
    view = {
        "id": alert.id,
        "sender_id": candidate.sender_id,
        "candidate": {"id": candidate.id, "name": candidate.display_name, "channel": candidate.channel},
        "kind": alert.kind,
        "problem_type": alert.problem_type,
        "urgent": alert.urgent,
        "status": alert.status,
        "unassigned": alert.assigned_to is None,
        "assigned_to": _partner(session.get(Partner, alert.assigned_to) if alert.assigned_to else None),
        "language": alert.language,
        "text": alert.text,
        "text_nl": alert.text_nl,
        "follow_up": alert.follow_up,
        "attachment": json.loads(alert.attachment) if alert.attachment else None,
        "created_at": _iso(alert.created_at),
        "delivered_at": _iso(alert.delivered_at),
        "ack_due_at": _iso(alert.ack_due_at),
        "acknowledged_at": _iso(alert.acknowledged_at),
        "acknowledged_by": _partner(session.get(Partner, alert.acknowledged_by) if alert.acknowledged_by else None),
        "escalated_at": _iso(alert.escalated_at),
        "closed_at": _iso(alert.closed_at),
    }
    if with_deliveries:
        messages = session.execute(select(OutboxMessage).filter_by(alert_id=alert.id)
                                   .order_by(OutboxMessage.id)).scalars()
        view["deliveries"] = [_delivery(message) for message in messages]
    return view


def list_alerts(store, status: Optional[str] = None, sender_id: Optional[str] = None,
                with_deliveries: bool = True) -> List[dict]:
    """Every alert, newest first; `status` "unassigned" lists those nobody has."""
    with store.session_scope() as session:
        query = select(Alert).order_by(Alert.id.desc())
        if status == "unassigned":
            query = query.where(Alert.assigned_to.is_(None), Alert.status == "pending")
        elif status:
            query = query.where(Alert.status == status)
        alerts = session.execute(query).scalars().all()
        return [_view(session, alert, with_deliveries) for alert in alerts
                if sender_id is None or alert.candidate.sender_id == sender_id]


def show_alert(store, alert_id: int) -> Optional[dict]:
    with store.session_scope() as session:
        alert = session.get(Alert, alert_id)
        return _view(session, alert, True) if alert else None
