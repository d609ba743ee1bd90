"""The production deployment (docker-compose.yml, deploy/): checked without Docker, which
cannot run here. The compose file's rules, the images' install steps against the Makefile's,
the slim requirements against constraints.txt, the proxy's routes, and the Rasa launcher."""

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot import services, settings
from bot.deploy import rasa_server

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = {"rasa", "actions", "worker", "migrate"}
LONG_RUNNING = set(SERVICES) - {"migrate"}
WEBHOOK_PATHS = {"/webhooks/telegram/*", "/webhooks/whatsapp/*"}

# The service keys this file may use (a subset of the Compose specification): a typo such as
# `healthckeck` or `depends-on` would otherwise be ignored silently by this test and fail in Compose.
SERVICE_KEYS = {"image", "build", "command", "entrypoint", "environment", "env_file", "depends_on",
                "healthcheck", "restart", "init", "logging", "networks", "volumes", "ports",
                "deploy", "stop_grace_period", "user"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements(path: Path) -> dict:
    """{normalised name: pinned version or None} of a requirements or constraints file."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?:==\s*([^\s;]+))?", line)
        assert match, f"{path.name}: cannot read {line!r}"
        pins[_normalise(match.group(1))] = match.group(2)
    return pins


# --- docker-compose.yml -------------------------------------------------------------------

def test_the_services_are_the_ones_of_a_deployment():
    assert set(SERVICES) == {"rasa", "actions", "worker", "migrate", "postgres", "redis", "proxy"}
    for name, service in SERVICES.items():
        assert set(service) <= SERVICE_KEYS, f"{name}: unknown keys {set(service) - SERVICE_KEYS}"
    assert set(COMPOSE) <= {"services", "networks", "volumes"} | {k for k in COMPOSE if k.startswith("x-")}


@pytest.mark.parametrize("name", sorted(LONG_RUNNING))
def test_every_long_running_service_has_a_health_check_and_restarts(name):
    service = SERVICES[name]
    assert service["restart"] == "unless-stopped"
    check = service["healthcheck"]
    assert not check.get("disable")
    assert check["test"][0] in ("CMD", "CMD-SHELL") and len(check["test"]) > 1
    assert {"interval", "timeout", "retries"} <= set(check)


def test_the_health_checks_ask_what_the_processes_serve():
    def probe(name):
        return " ".join(SERVICES[name]["healthcheck"]["test"])

    assert "http://127.0.0.1:5005/" in probe("rasa")  # Rasa's GET /
    assert "http://127.0.0.1:5055/health" in probe("actions")
    assert "/health" in probe("worker") and "WORKER_PORT" in probe("worker")
    assert "pg_isready" in probe("postgres")
    assert probe("redis").endswith("redis-cli ping")
    assert "localhost:2019" in probe("proxy")  # Caddy's admin endpoint, inside the container
    # Rasa takes minutes to load TensorFlow and the model: no restart loop while it does.
    assert int(SERVICES["rasa"]["healthcheck"]["start_period"].rstrip("s")) >= services.STARTUP_TIMEOUT


def test_migrate_runs_once_and_the_services_wait_for_it():
    migrate = SERVICES["migrate"]
    assert migrate["command"] == ["python", "-m", "bot", "db", "upgrade"]
    assert migrate["restart"] == "no"  # a restart policy would run a finished one-shot again
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("rasa", "actions", "worker"):
        depends = SERVICES[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["postgres"]["condition"] == "service_healthy", name
    assert SERVICES["rasa"]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert SERVICES["proxy"]["depends_on"]["rasa"]["condition"] == "service_healthy"


def test_only_the_proxy_publishes_ports():
    published = {name for name, service in SERVICES.items() if service.get("ports")}
    assert published == {"proxy"}
    assert {str(port).split("/")[0] for port in SERVICES["proxy"]["ports"]} == {"80:80", "443:443"}
    assert not any("expose" in service or service.get("network_mode") == "host" for service in SERVICES.values())


def test_postgres_and_redis_are_on_an_internal_network_only():
    assert COMPOSE["networks"]["backend"]["internal"] is True
    assert SERVICES["postgres"]["networks"] == ["backend"]
    assert SERVICES["redis"]["networks"] == ["backend"]
    assert "backend" not in SERVICES["proxy"]["networks"]
    assert set(SERVICES["rasa"]["networks"]) & set(SERVICES["proxy"]["networks"])


def test_postgres_keeps_its_data_in_a_named_volume():
    postgres = SERVICES["postgres"]
    assert postgres["image"].startswith("postgres:15")
    volume, target = postgres["volumes"][0].split(":")[:2]
    assert target == "/var/lib/postgresql/data" and volume in COMPOSE["volumes"]
    assert SERVICES["redis"]["image"].startswith("redis:7")
    assert SERVICES["proxy"]["image"].startswith("caddy:2")
    assert any(v.startswith("caddy_data:") for v in SERVICES["proxy"]["volumes"])  # the certificates


def test_secrets_come_from_the_env_file_and_are_not_written_here():
    for name in APP_SERVICES:
        assert SERVICES[name]["env_file"] in (".env", [".env"]), name
    # The datastores and the proxy get only the variables they need, not the channel tokens.
    for name in ("postgres", "redis", "proxy"):
        assert "env_file" not in SERVICES[name], name
    text = (ROOT / "docker-compose.yml").read_text()
    for variable in ("POSTGRES_PASSWORD", "PUBLIC_HOST"):
        assert re.search(r"\$\{" + variable + r":\?", text), f"{variable} must be required from .env"
    assert not re.search(r"^\s*[A-Z_]*(TOKEN|PASSWORD|SECRET|AUTH|SID)[A-Z_]*:\s+[^$\s]", text, re.M), \
        "a secret written in the compose file"


def test_the_application_services_find_each_other():
    for name in APP_SERVICES:
        env = SERVICES[name]["environment"]
        assert re.fullmatch(r"postgresql://\$\{POSTGRES_USER[^}]*\}:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432/\$\{POSTGRES_DB[^}]*\}",
                            env["DATABASE_URL"]), name
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["ACTION_ENDPOINT_URL"] == "http://actions:5055/webhook"
        assert env["PUBLIC_BASE_URL"] == "https://${PUBLIC_HOST:?set PUBLIC_HOST in .env}"
        assert env["WORKER_PORT"] == "5056"


def test_the_commands_are_the_processes_of_bot_services():
    """The containers run what `make serve` runs (bot/services.py), with the container's python."""
    ports = {str(settings.ACTIONS_PORT): SERVICES["actions"]["environment"]["ACTIONS_PORT"]}
    expected = {name: ["python" if part == sys.executable else ports.get(part, part) for part in command]
                for name, command, _url in services._commands()}
    assert SERVICES["actions"]["command"] == expected["actions"]
    assert SERVICES["worker"]["command"] == expected["worker"]
    # Rasa starts through bot/deploy/rasa_server.py, which execs services.rasa_command().
    assert SERVICES["rasa"]["command"] == ["python", "-m", "bot.deploy.rasa_server"]


def test_the_images():
    assert SERVICES["rasa"]["build"] == {"context": ".", "dockerfile": "deploy/rasa.Dockerfile"}
    for name in ("actions", "worker", "migrate"):
        assert SERVICES[name]["build"] == {"context": ".", "dockerfile": "deploy/actions.Dockerfile"}, name
        assert SERVICES[name]["image"] == SERVICES["actions"]["image"], name
    assert SERVICES["rasa"]["image"] != SERVICES["actions"]["image"]


# --- the images: the same install as `make install` ---------------------------------------

def _pip_installs(lines):
    """The arguments of every `pip install` in shell lines, without quiet/cache options."""
    installs = []
    for line in lines:
        for command in re.split(r"&&|;", line):
            words = shlex.split(command)
            if "pip" in words and "install" in words:
                args = words[words.index("install") + 1:]
                installs.append([a for a in args if a not in ("--quiet", "-q", "--no-cache-dir", "--disable-pip-version-check")])
    return installs


def _makefile_install():
    text = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^\$\(INSTALLED\):[^\n]*\n((?:\t[^\n]*\n)+)", text, re.M)
    assert recipe, "the Makefile's install recipe"
    return _pip_installs(recipe.group(1).splitlines())


def _dockerfile(name):
    text = (ROOT / "deploy" / name).read_text().replace("\\\n", " ")
    instructions = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    runs = [line[4:] for line in instructions if line.startswith("RUN ")]
    copies = [line[5:].split() for line in instructions if line.startswith("COPY ")]
    return instructions, _pip_installs(runs), copies


def test_the_makefile_installs_requirements_with_constraints():
    assert _makefile_install() == [["--upgrade", "pip==24.0"], ["-r", "requirements.in", "-c", "constraints.txt"]]


@pytest.mark.parametrize("dockerfile, requirements", [("rasa.Dockerfile", "requirements.in"),
                                                      ("actions.Dockerfile", "requirements-actions.in")])
def test_the_images_install_as_the_makefile_does(dockerfile, requirements):
    instructions, installs, copies = _dockerfile(dockerfile)
    assert instructions[0] == "FROM python:3.10-slim"
    expected = [[requirements if part == "requirements.in" else part for part in args] for args in _makefile_install()]
    assert installs == expected
    # The requirement files are copied before the install (so the layer is cached) ...
    first_copy = copies[0]
    assert set(first_copy[:-1]) == {requirements, "constraints.txt"}
    # ... and the project after it.
    assert [".", "."] in copies


def test_the_rasa_image_holds_the_trained_model_and_starts_through_the_launcher():
    instructions, _installs, _copies = _dockerfile("rasa.Dockerfile")
    text = "\n".join(instructions)
    assert "models/korte-lijnen.tar.gz" in text and "make train" in text
    assert instructions[-1] == 'CMD ["python", "-m", "bot.deploy.rasa_server"]'
    ignore = (ROOT / "deploy" / "rasa.Dockerfile.dockerignore").read_text().splitlines()
    assert "!models/korte-lijnen.tar.gz" in ignore and ".env" in ignore and ".venv" in ignore
    assert "models" in (ROOT / "deploy" / "actions.Dockerfile.dockerignore").read_text().splitlines()


def test_the_images_do_not_run_as_root():
    for name in ("rasa.Dockerfile", "actions.Dockerfile"):
        instructions, _installs, _copies = _dockerfile(name)
        assert any(line.startswith("USER ") and line != "USER root" for line in instructions), name


# --- requirements-actions.in --------------------------------------------------------------

def test_the_slim_requirements_are_pinned_by_constraints_and_hold_no_rasa():
    constraints = _requirements(ROOT / "constraints.txt")
    slim = _requirements(ROOT / "requirements-actions.in")
    assert {"rasa-sdk", "sqlalchemy", "alembic", "psycopg2-binary"} <= set(slim)
    for name, version in slim.items():
        assert name in constraints, f"{name} is not pinned in constraints.txt"
        assert version in (None, constraints[name]), f"{name}=={version}, constraints.txt has {constraints[name]}"
        assert name != "rasa" and not name.startswith("tensorflow"), name
    # Every pin it shares with requirements.in is the same.
    full = _requirements(ROOT / "requirements.in")
    assert {n: v for n, v in slim.items() if n in full} == {n: full[n] for n in slim if n in full}


def test_the_slim_image_modules_import_without_rasa():
    """What runs in the slim image (the actions package, the worker, the CLI's `db upgrade`, and
    the clients they load where they use them) imports with every installed package that
    requirements-actions.in does not bring (rasa, TensorFlow, ...) made unimportable: so no
    module drags Rasa in, and nothing it needs is here only because of the full requirements.
    (An optional import, such as PyJWT's of cryptography, falls back as it would in the image.)"""
    code = """
import importlib.abc, json, sys
BLOCKED = set(json.loads(sys.argv[1]))
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is not in the slim image")
sys.meta_path.insert(0, Block())
import actions, actions.intake, actions.conversation, actions.alerting, actions.partners, actions.common
import bot.worker.__main__, bot.cli, bot.store
import rasa_sdk.endpoint
import telegram, twilio.rest, deep_translator, psycopg2  # imported where they are used (channels, database)
print("ok")
"""
    blocked = _modules_outside(_installed_with(ROOT / "requirements-actions.in"))
    assert {"rasa", "tensorflow"} <= blocked
    result = subprocess.run([sys.executable, "-c", code, json.dumps(sorted(blocked))], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stderr[-2000:]


def _modules_outside(distributions: set) -> set:
    """Top-level modules of installed distributions that are not among `distributions`
    (from their file lists: Python 3.10's packages_distributions() misses those without a
    top_level.txt)."""
    from importlib import metadata

    owners = {}
    for dist in metadata.distributions():
        for file in dist.files or []:
            if file.parts[0].endswith((".dist-info", ".egg-info", ".data")) or file.parts[0] in ("..", "bin"):
                continue
            top = file.parts[0] if len(file.parts) > 1 else file.name.split(".")[0]
            owners.setdefault(top, set()).add(_normalise(dist.metadata["Name"]))
    return {module for module, names in owners.items() if not names & distributions}


def _installed_with(requirements: Path) -> set:
    """The distributions pip installs for a requirements file: its names and their dependencies."""
    from importlib import metadata

    from packaging.requirements import Requirement

    todo, seen = list(_requirements(requirements)), set()
    while todo:
        name = _normalise(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            dependencies = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in dependencies:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


# --- deploy/Caddyfile ---------------------------------------------------------------------

def _caddy_blocks(text):
    """The Caddyfile as nested [(line, [children])] without comments."""
    root, stack = [], []
    current = root
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line == "}":
            current = stack.pop()
            continue
        if line.endswith("{"):
            children = []
            current.append((line[:-1].strip(), children))
            stack.append(current)
            current = children
        else:
            current.append((line, []))
    assert not stack, "unbalanced braces in the Caddyfile"
    return root


def _first(line):
    return (line.split() or [""])[0]


def _walk(blocks, parents=()):
    for line, children in blocks:
        yield line, parents
        yield from _walk(children, parents + (line,))


def test_the_proxy_passes_only_the_webhooks_to_rasa():
    caddy = SERVICES["proxy"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    blocks = _caddy_blocks((ROOT / "deploy" / "Caddyfile").read_text())
    sites = [(line, children) for line, children in blocks if line]  # the global options block has no address
    assert [line for line, _children in sites] == ["{$PUBLIC_HOST}"]  # automatic HTTPS for this name
    site = sites[0][1]
    matchers = {line.split()[0]: set(line.split()[2:]) for line, _ in site if line.startswith("@")}
    assert matchers == {"@webhooks": WEBHOOK_PATHS}
    assert [line for line, _ in site if line.startswith("handle")] == ["handle @webhooks", "handle"]
    fallback = dict(site)["handle"]
    assert [line for line, _ in fallback] == ["respond 404"]
    proxies = [parents for line, parents in _walk(blocks) if _first(line) == "reverse_proxy"]
    assert proxies == [("{$PUBLIC_HOST}", "handle @webhooks")]
    upstream = {line for line, parents in _walk(blocks) if parents and parents[-1] == "dynamic a"}
    assert upstream >= {"name rasa", "port 5005"}
    assert not any(_first(line) in ("file_server", "redir", "rewrite", "root") for line, _ in _walk(blocks))


def test_the_proxied_paths_are_our_connectors_webhooks():
    from bot.channels.telegram.connector import TelegramInput
    from bot.channels.whatsapp.connector import WhatsAppInput

    configured = set(yaml.safe_load((ROOT / "credentials.yml").read_text()))
    assert {"bot.channels.telegram.connector.TelegramInput", "bot.channels.whatsapp.connector.WhatsAppInput"} <= configured
    assert {f"/webhooks/{channel.name()}/*" for channel in (TelegramInput, WhatsAppInput)} == WEBHOOK_PATHS


# --- bot/deploy/rasa_server.py ------------------------------------------------------------

@pytest.fixture
def production_env(monkeypatch, tmp_path):
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql://korte:s3cr%40t@postgres:5432/korte_lijnen")
    monkeypatch.setenv("REDIS_URL", "redis://:r3dis@redis:6379/0")
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://actions:5055/webhook")
    monkeypatch.delenv("RABBITMQ_URL", raising=False)
    return tmp_path


def test_the_launcher_builds_the_rasa_command_and_environment(production_env):
    command, env = rasa_server.build()
    assert command == services.rasa_command()
    assert command[1:5] == ["-m", "bot.deploy.rasa_cli", "run", "--model"]
    assert command[-1] == str(production_env / "endpoints.yml")
    assert env["KL_TRACKER_PASSWORD"] == "s3cr@t" and env["KL_REDIS_PASSWORD"] == "r3dis"
    assert env["RASA_TELEMETRY_ENABLED"] == "false"
    written = (production_env / "endpoints.yml").read_text()
    assert "s3cr" not in written and "r3dis" not in written
    endpoints = yaml.safe_load(written)
    assert endpoints["tracker_store"]["password"] == "${KL_TRACKER_PASSWORD}"
    assert endpoints["tracker_store"]["url"] == "postgres"
    assert endpoints["lock_store"]["password"] == "${KL_REDIS_PASSWORD}"
    assert endpoints["action_endpoint"]["url"] == "http://actions:5055/webhook"


def test_the_launcher_execs_rasa_with_that_environment(production_env, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "chdir", lambda path: calls.append(("chdir", path)))
    monkeypatch.setattr(os, "execvpe", lambda file, args, env: calls.append(("exec", file, args, env)))
    rasa_server.main()
    (_chdir, root), (_exec, file, args, env) = calls
    assert root == settings.ROOT
    assert file == args[0] and args == services.rasa_command()
    assert env["KL_TRACKER_PASSWORD"] == "s3cr@t"


def test_python_m_bot_deploy_rasa_server(tmp_path):
    """The container's command itself, with the exec replaced by a print."""
    code = ("import json, os, runpy, sys\n"
            "os.execvpe = lambda f, a, e: print(json.dumps({'args': a, 'password': e.get('KL_TRACKER_PASSWORD')}))\n"
            "runpy.run_module('bot.deploy.rasa_server', run_name='__main__', alter_sys=True)\n")
    env = dict(os.environ, KL_DATA_DIR=str(tmp_path), DATABASE_URL="postgresql://k:pw@postgres:5432/kl",
               REDIS_URL="redis://redis:6379/0")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    launched = json.loads(result.stdout.strip().splitlines()[-1])
    assert launched["password"] == "pw"
    assert launched["args"][:4] == [sys.executable, "-m", "bot.deploy.rasa_cli", "run"]
    assert launched["args"][-2:] == ["--endpoints", str(tmp_path / "endpoints.yml")]
    assert "lock_store" in yaml.safe_load((tmp_path / "endpoints.yml").read_text())
