"""ISA register page driven offscreen: filter, edit, notice of withdrawal, import, email."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from cspdesk.services import isa
from cspdesk.services.isa_history import HistoryRow
from cspdesk.services.partnerships import find_partnership
from cspdesk.ui import dialogs, isa_actions, isa_page
from cspdesk.ui.context import AppContext
from cspdesk.ui.dashboard_page import DashboardPage
from cspdesk.ui.isa_import_dialog import ImportPreviewDialog
from cspdesk.ui.isa_page import HISTORY_COLUMNS, IsaPage
from cspdesk.ui.table_model import RowTableModel
from tests.services.isa_helpers import APPENDIX1

CARD = "ISA: reviews due and signatures outstanding"


@pytest.fixture
def page(demo_db, fixed_today, qtbot, data_home):
    ctx = AppContext(demo_db)
    ctx.set_partnership(find_partnership(
        demo_db, "South Cambridgeshire Community Safety Partnership").id)
    widget = IsaPage(ctx)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def _select(page: IsaPage, name: str) -> isa.PartyRow:
    row = next(p for p in page.model.rows() if p.organisation == name)
    page.select_party(row.id)
    assert page.current_party().id == row.id
    return row


def _drive(monkeypatch, cls, fill) -> None:  # type: ignore[no-untyped-def]
    """Replace exec() of a dialog class: fill its real widgets, then press OK."""
    def fake_exec(self):  # type: ignore[no-untyped-def]
        fill(self)
        self._try_accept()
        return self.result()
    monkeypatch.setattr(cls, "exec", fake_exec)


def test_models_pass_the_model_tester(page, qtmodeltester):
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.task_model)
    _select(page, "Accent Housing")
    qtmodeltester.check(page.history_model)
    qtmodeltester.check(RowTableModel(HISTORY_COLUMNS, [HistoryRow(
        dt.datetime(2020, 2, 20, 9), "officer", "Party", "changed", "status",
        "Signature status", "Form not sent", "Form returned")]))


def test_filter_and_search_the_register(page, qtbot):
    assert page.model.rowCount() == 40
    assert page.summary.text().startswith("0 of 40 signed · 12 awaiting details")
    page.filter_box.setCurrentText("Awaiting details")
    assert page.proxy.rowCount() == 12
    assert "(showing 12)" in page.summary.text()
    page.filter_box.setCurrentText("Without a SPOC")
    assert page.proxy.rowCount() == 16
    page.filter_box.setCurrentText("All parties")
    qtbot.keyClicks(page.search_box, "Banham")  # a SPOC's name finds the party
    assert page.proxy.rowCount() == 1
    index = page.proxy.index(0, 1)
    assert page.proxy.data(index) == "Suffolk Housing Society"
    page.search_box.clear()
    qtbot.keyClicks(page.search_box, "Chapman")  # a signatory's name
    assert page.proxy.rowCount() == 1
    page.search_box.clear()
    page.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert page.proxy.data(page.proxy.index(0, 1)) == "Voluntary Sector Representative"


def test_edit_a_party_with_validation_and_undo(page, monkeypatch):
    _select(page, "Accent Housing")
    errors: list[str] = []

    def fill(d):  # type: ignore[no-untyped-def]
        d.spocs.item(0, 2).setText("toyah@@accent")
        d._try_accept()
        errors.append(d.error.text())
        d.spocs.item(0, 2).setText("toyah.thomas@accentgroup.org")
        d.status.setCurrentIndex(d.status.findData("form_returned"))
        d.status_date.setText("18 Feb 2020")

    _drive(monkeypatch, isa_actions.PartyDialog, fill)
    isa_actions.edit_party(page)
    assert errors == ["'toyah@@accent' is not an email address."]
    accent = page.current_party()
    assert accent.organisation == "Accent Housing" and accent.signed
    assert page.summary.text().startswith("1 of 40 signed")
    assert "Form returned 18 Feb 2020" in page.proxy.data(page.proxy.index(
        page.view.currentIndex().row(), 4))
    changes = {(h.field_label, h.old, h.new) for h in page.history_model.rows()}
    assert ("Signature status", "Form not sent", "Form returned") in changes
    assert ("Email", "", "toyah.thomas@accentgroup.org") in {
        (f, o or "", n) for f, o, n in changes}
    page.ctx.undo_stack.undo()
    assert page.summary.text().startswith("0 of 40 signed")
    page.ctx.undo_stack.redo()
    assert page.summary.text().startswith("1 of 40 signed")


def test_notice_of_withdrawal_puts_the_7_day_task_on_the_dashboard(page, monkeypatch, qtbot):
    _select(page, "Romsey Mill")
    too_soon: list[str] = []

    def fill(d):  # type: ignore[no-untyped-def]
        d.effective.setText("1 Mar 2020")
        d._try_accept()
        too_soon.append(d.error.text())
        d.effective.setText("20 Mar 2020")

    _drive(monkeypatch, isa_actions.NoticeDialog, fill)
    isa_actions.give_notice(page)
    assert too_soon == ["A partner must give at least one month's notice: the earliest "
                        "leaving date is 20 Mar 2020."]
    assert [t.title for t in page.task_model.rows()][0].startswith(
        "Notify every SPOC that Romsey Mill is leaving CSP ISA on 20 Mar 2020")
    assert page.task_model.rows()[0].due == dt.date(2020, 2, 27)
    dashboard = DashboardPage(page.ctx)
    qtbot.addWidget(dashboard)
    dashboard.refresh()
    texts = dashboard.line_texts(CARD)
    assert ("CSP ISA: Notify every SPOC that Romsey Mill is leaving CSP ISA on 20 Mar 2020 "
            "(due 27 Feb 2020)") in texts
    # the dashboard line opens the party on this page
    line = next(x for x in dashboard.cards[CARD] if "Romsey Mill is leaving" in x.text)
    page.open_record(line.record_id)
    assert page.current_party().organisation == "Romsey Mill"
    # mark the task done, then undo the notice altogether
    page.task_view.selectRow(0)
    isa_actions.toggle_task(page)
    assert page.task_model.rows()[0].done_on == dt.date(2020, 2, 20)
    page.ctx.undo_stack.undo()
    page.ctx.undo_stack.undo()
    dashboard.refresh()
    assert not [t for t in dashboard.line_texts(CARD) if "Romsey Mill" in t]


def test_import_previews_then_applies(page, monkeypatch, qtbot, qtmodeltester):
    isa.add_agreement(page.ctx.db, isa.AgreementInput(
        page.ctx.partnership_id, "Integrated Offender Management ISA", "IOM ISA"))
    page.refresh()
    page.agreement_box.setCurrentIndex(page.agreement_box.findData(
        isa.find_agreement(page.ctx.db, "IOM ISA").id))
    assert page.agreement().reference == "IOM ISA" and page.model.rowCount() == 0
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a, **k: Path(APPENDIX1))
    seen: list[ImportPreviewDialog] = []

    def accept(self):  # type: ignore[no-untyped-def]
        seen.append(self)
        qtmodeltester.check(self.model)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportPreviewDialog, "exec", accept)
    isa_actions.import_register(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 40, timeout=10000)
    assert seen and seen[0].model.rowCount() == 40 and seen[0].import_button.isEnabled()
    assert page.status.text() == "Imported: 40 added, 0 changed, 0 unchanged."


def test_email_spocs_opens_a_bcc_mailto(page, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(isa_page, "open_url", lambda url: opened.append(url) or True)
    shown: list[str] = []
    monkeypatch.setattr(isa_actions.messages, "show_error",
                        lambda parent, exc: shown.append(str(exc)))
    isa_actions.email_spocs(page)
    assert shown and "No SPOC of CSP ISA has an email address" in shown[0]
    _select(page, "Romsey Mill")

    def fill(d):  # type: ignore[no-untyped-def]
        d.spocs.item(0, 2).setText("jon@romseymill.example")

    _drive(monkeypatch, isa_actions.PartyDialog, fill)
    isa_actions.edit_party(page)
    isa_actions.email_spocs(page)
    assert opened == ["mailto:?bcc=jon@romseymill.example&subject=South%20Cambridgeshire%20"
                      "Community%20Safety%20Partnership%20Information%20Sharing%20Agreement"
                      "%20%28CSP%20ISA%29"]
    assert page.status.text().startswith("Email opened for 1 SPOCs (in Bcc).")
