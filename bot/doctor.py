"""`python -m bot doctor`: is this installation ready to run?

One small function per check, each returning a Check(name, status, detail) with status
ok, warn or fail and a plain reason; optional parts that are not configured are ok with
"not configured". Secret values are never printed: URLs show *** for their password,
and every detail is passed through the log redaction (bot/logging_config.py).

Read from the environment only; bot.settings is not imported because it would fail on
the very mistakes the configuration check reports (a port that is not a number).
"""

import asyncio
import json
import os
import socket
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Mapping, Optional
from urllib.parse import urlsplit

from bot.logging_config import redact, secret_values

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "korte-lijnen.tar.gz"
TIMEOUT = 3.0  # seconds for every network check

OK, WARN, FAIL = "ok", "warn", "fail"
_ORDER = {OK: 0, WARN: 1, FAIL: 2}

PORTS = {"RASA_PORT": 5005, "ACTIONS_PORT": 5055, "WORKER_PORT": 5056}
NUMBERS = ("ALERT_ACK_MINUTES", "ALERT_ACK_MINUTES_URGENT", "OUTBOX_MAX_ATTEMPTS", "OUTBOX_RETRY_SECONDS",
           "OUTBOX_LEASE_SECONDS", "DIGEST_HOUR", "TRANSLATE_TIMEOUT")
TRANSLATORS = ("none", "libre", "google")
TELEGRAM_VARIABLES = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_SECRET_TOKEN", "TELEGRAM_API_URL")
TWILIO_VARIABLES = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM")


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # ok | warn | fail
    detail: str


Env = Mapping[str, str]


def _get(env: Env, name: str) -> str:
    return (env.get(name) or "").strip()


def mask_url(url: str) -> str:
    """The URL with its password (if any) as ***."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.rsplit("@", 1)
        user = netloc[0].split(":", 1)[0]
        return parts._replace(netloc=f"{user}:***@{netloc[1]}").geturl()
    except ValueError:
        return "(unparsable URL)"


def _hidden(text: str, env: Env, *extra: Optional[str]) -> str:
    """`text` without any secret the environment (or `extra`) holds."""
    secrets = secret_values(env) + [value for value in extra if value]
    return redact(text, sorted(set(secrets), key=len, reverse=True))


# Configuration -----------------------------------------------------------------------------

def _database_url_problem(url: str) -> Optional[str]:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(url)
    except (ArgumentError, ValueError):
        return "DATABASE_URL is not a database URL SQLAlchemy can parse"
    return None


def _url_problem(name: str, url: str, schemes: Iterable[str]) -> Optional[str]:
    try:
        parts = urlsplit(url)
        parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        return f"{name} has a port that is not a number"
    if parts.scheme not in schemes:
        return f"{name} should start with {' or '.join(s + '://' for s in schemes)}"
    if not parts.hostname and parts.scheme != "unix":
        return f"{name} names no host"
    if name == "REDIS_URL" and parts.path.strip("/") and not parts.path.strip("/").isdigit():
        return "REDIS_URL's database (the path) should be a number, like /0"
    return None


def configuration(env: Env = os.environ) -> Check:
    """The variables that are set are valid: URLs parse, ports and numbers are numbers,
    TRANSLATOR is known, a channel's variables are complete when any is set."""
    fails: List[str] = []
    warns: List[str] = []
    if _get(env, "DATABASE_URL"):
        problem = _database_url_problem(_get(env, "DATABASE_URL"))
        fails += [problem] if problem else []
    for name, schemes in (("REDIS_URL", ("redis", "rediss", "unix")), ("RABBITMQ_URL", ("amqp", "amqps"))):
        if _get(env, name):
            problem = _url_problem(name, _get(env, name), schemes)
            fails += [problem] if problem else []
    for name in PORTS:
        value = _get(env, name)
        if value and not (value.isdigit() and 0 < int(value) < 65536):
            fails.append(f"{name} is not a port number (1-65535)")
    for name in NUMBERS:
        value = _get(env, name)
        if value:
            try:
                float(value)
            except ValueError:
                fails.append(f"{name} is not a number")
    translator = _get(env, "TRANSLATOR").lower()
    if translator and translator not in TRANSLATORS:
        fails.append(f"TRANSLATOR is '{translator}'; expected one of: {', '.join(TRANSLATORS)}")
    if translator == "libre" and _get(env, "LIBRETRANSLATE_URL"):
        problem = _url_problem("LIBRETRANSLATE_URL", _get(env, "LIBRETRANSLATE_URL"), ("http", "https"))
        fails += [problem] if problem else []
    # Telegram: the token switches the channel on; the others make no sense without it.
    telegram_set = [name for name in TELEGRAM_VARIABLES if _get(env, name)]
    if telegram_set and "TELEGRAM_BOT_TOKEN" not in telegram_set:
        fails.append(f"Telegram is partly configured: {', '.join(telegram_set)} set but TELEGRAM_BOT_TOKEN missing")
    elif telegram_set:
        token = _get(env, "TELEGRAM_BOT_TOKEN")
        head, _, tail = token.partition(":")
        if not (head.isdigit() and tail):
            fails.append("TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters from @BotFather)")
        if not _get(env, "TELEGRAM_SECRET_TOKEN"):
            warns.append("TELEGRAM_SECRET_TOKEN is not set (python -m bot telegram set-webhook makes one)")
    twilio_set = [name for name in TWILIO_VARIABLES if _get(env, name)]
    if twilio_set and len(twilio_set) < len(TWILIO_VARIABLES):
        missing = [name for name in TWILIO_VARIABLES if name not in twilio_set]
        fails.append(f"WhatsApp (Twilio) is partly configured: {', '.join(missing)} missing")
    elif twilio_set and not _get(env, "TWILIO_ACCOUNT_SID").startswith("AC"):
        fails.append("TWILIO_ACCOUNT_SID should start with AC")
    if (telegram_set or twilio_set) and not _get(env, "PUBLIC_BASE_URL"):
        warns.append("PUBLIC_BASE_URL is not set: the platforms cannot reach the webhooks")
    elif _get(env, "PUBLIC_BASE_URL") and not _get(env, "PUBLIC_BASE_URL").startswith("https://"):
        warns.append("PUBLIC_BASE_URL should be an https:// address")
    if fails:
        return Check("configuration", FAIL, "; ".join(fails + warns))
    if warns:
        return Check("configuration", WARN, "; ".join(warns))
    return Check("configuration", OK, _summary(env))


