"""Main window: navigation, partnership switcher, pages, menus, status bar, remembered state.

The window can be built before the database is open (``AppContext()`` without one): it
paints at once with its menus, a disabled navigation and switcher and "Opening …" in the
status bar; ``database_opened`` then fills it. Nothing here imports SQLAlchemy before that.
"""

from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cspdesk.ui.context import AppContext
from cspdesk.ui.page import Page

log = logging.getLogger(__name__)

#: (key, navigation label, "module:Class"); a module that does not exist yet shows a placeholder
PAGES: list[tuple[str, str, str]] = [
    ("dashboard", "Dashboard", "cspdesk.ui.dashboard_page:DashboardPage"),
    ("meetings", "Meetings", "cspdesk.ui.meetings_page:MeetingsPage"),
    ("actions", "Action plans", "cspdesk.ui.actions_page:ActionsPage"),
    ("budget", "Budget", "cspdesk.ui.budget_page:BudgetPage"),
    ("isa", "ISA register", "cspdesk.ui.isa_page:IsaPage"),
    ("people", "People & organisations", "cspdesk.ui.people_page:PeoplePage"),
]

EXTRA_MENUS: list[str] = ["cspdesk.ui.safety_menu", "cspdesk.ui.connection_menu"]


def _load_page_class(target: str) -> type[Page] | None:
    module_name, _, class_name = target.partition(":")
    if importlib.util.find_spec(module_name) is None:
        return None
    return getattr(importlib.import_module(module_name), class_name)


