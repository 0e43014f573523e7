"""The agenda builder: items and sub-items, numbering, times from durations, standing items."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.dates import format_time
from cspdesk.db.engine import Database
from cspdesk.errors import ConflictError, UserError, ValidationError
from cspdesk.models import AgendaItem, ItemKind, Meeting, Person, Publication, Purpose
from cspdesk.models.paper import Paper, StandingItem

MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")
PARAGRAPHS_RE = re.compile(r"^\s*[1-7](\s*(,|and)\s*[1-7])*\s*$")

#: standing items used when a board has none of its own: (title, purpose, minutes, kind, at end,
#: generated paper key)
DEFAULT_STANDING: tuple[tuple[str, str | None, int, str, bool, str | None], ...] = (
    ("Welcome and apologies", None, 5, "verbal", False, None),
    ("Declarations of interest", None, 5, "verbal", False, None),
    ("Minutes of the last meeting", "Agreement", 5, "paper", False, "minutes"),
    ("Action points: review", "Review", 5, "paper", False, "action-log"),
    ("Any other business", None, 5, "verbal", True, None),
    ("Key messages to share with our organisations and the public", None, 5, "verbal", True,
     None),
    ("Date of next meeting", "Note", 0, "verbal", True, None),
)


@dataclass(frozen=True)
class AgendaRow:
    """One agenda row as the builder and the pack show it."""

    id: int
    version: int
    parent_id: int | None
    number: str
    level: int
    position: int
    title: str
    purpose: str | None
    duration: int | None
    minutes: int  # effective: own duration, or the sum of the sub-items' durations
    start: dt.time | None
    end: dt.time | None
    group_heading: str | None
    kind: str
    publication: str
    exempt_paragraphs: str | None
    marking: str | None
    lead_ids: tuple[int, ...]
    leads: str
    lead_text: str | None
    paper_count: int
    notes: str | None = None

    @property
    def time_text(self) -> str:
        if self.start is None or not self.minutes:
            return ""
        return f"{format_time(self.start)}–{format_time(self.end)}" if self.end else format_time(
            self.start)

    @property
    def publication_label(self) -> str:
        if self.publication == Publication.EXEMPT.value:
            return f"Exempt (para. {self.exempt_paragraphs or '?'})"
        if self.publication == Publication.ON_APPROVAL.value:
            return "Publish once approved"
        return "Public"


@dataclass(frozen=True)
class Agenda:
    meeting_id: int
    rows: tuple[AgendaRow, ...]
    total_minutes: int
    slot_minutes: int | None
    warning: str | None


@dataclass
class ItemInput:
    """What the agenda item form submits."""

    title: str
    purpose: str | None = None
    duration: int | None = None
    kind: str = ItemKind.PAPER.value
    publication: str = Publication.PUBLIC.value
    exempt_paragraphs: str | None = None
    marking: str | None = None
    lead_ids: list[int] = field(default_factory=list)
    lead_text: str | None = None
    group_heading: str | None = None
    notes: str | None = None


def _minutes(item: AgendaItem) -> int:
    child = sum(c.duration or 0 for c in item.children)
    return child if item.children and child else (item.duration or 0)


def _add(t: dt.time, minutes: int) -> dt.time:
    return (dt.datetime.combine(dt.date(2000, 1, 1), t) + dt.timedelta(minutes=minutes)).time()


def _leads(item: AgendaItem) -> str:
    if item.lead_text:
        return item.lead_text
    return ", ".join(p.name for p in item.leads)


def numbered_items(meeting: Meeting) -> list[tuple[AgendaItem, str, int]]:
    """Every agenda item in agenda order with its number ('5', '5.1') and level, worked out
    from the meeting's items alone (no query per item, so a log of many meetings stays cheap)."""
    items = sorted(meeting.items, key=lambda i: i.position)
    out = []
    for n, item in enumerate((i for i in items if i.parent is None), start=1):
        out.append((item, str(n), 0))
        for m, child in enumerate((c for c in items if c.parent is item), start=1):
            out.append((child, f"{n}.{m}", 1))
    return out


def slot_minutes(meeting: Meeting) -> int | None:
    if meeting.start and meeting.end:
        return (dt.datetime.combine(meeting.date, meeting.end)
                - dt.datetime.combine(meeting.date, meeting.start)).seconds // 60
    return None


