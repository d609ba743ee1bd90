"""The intake profile for the jobcoach and intermediair, in Dutch Markdown, structured as
the handreiking's working method: current situation, desired situation, hindrances,
resources; then the preconditions checklist. Each answer in Dutch with the original below."""

import functools
import re
from typing import Dict, List, Optional

from sqlalchemy.orm import Session

from bot.i18n import catalog
from bot.notify.messages import partner_catalog as _catalog
from bot.partners import access
from bot.partners.status import alert_summary, open_alerts
from bot.partners.texts import name
from bot.store.models import Candidate, IntakeAnswer, Partner
from bot.vocabulary import PRECONDITIONS, SOURCE_LANGUAGE

SECTIONS = (
    ("current", ("identity", "work_experience", "diplomas", "home_situation")),
    ("desired", ("motivation", "income")),
    ("resources", ("capabilities", "talents", "learning_style", "social_network")),
)


def _texts() -> dict:
    return _catalog()["profile"]


def _t(key: str, **values) -> str:
    return _texts()[key].format(**values)


@functools.lru_cache(maxsize=1)
def _occupation_patterns() -> Dict[str, List["re.Pattern"]]:
    return {occupation: [re.compile(r"(?<!\w)" + re.escape(stem.casefold())) for stem in stems]
            for occupation, stems in _catalog()["occupations"].items()}


def occupations(*texts: Optional[str]) -> List[str]:
    """The Bijlage A occupations whose words occur in what the candidate said."""
    said = " ".join(text.casefold() for text in texts if text)
    return [occupation for occupation, patterns in _occupation_patterns().items()
            if any(pattern.search(said) for pattern in patterns)]


def _answer(answer: Optional[IntakeAnswer]) -> List[str]:
    if answer is None:
        return [_t("not_asked")]
    if answer.status != "answered":
        return [_t("skipped") if answer.status == "skipped" else _t("dont_know")]
    if (answer.language or SOURCE_LANGUAGE) == SOURCE_LANGUAGE:
        return [answer.text]
    return [answer.text_nl or _t("translation_pending"), _t("original", language=answer.language, text=answer.text)]


def _topic(answers: Dict[str, IntakeAnswer], topic: str) -> List[str]:
    return [f"**{catalog.term(f'topic_{topic}', 'nl')}**", *_answer(answers.get(topic)), ""]


def _precondition_lines(candidate: Candidate, only_not_met: bool) -> List[str]:
    rows = {row.key: row for row in candidate.preconditions}
    lines = []
    for key in PRECONDITIONS:
        row = rows.get(key)
        status = row.status if row else "unknown"
        if only_not_met and status != "not_met":
            continue
        lines.append(_t("precondition_line", item=catalog.term(f"pre_{key}", "nl"),
                        status=_texts()["statuses"][status]))
        if row is not None and row.note:
            note = row.note_nl or row.note
            lines.append(_t("precondition_note", note=note))
            if row.note_language and row.note_language != SOURCE_LANGUAGE:
                lines.append("  " + _t("original", language=row.note_language, text=row.note))
    return lines


def markdown(session: Session, candidate: Candidate, viewer: Optional[Partner]) -> str:
    """The profile as `viewer` may see it (None: the command line, which sees everything)."""
    rights = access.rights(viewer) if viewer is not None else access.RIGHTS["jobcoach"]
    completed = candidate.intake_completed_at.strftime("%d-%m-%Y") if candidate.intake_completed_at else "-"
    lines = [_t("title", name=name(candidate)),
             _t("subtitle", id=candidate.id, language=candidate.language or "-", date=completed), ""]
    if not rights.profile:
        return "\n".join(lines + [_t("hidden")])
    answers = {answer.topic: answer for answer in candidate.answers}
    for section, topics in SECTIONS:
        lines += [_t(section), ""]
        for topic in topics:
            lines += _topic(answers, topic)
        if section == "desired":
            motivation = answers.get("motivation")
            found = occupations(motivation.text_nl, motivation.text) if motivation else []
            lines += [_t("occupations", items=", ".join(found)) if found else _t("no_occupations"), ""]
        if section == "desired":
            lines += [_t("hindrances"), ""]
            hindrances = _precondition_lines(candidate, only_not_met=True) if rights.preconditions else []
            hindrances += [f"- melding {alert_summary(alert, rights)}" for alert in open_alerts(session, candidate)]
            lines += (hindrances or [_t("no_hindrances")]) + [""]
    if rights.preconditions:
        lines += [_t("checklist"), ""] + _precondition_lines(candidate, only_not_met=False)
    return "\n".join(lines).rstrip() + "\n"
