"""Initial schema: candidates, consent, intake answers, preconditions, partners, links

Revision ID: 0001
Revises:
Create Date: 2026-11-28 16:04:42.415790
"""
from alembic import op
import sqlalchemy as sa

from bot.store.models import UTCDateTime


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('sender_id', sa.String(length=128), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', UTCDateTime(), nullable=False),
    sa.Column('stopped_at', UTCDateTime(), nullable=True),
    sa.Column('intake_completed_at', UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('channel', 'sender_id', name='uq_candidate_sender')
    )
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidates_sender_id'), ['sender_id'], unique=False)

    op.create_table('partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('address', sa.String(length=128), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.CheckConstraint("channel IN ('rest', 'local', 'telegram', 'whatsapp')", name='channel_allowed'),
    sa.CheckConstraint("role IN ('regisseur', 'intermediair', 'werkgever', 'expertise_partner', 'verbinder', 'opleider', 'taalopleider', 'mentor', 'jobcoach')", name='role_allowed'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('channel', 'address', name='uq_partner_address')
    )
    op.create_table('candidate_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('candidate_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_events_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('given', sa.Boolean(), nullable=False),
    sa.Column('text_version', sa.String(length=32), nullable=False),
    sa.Column('recorded_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consents_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('intake_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('text_nl', sa.Text(), nullable=True),
    sa.Column('translated', sa.Boolean(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.CheckConstraint("status IN ('answered', 'skipped', 'dont_know')", name='status_allowed'),
    sa.CheckConstraint("topic IN ('identity', 'motivation', 'capabilities', 'work_experience', 'talents', 'diplomas', 'learning_style', 'social_network', 'home_situation', 'income')", name='topic_allowed'),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('candidate_id', 'topic', name='uq_answer_topic')
    )
    op.create_table('links',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('candidate_id', 'partner_id')
    )
    op.create_table('preconditions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('note_language', sa.String(length=8), nullable=True),
    sa.Column('note_nl', sa.Text(), nullable=True),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.CheckConstraint("key IN ('driving_licence', 'bicycle', 'transport', 'childcare', 'digital_skills', 'other')", name='key_allowed'),
    sa.CheckConstraint("status IN ('met', 'not_met', 'unknown')", name='status_allowed'),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('candidate_id', 'key', name='uq_precondition_key')
    )


def downgrade() -> None:
    op.drop_table('preconditions')
    op.drop_table('links')
    op.drop_table('intake_answers')
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consents_candidate_id'))

    op.drop_table('consents')
    with op.batch_alter_table('candidate_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_events_candidate_id'))

    op.drop_table('candidate_events')
    op.drop_table('partners')
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidates_sender_id'))

    op.drop_table('candidates')
