"""Reads Twilio's webhook form (an incoming WhatsApp message) into an Incoming message."""

from typing import Mapping, Optional

from bot.channels.incoming import Incoming, media_item
from bot.channels.whatsapp.address import normalise

MAX_MEDIA = 10  # Twilio sends at most ten attachments per message


def parse(form: Mapping[str, str]) -> Optional[Incoming]:
    """None when the form is not an incoming message (no MessageSid or sender)."""
    sid = form.get("MessageSid") or form.get("SmsMessageSid")
    sender = form.get("From") or ""
    if not sid or not sender.strip():
        return None
    return Incoming.build(normalise(sender), sid, form.get("Body"),
                          display_name=(form.get("ProfileName") or "").strip() or None,
                          media=_media(form))


def _media(form: Mapping[str, str]) -> list:
    items = []
    try:
        count = min(int(form.get("NumMedia") or 0), MAX_MEDIA)
    except ValueError:
        count = 0
    for index in range(count):
        url, content_type = form.get(f"MediaUrl{index}"), form.get(f"MediaContentType{index}")
        if url:
            items.append(media_item(kind_of(content_type), url, content_type or None))
    if form.get("Latitude") and form.get("Longitude"):
        items.append(media_item("location", f"{form['Latitude']},{form['Longitude']}"))
    return items


def kind_of(content_type: Optional[str]) -> str:
    major = (content_type or "").split("/")[0].lower()
    if major == "audio":
        return "voice"
    if major in ("image", "video"):
        return major
    if "vcard" in (content_type or "").lower():
        return "contact"
    return "document"
