"""Structured logs without personal data, for every process we start.

    configure("worker")

One line per record on stderr with time, level, service, logger and message: key=value
pairs by default, JSON lines with KL_LOG_FORMAT=json. KL_LOG_LEVEL overrides the level.

Our own code logs ids and counts, never message text or answers (DESIGN.md). The filter
below catches what slips through by accident elsewhere:
- libraries that log request payloads below WARNING (SQLAlchemy's statements with their
  parameters, httpx/telegram/twilio requests with the bot token in the URL or the message
  body, rasa-sdk's dumps of tracker events) are cut off below WARNING, whatever the level;
- SQLAlchemy's error messages carry "[parameters: ...]" (a candidate's answer): removed,
  in the message and in tracebacks;
- credentials in URLs (user:password@, Telegram's bot<token>) and the values of secret
  environment variables (*TOKEN*, *PASSWORD*, *SECRET*, *API_KEY*) become "***".
"""

import json
import logging
import os
import re
import sys
import time
from typing import Iterable, List, Optional

FORMATS = ("kv", "json")
# Loggers that put payloads (SQL parameters, request bodies and URLs, tracker events) in
# their records below WARNING.
PAYLOAD_LOGGERS = ("sqlalchemy", "httpx", "httpcore", "telegram", "twilio", "urllib3", "rasa_sdk.executor",
                   "rasa_sdk.endpoint", "sanic.access", "aiogram", "requests")
# Loggers that only add noise at INFO (alembic announces its plugins on every import).
NOISY_LOGGERS = ("alembic.runtime.plugins",)
SECRET_NAMES = re.compile(r"TOKEN|PASSWORD|SECRET|API_KEY|AUTH", re.IGNORECASE)
_PARAMETERS = re.compile(r"\[parameters: [^\n]*")  # SQLAlchemy prints them on one line
_URL_CREDENTIALS = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^/\s:@]*):[^/\s@]*@", re.IGNORECASE)
_BOT_TOKEN = re.compile(r"\bbot\d+:[A-Za-z0-9_-]+")
_MARK = "_korte_lijnen_handler"


def secret_values(environ=None) -> List[str]:
    """The values of secret-looking environment variables (long enough to be worth hiding)."""
    environ = os.environ if environ is None else environ
    return sorted({value for name, value in environ.items() if SECRET_NAMES.search(name) and len(value) >= 6},
                  key=len, reverse=True)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` without SQL parameters, URL credentials, bot tokens and the given secrets."""
    text = _PARAMETERS.sub("[parameters: hidden]", text)
    text = _URL_CREDENTIALS.sub(r"\1:***@", text)
    text = _BOT_TOKEN.sub("bot***", text)
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


class NoPersonalData(logging.Filter):
    """Drops payload-carrying library records below WARNING; redacts what remains."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets = secret_values()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING and _within(record.name, PAYLOAD_LOGGERS):
            return False
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the template, not the arguments
            message = str(record.msg)
        record.msg, record.args = redact(message, self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        return True


def _within(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


class KeyValueFormatter(logging.Formatter):
    """time=... level=INFO service=worker logger=bot.worker msg="..." [exc="..."]"""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def fields(self, record: logging.LogRecord) -> dict:
        fields = {"time": _timestamp(record), "level": record.levelname, "service": self.service,
                  "logger": record.name, "msg": record.getMessage()}
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            fields["exc"] = record.exc_text
        return fields

    def format(self, record: logging.LogRecord) -> str:
        return " ".join(f"{key}={_quote(str(value))}" for key, value in self.fields(record).items())


class JsonFormatter(KeyValueFormatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(self.fields(record), ensure_ascii=False)


def _timestamp(record: logging.LogRecord) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"


def _quote(value: str) -> str:
    if value and not re.search(r'[\s"=\\]', value):
        return value
    return json.dumps(value, ensure_ascii=False)  # quoted, with \n, \" and \\ escaped


def configure(service_name: str, level: Optional[int] = None, stream=None) -> logging.Handler:
    """Sends every record to stderr as one structured line without personal data.

    `level` (default INFO) gives way to KL_LOG_LEVEL; calling again replaces the handler
    (the CLI configures "cli", then `python -m bot worker` becomes "worker").
    """
    fmt = os.environ.get("KL_LOG_FORMAT", "kv").strip().lower()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(service_name) if fmt == "json" else KeyValueFormatter(service_name))
    handler.addFilter(NoPersonalData())
    setattr(handler, _MARK, True)
    root = logging.getLogger()
    for old in [old for old in root.handlers if getattr(old, _MARK, False) or _is_default(old)]:
        root.removeHandler(old)
    root.addHandler(handler)
    # Python's warnings (deprecations from libraries) as records too, not loose stderr lines.
    logging.captureWarnings(True)
    root.setLevel(_level(os.environ.get("KL_LOG_LEVEL"), level or logging.INFO))
    # Payload loggers stay quiet even at DEBUG (their records would carry message text).
    for name in PAYLOAD_LOGGERS + NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler


def _is_default(handler: logging.Handler) -> bool:
    """A console handler someone else installed: logging.basicConfig's, or the coloredlogs
    one rasa and rasa_sdk set up before loading our code (it would print every record a
    second time, unfiltered)."""
    return isinstance(handler, logging.StreamHandler) and getattr(handler, "stream", None) in (sys.stderr, sys.stdout)


def _level(name: Optional[str], default: int) -> int:
    if not name:
        return default
    value = logging.getLevelName(name.strip().upper())
    return value if isinstance(value, int) else default
