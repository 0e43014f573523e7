"""Plans, actions, milestones, refs, updates, overrides, snapshots (real SQLite files)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cspdesk import clock
from cspdesk.errors import ConflictError, ValidationError
from cspdesk.models import Partnership
from cspdesk.services import action_snapshots as snaps
from cspdesk.services import action_updates as upd
from cspdesk.services import actions as svc
from cspdesk.services.actions import ActionInput


@pytest.fixture
def plan(db, fixed_today):  # type: ignore[no-untyped-def]
    with db.session() as s:
        p = Partnership(name="Test CSP")
        s.add(p)
        s.flush()
        pid = p.id
    return svc.add_plan(db, pid, "Operational Action Plan", "2020-21",
                        priorities=["Support vulnerable groups", "Build resilient communities"])


def _add(db, plan, title, **kw):  # type: ignore[no-untyped-def]
    return svc.add_action(db, plan.id, ActionInput(title=title, **kw))


def test_refs_follow_priorities_milestones_and_reorder(db, plan) -> None:
    tree = svc.plan_tree(db, plan.id)
    p1, p2 = tree.priorities
    a = _add(db, plan, "Problem Solving Group", priority_id=p1.id)
    b = _add(db, plan, "Community Trigger", priority_id=p1.id)
    c = _add(db, plan, "Community Safety Event", priority_id=p2.id)
    m1 = _add(db, plan, "Book venue", parent_id=b.id, quarter="Q1")
    m2 = _add(db, plan, "Publicise", parent_id=b.id, quarter="Q2")
    refs = {r.title: r.ref for r in svc.plan_tree(db, plan.id).actions}
    assert refs == {"Problem Solving Group": "1.1", "Community Trigger": "1.2",
                    "Community Safety Event": "2.1", "Book venue": "1.2a", "Publicise": "1.2b"}
    svc.move_action(db, b.id, -1)
    svc.move_action(db, m2.id, -1)
    refs = {r.title: r.ref for r in svc.plan_tree(db, plan.id).actions}
    assert refs["Community Trigger"] == "1.1" and refs["Problem Solving Group"] == "1.2"
    assert refs["Publicise"] == "1.1a" and refs["Book venue"] == "1.1b"
    # moving an action to another priority renumbers both
    row = svc.get_action(db, a.id)
    data = svc.action_input(row)
    data.priority_id = p2.id
    svc.update_action(db, a.id, data, version=row.version)
    refs = {r.title: r.ref for r in svc.plan_tree(db, plan.id).actions}
    assert refs["Problem Solving Group"] == "2.2" and refs["Community Safety Event"] == "2.1"
    svc.delete_action(db, c.id)
    assert svc.get_action(db, a.id).ref == "2.1"
    assert m1.id  # milestones deleted with their action elsewhere; still here


def test_plan_without_priorities_numbers_1_to_n(db, plan) -> None:
    with db.session() as s:
        pid = s.get(Partnership, plan.partnership_id).id
    other = svc.add_plan(db, pid, "Transformation Topic", "2019-21")
    for t in ("Set up data group", "Facilitate data group"):
        _add(db, other, t)
    assert [a.ref for a in svc.plan_tree(db, other.id).actions] == ["1", "2"]


def test_validation_messages_are_one_sentence(db, plan) -> None:
    with pytest.raises(ValidationError, match="Enter what the action is"):
        _add(db, plan, "  ")
    with pytest.raises(ValidationError, match="before the start date"):
        _add(db, plan, "X", start_date=dt.date(2020, 5, 1), due_date=dt.date(2020, 4, 1))
    with pytest.raises(ValidationError, match="cannot be negative"):
        _add(db, plan, "X", cost=Decimal("-1"))
    with pytest.raises(ValidationError, match="Q1, Q2, Q3 or Q4"):
        _add(db, plan, "X", quarter="Q5")


def test_stale_version_is_refused(db, plan) -> None:
    a = _add(db, plan, "Problem Solving Group")
    upd.set_status(db, a.id, "on_track")
    with pytest.raises(ConflictError, match="changed by someone else"):
        svc.update_action(db, a.id, svc.action_input(a), version=a.version)


def test_updates_keep_history_and_set_status(db, plan) -> None:
    a = _add(db, plan, "Hoarding project", due_date=dt.date(2020, 6, 30))
    upd.add_update(db, a.id, "Nothing to report", on=dt.date(2020, 1, 31))
    upd.add_update(db, a.id, "Countywide project being scoped", on=dt.date(2020, 2, 19),
                   status="at_risk")
    history = upd.list_updates(db, a.id)
    assert [h.text for h in history] == ["Countywide project being scoped", "Nothing to report"]
    row = svc.get_action(db, a.id)
    assert row.status == "at_risk" and row.rag == "amber"
    assert row.latest_update == "Countywide project being scoped"
    with pytest.raises(ValidationError, match="future"):
        upd.add_update(db, a.id, "Later", on=dt.date(2020, 3, 1))


def test_rag_override_needs_a_reason_and_is_marked(db, plan) -> None:
    a = _add(db, plan, "Event", status="on_track")
    with pytest.raises(ValidationError, match="reason"):
        upd.set_rag_override(db, a.id, "amber", "")
    row = upd.set_rag_override(db, a.id, "amber", "Venue not confirmed")
    assert (row.rag, row.overridden, row.rag_override_reason) == ("amber", True,
                                                                  "Venue not confirmed")
    row = upd.set_rag_override(db, a.id, None)
    assert (row.rag, row.overridden) == ("green", False)


def test_overdue_action_turns_red_the_day_after_due(db, plan) -> None:
    a = _add(db, plan, "Agree focus for action", due_date=dt.date(2020, 2, 27), status="on_track")
    clock.set_clock(dt.date(2020, 2, 27))
    assert svc.get_action(db, a.id).rag == "green"
    clock.set_clock(dt.date(2020, 2, 28))
    assert svc.get_action(db, a.id).rag == "red"


def test_close_quarter_and_status_change_show_direction(db, plan) -> None:
    a = _add(db, plan, "Produce toolkit", status="on_track", due_date=dt.date(2020, 8, 31))
    b = _add(db, plan, "Launch toolkit", status="at_risk", due_date=dt.date(2021, 3, 31))
    assert svc.get_action(db, a.id).direction is None
    info = snaps.close_quarter(db, plan.id)
    assert (info.quarter, info.actions) == ("2019/20 Q4", 2)
    with pytest.raises(ValidationError, match="already closed"):
        snaps.close_quarter(db, plan.id)
    assert svc.get_action(db, a.id).direction == "same"
    upd.set_status(db, a.id, "off_track")
    upd.set_status(db, b.id, "complete")
    assert svc.get_action(db, a.id).direction == "worse"
    assert svc.get_action(db, b.id).direction == "better"
    changes = {c.action.title: (c.before_rag, c.action.rag, c.direction)
               for c in snaps.changes_since_snapshot(db, plan.id)}
    assert changes == {"Produce toolkit": ("green", "red", "worse"),
                       "Launch toolkit": ("amber", "complete", "better")}
    assert [s.quarter for s in snaps.list_snapshots(db, plan.id)] == ["2019/20 Q4"]


def test_cost_is_exact_decimal(db, plan) -> None:
    _add(db, plan, "A", cost=Decimal("4750.00"))
    _add(db, plan, "B", cost=Decimal("0.10"))
    _add(db, plan, "C", cost=Decimal("0.20"))
    total = svc.plan_tree(db, plan.id).total_cost
    assert total == Decimal("4750.30") and isinstance(total, Decimal)


def test_partner_organisations_are_kept_on_add_and_edit(db, plan) -> None:
    from cspdesk.models import Organisation

    with db.session() as s:
        orgs = [Organisation(name="Cambridgeshire Constabulary"), Organisation(name="Sanctuary")]
        s.add_all(orgs)
        s.flush()
        police, rsl = (o.id for o in orgs)
    added = _add(db, plan, "Hate crime awareness", partner_ids=[police, rsl])
    assert set(svc.get_action(db, added.id).partners) == {"Cambridgeshire Constabulary",
                                                         "Sanctuary"}
    row = svc.get_action(db, added.id)
    svc.update_action(db, added.id, ActionInput(title=row.title, partner_ids=[rsl]), row.version)
    assert svc.get_action(db, added.id).partners == ("Sanctuary",)
