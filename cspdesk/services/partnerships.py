"""Partnerships and boards: what the switcher lists, board rules, memberships."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cspdesk.db.engine import Database
from cspdesk.errors import ValidationError
from cspdesk.models import Board, Membership, Partnership


@dataclass(frozen=True)
class BoardRow:
    id: int
    partnership_id: int
    name: str
    default_start: dt.time | None
    default_end: dt.time | None
    default_venue: str | None
    quorum_min: int | None
    quorum_fraction: str | None
    one_vote_per_organisation: bool
    chair_casting_vote: bool
    paper_deadline_working_days: int
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    former_names: tuple[tuple[str, dt.date | None], ...] = ()
    version: int = 0
    notes: str | None = None


@dataclass(frozen=True)
class PartnershipRow:
    id: int
    name: str
    short_name: str | None
    boards: tuple[BoardRow, ...]

    @property
    def label(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class MemberRow:
    id: int
    person_id: int
    person: str
    organisation: str | None
    category: str
    role: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    version: int = 0
    organisation_id: int | None = None

    def current(self, on: dt.date) -> bool:
        """Whether the seat is held on ``on``."""
        return not ((self.start_date and self.start_date > on)
                    or (self.end_date and self.end_date < on))


def _board_row(b: Board) -> BoardRow:
    return BoardRow(b.id, b.partnership_id, b.name, b.default_start, b.default_end,
                    b.default_venue, b.quorum_min, b.quorum_fraction,
                    b.one_vote_per_organisation, b.chair_casting_vote,
                    b.paper_deadline_working_days, b.contact_name, b.contact_email,
                    b.contact_phone, tuple((n.name, n.until) for n in b.former_names),
                    b.version, b.notes)


def list_partnerships(db: Database) -> list[PartnershipRow]:
    """Every partnership with its boards, by name."""
    stmt = (select(Partnership)
            .options(selectinload(Partnership.boards).selectinload(Board.former_names))
            .order_by(Partnership.name))
    with db.session() as s:
        return [PartnershipRow(p.id, p.name, p.short_name,
                               tuple(_board_row(b) for b in p.boards))
                for p in s.scalars(stmt)]


def find_partnership(db: Database, name: str) -> PartnershipRow:
    """Match a partnership by name or short name (case-insensitive, substring allowed)."""
    rows = list_partnerships(db)
    key = name.strip().lower()
    exact = [p for p in rows if key in (p.name.lower(), (p.short_name or "").lower())]
    if exact:
        return exact[0]
    partial = [p for p in rows if key in p.name.lower() or key in (p.short_name or "").lower()]
    if len(partial) == 1:
        return partial[0]
    names = ", ".join(p.label for p in rows) or "none"
    raise ValidationError(f"No single partnership matches '{name}'. Known partnerships: {names}.")


def get_board(db: Database, board_id: int) -> BoardRow:
    with db.session() as s:
        board = s.get(Board, board_id, options=[selectinload(Board.former_names)])
        if board is None:
            raise ValidationError("That board no longer exists.")
        return _board_row(board)


def board_members(db: Database, board_id: int, on: dt.date | None = None) -> list[MemberRow]:
    """Memberships of a board, current on ``on`` when given."""
    stmt = (select(Membership).where(Membership.board_id == board_id)
            .options(selectinload(Membership.person), selectinload(Membership.organisation)))
    with db.session() as s:
        rows = []
        for m in s.scalars(stmt):
            if on and ((m.start_date and m.start_date > on) or (m.end_date and m.end_date < on)):
                continue
            org = m.organisation or m.person.organisation
            rows.append(MemberRow(m.id, m.person_id, m.person.name, org.name if org else None,
                                  m.category, m.role, m.start_date, m.end_date, m.version,
                                  m.organisation_id))
        return sorted(rows, key=lambda r: (r.category, r.person.lower()))
