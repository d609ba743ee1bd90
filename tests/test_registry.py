"""Registration (bot/registry) on SQLite and PostgreSQL: partners, trajectories, links, CSV."""

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.registry import csv_import, partners, trajectories
from bot.registry.addresses import BadAddress, normalise
from bot.store import UnknownCandidate, UnknownPartner
from bot.store.models import (Alert, AuditEntry, Candidate, Link, Partner, PhaseChange, Trajectory)

ROOT = Path(__file__).resolve().parents[1]
PARTNERS_HEADER = "role,name,channel,address,trajectory,notify\n"
CANDIDATES_HEADER = "sender_id,channel,name,language,trajectory,phase,jobcoach,intermediair\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(store):
    """Every row of the tables an import writes, column by column."""
    with store.session_scope() as session:
        return {model.__tablename__: sorted(
            tuple(getattr(row, column.key) for column in model.__table__.columns)
            for row in session.execute(select(model)).scalars())
            for model in (Partner, Candidate, Link, Trajectory, PhaseChange)}


def phases_of(store, sender_id):
    with store.session_scope() as session:
        candidate = store.candidate_row(session, sender_id)
        return [(row.phase, row.changed_by_name) for row in session.execute(
            select(PhaseChange).filter_by(candidate_id=candidate.id).order_by(PhaseChange.id)).scalars()]


def linked_partner_ids(store, sender_id):
    with store.session_scope() as session:
        candidate = store.candidate_row(session, sender_id)
        return sorted(link.partner_id for link in session.execute(
            select(Link).filter_by(candidate_id=candidate.id)).scalars())


# Addresses ---------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["+31 6 1234-5678", "whatsapp:+31612345678", "0031612345678",
                                     " WhatsApp:+31 (6) 12345678 "])
def test_whatsapp_addresses_become_what_the_connector_gives_rasa(written):
    assert normalise("whatsapp", written) == "whatsapp:+31612345678"


@pytest.mark.parametrize("channel,address", [("whatsapp", "sanne"), ("whatsapp", "+31"), ("telegram", "@joke"),
                                             ("local", "two words"), ("local", ""), ("rest", "x" * 129)])
def test_bad_addresses_are_refused(channel, address):
    with pytest.raises(BadAddress):
        normalise(channel, address)


# Partners ----------------------------------------------------------------------------------

def test_partner_add_normalises_whatsapp_and_creates_the_trajectory(store):
    partner_id = partners.add(store, "regisseur", " Rita  Bakker ", "whatsapp", "+31 6 1111 2222",
                              trajectory="Bouw Utrecht")
    [row] = partners.list_all(store)
    assert row == {"id": partner_id, "role": "regisseur", "name": "Rita Bakker", "channel": "whatsapp",
                   "address": "whatsapp:+31611112222", "trajectory": "Bouw Utrecht", "notify": "digest",
                   "candidates": 0}
    # The lead's lookup by the sender id the WhatsApp connector gives finds her.
    assert store.partner_by_address("whatsapp", "whatsapp:+31611112222")["id"] == partner_id
    # The same number in another notation is the same partner.
    with pytest.raises(ValueError, match="already has this whatsapp address"):
        partners.add(store, "jobcoach", "Other", "whatsapp", "0031611112222")
    # A second partner of the same trajectory does not create it again.
    partners.add(store, "intermediair", "Youssef", "local", "youssef", trajectory="Bouw Utrecht")
    assert [t["name"] for t in trajectories.list_all(store)] == ["Bouw Utrecht"]


@pytest.mark.parametrize("args,message", [
    (("boss", "X", "local", "x"), "unknown role"),
    (("jobcoach", "X", "email", "x"), "unknown channel"),
    (("jobcoach", "  ", "local", "x"), "missing name"),
    (("jobcoach", "X", "whatsapp", "x"), "not a WhatsApp number"),
])
def test_partner_add_refuses_bad_input_and_writes_nothing(store, args, message):
    with pytest.raises(ValueError, match=message):
        partners.add(store, *args, trajectory="T")
    assert partners.list_all(store) == [] and trajectories.list_all(store) == []


