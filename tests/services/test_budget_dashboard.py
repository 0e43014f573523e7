"""The Dashboard's "Budget warnings" card lists the budget's warnings and opens the budget."""

from __future__ import annotations

from cspdesk.services.dashboard import dashboard_lines
from cspdesk.services.partnerships import find_partnership


def test_budget_warnings_card(demo_db, fixed_today) -> None:
    pid = find_partnership(demo_db, "South Cambs CSP").id
    lines = dashboard_lines(demo_db, pid, fixed_today)["Budget warnings"]
    assert [line.text[:45] for line in lines] == [
        "£4,130.00 of OPCC grant unspent in 2018/19 ro",
        "£4,130.00 of OPCC grant unspent in 2019/20 ro",
    ]
    assert all(line.page == "budget" and line.severity == "warning" for line in lines)
    cam = find_partnership(demo_db, "Cambridge CSP").id
    assert dashboard_lines(demo_db, cam, fixed_today)["Budget warnings"] == []
