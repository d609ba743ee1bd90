"""The Store API on SQLite and PostgreSQL."""

import logging
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.store import ConsentRequired, Store, UnknownCandidate, UnknownPartner
from bot.store.models import Candidate, IntakeAnswer, Link
from bot.vocabulary import INTAKE_TOPICS, PRECONDITIONS

ROOT = Path(__file__).resolve().parents[1]


def consenting(store, sender="amina"):
    store.ensure_candidate("rest", sender)
    store.record_consent(sender, True, "consent-v1")
    return sender


def is_utc_iso(value: str) -> bool:
    return datetime.fromisoformat(value).utcoffset() == timedelta(0)


# Candidates ------------------------------------------------------------------------------

def test_new_candidate_view_has_every_key(store):
    store.ensure_candidate("rest", "amina", display_name="Amina")
    view = store.candidate_view("amina")
    assert view["sender_id"] == "amina" and view["channel"] == "rest"
    assert view["display_name"] == "Amina" and view["language"] is None
    assert view["consent"] is None and view["consent_version"] is None and view["consent_at"] is None
    assert view["stopped"] is False
    assert view["intake_complete"] is False and view["intake_completed_at"] is None
    assert list(view["answers"]) == list(INTAKE_TOPICS)
    assert all(value is None for value in view["answers"].values())
    assert view["answer_status"] == {topic: None for topic in INTAKE_TOPICS}
    assert view["preconditions"] == {key: {"status": "unknown", "note": None}
                                     for key in PRECONDITIONS}
    assert view["partners"] == []


def test_ensure_candidate_is_idempotent_and_updates(store):
    first = store.ensure_candidate("rest", "amina", display_name="Amina")
    with store.session_scope() as session:
        seen = session.get(Candidate, first).last_seen_at
    assert store.ensure_candidate("rest", "amina") == first
    assert store.candidate_view("amina")["display_name"] == "Amina"  # None does not erase it
    store.ensure_candidate("rest", "amina", display_name="Amina B.")
    assert store.candidate_view("amina")["display_name"] == "Amina B."
    with store.session_scope() as session:
        assert session.get(Candidate, first).last_seen_at > seen
    assert store.ensure_candidate("telegram", "12345") != first
    assert [row["sender_id"] for row in store.list_candidates()] == ["amina", "12345"]


@pytest.mark.parametrize("call", [
    lambda s: s.set_language("nobody", "nl"),
    lambda s: s.record_consent("nobody", True, "v1"),
    lambda s: s.has_consent("nobody"),
    lambda s: s.save_answer("nobody", "identity", "skipped"),
    lambda s: s.clear_answer("nobody", "identity"),
    lambda s: s.save_precondition("nobody", "bicycle", "met"),
    lambda s: s.clear_precondition("nobody", "bicycle"),
    lambda s: s.reset_intake("nobody"),
    lambda s: s.complete_intake("nobody"),
    lambda s: s.record_stop("nobody"),
    lambda s: s.record_resume("nobody"),
    lambda s: s.is_stopped("nobody"),
    lambda s: s.candidate_view("nobody"),
])
def test_unknown_candidate(store, call):
    store.ensure_candidate("rest", "amina")
    with pytest.raises(UnknownCandidate):
        call(store)


def test_language(store):
    store.ensure_candidate("rest", "amina")
    store.set_language("amina", "AR")
    assert store.candidate_view("amina")["language"] == "ar"
    store.set_language("amina", "ckb")  # not curated: served through machine translation
    assert store.candidate_view("amina")["language"] == "ckb"


@pytest.mark.parametrize("language", ["dutch", "", "nl-NL", "ع", "é1", None])
def test_language_must_be_an_iso_code(store, language):
    store.ensure_candidate("rest", "amina")
    with pytest.raises(ValueError):
        store.set_language("amina", language)


# Consent ---------------------------------------------------------------------------------

def test_no_answer_without_consent(store):
    store.ensure_candidate("rest", "amina")
    assert store.has_consent("amina") is False
    with pytest.raises(ConsentRequired):
        store.save_answer("amina", "identity", "answered", "Ik ben Amina", "nl")
    store.record_consent("amina", False, "consent-v1")
    with pytest.raises(ConsentRequired):
        store.save_precondition("amina", "bicycle", "met")
    view = store.candidate_view("amina")
    assert view["consent"] is False and view["answers"]["identity"] is None
    assert view["preconditions"]["bicycle"]["status"] == "unknown"


def test_latest_consent_counts(store):
    sender = consenting(store)
    assert store.has_consent(sender) is True
    store.record_consent(sender, False, "consent-v1")
    assert store.has_consent(sender) is False
    with pytest.raises(ConsentRequired):
        store.save_answer(sender, "talents", "skipped")
    store.record_consent(sender, True, "consent-v2")
    view = store.candidate_view(sender)
    assert view["consent"] is True and view["consent_version"] == "consent-v2"
    assert is_utc_iso(view["consent_at"])
    assert store.events(sender) == ["consent_given", "consent_refused", "consent_given"]


