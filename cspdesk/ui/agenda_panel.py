"""The agenda builder panel: items and sub-items, drag to reorder, drop PDFs, papers, undo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cspdesk.services import agenda, meeting_papers, people
from cspdesk.services import papers as registry
from cspdesk.services.agenda import AgendaRow
from cspdesk.services.meeting_papers import WrittenPaper
from cspdesk.ui import dialogs, messages
from cspdesk.ui.agenda_dialogs import GeneratedPaperDialog, ItemDialog, WrittenPaperDialog
from cspdesk.ui.agenda_model import AgendaModel
from cspdesk.ui.context import AppContext
from cspdesk.ui.widgets import PageToolbar

AREA = "meetings"


class AgendaPanel(QWidget):
    """Shows one meeting's agenda; every change is an undoable step on ``ctx.undo_stack``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id: int | None = None
        self.setAccessibleName("Agenda")
        self.model = AgendaModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Agenda items")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 150)
        self.view.doubleClicked.connect(lambda _i: self.edit_item())
        self.model.move_requested.connect(self._dropped_move)
        self.model.files_dropped.connect(self._dropped_files)

        bar = PageToolbar(self, search=None)
        self.act_add = bar.add("Add item", self.add_item, "Ctrl+Shift+N")
        bar.add("Add sub-item", self.add_sub_item, "Ctrl+Shift+I")
        bar.add("Edit", self.edit_item, "F2")
        bar.add("Delete", self.delete_item, "Delete")
        bar.add("Move up", lambda: self.move_selected(-1), "Ctrl+Up")
        bar.add("Move down", lambda: self.move_selected(1), "Ctrl+Down")
        bar.add("Standing items", self.add_standing)
        bar.add("Copy last agenda", self.copy_last)
        papers_bar = PageToolbar(self, search=None)
        papers_bar.add("Attach PDF…", self.attach, "Ctrl+Shift+A",
                       tip="Attach a PDF or Word/ODT file (or drag files onto an item)")
        papers_bar.add("Write paper…", self.write_paper)
        papers_bar.add("Generated paper…", self.generated_paper)
        papers_bar.add("Remove paper", self.remove_paper)

        self.warning = QLabel()
        self.warning.setAccessibleName("Timing")
        self.warning.setWordWrap(True)
        self.papers = QListWidget()
        self.papers.setAccessibleName("Papers of the item")
        self.papers.setMaximumHeight(110)
        self.papers.itemDoubleClicked.connect(lambda _i: self.write_paper(edit=True))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.warning)
        row = QHBoxLayout()
        row.addWidget(QLabel("Papers of the selected item (drag PDFs onto an item to attach):"))
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(papers_bar)
        layout.addWidget(self.papers)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._load_papers())
        self.preflight_button = QPushButton("Pre-flight check")

    # -- loading
    def set_meeting(self, meeting_id: int | None) -> None:
        self.meeting_id = meeting_id
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        keep = select_id or (self.current().id if self.current() else None)
        if self.meeting_id is None:
            self.model.set_rows([])
            self.warning.setText("")
            self._load_papers()
            return
        ag = agenda.get_agenda(self.ctx.db, self.meeting_id)
        self.model.set_rows(ag.rows)
        total = f"Total {ag.total_minutes} minutes"
        if ag.slot_minutes:
            total += f" of a {ag.slot_minutes}-minute slot"
        if ag.warning:
            self.warning.setText(f"⚠ {ag.warning}")
            self.warning.setStyleSheet("color: #B07A00; font-weight: bold")
        else:
            self.warning.setText(total + (" — fills the slot" if ag.slot_minutes else ""))
            self.warning.setStyleSheet("color: #2E8B57")
        if keep is not None:
            row = self.model.find_row(lambda r: r.id == keep)
            if row >= 0:
                self.view.selectRow(row)
        self._load_papers()

    def current(self) -> AgendaRow | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def _load_papers(self) -> None:
        self.papers.clear()
        row = self.current()
        if row is None:
            return
        for p in meeting_papers.list_papers(self.ctx.db, row.id):
            entry = QListWidgetItem(f"{p.title} — {p.source_label}")
            entry.setData(Qt.ItemDataRole.UserRole, p)
            self.papers.addItem(entry)

    def _changed(self, select_id: int | None = None) -> None:
        self.reload(select_id)

    # -- items
    def _people(self) -> list:
        return people.list_people(self.ctx.db)

    def add_item(self, parent_id: int | None = None) -> None:
        if self.meeting_id is None:
            return
        dialog = ItemDialog(self._people(), parent=self)
        if not dialog.exec():
            return
        data, mid = dialog.result_value, self.meeting_id
        made: dict[str, int] = {}

        def do() -> None:
            made["id"] = agenda.add_item(self.ctx.db, mid, data, parent_id=parent_id).id

        self._push(f"Add agenda item {data.title}", do,
                   lambda: agenda.delete_item(self.ctx.db, made["id"]))
        self._changed(made["id"])

    def add_sub_item(self) -> None:
        row = self.current()
        if row is None:
            messages.show_error(self, _hint("Select the item to add a sub-item under."))
            return
        self.add_item(row.parent_id or row.id)

    def edit_item(self) -> None:
        row = self.current()
        if row is None:
            return
        before = agenda.item_input(self.ctx.db, row.id)
        dialog = ItemDialog(self._people(), before, parent=self)
        if not dialog.exec():
            return
        after = dialog.result_value
        item_id = row.id

        def save(data):  # type: ignore[no-untyped-def]
            current = next(r for r in agenda.get_agenda(self.ctx.db, self.meeting_id).rows
                           if r.id == item_id)
            agenda.update_item(self.ctx.db, item_id, current.version, data)

        self._push(f"Edit agenda item {after.title}", lambda: save(after), lambda: save(before))
        self._changed(item_id)

    def delete_item(self) -> None:
        row = self.current()
        if row is None:
            return
        if not messages.confirm(self, f"Delete item {row.number}, {row.title}, with its "
                                "sub-items and papers?"):
            return
        state: dict[str, object] = {"id": row.id}

        def do() -> None:
            state["snap"] = agenda.delete_item(self.ctx.db, state["id"])  # type: ignore[arg-type]

        def undo() -> None:
            state["id"] = agenda.restore_item(self.ctx.db, state["snap"])  # type: ignore[arg-type]

        self._push(f"Delete agenda item {row.title}", do, undo)
        self._changed()

    def move_selected(self, step: int) -> None:
        row = self.current()
        if row is None:
            return
        siblings = [r for r in self.model.rows() if r.parent_id == row.parent_id]
        index = siblings.index(row) + step
        if 0 <= index < len(siblings):
            self._move(row.id, index, row.parent_id)

    def _move(self, item_id: int, index: int, parent_id: int | None) -> None:
        old_parent, old_index = agenda.item_place(self.ctx.db, item_id)
        self._push("Move agenda item",
                   lambda: agenda.move_item(self.ctx.db, item_id, index, parent_id),
                   lambda: agenda.move_item(self.ctx.db, item_id, old_index, old_parent))
        self._changed(item_id)

    def _dropped_move(self, item_id: int, target_row: int) -> None:
        rows = self.model.rows()
        moving = next(r for r in rows if r.id == item_id)
        if 0 <= target_row < len(rows):
            target = rows[target_row]
            parent_id = target.parent_id if moving.parent_id is not None or \
                target.parent_id is None else target.parent_id
            siblings = [r for r in rows if r.parent_id == parent_id and r.id != item_id]
            index = next((i for i, r in enumerate(siblings) if r.id == target.id),
                         len(siblings))
            if target.parent_id is not None and parent_id is None:
                index = next(i for i, r in enumerate(siblings) if r.id == target.parent_id) + 1
        else:
            parent_id = None if moving.parent_id is None else moving.parent_id
            index = len([r for r in rows if r.parent_id == parent_id]) - 1
        try:
            self._move(item_id, index, parent_id)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            messages.show_error(self, exc)

    def add_standing(self) -> None:
        if self.meeting_id is None:
            return
        mid = self.meeting_id
        made: dict[str, list[int]] = {}

        def do() -> None:
            made["ids"] = agenda.add_standing_items(self.ctx.db, mid)

        def undo() -> None:
            for item_id in made["ids"]:
                agenda.delete_item(self.ctx.db, item_id)

        self._push("Add standing items", do, undo)
        self._changed()

    def copy_last(self) -> None:
        if self.meeting_id is None:
            return
        mid = self.meeting_id

        def undo() -> None:
            for r in [r for r in agenda.get_agenda(self.ctx.db, mid).rows if r.level == 0]:
                agenda.delete_item(self.ctx.db, r.id)

        try:
            self._push("Copy the last agenda", lambda: agenda.copy_last_agenda(self.ctx.db, mid),
                       undo)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            messages.show_error(self, exc)
        self._changed()

    # -- papers
    def attach(self) -> None:
        row = self.current()
        if row is None:
            messages.show_error(self, _hint("Select the item the paper belongs to."))
            return
        path = dialogs.choose_open_file(self, "Attach a paper",
                                        "Papers (*.pdf *.docx *.doc *.odt *.rtf)", key="papers")
        if path is not None:
            self._dropped_files(row.id, [path])

    def _dropped_files(self, item_id: int, paths: list[Path]) -> None:
        for path in paths:
            made: dict[str, int] = {}

            def do(path: Path = path, made: dict = made) -> None:
                made["id"] = meeting_papers.attach_file(self.ctx.db, item_id, path).id

            try:
                self._push(f"Attach {path.name}", do,
                           lambda made=made: meeting_papers.remove_paper(self.ctx.db, made["id"]))
            except Exception as exc:  # noqa: BLE001 - one sentence for the user
                messages.show_error(self, exc)
        self._changed(item_id)

    def write_paper(self, edit: bool = False) -> None:
        row = self.current()
        if row is None:
            return
        selected = self.papers.currentItem()
        paper = selected.data(Qt.ItemDataRole.UserRole) if (edit and selected) else None
        if paper is not None and paper.source != "written":
            return
        data = (meeting_papers.written_paper(self.ctx.db, paper.id) if paper else
                WrittenPaper(title=row.title, date=None))
        dialog = WrittenPaperDialog(data, self)
        if not dialog.exec():
            return
        value = dialog.result_value
        try:
            if paper is None:
                made: dict[str, int] = {}

                def do() -> None:
                    made["id"] = meeting_papers.save_written(self.ctx.db, row.id, value).id

                self._push(f"Write paper {value.title}", do,
                           lambda: meeting_papers.remove_paper(self.ctx.db, made["id"]))
            else:
                self._push(f"Edit paper {value.title}",
                           lambda: meeting_papers.save_written(self.ctx.db, row.id, value,
                                                               paper_id=paper.id),
                           lambda: meeting_papers.save_written(self.ctx.db, row.id, data,
                                                               paper_id=paper.id))
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, exc)
        self._changed(row.id)

    def generated_paper(self) -> None:
        row = self.current()
        if row is None:
            return
        dialog = GeneratedPaperDialog({k: v[0] for k, v in registry.providers().items()}, self)
        if not dialog.exec():
            return
        key = dialog.result_value
        made: dict[str, int] = {}

        def do() -> None:
            made["id"] = meeting_papers.choose_generated(self.ctx.db, row.id, key).id

        self._push("Add generated paper", do,
                   lambda: meeting_papers.remove_paper(self.ctx.db, made["id"]))
        self._changed(row.id)

    def remove_paper(self) -> None:
        selected = self.papers.currentItem()
        if selected is None:
            return
        paper = selected.data(Qt.ItemDataRole.UserRole)
        if not messages.confirm(self, f"Remove the paper {paper.title} from the item?"):
            return
        state: dict[str, object] = {}

        def do() -> None:
            state["snap"] = meeting_papers.remove_paper(self.ctx.db, paper.id)

        self._push(f"Remove paper {paper.title}", do,
                   lambda: meeting_papers.restore_paper(self.ctx.db, state["snap"]))  # type: ignore[arg-type]
        self._changed(paper.agenda_item_id)

    def _push(self, text: str, do, undo) -> None:  # type: ignore[no-untyped-def]
        self.ctx.push(text, do, undo, AREA)


def _hint(text: str) -> Exception:
    from cspdesk.errors import UserError

    return UserError(text)
