"""Opening the database after the main window's first paint.

The window is already on screen, saying "Opening …" in its status bar. ``Startup.start``
(called just after the first paint) resolves which database to use (the saved shared-server
connection may ask for its password), then opens it:

* an SQLite file on a worker thread (lock file, daily backup, migrations with a backup
  first), so the window keeps repainting during a long migration; when the file cannot be
  opened, the question (another file, read-only, open anyway, quit) is asked on the UI thread
  and the next try runs on the worker again;
* a shared server through ``connection_menu.open_server``: each try connects on a worker
  thread behind a "Connecting to …" dialog, and the questions between tries (the offline
  snapshot, the connection settings) are asked on the UI thread.

Then the window is filled (``MainWindow.database_opened``) and ``ready`` is emitted. When
the user gives up, the app quits with exit code 2, as it always has.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from cspdesk import config
from cspdesk.errors import UserError
from cspdesk.progress import Progress
from cspdesk.ui import app as app_module
from cspdesk.ui import messages

if TYPE_CHECKING:
    from cspdesk.db.engine import Database
    from cspdesk.ui.main_window import MainWindow
    from cspdesk.ui.tasks import Task

log = logging.getLogger(__name__)

#: exit code when no database could be opened (the user gave up or chose Quit)
GAVE_UP = 2
#: exit code when opening failed unexpectedly (the user was told in one sentence)
FAILED = 1


def describe_url(url: str) -> str:
    """What "Opening …" names before SQLAlchemy is loaded: the file, or the server."""
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):]
    host = url.split("://", 1)[-1].rsplit("@", 1)[-1]
    return f"the database on {host.split('/', 1)[0] or 'localhost'}"


class Startup(QObject):
    """Opens the database into an already shown main window; see the module docstring."""

    ready = Signal()

    def __init__(self, window: MainWindow, args: argparse.Namespace) -> None:
        super().__init__(window)
        self.window = window
        self.args = args
        self.attempt: app_module.OpenAttempt | None = None
        self.task: Task | None = None
        self.opened: Database | None = None  # what the worker opened (even if never shown)
        self.abandoned: list[Database] = []  # a server opened after the app began to quit
        self.exit_code: int | None = None
        self.make_demo = bool(args.demo)
        if self.make_demo:
            window.show_opening("a new demo database")
        elif args.db or args.database_url or os.environ.get(config.DATABASE_URL_ENV):
            window.show_opening(describe_url(config.resolve_database_url(args.db,
                                                                         args.database_url)))

    # ---------------------------------------------------------------- the sequence
    def start(self) -> None:
        """Resolve the database and start opening it (UI thread, after the first paint)."""
        self.window.add_shortcuts()
        try:
            url = self._resolve_url()
        except UserError as exc:
            QMessageBox.warning(self.window, "cspdesk", exc.message)
            self._give_up(GAVE_UP)
            return
        from cspdesk.services.lock import sqlite_file

        if not self.make_demo and sqlite_file(url) is None:
            self._open_server(url)
            return
        self.attempt = app_module.OpenAttempt(url)
        if not self.make_demo:
            self.window.show_opening(describe_url(url))
        self._try()

    def _resolve_url(self) -> str:
        if self.make_demo:
            return ""
        url = config.resolve_database_url(self.args.db, self.args.database_url)
        if not self.args.db and not self.args.database_url:
            url = app_module.saved_connection_url() or url
            config.data_dir().mkdir(parents=True, exist_ok=True)
        return url

    def _open_server(self, url: str) -> None:
        from cspdesk.services import connection
        from cspdesk.ui import connection_menu

        self.window.show_opening(connection.settings_from_url(url).describe())
        try:
            db, taken = connection_menu.open_server(url, self.window)
        except connection_menu.ConnectAbandoned as quitting:  # closed while connecting
            self.abandoned = quitting.opened
            return
        except UserError as exc:  # a file chosen in the connection dialog failed to open
            messages.show_error(self.window, exc)
            db, taken = None, None
        self._opened(db, taken)

    def _try(self) -> None:
        from cspdesk.ui import tasks

        self.task = tasks.run_task(self._work, self._opened, self._failed, parent=self.window)

    def _work(self, _progress: Progress) -> Database:
        """On the worker thread: make the demo if asked, then open."""
        assert self.attempt is not None
        if self.make_demo:
            self.attempt.url = app_module.demo_url()
            self.make_demo = False
        self.opened = self.attempt.open()
        return self.opened

    def _failed(self, exc: BaseException) -> None:
        assert self.attempt is not None
        self.opened = None
        if not isinstance(exc, UserError):
            messages.show_error(self.window, exc)
            self._give_up(FAILED)
        elif self.attempt.recover(exc, self.window):
            self.window.show_opening(describe_url(self.attempt.url))
            self._try()
        else:
            self._give_up(GAVE_UP)

    def _opened(self, db: Database | None, taken: dt.datetime | None = None) -> None:
        if db is None:
            self._give_up(GAVE_UP)
            return
        self.window.ctx.set_database(db)
        if taken is not None:
            from cspdesk.ui import connection_menu

            connection_menu.show_snapshot_banner(self.window, taken)
        try:
            self.window.database_opened()
        finally:
            self.ready.emit()

    def _give_up(self, code: int) -> None:
        self.exit_code = code
        self.window.hide()  # not close(): the remembered page stays as it was
        QApplication.exit(code)

    # ---------------------------------------------------------------- the end
    def finish(self, code: int) -> int:
        """After the event loop: wait for an opening still running, refresh the offline
        snapshot of a server, close the database and release its lock; the exit code."""
        QThreadPool.globalInstance().waitForDone()
        for late in self.abandoned:  # a server connection that finished after the app quit
            late.dispose()
        db = self.window.ctx.db or self.opened
        if db is not None:
            from cspdesk.ui import connection_menu

            connection_menu.refresh_snapshot(db)
            db.dispose()
        if "cspdesk.services.lock" in sys.modules:
            from cspdesk.services.lock import release_all

            release_all()
        return self.exit_code if self.exit_code is not None else code
