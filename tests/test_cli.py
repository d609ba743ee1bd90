"""`python -m bot` as a user runs it: a subprocess against a temporary database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cli(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60)

    run.database_url = env["DATABASE_URL"]
    return run


def seed_candidate(url):
    from bot.store import Store

    store = Store(url)
    store.upgrade()
    store.ensure_candidate("rest", "amina")
    store.record_consent("amina", True, "consent-v1")
    store.save_answer("amina", "identity", "answered", "Ik ben Amina", "nl")
    store.save_precondition("amina", "childcare", "not_met", "oma helpt soms", "nl")
    store.engine.dispose()


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
    assert cli("link", "amina", partner).returncode == 0
    result = cli("candidate", "show", "amina", "--json")
    assert result.returncode == 0, result.stderr
    view = json.loads(result.stdout)
    assert view["consent"] is True and view["language"] is None
    assert view["answers"]["identity"] == "Ik ben Amina"
    assert len(view["answers"]) == 10 and len(view["preconditions"]) == 6
    assert view["preconditions"]["childcare"] == {"status": "not_met", "note": "oma helpt soms", "note_nl": "oma helpt soms"}
    assert view["partners"][0]["role"] == "jobcoach"


def test_readable_show_and_list(cli):
    seed_candidate(cli.database_url)
    shown = cli("candidate", "show", "amina").stdout
    assert "Ik ben Amina" in shown and "childcare" in shown
    listed = cli("candidate", "list", "--json")
    assert json.loads(listed.stdout)[0]["sender_id"] == "amina"
    assert "amina" in cli("candidate", "list").stdout


@pytest.mark.parametrize("args,message", [
    (("candidate", "show", "nobody"), "no candidate"),
    (("link", "nobody", "1"), "no candidate"),
])
def test_errors_are_one_line_without_traceback(cli, args, message):
    result = cli(*args)
    assert result.returncode != 0
    assert message in result.stderr and "Traceback" not in result.stderr


def test_bad_role_is_refused_by_argparse(cli):
    result = cli("partner", "add", "--role", "boss", "--name", "X", "--channel", "local", "--address", "x")
    assert result.returncode == 2 and "invalid choice" in result.stderr


@pytest.mark.parametrize("args", [(), ("db", "upgrade"), ("candidate", "list"), ("candidate", "show"),
                                  ("partner", "add"), ("link",), ("serve",), ("run",)])
def test_help_everywhere(cli, args):
    result = cli(*args, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout
