"""Throughput benchmark (`make bench`): Korte Lijnen under load, against plain Rasa.

Simulated candidates do the intake with a problem report over the REST channel, in two
phases per setup: a latency phase (10 conversations at once, each writing again about a
second after the reply, as a quick typist does) and a throughput phase (the same conversations
without pauses: what the machine can do). Setups:
  - one replica of the production setup (PostgreSQL tracker store and tables, Redis lock
    store, the action server, the worker),
  - two replicas of it (conversations spread over both Rasa servers),
  - a plain assistant made with `rasa init` (the baseline a team would start from;
    trained once and kept in var/bench/), with the same number of turns per conversation.
Prints p50/p95/p99 turn latency, turns per second and peak memory per process; the last
line is one JSON object. On a shared machine one run can be off by a quarter either way:
`--rounds N` runs the three setups N times, one after the other in each round, so that a
slow minute falls on all of them, and reports each figure's median over the rounds.
Targets (issue #7): p95 <= 150 ms at 10 conversations, throughput >= 0.9 x plain Rasa,
Rasa process <= 1.5 GB.
"""

import argparse
import itertools
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import new_postgres_database  # noqa: E402
from tests.e2e.conftest import free_port  # noqa: E402
from tests.e2e.topology import Topology, peak_rss_mb  # noqa: E402
from tests.fakes.telegram_api import FakeTelegramAPI  # noqa: E402

OUR_SCRIPT = ["hallo", "1", "1", "Ik ben Amina uit Syrië", "Ik wil elektricien worden",
              "mijn fiets is gestolen, ik kan morgen niet komen", "2", "Ik kan goed met mijn handen werken",
              "Ik heb vijf jaar als timmerman gewerkt", "Mensen zeggen dat ik geduldig ben"]
BASELINE_SCRIPT = ["hello", "I am feeling sad", "yes", "hi", "great", "bye", "hey", "not good", "no", "goodbye"]
BASELINE_DIR = ROOT / "var" / "bench" / "rasa-init"
REDIS_DB = 10


def post(url: str, sender: str, message: str) -> float:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def load(urls, script, conversations: int, seconds: float, think: float) -> dict:
    """`conversations` simulated people, each starting a new conversation when one ends.

    People write independently: each starts at a random moment within the first `think`
    seconds and pauses between half and one and a half times `think` after a reply (the
    same seeded pauses for every setup). Fixed pauses from one start would keep all
    conversations in step, every message arriving in the same instant as nine others.
    """
    latencies, counter, stop = [], itertools.count(), time.monotonic() + seconds

    def person(index: int) -> None:
        pauses = random.Random(index)
        time.sleep(pauses.uniform(0, think))
        while time.monotonic() < stop:
            sender = f"bench-{uuid.uuid4().hex[:10]}"
            for turn, line in enumerate(script):
                if time.monotonic() >= stop:
                    return
                latencies.append(post(urls[(index + turn) % len(urls)], sender, line))
                next(counter)
                time.sleep(pauses.uniform(0.5 * think, 1.5 * think))

    started = time.monotonic()
    threads = [threading.Thread(target=person, args=(n,)) for n in range(conversations)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {"turns": len(latencies), "turns_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1), "p99_ms": round(cuts[98], 1)}


def measure(urls, script, args) -> dict:
    post(urls[0], "warm-up", script[0])
    return {"latency": load(urls, script, args.conversations, args.seconds, think=1.0),
            "throughput": load(urls, script, args.conversations, args.seconds, think=0.0)}


def ours(replicas: int, args) -> dict:
    telegram = FakeTelegramAPI()
    with new_postgres_database("kl_bench") as database, tempfile.TemporaryDirectory() as folder:
        topology = Topology(database, telegram, Path(folder), redis_db=REDIS_DB, replicas=replicas)
        try:
            result = measure(topology.urls, OUR_SCRIPT, args)
            result["peak_rss_mb"] = topology.peak_rss_mb()
        finally:
            topology.stop()
            telegram.close()
    return result


def baseline(args) -> dict:
    rasa = str(Path(sys.executable).parent / "rasa")
    if not list((BASELINE_DIR / "models").glob("*.tar.gz")):
        BASELINE_DIR.mkdir(parents=True, exist_ok=True)
        print("creating and training the plain `rasa init` assistant (once)...", flush=True)
        subprocess.run([rasa, "init", "--no-prompt", "--init-dir", str(BASELINE_DIR)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    log = open(BASELINE_DIR / "server.log", "w")
    process = subprocess.Popen([rasa, "run", "--port", str(port), "--model", "models"], cwd=BASELINE_DIR,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                               env=dict(os.environ, RASA_TELEMETRY_ENABLED="false"))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=2):
                    break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "the baseline did not start"
                time.sleep(0.5)
        result = measure([url], BASELINE_SCRIPT, args)
        result["peak_rss_mb"] = {"rasa": round(peak_rss_mb(process.pid), 1)}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
        log.close()
    return result


def median_of(rounds: list):
    """Figure by figure, the median over the rounds (of the same nested shape)."""
    if isinstance(rounds[0], dict):
        return {key: median_of([result[key] for result in rounds]) for key in rounds[0]}
    return round(statistics.median(rounds), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30, help="per phase")
    parser.add_argument("--rounds", type=int, default=1, help="runs of all setups; figures are medians")
    args = parser.parse_args()
    setups = {"baseline": lambda: baseline(args), "one_replica": lambda: ours(1, args),
              "two_replicas": lambda: ours(2, args)}
    rounds = [{name: run() for name, run in setups.items()} for _ in range(args.rounds)]
    results = median_of(rounds)
    for number, result in enumerate(rounds if args.rounds > 1 else [], 1):
        print(f"round {number}: " + "  ".join(
            f"{setup} p95 {result[setup]['latency']['p95_ms']} ms, {result[setup]['throughput']['turns_per_s']} turns/s"
            for setup in setups))
    for setup, result in results.items():
        for phase in ("latency", "throughput"):
            figures = result[phase]
            print(f"{setup:13} {phase:10} {figures['turns']:5} turns  {figures['turns_per_s']:6} turns/s  "
                  f"p50 {figures['p50_ms']} ms  p95 {figures['p95_ms']} ms  p99 {figures['p99_ms']} ms")
        print(f"{setup:13} peak memory (MB): {result['peak_rss_mb']}")
    one, two, base = results["one_replica"], results["two_replicas"], results["baseline"]

    def ratio(numerator: str, denominator: str) -> float:  # within each round, then the median
        return round(statistics.median(r[numerator]["throughput"]["turns_per_s"] / r[denominator]["throughput"]["turns_per_s"]
                                       for r in rounds), 2)

    summary = {
        "p95_ms": one["latency"]["p95_ms"],
        "p99_ms": one["latency"]["p99_ms"],
        "turns_per_s": one["throughput"]["turns_per_s"],
        "baseline_turns_per_s": base["throughput"]["turns_per_s"],
        "throughput_ratio_vs_rasa": ratio("one_replica", "baseline"),
        "rasa_rss_mb": one["peak_rss_mb"]["rasa"],
        "two_replicas_turns_per_s": two["throughput"]["turns_per_s"],
        "scaling_factor_two_replicas": ratio("two_replicas", "one_replica"),
        "conversations": args.conversations,
        "rounds": args.rounds,
        "targets": {"p95_ms": 150, "throughput_ratio_vs_rasa": 0.9, "rasa_rss_mb": 1536},
        "details": results,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
