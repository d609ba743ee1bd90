"""Trajectories, phase history, planned contacts and the audit log of partner access

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 00:10:32.319211
"""
from alembic import op
import sqlalchemy as sa

from bot.store.models import UTCDateTime


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('trajectories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_partner_id'), ['partner_id'], unique=False)

    op.create_table('phase_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=32), nullable=False),
    sa.Column('started_at', UTCDateTime(), nullable=False),
    sa.Column('changed_by', sa.Integer(), nullable=True),
    sa.Column('changed_by_name', sa.String(length=200), nullable=True),
    sa.CheckConstraint("phase IN ('werving_selectie', 'voortraject', 'leerwerk', 'matching_plaatsing', 'uitstroom_nazorg', 'geparkeerd', 'gestopt')", name='phase_allowed'),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['changed_by'], ['partners.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('phase_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phase_changes_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('planned_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('planned_at', UTCDateTime(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('planned_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planned_contacts_candidate_id'), ['candidate_id'], unique=False)

    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trajectory_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_candidates_trajectory_id'), ['trajectory_id'], unique=False)
        batch_op.create_foreign_key('fk_candidates_trajectory', 'trajectories', ['trajectory_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_links_partner_id'), ['partner_id'], unique=False)

    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trajectory_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_partners_trajectory', 'trajectories', ['trajectory_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_constraint('fk_partners_trajectory', type_='foreignkey')
        batch_op.drop_column('trajectory_id')

    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_links_partner_id'))

    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_constraint('fk_candidates_trajectory', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_candidates_trajectory_id'))
        batch_op.drop_column('trajectory_id')

    with op.batch_alter_table('planned_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planned_contacts_candidate_id'))

    op.drop_table('planned_contacts')
    with op.batch_alter_table('phase_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phase_changes_candidate_id'))

    op.drop_table('phase_changes')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_partner_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_candidate_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    op.drop_table('trajectories')
