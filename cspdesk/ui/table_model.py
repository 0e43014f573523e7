"""One thin table model over a list of rows, driven by column definitions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

T = TypeVar("T")

SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    """How one column shows a row: text, sort key, alignment, optional colours and tooltip."""

    header: str
    display: Callable[[T], Any]
    sort: Callable[[T], Any] | None = None
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    background: Callable[[T], str | None] | None = None
    foreground: Callable[[T], str | None] | None = None
    tooltip: Callable[[T], str | None] | None = None


RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter


def _sortable(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, int | float | str):
        return value
    return str(value) if not hasattr(value, "__lt__") else value


class RowTableModel(QAbstractTableModel, Generic[T]):
    """Rows are plain dataclasses from a service; columns say how to show them.

    DisplayRole gives text, SortRole the raw value (Decimal, date) for sorting (ui/proxy.py),
    RowRole the row object itself. ``row_text``/``sort_value`` give the proxy the same values
    in bulk without a QModelIndex per cell.
    """

    def __init__(self, columns: Sequence[Column[T]], rows: Sequence[T] = (), parent=None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[T] = list(rows)

    # -- data management
    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def replace_row(self, row: int, value: T) -> None:
        self._rows[row] = value
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))

    def find_row(self, predicate: Callable[[T], bool]) -> int:
        for i, row in enumerate(self._rows):
            if predicate(row):
                return i
        return -1

    def row_text(self, row: int) -> str:
        """Every column's text of one row, for searching (the proxy caches it)."""
        r = self._rows[row]
        return " ".join("" if (v := c.display(r)) is None else str(v) for c in self._columns)

    def sort_value(self, row: int, column: int) -> Any:
        """The SortRole value of one cell, without going through a QModelIndex."""
        col = self._columns[column]
        return _sortable((col.sort or col.display)(self._rows[row]))

    # -- Qt API
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].header
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not (0 <= index.column() < len(self._columns)):
            return None
        row = self._rows[index.row()]
        col = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.display(row)
            return "" if value is None else str(value)
        if role == SortRole:
            return _sortable((col.sort or col.display)(row))
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align.value) if hasattr(col.align, "value") else int(col.align)
        if role == Qt.ItemDataRole.BackgroundRole and col.background:
            colour = col.background(row)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole and col.foreground:
            colour = col.foreground(row)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip:
            return col.tooltip(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            value = col.display(row)
            return "" if value is None else str(value)
        return None
