"""The Store API on SQLite and PostgreSQL."""

from datetime import timezone

import pytest

from bot.store import ConsentRequired, UnknownCandidate, UnknownPartner
from bot.vocabulary import INTAKE_TOPICS, PRECONDITIONS


def consenting(store, sender="amina"):
    store.ensure_candidate("rest", sender)
    store.record_consent(sender, True, "consent-v1")
    return sender


def test_new_candidate_view_has_every_key(store):
    store.ensure_candidate("rest", "amina", display_name="Amina")
    view = store.candidate_view("amina")
    assert view["consent"] is None and view["language"] is None
    assert view["display_name"] == "Amina"
    assert list(view["answers"]) == list(INTAKE_TOPICS)
    assert all(value is None for value in view["answers"].values())
    assert view["preconditions"] == {key: {"status": "unknown", "note": None, "note_nl": None} for key in PRECONDITIONS}
    assert view["intake_complete"] is False and view["stopped"] is False


def test_ensure_candidate_is_idempotent(store):
    first = store.ensure_candidate("rest", "amina")
    assert store.ensure_candidate("rest", "amina") == first
    assert len(store.list_candidates()) == 1


def test_no_answer_without_consent(store):
    store.ensure_candidate("rest", "amina")
    with pytest.raises(ConsentRequired):
        store.save_answer("amina", "identity", "answered", "Ik ben Amina", "nl")
    store.record_consent("amina", False, "consent-v1")
    with pytest.raises(ConsentRequired):
        store.save_precondition("amina", "bicycle", "met")
    assert store.candidate_view("amina")["consent"] is False
    assert store.candidate_view("amina")["answers"]["identity"] is None


def test_latest_consent_counts(store):
    sender = consenting(store)
    store.record_consent(sender, False, "consent-v1")
    assert store.has_consent(sender) is False
    store.record_consent(sender, True, "consent-v2")
    view = store.candidate_view(sender)
    assert view["consent"] is True and view["consent_version"] == "consent-v2"
    assert store.events(sender) == ["consent_given", "consent_refused", "consent_given"]


def test_answers_are_upserted_and_cleared(store):
    sender = consenting(store)
    store.save_answer(sender, "identity", "answered", "Ik ben Amina", "nl")
    store.save_answer(sender, "identity", "answered", "I am Amina", "en")
    store.save_answer(sender, "talents", "skipped")
    store.save_answer(sender, "income", "dont_know")
    view = store.candidate_view(sender)
    assert view["answers"]["identity"] == "I am Amina"
    assert view["answers_nl"]["identity"] is None  # English waits for translation
    assert view["answer_status"]["talents"] == "skipped"
    assert view["answer_status"]["income"] == "dont_know"
    store.clear_answer(sender, "identity")
    assert store.candidate_view(sender)["answer_status"]["identity"] is None


def test_dutch_answers_need_no_translation(store):
    sender = consenting(store)
    store.save_answer(sender, "identity", "answered", "Ik ben Amina", "nl")
    assert store.candidate_view(sender)["answers_nl"]["identity"] == "Ik ben Amina"


def test_preconditions(store):
    sender = consenting(store)
    store.save_precondition(sender, "childcare", "not_met", note="mijn moeder", language="nl")
    store.save_precondition(sender, "bicycle", "met")
    view = store.candidate_view(sender)
    assert view["preconditions"]["childcare"] == {"status": "not_met", "note": "mijn moeder", "note_nl": "mijn moeder"}
    assert view["preconditions"]["bicycle"] == {"status": "met", "note": None, "note_nl": None}
    store.clear_precondition(sender, "bicycle")
    assert store.candidate_view(sender)["preconditions"]["bicycle"]["status"] == "unknown"


@pytest.mark.parametrize("call", [
    lambda s: s.save_answer("amina", "hobby", "answered", "x"),
    lambda s: s.save_answer("amina", "identity", "maybe"),
    lambda s: s.save_answer("amina", "identity", "skipped", "text"),
    lambda s: s.save_precondition("amina", "car", "met"),
    lambda s: s.save_precondition("amina", "bicycle", "yes"),
    lambda s: s.add_partner("boss", "X", "local", "x"),
    lambda s: s.add_partner("jobcoach", "X", "email", "x"),
    lambda s: s.set_language("amina", "dutch"),
])
def test_unknown_values_are_refused(store, call):
    consenting(store)
    with pytest.raises(ValueError):
        call(store)


def test_reset_and_complete(store):
    sender = consenting(store)
    store.save_answer(sender, "identity", "answered", "x", "nl")
    store.save_precondition(sender, "bicycle", "met")
    store.complete_intake(sender)
    view = store.candidate_view(sender)
    assert view["intake_complete"] is True
    assert view["intake_completed_at"].endswith("+00:00")
    store.reset_intake(sender)
    view = store.candidate_view(sender)
    assert view["intake_complete"] is False
    assert view["answers"]["identity"] is None
    assert view["preconditions"]["bicycle"]["status"] == "unknown"
    assert view["consent"] is True  # restarting the intake keeps the consent


def test_stop_and_resume_are_recorded(store):
    sender = consenting(store)
    store.record_stop(sender)
    assert store.is_stopped(sender) and store.candidate_view(sender)["stopped"]
    store.record_resume(sender)
    store.record_resume(sender)  # writing twice after a stop is one resume
    assert not store.is_stopped(sender)
    assert store.events(sender)[-2:] == ["stopped", "resumed"]


def test_language(store):
    store.ensure_candidate("rest", "amina")
    store.set_language("amina", "AR")
    assert store.candidate_view("amina")["language"] == "ar"


def test_partners_and_links(store):
    store.ensure_candidate("rest", "amina")
    partner = store.add_partner("jobcoach", "Sanne", "local", "sanne")
    store.link("amina", partner)
    store.link("amina", partner)
    assert store.candidate_view("amina")["partners"] == [{"id": partner, "role": "jobcoach", "name": "Sanne"}]
    with pytest.raises(ValueError):
        store.add_partner("mentor", "Other", "local", "sanne")
    with pytest.raises(UnknownPartner):
        store.link("amina", partner + 100)
    with pytest.raises(UnknownCandidate):
        store.link("nobody", partner)


def test_unknown_candidate(store):
    with pytest.raises(UnknownCandidate):
        store.candidate_view("nobody")


def test_timestamps_are_utc(store):
    sender = consenting(store)
    with store.session() as session:
        from bot.store.models import Candidate
        candidate = session.query(Candidate).filter_by(sender_id=sender).one()
        assert candidate.created_at.tzinfo == timezone.utc
