"""Action plans: plans, priorities, actions and milestones, automatic refs, the plan tree."""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.errors import ConflictError, ValidationError
from cspdesk.models import Organisation, Partnership, Person
from cspdesk.models.actions import (
    ActionPlan,
    ActionSnapshot,
    ActionStatus,
    PlanAction,
    PlanPriority,
    Rag,
)
from cspdesk.services.action_rag import direction, effective_rag
from cspdesk.services.people import clean_text


@dataclass(frozen=True)
class PlanRow:
    id: int
    version: int
    partnership_id: int
    title: str
    period: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    lead_text: str | None
    notes: str | None
    action_count: int = 0
    total_cost: Decimal = Decimal("0.00")

    @property
    def label(self) -> str:
        """'Operational Action Plan 2020-21'."""
        return plan_label(self.title, self.period)


def plan_label(title: str, period: str | None) -> str:
    """A plan's title with its period, as lists and papers name it."""
    return f"{title} {period or ''}".strip()


@dataclass(frozen=True)
class PriorityRow:
    id: int
    version: int
    plan_id: int
    number: int
    title: str


@dataclass(frozen=True)
class ActionRow:
    """An action or milestone as the views and papers show it (RAG computed for today)."""

    id: int
    version: int
    plan_id: int
    ref: str
    title: str
    status: str
    rag: str
    overridden: bool = False
    parent_id: int | None = None
    priority_id: int | None = None
    priority: str | None = None
    description: str | None = None
    lead_organisation_id: int | None = None
    lead_organisation: str | None = None
    lead_person_id: int | None = None
    lead_person: str | None = None
    lead_text: str | None = None
    partner_ids: tuple[int, ...] = ()
    partners: tuple[str, ...] = ()
    resources: str | None = None
    cost: Decimal | None = None
    budget_line_id: int | None = None
    start_date: dt.date | None = None
    due_date: dt.date | None = None
    timescale: str | None = None
    quarter: str | None = None
    status_text: str | None = None
    rag_override: str | None = None
    rag_override_reason: str | None = None
    latest_update: str | None = None
    latest_update_on: dt.date | None = None
    previous_rag: str | None = None
    direction: str | None = None
    position: int = 0

    @property
    def is_milestone(self) -> bool:
        return self.parent_id is not None

    @property
    def lead(self) -> str:
        """Lead officer and organisation as one line ('Kathryn Hawkes, SCDC')."""
        parts = [p for p in (self.lead_person, self.lead_text or self.lead_organisation) if p]
        return ", ".join(parts)

    @property
    def status_label(self) -> str:
        return ActionStatus(self.status).label

    @property
    def rag_label(self) -> str:
        if self.status == ActionStatus.ABANDONED:
            return "Abandoned"
        return Rag(self.rag).label

    @property
    def timescale_text(self) -> str:
        from cspdesk.dates import format_date

        if self.due_date:
            return format_date(self.due_date)
        return self.timescale or self.quarter or ""


@dataclass
class ActionInput:
    """What the action form submits."""

    title: str
    priority_id: int | None = None
    parent_id: int | None = None
    description: str | None = None
    lead_organisation_id: int | None = None
    lead_person_id: int | None = None
    lead_text: str | None = None
    partner_ids: list[int] = field(default_factory=list)
    resources: str | None = None
    cost: Decimal | None = None
    budget_line_id: int | None = None
    start_date: dt.date | None = None
    due_date: dt.date | None = None
    timescale: str | None = None
    quarter: str | None = None
    status: str = ActionStatus.NOT_STARTED.value
    status_text: str | None = None


@dataclass(frozen=True)
class PlanTree:
    """A plan with its priorities and every action and milestone, in display order."""

    plan: PlanRow
    partnership: str
    priorities: tuple[PriorityRow, ...]
    actions: tuple[ActionRow, ...]

    def children(self, parent_id: int) -> list[ActionRow]:
        return [a for a in self.actions if a.parent_id == parent_id]

    def top_level(self, priority_id: int | None = None) -> list[ActionRow]:
        return [a for a in self.actions if a.parent_id is None and a.priority_id == priority_id]

    @property
    def total_cost(self) -> Decimal:
        return sum((a.cost for a in self.actions if a.cost is not None), Decimal("0.00"))


# ---------------------------------------------------------------- rows

def _plan_row(p: ActionPlan) -> PlanRow:
    top = [a for a in p.actions if a.parent_id is None]
    total = sum((a.cost for a in p.actions if a.cost is not None), Decimal("0.00"))
    return PlanRow(p.id, p.version, p.partnership_id, p.title, p.period, p.start_date, p.end_date,
                   p.lead_text, p.notes, len(top), total)


