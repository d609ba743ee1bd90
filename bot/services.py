"""Starts Rasa and the action server together (`make serve`, `make run`), and stops them.

One small supervisor instead of a process manager keeps the embedded setup to a single
command; in production each process runs in its own container (docker-compose.yml).
"""

import contextlib
import signal
import subprocess
import sys
import time
import urllib.request
from typing import IO, Iterator, List, Optional

from bot import settings
from bot.deploy import endpoints
from bot.store import Store

MODEL = settings.ROOT / "models" / "korte-lijnen.tar.gz"
STARTUP_TIMEOUT = 240  # seconds; loading TensorFlow and the model takes a while


def _commands() -> List[tuple]:
    python = sys.executable
    return [
        ("actions", [python, "-m", "rasa_sdk", "--actions", "actions",
                     "--port", str(settings.ACTIONS_PORT)],
         f"http://127.0.0.1:{settings.ACTIONS_PORT}/health"),
        ("rasa", rasa_command(python), f"http://127.0.0.1:{settings.RASA_PORT}/"),
        ("worker", [python, "-m", "bot", "worker"], f"http://127.0.0.1:{settings.WORKER_PORT}/health"),
    ]


def rasa_command(python: str = sys.executable) -> List[str]:
    """`rasa run` with our model, connectors, structured logs (bot/deploy/rasa_cli.py) and the
    endpoints for this environment (bot/deploy/endpoints.py writes them to var/endpoints.yml)."""
    return [python, "-m", "bot.deploy.rasa_cli", "run", "--model", str(MODEL), "--port", str(settings.RASA_PORT),
            "--credentials", "credentials.yml", "--endpoints", str(settings.DATA_DIR / "endpoints.yml")]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until_healthy(urls: List[str], processes: List[subprocess.Popen],
                       timeout: float = STARTUP_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    pending = list(urls)
    while pending:
        if any(process.poll() is not None for process in processes):
            raise RuntimeError("a service stopped while starting; see its log")
        if time.monotonic() > deadline:
            raise RuntimeError(f"not healthy after {timeout:.0f} s: {', '.join(pending)}")
        pending = [url for url in pending if not _healthy(url)]
        time.sleep(0.5)


@contextlib.contextmanager
def running(log: Optional[IO] = None) -> Iterator[List[subprocess.Popen]]:
    """Runs the services until the block ends; output goes to `log` (default: this terminal)."""
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    Store.from_env().upgrade()
    environment = settings.service_environment()
    endpoints.write(environment)  # adds the password variables Rasa resolves
    processes: List[subprocess.Popen] = []
    try:
        for name, command, _url in _commands():
            # The worker prints local deliveries (alerts for a `local` partner) on stdout:
            # in `make run` they appear in the console, between the chat lines.
            stdout = None if name == "worker" else log
            processes.append(subprocess.Popen(
                command, cwd=settings.ROOT, env=environment, stdout=stdout, stderr=log))
        wait_until_healthy([url for *_rest, url in _commands()], processes)
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def serve() -> int:
    """Foreground: the services' logs on this terminal until Ctrl-C."""
    with running() as processes:
        print(f"Korte Lijnen is running: REST channel at {settings.rasa_url()}/webhooks/rest/webhook"
              " (Ctrl-C stops)", flush=True)
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


def run(sender: Optional[str] = None) -> int:
    """Background services (logs in var/logs/services.log) and a terminal chat in front."""
    from bot import chat

    log_dir = settings.DATA_DIR / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / "services.log"
    print(f"Starting Korte Lijnen (logs: {log_path}); this takes about a minute...", flush=True)
    with log_path.open("a") as log, running(log):
        return chat.main(["--sender", sender] if sender else [])
