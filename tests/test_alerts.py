"""Alerts from report to acknowledgement, and the worker delivering them on the local
channel, on SQLite and PostgreSQL. Time moves by an injected clock, never by sleeping."""

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest

from bot import alerts
from bot.store.models import OutboxMessage, Partner
from bot.worker import Worker

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)  # a Monday, 10:00 in Amsterdam


class Clock:
    def __init__(self, now=T0):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    return Clock()


def candidate(store, sender="amina", language="ar", name="Amina"):
    store.ensure_candidate("rest", sender, display_name=name)
    store.set_language(sender, language)
    return sender


def partner(store, role, name, address=None):
    return store.add_partner(role, name, "local", address or name.lower())


def drain(store, clock):
    return asyncio.run(Worker(store, clock=clock).drain())


def outbox(store):
    with store.session_scope() as session:
        return [(row.purpose, row.partner.name if row.partner else "candidate", row.status, row.rendered)
                for row in session.query(OutboxMessage).order_by(OutboxMessage.id)]


def test_a_report_reaches_the_jobcoach_in_dutch_with_the_original(store, clock, capsys):
    sender = candidate(store)
    coach = partner(store, "jobcoach", "Joke")
    store.link(sender, coach)
    result = alerts.report(store, sender, "problem", problem_type="childcare", language="ar",
                           text="ابني مريض", text_nl="mijn zoon is ziek", now=clock())
    assert result["routed_to"] == "jobcoach" and result["urgent"] is False
    assert drain(store, clock)["sent"] == 1
    [(purpose, to, status, rendered)] = outbox(store)
    assert (purpose, to, status) == ("alert", "Joke", "sent")
    assert "Amina" in rendered and "kinderopvang" in rendered
    assert "mijn zoon is ziek" in rendered and "ابني مريض" in rendered
    assert f"ok {result['id']}" in rendered
    assert "kinderopvang" in capsys.readouterr().out  # the make run console
    alert = alerts.show_alert(store, result["id"])
    assert alert["status"] == "delivered" and alert["delivered_at"] == clock().isoformat()
    assert alert["ack_due_at"] == (clock() + timedelta(hours=4)).isoformat()


def test_acknowledging_tells_the_candidate_in_their_language(store, clock):
    sender = candidate(store)
    coach = partner(store, "jobcoach", "Joke")
    store.link(sender, coach)
    alert_id = alerts.report(store, sender, "problem", problem_type="health", text="x", language="ar")["id"]
    drain(store, clock)
    assert alerts.acknowledge(store, alert_id, coach, now=clock()) is True
    assert alerts.acknowledge(store, alert_id, coach, now=clock()) is False  # once is enough
    drain(store, clock)
    notice = [row for row in outbox(store) if row[0] == "ack_notice"]
    assert len(notice) == 1 and notice[0][2] == "sent"
    assert any("\u0600" <= char <= "\u06ff" for char in notice[0][3])  # Arabic script
    view = alerts.show_alert(store, alert_id)
    assert view["status"] == "acknowledged" and view["acknowledged_by"]["name"] == "Joke"


def test_only_a_linked_partner_or_the_regisseur_may_acknowledge(store, clock):
    sender = candidate(store)
    store.link(sender, partner(store, "jobcoach", "Joke"))
    stranger = partner(store, "jobcoach", "Kees")
    alert_id = alerts.report(store, sender, "problem", text="x", language="nl")["id"]
    with pytest.raises(alerts.NotAllowed):
        alerts.acknowledge(store, alert_id, stranger)
    with pytest.raises(alerts.NotAllowed):  # an unknown alert looks the same
        alerts.acknowledge(store, 999, stranger)
    assert alerts.acknowledge(store, alert_id, partner(store, "regisseur", "Rita")) is True


def test_safety_goes_to_jobcoach_and_regisseur_at_once_and_escalates_after_15_minutes(store, clock):
    sender = candidate(store)
    coach = partner(store, "jobcoach", "Joke")
    store.link(sender, coach)
    partner(store, "regisseur", "Rita")
    alert_id = alerts.report(store, sender, "problem", problem_type="safety", text="x", language="nl")["id"]
    drain(store, clock)
    assert sorted(row[1] for row in outbox(store)) == ["Joke", "Rita"]
    assert "URGENT" in outbox(store)[0][3] and "112" in outbox(store)[0][3]
    clock.advance(minutes=14)
    drain(store, clock)
    assert alerts.show_alert(store, alert_id)["status"] == "delivered"
    clock.advance(minutes=2)
    asyncio.run(Worker(store, clock=clock).tick())  # the first round does the housekeeping
    view = alerts.show_alert(store, alert_id)
    assert view["status"] == "escalated" and view["assigned_to"]["name"] == "Rita"
    drain(store, clock)
    assert [row[0] for row in outbox(store)][-1] == "escalation"


