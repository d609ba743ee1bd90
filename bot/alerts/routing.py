"""Who hears of an alert: the candidate's jobcoach, and the regisseur when needed.

The candidate's regisseurs are those who may see them (bot.partners.access): linked, of
their trajectory, or overseeing the whole installation.
"""

from typing import List

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.partners import access
from bot.store.models import Candidate, Link, Partner


def linked(session: Session, candidate: Candidate, role: str) -> List[Partner]:
    return list(session.execute(
        select(Partner).join(Link, Link.partner_id == Partner.id)
        .where(Link.candidate_id == candidate.id, Partner.role == role).order_by(Partner.id)
    ).scalars())


def jobcoaches(session: Session, candidate: Candidate) -> List[Partner]:
    return linked(session, candidate, "jobcoach")


def regisseurs(session: Session, candidate: Candidate) -> List[Partner]:
    everyone = session.execute(select(Partner).where(Partner.role == "regisseur").order_by(Partner.id)).scalars()
    return [partner for partner in everyone if access.can_see(session, partner, candidate)]


def may_handle(session: Session, candidate: Candidate, partner: Partner) -> bool:
    """A partner may acknowledge an alert of a candidate they may see, if their role may."""
    return access.rights(partner).acknowledge and access.can_see(session, partner, candidate)
