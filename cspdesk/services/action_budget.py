"""The budget link: actions name the budget line that pays for them; linked costs must match it.

The line's amount is the budget area's own figure (``budget.session_line_total``: the sum of its
split between streams), so the action plan and the budget always agree on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, or_, select

from cspdesk.dates import financial_year_label
from cspdesk.db.engine import Database
from cspdesk.errors import ValidationError
from cspdesk.models.actions import ActionPlan, PlanAction
from cspdesk.models.budget import BudgetLine
from cspdesk.money import format_money
from cspdesk.services import budget
from cspdesk.services.actions import plan_label
from cspdesk.services.budget import LineInput
from cspdesk.services.budget_figures import LineFact


@dataclass(frozen=True)
class BudgetLinkCheck:
    """Costs of the actions linked to one budget line, against the line's amount."""

    budget_line_id: int
    line: str
    line_amount: Decimal | None
    linked_cost: Decimal
    actions: tuple[str, ...]

    @property
    def difference(self) -> Decimal | None:
        return None if self.line_amount is None else self.linked_cost - self.line_amount

    @property
    def ok(self) -> bool:
        return self.difference == 0

    @property
    def message(self) -> str:
        if self.line_amount is None:
            return f"{self.line}: the budget line has no amount to check the linked costs against."
        if self.ok:
            return f"{self.line}: linked costs {format_money(self.linked_cost)} match the line."
        return (f"{self.line}: linked action costs {format_money(self.linked_cost)} differ from "
                f"the budget line {format_money(self.line_amount)} by "
                f"{format_money(self.difference)}; correct the costs or the line.")


def budget_line_choices(db: Database, partnership_id: int | None = None) -> list[tuple[int, str]]:
    """(id, '2020/21: item') of budget lines, for the action form's drop-down."""
    return budget.line_choices(db, partnership_id)


def check_links(db: Database, plan_id: int | None = None) -> list[BudgetLinkCheck]:
    """For each budget line that actions (of ``plan_id``, or any plan) are linked to, compare the
    total linked cost with the line's total (a line with no split between streams is TBC)."""
    stmt = select(PlanAction.budget_line_id, PlanAction.ref, PlanAction.cost).where(
        PlanAction.budget_line_id.is_not(None))
    if plan_id is not None:
        linked_lines = select(PlanAction.budget_line_id).where(PlanAction.plan_id == plan_id)
        stmt = stmt.where(PlanAction.budget_line_id.in_(linked_lines))
    out = []
    with db.session() as s:
        grouped: dict[int, tuple[list[str], Decimal]] = {}
        for line_id, ref, cost in s.execute(stmt.order_by(PlanAction.id)):
            refs, total = grouped.get(line_id, ([], Decimal("0.00")))
            grouped[line_id] = ([*refs, ref], total + (cost or Decimal("0.00")))
        for line_id, (refs, cost) in sorted(grouped.items()):
            found = budget.session_line_label(s, line_id)
            name = found[0] if found else f"Budget line {line_id}"
            amount = (budget.session_line_total(s, line_id)
                      if found is not None and found[1] else None)
            out.append(BudgetLinkCheck(int(line_id), name, amount, cost, tuple(refs)))
    return out


def plan_costs(db: Database, plan_id: int) -> Decimal:
    """The total of every cost in a plan (actions and milestones)."""
    with db.session() as s:
        if s.get(ActionPlan, plan_id) is None:
            return Decimal("0.00")
        costs = s.scalars(select(PlanAction.cost).where(PlanAction.plan_id == plan_id,
                                                        PlanAction.cost.is_not(None)))
        return sum(costs, Decimal("0.00"))


# ---------------------------------------------------------------- from the budget side


@dataclass(frozen=True)
class LinkedAction:
    """A plan action (or milestone) as the budget side names it, with the line it is paid from."""

    id: int
    ref: str
    title: str
    plan_id: int
    plan_title: str
    plan_period: str | None
    cost: Decimal | None
    budget_line_id: int | None
    budget_line: str | None  # '2020/21: item' of that line

    @property
    def plan(self) -> str:
        return plan_label(self.plan_title, self.plan_period)

    def name(self, width: int = 0) -> str:
        """'1.4 Title'; a title longer than ``width`` ends in '…'."""
        title = " ".join(self.title.split())
        if width and len(title) > width:
            title = title[:width - 1].rstrip() + "…"
        return title if self.ref in ("", "?") else f"{self.ref} {title}"

    def label(self, width: int = 0) -> str:
        """'1.4 Title (Plan 2020-21)'."""
        return f"{self.name(width)} ({self.plan})"


