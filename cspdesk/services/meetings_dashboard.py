"""Dashboard: each board's next meeting with its paper deadline and the papers still missing."""

from __future__ import annotations

import datetime as dt

from cspdesk.dates import format_date, format_time
from cspdesk.db.engine import Database
from cspdesk.services.dashboard import DashboardLine
from cspdesk.services.deadlines import meeting_deadline
from cspdesk.services.meetings import next_meetings


def dashboard_lines(db: Database, partnership_id: int | None,
                    today: dt.date) -> list[DashboardLine]:
    """One line per board: next meeting, paper deadline, missing papers."""
    lines = []
    for board, meeting in next_meetings(db, partnership_id, today):
        if meeting is None:
            lines.append(DashboardLine("Next meetings", f"{board}: no meeting planned",
                                       "warning", "meetings"))
            continue
        when = format_date(meeting.date)
        if meeting.start:
            when += f", {format_time(meeting.start)}"
        d = meeting_deadline(db, meeting.id)
        text = f"{board}: {when} · papers due {format_date(d.deadline)}"
        severity = "info"
        if d.missing:
            text += f" · {len(d.missing)} missing ({'; '.join(d.missing)})"
            severity = "overdue" if today > d.deadline else "warning"
        else:
            text += " · all papers in"
        lines.append(DashboardLine("Next meetings", text, severity, "meetings", meeting.id,
                                   d.deadline))
    return lines
