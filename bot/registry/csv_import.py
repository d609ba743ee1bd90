"""Importing partners and candidates from CSV files (as a spreadsheet exports them).

All or nothing: every row is checked first (vocabulary, addresses, names, references to
partners) and every problem is reported with its line number; only a file without a single
problem is written, in one transaction. Importing the same file again changes nothing: a
row updates the partner with the same (channel, address) or the candidate with the same
sender id, an empty cell keeps what is stored, and links are only ever added.
Error messages name the line and the column, never the value of a name or an address.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.whatsapp import address as whatsapp
from bot.partners import phases
from bot.registry import addresses, trajectories
from bot.registry.partners import by_address, check_choice, clean_name
from bot.store import Store
from bot.store.models import Candidate, Link, Partner, utcnow
from bot.vocabulary import CHANNELS, LANGUAGES, NOTIFY_MODES, PHASES, ROLES, STATES

PARTNER_COLUMNS = ("role", "name", "channel", "address", "trajectory", "notify")
PARTNER_REQUIRED = ("role", "name", "channel", "address")
CANDIDATE_COLUMNS = ("sender_id", "channel", "name", "language", "trajectory", "phase", "jobcoach",
                     "intermediair")
CANDIDATE_REQUIRED = ("sender_id", "channel", "name")
# Columns that link a candidate to a partner; the column's name is the partner's role.
PARTNER_REFERENCES = ("jobcoach", "intermediair")
KINDS = {"partners": (PARTNER_COLUMNS, PARTNER_REQUIRED),
         "candidates": (CANDIDATE_COLUMNS, CANDIDATE_REQUIRED)}
ISO_639 = re.compile(r"[a-z]{2,3}")
IMPORTED_BY = "import"  # changed_by_name of the phase changes an import records


class ImportFailed(ValueError):
    """Nothing was imported; `errors` says why, one line each ("line 3: unknown role ...")."""

    def __init__(self, errors: List[str]) -> None:
        super().__init__(f"nothing imported: {len(errors)} error(s)")
        self.errors = errors


@dataclass
class Row:
    line: int
    cells: Dict[str, str]
    too_many_cells: bool = False


@dataclass
class Report:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links_added: int = 0
    phase_changes: int = 0
    trajectories_created: int = 0


@dataclass
class Checked:
    """The rows of a file with their cleaned values, and every problem found."""
    rows: List[Tuple[int, dict]] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)


# Reading -------------------------------------------------------------------------------

def import_file(store: Store, path: Path, kind: Optional[str] = None) -> Report:
    header, rows = read(Path(path))
    kind = kind or detect_kind(header)
    check_header(header, kind)
    if kind == "partners":
        return import_partners(store, rows)
    return import_candidates(store, rows)


def read(path: Path) -> Tuple[List[str], List[Row]]:
    """The header (lower case) and the non-blank rows with the line each starts on."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # Excel writes a byte order mark
    except UnicodeDecodeError:
        raise ImportFailed(["the file is not UTF-8 text (save it as 'CSV UTF-8')"])
    except OSError as error:
        raise ImportFailed([f"cannot read the file: {error.strerror}"])
    first_line = text.split("\n", 1)[0]
    # Spreadsheets with a Dutch locale separate with semicolons.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader, [])]
    if not any(header):
        raise ImportFailed(["line 1: the file has no header row"])
    return header, list(_rows(reader, header))


def _rows(reader, header: List[str]) -> Iterator[Row]:
    line = reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        # Spreadsheets often drop empty cells at the end of a row.
        padded = [cell.strip() for cell in cells] + [""] * len(header)
        yield Row(start, dict(zip(header, padded)), too_many_cells=len(cells) > len(header))


def detect_kind(header: List[str]) -> str:
    if "sender_id" in header:
        return "candidates"
    if "role" in header and "address" in header:
        return "partners"
    raise ImportFailed(["line 1: cannot tell partners from candidates by the header; "
                        "use --kind partners|candidates"])


def check_header(header: List[str], kind: str) -> None:
    columns, required = KINDS[kind]
    errors = [f"line 1: unknown column '{name}' for {kind}; expected: {', '.join(columns)}"
              for name in header if name not in columns]
    errors += [f"line 1: column '{name}' appears twice" for name in set(header) if header.count(name) > 1]
    errors += [f"line 1: missing column '{name}'" for name in required if name not in header]
    if errors:
        raise ImportFailed(errors)


