"""Alert latency benchmark (`make bench-alerts`): from a candidate's message to the alert
being handed to the jobcoach's channel.

Starts the real assistant (`python -m bot serve`: Rasa, the action server and the worker)
on its embedded defaults (SQLite, in-memory lock store) with a local fake of the Telegram
Bot API, registers a jobcoach on that fake, and sends N problem reports over the REST
channel, each from a new candidate linked to the jobcoach. The clock starts before the
REST request and stops when the fake receives the sendMessage that carries the alert.
Prints p50/p95/max and, as the last line, one JSON object. Target (issue #4): p95 <= 1 s.
"""

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.store import Store  # noqa: E402
from tests.e2e.conftest import start_assistant, stop_assistant  # noqa: E402
from tests.fakes.telegram_api import FakeTelegramAPI  # noqa: E402

PROBLEMS = [
    "ik kan morgen niet komen, mijn zoon is ziek",
    "mijn fiets is gestolen, ik kan niet naar mijn werk",
    "ما بقدر اجي بكرا، ابني مريض",
    "my benefit stopped and I cannot pay the rent",
    "ጽባሕ ክመጽእ ኣይክእልን እየ፣ ወደይ ሓሚሙ",
]
COACH_CHAT = "9001"


class Arrivals:
    """Notes when each alert reaches the fake (polled every millisecond)."""

    def __init__(self, fake: FakeTelegramAPI) -> None:
        self.fake, self.seen, self.times = fake, 0, []
        self.running = True
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        while self.running:
            count = len(self.fake.sent(COACH_CHAT))
            now = time.monotonic()
            self.times += [now] * (count - self.seen)
            self.seen = count
            time.sleep(0.001)

    def wait_for(self, count: int, timeout: float = 30) -> float:
        deadline = time.monotonic() + timeout
        while len(self.times) < count:
            if time.monotonic() > deadline:
                raise RuntimeError("an alert did not arrive within 30 s")
            time.sleep(0.001)
        return self.times[count - 1]


def post(url: str, sender: str, text: str) -> None:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alerts", type=int, default=200)
    args = parser.parse_args()
    fake = FakeTelegramAPI()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        process, base, env = start_assistant(data, TRANSLATOR="none", TELEGRAM_BOT_TOKEN="123:bench",
                                             TELEGRAM_API_URL=fake.url)
        url = f"{base}/webhooks/rest/webhook"
        try:
            store = Store(env["DATABASE_URL"])
            coach = store.add_partner("jobcoach", "Bench Coach", "telegram", COACH_CHAT)
            arrivals = Arrivals(fake)
            post(url, "warm-up", "hallo")  # the first turn loads lazy parts
            latencies = []
            for number in range(args.alerts):
                sender = f"bench-{number}"
                store.ensure_candidate("rest", sender, display_name=f"Kandidaat {number}")
                store.link(sender, coach)
                started = time.monotonic()
                post(url, sender, PROBLEMS[number % len(PROBLEMS)])
                latencies.append(arrivals.wait_for(number + 1) - started)
            arrivals.running = False
        finally:
            stop_assistant(process)
            fake.close()
    milliseconds = sorted(latency * 1000 for latency in latencies)
    quantiles = statistics.quantiles(milliseconds, n=100)
    result = {"alerts": len(milliseconds), "p50_ms": round(quantiles[49], 1),
              "p95_ms": round(quantiles[94], 1), "max_ms": round(milliseconds[-1], 1),
              "target_p95_ms": 1000, "met": quantiles[94] <= 1000}
    print(f"{result['alerts']} alerts, message to channel: p50 {result['p50_ms']} ms, "
          f"p95 {result['p95_ms']} ms, max {result['max_ms']} ms (target p95 <= 1000 ms)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
