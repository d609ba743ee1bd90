"""The channels' tables: incoming ids seen, contacts and their WhatsApp window, texts that wait
for the window, Twilio delivery statuses

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 10:30:00
"""
from alembic import op
import sqlalchemy as sa

import bot.channels.models  # noqa: F401 (registers the tables on Base.metadata for comparisons)
from bot.store.models import UTCDateTime


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('channel_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('received_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('channel', 'message_id', name='uq_channel_receipt')
    )
    op.create_index('ix_channel_receipts_received_at', 'channel_receipts', ['received_at'])
    op.create_table('channel_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('address', sa.String(length=128), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=True),
    sa.Column('last_inbound_at', UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('channel', 'address', name='uq_channel_contact')
    )
    op.create_table('channel_pending_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('address', sa.String(length=128), nullable=False),
    sa.Column('purpose', sa.String(length=24), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('template_sid', sa.String(length=64), nullable=True),
    sa.Column('claimed_by', sa.String(length=32), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_channel_pending_texts_address', 'channel_pending_texts', ['address'])
    op.create_table('channel_delivery_statuses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_sid', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('error_code', sa.String(length=16), nullable=True),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('message_sid', name='uq_delivery_status')
    )


def downgrade() -> None:
    op.drop_table('channel_delivery_statuses')
    op.drop_index('ix_channel_pending_texts_address', table_name='channel_pending_texts')
    op.drop_table('channel_pending_texts')
    op.drop_table('channel_contacts')
    op.drop_index('ix_channel_receipts_received_at', table_name='channel_receipts')
    op.drop_table('channel_receipts')
