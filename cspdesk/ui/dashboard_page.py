"""Dashboard: cards of lines from every area; each line opens its record."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cspdesk import clock
from cspdesk.services.dashboard import DashboardLine, dashboard_lines
from cspdesk.services.demo import is_empty
from cspdesk.ui.context import AppContext
from cspdesk.ui.page import Page
from cspdesk.ui.widgets import SEVERITY_COLOURS

MAX_LINES = 12


class DashboardPage(Page):
    key = "dashboard"
    title = "Dashboard"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.heading = QLabel()
        self.heading.setAccessibleName("Dashboard heading")
        self.body = QWidget()
        self.grid = QGridLayout(self.body)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        self.cards: dict[str, list[DashboardLine]] = {}
        ctx.partnership_changed.connect(lambda _p: self.refresh())

    def refresh(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if (old := item.widget()) is not None:
                old.hide()  # it would paint over the new cards until it is deleted
                old.deleteLater()
        today = clock.today()
        self.heading.setText(f"<h2>Dashboard</h2><p>Today is {today:%A} {today.day} "
                             f"{today:%B %Y}.</p>")
        if is_empty(self.ctx.db):
            hint = QLabel("This database is empty. Start with People &amp; organisations, or "
                          "run <code>cspdesk demo</code> to explore with the demo data.")
            hint.setWordWrap(True)
            self.grid.addWidget(hint, 0, 0)
            return
        self.cards = dashboard_lines(self.ctx.db, self.ctx.partnership_id, today)
        for i, (card, lines) in enumerate(self.cards.items()):
            self.grid.addWidget(self._card(card, lines), i // 2, i % 2)

    def _card(self, title: str, lines: list[DashboardLine]) -> QGroupBox:
        box = QGroupBox(title)
        box.setAccessibleName(title)
        layout = QVBoxLayout(box)
        if not lines:
            none = QLabel("Nothing needs attention.")
            none.setStyleSheet("color: #5B6770;")
            layout.addWidget(none)
        for line in lines[:MAX_LINES]:
            colour = SEVERITY_COLOURS.get(line.severity, "#2F3E4E")
            label = QLabel()
            label.setWordWrap(True)
            label.setAccessibleName(line.text)
            if line.page:
                label.setText(f'<a href="open" style="color: {colour}; text-decoration: none;">'
                              f"{html.escape(line.text)}</a>")
                label.setCursor(Qt.CursorShape.PointingHandCursor)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                              | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
                label.linkActivated.connect(lambda _href, ln=line: self._open(ln))
            else:
                label.setText(html.escape(line.text))
                label.setStyleSheet(f"color: {colour};")
            layout.addWidget(label)
        if len(lines) > MAX_LINES:
            layout.addWidget(QLabel(f"… and {len(lines) - MAX_LINES} more"))
        layout.addStretch(1)
        return box

    def _open(self, line: DashboardLine) -> None:
        """Open the line's record, in its partnership's view when it names one."""
        if line.partnership_id is not None and self.ctx.partnership_id is None:
            self.ctx.set_partnership(line.partnership_id)
        self.ctx.open_requested.emit(line.page, line.record_id)

    def line_texts(self, card: str) -> list[str]:
        """Texts of a card's lines (for tests and accessibility)."""
        return [line.text for line in self.cards.get(card, [])]