def test_list_counts_linked_candidates(store):
    coach = partners.add(store, "jobcoach", "Sanne", "local", "sanne")
    other = partners.add(store, "werkgever", "De Lat", "telegram", "123")
    for sender in ("amina", "dawit"):
        store.ensure_candidate("rest", sender)
        store.link(sender, coach)
    counts = {row["id"]: row["candidates"] for row in partners.list_all(store)}
    assert counts == {coach: 2, other: 0}


def test_unlink(store):
    coach = partners.add(store, "jobcoach", "Sanne", "local", "sanne")
    store.ensure_candidate("rest", "amina")
    store.link("amina", coach)
    assert partners.unlink(store, "amina", coach) is True
    assert linked_partner_ids(store, "amina") == []
    assert partners.unlink(store, "amina", coach) is False  # not linked (any more)
    with pytest.raises(UnknownPartner):
        partners.unlink(store, "amina", 999)
    with pytest.raises(UnknownCandidate):
        partners.unlink(store, "nobody", coach)


def test_remove_takes_the_links_and_keeps_alerts_audit_and_history(store):
    coach = partners.add(store, "jobcoach", "Sanne", "local", "sanne")
    keeper = partners.add(store, "mentor", "Kees", "local", "kees")
    candidate_id = store.ensure_candidate("rest", "amina")
    store.link("amina", coach)
    store.link("amina", keeper)
    with store.session_scope() as session:
        session.add(Alert(candidate_id=candidate_id, kind="problem", problem_type="childcare",
                          status="delivered", assigned_to=coach))
        session.add(AuditEntry(partner_id=coach, actor="partner (jobcoach)", action="status",
                               candidate_id=candidate_id, outcome="ok"))
        session.add(PhaseChange(candidate_id=candidate_id, phase="voortraject", changed_by=coach,
                                changed_by_name="Sanne"))

    assert partners.remove(store, coach) == {"links": 1, "open_alerts": 1}

    assert [row["id"] for row in partners.list_all(store)] == [keeper]
    assert linked_partner_ids(store, "amina") == [keeper]
    with store.session_scope() as session:
        alert = session.execute(select(Alert)).scalar_one()
        audit = session.execute(select(AuditEntry)).scalar_one()
        change = session.execute(select(PhaseChange).filter_by(phase="voortraject")).scalar_one()
        assert alert.assigned_to is None and alert.status == "delivered"
        assert audit.partner_id is None and audit.candidate_id == candidate_id
        assert change.changed_by is None and change.changed_by_name == "Sanne"
    with pytest.raises(UnknownPartner):
        partners.remove(store, coach)


# Trajectories ------------------------------------------------------------------------------

def test_trajectories(store):
    first = trajectories.add(store, "Bouw Utrecht")
    with pytest.raises(ValueError, match="already exists"):
        trajectories.add(store, " Bouw  Utrecht ")
    with pytest.raises(ValueError, match="needs a name"):
        trajectories.add(store, " ")
    store.ensure_candidate("rest", "amina")
    assert trajectories.put_candidate(store, "amina", "Bouw Utrecht") is False
    assert trajectories.put_candidate(store, "amina", "Schilders Zwolle") is True  # created
    rows = {row["name"]: row for row in trajectories.list_all(store)}
    assert rows["Bouw Utrecht"] == {"id": first, "name": "Bouw Utrecht", "candidates": 0, "partners": 0}
    assert rows["Schilders Zwolle"]["candidates"] == 1
    with pytest.raises(UnknownCandidate):
        trajectories.put_candidate(store, "nobody", "Bouw Utrecht")


# CSV import --------------------------------------------------------------------------------

def test_the_example_files_import_once_and_then_change_nothing(store):
    partners_report = csv_import.import_file(store, ROOT / "examples" / "partners.csv")
    candidates_report = csv_import.import_file(store, ROOT / "examples" / "candidates.csv")
    assert (partners_report.kind, partners_report.created) == ("partners", 5)
    assert (candidates_report.kind, candidates_report.created, candidates_report.links_added) == ("candidates", 3, 5)
    before = snapshot(store)

    again = [csv_import.import_file(store, ROOT / "examples" / name) for name in ("partners.csv", "candidates.csv")]

    assert snapshot(store) == before
    assert [(r.created, r.updated, r.links_added, r.phase_changes, r.trajectories_created) for r in again] == [
        (0, 0, 0, 0, 0), (0, 0, 0, 0, 0)]
    assert [r.unchanged for r in again] == [5, 3]


