"""Who hears of an alert: the candidate's jobcoach, and the regisseur when needed.

A regisseur linked to the candidate is theirs; when none is linked, every registered
regisseur is (a programme usually has one, who oversees all its candidates).
"""

from typing import List

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Candidate, Link, Partner


def linked(session: Session, candidate: Candidate, role: str) -> List[Partner]:
    return list(session.execute(
        select(Partner).join(Link, Link.partner_id == Partner.id)
        .where(Link.candidate_id == candidate.id, Partner.role == role).order_by(Partner.id)
    ).scalars())


def jobcoaches(session: Session, candidate: Candidate) -> List[Partner]:
    return linked(session, candidate, "jobcoach")


def regisseurs(session: Session, candidate: Candidate) -> List[Partner]:
    return linked(session, candidate, "regisseur") or list(session.execute(
        select(Partner).where(Partner.role == "regisseur").order_by(Partner.id)).scalars())


def may_handle(session: Session, candidate: Candidate, partner: Partner) -> bool:
    """A partner may acknowledge an alert of a candidate linked to them, and a regisseur any."""
    if partner.role == "regisseur" and partner in regisseurs(session, candidate):
        return True
    return session.get(Link, (candidate.id, partner.id)) is not None
