"""Partners from the command line: add (with the trajectory a regisseur oversees), list,
remove, and unlinking a candidate."""

from typing import List, Optional

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.registry import addresses, trajectories
from bot.store import Store, UnknownPartner
from bot.store.models import Alert, Link, Partner, Trajectory
from bot.vocabulary import CHANNELS, ROLES

MAX_NAME = 200
OPEN_ALERT_STATUSES = ("pending", "delivered", "escalated")


def check_choice(value: str, allowed, what: str) -> str:
    if value not in allowed:
        raise ValueError(f"unknown {what} '{value}'; expected one of: {', '.join(allowed)}")
    return value


def clean_name(name: Optional[str]) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValueError("missing name")
    if len(name) > MAX_NAME:
        raise ValueError(f"a name has at most {MAX_NAME} characters")
    return name


def by_address(session: Session, channel: str, address: str) -> Optional[Partner]:
    return session.execute(select(Partner).filter_by(channel=channel, address=address)).scalar_one_or_none()


def add(store: Store, role: str, name: str, channel: str, address: str,
        trajectory: Optional[str] = None) -> int:
    """Registers a partner; the address is normalised as the channel's connector gives it."""
    check_choice(role, ROLES, "role")
    check_choice(channel, CHANNELS, "channel")
    name, address = clean_name(name), addresses.normalise(channel, address)
    with store.session_scope() as session:
        existing = by_address(session, channel, address)
        if existing is not None:
            raise ValueError(f"partner {existing.id} already has this {channel} address")
        partner = Partner(role=role, name=name, channel=channel, address=address)
        if trajectory:
            partner.trajectory_id = trajectories.find_or_create(session, trajectory)[0].id
        session.add(partner)
        session.flush()
        return partner.id


def list_all(store: Store) -> List[dict]:
    linked = select(func.count()).where(Link.partner_id == Partner.id).scalar_subquery()
    with store.session_scope() as session:
        rows = session.execute(
            select(Partner, Trajectory.name, linked)
            .outerjoin(Trajectory, Partner.trajectory_id == Trajectory.id).order_by(Partner.id))
        return [{"id": partner.id, "role": partner.role, "name": partner.name, "channel": partner.channel,
                 "address": partner.address, "trajectory": trajectory, "notify": partner.notify,
                 "candidates": n_linked}
                for partner, trajectory, n_linked in rows]


def remove(store: Store, partner_id: int) -> dict:
    """Removes a partner and their links. Alerts, phase history and the audit log keep their
    rows (the database sets their partner to null); open alerts assigned to the partner
    become unassigned, which the worker routes again."""
    with store.session_scope() as session:
        partner = session.get(Partner, partner_id)
        if partner is None:
            raise UnknownPartner(str(partner_id))
        open_alerts = session.execute(select(func.count(Alert.id)).where(
            Alert.assigned_to == partner_id, Alert.status.in_(OPEN_ALERT_STATUSES))).scalar()
        links = session.execute(delete(Link).where(Link.partner_id == partner_id)).rowcount
        session.delete(partner)
        return {"links": links, "open_alerts": open_alerts}


def unlink(store: Store, sender_id: str, partner_id: int) -> bool:
    """False when the two were not linked."""
    with store.session_scope() as session:
        candidate = store.candidate_row(session, sender_id)
        if session.get(Partner, partner_id) is None:
            raise UnknownPartner(str(partner_id))
        link = session.get(Link, (candidate.id, partner_id))
        if link is None:
            return False
        session.delete(link)
        return True
