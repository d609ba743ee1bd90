"""Answers a partner's message: runs the command with the partner's rights, writes every
read, change and refusal to the audit log, and returns the Dutch replies."""

from datetime import datetime
from typing import Callable, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import alerts
from bot.partners import access, lookup, phases, profile, status
from bot.partners.commands import Command, parse
from bot.partners.texts import name, phase_label, phase_list, text
from bot.store.models import Alert, AuditEntry, Candidate, Partner, utcnow

LIST_LIMIT = 50  # a regisseur of a large programme gets the first ones and a hint


def audit(session: Session, partner: Optional[Partner], action: str, candidate: Optional[Candidate],
          outcome: str, now: datetime) -> None:
    actor = f"partner {partner.id} ({partner.name}, {partner.role})" if partner else "cli"
    session.add(AuditEntry(at=now, partner_id=partner.id if partner else None, actor=actor, action=action,
                           candidate_id=candidate.id if candidate else None, outcome=outcome))


class Desk:
    def __init__(self, store, clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.clock = clock

    def handle(self, partner_id: int, message: str) -> List[str]:
        command = parse(message)
        if command.name == "ok":  # its own transactions, with the alert's rules
            return [self.acknowledge(partner_id, int(command.target))]
        with self.store.session_scope() as session:
            partner = session.get(Partner, partner_id)
            handler = getattr(self, f"_{command.name}", None) or self._unknown
            return handler(session, partner, command, self.clock())

    # Commands ----------------------------------------------------------------------------

    def _help(self, session, partner, command, now) -> List[str]:
        return [text("help", role=partner.role, phases=phase_list())]

    def _unknown(self, session, partner, command, now) -> List[str]:
        return [text("not_understood")]

    def _kandidaten(self, session, partner, command, now) -> List[str]:
        candidates = session.execute(access.visible(partner).order_by(Candidate.id).limit(LIST_LIMIT + 1)).scalars().all()
        if not candidates:
            return [text("no_candidates")]
        shown = candidates[:LIST_LIMIT]
        lines = [text("candidates_title", count=len(shown))]
        for candidate in shown:
            lines.append(status.one_line(session, candidate, now))
            audit(session, partner, "list", candidate, "ok", now)
        if len(candidates) > LIST_LIMIT:
            total = session.execute(access.visible(partner).with_only_columns(Candidate.id)).all()
            lines.append(text("candidates_more", count=len(total) - LIST_LIMIT))
        return ["\n".join(lines)]

    def _alerts(self, session, partner, command, now) -> List[str]:
        rights = access.rights(partner)
        visible = access.visible(partner).with_only_columns(Candidate.id)
        rows = session.execute(select(Alert).where(Alert.candidate_id.in_(visible),
                                                   Alert.status.in_(status.OPEN)).order_by(Alert.id)).scalars().all()
        if not rows:
            return [text("no_open_alerts")]
        lines = [text("alerts_title")]
        for alert in rows[:LIST_LIMIT]:
            lines.append(self._alert_line(alert, rights))
            audit(session, partner, "alerts", alert.candidate, "ok", now)
        return ["\n".join(lines)]

    @staticmethod
    def _alert_line(alert: Alert, rights: access.Rights) -> str:
        from bot.notify.messages import label

        common = dict(id=alert.id, date=alert.created_at.strftime("%d-%m"), name=name(alert.candidate),
                      status=label("statuses", alert.status))
        if rights.alerts == "all":
            return text("alert_line_full", kind=label("kinds", alert.kind),
                        problem_type=label("problem_types", alert.problem_type), **common)
        reason = (label("problem_types", alert.problem_type) if alert.problem_type in access.ATTENDANCE_TYPES
                  else text("private_reason"))
        return text("alert_line_attendance", reason=reason, **common)

    def _status(self, session, partner, command, now) -> List[str]:
        if not command.target:
            only = session.execute(access.visible(partner).limit(2)).scalars().all()
            if len(only) != 1:
                return self._kandidaten(session, partner, command, now)
            command = Command("status", str(only[0].id))
        candidate = self._one(session, partner, command, now)
        if not isinstance(candidate, Candidate):
            return candidate
        audit(session, partner, "status", candidate, "ok", now)
        return [status.status(session, candidate, partner, now)]

    def _profiel(self, session, partner, command, now) -> List[str]:
        candidate = self._one(session, partner, command, now)
        if not isinstance(candidate, Candidate):
            return candidate
        if not access.rights(partner).profile:
            audit(session, partner, "profile", candidate, "refused", now)
            return [text("not_allowed", role=partner.role)]
        audit(session, partner, "profile", candidate, "ok", now)
        return [profile.markdown(session, candidate, partner)]

    def _parkeer(self, session, partner, command, now) -> List[str]:
        return self._change(session, partner, command, now, "geparkeerd")

    def _hervat(self, session, partner, command, now) -> List[str]:
        return self._change(session, partner, command, now, None)

    def _fase(self, session, partner, command, now) -> List[str]:
        if command.phase == "?":
            return [text("unknown_phase", phases=phase_list())]
        return self._change(session, partner, command, now, command.phase)

    def _change(self, session, partner, command, now, phase: Optional[str]) -> List[str]:
        candidate = self._one(session, partner, command, now)
        if not isinstance(candidate, Candidate):
            return candidate
        action = {"geparkeerd": "park", None: "resume"}.get(phase, "phase")
        if not access.rights(partner).change:
            audit(session, partner, action, candidate, "refused", now)
            return [text("not_allowed", role=partner.role)]
        current = phases.current(session, candidate)
        if phase is None:  # resume
            if current is None or current.phase != "geparkeerd":
                return [text("not_parked", name=name(candidate))]
            phase = phases.phase_before_parking(session, candidate)
            reply = text("resumed", name=name(candidate), phase=phase_label(phase))
        elif phase == "geparkeerd" and current is not None and current.phase == "geparkeerd":
            return [text("already_parked", name=name(candidate))]
        else:
            reply = text("parked" if phase == "geparkeerd" else "phase_set", name=name(candidate),
                         phase=phase_label(phase))
        phases.change(session, candidate, phase, partner, now)
        audit(session, partner, action, candidate, "ok", now)
        return [reply]

    def acknowledge(self, partner_id: int, alert_id: int) -> str:
        try:
            changed = alerts.acknowledge(self.store, alert_id, partner_id, now=self.clock())
        except alerts.NotAllowed:
            self._audit_alone(partner_id, "ack", alert_id, "refused")
            return text("alert_not_allowed", id=alert_id)
        self._audit_alone(partner_id, "ack", alert_id, "ok")
        return text("acknowledged" if changed else "already_acknowledged", id=alert_id)

    def _audit_alone(self, partner_id: int, action: str, alert_id: int, outcome: str) -> None:
        with self.store.session_scope() as session:
            alert = session.get(Alert, alert_id)
            candidate = alert.candidate if alert is not None and outcome == "ok" else None
            audit(session, session.get(Partner, partner_id), action, candidate, outcome, self.clock())

    # Finding the candidate ------------------------------------------------------------

    def _one(self, session, partner, command: Command, now):
        """The one candidate the command is about, or the replies that say why not."""
        if not command.target:
            return [text("need_candidate", command=command.name)]
        found = lookup.find(session, partner, command.target)
        if len(found) == 1:
            return found[0]
        if not found:
            # Refused or unknown look the same to the partner; the audit log knows which.
            elsewhere = lookup.find_anywhere(session, command.target)
            if len(elsewhere) == 1:
                audit(session, partner, command.name, elsewhere[0], "refused", now)
            else:
                audit(session, partner, command.name, None, "not_found", now)
            return [text("not_found", query=command.target)]
        audit(session, partner, command.name, None, "ambiguous", now)
        options = "\n".join(f"{candidate.id} {name(candidate)}" for candidate in found)
        return [text("ambiguous", first_id=found[0].id, options=options)]
