"""Boards & members tab: new partnership, board rules, members with roles and dates, undo."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt

from cspdesk.services.partnerships import find_partnership, list_partnerships
from cspdesk.ui import messages
from cspdesk.ui.board_dialogs import BoardDialog, MembershipDialog, PartnershipDialog
from cspdesk.ui.context import AppContext
from cspdesk.ui.main_window import MainWindow
from cspdesk.ui.people_page import PeoplePage
from tests.ui.helpers import drive

SOUTH_CAMBS = "South Cambridgeshire Community Safety Partnership"


@pytest.fixture
def panel(demo_db, qtbot, data_home, fixed_today):
    ctx = AppContext(demo_db)
    ctx.set_partnership(find_partnership(demo_db, SOUTH_CAMBS).id)
    page = PeoplePage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    page.tabs.setCurrentIndex(2)
    return page.boards


def names(panel) -> list[str]:
    return [panel.proxy.data(panel.proxy.index(r, 0)) for r in range(panel.proxy.rowCount())]


def test_members_of_the_board_and_the_model_tester(panel, qtmodeltester) -> None:
    qtmodeltester.check(panel.model)
    assert panel.board_box.currentText() == "South Cambridgeshire CSP Board"
    assert "Anna Bradnam" in names(panel)
    assert "Meets 10:00" in panel.rules.text()
    assert "papers due 5 working days before" in panel.rules.text()
    panel.view.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # From: mixes dates and blanks
    assert names(panel)[0] == "Ryan Stacey"
    assert panel.view.columnWidth(1) <= 320  # long organisation names elide, with a tooltip


def test_new_partnership_appears_in_the_switcher_and_undo_removes_it(
        demo_db, qtbot, data_home, monkeypatch) -> None:
    window = MainWindow(AppContext(demo_db))
    qtbot.addWidget(window)
    window.open_page("people")
    page = window.pages["people"]
    page.tabs.setCurrentIndex(2)

    def fill(d: PartnershipDialog) -> None:
        d.pname.setText("East Cambridgeshire Community Safety Partnership")
        d.board.name.setText("East Cambs CSP Board")
        d.board.venue.setText("The Grange, Ely")
        d.board.fraction.setText("1/3")
    drive(monkeypatch, PartnershipDialog, fill)
    page.boards.new_partnership()
    assert window.switcher.findText("East Cambridgeshire Community Safety Partnership") >= 0
    assert window.switcher.currentText() == "East Cambridgeshire Community Safety Partnership"
    assert page.boards.board_box.currentText() == "East Cambs CSP Board"
    assert "The Grange, Ely" in page.boards.rules.text()
    window.ctx.undo_stack.undo()
    assert "East Cambridgeshire Community Safety Partnership" not in [
        p.name for p in list_partnerships(demo_db)]
    assert window.switcher.findText("East Cambridgeshire Community Safety Partnership") == -1


def test_a_bad_quorum_keeps_the_board_form_open(panel, monkeypatch) -> None:
    errors: list[str] = []

    def fake_exec(self):  # type: ignore[no-untyped-def]
        self.board.fraction.setText("a third")
        self.buttons.accepted.emit()
        errors.append(self.error.text())
        return 0
    monkeypatch.setattr(BoardDialog, "exec", fake_exec)
    panel.edit_board()
    assert errors == ["Write the quorum fraction as '1/3' or '50%'."]


def test_rename_a_board_keeps_the_old_name_and_undo(panel, monkeypatch) -> None:
    drive(monkeypatch, BoardDialog,
          lambda d: d.board.name.setText("South Cambridgeshire CSP Strategic Board"))
    panel.edit_board()
    board = panel.current_board()
    assert board.name == "South Cambridgeshire CSP Strategic Board"
    assert board.former_names[-1] == ("South Cambridgeshire CSP Board", dt.date(2020, 2, 19))
    panel.ctx.undo_stack.undo()
    board = panel.current_board()
    assert board.name == "South Cambridgeshire CSP Board"
    assert ("South Cambridgeshire CSP Board", dt.date(2020, 2, 19)) not in board.former_names


def test_add_a_member_then_end_the_membership(panel, monkeypatch) -> None:
    def add(d: MembershipDialog) -> None:
        d.person.setCurrentIndex(d.person.findText("Chris Parker", flags=_contains()))
        d.category.setCurrentIndex(d.category.findData("guest"))
    drive(monkeypatch, MembershipDialog, add)
    before = names(panel).count("Chris Parker")
    panel.current_only.setChecked(False)
    before_all = names(panel).count("Chris Parker")
    panel.current_only.setChecked(True)
    panel.add_member()
    assert names(panel).count("Chris Parker") == before + 1

    guest = next(r for r in panel.model.rows()
                 if r.person == "Chris Parker" and r.category == "guest")
    panel.view.selectRow(panel.proxy.mapFromSource(
        panel.model.index(panel.model.find_row(lambda r: r.id == guest.id), 0)).row())
    drive(monkeypatch, MembershipDialog, lambda d: d.end.setDate(QDate(2020, 1, 31)))
    panel.edit_member()
    assert names(panel).count("Chris Parker") == before  # ended: not a current member
    panel.current_only.setChecked(False)
    assert names(panel).count("Chris Parker") == before_all + 1
    panel.ctx.undo_stack.undo()
    panel.current_only.setChecked(True)
    assert names(panel).count("Chris Parker") == before + 1


def test_remove_member_asks_first(panel, monkeypatch) -> None:
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: False)
    panel.view.selectRow(0)
    count = panel.model.rowCount()
    panel.remove_member()
    assert panel.model.rowCount() == count
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: True)
    panel.remove_member()
    assert panel.model.rowCount() == count - 1
    panel.ctx.undo_stack.undo()
    assert panel.model.rowCount() == count


def _contains():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MatchFlag.MatchStartsWith
