"""The migrations create exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.store.models import Base


def test_upgrade_creates_every_table(store):
    tables = set(inspect(store.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_upgrade_twice_is_a_no_op(store):
    store.ensure_candidate("rest", "amina")
    store.upgrade()
    assert store.list_candidates()[0]["sender_id"] == "amina"


def test_models_and_migrations_agree(store):
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
