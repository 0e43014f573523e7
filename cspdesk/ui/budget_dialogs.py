"""Budget forms: a budget line with its split (and the plan actions it pays for), a transaction,
a stream's year, a grant.

Each form calls ``submit(input)`` on OK; a UserError keeps the form open with its sentence shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, Qt
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
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cspdesk import clock
from cspdesk.dates import financial_year_bounds, financial_year_label
from cspdesk.errors import UserError, ValidationError
from cspdesk.models.budget import EntryKind, GrantStatus, LineStatus
from cspdesk.money import format_money, parse_money
from cspdesk.services.action_budget import LinkedAction
from cspdesk.services.budget import EntryInput, GrantInput, LineInput, StreamYearInput
from cspdesk.services.budget_figures import EntryFact, GrantFact, LineFact, StreamFact


def _money_text(value: Decimal | None) -> str:
    return "" if value is None else format_money(value)


def _parse(text: str, what: str, fld: str, *, blank_ok: bool = True) -> Decimal | None:
    if not text.strip():
        if blank_ok:
            return None
        raise ValidationError(f"Enter the {what}.", field=fld)
    try:
        return parse_money(text)
    except ValueError as exc:
        raise ValidationError(f"The {what} '{text.strip()}' is not an amount of money, "
                              "e.g. £1,250.00.", field=fld) from exc


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def _combo(items: Sequence[tuple[str, Any]], current: Any, name: str) -> QComboBox:
    box = QComboBox()
    for label, value in items:
        box.addItem(label, value)
    index = box.findData(current)
    box.setCurrentIndex(max(index, 0))
    box.setAccessibleName(name)
    return box


class BudgetForm(QDialog):
    """Base: a form layout, an error line and OK/Cancel that submits."""

    def __init__(self, title: str, submit: Callable[[Any], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._submit = submit
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet("color: #C0392B;")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Form error")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.result_value: Any = None

    def line_edit(self, label: str, text: str | None = "") -> QLineEdit:
        edit = QLineEdit(text or "")
        edit.setAccessibleName(label.rstrip(":"))
        self.form.addRow(label, edit)
        return edit

    def notes(self, label: str, text: str | None) -> QPlainTextEdit:
        edit = QPlainTextEdit(text or "")
        edit.setAccessibleName(label.rstrip(":"))
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(70)
        self.form.addRow(label, edit)
        return edit

    def collect(self) -> Any:
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.result_value = self._submit(self.collect())
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        super().accept()


class LineDialog(BudgetForm):
    """Item, category, status, an amount per stream, projected outturn, notes; editing a line,
    also the plan actions it pays for (``actions``: the partnership's actions to choose from)."""

    def __init__(self, year: int, streams: Sequence[StreamFact], submit: Callable[[Any], Any],
                 line: LineFact | None = None, parent: QWidget | None = None,
                 actions: Sequence[LinkedAction] = ()) -> None:
        title = f"{'Edit' if line else 'New'} budget line, {financial_year_label(year)}"
        super().__init__(title, submit, parent)
        self.year, self.line = year, line
        self.item = self.line_edit("Item:", line.item if line else "")
        self.category = self.line_edit("Category:", line.category if line else "")
        self.status = _combo([(s.label, s.value) for s in LineStatus],
                             line.status if line else LineStatus.AGREED.value, "Status")
        self.form.addRow("Status:", self.status)
        self.amounts: dict[int, QLineEdit] = {}
        for s in streams:
            value = line.splits.get(s.id) if line else None
            self.amounts[s.id] = self.line_edit(f"Profiled from {s.name}:", _money_text(value))
        self.projected = self.line_edit(
            "Projected outturn:", _money_text(line.projected_override if line else None))
        self.projected.setPlaceholderText("blank: the profile, or the outturn once the year ends")
        self.note_edit = self.notes("Notes and context:", line.notes if line else "")
        self.actions: QListWidget | None = None
        if line is not None and actions:
            self._action_list(line.id, actions)
        self.resize(640 if self.actions else 520, self.sizeHint().height())

    def _action_list(self, line_id: int, actions: Sequence[LinkedAction]) -> None:
        """A checkable list of the partnership's actions under their plans, with a filter box."""
        self.action_filter = QLineEdit()
        self.action_filter.setAccessibleName("Filter actions")
        self.action_filter.setPlaceholderText("Filter by ref, title or plan")
        self.actions = QListWidget()
        self.actions.setAccessibleName("Pays for actions")
        self.actions.setFixedHeight(170)
        first: QListWidgetItem | None = None
        plan: str | None = None
        for a in actions:
            if a.plan != plan:
                plan = a.plan
                header = QListWidgetItem(plan)
                header.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = header.font()
                font.setBold(True)
                header.setFont(font)
                self.actions.addItem(header)
            text = a.name(60)
            if a.budget_line_id not in (None, line_id):
                text += f" [paid from {a.budget_line}]"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            item.setToolTip(a.label() + (f"\nCost: {format_money(a.cost)}" if a.cost else "")
                            + (f"\nPaid from {a.budget_line}" if a.budget_line else ""))
            mine = a.budget_line_id == line_id
            item.setCheckState(Qt.CheckState.Checked if mine else Qt.CheckState.Unchecked)
            self.actions.addItem(item)
            if mine and first is None:
                first = item
        if first is not None:  # the ticked actions in view
            self.actions.scrollToItem(first, QListWidget.ScrollHint.PositionAtTop)
        self.action_filter.textChanged.connect(self._filter_actions)
        self.form.addRow(QLabel("Pays for these plan actions (tick to pay them from this line):"))
        self.form.addRow(self.action_filter)
        self.form.addRow(self.actions)

    def _filter_actions(self, text: str) -> None:
        """Show the actions whose ref, title or plan has every word; a plan shows with them."""
        assert self.actions is not None
        words = text.casefold().split()
        header = None
        for i in range(self.actions.count()):
            item = self.actions.item(i)
            if item.data(Qt.ItemDataRole.UserRole) is None:
                header = item
                item.setHidden(True)
                continue
            hidden = not all(w in item.toolTip().casefold() for w in words)
            item.setHidden(hidden)
            if not hidden and header is not None:
                header.setHidden(False)

    def action_ids(self) -> tuple[int, ...] | None:
        """The actions checked as paid from the line (None when the form has no such list)."""
        if self.actions is None:
            return None
        items = [self.actions.item(i) for i in range(self.actions.count())]
        return tuple(item.data(Qt.ItemDataRole.UserRole) for item in items
                     if item.data(Qt.ItemDataRole.UserRole) is not None
                     and item.checkState() == Qt.CheckState.Checked)

    def collect(self) -> LineInput:
        splits: dict[int, Decimal] = {}
        for stream_id, edit in self.amounts.items():
            value = _parse(edit.text(), "amount", "splits")
            if value is not None:
                splits[stream_id] = value
        return LineInput(self.year, self.item.text(), splits, self.category.text(),
                         _parse(self.projected.text(), "projected outturn", "projected_outturn"),
                         self.status.currentData(), self.note_edit.toPlainText(),
                         self.line.position if self.line else None)


class EntryDialog(BudgetForm):
    """A payment, a credit or a commitment on one line."""

    def __init__(self, line: LineFact, streams: Sequence[StreamFact],
                 submit: Callable[[Any], Any], entry: EntryFact | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"{'Edit' if entry else 'New'} transaction: {line.item}", submit, parent)
        self.line = line
        default_stream = entry.stream_id if entry else next(iter(line.splits), None)
        self.stream = _combo([(s.name, s.id) for s in streams], default_stream, "Stream")
        self.form.addRow("Stream:", self.stream)
        start, end = financial_year_bounds(line.year)
        day = entry.date if entry else min(max(clock.today(), start), end)
        self.date = QDateEdit(_qdate(day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMM yyyy")
        self.date.setDateRange(_qdate(start), _qdate(end))
        self.date.setAccessibleName("Date")
        self.form.addRow("Date:", self.date)
        self.kind = _combo([(k.label, k.value) for k in EntryKind],
                           entry.kind if entry else EntryKind.PAYMENT.value, "Kind")
        self.form.addRow("Kind:", self.kind)
        self.amount = self.line_edit("Amount:", _money_text(entry.amount if entry else None))
        self.counterparty = self.line_edit("Payee or source:", entry.counterparty if entry else "")
        self.reference = self.line_edit("Reference:", entry.reference if entry else "")
        self.note_edit = self.notes("Note:", entry.note if entry else "")

    def collect(self) -> EntryInput:
        amount = _parse(self.amount.text(), "amount", "amount", blank_ok=False)
        assert amount is not None
        return EntryInput(self.line.id, self.stream.currentData(), _pydate(self.date.date()),
                          amount, self.kind.currentData(), self.counterparty.text(),
                          self.reference.text(), self.note_edit.toPlainText())


class StreamYearDialog(BudgetForm):
    """Opening balance override (with its reason) and rollover permission for one year."""

    def __init__(self, stream: StreamFact, year: int, computed: Decimal | None,
                 current: StreamYearInput, submit: Callable[[Any], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(f"{stream.name}, {financial_year_label(year)}", submit, parent)
        hint = (f"computed from last year: {format_money(computed)}" if computed is not None
                else "no earlier year is recorded")
        self.override = QCheckBox(f"Enter the opening balance by hand ({hint})")
        self.override.setChecked(current.opening_override is not None)
        self.override.setAccessibleName("Enter the opening balance by hand")
        self.form.addRow(self.override)
        self.opening = self.line_edit("Opening balance:", _money_text(current.opening_override))
        self.reason = self.line_edit("Reason:", current.opening_reason)
        self.permitted = QCheckBox("Unspent money may roll over into next year")
        self.permitted.setChecked(current.rollover_permitted)
        self.permitted.setAccessibleName("Rollover permitted")
        self.form.addRow(self.permitted)
        day = current.permission_date or clock.today()
        self.permission = QDateEdit(_qdate(day))
        self.permission.setCalendarPopup(True)
        self.permission.setDisplayFormat("d MMM yyyy")
        self.permission.setAccessibleName("Permission date")
        self.form.addRow("Permission given on:", self.permission)
        self.rollover_note = self.line_edit("Rollover note:", current.rollover_note)
        self.override.toggled.connect(self._sync)
        self.permitted.toggled.connect(self._sync)
        self._sync()
        self.resize(560, self.sizeHint().height())

    def _sync(self) -> None:
        self.opening.setEnabled(self.override.isChecked())
        self.reason.setEnabled(self.override.isChecked())
        self.permission.setEnabled(self.permitted.isChecked())

    def collect(self) -> StreamYearInput:
        opening = None
        if self.override.isChecked():
            opening = _parse(self.opening.text(), "opening balance", "opening_override",
                             blank_ok=False)
        return StreamYearInput(opening, self.reason.text() if opening is not None else None,
                               self.permitted.isChecked(),
                               _pydate(self.permission.date()) if self.permitted.isChecked()
                               else None, self.rollover_note.text())


class GrantDialog(BudgetForm):
    """New money into a stream for the year, with its status."""

    def __init__(self, year: int, streams: Sequence[StreamFact], submit: Callable[[Any], Any],
                 grant: GrantFact | None = None, parent: QWidget | None = None) -> None:
        super().__init__(f"{'Edit' if grant else 'New'} grant income, "
                         f"{financial_year_label(year)}", submit, parent)
        self.year = year
        self.stream = _combo([(s.name, s.id) for s in streams],
                             grant.stream_id if grant else None, "Stream")
        self.form.addRow("Stream:", self.stream)
        self.source = self.line_edit("Source:", grant.source if grant else "")
        self.amount = self.line_edit("Amount:", _money_text(grant.amount if grant else None))
        self.status = _combo([(g.label, g.value) for g in GrantStatus],
                             grant.status if grant else GrantStatus.TBC.value, "Status")
        self.form.addRow("Status:", self.status)
        self.dated = QCheckBox("Status date known")
        self.dated.setChecked(bool(grant and grant.status_date))
        self.form.addRow(self.dated)
        self.date = QDateEdit(_qdate((grant.status_date if grant else None) or clock.today()))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMM yyyy")
        self.date.setAccessibleName("Status date")
        self.form.addRow("Status date:", self.date)
        self.reference = self.line_edit("Reference:", grant.reference if grant else "")
        self.note_edit = self.notes("Notes:", grant.notes if grant else "")
        self.dated.toggled.connect(self.date.setEnabled)
        self.date.setEnabled(self.dated.isChecked())

    def collect(self) -> GrantInput:
        amount = _parse(self.amount.text(), "grant amount", "amount", blank_ok=False)
        assert amount is not None
        return GrantInput(self.stream.currentData(), self.year, self.source.text(), amount,
                          self.status.currentData(),
                          _pydate(self.date.date()) if self.dated.isChecked() else None,
                          self.reference.text(), self.note_edit.toPlainText())
