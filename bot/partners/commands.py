"""What a partner's message asks: slash commands and the same in plain Dutch.

"/status Amina", "status Amina", "hoe gaat het met Amina?" all mean the same. The
channels strip a leading "/" before Rasa sees it, so both forms arrive here.
"""

import re
from dataclasses import dataclass
from typing import Optional

from bot.vocabulary import PHASES, STATES


@dataclass(frozen=True)
class Command:
    name: str  # kandidaten status alerts ok parkeer hervat fase profiel help unknown
    target: str = ""  # a candidate's name or id, or an alert's number
    phase: Optional[str] = None


_PATTERNS = [
    ("help", r"(help|hulp|\?|wat kan ik vragen)"),
    ("kandidaten", r"((mijn|welke) )?kandidaten( heb ik)?|lijst"),
    ("alerts", r"(open )?(alerts|meldingen)"),
    ("ok", r"(ok|oké|oke|opgepakt)\s*#?\s*(?P<target>\d+)"),
    ("status", r"(status|stand van zaken)( van)?\s+(?P<target>.+)"),
    ("status", r"hoe (gaat|is) het met\s+(?P<target>.+)"),
    ("profiel", r"(profiel|intakeprofiel)( van)?\s+(?P<target>.+)"),
    ("parkeer", r"parkeer\s+(?P<target>.+)"),
    ("hervat", r"hervat\s+(?P<target>.+)"),
    ("fase", r"fase\s+(?P<target>.+)\s+(?P<phase>\S+)"),
    ("fase", r"zet\s+(?P<target>.+?)\s+in\s+(?P<phase>\S+)"),
]
# Words partners use for the phases, beside the codes themselves.
_PHASE_WORDS = {
    "werving": "werving_selectie", "selectie": "werving_selectie", "leren": "leerwerk",
    "leer-werk": "leerwerk", "matching": "matching_plaatsing", "plaatsing": "matching_plaatsing",
    "uitstroom": "uitstroom_nazorg", "nazorg": "uitstroom_nazorg", "parkeren": "geparkeerd",
    "geparkeerd": "geparkeerd", "gestopt": "gestopt", "stop": "gestopt",
}
# A command word alone ("/status", "profiel") still needs a candidate: ask for one.
_BARE = {"status", "profiel", "parkeer", "hervat", "fase"}


def phase_of(word: str) -> Optional[str]:
    word = word.strip().casefold()
    if word in PHASES + STATES:
        return word
    return _PHASE_WORDS.get(word)


def parse(text: str) -> Command:
    message = (text or "").strip().lstrip("/").strip()
    message = re.sub(r"[?!.]+$", "", message).strip()
    lowered = message.casefold()
    if lowered in _BARE:
        return Command(lowered)
    for name, pattern in _PATTERNS:
        match = re.fullmatch(pattern, message, flags=re.IGNORECASE)
        if match:
            groups = match.groupdict()
            target = (groups.get("target") or "").strip()
            phase = phase_of(groups["phase"]) if groups.get("phase") else None
            if name == "fase" and phase is None:
                return Command("fase", target, phase="?")
            return Command(name, target, phase)
    return Command("unknown")
