"""Dated progress updates, status changes and the manual RAG override of plan actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.errors import ValidationError
from cspdesk.models.actions import ActionStatus, ActionUpdate, PlanAction, Rag
from cspdesk.services.actions import ActionRow, get_action, load_checked


@dataclass(frozen=True)
class UpdateRow:
    id: int
    version: int
    action_id: int
    date: dt.date
    text: str
    status: str | None
    source: str | None

    @property
    def status_label(self) -> str:
        return ActionStatus(self.status).label if self.status else ""


def _row(u: ActionUpdate) -> UpdateRow:
    return UpdateRow(u.id, u.version, u.action_id, u.date, u.text, u.status, u.source)


def list_updates(db: Database, action_id: int) -> list[UpdateRow]:
    """The update history of an action, newest first."""
    with db.session() as s:
        stmt = (select(ActionUpdate).where(ActionUpdate.action_id == action_id)
                .order_by(ActionUpdate.date.desc(), ActionUpdate.id.desc()))
        return [_row(u) for u in s.scalars(stmt)]


def add_update(db: Database, action_id: int, text: str, on: dt.date | None = None,
               status: str | None = None, source: str | None = None) -> UpdateRow:
    """Record a dated progress update; a status given with it becomes the action's status."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("Write the update before saving it.", field="text")
    on = on or clock.today()
    if on > clock.today():
        raise ValidationError("An update cannot be dated in the future.", field="date")
    if status is not None and status not in {s.value for s in ActionStatus}:
        raise ValidationError(f"'{status}' is not a status.", field="status")
    with db.session() as s:
        action = load_checked(s, PlanAction, action_id, None, "action")
        update = ActionUpdate(action=action, date=on, text=text, status=status, source=source,
                              recorded_at=clock.now())
        s.add(update)
        if status is not None and status != action.status:
            action.status = status
        s.flush()
        return _row(update)


def edit_update(db: Database, update_id: int, text: str, on: dt.date,
                version: int | None = None) -> UpdateRow:
    """Correct the wording or date of an update."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("Write the update before saving it.", field="text")
    with db.session() as s:
        u = load_checked(s, ActionUpdate, update_id, version, "update")
        u.text, u.date = text, on
        s.flush()
        return _row(u)


def delete_update(db: Database, update_id: int) -> None:
    with db.session() as s:
        s.delete(load_checked(s, ActionUpdate, update_id, None, "update"))


def set_status(db: Database, action_id: int, status: str, version: int | None = None) -> ActionRow:
    """Change an action's status (the inline status change in the plan view)."""
    if status not in {s.value for s in ActionStatus}:
        raise ValidationError(f"'{status}' is not a status.", field="status")
    with db.session() as s:
        a = load_checked(s, PlanAction, action_id, version, "action")
        a.status = status
    return get_action(db, action_id)


def set_rag_override(db: Database, action_id: int, rag: str | None, reason: str | None = None,
                     version: int | None = None) -> ActionRow:
    """Override the computed RAG (a reason is required); ``rag=None`` removes the override."""
    reason = (reason or "").strip() or None
    if rag is not None:
        if rag not in (Rag.RED, Rag.AMBER, Rag.GREEN):
            raise ValidationError("Override the RAG with Red, Amber or Green.", field="rag")
        if not reason:
            raise ValidationError("Give the reason for overriding the RAG.", field="reason")
    with db.session() as s:
        a = load_checked(s, PlanAction, action_id, version, "action")
        a.rag_override = rag
        a.rag_override_reason = reason if rag else None
    return get_action(db, action_id)
