"""Starts the real assistant (`python -m bot serve`) once for the end-to-end tests.

It runs on free ports with its own data folder and database, so it neither needs nor
disturbs a running `make run`.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.fakes.libretranslate import FakeLibreTranslate
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilioAPI

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "korte-lijnen.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Assistant:
    def __init__(self, url: str, env: dict):
        self.url = url
        self.env = env

    def say(self, sender: str, text: str, metadata: dict = None) -> list:
        body = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        request = urllib.request.Request(
            f"{self.url}/webhooks/rest/webhook", json.dumps(body).encode(),
            {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"[]")

    def post(self, path: str, body: dict, headers: dict = None) -> int:
        """POSTs JSON to a webhook; returns the HTTP status."""
        request = urllib.request.Request(f"{self.url}{path}", json.dumps(body).encode(),
                                         {"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def texts(self, sender: str, text: str, metadata: dict = None) -> str:
        return "\n".join(m.get("text", "") for m in self.say(sender, text, metadata))

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="session")
def translator():
    """A local LibreTranslate stand-in: answers come back as "[nl] <original>"."""
    fake = FakeLibreTranslate()
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def telegram_api():
    """A local Telegram Bot API: jobcoaches on Telegram receive their alerts here."""
    fake = FakeTelegramAPI()
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def twilio_api():
    """A local Twilio Messages API: WhatsApp replies and alerts arrive here."""
    fake = FakeTwilioAPI()
    yield fake
    fake.close()


def start_assistant(data: Path, **settings: str) -> "tuple[subprocess.Popen, str, dict]":
    """`python -m bot serve` on free ports with its own data folder and SQLite database
    (for the end-to-end tests and the benchmarks); returns the process, Rasa's URL and
    the environment. Raises RuntimeError with the log's end when it does not start."""
    rasa_port = free_port()
    env = dict(os.environ, RASA_PORT=str(rasa_port), ACTIONS_PORT=str(free_port()), WORKER_PORT=str(free_port()),
               KL_DATA_DIR=str(data), DATABASE_URL=f"sqlite:///{data}/korte-lijnen.db", **settings)
    log_path = data / "services.log"
    with log_path.open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 300
    while "Korte Lijnen is running" not in log_path.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            stop_assistant(process)
            raise RuntimeError("the assistant did not start:\n" + log_path.read_text()[-3000:])
        time.sleep(0.5)
    return process, f"http://127.0.0.1:{rasa_port}", env


def stop_assistant(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, translator, telegram_api, twilio_api):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does)")
    try:
        process, url, env = start_assistant(
            tmp_path_factory.mktemp("assistant"), TRANSLATOR="libre", LIBRETRANSLATE_URL=translator.url,
            TELEGRAM_BOT_TOKEN="123:e2e", TELEGRAM_API_URL=telegram_api.url, TELEGRAM_SECRET_TOKEN="e2e-secret",
            TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
            TWILIO_WHATSAPP_FROM="whatsapp:+3197010203040", TWILIO_API_URL=twilio_api.url,
            PUBLIC_BASE_URL="https://bot.example.org")
    except RuntimeError as error:
        pytest.fail(str(error))
    yield Assistant(url, env)
    stop_assistant(process)
