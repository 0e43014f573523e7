"""People & organisations: list, search, add, edit, merge duplicates, delete."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cspdesk.models.organisation import OrgType
from cspdesk.services import people
from cspdesk.services.people import OrganisationRow, PersonRow
from cspdesk.ui import messages
from cspdesk.ui.context import AppContext, version_once
from cspdesk.ui.page import Page
from cspdesk.ui.people_dialogs import MergeDialog, OrganisationDialog, PersonDialog
from cspdesk.ui.proxy import SearchProxy
from cspdesk.ui.table_model import Column, RowRole, RowTableModel
from cspdesk.ui.widgets import PageToolbar

PERSON_COLUMNS: list[Column[PersonRow]] = [
    Column("Name", lambda r: r.name, lambda r: r.name.casefold()),
    Column("Initials", lambda r: r.initials),
    Column("Role", lambda r: r.role),
    Column("Organisation", lambda r: r.organisation),
    Column("Email", lambda r: r.email),
    Column("Phone", lambda r: r.phone),
]

ORG_COLUMNS: list[Column[OrganisationRow]] = [
    Column("Organisation", lambda r: r.name, lambda r: r.name.casefold()),
    Column("Type", lambda r: OrgType.label_of(r.type)),
    Column("Also known as", lambda r: "; ".join(r.aliases)),
    Column("People", lambda r: r.people_count, align=Qt.AlignmentFlag.AlignRight
           | Qt.AlignmentFlag.AlignVCenter),
]


def make_table(model: RowTableModel, name: str) -> tuple[QTableView, SearchProxy]:
    """A sortable, searchable table view over ``model``."""
    proxy = SearchProxy()
    proxy.setSourceModel(model)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAccessibleName(name)
    return view, proxy


def selected_rows(view: QTableView) -> list:
    """Row objects of the selected rows, in view order."""
    model = view.model()
    rows = sorted({i.row() for i in view.selectionModel().selectedRows()})
    return [model.data(model.index(r, 0), RowRole) for r in rows]


class PeoplePage(Page):
    key = "people"
    title = "People & organisations"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.people_model: RowTableModel[PersonRow] = RowTableModel(PERSON_COLUMNS, parent=self)
        self.org_model: RowTableModel[OrganisationRow] = RowTableModel(ORG_COLUMNS, parent=self)
        self.people_view, self.people_proxy = make_table(self.people_model, "People")
        self.org_view, self.org_proxy = make_table(self.org_model, "Organisations")
        self._sized = False
        self.people_view.doubleClicked.connect(lambda _i: self.edit())
        self.org_view.doubleClicked.connect(lambda _i: self.edit())

        from cspdesk.ui.boards_panel import BoardsPanel

        self.boards = BoardsPanel(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.people_view, "People")
        self.tabs.addTab(self.org_view, "Organisations")
        self.tabs.addTab(self.boards, "Boards && members")
        self.tabs.currentChanged.connect(self._on_tab)

        self.toolbar = PageToolbar(self, search="Search people and organisations")
        self.toolbar.add("New", self.add, QKeySequence.StandardKey.New)
        self.toolbar.add("Edit", self.edit, "Return")
        self.toolbar.add("Merge…", self.merge, "Ctrl+M",
                         "Merge two duplicate records into one (Ctrl+M)")
        self.toolbar.add("Delete", self.delete, QKeySequence.StandardKey.Delete)
        self.toolbar.add("Refresh", self.refresh, "F5")
        self.toolbar.finish()
        assert self.toolbar.search is not None
        self.search_box = self.toolbar.search
        self.toolbar.search_changed.connect(self._on_search)

        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        ctx.data_changed.connect(self._on_data_changed)

    # ---------------------------------------------------------------- helpers
    @property
    def on_people(self) -> bool:
        return self.tabs.currentIndex() == 0

    @property
    def on_boards(self) -> bool:
        return self.tabs.currentIndex() == 2

    def _on_tab(self, _index: int) -> None:
        self.toolbar.setVisible(not self.on_boards)
        self.status.setVisible(not self.on_boards)
        if self.on_boards:
            self.boards.refresh()
        self._update_status()

    def current_view(self) -> QTableView:
        return self.people_view if self.on_people else self.org_view

    def _on_search(self, text: str) -> None:
        self.people_proxy.set_search(text)
        self.org_proxy.set_search(text)
        self._update_status()

    def _on_data_changed(self, area: str) -> None:
        if area in ("people", "organisations", "*"):
            self.refresh()

    def _update_status(self) -> None:
        if self.on_people:
            self.status.setText(f"{self.people_proxy.rowCount()} of "
                                f"{self.people_model.rowCount()} people")
        else:
            self.status.setText(f"{self.org_proxy.rowCount()} of "
                                f"{self.org_model.rowCount()} organisations")

    def refresh(self) -> None:
        self.people_model.set_rows(people.list_people(self.ctx.db))
        self.org_model.set_rows(people.list_organisations(self.ctx.db))
        if not self._sized and self.people_model.rowCount():
            self._sized = True
            for view in (self.people_view, self.org_view):
                view.resizeColumnsToContents()
                for column in range(view.model().columnCount() - 1):
                    view.setColumnWidth(column, min(view.columnWidth(column), 320))
        self._update_status()

    def open_record(self, record_id: int | None) -> None:
        self.tabs.setCurrentIndex(0)
        row = self.people_model.find_row(lambda r: r.id == record_id)
        if row >= 0:
            index = self.people_proxy.mapFromSource(self.people_model.index(row, 0))
            self.people_view.selectRow(index.row())

    def _select(self, view: QTableView, model: RowTableModel, proxy: SearchProxy,
                record_id: int) -> None:
        row = model.find_row(lambda r: r.id == record_id)
        if row >= 0:
            index = proxy.mapFromSource(model.index(row, 0))
            view.selectRow(index.row())
            view.scrollTo(index)

    # ---------------------------------------------------------------- actions
    def add(self) -> None:
        if self.on_boards:
            return
        if self.on_people:
            dialog = PersonDialog(self.ctx.db, None, self)
            if dialog.exec():
                data = dialog.value()
                created: list[int] = []

                def do() -> PersonRow:
                    row = people.add_person(self.ctx.db, data)
                    created[:] = [row.id]
                    return row

                try:
                    row = self.ctx.push(f"Add {data.name}", do,
                                        lambda: people.delete_person(self.ctx.db, created[0]),
                                        "people")
                except Exception as exc:  # noqa: BLE001
                    messages.show_error(self, exc)
                    return
                self._select(self.people_view, self.people_model, self.people_proxy, row.id)
        else:
            dialog = OrganisationDialog(self.ctx.db, None, self)
            if dialog.exec():
                data = dialog.value()
                created_org: list[int] = []

                def do_org() -> OrganisationRow:
                    row = people.add_organisation(self.ctx.db, data)
                    created_org[:] = [row.id]
                    return row

                try:
                    row = self.ctx.push(
                        f"Add {data.name}", do_org,
                        lambda: people.delete_organisation(self.ctx.db, created_org[0]), "people")
                except Exception as exc:  # noqa: BLE001
                    messages.show_error(self, exc)
                    return
                self._select(self.org_view, self.org_model, self.org_proxy, row.id)

    def edit(self) -> None:
        if self.on_boards:
            return
        rows = selected_rows(self.current_view())
        if not rows:
            return
        if self.on_people:
            self._edit_person(rows[0])
        else:
            self._edit_org(rows[0])

    def _edit_person(self, before: PersonRow) -> None:
        dialog = PersonDialog(self.ctx.db, before, self)
        if not dialog.exec():
            return
        data = dialog.value()
        old = people.PersonInput(before.name, before.initials, before.role,
                                 before.organisation_id, before.email, before.phone, before.notes)
        version = version_once(before.version)

        def do() -> PersonRow:
            return people.update_person(self.ctx.db, before.id, data, version=version())

        try:
            self.ctx.push(f"Edit {before.name}", do,
                          lambda: people.update_person(self.ctx.db, before.id, old), "people")
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, exc)
            return
        self._select(self.people_view, self.people_model, self.people_proxy, before.id)

    def _edit_org(self, before: OrganisationRow) -> None:
        dialog = OrganisationDialog(self.ctx.db, before, self)
        if not dialog.exec():
            return
        data = dialog.value()
        old = people.OrganisationInput(before.name, before.type, list(before.aliases),
                                       before.notes)
        version = version_once(before.version)

        def do() -> OrganisationRow:
            return people.update_organisation(self.ctx.db, before.id, data, version=version())

        try:
            self.ctx.push(f"Edit {before.name}", do,
                          lambda: people.update_organisation(self.ctx.db, before.id, old),
                          "people")
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, exc)
            return
        self._select(self.org_view, self.org_model, self.org_proxy, before.id)

    def merge(self) -> None:
        if self.on_boards:
            return
        rows = selected_rows(self.current_view())
        candidates = self.people_model.rows() if self.on_people else self.org_model.rows()
        dialog = MergeDialog(candidates, rows[:2], "person" if self.on_people else "organisation",
                             self)
        if not dialog.exec():
            return
        keep, dup = dialog.choice()
        what = "people" if self.on_people else "organisations"
        if not messages.confirm(
                self, f"Merge '{dup.name}' into '{keep.name}'? Every record that names "
                f"'{dup.name}' will name '{keep.name}' instead. This cannot be undone."):
            return
        try:
            if self.on_people:
                people.merge_people(self.ctx.db, keep.id, dup.id)
            else:
                people.merge_organisations(self.ctx.db, keep.id, dup.id)
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, exc)
            return
        self.ctx.undo_stack.clear()
        self.ctx.data_changed.emit("people")
        self.status.setText(f"Merged {what}: '{dup.name}' is now '{keep.name}'.")

    def delete(self) -> None:
        if self.on_boards:
            return
        rows = selected_rows(self.current_view())
        if not rows:
            return
        row = rows[0]
        if not messages.confirm(self, f"Delete {row.name}?"):
            return
        try:
            if self.on_people:
                data = people.PersonInput(row.name, row.initials, row.role, row.organisation_id,
                                          row.email, row.phone, row.notes)
                restored: list[int] = [row.id]

                def undo_person() -> None:
                    restored[:] = [people.add_person(self.ctx.db, data).id]

                self.ctx.push(f"Delete {row.name}",
                              lambda: people.delete_person(self.ctx.db, restored[0]),
                              undo_person, "people")
            else:
                odata = people.OrganisationInput(row.name, row.type, list(row.aliases), row.notes)
                restored_org: list[int] = [row.id]

                def undo_org() -> None:
                    restored_org[:] = [people.add_organisation(self.ctx.db, odata).id]

                self.ctx.push(f"Delete {row.name}",
                              lambda: people.delete_organisation(self.ctx.db, restored_org[0]),
                              undo_org, "people")
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, exc)
