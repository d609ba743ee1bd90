"""Rasa's endpoints for this environment, chosen by environment variables only.

Embedded default: SQLite tracker store in var/, in-memory lock store, no event broker.
`DATABASE_URL` (PostgreSQL) puts Rasa's tracker store in the same database as our tables
(Rasa's SQL tracker store in SQLAlchemy Core: bot/deploy/tracker_store.py);
`REDIS_URL` gives the Redis lock store that several Rasa replicas need to process one
conversation's messages one at a time (Rasa's, with atomic tickets: bot/deploy/lock_store.py);
`RABBITMQ_URL` adds Rasa's event broker for analytics. Passwords stay `${...}` references that Rasa resolves from the environment,
so the written file holds no secret.
"""

import os
from pathlib import Path
from typing import Dict, Optional
from urllib.parse import unquote, urlsplit

import yaml

from bot import settings

# Redis keys of our lock store, so one Redis can serve more (Rasa accepts letters and digits only).
KEY_PREFIX = "kortelijnen"
LOCK_STORE = "bot.deploy.lock_store.AtomicRedisLockStore"  # Rasa's Redis lock store, made atomic
TRACKER_STORE = "bot.deploy.tracker_store.CoreSQLTrackerStore"  # Rasa's SQL tracker store, leaner


def _secret(env: Dict[str, str], name: str, value: Optional[str]) -> Optional[str]:
    """Puts a password in the environment under `name` and returns a reference to it."""
    if not value:
        return None
    env[name] = unquote(value)
    return "${" + name + "}"


def tracker_store(env: Dict[str, str]) -> dict:
    url = env.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return {"type": TRACKER_STORE, "dialect": "sqlite", "db": env.get("TRACKER_DB") or str(settings.DATA_DIR / "tracker.db")}
    parts = urlsplit(url)
    store = {"type": TRACKER_STORE, "dialect": "postgresql", "url": parts.hostname or "127.0.0.1",
             "port": parts.port or 5432, "db": parts.path.lstrip("/"), "username": unquote(parts.username or "")}
    password = _secret(env, "KL_TRACKER_PASSWORD", parts.password)
    if password:
        store["password"] = password
    return store


def lock_store(env: Dict[str, str]) -> Optional[dict]:
    url = env.get("REDIS_URL")
    if not url:
        return None  # Rasa's in-memory lock store: one Rasa process only
    parts = urlsplit(url)
    store = {"type": LOCK_STORE, "url": parts.hostname or "127.0.0.1", "port": parts.port or 6379,
             "db": int(parts.path.lstrip("/") or 0), "key_prefix": KEY_PREFIX,
             "use_ssl": parts.scheme == "rediss"}
    password = _secret(env, "KL_REDIS_PASSWORD", parts.password)
    if password:
        store["password"] = password
    return store


def event_broker(env: Dict[str, str]) -> Optional[dict]:
    url = env.get("RABBITMQ_URL")
    if not url:
        return None
    parts = urlsplit(url)
    return {"type": "pika", "url": parts.hostname or "127.0.0.1", "port": parts.port or 5672,
            "username": unquote(parts.username or "guest"),
            "password": _secret(env, "KL_RABBITMQ_PASSWORD", parts.password or "guest"),
            "queues": [env.get("RABBITMQ_QUEUE", "korte-lijnen-events")]}


def build(env: Dict[str, str]) -> dict:
    """The endpoints for this environment; adds password variables to `env` for Rasa."""
    endpoints = {
        "action_endpoint": {"url": env.get("ACTION_ENDPOINT_URL")
                            or f"http://127.0.0.1:{settings.ACTIONS_PORT}/webhook"},
        "nlg": {"type": "bot.nlg.CatalogNLG"},
        "tracker_store": tracker_store(env),
    }
    for name, block in (("lock_store", lock_store(env)), ("event_broker", event_broker(env))):
        if block:
            endpoints[name] = block
    return endpoints


def write(env: Dict[str, str], path: Optional[Path] = None) -> Path:
    path = path or settings.DATA_DIR / "endpoints.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = "# Written by bot/deploy/endpoints.py from the environment at start; do not edit.\n"
    path.write_text(header + yaml.safe_dump(build(env), sort_keys=False))
    return path


def main() -> None:
    """`python -m bot.deploy.endpoints PATH`: for containers that start Rasa themselves."""
    import sys

    env = dict(os.environ)
    print(write(env, Path(sys.argv[1]) if len(sys.argv) > 1 else None))


if __name__ == "__main__":
    main()
