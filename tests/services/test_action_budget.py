"""The budget link: linked costs are checked against the budget line and differences warned."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import inspect

from cspdesk.services import actions as svc
from cspdesk.services.action_budget import BudgetLinkCheck, check_links


def test_message_warns_when_costs_differ() -> None:
    same = BudgetLinkCheck(1, "OPCC Transformation Project", Decimal("36650.00"),
                           Decimal("36650.00"), ("5", "6", "7", "8"))
    assert same.ok and "match" in same.message
    off = BudgetLinkCheck(1, "OPCC Transformation Project", Decimal("36650.00"),
                          Decimal("37650.00"), ("5", "6", "7", "8"))
    assert not off.ok
    assert off.message == ("OPCC Transformation Project: linked action costs £37,650.00 differ "
                           "from the budget line £36,650.00 by £1,000.00; correct the costs or "
                           "the line.")


def test_transformation_costs_match_the_opcc_line(demo_db, fixed_today) -> None:
    budget = pytest.importorskip("cspdesk.models.budget")
    with demo_db.engine.connect() as conn:
        if not inspect(conn).has_table("budget_line_split"):
            pytest.skip("the budget area's tables are not migrated yet")
    plan = next(p for p in svc.list_plans(demo_db) if p.title.startswith("Transformation"))
    with demo_db.session() as s:
        stream = budget.FundingStream(partnership_id=plan.partnership_id, name="OPCC test grant")
        line = budget.BudgetLine(partnership_id=plan.partnership_id, year=2020,
                                 item="OPCC Transformation Project (test)")
        s.add_all([stream, line])
        s.flush()
        s.add(budget.BudgetLineSplit(line_id=line.id, stream_id=stream.id,
                                     amount=Decimal("36650.00")))
        line_id = line.id
    tree = svc.plan_tree(demo_db, plan.id)
    for a in tree.actions:
        if a.cost is not None:
            data = svc.action_input(a)
            data.budget_line_id = line_id
            svc.update_action(demo_db, a.id, data, version=a.version)
    [check] = check_links(demo_db, plan.id)
    assert (check.line, check.linked_cost, check.ok) == (
        "OPCC Transformation Project (test)", Decimal("36650.00"), True)
    # the OCR ghost "Additional staff time £1,000" would break the sum: the check warns
    six = next(a for a in svc.plan_tree(demo_db, plan.id).actions if a.ref == "6")
    data = svc.action_input(six)
    data.cost = Decimal("12900.00")
    svc.update_action(demo_db, six.id, data, version=six.version)
    [check] = check_links(demo_db, plan.id)
    assert check.difference == Decimal("1000.00") and "differ" in check.message


def test_demo_links_the_transformation_plan_to_its_budget_line(demo_db, fixed_today) -> None:
    from cspdesk.services import budget

    plan = next(p for p in svc.list_plans(demo_db) if p.title.startswith("Transformation"))
    [check] = check_links(demo_db, plan.id)
    assert (check.line, check.line_amount, check.linked_cost, check.ok) == (
        "OPCC Transformation Project", Decimal("36650.00"), Decimal("36650.00"), True)
    assert check.line_amount == budget.line_total(demo_db, check.budget_line_id)
    # the budget area's figure is the one checked: change the line's split, the check follows
    line = next(f for f in budget.list_lines(demo_db, plan.partnership_id, 2020)
                if f.id == check.budget_line_id)
    data = budget.line_input(line)
    data.splits = {k: Decimal("30000.00") for k in data.splits}
    budget.update_line(demo_db, line.id, data, line.version)
    [check] = check_links(demo_db, plan.id)
    assert check.difference == Decimal("6650.00") and not check.ok
    # deleting the line keeps the actions' costs and drops the link (ON DELETE SET NULL)
    budget.delete_line(demo_db, line.id)
    assert check_links(demo_db, plan.id) == []
    assert sum((a.cost or 0 for a in svc.plan_tree(demo_db, plan.id).actions),
               Decimal(0)) == Decimal("36650.00")


def test_line_links_save_in_one_unit_of_work(demo_db, fixed_today) -> None:
    from cspdesk.errors import ValidationError
    from cspdesk.services import budget
    from cspdesk.services.action_budget import (
        action_choices,
        line_actions,
        restore_line_and_actions,
        update_line_and_actions,
    )

    plan = next(p for p in svc.list_plans(demo_db) if p.title.startswith("Transformation"))
    line = next(f for f in budget.list_lines(demo_db, plan.partnership_id, 2020)
                if f.item == "OPCC Transformation Project")
    linked = line_actions(demo_db, line.id)
    assert [a.label() for a in linked][0].startswith("5 Collect, assess")
    assert linked[0].plan == "Transformation Topic Action Plan 2019-21"
    from cspdesk.services.partnerships import find_partnership

    other = svc.add_plan(demo_db, find_partnership(demo_db, "Cambridge CSP").id, "Other plan")
    foreign = svc.add_action(demo_db, other.id, svc.ActionInput("Not ours")).id
    data = budget.line_input(line)
    data.item = "Renamed"
    with pytest.raises(ValidationError, match="this partnership's plans"):
        update_line_and_actions(demo_db, line.id, data, [foreign], line.version)
    # refused as a whole: neither the line nor the links changed
    assert [f.item for f in budget.list_lines(demo_db, plan.partnership_id, 2020)
            ].count("Renamed") == 0
    assert line_actions(demo_db, line.id) == linked
    keep = [a.id for a in linked[:2]]
    saved = update_line_and_actions(demo_db, line.id, data, keep, line.version)
    assert saved.line.item == "Renamed"
    assert saved.replaced == {a.id: line.id for a in linked[2:]}
    assert [a.id for a in line_actions(demo_db, line.id)] == keep
    assert all(a.budget_line_id is None for a in action_choices(demo_db, plan.partnership_id)
               if a.id in saved.replaced)
    restore_line_and_actions(demo_db, line.id, budget.line_input(line), saved.replaced)
    assert line_actions(demo_db, line.id) == linked