# Intake ----------------------------------------------------------------------------------

def test_answers_are_upserted_and_cleared(store):
    sender = consenting(store)
    store.save_answer(sender, "identity", "answered", "Ik ben Amina", "nl")
    store.save_answer(sender, "identity", "answered", "I am Amina", "en")
    store.save_answer(sender, "talents", "skipped")
    store.save_answer(sender, "income", "dont_know")
    view = store.candidate_view(sender)
    assert view["answers"]["identity"] == "I am Amina"
    assert view["answers_nl"]["identity"] is None  # English waits for translation
    assert view["answer_status"]["talents"] == "skipped" and view["answers"]["talents"] is None
    assert view["answer_status"]["income"] == "dont_know"
    with store.session_scope() as session:
        rows = session.execute(select(IntakeAnswer).filter_by(topic="identity")).scalars().all()
        assert [(row.language, row.translated) for row in rows] == [("en", False)]
    store.save_answer(sender, "identity", "skipped")  # an answer taken back loses its text
    assert store.candidate_view(sender)["answers"]["identity"] is None
    store.clear_answer(sender, "identity")
    store.clear_answer(sender, "motivation")  # never answered: nothing to do
    view = store.candidate_view(sender)
    assert view["answer_status"]["identity"] is None and view["answer_status"]["talents"] == "skipped"


def test_dutch_answers_need_no_translation(store):
    sender = consenting(store)
    store.save_answer(sender, "identity", "answered", "Ik ben Amina", "nl")
    assert store.candidate_view(sender)["answers_nl"]["identity"] == "Ik ben Amina"


def test_preconditions(store):
    sender = consenting(store)
    store.save_precondition(sender, "childcare", "not_met", note="mijn moeder", language="nl")
    store.save_precondition(sender, "bicycle", "met")
    view = store.candidate_view(sender)
    assert view["preconditions"]["childcare"] == {"status": "not_met", "note": "mijn moeder"}
    assert view["notes_nl"]["childcare"] == "mijn moeder"
    assert view["preconditions"]["bicycle"] == {"status": "met", "note": None}
    store.save_precondition(sender, "childcare", "met")
    assert store.candidate_view(sender)["preconditions"]["childcare"]["note"] is None
    store.clear_precondition(sender, "bicycle")
    assert store.candidate_view(sender)["preconditions"]["bicycle"]["status"] == "unknown"


@pytest.mark.parametrize("call", [
    lambda s: s.save_answer("amina", "hobby", "answered", "x"),
    lambda s: s.save_answer("amina", "identity", "maybe"),
    lambda s: s.save_answer("amina", "identity", "skipped", "text"),
    lambda s: s.clear_answer("amina", "hobby"),
    lambda s: s.save_precondition("amina", "car", "met"),
    lambda s: s.save_precondition("amina", "bicycle", "yes"),
    lambda s: s.clear_precondition("amina", "car"),
    lambda s: s.add_partner("boss", "X", "local", "x"),
    lambda s: s.add_partner("jobcoach", "X", "email", "x"),
    lambda s: s.add_partner("jobcoach", " ", "local", "x"),
])
def test_unknown_values_are_refused(store, call):
    consenting(store)
    with pytest.raises(ValueError, match="unknown|only an answered|needs a name"):
        call(store)


def test_reset_and_complete(store):
    sender = consenting(store)
    store.save_answer(sender, "identity", "answered", "x", "nl")
    store.save_precondition(sender, "bicycle", "met")
    store.complete_intake(sender)
    view = store.candidate_view(sender)
    assert view["intake_complete"] is True and is_utc_iso(view["intake_completed_at"])
    store.reset_intake(sender)
    view = store.candidate_view(sender)
    assert view["intake_complete"] is False and view["intake_completed_at"] is None
    assert view["answers"]["identity"] is None and view["answer_status"]["identity"] is None
    assert view["preconditions"]["bicycle"]["status"] == "unknown"
    assert view["consent"] is True  # restarting the intake keeps the consent
    assert store.events(sender)[-2:] == ["intake_completed", "intake_restarted"]
    store.save_answer(sender, "identity", "answered", "again", "nl")  # the topic is free again
    assert store.candidate_view(sender)["answers"]["identity"] == "again"


# Stop ------------------------------------------------------------------------------------

def test_stop_and_resume_are_recorded(store):
    sender = consenting(store)
    assert store.is_stopped(sender) is False
    store.record_stop(sender)
    assert store.is_stopped(sender) is True and store.candidate_view(sender)["stopped"] is True
    store.record_resume(sender)
    store.record_resume(sender)  # writing twice after a stop is one resume
    assert store.is_stopped(sender) is False and store.candidate_view(sender)["stopped"] is False
    assert store.events(sender) == ["consent_given", "stopped", "resumed"]


# Lists, partners, links ------------------------------------------------------------------

