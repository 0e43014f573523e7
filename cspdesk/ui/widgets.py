"""Small shared widgets: page toolbar with search, RAG colours, status chips."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSizePolicy,
    QToolBar,
    QWidget,
)

RAG_COLOURS = {"Red": "#C0392B", "Amber": "#E6A100", "Green": "#2E8B57", "Complete": "#5B6770"}
SEVERITY_COLOURS = {"overdue": "#C0392B", "warning": "#B07A00", "info": "#2F3E4E"}


class SearchBox(QLineEdit):
    """A search field (Ctrl+F focuses it, Escape clears it)."""

    def __init__(self, placeholder: str = "Search", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.setAccessibleName(placeholder)
        self.setMinimumWidth(220)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            return
        super().keyPressEvent(event)


class PageToolbar(QWidget):
    """A page's actions on the left and its search box on the right.

    The search box sits beside the tool bar, not in it, so on a narrow laptop screen it stays
    visible while the last buttons fold into the bar's » menu.
    """

    search_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, search: str | None = "Search") -> None:
        super().__init__(parent)
        self.bar = QToolBar(self)
        self.bar.setMovable(False)
        self.bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.bar.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar, 1)
        self.search: SearchBox | None = None
        self._search_placeholder = search

    def add(self, text: str, slot, shortcut: QKeySequence | str | None = None,  # type: ignore[no-untyped-def]
            tip: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(tip or (f"{text} ({QKeySequence(shortcut).toString()})"
                                  if shortcut else text))
        action.triggered.connect(slot)
        self.bar.addAction(action)
        if self.parentWidget() is not None:
            self.parentWidget().addAction(action)
        return action

    def addSeparator(self) -> None:  # noqa: N802  (the QToolBar name pages already use)
        self.bar.addSeparator()

    def actions(self) -> list[QAction]:
        """The bar's actions, in order."""
        return self.bar.actions()

    def finish(self) -> None:
        """Add the search box (call after adding actions)."""
        if self._search_placeholder is None:
            return
        self.search = SearchBox(self._search_placeholder, self)
        self.search.textChanged.connect(self.search_changed)
        self.layout().addWidget(self.search)
        focus = QAction("Search", self)
        focus.setShortcut(QKeySequence.StandardKey.Find)
        focus.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        focus.triggered.connect(lambda: (self.search.setFocus(), self.search.selectAll()))
        if self.parentWidget() is not None:
            self.parentWidget().addAction(focus)


def chip(text: str, colour: str) -> QLabel:
    """A coloured label that also says the word."""
    label = QLabel(text)
    label.setStyleSheet(f"QLabel {{ background: {colour}; color: white; border-radius: 3px;"
                        " padding: 1px 6px; font-weight: bold; }")
    label.setAccessibleName(text)
    return label


def hbox(*widgets: QWidget, stretch: bool = True) -> QHBoxLayout:
    layout = QHBoxLayout()
    for w in widgets:
        layout.addWidget(w)
    if stretch:
        layout.addStretch(1)
    return layout


def window_banner(window: QMainWindow, text: str, name: str) -> QLabel:
    """A yellow notice above the pages of ``window`` (accessible as ``name``)."""
    banner = QLabel(text)
    banner.setWordWrap(True)
    banner.setAccessibleName(name)
    banner.setStyleSheet("background: #FFF4CC; color: #1F2933; border: 1px solid #E6A100;"
                         " padding: 6px;")
    central = window.centralWidget()
    layout = central.layout() if central is not None else None
    if layout is not None:
        layout.insertWidget(0, banner)  # type: ignore[attr-defined]
    return banner
