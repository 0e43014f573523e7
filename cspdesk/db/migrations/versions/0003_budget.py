# ruff: noqa: E501
"""budget and finance: funding streams, stream years, grant income, budget lines, splits, ledger

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('budget_line',
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=300), nullable=False),
    sa.Column('category', sa.String(length=120), nullable=True),
    sa.Column('projected_outturn', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_budget_line_partnership_id_partnership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_line'))
    )
    op.create_index(op.f('ix_budget_line_partnership_id'), 'budget_line', ['partnership_id'], unique=False)
    op.create_index(op.f('ix_budget_line_year'), 'budget_line', ['year'], unique=False)
    op.create_table('funding_stream',
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('short_name', sa.String(length=30), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('rollover_needs_permission', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_funding_stream_partnership_id_partnership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_stream')),
    sa.UniqueConstraint('partnership_id', 'name', name=op.f('uq_funding_stream_partnership_id'))
    )
    op.create_index(op.f('ix_funding_stream_partnership_id'), 'funding_stream', ['partnership_id'], unique=False)
    op.create_table('budget_line_split',
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('stream_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['budget_line.id'], name=op.f('fk_budget_line_split_line_id_budget_line'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stream_id'], ['funding_stream.id'], name=op.f('fk_budget_line_split_stream_id_funding_stream'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_line_split')),
    sa.UniqueConstraint('line_id', 'stream_id', name=op.f('uq_budget_line_split_line_id'))
    )
    op.create_index(op.f('ix_budget_line_split_line_id'), 'budget_line_split', ['line_id'], unique=False)
    op.create_index(op.f('ix_budget_line_split_stream_id'), 'budget_line_split', ['stream_id'], unique=False)
    op.create_table('grant_income',
    sa.Column('stream_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_date', sa.Date(), nullable=True),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['stream_id'], ['funding_stream.id'], name=op.f('fk_grant_income_stream_id_funding_stream'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_income'))
    )
    op.create_index(op.f('ix_grant_income_stream_id'), 'grant_income', ['stream_id'], unique=False)
    op.create_table('ledger_entry',
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('stream_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('counterparty', sa.String(length=300), nullable=True),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['budget_line.id'], name=op.f('fk_ledger_entry_line_id_budget_line'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stream_id'], ['funding_stream.id'], name=op.f('fk_ledger_entry_stream_id_funding_stream'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entry'))
    )
    op.create_index(op.f('ix_ledger_entry_line_id'), 'ledger_entry', ['line_id'], unique=False)
    op.create_index(op.f('ix_ledger_entry_stream_id'), 'ledger_entry', ['stream_id'], unique=False)
    op.create_table('stream_year',
    sa.Column('stream_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('opening_override', sa.BigInteger(), nullable=True),
    sa.Column('opening_reason', sa.Text(), nullable=True),
    sa.Column('rollover_permitted', sa.Boolean(), nullable=False),
    sa.Column('rollover_permission_date', sa.Date(), nullable=True),
    sa.Column('rollover_note', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['stream_id'], ['funding_stream.id'], name=op.f('fk_stream_year_stream_id_funding_stream'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stream_year')),
    sa.UniqueConstraint('stream_id', 'year', name=op.f('uq_stream_year_stream_id'))
    )
    op.create_index(op.f('ix_stream_year_stream_id'), 'stream_year', ['stream_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_stream_year_stream_id'), table_name='stream_year')
    op.drop_table('stream_year')
    op.drop_index(op.f('ix_ledger_entry_stream_id'), table_name='ledger_entry')
    op.drop_index(op.f('ix_ledger_entry_line_id'), table_name='ledger_entry')
    op.drop_table('ledger_entry')
    op.drop_index(op.f('ix_grant_income_stream_id'), table_name='grant_income')
    op.drop_table('grant_income')
    op.drop_index(op.f('ix_budget_line_split_stream_id'), table_name='budget_line_split')
    op.drop_index(op.f('ix_budget_line_split_line_id'), table_name='budget_line_split')
    op.drop_table('budget_line_split')
    op.drop_index(op.f('ix_funding_stream_partnership_id'), table_name='funding_stream')
    op.drop_table('funding_stream')
    op.drop_index(op.f('ix_budget_line_year'), table_name='budget_line')
    op.drop_index(op.f('ix_budget_line_partnership_id'), table_name='budget_line')
    op.drop_table('budget_line')
