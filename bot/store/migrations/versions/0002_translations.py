"""A cache of machine translations (answers are translated to Dutch for partners)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 16:14:36.355702
"""
from alembic import op
import sqlalchemy as sa

from bot.store.models import UTCDateTime


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('target', sa.String(length=8), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('translated', sa.Text(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source', 'target', 'text_hash', name='uq_translation')
    )


def downgrade() -> None:
    op.drop_table('translations')
