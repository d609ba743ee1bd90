"""Splitting long texts at a platform's limit, on the gentlest boundary that fits."""

import re
from typing import Callable, List

# Paragraphs, then lines, then sentence ends (Latin, Arabic/Persian, Ethiopic), then words.
_BOUNDARIES = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"(?<=[.!?؟۔።፧])\s+"),
    re.compile(r"\s+"),
)


def utf16_length(text: str) -> int:
    """Telegram counts UTF-16 code units: an emoji outside the BMP counts twice."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int, length: Callable[[str], int] = len) -> List[str]:
    """Parts of at most `limit` (as measured by `length`), cut at the last boundary that fits."""
    text = text.strip()
    parts: List[str] = []
    while length(text) > limit:
        cut = _cut(text, limit, length)
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text or not parts:
        parts.append(text)
    return parts


def _cut(text: str, limit: int, length: Callable[[str], int]) -> int:
    window = _prefix(text, limit, length)
    for boundary in _BOUNDARIES:
        # A boundary's whitespace may begin right at the limit: it is dropped from the part.
        ends = [match.end() for match in boundary.finditer(text, 0, window + 1)
                if 0 < match.start() <= window]
        if ends:
            return ends[-1]
    return window  # one unbroken word longer than the limit


def _prefix(text: str, limit: int, length: Callable[[str], int]) -> int:
    """The longest prefix length that fits (never 0, never inside a surrogate pair)."""
    end = min(len(text), limit)
    while end > 1 and length(text[:end]) > limit:
        end -= 1
    return end
