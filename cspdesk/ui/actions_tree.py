"""The plan tree model: priorities → actions → milestones, RAG chips, inline status change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from cspdesk.dates import format_date
from cspdesk.models.actions import ActionStatus
from cspdesk.money import format_money
from cspdesk.services.action_rag import ARROWS, RAG_COLOURS
from cspdesk.services.actions import ActionRow, PlanTree, PriorityRow

AnyIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Ref", "Action", "Lead", "Due / timescale", "Status", "RAG", "Trend", "Cost",
           "Latest update")
STATUS_COL, RAG_COL = 4, 5
RowRole = Qt.ItemDataRole.UserRole + 2
ABANDONED = "#8A939B"


@dataclass(eq=False)
class Node:
    """A priority heading or an action/milestone row."""

    item: PriorityRow | ActionRow | None
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0


def _rag_colour(a: ActionRow) -> str:
    return ABANDONED if a.status == ActionStatus.ABANDONED else RAG_COLOURS[a.rag]  # type: ignore[index]


def _cell(a: ActionRow, col: int) -> str:
    if col == 0:
        return a.ref
    if col == 1:
        return a.title
    if col == 2:
        return a.lead
    if col == 3:
        return a.timescale_text
    if col == STATUS_COL:
        return a.status_label
    if col == RAG_COL:
        return a.rag_label + (" (overridden)" if a.overridden else "")
    if col == 6:
        return ARROWS.get(a.direction or "", "")
    if col == 7:
        return format_money(a.cost) if a.cost is not None else ""
    if a.latest_update:
        return f"{format_date(a.latest_update_on)}: {a.latest_update}"
    return a.status_text or ""


class PlanTreeModel(QAbstractItemModel):
    """Read-only tree except the Status column, whose edits go to ``on_status``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.root = Node(None)
        self.on_status: Callable[[ActionRow, str], None] | None = None

    def set_tree(self, tree: PlanTree | None,
                 keep: Callable[[ActionRow], bool] | None = None) -> None:
        """Show ``tree``; ``keep`` filters actions (kept if it or one of its milestones matches)."""
        self.beginResetModel()
        self.root = Node(None)
        if tree is not None:
            groups: list[tuple[PriorityRow | None, int | None]] = [(None, None)] + [
                (p, p.id) for p in tree.priorities]
            for prio, prio_id in groups:
                parent = self.root if prio is None else Node(prio, self.root)
                for a in tree.top_level(prio_id):
                    kids = tree.children(a.id)
                    shown = [m for m in kids if keep is None or keep(m)]
                    if keep is not None and not keep(a) and not shown:
                        continue
                    node = Node(a, parent)
                    node.children = [Node(m, node) for m in (kids if keep is None or keep(a)
                                                               else shown)]
                    parent.children.append(node)
                if prio is not None and (parent.children or keep is None):
                    self.root.children.append(parent)
        self.endResetModel()

    def node(self, index: AnyIndex) -> Node:
        return index.internalPointer() if index.isValid() else self.root  # type: ignore[return-value]

    def index_of(self, action_id: int) -> QModelIndex:
        """The index (column 0) of an action or milestone, or an invalid index."""
        def walk(parent: QModelIndex) -> QModelIndex:
            for r in range(self.rowCount(parent)):
                idx = self.index(r, 0, parent)
                item = self.node(idx).item
                if isinstance(item, ActionRow) and item.id == action_id:
                    return idx
                found = walk(idx)
                if found.isValid():
                    return found
            return QModelIndex()
        return walk(QModelIndex())

    # -- Qt API
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self.node(parent).children[row])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self.node(index).parent
        if node is None or node is self.root:
            return QModelIndex()
        return self.createIndex(node.row(), 0, node)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == STATUS_COL and isinstance(self.node(index).item, ActionRow):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item, col = self.node(index).item, index.column()
        if role == RowRole:
            return item
        if isinstance(item, PriorityRow):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return f"Priority {item.number}" if col == 0 else item.title if col == 1 else ""
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        assert isinstance(item, ActionRow)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return _cell(item, col)
        if role == Qt.ItemDataRole.EditRole and col == STATUS_COL:
            return item.status
        if role == Qt.ItemDataRole.BackgroundRole and col == RAG_COL:
            return QBrush(QColor(_rag_colour(item)))
        if role == Qt.ItemDataRole.ForegroundRole and col == RAG_COL:
            return QBrush(QColor("white"))
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == RAG_COL and item.overridden:
                return f"Overridden: {item.rag_override_reason}"
            if col == 6 and item.previous_rag:
                return f"Last closed quarter: {item.previous_rag.capitalize()}"
            if col in (1, 8):
                return _cell(item, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 7:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: AnyIndex, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.node(index).item if index.isValid() else None
        if (role != Qt.ItemDataRole.EditRole or index.column() != STATUS_COL
                or not isinstance(item, ActionRow) or value == item.status
                or value not in {s.value for s in ActionStatus}):
            return False
        if self.on_status is not None:
            self.on_status(item, str(value))
        return True


class StatusDelegate(QStyledItemDelegate):
    """A drop-down of the status list for the inline status change."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: AnyIndex) -> QWidget:
        box = QComboBox(parent)
        box.setAccessibleName("Status")
        for s in ActionStatus:
            box.addItem(s.label, s.value)
        return box

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # noqa: N802
                     index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
