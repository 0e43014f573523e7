# ruff: noqa: E501
"""Information Sharing Agreement register

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('isa_agreement',
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=True),
    sa.Column('partners_summary', sa.Text(), nullable=True),
    sa.Column('owner_organisation_id', sa.Integer(), nullable=True),
    sa.Column('drawn_up_by', sa.String(length=300), nullable=True),
    sa.Column('protective_marking', sa.String(length=100), nullable=True),
    sa.Column('doc_version', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('last_review', sa.Date(), nullable=True),
    sa.Column('next_review', sa.Date(), nullable=True),
    sa.Column('signed_document_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['owner_organisation_id'], ['organisation.id'], name=op.f('fk_isa_agreement_owner_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_isa_agreement_partnership_id_partnership'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signed_document_id'], ['attachment.id'], name=op.f('fk_isa_agreement_signed_document_id_attachment'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_isa_agreement')),
    sa.UniqueConstraint('reference', name=op.f('uq_isa_agreement_reference'))
    )
    op.create_index(op.f('ix_isa_agreement_owner_organisation_id'), 'isa_agreement', ['owner_organisation_id'], unique=False)
    op.create_index(op.f('ix_isa_agreement_partnership_id'), 'isa_agreement', ['partnership_id'], unique=False)
    op.create_table('isa_party',
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('board_member', sa.Boolean(), nullable=True),
    sa.Column('lead_person_id', sa.Integer(), nullable=True),
    sa.Column('lead_role', sa.String(length=300), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_date', sa.Date(), nullable=True),
    sa.Column('ecins_user', sa.Boolean(), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('notice_given_on', sa.Date(), nullable=True),
    sa.Column('withdrawal_effective', sa.Date(), nullable=True),
    sa.Column('spoc_changed_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['isa_agreement.id'], name=op.f('fk_isa_party_agreement_id_isa_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lead_person_id'], ['person.id'], name=op.f('fk_isa_party_lead_person_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_isa_party_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_isa_party')),
    sa.UniqueConstraint('agreement_id', 'organisation_id', name='uq_isa_party_agreement_org')
    )
    op.create_index(op.f('ix_isa_party_agreement_id'), 'isa_party', ['agreement_id'], unique=False)
    op.create_index(op.f('ix_isa_party_lead_person_id'), 'isa_party', ['lead_person_id'], unique=False)
    op.create_index(op.f('ix_isa_party_organisation_id'), 'isa_party', ['organisation_id'], unique=False)
    op.create_table('isa_spoc',
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=300), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('since', sa.Date(), nullable=True),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['isa_party.id'], name=op.f('fk_isa_spoc_party_id_isa_party'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_isa_spoc_person_id_person'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_isa_spoc'))
    )
    op.create_index(op.f('ix_isa_spoc_party_id'), 'isa_spoc', ['party_id'], unique=False)
    op.create_index(op.f('ix_isa_spoc_person_id'), 'isa_spoc', ['person_id'], unique=False)
    op.create_table('isa_task',
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['isa_agreement.id'], name=op.f('fk_isa_task_agreement_id_isa_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['party_id'], ['isa_party.id'], name=op.f('fk_isa_task_party_id_isa_party'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_isa_task'))
    )
    op.create_index(op.f('ix_isa_task_agreement_id'), 'isa_task', ['agreement_id'], unique=False)
    op.create_index(op.f('ix_isa_task_due'), 'isa_task', ['due'], unique=False)
    op.create_index(op.f('ix_isa_task_party_id'), 'isa_task', ['party_id'], unique=False)


def downgrade() -> None:
    for table in ("isa_task", "isa_spoc", "isa_party", "isa_agreement"):
        op.drop_table(table)
