"""Several replicas of Korte Lijnen on 127.0.0.1 sharing PostgreSQL and Redis, for the
replica test and the throughput benchmark: per replica a Rasa server, an action server
and a worker; each Rasa server talks to its own action server."""

import os
import signal
import subprocess
import sys
import time
import urllib.request

import redis

from bot.deploy import endpoints
from bot.services import rasa_command
from bot.store import Store
from tests.e2e.conftest import ROOT, free_port


def peak_rss_mb(pid: int) -> float:
    """The most resident memory a process has used (VmHWM), in MB."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Topology:
    def __init__(self, database_url: str, telegram, folder, redis_db: int, replicas: int = 2) -> None:
        redis.Redis(host="127.0.0.1", port=6379, db=redis_db).flushdb()
        Store(database_url).upgrade()  # once, before the replicas start
        self.base = dict(os.environ, DATABASE_URL=database_url, REDIS_URL=f"redis://127.0.0.1:6379/{redis_db}",
                         TRANSLATOR="none", TELEGRAM_BOT_TOKEN="123:replicas", TELEGRAM_API_URL=telegram.url,
                         RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="3", KL_DATA_DIR=str(folder))
        self.processes, self.urls, self.rasa = [], [], []
        self.log = (folder / "replicas.log").open("w")
        for replica in "abcdefgh"[:replicas]:
            actions_port, rasa_port, worker_port = free_port(), free_port(), free_port()
            env = dict(self.base, RASA_PORT=str(rasa_port), ACTIONS_PORT=str(actions_port), WORKER_PORT=str(worker_port),
                       ACTION_ENDPOINT_URL=f"http://127.0.0.1:{actions_port}/webhook")
            path = endpoints.write(env, folder / f"endpoints-{replica}.yml")
            command = rasa_command()
            command[command.index("--endpoints") + 1] = str(path)
            command[command.index("--port") + 1] = str(rasa_port)
            self.start("actions", [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)],
                       env, f"http://127.0.0.1:{actions_port}/health")
            self.start("worker", [sys.executable, "-m", "bot", "worker"], env, f"http://127.0.0.1:{worker_port}/health")
            self.rasa.append(self.start("rasa", command, env, f"http://127.0.0.1:{rasa_port}/"))
            self.urls.append(f"http://127.0.0.1:{rasa_port}")
        self.wait()

    def start(self, kind: str, command, env, health) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes.append((kind, process, health))
        return process

    def wait(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        for _kind, process, health in self.processes:
            while True:
                assert process.poll() is None, f"a service stopped while starting: {health}"
                assert time.monotonic() < deadline, f"not healthy: {health}"
                try:
                    with urllib.request.urlopen(health, timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                time.sleep(0.5)

    def peak_rss_mb(self) -> dict:
        """The highest resident memory of any process of each kind (rasa, actions, worker)."""
        peaks: dict = {}
        for kind, process, _health in self.processes:
            peaks[kind] = round(max(peaks.get(kind, 0.0), peak_rss_mb(process.pid)), 1)
        return peaks

    def stop(self) -> None:
        for _kind, process, _health in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _kind, process, _health in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.log.close()