def build_agenda(s: Session, meeting: Meeting) -> Agenda:
    """Rows with numbers and start times computed from the meeting start and durations."""
    paper_counts: dict[int, int] = {}
    for item_id in s.scalars(select(Paper.agenda_item_id).join(AgendaItem)
                             .where(AgendaItem.meeting_id == meeting.id)):
        paper_counts[item_id] = paper_counts.get(item_id, 0) + 1
    rows = []
    clock = meeting.start
    child_clock: dt.time | None = None
    total = 0
    for item, number, level in numbered_items(meeting):
        minutes = _minutes(item) if level == 0 else (item.duration or 0)
        if level == 0:
            start = clock
            child_clock = clock
            clock = _add(clock, minutes) if clock is not None else None
            total += minutes
        else:
            start = child_clock
            child_clock = _add(child_clock, minutes) if child_clock is not None else None
        end = _add(start, minutes) if (start is not None and minutes) else None
        rows.append(AgendaRow(
            item.id, item.version, item.parent_id, number, level, item.position, item.title,
            item.purpose, item.duration, minutes, start, end, item.group_heading, item.kind,
            item.publication, item.exempt_paragraphs, item.marking,
            tuple(p.id for p in item.leads), _leads(item), item.lead_text,
            paper_counts.get(item.id, 0), item.notes))
    slot = slot_minutes(meeting)
    warning = None
    if slot is not None and rows:
        if total > slot:
            warning = (f"The agenda runs {total} minutes, {total - slot} over the "
                       f"{slot}-minute slot; shorten some items.")
        elif total < slot:
            warning = (f"The agenda fills {total} of the {slot}-minute slot; "
                       f"{slot - total} minutes are unallocated.")
    return Agenda(meeting.id, tuple(rows), total, slot, warning)


def _meeting(s: Session, meeting_id: int) -> Meeting:
    meeting = s.get(Meeting, meeting_id)
    if meeting is None:
        raise UserError("That meeting no longer exists; press F5 to refresh.")
    return meeting


def _item(s: Session, item_id: int, version: int | None = None) -> AgendaItem:
    item = s.get(AgendaItem, item_id)
    if item is None:
        raise UserError("That agenda item no longer exists; press F5 to refresh.")
    if version is not None and item.version != version:
        raise ConflictError("Someone else changed this agenda item since you opened it; "
                            "open it again.")
    return item


def get_agenda(db: Database, meeting_id: int) -> Agenda:
    """The agenda of a meeting with computed numbers, times and the slot warning."""
    with db.session() as s:
        return build_agenda(s, _meeting(s, meeting_id))


def validate(data: ItemInput) -> ItemInput:
    """Check and tidy the form; raises ValidationError naming the field."""
    title = " ".join((data.title or "").split())
    if not title:
        raise ValidationError("Give the agenda item a title.", field="title")
    if data.purpose and data.purpose not in {p.value for p in Purpose}:
        raise ValidationError(f"'{data.purpose}' is not a purpose; choose one from the list.",
                              field="purpose")
    if data.duration is not None and not 0 <= data.duration <= 480:
        raise ValidationError("The duration must be between 0 and 480 minutes.", field="duration")
    try:
        ItemKind(data.kind)
        Publication(data.publication)
    except ValueError:
        raise ValidationError("Choose paper, verbal or presentation and a publication status.",
                              field="kind") from None
    paragraphs = (data.exempt_paragraphs or "").strip() or None
    if data.publication == Publication.EXEMPT.value and paragraphs and not PARAGRAPHS_RE.match(
            paragraphs):
        raise ValidationError("Exempt paragraphs are numbers 1 to 7 of Part 1 of Schedule 12A, "
                              "such as '1, 2, 3'.", field="exempt_paragraphs")
    marking = (data.marking or "").strip().upper() or None
    if marking and marking not in MARKINGS:
        raise ValidationError("The protective marking must be OFFICIAL or OFFICIAL-SENSITIVE.",
                              field="marking")
    return ItemInput(title, data.purpose or None, data.duration, data.kind, data.publication,
                     paragraphs if data.publication == Publication.EXEMPT.value else None,
                     marking, list(dict.fromkeys(data.lead_ids)),
                     (data.lead_text or "").strip() or None,
                     (data.group_heading or "").strip() or None, (data.notes or "").strip() or None)


def _apply(s: Session, item: AgendaItem, data: ItemInput) -> None:
    item.title, item.purpose, item.duration = data.title, data.purpose, data.duration
    item.kind, item.publication = data.kind, data.publication
    item.exempt_paragraphs, item.marking = data.exempt_paragraphs, data.marking
    item.lead_text, item.group_heading, item.notes = data.lead_text, data.group_heading, data.notes
    people = [s.get(Person, pid) for pid in data.lead_ids]
    if any(p is None for p in people):
        raise ValidationError("One of the chosen leads no longer exists; choose again.",
                              field="leads")
    item.leads = [p for p in people if p is not None]