def test_an_unacknowledged_alert_escalates_after_four_hours(store, clock, monkeypatch):
    sender = candidate(store)
    store.link(sender, partner(store, "jobcoach", "Joke"))
    partner(store, "regisseur", "Rita")
    alert_id = alerts.report(store, sender, "problem", problem_type="money", text="x", language="nl")["id"]
    drain(store, clock)
    assert [row[1] for row in outbox(store)] == ["Joke"]  # Rita reads it in her digest
    clock.advance(hours=3, minutes=59)
    assert alerts.escalate_overdue(store, clock()) == 0
    clock.advance(minutes=1)
    assert alerts.escalate_overdue(store, clock()) == 1
    drain(store, clock)
    assert outbox(store)[-1][:3] == ("escalation", "Rita", "sent")
    assert "Niet opgepakt" in outbox(store)[-1][3]
    monkeypatch.setenv("ALERT_ACK_MINUTES", "30")  # configurable
    other = alerts.report(store, sender, "problem", text="y", language="nl", now=clock())["id"]
    drain(store, clock)
    clock.advance(minutes=31)
    assert alerts.escalate_overdue(store, clock()) == 1 and alerts.show_alert(store, other)["status"] == "escalated"


def test_without_jobcoach_the_regisseur_gets_it_and_without_anyone_it_waits(store, clock):
    sender = candidate(store)
    alert_id = alerts.report(store, sender, "human", language="nl")["id"]
    assert alerts.list_alerts(store, status="unassigned")[0]["id"] == alert_id
    drain(store, clock)
    assert outbox(store) == []
    partner(store, "regisseur", "Rita")
    asyncio.run(Worker(store, clock=clock).tick())
    view = alerts.show_alert(store, alert_id)
    assert view["status"] == "delivered" and view["assigned_to"]["name"] == "Rita"
    assert alerts.list_alerts(store, status="unassigned") == []


def test_follow_up_answer_reaches_everyone_who_got_the_alert(store, clock):
    sender = candidate(store, language="nl")
    store.link(sender, partner(store, "jobcoach", "Joke"))
    alert_id = alerts.report(store, sender, "problem", problem_type="childcare", text="zoon ziek", language="nl")["id"]
    alerts.add_follow_up(store, alert_id, "longer")
    alerts.add_follow_up(store, alert_id, "today")  # the first answer counts
    drain(store, clock)
    assert [row[0] for row in outbox(store)] == ["alert", "follow_up"]
    assert "langer" in outbox(store)[1][3]


def test_a_regisseur_on_digest_gets_the_days_alerts_once_at_the_hour(store, clock, monkeypatch):
    monkeypatch.setenv("DIGEST_HOUR", "17")
    sender = candidate(store, language="nl")
    store.link(sender, partner(store, "jobcoach", "Joke"))
    rita = partner(store, "regisseur", "Rita")
    immediate = partner(store, "regisseur", "Ivo")
    store.link(sender, rita)
    store.link(sender, immediate)
    store.set_notify(immediate, "immediate")
    alerts.report(store, sender, "problem", problem_type="money", text="geen geld", language="nl", now=clock())
    drain(store, clock)
    assert [(row[0], row[1]) for row in outbox(store)] == [("alert", "Joke"), ("alert_copy", "Ivo")]
    clock.advance(hours=7)  # 17:00 in Amsterdam
    for _ in range(2):  # two rounds, two workers: one digest
        worker = Worker(store, clock=clock)
        asyncio.run(worker.drain())
    digests = [row for row in outbox(store) if row[0] == "digest"]
    assert len(digests) == 1 and digests[0][1] == "Rita" and "geld" in digests[0][3]


def test_a_stopped_candidate_is_not_told(store, clock):
    sender = candidate(store)
    coach = partner(store, "jobcoach", "Joke")
    store.link(sender, coach)
    alert_id = alerts.report(store, sender, "problem", text="x", language="ar")["id"]
    store.record_stop(sender)
    alerts.acknowledge(store, alert_id, coach)
    drain(store, clock)
    assert [row[0] for row in outbox(store)] == ["alert"]


