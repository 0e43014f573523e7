"""Meetings page: the meetings list; a meeting's agenda, attendance and minutes; exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, QTime, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QSplitter,
    QTableView,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from cspdesk import clock
from cspdesk.dates import format_date, format_time
from cspdesk.errors import UserError
from cspdesk.services import agenda, meetings, meetings_standing, packs, partnerships
from cspdesk.services.calendar_ics import board_calendar
from cspdesk.services.deadlines import meeting_deadline
from cspdesk.services.meetings import MeetingRow
from cspdesk.services.minutes import minutes_pdf
from cspdesk.ui import dialogs, messages
from cspdesk.ui.agenda_panel import AgendaPanel
from cspdesk.ui.context import AppContext, version_once
from cspdesk.ui.meetings_attendance import AttendancePanel
from cspdesk.ui.meetings_dialogs import MeetingEditDialog, StandingItemsDialog
from cspdesk.ui.minutes_panel import MinutesPanel
from cspdesk.ui.page import Page
from cspdesk.ui.proxy import SearchProxy
from cspdesk.ui.table_model import Column, RowRole, RowTableModel
from cspdesk.ui.tasks import run_task
from cspdesk.ui.widgets import PageToolbar

STATUS = {"draft": "Draft", "agenda_published": "Agenda published", "held": "Held",
          "minutes_approved": "Minutes approved"}

MEETING_COLUMNS: list[Column[MeetingRow]] = [
    Column("Date", lambda r: format_date(r.date), lambda r: r.date),
    Column("Board", lambda r: r.board),
    Column("Time", lambda r: format_time(r.start)),
    Column("Status", lambda r: STATUS.get(r.status, r.status)),
]


def open_file(path: Path) -> None:
    """Open a file in the system viewer (tests replace this)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


#: rows the list's column widths are measured on (Qt's default is 1,000)
SIZE_SAMPLE = 60

