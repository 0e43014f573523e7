"""Data-safety dialogs: restore from backup, audit trail, retention review, subject access."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cspdesk import config
from cspdesk.dates import format_date
from cspdesk.errors import UserError
from cspdesk.services import audit_query, backup, retention
from cspdesk.services.audit import AuditRow
from cspdesk.ui import dialogs, messages
from cspdesk.ui.context import AppContext
from cspdesk.ui.table_model import RIGHT, Column, RowTableModel
from cspdesk.ui.tasks import run_task


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n < 1_048_576 else f"{n / 1_048_576:,.1f} MB"


READ_ONLY_TIP = ("The database is open read-only, so it cannot be changed from this window. "
                 "Close the other copy and open it again to make changes.")

REASONS = {"daily": "Daily", "manual": "Made by hand", "before-restore": "Before a restore"}

BACKUP_COLUMNS: list[Column[backup.BackupInfo]] = [
    Column("Date", lambda b: b.at.strftime("%d %b %Y %H:%M"), sort=lambda b: b.at),
    Column("Size", lambda b: _size(b.size), sort=lambda b: b.size, align=RIGHT),
    Column("Kind", lambda b: REASONS.get(b.reason, b.reason.replace("-", " ").capitalize())),
    Column("File", lambda b: b.path.name, tooltip=lambda b: str(b.path)),
]


def _table(model: RowTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    return view


def _fit(view: QTableView, widest: int = 280) -> None:
    """Size columns to their contents, none wider than ``widest`` pixels (tooltips and the
    export carry the full text)."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for col in range(header.count() - 1):
        header.resizeSection(col, min(header.sectionSize(col), widest))


class RestoreDialog(QDialog):
    """Lists the backups of the open database; Restore replaces it after confirmation."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Restore from backup")
        self.restored: backup.BackupInfo | None = None
        self.model: RowTableModel[backup.BackupInfo] = RowTableModel(BACKUP_COLUMNS, parent=self)
        path = ctx.db.path
        self.model.set_rows(backup.list_backups(path) if path is not None else [])
        self.view = _table(self.model, "Backups")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        note = QLabel(f"Backups are kept in {config.backups_dir_for(path)}. Restoring "
                      "keeps a copy of the current file first." if path else
                      "This is a server database: restore it with the server's own tools.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = buttons.addButton("Restore…",
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        if ctx.db.read_only:
            self.restore_button.setToolTip(READ_ONLY_TIP)
        buttons.rejected.connect(self.reject)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.resize(640, 380)
        if self.model.rowCount():
            self.view.selectRow(0)

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(not self.ctx.db.read_only
                                       and self.view.selectionModel().hasSelection())

    def restore_selected(self) -> None:
        """Ask, then replace the open database with the selected backup."""
        rows = self.view.selectionModel().selectedRows()
        if not rows or self.ctx.db.read_only:
            return
        chosen = self.model.row_at(rows[0].row())
        question = (f"Replace the open database with the backup of "
                    f"{chosen.at:%d %b %Y %H:%M}? Changes made since then will be lost "
                    "(a copy of the current file is kept in the backups folder).")
        if not messages.confirm(self, question, "Restore from backup"):
            return
        try:
            restore_open_database(self.ctx, chosen.path)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            messages.show_error(self, exc)
            return
        self.restored = chosen
        self.accept()


def restore_open_database(ctx: AppContext, source: Path) -> Path | None:
    """Close the database, restore ``source`` over its file (keeping a copy of the current
    file, returned) and open it again; the lock file stays held throughout.

    Undo history refers to rows of the old file, so it is cleared; every page reloads.
    """
    from cspdesk.services.database import open_database

    path = ctx.db.path
    if path is None:
        raise UserError("This is a server database; restore it with the server's own tools.")
    if ctx.db.read_only:
        raise UserError(READ_ONLY_TIP)
    backup.check_backup(source)
    url = ctx.db.url
    ctx.db.dispose()
    try:
        kept = backup.restore(path, source)
    finally:
        ctx.db = open_database(url)
        ctx.undo_stack.clear()
        for area in ("*", "partnerships", "people", "isa", "actions", "budget", "meetings"):
            ctx.data_changed.emit(area)
    return kept


def person_picker(ctx: AppContext) -> QComboBox:
    """An editable list of people ("Name (Organisation)"); typing finds any part of a name."""
    from PySide6.QtWidgets import QCompleter

    from cspdesk.services.people import list_people

    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(30)
    for p in list_people(ctx.db):
        box.addItem(p.name + (f" ({p.organisation})" if p.organisation else ""), p.id)
    completer = QCompleter(box.model(), box)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    box.setCompleter(completer)
    return box


def chosen_person(box: QComboBox) -> int | None:
    """The person id when the box's text is one of its people, else None (free text)."""
    index = box.findText(box.currentText())
    return box.itemData(index) if index >= 0 else None


