"""Budget demo: streams, grants, lines and transactions from resources/demo/budget.yaml."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from cspdesk.dates import financial_year_bounds
from cspdesk.models.actions import ActionPlan, PlanAction
from cspdesk.models.budget import (
    BudgetLine,
    BudgetLineSplit,
    FundingStream,
    GrantIncome,
    LedgerEntry,
    StreamYear,
)
from cspdesk.services.demo import DemoContext, load_yaml


def _money(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        raise TypeError(f"demo amount {value!r} must be a quoted string")
    return Decimal(str(value))


def _date(value: Any, year: int) -> dt.date:
    if value in (None, ""):
        return financial_year_bounds(year)[1]
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def load_demo(ctx: DemoContext) -> None:
    """Add every partnership's budget from the demo file."""
    s = ctx.session
    links: list[tuple[BudgetLine, int, str]] = []
    for pdata in load_yaml("budget.yaml")["partnerships"]:
        partnership = ctx.partnerships[pdata["partnership"]]
        streams: dict[str, FundingStream] = {}
        for position, sd in enumerate(pdata.get("streams") or []):
            stream = FundingStream(
                partnership_id=partnership.id, name=sd["name"], short_name=sd.get("short_name"),
                kind=sd.get("kind", "other"), position=position, notes=sd.get("notes"),
                rollover_needs_permission=bool(sd.get("rollover_needs_permission")))
            s.add(stream)
            streams[sd["name"]] = stream
            for yd in sd.get("years") or []:
                s.add(StreamYear(stream=stream, year=yd["year"],
                                 opening_override=_money(yd.get("opening")),
                                 opening_reason=yd.get("reason"),
                                 rollover_permitted=bool(yd.get("permitted")),
                                 rollover_permission_date=yd.get("permission_date"),
                                 rollover_note=yd.get("rollover_note")))
            for gd in sd.get("grants") or []:
                _grant(s, stream, gd)
        for gd in pdata.get("grants") or []:
            _grant(s, streams[gd["stream"]], gd)
        s.flush()
        for yd in pdata.get("years") or []:
            year = yd["year"]
            for position, ld in enumerate(yd.get("lines") or [], start=1):
                line = BudgetLine(
                    partnership_id=partnership.id, year=year, position=position, item=ld["item"],
                    category=ld.get("category"), projected_outturn=_money(ld.get("projected")),
                    status=ld.get("status", "agreed"), notes=ld.get("notes"),
                    splits=[BudgetLineSplit(stream=streams[name], amount=_money(amount))
                            for name, amount in (ld.get("splits") or {}).items()])
                for ed in ld.get("entries") or []:
                    line.entries.append(LedgerEntry(
                        stream=streams[ed["stream"]], date=_date(ed.get("date"), year),
                        kind=ed.get("kind", "payment"), amount=_money(ed["amount"]),
                        counterparty=ed.get("counterparty"), reference=ed.get("reference"),
                        note=ed.get("note") or ("Date not given in the pack: dated at the "
                                                "financial year end." if not ed.get("date")
                                                else None)))
                s.add(line)
                if ld.get("pays_for_plan"):
                    links.append((line, partnership.id, ld["pays_for_plan"]))
        s.flush()
    for line, partnership_id, plan_title in links:
        _link_plan(s, line, partnership_id, plan_title)


def _grant(s: Any, stream: FundingStream, gd: dict) -> None:
    s.add(GrantIncome(stream=stream, year=gd["year"], source=gd["source"],
                      amount=_money(gd["amount"]), status=gd.get("status", "tbc"),
                      status_date=gd.get("status_date"), reference=gd.get("reference"),
                      notes=gd.get("notes")))


def _link_plan(s: Any, line: BudgetLine, partnership_id: int, plan_title: str) -> None:
    """Link the costed actions of a demo plan (loaded by the actions demo) to the line."""
    plan = s.scalar(select(ActionPlan).where(ActionPlan.partnership_id == partnership_id,
                                             ActionPlan.title == plan_title))
    if plan is None:
        return
    s.execute(update(PlanAction).where(PlanAction.plan_id == plan.id,
                                       PlanAction.cost.is_not(None))
              .values(budget_line_id=line.id))
