"""Who may see and do what: one table for the roles, and the rule for which candidates.

A partner sees the candidates linked to them. A regisseur also sees every candidate of
the trajectory they oversee; a regisseur without a trajectory oversees the whole
installation (one programme, the embedded default). Everything else is refused, with an
answer that does not tell whether the candidate exists.
"""

from dataclasses import dataclass
from typing import Dict

from sqlalchemy import or_, select
from sqlalchemy.sql import Select

from bot.store.models import Candidate, Link, Partner
from bot.vocabulary import ROLES


@dataclass(frozen=True)
class Rights:
    # Alerts: "all" = type, words and Dutch translation; "attendance" = date, kind and
    # status only (the type just for transport and workplace, never health, family, money ...).
    alerts: str
    profile: bool  # intake answers and the profile
    preconditions: bool  # the preconditions checklist and its notes
    change: bool  # park, resume, move to another phase
    acknowledge: bool  # pick up an alert


RIGHTS: Dict[str, Rights] = {
    #                        alerts        profile preconds change  ack
    "jobcoach":          Rights("all",        True,  True,  True,  True),
    "mentor":            Rights("all",        True,  True,  False, True),
    "regisseur":         Rights("all",        True,  True,  True,  True),
    "intermediair":      Rights("attendance", True,  True,  True,  False),
    "expertise_partner": Rights("attendance", True,  True,  False, False),
    "werkgever":         Rights("attendance", False, False, False, False),
    "opleider":          Rights("attendance", False, False, False, False),
    "taalopleider":      Rights("attendance", False, False, False, False),
    "verbinder":         Rights("attendance", False, False, False, False),
}
assert set(RIGHTS) == set(ROLES), "every role needs a row"

# Alert types an "attendance" reader may see: they explain an absence without private details.
ATTENDANCE_TYPES = frozenset({"transport", "workplace"})


def rights(partner: Partner) -> Rights:
    return RIGHTS[partner.role]


def _oversees(partner: Partner):
    """The SQL condition for candidates a regisseur oversees (none for other roles)."""
    if partner.role != "regisseur":
        return None
    if partner.trajectory_id is None:
        return True
    return Candidate.trajectory_id == partner.trajectory_id


def visible(partner: Partner) -> Select:
    """The candidates this partner may see, as a query."""
    linked = Candidate.id.in_(select(Link.candidate_id).where(Link.partner_id == partner.id))
    oversees = _oversees(partner)
    if oversees is True:
        return select(Candidate)
    return select(Candidate).where(linked if oversees is None else or_(linked, oversees))


def can_see(session, partner: Partner, candidate: Candidate) -> bool:
    oversees = _oversees(partner)
    if oversees is True:
        return True
    if oversees is not None and candidate.trajectory_id is not None and candidate.trajectory_id == partner.trajectory_id:
        return True
    return session.get(Link, (candidate.id, partner.id)) is not None