def _check(errors: List[str], line: int, column: str, check, *args):
    """check(*args), or None with its message added to the errors."""
    try:
        return check(*args)
    except ValueError as error:
        errors.append(f"line {line}: {column}: {error}")
        return None


def _duplicates(checked: Checked, key_of, what: str) -> None:
    first_line: Dict[tuple, int] = {}
    for line, values in checked.rows:
        key = key_of(values)
        if None in key:
            continue
        if key in first_line:
            checked.errors.append(f"line {line}: the same {what} as line {first_line[key]}")
        first_line.setdefault(key, line)


def _optional(value: str, check, *args):
    return check(value, *args) if value else None


def _language(value: str) -> str:
    value = value.lower()
    if value not in LANGUAGES and not ISO_639.fullmatch(value):
        raise ValueError(f"'{value}' is not an ISO 639 language code (e.g. {', '.join(LANGUAGES)})")
    return value


# Partners ------------------------------------------------------------------------------

def check_partners(rows: List[Row]) -> Checked:
    checked = Checked()
    for row in rows:
        if row.too_many_cells:
            checked.errors.append(f"line {row.line}: more cells than the header has columns")
            continue
        cells, errors = row.cells, checked.errors
        values = {
            "role": _check(errors, row.line, "role", check_choice, cells["role"], ROLES, "role"),
            "name": _check(errors, row.line, "name", clean_name, cells["name"]),
            "channel": _check(errors, row.line, "channel", check_choice, cells["channel"], CHANNELS, "channel"),
            "trajectory": _check(errors, row.line, "trajectory", _optional, cells.get("trajectory", ""),
                                 trajectories.clean_name),
            "notify": _check(errors, row.line, "notify", _optional, cells.get("notify", ""),
                             check_choice, NOTIFY_MODES, "notify mode"),
        }
        values["address"] = None if values["channel"] is None else _check(
            errors, row.line, "address", addresses.normalise, values["channel"], cells["address"])
        checked.rows.append((row.line, values))
    _duplicates(checked, lambda values: (values["channel"], values["address"]), "channel and address")
    return checked


def import_partners(store: Store, rows: List[Row]) -> Report:
    checked = check_partners(rows)
    if checked.errors:
        raise ImportFailed(sorted(checked.errors, key=_line_number))
    report = Report("partners")
    with store.session_scope() as session:
        for _, values in checked.rows:
            _save_partner(session, values, report)
    return report


def _save_partner(session: Session, values: dict, report: Report) -> None:
    partner = by_address(session, values["channel"], values["address"])
    wanted = {"role": values["role"], "name": values["name"]}
    if values["notify"]:
        wanted["notify"] = values["notify"]
    if values["trajectory"]:
        trajectory, created = trajectories.find_or_create(session, values["trajectory"])
        report.trajectories_created += created
        wanted["trajectory_id"] = trajectory.id
    if partner is None:
        session.add(Partner(channel=values["channel"], address=values["address"], **wanted))
        report.created += 1
    elif _update(partner, wanted):
        report.updated += 1
    else:
        report.unchanged += 1


def _update(row, wanted: dict) -> bool:
    """Sets the attributes that differ; True when any did."""
    changed = False
    for name, value in wanted.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


# Candidates ----------------------------------------------------------------------------

def check_candidates(rows: List[Row]) -> Checked:
    checked = Checked()
    for row in rows:
        if row.too_many_cells:
            checked.errors.append(f"line {row.line}: more cells than the header has columns")
            continue
        cells, errors = row.cells, checked.errors
        values = {
            "channel": _check(errors, row.line, "channel", check_choice, cells["channel"], CHANNELS, "channel"),
            "name": _check(errors, row.line, "name", clean_name, cells["name"]),
            "language": _check(errors, row.line, "language", _optional, cells.get("language", ""), _language),
            "trajectory": _check(errors, row.line, "trajectory", _optional, cells.get("trajectory", ""),
                                 trajectories.clean_name),
            "phase": _check(errors, row.line, "phase", _optional, cells.get("phase", ""),
                            check_choice, PHASES + STATES, "phase"),
        }
        values["sender_id"] = None if values["channel"] is None else _check(
            errors, row.line, "sender_id", addresses.normalise, values["channel"], cells["sender_id"])
        for role in PARTNER_REFERENCES:
            values[role] = cells.get(role, "")
        checked.rows.append((row.line, values))
    _duplicates(checked, lambda values: (values["sender_id"],), "sender_id")
    return checked


