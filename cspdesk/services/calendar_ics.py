"""A board's meetings and paper deadlines as an iCalendar (.ics) file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from cspdesk import clock
from cspdesk.dates import format_date
from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import Board, Meeting
from cspdesk.services.deadlines import publication_deadline
from cspdesk.services.people import match_key


def _esc(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets are folded (RFC 5545)."""
    out, data = [], line.encode()
    while len(data) > 75:
        cut = 75
        while (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        out.append(data[:cut].decode())
        data = b" " + data[cut:]
    out.append(data.decode())
    return out


def find_board(db: Database, name: str) -> int:
    """The board whose name contains ``name`` (loosely); UserError if none or several."""
    key = match_key(name)
    with db.session() as s:
        boards = [(b.id, b.name) for b in s.scalars(select(Board))
                  if key and (key in match_key(b.name) or key in match_key(
                      b.partnership.short_name or "") or key in match_key(b.partnership.name))]
    if not boards:
        raise UserError(f"No board is called '{name}'; check the name on the Meetings page.")
    if len(boards) > 1:
        raise UserError(f"Several boards match '{name}' ({', '.join(n for _, n in boards)}); "
                        "give more of the name.")
    return boards[0][0]


#: RFC 5545 wants a VTIMEZONE for every TZID used; UK civil time since 1996
EUROPE_LONDON = (
    "BEGIN:VTIMEZONE", "TZID:Europe/London",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST",
    "DTSTART:19700329T010000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT",
    "DTSTART:19701025T020000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE",
)


def board_calendar(db: Database, board_id: int, out: Path, *,
                   since: dt.date | None = None) -> Path:
    """Write each meeting (timed event) and its paper deadline (all-day event) to ``out``."""
    stamp = clock.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//cspdesk//board calendar//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    with db.session() as s:
        board = s.get(Board, board_id)
        if board is None:
            raise UserError("That board no longer exists.")
        lines.append(f"X-WR-CALNAME:{_esc(board.name)}")
        lines += EUROPE_LONDON
        stmt = select(Meeting).where(Meeting.board_id == board_id).order_by(Meeting.date)
        if since:
            stmt = stmt.where(Meeting.date >= since)
        for m in s.scalars(stmt):
            title = m.title or board.name
            lines += ["BEGIN:VEVENT", f"UID:meeting-{m.id}@cspdesk", f"DTSTAMP:{stamp}"]
            if m.start:
                start = dt.datetime.combine(m.date, m.start)
                end = dt.datetime.combine(m.date, m.end) if m.end else start + dt.timedelta(
                    hours=2)
                lines += [f"DTSTART;TZID=Europe/London:{start:%Y%m%dT%H%M%S}",
                          f"DTEND;TZID=Europe/London:{end:%Y%m%dT%H%M%S}"]
            else:
                lines += [f"DTSTART;VALUE=DATE:{m.date:%Y%m%d}",
                          f"DTEND;VALUE=DATE:{m.date + dt.timedelta(days=1):%Y%m%d}"]
            lines.append(f"SUMMARY:{_esc(title)}")
            if m.venue:
                lines.append(f"LOCATION:{_esc(m.venue)}")
            lines.append("END:VEVENT")
            deadline = publication_deadline(m.date, board.paper_deadline_working_days or 5)
            due = f"Papers due: {board.name} meeting of {format_date(m.date)}"
            lines += ["BEGIN:VEVENT", f"UID:deadline-{m.id}@cspdesk", f"DTSTAMP:{stamp}",
                      f"DTSTART;VALUE=DATE:{deadline:%Y%m%d}",
                      f"DTEND;VALUE=DATE:{deadline + dt.timedelta(days=1):%Y%m%d}",
                      f"SUMMARY:{_esc(due)}",
                      "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes("".join(f + "\r\n" for line in lines for f in _fold(line)).encode())
    return out
