"""The budget link: actions name the budget line that pays for them; linked costs must match it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Table, select

from cspdesk.db.engine import Database
from cspdesk.models.actions import ActionPlan, PlanAction
from cspdesk.models.base import Base
from cspdesk.money import format_money

#: columns of the budget area's ``budget_line`` table that may hold its amount and its name;
#: without one, the amount is the sum of its ``budget_line_split`` rows (the profiled budget)
AMOUNT_COLUMNS = ("amount", "profiled_budget", "profiled", "budget", "allocated", "total")
LABEL_COLUMNS = ("item", "name", "title", "label", "description")


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


def budget_table() -> Table | None:
    """The budget area's ``budget_line`` table, or None until that area is installed."""
    return Base.metadata.tables.get("budget_line")


def _column(table: Table, names: tuple[str, ...]):  # type: ignore[no-untyped-def]
    for name in names:
        if name in table.c:
            return table.c[name]
    return None


def _line(s, table: Table, line_id: int, name: str) -> tuple[str, Decimal | None]:  # type: ignore[no-untyped-def]
    label, amount_col = _column(table, LABEL_COLUMNS), _column(table, AMOUNT_COLUMNS)
    cols = [c for c in (label, amount_col) if c is not None]
    found = s.execute(select(*cols).where(table.c.id == line_id)).first() if cols else None
    amount = None
    if found is not None:
        values = dict(zip([c.name for c in cols], found, strict=True))
        if label is not None and values.get(label.name):
            name = str(values[label.name])
        if amount_col is not None and values.get(amount_col.name) is not None:
            amount = Decimal(values[amount_col.name]).quantize(Decimal("0.01"))
    splits = Base.metadata.tables.get("budget_line_split")
    if amount is None and found is not None and splits is not None and "amount" in splits.c:
        parts = list(s.scalars(select(splits.c.amount).where(splits.c.line_id == line_id)))
        if parts:
            amount = sum((Decimal(p) for p in parts), Decimal("0.00"))
    return name, amount


def budget_line_choices(db: Database) -> list[tuple[int, str]]:
    """(id, label) of every budget line, for the action form's drop-down."""
    table = budget_table()
    if table is None:
        return []
    label = _column(table, LABEL_COLUMNS)
    with db.session() as s:
        rows = s.execute(select(table.c.id, label if label is not None else table.c.id)
                         .order_by(table.c.id))
        return [(int(i), str(name)) for i, name in rows]


def check_links(db: Database, plan_id: int | None = None) -> list[BudgetLinkCheck]:
    """For each budget line that actions (of ``plan_id``, or any plan) are linked to, compare the
    total linked cost with the line's amount."""
    table = budget_table()
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
            name, amount = f"Budget line {line_id}", None
            if table is not None:
                name, amount = _line(s, table, line_id, name)
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
