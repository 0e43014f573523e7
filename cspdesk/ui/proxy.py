"""Sorting on raw values and filtering on a search text across all columns, in bulk.

``SearchProxy`` keeps a plain list mapping its rows to source rows. A filter or sort change
recomputes that list in Python over cached per-row texts and sort keys (one list
comprehension, or one ``sorted``) and tells the views once, with ``layoutChanged``, instead
of one C++ → Python call per row and per comparison as a QSortFilterProxyModel would make.
Typing more letters only searches the rows the shorter text matched. At 100,000 rows a
keystroke costs a few tens of milliseconds (see benchmarks/run.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)

from cspdesk.ui.table_model import RowRole, SortRole

AnyIndex = QModelIndex | QPersistentModelIndex
#: tables longer than this build their search index in idle time after loading
WARM_ABOVE = 2000
WARM_CHUNK = 4000
RECENT = 16


def _less(a: Any, b: Any) -> int:
    try:
        return -1 if a < b else (1 if b < a else 0)
    except TypeError:
        sa, sb = str(a), str(b)
        return -1 if sa < sb else (1 if sb < sa else 0)


def _covers(old: list[str], new: list[str]) -> bool:
    """Whether every row matching ``new`` also matches ``old`` (each old word is in a new one)."""
    return bool(old) and all(any(o in n for n in new) for o in old)


class SearchProxy(QAbstractProxyModel):
    """Sorts by SortRole; keeps rows whose text (any column) contains every search word,
    and that pass an optional ``row_filter(row) -> bool`` predicate."""

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._words: list[str] = []
        self._predicate: Callable[[Any], bool] | None = None
        self._sort_column = -1
        self._order = Qt.SortOrder.AscendingOrder
        self._map: list[int] = []  # proxy row -> source row
        self._inverse: dict[int, int] | None = None  # source row -> proxy row, when asked
        self._texts: list[str | None] = []
        self._sorted: list[int] | None = None
        self._recent: dict[tuple[str, ...], list[int]] = {}  # recent searches and their rows
        self._matched: tuple[list[str], list[int]] | None = None  # last search and its rows
        self._connections: list[Any] = []
        self._warm_from = 0
        self._warm_timer = QTimer(self)
        self._warm_timer.setInterval(0)
        self._warm_timer.timeout.connect(self._warm_step)

    # ------------------------------------------------------------------ public API
    def set_search(self, text: str) -> None:
        words = [w.casefold() for w in text.split()]
        if words != self._words:
            self._words = words
            self._relayout()

    def set_row_filter(self, predicate: Callable[[Any], bool] | None) -> None:
        self._predicate = predicate
        self._matched = None
        self._recent = {}
        self._relayout()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._order = column, order
        self._sorted = self._matched = None
        self._recent = {}
        self._relayout()

    def sortColumn(self) -> int:  # noqa: N802
        return self._sort_column

    def sortOrder(self) -> Qt.SortOrder:  # noqa: N802
        return self._order

    # ------------------------------------------------------------------ source model
    def setSourceModel(self, model: QAbstractItemModel) -> None:  # noqa: N802
        self.beginResetModel()
        old = self.sourceModel()
        if old is not None:
            for signal, slot in self._connections:
                signal.disconnect(slot)
        self._connections = []
        super().setSourceModel(model)
        if model is not None:
            for signal, slot in (
                (model.modelAboutToBeReset, self.beginResetModel),
                (model.modelReset, self._source_reset),
                (model.dataChanged, self._source_data_changed),
                (model.headerDataChanged, self.headerDataChanged),
                (model.layoutAboutToBeChanged, self._source_about),
                (model.layoutChanged, self._source_reset),
                (model.rowsAboutToBeInserted, self._source_about),
                (model.rowsInserted, self._source_reset),
                (model.rowsAboutToBeRemoved, self._source_about),
                (model.rowsRemoved, self._source_reset),
                (model.columnsAboutToBeInserted, self._source_about),
                (model.columnsInserted, self._source_reset),
                (model.columnsAboutToBeRemoved, self._source_about),
                (model.columnsRemoved, self._source_reset),
            ):
                signal.connect(slot)
                self._connections.append((signal, slot))
        self._forget()
        self._map = self._compute()
        self._index_map()
        self.endResetModel()

    def _source_about(self, *_args: Any) -> None:
        self.beginResetModel()

    def _source_reset(self, *_args: Any) -> None:
        self._forget()
        self._map = self._compute()
        self._index_map()
        self.endResetModel()

    def _source_data_changed(self, top: QModelIndex, bottom: QModelIndex,
                             roles: list[int] | None = None) -> None:
        for r in range(top.row(), bottom.row() + 1):
            if r < len(self._texts) and self._texts[r] is not None:
                self._texts[r] = self._text(r)
        self._sorted = self._matched = None
        self._recent = {}
        self._relayout()
        first, last = self._find(top.row()), self._find(bottom.row())
        if first is not None and last is not None:
            lo, hi = min(first, last), max(first, last)
            self.dataChanged.emit(self.index(lo, top.column()), self.index(hi, bottom.column()),
                                  roles or [])
        elif self._map:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._map) - 1, self.columnCount() - 1),
                                  roles or [])

    def _forget(self) -> None:
        """Drop the caches (the source rows changed)."""
        model = self.sourceModel()
        n = model.rowCount() if model is not None else 0
        self._texts = [None] * n
        self._sorted = self._matched = None
        self._recent = {}
        self._warm_from = 0
        if n > WARM_ABOVE:
            self._warm_timer.start()
        else:
            self._warm_timer.stop()

    def _warm_step(self) -> None:
        """Build the search texts a chunk at a time while the user reads the first rows."""
        end = min(len(self._texts), self._warm_from + WARM_CHUNK)
        # in the shown order, so the texts lie in memory in the order searches scan them
        for r in self._base()[self._warm_from:end]:
            if self._texts[r] is None:
                self._texts[r] = self._text(r)
        self._warm_from = end
        if end >= len(self._texts):
            self._warm_timer.stop()
            self._warm_from = len(self._texts) if None not in self._texts else 0

    # ------------------------------------------------------------------ computing the map
    def _text(self, source_row: int) -> str:
        model = self.sourceModel()
        fast = getattr(model, "row_text", None)
        if fast is not None:
            return fast(source_row).casefold()
        return " ".join(str(model.data(model.index(source_row, c)) or "")
                        for c in range(model.columnCount())).casefold()

    def _row(self, source_row: int) -> Any:
        model = self.sourceModel()
        fast = getattr(model, "row_at", None)
        return fast(source_row) if fast is not None else model.data(
            model.index(source_row, 0), RowRole)

    def _sort_key(self, source_row: int, column: int) -> Any:
        model = self.sourceModel()
        fast = getattr(model, "sort_value", None)
        if fast is not None:
            return fast(source_row, column)
        return model.data(model.index(source_row, column), SortRole)

    def _matching(self, rows: list[int]) -> list[int]:
        words, texts = self._words, self._texts
        if self._warm_from < len(texts):  # not all built yet
            for r in rows:
                if texts[r] is None:
                    texts[r] = self._text(r)
        if len(words) == 1:
            w = words[0]
            return [r for r in rows if w in texts[r]]  # type: ignore[operator]
        return [r for r in rows if all(w in texts[r] for w in words)]  # type: ignore[operator]

    def _base(self) -> list[int]:
        """Every source row in sort order (cached until the rows or the sort change)."""
        if self._sorted is None:
            model = self.sourceModel()
            rows = list(range(model.rowCount())) if model is not None else []
            if self._sort_column >= 0 and rows:
                keys = [self._sort_key(r, self._sort_column) for r in rows]
                reverse = self._order == Qt.SortOrder.DescendingOrder
                try:
                    rows.sort(key=keys.__getitem__, reverse=reverse)
                except TypeError:
                    rows.sort(key=functools.cmp_to_key(lambda a, b: _less(keys[a], keys[b])),
                              reverse=reverse)
            self._sorted = rows
        return self._sorted

    def _compute(self) -> list[int]:
        """The shown source rows: filtered from the sorted rows, so their order holds."""
        rows = self._base()
        if self._predicate is not None:
            pred = self._predicate
            rows = [r for r in rows if pred(self._row(r))]
        if self._words:
            key = tuple(self._words)
            if key in self._recent:  # e.g. backspace back to an earlier search
                rows = self._recent[key]
            elif self._matched is not None and _covers(self._matched[0], self._words):
                rows = self._matching(self._matched[1])
            else:
                rows = self._matching(rows)
            self._matched = (list(self._words), rows)
            self._recent[key] = rows
            while len(self._recent) > RECENT:
                del self._recent[next(iter(self._recent))]
        else:
            self._matched = None
        return rows

    def _index_map(self) -> None:
        self._inverse = None

    def _proxy_row(self, source_row: int) -> int | None:
        if self._inverse is None:
            self._inverse = {s: p for p, s in enumerate(self._map)}
        return self._inverse.get(source_row)

    def _relayout(self) -> None:
        """Recompute the rows and tell the views once, keeping persistent indexes (selection)."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        sources = [(self._map[i.row()] if 0 <= i.row() < len(self._map) else -1, i.column())
                   for i in old]
        self._map = self._compute()
        self._index_map()
        new = []
        for src, col in sources:
            row = self._find(src)
            new.append(self.createIndex(row, col) if row is not None else QModelIndex())
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _find(self, source_row: int) -> int | None:
        """The proxy row of one source row (list.index: no dict built for a few lookups)."""
        if self._inverse is not None:
            return self._inverse.get(source_row)
        try:
            return self._map.index(source_row)
        except ValueError:
            return None

    # ------------------------------------------------------------------ Qt proxy API
    def mapToSource(self, proxy_index: AnyIndex) -> QModelIndex:  # noqa: N802
        model = self.sourceModel()
        if model is None or not proxy_index.isValid() \
                or not 0 <= proxy_index.row() < len(self._map):
            return QModelIndex()
        return model.index(self._map[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: AnyIndex) -> QModelIndex:  # noqa: N802
        if not source_index.isValid():
            return QModelIndex()
        row = self._proxy_row(source_index.row())
        return QModelIndex() if row is None else self.createIndex(row, source_index.column())

    def index(self, row: int, column: int,
              parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._map)) \
                or not (0 <= column < self.columnCount()):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._map)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and bool(self._map)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        model = self.sourceModel()
        if model is None:
            return None
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._map):
            if role == Qt.ItemDataRole.DisplayRole:
                return str(section + 1)
            return model.headerData(self._map[section], orientation, role)
        return model.headerData(section, orientation, role)