def check_references(session: Session, checked: Checked) -> None:
    """Adds an error for every row whose sender id is registered on another channel or whose
    jobcoach/intermediair cell names no partner of that role; resolves the references."""
    for line, values in checked.rows:
        existing = _candidate(session, values["sender_id"])
        if existing is not None and values["channel"] and existing.channel != values["channel"]:
            checked.errors.append(f"line {line}: sender_id: already registered on channel '{existing.channel}'")
        partner = _partner_writing_from(session, values["channel"], values["sender_id"])
        if partner is not None:
            # The bot answers a partner's address with the partner side, never the intake.
            checked.errors.append(f"line {line}: sender_id: this is the address of partner {partner.id}")
        values["partners"] = []
        for role in PARTNER_REFERENCES:
            if values[role]:
                partner = _check(checked.errors, line, role, _resolve_partner, session, values[role], role)
                if partner is not None:
                    values["partners"].append(partner)


def _partner_writing_from(session: Session, channel: Optional[str], sender_id: Optional[str]) -> Optional[Partner]:
    if channel is None or sender_id is None:
        return None
    # The terminal chat and REST are one channel for partners (see Store.partner_by_address).
    channels = ("local", "rest") if channel in ("local", "rest") else (channel,)
    return session.execute(select(Partner).where(Partner.channel.in_(channels), Partner.address == sender_id)
                           ).scalars().first()


def _resolve_partner(session: Session, reference: str, role: str) -> Partner:
    """The partner a cell names: by address (on any channel, WhatsApp numbers in any
    notation), by id, or by '#id'."""
    if reference.startswith("#") and reference[1:].isdigit():
        found = {session.get(Partner, int(reference[1:]))} - {None}
    else:
        forms = {reference}
        if reference[:1] in "+0" or reference.lower().startswith("whatsapp:"):
            forms.add(whatsapp.normalise(reference))
        found = set(session.execute(select(Partner).where(Partner.address.in_(forms))).scalars())
        if reference.isdigit():
            found |= {session.get(Partner, int(reference))} - {None}
    if not found:
        raise ValueError("no partner with this address or id")
    if len(found) > 1:
        raise ValueError("more than one partner matches; write the partner's id as #ID")
    partner = found.pop()
    if partner.role != role:
        raise ValueError(f"partner {partner.id} is a {partner.role}, not a {role}")
    return partner


def import_candidates(store: Store, rows: List[Row]) -> Report:
    checked = check_candidates(rows)
    report = Report("candidates")
    with store.session_scope() as session:
        check_references(session, checked)
        if checked.errors:
            # Raised before anything was written; the transaction is rolled back all the same.
            raise ImportFailed(sorted(checked.errors, key=_line_number))
        for _, values in checked.rows:
            _save_candidate(session, values, report)
    return report


def _candidate(session: Session, sender_id: Optional[str]) -> Optional[Candidate]:
    if sender_id is None:
        return None
    return session.execute(select(Candidate).filter_by(sender_id=sender_id).order_by(Candidate.id)
                           ).scalars().first()


def _save_candidate(session: Session, values: dict, report: Report) -> None:
    candidate = _candidate(session, values["sender_id"])
    wanted = {"display_name": values["name"]}
    if values["language"]:
        wanted["language"] = values["language"]
    if values["trajectory"]:
        trajectory, created = trajectories.find_or_create(session, values["trajectory"])
        report.trajectories_created += created
        wanted["trajectory_id"] = trajectory.id
    is_new = candidate is None
    if is_new:
        candidate = Candidate(channel=values["channel"], sender_id=values["sender_id"])
        session.add(candidate)
    changed = _update(candidate, wanted)
    session.flush()
    # A new candidate starts in werving en selectie unless the file says otherwise.
    changed |= _set_phase(session, candidate, values["phase"] or (PHASES[0] if is_new else None), report)
    for partner in values["partners"]:
        if session.get(Link, (candidate.id, partner.id)) is None:
            session.add(Link(candidate_id=candidate.id, partner_id=partner.id))
            report.links_added += 1
            changed = True
    if is_new:
        report.created += 1
    elif changed:
        report.updated += 1
    else:
        report.unchanged += 1


def _set_phase(session: Session, candidate: Candidate, phase: Optional[str], report: Report) -> bool:
    """Records the phase when it differs from the current one (the same phase twice would
    restart its clock)."""
    current = phases.current(session, candidate)
    if phase is None or (current is not None and current.phase == phase):
        return False
    phases.change(session, candidate, phase, None, utcnow(), by_name=IMPORTED_BY)
    report.phase_changes += 1
    return True


def _line_number(error: str) -> int:
    return int(error.split(":", 1)[0].split()[-1])
