"""Configuration from the environment, with embedded defaults that need nothing installed.

Every variable is documented in .env.example.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("KL_DATA_DIR", ROOT / "var"))

RASA_PORT = int(os.environ.get("RASA_PORT", "5005"))
ACTIONS_PORT = int(os.environ.get("ACTIONS_PORT", "5055"))
WORKER_PORT = int(os.environ.get("WORKER_PORT", "5056"))  # the worker's health endpoint


def rasa_url() -> str:
    return os.environ.get("RASA_URL", f"http://127.0.0.1:{RASA_PORT}")


def service_environment() -> dict:
    """The environment for Rasa and the action server: embedded defaults unless set."""
    env = dict(os.environ)
    env.setdefault("ACTION_ENDPOINT_URL", f"http://127.0.0.1:{ACTIONS_PORT}/webhook")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    # Rasa's telemetry and error reports would send data off the machine: never.
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return env
