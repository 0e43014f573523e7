"""Audit view: filter the audit trail by entity, user, text and date; export it (CSV/XLSX)."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select

from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import AuditEntry
from cspdesk.reports.xlsx_safe import append_row, safe_cell
from cspdesk.services.audit import AuditRow

HEADERS = ("When", "User", "Entity", "Id", "Record", "Action", "Field", "Old", "New")


@dataclass(frozen=True)
class AuditFilter:
    """What the Audit view asks for; empty fields do not filter."""

    entity: str | None = None
    user: str | None = None
    text: str | None = None  # in the record label or old/new values
    person_id: int | None = None  # changes to the person's record, or naming them
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    limit: int = 5000


def entities(db: Database) -> list[str]:
    """Entity (table) names present in the audit trail."""
    with db.session() as s:
        return sorted(s.scalars(select(AuditEntry.entity).distinct()))


def users(db: Database) -> list[str]:
    """Users who made changes."""
    with db.session() as s:
        return sorted(s.scalars(select(AuditEntry.os_user).distinct()))


def search(db: Database, f: AuditFilter) -> list[AuditRow]:
    """Newest first audit entries matching ``f``."""
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(f.limit)
    if f.entity:
        stmt = stmt.where(AuditEntry.entity == f.entity)
    if f.user:
        stmt = stmt.where(or_(AuditEntry.os_user == f.user, AuditEntry.db_user == f.user))
    if f.text:
        like = f"%{f.text}%"
        stmt = stmt.where(or_(AuditEntry.label.ilike(like), AuditEntry.old.ilike(like),
                              AuditEntry.new.ilike(like)))
    if f.person_id is not None:
        stmt = stmt.where(_about_person(db, f.person_id))
    if f.date_from:
        stmt = stmt.where(AuditEntry.at >= dt.datetime.combine(f.date_from, dt.time()))
    if f.date_to:
        stmt = stmt.where(AuditEntry.at < dt.datetime.combine(f.date_to + dt.timedelta(days=1),
                                                             dt.time()))
    with db.session() as s:
        return [AuditRow(r.at, r.os_user + (f" ({r.db_user})" if r.db_user else ""), r.entity,
                         r.entity_id, r.label, r.action, r.field, r.old, r.new)
                for r in s.scalars(stmt)]


def _about_person(db: Database, person_id: int) -> Any:
    """Entries about a person (the subject access rule): their own record, a person id in a
    person field, or their name in the record label or the old/new values."""
    from cspdesk.models import Base, Person

    with db.session() as s:
        name = s.scalar(select(Person.name).where(Person.id == person_id))
    if name is None:
        raise UserError("That person no longer exists; refresh the list.")
    pid = str(person_id)
    person_fks = {table.name: [c for c in table.columns
                               if any(fk.column.table.name == "person" for fk in c.foreign_keys)]
                  for table in Base.metadata.sorted_tables if table.name != "person"}
    fields = sorted({c.name for cols in person_fks.values() for c in cols})
    clauses = [(AuditEntry.entity == "person") & (AuditEntry.entity_id == person_id),
               AuditEntry.field.in_(fields) & or_(AuditEntry.old == pid, AuditEntry.new == pid)]
    for table in Base.metadata.sorted_tables:  # rows that point at the person now
        fks = person_fks.get(table.name)
        if fks and "id" in table.c:
            pointing = select(table.c.id).where(or_(*(c == person_id for c in fks)))
            clauses.append((AuditEntry.entity == table.name)
                           & AuditEntry.entity_id.in_(pointing))
    if len(name) >= 4:
        like = f"%{name}%"
        clauses += [AuditEntry.label.ilike(like), AuditEntry.old.ilike(like),
                    AuditEntry.new.ilike(like)]
    return or_(*clauses)


def _cells(row: AuditRow) -> list[object]:
    return [row.at.strftime("%Y-%m-%d %H:%M:%S"), row.user, row.entity, row.entity_id,
            row.label, row.action, row.field, row.old, row.new]


def export(rows: list[AuditRow], out: Path) -> Path:
    """Write ``rows`` to ``out`` (.csv or .xlsx); text cells are neutralised against formulas."""
    suffix = out.suffix.lower()
    try:
        if suffix == ".csv":
            with out.open("w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle)
                writer.writerow(HEADERS)
                for row in rows:
                    writer.writerow([safe_cell(c) for c in _cells(row)])
        elif suffix == ".xlsx":
            from openpyxl import Workbook

            book = Workbook()
            sheet = book.active
            sheet.title = "Audit"
            sheet.append(HEADERS)
            for row in rows:
                append_row(sheet, list(_cells(row)))
            sheet.freeze_panes = "A2"
            book.save(out)
        else:
            raise UserError("Choose a file name ending in .csv or .xlsx.")
    except OSError as exc:
        raise UserError(f"{out.name} could not be written ({exc.strerror}). "
                        "Choose another place.") from exc
    return out