def test_the_cli_json_shows_an_alerts_life(store, clock):
    sender = candidate(store)
    coach = partner(store, "jobcoach", "Joke")
    store.link(sender, coach)
    alert_id = alerts.report(store, sender, "media", attachment=[{"type": "voice", "reference": "f1"}])["id"]
    drain(store, clock)
    [row] = alerts.list_alerts(store)
    assert {"id", "sender_id", "problem_type", "urgent", "status", "created_at", "delivered_at",
            "acknowledged_at", "escalated_at"} <= set(row)
    assert row["sender_id"] == sender and row["kind"] == "media" and row["attachment"][0]["type"] == "voice"
    assert row["deliveries"][0]["status"] == "sent" and "spraakbericht" in outbox(store)[0][3]
    json.dumps(row)  # serialisable as the CLI prints it
    assert alert_id == row["id"]


def test_two_workers_on_postgresql_deliver_each_alert_once(store, clock, capsys):
    if store.engine.dialect.name != "postgresql":
        pytest.skip("several workers need PostgreSQL's row locks (SQLite runs one worker)")
    import threading

    sender = candidate(store)
    store.link(sender, partner(store, "jobcoach", "Joke"))
    ids = [alerts.report(store, sender, "problem", text=f"x{n}", language="nl", now=clock())["id"]
           for n in range(60)]
    threads = [threading.Thread(target=drain, args=(store, clock)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    printed = capsys.readouterr().out
    for alert_id in ids:
        assert printed.count(f"Melding {alert_id}:") == 1
    assert {row[2] for row in outbox(store)} == {"sent"}


def test_two_workers_queueing_one_message_at_once_add_it_once_and_neither_fails(store, clock):
    if store.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite runs one worker)")
    import threading

    from bot.alerts import outbox as queue

    regisseur = partner(store, "regisseur", "Rita")
    results = {}
    with store.session_scope() as first:  # the first worker queues and has not committed yet
        results["first"] = queue.enqueue(first, "digest:x:2026-11-29", "digest", clock(),
                                         partner=first.get(Partner, regisseur))

        def second_worker():
            with store.session_scope() as second:  # waits for the first, then finds the row
                results["second"] = queue.enqueue(second, "digest:x:2026-11-29", "digest", clock(),
                                                  partner=second.get(Partner, regisseur))

        thread = threading.Thread(target=second_worker)
        thread.start()
        thread.join(timeout=1)
        assert thread.is_alive()  # blocked on the first one's row
    thread.join(timeout=10)
    assert results == {"first": True, "second": False}
    assert [row[0] for row in outbox(store)] == ["digest"]


def test_a_worker_that_dies_while_sending_is_replaced_and_the_resend_counted(store, clock):
    from bot.worker import delivery

    sender = candidate(store)
    store.link(sender, partner(store, "jobcoach", "Joke"))
    alert_id = alerts.report(store, sender, "problem", text="x", language="nl", now=clock())["id"]
    assert len(delivery.claim(store, clock())) == 1  # claimed, then the process died
    assert drain(store, clock)["sent"] == 0  # the claim holds while it may still be sending
    clock.advance(seconds=61)
    counts = drain(store, clock)
    assert counts["sent"] == 1 and counts["reclaimed"] == 1
    assert alerts.show_alert(store, alert_id)["deliveries"][0]["attempts"] == 2


def test_an_alert_after_the_digest_hour_is_in_the_next_days_digest(store, clock, monkeypatch):
    monkeypatch.setenv("DIGEST_HOUR", "17")
    sender = candidate(store, language="nl")
    store.link(sender, partner(store, "jobcoach", "Joke"))
    store.link(sender, partner(store, "regisseur", "Rita"))
    clock.advance(hours=7)  # 17:00 in Amsterdam: today's digest (nothing yet)
    asyncio.run(Worker(store, clock=clock).drain())
    clock.advance(hours=2)  # 19:00
    late = alerts.report(store, sender, "problem", problem_type="housing", text="lekkage", language="nl", now=clock())["id"]
    clock.advance(hours=22)  # 17:00 the next day
    asyncio.run(Worker(store, clock=clock).drain())
    [digest] = [row for row in outbox(store) if row[0] == "digest"]
    assert f"{late} " in digest[3] and "wonen" in digest[3]
