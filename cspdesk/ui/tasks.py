"""Long work off the UI thread: ``run_task`` over QThreadPool, with a cancellable progress dialog.

The work function is Qt-free: it receives a :class:`Progress` and calls
``progress.update(done, total, text)``; it should return early (or raise ``Cancelled``)
when ``progress.cancelled`` is set.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from cspdesk.progress import Cancelled, Progress

log = logging.getLogger(__name__)


class _Signals(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(
        self, fn: Callable[[Progress], Any], progress: Progress, signals: _Signals
    ) -> None:
        super().__init__()
        self.fn = fn
        self.progress_obj = progress
        self.signals = signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(self.progress_obj)
        except BaseException as exc:  # noqa: BLE001 - delivered to the UI thread
            if not isinstance(exc, Cancelled):
                log.exception("background task failed")
            self.signals.failed.emit(exc)
            return
        self.signals.done.emit(result)


class Task(QObject):
    """A running background job. Keep a reference until ``finished`` fires."""

    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.progress = Progress()
        self.signals = _Signals()
        self.dialog: QProgressDialog | None = None
        self.result: Any = None
        self.error: BaseException | None = None
        self.is_done = False

    def cancel(self) -> None:
        self.progress.cancel()


_running: set[Task] = set()


def run_task(
    fn: Callable[[Progress], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    *,
    parent: QWidget | None = None,
    title: str | None = None,
    cancellable: bool = True,
    pool: QThreadPool | None = None,
) -> Task:
    """Run ``fn(progress)`` on the thread pool; callbacks run on the UI thread.

    With ``title`` a modal progress dialog (with Cancel when ``cancellable``) is shown.
    A cancelled task calls neither callback.
    """
    task = Task()
    _running.add(task)
    if title is not None:
        dialog = QProgressDialog(title, "Cancel" if cancellable else "", 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(task.cancel)
        dialog.setAccessibleName(title)
        task.dialog = dialog

    def on_progress(done: int, total: int, text: str) -> None:
        dialog = task.dialog  # setValue on a modal dialog may run events that finish the task
        if dialog is not None and not task.is_done:
            if text:
                dialog.setLabelText(text)
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)

    def finish() -> None:
        task.is_done = True
        if task.dialog is not None:
            task.dialog.close()
            task.dialog.deleteLater()
            task.dialog = None
        _running.discard(task)
        task.finished.emit()

    def done(result: Any) -> None:
        task.result = result
        cancelled = task.progress.cancelled
        finish()
        if not cancelled and on_done is not None:
            on_done(result)

    def failed(exc: BaseException) -> None:
        task.error = exc
        finish()
        if isinstance(exc, Cancelled):
            return
        if on_error is not None:
            on_error(exc)
        else:
            from cspdesk.ui.messages import show_error

            show_error(parent, exc)

    task.signals.progress.connect(on_progress, Qt.ConnectionType.QueuedConnection)
    task.signals.done.connect(done, Qt.ConnectionType.QueuedConnection)
    task.signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
    task.progress.listener = lambda d, t, s: task.signals.progress.emit(d, t, s)
    (pool or QThreadPool.globalInstance()).start(_Runnable(fn, task.progress, task.signals))
    return task


def main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
