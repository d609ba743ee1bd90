"""Shared fixtures: a fresh store on SQLite and, where the server runs, on PostgreSQL."""

import uuid

import pytest
from sqlalchemy import MetaData, create_engine, text

from bot.store import Store

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _postgres_reachable() -> bool:
    try:
        with create_engine(POSTGRES_ADMIN_URL).connect():
            return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_url():
    """A new, empty PostgreSQL database for this test session, dropped afterwards."""
    if not _postgres_reachable():
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432 (trust auth, user postgres)")
    name = f"kl_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    with admin.connect() as connection:
        connection.execute(text(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def _empty(url: str) -> None:
    """Drops every table, so each test starts from an empty database."""
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
        _empty(url)
    instance = Store(url)
    instance.upgrade()
    yield instance
    instance.engine.dispose()
