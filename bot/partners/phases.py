"""A candidate's phase in the trajectory, its history, and how long phases usually take.

Durations are Tabel 1 of the handreiking (months); nazorg runs six months after a
candidate leaves the programme.
"""

from datetime import datetime
from typing import List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Candidate, Partner, PhaseChange
from bot.vocabulary import PHASES, STATES

USUAL_MONTHS = {
    "werving_selectie": (1, 6),
    "voortraject": (1, 12),
    "leerwerk": (2, 36),
    "matching_plaatsing": (1, 6),
    "uitstroom_nazorg": (6, 6),
}
LABELS = {
    "werving_selectie": "werving en selectie",
    "voortraject": "voortraject",
    "leerwerk": "leer- en werkcomponent",
    "matching_plaatsing": "matching en plaatsing",
    "uitstroom_nazorg": "uitstroom en nazorg",
    "geparkeerd": "geparkeerd",
    "gestopt": "gestopt",
}
DAYS_PER_MONTH = 30.44


def history(session: Session, candidate: Candidate) -> List[PhaseChange]:
    return list(session.execute(select(PhaseChange).filter_by(candidate_id=candidate.id)
                                .order_by(PhaseChange.started_at, PhaseChange.id)).scalars())


def current(session: Session, candidate: Candidate) -> Optional[PhaseChange]:
    return session.execute(select(PhaseChange).filter_by(candidate_id=candidate.id)
                           .order_by(PhaseChange.started_at.desc(), PhaseChange.id.desc()).limit(1)).scalar()


def change(session: Session, candidate: Candidate, phase: str, by: Optional[Partner], now: datetime,
           by_name: Optional[str] = None) -> PhaseChange:
    if phase not in PHASES + STATES:
        raise ValueError(f"unknown phase '{phase}'; expected one of: {', '.join(PHASES + STATES)}")
    row = PhaseChange(candidate_id=candidate.id, phase=phase, started_at=now,
                      changed_by=by.id if by else None, changed_by_name=by.name if by else by_name or "cli")
    session.add(row)
    session.flush()
    return row


def phase_before_parking(session: Session, candidate: Candidate) -> str:
    """The phase a parked candidate returns to (the last one that was not a state)."""
    for row in reversed(history(session, candidate)):
        if row.phase in PHASES:
            return row.phase
    return PHASES[0]


def months_in(row: PhaseChange, now: datetime) -> float:
    return (now - row.started_at).days / DAYS_PER_MONTH


def describe(row: Optional[PhaseChange], now: datetime) -> Tuple[str, bool]:
    """("in voortraject sinds 4 maanden (meestal 1-12)", runs past the usual upper bound)."""
    if row is None:
        return "nog geen fase vastgelegd", False
    months = months_in(row, now)
    since = row.started_at.date().strftime("%d-%m-%Y")
    spent = f"{int(months)} maanden" if months >= 1 else f"{(now - row.started_at).days} dagen"
    text = f"{LABELS[row.phase]} sinds {since} ({spent}"
    if row.phase not in USUAL_MONTHS:
        return text + ")", False
    low, high = USUAL_MONTHS[row.phase]
    usual = f"meestal {high}" if low == high else f"meestal {low}-{high}"
    overdue = months > high
    return text + f"; {usual} maanden)" + (" LET OP: langer dan gebruikelijk" if overdue else ""), overdue
