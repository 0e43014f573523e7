"""Meetings: listing, the next meeting of each board (the meetings area builds on this)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.models import Board, Meeting


@dataclass(frozen=True)
class MeetingRow:
    id: int
    version: int
    board_id: int
    board: str
    partnership_id: int
    date: dt.date
    start: dt.time | None
    end: dt.time | None
    venue: str | None
    status: str
    title: str | None
    online: bool = False


def _row(m: Meeting) -> MeetingRow:
    return MeetingRow(m.id, m.version, m.board_id, m.board.name, m.board.partnership_id, m.date,
                      m.start, m.end, m.venue, m.status, m.title, bool(m.online))


def list_meetings(db: Database, partnership_id: int | None = None,
                  board_id: int | None = None) -> list[MeetingRow]:
    """Meetings, newest first (read as plain columns: a county lists thousands)."""
    stmt = (select(Meeting.id, Meeting.version, Meeting.board_id, Board.name,
                   Board.partnership_id, Meeting.date, Meeting.start, Meeting.end, Meeting.venue,
                   Meeting.status, Meeting.title, Meeting.online)
            .join(Board, Meeting.board_id == Board.id).order_by(Meeting.date.desc()))
    if partnership_id is not None:
        stmt = stmt.where(Board.partnership_id == partnership_id)
    if board_id is not None:
        stmt = stmt.where(Meeting.board_id == board_id)
    with db.session() as s:
        return [MeetingRow(*r[:-1], bool(r[-1])) for r in s.execute(stmt)]


def next_meetings(db: Database, partnership_id: int | None = None,
                  today: dt.date | None = None) -> list[tuple[str, MeetingRow | None]]:
    """(board name, its next meeting on or after today, or None) for each board."""
    today = today or clock.today()
    stmt = select(Board).order_by(Board.name)
    if partnership_id is not None:
        stmt = stmt.where(Board.partnership_id == partnership_id)
    out: list[tuple[str, MeetingRow | None]] = []
    with db.session() as s:
        for board in s.scalars(stmt):
            m = s.scalars(select(Meeting).where(Meeting.board_id == board.id, Meeting.date >= today)
                          .options(selectinload(Meeting.board))
                          .order_by(Meeting.date).limit(1)).first()
            out.append((board.name, _row(m) if m else None))
    return out


def _load_checked(s, meeting_id: int, version: int | None) -> Meeting:
    from cspdesk.errors import ConflictError, UserError

    meeting = s.get(Meeting, meeting_id)
    if meeting is None:
        raise UserError("That meeting no longer exists; press F5 to refresh the list.")
    if version is not None and meeting.version != version:
        raise ConflictError("Someone else changed this meeting since you opened it; "
                            "close the form and open it again.")
    return meeting


def get_meeting(db: Database, meeting_id: int) -> MeetingRow:
    """One meeting; UserError if it has been deleted."""
    with db.session() as s:
        return _row(_load_checked(s, meeting_id, None))


def create_meeting(db: Database, board_id: int, day: dt.date, *, start: dt.time | None = None,
                   end: dt.time | None = None, venue: str | None = None,
                   title: str | None = None, prefill_attendance: bool = True) -> MeetingRow:
    """A new meeting on the board's slot and venue; attendance pre-filled from membership."""
    from cspdesk.errors import ValidationError
    from cspdesk.services.attendance import prefill_attendance as _prefill

    with db.session() as s:
        board = s.get(Board, board_id)
        if board is None:
            raise ValidationError("Choose the board the meeting is for.", field="board")
        start = start or board.default_start
        end = end or board.default_end
        if start and end and end <= start:
            raise ValidationError("The meeting must end after it starts.", field="end")
        clash = s.scalars(select(Meeting).where(Meeting.board_id == board_id,
                                                Meeting.date == day)).first()
        if clash is not None:
            raise ValidationError(f"{board.name} already has a meeting on {day:%d %b %Y}; "
                                  "open that one instead.", field="date")
        venue = (venue or "").strip() or board.default_venue
        meeting = Meeting(board=board, date=day, start=start, end=end, venue=venue,
                          online=bool(venue and "online" in venue.lower()),
                          title=(title or "").strip() or None)
        s.add(meeting)
        s.flush()
        if prefill_attendance:
            _prefill(s, meeting)
        s.flush()
        return _row(meeting)


def update_meeting(db: Database, meeting_id: int, version: int, *, day: dt.date,
                   start: dt.time | None, end: dt.time | None, venue: str | None,
                   title: str | None, status: str | None = None,
                   visitor_notes: str | None = None, online: bool | None = None) -> MeetingRow:
    """Save the meeting form (row version checked). ``online`` None: judged from the venue."""
    from cspdesk.errors import ValidationError
    from cspdesk.models import MeetingStatus

    if start and end and end <= start:
        raise ValidationError("The meeting must end after it starts.", field="end")
    with db.session() as s:
        meeting = _load_checked(s, meeting_id, version)
        clash = s.scalar(select(Meeting.id).where(Meeting.board_id == meeting.board_id,
                                                  Meeting.date == day, Meeting.id != meeting_id))
        if clash is not None:
            raise ValidationError(f"{meeting.board.name} already has a meeting on "
                                  f"{day:%d %b %Y}; choose another date.", field="date")
        meeting.date, meeting.start, meeting.end = day, start, end
        meeting.venue = (venue or "").strip() or None
        meeting.online = (bool(online) if online is not None else
                          bool(meeting.venue and "online" in meeting.venue.lower()))
        meeting.title = (title or "").strip() or None
        if status is not None:
            meeting.status = MeetingStatus(status).value
        meeting.visitor_notes = (visitor_notes or "").strip() or None
        s.flush()
        return _row(meeting)


def delete_meeting(db: Database, meeting_id: int) -> None:
    """Delete a meeting with its attendance, agenda, papers and minutes."""
    with db.session() as s:
        meeting = _load_checked(s, meeting_id, None)
        s.delete(meeting)


def meeting_extras(db: Database, meeting_id: int) -> tuple[str | None, dt.date | None]:
    """(visitor notes, minutes approved on) of a meeting."""
    with db.session() as s:
        meeting = _load_checked(s, meeting_id, None)
        return meeting.visitor_notes, meeting.minutes_approved_on