class MeetingDialog(QDialog):
    """New meeting: board, date; start, end and venue default from the board."""

    def __init__(self, boards: list, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New meeting")
        self.boards = boards
        form = QFormLayout()
        self.board = QComboBox()
        self.board.setAccessibleName("Board")
        for b in boards:
            self.board.addItem(b.name, b.id)
        self.date = QDateEdit()
        self.date.setAccessibleName("Date")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMM yyyy")
        today = clock.today()
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.start, self.end = QTimeEdit(), QTimeEdit()
        self.start.setAccessibleName("Start")
        self.end.setAccessibleName("End")
        self.venue = QLineEdit()
        self.venue.setAccessibleName("Venue")
        self.title = QLineEdit()
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("optional")
        self.start_from = QComboBox()
        self.start_from.setAccessibleName("Start the agenda from")
        for label, key in (("the board's standing items", "standing"),
                           ("a copy of the last meeting's agenda", "copy"),
                           ("nothing (an empty agenda)", "empty")):
            self.start_from.addItem(label, key)
        for label, w in (("Board:", self.board), ("Date:", self.date), ("Start:", self.start),
                         ("End:", self.end), ("Venue:", self.venue), ("Title:", self.title),
                         ("Start the agenda from:", self.start_from)):
            form.addRow(label, w)
        self.error = QLabel()
        self.error.setStyleSheet("color: #C0392B")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.board.currentIndexChanged.connect(self._defaults)
        self._defaults()

    def _defaults(self) -> None:
        board = self.boards[self.board.currentIndex()] if self.boards else None
        if board is None:
            return
        start = board.default_start or dt.time(10)
        self.start.setTime(QTime(start.hour, start.minute))
        # no default end: a two-hour slot, so the form never opens ending when it starts
        end = board.default_end or dt.time(min(start.hour + 2, 23), start.minute)
        self.end.setTime(QTime(end.hour, end.minute))
        self.venue.setText(board.default_venue or "")

    def values(self) -> dict:
        q, s, e = self.date.date(), self.start.time(), self.end.time()
        return {"board_id": self.board.currentData(),
                "day": dt.date(q.year(), q.month(), q.day()),
                "start": dt.time(s.hour(), s.minute()), "end": dt.time(e.hour(), e.minute()),
                "venue": self.venue.text(), "title": self.title.text(),
                "agenda": self.start_from.currentData()}


class PreflightDialog(QDialog):
    """The pre-flight list before export: problems are shown, not fatal."""

    def __init__(self, problems: list[packs.Problem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Pre-flight check")
        self.list = QListWidget()
        self.list.setAccessibleName("Problems")
        for p in problems:
            self.list.addItem(("✖ " if p.blocking else "⚠ ") + p.text)
        buttons = QDialogButtonBox()
        self.export = buttons.addButton("Build the pack anyway",
                                        QDialogButtonBox.ButtonRole.AcceptRole)
        self.export.setEnabled(not any(p.blocking for p in problems))
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Check these before the pack goes out:"))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(620, 360)


class MeetingsPage(Page):
    key = "meetings"
    title = "Meetings"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model: RowTableModel[MeetingRow] = RowTableModel(MEETING_COLUMNS, parent=self)
        self.proxy = SearchProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Meetings")
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # fit the columns to the rows on screen and a few more, not to a county's thousands
        self.view.horizontalHeader().setResizeContentsPrecision(SIZE_SAMPLE)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.toolbar = PageToolbar(self, search="Search meetings")
        self.toolbar.add("New meeting", self.new_meeting, "Ctrl+N")
        self.toolbar.add("Edit meeting…", self.edit_meeting,
                         tip="Date, time, venue, online and status (Return on the list)")
        self.toolbar.add("Standing items…", self.edit_standing,
                         tip="The items every agenda of this board starts or ends with")
        self.toolbar.add("Delete meeting", self.delete_meeting, "Ctrl+Delete")
        self.toolbar.add("Pre-flight", self.show_preflight)
        self.toolbar.add("Export pack", lambda: self.export_pack(public=False), "Ctrl+E")
        self.toolbar.add("Public pack", lambda: self.export_pack(public=True), "Ctrl+Shift+E")
        self.toolbar.add("Minutes PDF", self.export_minutes)
        self.toolbar.add("Calendar (.ics)", self.export_calendar)
        self.toolbar.add("Refresh", self.refresh, "F5")
        self.toolbar.finish()
        self.toolbar.search_changed.connect(self.proxy.set_search)
        self.header = QLabel()
        self.header.setAccessibleName("Meeting details")
        self.header.setWordWrap(True)
        self.agenda = AgendaPanel(ctx)
        self.attendance = AttendancePanel(ctx)
        self.minutes = MinutesPanel(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.agenda, "Agenda && papers")
        self.tabs.addTab(self.attendance, "Attendance")
        self.tabs.addTab(self.minutes, "Minutes")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.header)
        rl.addWidget(self.tabs, 1)
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        split.setSizes([360, 1140])
        self.view.setMinimumWidth(220)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(split, 1)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show())
        self.view.activated.connect(lambda _i: self.edit_meeting())
        ctx.partnership_changed.connect(lambda _p: self.refresh())
        ctx.data_changed.connect(self._data_changed)
        self.task = None
        self.refresh()

    # -- list
    def refresh(self) -> None:
        keep = self.current()
        self.model.set_rows(meetings.list_meetings(self.ctx.db, self.ctx.partnership_id))
        self.view.sortByColumn(0, self.view.horizontalHeader().sortIndicatorOrder())
        if keep is not None:
            self.open_record(keep.id)
        elif self.proxy.rowCount():
            self.view.selectRow(self._upcoming_row())

    def _upcoming_row(self) -> int:
        today = clock.today()
        best, best_row = None, 0
        for r in range(self.proxy.rowCount()):
            row = self.proxy.data(self.proxy.index(r, 0), RowRole)
            if row.date >= today and (best is None or row.date < best):
                best, best_row = row.date, r
        return best_row

    def open_record(self, record_id: int | None) -> None:
        for r in range(self.proxy.rowCount()):
            if self.proxy.data(self.proxy.index(r, 0), RowRole).id == record_id:
                self.view.selectRow(r)
                return

    def current(self) -> MeetingRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.proxy.data(rows[0], RowRole) if rows else None

    def _data_changed(self, area: str) -> None:
        if area not in ("meetings", "people"):
            return
        m = self.current()
        if m is not None:
            try:
                fresh = meetings.get_meeting(self.ctx.db, m.id)
            except UserError:  # deleted, e.g. by undoing "New meeting"
                fresh = None
            if fresh != m:  # its row in the list is out of date (an undone edit)
                self.refresh()
                return
        self._show()

    def _show(self) -> None:
        m = self.current()
        mid = m.id if m else None
        for panel in (self.agenda, self.attendance, self.minutes):
            panel.set_meeting(mid)
        if m is None:
            self.header.setText("Choose a meeting, or press Ctrl+N for a new one.")
            return
        d = meeting_deadline(self.ctx.db, m.id)
        when = f"{format_date(m.date)} {format_time(m.start)}"
        missing = (f" · <span style='color:#C0392B'>{len(d.missing)} paper(s) missing</span>"
                   if d.missing else " · all papers in")
        self.header.setText(f"<b>{m.board}</b> · {when} · {m.venue or 'venue to be set'}<br>"
                            f"Papers due {format_date(d.deadline)} ({d.working_days} working "
                            f"days before){missing}")

    # -- meetings
    def new_meeting(self) -> None:
        boards = [b for p in partnerships.list_partnerships(self.ctx.db)
                  if self.ctx.partnership_id in (None, p.id) for b in p.boards]
        if not boards:
            messages.show_error(self, UserError("Add a board first (People & organisations)."))
            return
        dialog = MeetingDialog(boards, self)
        while dialog.exec():
            values = dialog.values()
            made: dict[str, int] = {}

            def do(v: dict = values, made: dict = made) -> None:
                args = dict(v)
                start_from = args.pop("agenda")
                made["id"] = meetings.create_meeting(self.ctx.db, args.pop("board_id"),
                                                     **args).id
                try:
                    if start_from == "standing":
                        agenda.add_standing_items(self.ctx.db, made["id"])
                    elif start_from == "copy":
                        agenda.copy_last_agenda(self.ctx.db, made["id"])
                except UserError:
                    meetings.delete_meeting(self.ctx.db, made["id"])
                    raise

            try:
                self.ctx.push(f"New meeting {format_date(values['day'])}", do,
                              lambda made=made: meetings.delete_meeting(self.ctx.db, made["id"]),
                              "meetings")
            except UserError as exc:
                dialog.error.setText(exc.message)
                continue
            self.refresh()
            self.open_record(made["id"])
            return

    def edit_meeting(self) -> None:
        m = self.current()
        if m is None:
            return
        notes, _approved = meetings.meeting_extras(self.ctx.db, m.id)
        old = {"day": m.date, "start": m.start, "end": m.end, "venue": m.venue,
               "online": m.online, "title": m.title, "status": m.status, "visitor_notes": notes}
        version = version_once(m.version)

        def submit(values: dict) -> None:
            def do() -> None:
                meetings.update_meeting(self.ctx.db, m.id, version(), **values)

            self.ctx.push(f"Edit meeting {format_date(m.date)}", do,
                          lambda: meetings.update_meeting(self.ctx.db, m.id, None, **old),
                          "meetings")

        if MeetingEditDialog(m, notes, submit, self).exec():
            self.refresh()

    def edit_standing(self) -> None:
        m = self.current()
        boards = [b for p in partnerships.list_partnerships(self.ctx.db)
                  if self.ctx.partnership_id in (None, p.id) for b in p.boards]
        board = next((b for b in boards if m and b.id == m.board_id), boards[0] if boards else None)
        if board is None:
            messages.show_error(self, UserError("Add a board first (People & organisations)."))
            return
        current = meetings_standing.get_standing(self.ctx.db, board.id)

        def submit(rows: list) -> None:
            self.ctx.push(f"Standing items of {board.name}",
                          lambda: meetings_standing.set_standing(self.ctx.db, board.id, rows),
                          lambda: meetings_standing.restore_standing(self.ctx.db, current),
                          "meetings")

        StandingItemsDialog(board.name, current.rows, current.own, submit, self).exec()

    def delete_meeting(self) -> None:
        m = self.current()
        if m is None or not messages.confirm(
                self, f"Delete the meeting of {format_date(m.date)} with its agenda, papers, "
                      "attendance and minutes? This cannot be undone."):
            return
        meetings.delete_meeting(self.ctx.db, m.id)
        self.refresh()

    # -- exports
    def show_preflight(self) -> bool:
        m = self.current()
        if m is None:
            return False
        problems = packs.preflight(self.ctx.db, m.id)
        if not problems:
            return True
        return bool(PreflightDialog(problems, self).exec())

    def export_pack(self, public: bool) -> None:
        m = self.current()
        if m is None or not self.show_preflight():
            return
        kind = "public" if public else "full"
        out = dialogs.choose_save_file(self, "Save the board pack", "PDF (*.pdf)",
                                       f"{m.date:%Y-%m-%d} {m.board} pack ({kind}).pdf",
                                       key="packs")
        if out is None:
            return
        db, mid = self.ctx.db, m.id
        self.task = run_task(lambda progress: packs.export_pack(db, mid, out, public=public,
                                                                progress=progress),
                             on_done=open_file, parent=self, title="Building the board pack")

    def export_minutes(self) -> None:
        m = self.current()
        if m is None:
            return
        out = dialogs.choose_save_file(self, "Save the minutes", "PDF (*.pdf)",
                                       f"{m.date:%Y-%m-%d} {m.board} minutes.pdf", key="packs")
        if out is None:
            return
        db, mid = self.ctx.db, m.id
        self.task = run_task(lambda progress: minutes_pdf(db, mid, out), on_done=open_file,
                             parent=self, title="Writing the minutes")

    def export_calendar(self) -> None:
        m = self.current()
        if m is None:
            return
        out = dialogs.choose_save_file(self, "Save the calendar", "Calendar (*.ics)",
                                       f"{m.board}.ics", key="calendar")
        if out is None:
            return
        try:
            board_calendar(self.ctx.db, m.board_id, out)
        except UserError as exc:
            messages.show_error(self, exc)
            return
        open_file(out)

