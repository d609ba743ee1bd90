"""The migrations create exactly the schema the models describe, on SQLite and PostgreSQL."""

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import exc, inspect, text

from bot.store import Store, migrations
from bot.store.models import Base

ROOT = Path(__file__).resolve().parents[1]
HEAD = ScriptDirectory.from_config(migrations.config(None)).get_current_head()


def revision(store: Store):
    with store.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@pytest.fixture
def empty_store(empty_url):
    instance = Store(empty_url)
    yield instance
    instance.engine.dispose()


def test_upgrade_creates_the_schema_on_an_empty_database(empty_store):
    assert inspect(empty_store.engine).get_table_names() == []
    empty_store.upgrade()
    assert set(inspect(empty_store.engine).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}
    assert revision(empty_store) == HEAD


def test_upgrade_twice_is_a_no_op(store):
    store.ensure_candidate("rest", "amina")
    before = inspect(store.engine).get_table_names()
    store.upgrade()
    assert revision(store) == HEAD
    assert inspect(store.engine).get_table_names() == before
    assert [row["sender_id"] for row in store.list_candidates()] == ["amina"]


def test_models_and_migrations_agree(store):
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


@pytest.mark.parametrize("table,values", [
    ("intake_answers", "(candidate_id, topic, status, translated, updated_at) "
                       "VALUES (:id, 'hobby', 'answered', false, CURRENT_TIMESTAMP)"),
    ("intake_answers", "(candidate_id, topic, status, translated, updated_at) "
                       "VALUES (:id, 'identity', 'maybe', false, CURRENT_TIMESTAMP)"),
    ("preconditions", "(candidate_id, key, status, updated_at) VALUES (:id, 'car', 'met', CURRENT_TIMESTAMP)"),
    ("preconditions", "(candidate_id, key, status, updated_at) VALUES (:id, 'bicycle', 'yes', CURRENT_TIMESTAMP)"),
    ("partners", "(role, name, channel, address, created_at) VALUES ('boss', 'X', 'local', 'x', CURRENT_TIMESTAMP)"),
    ("partners", "(role, name, channel, address, created_at) VALUES ('mentor', 'X', 'email', 'x', CURRENT_TIMESTAMP)"),
])
def test_the_database_itself_refuses_unknown_values(store, table, values):
    """compare_metadata does not see CHECK constraints: prove the migration created them."""
    candidate_id = store.ensure_candidate("rest", "amina")
    with pytest.raises(exc.IntegrityError):
        with store.engine.begin() as connection:
            connection.execute(text(f"INSERT INTO {table} {values}"), {"id": candidate_id})


def test_downgrade_to_base_and_up_again(store):
    migrations.upgrade(store.engine, "head")
    from alembic import command

    command.downgrade(migrations.config(store.engine), "base")
    assert inspect(store.engine).get_table_names() == ["alembic_version"]
    store.upgrade()
    assert revision(store) == HEAD


UPGRADER = "import sys; from bot.store import Store; Store(sys.argv[1]).upgrade()"


def test_processes_upgrading_a_new_database_at_once(empty_store):
    """The action server and the CLI may both meet a new database: one migrates, the rest wait."""
    upgraders = [subprocess.Popen([sys.executable, "-c", UPGRADER, empty_store.url], cwd=ROOT,
                                  stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for upgrader in upgraders:
        assert upgrader.wait(timeout=60) == 0, upgrader.stderr.read()
        upgrader.stderr.close()
    assert revision(empty_store) == HEAD
