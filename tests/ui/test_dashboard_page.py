"""Dashboard page driven offscreen on the demo with its sample current year."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QGroupBox, QLabel

from cspdesk import clock
from cspdesk.services.current_demo import PARTNERSHIP, load_this_year
from cspdesk.services.partnerships import find_partnership
from cspdesk.ui.context import AppContext
from cspdesk.ui.dashboard_page import DashboardPage


@pytest.fixture
def page(demo_db, qtbot):
    clock.set_clock(dt.date(2026, 11, 30))
    load_this_year(demo_db, clock.today())
    widget = DashboardPage(AppContext(demo_db))
    qtbot.addWidget(widget)
    widget.refresh()
    yield widget
    clock.set_clock(None)


def _visible_cards(page: DashboardPage) -> list[str]:
    return [box.title() for box in page.body.findChildren(QGroupBox) if not box.isHidden()]


def test_switching_partnership_shows_only_the_new_cards(page, qtbot) -> None:
    assert len(_visible_cards(page)) == 4
    assert "South Cambridgeshire CSP Board: 17 Dec 2026" in page.line_texts("Next meetings")[-1]
    page.ctx.set_partnership(find_partnership(page.ctx.db, PARTNERSHIP).id)
    # before the old cards are deleted they must already be out of sight
    assert _visible_cards(page) == ["Next meetings", "Overdue actions",
                                    "ISA: reviews due and signatures outstanding",
                                    "Budget warnings"]
    assert page.line_texts("Budget warnings") == [
        "Lines allocate £9,600.00 from Pooled Fund in 2026/27 but only £4,100.00 is available "
        "(over by £5,500.00)."]


def test_an_overdue_line_opens_its_action(page, qtbot) -> None:
    opened: list[tuple[str, object]] = []
    page.ctx.open_requested.connect(lambda key, record: opened.append((key, record)))
    box = next(b for b in page.body.findChildren(QGroupBox) if b.title() == "Overdue actions")
    label = next(lb for lb in box.findChildren(QLabel)
                 if "Review CCTV coverage" in lb.accessibleName())
    label.linkActivated.emit("open")
    assert opened and opened[0][0] == "actions" and isinstance(opened[0][1], int)


def test_with_all_partnerships_a_budget_warning_names_and_opens_its_partnership(
        demo_db, qtbot, data_home) -> None:
    from cspdesk.ui.main_window import MainWindow

    clock.set_clock(dt.date(2026, 11, 30))
    try:
        load_this_year(demo_db, clock.today())
        window = MainWindow(AppContext(demo_db))
        qtbot.addWidget(window)
        window.ctx.set_partnership(None)
        window.open_page("dashboard")
        dashboard = window.current_page()
        assert dashboard.line_texts("Budget warnings") == [
            "South Cambs CSP: Lines allocate £9,600.00 from Pooled Fund in 2026/27 but only "
            "£4,100.00 is available (over by £5,500.00)."]
        box = next(b for b in dashboard.body.findChildren(QGroupBox)
                   if b.title() == "Budget warnings" and not b.isHidden())
        box.findChildren(QLabel)[0].linkActivated.emit("open")
        budget = window.current_page()
        assert budget.key == "budget"
        assert window.ctx.partnership_id == find_partnership(demo_db, PARTNERSHIP).id
        assert budget.year == 2026
    finally:
        clock.set_clock(None)
