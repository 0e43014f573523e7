"""Data-safety menu items: File → Back up now / Restore from backup…; Records → Audit trail…,
Retention review…, Subject access export…. Installed by the main window (``EXTRA_MENUS``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow

from cspdesk.errors import UserError
from cspdesk.progress import Progress
from cspdesk.ui import messages
from cspdesk.ui.context import AppContext

if TYPE_CHECKING:
    from cspdesk.ui.tasks import Task


def back_up_now(window: QMainWindow, ctx: AppContext) -> Task | None:
    """Make a backup of the open SQLite file off the UI thread; the status bar says where."""
    from cspdesk.services import backup
    from cspdesk.ui import tasks

    path = ctx.db.path
    if path is None:
        messages.show_error(window, UserError(
            "This is a server database; back it up with the server's own tools."))
        return None

    def work(_progress: Progress) -> Path:
        return backup.backup_file(path, "manual")

    def done(target: Path) -> None:
        window.statusBar().showMessage(f"Backed up to {target}", 15000)
        ctx.db.backup_problem = None
        banner = getattr(window, "backup_banner", None)
        if banner is not None:
            banner.hide()

    return tasks.run_task(
        work, done, lambda exc: messages.show_error(window, exc),
        parent=window, title="Backing up the database", cancellable=False)


def open_restore(window: QMainWindow, ctx: AppContext) -> None:
    """Show the backups; after a restore, reload every page from the restored file."""
    from cspdesk.ui.safety_dialogs import RestoreDialog

    dialog = RestoreDialog(ctx, window)
    if dialog.exec() and dialog.restored is not None:
        refresh = getattr(window, "refresh_current", None)
        if refresh is not None:
            refresh()
        window.statusBar().showMessage(
            f"Restored the backup of {dialog.restored.at:%d %b %Y %H:%M}", 15000)


def _open(window: QMainWindow, ctx: AppContext, class_name: str) -> None:
    from cspdesk.ui import safety_dialogs

    try:
        dialog = getattr(safety_dialogs, class_name)(ctx, window)
    except Exception as exc:  # noqa: BLE001 - shown to the user, logged by show_error
        messages.show_error(window, exc)
        return
    dialog.exec()


def install(window: QMainWindow) -> None:
    """Add the data-safety actions to ``window`` (which has ``ctx`` and ``file_menu``); they
    stay disabled until the database is open (``database_opened``)."""
    ctx: AppContext = window.ctx  # type: ignore[attr-defined]
    file_menu = window.file_menu  # type: ignore[attr-defined]
    file_menu.addSeparator()
    backup_now = QAction("&Back up now", window)
    backup_now.setObjectName("backup_now")
    backup_now.triggered.connect(lambda: back_up_now(window, ctx))
    restore = QAction("&Restore from backup…", window)
    restore.setObjectName("restore_backup")
    restore.triggered.connect(lambda: open_restore(window, ctx))
    for action in (backup_now, restore):
        action.setEnabled(False)
        file_menu.addAction(action)
    file_menu.setToolTipsVisible(True)

    records = window.menuBar().addMenu("&Records")
    records.setToolTipsVisible(True)
    for text, name, cls in (("&Audit trail…", "audit_trail", "AuditDialog"),
                            ("Re&tention review…", "retention_review", "RetentionDialog"),
                            ("&Subject access export…", "subject_access", "SubjectAccessDialog")):
        action = QAction(text, window)
        action.setObjectName(name)
        action.setEnabled(False)
        action.triggered.connect(lambda _=False, c=cls: _open(window, ctx, c))
        records.addAction(action)
    window.records_menu = records  # type: ignore[attr-defined]
    window.safety_actions = (backup_now, restore)  # type: ignore[attr-defined]


def database_opened(window: QMainWindow) -> None:
    """Enable the actions the open database allows: a server is backed up by its own tools;
    a read-only file cannot be restored over."""
    ctx: AppContext = window.ctx  # type: ignore[attr-defined]
    backup_now, restore = window.safety_actions  # type: ignore[attr-defined]
    server = ctx.db.path is None
    for action in (backup_now, restore):
        action.setEnabled(not server)
        if server:
            action.setToolTip("A server database is backed up by the server's own tools.")
    if ctx.db.read_only and not server:
        from cspdesk.ui.safety_dialogs import READ_ONLY_TIP

        restore.setEnabled(False)
        restore.setToolTip(READ_ONLY_TIP)
    for action in window.records_menu.actions():  # type: ignore[attr-defined]
        action.setEnabled(True)
    if ctx.db.backup_problem:
        window.backup_banner = show_backup_banner(window, ctx.db.backup_problem)  # type: ignore[attr-defined]


def show_backup_banner(window: QMainWindow, problem: str) -> QLabel:
    """Say above the pages that today's automatic backup was not made, and why."""
    from cspdesk.ui.widgets import window_banner

    return window_banner(window, f"Today's automatic backup was not made. {problem} Your "
                         "changes are still saved; use File > Back up now once it is sorted.",
                         "Backup warning")
