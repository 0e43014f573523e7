"""What support staff ask for first: where the database is, its schema, integrity, counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, text

from cspdesk.db.engine import Database
from cspdesk.db.migrate import current_revision, head_revision
from cspdesk.models.base import Base

#: areas and the tables whose rows they count
AREAS: dict[str, tuple[str, ...]] = {
    "Partnerships and boards": ("partnership", "board", "membership"),
    "People and organisations": ("person", "organisation"),
    "Meetings": ("meeting", "attendance", "agenda_item", "paper", "minute_entry", "declaration",
                 "standing_item"),
    "ISA register": ("isa_agreement", "isa_party", "isa_spoc"),
    "Action plans": ("action_plan", "plan_action", "action_update", "action_point"),
    "Budget": ("funding_stream", "budget_line", "ledger_entry"),
    "Audit trail": ("audit_entry",),
}


@dataclass(frozen=True)
class DatabaseInfo:
    location: str
    revision: str | None
    head: str
    integrity: str
    counts: dict[str, dict[str, int]]


def integrity_check(db: Database) -> str:
    """'ok' or the first problems SQLite reports ('n/a' on a server)."""
    if not db.is_sqlite:
        return "n/a (server database)"
    with db.engine.connect() as conn:
        rows = [r[0] for r in conn.execute(text("PRAGMA integrity_check")).fetchmany(5)]
    return "ok" if rows == ["ok"] else "; ".join(rows)


def database_info(db: Database) -> DatabaseInfo:
    """Location, schema revision, integrity and record counts per area."""
    counts: dict[str, dict[str, int]] = {}
    tables = Base.metadata.tables
    with db.session() as s:
        for area, names in AREAS.items():
            present = [n for n in names if n in tables]
            if present:
                counts[area] = {n: int(s.scalar(select(func.count()).select_from(tables[n])) or 0)
                                for n in present}
    return DatabaseInfo(db.display_name, current_revision(db), head_revision(),
                        integrity_check(db), counts)
