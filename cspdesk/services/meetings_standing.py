"""A board's standing items: the items every agenda of the board starts or ends with.

A board without its own list uses the usual set (``agenda.DEFAULT_STANDING``). Saving replaces
the whole list in one unit of work and returns the list it replaced, so the UI can undo it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cspdesk.db.engine import Database
from cspdesk.errors import ValidationError
from cspdesk.models import Board
from cspdesk.models.meeting import ItemKind, Purpose
from cspdesk.models.paper import StandingItem
from cspdesk.services.agenda import DEFAULT_STANDING
from cspdesk.services.people import clean_text


@dataclass(frozen=True)
class StandingRow:
    """One standing item as the editor shows it."""

    title: str
    purpose: str | None = None
    duration: int = 5
    kind: str = ItemKind.VERBAL.value
    at_end: bool = False
    generated_key: str | None = None


@dataclass(frozen=True)
class StandingList:
    """A board's standing items; ``own`` is False when the usual set applies."""

    board_id: int
    rows: tuple[StandingRow, ...]
    own: bool


def default_rows() -> tuple[StandingRow, ...]:
    """The usual set (welcome and apologies ... date of next meeting)."""
    return tuple(StandingRow(*d) for d in DEFAULT_STANDING)


def get_standing(db: Database, board_id: int) -> StandingList:
    """The board's standing items in order, or the usual set when it has none of its own."""
    with db.session() as s:
        return _read(s, board_id)


def _read(s: Session, board_id: int) -> StandingList:
    if s.get(Board, board_id) is None:
        raise ValidationError("That board no longer exists; refresh the page.")
    rows = list(s.scalars(select(StandingItem).where(StandingItem.board_id == board_id)
                          .order_by(StandingItem.position, StandingItem.id)))
    if not rows:
        return StandingList(board_id, default_rows(), False)
    return StandingList(board_id, tuple(
        StandingRow(r.title, r.purpose, r.duration or 0, r.kind, r.at_end, r.generated_key)
        for r in rows), True)


def _validate(rows: list[StandingRow] | tuple[StandingRow, ...]) -> list[StandingRow]:
    out: list[StandingRow] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        title = clean_text(row.title)
        if not title:
            raise ValidationError(f"Standing item {number} has no title; enter one or remove "
                                  "the item.", field="title")
        if title.casefold() in seen:
            raise ValidationError(f"'{title}' is listed twice; remove one of them.",
                                  field="title")
        seen.add(title.casefold())
        if row.purpose not in (None, *(p.value for p in Purpose)):
            raise ValidationError(f"'{row.purpose}' is not an agenda purpose.", field="purpose")
        if row.kind not in {k.value for k in ItemKind}:
            raise ValidationError(f"'{row.kind}' is not paper, verbal or presentation.",
                                  field="kind")
        if not 0 <= int(row.duration) <= 480:
            raise ValidationError(f"'{title}' must take between 0 and 480 minutes.",
                                  field="duration")
        out.append(StandingRow(title, row.purpose, int(row.duration), row.kind,
                               bool(row.at_end), row.generated_key or None))
    return out


def set_standing(db: Database, board_id: int,
                 rows: list[StandingRow] | tuple[StandingRow, ...] | None) -> StandingList:
    """Replace the board's standing items (``None`` or an empty list: the usual set).

    Returns the list as it was before, for undo."""
    clean = _validate(rows) if rows is not None else None
    with db.session() as s:
        before = _read(s, board_id)
        s.execute(delete(StandingItem).where(StandingItem.board_id == board_id))
        for position, row in enumerate(clean or (), start=1):
            s.add(StandingItem(board_id=board_id, position=position, title=row.title,
                               purpose=row.purpose, duration=row.duration, kind=row.kind,
                               at_end=row.at_end, generated_key=row.generated_key))
    return before


def restore_standing(db: Database, previous: StandingList) -> None:
    """Put back a list returned by ``set_standing``."""
    set_standing(db, previous.board_id, previous.rows if previous.own else None)
