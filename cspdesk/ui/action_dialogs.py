"""Forms of the Action plans page: action, progress update, RAG override, action point, close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

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
from cspdesk.errors import ValidationError
from cspdesk.models.actions import ActionStatus
from cspdesk.money import format_money, parse_money
from cspdesk.services.actions import ActionInput, ActionRow, PriorityRow
from cspdesk.services.people import OrganisationRow, PersonRow


def _date_edit(value: dt.date | None, name: str,
               optional: bool = True) -> tuple[QDateEdit, QCheckBox | None]:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    edit.setAccessibleName(name)
    day = value or clock.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    check = None
    if optional:
        check = QCheckBox("set")
        check.setAccessibleName(f"{name} set")
        check.setChecked(value is not None)
        edit.setEnabled(value is not None)
        check.toggled.connect(edit.setEnabled)
    return edit, check


def _py(edit: QDateEdit, check: QCheckBox | None = None) -> dt.date | None:
    if check is not None and not check.isChecked():
        return None
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


def _row(*widgets: QWidget) -> QWidget:
    from cspdesk.ui.widgets import hbox

    w = QWidget()
    layout = hbox(*[x for x in widgets if x is not None])
    layout.setContentsMargins(0, 0, 0, 0)
    w.setLayout(layout)
    return w


class _Form(QDialog):
    """A dialog with a form, OK/Cancel and a one-sentence error line."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet("color: #C0392B;")
        self.error.setAccessibleName("Error")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def fail(self, message: str) -> None:
        self.error.setText(message)


