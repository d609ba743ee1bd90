"""Alembic environment: the engine comes from the caller (bot.store.migrations.upgrade)."""

from alembic import context

from bot.store.models import Base

engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite can only change tables by copying them
    )
    context.run_migrations()
