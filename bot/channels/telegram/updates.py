"""Reads a Telegram update (python-telegram-bot's Update.de_json) into an Incoming message.

Only new messages and button presses are handled; every other kind (edited messages,
channel posts, member updates, ...) gives None and is acknowledged without a reply.
"""

from typing import Optional

from telegram import Message, Update

from bot.channels.incoming import Incoming, media_item


def parse(data: dict) -> Optional[Incoming]:
    update = Update.de_json(data, None)
    if update.message is not None:
        return _message(update.update_id, update.message)
    query = update.callback_query
    if query is not None and query.data is not None and query.message is not None:
        return Incoming.build(
            str(query.message.chat.id), str(update.update_id), query.data,
            display_name=query.from_user.full_name if query.from_user else None,
            callback_query_id=query.id)
    return None


def _message(update_id: int, message: Message) -> Incoming:
    user = message.from_user
    return Incoming.build(
        str(message.chat.id), str(update_id), message.text or message.caption,
        display_name=user.full_name if user else None,
        media=_media(message))


def _media(message: Message) -> list:
    if message.voice:
        return [media_item("voice", message.voice.file_id, message.voice.mime_type)]
    if message.audio:
        return [media_item("voice", message.audio.file_id, message.audio.mime_type)]
    if message.photo:
        largest = max(message.photo, key=lambda size: size.width * size.height)
        return [media_item("image", largest.file_id, "image/jpeg")]
    if message.sticker:
        return [media_item("image", message.sticker.file_id, "image/webp")]
    if message.video or message.video_note or message.animation:
        video = message.video or message.video_note or message.animation
        return [media_item("video", video.file_id, getattr(video, "mime_type", None))]
    if message.document:
        return [media_item("document", message.document.file_id, message.document.mime_type)]
    if message.location:
        location = message.location
        return [media_item("location", f"{location.latitude},{location.longitude}")]
    if message.contact:
        return [media_item("contact", message.contact.phone_number or "", None)]
    return []
