"""Meeting forms: edit a meeting (date, times, venue, online, status, visitor notes) and a
board's standing items (list, add, remove, reorder, purpose, duration, place)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from cspdesk.errors import UserError
from cspdesk.models.meeting import ItemKind, MeetingStatus, Purpose
from cspdesk.services.meetings import MeetingRow
from cspdesk.services.meetings_standing import StandingRow, default_rows
from cspdesk.ui.widgets import hbox

STATUS_LABELS = {"draft": "Draft", "agenda_published": "Agenda published", "held": "Held",
                 "minutes_approved": "Minutes approved"}
GENERATED = (("none", None), ("Minutes of the previous meeting", "minutes"),
             ("Action-point log", "action-log"))


class _Form(QDialog):
    """A form with an error line; ``submit(values)`` runs on OK and a UserError keeps it open."""

    def __init__(self, title: str, submit: Callable[[Any], Any],
                 parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._submit = submit
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet("color: #C0392B")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Form error")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def values(self) -> Any:
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self._submit(self.values())
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        super().accept()


def _time_edit(value: dt.time | None, name: str) -> QTimeEdit:
    edit = QTimeEdit()
    edit.setAccessibleName(name)
    edit.setDisplayFormat("HH:mm")
    value = value or dt.time(10)
    edit.setTime(QTime(value.hour, value.minute))
    return edit


class MeetingEditDialog(_Form):
    """Edit a meeting's date, start and end, venue (or online), title, status, visitor notes."""

    def __init__(self, meeting: MeetingRow, visitor_notes: str | None,
                 submit: Callable[[dict], Any], parent: QWidget | None = None) -> None:
        super().__init__(f"Meeting of {meeting.board}", submit, parent)
        self.date = QDateEdit(QDate(meeting.date.year, meeting.date.month, meeting.date.day))
        self.date.setAccessibleName("Date")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMM yyyy")
        self.start = _time_edit(meeting.start, "Start")
        self.end = _time_edit(meeting.end, "End")
        self.venue = QLineEdit(meeting.venue or "")
        self.venue.setAccessibleName("Venue")
        self.online = QCheckBox("Held online (or hybrid)")
        self.online.setAccessibleName("Held online")
        self.online.setChecked(meeting.online)
        self.title = QLineEdit(meeting.title or "")
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("optional")
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        for s in MeetingStatus:
            self.status.addItem(STATUS_LABELS.get(s.value, s.value), s.value)
        self.status.setCurrentIndex(max(self.status.findData(meeting.status), 0))
        self.visitor_notes = QPlainTextEdit(visitor_notes or "")
        self.visitor_notes.setAccessibleName("Visitor notes")
        self.visitor_notes.setTabChangesFocus(True)
        self.visitor_notes.setFixedHeight(70)
        for label, w in (("Date:", self.date), ("Start:", self.start), ("End:", self.end),
                         ("Venue:", self.venue), ("", self.online), ("Title:", self.title),
                         ("Status:", self.status), ("Visitor notes:", self.visitor_notes)):
            self.form.addRow(label, w)
        self.finish()
        self.resize(480, self.sizeHint().height())

    def values(self) -> dict:
        q, s, e = self.date.date(), self.start.time(), self.end.time()
        return {"day": dt.date(q.year(), q.month(), q.day()),
                "start": dt.time(s.hour(), s.minute()), "end": dt.time(e.hour(), e.minute()),
                "venue": self.venue.text(), "online": self.online.isChecked(),
                "title": self.title.text(), "status": self.status.currentData(),
                "visitor_notes": self.visitor_notes.toPlainText()}


