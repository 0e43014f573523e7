"""The Meetings page offscreen: build an agenda (add, reorder, times), attach a PDF by drop,
undo, attendance and quorum, minutes, and the pack exported in the background."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QMimeData, QTimer, QUrl
from reportlab.pdfgen.canvas import Canvas

from cspdesk.services import meetings, packs
from cspdesk.services.packs import find_meeting
from cspdesk.services.partnerships import list_partnerships
from cspdesk.ui import agenda_dialogs, dialogs, meetings_page, messages
from cspdesk.ui.context import AppContext
from cspdesk.ui.meetings_page import MeetingsPage


@pytest.fixture
def page(qtbot, demo_db, fixed_today, data_home, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    ctx = AppContext(demo_db)
    widget = MeetingsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    return widget


def _board_id(db) -> int:  # type: ignore[no-untyped-def]
    return next(b.id for p in list_partnerships(db) for b in p.boards
                if b.name == "South Cambridgeshire CSP Board")


def _fill_item(monkeypatch, entries):  # type: ignore[no-untyped-def]
    queue = list(entries)

    def fake_exec(dialog) -> bool:  # drives the real form widgets
        title, minutes = queue.pop(0)
        dialog.title.setText(title)
        dialog.duration.setValue(minutes)
        dialog.purpose.setCurrentIndex(dialog.purpose.findData("Agreement"))
        dialog.leads.item(0).setCheckState(dialog.leads.item(0).checkState().Checked)
        dialog.accept()
        return dialog.result() == 1

    monkeypatch.setattr(agenda_dialogs.ItemDialog, "exec", fake_exec)


def _pdf(path: Path, pages: int = 3) -> Path:
    c = Canvas(str(path))
    for n in range(pages):
        c.drawString(72, 720, f"Hate crime report page {n + 1}")
        c.showPage()
    c.save()
    return path


def test_models_pass_the_model_tester(page, qtmodeltester) -> None:
    page.open_record(find_meeting(page.ctx.db, dt.date(2021, 2, 9)))
    assert page.agenda.model.rowCount() == 19  # 16 items, item 6 has three sub-items
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.agenda.model)
    qtmodeltester.check(page.attendance.model)


def test_build_agenda_reorder_attach_undo(page, qtbot, monkeypatch, tmp_path) -> None:
    m = meetings.create_meeting(page.ctx.db, _board_id(page.ctx.db), dt.date(2020, 6, 4),
                                end=dt.time(11, 0))
    page.refresh()
    page.open_record(m.id)
    _fill_item(monkeypatch, [("Welcome", 5), ("Budget 2020-21", 30), ("Hate crime", 15)])
    for _ in range(3):
        page.agenda.add_item()
    model = page.agenda.model
    assert [(r.number, r.title, r.time_text) for r in model.rows()] == [
        ("1", "Welcome", "10:00–10:05"), ("2", "Budget 2020-21", "10:05–10:35"),
        ("3", "Hate crime", "10:35–10:50")]
    assert "fills 50 of the 60-minute slot" in page.agenda.warning.text()
    # drag "Hate crime" onto "Budget": it moves before it and the times recompute
    data = model.mimeData([model.index(2, 0)])
    model.dropMimeData(data, model.supportedDropActions(), -1, -1, model.index(1, 0))
    assert [(r.number, r.title, r.time_text) for r in model.rows()] == [
        ("1", "Welcome", "10:00–10:05"), ("2", "Hate crime", "10:05–10:20"),
        ("3", "Budget 2020-21", "10:20–10:50")]
    # keyboard: Ctrl+Down moves the selected item down
    page.agenda.view.selectRow(0)
    page.agenda.move_selected(1)
    assert [r.title for r in model.rows()] == ["Hate crime", "Welcome", "Budget 2020-21"]
    page.ctx.undo_stack.undo()
    assert [r.title for r in model.rows()] == ["Welcome", "Hate crime", "Budget 2020-21"]
    # drop a PDF on the "Hate crime" row
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(_pdf(tmp_path / "Hate crime report.pdf")))])
    assert model.canDropMimeData(mime, model.supportedDropActions(), -1, -1, model.index(1, 0))
    model.dropMimeData(mime, model.supportedDropActions(), -1, -1, model.index(1, 0))
    row = model.rows()[1]
    assert row.paper_count == 1 and model.index(1, 6).data() == "1"
    page.agenda.view.selectRow(1)
    assert page.agenda.papers.item(0).text() == "Hate crime report — Attached PDF"
    page.ctx.undo_stack.undo()
    assert model.rows()[1].paper_count == 0
    page.ctx.undo_stack.redo()
    assert model.rows()[1].paper_count == 1


def test_attendance_marks_and_quorum_updates(page) -> None:
    m = meetings.create_meeting(page.ctx.db, _board_id(page.ctx.db), dt.date(2020, 6, 4))
    page.refresh()
    page.open_record(m.id)
    panel = page.attendance
    assert "Not quorate" in panel.quorum.text()
    flags = panel.view.selectionModel().SelectionFlag
    rows = panel.model.rows()
    council = [i for i, r in enumerate(rows)
               if r.voting and r.organisation == "South Cambridgeshire District Council"]
    others = [i for i, r in enumerate(rows)
              if r.voting and r.organisation not in (None, rows[council[0]].organisation)]
    for i in council + others[:1]:  # two councillors of one council count as one vote
        panel.view.selectionModel().select(panel.model.index(i, 0), flags.Select | flags.Rows)
    panel.set_status("present")
    assert "2 of 6 voting organisations present; quorum 3" in panel.quorum.text()
    assert "Not quorate" in panel.quorum.text()
    panel.view.clearSelection()
    panel.view.selectionModel().select(panel.model.index(others[1], 0), flags.Select | flags.Rows)
    panel.set_status("present")
    assert "Quorate" in panel.quorum.text() and "Not quorate" not in panel.quorum.text()


def test_fill_attendance_from_membership_and_undo(page) -> None:
    page.open_record(find_meeting(page.ctx.db, dt.date(2020, 2, 27)))
    panel = page.attendance
    assert panel.model.rowCount() == 0
    panel.fill()
    names = [r.name for r in panel.model.rows()]
    assert "Ryan Stacey" in names and "Chris Parker" not in names  # chair until 1 Oct 2019
    page.ctx.undo_stack.undo()
    assert panel.model.rowCount() == 0


def test_minutes_editor_saves_decision(page) -> None:
    mid = find_meeting(page.ctx.db, dt.date(2020, 2, 27))
    page.open_record(mid)
    panel = page.minutes
    panel.items.setCurrentRow(6)
    panel.text.setPlainText("The budget was presented.\n\nIt was agreed.")
    panel.decision.setCurrentIndex(panel.decision.findData("agreed"))
    panel.save()
    panel.items.setCurrentRow(6)
    assert panel.text.toPlainText() == "The budget was presented.\n\nIt was agreed."
    assert panel.decision.currentText() == "Agreed"


def test_export_runs_in_background_and_ui_stays_responsive(page, qtbot, monkeypatch,
                                                           tmp_path) -> None:
    page.open_record(find_meeting(page.ctx.db, dt.date(2020, 2, 27)))
    out = tmp_path / "pack.pdf"
    opened: list[Path] = []
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a, **k: out)
    monkeypatch.setattr(meetings_page, "open_file", opened.append)
    monkeypatch.setattr(meetings_page.PreflightDialog, "exec", lambda self: 1)
    started, ui_ran = threading.Event(), threading.Event()
    worker: list[int] = []
    real_export = packs.export_pack

    def export_after_ui_ran(*args, **kwargs):  # type: ignore[no-untyped-def]
        worker.append(threading.get_ident())
        started.set()
        assert ui_ran.wait(20), "the window froze while the pack was being built"
        return real_export(*args, **kwargs)

    monkeypatch.setattr(packs, "export_pack", export_after_ui_ran)
    timer = QTimer()
    timer.timeout.connect(lambda: started.is_set() and ui_ran.set())
    timer.start(5)
    page.export_pack(public=False)
    assert page.task is not None and not page.task.is_done  # returned at once
    assert page.task.dialog is not None  # a progress dialog with Cancel
    assert page.task.dialog.windowTitle() == "Building the board pack"
    qtbot.waitUntil(lambda: bool(opened), timeout=30000)
    timer.stop()
    assert ui_ran.is_set() and worker[0] != threading.get_ident()
    assert opened == [out] and len(PdfReader(out).pages) > 100


def test_cancel_export_writes_nothing(page, qtbot, monkeypatch, tmp_path) -> None:
    page.open_record(find_meeting(page.ctx.db, dt.date(2020, 2, 27)))
    out = tmp_path / "pack.pdf"
    opened: list[Path] = []
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a, **k: out)
    monkeypatch.setattr(meetings_page, "open_file", opened.append)
    monkeypatch.setattr(meetings_page.PreflightDialog, "exec", lambda self: 1)
    page.export_pack(public=False)
    page.task.cancel()
    qtbot.waitUntil(lambda: page.task.is_done, timeout=30000)
    assert opened == [] and not out.exists()
