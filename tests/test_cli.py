"""`python -m bot` as a user runs it: a subprocess against a temporary database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store import Store
from bot.vocabulary import INTAKE_TOPICS, PRECONDITIONS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cli(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}")

    def run(*args, database_url=None):
        return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT,
                              env=dict(env, DATABASE_URL=database_url or env["DATABASE_URL"]),
                              capture_output=True, text=True, timeout=60)

    run.database_url = env["DATABASE_URL"]
    return run


def seed_candidate(url):
    store = Store(url)
    store.upgrade()
    store.ensure_candidate("rest", "amina")
    store.record_consent("amina", True, "consent-v1")
    store.set_language("amina", "nl")
    store.save_answer("amina", "identity", "answered", "Ik ben Amina", "nl")
    store.save_answer("amina", "talents", "skipped")
    store.save_precondition("amina", "childcare", "not_met", "oma helpt soms", "nl")
    store.engine.dispose()


def test_db_upgrade_creates_the_database(cli, tmp_path):
    result = cli("db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "cli.db").exists()
    assert cli("db", "upgrade").returncode == 0  # and again: nothing to do


def test_partner_add_prints_the_id_last(cli):
    result = cli("partner", "add", "--role", "jobcoach", "--name", "Sanne de Vries",
                 "--channel", "local", "--address", "sanne")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1"
    second = cli("partner", "add", "--role", "regisseur", "--name", "Ahmed", "--channel", "telegram",
                 "--address", "12345")
    assert second.stdout.strip().splitlines()[-1] == "2"


def test_show_json_and_link(cli):
    seed_candidate(cli.database_url)
    partner = cli("partner", "add", "--role", "jobcoach", "--name", "Sanne", "--channel", "local",
                  "--address", "sanne").stdout.split()[-1]
    linked = cli("link", "amina", partner)
    assert linked.returncode == 0, linked.stderr
    assert cli("link", "amina", partner).returncode == 0  # linking twice is fine
    result = cli("candidate", "show", "amina", "--json")
    assert result.returncode == 0, result.stderr
    view = json.loads(result.stdout)
    assert {"sender_id", "channel", "display_name", "language", "consent", "consent_version",
            "consent_at", "stopped", "intake_complete", "intake_completed_at", "answers",
            "answer_status", "preconditions", "partners"} <= set(view)
    assert view["sender_id"] == "amina" and view["channel"] == "rest" and view["language"] == "nl"
    assert view["consent"] is True and view["consent_version"] == "consent-v1"
    assert view["stopped"] is False and view["intake_complete"] is False
    assert list(view["answers"]) == list(INTAKE_TOPICS) and list(view["answer_status"]) == list(INTAKE_TOPICS)
    assert view["answers"]["identity"] == "Ik ben Amina" and view["answers"]["talents"] is None
    assert view["answer_status"]["talents"] == "skipped" and view["answer_status"]["income"] is None
    assert list(view["preconditions"]) == list(PRECONDITIONS)
    assert view["preconditions"]["childcare"]["status"] == "not_met"
    assert view["preconditions"]["childcare"]["note"] == "oma helpt soms"
    assert view["preconditions"]["bicycle"]["status"] == "unknown"
    assert view["partners"] == [{"id": int(partner), "role": "jobcoach", "name": "Sanne"}]


def test_readable_show_and_list(cli):
    seed_candidate(cli.database_url)
    shown = cli("candidate", "show", "amina")
    assert shown.returncode == 0, shown.stderr
    for expected in ("amina", "Ik ben Amina", "consent-v1", "childcare", "oma helpt soms",
                     *INTAKE_TOPICS, *PRECONDITIONS):
        assert expected in shown.stdout
    listed = cli("candidate", "list", "--json")
    row = json.loads(listed.stdout)[0]
    assert row["sender_id"] == "amina" and row["consent"] is True and row["answered"] == 1
    plain = cli("candidate", "list")
    assert plain.returncode == 0 and "amina" in plain.stdout and "1/10" in plain.stdout


def test_empty_list(cli):
    assert json.loads(cli("candidate", "list", "--json").stdout) == []
    assert "no candidates" in cli("candidate", "list").stdout


@pytest.mark.parametrize("args,message", [
    (("candidate", "show", "nobody"), "no candidate with sender id 'nobody'"),
    (("candidate", "show", "nobody", "--json"), "no candidate"),
    (("link", "nobody", "1"), "no candidate"),
    (("link", "amina", "99"), "no partner with id 99"),
])
def test_errors_are_one_line_without_traceback(cli, args, message):
    seed_candidate(cli.database_url)
    result = cli(*args)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_partner_address_is_registered_once(cli):
    args = ("partner", "add", "--role", "jobcoach", "--name", "Sanne", "--channel", "local", "--address", "sanne")
    assert cli(*args).returncode == 0
    again = cli(*args)
    assert again.returncode == 1 and "already" in again.stderr and "Traceback" not in again.stderr


@pytest.mark.parametrize("args", [
    ("partner", "add", "--role", "boss", "--name", "X", "--channel", "local", "--address", "x"),
    ("partner", "add", "--role", "jobcoach", "--name", "X", "--channel", "email", "--address", "x"),
    ("partner", "add", "--role", "jobcoach", "--name", "X"),
    ("link", "amina", "one"),
    ("candidate", "show"),
    ("candidate",),
    ("frobnicate",),
    (),
])
def test_usage_errors_exit_2(cli, args):
    result = cli(*args)
    assert result.returncode == 2 and "usage:" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("url", ["nonsense://x", "sqlite:////nonexistent-dir/kl.db",
                                 "postgresql://someone:secret-pw@127.0.0.1:1/kl"])
def test_a_bad_database_is_an_error_not_a_traceback(cli, url):
    result = cli("candidate", "list", database_url=url)
    assert result.returncode == 1 and result.stderr.startswith("error:")
    assert "Traceback" not in result.stderr and "secret-pw" not in result.stderr


@pytest.mark.parametrize("args", [(), ("db",), ("db", "upgrade"), ("candidate",), ("candidate", "list"),
                                  ("candidate", "show"), ("partner",), ("partner", "add"), ("link",),
                                  ("translate", "pending"), ("serve",), ("run",)])
def test_help_everywhere(cli, args):
    result = cli(*args, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout


def test_alerts_list_ack_and_close(cli):
    from bot import alerts

    seed_candidate(cli.database_url)
    store = Store(cli.database_url)
    coach = store.add_partner("jobcoach", "Joke", "local", "joke")
    stranger = store.add_partner("jobcoach", "Kees", "local", "kees")
    store.link("amina", coach)
    alert_id = alerts.report(store, "amina", "problem", problem_type="childcare", text="zoon ziek", language="nl")["id"]
    store.engine.dispose()

    [row] = json.loads(cli("alerts", "--json").stdout)
    assert (row["id"], row["sender_id"], row["problem_type"], row["urgent"], row["status"]) == (
        alert_id, "amina", "childcare", False, "pending")
    assert json.loads(cli("alerts", "--status", "acknowledged", "--json").stdout) == []
    assert "childcare" in cli("alerts").stdout
    refused = cli("alerts", "ack", str(alert_id), "--by", str(stranger))
    assert refused.returncode == 1 and "cannot acknowledge" in refused.stderr
    assert cli("alerts", "ack", str(alert_id), "--by", str(coach)).returncode == 0
    shown = json.loads(cli("alerts", "show", str(alert_id)).stdout)
    assert shown["status"] == "acknowledged" and shown["acknowledged_by"]["name"] == "Joke"
    assert shown["deliveries"][-1]["purpose"] == "ack_notice"
    assert cli("alerts", "close", str(alert_id)).returncode == 0
    assert json.loads(cli("alerts", "--status", "closed", "--json").stdout)[0]["id"] == alert_id
    missing = cli("alerts", "show", "999")
    assert missing.returncode == 1 and "no alert 999" in missing.stderr


def test_partner_notify_mode(cli):
    partner_id = cli("partner", "add", "--role", "regisseur", "--name", "Rita", "--channel", "local",
                     "--address", "rita").stdout.strip().splitlines()[-1]
    assert cli("partner", "notify", partner_id, "immediate").returncode == 0
    assert cli("partner", "notify", partner_id, "weekly").returncode == 2
    assert cli("partner", "notify", "999", "digest").returncode == 1
