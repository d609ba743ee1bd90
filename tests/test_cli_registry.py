"""Registration from the command line as a user runs it: a subprocess against a temporary database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture
def cli(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "bot", *map(str, args)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60)

    run.database_url = env["DATABASE_URL"]
    return run


def last_line(result) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def partner_list(cli) -> list:
    result = cli("partner", "list", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_import_the_examples_twice_changes_nothing_the_second_time(cli):
    first = cli("import", EXAMPLES / "partners.csv")
    assert first.returncode == 0, first.stderr
    assert "5 created, 0 updated, 0 unchanged" in first.stdout
    assert "3 created" in cli("import", EXAMPLES / "candidates.csv").stdout
    partners_before = partner_list(cli)
    candidates_before = cli("candidate", "list", "--json").stdout

    again = [cli("import", EXAMPLES / name) for name in ("partners.csv", "candidates.csv")]

    assert [result.returncode for result in again] == [0, 0]
    assert "0 created, 0 updated, 5 unchanged; 0 link(s) added" in again[0].stdout
    assert "0 created, 0 updated, 3 unchanged; 0 link(s) added, 0 phase change(s)" in again[1].stdout
    assert partner_list(cli) == partners_before
    assert cli("candidate", "list", "--json").stdout == candidates_before


def test_partner_list_json(cli):
    cli("import", EXAMPLES / "partners.csv")
    cli("import", EXAMPLES / "candidates.csv")
    rows = {row["name"]: row for row in partner_list(cli)}
    assert set(rows["Rita Bakker"]) == {"id", "role", "name", "channel", "address", "trajectory", "notify",
                                        "candidates"}
    assert rows["Rita Bakker"]["trajectory"] == "Bouw Utrecht 2025" and rows["Rita Bakker"]["role"] == "regisseur"
    assert rows["Youssef El Amrani"]["address"] == "whatsapp:+31611112222"
    assert rows["Youssef El Amrani"]["candidates"] == 2 and rows["Sanne de Vries"]["candidates"] == 2
    assert rows["Bouwbedrijf De Lat"]["candidates"] == 0
    plain = cli("partner", "list")
    assert "Sanne de Vries" in plain.stdout and "oversees Bouw Utrecht 2025" in plain.stdout


def test_empty_lists(cli):
    assert json.loads(cli("partner", "list", "--json").stdout) == []
    assert "no partners" in cli("partner", "list").stdout
    assert json.loads(cli("trajectory", "list", "--json").stdout) == []
    assert "no trajectories" in cli("trajectory", "list").stdout


def test_bad_rows_exit_1_with_line_numbers_and_nothing_is_imported(cli, tmp_path):
    path = tmp_path / "partners.csv"
    path.write_text("role,name,channel,address,trajectory,notify\n"
                    "jobcoach,Sanne,local,sanne,Bouw,\n"
                    "boss,Kees,local,kees,,\n"
                    "jobcoach,,telegram,123,,\n"
                    "jobcoach,Joke,whatsapp,joke,,\n", encoding="utf-8")
    result = cli("import", path)
    assert result.returncode == 1 and result.stdout == "" and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert "nothing imported: 3 error(s)" in lines[0]
    assert [line.strip().split(":")[0] for line in lines[1:]] == ["line 3", "line 4", "line 5"]
    assert "unknown role 'boss'" in lines[1] and "missing name" in lines[2] and "WhatsApp" in lines[3]
    assert partner_list(cli) == []  # not even the good row
    assert json.loads(cli("trajectory", "list", "--json").stdout) == []


def test_an_unknown_partner_reference_fails_the_whole_candidates_file(cli, tmp_path):
    cli("import", EXAMPLES / "partners.csv")
    path = tmp_path / "candidates.csv"
    path.write_text((EXAMPLES / "candidates.csv").read_text(encoding="utf-8") +
                    "nieuw,rest,Nieuw,nl,,,iemand-anders,\n", encoding="utf-8")
    result = cli("import", path)
    assert result.returncode == 1
    assert "line 5: jobcoach: no partner with this address or id" in result.stderr
    assert json.loads(cli("candidate", "list", "--json").stdout) == []


def test_import_of_a_missing_file_or_unknown_kind(cli, tmp_path):
    missing = cli("import", tmp_path / "nope.csv")
    assert missing.returncode == 1 and "cannot read the file" in missing.stderr
    assert cli("import", EXAMPLES / "partners.csv", "--kind", "alerts").returncode == 2


def test_partner_add_with_a_trajectory_and_a_whatsapp_number(cli):
    partner_id = last_line(cli("partner", "add", "--role", "regisseur", "--name", "Rita", "--channel", "whatsapp",
                               "--address", "+31 6 1111 2222", "--trajectory", "Bouw Utrecht"))
    [row] = partner_list(cli)
    assert (str(row["id"]), row["address"], row["trajectory"]) == (partner_id, "whatsapp:+31611112222", "Bouw Utrecht")
    again = cli("partner", "add", "--role", "jobcoach", "--name", "X", "--channel", "whatsapp",
                "--address", "0031611112222")
    assert again.returncode == 1 and "already has this whatsapp address" in again.stderr
    bad = cli("partner", "add", "--role", "jobcoach", "--name", "X", "--channel", "whatsapp", "--address", "x")
    assert bad.returncode == 1 and "not a WhatsApp number" in bad.stderr


def test_link_unlink(cli):
    store = Store(cli.database_url)
    store.upgrade()
    store.ensure_candidate("rest", "amina")
    store.engine.dispose()
    partner_id = last_line(cli("partner", "add", "--role", "jobcoach", "--name", "Sanne", "--channel", "local",
                               "--address", "sanne"))
    assert cli("link", "amina", partner_id).returncode == 0
    assert partner_list(cli)[0]["candidates"] == 1
    unlinked = cli("unlink", "amina", partner_id)
    assert unlinked.returncode == 0 and "unlinked" in unlinked.stdout
    assert partner_list(cli)[0]["candidates"] == 0
    assert json.loads(cli("candidate", "show", "amina", "--json").stdout)["partners"] == []
    not_linked = cli("unlink", "amina", partner_id)
    assert not_linked.returncode == 0 and "was not linked" in not_linked.stdout
    assert "no partner with id 99" in cli("unlink", "amina", "99").stderr
    assert "no candidate" in cli("unlink", "nobody", partner_id).stderr


def test_partner_remove(cli):
    cli("import", EXAMPLES / "partners.csv")
    cli("import", EXAMPLES / "candidates.csv")
    sanne = next(row for row in partner_list(cli) if row["name"] == "Sanne de Vries")
    removed = cli("partner", "remove", sanne["id"])
    assert removed.returncode == 0 and "2 link(s)" in removed.stdout
    assert sanne["id"] not in [row["id"] for row in partner_list(cli)]
    shown = json.loads(cli("candidate", "show", "amina-test", "--json").stdout)
    assert shown["partners"] == []
    missing = cli("partner", "remove", sanne["id"])
    assert missing.returncode == 1 and f"no partner with id {sanne['id']}" in missing.stderr


def test_trajectories(cli):
    trajectory_id = last_line(cli("trajectory", "add", "Bouw Utrecht"))
    duplicate = cli("trajectory", "add", "Bouw Utrecht")
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr
    store = Store(cli.database_url)
    store.ensure_candidate("rest", "amina")
    store.engine.dispose()
    assert cli("candidate", "trajectory", "amina", "Bouw Utrecht").returncode == 0
    created = cli("candidate", "trajectory", "amina", "Schilders Zwolle")
    assert created.returncode == 0 and "created trajectory" in created.stdout
    rows = json.loads(cli("trajectory", "list", "--json").stdout)
    assert rows == [{"id": int(trajectory_id), "name": "Bouw Utrecht", "candidates": 0, "partners": 0},
                    {"id": int(trajectory_id) + 1, "name": "Schilders Zwolle", "candidates": 1, "partners": 0}]
    assert "no candidate" in cli("candidate", "trajectory", "nobody", "Bouw Utrecht").stderr


@pytest.mark.parametrize("args", [("partner", "list"), ("partner", "remove"), ("unlink",), ("trajectory",),
                                  ("trajectory", "add"), ("trajectory", "list"), ("candidate", "trajectory"),
                                  ("import",)])
def test_help(cli, args):
    result = cli(*args, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout
