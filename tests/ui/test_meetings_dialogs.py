"""Meetings page forms offscreen: a new meeting from the board's defaults with its agenda started
from the standing items or the last agenda, editing a meeting, and the standing items editor."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QTime

from cspdesk.services import agenda, meetings
from cspdesk.services.packs import find_meeting
from cspdesk.ui import meetings_page, messages
from cspdesk.ui.context import AppContext
from cspdesk.ui.meetings_dialogs import MeetingEditDialog, StandingItemsDialog
from cspdesk.ui.meetings_page import MeetingDialog, MeetingsPage

BOARD = "South Cambridgeshire CSP Board"


@pytest.fixture
def page(qtbot, demo_db, fixed_today, data_home, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    ctx = AppContext(demo_db)
    widget = MeetingsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    return widget


def _once(monkeypatch, cls, fill) -> list[str]:
    """The next dialog of ``cls`` is filled and OK pressed; a second exec (the form kept open
    by an error) cancels. Returns the error texts seen."""
    errors: list[str] = []

    def exec_(self) -> int:
        if errors or getattr(self, "_filled", False):
            errors.append(self.error.text())
            return 0
        self._filled = True
        fill(self)
        self.accept()
        if self.result() != 1:
            errors.append(self.error.text())
        return 1 if cls is MeetingDialog else int(self.result())

    monkeypatch.setattr(cls, "exec", exec_)
    return errors


def _new_meeting(day: dt.date, start_from: str):  # type: ignore[no-untyped-def]
    def fill(d: MeetingDialog) -> None:
        d.board.setCurrentIndex(d.board.findText(BOARD))
        d.date.setDate(QDate(day.year, day.month, day.day))
        d.start_from.setCurrentIndex(d.start_from.findData(start_from))
        assert d.start.time() == QTime(10, 0)  # the board's slot
        assert d.venue.text().startswith("Swansley Room")  # and venue
    return fill


def _titles(page: MeetingsPage) -> list[str]:
    return [r.title for r in page.agenda.model.rows()]


def test_new_meeting_starts_from_the_standing_items_and_undo(page, monkeypatch) -> None:
    _once(monkeypatch, MeetingDialog, _new_meeting(dt.date(2020, 6, 4), "standing"))
    page.new_meeting()
    m = page.current()
    assert (m.date, m.start, m.board) == (dt.date(2020, 6, 4), dt.time(10, 0), BOARD)
    assert _titles(page) == [
        "Welcome and apologies", "Declarations of interest", "Minutes of the last meeting",
        "Action points: review", "Any other business",
        "Key messages to share with our organisations and the public", "Date of next meeting"]
    assert "Swansley Room" in page.header.text()
    page.ctx.undo_stack.undo()
    page.refresh()
    assert dt.date(2020, 6, 4) not in {m.date for m in meetings.list_meetings(page.ctx.db)}


def test_new_meeting_copies_the_last_agenda(page, monkeypatch) -> None:
    last = agenda.get_agenda(page.ctx.db, find_meeting(page.ctx.db, dt.date(2020, 2, 27)))
    _once(monkeypatch, MeetingDialog, _new_meeting(dt.date(2020, 6, 4), "copy"))
    page.new_meeting()
    assert page.current().date == dt.date(2020, 6, 4)
    assert _titles(page) == [r.title for r in last.rows]
    assert all(r.paper_count == 0 for r in page.agenda.model.rows())


def test_copy_without_an_earlier_agenda_keeps_the_form_open(page, monkeypatch) -> None:
    errors = _once(monkeypatch, MeetingDialog, _new_meeting(dt.date(2009, 6, 4), "copy"))
    page.new_meeting()
    assert errors == ["The board has no earlier meeting with an agenda to copy."]
    assert dt.date(2009, 6, 4) not in {m.date for m in meetings.list_meetings(page.ctx.db)}
    assert page.ctx.undo_stack.count() == 0


def test_edit_meeting_date_time_venue_online_status_and_undo(page, monkeypatch, qtbot) -> None:
    page.open_record(find_meeting(page.ctx.db, dt.date(2020, 2, 27)))

    def fill(d: MeetingEditDialog) -> None:
        d.date.setDate(QDate(2020, 3, 5))
        d.start.setTime(QTime(14, 0))
        d.end.setTime(QTime(16, 0))
        d.venue.setText("Microsoft Teams")
        d.online.setChecked(True)
        d.status.setCurrentIndex(d.status.findData("held"))

    _once(monkeypatch, MeetingEditDialog, fill)
    page.edit_meeting()
    m = page.current()
    assert (m.date, m.start, m.end, m.venue, m.online, m.status) == (
        dt.date(2020, 3, 5), dt.time(14), dt.time(16), "Microsoft Teams", True, "held")
    assert page.model.data(page.model.index(page.model.find_row(lambda r: r.id == m.id), 3)) \
        == "Held"
    assert "Microsoft Teams" in page.header.text()
    page.ctx.undo_stack.undo()
    back = meetings.get_meeting(page.ctx.db, m.id)
    assert (back.date, back.start, back.online, back.status) == (
        dt.date(2020, 2, 27), dt.time(10), False, "agenda_published")
    assert back.venue.startswith("Swansley Room")
    assert page.current().status == "agenda_published"  # the list follows the undo


def test_edit_meeting_refuses_a_second_meeting_on_the_same_day(page, qtbot) -> None:
    m = meetings.get_meeting(page.ctx.db, find_meeting(page.ctx.db, dt.date(2020, 2, 27)))
    dialog = MeetingEditDialog(
        m, None, lambda v: meetings.update_meeting(page.ctx.db, m.id, m.version, **v), page)
    qtbot.addWidget(dialog)
    dialog.date.setDate(QDate(2019, 10, 1))
    dialog.end.setTime(QTime(9, 0))
    dialog.accept()
    assert dialog.error.text() == "The meeting must end after it starts."
    dialog.end.setTime(QTime(12, 0))
    dialog.accept()
    assert dialog.error.text() == ("South Cambridgeshire CSP Board already has a meeting on "
                                   "01 Oct 2019; choose another date.")


def test_standing_items_editor_feeds_new_agendas_and_undo(page, monkeypatch, qtbot) -> None:
    page.open_record(find_meeting(page.ctx.db, dt.date(2020, 2, 27)))

    def fill(d: StandingItemsDialog) -> None:
        assert d.list.count() == 7 and "usual standing items" in d.note.text()
        d.list.setCurrentRow(1)  # Declarations of interest
        d.remove_row()
        d.add_row()  # goes before the closing items
        d.title.setText("Police update")
        d.title.textEdited.emit("Police update")
        d.duration.setValue(15)
        d.purpose.setCurrentIndex(d.purpose.findData("Info only"))
        d.move(-1)
        assert d.list.item(2).text() == "Police update — 15 min, Info only · at the start"

    _once(monkeypatch, StandingItemsDialog, fill)
    page.edit_standing()
    mid = meetings.create_meeting(page.ctx.db, page.current().board_id, dt.date(2020, 6, 4)).id
    agenda.add_standing_items(page.ctx.db, mid)
    rows = agenda.get_agenda(page.ctx.db, mid).rows
    assert [r.title for r in rows][:4] == ["Welcome and apologies", "Minutes of the last meeting",
                                           "Police update", "Action points: review"]
    assert rows[2].time_text == "10:10–10:25"
    page.ctx.undo_stack.undo()
    mid2 = meetings.create_meeting(page.ctx.db, page.current().board_id, dt.date(2020, 7, 2)).id
    agenda.add_standing_items(page.ctx.db, mid2)
    titles = [r.title for r in agenda.get_agenda(page.ctx.db, mid2).rows]
    assert "Declarations of interest" in titles and "Police update" not in titles


def test_standing_items_editor_shows_blank_title_error(page, qtbot) -> None:
    from cspdesk.services import meetings_standing

    board_id = meetings.get_meeting(
        page.ctx.db, find_meeting(page.ctx.db, dt.date(2020, 2, 27))).board_id
    current = meetings_standing.get_standing(page.ctx.db, board_id)
    dialog = StandingItemsDialog(BOARD, current.rows, current.own,
                                 lambda rows: meetings_standing.set_standing(
                                     page.ctx.db, board_id, rows), page)
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow(0)
    dialog.title.setText("  ")
    dialog.title.textEdited.emit("  ")
    dialog.accept()
    assert dialog.error.text() == ("Standing item 1 has no title; enter one or remove the item.")
    assert not meetings_standing.get_standing(page.ctx.db, board_id).own


def test_meeting_dialog_offers_the_three_starts(page, qtbot) -> None:
    boards = [b for p in meetings_page.partnerships.list_partnerships(page.ctx.db)
              for b in p.boards]
    dialog = MeetingDialog(boards, page)
    qtbot.addWidget(dialog)
    assert [dialog.start_from.itemData(i) for i in range(dialog.start_from.count())] == [
        "standing", "copy", "empty"]
