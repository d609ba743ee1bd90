"""What an outbox message says, rendered when it is sent (so a late translation is used)."""

import functools
import json
from datetime import date
from pathlib import Path
from typing import List, Optional

import yaml

from bot.i18n.render import render
from bot.notify.channels import Outgoing
from bot.store.models import Alert, Candidate, OutboxMessage
from bot.vocabulary import SOURCE_LANGUAGE

CATALOG = Path(__file__).resolve().parents[1] / "catalogs" / "partners" / "nl.yml"


@functools.lru_cache(maxsize=1)
def _catalog() -> dict:
    with CATALOG.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def partner_catalog() -> dict:
    """The partner side's Dutch texts and word lists (bot/catalogs/partners/nl.yml)."""
    return _catalog()


def text(key: str, **values) -> str:
    return _catalog()["messages"][key].format(**values)


def label(group: str, key: str) -> str:
    return _catalog()["labels"][group].get(key, key)


def candidate_name(candidate: Candidate) -> str:
    return candidate.display_name or text("candidate_name", id=candidate.id)


def _ack_hint(alert: Alert, channel: str) -> str:
    return text({"telegram": "ack_telegram", "whatsapp": "ack_whatsapp"}.get(channel, "ack_local"), id=alert.id)


def _body(alert: Alert) -> List[str]:
    lines = [text("alert", id=alert.id, kind=label("kinds", alert.kind),
                  candidate=candidate_name(alert.candidate),
                  problem_type=label("problem_types", alert.problem_type),
                  urgent=text("urgent") if alert.urgent else "")]
    if alert.problem_type == "safety":
        lines.append(text("safety_note"))
    if alert.text and (alert.language or SOURCE_LANGUAGE) == SOURCE_LANGUAGE:
        lines.append(text("text_dutch", text=alert.text))
    elif alert.text:
        lines.append(text("text_nl", text=alert.text_nl) if alert.text_nl else text("text_nl_missing"))
        lines.append(text("text_original", language=alert.language, text=alert.text))
    if alert.follow_up:
        lines.append(text("follow_up", id=alert.id, candidate=candidate_name(alert.candidate),
                          answer=label("follow_up", alert.follow_up)))
    if alert.attachment:
        kinds = sorted({label("media", item.get("type", "document")) for item in json.loads(alert.attachment)})
        lines.append(text("attachment", media=", ".join(kinds), id=alert.id))
    return lines


def _for_partner(message: OutboxMessage, channel: str) -> Outgoing:
    alert = message.alert
    if message.purpose == "follow_up":
        return Outgoing(text("follow_up", id=alert.id, candidate=candidate_name(alert.candidate),
                             answer=label("follow_up", alert.follow_up or "unknown")))
    lines = _body(alert)
    if message.purpose == "alert_copy":
        return Outgoing("\n".join(lines + [text("copy")]))
    if message.purpose == "escalation":
        lines.insert(0, text("escalation"))
    lines.append(_ack_hint(alert, channel))
    buttons = [{"title": text("ack_button"), "payload": f"ok {alert.id}"}] if channel == "telegram" else None
    return Outgoing("\n".join(lines), buttons)


def digest(alerts: List[Alert], day: date) -> Outgoing:
    lines = [text("digest_title", date=day.strftime("%d-%m-%Y"))]
    for alert in alerts:
        lines.append(text("digest_line", id=alert.id, candidate=candidate_name(alert.candidate),
                          kind=label("kinds", alert.kind), problem_type=label("problem_types", alert.problem_type),
                          status=label("statuses", alert.status)))
    return Outgoing("\n".join(lines))


def for_candidate(response: str, candidate: Candidate) -> Outgoing:
    """A notice to a candidate in their language (curated catalogs, falling back to Dutch)."""
    language = candidate.language or SOURCE_LANGUAGE
    message = render(response, language, "whatsapp", {}) or {"text": ""}
    return Outgoing(message["text"], language=language)


def render_outbox(message: OutboxMessage, channel: str, digest_alerts: Optional[List[Alert]] = None,
                  day: Optional[date] = None) -> Outgoing:
    if message.purpose == "ack_notice":
        return for_candidate("utter_alert_acknowledged", message.candidate)
    if message.purpose == "digest":
        return digest(digest_alerts or [], day)
    return _for_partner(message, channel)
