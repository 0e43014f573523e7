"""ISA forms: agreement, party (with SPOCs), and the join / notice / breach events."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspdesk import clock
from cspdesk.dates import format_date
from cspdesk.db.engine import Database
from cspdesk.errors import ValidationError
from cspdesk.models.isa import AgreementStatus, SignatureStatus
from cspdesk.services import isa, isa_parties, isa_rules, people
from cspdesk.services.isa_cells import parse_date
from cspdesk.ui.people_dialogs import FormDialog

MARKINGS = ["", "OFFICIAL", "OFFICIAL-SENSITIVE", "Not protectively marked when final"]
SPOC_COLUMNS = ["Name", "Role", "Email", "Phone", "Note"]


class DateField(QLineEdit):
    """A date typed as '12 Feb 2020' or '12/02/2020'; blank means no date."""

    def __init__(self, value: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(format_date(value), parent)
        self.setPlaceholderText("e.g. 12 Feb 2020")

    def date(self, label: str, key: str) -> dt.date | None:
        text = self.text().strip()
        if not text:
            return None
        day = parse_date(text)
        if day is None:
            raise ValidationError(f"{label}: '{text}' is not a date; type it like 12 Feb 2020.",
                                  field=key)
        return day


def _tristate(value: bool | None) -> QComboBox:
    box = QComboBox()
    for text, data in (("Unknown", None), ("Yes", True), ("No", False)):
        box.addItem(text, data)
    box.setCurrentIndex(box.findData(value) if value is not None else 0)
    return box


def _org_box(db: Database, current: str | None) -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.addItem("")
    for o in people.list_organisations(db):
        box.addItem(o.name)
    box.setCurrentText(current or "")
    box.completer().setFilterMode(box.completer().filterMode().MatchContains)
    return box


class AgreementDialog(FormDialog):
    """Title, reference, purpose, owner, marking, version, status and review dates."""

    def __init__(self, db: Database, partnership_id: int, row: isa.AgreementRow | None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Edit agreement" if row else "New agreement", parent)
        self.partnership_id = partnership_id
        self.title_edit = self.add_field("title", "&Title", QLineEdit(row.title if row else ""))
        self.reference = self.add_field("reference", "&Reference",
                                        QLineEdit(row.reference if row else ""))
        self.purpose = self.add_field("purpose", "&Purpose", QPlainTextEdit(
            row.purpose or "" if row else ""))
        self.purpose.setFixedHeight(70)
        self.partners = self.add_field("partners_summary", "P&artners", QLineEdit(
            row.partners_summary or "" if row else ""))
        self.owner = self.add_field("owner_name", "Agreement &owner",
                                    _org_box(db, row.owner if row else None))
        self.drawn = self.add_field("drawn_up_by", "&Drawn up by",
                                    QLineEdit(row.drawn_up_by or "" if row else ""))
        self.marking = QComboBox()
        self.marking.setEditable(True)
        self.marking.addItems(MARKINGS)
        self.marking.setCurrentText(row.protective_marking or "" if row else "")
        self.add_field("protective_marking", "Protective &marking", self.marking)
        self.doc_version = self.add_field("doc_version", "&Version",
                                          QLineEdit(row.doc_version or "" if row else "1.0"))
        self.status = QComboBox()
        for s in AgreementStatus:
            self.status.addItem(s.label, s.value)
        self.status.setCurrentIndex(self.status.findData(row.status if row else "draft"))
        self.add_field("status", "&Status", self.status)
        self.last = self.add_field("last_review", "&Last review",
                                   DateField(row.last_review if row else None))
        self.next = self.add_field("next_review", "&Next review",
                                   DateField(row.next_review if row else None))
        self.notes = self.add_field("notes", "N&otes", QPlainTextEdit(row.notes or "" if row
                                                                       else ""))
        self.notes.setFixedHeight(60)
        self.resize(560, self.sizeHint().height())

    def value(self) -> isa.AgreementInput:
        return isa.AgreementInput(
            self.partnership_id, self.title_edit.text(), self.reference.text(),
            self.purpose.toPlainText(), self.partners.text(), self.owner.currentText() or None,
            self.drawn.text(), self.marking.currentText(), self.doc_version.text(),
            self.status.currentData(), self.last.date("Last review", "last_review"),
            self.next.date("Next review", "next_review"), self.notes.toPlainText())

    def validate(self) -> None:
        isa.validate_agreement(self.value())


class PartyDialog(FormDialog):
    """One organisation's row: board member, signatory, status, SPOCs, ECINS, dates, notes."""

    def __init__(self, db: Database, row: isa.PartyRow | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Edit {row.organisation}" if row else "New party", parent)
        self.org = self.add_field("organisation", "&Organisation",
                                  _org_box(db, row.organisation if row else None))
        self.board = self.add_field("board_member", "CSP &Board member?",
                                    _tristate(row.board_member if row else None))
        self.lead = self.add_field("lead_name", "&Lead signatory", QLineEdit(
            row.lead_name or "" if row else ""))
        names = [p.name for p in people.list_people(db)]
        completer = QCompleter(names, self.lead)
        completer.setCaseSensitivity(completer.caseSensitivity().CaseInsensitive)
        self.lead.setCompleter(completer)
        self.lead_role = self.add_field("lead_role", "Signatory &role", QLineEdit(
            row.lead_role or "" if row else ""))
        self.status = QComboBox()
        for s in SignatureStatus:
            self.status.addItem(s.label, s.value)
        self.status.setCurrentIndex(self.status.findData(row.status if row else "not_recorded"))
        self.add_field("status", "Signature &status", self.status)
        self.status_date = self.add_field("status_date", "Status &date (sent/returned)",
                                          DateField(row.status_date if row else None))
        self.ecins = self.add_field("ecins_user", "&ECINS user?",
                                    _tristate(row.ecins_user if row else None))
        self.joined = self.add_field("joined_on", "&Joined", DateField(
            row.joined_on if row else None))
        self.spocs = QTableWidget(0, len(SPOC_COLUMNS))
        self.spocs.setHorizontalHeaderLabels(SPOC_COLUMNS)
        self.spocs.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.spocs.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.spocs.setMinimumHeight(110)
        for sp in (row.spocs if row else ()):
            self.add_spoc([sp.name, sp.role, sp.email, sp.phone, sp.note])
        add = QPushButton("&Add SPOC")
        add.clicked.connect(lambda: self.add_spoc([]))
        remove = QPushButton("Re&move SPOC")
        remove.clicked.connect(self.remove_spoc)
        box = QWidget()
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.spocs)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        inner.addLayout(buttons)
        self.add_field("spocs", "&SPOCs", box)
        self.spocs.setAccessibleName("SPOCs")
        self.notes = self.add_field("notes", "N&otes", QPlainTextEdit(row.notes or "" if row
                                                                       else ""))
        self.notes.setFixedHeight(60)
        self.resize(720, self.sizeHint().height())

    def add_spoc(self, values: list[str | None]) -> None:
        r = self.spocs.rowCount()
        self.spocs.insertRow(r)
        for c in range(len(SPOC_COLUMNS)):
            value = values[c] if c < len(values) else None
            self.spocs.setItem(r, c, QTableWidgetItem(value or ""))
        self.spocs.setCurrentCell(r, 0)

    def remove_spoc(self) -> None:
        for r in sorted({i.row() for i in self.spocs.selectedIndexes()}, reverse=True):
            self.spocs.removeRow(r)

    def _spoc_values(self) -> list[isa_parties.SpocInput]:
        result = []
        for r in range(self.spocs.rowCount()):
            cells = [(self.spocs.item(r, c).text() if self.spocs.item(r, c) else "")
                     for c in range(len(SPOC_COLUMNS))]
            if any(x.strip() for x in cells):
                result.append(isa_parties.SpocInput(*[x or None for x in cells]))
        return result

    def value(self) -> isa_parties.PartyInput:
        return isa_parties.PartyInput(
            self.org.currentText(), self.board.currentData(), self.lead.text() or None,
            self.lead_role.text() or None, self.status.currentData(),
            self.status_date.date("Status date", "status_date"), self.ecins.currentData(),
            self.joined.date("Joined", "joined_on"), self.notes.toPlainText(),
            self._spoc_values())

    def validate(self) -> None:
        isa_parties.validate_party(self.value())


