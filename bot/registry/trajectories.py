"""Trajectories (leerwerktrajecten): named programmes that group candidates, overseen by a
regisseur."""

from typing import List, Optional, Tuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store import Store
from bot.store.models import Candidate, Partner, Trajectory

MAX_NAME = 200


def clean_name(name: Optional[str]) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValueError("a trajectory needs a name")
    if len(name) > MAX_NAME:
        raise ValueError(f"a trajectory name has at most {MAX_NAME} characters")
    return name


def find(session: Session, name: str) -> Optional[Trajectory]:
    return session.execute(select(Trajectory).filter_by(name=clean_name(name))).scalar_one_or_none()


def find_or_create(session: Session, name: str) -> Tuple[Trajectory, bool]:
    """The trajectory with this name and whether it was created now."""
    trajectory = find(session, name)
    if trajectory is not None:
        return trajectory, False
    trajectory = Trajectory(name=clean_name(name))
    session.add(trajectory)
    session.flush()
    return trajectory, True


def add(store: Store, name: str) -> int:
    with store.session_scope() as session:
        if find(session, name) is not None:
            raise ValueError(f"trajectory '{clean_name(name)}' already exists")
        trajectory, _ = find_or_create(session, name)
        return trajectory.id


def list_all(store: Store) -> List[dict]:
    """Every trajectory with its number of candidates and the partners who oversee it."""
    candidates = (select(func.count(Candidate.id)).where(Candidate.trajectory_id == Trajectory.id)
                  .scalar_subquery())
    partners = (select(func.count(Partner.id)).where(Partner.trajectory_id == Trajectory.id)
                .scalar_subquery())
    with store.session_scope() as session:
        rows = session.execute(select(Trajectory, candidates, partners).order_by(Trajectory.id))
        return [{"id": trajectory.id, "name": trajectory.name, "candidates": n_candidates,
                 "partners": n_partners} for trajectory, n_candidates, n_partners in rows]


def put_candidate(store: Store, sender_id: str, name: str) -> bool:
    """Puts a candidate in a trajectory (created if new); True when the trajectory is new."""
    with store.session_scope() as session:
        candidate = store.candidate_row(session, sender_id)
        trajectory, created = find_or_create(session, name)
        candidate.trajectory_id = trajectory.id
        return created