def test_list_candidates(store):
    assert store.list_candidates() == []
    sender = consenting(store)
    store.set_language(sender, "ti")
    store.save_answer(sender, "identity", "answered", "x", "ti")
    store.save_answer(sender, "talents", "skipped")
    store.ensure_candidate("whatsapp", "whatsapp:+31600000000", display_name="Yonas")
    amina, yonas = store.list_candidates()
    assert amina == {"id": amina["id"], "sender_id": "amina", "channel": "rest", "display_name": None,
                     "language": "ti", "consent": True, "intake_complete": False, "answered": 1}
    assert yonas["consent"] is None and yonas["answered"] == 0 and yonas["display_name"] == "Yonas"
    store.complete_intake(sender)
    assert store.list_candidates()[0]["intake_complete"] is True


def test_partners_and_links(store):
    store.ensure_candidate("rest", "amina")
    sanne = store.add_partner("jobcoach", "Sanne", "local", "sanne")
    ahmed = store.add_partner("regisseur", "Ahmed", "telegram", "12345")
    assert ahmed != sanne
    store.link("amina", ahmed)
    store.link("amina", sanne)
    store.link("amina", sanne)  # idempotent
    assert store.candidate_view("amina")["partners"] == [
        {"id": sanne, "role": "jobcoach", "name": "Sanne"},
        {"id": ahmed, "role": "regisseur", "name": "Ahmed"},
    ]
    with store.session_scope() as session:
        assert len(session.execute(select(Link)).all()) == 2
    with pytest.raises(ValueError, match="already"):
        store.add_partner("mentor", "Other", "local", "sanne")
    assert store.add_partner("mentor", "Other", "whatsapp", "sanne")  # same address, other channel
    with pytest.raises(UnknownPartner):
        store.link("amina", ahmed + 100)
    with pytest.raises(UnknownCandidate):
        store.link("nobody", sanne)


# Timestamps ------------------------------------------------------------------------------

def test_timestamps_are_utc_aware(store):
    sender = consenting(store)
    store.save_answer(sender, "identity", "answered", "x", "nl")
    with store.session_scope() as session:
        candidate = session.execute(select(Candidate).filter_by(sender_id=sender)).scalar_one()
        for moment in (candidate.created_at, candidate.last_seen_at, candidate.consents[0].recorded_at,
                       candidate.answers[0].updated_at):
            assert moment.tzinfo == timezone.utc
        candidate.stopped_at = datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    with store.session_scope() as session:
        stopped = session.execute(select(Candidate.stopped_at)).scalar_one()
    assert stopped == datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc) and stopped.tzinfo == timezone.utc


def test_naive_timestamps_are_refused(store):
    sender = consenting(store)
    with pytest.raises(Exception, match="naive"):
        with store.session_scope() as session:
            candidate = session.execute(select(Candidate).filter_by(sender_id=sender)).scalar_one()
            candidate.stopped_at = datetime(2026, 3, 1, 12, 0)
    assert store.is_stopped(sender) is False


def test_utc_whatever_the_postgres_session_zone(postgres_url):
    tokyo = Store(f"{postgres_url}?options=-c%20timezone%3DAsia/Tokyo")
    try:
        tokyo.upgrade()
        sender = consenting(tokyo, "tokyo-zone")
        with tokyo.session_scope() as session:
            created = session.execute(select(Candidate.created_at).filter_by(sender_id=sender)).scalar_one()
            assert session.execute(text("SHOW timezone")).scalar() == "Asia/Tokyo"
        assert created.tzinfo == timezone.utc
        assert is_utc_iso(tokyo.candidate_view(sender)["consent_at"])
    finally:
        tokyo.engine.dispose()


# Privacy and concurrency -----------------------------------------------------------------

def test_logs_carry_no_answer_text(store, caplog):
    caplog.set_level(logging.DEBUG)
    sender = consenting(store, "secret-sender")
    store.save_answer(sender, "home_situation", "answered", "mijn dochter is ziek", "nl")
    store.save_precondition(sender, "childcare", "not_met", "oma helpt", "nl")
    store.candidate_view(sender)
    assert "dochter" not in caplog.text and "oma helpt" not in caplog.text


WRITER = """
import sys
from bot.store import Store
store = Store(sys.argv[1])
store.upgrade()
for n in range(8):
    sender = f"{sys.argv[2]}-{n}"
    store.ensure_candidate("rest", sender)
    store.record_consent(sender, True, "v1")
    store.save_answer(sender, "identity", "answered", "x", "nl")
"""


def test_several_processes_write_one_sqlite_file(tmp_path):
    """The action server and the CLI share one SQLite file: nobody gets 'database is locked'."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, url, f"w{n}"], cwd=ROOT,
                                stderr=subprocess.PIPE, text=True) for n in range(4)]
    for writer in writers:
        assert writer.wait(timeout=60) == 0, writer.stderr.read()
        writer.stderr.close()
    store = Store(url)
    assert len(store.list_candidates()) == 32
    assert all(row["answered"] == 1 for row in store.list_candidates())
    store.engine.dispose()
