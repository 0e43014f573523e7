"""Budget page funding block, driven offscreen: streams, grant income, opening balance
overrides and opening a new financial year, each undoable, with the figures on screen."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cspdesk.services.budget import StreamYearInput
from cspdesk.services.budget_figures import year_figures
from cspdesk.services.partnerships import find_partnership
from cspdesk.ui import messages
from cspdesk.ui.budget_dialogs import GrantDialog, StreamYearDialog
from cspdesk.ui.budget_funding import GrantsDialog, StreamDialog
from cspdesk.ui.budget_page import BudgetPage
from cspdesk.ui.context import AppContext


@pytest.fixture
def page(qtbot, demo_db, fixed_today):
    ctx = AppContext(demo_db)
    p = BudgetPage(ctx)
    qtbot.addWidget(p)
    p.year = 2020
    ctx.set_partnership(find_partnership(demo_db, "South Cambs CSP").id)
    return p


def _fill_next(monkeypatch, cls, fill) -> None:
    """Fill the next dialog of ``cls`` instead of showing it, then press OK."""
    def exec_(self) -> int:
        fill(self)
        self.accept()
        return int(self.result())

    monkeypatch.setattr(cls, "exec", exec_)


def _stream_names(page: BudgetPage) -> list[str]:
    m = page.stream_model
    return [m.data(m.index(r, 0)) for r in range(m.rowCount())]


def _select_stream(page: BudgetPage, name: str) -> None:
    page.stream_view.selectRow(_stream_names(page).index(name))


def test_new_stream_rename_and_undo(page, monkeypatch, qtbot, qtmodeltester) -> None:
    blank = StreamDialog(lambda data: page.edits.add_stream(page.ctx.partnership_id, data, 2020),
                         parent=page)
    qtbot.addWidget(blank)
    blank.accept()
    assert blank.error.text() == "Enter the funding stream's name."

    def fill(d: StreamDialog) -> None:
        d.kind.setCurrentIndex(d.kind.findData("csf"))  # fills the name and permission
        d.short_name.setText("CSF")

    _fill_next(monkeypatch, StreamDialog, fill)
    page.new_stream()
    assert _stream_names(page) == ["OPCC grant", "Pooled Fund", "Community Safety Fund"]
    qtmodeltester.check(page.stream_model)

    _select_stream(page, "Community Safety Fund")
    _fill_next(monkeypatch, StreamDialog, lambda d: d.name.setText("Safer Streets Fund"))
    page.edit_stream()
    assert "Safer Streets Fund" in _stream_names(page)
    page.ctx.undo_stack.undo()
    assert "Community Safety Fund" in _stream_names(page)
    page.ctx.undo_stack.undo()
    assert _stream_names(page) == ["OPCC grant", "Pooled Fund"]


def test_duplicate_stream_name_is_refused_in_one_sentence(page, qtbot) -> None:
    dialog = StreamDialog(lambda data: page.edits.add_stream(page.ctx.partnership_id, data, 2020),
                          parent=page)
    qtbot.addWidget(dialog)
    dialog.name.setText("pooled fund")
    dialog.accept()
    assert dialog.error.text() == "There is already a funding stream called pooled fund."
    assert page.ctx.undo_stack.count() == 0


def test_delete_stream_in_use_is_refused_and_unused_one_comes_back(page, monkeypatch) -> None:
    errors: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, exc: errors.append(str(exc)))
    monkeypatch.setattr(messages, "confirm", lambda parent, q: True)
    _select_stream(page, "Pooled Fund")
    page.delete_stream()
    assert errors == ["Pooled Fund cannot be deleted: budget lines or transactions use it. "
                      "Move them to another stream first."]
    _fill_next(monkeypatch, StreamDialog, lambda d: d.name.setText("Youth fund"))
    page.new_stream()
    _select_stream(page, "Youth fund")
    page.delete_stream()
    assert "Youth fund" not in _stream_names(page)
    page.ctx.undo_stack.undo()
    assert "Youth fund" in _stream_names(page)


def test_grant_income_add_edit_delete_updates_available(page, monkeypatch, qtbot,
                                                        qtmodeltester) -> None:
    assert "Available £52,543.94" in page.summary.text()
    _select_stream(page, "Pooled Fund")
    dialog = GrantsDialog(page.edits, page.ctx.partnership_id, page.current_stream().stream,
                          2020, page._streams(), page)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0
    assert "available £11,763.94" in dialog.figures.text()

    def add(d: GrantDialog) -> None:
        d.source.setText("District council contribution")
        d.amount.setText("£2,500.00")
        d.status.setCurrentIndex(d.status.findData("agreed"))
        d.dated.setChecked(True)

    _fill_next(monkeypatch, GrantDialog, add)
    dialog.add_grant()
    qtmodeltester.check(dialog.model)
    assert dialog.model.data(dialog.model.index(0, 2)) == "Agreed"
    assert "available £14,263.94" in dialog.figures.text()
    assert "Available £55,043.94" in page.summary.text()

    dialog.view.selectRow(0)
    _fill_next(monkeypatch, GrantDialog,
               lambda d: d.status.setCurrentIndex(d.status.findData("tbc")))
    dialog.edit_grant()
    assert dialog.model.data(dialog.model.index(0, 2)) == "TBC"
    assert "TBC (not counted) £2,500.00" in dialog.figures.text()
    assert "Available £52,543.94" in page.summary.text()
    assert "£2,500.00 of Pooled Fund income for 2020/21 is still TBC" in page.warnings.text()

    monkeypatch.setattr(messages, "confirm", lambda parent, q: True)
    dialog.view.selectRow(0)
    dialog.delete_grant()
    assert dialog.model.rowCount() == 0
    page.ctx.undo_stack.undo()
    dialog.reload()
    assert dialog.model.rowCount() == 1


def test_grant_without_amount_stays_open_with_message(page, qtbot) -> None:
    dialog = GrantDialog(2020, page._streams(), page.edits.add_grant, parent=page)
    qtbot.addWidget(dialog)
    dialog.source.setText("OPCC")
    dialog.amount.setText("twelve pounds")
    dialog.accept()
    assert dialog.error.text() == ("The grant amount 'twelve pounds' is not an amount of money, "
                                   "e.g. £1,250.00.")
    assert not dialog.date.isEnabled()


def test_opening_override_needs_reason_and_is_shown(page, monkeypatch, qtbot) -> None:
    _select_stream(page, "Pooled Fund")
    stream = page.current_stream()
    dialog = StreamYearDialog(stream.stream, 2020, stream.computed_opening,
                              StreamYearInput(),
                              lambda data: page.edits.set_stream_year(
                                  stream.stream, 2020, StreamYearInput(), data), page)
    qtbot.addWidget(dialog)
    dialog.override.setChecked(True)
    dialog.opening.setText("£10,000.00")
    dialog.accept()
    assert dialog.error.text() == "Give the reason for entering the opening balance by hand."
    dialog.reason.setText("Audited outturn differs from the pack")
    dialog.accept()
    assert dialog.result() == 1
    row = _stream_names(page).index("Pooled Fund")
    shown = page.stream_model.data(page.stream_model.index(row, 1))
    assert shown == "£10,000.00 (entered)"
    assert "Available £50,780.00" in page.summary.text()
    assert "entered by hand as £10,000.00" in page.warnings.text()
    page.ctx.undo_stack.undo()
    assert "Available £52,543.94" in page.summary.text()


def test_open_next_year_carries_closing_balances_forward(page) -> None:
    page.open_next_year()
    assert page.year == 2021
    assert page.year_box.currentText() == "2021/22"
    assert _stream_names(page) == ["OPCC grant", "Pooled Fund"]
    assert "Available £52,543.94" in page.summary.text()
    pid = page.ctx.partnership_id
    figs = year_figures(page.ctx.db, pid, 2021)
    assert figs.stream("OPCC grant").opening == Decimal("40780.00")
    assert not figs.stream("OPCC grant").overridden
    page.ctx.undo_stack.undo()
    assert 2021 not in page.history
