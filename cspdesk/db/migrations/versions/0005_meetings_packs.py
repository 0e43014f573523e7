"""meetings, papers, minutes and packs

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _entity_columns(table: str) -> list:
    return [sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))]


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visitor_notes", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("minutes_approved_on", sa.Date(), nullable=True))

    op.create_table(
        "paper",
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("original_attachment_id", sa.Integer(), nullable=True),
        sa.Column("generated_key", sa.String(length=40), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=True),
        sa.Column("to_text", sa.String(length=300), nullable=True),
        sa.Column("from_text", sa.String(length=300), nullable=True),
        sa.Column("paper_date", sa.Date(), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("recommendations", sa.Text(), nullable=True),
        sa.Column("background", sa.Text(), nullable=True),
        sa.Column("sections_json", sa.Text(), nullable=True),
        sa.Column("source_documents", sa.Text(), nullable=True),
        sa.Column("contact_officer", sa.String(length=300), nullable=True),
        *_entity_columns("paper"),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["agenda_item.id"],
                                name=op.f("fk_paper_agenda_item_id_agenda_item"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["attachment_id"], ["attachment.id"],
                                name=op.f("fk_paper_attachment_id_attachment"),
                                ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["original_attachment_id"], ["attachment.id"],
                                name=op.f("fk_paper_original_attachment_id_attachment"),
                                ondelete="RESTRICT"),
    )
    with op.batch_alter_table("paper", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paper_agenda_item_id"), ["agenda_item_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_paper_attachment_id"), ["attachment_id"],
                              unique=False)

    op.create_table(
        "standing_item",
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=True),
        sa.Column("duration", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("generated_key", sa.String(length=40), nullable=True),
        sa.Column("at_end", sa.Boolean(), nullable=False),
        *_entity_columns("standing_item"),
        sa.ForeignKeyConstraint(["board_id"], ["board.id"],
                                name=op.f("fk_standing_item_board_id_board"), ondelete="CASCADE"),
    )
    with op.batch_alter_table("standing_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_standing_item_board_id"), ["board_id"], unique=False)

    op.create_table(
        "minute_entry",
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("decision_text", sa.Text(), nullable=True),
        *_entity_columns("minute_entry"),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["agenda_item.id"],
                                name=op.f("fk_minute_entry_agenda_item_id_agenda_item"),
                                ondelete="CASCADE"),
        sa.UniqueConstraint("agenda_item_id", name=op.f("uq_minute_entry_agenda_item_id")),
    )

    op.create_table(
        "declaration",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("interest", sa.Text(), nullable=False),
        *_entity_columns("declaration"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"],
                                name=op.f("fk_declaration_meeting_id_meeting"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_declaration_person_id_person"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["agenda_item.id"],
                                name=op.f("fk_declaration_agenda_item_id_agenda_item"),
                                ondelete="SET NULL"),
    )
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_declaration_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_declaration_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_table("declaration")
    op.drop_table("minute_entry")
    op.drop_table("standing_item")
    op.drop_table("paper")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("minutes_approved_on")
        batch_op.drop_column("visitor_notes")
