"""Demo action plans and action points from resources/demo/actions.yaml."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from cspdesk.models.actions import (
    ActionPlan,
    ActionPoint,
    ActionStatus,
    ActionUpdate,
    PlanAction,
    PlanPriority,
    PointStatus,
)
from cspdesk.services.action_rag import status_from_text
from cspdesk.services.actions import renumber
from cspdesk.services.demo import DemoContext, load_yaml

QUARTER_END = {"Q1": (6, 30), "Q2": (9, 30), "Q3": (12, 31), "Q4": (3, 31)}


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _status(text: str | None) -> tuple[str, str | None]:
    """(status value, the pack's wording when it says more than the status word)."""
    if not text:
        return ActionStatus.NOT_STARTED.value, None
    status = status_from_text(text) or ActionStatus.NOT_STARTED
    return status.value, (text if text.lower() != status.label.lower() else None)


def _quarter_due(plan_start: dt.date | None, quarter: str | None) -> dt.date | None:
    if not quarter or plan_start is None:
        return None
    month, day = QUARTER_END[quarter]
    return dt.date(plan_start.year + (1 if quarter == "Q4" else 0), month, day)


def _action(ctx: DemoContext, plan: ActionPlan, data: dict, position: int,
            priority: PlanPriority | None, parent: PlanAction | None,
            update_on: dt.date | None) -> PlanAction:
    status, status_text = _status(data.get("status"))
    if parent is not None and not data.get("status"):
        status = parent.status
    quarter = data.get("quarter")
    action = PlanAction(
        plan=plan, priority=priority, parent=parent, position=position, ref="?",
        title=data["title"], lead_text=data.get("lead_text"), resources=data.get("resources"),
        cost=Decimal(str(data["cost"])) if data.get("cost") else None,
        start_date=_date(data.get("start")),
        due_date=_date(data.get("due")) or _quarter_due(plan.start_date, quarter),
        timescale=data.get("timescale"), quarter=quarter, status=status, status_text=status_text,
        lead_organisation=ctx.org(data["lead_org"]) if data.get("lead_org") else None,
        lead_person=ctx.person(data["lead_person"]) if data.get("lead_person") else None)
    ctx.session.add(action)
    for u in data.get("updates") or []:
        ctx.session.add(ActionUpdate(action=action, date=_date(u["date"]), text=u["text"],
                                     source="Board pack", recorded_at=dt.datetime(2020, 2, 20, 9)))
    if data.get("update") and update_on:
        ctx.session.add(ActionUpdate(action=action, date=update_on, text=data["update"],
                                     status=status, source="Quarterly progress report",
                                     recorded_at=dt.datetime(2011, 4, 1, 9)))
    for i, m in enumerate(data.get("milestones") or []):
        _action(ctx, plan, m, i, priority, action, None)
    return action


def load_demo(ctx: DemoContext) -> None:
    """Add the demo plans (South Cambs 2020 and 2011) and action points (Cambridge, South Cambs)."""
    data = load_yaml("actions.yaml")
    s = ctx.session
    for p in data.get("plans", []):
        plan = ActionPlan(partnership_id=ctx.partnerships[p["partnership"]].id,
                          title=p["title"], period=p.get("period"),
                          start_date=_date(p.get("start")), end_date=_date(p.get("end")),
                          lead_text=p.get("lead_text"), notes=p.get("notes"))
        s.add(plan)
        update_on = _date(p.get("update_date"))
        for i, a in enumerate(p.get("actions") or []):
            _action(ctx, plan, a, i, None, None, update_on)
        for n, prio in enumerate(p.get("priorities") or []):
            priority = PlanPriority(plan=plan, position=n, title=prio["title"])
            s.add(priority)
            for i, a in enumerate(prio.get("actions") or []):
                _action(ctx, plan, a, i, priority, None, update_on)
        s.flush()
        renumber(s, plan)
    for group in data.get("points", []):
        meeting = ctx.meeting(group["board"], _date(group["meeting"]))
        for n, item in enumerate(group["items"], start=1):
            closed = _date(item.get("closed_on"))
            s.add(ActionPoint(
                meeting_id=meeting.id, number=n, ref=f"{meeting.date.month:02d}/{n:02d}",
                text=item["text"], minute_ref=str(item.get("minute") or "") or None,
                owners=[ctx.person(name) for name in item.get("owners") or []],
                status=PointStatus.CLOSED.value if closed else PointStatus.OPEN.value,
                closed_on=closed, closing_note=item.get("note") or None,
                due_date=_date(item.get("due"))))
    s.flush()
