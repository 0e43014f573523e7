"""Preview of an ISA register import: every row as it will be read, warnings and errors."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cspdesk.services.isa_import import ImportRow, Preview
from cspdesk.ui.table_model import RIGHT, Column, RowTableModel

ACTION_COLOURS = {"add": "#D5ECDF", "update": "#FCEFC7", "unchanged": None}

PREVIEW_COLUMNS: list[Column[ImportRow]] = [
    Column("Row", lambda r: r.row, align=RIGHT),
    Column("Will be", lambda r: {"add": "Added", "update": "Changed",
                                 "unchanged": "Unchanged"}[r.action],
           background=lambda r: ACTION_COLOURS[r.action]),
    Column("Organisation", lambda r: r.organisation,
           tooltip=lambda r: f"Matches {r.matched}" if r.matched else "New organisation"),
    Column("Matches", lambda r: r.matched or "(new)"),
    Column("Board?", lambda r: {None: "", True: "Yes", False: "No"}[r.board_member]),
    Column("Lead signatory", lambda r: r.lead_text),
    Column("Status", lambda r: r.status_label),
    Column("SPOCs", lambda r: r.spoc_text),
    Column("ECINS?", lambda r: {None: "", True: "Yes", False: "No"}[r.ecins_user]),
    Column("Changes and warnings", lambda r: "; ".join((*r.changes, *r.warnings))),
]


class ImportPreviewDialog(QDialog):
    """Shows the preview; Import is enabled only when there are no errors."""

    def __init__(self, preview: Preview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {preview.path.name} into {preview.agreement_ref}")
        self.setAccessibleName("Import preview")
        self.model: RowTableModel[ImportRow] = RowTableModel(PREVIEW_COLUMNS, preview.rows, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Rows as they will be read")
        self.view.verticalHeader().setVisible(False)
        self.view.resizeColumnsToContents()
        self.view.horizontalHeader().setStretchLastSection(True)
        headline = QLabel(preview.headline + ".")
        headline.setWordWrap(True)
        headline.setAccessibleName("Import summary")
        self.problems = QListWidget()
        self.problems.setAccessibleName("Errors and warnings")
        for e in preview.errors:
            self.problems.addItem(f"Error: {e}")
        for w in preview.warnings:
            self.problems.addItem(f"Warning: {w}")
        self.problems.setMaximumHeight(110)
        self.problems.setVisible(self.problems.count() > 0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        changes = preview.count("add") + preview.count("update")
        self.import_button.setEnabled(not preview.errors and changes > 0)
        self.import_button.setToolTip("Fix the errors in the file first" if preview.errors
                                      else "Nothing to change" if not changes else "")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(headline)
        layout.addWidget(self.problems)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(1100, 600)
