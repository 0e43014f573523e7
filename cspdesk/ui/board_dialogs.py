"""Forms for a partnership, a board's terms of reference, and a board membership."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from cspdesk.dates import format_date
from cspdesk.db.engine import Database
from cspdesk.errors import ValidationError
from cspdesk.models.partnership import MembershipCategory
from cspdesk.services import boards, people
from cspdesk.services.partnerships import BoardRow, MemberRow
from cspdesk.ui.people_dialogs import FormDialog

ROLES = [(None, "(no role)"), ("chair", "Chair"), ("vice_chair", "Vice chair"),
         ("minute_taker", "Minute taker")]


class OptionalDate(QDateEdit):
    """A date field that may be left blank (shown as '—')."""

    BLANK = QDate(1900, 1, 1)

    def __init__(self, value: dt.date | None) -> None:
        super().__init__()
        self.setCalendarPopup(True)
        self.setDisplayFormat("d MMM yyyy")
        self.setMinimumDate(self.BLANK)
        self.setSpecialValueText("—")
        self.set_value(value)

    def set_value(self, value: dt.date | None) -> None:
        self.setDate(QDate(value.year, value.month, value.day) if value else self.BLANK)

    def value(self) -> dt.date | None:
        date = self.date()
        return None if date == self.BLANK else dt.date(date.year(), date.month(), date.day())


def _time_edit(value: dt.time | None) -> QTimeEdit:
    edit = QTimeEdit(QTime(value.hour, value.minute) if value else QTime(10, 0))
    edit.setDisplayFormat("HH:mm")
    return edit


def _time(edit: QTimeEdit) -> dt.time:
    t = edit.time()
    return dt.time(t.hour(), t.minute())


class BoardFields:
    """The terms-of-reference fields shared by the board and new-partnership forms."""

    def __init__(self, dialog: FormDialog, row: BoardRow | None) -> None:
        self.name = dialog.add_field("name", "Board &name", QLineEdit(row.name if row else ""))
        self.start = dialog.add_field("default_start", "Meetings &start",
                                      _time_edit(row.default_start if row else dt.time(10)))
        start = (row.default_start if row else None) or dt.time(10)
        end = (row.default_end if row else None) or dt.time(min(start.hour + 2, 23),
                                                            start.minute)
        self.end = dialog.add_field("default_end", "Meetings &end", _time_edit(end))
        self.venue = dialog.add_field("default_venue", "Usual &venue",
                                      QLineEdit(row.default_venue or "" if row else ""))
        self.quorum_min = QSpinBox()
        self.quorum_min.setRange(0, 99)
        self.quorum_min.setSpecialValueText("(none)")
        self.quorum_min.setValue(row.quorum_min or 0 if row else 0)
        dialog.add_field("quorum_min", "&Quorum (organisations)", self.quorum_min)
        self.fraction = dialog.add_field(
            "quorum_fraction", "Quorum as a &fraction",
            QLineEdit(row.quorum_fraction or "" if row else ""))
        self.fraction.setPlaceholderText("e.g. 1/3 or 50% of voting organisations")
        self.one_vote = QCheckBox("One vote per organisation")
        self.one_vote.setChecked(row.one_vote_per_organisation if row else True)
        dialog.add_field("one_vote_per_organisation", "", self.one_vote)
        self.casting = QCheckBox("The chair has a casting vote")
        self.casting.setChecked(row.chair_casting_vote if row else True)
        dialog.add_field("chair_casting_vote", "", self.casting)
        self.deadline = QSpinBox()
        self.deadline.setRange(0, 30)
        self.deadline.setSuffix(" working days before")
        self.deadline.setValue(row.paper_deadline_working_days if row else 5)
        dialog.add_field("paper_deadline_working_days", "&Papers due", self.deadline)
        self.contact = dialog.add_field("contact_name", "&Contact officer",
                                        QLineEdit(row.contact_name or "" if row else ""))
        self.email = dialog.add_field("contact_email", "Contact &email",
                                      QLineEdit(row.contact_email or "" if row else ""))
        self.phone = dialog.add_field("contact_phone", "Contact p&hone",
                                      QLineEdit(row.contact_phone or "" if row else ""))

    def value(self, notes: str | None = None) -> boards.BoardInput:
        return boards.BoardInput(
            name=self.name.text(), default_start=_time(self.start), default_end=_time(self.end),
            default_venue=self.venue.text(), quorum_min=self.quorum_min.value() or None,
            quorum_fraction=self.fraction.text(),
            one_vote_per_organisation=self.one_vote.isChecked(),
            chair_casting_vote=self.casting.isChecked(),
            paper_deadline_working_days=self.deadline.value(), contact_name=self.contact.text(),
            contact_email=self.email.text(), contact_phone=self.phone.text(), notes=notes)


class PartnershipDialog(FormDialog):
    """A new partnership and its first board."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("New partnership", parent)
        self.pname = self.add_field("pname", "&Partnership",
                                    QLineEdit())
        self.pname.setPlaceholderText("e.g. East Cambridgeshire Community Safety Partnership")
        self.short = self.add_field("short_name", "S&hort name", QLineEdit())
        self.board = BoardFields(self, None)
        self.resize(520, self.sizeHint().height())

    def value(self) -> tuple[boards.PartnershipInput, boards.BoardInput]:
        return (boards.PartnershipInput(self.pname.text(), self.short.text()),
                self.board.value())

    def validate(self) -> None:
        partnership, board = self.value()
        if not partnership.name.strip():
            raise ValidationError("Enter the partnership's name.", field="pname")
        boards.validate_board(board)


