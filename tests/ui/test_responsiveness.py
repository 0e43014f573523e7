"""The window keeps answering while a board pack is built in the background (issue 9).

A 10 ms QTimer ticks while ``run_task`` (the app's real task machinery, as the Meetings page's
Export pack uses it) builds the 84-page demo pack, full and public, three times over (about a
second of work); the longest gap between ticks must stay small. The same exports run on the
UI thread starve the timer, which the second test shows, so the first one can fail.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QTimer
from sqlalchemy import select

from cspdesk.models import Meeting
from cspdesk.services import packs
from cspdesk.ui.tasks import run_task


class Ticks:
    """Records the longest gap between the timeouts of a 10 ms timer."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest = 0.0
        self.count = 0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now
        self.count += 1

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()


def _meeting(db) -> int:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return s.scalar(select(Meeting.id).where(Meeting.date == dt.date(2011, 4, 26)))


def _exports(db, meeting_id: int, folder: Path, progress=None) -> Path:  # type: ignore[no-untyped-def]
    for i in range(3):
        for public in (False, True):
            out = folder / f"pack{i}{'p' if public else ''}.pdf"
            packs.export_pack(db, meeting_id, out, public=public, progress=progress)
    return folder / "pack0.pdf"


def test_ticks_keep_coming_while_the_pack_builds_in_the_background(demo_db, qtbot,
                                                                    tmp_path: Path) -> None:
    meeting_id = _meeting(demo_db)
    ticks = Ticks()
    ticks.start()
    started = time.perf_counter()
    task = run_task(lambda progress: _exports(demo_db, meeting_id, tmp_path, progress))
    qtbot.waitUntil(lambda: task.is_done, timeout=60_000)
    took = time.perf_counter() - started
    ticks.timer.stop()
    print(f"packs built in {took:.2f} s in the background; {ticks.count} ticks, longest gap "
          f"{ticks.longest * 1000:.0f} ms")
    assert task.error is None and len(PdfReader(task.result).pages) == 84
    assert ticks.count > took / 0.010 / 3  # most ticks were served
    assert ticks.longest < 0.150  # target 100 ms; a little slack for a shared CI machine


def test_the_same_export_on_the_ui_thread_starves_the_timer(demo_db, qtbot,
                                                             tmp_path: Path) -> None:
    meeting_id = _meeting(demo_db)
    ticks = Ticks()
    ticks.start()
    QTimer.singleShot(20, lambda: _exports(demo_db, meeting_id, tmp_path))
    qtbot.wait(200)  # the exports run inside this wait, on the UI thread
    ticks.timer.stop()
    print(f"on the UI thread: longest gap {ticks.longest * 1000:.0f} ms")
    assert ticks.longest > 0.150
