"""Audit trail: one after-flush hook records every change to every audited entity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from cspdesk import clock
from cspdesk.models.audit import AuditEntry
from cspdesk.models.base import Entity

if TYPE_CHECKING:
    from cspdesk.db.engine import Database

SKIPPED = {"id", "version"}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Entity):
        return value.audit_label()
    return str(value)


def _entries(session: Session, db: Database) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    at = clock.now()
    who = {"os_user": db.os_user, "db_user": db.db_user, "machine": db.machine}

    def add(obj: Entity, action: str, field: str | None, old: Any, new: Any,
            label: str | None = None) -> None:
        rows.append({
            "at": at, **who, "entity": obj.__tablename__, "entity_id": obj.id,
            "label": (label if label is not None else obj.audit_label())[:300],
            "action": action, "field": field, "old": _text(old), "new": _text(new),
        })

    for obj in session.new:
        if isinstance(obj, Entity) and obj.__audited__:
            add(obj, "insert", None, None, None)
    for obj in session.dirty:
        if not (isinstance(obj, Entity) and obj.__audited__):
            continue
        state = inspect(obj)
        columns = state.mapper.column_attrs
        label = None
        # only attributes set since the load can have changed (committed_state holds them)
        for key in [k for k in state.committed_state if k in columns and k not in SKIPPED]:
            hist = state.attrs[key].history
            if hist.has_changes():
                old = hist.deleted[0] if hist.deleted else None
                new = hist.added[0] if hist.added else None
                if _text(old) != _text(new):
                    label = label if label is not None else obj.audit_label()
                    add(obj, "update", key, old, new, label)
    for obj in session.deleted:
        if isinstance(obj, Entity) and obj.__audited__:
            add(obj, "delete", None, obj.audit_label(), None)
    return rows


DB = "cspdesk.audit.db"


def install_audit_hook(db: Database) -> None:
    """Record changes made through any session of ``db``."""

    def after_flush(session: Session, _ctx: object) -> None:
        rows = _entries(session, db)
        if rows:
            session.connection().execute(insert(AuditEntry), rows)

    def after_begin(session: Session, _tx: object, _conn: object) -> None:
        session.info[DB] = db

    event.listen(db.sessions, "after_flush", after_flush)
    event.listen(db.sessions, "after_begin", after_begin)


def record_inserts(session: Session, table: str, rows: list[tuple[int, str]]) -> None:
    """Audit records for rows of ``table`` inserted in bulk, (id, label) each: a bulk insert
    bypasses the flush, so the hook above never sees those rows."""
    db = session.info.get(DB)
    if db is None:  # never lose records silently
        raise RuntimeError("record_inserts needs a session of a Database with the audit hook")
    at = clock.now()
    who = {"os_user": db.os_user, "db_user": db.db_user, "machine": db.machine}
    if rows:
        session.execute(insert(AuditEntry), [
            {"at": at, **who, "entity": table, "entity_id": row_id, "label": label[:300],
             "action": "insert", "field": None, "old": None, "new": None}
            for row_id, label in rows])


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as the UI shows it."""

    at: dt.datetime
    user: str
    entity: str
    entity_id: int
    label: str | None
    action: str
    field: str | None
    old: str | None
    new: str | None


def history(
    db: Database,
    entity: str | None = None,
    entity_id: int | None = None,
    *,
    entity_ids: list[tuple[str, int]] | None = None,
    limit: int = 500,
) -> list[AuditRow]:
    """Newest first audit entries, optionally for one entity or a set of (entity, id)."""
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    if entity_ids:
        from sqlalchemy import and_, or_

        stmt = stmt.where(or_(*[and_(AuditEntry.entity == e, AuditEntry.entity_id == i)
                                for e, i in entity_ids]))
    with db.session() as s:
        return [
            AuditRow(r.at, r.os_user + (f" ({r.db_user})" if r.db_user else ""), r.entity,
                     r.entity_id, r.label, r.action, r.field, r.old, r.new)
            for r in s.scalars(stmt)
        ]
