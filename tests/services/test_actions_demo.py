"""The demo plans as the packs print them: 8 Transformation actions costing £36,650.00."""

from __future__ import annotations

from decimal import Decimal

from cspdesk.services import actions as svc
from cspdesk.services.action_budget import plan_costs


def _plans(db):  # type: ignore[no-untyped-def]
    return {p.title: p for p in svc.list_plans(db)}


def test_transformation_plan_has_8_actions_totalling_36650(demo_db, fixed_today) -> None:
    plan = _plans(demo_db)["Transformation Topic Action Plan"]
    assert plan.action_count == 8
    assert plan.total_cost == Decimal("36650.00")
    assert plan_costs(demo_db, plan.id) == Decimal("36650.00")
    tree = svc.plan_tree(demo_db, plan.id)
    top = [a for a in tree.actions if not a.is_milestone]
    assert [a.ref for a in top] == [str(n) for n in range(1, 9)]
    assert [a.status_label for a in top] == ["Complete", "Complete", "Complete", "On track",
                                            "On track", "On track", "Not started", "Not started"]
    # the pack's own words are kept beside the mapped status
    assert top[4].status_text == "In Progress – First meeting held 12th February 2020"
    assert top[6].status_text == "Yet to start"
    assert [a.rag for a in top] == ["complete"] * 3 + ["green"] * 5


def test_operational_plan_has_monthly_updates_and_a_slipped_milestone(demo_db, fixed_today) -> None:
    from cspdesk.services.action_updates import list_updates

    plan = _plans(demo_db)["Operational Action Plan"]
    assert plan.period == "2020-21" and plan.action_count == 8
    tree = svc.plan_tree(demo_db, plan.id)
    hoarding = next(a for a in tree.actions if a.title.startswith("Hoarding"))
    assert [u.date.month for u in list_updates(demo_db, hoarding.id)] == [2, 1]
    define = next(a for a in tree.children(hoarding.id) if a.title == "Define project")
    assert (define.ref, define.rag) == ("4b", "red")


def test_domestic_abuse_plan_has_16_items_with_quarter_milestones(demo_db, fixed_today) -> None:
    plan = _plans(demo_db)["Southern Domestic Abuse Task Group Action Plan"]
    tree = svc.plan_tree(demo_db, plan.id)
    assert plan.action_count == 16 and len(tree.priorities) == 6
    event = next(a for a in tree.actions if a.title.startswith("Multi-agency DV"))
    assert [(m.ref, m.quarter) for m in tree.children(event.id)] == [
        ("1.2a", "Q1"), ("1.2b", "Q2"), ("1.2c", "Q3"), ("1.2d", "Q4")]
    abandoned = next(a for a in tree.actions if a.status == "abandoned")
    assert abandoned.rag_label == "Abandoned"