class BoardDialog(FormDialog):
    """A board's terms of reference, meeting slot and contact."""

    def __init__(self, row: BoardRow | None, parent: QWidget | None = None) -> None:
        super().__init__("Edit board" if row else "New board", parent)
        self.board = BoardFields(self, row)
        self.notes = QPlainTextEdit(row.notes or "" if row else "")
        self.notes.setFixedHeight(60)
        self.add_field("notes", "No&tes", self.notes)
        if row and row.former_names:
            former = QLabel("; ".join(f"{n} (until {format_date(u)})" if u else n
                                      for n, u in row.former_names))
            former.setWordWrap(True)
            former.setAccessibleName("Former names")
            self.form.addRow("Formerly", former)
        self.resize(520, self.sizeHint().height())

    def value(self) -> boards.BoardInput:
        return self.board.value(self.notes.toPlainText())

    def validate(self) -> None:
        boards.validate_board(self.value())


class MembershipDialog(FormDialog):
    """A person's seat on a board: kind of membership, role, dates."""

    def __init__(self, db: Database, row: MemberRow | None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Edit membership" if row else "Add a member", parent)
        self.person = QComboBox()
        self.person.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.person.setMinimumContentsLength(32)
        self.person.setEditable(True)
        self.person.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for p in people.list_people(db):
            self.person.addItem(f"{p.name} — {p.organisation}" if p.organisation else p.name,
                                p.id)
        self.person.setCurrentIndex(self.person.findData(row.person_id) if row else -1)
        self.add_field("person_id", "&Person", self.person)
        self.category = QComboBox()
        for c in MembershipCategory:
            self.category.addItem(c.label, c.value)
        self.category.setCurrentIndex(self.category.findData(row.category if row else "board"))
        self.add_field("category", "&Membership", self.category)
        self.role = QComboBox()
        for value, label in ROLES:
            self.role.addItem(label, value)
        self.role.setCurrentIndex(max(0, self.role.findData(row.role)) if row else 0)
        self.add_field("role", "&Role", self.role)
        self.org = QComboBox()
        self.org.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.org.setMinimumContentsLength(32)
        self.org.addItem("(the person's own organisation)", None)
        for o in people.list_organisations(db):
            self.org.addItem(o.name, o.id)
        if row and row.organisation_id:
            self.org.setCurrentIndex(max(0, self.org.findData(row.organisation_id)))
        self.add_field("organisation_id", "Represents", self.org)
        self.start = self.add_field("start_date", "&From", OptionalDate(row.start_date
                                                                         if row else None))
        self.end = self.add_field("end_date", "&Until", OptionalDate(row.end_date if row else None))
        self.resize(480, self.sizeHint().height())

    def value(self) -> boards.MembershipInput:
        return boards.MembershipInput(
            person_id=self.person.currentData(), category=self.category.currentData(),
            role=self.role.currentData(), organisation_id=self.org.currentData(),
            start_date=self.start.value(), end_date=self.end.value())

    def validate(self) -> None:
        data = self.value()
        if data.person_id is None:
            raise ValidationError("Choose the person (add them on the People tab first).",
                                  field="person_id")
        if data.start_date and data.end_date and data.end_date < data.start_date:
            raise ValidationError("The membership must end on or after the day it starts.",
                                  field="end_date")
