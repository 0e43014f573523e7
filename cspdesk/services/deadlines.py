"""Paper deadlines: publication date from the board's working days, missing and late papers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk import clock
from cspdesk.dates import format_date, subtract_working_days
from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import AgendaItem, Board, ItemKind, Meeting
from cspdesk.models.paper import Paper
from cspdesk.services.agenda import build_agenda


def publication_deadline(meeting_date: dt.date, working_days: int = 5) -> dt.date:
    """Meeting date minus the board's working days (weekends, E&W bank holidays skipped)."""
    return subtract_working_days(meeting_date, working_days)


@dataclass(frozen=True)
class MeetingDeadline:
    meeting_id: int
    board: str
    date: dt.date
    start: dt.time | None
    deadline: dt.date
    working_days: int
    missing: tuple[str, ...]  # "Item 4: Budget 2020-21"
    late: tuple[str, ...]  # papers received after the deadline

    def days_to_deadline(self, today: dt.date) -> int:
        return (self.deadline - today).days


def _deadline_for(s: Session, meeting: Meeting) -> MeetingDeadline:
    days = meeting.board.paper_deadline_working_days or 5
    deadline = publication_deadline(meeting.date, days)
    agenda = build_agenda(s, meeting)
    missing = tuple(f"Item {r.number}: {r.title}" for r in agenda.rows
                    if r.kind == ItemKind.PAPER.value and r.paper_count == 0
                    and not any(c.parent_id == r.id and c.paper_count for c in agenda.rows))
    late_rows = s.execute(
        select(Paper.title, Paper.received_at, AgendaItem.id).join(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id, Paper.received_at.is_not(None),
               Paper.source != "generated")).all()
    numbers = {r.id: r.number for r in agenda.rows}
    late = tuple(f"Item {numbers.get(item_id, '?')}: {title} (received "
                 f"{format_date(received.date())})" for title, received, item_id in late_rows
                 if received.date() > deadline)
    return MeetingDeadline(meeting.id, meeting.board.name, meeting.date, meeting.start, deadline,
                           days, missing, late)


def meeting_deadline(db: Database, meeting_id: int) -> MeetingDeadline:
    """The paper deadline of one meeting with its missing and late papers."""
    with db.session() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None:
            raise UserError("That meeting no longer exists; press F5 to refresh.")
        return _deadline_for(s, meeting)


def upcoming_deadlines(db: Database, partnership_id: int | None = None,
                       today: dt.date | None = None) -> list[MeetingDeadline]:
    """Deadlines of meetings on or after today, soonest first."""
    today = today or clock.today()
    stmt = select(Meeting).join(Board).where(Meeting.date >= today).order_by(Meeting.date)
    if partnership_id is not None:
        stmt = stmt.where(Board.partnership_id == partnership_id)
    with db.session() as s:
        return [_deadline_for(s, m) for m in s.scalars(stmt)]
