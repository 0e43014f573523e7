"""Base of the main window's pages."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cspdesk.ui.context import AppContext


class Page(QWidget):
    """A page of the main window. Subclasses set ``key`` and ``title`` and build in code."""

    key = ""
    title = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(self.title)

    def refresh(self) -> None:
        """Reload from the services (F5, partnership change, data change)."""

    def open_record(self, record_id: int | None) -> None:
        """Select and show one record (the Dashboard asks this)."""
