"""Setting up a partnership's budget: opening a financial year, and deleting a funding stream
in a way that can be put back (its years and grants with it).

Each function is one unit of work; no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cspdesk.dates import financial_year_label
from cspdesk.db.engine import Database
from cspdesk.errors import ReferencedError, UserError, ValidationError
from cspdesk.models.budget import (
    BudgetLine,
    BudgetLineSplit,
    FundingStream,
    GrantIncome,
    LedgerEntry,
    StreamYear,
)
from cspdesk.services import budget
from cspdesk.services.budget import GrantInput, StreamInput, StreamYearInput
from cspdesk.services.budget_figures import StreamFact, load_facts


@dataclass(frozen=True)
class StreamSnapshot:
    """A deleted funding stream with its years and grants, to put it back."""

    partnership_id: int
    position: int
    stream: StreamInput
    years: tuple[tuple[int, StreamYearInput], ...]
    grants: tuple[GrantInput, ...]


def recorded_years(db: Database, partnership_id: int) -> list[int]:
    """The financial years (start years) that have anything recorded."""
    return load_facts(db, partnership_id).years()


def open_year(db: Database, partnership_id: int, year: int) -> list[int]:
    """Open a financial year: every stream gets a year row with no opening override, so its
    opening is the previous year's closing balance carried forward. Returns the new row ids."""
    if not 1990 <= int(year) <= 2100:
        raise ValidationError(f"{year} is not a financial year to budget for.", field="year")
    with db.session() as s:
        streams = list(s.scalars(select(FundingStream).where(
            FundingStream.partnership_id == partnership_id)
            .order_by(FundingStream.position, FundingStream.id)))
        if not streams:
            raise UserError("Add a funding stream first; a financial year holds each stream's "
                            "balance.")
        ids = [st.id for st in streams]
        active = _active_before(s, partnership_id, ids, year) or set(ids)
        have = set(s.scalars(select(StreamYear.stream_id).where(
            StreamYear.stream_id.in_(ids), StreamYear.year == year)))
        rows = [StreamYear(stream_id=st.id, year=year) for st in streams
                if st.id in active and st.id not in have]
        if not rows:
            raise UserError(f"{financial_year_label(year)} is already open for every stream in "
                            "use.")
        s.add_all(rows)
        s.flush()
        return [r.id for r in rows]


def _active_before(s: Session, partnership_id: int, ids: list[int], year: int) -> set[int]:
    """Streams in use in the last recorded year before ``year`` (a year row, a grant or a
    line's split), so that long-finished streams are not reopened."""
    years = [
        s.scalar(select(func.max(StreamYear.year)).where(StreamYear.stream_id.in_(ids),
                                                         StreamYear.year < year)),
        s.scalar(select(func.max(GrantIncome.year)).where(GrantIncome.stream_id.in_(ids),
                                                          GrantIncome.year < year)),
        s.scalar(select(func.max(BudgetLine.year)).where(
            BudgetLine.partnership_id == partnership_id, BudgetLine.year < year)),
    ]
    found = [y for y in years if y is not None]
    if not found:
        return set()
    prev = max(found)
    active = set(s.scalars(select(StreamYear.stream_id).where(StreamYear.stream_id.in_(ids),
                                                              StreamYear.year == prev)))
    active |= set(s.scalars(select(GrantIncome.stream_id).where(GrantIncome.stream_id.in_(ids),
                                                                GrantIncome.year == prev)))
    active |= set(s.scalars(select(BudgetLineSplit.stream_id).join(BudgetLine).where(
        BudgetLine.partnership_id == partnership_id, BudgetLine.year == prev)))
    return active


def remove_year_rows(db: Database, row_ids: list[int]) -> None:
    """Undo ``open_year``: delete the year rows it made (if still there)."""
    with db.session() as s:
        for row_id in row_ids:
            row = s.get(StreamYear, row_id)
            if row is not None:
                s.delete(row)


def delete_stream(db: Database, stream_id: int) -> StreamSnapshot:
    """Delete a stream no line or transaction uses; returns what ``restore_stream`` puts back."""
    with db.session() as s:
        st = s.get(FundingStream, stream_id)
        if st is None:
            raise UserError("That funding stream no longer exists; refresh the page.")
        snap = StreamSnapshot(
            st.partnership_id, st.position,
            StreamInput(st.name, st.short_name, st.kind, st.rollover_needs_permission, st.notes),
            tuple((y.year, StreamYearInput(y.opening_override, y.opening_reason,
                                           y.rollover_permitted, y.rollover_permission_date,
                                           y.rollover_note)) for y in st.years),
            tuple(GrantInput(g.stream_id, g.year, g.source, g.amount, g.status, g.status_date,
                             g.reference, g.notes) for g in st.grants))
        used = s.scalar(select(func.count()).select_from(BudgetLineSplit).where(
            BudgetLineSplit.stream_id == stream_id)) or 0
        used += s.scalar(select(func.count()).select_from(LedgerEntry).where(
            LedgerEntry.stream_id == stream_id)) or 0
        if used:
            raise ReferencedError(f"{st.name} cannot be deleted: budget lines or transactions "
                                  "use it. Move them to another stream first.")
        s.delete(st)
        return snap


def restore_stream(db: Database, snap: StreamSnapshot) -> StreamFact:
    """Put back a deleted stream with its years and grants (a new id, the old position)."""
    with db.session() as s:
        budget._check_unique_stream(s, snap.partnership_id, snap.stream.name, None)
        st = FundingStream(partnership_id=snap.partnership_id, position=snap.position,
                           **vars(snap.stream))
        s.add(st)
        s.flush()
        for year, data in snap.years:
            s.add(StreamYear(stream_id=st.id, year=year, opening_override=data.opening_override,
                             opening_reason=data.opening_reason,
                             rollover_permitted=data.rollover_permitted,
                             rollover_permission_date=data.permission_date,
                             rollover_note=data.rollover_note))
        for g in snap.grants:
            s.add(GrantIncome(stream_id=st.id, year=g.year, source=g.source, amount=g.amount,
                              status=g.status, status_date=g.status_date, reference=g.reference,
                              notes=g.notes))
        s.flush()
        return budget._stream_fact(st)
