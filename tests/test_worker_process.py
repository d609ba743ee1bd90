"""The worker as a real process: killed in the middle of a delivery and started again,
every alert still arrives, and the only duplicate is the one in flight (and counted)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot import alerts
from bot.store import Store
from tests.e2e.conftest import free_port
from tests.fakes.telegram_api import FakeTelegramAPI

ROOT = Path(__file__).resolve().parents[1]


def start_worker(env):
    return subprocess.Popen([sys.executable, "-m", "bot", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_a_worker_killed_mid_delivery_loses_nothing(tmp_path):
    fake = FakeTelegramAPI()
    url = f"sqlite:///{tmp_path / 'kl.db'}"
    store = Store(url)
    store.upgrade()
    coach = store.add_partner("jobcoach", "Joke", "telegram", "4242")
    ids = []
    for number in range(10):
        store.ensure_candidate("rest", f"c{number}")
        store.link(f"c{number}", coach)
        ids.append(alerts.report(store, f"c{number}", "problem", text=f"probleem {number}", language="nl")["id"])
    env = dict(os.environ, DATABASE_URL=url, TELEGRAM_BOT_TOKEN="123:t", TELEGRAM_API_URL=fake.url,
               WORKER_PORT=str(free_port()), OUTBOX_LEASE_SECONDS="2", TRANSLATOR="none")
    fake.hang = 3  # every send takes 3 s: the worker is surely in the middle of one
    worker = start_worker(env)
    try:
        fake.wait_for(lambda: fake.sent("4242"), timeout=60)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        in_flight = len(fake.calls("sendMessage"))  # reached Telegram before the kill
        fake.hang = 0
        worker = start_worker(env)
        fake.wait_for(lambda: all(any(f"Melding {i}:" in m["text"] for m in fake.sent("4242")) for i in ids),
                      timeout=60)
        deadline = time.monotonic() + 30
        while any(alerts.show_alert(store, i)["status"] != "delivered" for i in ids):
            assert time.monotonic() < deadline
            time.sleep(0.2)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        fake.close()
    texts = [m["text"] for m in fake.sent("4242")]
    duplicates = len(texts) - len(set(texts))
    assert len(set(texts)) == len(ids)
    assert duplicates <= in_flight  # only what was on its way when the worker died
    attempts = [alerts.show_alert(store, i)["deliveries"][0]["attempts"] for i in ids]
    resent = sum(attempts) - len(ids)
    assert duplicates <= resent <= in_flight  # every possible duplicate is counted
