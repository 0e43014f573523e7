"""Subject access: every record naming a person, gathered into one XLSX workbook.

Found two ways, so new areas are covered without changes here: every row of every table with
a foreign key to ``person``; and every row whose text columns mention the person's name
(minutes, action points, notes, imported registers), plus the audit entries about them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import String, Table, Text, or_, select
from sqlalchemy.orm import Session

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import AuditEntry, Base, Person
from cspdesk.reports.xlsx_safe import append_row


@dataclass
class Section:
    """Rows of one table that name the person."""

    table: str
    columns: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    why: str = ""


@dataclass
class SubjectRecords:
    person_id: int
    name: str
    sections: list[Section]

    @property
    def count(self) -> int:
        return sum(len(s.rows) for s in self.sections)


def _person_fks(table: Table) -> list[str]:
    return [c.name for c in table.columns
            if any(fk.column.table.name == "person" for fk in c.foreign_keys)]


def _text_columns(table: Table) -> list[Any]:
    return [c for c in table.columns if isinstance(c.type, String | Text)]


def gather(db: Database, person_id: int) -> SubjectRecords:
    """Every record that names the person ``person_id``."""
    with db.session() as s:
        person = s.get(Person, person_id)
        if person is None:
            raise UserError("That person no longer exists; refresh the list.")
        name = person.name
        sections = [_section(s, person.__table__, [person.__table__.c.id == person_id],
                             "the person's own record")]
        for table in Base.metadata.sorted_tables:
            if table.name in ("person", AuditEntry.__tablename__):
                continue
            where = [table.c[c] == person_id for c in _person_fks(table)]
            why = "linked to the person"
            texts = _text_columns(table)
            if len(name) >= 4 and texts:
                where += [c.ilike(f"%{name}%") for c in texts]
                why = "linked to or mentioning the person"
            if where:
                sections.append(_section(s, table, where, why))
        audit = AuditEntry.__table__
        sections.append(_section(s, audit, [
            (audit.c.entity == "person") & (audit.c.entity_id == person_id),
            audit.c.label.ilike(f"%{name}%"), audit.c.old.ilike(f"%{name}%"),
            audit.c.new.ilike(f"%{name}%")], "audit trail about the person"))
    return SubjectRecords(person_id, name, [sec for sec in sections if sec.rows])


def _section(s: Session, table: Table, where: list[Any], why: str) -> Section:
    rows = [tuple(r) for r in s.execute(select(table).where(or_(*where)))]
    return Section(table.name, [c.name for c in table.columns], rows, why)


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"({len(value)} bytes)"
    return value


def export(db: Database, person_id: int, out: Path) -> Path:
    """Write the subject access workbook: a summary sheet and one sheet per table."""
    from openpyxl import Workbook

    records = gather(db, person_id)
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    summary.append(["Subject access export"])
    append_row(summary, ["Person", records.name])
    summary.append(["Produced", clock.now().strftime("%d %b %Y %H:%M")])
    summary.append([])
    summary.append(["Table", "Records", "Why included"])
    for sec in records.sections:
        summary.append([sec.table, len(sec.rows), sec.why])
        sheet = book.create_sheet(sec.table[:31])
        sheet.append(sec.columns)
        for row in sec.rows:
            append_row(sheet, [_value(v) for v in row])
        sheet.freeze_panes = "A2"
    try:
        book.save(out)
    except OSError as exc:
        raise UserError(f"{out.name} could not be written ({exc.strerror}). "
                        "Choose another place.") from exc
    return out
