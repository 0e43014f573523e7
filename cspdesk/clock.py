"""One clock for the whole app, so tests can fix 'today'."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

_now: Callable[[], dt.datetime] = dt.datetime.now


def now() -> dt.datetime:
    """The current local time (naive)."""
    return _now()


def today() -> dt.date:
    """Today's date."""
    return _now().date()


def set_clock(fixed: dt.datetime | dt.date | None) -> None:
    """Fix the clock at ``fixed`` (None restores the real clock)."""
    global _now
    if fixed is None:
        _now = dt.datetime.now
        return
    if not isinstance(fixed, dt.datetime):
        fixed = dt.datetime.combine(fixed, dt.time(9, 0))
    value = fixed
    _now = lambda: value  # noqa: E731
