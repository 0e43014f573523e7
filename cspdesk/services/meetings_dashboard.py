"""Dashboard: the next meeting of each board (the meetings area adds deadlines and papers)."""

from __future__ import annotations

import datetime as dt

from cspdesk.dates import format_date, format_time
from cspdesk.db.engine import Database
from cspdesk.services.dashboard import DashboardLine
from cspdesk.services.meetings import next_meetings


def dashboard_lines(db: Database, partnership_id: int | None, today: dt.date) -> list[DashboardLine]:
    lines = []
    for board, meeting in next_meetings(db, partnership_id, today):
        if meeting is None:
            lines.append(DashboardLine("Next meetings", f"{board}: no meeting planned",
                                       "warning", "meetings"))
            continue
        when = format_date(meeting.date)
        if meeting.start:
            when += f", {format_time(meeting.start)}"
        lines.append(DashboardLine("Next meetings", f"{board}: {when}", "info", "meetings",
                                   meeting.id, meeting.date))
    return lines
