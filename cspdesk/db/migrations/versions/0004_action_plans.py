"""action plans and action points

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = (
    "action_point_owner",
    "plan_action_partner",
    "action_update",
    "action_snapshot",
    "action_point",
    "plan_action",
    "plan_priority",
    "action_plan",
)


def budget_line_column() -> sa.Column:
    """plan_action.budget_line_id: 0003 made ``budget_line`` before this revision."""
    return sa.Column(
        "budget_line_id",
        sa.Integer(),
        sa.ForeignKey(
            "budget_line.id",
            ondelete="SET NULL",
            name="fk_plan_action_budget_line_id_budget_line",
        ),
        nullable=True,
    )


def upgrade() -> None:
    op.create_table(
        "action_plan",
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("lead_text", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_action_plan_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plan")),
    )
    with op.batch_alter_table("action_plan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_plan_partnership_id"), ["partnership_id"], unique=False
        )

    op.create_table(
        "plan_priority",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["action_plan.id"],
            name=op.f("fk_plan_priority_plan_id_action_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_priority")),
    )
    with op.batch_alter_table("plan_priority", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_priority_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_action",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("lead_organisation_id", sa.Integer(), nullable=True),
        sa.Column("lead_person_id", sa.Integer(), nullable=True),
        sa.Column("lead_text", sa.String(length=200), nullable=True),
        sa.Column("resources", sa.Text(), nullable=True),
        sa.Column("cost", sa.BigInteger(), nullable=True),
        budget_line_column(),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("timescale", sa.String(length=200), nullable=True),
        sa.Column("quarter", sa.String(length=2), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_text", sa.String(length=300), nullable=True),
        sa.Column("rag_override", sa.String(length=20), nullable=True),
        sa.Column("rag_override_reason", sa.String(length=300), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_plan_action_lead_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["lead_person_id"],
            ["person.id"],
            name=op.f("fk_plan_action_lead_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["plan_action.id"],
            name=op.f("fk_plan_action_parent_id_plan_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["action_plan.id"],
            name=op.f("fk_plan_action_plan_id_action_plan"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["priority_id"],
            ["plan_priority.id"],
            name=op.f("fk_plan_action_priority_id_plan_priority"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_action")),
    )
    with op.batch_alter_table("plan_action", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_action_budget_line_id"), ["budget_line_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_plan_action_lead_organisation_id"),
            ["lead_organisation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_plan_action_lead_person_id"), ["lead_person_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plan_action_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_action_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_plan_action_priority_id"), ["priority_id"], unique=False
        )

    op.create_table(
        "action_point",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=10), nullable=False),
        sa.Column("minute_ref", sa.String(length=20), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closing_note", sa.String(length=500), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_item.id"],
            name=op.f("fk_action_point_agenda_item_id_agenda_item"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_action_point_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_point")),
        sa.UniqueConstraint("meeting_id", "number", name="uq_action_point_number"),
    )
    with op.batch_alter_table("action_point", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_point_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_action_point_due_date"), ["due_date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_action_point_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "action_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=20), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rag", sa.String(length=20), nullable=False),
        sa.Column("latest_update", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["plan_action.id"],
            name=op.f("fk_action_snapshot_action_id_plan_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["action_plan.id"],
            name=op.f("fk_action_snapshot_plan_id_action_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_snapshot")),
        sa.UniqueConstraint("action_id", "quarter", name="uq_action_snapshot_quarter"),
    )
    with op.batch_alter_table("action_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_snapshot_action_id"), ["action_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_action_snapshot_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "action_update",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["plan_action.id"],
            name=op.f("fk_action_update_action_id_plan_action"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_update")),
    )
    with op.batch_alter_table("action_update", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_update_action_id"), ["action_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_update_date"), ["date"], unique=False)

    op.create_table(
        "plan_action_partner",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["plan_action.id"],
            name=op.f("fk_plan_action_partner_action_id_plan_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_plan_action_partner_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint(
            "action_id", "organisation_id", name=op.f("pk_plan_action_partner")
        ),
    )
    with op.batch_alter_table("plan_action_partner", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_action_partner_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "action_point_owner",
        sa.Column("point_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_action_point_owner_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["point_id"],
            ["action_point.id"],
            name=op.f("fk_action_point_owner_point_id_action_point"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("point_id", "person_id", name=op.f("pk_action_point_owner")),
    )
    with op.batch_alter_table("action_point_owner", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_point_owner_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
