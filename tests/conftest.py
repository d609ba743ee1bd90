"""Shared fixtures: a fresh store on SQLite and, where the server runs, on PostgreSQL."""

import contextlib
import uuid
from typing import Iterator

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, inspect, text

from bot.store import Store, migrations

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
HEAD = ScriptDirectory.from_config(migrations.config(None)).get_current_head()


def _postgres_reachable() -> bool:
    engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return True
    except Exception:
        return False
    finally:
        engine.dispose()


@contextlib.contextmanager
def new_postgres_database(prefix: str = "kl_test") -> Iterator[str]:
    """A new, empty PostgreSQL database on the local server, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url():
    """A new, empty PostgreSQL database for this test session, dropped afterwards."""
    if not _postgres_reachable():
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432 (trust auth, user postgres)")
    with new_postgres_database() as url:
        yield url


def _empty(url: str) -> None:
    """Drops every table, so each test starts from an empty database."""
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    """The URL of a database without any table (not even alembic_version)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = request.getfixturevalue("postgres_url")
    _empty(url)
    return url


def _cleared(url: str) -> bool:
    """Empties every table of a database already at the newest migration (much quicker than
    dropping and migrating again); False when it is not there (e.g. after a downgrade)."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            names = set(inspect(connection).get_table_names())
            tables = names - {"alembic_version"}
            if "alembic_version" not in names or not tables:
                return False
            if connection.execute(text("SELECT version_num FROM alembic_version")).scalar() != HEAD:
                return False
            quoted = ", ".join(f'"{table}"' for table in sorted(tables))
            connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
            return True
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """A migrated, empty store."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
        if not _cleared(url):
            _empty(url)
    instance = Store(url)
    instance.upgrade()
    yield instance
    instance.engine.dispose()