def last_snapshots(s: Session, action_ids: list[int]) -> dict[int, ActionSnapshot]:
    """The newest snapshot of each action."""
    if not action_ids:
        return {}
    newest = (select(ActionSnapshot.action_id, func.max(ActionSnapshot.id).label("sid"))
              .where(ActionSnapshot.action_id.in_(action_ids))
              .group_by(ActionSnapshot.action_id).subquery())
    rows = s.scalars(select(ActionSnapshot).join(newest, ActionSnapshot.id == newest.c.sid))
    return {r.action_id: r for r in rows}


def action_row(a: PlanAction, today: dt.date, snapshot: ActionSnapshot | None = None) -> ActionRow:
    """Build the row of a loaded action (priority, lead, partners and updates loaded)."""
    rag, overridden = effective_rag(a.status, a.due_date, today, a.rag_override)
    latest = a.updates[-1] if a.updates else None
    previous = snapshot.rag if snapshot else None
    return ActionRow(
        id=a.id, version=a.version, plan_id=a.plan_id, ref=a.ref, title=a.title, status=a.status,
        rag=rag.value, overridden=overridden, parent_id=a.parent_id, priority_id=a.priority_id,
        priority=a.priority.title if a.priority else None, description=a.description,
        lead_organisation_id=a.lead_organisation_id,
        lead_organisation=a.lead_organisation.name if a.lead_organisation else None,
        lead_person_id=a.lead_person_id, lead_person=a.lead_person.name if a.lead_person else None,
        lead_text=a.lead_text, partner_ids=tuple(o.id for o in a.partners),
        partners=tuple(o.name for o in a.partners), resources=a.resources, cost=a.cost,
        budget_line_id=a.budget_line_id, start_date=a.start_date, due_date=a.due_date,
        timescale=a.timescale, quarter=a.quarter, status_text=a.status_text,
        rag_override=a.rag_override, rag_override_reason=a.rag_override_reason,
        latest_update=latest.text if latest else None,
        latest_update_on=latest.date if latest else None,
        previous_rag=previous, direction=direction(previous, rag.value), position=a.position,
    )


def action_options():  # type: ignore[no-untyped-def]
    """Loader options for building ActionRows without extra queries."""
    return [selectinload(PlanAction.priority), selectinload(PlanAction.lead_organisation),
            selectinload(PlanAction.lead_person), selectinload(PlanAction.partners),
            selectinload(PlanAction.updates)]


def _ordered(plan: ActionPlan) -> list[PlanAction]:
    """Actions in display order: by priority, then position, each followed by its milestones."""
    prio_pos = {p.id: p.position for p in plan.priorities}
    top = sorted((a for a in plan.actions if a.parent_id is None),
                 key=lambda a: (prio_pos.get(a.priority_id, -1) if a.priority_id else -1,
                                a.position, a.id))
    out: list[PlanAction] = []
    for action in top:
        out.append(action)
        out.extend(sorted((m for m in plan.actions if m.parent_id == action.id),
                          key=lambda m: (m.position, m.id)))
    return out


# ---------------------------------------------------------------- plans

def list_plans(db: Database, partnership_id: int | None = None) -> list[PlanRow]:
    """Plans, newest period first (action counts and costs summed in SQL)."""
    totals = (select(PlanAction.plan_id,
                     func.sum(case((PlanAction.parent_id.is_(None), 1), else_=0)).label("n"),
                     func.sum(PlanAction.cost).label("cost"))
              .group_by(PlanAction.plan_id).subquery())
    stmt = (select(ActionPlan, totals.c.n, totals.c.cost)
            .outerjoin(totals, totals.c.plan_id == ActionPlan.id)
            .order_by(ActionPlan.period.desc(), ActionPlan.title))
    if partnership_id is not None:
        stmt = stmt.where(ActionPlan.partnership_id == partnership_id)
    with db.session() as s:
        return [PlanRow(p.id, p.version, p.partnership_id, p.title, p.period, p.start_date,
                        p.end_date, p.lead_text, p.notes, int(n or 0),
                        cost if cost is not None else Decimal("0.00"))
                for p, n, cost in s.execute(stmt)]


def _clean_plan(title: str, period: str | None) -> tuple[str, str | None]:
    title = clean_text(title)
    if not title:
        raise ValidationError("Enter the plan's title.", field="title")
    return title, clean_text(period) or None


