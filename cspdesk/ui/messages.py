"""Show failures to the user: one sentence for expected errors, a log pointer otherwise."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from cspdesk import config
from cspdesk.errors import UserError

log = logging.getLogger(__name__)


def error_text(exc: BaseException) -> str:
    """The sentence a user sees for ``exc``."""
    if isinstance(exc, UserError):
        return exc.message
    if isinstance(exc, OSError) and getattr(exc, "errno", None) == 28:
        return "The disk is full, so nothing was saved. Free some space and try again."
    if isinstance(exc, PermissionError):
        target = exc.filename or "that file"
        return f"cspdesk is not allowed to write {target}. Choose another place."
    return f"Something went wrong; details are in {config.log_path()}."


def show_error(parent: QWidget | None, exc: BaseException, title: str = "cspdesk") -> None:
    """Message box for ``exc``; unexpected errors are logged with their traceback."""
    if not isinstance(exc, UserError):
        log.error("unexpected error", exc_info=exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, error_text(exc),
                      QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleName("Error message")
    box.exec()


def confirm(parent: QWidget | None, question: str, title: str = "cspdesk") -> bool:
    """Yes/No question; No is the default."""
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def info(parent: QWidget | None, text: str, title: str = "cspdesk") -> None:
    """A plain message with an OK button."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleName("Message")
    box.exec()
