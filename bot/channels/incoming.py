"""A message as a connector hands it to Rasa: normalised text, sender and metadata.

The metadata is a contract with the actions (actions/common.py reads it):
  display_name        the contact's name, when the platform tells it
  media               [{"type": voice|image|document|video|location|contact,
                        "reference": Telegram file_id | Twilio MediaUrl | "lat,lon",
                        "content_type": mime type or None}], absent without media
  command             True when the text began with "/" (removed, so Rasa never reads an intent)
  channel_message_id  Telegram's update_id, Twilio's MessageSid
"""

from dataclasses import dataclass, field
from typing import List, Optional

from bot.channels.text import strip_command

MEDIA_TYPES = ("voice", "image", "document", "video", "location", "contact")


def media_item(kind: str, reference: str, content_type: Optional[str] = None) -> dict:
    assert kind in MEDIA_TYPES, kind
    return {"type": kind, "reference": reference, "content_type": content_type}


@dataclass
class Incoming:
    sender_id: str
    message_id: str
    text: str = ""
    display_name: Optional[str] = None
    media: List[dict] = field(default_factory=list)
    command: bool = False
    callback_query_id: Optional[str] = None  # Telegram: a button press to answer

    @classmethod
    def build(cls, sender_id: str, message_id: str, raw_text: Optional[str], **kwargs) -> "Incoming":
        text, command = strip_command(raw_text or "")
        return cls(sender_id=sender_id, message_id=message_id, text=text, command=command, **kwargs)

    def metadata(self) -> dict:
        metadata = {"channel_message_id": self.message_id}
        if self.display_name:
            metadata["display_name"] = self.display_name
        if self.media:
            metadata["media"] = self.media
        if self.command:
            metadata["command"] = True
        return metadata
