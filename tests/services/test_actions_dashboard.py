"""Dashboard: overdue plan actions and action points, and 'My actions'."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from cspdesk.models import Meeting, Person
from cspdesk.services import action_points as ap
from cspdesk.services.actions_dashboard import dashboard_lines, set_my_person_id
from cspdesk.services.dashboard import dashboard_lines as all_lines


def test_overdue_plan_actions_and_points_feed_the_dashboard(demo_db, fixed_today) -> None:
    with demo_db.session() as s:
        oct19 = s.scalar(select(Meeting.id).where(Meeting.date == dt.date(2019, 10, 1)))
        gemma = s.scalar(select(Person.id).where(Person.name == "Gemma Barron"))
    ap.update_point(demo_db, ap.list_points(demo_db, meeting_id=oct19)[0].id,
                    "GB to create a public, plain English version of the document for publication.",
                    [gemma], dt.date(2019, 12, 31))
    lines = dashboard_lines(demo_db, None, fixed_today)
    texts = [x.text for x in lines]
    assert any(t.startswith("4b Define project") for t in texts)  # slipped hoarding milestone
    assert any("Action point 10/01" in t and "Gemma Barron" in t for t in texts)
    assert all(x.card == "Overdue actions" and x.page == "actions" for x in lines)
    assert not any("My actions" in t for t in texts)
    assert "Overdue actions" in all_lines(demo_db, None, fixed_today)


def test_my_actions_line_for_the_chosen_person(demo_db, fixed_today) -> None:
    with demo_db.session() as s:
        kathryn = s.scalar(select(Person.id).where(Person.name == "Kathryn Hawkes"))
    set_my_person_id(demo_db, kathryn)
    mine = [x for x in dashboard_lines(demo_db, None, fixed_today) if "My actions" in x.text]
    assert len(mine) == 1 and "plan actions" in mine[0].text
    set_my_person_id(demo_db, None)
    assert not any("My actions" in x.text for x in dashboard_lines(demo_db, None, fixed_today))


def test_actions_left_open_in_long_ended_plans_are_counted_not_listed(demo_db) -> None:
    lines = dashboard_lines(demo_db, None, dt.date(2026, 11, 30))
    assert [(x.severity, x.text) for x in lines] == [(
        "info", "Not listed: 31 actions left open in plans that ended more than a year ago "
                "(close or carry them forward on Action plans)")]
    # a year after the 2020-21 plan ended it was still chased line by line
    lines = dashboard_lines(demo_db, None, dt.date(2022, 3, 1))
    assert any(x.severity == "overdue" and x.text.startswith("4b Define project") for x in lines)