def _summary(env: Env) -> str:
    database = mask_url(_get(env, "DATABASE_URL")) if _get(env, "DATABASE_URL") else "embedded SQLite"
    parts = [f"database {database}",
             f"lock store {mask_url(_get(env, 'REDIS_URL')) if _get(env, 'REDIS_URL') else 'in memory'}",
             f"translator {_get(env, 'TRANSLATOR').lower() or 'none'}"]
    channels = [name for name, on in (("telegram", _get(env, "TELEGRAM_BOT_TOKEN")),
                                      ("whatsapp", _get(env, "TWILIO_ACCOUNT_SID"))) if on]
    parts.append(f"channels {', '.join(channels) if channels else 'REST only'}")
    return ", ".join(parts)


# Database -----------------------------------------------------------------------------------

def _database_url(env: Env) -> str:
    if _get(env, "DATABASE_URL"):
        return _get(env, "DATABASE_URL")
    data_dir = Path(_get(env, "KL_DATA_DIR") or ROOT / "var")
    return f"sqlite:///{data_dir / 'korte-lijnen.db'}"


def database(env: Env = os.environ) -> Check:
    """Reachable, and at the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

    from bot.store import migrations

    url = _database_url(env)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return Check("database", FAIL, "DATABASE_URL is not a database URL SQLAlchemy can parse")
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).exists():
        return Check("database", FAIL, f"{shown} does not exist yet: run python -m bot db upgrade")
    connect_args = {"connect_timeout": int(TIMEOUT)} if parsed.get_backend_name() in ("postgresql", "mysql") else {}
    try:
        engine = create_engine(url, connect_args=connect_args, future=True)
    except (ArgumentError, SQLAlchemyError, ImportError, ValueError) as error:
        return Check("database", FAIL, _hidden(f"cannot open {shown}: {type(error).__name__}", env, parsed.password))
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else type(error.orig).__name__
        return Check("database", FAIL, _hidden(f"{shown} unreachable: {reason}", env, parsed.password))
    except (SQLAlchemyError, OSError) as error:
        return Check("database", FAIL, _hidden(f"{shown} unreachable: {type(error).__name__}", env, parsed.password))
    finally:
        engine.dispose()
    script = ScriptDirectory.from_config(migrations.config(None))
    head = script.get_current_head()
    if current == head:
        return Check("database", OK, f"{shown} at revision {current} (the newest)")
    if current is None:
        return Check("database", FAIL, f"{shown} has no schema yet: run python -m bot db upgrade")
    known = {revision.revision for revision in script.walk_revisions()}
    if current not in known:
        return Check("database", FAIL, f"{shown} is at revision {current}, which this code does not know "
                                       f"(newest here: {head}): is the code older than the database?")
    return Check("database", FAIL, f"{shown} is at revision {current}, the newest is {head}: "
                                   "run python -m bot db upgrade")


# Model --------------------------------------------------------------------------------------

def model(env: Env = os.environ, root: Path = ROOT) -> Check:
    """The trained model exists and is newer than what it is trained from."""
    path = Path(_get(env, "KL_MODEL_PATH") or MODEL)
    if not path.is_file():
        return Check("model", FAIL, f"{path} is missing: run make train")
    sources = [root / "domain.yml", root / "config.yml", *sorted((root / "data").glob("**/*.yml"))]
    newer = [source for source in sources if source.exists() and source.stat().st_mtime > path.stat().st_mtime]
    if newer:
        names = ", ".join(str(source.relative_to(root)) for source in newer[:3]) + (" ..." if len(newer) > 3 else "")
        return Check("model", WARN, f"{path.name} is older than {names}: run make train")
    age = time.strftime("%Y-%m-%d %H:%M", time.localtime(path.stat().st_mtime))
    return Check("model", OK, f"{path.name} trained {age}, newer than domain, config and data")


# Redis and RabbitMQ -------------------------------------------------------------------------

def redis(env: Env = os.environ) -> Check:
    url = _get(env, "REDIS_URL")
    if not url:
        return Check("redis", OK, "not configured (in-memory lock store: one Rasa process)")
    import redis as redis_py

    try:
        client = redis_py.Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
        client.ping()
        client.close()
    except (redis_py.RedisError, OSError, ValueError) as error:
        return Check("redis", FAIL, _hidden(f"{mask_url(url)} unreachable: {type(error).__name__}", env))
    return Check("redis", OK, f"{mask_url(url)} answers PING")


def rabbitmq(env: Env = os.environ) -> Check:
    url = _get(env, "RABBITMQ_URL")
    if not url:
        return Check("rabbitmq", OK, "not configured (no event broker)")
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or (5671 if parts.scheme == "amqps" else 5672)
    except ValueError:
        return Check("rabbitmq", FAIL, "RABBITMQ_URL has a port that is not a number")
    if _tcp(host, port):
        return Check("rabbitmq", OK, f"{host}:{port} accepts connections")
    return Check("rabbitmq", FAIL, f"{host}:{port} unreachable (nothing listening, or blocked)")


def _tcp(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=TIMEOUT):
            return True
    except OSError:
        return False


# Channels -----------------------------------------------------------------------------------

def telegram(env: Env = os.environ) -> Check:
    """getMe through python-telegram-bot against TELEGRAM_API_URL."""
    token = _get(env, "TELEGRAM_BOT_TOKEN")
    if not token:
        return Check("telegram", OK, "not configured")
    from telegram import Bot
    from telegram import error as tg
    from telegram.request import HTTPXRequest

    api_url = (_get(env, "TELEGRAM_API_URL") or "https://api.telegram.org").rstrip("/")

    async def get_me():
        bot = Bot(token, base_url=f"{api_url}/bot", base_file_url=f"{api_url}/file/bot",
                  request=HTTPXRequest(connect_timeout=TIMEOUT, read_timeout=TIMEOUT, write_timeout=TIMEOUT,
                                       pool_timeout=TIMEOUT))
        try:
            return await bot.get_me()
        finally:
            await bot.shutdown()

    try:
        me = asyncio.run(get_me())
    except (tg.InvalidToken, tg.Forbidden) as error:
        return Check("telegram", FAIL, _hidden(f"{api_url} refused the bot token ({type(error).__name__})", env))
    except tg.TimedOut:
        return Check("telegram", FAIL, f"{api_url} did not answer within {TIMEOUT:.0f} s")
    except tg.NetworkError as error:
        return Check("telegram", FAIL, _hidden(f"{api_url} unreachable: {error.message}", env))
    except tg.TelegramError as error:
        return Check("telegram", FAIL, _hidden(f"{api_url} answered with an error: {error.message}", env))
    return Check("telegram", OK, f"{api_url} knows the bot as @{me.username}")


def whatsapp(env: Env = os.environ) -> Check:
    """GET the account resource through twilio's client against TWILIO_API_URL."""
    sid, token = _get(env, "TWILIO_ACCOUNT_SID"), _get(env, "TWILIO_AUTH_TOKEN")
    if not (sid and token and _get(env, "TWILIO_WHATSAPP_FROM")):
        return Check("whatsapp", OK, "not configured")
    import requests
    from twilio.base.exceptions import TwilioException, TwilioRestException
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    api_url = (_get(env, "TWILIO_API_URL") or "https://api.twilio.com").rstrip("/")
    client = Client(sid, token, http_client=TwilioHttpClient(timeout=TIMEOUT))
    client.api.base_url = api_url
    try:
        account = client.api.v2010.accounts(sid).fetch()
    except TwilioRestException as error:
        if error.status in (401, 403):
            return Check("whatsapp", FAIL, f"{api_url} refused the account SID and auth token ({error.status})")
        return Check("whatsapp", FAIL, _hidden(f"{api_url} answered {error.status} for the account", env))
    except (requests.RequestException, TwilioException, OSError) as error:
        return Check("whatsapp", FAIL, _hidden(f"{api_url} unreachable: {type(error).__name__}", env))
    return Check("whatsapp", OK, f"{api_url}: account {account.status or 'found'}")