def _audit_cols() -> list[Column[AuditRow]]:
    return [
        Column("When", lambda r: r.at.strftime("%d %b %Y %H:%M:%S"), sort=lambda r: r.at),
        Column("User", lambda r: r.user),
        Column("Record type", lambda r: r.entity.replace("_", " ")),
        Column("Record", lambda r: r.label or f"#{r.entity_id}"),
        Column("Change", lambda r: r.action),
        Column("Field", lambda r: (r.field or "").replace("_", " ")),
        Column("Old", lambda r: r.old or ""),
        Column("New", lambda r: r.new or ""),
    ]


class AuditDialog(QDialog):
    """The audit trail filtered by record type, user, text (a person's name) and dates."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Audit trail")
        self.entity = QComboBox()
        self.entity.setAccessibleName("Record type")
        self.entity.addItem("All record types", None)
        for name in audit_query.entities(ctx.db):
            self.entity.addItem(name.replace("_", " "), name)
        self.user = QComboBox()
        self.user.setAccessibleName("User")
        self.user.addItem("Anyone", None)
        for name in audit_query.users(ctx.db):
            self.user.addItem(name, name)
        self.text = person_picker(ctx)
        self.text.setAccessibleName("Person or text")
        self.text.setCurrentIndex(-1)
        self.text.lineEdit().setPlaceholderText("choose a person, or type any text…")
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addYears(-1))
        self.date_to = QDateEdit(today)
        for edit, name in ((self.date_from, "From date"), (self.date_to, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
            edit.setAccessibleName(name)
        form = QFormLayout()
        form.addRow("Record &type:", self.entity)
        form.addRow("&User:", self.user)
        form.addRow("&Person or text:", self.text)
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        dates_label = QLabel("&Dates:")
        dates_label.setBuddy(self.date_from)
        form.addRow(dates_label, dates)
        self.model: RowTableModel[AuditRow] = RowTableModel(_audit_cols(), parent=self)
        self.view = _table(self.model, "Audit entries")
        self.count = QLabel()
        search = QPushButton("&Search")
        search.setDefault(True)
        search.clicked.connect(self.refresh)
        export = QPushButton("&Export…")
        export.setShortcut("Ctrl+E")
        export.clicked.connect(self.export)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(search)
        bottom.addWidget(export)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        self.resize(1000, 600)
        self.refresh()

    def current_filter(self) -> audit_query.AuditFilter:
        person_id = chosen_person(self.text)
        return audit_query.AuditFilter(
            entity=self.entity.currentData(), user=self.user.currentData(),
            text=None if person_id is not None else (self.text.currentText().strip() or None),
            person_id=person_id,
            date_from=self.date_from.date().toPython(), date_to=self.date_to.date().toPython())

    def refresh(self) -> None:
        rows = audit_query.search(self.ctx.db, self.current_filter())
        self.model.set_rows(rows)
        _fit(self.view)
        plural = "" if len(rows) == 1 else "s"
        self.count.setText(f"{len(rows)} change{plural}"
                           + (" (the newest shown)" if len(rows) >= 5000 else ""))

    def export(self) -> None:
        out = dialogs.choose_save_file(self, "Export the audit trail",
                                       "Excel workbook (*.xlsx);;CSV (*.csv)",
                                       f"audit-{dt.date.today():%Y%m%d}.xlsx", key="audit")
        if out is None:
            return
        rows = self.model.rows()
        self.task = run_task(lambda _p: audit_query.export(rows, out), parent=self,
                             title="Exporting the audit trail…", cancellable=False)


RETENTION_COLUMNS: list[Column[retention.RetentionItem]] = [
    Column("Record", lambda i: i.what),
    Column("Closed", lambda i: format_date(i.closed), sort=lambda i: i.closed),
    Column("Why", lambda i: i.reason),
    Column("Action", lambda i: "Anonymise" if i.action == "anonymise" else "Delete"),
]


class RetentionDialog(QDialog):
    """Personal data past its retention period; anonymise/delete the chosen rows."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Retention review")
        note = QLabel(f"Personal data is kept {retention.RETENTION_MONTHS} months after a case "
                      "or agreement closes (ISA). These records closed on or before "
                      f"{format_date(retention.cutoff())}.")
        note.setWordWrap(True)
        self.model: RowTableModel[retention.RetentionItem] = RowTableModel(
            RETENTION_COLUMNS, parent=self)
        self.view = _table(self.model, "Records past retention")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.apply_button = buttons.addButton("Anonymise or delete selected…",
                                              QDialogButtonBox.ButtonRole.ActionRole)
        self.apply_button.clicked.connect(self.apply_selected)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.count = QLabel()
        self.count.setAccessibleName("Retention summary")
        layout.addWidget(note)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        self.resize(820, 460)
        self.refresh()

        if ctx.db.read_only:
            self.apply_button.setToolTip(READ_ONLY_TIP)

    def refresh(self) -> None:
        """List what is past retention now."""
        self.model.set_rows(retention.due(self.ctx.db))
        _fit(self.view, 420)
        self.count.setText(f"{self.model.rowCount()} records past their retention period"
                           if self.model.rowCount() else
                           "Nothing is past its retention period.")
        self.apply_button.setEnabled(self.model.rowCount() > 0 and not self.ctx.db.read_only)

    def apply_selected(self) -> None:
        """Ask, then anonymise or delete the selected records in one transaction."""
        if self.ctx.db.read_only:
            return
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        if not rows:
            messages.show_error(self, UserError("Select the records to anonymise or "
                                                         "delete first."))
            return
        items = [self.model.row_at(r) for r in rows]
        if not messages.confirm(self, f"Anonymise or delete {len(items)} records? This cannot "
                                "be undone (the backups still hold the old data until they "
                                "rotate out).", "Retention"):
            return
        try:
            retention.apply(self.ctx.db, [i.key for i in items])
        except Exception as exc:  # noqa: BLE001 - shown to the user
            messages.show_error(self, exc)
        self.ctx.undo_stack.clear()  # undo steps may refer to the rows just removed
        self.ctx.data_changed.emit("people")
        self.ctx.data_changed.emit("isa")
        self.refresh()


