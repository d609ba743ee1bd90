"""`python -m bot doctor` as an operator runs it: a subprocess with a chosen environment."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot import doctor as checks
from bot.store import Store, migrations
from tests.fakes import twilio_api
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.twilio_api import FakeTwilioAPI

ROOT = Path(__file__).resolve().parents[1]
CONFIGURATION = ("DATABASE_URL", "REDIS_URL", "RABBITMQ_URL", "TRANSLATOR", "LIBRETRANSLATE_URL", "RASA_URL",
                 "RASA_PORT", "ACTIONS_PORT", "ACTION_ENDPOINT_URL", "WORKER_PORT", "PUBLIC_BASE_URL", "KL_MODEL_PATH", "KL_DATA_DIR",
                 "TELEGRAM_BOT_TOKEN", "TELEGRAM_SECRET_TOKEN", "TELEGRAM_API_URL", "TWILIO_ACCOUNT_SID",
                 "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM", "TWILIO_API_URL")
TOKEN = "123456:AAH-doctor-test-token"


@pytest.fixture
def doctor(tmp_path):
    """Runs the doctor with a fresh database, a model newer than its sources, nothing else
    configured, plus `env`; returns (exit code, {check name: (status, detail)}, result)."""
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"model")
    os.utime(model, (time.time() + 3600, time.time() + 3600))
    url = f"sqlite:///{tmp_path / 'doctor.db'}"
    base = {name: value for name, value in os.environ.items() if name not in CONFIGURATION}
    base.update(DATABASE_URL=url, KL_MODEL_PATH=str(model), KL_DATA_DIR=str(tmp_path))

    def run(*args, **env):
        merged = dict(base, **env)
        result = subprocess.run([sys.executable, "-m", "bot", "doctor", "--json", *args], cwd=ROOT, env=merged,
                                capture_output=True, text=True, timeout=60)
        assert "Traceback" not in result.stderr, result.stderr
        checks = {check["name"]: (check["status"], check["detail"]) for check in json.loads(result.stdout)["checks"]}
        return result.returncode, checks, result

    run.url, run.model = url, model
    Store(url).upgrade()
    return run


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_fresh_installation_is_healthy(doctor):
    code, checks, result = doctor()
    assert code == 0, result.stdout
    assert checks["configuration"][0] == "ok"
    assert checks["database"][0] == "ok" and "newest" in checks["database"][1]
    assert checks["model"][0] == "ok"
    for name in ("redis", "rabbitmq", "telegram", "whatsapp", "translator"):
        assert checks[name] == ("ok", checks[name][1]) and "not configured" in checks[name][1]


def test_the_plain_output_is_one_line_per_check(doctor):
    result = subprocess.run([sys.executable, "-m", "bot", "doctor"], cwd=ROOT, capture_output=True, text=True,
                            env=dict(os.environ, DATABASE_URL=doctor.url, KL_MODEL_PATH=str(doctor.model)),
                            timeout=60)
    lines = result.stdout.strip().splitlines()
    assert [line.split()[1] for line in lines][:3] == ["configuration", "database", "model"]
    assert all(line.split()[0] in ("ok", "warn", "fail") for line in lines)


def test_a_database_one_migration_behind_fails_with_the_hint(doctor, tmp_path):
    url = f"sqlite:///{tmp_path / 'behind.db'}"
    store = Store(url)
    migrations.upgrade(store.engine, "0004")
    store.engine.dispose()
    code, checks, _ = doctor(DATABASE_URL=url)
    status, detail = checks["database"]
    assert code == 1 and status == "fail"
    assert "0004" in detail and "run python -m bot db upgrade" in detail


def test_a_missing_database_fails_with_the_hint(doctor, tmp_path):
    code, checks, _ = doctor(DATABASE_URL=f"sqlite:///{tmp_path / 'none.db'}")
    assert code == 1 and checks["database"][0] == "fail" and "db upgrade" in checks["database"][1]
    assert not (tmp_path / "none.db").exists()  # the doctor creates nothing


def test_an_unreachable_database_fails_without_its_password(doctor):
    code, checks, result = doctor(DATABASE_URL=f"postgresql://kl:pw-MARKER-db@127.0.0.1:{closed_port()}/kl")
    assert code == 1 and checks["database"][0] == "fail" and "unreachable" in checks["database"][1]
    assert "pw-MARKER-db" not in result.stdout + result.stderr


def test_a_missing_or_stale_model(doctor, tmp_path):
    code, checks, _ = doctor(KL_MODEL_PATH=str(tmp_path / "absent.tar.gz"))
    assert code == 1 and checks["model"][0] == "fail" and "make train" in checks["model"][1]
    stale = tmp_path / "stale.tar.gz"
    stale.write_bytes(b"old")
    os.utime(stale, (946684800, 946684800))  # 2000-01-01: older than domain.yml
    code, checks, _ = doctor(KL_MODEL_PATH=str(stale))
    assert checks["model"][0] == "warn" and "make train" in checks["model"][1]


@pytest.mark.parametrize("env,expected", [
    ({"RASA_PORT": "five"}, "RASA_PORT"),
    ({"TRANSLATOR": "deepl"}, "TRANSLATOR"),
    ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
    ({"REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL"),
    ({"RABBITMQ_URL": "amqp://127.0.0.1:port"}, "RABBITMQ_URL"),
    ({"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "x" * 32}, "TWILIO_WHATSAPP_FROM"),
    ({"TELEGRAM_SECRET_TOKEN": "s" * 20}, "TELEGRAM_BOT_TOKEN"),
])
def test_invalid_configuration_fails_naming_the_variable(doctor, env, expected):
    code, checks, _ = doctor(**env)
    status, detail = checks["configuration"]
    assert code == 1 and status == "fail" and expected in detail


def test_telegram_against_the_fake_api_and_a_closed_port(doctor):
    fake = FakeTelegramAPI()
    try:
        code, checks, _ = doctor(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_SECRET_TOKEN="s" * 20,
                                 TELEGRAM_API_URL=fake.url, PUBLIC_BASE_URL="https://kl.example.org")
    finally:
        fake.close()
    assert code == 0 and checks["telegram"] == ("ok", f"{fake.url} knows the bot as @kl_bot")
    assert fake.calls("getMe")
    code, checks, _ = doctor(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=f"http://127.0.0.1:{closed_port()}")
    assert code == 1 and checks["telegram"][0] == "fail" and "unreachable" in checks["telegram"][1]


class TwilioWithAccounts(FakeTwilioAPI):
    """The Twilio fake, also answering GET /2010-04-01/Accounts/<sid>.json as Twilio does."""

    def _answer(self, handler, method, params):
        account = f"/2010-04-01/Accounts/{self.account_sid}.json"
        if method == "GET" and handler.path == account and \
                twilio_api._basic_auth(handler.headers.get("Authorization", "")) == (self.account_sid, self.auth_token):
            return twilio_api._json(handler, 200, {"sid": self.account_sid, "status": "active"})
        return super()._answer(handler, method, params)


def test_whatsapp_account_against_the_fake_api(doctor):
    fake = TwilioWithAccounts()
    env = dict(TWILIO_ACCOUNT_SID=twilio_api.ACCOUNT_SID, TWILIO_WHATSAPP_FROM="whatsapp:+31970000000",
               TWILIO_API_URL=fake.url, PUBLIC_BASE_URL="https://kl.example.org")
    try:
        code, checks, _ = doctor(TWILIO_AUTH_TOKEN=twilio_api.AUTH_TOKEN, **env)
        assert code == 0 and checks["whatsapp"][0] == "ok" and "active" in checks["whatsapp"][1]
        code, checks, result = doctor(TWILIO_AUTH_TOKEN="wrong-token-MARKER-0123456789", **env)
        assert code == 1 and checks["whatsapp"][0] == "fail" and "refused" in checks["whatsapp"][1]
        assert "wrong-token-MARKER" not in result.stdout + result.stderr
    finally:
        fake.close()
    code, checks, _ = doctor(TWILIO_AUTH_TOKEN=twilio_api.AUTH_TOKEN,
                             **dict(env, TWILIO_API_URL=f"http://127.0.0.1:{closed_port()}"))
    assert code == 1 and checks["whatsapp"][0] == "fail" and "unreachable" in checks["whatsapp"][1]


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def test_redis_reachable_and_not(doctor):
    if not _redis_up():
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    code, checks, _ = doctor(REDIS_URL="redis://127.0.0.1:6379/0")
    assert code == 0 and checks["redis"][0] == "ok"
    code, checks, _ = doctor(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0")
    assert code == 1 and checks["redis"][0] == "fail" and "unreachable" in checks["redis"][1]


def test_rabbitmq_at_a_closed_port_fails(doctor):
    code, checks, _ = doctor(RABBITMQ_URL=f"amqp://guest:guest@127.0.0.1:{closed_port()}")
    assert code == 1 and checks["rabbitmq"][0] == "fail"


class _Health:
    """A tiny HTTP server answering `status` to every GET (a stand-in for a service)."""

    def __init__(self, status=200, body=b'{"status": "ok"}'):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_translator(doctor):
    libre = _Health(body=json.dumps([{"code": "nl"}, {"code": "ar"}]).encode())
    try:
        code, checks, _ = doctor(TRANSLATOR="libre", LIBRETRANSLATE_URL=f"http://127.0.0.1:{libre.port}")
    finally:
        libre.close()
    assert code == 0 and checks["translator"][0] == "ok" and "2 languages" in checks["translator"][1]
    code, checks, _ = doctor(TRANSLATOR="libre", LIBRETRANSLATE_URL=f"http://127.0.0.1:{closed_port()}")
    assert code == 1 and checks["translator"][0] == "fail"
    code, checks, _ = doctor(TRANSLATOR="google")
    assert code == 0 and checks["translator"][0] == "warn"


def test_services_only_when_asked(doctor):
    up, stuck = _Health(), _Health(503, b'{"status": "stuck"}')
    try:
        env = dict(RASA_URL=f"http://127.0.0.1:{up.port}", ACTIONS_PORT=str(up.port), WORKER_PORT=str(stuck.port))
        _, checks, _ = doctor(**env)
        assert not any(name.endswith("service") for name in checks)
        code, checks, _ = doctor("--services", **env)
    finally:
        up.close()
        stuck.close()
    assert checks["rasa service"][0] == "ok" and checks["actions service"][0] == "ok"
    assert code == 1 and checks["worker service"][0] == "fail" and "stuck" in checks["worker service"][1]
    code, checks, _ = doctor("--services", RASA_PORT=str(closed_port()))
    assert code == 1 and "not running" in checks["rasa service"][1]


def test_the_action_server_is_asked_where_rasa_calls_it():
    env = {"ACTION_ENDPOINT_URL": "http://actions:5055/webhook", "ACTIONS_PORT": "6000"}
    assert checks.service_urls(env)["actions"] == "http://actions:5055/health"
    assert checks.service_urls({"ACTIONS_PORT": "6000"})["actions"] == "http://127.0.0.1:6000/health"


def test_secrets_are_never_printed(doctor):
    fake = FakeTelegramAPI()
    marker = "123456:SECRET-MARKER-telegram"
    try:
        for args in ((), ("--services",)):
            for as_json in (True, False):
                env = dict(os.environ, DATABASE_URL=doctor.url, KL_MODEL_PATH=str(doctor.model),
                           TELEGRAM_BOT_TOKEN=marker, TELEGRAM_API_URL=fake.url,
                           TELEGRAM_SECRET_TOKEN="SECRET-MARKER-webhook",
                           TWILIO_ACCOUNT_SID="AC" + "1" * 32, TWILIO_AUTH_TOKEN="SECRET-MARKER-twilio",
                           TWILIO_WHATSAPP_FROM="whatsapp:+31970000000",
                           TWILIO_API_URL=f"http://127.0.0.1:{closed_port()}",
                           REDIS_URL=f"redis://:SECRET-MARKER-redis@127.0.0.1:{closed_port()}/0")
                command = [sys.executable, "-m", "bot", "doctor", *args] + (["--json"] if as_json else [])
                result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
                assert result.returncode == 1 and "telegram" in result.stdout
                assert "SECRET-MARKER" not in result.stdout + result.stderr
    finally:
        fake.close()
