"""Paper deadlines (working days over England & Wales bank holidays) and the Dashboard line."""

from __future__ import annotations

import datetime as dt

from cspdesk.services.deadlines import meeting_deadline, publication_deadline
from cspdesk.services.meetings_dashboard import dashboard_lines
from cspdesk.services.packs import find_meeting


def test_thursday_27_feb_2020_deadline_is_thursday_20_feb(fixed_today):
    assert publication_deadline(dt.date(2020, 2, 27), 5) == dt.date(2020, 2, 20)


def test_window_over_christmas_skips_25_and_26_december():
    # Mon 4 Jan 2021: back over Fri 1 Jan (New Year), 28 Dec (substitute Boxing Day),
    # 25 Dec (Christmas) and the weekend
    assert publication_deadline(dt.date(2021, 1, 4), 5) == dt.date(2020, 12, 23)
    # Thu 2 Jan 2020: 31, 30, 27 Dec count; 1 Jan, 26 and 25 Dec and the weekend do not
    assert publication_deadline(dt.date(2020, 1, 2), 4) == dt.date(2019, 12, 24)
    assert publication_deadline(dt.date(2020, 1, 2), 5) == dt.date(2019, 12, 23)
    # countywide board: 8 working days
    assert publication_deadline(dt.date(2018, 10, 11), 8) == dt.date(2018, 10, 1)


def test_demo_meeting_deadline_and_late_paper(demo_db, fixed_today):
    d = meeting_deadline(demo_db, find_meeting(demo_db, dt.date(2020, 2, 27)))
    assert d.deadline == dt.date(2020, 2, 20) and d.missing == ()
    assert d.late == ("Item 7: CDRP spending plans 2018/19, 2019/20 and CSP Budget 2020/21 "
                      "(received 24 Feb 2020)",)


def test_dashboard_shows_deadline_and_missing_papers(demo_db, fixed_today):
    from cspdesk.services import agenda
    from cspdesk.services.agenda import ItemInput

    mid = find_meeting(demo_db, dt.date(2020, 2, 27))
    agenda.add_item(demo_db, mid, ItemInput(title="Hate crime report", duration=5))
    lines = [line for line in dashboard_lines(demo_db, None, fixed_today)
             if line.record_id == mid]
    assert len(lines) == 1
    assert "27 Feb 2020, 10:00 · papers due 20 Feb 2020" in lines[0].text
    assert "1 missing (Item 10: Hate crime report)" in lines[0].text
    assert lines[0].severity == "warning" and lines[0].page == "meetings"
