"""File > Database connection…, restarting on the new choice, and opening a shared server at
start-up (falling back to the offline snapshot, read-only, when the server cannot be reached).
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QProcess
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

from cspdesk import config
from cspdesk.errors import UserError
from cspdesk.ui import messages
from cspdesk.ui.widgets import window_banner

if TYPE_CHECKING:  # imported where used: the main window installs this before SQLAlchemy loads
    from cspdesk.db.engine import Database
    from cspdesk.services.connection import ConnectionSettings

log = logging.getLogger(__name__)

#: command-line options that pick a database and so would hide the saved connection
_DB_OPTIONS = {"--db": 1, "--database-url": 1, "--demo": 0}


def install(window: QMainWindow) -> None:
    """Add File > Database connection… to the main window."""
    action = QAction("Database &connection…", window)
    action.triggered.connect(lambda: open_connection_dialog(window))
    window.file_menu.addAction(action)  # type: ignore[attr-defined]


def open_connection_dialog(parent: QWidget | None) -> ConnectionSettings | None:
    """Show the dialog; after OK offer to restart on the new connection."""
    from cspdesk.ui.connection_dialog import ConnectionDialog, load_settings

    dialog = ConnectionDialog(load_settings(), parent)
    if dialog.exec() != ConnectionDialog.DialogCode.Accepted:
        return None
    chosen: ConnectionSettings = dialog.saved
    if parent is not None and messages.confirm(
            parent, f"The connection to {chosen.describe()} is saved. Restart cspdesk now "
                    "to use it?"):
        restart()
    return chosen


def restart_arguments(argv: list[str]) -> list[str]:
    """The program's arguments without the ones that name a database."""
    out: list[str] = []
    skip = 0
    for arg in argv:
        if skip:
            skip -= 1
            continue
        name = arg.split("=", 1)[0]
        if name in _DB_OPTIONS:
            skip = _DB_OPTIONS[name] if "=" not in arg else 0
            continue
        out.append(arg)
    return out


def restart() -> None:
    """Start a new cspdesk on the saved connection, then quit this one."""
    args = restart_arguments(sys.argv[1:])
    if not getattr(sys, "frozen", False):
        args = [sys.argv[0], *args]
    QProcess.startDetached(sys.executable, args)
    app = QApplication.instance()
    if app is not None:
        for widget in QApplication.topLevelWidgets():
            widget.close()
        app.quit()


# ---------------------------------------------------------------- start-up on a server

def open_server(url: str, parent: QWidget | None = None
                ) -> tuple[Database | None, dt.datetime | None]:
    """Open the server database at ``url`` for writing; when it fails, open the offline
    snapshot read-only if one exists (returning its date), or offer the connection settings.
    Messages are shown over ``parent`` (the main window, already on screen at start-up).
    """
    from cspdesk.services import connection
    from cspdesk.services.database import open_database

    settings = connection.settings_from_url(url)
    while True:
        try:
            return _connect(url, settings, parent), None
        except UserError as exc:
            log.warning("cannot open %s: %s", settings.describe(), exc.message)
            taken = connection.snapshot_date(settings)
            if taken is not None:
                messages.show_error(parent, UserError(
                    f"{exc.message} cspdesk opens the snapshot of {settings.describe()} from "
                    f"{taken:%d %b %Y %H:%M} instead, read-only: changes cannot be saved "
                    "until the server is back."), title="Shared server unavailable")
                snapshot = config.sqlite_url(connection.snapshot_path(settings))
                return open_database(snapshot, read_only=True), taken
            if not messages.confirm(parent, f"{exc.message} There is no offline snapshot of "
                                            "this database on this laptop. Change the "
                                            "connection settings?",
                                    title="Shared server unavailable"):
                return None, None
            chosen = open_connection_dialog(None)  # None: no restart offer, start-up goes on
            if chosen is None:
                return None, None
            url = connection.database_url(chosen, connection.get_password(chosen))
            if not chosen.is_server:  # a file: the usual questions (read-only, another file)
                from cspdesk.ui.app import open_with_recovery

                return open_with_recovery(url, parent), None
            settings = chosen


def _connect(url: str, settings: ConnectionSettings, parent: QWidget | None) -> Database:
    """Open the server on a worker thread (up to the connection timeout), with a progress
    dialog, while the window keeps painting; errors are raised here, on the UI thread."""
    from cspdesk.services.lock import open_for_writing
    from cspdesk.ui.tasks import run_task

    opened: list[Database] = []  # filled on the worker, so the database is never lost

    def work(_progress: object) -> Database:
        opened.append(open_for_writing(url))
        return opened[0]

    loop = QEventLoop()
    task = run_task(work, on_error=lambda _exc: None, parent=parent,
                    title=f"Connecting to {settings.describe()}…", cancellable=False)
    task.finished.connect(loop.quit)
    if not task.is_done:
        loop.exec()
    if not task.is_done:  # the app is quitting (Ctrl+Q before the dialog showed)
        raise ConnectAbandoned(opened)
    if task.error is not None:
        raise task.error
    return task.result


class ConnectAbandoned(Exception):
    """The app quit while a server connection was being made; ``opened`` receives the
    database if the attempt still succeeds, for whoever closes things at the end."""

    def __init__(self, opened: list[Database]) -> None:
        super().__init__("the app quit while connecting")
        self.opened = opened


def show_snapshot_banner(window: QMainWindow, taken: dt.datetime) -> QLabel:
    """Say plainly, in the title and above the pages, that this is an old read-only copy."""
    when = f"{taken:%d %b %Y %H:%M}"
    window.setWindowTitle(f"cspdesk - snapshot from {when} (read-only)")
    return window_banner(window, f"Offline snapshot from {when}, read-only: the shared server "
                         "could not be reached, so changes cannot be saved. Restart cspdesk "
                         "when the server is back.", "Snapshot banner")


def refresh_snapshot(db: Database) -> None:
    """After a session on a server: copy it to the offline snapshot (failures only logged)."""
    if db.is_sqlite or db.read_only:
        return
    from cspdesk.services import connection

    started = time.monotonic()
    try:
        path = connection.save_snapshot(db.url, connection.settings_from_url(db.url))
    except Exception:  # noqa: BLE001 - the snapshot is a convenience; the session is over
        log.exception("could not refresh the offline snapshot of %s", db.display_name)
        return
    log.info("offline snapshot %s refreshed in %.1f s", path, time.monotonic() - started)
