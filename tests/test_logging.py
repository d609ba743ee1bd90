"""Structured logs, and no message text in them: the worker and the actions over a conversation."""

import asyncio
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import logging_config
from bot.store import Store

ROOT = Path(__file__).resolve().parents[1]
MARKER = "zwq-MARKER-4711 mijn zoon is ziek"


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in logging_config.PAYLOAD_LOGGERS}
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)
    logging.captureWarnings(False)


def configured(monkeypatch, fmt="kv", **env):
    monkeypatch.setenv("KL_LOG_FORMAT", fmt)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    stream = io.StringIO()
    logging_config.configure("test-service", level=logging.DEBUG, stream=stream)
    return stream


def test_key_value_lines(monkeypatch, restore_logging):
    stream = configured(monkeypatch)
    logging.getLogger("bot.worker").info("worker round: %s", {"delivered": 2})
    line = stream.getvalue().strip()
    assert line.startswith("time=") and " level=INFO service=test-service logger=bot.worker " in line
    assert line.endswith("msg=\"worker round: {'delivered': 2}\"") and "\n" not in line


def test_json_lines(monkeypatch, restore_logging):
    stream = configured(monkeypatch, "json")
    logging.getLogger("bot.x").warning("outbox %s failed", 7)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("bot.x").exception("round failed")
    first, second = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert {key: first[key] for key in ("level", "service", "logger", "msg")} == {
        "level": "WARNING", "service": "test-service", "logger": "bot.x", "msg": "outbox 7 failed"}
    assert first["time"].endswith("Z") and "RuntimeError: boom" in second["exc"]


def test_sql_parameters_urls_and_secrets_are_redacted(monkeypatch, restore_logging):
    stream = configured(monkeypatch, TELEGRAM_BOT_TOKEN="999:SECRET-MARKER-env")
    from sqlalchemy import create_engine, text

    engine = create_engine("sqlite://")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT * FROM missing WHERE text = :t"), {"t": MARKER})
    except Exception:
        logging.getLogger("bot.store").exception("store failed")
    log = logging.getLogger("bot.channels")
    log.warning("calling https://api.telegram.org/bot123:SECRET-MARKER-url/getMe")
    log.warning("database postgresql://kl:SECRET-MARKER-pw@db/kl")
    log.warning("token %s", "999:SECRET-MARKER-env")
    output = stream.getvalue()
    assert "[parameters: hidden]" in output and "OperationalError" in output
    assert MARKER not in output and "SECRET-MARKER" not in output
    assert "postgresql://kl:***@db/kl" in output


def test_payload_libraries_stay_quiet_even_at_debug(monkeypatch, restore_logging):
    stream = configured(monkeypatch)
    from sqlalchemy import create_engine, text

    engine = create_engine("sqlite://", echo=False)
    with engine.connect() as connection:
        connection.execute(text("SELECT :t"), {"t": MARKER})
    for name in ("httpx", "telegram.ext", "twilio.http_client", "rasa_sdk.executor", "sqlalchemy.engine.Engine"):
        logging.getLogger(name).info("payload %s", MARKER)
    logging.getLogger("bot.worker").debug("ours at debug")
    output = stream.getvalue()
    assert MARKER not in output and "ours at debug" in output


def test_our_lines_replace_the_console_handler_rasa_installed(monkeypatch, restore_logging, capsys):
    """rasa and rasa_sdk install coloredlogs before our code runs: each record must still come
    out once, structured and filtered (not a second time through their unfiltered handler)."""
    import warnings

    import coloredlogs

    coloredlogs.install(level="INFO", fmt="%(asctime)s %(levelname)-8s %(name)s  - %(message)s")
    monkeypatch.setenv("KL_LOG_FORMAT", "kv")
    logging_config.configure("rasa")
    logging.getLogger("bot.channels").warning("message from %s: %s", "42", "bot123456:SECRETtoken")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("a library's deprecation", DeprecationWarning, stacklevel=1)
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("time=") and "service=rasa" in lines[0] and "SECRETtoken" not in lines[0]
    assert "logger=py.warnings" in lines[1] and "deprecation" in lines[1]


def test_the_worker_logs_no_alert_text(tmp_path):
    from bot import alerts

    url = f"sqlite:///{tmp_path / 'worker.db'}"
    store = Store(url)
    store.upgrade()
    store.ensure_candidate("rest", "amina")
    store.record_consent("amina", True, "consent-v1")
    coach = store.add_partner("jobcoach", "Joke", "local", "joke")
    store.link("amina", coach)
    alerts.report(store, "amina", "problem", problem_type="childcare", text=MARKER, language="nl")
    store.engine.dispose()
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("TELEGRAM_", "TWILIO_", "REDIS", "TRANSLATOR"))}
    for fmt in ("kv", "json"):
        result = subprocess.run([sys.executable, "-m", "bot", "worker", "--once"], cwd=ROOT, timeout=120,
                                env=dict(env, DATABASE_URL=url, KL_LOG_LEVEL="DEBUG", KL_LOG_FORMAT=fmt),
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert "service=worker" in result.stderr or '"service": "worker"' in result.stderr  # it did log
        assert "zwq-MARKER-4711" not in result.stderr and "zoon is ziek" not in result.stderr


@pytest.fixture
def action_store(tmp_path, monkeypatch):
    from actions import common

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'actions.db'}")
    common.store.cache_clear()
    yield common.store()
    common.store().engine.dispose()
    common.store.cache_clear()


def test_the_actions_log_no_message_text(action_store, caplog, restore_logging):
    from actions.conversation import ActionRoute

    logging_config.configure("actions")  # as a process of ours sets up its logs
    caplog.set_level(logging.DEBUG)
    action_store.ensure_candidate("rest", "amina")
    action_store.record_consent("amina", True, "consent-v1")
    coach = action_store.add_partner("jobcoach", "Joke", "local", "joke")
    action_store.link("amina", coach)
    texts = [MARKER, f"ik kan niet komen, {MARKER}", f"stop {MARKER}"]
    for number, text in enumerate(texts):
        message = {"text": text, "intent": {"name": "report_problem" if number == 1 else "greet", "confidence": 0.99},
                   "entities": [{"entity": "problem_type", "value": "childcare"}] if number == 1 else [],
                   "metadata": {}}
        tracker = Tracker("amina", {"language": "nl", "consent": "yes"}, message, [], False, None, None,
                          "action_listen")
        asyncio.run(ActionRoute().run(CollectingDispatcher(), tracker, {}))
    assert caplog.records, "the actions logged nothing at DEBUG; the test would prove nothing"
    for record in caplog.records:
        rendered = record.getMessage() + (record.exc_text or "")
        assert "zwq-MARKER-4711" not in rendered and "zoon is ziek" not in rendered, record.name