def _siblings(meeting: Meeting, parent_id: int | None) -> list[AgendaItem]:
    return sorted((i for i in meeting.items if i.parent_id == parent_id),
                  key=lambda i: i.position)


def _renumber(items: list[AgendaItem]) -> None:
    for pos, item in enumerate(items):
        if item.position != pos:
            item.position = pos


def add_item(db: Database, meeting_id: int, data: ItemInput, *, parent_id: int | None = None,
             index: int | None = None) -> AgendaRow:
    """Add an item (or a sub-item under ``parent_id``) at ``index`` (default: the end)."""
    data = validate(data)
    with db.session() as s:
        meeting = _meeting(s, meeting_id)
        if parent_id is not None:
            parent = _item(s, parent_id)
            if parent.parent_id is not None:
                raise ValidationError("Sub-items cannot have sub-items of their own.",
                                      field="parent")
        siblings = _siblings(meeting, parent_id)
        item = AgendaItem(meeting=meeting, parent_id=parent_id, title=data.title)
        s.add(item)
        _apply(s, item, data)
        index = len(siblings) if index is None else max(0, min(index, len(siblings)))
        siblings.insert(index, item)
        _renumber(siblings)
        s.flush()
        s.refresh(meeting)
        return next(r for r in build_agenda(s, meeting).rows if r.id == item.id)


def update_item(db: Database, item_id: int, version: int, data: ItemInput) -> AgendaRow:
    """Save the item form (row version checked)."""
    data = validate(data)
    with db.session() as s:
        item = _item(s, item_id, version)
        _apply(s, item, data)
        s.flush()
        return next(r for r in build_agenda(s, item.meeting).rows if r.id == item.id)


def item_input(db: Database, item_id: int) -> ItemInput:
    """The saved values of an item, for the form and for undo."""
    with db.session() as s:
        i = _item(s, item_id)
        return ItemInput(i.title, i.purpose, i.duration, i.kind, i.publication,
                         i.exempt_paragraphs, i.marking, [p.id for p in i.leads], i.lead_text,
                         i.group_heading, i.notes)


def move_item(db: Database, item_id: int, index: int, parent_id: int | None | str = "same") -> None:
    """Move an item to ``index`` among the children of ``parent_id`` (default: its own parent)
    and renumber. Items with sub-items stay top-level."""
    with db.session() as s:
        item = _item(s, item_id)
        meeting = item.meeting
        target_parent = item.parent_id if parent_id == "same" else parent_id
        if target_parent is not None:
            parent = _item(s, int(target_parent))
            if parent.parent_id is not None or parent.id == item.id:
                raise ValidationError("An item can only go under a top-level item.",
                                      field="parent")
            if item.children:
                raise ValidationError("An item with sub-items cannot become a sub-item.",
                                      field="parent")
        old = _siblings(meeting, item.parent_id)
        old.remove(item)
        _renumber(old)
        item.parent_id = target_parent  # type: ignore[assignment]
        if target_parent is not None:
            item.parent = s.get(AgendaItem, target_parent)
        else:
            item.parent = None
        new = [i for i in _siblings(meeting, target_parent) if i.id != item.id]
        new.insert(max(0, min(index, len(new))), item)
        _renumber(new)


def item_place(db: Database, item_id: int) -> tuple[int | None, int]:
    """(parent id, index among siblings): where an item is, for undoing a move."""
    with db.session() as s:
        item = _item(s, item_id)
        siblings = _siblings(item.meeting, item.parent_id)
        return item.parent_id, siblings.index(item)


def _snapshot(item: AgendaItem) -> dict[str, Any]:
    return {
        "fields": {c: getattr(item, c) for c in (
            "title", "purpose", "duration", "group_heading", "kind", "publication",
            "exempt_paragraphs", "marking", "lead_text", "pages_printed", "notes", "position")},
        "parent_id": item.parent_id,
        "lead_ids": [p.id for p in item.leads],
        "papers": [{c.key: getattr(p, c.key) for c in Paper.__table__.columns
                    if c.key not in ("id", "version", "agenda_item_id")}
                   for p in _papers_of(item)],
        "children": [_snapshot(c) for c in item.children],
    }


def _papers_of(item: AgendaItem) -> list[Paper]:
    from sqlalchemy.orm import object_session

    session = object_session(item)
    assert session is not None
    return list(session.scalars(select(Paper).where(Paper.agenda_item_id == item.id)
                                .order_by(Paper.position)))


