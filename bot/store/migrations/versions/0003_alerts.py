"""Alerts, the outbox that delivers them, and how a regisseur wants to hear of them

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 23:55:00
"""
from alembic import op
import sqlalchemy as sa

from bot.store.models import UTCDateTime


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('partners') as batch:
        batch.add_column(sa.Column('notify', sa.String(length=16), nullable=False, server_default='digest'))
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('problem_type', sa.String(length=16), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('text_nl', sa.Text(), nullable=True),
    sa.Column('follow_up', sa.String(length=16), nullable=True),
    sa.Column('attachment', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('assigned_to', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('delivered_at', UTCDateTime(), nullable=True),
    sa.Column('ack_due_at', UTCDateTime(), nullable=True),
    sa.Column('acknowledged_at', UTCDateTime(), nullable=True),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.Column('escalated_at', UTCDateTime(), nullable=True),
    sa.Column('closed_at', UTCDateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('problem', 'park', 'human', 'media')", name='kind_allowed'),
    sa.CheckConstraint("problem_type IN ('childcare', 'transport', 'health', 'family', 'money', "
                       "'workplace', 'housing', 'safety', 'other')", name='problem_type_allowed'),
    sa.CheckConstraint("status IN ('pending', 'delivered', 'acknowledged', 'escalated', 'closed')",
                       name='status_allowed'),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assigned_to'], ['partners.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['partners.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_alerts_candidate_id', 'alerts', ['candidate_id'])
    op.create_index('ix_alerts_status', 'alerts', ['status'])
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=120), nullable=False),
    sa.Column('purpose', sa.String(length=24), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('candidate_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', UTCDateTime(), nullable=False),
    sa.Column('claimed_until', UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('external_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('sent_at', UTCDateTime(), nullable=True),
    sa.Column('rendered', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key', name='uq_outbox_key')
    )
    op.create_index('ix_outbox_alert_id', 'outbox', ['alert_id'])
    op.create_index('ix_outbox_external_id', 'outbox', ['external_id'])
    # The worker's query: what is due now.
    op.create_index('ix_outbox_due', 'outbox', ['status', 'next_attempt_at'])


def downgrade() -> None:
    op.drop_table('outbox')
    op.drop_table('alerts')
    with op.batch_alter_table('partners') as batch:
        batch.drop_column('notify')