def add_plan(db: Database, partnership_id: int, title: str, period: str | None = None,
             priorities: list[str] | None = None, **fields: object) -> PlanRow:
    """Create a plan, optionally with its priorities in order."""
    title, period = _clean_plan(title, period)
    with db.session() as s:
        if s.get(Partnership, partnership_id) is None:
            raise ValidationError("Choose the partnership the plan belongs to.",
                                  field="partnership")
        plan = ActionPlan(partnership_id=partnership_id, title=title, period=period, **fields)
        plan.priorities = [PlanPriority(position=i, title=clean_text(t))
                           for i, t in enumerate(priorities or [])]
        s.add(plan)
        s.flush()
        return _plan_row(plan)


def update_plan(db: Database, plan_id: int, title: str, period: str | None,
                version: int | None = None, **fields: object) -> PlanRow:
    title, period = _clean_plan(title, period)
    with db.session() as s:
        plan = load_checked(s, ActionPlan, plan_id, version, "plan")
        plan.title, plan.period = title, period
        for key, value in fields.items():
            setattr(plan, key, value)
        s.flush()
        return _plan_row(plan)


def delete_plan(db: Database, plan_id: int) -> None:
    with db.session() as s:
        s.delete(load_checked(s, ActionPlan, plan_id, None, "plan"))


def plan_tree(db: Database, plan_id: int, today: dt.date | None = None) -> PlanTree:
    """The plan with priorities, actions and milestones (RAG and direction for ``today``)."""
    today = today or clock.today()
    with db.session() as s:
        plan = s.get(ActionPlan, plan_id, options=[
            selectinload(ActionPlan.priorities),
            selectinload(ActionPlan.actions).options(*action_options())])
        if plan is None:
            raise ConflictError("That plan no longer exists; refresh the list.")
        ordered = _ordered(plan)
        snaps = last_snapshots(s, [a.id for a in ordered])
        partnership = s.get(Partnership, plan.partnership_id)
        return PlanTree(
            _plan_row(plan), partnership.name if partnership else "",
            tuple(PriorityRow(p.id, p.version, p.plan_id, i + 1, p.title)
                  for i, p in enumerate(plan.priorities)),
            tuple(action_row(a, today, snaps.get(a.id)) for a in ordered))


# ---------------------------------------------------------------- priorities

def add_priority(db: Database, plan_id: int, title: str) -> PriorityRow:
    title = clean_text(title)
    if not title:
        raise ValidationError("Enter the priority's title.", field="title")
    with db.session() as s:
        plan = load_checked(s, ActionPlan, plan_id, None, "plan")
        p = PlanPriority(plan=plan, title=title, position=len(plan.priorities))
        s.add(p)
        s.flush()
        renumber(s, plan)
        return PriorityRow(p.id, p.version, plan_id, p.position + 1, p.title)


def rename_priority(db: Database, priority_id: int, title: str, version: int | None = None) -> None:
    title = clean_text(title)
    if not title:
        raise ValidationError("Enter the priority's title.", field="title")
    with db.session() as s:
        load_checked(s, PlanPriority, priority_id, version, "priority").title = title


def delete_priority(db: Database, priority_id: int) -> None:
    """Delete an empty priority (move or delete its actions first)."""
    with db.session() as s:
        p = load_checked(s, PlanPriority, priority_id, None, "priority")
        used = s.scalar(select(func.count()).select_from(PlanAction)
                        .where(PlanAction.priority_id == priority_id))
        if used:
            raise ValidationError(f"The priority '{p.title}' still has {used} actions; "
                                  "move or delete them first.")
        plan = p.plan
        s.delete(p)
        s.flush()
        s.refresh(plan, ["priorities"])
        for i, other in enumerate(plan.priorities):
            other.position = i
        renumber(s, plan)


# ---------------------------------------------------------------- actions

def load_checked(s: Session, model: type, row_id: int, version: int | None, what: str):  # type: ignore[no-untyped-def]
    """The row, or ConflictError if it was deleted or changed since ``version``."""
    obj = s.get(model, row_id)
    if obj is None:
        raise ConflictError(f"This {what} was deleted by someone else; refresh the list.")
    if version is not None and obj.version != version:
        raise ConflictError(f"This {what} was changed by someone else since you opened it; "
                            "your change was not saved. Refresh and try again.")
    return obj


