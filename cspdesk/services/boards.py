"""Set up partnerships and boards (terms of reference, meeting slot, contact) and memberships."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.errors import ReferencedError, ValidationError
from cspdesk.models import Board, BoardName, Membership, Partnership, Person
from cspdesk.models.partnership import MembershipCategory, MembershipRole
from cspdesk.services.partnerships import BoardRow, MemberRow, PartnershipRow, get_board
from cspdesk.services.people import EMAIL_RE, _load_checked, clean_text

FRACTION_RE = re.compile(r"^(\d+)\s*/\s*(\d+)$|^(\d+)\s*%$")


@dataclass
class PartnershipInput:
    name: str
    short_name: str | None = None


@dataclass
class BoardInput:
    name: str
    default_start: dt.time | None = None
    default_end: dt.time | None = None
    default_venue: str | None = None
    quorum_min: int | None = None
    quorum_fraction: str | None = None
    one_vote_per_organisation: bool = True
    chair_casting_vote: bool = True
    paper_deadline_working_days: int = 5
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    notes: str | None = None


@dataclass
class MembershipInput:
    person_id: int
    category: str = MembershipCategory.BOARD.value
    role: str | None = None
    organisation_id: int | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None


# ---------------------------------------------------------------- partnerships

def add_partnership(db: Database, data: PartnershipInput, board: BoardInput) -> PartnershipRow:
    """A new partnership with its first board."""
    name = clean_text(data.name)
    if not name:
        raise ValidationError("Enter the partnership's name.", field="name")
    board = validate_board(board)
    with db.session() as s:
        if s.scalar(select(Partnership.id).where(Partnership.name == name)) is not None:
            raise ValidationError(f"There is already a partnership called '{name}'.",
                                  field="name")
        p = Partnership(name=name, short_name=clean_text(data.short_name) or None)
        p.boards.append(Board(**vars(board)))
        s.add(p)
        s.flush()
        pid = p.id
    from cspdesk.services.partnerships import list_partnerships

    return next(row for row in list_partnerships(db) if row.id == pid)


def delete_partnership(db: Database, partnership_id: int) -> None:
    """Remove a partnership that holds nothing but empty boards (used to undo a creation)."""
    with db.session() as s:
        p = s.get(Partnership, partnership_id)
        if p is None:
            return
        for board in p.boards:
            if board.memberships:
                raise ReferencedError(f"{p.name} has board members; it cannot be deleted.")
        s.delete(p)


# ---------------------------------------------------------------- boards

def validate_board(data: BoardInput) -> BoardInput:
    """Clean and check a board's terms of reference; raise ValidationError naming the field."""
    name = clean_text(data.name)
    if not name:
        raise ValidationError("Enter the board's name.", field="name")
    if data.default_start and data.default_end and data.default_end <= data.default_start:
        raise ValidationError("The meeting slot must end after it starts.", field="default_end")
    fraction = clean_text(data.quorum_fraction) or None
    if fraction:
        match = FRACTION_RE.match(fraction)
        if not match or (match.group(2) and int(match.group(2)) == 0) or \
                (match.group(1) and int(match.group(1)) > int(match.group(2))):
            raise ValidationError("Write the quorum fraction as '1/3' or '50%'.",
                                  field="quorum_fraction")
    if data.quorum_min is not None and data.quorum_min < 0:
        raise ValidationError("The quorum cannot be negative.", field="quorum_min")
    if not 0 <= int(data.paper_deadline_working_days) <= 30:
        raise ValidationError("Papers are due between 0 and 30 working days before a meeting.",
                              field="paper_deadline_working_days")
    email = clean_text(data.contact_email) or None
    if email and not EMAIL_RE.match(email):
        raise ValidationError(f"'{email}' is not an email address.", field="contact_email")
    return BoardInput(
        name=name, default_start=data.default_start, default_end=data.default_end,
        default_venue=clean_text(data.default_venue) or None, quorum_min=data.quorum_min,
        quorum_fraction=fraction, one_vote_per_organisation=data.one_vote_per_organisation,
        chair_casting_vote=data.chair_casting_vote,
        paper_deadline_working_days=int(data.paper_deadline_working_days),
        contact_name=clean_text(data.contact_name) or None, contact_email=email,
        contact_phone=clean_text(data.contact_phone) or None,
        notes=(data.notes or "").strip() or None)


def board_input(row: BoardRow) -> BoardInput:
    """The editable fields of a board as it is now (for forms and undo)."""
    return BoardInput(row.name, row.default_start, row.default_end, row.default_venue,
                      row.quorum_min, row.quorum_fraction, row.one_vote_per_organisation,
                      row.chair_casting_vote, row.paper_deadline_working_days,
                      row.contact_name, row.contact_email, row.contact_phone, row.notes)


