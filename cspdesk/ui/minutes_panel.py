"""Minutes editor: text and decision per item, action points inline, declarations, approval."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cspdesk import clock
from cspdesk.models.paper import Decision
from cspdesk.services import minutes, people
from cspdesk.ui import messages
from cspdesk.ui.context import AppContext, version_once
from cspdesk.ui.widgets import PageToolbar


class MinutesPanel(QWidget):
    """Pick an item on the left, write its minutes on the right; Ctrl+S saves."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id: int | None = None
        self.setAccessibleName("Minutes")
        self.items = QListWidget()
        self.items.setAccessibleName("Minuted items")
        self.items.currentItemChanged.connect(lambda *_: self._load_item())
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Minutes text")
        self.text.setPlaceholderText("Paragraphs separated by a blank line are numbered "
                                     "N.1, N.2 ...")
        self.decision = QComboBox()
        self.decision.setAccessibleName("Decision")
        for d in Decision:
            self.decision.addItem(d.label or "(none)", d.value)
        self.decision_text = QLineEdit()
        self.decision_text.setAccessibleName("Decision detail")
        self.actions = QListWidget()
        self.actions.setAccessibleName("Action points")
        self.status = QLabel()
        bar = PageToolbar(self, search=None)
        bar.add("Save", self.save, "Ctrl+S")
        bar.add("Action point…", self.add_action, "Ctrl+Shift+A")
        bar.add("Declaration…", self.add_declaration)
        bar.add("Approve minutes", self.approve)
        right = QWidget()
        form = QFormLayout(right)
        form.addRow("Minutes:", self.text)
        form.addRow("Decision:", self.decision)
        form.addRow("Detail:", self.decision_text)
        form.addRow("Action points:", self.actions)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.items)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(bar)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)

    def set_meeting(self, meeting_id: int | None) -> None:
        self.meeting_id = meeting_id
        self.reload()

    def reload(self) -> None:
        current = self.items.currentRow()
        self.items.clear()
        if self.meeting_id is None:
            return
        data = minutes.get_minutes(self.ctx.db, self.meeting_id)
        self._data = data
        for item in data.items:
            entry = QListWidgetItem(("    " if item.level else "") +
                                    f"{item.number}  {item.title}")
            entry.setData(Qt.ItemDataRole.UserRole, item)
            self.items.addItem(entry)
        final = data.approved_on is not None
        self.status.setText(f"Approved on {data.approved_on:%d %b %Y}: final and publishable"
                            if final else "Draft: watermarked DRAFT until approved")
        for w in (self.text, self.decision, self.decision_text):
            w.setEnabled(not final)
        if self.items.count():
            self.items.setCurrentRow(max(0, min(current, self.items.count() - 1)))

    def _current(self):  # type: ignore[no-untyped-def]
        entry = self.items.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry else None

    def _load_item(self) -> None:
        item = self._current()
        self.actions.clear()
        if item is None:
            return
        self.text.setPlainText(item.text)
        self.decision.setCurrentIndex(max(0, self.decision.findData(item.decision)))
        self.decision_text.setText(item.decision_text)
        self.actions.addItems(list(item.actions))

    def save(self) -> None:
        item = self._current()
        if item is None:
            return
        before = (item.text, item.decision, item.decision_text)
        after = (self.text.toPlainText(), self.decision.currentData(), self.decision_text.text())
        first = version_once(item.version)
        try:
            self.ctx.push(f"Minutes of item {item.number}",
                          lambda: minutes.save_entry(self.ctx.db, item.item_id, *after,
                                                     version=first()),
                          lambda: minutes.save_entry(self.ctx.db, item.item_id, *before),
                          "meetings")
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, exc)
        self.reload()

    def add_action(self) -> None:
        item = self._current()
        if item is None:
            return
        text, ok = QInputDialog.getText(self, "Action point", "What is to be done:")
        if not ok or not text.strip():
            return
        everyone = people.list_people(self.ctx.db)
        names = [p.name for p in everyone]
        owner, ok = QInputDialog.getItem(self, "Action point", "Owner:", names, 0, False)
        if not ok:
            return
        due = clock.today() + dt.timedelta(days=28)
        try:
            minutes.add_action(self.ctx.db, item.item_id, text,
                               [everyone[names.index(owner)].id], due)
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, exc)
        self.ctx.data_changed.emit("actions")
        self.reload()

    def add_declaration(self) -> None:
        if self.meeting_id is None:
            return
        everyone = people.list_people(self.ctx.db)
        names = [p.name for p in everyone]
        who, ok = QInputDialog.getItem(self, "Declaration of interest", "Who:", names, 0, False)
        if not ok:
            return
        interest, ok = QInputDialog.getText(self, "Declaration of interest", "Interest:")
        if not ok:
            return
        item = self._current()
        mid = self.meeting_id
        made: dict[str, int] = {}

        def do() -> None:
            made["id"] = minutes.add_declaration(self.ctx.db, mid, everyone[names.index(who)].id,
                                                 interest, item.item_id if item else None)

        try:
            self.ctx.push("Declaration of interest", do,
                          lambda: minutes.remove_declaration(self.ctx.db, made["id"]),
                          "meetings")
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, exc)

    def approve(self) -> None:
        if self.meeting_id is None or not messages.confirm(
                self, "Mark these minutes approved? They become final and publishable."):
            return
        mid = self.meeting_id
        self.ctx.push("Approve minutes", lambda: minutes.approve(self.ctx.db, mid),
                      lambda: minutes.unapprove(self.ctx.db, mid), "meetings")
        self.reload()