def test_a_partner_row_updates_the_partner_with_the_same_address(store, tmp_path):
    partner_id = partners.add(store, "jobcoach", "Sanne", "whatsapp", "+31611112222")
    report = csv_import.import_file(store, write(tmp_path, "p.csv", PARTNERS_HEADER +
                                                 "mentor,Sanne de Vries,whatsapp,0031 6 1111 2222,Bouw,immediate\n"))
    assert (report.created, report.updated) == (0, 1)
    [row] = partners.list_all(store)
    assert (row["id"], row["role"], row["name"], row["trajectory"], row["notify"]) == (
        partner_id, "mentor", "Sanne de Vries", "Bouw", "immediate")
    # Empty cells keep what is stored.
    csv_import.import_file(store, write(tmp_path, "q.csv", PARTNERS_HEADER +
                                        "mentor,Sanne de Vries,whatsapp,+31611112222,,\n"))
    [row] = partners.list_all(store)
    assert (row["trajectory"], row["notify"]) == ("Bouw", "immediate")


def test_candidates_are_linked_by_address_or_id_and_get_their_phase(store, tmp_path):
    coach = partners.add(store, "jobcoach", "Sanne", "local", "sanne")
    intermediair = partners.add(store, "intermediair", "Youssef", "whatsapp", "+31611112222")
    store.ensure_candidate("rest", "amina")  # known already: she wrote to the bot
    report = csv_import.import_file(store, write(tmp_path, "c.csv", CANDIDATES_HEADER +
                                                 "amina,rest,Amina Haddad,AR,Bouw,voortraject,sanne,+31 6 1111 2222\n"
                                                 f"+31655550001,whatsapp,Dawit,ti,,,#{coach},{intermediair}\n"))
    assert (report.created, report.updated, report.links_added) == (1, 1, 4)
    assert linked_partner_ids(store, "amina") == sorted([coach, intermediair])
    assert linked_partner_ids(store, "whatsapp:+31655550001") == sorted([coach, intermediair])
    view = store.candidate_view("amina")
    assert (view["display_name"], view["language"]) == ("Amina Haddad", "ar")
    assert phases_of(store, "amina")[-1] == ("voortraject", "import")
    assert phases_of(store, "whatsapp:+31655550001") == [("werving_selectie", "import")]

    # The same phase again records nothing; another phase is one more row of history.
    csv_import.import_file(store, write(tmp_path, "d.csv",
                                        CANDIDATES_HEADER + "amina,rest,Amina Haddad,,,voortraject,,\n"))
    assert [phase for phase, _ in phases_of(store, "amina")].count("voortraject") == 1
    csv_import.import_file(store, write(tmp_path, "e.csv",
                                        CANDIDATES_HEADER + "amina,rest,Amina Haddad,,,geparkeerd,,\n"))
    assert phases_of(store, "amina")[-1] == ("geparkeerd", "import")
    assert linked_partner_ids(store, "amina") == sorted([coach, intermediair])  # links are only added


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(store, tmp_path):
    partners.add(store, "werkgever", "De Lat", "local", "delat")
    partners.add(store, "jobcoach", "Twin A", "local", "twin")
    partners.add(store, "jobcoach", "Twin B", "telegram", "1")  # "1" is also partner 1's id
    before = snapshot(store)
    path = write(tmp_path, "bad.csv", CANDIDATES_HEADER +
                 "amina,rest,Amina,nl,New trajectory,voortraject,,\n"  # fine, but must not be written
                 "dawit,rest,,nl,,,,\n"  # line 3: missing name
                 "\n"  # line 4: blank, skipped
                 "sara,fax,Sara,nl,,,,\n"  # line 5
                 "omar,rest,Omar,xx1,,holiday,,\n"  # line 6: language and phase
                 "lina,rest,Lina,,,,nobody,\n"  # line 7: unknown partner
                 "noor,rest,Noor,,,,delat,\n"  # line 8: a werkgever is not a jobcoach
                 "\"multi\nline\",rest,Ali,,,,,\n"  # lines 9-10: a sender id with a line break
                 "amina,rest,Amina again,,,,,\n"  # line 11: duplicate of line 2
                 "hana,whatsapp,Hana,,,,,\n"  # line 12: not a phone number
                 "yara,rest,Yara,,,,1,\n")  # line 13: address of one partner, id of another
    with pytest.raises(csv_import.ImportFailed) as failure:
        csv_import.import_file(store, path)
    errors = failure.value.errors
    assert [error.split(":")[0] for error in errors] == [
        "line 3", "line 5", "line 6", "line 6", "line 7", "line 8", "line 9", "line 11", "line 12", "line 13"]
    assert "missing name" in errors[0] and "unknown channel 'fax'" in errors[1]
    assert "language" in errors[2] and "unknown phase 'holiday'" in errors[3]
    assert "jobcoach: no partner" in errors[4] and "is a werkgever, not a jobcoach" in errors[5]
    assert "same sender_id as line 2" in errors[7] and "WhatsApp" in errors[8] and "#ID" in errors[9]
    assert snapshot(store) == before


