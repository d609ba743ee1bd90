"""Files a candidate sent with an alert, fetched for the jobcoach: Twilio's media URLs need
the account's credentials and Telegram's file ids a getFile call, so a partner cannot open
the bare reference. `python -m bot alerts media ID` saves them."""

import asyncio
import mimetypes
from pathlib import Path
from typing import List

from bot import alerts


async def _fetch(channel: str, reference: str):
    if channel == "telegram":
        from bot.channels.telegram import api
    elif channel == "whatsapp":
        from bot.channels.whatsapp import api
    else:
        raise ValueError(f"no files to fetch on channel {channel}")
    return await api.fetch_media(reference)


def save_attachments(store, alert_id: int, folder: Path) -> List[Path]:
    """Saves the alert's files in `folder` (locations are not files and are skipped)."""
    alert = alerts.show_alert(store, alert_id)
    if alert is None:
        raise alerts.UnknownAlert(str(alert_id))
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for number, item in enumerate(alert["attachment"] or [], start=1):
        if item.get("type") == "location":
            continue
        data, content_type = asyncio.run(_fetch(alert["candidate"]["channel"], item["reference"]))
        suffix = mimetypes.guess_extension(content_type or "") or ".bin"
        path = folder / f"alert-{alert_id}-{number}{suffix}"
        path.write_bytes(data)
        saved.append(path)
    return saved
