"""The agenda table model: rows from services.agenda, drag to reorder, drop files to attach."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal

from cspdesk.services.agenda import AgendaRow
from cspdesk.ui.table_model import RIGHT, Column, RowTableModel

MIME = "application/x-cspdesk-agenda-item"
ATTACHABLE = {".pdf", ".doc", ".docx", ".odt", ".rtf"}

AnyIndex = QModelIndex | QPersistentModelIndex


def _publication_colour(r: AgendaRow) -> str | None:
    return {"exempt": "#C0392B", "on_approval": "#B07A00"}.get(r.publication)


AGENDA_COLUMNS: list[Column[AgendaRow]] = [
    Column("No.", lambda r: ("    " if r.level else "") + r.number),
    Column("Item", lambda r: r.title, tooltip=lambda r: r.group_heading and
           f"Group: {r.group_heading}"),
    Column("Lead", lambda r: r.leads),
    Column("Purpose", lambda r: r.purpose or ""),
    Column("Time", lambda r: r.time_text),
    Column("Mins", lambda r: r.minutes or "", align=RIGHT),
    Column("Papers", lambda r: r.paper_count if r.kind == "paper" else r.kind.capitalize(),
           foreground=lambda r: "#C0392B" if r.kind == "paper" and not r.paper_count
           and r.level == 0 else None,
           tooltip=lambda r: "Paper missing" if r.kind == "paper" and not r.paper_count
           else None),
    Column("Publication", lambda r: r.publication_label, foreground=_publication_colour),
    Column("Marking", lambda r: r.marking or ""),
]


class AgendaModel(RowTableModel[AgendaRow]):
    """Rows can be dragged onto another row (moves before it) and files dropped on a row."""

    move_requested = Signal(int, int)  # item id, row index of the target (-1: the end)
    files_dropped = Signal(int, list)  # item id, [Path]

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(AGENDA_COLUMNS, parent=parent)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base | Qt.ItemFlag.ItemIsDropEnabled
        return base | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME, "text/uri-list"]

    def mimeData(self, indexes) -> QMimeData:  # type: ignore[no-untyped-def]  # noqa: N802
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if rows:
            data.setData(MIME, str(self.row_at(rows[0]).id).encode())
        return data

    @staticmethod
    def dropped_files(data: QMimeData) -> list[Path]:
        return [Path(u.toLocalFile()) for u in data.urls()
                if u.isLocalFile() and Path(u.toLocalFile()).suffix.lower() in ATTACHABLE]

    def canDropMimeData(self, data, action, row, column, parent) -> bool:  # type: ignore[no-untyped-def]  # noqa: N802,E501
        if data.hasFormat(MIME):
            return True
        return bool(self.dropped_files(data)) and parent.isValid()

    def dropMimeData(self, data, action, row, column, parent) -> bool:  # type: ignore[no-untyped-def]  # noqa: N802,E501
        if data.hasFormat(MIME):
            item_id = int(bytes(data.data(MIME)).decode())
            target = parent.row() if parent.isValid() else row
            self.move_requested.emit(item_id, target if target is not None else -1)
            return False  # the page reloads from the service; the view must not remove rows
        files = self.dropped_files(data)
        if files and parent.isValid():
            self.files_dropped.emit(self.row_at(parent.row()).id, files)
            return True
        return False
