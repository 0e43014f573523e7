"""Quarterly snapshots: 'Close quarter' freezes status, RAG and latest update of every action."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.errors import ValidationError
from cspdesk.models.actions import ActionPlan, ActionSnapshot, PlanAction
from cspdesk.services.action_rag import quarter_of
from cspdesk.services.actions import ActionRow, action_options, action_row, load_checked, plan_tree


@dataclass(frozen=True)
class SnapshotInfo:
    quarter: str
    taken_on: dt.date
    actions: int


@dataclass(frozen=True)
class Change:
    """How an action moved since the last snapshot."""

    action: ActionRow
    before_status: str | None
    before_rag: str | None
    direction: str | None


def list_snapshots(db: Database, plan_id: int) -> list[SnapshotInfo]:
    """Closed quarters of a plan, newest first."""
    stmt = (select(ActionSnapshot.quarter, func.max(ActionSnapshot.taken_on), func.count())
            .where(ActionSnapshot.plan_id == plan_id).group_by(ActionSnapshot.quarter)
            .order_by(func.max(ActionSnapshot.id).desc()))
    with db.session() as s:
        return [SnapshotInfo(q, d, n) for q, d, n in s.execute(stmt)]


def close_quarter(db: Database, plan_id: int, quarter: str | None = None,
                  on: dt.date | None = None) -> SnapshotInfo:
    """Freeze every action and milestone of the plan for ``quarter`` (default: this quarter)."""
    on = on or clock.today()
    quarter = quarter or quarter_of(on)
    with db.session() as s:
        plan = load_checked(s, ActionPlan, plan_id, None, "plan")
        done = s.scalar(select(func.count()).select_from(ActionSnapshot).where(
            ActionSnapshot.plan_id == plan_id, ActionSnapshot.quarter == quarter))
        if done:
            raise ValidationError(f"{quarter} is already closed for '{plan.title}'; "
                                  "each quarter is closed once.")
        actions = list(s.scalars(select(PlanAction).where(PlanAction.plan_id == plan_id)
                                 .options(*action_options(), selectinload(PlanAction.updates))))
        if not actions:
            raise ValidationError("The plan has no actions to snapshot yet.")
        for a in actions:
            row = action_row(a, on)
            s.add(ActionSnapshot(plan_id=plan_id, action_id=a.id, quarter=quarter, taken_on=on,
                                 status=row.status, rag=row.rag, latest_update=row.latest_update))
        return SnapshotInfo(quarter, on, len(actions))


def changes_since_snapshot(db: Database, plan_id: int,
                           today: dt.date | None = None) -> list[Change]:
    """Actions whose RAG or status differ from the last snapshot (or that are new since)."""
    tree = plan_tree(db, plan_id, today)
    with db.session() as s:
        from cspdesk.services.actions import last_snapshots

        snaps = last_snapshots(s, [a.id for a in tree.actions])
    changes = []
    for a in tree.actions:
        snap = snaps.get(a.id)
        if snap is None:
            if snaps:
                changes.append(Change(a, None, None, None))
            continue
        if snap.status != a.status or snap.rag != a.rag:
            changes.append(Change(a, snap.status, snap.rag, a.direction))
    return changes
