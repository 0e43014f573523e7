"""The Budget page, driven offscreen: year view, forms, undo, ledger, export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from cspdesk import clock
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
