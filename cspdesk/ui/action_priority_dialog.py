"""Edit a plan: its title and period, and its priorities (themes): add, rename, delete.

Every change is one undoable step on ``ctx.undo_stack``; a refused change shows its sentence in
the form and leaves the list as it was.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cspdesk.errors import UserError
from cspdesk.services import actions as svc
from cspdesk.services.actions import PriorityRow
from cspdesk.ui.context import AppContext
from cspdesk.ui.widgets import hbox

AREA = "actions"


class PlanPrioritiesDialog(QDialog):
    """A plan's title, period and priorities, each edit saved (and undoable) as it is made."""

    def __init__(self, ctx: AppContext, plan_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.plan_id = ctx, plan_id
        self.setWindowTitle("Plan and priorities")
        self.setAccessibleName("Plan and priorities")
        tree = svc.plan_tree(ctx.db, plan_id)
        self.plan_title = QLineEdit(tree.plan.title)
        self.plan_title.setAccessibleName("Plan title")
        self.period = QLineEdit(tree.plan.period or "")
        self.period.setAccessibleName("Period")
        self.period.setPlaceholderText("e.g. 2020-21")
        save_plan = QPushButton("Save title and period")
        save_plan.setAccessibleName("Save title and period")
        save_plan.clicked.connect(self.save_plan)
        form = QFormLayout()
        form.addRow("Title:", self.plan_title)
        form.addRow("Period:", self.period)
        form.addRow("", save_plan)
        self.list = QListWidget()
        self.list.setAccessibleName("Priorities")
        self.list.itemDoubleClicked.connect(lambda _i: self.name.setFocus())
        self.list.currentRowChanged.connect(self._show)
        self.name = QLineEdit()
        self.name.setAccessibleName("Priority title")
        self.name.setPlaceholderText("title of the priority or theme")
        buttons = []
        for text, slot in (("Add", self.add), ("Rename", self.rename), ("Delete", self.delete)):
            b = QPushButton(text)
            b.setAccessibleName(f"{text} priority")
            b.clicked.connect(slot)
            buttons.append(b)
        self.error = QLabel()
        self.error.setStyleSheet("color: #C0392B")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Form error")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Priorities (themes), in plan order; actions are numbered "
                                "under them (1.1, 1.2, 2.1 ...):"))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.name)
        layout.addLayout(hbox(*buttons))
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.priorities: list[PriorityRow] = []
        self.resize(720, 460)
        self.reload()

    def reload(self, select: int | None = None) -> None:
        tree = svc.plan_tree(self.ctx.db, self.plan_id)
        self.priorities = list(tree.priorities)
        counts = {p.id: len(tree.top_level(p.id)) for p in self.priorities}
        row = self.list.currentRow() if select is None else select
        self.list.clear()
        for p in self.priorities:
            n = counts[p.id]
            self.list.addItem(f"{p.number}. {p.title} ({n} action{'s' if n != 1 else ''})")
        if self.priorities:
            self.list.setCurrentRow(max(0, min(row, len(self.priorities) - 1)))

    def current(self) -> PriorityRow | None:
        row = self.list.currentRow()
        return self.priorities[row] if 0 <= row < len(self.priorities) else None

    def _show(self, _row: int) -> None:
        p = self.current()
        self.name.setText(p.title if p else "")

    def _step(self, text: str, do: Any, undo: Any) -> bool:
        try:
            self.ctx.push(text, do, undo, AREA)
        except UserError as exc:
            self.error.setText(exc.message)
            return False
        self.error.setText("")
        return True

    def save_plan(self) -> None:
        tree = svc.plan_tree(self.ctx.db, self.plan_id)
        old = (tree.plan.title, tree.plan.period)
        new = (self.plan_title.text(), self.period.text())
        version = [tree.plan.version]
        db, pid = self.ctx.db, self.plan_id
        self._step(f"Rename plan {old[0]}",
                   lambda: svc.update_plan(db, pid, *new, version.pop() if version else None),
                   lambda: svc.update_plan(db, pid, *old))

    def add(self) -> None:
        db, pid, title, made = self.ctx.db, self.plan_id, self.name.text(), {}

        def do() -> None:
            made["id"] = svc.add_priority(db, pid, title).id

        if self._step(f"New priority {title.strip()}", do,
                      lambda: svc.delete_priority(db, made["id"])):
            self.reload(select=len(self.priorities))

    def rename(self) -> None:
        p = self.current()
        if p is None:
            return
        db, title, version = self.ctx.db, self.name.text(), [p.version]
        if self._step(f"Rename priority {p.title}",
                      lambda: svc.rename_priority(db, p.id, title,
                                                  version.pop() if version else None),
                      lambda: svc.rename_priority(db, p.id, p.title)):
            self.reload()

    def delete(self) -> None:
        """Delete an empty priority; undo adds it back (at the end of the list)."""
        p = self.current()
        if p is None:
            return
        db, pid, held = self.ctx.db, self.plan_id, {"id": p.id}

        def undo() -> None:
            held["id"] = svc.add_priority(db, pid, p.title).id

        if self._step(f"Delete priority {p.title}",
                      lambda: svc.delete_priority(db, held["id"]), undo):
            self.reload()
