"""Boards & members: set up partnerships and boards, and who sits on each board."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from cspdesk import clock
from cspdesk.dates import format_date
from cspdesk.models.partnership import MembershipCategory
from cspdesk.services import boards, partnerships
from cspdesk.services.partnerships import BoardRow, MemberRow
from cspdesk.ui import messages
from cspdesk.ui.board_dialogs import ROLES, BoardDialog, MembershipDialog, PartnershipDialog
from cspdesk.ui.context import AppContext, version_once
from cspdesk.ui.people_page import make_table, selected_rows
from cspdesk.ui.table_model import Column, RowTableModel
from cspdesk.ui.widgets import PageToolbar

ROLE_LABELS = {value: label for value, label in ROLES if value}

MEMBER_COLUMNS: list[Column[MemberRow]] = [
    Column("Name", lambda r: r.person, lambda r: r.person.casefold()),
    Column("Organisation", lambda r: r.organisation, tooltip=lambda r: r.organisation),
    Column("Membership", lambda r: MembershipCategory(r.category).label),
    Column("Role", lambda r: ROLE_LABELS.get(r.role or "", "")),
    Column("From", lambda r: format_date(r.start_date), lambda r: r.start_date or dt.date.min),
    Column("Until", lambda r: format_date(r.end_date), lambda r: r.end_date or dt.date.max),
]


class BoardsPanel(QWidget):
    """A board chooser with its terms of reference, and the board's members."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.board_box = QComboBox()
        self.board_box.setAccessibleName("Board")
        self.board_box.setMinimumWidth(360)
        self.board_box.currentIndexChanged.connect(lambda _i: self._show_board())
        self.current_only = QCheckBox("Current members only")
        self.current_only.setChecked(True)
        self.current_only.toggled.connect(lambda _c: self._show_board())
        self.rules = QLabel()
        self.rules.setWordWrap(True)
        self.rules.setAccessibleName("Board rules")
        self.model: RowTableModel[MemberRow] = RowTableModel(MEMBER_COLUMNS, parent=self)
        self.view, self.proxy = make_table(self.model, "Board members")
        self.view.doubleClicked.connect(lambda _i: self.edit_member())
        self._sized = False

        self.toolbar = PageToolbar(self, search=None)
        self.toolbar.add("New partnership…", self.new_partnership)
        self.toolbar.add("New board…", self.new_board)
        self.toolbar.add("Edit board…", self.edit_board, "Ctrl+B",
                         "Terms of reference, meeting slot and contact (Ctrl+B)")
        self.toolbar.addSeparator()
        self.toolbar.add("Add member…", self.add_member, "Ctrl+Shift+N")
        self.toolbar.add("Edit member…", self.edit_member, "F2")
        self.toolbar.add("Remove member", self.remove_member, QKeySequence("Shift+Del"))
        self.toolbar.finish()

        top = QHBoxLayout()
        label = QLabel("&Board:")
        label.setBuddy(self.board_box)
        top.addWidget(label)
        top.addWidget(self.board_box)
        top.addWidget(self.current_only)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addLayout(top)
        layout.addWidget(self.rules)
        layout.addWidget(self.view, 1)
        ctx.data_changed.connect(self._on_data_changed)
        ctx.partnership_changed.connect(lambda _p: self.refresh())

    # ---------------------------------------------------------------- data
    def _on_data_changed(self, area: str) -> None:
        if area in ("partnerships", "people", "*"):
            self.refresh()

    def refresh(self) -> None:
        chosen = self.board_box.currentData()
        self.board_box.blockSignals(True)
        self.board_box.clear()
        for p in partnerships.list_partnerships(self.ctx.db):
            if self.ctx.partnership_id not in (None, p.id):
                continue
            for b in p.boards:
                self.board_box.addItem(b.name, b.id)
        index = self.board_box.findData(chosen)
        self.board_box.setCurrentIndex(index if index >= 0 else 0)
        self.board_box.blockSignals(False)
        self._show_board()

    def current_board(self) -> BoardRow | None:
        board_id = self.board_box.currentData()
        return partnerships.get_board(self.ctx.db, board_id) if board_id else None

    def _show_board(self) -> None:
        board = self.current_board()
        if board is None:
            self.rules.setText("No boards yet: start with New partnership…")
            self.model.set_rows([])
            return
        slot = "at no usual time"
        if board.default_start:
            slot = f"{board.default_start:%H:%M}" + (f"–{board.default_end:%H:%M}"
                                                      if board.default_end else "")
        quorum = ", ".join(q for q in (
            f"{board.quorum_min} organisations" if board.quorum_min else "",
            f"{board.quorum_fraction} of voting organisations" if board.quorum_fraction else "",
        ) if q) or "not set"
        self.rules.setText(
            f"Meets {slot}, {board.default_venue or 'no usual venue'} · quorum {quorum}"
            f"{' · one vote per organisation' if board.one_vote_per_organisation else ''}"
            f" · papers due {board.paper_deadline_working_days} working days before")
        today = clock.today()
        rows = partnerships.board_members(self.ctx.db, board.id)
        if self.current_only.isChecked():
            rows = [r for r in rows if r.current(today)]
        self.model.set_rows(rows)
        if not self._sized and rows:
            self._sized = True
            self.view.resizeColumnsToContents()
            for column in range(self.model.columnCount()):  # long names elide, no sideways scroll
                if self.view.columnWidth(column) > 320:
                    self.view.setColumnWidth(column, 320)

    # ---------------------------------------------------------------- actions
    def _run(self, text: str, do: Callable[[], Any], undo: Callable[[], Any]) -> Any:
        try:
            return self.ctx.push(text, do, undo, "partnerships")
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, exc)
            return None

    def new_partnership(self) -> None:
        dialog = PartnershipDialog(self)
        if not dialog.exec():
            return
        pdata, bdata = dialog.value()
        made: list[int] = []

        def do() -> object:
            row = boards.add_partnership(self.ctx.db, pdata, bdata)
            made[:] = [row.id]
            return row

        row = self._run(f"New partnership {pdata.name}", do,
                        lambda: boards.delete_partnership(self.ctx.db, made[0]))
        if row is not None:
            self.ctx.set_partnership(row.id)

    def new_board(self) -> None:
        board = self.current_board()
        if board is None:
            self.new_partnership()
            return
        dialog = BoardDialog(None, self)
        if not dialog.exec():
            return
        data = dialog.value()
        made: list[int] = []

        def do() -> object:
            row = boards.add_board(self.ctx.db, board.partnership_id, data)
            made[:] = [row.id]
            return row

        if self._run(f"New board {data.name}", do,
                     lambda: boards.delete_board(self.ctx.db, made[0])) is not None:
            self.board_box.setCurrentIndex(self.board_box.findData(made[0]))

    def edit_board(self) -> None:
        board = self.current_board()
        if board is None:
            return
        dialog = BoardDialog(board, self)
        if not dialog.exec():
            return
        data, old = dialog.value(), boards.board_input(board)
        version = version_once(board.version)
        self._run(f"Edit {board.name}",
                  lambda: boards.update_board(self.ctx.db, board.id, data, version()),
                  lambda: boards.update_board(self.ctx.db, board.id, old))

    def add_member(self) -> None:
        board = self.current_board()
        if board is None:
            return
        dialog = MembershipDialog(self.ctx.db, None, self)
        if not dialog.exec():
            return
        data = dialog.value()
        made: list[int] = []

        def do() -> object:
            row = boards.add_membership(self.ctx.db, board.id, data)
            made[:] = [row.id]
            return row

        self._run("Add a member", do, lambda: boards.delete_membership(self.ctx.db, made[0]))

    def edit_member(self) -> None:
        rows = selected_rows(self.view)
        if not rows:
            return
        row = rows[0]
        dialog = MembershipDialog(self.ctx.db, row, self)
        if not dialog.exec():
            return
        data, old = dialog.value(), boards.membership_input(row)
        version = version_once(row.version)
        self._run(f"Edit {row.person}'s membership",
                  lambda: boards.update_membership(self.ctx.db, row.id, data, version()),
                  lambda: boards.update_membership(self.ctx.db, row.id, old))

    def remove_member(self) -> None:
        rows = selected_rows(self.view)
        board = self.current_board()
        if not rows or board is None:
            return
        row = rows[0]
        if not messages.confirm(
                self, f"Remove {row.person} from {board.name}? To record that they left, "
                "edit the membership and give it an end date instead."):
            return
        data = boards.membership_input(row)
        restored = [row.id]

        def undo() -> None:
            restored[:] = [boards.add_membership(self.ctx.db, board.id, data).id]

        self._run(f"Remove {row.person}",
                  lambda: boards.delete_membership(self.ctx.db, restored[0]), undo)
