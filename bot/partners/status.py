"""A candidate's status for a partner: phase and time in it, the intake, preconditions not
met, open alerts, who is involved, and the next planned contact. Shows only what the
partner's role may see (bot.partners.access)."""

from datetime import datetime
from typing import List

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import catalog
from bot.intake import questions
from bot.partners import access, phases
from bot.partners.texts import label, name, phase_label, text
from bot.store.models import Alert, Candidate, Link, Partner, PlannedContact, Precondition
from bot.vocabulary import PRECONDITIONS

OPEN = ("pending", "delivered", "escalated")


def open_alerts(session: Session, candidate: Candidate) -> List[Alert]:
    return list(session.execute(select(Alert).where(Alert.candidate_id == candidate.id, Alert.status.in_(OPEN))
                                .order_by(Alert.id)).scalars())


def alert_summary(alert: Alert, rights: access.Rights) -> str:
    """One alert as this partner may see it: type for all, a neutral reason otherwise."""
    if rights.alerts == "all":
        return f"{alert.id} {label('problem_types', alert.problem_type)} ({label('statuses', alert.status)})"
    reason = (label("problem_types", alert.problem_type) if alert.problem_type in access.ATTENDANCE_TYPES
              else text("private_reason"))
    return f"{alert.id} {reason} ({label('statuses', alert.status)})"


def intake_line(session: Session, candidate: Candidate) -> str:
    if candidate.intake_completed_at:
        return text("status_intake_done", date=_date(candidate.intake_completed_at))
    done = len(candidate.answers) + len(candidate.preconditions)
    if not done:
        return text("status_intake_none")
    return text("status_intake_progress", done=min(done, questions.TOTAL), total=questions.TOTAL)


def _date(moment: datetime) -> str:
    return moment.strftime("%d-%m-%Y")


def not_met(session: Session, candidate: Candidate) -> List[str]:
    rows = session.execute(select(Precondition).where(Precondition.candidate_id == candidate.id,
                                                      Precondition.status == "not_met")).scalars()
    keys = {row.key for row in rows}
    return [catalog.term(f"pre_{key}", "nl").lower() for key in PRECONDITIONS if key in keys]


def involved(session: Session, candidate: Candidate) -> str:
    partners = session.execute(select(Partner).join(Link, Link.partner_id == Partner.id)
                               .where(Link.candidate_id == candidate.id).order_by(Partner.role, Partner.name)).scalars().all()
    if not partners:
        return text("status_no_partners")
    return text("status_partners", items="; ".join(f"{partner.role} {partner.name}" for partner in partners))


def next_contact(session: Session, candidate: Candidate, now: datetime) -> str:
    contact = session.execute(select(PlannedContact).where(
        PlannedContact.candidate_id == candidate.id, PlannedContact.planned_at >= now)
        .order_by(PlannedContact.planned_at).limit(1)).scalar()
    if contact is None:
        return text("status_no_contact")
    partner = session.get(Partner, contact.partner_id) if contact.partner_id else None
    return text("status_contact", date=contact.planned_at.strftime("%d-%m-%Y %H:%M"),
                **{"with": f" met {partner.name}" if partner else "",
                   "purpose": f" ({contact.purpose})" if contact.purpose else ""})


def status(session: Session, candidate: Candidate, viewer: Partner, now: datetime) -> str:
    rights = access.rights(viewer)
    described, _overdue = phases.describe(phases.current(session, candidate), now)
    lines = [
        text("status_title", name=name(candidate), id=candidate.id, language=candidate.language or "-"),
        text("status_phase", phase=described),
        intake_line(session, candidate),
    ]
    if candidate.stopped_at:
        lines.append(text("status_stopped", date=_date(candidate.stopped_at)))
    if rights.preconditions:
        missing = not_met(session, candidate)
        lines.append(text("status_preconditions", items=", ".join(missing)) if missing
                     else text("status_preconditions_ok"))
    alerts = open_alerts(session, candidate)
    lines.append(text("status_alerts", items="; ".join(alert_summary(alert, rights) for alert in alerts))
                 if alerts else text("no_open_alerts"))
    lines.append(involved(session, candidate))
    lines.append(next_contact(session, candidate, now))
    return "\n".join(lines)


def one_line(session: Session, candidate: Candidate, now: datetime) -> str:
    current = phases.current(session, candidate)
    phase = phase_label(current.phase) if current else "-"
    if current is not None:
        phase += f" ({int(phases.months_in(current, now))} mnd)"
    count = len(open_alerts(session, candidate))
    return text("candidate_line", id=candidate.id, name=name(candidate), phase=phase,
                alerts=text("open_alerts_count", count=count) if count else "")
