"""The Action plans page driven offscreen with real widgets and a real demo database."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt

from cspdesk.services import action_points as ap
from cspdesk.services.action_updates import list_updates
from cspdesk.services.actions import get_action
from cspdesk.services.meetings import list_meetings
from cspdesk.services.partnerships import list_partnerships
from cspdesk.ui import action_commands as cmd
from cspdesk.ui import dialogs, messages
from cspdesk.ui.action_dialogs import PointDialog
from cspdesk.ui.actions_page import ActionsPage
from cspdesk.ui.actions_tree import RAG_COL, STATUS_COL, PlanTreeModel, RowRole
from cspdesk.ui.context import AppContext


@pytest.fixture
def page(qtbot, demo_db, fixed_today, data_home):  # type: ignore[no-untyped-def]
    ctx = AppContext(demo_db)
    ctx.partnership_id = next(p.id for p in list_partnerships(demo_db)
                              if p.name.startswith("South Cambridgeshire"))
    widget = ActionsPage(ctx)
    qtbot.addWidget(widget)
    widget.refresh()
    widget.plan_box.setCurrentIndex(
        widget.plan_box.findText("Transformation", Qt.MatchFlag.MatchStartsWith))
    return widget


def _index(page: ActionsPage, ref: str, col: int = 0):  # type: ignore[no-untyped-def]
    action = next(a for a in page.tree_data.actions if a.ref == ref)
    return page.model.index_of(action.id).siblingAtColumn(col)


def test_models_pass_the_model_tester(page, qtmodeltester) -> None:
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.points_model)
    page.select_action(next(a for a in page.tree_data.actions if a.ref == "5").id)
    qtmodeltester.check(page.history_model)
    empty = PlanTreeModel()
    qtmodeltester.check(empty)


def test_tree_shows_8_actions_milestones_and_total(page) -> None:
    model = page.model
    assert model.rowCount() == 8
    assert model.rowCount(_index(page, "5")) == 4
    assert "total cost £36,650.00" in page.summary.text()
    assert _index(page, "1", RAG_COL).data() == "Complete"
    assert _index(page, "7", STATUS_COL).data() == "Not started"


def test_inline_status_change_is_undoable(page) -> None:
    index = _index(page, "7", STATUS_COL)
    assert page.model.setData(index, "at_risk")
    assert _index(page, "7", STATUS_COL).data() == "At risk"
    assert _index(page, "7", RAG_COL).data() == "Amber"
    page.ctx.undo_stack.undo()
    assert _index(page, "7", STATUS_COL).data() == "Not started"
    page.ctx.undo_stack.redo()
    assert _index(page, "7", STATUS_COL).data() == "At risk"


def test_close_quarter_then_status_change_shows_the_arrow(page, monkeypatch) -> None:
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    cmd.close_quarter(page)
    assert "2019/20 Q4 closed" in page.status.text()
    assert _index(page, "6", 6).data() == "► same"
    page.model.setData(_index(page, "6", STATUS_COL), "off_track")
    assert _index(page, "6", 6).data() == "▼ worse"
    page.model.setData(_index(page, "7", STATUS_COL), "complete")
    assert _index(page, "7", 6).data() == "▲ better"


def test_filters_by_rag_lead_and_search(page, qtbot) -> None:
    page.model.setData(_index(page, "7", STATUS_COL), "at_risk")
    page.rag_box.setCurrentIndex(page.rag_box.findData("amber"))
    assert page.model.rowCount() == 1
    assert page.model.index(0, 1).data() == "Develop support package"
    page.rag_box.setCurrentIndex(0)
    page.lead_box.setCurrentIndex(page.lead_box.findData("Leigh Roberts"))
    assert page.model.rowCount() == 3
    page.lead_box.setCurrentIndex(0)
    qtbot.keyClicks(page.search_box, "toolkit")
    refs = {page.model.index(r, 0).data() for r in range(page.model.rowCount())}
    assert refs == {"5", "6", "8"}


def test_action_points_tab_and_dashboard_link(page) -> None:
    page.point_status.setCurrentIndex(page.point_status.findData(None))
    assert [r.ref for r in page.points_model.rows()] == ["10/01", "10/02"]
    point = page.points_model.rows()[0]
    page.open_record(-point.id)
    assert page.tabs.currentIndex() == 1
    assert page.current_point().ref == "10/01"
    action = next(a for a in page.tree_data.actions if a.ref == "4")
    page.open_record(action.id)
    assert page.tabs.currentIndex() == 0 and page.current_action().ref == "4"


def test_export_plan_pdf_runs_with_progress(page, qtbot, tmp_path, monkeypatch) -> None:
    out = tmp_path / "plan.pdf"
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a, **k: out)
    cmd.export_kind(page, "plan")
    qtbot.waitUntil(lambda: "Exported" in page.status.text(), timeout=15000)
    assert "Transformation Topic Action Plan" in PdfReader(str(out)).pages[0].extract_text()


def test_template_round_trip_through_the_page(page, qtbot, tmp_path, monkeypatch) -> None:
    out = tmp_path / "kh.xlsx"
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a, **k: out)
    cmd.export_kind(page, "template", lead="Kathryn Hawkes")
    qtbot.waitUntil(lambda: "Exported" in page.status.text(), timeout=15000)
    wb = load_workbook(out)
    ws = wb["Updates"]
    filled = []
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 2).value.startswith("Transformation") and ws.cell(r, 3).value in ("5", "6"):
            ws.cell(r, 8).value = f"Progress on {ws.cell(r, 3).value}, Feb 2020"
            filled.append(ws.cell(r, 3).value)
    wb.save(out)
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    cmd.import_updates(page, out)
    assert "Imported 2 updates" in page.status.text()
    five = next(a for a in page.tree_data.actions if a.ref == "5")
    assert list_updates(page.ctx.db, five.id)[0].text == "Progress on 5, Feb 2020"
    page.select_action(five.id)
    assert page.history_model.rows()[0].date == dt.date(2020, 2, 20)
    assert get_action(page.ctx.db, five.id).latest_update == "Progress on 5, Feb 2020"


def test_refused_import_shows_the_row(page, tmp_path, monkeypatch) -> None:
    from cspdesk.services.action_updates_xlsx import export_template

    out = export_template(page.ctx.db, "Paul Rogerson", tmp_path / "pr.xlsx")
    wb = load_workbook(out)
    ws = wb["Updates"]
    ws.cell(2, 3).value = "99"
    ws.cell(2, 8).value = "x"
    wb.save(out)
    shown = []
    monkeypatch.setattr(messages, "show_error", lambda parent, exc: shown.append(exc.message))
    cmd.import_updates(page, out)
    assert shown and "Row 2: ref '99'" in shown[0] and "Nothing was imported" in shown[0]


def test_row_role_gives_the_dataclass(page) -> None:
    assert page.model.data(_index(page, "3"), RowRole).title.startswith("Report on findings")


def _press_ok(monkeypatch, fill) -> list:  # type: ignore[no-untyped-def]
    """Run the real PointDialog: fill its widgets, press OK; return the dialogs shown."""
    shown = []

    def fake_exec(self):  # type: ignore[no-untyped-def]
        shown.append(self)
        fill(self)
        self.accept()
        return self.result()
    monkeypatch.setattr(PointDialog, "exec", fake_exec)
    return shown


def _items(box) -> list[str]:  # type: ignore[no-untyped-def]
    return [box.itemText(i) for i in range(box.count())]


def test_log_shows_board_and_item_columns(page) -> None:
    page.point_status.setCurrentIndex(page.point_status.findData(None))
    model = page.points_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:5] == ["Ref", "Board", "Meeting", "Item", "Action point"]
    assert model.index(0, 1).data() == "South Cambridgeshire CSP Board"
    assert model.index(0, 3).data() == "4  Community Safety Partnership Development"
    assert page.points_view.isColumnHidden(1)   # one board only: its name adds nothing
    page.ctx.partnership_id = None
    page.refresh()
    assert not page.points_view.isColumnHidden(1)
    row = model.find_row(lambda p: p.board.startswith("Cambridge Community"))
    assert model.index(row, 3).data() == "Minute 5.1.3"   # no item link: the minute number


def test_new_point_dialog_offers_the_meetings_items_and_links(page, monkeypatch) -> None:
    meeting = next(m for m in list_meetings(page.ctx.db, page.ctx.partnership_id)
                   if m.date == dt.date(2020, 2, 27))

    def fill(d: PointDialog) -> None:
        assert _items(d.item) == ["(none)"] + [label for _i, label in
                                              ap.agenda_item_choices(page.ctx.db,
                                                                     d.meeting.currentData())]
        d.meeting.setCurrentIndex(d.meeting.findData(meeting.id))
        assert d.item.currentText() == "(none)"   # the meeting changed: its own items
        assert d.item.itemText(7) == "7  Budget 2020-21"
        d.item.setCurrentIndex(7)
        d.text.setPlainText("Circulate the budget breakdown")

    _press_ok(monkeypatch, fill)
    page.tabs.setCurrentIndex(1)
    cmd.new_point(page)
    page.point_status.setCurrentIndex(page.point_status.findData(None))
    row = page.points_model.find_row(lambda p: p.text == "Circulate the budget breakdown")
    assert page.points_model.index(row, 3).data() == "7  Budget 2020-21"
    page.ctx.undo_stack.undo()
    assert page.points_model.find_row(lambda p: p.text == "Circulate the budget breakdown") < 0


def test_edit_point_changes_its_item_and_undo_restores_it(page, monkeypatch) -> None:
    page.tabs.setCurrentIndex(1)
    page.point_status.setCurrentIndex(page.point_status.findData(None))
    page.points_view.selectRow(0)
    point = page.current_point()
    assert point.ref == "10/01" and point.agenda_item.startswith("Community Safety")

    def fill(d: PointDialog) -> None:
        assert not d.meeting.isEnabled()
        assert d.item.currentText() == "4  Community Safety Partnership Development"
        d.item.setCurrentIndex(d.item.findText("5  Finance"))

    _press_ok(monkeypatch, fill)
    cmd.edit_point(page)
    assert ap.get_point(page.ctx.db, point.id).item_text == "5  Finance"
    page.ctx.undo_stack.undo()
    assert ap.get_point(page.ctx.db, point.id).item_text == point.item_text
    page.ctx.undo_stack.redo()
    assert ap.get_point(page.ctx.db, point.id).item_text == "5  Finance"


def test_search_box_stays_in_view_on_a_narrow_window(page) -> None:
    """At laptop widths the last buttons fold into the bar's » menu; the search box does not."""
    toolbar = page.toolbar
    toolbar.resize(700, toolbar.sizeHint().height())
    toolbar.layout().activate()
    search = toolbar.search
    assert not toolbar.bar.isAncestorOf(search)
    assert search.geometry().right() < 700 and search.width() >= 200
    assert toolbar.bar.width() < toolbar.bar.sizeHint().width()  # the buttons do fold
