"""Dialogs of the agenda builder: the item form, a written paper, a generated paper."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
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
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cspdesk.errors import ValidationError
from cspdesk.models import ItemKind, Publication, Purpose
from cspdesk.services.agenda import MARKINGS, ItemInput
from cspdesk.services.meeting_papers import WrittenPaper
from cspdesk.services.people import PersonRow

PUBLICATION_LABELS = {"public": "Public", "exempt": "Exempt (Schedule 12A)",
                      "on_approval": "To be published once approved"}


class _Form(QDialog):
    """A dialog with a form, OK/Cancel and an error line; subclasses implement ``value()``."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet("color: #C0392B")
        self.error.setAccessibleName("Problem")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.result_value = None

    def add(self, label: str, widget: QWidget) -> QWidget:
        widget.setAccessibleName(label.rstrip(":"))
        self.form.addRow(label, widget)
        return widget

    def value(self):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.result_value = self.value()
        except ValidationError as exc:
            self.error.setText(exc.message)
            return
        super().accept()


class ItemDialog(_Form):
    """Title, purpose, minutes, kind, publication, paragraphs, marking, leads, group."""

    def __init__(self, people: list[PersonRow], data: ItemInput | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Agenda item", parent)
        data = data or ItemInput(title="", duration=10)
        self.title = self.add("Title:", QLineEdit(data.title))
        self.purpose = self.add("Purpose:", QComboBox())
        self.purpose.addItem("", None)
        for p in Purpose:
            self.purpose.addItem(p.value, p.value)
        self.purpose.setCurrentIndex(max(0, self.purpose.findData(data.purpose)))
        self.duration = self.add("Minutes:", QSpinBox())
        self.duration.setRange(0, 480)
        self.duration.setSingleStep(5)
        self.duration.setValue(data.duration or 0)
        self.kind = self.add("Kind:", QComboBox())
        for k in ItemKind:
            self.kind.addItem(k.value.capitalize(), k.value)
        self.kind.setCurrentIndex(self.kind.findData(data.kind))
        self.publication = self.add("Publication:", QComboBox())
        for p in Publication:
            self.publication.addItem(PUBLICATION_LABELS[p.value], p.value)
        self.publication.setCurrentIndex(self.publication.findData(data.publication))
        self.paragraphs = self.add("Schedule 12A paragraph(s):",
                                   QLineEdit(data.exempt_paragraphs or ""))
        self.paragraphs.setPlaceholderText("for example 1, 2, 3")
        self.marking = self.add("Protective marking:", QComboBox())
        self.marking.addItem("None", None)
        for m in MARKINGS:
            self.marking.addItem(m, m)
        self.marking.setCurrentIndex(max(0, self.marking.findData(data.marking)))
        self.leads = self.add("Lead(s):", QListWidget())
        for p in people:
            entry = QListWidgetItem(p.name + (f" ({p.organisation})" if p.organisation else ""))
            entry.setData(Qt.ItemDataRole.UserRole, p.id)
            entry.setCheckState(Qt.CheckState.Checked if p.id in data.lead_ids
                                else Qt.CheckState.Unchecked)
            self.leads.addItem(entry)
        self.leads.setMinimumHeight(120)
        self.lead_text = self.add("Lead as printed:", QLineEdit(data.lead_text or ""))
        self.lead_text.setPlaceholderText("optional, e.g. Chair / Board / members")
        self.group = self.add("Group heading:", QLineEdit(data.group_heading or ""))
        self.publication.currentIndexChanged.connect(self._sync)
        self._sync()
        self.resize(520, 560)

    def _sync(self) -> None:
        self.paragraphs.setEnabled(self.publication.currentData() == "exempt")

    def value(self) -> ItemInput:
        from cspdesk.services.agenda import validate

        leads = [self.leads.item(i).data(Qt.ItemDataRole.UserRole)
                 for i in range(self.leads.count())
                 if self.leads.item(i).checkState() == Qt.CheckState.Checked]
        return validate(ItemInput(
            title=self.title.text(), purpose=self.purpose.currentData(),
            duration=self.duration.value() or None, kind=self.kind.currentData(),
            publication=self.publication.currentData(), exempt_paragraphs=self.paragraphs.text(),
            marking=self.marking.currentData(), lead_ids=leads, lead_text=self.lead_text.text(),
            group_heading=self.group.text()))


class WrittenPaperDialog(_Form):
    """The standard cover: To / From / Date / Title, Purpose, Recommendation(s), Background..."""

    def __init__(self, data: WrittenPaper, parent: QWidget | None = None) -> None:
        super().__init__("Write a paper", parent)
        self.to = self.add("To:", QLineEdit(data.to))
        self.from_ = self.add("From:", QLineEdit(data.from_))
        self.date = self.add("Date:", QDateEdit())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMM yyyy")
        day = data.date or dt.date.today()
        self.date.setDate(QDate(day.year, day.month, day.day))
        self.title = self.add("Title:", QLineEdit(data.title))
        self.purpose = self.add("1 Purpose:", QPlainTextEdit(data.purpose))
        self.recs = self.add("2 Recommendation(s):", QPlainTextEdit(data.recommendations))
        self.background = self.add("3 Background:", QPlainTextEdit(data.background))
        self.further = self.add("Further sections:", QPlainTextEdit(
            "\n\n".join(f"# {h}\n{b}" for h, b in data.sections)))
        self.further.setPlaceholderText("# Heading\nText of the section (one '# ' line per "
                                        "section)")
        self.sources = self.add("Source document(s):", QLineEdit(data.source_documents))
        self.contact = self.add("Contact officer:", QLineEdit(data.contact_officer))
        self.form.addRow(QLabel("The closing recommendations repeat section 2 word for word."))
        self.resize(640, 720)

    def value(self) -> WrittenPaper:
        sections: list[tuple[str, str]] = []
        for block in self.further.toPlainText().split("# "):
            if block.strip():
                head, _, body = block.partition("\n")
                sections.append((head.strip(), body.strip()))
        if not self.title.text().strip():
            raise ValidationError("Give the paper a title.", field="title")
        q = self.date.date()
        return WrittenPaper(self.title.text(), self.to.text(), self.from_.text(),
                            dt.date(q.year(), q.month(), q.day()), self.purpose.toPlainText(),
                            self.recs.toPlainText(), self.background.toPlainText(), sections,
                            self.sources.text(), self.contact.text())


class GeneratedPaperDialog(_Form):
    """Choose a paper the app makes from its data (minutes, action log, finance report...)."""

    def __init__(self, providers: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__("Generated paper", parent)
        self.choice = self.add("Paper:", QComboBox())
        for key, label in providers.items():
            self.choice.addItem(label, key)

    def value(self) -> str:
        if self.choice.currentData() is None:
            raise ValidationError("No generated papers are available.", field="paper")
        return str(self.choice.currentData())
