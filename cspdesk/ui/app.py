"""Start the desktop app: show the main window, then open the database (or explain why not).

Nothing on the way to the window's first paint imports SQLAlchemy, Alembic or the services:
``ui.startup`` opens the database after that paint.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from cspdesk import config
from cspdesk.errors import ReadOnlyDatabaseError, UserError

if TYPE_CHECKING:
    from cspdesk.db.engine import Database
    from cspdesk.services import connection

log = logging.getLogger(__name__)

#: start-up benchmark: print the first paint's time (stdout) and "ready" (stderr), then quit
EXIT_AFTER_SHOW = "CSPDESK_EXIT_AFTER_SHOW"


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
        load_demo(db, this_year=True)
    finally:
        db.dispose()
    return url


class OpenAttempt:
    """How to try opening a database file next: its URL, read-only, or over another's lock.

    ``open`` is Qt-free and may run on a worker thread; ``recover`` asks the user (UI thread).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.read_only = False
        self.force = False

    def open(self) -> Database:
        """Open for writing (lock file, daily backup, migrations) or read-only."""
        from cspdesk.services.database import open_database
        from cspdesk.services.lock import open_for_writing

        if self.read_only:
            return open_database(self.url, read_only=True)
        return open_for_writing(self.url, force=self.force)

    def recover(self, exc: UserError, parent: QWidget | None = None) -> bool:
        """Say why ``exc`` stopped the opening and offer another file, read-only or opening
        anyway; True when there is something to try next, False when the user gives up."""
        from cspdesk.services.lock import DatabaseLockedError

        log.warning("cannot open %s: %s", self.url, exc.message)
        box = QMessageBox(QMessageBox.Icon.Warning, "cspdesk cannot open the database",
                          exc.message, parent=parent)
        box.setAccessibleName("Cannot open the database")
        choose = box.addButton("Choose another file…", QMessageBox.ButtonRole.AcceptRole)
        ro = anyway = None
        if isinstance(exc, ReadOnlyDatabaseError | DatabaseLockedError) and not self.read_only:
            ro = box.addButton("Open read-only", QMessageBox.ButtonRole.ActionRole)
        if isinstance(exc, DatabaseLockedError):
            anyway = box.addButton("Open anyway", QMessageBox.ButtonRole.DestructiveRole)
        backups = self._backups(exc)
        restore = (box.addButton("Restore from a backup…", QMessageBox.ButtonRole.ActionRole)
                   if backups else None)
        box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        if ro is not None and clicked is ro:
            self.read_only = True
            return True
        if anyway is not None and clicked is anyway:
            self.force = True
            return True
        if restore is not None and clicked is restore:
            return self._restore(backups, parent)
        if clicked is not choose:
            return False
        from cspdesk.ui import dialogs

        chosen = dialogs.choose_open_file(parent, "Choose a cspdesk database",
                                          "cspdesk databases (*.sqlite *.db);;All files (*)",
                                          key="database")
        if chosen is None:
            return False
        self.url = config.sqlite_url(chosen)
        self.read_only = self.force = False
        return True

    def _backups(self, exc: UserError) -> list:
        """The file's backups, when restoring one could help (not for a lock or a read-only
        folder, which a backup does not cure)."""
        from cspdesk.services.backup import list_backups
        from cspdesk.services.lock import DatabaseLockedError, sqlite_file

        path = sqlite_file(self.url)
        if path is None or isinstance(exc, ReadOnlyDatabaseError | DatabaseLockedError):
            return []
        return [b for b in list_backups(path) if b.reason != "damaged"]

    def _restore(self, backups: list, parent: QWidget | None) -> bool:
        """Let the user pick a backup and put it in place of the file (keeping a copy of the
        file as it is); True to try opening again."""
        from cspdesk.services.backup import restore
        from cspdesk.services.lock import sqlite_file
        from cspdesk.ui import messages

        labels = [f"{b.at:%a %d %b %Y %H:%M} · {b.reason.replace('-', ' ')} · "
                  f"{b.size / 1_048_576:.1f} MB" for b in backups]
        label, ok = QInputDialog.getItem(parent, "Restore from a backup",
                                         "Backups of this file, newest first:", labels, 0, False)
        if not ok:
            return True  # back to the question
        chosen = backups[labels.index(label)]
        path = sqlite_file(self.url)
        assert path is not None
        try:
            kept = restore(path, chosen.path)
        except UserError as exc:
            messages.show_error(parent, exc)
            return True
        messages.info(parent, f"Restored the backup of {chosen.at:%d %b %Y %H:%M}."
                      + (f" The file as it was is kept at {kept}." if kept else ""))
        return True


def open_with_recovery(url: str, parent: QWidget | None = None) -> Database | None:
    """Open ``url``; on a clear failure, say why and offer another file (or read-only).

    Opening for writing takes the lock file and makes the daily backup
    (``services.lock.open_for_writing``); when another copy holds the lock the user is told
    who, and may open read-only or open anyway. Runs on the calling (UI) thread; start-up uses
    ``ui.startup``, which opens on a worker thread with the same questions.
    """
    attempt = OpenAttempt(url)
    while True:
        try:
            return attempt.open()
        except UserError as exc:
            if not attempt.recover(exc, parent):
                return None


def after_first_paint(window: QWidget, then: Callable[[], None]) -> None:
    """Call ``then`` once, just after ``window``'s first paint (or after half a second on a
    platform that never paints it). With ``CSPDESK_EXIT_AFTER_SHOW`` set, print the wall-clock
    time of that paint for the start-up benchmark."""
    state = {"done": False}

    def once() -> None:
        if not state["done"]:
            state["done"] = True
            then()

    class _FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                if os.environ.get(EXIT_AFTER_SHOW):
                    print(f"CSPDESK_SHOWN {time.time():.6f}", flush=True)
                QTimer.singleShot(0, once)
            return False

    window._first_paint = _FirstPaint(window)  # type: ignore[attr-defined]
    window.installEventFilter(window._first_paint)  # type: ignore[attr-defined]
    QTimer.singleShot(500, once)


def exit_when_ready() -> None:
    """For the start-up benchmark: print (to stderr) when the database is open and the first
    page filled, then quit."""
    print(f"CSPDESK_READY {time.time():.6f}", file=sys.stderr, flush=True)
    QTimer.singleShot(0, QApplication.quit)


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
    """The desktop app's main loop: show the main window, then open the database into it."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("cspdesk")
    app.setApplicationName("cspdesk")
    app.setApplicationDisplayName("cspdesk")
    sys.excepthook = _excepthook
    from cspdesk.ui.context import AppContext
    from cspdesk.ui.main_window import MainWindow
    from cspdesk.ui.startup import Startup

    window = MainWindow(AppContext())
    startup = Startup(window, args)
    window.show()
    after_first_paint(window, startup.start)
    if os.environ.get(EXIT_AFTER_SHOW):
        startup.ready.connect(exit_when_ready)
    code = app.exec()
    return startup.finish(int(code))
