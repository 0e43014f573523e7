"""The Budget page, driven offscreen: year view, forms, undo, ledger, export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from cspdesk import clock
from cspdesk.services import action_budget, actions
from cspdesk.services.budget_figures import year_figures
from cspdesk.services.partnerships import find_partnership
from cspdesk.ui import dialogs, messages
from cspdesk.ui.budget_dialogs import EntryDialog, LineDialog, StreamYearDialog
from cspdesk.ui.budget_page import BudgetPage
from cspdesk.ui.context import AppContext


@pytest.fixture
def page(qtbot, demo_db, fixed_today):
    ctx = AppContext(demo_db)
    p = BudgetPage(ctx)
    qtbot.addWidget(p)
    p.year = 2018
    ctx.set_partnership(find_partnership(demo_db, "South Cambs CSP").id)
    return p


def _run_dialog(monkeypatch, cls, fill) -> None:
    """Fill the next dialog of ``cls`` instead of showing it, then press OK."""
    def exec_(self) -> int:
        fill(self)
        self.accept()
        return int(self.result())

    monkeypatch.setattr(cls, "exec", exec_)


def test_year_view_shows_computed_figures(page, qtmodeltester) -> None:
    assert "Available £44,113.94" in page.summary.text()
    assert "spent £28,220.00" in page.summary.text()
    assert "OPCC £10,000.00" in page.totals.text()
    assert "£4,130.00 of OPCC grant unspent in 2018/19" in page.warnings.text()
    for model in (page.stream_model, page.lines_model, page.entry_model, page.year_model):
        qtmodeltester.check(model)
    page.lines_view.selectRow(0)
    assert page.entry_model.rowCount() == 2
    assert page.entry_model.data(page.entry_model.index(1, 2)) == "-£2,950.00"
    qtmodeltester.check(page.entry_model)
    assert page.year_model.rowCount() == 4


def test_new_line_via_form_then_undo_and_redo(page, monkeypatch) -> None:
    def fill(d: LineDialog) -> None:
        d.item.setText("Knife crime workshop")
        list(d.amounts.values())[1].setText("£1,250.50")

    _run_dialog(monkeypatch, LineDialog, fill)
    page.new_line()
    assert page.lines_model.rowCount() == 7
    assert "allocated £32,765.50" in page.summary.text()
    page.ctx.undo_stack.undo()
    assert page.lines_model.rowCount() == 6
    page.ctx.undo_stack.redo()
    assert page.lines_model.rowCount() == 7


def test_form_shows_one_sentence_and_stays_open(page, qtbot) -> None:
    dialog = LineDialog(2018, [], lambda data: page.edits.add_line(page.ctx.partnership_id, data),
                        parent=page)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.error.text() == "Enter the budget line's item."
    assert not dialog.isHidden() or dialog.result() == 0


def test_edit_transaction_changes_totals_next_year_and_undo(page, monkeypatch) -> None:
    dhr_row = page.lines_model.find_row(lambda r: r.line.item == "Domestic Homicide Review 2")
    page.lines_view.selectRow(page.lines_proxy.mapFromSource(
        page.lines_model.index(dhr_row, 0)).row())
    page.entry_view.selectRow(0)
    _run_dialog(monkeypatch, EntryDialog, lambda d: d.amount.setText("9000"))
    page.edit_entry()
    assert "spent £27,220.00" in page.summary.text()
    pid = page.ctx.partnership_id
    assert year_figures(page.ctx.db, pid, 2019).stream("Pooled").opening == Decimal("12763.94")
    page.ctx.undo_stack.undo()
    assert "spent £28,220.00" in page.summary.text()


def test_delete_line_asks_and_undo_restores_ledger(page, monkeypatch) -> None:
    monkeypatch.setattr(messages, "confirm", lambda parent, q: True)
    page.lines_view.selectRow(0)
    page.delete_line()
    assert page.lines_model.rowCount() == 5
    page.ctx.undo_stack.undo()
    assert page.lines_model.rowCount() == 6
    assert "spent £28,220.00" in page.summary.text()


def test_recording_rollover_permission_clears_the_warning(page, monkeypatch) -> None:
    page.stream_view.selectRow(0)

    def fill(d: StreamYearDialog) -> None:
        d.permitted.setChecked(True)

    _run_dialog(monkeypatch, StreamYearDialog, fill)
    page.edit_funding()
    assert "rolls over into 2019/20" not in page.warnings.text()
    page.ctx.undo_stack.undo()
    assert "rolls over into 2019/20" in page.warnings.text()


def test_export_spending_plan_in_background(page, qtbot, monkeypatch, tmp_path) -> None:
    out = tmp_path / "plan.pdf"
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a, **k: out)
    from cspdesk.ui.budget_export import export_pdf

    export_pdf(page, "spending-plan")
    qtbot.waitUntil(lambda: getattr(page, "last_export", None) is not None, timeout=20000)
    text = " ".join(p.extract_text() for p in PdfReader(Path(out)).pages)
    assert "44,113.94" in text


def test_open_record_from_dashboard_goes_to_the_year(page) -> None:
    page.open_record(2020)
    assert page.year_box.currentText() == "2020/21"
    assert "Available £52,543.94" in page.summary.text()


def test_all_partnerships_offers_a_link_to_each_budget(page) -> None:
    page.ctx.set_partnership(None)
    page.refresh()
    text = page.summary.text()
    assert "Each partnership keeps its own budget" in text
    assert page.lines_model.rowCount() == 0
    south = find_partnership(page.ctx.db, "South Cambs CSP")
    page.summary.linkActivated.emit(str(south.id))
    assert page.ctx.partnership_id == south.id
    page.refresh()
    assert "Available £44,113.94" in page.summary.text()


def test_opens_on_the_latest_recorded_year_when_this_year_is_empty(qtbot, demo_db,
                                                                     fixed_today) -> None:
    clock.set_clock(dt.datetime(2026, 11, 30, 9, 0))
    ctx = AppContext(demo_db)
    p = BudgetPage(ctx)
    qtbot.addWidget(p)
    ctx.set_partnership(find_partnership(demo_db, "South Cambs CSP").id)
    p.refresh()
    latest = max(p.history)
    assert p.year == latest
    assert p.lines_model.rowCount() > 0
    p.set_year(latest + 1)
    assert p.year == latest + 1 and p.lines_model.rowCount() == 0


def _select_item(page, item: str) -> None:
    row = page.lines_model.find_row(lambda r: r.line.item == item)
    page.lines_view.selectRow(page.lines_proxy.mapFromSource(
        page.lines_model.index(row, 0)).row())


def test_chosen_line_shows_the_actions_it_pays_for_and_opens_one(page, qtbot) -> None:
    page.open_record(2020)
    _select_item(page, "OPCC Transformation Project")
    text = page.pays_for.text()
    assert page.pays_for.isVisibleTo(page)
    assert "Pays for:" in text
    assert "5 Collect, assess and pilot case studies" in text
    assert text.count("Transformation Topic Action Plan 2019-21") == 1  # grouped by plan
    assert text.count("<a href") == 4
    ids = [a.id for a in action_budget.line_actions(page.ctx.db, page.current_line().id)]
    assert [a.ref for a in action_budget.line_actions(page.ctx.db, page.current_line().id)] == [
        "5", "6", "7", "8"]
    with qtbot.waitSignal(page.ctx.open_requested) as blocker:
        page.pays_for.linkActivated.emit(str(ids[0]))
    assert blocker.args == ["actions", ids[0]]
    _select_item(page, "Domestic Homicide Review Reserve")
    assert "Pays for no action-plan action" in page.pays_for.text()


def test_edit_line_links_and_unlinks_actions_with_undo(page, monkeypatch) -> None:
    page.open_record(2020)
    _select_item(page, "OPCC Transformation Project")
    line_id = page.current_line().id
    db = page.ctx.db
    pid = page.ctx.partnership_id
    choices = {a.ref + " " + a.plan_title: a for a in action_budget.action_choices(db, pid)}
    five = choices["5 Transformation Topic Action Plan"]
    event = next(a for a in choices.values() if a.plan_title == "Operational Action Plan")
    hoarding = next(r.id for r in page.lines_model.rows()
                    if r.line.item.startswith("OPCC Hoarding"))
    data = actions.action_input(actions.get_action(db, event.id))
    data.budget_line_id = hoarding  # paid from another line: ticking it moves it here
    actions.update_action(db, event.id, data)

    def fill(d: LineDialog) -> None:
        assert d.actions is not None
        for i in range(d.actions.count()):
            item = d.actions.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == five.id:
                assert item.checkState() == Qt.CheckState.Checked
                item.setCheckState(Qt.CheckState.Unchecked)
            if item.data(Qt.ItemDataRole.UserRole) == event.id:
                assert "[paid from" in item.text()
                item.setCheckState(Qt.CheckState.Checked)
        d.action_filter.setText("toolkit")  # hides the others; their ticks still count
        items = [d.actions.item(i) for i in range(d.actions.count())]
        shown = [i for i in items if not i.isHidden()]
        assert shown[0].text() == "Transformation Topic Action Plan 2019-21"  # its plan heading
        assert all("toolkit" in i.toolTip().casefold() for i in shown[1:])
        assert len(shown) < len(items)

    _run_dialog(monkeypatch, LineDialog, fill)
    page.edit_line()

    def link(action_id: int) -> int | None:
        return actions.get_action(db, action_id).budget_line_id

    assert (link(five.id), link(event.id)) == (None, line_id)
    assert "Operational Action Plan 2020-21: " in page.pays_for.text()
    assert "5 Collect" not in page.pays_for.text()
    page.ctx.undo_stack.undo()
    assert (link(five.id), link(event.id)) == (line_id, hoarding)
    page.ctx.undo_stack.redo()
    assert (link(five.id), link(event.id)) == (None, line_id)


def test_new_line_form_has_no_action_list(page, qtbot) -> None:
    dialog = LineDialog(2018, [], lambda data: None, parent=page)
    qtbot.addWidget(dialog)
    assert dialog.actions is None and dialog.action_ids() is None
