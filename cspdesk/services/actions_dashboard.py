"""Dashboard lines: overdue plan actions and action points, and the signed-in officer's actions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from cspdesk.dates import format_date
from cspdesk.db.engine import Database
from cspdesk.models import AppSetting, Person
from cspdesk.models.actions import ActionPlan, PlanAction
from cspdesk.services.action_points import list_points, overdue_points
from cspdesk.services.actions import list_actions
from cspdesk.services.dashboard import DashboardLine

CARD = "Overdue actions"
#: app setting holding the person id chosen under "My actions" on the Action plans page
ME_KEY = "actions.my_person_id"


def my_person_id(db: Database) -> int | None:
    with db.session() as s:
        setting = s.get(AppSetting, ME_KEY)
        value = setting.value if setting else None
        if not value or not value.isdigit() or s.get(Person, int(value)) is None:
            return None
        return int(value)


def set_my_person_id(db: Database, person_id: int | None) -> None:
    """Remember whose actions 'My actions' shows (None forgets it)."""
    with db.session() as s:
        setting = s.get(AppSetting, ME_KEY)
        if person_id is None:
            if setting is not None:
                s.delete(setting)
            return
        if setting is None:
            s.add(AppSetting(key=ME_KEY, value=str(person_id)))
        else:
            setting.value = str(person_id)


def open_in_old_plans(db: Database, partnership_id: int | None, today: dt.date,
                      ended_before: dt.date) -> int:
    """How many actions and milestones are open past their due date in plans that ended
    before ``ended_before`` (left off the Overdue card as history)."""
    stmt = (select(func.count()).select_from(PlanAction).join(ActionPlan)
            .where(ActionPlan.end_date < ended_before, PlanAction.due_date < today,
                   PlanAction.status.not_in(("complete", "abandoned"))))
    if partnership_id is not None:
        stmt = stmt.where(ActionPlan.partnership_id == partnership_id)
    with db.session() as s:
        return s.scalar(stmt) or 0


def dashboard_lines(db: Database, partnership_id: int | None,
                    today: dt.date) -> list[DashboardLine]:
    """Overdue plan actions and action points (oldest first), then a 'My actions' summary.

    A line opens the Action plans page with the action's id, or minus the id of an action point.
    """
    lines: list[tuple[dt.date, DashboardLine]] = []
    # a plan whose period ended more than a year ago is history, not a list of chases
    cutoff = today - dt.timedelta(days=365)
    for a in list_actions(db, partnership_id, today=today, milestones=True,
                          open_due_before=today, plans_ending_after=cutoff):
        lines.append((a.due_date, DashboardLine(
            CARD, f"{a.ref} {a.title} ({a.lead or 'no lead'}), due {format_date(a.due_date)}",
            "overdue", "actions", a.id, a.due_date)))
    for p in overdue_points(db, partnership_id, today):
        lines.append((p.due_date or today, DashboardLine(
            CARD, f"Action point {p.ref} ({p.board}): {p.text} ({p.owner_text}), "
                  f"due {format_date(p.due_date)}", "overdue", "actions", -p.id, p.due_date)))
    out = [line for _, line in sorted(lines, key=lambda x: x[0])]
    left = open_in_old_plans(db, partnership_id, today, cutoff)
    if left:
        out.append(DashboardLine(
            CARD, f"Not listed: {left} action{'s' if left != 1 else ''} left open in plans that "
                  "ended more than a year ago (close or carry them forward on Action plans)",
            "info", "actions", None))
    me = my_person_id(db)
    if me is not None:
        mine = [a for a in list_actions(db, partnership_id, lead_person_id=me, today=today,
                                        milestones=True)
                if a.status not in ("complete", "abandoned")]
        points = list_points(db, partnership_id=partnership_id, owner_id=me, status="open")
        late = sum(1 for a in mine if a.rag == "red") + sum(1 for p in points if p.overdue(today))
        out.append(DashboardLine(CARD, f"My actions: {len(mine)} plan actions and "
                                       f"{len(points)} action points open, {late} overdue or red",
                                 "warning" if late else "info", "actions", None))
    return out
