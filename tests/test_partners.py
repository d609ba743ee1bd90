"""The partner side against a real store (SQLite and PostgreSQL): rights per role and link,
name matching, phases, the audit log, the profile; and a property over random setups."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import alerts
from bot.partners import records
from bot.partners.access import RIGHTS
from bot.partners.desk import Desk
from bot.vocabulary import ROLES

AMINA, YONAS = "s-amina", "s-yonas"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self, now=NOW):
        self.now = now

    def __call__(self):
        return self.now


def add_candidate(store, sender, name, language="nl"):
    store.ensure_candidate("rest", sender, display_name=name)
    store.set_language(sender, language)
    return sender


@pytest.fixture
def programme(store):
    """Two trajectories; Amina and Amira in Utrecht with jobcoach Joke, Yonas in Zwolle."""
    for sender, name in [(AMINA, "Amina Yusuf"), ("s-amira", "Amina Haddad"), (YONAS, "Yonas Tesfaye")]:
        add_candidate(store, sender, name)
    joke = store.add_partner("jobcoach", "Joke", "local", "joke")
    for sender in (AMINA, "s-amira"):
        store.link(sender, joke)
    bouw = store.add_partner("werkgever", "Bouw BV", "local", "bouw")
    store.link(AMINA, bouw)
    ivo = store.add_partner("intermediair", "Ivo", "local", "ivo")
    store.link(YONAS, ivo)
    return {"joke": joke, "bouw": bouw, "ivo": ivo}


def ask(store, partner, message, clock=None):
    return "\n".join(Desk(store, clock=clock or Clock()).handle(partner, message))


def test_a_jobcoach_gets_the_status_of_their_own_candidate(store, programme):
    records.plan_contact(store, AMINA, NOW + timedelta(days=3), programme["joke"], "voortgangsgesprek")
    alerts.report(store, AMINA, "problem", problem_type="childcare", text="zoon ziek", language="nl")
    store.ensure_candidate("rest", AMINA)
    reply = ask(store, programme["joke"], "hoe gaat het met Amina Yusuf?")
    assert "Amina Yusuf (kandidaat" in reply
    assert "werving en selectie sinds" in reply and "meestal 1-6 maanden" in reply
    assert "Intake: nog niet begonnen" in reply
    assert "kinderopvang" in reply  # the open alert, with its type for a jobcoach
    assert "jobcoach Joke" in reply and "werkgever Bouw BV" in reply
    assert "Volgende afspraak: 03-12-2026 09:00 met Joke (voortgangsgesprek)" in reply


def test_another_trajectorys_intermediair_is_refused_without_learning_if_she_exists(store, programme):
    reply = ask(store, programme["ivo"], "/status Amina Yusuf")
    unknown = ask(store, programme["ivo"], "/status Nobody Atall")
    assert reply.replace("Amina Yusuf", "X") == unknown.replace("Nobody Atall", "X")  # same either way
    assert "Ik vind geen kandidaat" in reply and "kandidaat 1" not in reply
    ask(store, programme["joke"], "/status Amina Yusuf")
    log = records.audit_log(store)
    refused = [row for row in log if row["partner_id"] == programme["ivo"] and row["candidate"] == AMINA]
    allowed = [row for row in log if row["partner_id"] == programme["joke"] and row["candidate"] == AMINA]
    assert refused[0]["outcome"] == "refused" and refused[0]["action"] == "status"
    assert allowed[0]["outcome"] == "ok"


def test_a_werkgever_does_not_see_a_health_alerts_content(store, programme):
    alerts.report(store, AMINA, "problem", problem_type="health", text="ik heb een depressie", language="nl")
    for message in ("/status Amina Yusuf", "/alerts"):
        reply = ask(store, programme["bouw"], message)
        assert "gezondheid" not in reply and "depressie" not in reply
        assert "persoonlijke reden" in reply
    assert "Randvoorwaarden" not in ask(store, programme["bouw"], "/status Amina Yusuf")
    assert "mag je rol (werkgever) niet" in ask(store, programme["bouw"], "/profiel Amina Yusuf")
    assert "mag je rol (werkgever) niet" in ask(store, programme["bouw"], "/parkeer Amina Yusuf")
    assert "gezondheid" in ask(store, programme["joke"], "/alerts")


def test_names_with_typos_and_two_aminas(store, programme):
    assert "Yonas" in ask(store, programme["ivo"], "hoe gaat het met yonnas")
    both = ask(store, programme["joke"], "/status amina")
    assert "Bedoel je" in both and "Amina Yusuf" in both and "Amina Haddad" in both
    assert "Amina Haddad (kandidaat" in ask(store, programme["joke"], "/status amina hadad")
    first_id = both.split("\n")[1].split()[0]
    assert "Amina Yusuf (kandidaat" in ask(store, programme["joke"], f"/status {first_id}")
    assert "Ik vind geen kandidaat" in ask(store, programme["joke"], "/status Anna")


def test_status_alone_with_one_candidate_and_with_several(store, programme):
    assert "Yonas Tesfaye (kandidaat" in ask(store, programme["ivo"], "/status")
    assert "Je kandidaten (2)" in ask(store, programme["joke"], "/status")


def test_park_resume_and_phase_keep_history_and_flag_an_overdue_phase(store, programme):
    joke = programme["joke"]
    assert "geparkeerd" in ask(store, joke, "/parkeer Amina Yusuf")
    assert "stond al op geparkeerd" in ask(store, joke, "parkeer Amina Yusuf")
    assert "weer verder in werving en selectie" in ask(store, joke, "/hervat Amina Yusuf")
    assert "staat nu in voortraject" in ask(store, joke, "/fase Amina Yusuf voortraject")
    assert "Die fase ken ik niet" in ask(store, joke, "/fase Amina Yusuf zwemmen")
    history = records.phase_history(store, AMINA)
    assert [row["phase"] for row in history] == ["werving_selectie", "geparkeerd", "werving_selectie", "voortraject"]
    assert history[-1]["by"] == "Joke"
    later = Clock(datetime.now(timezone.utc) + timedelta(days=13 * 31))
    assert "LET OP: langer dan gebruikelijk" in ask(store, joke, "/status Amina Yusuf", later)


def test_acknowledge_by_chat_follows_the_rights(store, programme):
    alert_id = alerts.report(store, AMINA, "problem", text="x", language="nl")["id"]
    assert "kan ik niet voor je vinden" in ask(store, programme["bouw"], f"ok {alert_id}")
    assert "opgepakt" in ask(store, programme["joke"], f"/ok {alert_id}")
    assert "al opgepakt" in ask(store, programme["joke"], f"ok {alert_id}")


def test_the_profile_has_the_working_methods_sections_and_the_originals(store, programme):
    store.record_consent(AMINA, True, "consent-v1")
    store.set_language(AMINA, "ar")
    store.save_answer(AMINA, "motivation", "answered", "بدي صير كهربجي", "ar")
    store.set_translation(AMINA, "Ik wil elektricien worden", topic="motivation")
    store.save_answer(AMINA, "identity", "answered", "انا أمينة", "ar")
    store.save_precondition(AMINA, "childcare", "not_met", "جارتي ممكن تساعد", "ar")
    store.complete_intake(AMINA)
    markdown = ask(store, programme["joke"], "/profiel Amina Yusuf")
    for heading in ("## Huidige situatie", "## Gewenste situatie", "## Hindernissen", "## Hulpbronnen",
                    "## Randvoorwaarden"):
        assert heading in markdown
    assert "Ik wil elektricien worden\n> Origineel (ar): بدي صير كهربجي" in markdown
    assert "Elektricien / elektromonteur" in markdown
    assert "- Opvang kinderen: niet in orde" in markdown and "(vertaling volgt)" in markdown
    assert records.profile_markdown(store, AMINA) == markdown


def test_a_regisseur_sees_their_trajectory_and_a_programme_wide_one_sees_all(store, programme):
    from bot.registry import trajectories

    utrecht = trajectories.add(store, "Utrecht")
    trajectories.put_candidate(store, YONAS, "Utrecht")
    rita = store.add_partner("regisseur", "Rita", "local", "rita")
    with store.session_scope() as session:
        from bot.store.models import Partner
        session.get(Partner, rita).trajectory_id = utrecht
    assert "Yonas" in ask(store, rita, "/kandidaten") and "Amina" not in ask(store, rita, "/kandidaten")
    everyone = store.add_partner("regisseur", "Rob", "local", "rob")
    assert "Je kandidaten (3)" in ask(store, everyone, "/kandidaten")


def test_help_and_unknown(store, programme):
    assert "/kandidaten" in ask(store, programme["joke"], "/help")
    assert "Typ /help" in ask(store, programme["joke"], "wat is het weer")


# Property: whatever the links, roles and question, no reply names a candidate the
# partner may not see. ---------------------------------------------------------------

NAMES = ["Zaid", "Ruta", "Hawa", "Omid", "Selam"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(links=st.sets(st.tuples(st.integers(0, 4), st.integers(0, 2)), max_size=10),
       roles=st.lists(st.sampled_from([role for role in ROLES if role != "regisseur"]), min_size=3, max_size=3),
       command=st.sampled_from(["/kandidaten", "/alerts", "/status {}", "hoe gaat het met {}", "/profiel {}",
                                "/parkeer {}", "/fase {} leerwerk", "/status", "/ok {}"]),
       target=st.integers(0, 4))
def test_no_command_ever_shows_a_candidate_outside_the_partners_links(store, links, roles, command, target):
    from sqlalchemy import text

    with store.session_scope() as session:  # hypothesis reuses the fixture: start clean
        for table in ("audit_log", "outbox", "alerts", "phase_changes", "links", "partners", "candidates"):
            session.execute(text(f"DELETE FROM {table}"))
    senders = [add_candidate(store, f"p{n}", f"{name} Q{n}") for n, name in enumerate(NAMES)]
    partners = [store.add_partner(role, f"P{n}", "local", f"partner{n}") for n, role in enumerate(roles)]
    alert_ids = [alerts.report(store, sender, "problem", problem_type="health", text="geheim", language="nl")["id"]
                 for sender in senders]
    for candidate, partner in links:
        store.link(senders[candidate], partners[partner])
    for index, partner in enumerate(partners):
        message = command.format(alert_ids[target] if "/ok" in command else NAMES[target])
        reply = ask(store, partner, message)
        allowed = {n for n, p in links if p == index}
        for n, name in enumerate(NAMES):
            if n not in allowed:
                assert f"Q{n}" not in reply, (roles[index], message, reply)
        if RIGHTS[roles[index]].alerts != "all":
            assert "geheim" not in reply and "gezondheid" not in reply


def test_completing_the_intake_sends_the_profile_to_jobcoach_and_intermediair_once(store, programme):
    import asyncio

    from bot.partners import handover
    from bot.worker import Worker

    store.link(AMINA, programme["ivo"])
    store.record_consent(AMINA, True, "consent-v1")
    store.save_answer(AMINA, "motivation", "answered", "Ik wil timmerman worden", "nl")
    store.complete_intake(AMINA)
    assert handover.send_profile(store, AMINA) == 2
    assert handover.send_profile(store, AMINA) == 0  # the same completion: not again
    asyncio.run(Worker(store, clock=Clock()).drain())
    with store.session_scope() as session:
        from bot.store.models import OutboxMessage
        sent = {row.partner.name: row.rendered for row in session.query(OutboxMessage).filter_by(purpose="profile")}
    assert set(sent) == {"Joke", "Ivo"} and "Timmerman" in sent["Joke"]
    actions = {(row["partner_id"], row["action"]) for row in records.audit_log(store)}
    assert (programme["ivo"], "profile_sent") in actions and (programme["joke"], "profile_sent") in actions
