"""Database connection dialog: this laptop's file or the shared server, with a connection test.

The choice is saved in QSettings (group ``connection``) without the password; the server
password goes to the system keyring through ``services.connection``.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cspdesk import config
from cspdesk.errors import UserError
from cspdesk.services import connection
from cspdesk.services.connection import FILE, SERVER, ConnectionSettings
from cspdesk.ui import dialogs, messages
from cspdesk.ui.tasks import Task, run_task

GROUP = "connection"
OK_STYLE = "color: #2E8B57;"
FAIL_STYLE = "color: #C0392B;"


def _settings() -> QSettings:
    return QSettings("cspdesk", "cspdesk")


def load_settings() -> ConnectionSettings | None:
    """The saved connection, or None when the officer never chose one."""
    store = _settings()
    store.beginGroup(GROUP)
    try:
        if not store.contains("kind"):
            return None
        return ConnectionSettings.from_dict({k: store.value(k) for k in store.childKeys()})
    finally:
        store.endGroup()


def save_settings(settings: ConnectionSettings) -> None:
    """Remember the connection (never the password)."""
    store = _settings()
    store.beginGroup(GROUP)
    store.remove("")
    for key, value in settings.to_dict().items():
        store.setValue(key, value)
    store.endGroup()
    store.sync()


class ConnectionDialog(QDialog):
    """Choose "This laptop" (a file) or "Shared server"; Test connection; OK saves."""

    def __init__(self, current: ConnectionSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Database connection")
        self.setAccessibleName("Database connection")
        self.setMinimumWidth(600)
        self.task: Task | None = None
        current = current or ConnectionSettings(path=str(config.default_db_path()))

        self.laptop = QRadioButton("&This laptop: a database file")
        self.server = QRadioButton("&Shared server (PostgreSQL), for a county team")
        self.kind = QButtonGroup(self)
        self.kind.addButton(self.laptop)
        self.kind.addButton(self.server)

        self.path = QLineEdit(current.path or str(config.default_db_path()))
        self.path.setAccessibleName("Database file")
        self.path.setMinimumWidth(380)
        browse = QPushButton("&Browse…")
        browse.setAccessibleName("Browse for the database file")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        self.file_box = QGroupBox()
        file_form = QFormLayout(self.file_box)
        file_form.addRow("File:", file_row)

        self.host = QLineEdit(current.host)
        self.host.setPlaceholderText("e.g. csp-db.council.local")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(current.port)
        self.port.setMaximumWidth(110)
        self.database = QLineEdit(current.database)
        self.user = QLineEdit(current.user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        stored = connection.get_password(current) if current.is_server else None
        self.password.setPlaceholderText("saved in the system keyring" if stored else "")
        self.server_box = QGroupBox()
        form = QFormLayout(self.server_box)
        for label, widget, name in (("Ser&ver:", self.host, "Server name"),
                                    ("P&ort:", self.port, "Port"),
                                    ("&Database:", self.database, "Database name"),
                                    ("&User:", self.user, "User name"),
                                    ("Pass&word:", self.password, "Password")):
            widget.setAccessibleName(name)
            form.addRow(label, widget)
        note = QLabel("Kept in the system keyring, never in cspdesk's settings.")
        note.setStyleSheet("color: #5B6770;")
        form.addRow("", note)

        self.test_button = QPushButton("Test &connection")
        self.test_button.setAccessibleName("Test connection")
        self.test_button.clicked.connect(self.test_connection)
        self.result_label = QLabel("")
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName("Connection test result")
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        test_row.addWidget(self.result_label, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.laptop)
        layout.addWidget(self.file_box)
        layout.addWidget(self.server)
        layout.addWidget(self.server_box)
        layout.addLayout(test_row)
        layout.addStretch(1)
        layout.addWidget(buttons)

        (self.server if current.is_server else self.laptop).setChecked(True)
        self.kind.buttonToggled.connect(lambda *_: self._follow_kind())
        self._follow_kind()

    # ---------------------------------------------------------------- values
    def chosen(self) -> ConnectionSettings:
        """The settings as filled in (not validated)."""
        return ConnectionSettings(
            kind=SERVER if self.server.isChecked() else FILE, path=self.path.text(),
            host=self.host.text(), port=self.port.value(), database=self.database.text(),
            user=self.user.text())

    def _password_for(self, settings: ConnectionSettings) -> str | None:
        typed = self.password.text()
        return typed or connection.get_password(settings)

    def _follow_kind(self) -> None:
        server = self.server.isChecked()
        self.server_box.setEnabled(server)
        self.file_box.setEnabled(not server)
        self.result_label.clear()

    def _browse(self) -> None:
        chosen = dialogs.choose_open_file(self, "Choose the cspdesk database",
                                          "cspdesk databases (*.sqlite *.db);;All files (*)",
                                          key="database")
        if chosen is not None:
            self.path.setText(str(chosen))

    def _show_result(self, text: str, ok: bool) -> None:
        self.result_label.setStyleSheet(OK_STYLE if ok else FAIL_STYLE)
        self.result_label.setText(text)

    # ---------------------------------------------------------------- actions
    def test_connection(self) -> Task | None:
        """Try the connection off the UI thread; the result shows under the fields."""
        try:
            settings = connection.validate(self.chosen())
        except UserError as exc:
            self._show_result(exc.message, ok=False)
            return None
        password = self._password_for(settings)
        self.test_button.setEnabled(False)
        self.result_label.setStyleSheet("")
        self.result_label.setText("Testing…")

        def finished() -> None:
            self.test_button.setEnabled(True)

        def done(text: str) -> None:
            finished()
            self._show_result(text, ok=True)

        def failed(exc: BaseException) -> None:
            finished()
            self._show_result(messages.error_text(exc), ok=False)

        self.task = run_task(lambda _p: connection.test_connection(settings, password),
                             done, failed, parent=self)
        return self.task

    def accept(self) -> None:
        """Validate, keep the password in the keyring, save the choice."""
        try:
            settings = connection.validate(self.chosen())
        except UserError as exc:
            messages.show_error(self, exc)
            return
        if settings.is_server and self.password.text():
            try:
                connection.store_password(settings, self.password.text())
            except UserError as exc:
                messages.show_error(self, exc)
        save_settings(settings)
        self.saved = settings
        super().accept()
