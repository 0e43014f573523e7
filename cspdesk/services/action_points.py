"""Action points from the minutes: ref MM/NN per meeting, owners, closing notes, carry-forward."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.errors import ValidationError
from cspdesk.models import AgendaItem, Board, Meeting, Person
from cspdesk.models.actions import ActionPoint, PointStatus, action_point_owner
from cspdesk.services.actions import load_checked
from cspdesk.services.agenda import numbered_items
from cspdesk.services.people import clean_text


@dataclass(frozen=True)
class ActionPointRow:
    id: int
    version: int
    meeting_id: int
    meeting_date: dt.date
    board_id: int
    board: str
    ref: str
    number: int
    text: str
    owner_ids: tuple[int, ...]
    owners: tuple[str, ...]
    due_date: dt.date | None
    status: str
    closed_on: dt.date | None = None
    closing_note: str | None = None
    agenda_item_id: int | None = None
    agenda_item: str | None = None
    minute_ref: str | None = None
    agenda_item_number: str | None = None

    @property
    def item_text(self) -> str:
        """'5  Partnership Plan: progress', or 'Minute 5.1.3' when only the minute is known."""
        if self.agenda_item:
            return f"{self.agenda_item_number}  {self.agenda_item}"
        return f"Minute {self.minute_ref}" if self.minute_ref else ""

    @property
    def is_open(self) -> bool:
        return self.status == PointStatus.OPEN

    def overdue(self, today: dt.date) -> bool:
        """Open and past its due date (from the day after it)."""
        return self.is_open and self.due_date is not None and self.due_date < today

    @property
    def owner_text(self) -> str:
        return ", ".join(self.owners)

    @property
    def status_text(self) -> str:
        """'Open', or 'Closed: <note>' as the action log prints it."""
        if self.is_open:
            return "Open"
        return f"Closed: {self.closing_note}" if self.closing_note else "Closed."


def _numbered(meeting: Meeting) -> dict[int, tuple[str, str]]:
    """Item id -> (number, title), numbered as the agenda numbers them ('5', '5.1')."""
    return {item.id: (number, item.title) for item, number, _level in numbered_items(meeting)}


def _row(p: ActionPoint, m: Meeting, items: dict[int, tuple[str, str]]) -> ActionPointRow:
    owners = sorted(p.owners, key=lambda o: o.name.lower())
    number, title = items.get(p.agenda_item_id or 0, (None, None))
    return ActionPointRow(
        p.id, p.version, p.meeting_id, m.date, m.board_id, m.board.name, p.ref, p.number, p.text,
        tuple(o.id for o in owners), tuple(o.name for o in owners), p.due_date, p.status,
        p.closed_on, p.closing_note, p.agenda_item_id, title, p.minute_ref, number)


def _rows(s: Session, points: list[ActionPoint]) -> list[ActionPointRow]:
    ids = {p.meeting_id for p in points}
    meetings = {m.id: m for m in s.scalars(
        select(Meeting).where(Meeting.id.in_(ids))
        .options(selectinload(Meeting.board), selectinload(Meeting.items)))}
    items = {mid: _numbered(m) for mid, m in meetings.items()}
    return [_row(p, meetings[p.meeting_id], items[p.meeting_id]) for p in points]


def _owners(s: Session, owner_ids: list[int]) -> list[Person]:
    people = []
    for pid in dict.fromkeys(owner_ids):
        person = s.get(Person, pid)
        if person is None:
            raise ValidationError("One of the owners no longer exists; choose again.",
                                  field="owners")
        people.append(person)
    return people


def _check(s: Session, meeting: Meeting, text: str, agenda_item_id: int | None) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError("Write what is to be done.", field="text")
    if agenda_item_id is not None:
        item = s.get(AgendaItem, agenda_item_id)
        if item is None:
            raise ValidationError("That agenda item no longer exists; choose the item again.",
                                  field="agenda_item")
        if item.meeting_id != meeting.id:
            raise ValidationError("That agenda item is from another meeting; choose an item of "
                                  "the meeting that agreed the point, or (none).",
                                  field="agenda_item")
    return text


def agenda_item_choices(db: Database, meeting_id: int) -> list[tuple[int, str]]:
    """The meeting's agenda items as (id, '5  Partnership Plan: progress'), in agenda order,
    for linking a point to the item that agreed it."""
    with db.session() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None:
            return []
        return [(item_id, f"{number}  {title}")
                for item_id, (number, title) in _numbered(meeting).items()]


def add_point(db: Database, meeting_id: int, text: str, owner_ids: list[int],
              due: dt.date | None, agenda_item_id: int | None = None,
              minute_ref: str | None = None) -> ActionPointRow:
    """Add an action point to a meeting; its ref is MM/NN (meeting month / running number)."""
    with db.session() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None:
            raise ValidationError("That meeting no longer exists; refresh the list.")
        text = _check(s, meeting, text, agenda_item_id)
        if due is not None and due < meeting.date:
            raise ValidationError("The due date is before the meeting; correct it.", field="due")
        number = (s.scalar(select(func.max(ActionPoint.number))
                           .where(ActionPoint.meeting_id == meeting_id)) or 0) + 1
        point = ActionPoint(meeting_id=meeting_id, number=number,
                            ref=f"{meeting.date.month:02d}/{number:02d}", text=text,
                            due_date=due, agenda_item_id=agenda_item_id,
                            minute_ref=clean_text(minute_ref) or None,
                            owners=_owners(s, owner_ids), status=PointStatus.OPEN.value)
        s.add(point)
        s.flush()
        return _rows(s, [point])[0]


def update_point(db: Database, point_id: int, text: str, owner_ids: list[int],
                 due: dt.date | None, agenda_item_id: int | None = None,
                 version: int | None = None, minute_ref: str | None = None) -> ActionPointRow:
    """Save edits to a point (its ref never changes)."""
    with db.session() as s:
        p = load_checked(s, ActionPoint, point_id, version, "action point")
        meeting = s.get(Meeting, p.meeting_id)
        p.text = _check(s, meeting, text, agenda_item_id)
        p.owners = _owners(s, owner_ids)
        p.due_date, p.agenda_item_id = due, agenda_item_id
        p.minute_ref = clean_text(minute_ref) or None
        s.flush()
        return _rows(s, [p])[0]


def close_point(db: Database, point_id: int, note: str, on: dt.date,
                version: int | None = None) -> ActionPointRow:
    """Close a point with a closing note ('Closed: agenda item 6') and date."""
    note = clean_text(note)
    if note.lower().startswith("closed"):
        note = note[6:].lstrip(" :.-").strip()
    if on > clock.today():
        raise ValidationError("A point cannot be closed on a future date.", field="closed_on")
    with db.session() as s:
        p = load_checked(s, ActionPoint, point_id, version, "action point")
        meeting = s.get(Meeting, p.meeting_id)
        if on < meeting.date:
            raise ValidationError("A point cannot be closed before the meeting that raised it.",
                                  field="closed_on")
        p.status, p.closed_on, p.closing_note = PointStatus.CLOSED.value, on, note or None
        s.flush()
        return _rows(s, [p])[0]


def reopen_point(db: Database, point_id: int, version: int | None = None) -> ActionPointRow:
    with db.session() as s:
        p = load_checked(s, ActionPoint, point_id, version, "action point")
        p.status, p.closed_on, p.closing_note = PointStatus.OPEN.value, None, None
        s.flush()
        return _rows(s, [p])[0]


def delete_point(db: Database, point_id: int) -> None:
    """Delete a point entered by mistake (the other refs keep their numbers)."""
    with db.session() as s:
        s.delete(load_checked(s, ActionPoint, point_id, None, "action point"))


def get_point(db: Database, point_id: int) -> ActionPointRow:
    with db.session() as s:
        return _rows(s, [load_checked(s, ActionPoint, point_id, None, "action point")])[0]


def list_points(db: Database, *, board_id: int | None = None, meeting_id: int | None = None,
                status: str | None = None, owner_id: int | None = None,
                partnership_id: int | None = None) -> list[ActionPointRow]:
    """Action points, oldest meeting first, then by number."""
    stmt = (select(ActionPoint).join(Meeting, ActionPoint.meeting_id == Meeting.id)
            .join(Board, Meeting.board_id == Board.id)
            .options(selectinload(ActionPoint.owners))
            .order_by(Meeting.date, ActionPoint.number))
    if board_id is not None:
        stmt = stmt.where(Meeting.board_id == board_id)
    if meeting_id is not None:
        stmt = stmt.where(ActionPoint.meeting_id == meeting_id)
    if status is not None:
        stmt = stmt.where(ActionPoint.status == status)
    if partnership_id is not None:
        stmt = stmt.where(Board.partnership_id == partnership_id)
    if owner_id is not None:
        stmt = stmt.where(ActionPoint.id.in_(select(action_point_owner.c.point_id)
                                             .where(action_point_owner.c.person_id == owner_id)))
    with db.session() as s:
        return _rows(s, list(s.scalars(stmt)))


def _earlier(s: Session, meeting_id: int) -> tuple[Meeting, Meeting | None]:
    meeting = s.get(Meeting, meeting_id)
    if meeting is None:
        raise ValidationError("That meeting no longer exists; refresh the list.")
    previous = s.scalars(select(Meeting).where(Meeting.board_id == meeting.board_id,
                                               Meeting.date < meeting.date)
                         .order_by(Meeting.date.desc()).limit(1)).first()
    return meeting, previous


def carried_forward(db: Database, meeting_id: int) -> list[ActionPointRow]:
    """Open points of earlier meetings of the same board (the 'Action points: review' list)."""
    with db.session() as s:
        meeting, _ = _earlier(s, meeting_id)
        stmt = (select(ActionPoint).join(Meeting, ActionPoint.meeting_id == Meeting.id)
                .where(Meeting.board_id == meeting.board_id, Meeting.date < meeting.date,
                       ActionPoint.status == PointStatus.OPEN.value)
                .options(selectinload(ActionPoint.owners))
                .order_by(Meeting.date, ActionPoint.number))
        return _rows(s, list(s.scalars(stmt)))


def review_points(db: Database, meeting_id: int) -> list[ActionPointRow]:
    """What the meeting's action log reviews: every point still open from earlier meetings, and
    points closed since the previous meeting, so the board sees how each was closed."""
    with db.session() as s:
        meeting, previous = _earlier(s, meeting_id)
        since = previous.date if previous else dt.date.min
        stmt = (select(ActionPoint).join(Meeting, ActionPoint.meeting_id == Meeting.id)
                .where(Meeting.board_id == meeting.board_id, Meeting.date < meeting.date,
                       or_(ActionPoint.status == PointStatus.OPEN.value,
                           ActionPoint.closed_on >= since))
                .options(selectinload(ActionPoint.owners))
                .order_by(Meeting.date, ActionPoint.number))
        return _rows(s, list(s.scalars(stmt)))


def overdue_points(db: Database, partnership_id: int | None,
                   today: dt.date) -> list[ActionPointRow]:
    """Open points past their due date."""
    return [p for p in list_points(db, partnership_id=partnership_id,
                                   status=PointStatus.OPEN.value) if p.overdue(today)]
