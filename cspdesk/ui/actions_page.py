"""Action plans page: the plan tree with RAG and history, the action-point log, filters."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from cspdesk import clock
from cspdesk.dates import format_date
from cspdesk.models.actions import ActionStatus, Rag
from cspdesk.services import action_points as ap
from cspdesk.services import actions as svc
from cspdesk.services.action_points import ActionPointRow
from cspdesk.services.action_updates import UpdateRow, list_updates
from cspdesk.services.actions import ActionRow
from cspdesk.ui import action_commands as cmd
from cspdesk.ui.actions_tree import STATUS_COL, PlanTreeModel, RowRole, StatusDelegate
from cspdesk.ui.context import AppContext
from cspdesk.ui.page import Page
from cspdesk.ui.people_page import make_table, selected_rows
from cspdesk.ui.table_model import Column, RowTableModel
from cspdesk.ui.widgets import SEVERITY_COLOURS, PageToolbar

DUE_FILTERS = ("Any time", "Overdue", "Due in 30 days", "Due this quarter", "No due date")


def _item_key(p: ActionPointRow) -> tuple[dt.date, tuple[int, ...], str]:
    """Sort items as the agenda numbers them (2 before 10), within each meeting."""
    number = p.agenda_item_number or p.minute_ref or ""
    parts = tuple(int(x) for x in number.split(".") if x.isdigit())
    return p.meeting_date, parts, p.item_text


POINT_COLUMNS: list[Column[ActionPointRow]] = [
    Column("Ref", lambda p: p.ref, lambda p: (p.meeting_date, p.number)),
    Column("Board", lambda p: p.board, tooltip=lambda p: p.board),
    Column("Meeting", lambda p: format_date(p.meeting_date), lambda p: p.meeting_date),
    Column("Item", lambda p: p.item_text, _item_key, tooltip=lambda p: p.item_text or None),
    Column("Action point", lambda p: p.text, tooltip=lambda p: p.text),
    Column("Owner", lambda p: p.owner_text),
    Column("Due", lambda p: format_date(p.due_date), lambda p: p.due_date or dt.date.max),
    Column("Status", lambda p: ("Open – overdue" if p.overdue(clock.today()) else p.status_text),
           foreground=lambda p: SEVERITY_COLOURS["overdue"] if p.overdue(clock.today()) else None),
    Column("Closed", lambda p: format_date(p.closed_on), lambda p: p.closed_on or dt.date.min),
]

BOARD_COL = 1

UPDATE_COLUMNS: list[Column[UpdateRow]] = [
    Column("Date", lambda u: format_date(u.date), lambda u: u.date),
    Column("Update", lambda u: u.text, tooltip=lambda u: u.text),
    Column("Status", lambda u: u.status_label),
    Column("From", lambda u: u.source or ""),
]


class _FillColumn(QObject):
    """Give one column of a table the width the others leave, but never less than ``minimum``
    (below that the table scrolls sideways rather than squeezing the column to nothing)."""

    def __init__(self, view: QTableView, column: int, minimum: int) -> None:
        super().__init__(view)
        self.view, self.column, self.minimum = view, column, minimum
        view.viewport().installEventFilter(self)
        view.horizontalHeader().sectionResized.connect(
            lambda index, _old, _new: self.fit() if index != column else None)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        view = self.view
        others = sum(view.columnWidth(c) for c in range(view.model().columnCount())
                     if c != self.column and not view.isColumnHidden(c))
        view.setColumnWidth(self.column, max(self.minimum, view.viewport().width() - others))


def _combo(name: str, items: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for label, data in items:
        box.addItem(label, data)
    return box


class ActionsPage(Page):
    key = "actions"
    title = "Action plans"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.tree_data: svc.PlanTree | None = None
        self.plan_box = _combo("Plan", [])
        self.plan_box.setMinimumWidth(300)
        self.plan_box.currentIndexChanged.connect(lambda _i: self.load_plan())
        self.lead_box = _combo("Lead", [("All leads", None)])
        self.status_box = _combo("Status", [("All statuses", None)]
                                 + [(s.label, s.value) for s in ActionStatus])
        self.rag_box = _combo("RAG", [("Any RAG", None)] + [(r.label, r.value) for r in Rag])
        self.due_box = _combo("Due", [(d, d) for d in DUE_FILTERS])
        self.me_box = _combo("My actions", [("Everyone's actions", None)])
        for box in (self.lead_box, self.status_box, self.rag_box, self.due_box):
            box.currentIndexChanged.connect(lambda _i: self.show_tree())
        self.me_box.currentIndexChanged.connect(lambda _i: cmd.choose_me(self))

        self.model = PlanTreeModel(self)
        self.model.on_status = lambda row, status: cmd.change_status(self, row, status)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Plan: priorities, actions and milestones")
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.SelectedClicked)
        self.view.setItemDelegateForColumn(STATUS_COL, StatusDelegate(self.view))
        self.view.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.header().setStretchLastSection(True)
        for col, width in enumerate((95, 330, 190, 110, 95, 100, 80, 85)):
            self.view.setColumnWidth(col, width)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.show_history())
        self.view.doubleClicked.connect(self._double_clicked)

        self.history_model: RowTableModel[UpdateRow] = RowTableModel(UPDATE_COLUMNS, parent=self)
        self.history_view, _hp = make_table(self.history_model, "Update history")
        self.history_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Action details")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        side = QWidget()
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(self.detail)
        sl.addWidget(QLabel("<b>Update history</b>"))
        sl.addWidget(self.history_view, 1)
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("&Plan:", buddy=self.plan_box))
        filters.addWidget(self.plan_box)
        for label, box in (("&Lead:", self.lead_box), ("S&tatus:", self.status_box),
                           ("&RAG:", self.rag_box), ("D&ue:", self.due_box)):
            filters.addWidget(QLabel(label, buddy=box))
            filters.addWidget(box)
        filters.addStretch(1)
        self.summary = QLabel()
        self.summary.setAccessibleName("Plan summary")
        plan_tab = QWidget()
        pl = QVBoxLayout(plan_tab)
        pl.addLayout(filters)
        pl.addWidget(self.summary)
        pl.addWidget(split, 1)

        self.points_model: RowTableModel[ActionPointRow] = RowTableModel(POINT_COLUMNS, parent=self)
        self.points_view, self.points_proxy = make_table(self.points_model, "Action points")
        self.points_view.doubleClicked.connect(lambda _i: cmd.edit_point(self))
        header = self.points_view.horizontalHeader()
        header.setStretchLastSection(False)
        for col, width in ((0, 50), (BOARD_COL, 150), (2, 90), (3, 160), (5, 120), (6, 85),
                           (7, 150), (8, 85)):
            self.points_view.setColumnWidth(col, width)
        self.points_fill = _FillColumn(self.points_view, 4, 180)
        self.points_view.setWordWrap(True)
        self.board_box = _combo("Board", [("All boards", None)])
        self.point_status = _combo("Show", [("Open", "open"), ("Overdue", "overdue"),
                                           ("Closed", "closed"), ("All", None)])
        self.board_box.currentIndexChanged.connect(lambda _i: self.load_points())
        self.point_status.currentIndexChanged.connect(lambda _i: self.load_points())
        top = QHBoxLayout()
        top.addWidget(QLabel("&Board:", buddy=self.board_box))
        top.addWidget(self.board_box)
        top.addWidget(QLabel("S&how:", buddy=self.point_status))
        top.addWidget(self.point_status)
        top.addStretch(1)
        points_tab = QWidget()
        ptl = QVBoxLayout(points_tab)
        ptl.addLayout(top)
        ptl.addWidget(self.points_view, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(plan_tab, "Action &plan")
        self.tabs.addTab(points_tab, "Action p&oints")
        self.toolbar = self._toolbar()
        mine = QHBoxLayout()
        mine.addWidget(QLabel("&Show:", buddy=self.me_box))
        mine.addWidget(self.me_box)
        mine.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addLayout(mine)
        layout.addWidget(self.tabs, 1)
        self.status = QLabel()
        self.status.setAccessibleName("Status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.task = None
        ctx.data_changed.connect(lambda area: self.refresh() if area == "actions" else None)
        ctx.partnership_changed.connect(lambda _p: self.refresh())

    def _toolbar(self) -> PageToolbar:
        tb = PageToolbar(self, search="Search actions and points")
        tb.add("New", lambda: cmd.new(self), QKeySequence.StandardKey.New,
               "New action (plan tab) or action point (points tab) (Ctrl+N)")
        tb.add("Milestone", lambda: cmd.new_milestone(self), "Ctrl+M",
               "New milestone of the selected action (Ctrl+M)")
        edit = tb.add("Edit", lambda: cmd.edit(self), "F2")
        edit.setShortcuts([QKeySequence("F2"), QKeySequence("Return")])
        tb.add("Delete", lambda: cmd.delete(self), QKeySequence.StandardKey.Delete)
        tb.add("Up", lambda: cmd.move(self, -1), "Ctrl+Up", "Move the action up (Ctrl+Up)")
        tb.add("Down", lambda: cmd.move(self, 1), "Ctrl+Down", "Move the action down (Ctrl+Down)")
        tb.addSeparator()
        tb.add("Update…", lambda: cmd.add_update(self), "Ctrl+U",
               "Add a dated progress update (Ctrl+U)")
        tb.add("Override RAG…", lambda: cmd.override(self), "Ctrl+R")
        tb.add("Close point…", lambda: cmd.close_point(self), "Ctrl+Shift+C")
        tb.add("Close quarter", lambda: cmd.close_quarter(self), "Ctrl+Shift+Q",
               "Freeze every action's status, RAG and latest update (Ctrl+Shift+Q)")
        tb.addSeparator()
        tb.add("New plan…", lambda: cmd.new_plan(self), "Ctrl+Shift+N")
        tb.add("Priorities…", lambda: cmd.edit_priorities(self), "Ctrl+Shift+P",
               "Edit the plan's title, period and priorities (Ctrl+Shift+P)")
        tb.add("Export…", lambda: cmd.export(self), "Ctrl+E")
        tb.add("Import updates…", lambda: cmd.import_updates(self), "Ctrl+I")
        tb.add("Refresh", self.refresh, "F5")
        tb.finish()
        assert tb.search is not None
        self.search_box = tb.search
        tb.search_changed.connect(lambda text: (self.points_proxy.set_search(text),
                                                self.show_tree()))
        return tb

    # ---------------------------------------------------------------- loading

    def refresh(self) -> None:
        current = self.plan_box.currentData()
        self.plan_box.blockSignals(True)
        self.plan_box.clear()
        for p in svc.list_plans(self.ctx.db, self.ctx.partnership_id):
            self.plan_box.addItem(p.label, p.id)
        self.plan_box.setCurrentIndex(max(0, self.plan_box.findData(current)))
        self.plan_box.blockSignals(False)
        cmd.fill_people_boxes(self)
        cmd.fill_boards(self)
        self.load_plan()
        self.load_points()

    def load_plan(self) -> None:
        plan_id = self.plan_box.currentData()
        self.tree_data = svc.plan_tree(self.ctx.db, plan_id) if plan_id is not None else None
        leads = sorted({a.lead_person or a.lead_text or a.lead_organisation or ""
                        for a in (self.tree_data.actions if self.tree_data else ())} - {""})
        chosen = self.lead_box.currentData()
        self.lead_box.blockSignals(True)
        self.lead_box.clear()
        self.lead_box.addItem("All leads", None)
        for lead in leads:
            self.lead_box.addItem(lead, lead)
        self.lead_box.setCurrentIndex(max(0, self.lead_box.findData(chosen)))
        self.lead_box.blockSignals(False)
        self.show_tree()

    def keep(self, a: ActionRow) -> bool:
        """Whether the filters (lead, status, RAG, due, my actions, search) keep an action."""
        today = clock.today()
        lead, status, rag = (self.lead_box.currentData(), self.status_box.currentData(),
                             self.rag_box.currentData())
        if lead and lead not in (a.lead_person, a.lead_text, a.lead_organisation):
            return False
        if status and a.status != status:
            return False
        if rag and a.rag != rag:
            return False
        me = self.me_box.currentData()
        if me is not None and a.lead_person_id != me:
            return False
        due = self.due_box.currentData()
        open_ = a.status not in ("complete", "abandoned")
        if due == "Overdue" and not (open_ and a.due_date and a.due_date < today):
            return False
        if due == "Due in 30 days" and not (open_ and a.due_date
                                             and 0 <= (a.due_date - today).days <= 30):
            return False
        if due == "Due this quarter":
            from cspdesk.services.action_rag import quarter_of

            if not (a.due_date and quarter_of(a.due_date) == quarter_of(today)):
                return False
        if due == "No due date" and a.due_date is not None:
            return False
        words = self.search_box.text().casefold().split()
        text = f"{a.ref} {a.title} {a.lead} {a.latest_update or ''}".casefold()
        return all(w in text for w in words)

    def show_tree(self) -> None:
        selected = self.current_action()
        filtered = any(b.currentIndex() > 0 for b in (self.lead_box, self.status_box, self.rag_box,
                                                      self.due_box, self.me_box))
        filtered = filtered or bool(self.search_box.text().strip())
        self.model.set_tree(self.tree_data, self.keep if filtered else None)
        self.view.expandAll()
        if selected is not None:
            self.select_action(selected.id)
        self.summary.setText(cmd.summary_text(self))
        self.show_history()

    def load_points(self) -> None:
        show = self.point_status.currentData()
        rows = ap.list_points(self.ctx.db, board_id=self.board_box.currentData(),
                              partnership_id=self.ctx.partnership_id,
                              owner_id=self.me_box.currentData(),
                              status=None if show in (None, "overdue") else show)
        if show == "overdue":
            rows = [p for p in rows if p.overdue(clock.today())]
        self.points_model.set_rows(rows)
        # the board is worth its width only when the list mixes boards
        self.points_view.setColumnHidden(BOARD_COL, len({p.board_id for p in rows}) < 2)
        self.points_fill.fit()

    # ---------------------------------------------------------------- selection

    def current_action(self) -> ActionRow | None:
        index = self.view.currentIndex()
        item = self.model.data(index, RowRole) if index.isValid() else None
        return item if isinstance(item, ActionRow) else None

    def current_point(self) -> ActionPointRow | None:
        rows = selected_rows(self.points_view)
        return rows[0] if rows else None

    def select_action(self, action_id: int) -> None:
        index = self.model.index_of(action_id)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def show_history(self) -> None:
        a = self.current_action()
        self.history_model.set_rows(list_updates(self.ctx.db, a.id) if a else [])
        self.detail.setText(cmd.detail_html(a) if a else "Select an action to see its details.")

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() != STATUS_COL:
            cmd.edit(self)

    def open_record(self, record_id: int | None) -> None:
        """Show an action (positive id) or an action point (negative id, from the Dashboard)."""
        self.refresh()
        if record_id is None:
            return
        if record_id < 0:
            self.tabs.setCurrentIndex(1)
            self.point_status.setCurrentIndex(self.point_status.findData(None))
            row = self.points_model.find_row(lambda p: p.id == -record_id)
            if row >= 0:
                index = self.points_proxy.mapFromSource(self.points_model.index(row, 0))
                self.points_view.selectRow(index.row())
            return
        action = svc.get_action(self.ctx.db, record_id)
        self.tabs.setCurrentIndex(0)
        self.plan_box.setCurrentIndex(max(0, self.plan_box.findData(action.plan_id)))
        self.select_action(record_id)
