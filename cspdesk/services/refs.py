"""Generic reference handling over foreign keys: count who points at a row, repoint rows."""

from __future__ import annotations

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.orm import Session

from cspdesk.models.base import Base

#: tables that belong to their parent (deleted with it), so they never block a delete
OWNED = {("organisation_alias", "organisation_id")}


def _referencing(table_name: str) -> list[tuple[Table, str]]:
    found = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == table_name and fk.column.name == "id":
                found.append((table, fk.parent.name))
    return found


def count_references(session: Session, table_name: str, row_id: int) -> dict[str, int]:
    """{referencing table: count} of rows that point at ``table_name`` row ``row_id``."""
    counts: dict[str, int] = {}
    for table, column in _referencing(table_name):
        if (table.name, column) in OWNED:
            continue
        n = session.scalar(select(func.count()).select_from(table).where(table.c[column] == row_id))
        if n:
            counts[table.name] = counts.get(table.name, 0) + int(n)
    return counts


def repoint_references(session: Session, table_name: str, old_id: int, new_id: int) -> int:
    """Make every reference to ``old_id`` point at ``new_id``; returns rows changed."""
    changed = 0
    for table, column in _referencing(table_name):
        if (table.name, column) in OWNED:
            continue
        pk_cols = [c.name for c in table.primary_key.columns]
        if column in pk_cols and len(pk_cols) > 1:
            others = [c for c in pk_cols if c != column]
            existing = select(*[table.c[c] for c in others]).where(table.c[column] == new_id)
            clash = table.c[column] == old_id
            if len(others) == 1:
                session.execute(delete(table).where(clash, table.c[others[0]].in_(existing)))
        result = session.execute(
            update(table).where(table.c[column] == old_id).values({column: new_id})
        )
        changed += result.rowcount or 0
    return changed


def describe_counts(counts: dict[str, int]) -> str:
    """'3 memberships, 2 attendance records' from a count dict."""
    names = {
        "membership": ("membership", "memberships"),
        "attendance": ("attendance record", "attendance records"),
        "agenda_item_lead": ("agenda item", "agenda items"),
        "person": ("person", "people"),
        "partnership": ("partnership", "partnerships"),
    }
    parts = []
    for table, n in sorted(counts.items()):
        one, many = names.get(table, (table.replace("_", " ") + " record",
                                      table.replace("_", " ") + " records"))
        parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)
