"""Start the desktop app: open the database (or explain why not), then show the main window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from cspdesk import config
from cspdesk.db.engine import Database
from cspdesk.errors import ReadOnlyDatabaseError, UserError

if TYPE_CHECKING:
    from cspdesk.services import connection

log = logging.getLogger(__name__)


def _excepthook(exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
    """Unexpected errors: the log gets the traceback, the user one sentence."""
    log.error("unhandled error", exc_info=(exc_type, exc, tb))
    try:
        from cspdesk.ui import messages

        messages.show_error(None, exc)
    except Exception:  # noqa: BLE001
        pass


def demo_url() -> str:
    """A fresh temporary demo database for ``cspdesk --demo``."""
    from cspdesk.services.database import open_database
    from cspdesk.services.demo import load_demo

    folder = Path(tempfile.mkdtemp(prefix="cspdesk-demo-"))
    url = config.sqlite_url(folder / "demo.sqlite")
    db = open_database(url)
    try:
        load_demo(db)
    finally:
        db.dispose()
    return url


def open_with_recovery(url: str) -> Database | None:
    """Open ``url``; on a clear failure, say why and offer another file (or read-only).

    Opening for writing takes the lock file and makes the daily backup
    (``services.lock.open_for_writing``); when another copy holds the lock the user is told
    who, and may open read-only or open anyway.
    """
    from cspdesk.services.database import open_database
    from cspdesk.services.lock import DatabaseLockedError, open_for_writing

    read_only = False
    force = False
    while True:
        try:
            if read_only:
                return open_database(url, read_only=True)
            return open_for_writing(url, force=force)
        except UserError as exc:
            log.warning("cannot open %s: %s", url, exc.message)
            box = QMessageBox(QMessageBox.Icon.Warning, "cspdesk cannot open the database",
                              exc.message)
            box.setAccessibleName("Cannot open the database")
            choose = box.addButton("Choose another file…", QMessageBox.ButtonRole.AcceptRole)
            ro = anyway = None
            if isinstance(exc, ReadOnlyDatabaseError | DatabaseLockedError) and not read_only:
                ro = box.addButton("Open read-only", QMessageBox.ButtonRole.ActionRole)
            if isinstance(exc, DatabaseLockedError):
                anyway = box.addButton("Open anyway", QMessageBox.ButtonRole.DestructiveRole)
            box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            clicked = box.clickedButton()
            if ro is not None and clicked is ro:
                read_only = True
                continue
            if anyway is not None and clicked is anyway:
                force = True
                continue
            if clicked is not choose:
                return None
            chosen, _ = QFileDialog.getOpenFileName(
                None, "Choose a cspdesk database", str(Path.home()),
                "cspdesk databases (*.sqlite *.db);;All files (*)")
            if not chosen:
                return None
            url = config.sqlite_url(Path(chosen))
            read_only = force = False


def exit_after_first_paint(window: QWidget) -> None:
    """For the start-up benchmark: print the wall-clock time of the first paint, then quit."""

    class _FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                print(f"CSPDESK_SHOWN {time.time():.6f}", flush=True)
                QTimer.singleShot(0, QApplication.quit)
            return False

    window._first_paint = _FirstPaint(window)  # type: ignore[attr-defined]
    window.installEventFilter(window._first_paint)  # type: ignore[attr-defined]


def saved_connection_url() -> str | None:
    """The URL of the connection saved in File > Database connection…, unless the
    environment names a database (``CSPDESK_DATABASE_URL`` wins)."""
    if os.environ.get(config.DATABASE_URL_ENV):
        return None
    from cspdesk.services import connection
    from cspdesk.ui.connection_dialog import load_settings

    saved = load_settings()
    if saved is None:
        return None
    password = connection.get_password(saved)
    if saved.is_server and password is None:
        password = ask_password(saved)
    return connection.database_url(saved, password)


def ask_password(saved: connection.ConnectionSettings) -> str | None:
    """Ask for the server password when none is kept (no keyring, or never saved); keep it in
    the keyring when there is one, so the next start does not ask again."""
    from cspdesk.services import connection

    password, ok = QInputDialog.getText(
        None, "cspdesk", f"Password of {saved.user} for {saved.describe()}:",
        QLineEdit.EchoMode.Password)
    if not ok or not password:
        return None
    if connection.keyring_available():
        try:
            connection.store_password(saved, password)
        except UserError:
            log.warning("the keyring refused the password; it will be asked for again")
    return password


def run_app(args: argparse.Namespace) -> int:
    """The desktop app's main loop."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("cspdesk")
    app.setApplicationName("cspdesk")
    app.setApplicationDisplayName("cspdesk")
    sys.excepthook = _excepthook
    from cspdesk.services.lock import sqlite_file as lock_sqlite_file
    from cspdesk.ui import connection_menu

    try:
        if args.demo:
            url = demo_url()
        else:
            url = config.resolve_database_url(args.db, args.database_url)
            if not args.db and not args.database_url:
                url = saved_connection_url() or url
                config.data_dir().mkdir(parents=True, exist_ok=True)
    except UserError as exc:
        QMessageBox.warning(None, "cspdesk", exc.message)
        return 2
    snapshot_taken = None
    if lock_sqlite_file(url) is None:
        db, snapshot_taken = connection_menu.open_server(url)
    else:
        db = open_with_recovery(url)
    if db is None:
        return 2
    from cspdesk.ui.context import AppContext
    from cspdesk.ui.main_window import MainWindow

    ctx = AppContext(db)
    window = MainWindow(ctx)
    if snapshot_taken is not None:
        connection_menu.show_snapshot_banner(window, snapshot_taken)
    window.show()
    if os.environ.get("CSPDESK_EXIT_AFTER_SHOW"):
        exit_after_first_paint(window)
    code = app.exec()
    connection_menu.refresh_snapshot(ctx.db)
    ctx.db.dispose()
    from cspdesk.services.lock import release_all

    release_all()
    return int(code)
