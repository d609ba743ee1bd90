"""What every connector does to incoming text before Rasa sees it."""

import re
from typing import Tuple

# "/stop", "//stop", " /stop@KorteLijnenBot": Rasa would read "/word" as an intent.
_COMMAND = re.compile(r"^\s*/+(?P<word>[^\s@/]*)(?:@\w+)?")


def strip_command(text: str) -> Tuple[str, bool]:
    """The text without a leading slash command marker, and whether it had one."""
    match = _COMMAND.match(text or "")
    if not match:
        return (text or "").strip(), False
    rest = text[match.end():]
    stripped = (match.group("word") + rest).strip()
    # The rest may start with slashes again ("/ /greet"): never hand Rasa a leading "/".
    while stripped.startswith("/"):
        stripped = stripped.lstrip("/").strip()
    return stripped, True
