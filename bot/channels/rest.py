"""Rasa's REST channel (the terminal chat, tests, local partners) without the `/intent`
shortcut: a leading "/" is plain text here too, as on Telegram and WhatsApp. Same name
and webhook path as Rasa's own: POST /webhooks/rest/webhook."""

from typing import Any, Dict, Optional, Text

from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic.request import Request

from bot.channels.text import strip_command


class RestInput(RasaRestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def _extract_message(self, req: Request) -> Optional[Text]:
        text = super()._extract_message(req)
        return strip_command(text)[0] if isinstance(text, str) else text

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        metadata = super().get_metadata(request)
        text = (request.json or {}).get("message")
        if isinstance(text, str) and strip_command(text)[1]:
            metadata = {**(metadata if isinstance(metadata, dict) else {}), "command": True}
        return metadata
