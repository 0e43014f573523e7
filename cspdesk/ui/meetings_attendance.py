"""Attendance panel: statuses, substitutes and guests, with the quorum shown live."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cspdesk.services import attendance, people
from cspdesk.services.attendance import AttendanceRow
from cspdesk.ui import messages
from cspdesk.ui.context import AppContext
from cspdesk.ui.table_model import Column, RowTableModel
from cspdesk.ui.widgets import PageToolbar

STATUS_COLOURS = {"present": "#2E8B57", "substitute": "#2E8B57", "apologies": "#B07A00",
                  "absent": "#C0392B"}

ATTENDANCE_COLUMNS: list[Column[AttendanceRow]] = [
    Column("Name", lambda r: r.name),
    Column("Organisation", lambda r: r.organisation or ""),
    Column("Seat", lambda r: r.category_label + (" (votes)" if r.voting else "")),
    Column("Role", lambda r: (r.role or "").replace("_", " ").capitalize()),
    Column("Attendance", lambda r: r.status_label,
           foreground=lambda r: STATUS_COLOURS.get(r.status)),
]


class AttendancePanel(QWidget):
    """Mark people present (P), apologies (A), absent (X), substitute (S); add guests (G)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id: int | None = None
        self.setAccessibleName("Attendance")
        self.model: RowTableModel[AttendanceRow] = RowTableModel(ATTENDANCE_COLUMNS, parent=self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Attendance list")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        bar = PageToolbar(self, search=None)
        bar.add("Present", lambda: self.set_status("present"), "Ctrl+P")
        bar.add("Apologies", lambda: self.set_status("apologies"), "Ctrl+Shift+P")
        bar.add("Absent", lambda: self.set_status("absent"))
        bar.add("In attendance", lambda: self.set_status("in_attendance"))
        bar.add("Substitute for…", self.substitute)
        bar.add("Add guest…", self.add_guest, "Ctrl+G")
        bar.add("Fill from membership", self.fill)
        self.quorum = QLabel()
        self.quorum.setAccessibleName("Quorum")
        self.quorum.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(bar)
        layout.addWidget(self.quorum)
        layout.addWidget(self.view, 1)

    def set_meeting(self, meeting_id: int | None) -> None:
        self.meeting_id = meeting_id
        self.reload()

    def reload(self) -> None:
        if self.meeting_id is None:
            self.model.set_rows([])
            self.quorum.setText("")
            return
        rows = attendance.list_attendance(self.ctx.db, self.meeting_id)
        self.model.set_rows(rows)
        self.view.setToolTip("" if rows else "No one is listed yet: use Fill from membership.")
        q = attendance.quorum(self.ctx.db, self.meeting_id)
        word, colour = ("Quorate", "#2E8B57") if q.met else ("Not quorate", "#C0392B")
        self.quorum.setText(f"<span style='background:{colour};color:white;padding:2px'>"
                            f"&nbsp;{word}&nbsp;</span> {q.text}")

    def fill(self) -> None:
        if self.meeting_id is None:
            return
        mid = self.meeting_id
        made: dict[str, list[int]] = {}

        def do() -> None:
            made["ids"] = attendance.fill_from_membership(self.ctx.db, mid)

        def undo() -> None:
            for att_id in made["ids"]:
                attendance.remove(self.ctx.db, att_id)

        self.ctx.push("Fill attendance from membership", do, undo, "meetings")
        self.reload()

    def selected(self) -> list[AttendanceRow]:
        return [self.model.row_at(i.row()) for i in self.view.selectionModel().selectedRows()]

    def set_status(self, status: str, substitute_for_id: int | None = None) -> None:
        rows = self.selected()
        if not rows:
            return
        before = [(r.id, r.status, r.substitute_for_id) for r in rows]

        def do() -> None:
            for r in rows:
                attendance.set_status(self.ctx.db, r.id, status,
                                      substitute_for_id=substitute_for_id)

        def undo() -> None:
            for att_id, old, sub in before:
                attendance.set_status(self.ctx.db, att_id, old, substitute_for_id=sub)

        try:
            self.ctx.push(f"Mark {len(rows)} as {status.replace('_', ' ')}", do, undo, "meetings")
        except Exception as exc:  # noqa: BLE001 - one sentence for the user
            messages.show_error(self, exc)
        self.reload()

    def substitute(self) -> None:
        members = [r for r in self.model.rows() if r.voting]
        if not self.selected() or not members:
            return
        names = [r.name for r in members]
        name, ok = QInputDialog.getItem(self, "Substitute", "Substituting for:", names, 0, False)
        if ok:
            self.set_status("substitute", members[names.index(name)].person_id)

    def add_guest(self) -> None:
        if self.meeting_id is None:
            return
        listed = {r.person_id for r in self.model.rows()}
        candidates = [p for p in people.list_people(self.ctx.db) if p.id not in listed]
        names = [p.name + (f" ({p.organisation})" if p.organisation else "") for p in candidates]
        if not names:
            return
        name, ok = QInputDialog.getItem(self, "Add guest", "Guest:", names, 0, False)
        if not ok:
            return
        person = candidates[names.index(name)]
        mid = self.meeting_id
        made: dict[str, int] = {}

        def do() -> None:
            made["id"] = attendance.add_person(self.ctx.db, mid, person.id).id

        self.ctx.push(f"Add guest {person.name}", do,
                      lambda: attendance.remove(self.ctx.db, made["id"]), "meetings")
        self.reload()