class NoticeDialog(FormDialog):
    """A partner gives notice: the leaving date is at least one month later."""

    def __init__(self, organisation: str, parent: QWidget | None = None) -> None:
        super().__init__(f"{organisation} gives notice", parent)
        today = clock.today()
        self.notice = self.add_field("notice", "&Notice given on", DateField(today))
        self.effective = self.add_field("effective", "&Leaves on (at least a month later)",
                                        DateField(isa_rules.earliest_leaving(today)))
        self.notice.editingFinished.connect(self._suggest)

    def _suggest(self) -> None:
        day = parse_date(self.notice.text())
        if day is not None:
            self.effective.setText(format_date(isa_rules.earliest_leaving(day)))

    def value(self) -> tuple[dt.date, dt.date]:
        notice = self.notice.date("Notice given on", "notice") or clock.today()
        effective = self.effective.date("Leaves on", "effective") or (
            isa_rules.earliest_leaving(notice))
        return notice, effective

    def validate(self) -> None:
        notice, effective = self.value()
        earliest = isa_rules.earliest_leaving(notice)
        if effective < earliest:
            raise ValidationError(f"A partner must give at least one month's notice: the "
                                  f"earliest leaving date is {format_date(earliest)}.",
                                  field="effective")


class EventDialog(FormDialog):
    """A dated event: a partner joining, or a breach with a short description."""

    def __init__(self, title: str, with_description: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.on = self.add_field("on", "&Date", DateField(clock.today()))
        self.description = self.add_field("description", "&What happened", QLineEdit()
                                          ) if with_description else None
        if self.description is not None:
            self.resize(480, self.sizeHint().height())

    def value(self) -> tuple[dt.date, str]:
        text = self.description.text() if self.description is not None else ""
        return self.on.date("Date", "on") or clock.today(), text

    def validate(self) -> None:
        _on, text = self.value()
        if self.description is not None and not text.strip():
            raise ValidationError("Describe the breach in a few words.", field="description")