class ActionDialog(_Form):
    """Add or edit an action or milestone."""

    def __init__(self, parent: QWidget | None, priorities: list[PriorityRow],
                 people: list[PersonRow], organisations: list[OrganisationRow],
                 row: ActionRow | None = None, parent_action: ActionRow | None = None,
                 budget_lines: list[tuple[int, str]] | None = None) -> None:
        milestone = parent_action is not None or (row is not None and row.is_milestone)
        what = "milestone" if milestone else "action"
        super().__init__(f"Edit {what} {row.ref}" if row else f"New {what}", parent)
        self.parent_id = parent_action.id if parent_action else (row.parent_id if row else None)
        self.title = QPlainTextEdit(row.title if row else "")
        self.title.setAccessibleName("Action")
        self.title.setFixedHeight(56)
        self.priority = QComboBox()
        self.priority.setAccessibleName("Priority")
        self.priority.addItem("(none)", None)
        for p in priorities:
            self.priority.addItem(f"{p.number}. {p.title}", p.id)
        self.priority.setCurrentIndex(max(0, self.priority.findData(row.priority_id if row else
                                                                    None)))
        self.priority.setEnabled(not milestone and bool(priorities))
        self.person = QComboBox()
        self.person.setAccessibleName("Lead officer")
        self.person.addItem("(none)", None)
        for p in people:
            self.person.addItem(p.name + (f" ({p.organisation})" if p.organisation else ""), p.id)
        self.person.setCurrentIndex(max(0, self.person.findData(row.lead_person_id if row else
                                                                None)))
        self.org = QComboBox()
        self.org.setAccessibleName("Lead organisation")
        self.org.addItem("(none)", None)
        for o in organisations:
            self.org.addItem(o.name, o.id)
        self.org.setCurrentIndex(max(0, self.org.findData(row.lead_organisation_id if row else
                                                          None)))
        self.lead_text = QLineEdit(row.lead_text or "" if row else "")
        self.lead_text.setAccessibleName("Lead team")
        self.partners = QListWidget()
        self.partners.setAccessibleName("Partner organisations")
        self.partners.setFixedHeight(80)
        chosen = set(row.partner_ids if row else ())
        for o in organisations:
            item = QListWidgetItem(o.name)
            item.setData(Qt.ItemDataRole.UserRole, o.id)
            item.setCheckState(Qt.CheckState.Checked if o.id in chosen else Qt.CheckState.Unchecked)
            self.partners.addItem(item)
        self.resources = QLineEdit(row.resources or "" if row else "")
        self.resources.setAccessibleName("Resources")
        self.cost = QLineEdit(format_money(row.cost) if row and row.cost is not None else "")
        self.cost.setAccessibleName("Cost")
        self.cost.setPlaceholderText("£0.00")
        self.budget = QComboBox()
        self.budget.setAccessibleName("Paid from budget line")
        self.budget.addItem("(none)", None)
        for line_id, label in budget_lines or []:
            self.budget.addItem(label, line_id)
        self.budget.setCurrentIndex(max(0, self.budget.findData(row.budget_line_id if row else
                                                                None)))
        self.start, self.start_set = _date_edit(row.start_date if row else None, "Start date")
        self.due, self.due_set = _date_edit(row.due_date if row else None, "Due date")
        self.timescale = QLineEdit(row.timescale or "" if row else "")
        self.timescale.setAccessibleName("Timescale")
        self.timescale.setPlaceholderText("e.g. Monthly, ongoing")
        self.quarter = QComboBox()
        self.quarter.setAccessibleName("Quarter")
        for q in ("", "Q1", "Q2", "Q3", "Q4"):
            self.quarter.addItem(q or "(none)", q or None)
        self.quarter.setCurrentIndex(max(0, self.quarter.findData(row.quarter if row else None)))
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        for s in ActionStatus:
            self.status.addItem(s.label, s.value)
        self.status.setCurrentIndex(self.status.findData(row.status if row else "not_started"))
        self.description = QPlainTextEdit(row.description or "" if row else "")
        self.description.setAccessibleName("Description")
        self.description.setFixedHeight(56)
        f = self.form
        f.addRow("&Action:", self.title)
        f.addRow("&Priority:", self.priority)
        f.addRow("Lead &officer:", self.person)
        f.addRow("Lead o&rganisation:", self.org)
        f.addRow("Lead &team:", self.lead_text)
        if not milestone:
            f.addRow("Partners:", self.partners)
            f.addRow("Resources:", self.resources)
        f.addRow("&Cost:", self.cost)
        if budget_lines:
            f.addRow("Paid from:", self.budget)
        f.addRow("&Start:", _row(self.start, self.start_set))
        f.addRow("&Due:", _row(self.due, self.due_set))
        f.addRow("Timescale:", self.timescale)
        f.addRow("&Quarter:", self.quarter)
        f.addRow("Stat&us:", self.status)
        f.addRow("Description:", self.description)
        self.result_input: ActionInput | None = None

    def accept(self) -> None:
        try:
            text = self.cost.text().strip()
            cost: Decimal | None = parse_money(text) if text else None
        except ValueError:
            self.fail(f"'{self.cost.text()}' is not an amount of money; write it like £4,750.00.")
            self.cost.setFocus()
            return
        if not self.title.toPlainText().strip():
            self.fail("Enter what the action is.")
            self.title.setFocus()
            return
        partners = [self.partners.item(i).data(Qt.ItemDataRole.UserRole)
                    for i in range(self.partners.count())
                    if self.partners.item(i).checkState() == Qt.CheckState.Checked]
        self.result_input = ActionInput(
            title=self.title.toPlainText(), priority_id=self.priority.currentData(),
            parent_id=self.parent_id, description=self.description.toPlainText(),
            lead_organisation_id=self.org.currentData(), lead_person_id=self.person.currentData(),
            lead_text=self.lead_text.text(), partner_ids=partners,
            resources=self.resources.text(), cost=cost, budget_line_id=self.budget.currentData(),
            start_date=_py(self.start, self.start_set), due_date=_py(self.due, self.due_set),
            timescale=self.timescale.text(), quarter=self.quarter.currentData(),
            status=self.status.currentData())
        super().accept()


class UpdateDialog(_Form):
    """A dated progress update, optionally with a new status."""

    def __init__(self, parent: QWidget | None, action: ActionRow) -> None:
        super().__init__(f"Progress update: {action.ref} {action.title[:50]}", parent)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Update")
        self.date, _ = _date_edit(clock.today(), "Date of update", optional=False)
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        self.status.addItem(f"(unchanged: {action.status_label})", None)
        for s in ActionStatus:
            if s.value != action.status:
                self.status.addItem(s.label, s.value)
        self.form.addRow("&Update:", self.text)
        self.form.addRow("&Date:", self.date)
        self.form.addRow("&Status:", self.status)

    def values(self) -> tuple[str, dt.date, str | None]:
        return self.text.toPlainText(), _py(self.date) or clock.today(), self.status.currentData()

    def accept(self) -> None:
        if not self.text.toPlainText().strip():
            self.fail("Write the update before saving it.")
            return
        if (_py(self.date) or clock.today()) > clock.today():
            self.fail("An update cannot be dated in the future.")
            return
        super().accept()