def renumber(s: Session, plan: ActionPlan) -> None:
    """Refs from positions: '1.2' (priority 1, action 2) or '3' without priorities; '1.2a'."""
    s.flush()
    s.refresh(plan, ["priorities", "actions"])
    prio_number = {p.id: i + 1 for i, p in enumerate(plan.priorities)}
    groups: dict[int | None, list[PlanAction]] = {}
    for a in plan.actions:
        if a.parent_id is None:
            groups.setdefault(a.priority_id, []).append(a)
    for prio_id, actions in groups.items():
        for n, a in enumerate(sorted(actions, key=lambda x: (x.position, x.id)), start=1):
            a.position = n - 1
            ref = f"{prio_number[prio_id]}.{n}" if prio_id in prio_number else str(n)
            if a.ref != ref:
                a.ref = ref
            milestones = sorted((m for m in plan.actions if m.parent_id == a.id),
                                key=lambda x: (x.position, x.id))
            for i, m in enumerate(milestones):
                m.position = i
                mref = f"{ref}{_letters(i)}"
                if m.ref != mref:
                    m.ref = mref
                m.priority_id = a.priority_id
    s.flush()


def _letters(i: int) -> str:
    letters = string.ascii_lowercase
    return letters[i] if i < 26 else letters[i // 26 - 1] + letters[i % 26]


def validate_action(s: Session, plan: ActionPlan, data: ActionInput) -> ActionInput:
    """Clean and check an action's fields; raise ValidationError naming the field."""
    title = clean_text(data.title)
    if not title:
        raise ValidationError("Enter what the action is.", field="title")
    if data.status not in {x.value for x in ActionStatus}:
        raise ValidationError(f"'{data.status}' is not a status.", field="status")
    if data.start_date and data.due_date and data.due_date < data.start_date:
        raise ValidationError("The due date is before the start date; correct one of them.",
                              field="due_date")
    if data.cost is not None:
        if isinstance(data.cost, float):
            raise ValidationError("Enter the cost in pounds and pence.", field="cost")
        if data.cost < 0:
            raise ValidationError("The cost cannot be negative.", field="cost")
    if data.priority_id is not None and data.priority_id not in {p.id for p in plan.priorities}:
        raise ValidationError("Choose a priority of this plan.", field="priority")
    if data.parent_id is not None:
        parent = s.get(PlanAction, data.parent_id)
        if parent is None or parent.plan_id != plan.id or parent.parent_id is not None:
            raise ValidationError("A milestone belongs to an action of the same plan.",
                                  field="parent")
    quarter = (data.quarter or "").strip().upper() or None
    if quarter and quarter not in ("Q1", "Q2", "Q3", "Q4"):
        raise ValidationError("The quarter is Q1, Q2, Q3 or Q4.", field="quarter")
    return ActionInput(
        title=title, priority_id=data.priority_id, parent_id=data.parent_id,
        description=(data.description or "").strip() or None,
        lead_organisation_id=data.lead_organisation_id, lead_person_id=data.lead_person_id,
        lead_text=clean_text(data.lead_text) or None, partner_ids=list(data.partner_ids),
        resources=(data.resources or "").strip() or None, cost=data.cost,
        budget_line_id=data.budget_line_id, start_date=data.start_date, due_date=data.due_date,
        timescale=clean_text(data.timescale) or None, quarter=quarter, status=data.status,
        status_text=clean_text(data.status_text) or None)


def _apply(s: Session, a: PlanAction, data: ActionInput) -> None:
    for key, value in vars(data).items():
        if key == "partner_ids":
            continue
        setattr(a, key, value)
    wanted = list(dict.fromkeys(data.partner_ids))
    a.partners = [s.get(Organisation, i) for i in wanted if s.get(Organisation, i) is not None]
    if a.lead_person_id is not None and s.get(Person, a.lead_person_id) is None:
        raise ValidationError("The lead officer no longer exists; choose another.", field="lead")


def get_action(db: Database, action_id: int, today: dt.date | None = None) -> ActionRow:
    today = today or clock.today()
    with db.session() as s:
        a = s.get(PlanAction, action_id, options=action_options())
        if a is None:
            raise ConflictError("That action no longer exists; refresh the list.")
        return action_row(a, today, last_snapshots(s, [a.id]).get(a.id))


def add_action(db: Database, plan_id: int, data: ActionInput,
               position: int | None = None) -> ActionRow:
    """Add an action (or a milestone when ``data.parent_id`` is set) at the end or ``position``."""
    with db.session() as s:
        plan = load_checked(s, ActionPlan, plan_id, None, "plan")
        data = validate_action(s, plan, data)
        if data.parent_id is not None:
            data.priority_id = s.get(PlanAction, data.parent_id).priority_id
        siblings = [a for a in plan.actions if a.parent_id == data.parent_id
                    and (data.parent_id is not None or a.priority_id == data.priority_id)]
        a = PlanAction(plan=plan, ref="?", position=len(siblings) if position is None else position)
        for other in siblings:
            if position is not None and other.position >= position:
                other.position += 1
        s.add(a)
        with s.no_autoflush:
            _apply(s, a, data)
        renumber(s, plan)
        action_id = a.id
    return get_action(db, action_id)


def update_action(db: Database, action_id: int, data: ActionInput,
                  version: int | None = None) -> ActionRow:
    """Save the action form; moving it to another priority renumbers the plan."""
    with db.session() as s:
        a = load_checked(s, PlanAction, action_id, version, "action")
        data = validate_action(s, a.plan, data)
        if data.parent_id != a.parent_id:
            raise ValidationError("An action cannot become a milestone; add a new milestone.",
                                  field="parent")
        moved = data.priority_id != a.priority_id
        if a.parent_id is not None:
            data.priority_id = a.priority_id
            moved = False
        _apply(s, a, data)
        if moved:
            a.position = 10_000
        renumber(s, a.plan)
    return get_action(db, action_id)


def move_action(db: Database, action_id: int, delta: int) -> ActionRow:
    """Move an action (or milestone) up (-1) or down (+1) among its siblings; refs follow."""
    with db.session() as s:
        a = load_checked(s, PlanAction, action_id, None, "action")
        siblings = sorted((x for x in a.plan.actions if x.parent_id == a.parent_id
                           and (a.parent_id is not None or x.priority_id == a.priority_id)),
                          key=lambda x: (x.position, x.id))
        i = siblings.index(a)
        j = max(0, min(len(siblings) - 1, i + delta))
        siblings.insert(j, siblings.pop(i))
        for n, x in enumerate(siblings):
            x.position = n
        renumber(s, a.plan)
    return get_action(db, action_id)


def delete_action(db: Database, action_id: int) -> None:
    """Delete an action with its milestones and updates; the remaining refs close up."""
    with db.session() as s:
        a = load_checked(s, PlanAction, action_id, None, "action")
        plan = a.plan
        for m in list(a.milestones):
            s.delete(m)
        s.delete(a)
        renumber(s, plan)


def action_input(row: ActionRow) -> ActionInput:
    """The form values of an existing action (for editing and undo)."""
    return ActionInput(
        title=row.title, priority_id=row.priority_id, parent_id=row.parent_id,
        description=row.description, lead_organisation_id=row.lead_organisation_id,
        lead_person_id=row.lead_person_id, lead_text=row.lead_text,
        partner_ids=list(row.partner_ids), resources=row.resources, cost=row.cost,
        budget_line_id=row.budget_line_id, start_date=row.start_date, due_date=row.due_date,
        timescale=row.timescale, quarter=row.quarter, status=row.status,
        status_text=row.status_text)


def list_actions(db: Database, partnership_id: int | None = None, *,
                 lead_person_id: int | None = None, today: dt.date | None = None,
                 milestones: bool = False, open_due_before: dt.date | None = None,
                 plans_ending_after: dt.date | None = None) -> list[ActionRow]:
    """Actions across plans (for 'My actions' and 'Overdue'), by plan then ref.

    ``open_due_before`` keeps open actions due before that day; ``plans_ending_after`` keeps
    plans with no end date or one after that day (both filtered in SQL).
    """
    today = today or clock.today()
    stmt = select(PlanAction).join(ActionPlan).options(*action_options())
    if partnership_id is not None:
        stmt = stmt.where(ActionPlan.partnership_id == partnership_id)
    if lead_person_id is not None:
        stmt = stmt.where(PlanAction.lead_person_id == lead_person_id)
    if open_due_before is not None:
        stmt = stmt.where(PlanAction.due_date < open_due_before,
                          PlanAction.status.not_in(("complete", "abandoned")))
    if plans_ending_after is not None:
        stmt = stmt.where(or_(ActionPlan.end_date.is_(None),
                              ActionPlan.end_date >= plans_ending_after))
    if not milestones:
        stmt = stmt.where(PlanAction.parent_id.is_(None))
    with db.session() as s:
        actions = list(s.scalars(stmt.order_by(ActionPlan.id, PlanAction.id)))
        snaps = last_snapshots(s, [a.id for a in actions])
        return [action_row(a, today, snaps.get(a.id)) for a in actions]