class SubjectAccessDialog(QDialog):
    """Choose a person; export every record naming them to one workbook."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Subject access export")
        self.person = person_picker(ctx)
        self.person.setAccessibleName("Person")
        form = QFormLayout()
        form.addRow("&Person:", self.person)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        export = buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        export.clicked.connect(self.export)
        buttons.rejected.connect(self.reject)
        intro = QLabel("Gathers every record that names the person (memberships, attendance, "
                       "ISA signatory and SPOC, action leads and owners, minutes, the audit "
                       "trail) into one workbook.")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def export(self) -> None:
        from cspdesk.services import subject_access

        index = self.person.findText(self.person.currentText())
        person_id = self.person.itemData(index) if index >= 0 else None
        if person_id is None:
            messages.show_error(self, UserError("Choose a person from the list first."))
            return
        name = "-".join(self.person.itemText(index).split(" (")[0].lower().split())
        name = "".join(c for c in name if c.isalnum() or c == "-") or "person"
        out = dialogs.choose_save_file(self, "Save the subject access export",
                                       "Excel workbook (*.xlsx)", f"subject-access-{name}.xlsx",
                                       key="subject-access")
        if out is None:
            return
        db = self.ctx.db
        self.task = run_task(lambda _p: subject_access.export(db, person_id, out),
                             lambda _r: self.accept(), parent=self,
                             title="Gathering every record naming this person…",
                             cancellable=False)


__all__ = ["AuditDialog", "RestoreDialog", "RetentionDialog", "SubjectAccessDialog",
           "restore_open_database"]
