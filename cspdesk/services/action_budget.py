"""The budget link: actions name the budget line that pays for them; linked costs must match it.

The line's amount is the budget area's own figure (``budget.session_line_total``: the sum of its
split between streams), so the action plan and the budget always agree on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from cspdesk.db.engine import Database
from cspdesk.models.actions import ActionPlan, PlanAction
from cspdesk.money import format_money
from cspdesk.services import budget


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
