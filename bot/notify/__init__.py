"""Delivering outbox messages to people: partners' alerts, candidates' notices.

`messages` renders what an outbox row says (Dutch for partners, the candidate's own
language for candidates); `channels` hands it to Telegram, WhatsApp or the local console.
"""

from bot.notify.channels import DeliveryError, Outgoing, send

__all__ = ["DeliveryError", "Outgoing", "send"]