def add_board(db: Database, partnership_id: int, data: BoardInput) -> BoardRow:
    """Another board of a partnership (an executive group, a delivery board)."""
    data = validate_board(data)
    with db.session() as s:
        if s.get(Partnership, partnership_id) is None:
            raise ValidationError("That partnership no longer exists.")
        board = Board(partnership_id=partnership_id, **vars(data))
        s.add(board)
        s.flush()
        board_id = board.id
    return get_board(db, board_id)


def delete_board(db: Database, board_id: int) -> None:
    """Remove a board that has no meetings and no members (used to undo a creation)."""
    from cspdesk.services.refs import count_references, describe_counts

    with db.session() as s:
        board = s.get(Board, board_id)
        if board is None:
            return
        counts = {k: v for k, v in count_references(s, "board", board_id).items() if v}
        if counts or board.memberships:
            raise ReferencedError(
                f"{board.name} still has {describe_counts(counts) or 'members'}; "
                "it cannot be deleted.")
        s.delete(board)


def update_board(db: Database, board_id: int, data: BoardInput, version: int | None = None,
                 *, renamed_on: dt.date | None = None) -> BoardRow:
    """Save a board's terms of reference; a new name keeps the old one in the name history
    (valid until the day before ``renamed_on``, today by default)."""
    data = validate_board(data)
    with db.session() as s:
        board = _load_checked(s, Board, board_id, version, "board")
        if data.name != board.name:
            until = (renamed_on or clock.today()) - dt.timedelta(days=1)
            former = next((n for n in board.former_names if n.name == data.name), None)
            if former is not None:  # renamed back (or an undo): drop that history entry
                board.former_names.remove(former)
            else:
                board.former_names.append(BoardName(name=board.name, until=until))
        for key, value in vars(data).items():
            setattr(board, key, value)
    return get_board(db, board_id)


# ---------------------------------------------------------------- memberships

def _validate_membership(s, board_id: int, data: MembershipInput,  # type: ignore[no-untyped-def]
                         own_id: int | None) -> None:
    if s.get(Person, data.person_id) is None:
        raise ValidationError("Choose the person.", field="person_id")
    if data.category not in {c.value for c in MembershipCategory}:
        raise ValidationError("Choose the kind of membership.", field="category")
    if data.role and data.role not in {r.value for r in MembershipRole}:
        raise ValidationError("Choose chair, vice chair, minute taker or no role.", field="role")
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise ValidationError("The membership must end on or after the day it starts.",
                              field="end_date")
    if data.role in (MembershipRole.CHAIR.value, MembershipRole.VICE_CHAIR.value):
        others = s.scalars(select(Membership).where(
            Membership.board_id == board_id, Membership.role == data.role,
            Membership.id != (own_id or 0)))
        for other in others:
            if _overlap(other.start_date, other.end_date, data.start_date, data.end_date):
                label = "chair" if data.role == "chair" else "vice chair"
                raise ValidationError(
                    f"{other.person.name} is already {label} of this board for those dates; "
                    "give their term an end date first.", field="role")


def _overlap(a0: dt.date | None, a1: dt.date | None, b0: dt.date | None,
             b1: dt.date | None) -> bool:
    lo, hi = dt.date.min, dt.date.max
    return (a0 or lo) <= (b1 or hi) and (b0 or lo) <= (a1 or hi)


def _member_row(m: Membership) -> MemberRow:
    org = m.organisation or m.person.organisation
    return MemberRow(m.id, m.person_id, m.person.name, org.name if org else None, m.category,
                     m.role, m.start_date, m.end_date, m.version, m.organisation_id)


def membership_input(row: MemberRow) -> MembershipInput:
    return MembershipInput(row.person_id, row.category, row.role, row.organisation_id,
                           row.start_date, row.end_date)


def add_membership(db: Database, board_id: int, data: MembershipInput) -> MemberRow:
    """Give a person a seat on a board."""
    with db.session() as s:
        if s.get(Board, board_id) is None:
            raise ValidationError("That board no longer exists.")
        _validate_membership(s, board_id, data, None)
        m = Membership(board_id=board_id, **vars(data))
        s.add(m)
        s.flush()
        return _member_row(m)


def update_membership(db: Database, membership_id: int, data: MembershipInput,
                      version: int | None = None) -> MemberRow:
    """Change a seat (category, role, dates); ``version`` guards against a stale form."""
    with db.session() as s:
        m = _load_checked(s, Membership, membership_id, version, "membership")
        _validate_membership(s, m.board_id, data, m.id)
        for key, value in vars(data).items():
            setattr(m, key, value)
        s.flush()
        return _member_row(m)


def delete_membership(db: Database, membership_id: int) -> None:
    """Remove a seat entered by mistake (a member who leaves gets an end date instead)."""
    with db.session() as s:
        m = s.get(Membership, membership_id)
        if m is not None:
            s.delete(m)