# Translator ---------------------------------------------------------------------------------

def translator(env: Env = os.environ) -> Check:
    kind = _get(env, "TRANSLATOR").lower() or "none"
    if kind == "none":
        return Check("translator", OK, "not configured (answers are stored untranslated)")
    if kind == "google":
        return Check("translator", WARN, "google: cannot be checked without sending text to Google")
    if kind != "libre":
        return Check("translator", FAIL, f"unknown TRANSLATOR '{kind}'")
    url = (_get(env, "LIBRETRANSLATE_URL") or "http://127.0.0.1:5000").rstrip("/")
    status, body = _http_get(f"{url}/languages")
    if status == 200:
        try:
            count = len(json.loads(body))
        except (ValueError, TypeError):
            return Check("translator", FAIL, f"LibreTranslate at {mask_url(url)}: /languages is not JSON")
        return Check("translator", OK, f"LibreTranslate at {mask_url(url)} offers {count} languages")
    if status is None:
        return Check("translator", FAIL, f"LibreTranslate at {mask_url(url)} unreachable: {body}")
    return Check("translator", FAIL, f"LibreTranslate at {mask_url(url)} answered {status} for /languages")


def _http_get(url: str):
    """(status, body), or (None, reason) when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status, response.read(1_000_000)
    except urllib.error.HTTPError as error:
        return error.code, b""
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return None, type(reason).__name__ if not isinstance(reason, str) else reason


# Running services ---------------------------------------------------------------------------

def _port(env: Env, name: str) -> int:
    value = _get(env, name)
    return int(value) if value.isdigit() else PORTS[name]


def service_urls(env: Env = os.environ) -> Dict[str, str]:
    rasa = (_get(env, "RASA_URL") or f"http://127.0.0.1:{_port(env, 'RASA_PORT')}").rstrip("/")
    # The action server Rasa is configured to call (another host in docker-compose), else the local one.
    endpoint = urlsplit(_get(env, "ACTION_ENDPOINT_URL"))
    actions = (f"{endpoint.scheme}://{endpoint.netloc}" if endpoint.scheme and endpoint.netloc
               else f"http://127.0.0.1:{_port(env, 'ACTIONS_PORT')}")
    return {"rasa": f"{rasa}/",
            "actions": f"{actions}/health",
            "worker": f"http://127.0.0.1:{_port(env, 'WORKER_PORT')}/health"}


def service(name: str, url: str) -> Check:
    status, body = _http_get(url)
    if status == 200:
        return Check(f"{name} service", OK, f"{mask_url(url)} healthy")
    if status is None:
        return Check(f"{name} service", FAIL, f"{mask_url(url)} not running ({body})")
    if name == "worker" and status == 503:
        return Check(f"{name} service", FAIL, f"{mask_url(url)}: the worker's loop is stuck (503)")
    return Check(f"{name} service", FAIL, f"{mask_url(url)} answered {status}")


# All of them --------------------------------------------------------------------------------

CHECKS: List[Callable[[Env], Check]] = [configuration, database, model, redis, rabbitmq, telegram, whatsapp,
                                        translator]


def run_checks(env: Env = os.environ, services: bool = False) -> List[Check]:
    results = []
    for check in CHECKS:
        try:
            results.append(check(env))
        except Exception as error:  # a check must report, never crash the doctor
            results.append(Check(check.__name__, FAIL, _hidden(f"check failed: {type(error).__name__}", env)))
    if services:
        results += [service(name, url) for name, url in service_urls(env).items()]
    # Last line of defence: no detail carries a secret of this environment.
    return [Check(check.name, check.status, _hidden(check.detail, env)) for check in results]


def report(checks: List[Check], as_json: bool = False) -> str:
    if as_json:
        return json.dumps({"ok": all(check.status != FAIL for check in checks),
                           "checks": [asdict(check) for check in checks]}, ensure_ascii=False, indent=2)
    width = max(len(check.name) for check in checks)
    return "\n".join(f"{check.status:<4}  {check.name:<{width}}  {check.detail}" for check in checks)


def main(services: bool = False, as_json: bool = False, env: Env = os.environ) -> int:
    checks = run_checks(env, services=services)
    print(report(checks, as_json))
    return 1 if any(check.status == FAIL for check in checks) else 0