def delete_item(db: Database, item_id: int) -> dict[str, Any]:
    """Delete an item with its sub-items and papers; returns a snapshot for ``restore_item``."""
    with db.session() as s:
        item = _item(s, item_id)
        meeting = item.meeting
        snap = _snapshot(item) | {"meeting_id": meeting.id}
        parent_id = item.parent_id
        for child in list(item.children):
            s.delete(child)
        s.delete(item)
        s.flush()
        s.refresh(meeting)
        _renumber(_siblings(meeting, parent_id))
        return snap


def _restore(s: Session, meeting: Meeting, snap: dict[str, Any], parent_id: int | None) -> int:
    item = AgendaItem(meeting=meeting, parent_id=parent_id, **snap["fields"])
    s.add(item)
    item.leads = [p for p in (s.get(Person, pid) for pid in snap["lead_ids"]) if p is not None]
    s.flush()
    for paper in snap["papers"]:
        s.add(Paper(agenda_item_id=item.id, **paper))
    for child in snap["children"]:
        _restore(s, meeting, child, item.id)
    return item.id


def restore_item(db: Database, snap: dict[str, Any]) -> int:
    """Put back an item removed by ``delete_item`` at its old place; returns its new id."""
    with db.session() as s:
        meeting = _meeting(s, snap["meeting_id"])
        siblings = _siblings(meeting, snap["parent_id"])
        new_id = _restore(s, meeting, snap, snap["parent_id"])
        s.refresh(meeting)
        item = s.get(AgendaItem, new_id)
        siblings.insert(min(snap["fields"]["position"], len(siblings)), item)
        _renumber(siblings)
        return new_id


def standing_items(db: Database, board_id: int) -> list[tuple[str, str | None, int, str, bool,
                                                              str | None]]:
    """The board's standing items, or the usual set when it has none of its own."""
    with db.session() as s:
        rows = list(s.scalars(select(StandingItem).where(StandingItem.board_id == board_id)
                              .order_by(StandingItem.position)))
        if not rows:
            return list(DEFAULT_STANDING)
        return [(r.title, r.purpose, r.duration or 0, r.kind, r.at_end, r.generated_key)
                for r in rows]


def add_standing_items(db: Database, meeting_id: int) -> list[int]:
    """Add the board's standing items not already on the agenda (opening ones at the top,
    closing ones at the end); returns the new item ids."""
    with db.session() as s:
        board_id = _meeting(s, meeting_id).board_id
    standing = standing_items(db, board_id)
    with db.session() as s:
        meeting = _meeting(s, meeting_id)
        top = _siblings(meeting, None)
        have = {" ".join(i.title.casefold().split()) for i in top}
        head: list[AgendaItem] = []
        tail: list[AgendaItem] = []
        for title, purpose, minutes, kind, at_end, key in standing:
            if title.casefold() in have:
                continue
            item = AgendaItem(meeting=meeting, title=title, purpose=purpose,
                              duration=minutes or None, kind=kind)
            s.add(item)
            if key:
                item_papers = Paper(item=item, title=title, source="generated",
                                    generated_key=key)
                s.add(item_papers)
            (tail if at_end else head).append(item)
        _renumber(head + top + tail)
        s.flush()
        return [i.id for i in head + tail]


def copy_last_agenda(db: Database, meeting_id: int) -> int:
    """Copy the items of the board's previous meeting into this empty agenda (no papers);
    returns how many items were copied."""
    with db.session() as s:
        meeting = _meeting(s, meeting_id)
        if meeting.items:
            raise UserError("This agenda already has items; copy the last agenda only into an "
                            "empty one, or delete these items first.")
        previous = s.scalars(
            select(Meeting).where(Meeting.board_id == meeting.board_id,
                                  Meeting.date < meeting.date, Meeting.items.any())
            .order_by(Meeting.date.desc()).limit(1)).first()
        if previous is None:
            raise UserError("The board has no earlier meeting with an agenda to copy.")
        count = 0
        for item, _number, level in numbered_items(previous):
            if level:
                continue
            copy = _copy(item, meeting, None)
            s.add(copy)
            count += 1 + len(item.children)
            for child in item.children:
                s.add(_copy(child, meeting, copy))
        return count


def _copy(item: AgendaItem, meeting: Meeting, parent: AgendaItem | None) -> AgendaItem:
    return AgendaItem(meeting=meeting, parent=parent, position=item.position, title=item.title,
                      purpose=item.purpose, duration=item.duration,
                      group_heading=item.group_heading, kind=item.kind,
                      publication=Publication.PUBLIC.value if item.publication ==
                      Publication.ON_APPROVAL.value else item.publication,
                      exempt_paragraphs=item.exempt_paragraphs, marking=item.marking,
                      lead_text=item.lead_text, leads=list(item.leads))
