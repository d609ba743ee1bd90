"""Turns a response name into the message a channel can show, in the user's language.

Choices are buttons where the channel has them, and a numbered menu where it has not
(WhatsApp): the button payloads are the numbers, so "2" means the same on every channel.
"""

import logging
import re
from typing import Any, Dict, List, Mapping, Optional

from bot.i18n import catalog
from bot.i18n.bidi import isolate, mark_rtl_lines
from bot.vocabulary import RTL_LANGUAGES

logger = logging.getLogger(__name__)

# Output channels that can show buttons. Rasa's REST channel is called `collector`.
BUTTON_CHANNELS = frozenset({"collector", "rest", "telegram", "cmdline", "socketio"})

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(text: str, variables: Mapping[str, Any], rtl: bool = False) -> str:
    """Replaces {name} placeholders; unknown ones stay visible rather than crash a reply."""

    def replace(match: "re.Match") -> str:
        name = match.group(1)
        if variables.get(name) is None:
            logger.warning("no value for placeholder {%s}", name)
            return match.group(0)
        value = str(variables[name])
        return isolate(value) if rtl else value

    return _PLACEHOLDER.sub(replace, text)


def numbered_menu(titles: List[str], language: str) -> str:
    lines = [f"{number}. {title}" for number, title in enumerate(titles, start=1)]
    return "\n".join(lines + [catalog.term("menu_hint", language)])


def render(
    name: str,
    language: str,
    channel: Optional[str],
    variables: Mapping[str, Any],
    payloads: Optional[List[str]] = None,
) -> Optional[Dict[str, Any]]:
    """The message for response `name`, or None when no catalog has it.

    `payloads` are the button payloads from domain.yml (the catalogs hold only titles).
    """
    entry = catalog.response(name, language)
    if entry is None:
        return None
    rtl = language in RTL_LANGUAGES
    text = fill(entry.get("text", ""), variables, rtl)
    titles = entry.get("buttons") or []
    payloads = payloads or [str(number) for number in range(1, len(titles) + 1)]
    message: Dict[str, Any] = {"text": text}
    if titles and channel in BUTTON_CHANNELS:
        message["buttons"] = [
            {"title": title, "payload": payload} for title, payload in zip(titles, payloads)
        ]
    elif titles:
        message["text"] = f"{text}\n\n{numbered_menu(titles, language)}"
    if rtl:
        message["text"] = mark_rtl_lines(message["text"])
    return message