class UnavailablePage(Page):
    """Shown for an area that this version does not have yet."""

    def __init__(self, ctx: AppContext, label: str, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import Qt

        super().__init__(ctx, parent)
        self.key = "unavailable"
        text = QLabel(f"<h2>{label}</h2><p>This area is not yet available in this version of "
                      "cspdesk.</p>")
        text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        text.setAccessibleName(f"{label} not yet available")
        layout = QVBoxLayout(self)
        layout.addWidget(text)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        """Build the window; fill it now if ``ctx`` has a database, else on
        ``database_opened``."""
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle("cspdesk")
        self.pages: dict[str, Page] = {}
        self.available: dict[str, bool] = {}

        self.nav = QListWidget()
        self.nav.setAccessibleName("Navigation")
        self.nav.setMaximumWidth(240)
        self.nav.setStyleSheet("QListWidget::item { padding: 6px 8px; }")
        self.stack = QStackedWidget()
        for key, label, target in PAGES:
            available = importlib.util.find_spec(target.partition(":")[0]) is not None
            self.available[key] = available
            item = QListWidgetItem(label if available else f"{label} (not yet available)")
            if not available:
                item.setForeground(QColor("gray"))
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())  # the page is built when first shown (self.page)
        self.nav.currentRowChanged.connect(self._on_nav)
        self.nav.setMinimumWidth(self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 4)
        self.nav.setEnabled(False)

        self.switcher = QComboBox()
        self.switcher.setAccessibleName("Partnership")
        self.switcher.setMinimumWidth(320)
        self.switcher.currentIndexChanged.connect(self._on_switch)
        self.switcher.setEnabled(False)
        top = QHBoxLayout()
        label = QLabel("&Partnership:")
        label.setBuddy(self.switcher)
        top.addWidget(label)
        top.addWidget(self.switcher)
        top.addStretch(1)

        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 1000])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self.db_label = QLabel("Opening the database…")
        self.db_label.setAccessibleName("Database location")
        self.statusBar().addWidget(self.db_label, 1)
        self.user_label = QLabel()
        self.statusBar().addPermanentWidget(self.user_label)
        self.opened = False
        self._shortcuts_added = False
        self._restore_geometry()
        if ctx.has_database:
            self.database_opened()

    def show_opening(self, where: str) -> None:
        """Say in the status bar which database is being opened (before ``database_opened``)."""
        self.db_label.setText(f"Opening {where}…")

    def database_opened(self) -> None:
        """The context's database is open: enable the window and show the remembered page."""
        db = self.ctx.db
        self.db_label.setText(f"Database: {db.display_name}"
                              + ("  (read-only)" if db.read_only else ""))
        self.user_label.setText(f"Signed in as {db.os_user}")
        for name in self._extras:
            hook = getattr(importlib.import_module(name), "database_opened", None)
            if hook is not None:
                hook(self)
        for action in self._page_actions:
            action.setEnabled(True)
        self.add_shortcuts()
        self.nav.setEnabled(True)
        self.switcher.setEnabled(True)
        self.opened = True
        self.ctx.open_requested.connect(self.open_page)
        self.ctx.data_changed.connect(self._on_data_changed)
        self.ctx.partnership_changed.connect(self._follow_partnership)
        self.reload_partnerships()
        self._restore_state()

    def add_shortcuts(self) -> None:
        """Give the menu actions their keyboard shortcuts (once). Start-up does this just after
        the first paint: the first shortcut makes PySide6 build Qt's enums (~15 ms)."""
        if self._shortcuts_added:
            return
        self._shortcuts_added = True
        from PySide6.QtCore import Qt

        # Windows has no standard Quit key: Ctrl+Q there, as on Linux
        self._quit_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
                                       or [QKeySequence("Ctrl+Q")])
        self._undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self._redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"),
                                        QKeySequence.StandardKey.Redo])
        self._refresh_action.setShortcut(QKeySequence("F5"))
        self._refresh_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        for i, go in enumerate(self._page_actions):
            go.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))

    # ---------------------------------------------------------------- building
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.triggered.connect(self.close)
        self._quit_action = quit_action
        edit = bar.addMenu("&Edit")
        self._undo_action = self.ctx.undo_stack.createUndoAction(self, "&Undo")
        self._redo_action = self.ctx.undo_stack.createRedoAction(self, "&Redo")
        edit.addAction(self._undo_action)
        edit.addAction(self._redo_action)
        view = bar.addMenu("&View")
        refresh = QAction("&Refresh", self)
        self._refresh_action = refresh
        refresh.triggered.connect(self.refresh_current)
        view.addAction(refresh)
        self._page_actions: list[QAction] = []
        for key, label, _t in PAGES:
            go = QAction(label, self)
            go.triggered.connect(lambda _=False, k=key: self.open_page(k, None))
            go.setEnabled(False)
            view.addAction(go)
            self._page_actions.append(go)
        self._extras: list[str] = []
        for name in EXTRA_MENUS:
            if importlib.util.find_spec(name) is not None:
                importlib.import_module(name).install(self)
                self._extras.append(name)
        self.file_menu.addSeparator()
        self.file_menu.addAction(quit_action)
        help_menu = bar.addMenu("&Help")
        about = QAction("&About cspdesk", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _about(self) -> None:
        from cspdesk import __version__

        QMessageBox.about(
            self, "About cspdesk",
            f"cspdesk {__version__}\nBoard packs, action plans, budgets and the ISA register "
            "for Community Safety Partnerships.")

    # ---------------------------------------------------------------- behaviour
    def reload_partnerships(self) -> None:
        from cspdesk.services import partnerships

        current = self.ctx.partnership_id
        self.switcher.blockSignals(True)
        self.switcher.clear()
        self.switcher.addItem("All partnerships", None)
        for p in partnerships.list_partnerships(self.ctx.db):
            self.switcher.addItem(p.name, p.id)
        index = self.switcher.findData(current)
        self.switcher.setCurrentIndex(index if index >= 0 else 0)
        self.switcher.blockSignals(False)

    def _follow_partnership(self, partnership_id: int | None) -> None:
        """Keep the switcher on the partnership chosen elsewhere (e.g. a new one)."""
        index = self.switcher.findData(partnership_id)
        if index >= 0 and index != self.switcher.currentIndex():
            self.switcher.setCurrentIndex(index)

    def _on_switch(self, _index: int) -> None:
        self.ctx.set_partnership(self.switcher.currentData())
        self.ctx.settings().setValue("main/partnership", self.ctx.partnership_id or 0)
        self.refresh_current()

    def page(self, key: str) -> Page:
        """The page ``key``, built (and its module imported) the first time it is shown:
        start-up builds only the page it opens on."""
        if key not in self.pages:
            row = [k for k, _l, _t in PAGES].index(key)
            _key, label, target = PAGES[row]
            cls = _load_page_class(target) if self.available[key] else None
            page = cls(self.ctx) if cls else UnavailablePage(self.ctx, label)
            self.pages[key] = page
            placeholder = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        return self.pages[key]

    def _on_nav(self, row: int) -> None:
        if row < 0:
            return
        self.page(PAGES[row][0])
        self.stack.setCurrentIndex(row)
        self.refresh_current()

    def _on_data_changed(self, area: str) -> None:
        if area in ("partnerships", "*"):
            self.reload_partnerships()
        page = self.current_page()
        if page is not None and page.key == "dashboard":
            page.refresh()

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def refresh_current(self) -> None:
        page = self.current_page()
        if page is None:
            return
        try:
            page.refresh()
        except Exception as exc:  # noqa: BLE001
            from cspdesk.ui import messages

            messages.show_error(self, exc)

    def open_page(self, key: str, record_id: object = None) -> None:
        """Show the page ``key`` and, if given, the record ``record_id`` on it."""
        keys = [k for k, _l, _t in PAGES]
        if key not in keys:
            return
        self.nav.setCurrentRow(keys.index(key))
        if record_id is not None:
            self.pages[key].open_record(record_id)  # type: ignore[arg-type]

    # ---------------------------------------------------------------- state
    def _restore_geometry(self) -> None:
        geometry = self.ctx.settings().value("main/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 760)

    def _restore_state(self) -> None:
        settings = self.ctx.settings()
        partnership = int(settings.value("main/partnership", 0) or 0)
        index = self.switcher.findData(partnership or None)
        if index >= 0:
            self.switcher.setCurrentIndex(index)
        self.ctx.set_partnership(self.switcher.currentData())
        page = str(settings.value("main/page", "dashboard") or "dashboard")
        keys = [k for k, _l, _t in PAGES]
        self.nav.setCurrentRow(keys.index(page) if page in keys else 0)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        settings = self.ctx.settings()
        settings.setValue("main/geometry", self.saveGeometry())
        if not self.opened:  # closed while opening: keep the remembered page
            super().closeEvent(event)
            return
        page = self.current_page()
        settings.setValue("main/page", PAGES[self.nav.currentRow()][0] if page else "dashboard")
        super().closeEvent(event)
