"""Indexes for the columns that list queries filter, join or order on (issue 9, migration 0008).

Declared here, in one place, next to the tables the area modules define, so that the models
and ``0008_indexes`` agree (tests/db/test_migrations.py compares them). Foreign keys that had
no index of their own and the date, status and year columns the pages and dashboards filter on.
"""

from __future__ import annotations

from sqlalchemy import Index

from cspdesk.models.base import Base

#: (table, column) pairs; each gets ``ix_<table>_<column>``
INDEXED: tuple[tuple[str, str], ...] = (
    # foreign keys without an index
    ("partnership", "accountable_body_id"),
    ("isa_agreement", "signed_document_id"),
    ("membership", "organisation_id"),
    ("attendance", "substitute_for_id"),
    ("declaration", "agenda_item_id"),
    ("paper", "original_attachment_id"),
    # filters of list queries, dashboards and reports
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


def _declare() -> None:
    tables = Base.metadata.tables
    for table, column in INDEXED:
        name = f"ix_{table}_{column}"
        if table in tables and name not in {i.name for i in tables[table].indexes}:
            Index(name, tables[table].c[column])


_declare()
