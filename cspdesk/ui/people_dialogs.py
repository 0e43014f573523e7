"""Forms for a person, an organisation, and choosing two records to merge."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cspdesk.db.engine import Database
from cspdesk.errors import ValidationError
from cspdesk.models.organisation import OrgType
from cspdesk.services import people
from cspdesk.services.people import OrganisationRow, PersonRow


class FormDialog(QDialog):
    """A dialog with a form, OK/Cancel and an inline error line; validates before closing."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet("color: #C0392B;")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Form error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.fields: dict[str, QWidget] = {}

    def add_field(self, key: str, label: str, widget: QWidget) -> QWidget:
        widget.setAccessibleName(label.replace("&", ""))
        self.form.addRow(label, widget)
        self.fields[key] = widget
        return widget

    def validate(self) -> None:
        """Raise ValidationError(field=...) when the form is not valid."""

    def _try_accept(self) -> None:
        try:
            self.validate()
        except ValidationError as exc:
            self.error.setText(exc.message)
            widget = self.fields.get(exc.field or "")
            if widget is not None:
                widget.setFocus()
            return
        self.accept()


class PersonDialog(FormDialog):
    def __init__(self, db: Database, row: PersonRow | None, parent: QWidget | None = None) -> None:
        super().__init__("Edit person" if row else "New person", parent)
        self.name = self.add_field("name", "&Name", QLineEdit(row.name if row else ""))
        self.initials = self.add_field("initials", "&Initials",
                                       QLineEdit(row.initials or "" if row else ""))
        self.role = self.add_field("role", "&Role", QLineEdit(row.role or "" if row else ""))
        self.org = QComboBox()
        self.org.setEditable(False)
        self.org.addItem("(none)", None)
        for o in people.list_organisations(db):
            self.org.addItem(o.name, o.id)
        if row and row.organisation_id:
            self.org.setCurrentIndex(max(0, self.org.findData(row.organisation_id)))
        self.add_field("organisation_id", "&Organisation", self.org)
        self.email = self.add_field("email", "&Email", QLineEdit(row.email or "" if row else ""))
        self.phone = self.add_field("phone", "&Phone", QLineEdit(row.phone or "" if row else ""))
        self.notes = QPlainTextEdit(row.notes or "" if row else "")
        self.notes.setFixedHeight(60)
        self.add_field("notes", "No&tes", self.notes)
        self.resize(460, self.sizeHint().height())

    def value(self) -> people.PersonInput:
        return people.PersonInput(
            name=self.name.text(), initials=self.initials.text(), role=self.role.text(),
            organisation_id=self.org.currentData(), email=self.email.text(),
            phone=self.phone.text(), notes=self.notes.toPlainText())

    def validate(self) -> None:
        people.validate_person(self.value())


class OrganisationDialog(FormDialog):
    def __init__(self, db: Database, row: OrganisationRow | None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Edit organisation" if row else "New organisation", parent)
        self.name = self.add_field("name", "&Name", QLineEdit(row.name if row else ""))
        self.type = QComboBox()
        for t in OrgType:
            self.type.addItem(t.label, t.value)
        self.type.setCurrentIndex(self.type.findData(row.type if row else OrgType.OTHER.value))
        self.add_field("type", "&Type", self.type)
        self.aliases = QPlainTextEdit("\n".join(row.aliases) if row else "")
        self.aliases.setFixedHeight(70)
        self.aliases.setPlaceholderText("One other name or abbreviation per line")
        self.add_field("aliases", "Also &known as", self.aliases)
        self.notes = QPlainTextEdit(row.notes or "" if row else "")
        self.notes.setFixedHeight(60)
        self.add_field("notes", "No&tes", self.notes)
        self.resize(460, self.sizeHint().height())

    def value(self) -> people.OrganisationInput:
        return people.OrganisationInput(
            name=self.name.text(), type=self.type.currentData(),
            aliases=[a for a in self.aliases.toPlainText().splitlines() if a.strip()],
            notes=self.notes.toPlainText())

    def validate(self) -> None:
        people.validate_organisation(self.value())


class MergeDialog(FormDialog):
    """Choose the record to keep and the duplicate to fold into it."""

    def __init__(self, candidates: Sequence, preselected: Sequence, what: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Merge duplicate {what}s", parent)
        self.keep = QComboBox()
        self.dup = QComboBox()
        for combo in (self.keep, self.dup):
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            for row in candidates:
                label = row.name
                extra = getattr(row, "organisation", None)
                combo.addItem(f"{label} — {extra}" if extra else label, row)
        ids = [r.id for r in candidates]
        if preselected:
            self.keep.setCurrentIndex(ids.index(preselected[0].id))
        if len(preselected) > 1:
            self.dup.setCurrentIndex(ids.index(preselected[1].id))
        self.add_field("keep", "&Keep", self.keep)
        self.add_field("dup", "&Merge into it", self.dup)
        hint = QLabel(f"The second {what} disappears; its details fill any blanks, and every "
                      "record that names it moves to the one you keep."
                      + (" Its name becomes an alias." if what == "organisation" else ""))
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.resize(520, self.sizeHint().height())

    def choice(self) -> tuple:
        return self.keep.currentData(), self.dup.currentData()

    def validate(self) -> None:
        keep, dup = self.choice()
        if keep is None or dup is None:
            raise ValidationError("Choose both records.", field="keep")
        if keep.id == dup.id:
            raise ValidationError("Choose two different records to merge.", field="dup")
