"""Sorting on raw values and filtering on a search text across all columns."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from cspdesk.ui.table_model import SortRole


class SearchProxy(QSortFilterProxyModel):
    """Sorts by SortRole; keeps rows whose text (any column) contains every search word,
    and that pass an optional ``row_filter(row) -> bool`` predicate."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._words: list[str] = []
        self._predicate = None

    def set_search(self, text: str) -> None:
        self._begin_filter_change()
        self._words = [w.casefold() for w in text.split()]
        self._end_filter_change()

    def set_row_filter(self, predicate) -> None:  # type: ignore[no-untyped-def]
        self._begin_filter_change()
        self._predicate = predicate
        self._end_filter_change()

    def _begin_filter_change(self) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+
            self.beginFilterChange()

    def _end_filter_change(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int,  # noqa: N802
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if self._predicate is not None:
            from cspdesk.ui.table_model import RowRole

            row = model.data(model.index(source_row, 0, source_parent), RowRole)
            if not self._predicate(row):
                return False
        if not self._words:
            return True
        text = " ".join(
            str(model.data(model.index(source_row, c, source_parent)) or "")
            for c in range(model.columnCount(source_parent))
        ).casefold()
        return all(w in text for w in self._words)

    def lessThan(self, left, right) -> bool:  # type: ignore[no-untyped-def]  # noqa: N802
        a, b = left.data(SortRole), right.data(SortRole)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)
