"""Minutes: text and decision per item, declarations of interest, inline action points,
approval, and the minutes PDF (also offered to packs as the 'minutes' generated paper)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from cspdesk import clock
from cspdesk.dates import format_date, format_time
from cspdesk.db.engine import Database
from cspdesk.errors import ConflictError, UserError, ValidationError
from cspdesk.models import AgendaItem, Meeting, MeetingStatus, Person
from cspdesk.models.paper import Decision, Declaration, MinuteEntry
from cspdesk.services import action_points
from cspdesk.services.agenda import build_agenda
from cspdesk.services.attendance import attendance_summary


@dataclass(frozen=True)
class MinutesItem:
    item_id: int
    number: str
    title: str
    level: int
    text: str
    decision: str
    decision_text: str
    actions: tuple[str, ...]  # "10/01 – text (owners, due 1 Mar 2021)"
    version: int = 0  # of the saved minutes; 0 while none are saved

    @property
    def decision_line(self) -> str:
        if not self.decision:
            return self.decision_text
        label = Decision(self.decision).label
        return f"{label} {self.decision_text}".strip() if self.decision_text else label


@dataclass(frozen=True)
class DeclarationRow:
    id: int
    person_id: int
    person: str
    item_id: int | None
    item_number: str | None
    interest: str


@dataclass(frozen=True)
class MinutesData:
    meeting_id: int
    board: str
    date: dt.date
    time_text: str
    venue: str
    attendance: dict[str, list[str]]
    declarations: tuple[DeclarationRow, ...]
    items: tuple[MinutesItem, ...]
    approved_on: dt.date | None


def _meeting(s, meeting_id: int) -> Meeting:
    meeting = s.get(Meeting, meeting_id)
    if meeting is None:
        raise UserError("That meeting no longer exists; press F5 to refresh.")
    return meeting


def _action_text(p: action_points.ActionPointRow) -> str:
    text = f"Action point {p.ref}: {p.text}"
    extra = [", ".join(p.owners)] if p.owners else []
    if p.due_date:
        extra.append(f"by {format_date(p.due_date)}")
    return text + (f" ({'; '.join(extra)})" if extra else "")


def get_minutes(db: Database, meeting_id: int) -> MinutesData:
    """The minutes of a meeting with attendance filled in from the attendance list."""
    points = action_points.list_points(db, meeting_id=meeting_id)
    attendance = attendance_summary(db, meeting_id)
    with db.session() as s:
        meeting = _meeting(s, meeting_id)
        from cspdesk.services.packs import board_name_on

        agenda = build_agenda(s, meeting)
        numbers = {r.id: r.number for r in agenda.rows}
        entries = {e.agenda_item_id: e for e in s.scalars(
            select(MinuteEntry).join(AgendaItem).where(AgendaItem.meeting_id == meeting_id))}
        items = []
        for row in agenda.rows:
            e = entries.get(row.id)
            acts = tuple(_action_text(p) for p in points if p.agenda_item_id == row.id)
            items.append(MinutesItem(row.id, row.number, row.title, row.level,
                                     (e.text or "") if e else "", e.decision if e else "",
                                     (e.decision_text or "") if e else "", acts,
                                     e.version if e else 0))
        loose = tuple(_action_text(p) for p in points if p.agenda_item_id not in numbers)
        if loose and items:
            last = items[-1]
            items[-1] = MinutesItem(last.item_id, last.number, last.title, last.level, last.text,
                                    last.decision, last.decision_text, last.actions + loose,
                                    last.version)
        decls = tuple(DeclarationRow(d.id, d.person_id, d.person.name, d.agenda_item_id,
                                     numbers.get(d.agenda_item_id or -1), d.interest)
                      for d in s.scalars(select(Declaration).where(
                          Declaration.meeting_id == meeting_id).order_by(Declaration.id)))
        time_text = format_time(meeting.start) + (f"–{format_time(meeting.end)}"
                                                  if meeting.end else "")
        return MinutesData(meeting.id, board_name_on(meeting.board, meeting.date), meeting.date,
                           time_text, meeting.venue or "", attendance, decls, tuple(items),
                           meeting.minutes_approved_on)


def entry(db: Database, item_id: int) -> tuple[str, str, str]:
    """(text, decision, decision text) saved for an item."""
    with db.session() as s:
        e = s.scalars(select(MinuteEntry).where(MinuteEntry.agenda_item_id == item_id)).first()
        return (e.text or "", e.decision, e.decision_text or "") if e else ("", "", "")


def save_entry(db: Database, item_id: int, text: str, decision: str = "",
               decision_text: str = "", version: int | None = None) -> None:
    """Save the minutes of one item. Approved minutes are final and cannot change.

    ``version`` is that of the minutes the form showed (0: none were saved yet); when someone
    else saved the item's minutes since, nothing is saved. None (undo, redo) skips the check.
    """
    try:
        Decision(decision or "")
    except ValueError:
        raise ValidationError(f"'{decision}' is not a decision; choose one from the list.",
                              field="decision") from None
    if decision == Decision.APPROVED_SUBJECT_TO.value and not decision_text.strip():
        raise ValidationError("Say what the approval is subject to.", field="decision_text")
    with db.session() as s:
        item = s.get(AgendaItem, item_id)
        if item is None:
            raise UserError("That agenda item no longer exists; press F5 to refresh.")
        if item.meeting.minutes_approved_on:
            raise UserError("These minutes have been approved and are final; they can no "
                            "longer be changed.")
        e = s.scalars(select(MinuteEntry).where(MinuteEntry.agenda_item_id == item_id)).first()
        if version is not None and (e.version if e else 0) != version:
            raise ConflictError("These minutes were changed by someone else since you opened "
                                "them; your change was not saved. Refresh (F5), then add yours.")
        if e is None:
            e = MinuteEntry(agenda_item_id=item_id)
            s.add(e)
        e.text = text.strip() or None
        e.decision = decision or ""
        e.decision_text = decision_text.strip() or None


def add_declaration(db: Database, meeting_id: int, person_id: int, interest: str,
                    item_id: int | None = None) -> int:
    """Record a declaration of interest; returns its id."""
    if not interest.strip():
        raise ValidationError("Describe the interest declared.", field="interest")
    with db.session() as s:
        _meeting(s, meeting_id)
        if s.get(Person, person_id) is None:
            raise ValidationError("Choose who declared the interest.", field="person")
        d = Declaration(meeting_id=meeting_id, person_id=person_id, interest=interest.strip(),
                        agenda_item_id=item_id)
        s.add(d)
        s.flush()
        return d.id


def remove_declaration(db: Database, declaration_id: int) -> None:
    with db.session() as s:
        d = s.get(Declaration, declaration_id)
        if d is not None:
            s.delete(d)


def add_action(db: Database, item_id: int, text: str, owner_ids: list[int],
               due: dt.date | None) -> action_points.ActionPointRow:
    """Capture an action point inline (MM/NN ref from the action plan area's log)."""
    with db.session() as s:
        item = s.get(AgendaItem, item_id)
        if item is None:
            raise UserError("That agenda item no longer exists; press F5 to refresh.")
        meeting_id = item.meeting_id
    return action_points.add_point(db, meeting_id, text, owner_ids, due, agenda_item_id=item_id)


def approve(db: Database, meeting_id: int, on: dt.date | None = None) -> None:
    """Mark the minutes approved (normally at the next meeting): final and publishable."""
    with db.session() as s:
        meeting = _meeting(s, meeting_id)
        meeting.minutes_approved_on = on or clock.today()
        meeting.status = MeetingStatus.MINUTES_APPROVED.value


def unapprove(db: Database, meeting_id: int) -> None:
    """Undo an approval (back to held)."""
    with db.session() as s:
        meeting = _meeting(s, meeting_id)
        meeting.minutes_approved_on = None
        meeting.status = MeetingStatus.HELD.value


def minutes_pdf(db: Database, meeting_id: int, out: Path) -> Path:
    """Write the minutes in the house style (DRAFT watermark until approved)."""
    from cspdesk.reports.minutes import build_minutes

    return build_minutes(get_minutes(db, meeting_id), Path(out))


def previous_meeting(db: Database, meeting_id: int) -> int | None:
    """The board's meeting before this one."""
    with db.session() as s:
        meeting = _meeting(s, meeting_id)
        return s.scalar(select(Meeting.id).where(Meeting.board_id == meeting.board_id,
                                                 Meeting.date < meeting.date)
                        .order_by(Meeting.date.desc()).limit(1))


def previous_minutes_paper(db: Database, meeting_id: int, out_dir: Path, **_: object) -> Path:
    """Generated paper: the minutes of the board's previous meeting."""
    previous = previous_meeting(db, meeting_id)
    if previous is None:
        raise UserError("The board has no earlier meeting, so there are no minutes to include.")
    return minutes_pdf(db, previous, Path(out_dir) / f"minutes-{previous}.pdf")


PAPER_PROVIDERS = {"minutes": ("Minutes of the previous meeting", previous_minutes_paper)}
