"""indexes for list filters and foreign keys (speed at a county's ten years of data)

The same indexes as ``cspdesk/models/indexes.py``.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEXED = (
    ("partnership", "accountable_body_id"),
    ("isa_agreement", "signed_document_id"),
    ("membership", "organisation_id"),
    ("attendance", "substitute_for_id"),
    ("declaration", "agenda_item_id"),
    ("paper", "original_attachment_id"),
    ("meeting", "status"),
    ("plan_action", "due_date"),
    ("plan_action", "status"),
    ("action_plan", "end_date"),
    ("action_point", "status"),
    ("isa_agreement", "status"),
    ("isa_party", "status"),
    ("isa_task", "done_on"),
    ("grant_income", "year"),
    ("ledger_entry", "date"),
)


def upgrade() -> None:
    for table, column in INDEXED:
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table, column in reversed(INDEXED):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