def test_a_candidate_already_on_another_channel_is_an_error(store, tmp_path):
    store.ensure_candidate("telegram", "12345")
    with pytest.raises(csv_import.ImportFailed, match="1 error") as failure:
        csv_import.import_file(store, write(tmp_path, "c.csv", CANDIDATES_HEADER + "12345,rest,Amina,,,,,\n"))
    assert failure.value.errors == ["line 2: sender_id: already registered on channel 'telegram'"]


def test_a_partners_address_cannot_be_imported_as_a_candidate(store, tmp_path):
    coach = partners.add(store, "jobcoach", "Sanne", "local", "sanne")
    with pytest.raises(csv_import.ImportFailed) as failure:
        csv_import.import_file(store, write(tmp_path, "c.csv", CANDIDATES_HEADER + "sanne,rest,Sanne,,,,,\n"))
    assert failure.value.errors == [f"line 2: sender_id: this is the address of partner {coach}"]


def test_bad_partner_rows_write_nothing(store, tmp_path):
    path = write(tmp_path, "p.csv", PARTNERS_HEADER +
                 "jobcoach,Sanne,local,sanne,Bouw,\n"
                 "boss,Kees,local,kees,,\n"
                 "jobcoach,Joke,telegram,@joke,,weekly\n"
                 "jobcoach,Sanne 2,local,sanne,,\n"
                 "jobcoach,Too,local,many,,,cells\n")
    with pytest.raises(csv_import.ImportFailed) as failure:
        csv_import.import_file(store, path)
    assert [error.split(":")[0] for error in failure.value.errors] == [
        "line 3", "line 4", "line 4", "line 5", "line 6"]
    assert "unknown role 'boss'" in failure.value.errors[0]
    assert "same channel and address as line 2" in failure.value.errors[3]
    assert partners.list_all(store) == [] and trajectories.list_all(store) == []


@pytest.mark.parametrize("header,message", [
    ("role,name,channel,adress\n", "cannot tell partners from candidates"),
    ("role,name,channel,address,phone\n", "unknown column 'phone'"),
    ("sender_id,name\n", "missing column 'channel'"),
    ("", "no header"),
])
def test_bad_headers(store, tmp_path, header, message):
    with pytest.raises(csv_import.ImportFailed) as failure:
        csv_import.import_file(store, write(tmp_path, "x.csv", header))
    assert message in failure.value.errors[0] and failure.value.errors[0].startswith("line 1")


def test_semicolons_and_a_byte_order_mark_as_a_dutch_spreadsheet_writes_them(store, tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes("\ufeffrole;name;channel;address\r\njobcoach;Sanne, de Vries;local;sanne\r\n".encode("utf-8"))
    assert csv_import.import_file(store, path).created == 1
    assert partners.list_all(store)[0]["name"] == "Sanne, de Vries"


def test_kind_can_be_given_and_must_fit_the_header(store, tmp_path):
    path = write(tmp_path, "p.csv", PARTNERS_HEADER + "jobcoach,Sanne,local,sanne,,\n")
    with pytest.raises(csv_import.ImportFailed, match="error"):
        csv_import.import_file(store, path, kind="candidates")
    assert csv_import.import_file(store, path, kind="partners").created == 1
