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


def _row(m: Meeting) -> MeetingRow:
    return MeetingRow(m.id, m.version, m.board_id, m.board.name, m.board.partnership_id, m.date,
                      m.start, m.end, m.venue, m.status, m.title)


def list_meetings(db: Database, partnership_id: int | None = None,
                  board_id: int | None = None) -> list[MeetingRow]:
    """Meetings, newest first."""
    stmt = (select(Meeting).join(Board).options(selectinload(Meeting.board))
            .order_by(Meeting.date.desc()))
    if partnership_id is not None:
        stmt = stmt.where(Board.partnership_id == partnership_id)
    if board_id is not None:
        stmt = stmt.where(Meeting.board_id == board_id)
    with db.session() as s:
        return [_row(m) for m in s.scalars(stmt)]


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