@dataclass(frozen=True)
class SavedLine:
    """A line saved with its actions, and the links replaced: {action id: previous line id}."""

    line: LineFact
    replaced: dict[int, int | None]


def _ref_key(ref: str) -> tuple:
    """'1.10b' after '1.9a': numbers compare as numbers."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.findall(r"\d+|[^\d.]+", ref or ""))


def _linked_stmt() -> Select:
    return (select(PlanAction.id, PlanAction.ref, PlanAction.title, ActionPlan.id,
                   ActionPlan.title, ActionPlan.period, PlanAction.cost,
                   PlanAction.budget_line_id, BudgetLine.year, BudgetLine.item)
            .join(ActionPlan, ActionPlan.id == PlanAction.plan_id)
            .outerjoin(BudgetLine, BudgetLine.id == PlanAction.budget_line_id))


def _linked(rows: Iterable) -> list[LinkedAction]:
    out = [LinkedAction(aid, ref, title, pid, plan, period, cost, line_id,
                        f"{financial_year_label(year)}: {item}" if line_id else None)
           for aid, ref, title, pid, plan, period, cost, line_id, year, item in rows]
    # plans newest period first (as the Action plans page lists them), actions by ref
    out.sort(key=lambda a: (a.plan_title.casefold(), a.plan_id, _ref_key(a.ref), a.id))
    out.sort(key=lambda a: a.plan_period or "", reverse=True)
    return out


def line_actions(db: Database, line_id: int) -> list[LinkedAction]:
    """The plan actions and milestones paid from a budget line."""
    with db.session() as s:
        return _linked(s.execute(_linked_stmt().where(PlanAction.budget_line_id == line_id)))


def action_choices(db: Database, partnership_id: int) -> list[LinkedAction]:
    """Every action and milestone of the partnership's plans, for the budget line form."""
    with db.session() as s:
        return _linked(s.execute(_linked_stmt().where(
            ActionPlan.partnership_id == partnership_id)))


def update_line_and_actions(db: Database, line_id: int, data: LineInput,
                            action_ids: Iterable[int], version: int | None = None) -> SavedLine:
    """Save a line's fields and the actions it pays for, in one unit of work.

    The chosen actions are paid from this line (moved from any other line); actions no longer
    chosen lose the link and keep their cost. Returns the links replaced, for undo."""
    wanted = set(action_ids)
    with db.session() as s:
        fact = budget.session_update_line(s, line_id, data, version)
        partnership_id = s.get(BudgetLine, line_id).partnership_id
        rows = list(s.scalars(select(PlanAction).where(
            or_(PlanAction.id.in_(wanted), PlanAction.budget_line_id == line_id))))
        if wanted - {a.id for a in rows}:
            raise ValidationError("An action chosen no longer exists; close the form and "
                                  "open it again.", field="actions")
        if any(a.id in wanted and a.plan.partnership_id != partnership_id for a in rows):
            raise ValidationError("Choose actions of this partnership's plans.", field="actions")
        replaced: dict[int, int | None] = {}
        for a in rows:
            new = line_id if a.id in wanted else None
            if a.budget_line_id != new:
                replaced[a.id] = a.budget_line_id
                a.budget_line_id = new
        s.flush()
        return SavedLine(fact, replaced)


def restore_line_and_actions(db: Database, line_id: int, data: LineInput,
                             links: Mapping[int, int | None]) -> LineFact:
    """Undo ``update_line_and_actions``: the line's old fields and each action's old line
    (an action or a line deleted since is skipped)."""
    with db.session() as s:
        fact = budget.session_update_line(s, line_id, data)
        lines = set(s.scalars(select(BudgetLine.id).where(
            BudgetLine.id.in_({v for v in links.values() if v is not None}))))
        for a in s.scalars(select(PlanAction).where(PlanAction.id.in_(links))):
            old = links[a.id]
            a.budget_line_id = old if old is None or old in lines else None
        return fact