class StandingItemsDialog(_Form):
    """The standing items of one board: a list on top, the chosen item's fields below."""

    def __init__(self, board: str, rows: tuple[StandingRow, ...], own: bool,
                 submit: Callable[[list[StandingRow]], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Standing items: {board}", submit, parent)
        self.rows: list[StandingRow] = list(rows)
        self._loading = False
        self.note = QLabel("" if own else "This board uses the usual standing items; "
                                          "saving makes this list its own.")
        self.note.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Standing items")
        self.list.currentRowChanged.connect(self._show_row)
        self.buttons_row = []
        for text, slot in (("Add", self.add_row), ("Remove", self.remove_row),
                           ("Move up", lambda: self.move(-1)), ("Move down", lambda: self.move(1)),
                           ("Usual set", self.reset)):
            b = QPushButton(text)
            b.setAccessibleName(f"{text} standing item" if text != "Usual set" else text)
            b.clicked.connect(slot)
            self.buttons_row.append(b)
        self.title = QLineEdit()
        self.title.setAccessibleName("Title")
        self.purpose = QComboBox()
        self.purpose.setAccessibleName("Purpose")
        self.purpose.addItem("none", None)
        for p in Purpose:
            self.purpose.addItem(p.value, p.value)
        self.duration = QSpinBox()
        self.duration.setAccessibleName("Duration")
        self.duration.setRange(0, 480)
        self.duration.setSuffix(" minutes")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind")
        for k in ItemKind:
            self.kind.addItem(k.value.capitalize(), k.value)
        self.at_end = QCheckBox("At the end of the agenda (after the main business)")
        self.at_end.setAccessibleName("At the end")
        self.generated = QComboBox()
        self.generated.setAccessibleName("Generated paper")
        for label, key in GENERATED:
            self.generated.addItem(label, key)
        for label, w in (("Title:", self.title), ("Purpose:", self.purpose),
                         ("Duration:", self.duration), ("Kind:", self.kind), ("", self.at_end),
                         ("Generated paper:", self.generated)):
            self.form.addRow(label, w)
        self.title.textEdited.connect(lambda _t: self._store())
        for box in (self.purpose, self.kind, self.generated):
            box.currentIndexChanged.connect(lambda _i: self._store())
        self.duration.valueChanged.connect(lambda _v: self._store())
        self.at_end.toggled.connect(lambda _c: self._store())
        self.finish_layout()
        self._fill_list(0)

    def finish_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.list, 1)
        layout.addLayout(hbox(*self.buttons_row))
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 560)

    @staticmethod
    def _label(row: StandingRow) -> str:
        extra = [f"{row.duration} min"] + ([row.purpose] if row.purpose else [])
        place = "end" if row.at_end else "start"
        return f"{row.title or '(no title)'} — {', '.join(extra)} · at the {place}"

    def _fill_list(self, select: int) -> None:
        self._loading = True
        self.list.clear()
        for row in self.rows:
            self.list.addItem(self._label(row))
        self._loading = False
        if self.rows:
            self.list.setCurrentRow(max(0, min(select, len(self.rows) - 1)))
        self._show_row(self.list.currentRow())

    def _show_row(self, index: int) -> None:
        if self._loading:
            return
        row = self.rows[index] if 0 <= index < len(self.rows) else None
        self._loading = True
        for w in (self.title, self.purpose, self.duration, self.kind, self.at_end,
                  self.generated):
            w.setEnabled(row is not None)
        if row is not None:
            self.title.setText(row.title)
            self.purpose.setCurrentIndex(max(self.purpose.findData(row.purpose), 0))
            self.duration.setValue(row.duration)
            self.kind.setCurrentIndex(max(self.kind.findData(row.kind), 0))
            self.at_end.setChecked(row.at_end)
            self.generated.setCurrentIndex(max(self.generated.findData(row.generated_key), 0))
        self._loading = False

    def _store(self) -> None:
        index = self.list.currentRow()
        if self._loading or not 0 <= index < len(self.rows):
            return
        row = StandingRow(self.title.text(), self.purpose.currentData(), self.duration.value(),
                          self.kind.currentData(), self.at_end.isChecked(),
                          self.generated.currentData())
        self.rows[index] = row
        self.list.item(index).setText(self._label(row))

    def add_row(self) -> None:
        """A new item before the closing ones; the title field gets the focus."""
        at = next((i for i, r in enumerate(self.rows) if r.at_end), len(self.rows))
        self.rows.insert(at, StandingRow("New standing item"))
        self._fill_list(at)
        self.title.setFocus()
        self.title.selectAll()

    def remove_row(self) -> None:
        index = self.list.currentRow()
        if 0 <= index < len(self.rows):
            del self.rows[index]
            self._fill_list(index)

    def move(self, step: int) -> None:
        index = self.list.currentRow()
        target = index + step
        if 0 <= index < len(self.rows) and 0 <= target < len(self.rows):
            self.rows[index], self.rows[target] = self.rows[target], self.rows[index]
            self._fill_list(target)

    def reset(self) -> None:
        self.rows = [replace(r) for r in default_rows()]
        self._fill_list(0)

    def values(self) -> list[StandingRow]:
        if not self.rows:
            raise UserError("Keep at least one standing item, or press 'Usual set'.")
        return list(self.rows)
