"""Funding forms of the Budget page: a funding stream (new or rename), and the grant income of
one stream in one year (list, add, edit, delete), each edit an undoable step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cspdesk.dates import financial_year_label, format_date
from cspdesk.models.budget import StreamKind
from cspdesk.money import format_money
from cspdesk.services.budget import StreamInput
from cspdesk.services.budget_figures import GrantFact, StreamFact, StreamFigures, year_figures
from cspdesk.ui import messages
from cspdesk.ui.budget_dialogs import BudgetForm, GrantDialog, _combo
from cspdesk.ui.budget_undo import BudgetEdits
from cspdesk.ui.people_page import make_table, selected_rows
from cspdesk.ui.table_model import RIGHT, Column, RowTableModel
from cspdesk.ui.widgets import hbox

GRANT_COLUMNS: list[Column[GrantFact]] = [
    Column("Source", lambda g: g.source),
    Column("Amount", lambda g: format_money(g.amount), lambda g: g.amount, RIGHT),
    Column("Status", lambda g: g.status_label,
           foreground=lambda g: None if g.counts else "#B9770E",
           tooltip=lambda g: None if g.counts else "TBC income is not counted as available"),
    Column("Status date", lambda g: format_date(g.status_date) if g.status_date else "",
           lambda g: g.status_date.toordinal() if g.status_date else 0),
    Column("Reference", lambda g: g.reference),
    Column("Notes", lambda g: g.notes, tooltip=lambda g: g.notes),
]


class StreamDialog(BudgetForm):
    """A funding stream: name, short column name, kind, whether rollover needs permission."""

    def __init__(self, submit: Callable[[Any], Any], stream: StreamFact | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Edit funding stream" if stream else "New funding stream", submit,
                         parent)
        self.name = self.line_edit("Name:", stream.name if stream else "")
        self.short_name = self.line_edit("Column heading:", stream.short_name if stream else "")
        self.short_name.setPlaceholderText("optional, e.g. OPCC or Pooled")
        self.kind = _combo([(k.label, k.value) for k in StreamKind],
                           stream.kind if stream else StreamKind.OTHER.value, "Kind")
        self.form.addRow("Kind:", self.kind)
        self.needs_permission = QCheckBox("Unspent money rolls over only with permission "
                                          "(e.g. the OPCC grant)")
        self.needs_permission.setAccessibleName("Rollover needs permission")
        self.needs_permission.setChecked(bool(stream and stream.needs_permission))
        self.form.addRow(self.needs_permission)
        self.note_edit = self.notes("Notes:", stream.notes if stream else "")
        if stream is None:
            self.kind.currentIndexChanged.connect(self._kind_defaults)
        self.resize(520, self.sizeHint().height())

    def _kind_defaults(self) -> None:
        kind = self.kind.currentData()
        self.needs_permission.setChecked(kind == StreamKind.OPCC.value)
        if not self.name.text().strip() and kind != StreamKind.OTHER.value:
            self.name.setText(StreamKind(kind).label)

    def collect(self) -> StreamInput:
        return StreamInput(self.name.text(), self.short_name.text(), self.kind.currentData(),
                           self.needs_permission.isChecked(), self.note_edit.toPlainText())


class GrantsDialog(QDialog):
    """The grant income of one stream in one year, with the stream's figures kept up to date."""

    def __init__(self, edits: BudgetEdits, partnership_id: int, stream: StreamFact, year: int,
                 streams: list[StreamFact], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits, self.partnership_id = edits, partnership_id
        self.stream, self.year, self.streams = stream, year, streams
        title = f"Grant income: {stream.name}, {financial_year_label(year)}"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.model: RowTableModel[GrantFact] = RowTableModel(GRANT_COLUMNS, parent=self)
        self.view, _proxy = make_table(self.model, "Grants")
        self.view.doubleClicked.connect(lambda _i: self.edit_grant())
        self.figures = QLabel()
        self.figures.setAccessibleName("Stream figures")
        self.figures.setWordWrap(True)
        buttons = []
        for text, slot in (("Add grant", self.add_grant), ("Edit grant", self.edit_grant),
                           ("Delete grant", self.delete_grant)):
            b = QPushButton(text)
            b.setAccessibleName(text)
            b.clicked.connect(slot)
            buttons.append(b)
        self.add_button, self.edit_button, self.delete_button = buttons
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.figures)
        layout.addWidget(self.view, 1)
        layout.addLayout(hbox(*buttons))
        layout.addWidget(close)
        self.resize(760, 340)
        self.reload()

    def stream_figures(self) -> StreamFigures | None:
        figs = year_figures(self.edits.db, self.partnership_id, self.year)
        return next((s for s in figs.streams if s.stream.id == self.stream.id), None)

    def reload(self) -> None:
        fig = self.stream_figures()
        grants = list(fig.grants) if fig else []
        self.model.set_rows(grants)
        self.view.resizeColumnsToContents()
        for col in range(self.model.columnCount()):
            self.view.setColumnWidth(col, min(self.view.columnWidth(col), 260))
        if fig is None:
            self.figures.setText("No grant income recorded for this year yet.")
            return
        tbc = f" · TBC (not counted) {format_money(fig.income_tbc)}" if fig.income_tbc else ""
        self.figures.setText(
            f"Brought forward {format_money(fig.opening)} · income {format_money(fig.income)}"
            f"{tbc} · <b>available {format_money(fig.available)}</b> · "
            f"closing balance {format_money(fig.closing)}")

    def current(self) -> GrantFact | None:
        rows = selected_rows(self.view)
        return rows[0] if rows else None

    def add_grant(self) -> None:
        dialog = GrantDialog(self.year, self.streams, self.edits.add_grant, parent=self)
        dialog.stream.setCurrentIndex(max(dialog.stream.findData(self.stream.id), 0))
        if dialog.exec():
            self.reload()

    def edit_grant(self) -> None:
        grant = self.current()
        if grant is None:
            return
        dialog = GrantDialog(self.year, self.streams,
                             lambda data: self.edits.update_grant(grant, data), grant, self)
        if dialog.exec():
            self.reload()

    def delete_grant(self) -> None:
        grant = self.current()
        if grant and messages.confirm(self, f"Delete the grant '{grant.source}' of "
                                            f"{format_money(grant.amount)}?"):
            self.edits.delete_grant(grant)
            self.reload()
