"""What every page is given: the database, the chosen partnership, undo, change signals."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

if TYPE_CHECKING:
    from cspdesk.db.engine import Database


def version_once(version: int | None) -> Callable[[], int | None]:
    """The form's row version for the first save only: the first save is refused when someone
    else changed the row since the form opened; a redo after undo saves without it."""
    held = [version]
    return lambda: held.pop() if held else None


class AppContext(QObject):
    """Shared state passed to pages explicitly (no global registry)."""

    partnership_changed = Signal(object)  # partnership id or None
    data_changed = Signal(str)  # area key whose data changed: people, isa, actions, ...
    open_requested = Signal(str, object)  # page key, record id

    def __init__(self, db: Database | None = None, parent: QObject | None = None) -> None:
        """``db`` may come later (``set_database``): the main window paints before the
        database is opened; pages are built only once it is."""
        super().__init__(parent)
        self.db: Database = db  # type: ignore[assignment]
        self.partnership_id: int | None = None
        self.undo_stack = QUndoStack(self)

    @property
    def has_database(self) -> bool:
        return self.db is not None

    def set_database(self, db: Database) -> None:
        """The database opened after the window was shown."""
        self.db = db

    def set_partnership(self, partnership_id: int | None) -> None:
        if partnership_id != self.partnership_id:
            self.partnership_id = partnership_id
            self.partnership_changed.emit(partnership_id)

    def settings(self) -> QSettings:
        return QSettings("cspdesk", "cspdesk")

    def push(self, text: str, do: Callable[[], Any], undo: Callable[[], Any],
             area: str | None = None) -> Any:
        """Run ``do`` now as an undoable step; ``undo`` reverses it. Emits data_changed(area).

        Errors from ``do`` propagate to the caller and nothing is put on the stack; errors
        during a later undo/redo are shown to the user.
        """
        result = do()
        command = ServiceCommand(self, text, do, undo, area)
        command.result = result
        self.undo_stack.push(command)
        return result

    def last_folder(self, key: str = "last_folder") -> str:
        return str(self.settings().value(key, "") or "")

    def set_last_folder(self, folder: str, key: str = "last_folder") -> None:
        self.settings().setValue(key, folder)


class ServiceCommand(QUndoCommand):
    """An undoable step made of two service calls (the first ``do`` already ran in push)."""

    def __init__(self, ctx: AppContext, text: str, do: Callable[[], Any],
                 undo: Callable[[], Any], area: str | None) -> None:
        super().__init__(text)
        self._ctx = ctx
        self._do = do
        self._undo = undo
        self._area = area
        self.result: Any = None
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
        else:
            self._guard(self._do)
        if self._area:
            self._ctx.data_changed.emit(self._area)

    def undo(self) -> None:
        self._guard(self._undo)
        if self._area:
            self._ctx.data_changed.emit(self._area)

    def _guard(self, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - called from Qt; show instead of swallow
            from cspdesk.ui import messages

            messages.show_error(None, exc)
