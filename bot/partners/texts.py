"""The partner side's Dutch texts, from bot/catalogs/partners/nl.yml."""

from bot.notify.messages import label, text
from bot.partners import phases
from bot.store.models import Candidate
from bot.vocabulary import PHASES, STATES


def name(candidate: Candidate) -> str:
    return candidate.display_name or f"kandidaat {candidate.id}"


def phase_list() -> str:
    return ", ".join(PHASES + STATES)


def phase_label(phase: str) -> str:
    return phases.LABELS.get(phase, phase)


__all__ = ["text", "label", "name", "phase_list", "phase_label"]
