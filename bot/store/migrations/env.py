"""Alembic environment: the engine comes from the caller (bot.store.migrations.upgrade)."""

from alembic import context

import bot.channels.models  # noqa: F401 (the channels' tables are on Base.metadata too)
from bot.store.models import Base

# Any constant shared by every process that migrates: PostgreSQL's advisory lock key.
MIGRATION_LOCK = 7_431_005


def lock_for_migration(connection) -> None:
    """Lets one process migrate at a time (the action server and the CLI both upgrade).

    Without it two processes meeting a new database both create the tables and one fails.
    The lock is held until the migration's transaction ends.
    """
    if connection.dialect.name == "sqlite":
        # pysqlite runs DDL outside any transaction; take the write lock up front instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")


engine = context.config.attributes["engine"]

with engine.connect() as connection:
    lock_for_migration(connection)
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite can only change tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
