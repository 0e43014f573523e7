"""A Qt-free progress and cancel channel for long service and report functions."""

from __future__ import annotations

from collections.abc import Callable


class Cancelled(Exception):
    """Raised by long work when the user pressed Cancel."""


class Progress:
    """Passed to long functions: ``update(done, total, text)``; check ``cancelled``."""

    def __init__(self, listener: Callable[[int, int, str], None] | None = None) -> None:
        self.listener = listener
        self.cancelled = False

    def update(self, done: int, total: int, text: str = "") -> None:
        if self.listener is not None:
            self.listener(done, total, text)

    def cancel(self) -> None:
        self.cancelled = True

    def check(self) -> None:
        """Raise Cancelled if the user cancelled."""
        if self.cancelled:
            raise Cancelled()


NULL_PROGRESS = Progress()