class OverrideDialog(_Form):
    """Set or remove a manual RAG override; a reason is required."""

    def __init__(self, parent: QWidget | None, action: ActionRow) -> None:
        super().__init__(f"RAG override: {action.ref}", parent)
        self.rag = QComboBox()
        self.rag.setAccessibleName("RAG")
        self.rag.addItem("(no override: computed)", None)
        for value in ("red", "amber", "green"):
            self.rag.addItem(value.capitalize(), value)
        self.rag.setCurrentIndex(max(0, self.rag.findData(action.rag_override)))
        self.reason = QLineEdit(action.rag_override_reason or "")
        self.reason.setAccessibleName("Reason")
        self.form.addRow("&RAG:", self.rag)
        self.form.addRow("R&eason:", self.reason)

    def accept(self) -> None:
        if self.rag.currentData() and not self.reason.text().strip():
            self.fail("Give the reason for overriding the RAG.")
            return
        super().accept()


class PointDialog(_Form):
    """Add or edit an action point; optionally linked to the agenda item that agreed it."""

    def __init__(self, parent: QWidget | None, people: list[PersonRow],
                 meetings: list[tuple[int, str]], text: str = "", owner_ids: tuple[int, ...] = (),
                 due: dt.date | None = None, meeting_id: int | None = None,
                 title: str = "New action point",
                 items_of: Callable[[int], list[tuple[int, str]]] | None = None,
                 agenda_item_id: int | None = None) -> None:
        super().__init__(title, parent)
        self.items_of = items_of
        self.meeting = QComboBox()
        self.meeting.setAccessibleName("Meeting")
        for mid, label in meetings:
            self.meeting.addItem(label, mid)
        if meeting_id is not None:
            self.meeting.setCurrentIndex(max(0, self.meeting.findData(meeting_id)))
        self.item = QComboBox()
        self.item.setAccessibleName("Agenda item")
        self.item.setToolTip("The item of the meeting's agenda that agreed the point")
        self.item.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.item.setMinimumContentsLength(40)
        self.fill_items(agenda_item_id)
        # another meeting has other items: start again from (none)
        self.meeting.currentIndexChanged.connect(lambda _i: self.fill_items())
        self.text = QPlainTextEdit(text)
        self.text.setAccessibleName("Action point")
        self.owners = QListWidget()
        self.owners.setAccessibleName("Owners")
        for p in people:
            item = QListWidgetItem(p.name)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setCheckState(Qt.CheckState.Checked if p.id in owner_ids
                               else Qt.CheckState.Unchecked)
            self.owners.addItem(item)
        self.due, self.due_set = _date_edit(due, "Due date")
        self.form.addRow("&Meeting:", self.meeting)
        self.form.addRow("Agenda &item:", self.item)
        self.form.addRow("&Action point:", self.text)
        self.form.addRow("&Owners:", self.owners)
        self.form.addRow("&Due:", _row(self.due, self.due_set))

    def fill_items(self, keep: int | None = None) -> None:
        """List the chosen meeting's agenda items, keeping the chosen one if it is among them."""
        meeting_id = self.meeting.currentData()
        choices = self.items_of(meeting_id) if self.items_of and meeting_id is not None else []
        self.item.clear()
        self.item.addItem("(none)", None)
        for item_id, label in choices:
            self.item.addItem(label, item_id)
            self.item.setItemData(self.item.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
        self.item.setCurrentIndex(max(0, self.item.findData(keep)) if keep is not None else 0)

    def values(self) -> tuple[int, str, list[int], dt.date | None, int | None]:
        """(meeting id, text, owner ids, due date, agenda item id or None)."""
        owners = [self.owners.item(i).data(Qt.ItemDataRole.UserRole)
                  for i in range(self.owners.count())
                  if self.owners.item(i).checkState() == Qt.CheckState.Checked]
        return (self.meeting.currentData(), self.text.toPlainText(), owners,
                _py(self.due, self.due_set), self.item.currentData())

    def accept(self) -> None:
        if self.meeting.currentData() is None:
            self.fail("Choose the meeting that agreed the action point.")
            return
        if not self.text.toPlainText().strip():
            self.fail("Write what is to be done.")
            return
        super().accept()


class ClosePointDialog(_Form):
    """Close a point with a note and date."""

    def __init__(self, parent: QWidget | None, ref: str) -> None:
        super().__init__(f"Close action point {ref}", parent)
        self.note = QLineEdit()
        self.note.setAccessibleName("Closing note")
        self.note.setPlaceholderText("e.g. Agenda item 6")
        self.date, _ = _date_edit(clock.today(), "Closed on", optional=False)
        self.form.addRow("Closing &note:", self.note)
        self.form.addRow("Closed &on:", self.date)

    def values(self) -> tuple[str, dt.date]:
        return self.note.text(), _py(self.date) or clock.today()


def raise_on_field(dialog: _Form, exc: ValidationError) -> None:
    """Show a service's validation message in the dialog."""
    dialog.fail(exc.message)
