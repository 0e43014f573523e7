"""Budget records: funding streams and their years, grant income, budget lines, ledger entries.

Each function is one unit of work; updates take the row version the form was opened with.
Deletes return what is needed to put the record back (the UI's undo).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from cspdesk.dates import financial_year_bounds, financial_year_label, format_date
from cspdesk.db.engine import Database
from cspdesk.errors import ReferencedError, ValidationError
from cspdesk.models import Partnership
from cspdesk.models.budget import (
    BudgetLine,
    BudgetLineSplit,
    EntryKind,
    FundingStream,
    GrantIncome,
    GrantStatus,
    LedgerEntry,
    LineStatus,
    StreamKind,
    StreamYear,
)
from cspdesk.money import ZERO, quantize
from cspdesk.services.budget_figures import (
    EntryFact,
    GrantFact,
    LineFact,
    StreamFact,
    StreamYearFact,
)
from cspdesk.services.people import _load_checked, clean_text


@dataclass
class StreamInput:
    name: str
    short_name: str | None = None
    kind: str = StreamKind.OTHER.value
    rollover_needs_permission: bool = False
    notes: str | None = None


@dataclass
class StreamYearInput:
    opening_override: Decimal | None = None
    opening_reason: str | None = None
    rollover_permitted: bool = False
    permission_date: dt.date | None = None
    rollover_note: str | None = None


@dataclass
class GrantInput:
    stream_id: int
    year: int
    source: str
    amount: Decimal
    status: str = GrantStatus.TBC.value
    status_date: dt.date | None = None
    reference: str | None = None
    notes: str | None = None


@dataclass
class LineInput:
    year: int
    item: str
    splits: dict[int, Decimal] = field(default_factory=dict)
    category: str | None = None
    projected_outturn: Decimal | None = None
    status: str = LineStatus.AGREED.value
    notes: str | None = None
    position: int | None = None


@dataclass
class EntryInput:
    line_id: int
    stream_id: int
    date: dt.date
    amount: Decimal
    kind: str = EntryKind.PAYMENT.value
    counterparty: str | None = None
    reference: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class LineSnapshot:
    """A deleted line with its ledger, to put it back."""

    partnership_id: int
    line: LineInput
    entries: tuple[EntryInput, ...]
    action_ids: tuple[int, ...] = ()  # plan actions paid from the line


# ---------------------------------------------------------------- helpers


def _money(value: Decimal | int | str | None, what: str, fld: str, *,
           allow_none: bool = False, positive: bool = False) -> Decimal | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise ValidationError(f"Enter the {what}.", field=fld)
    if isinstance(value, float):
        raise ValidationError(f"The {what} must be exact money, not a float.", field=fld)
    amount = Decimal(value)
    if amount != quantize(amount):
        raise ValidationError(f"The {what} has fractions of a penny; round it to the penny.",
                              field=fld)
    if amount < 0 or (positive and amount == 0):
        raise ValidationError(f"The {what} must be more than £0.00." if positive else
                              f"The {what} cannot be negative.", field=fld)
    return quantize(amount)


def _year(year: int) -> int:
    if not 1990 <= int(year) <= 2100:
        raise ValidationError(f"{year} is not a financial year to budget for.", field="year")
    return int(year)


def _stream_of(s: Session, partnership_id: int, stream_id: int) -> FundingStream:
    stream = s.get(FundingStream, stream_id)
    if stream is None or stream.partnership_id != partnership_id:
        raise ValidationError("Choose a funding stream of this partnership.", field="stream")
    return stream


def _stream_fact(st: FundingStream) -> StreamFact:
    return StreamFact(st.id, st.version, st.name, st.short_name, st.kind,
                      st.rollover_needs_permission, st.position, st.notes)


def _grant_fact(g: GrantIncome) -> GrantFact:
    return GrantFact(g.id, g.version, g.stream_id, g.year, g.source, g.amount, g.status,
                     g.status_date, g.reference, g.notes)


def _line_fact(ln: BudgetLine) -> LineFact:
    return LineFact(ln.id, ln.version, ln.year, ln.position, ln.item, ln.category,
                    ln.projected_outturn, ln.status, ln.notes,
                    {sp.stream_id: sp.amount for sp in ln.splits})


def _entry_fact(e: LedgerEntry) -> EntryFact:
    return EntryFact(e.id, e.version, e.line_id, e.stream_id, e.date, e.kind, e.amount,
                     e.counterparty, e.reference, e.note)


# ---------------------------------------------------------------- streams


def list_streams(db: Database, partnership_id: int) -> list[StreamFact]:
    with db.session() as s:
        rows = s.scalars(select(FundingStream).where(FundingStream.partnership_id == partnership_id)
                         .order_by(FundingStream.position, FundingStream.id))
        return [_stream_fact(st) for st in rows]


def _validate_stream(data: StreamInput) -> StreamInput:
    name = clean_text(data.name)
    if not name:
        raise ValidationError("Enter the funding stream's name.", field="name")
    if data.kind not in {k.value for k in StreamKind}:
        raise ValidationError(f"'{data.kind}' is not a kind of funding stream.", field="kind")
    return StreamInput(name, clean_text(data.short_name) or None, data.kind,
                       bool(data.rollover_needs_permission), (data.notes or "").strip() or None)


def add_stream(db: Database, partnership_id: int, data: StreamInput) -> StreamFact:
    """Add a funding stream; names are unique within the partnership."""
    data = _validate_stream(data)
    with db.session() as s:
        if s.get(Partnership, partnership_id) is None:
            raise ValidationError("Choose a partnership first.")
        _check_unique_stream(s, partnership_id, data.name, None)
        position = s.scalar(select(func.count()).select_from(FundingStream).where(
            FundingStream.partnership_id == partnership_id)) or 0
        st = FundingStream(partnership_id=partnership_id, position=position, **vars(data))
        s.add(st)
        s.flush()
        return _stream_fact(st)


def _check_unique_stream(s: Session, partnership_id: int, name: str, own_id: int | None) -> None:
    clash = s.scalar(select(FundingStream.id).where(
        FundingStream.partnership_id == partnership_id,
        func.lower(FundingStream.name) == name.lower()))
    if clash is not None and clash != own_id:
        raise ValidationError(f"There is already a funding stream called {name}.", field="name")


def update_stream(db: Database, stream_id: int, data: StreamInput,
                  version: int | None = None) -> StreamFact:
    data = _validate_stream(data)
    with db.session() as s:
        st = _load_checked(s, FundingStream, stream_id, version, "funding stream")
        _check_unique_stream(s, st.partnership_id, data.name, st.id)
        for key, value in vars(data).items():
            setattr(st, key, value)
        s.flush()
        return _stream_fact(st)


def delete_stream(db: Database, stream_id: int) -> None:
    """Delete a stream that no line or transaction uses (its grants and years go with it)."""
    with db.session() as s:
        st = _load_checked(s, FundingStream, stream_id, None, "funding stream")
        used = s.scalar(select(func.count()).select_from(BudgetLineSplit).where(
            BudgetLineSplit.stream_id == stream_id)) or 0
        used += s.scalar(select(func.count()).select_from(LedgerEntry).where(
            LedgerEntry.stream_id == stream_id)) or 0
        if used:
            raise ReferencedError(f"{st.name} cannot be deleted: budget lines or transactions "
                                  "use it. Move them to another stream first.")
        s.delete(st)


def get_stream_year(db: Database, stream_id: int, year: int) -> StreamYearFact | None:
    with db.session() as s:
        row = s.scalar(select(StreamYear).where(StreamYear.stream_id == stream_id,
                                                StreamYear.year == year))
        return _stream_year_fact(row) if row else None


def _stream_year_fact(y: StreamYear) -> StreamYearFact:
    return StreamYearFact(y.id, y.version, y.stream_id, y.year, y.opening_override,
                          y.opening_reason, y.rollover_permitted, y.rollover_permission_date,
                          y.rollover_note)


def set_stream_year(db: Database, stream_id: int, year: int, data: StreamYearInput,
                    version: int | None = None) -> StreamYearFact:
    """Record a stream's opening override (with its reason) and rollover permission for a year."""
    year = _year(year)
    override = _money(data.opening_override, "opening balance", "opening_override",
                      allow_none=True)
    reason = (data.opening_reason or "").strip() or None
    if override is not None and not reason:
        raise ValidationError("Give the reason for entering the opening balance by hand.",
                              field="opening_reason")
    with db.session() as s:
        stream = s.get(FundingStream, stream_id)
        if stream is None:
            raise ValidationError("That funding stream no longer exists; refresh the page.")
        needs_date = data.rollover_permitted and stream.rollover_needs_permission
        if needs_date and not data.permission_date:
            raise ValidationError("Enter the date the rollover was permitted.",
                                  field="permission_date")
        row = s.scalar(select(StreamYear).where(StreamYear.stream_id == stream_id,
                                                StreamYear.year == year))
        if row is None:
            row = StreamYear(stream_id=stream_id, year=year)
            s.add(row)
        elif version is not None:
            row = _load_checked(s, StreamYear, row.id, version, "funding year")
        row.opening_override = override
        row.opening_reason = reason if override is not None else None
        row.rollover_permitted = bool(data.rollover_permitted)
        row.rollover_permission_date = data.permission_date if data.rollover_permitted else None
        row.rollover_note = (data.rollover_note or "").strip() or None
        s.flush()
        return _stream_year_fact(row)


def stream_year_input(fact: StreamYearFact | None) -> StreamYearInput:
    """The input that recreates a stream year (for undo)."""
    if fact is None:
        return StreamYearInput()
    return StreamYearInput(fact.opening_override, fact.opening_reason, fact.rollover_permitted,
                           fact.permission_date, fact.rollover_note)


# ---------------------------------------------------------------- grants


def _validate_grant(s: Session, data: GrantInput) -> GrantInput:
    source = clean_text(data.source)
    if not source:
        raise ValidationError("Enter where the grant comes from.", field="source")
    if data.status not in {g.value for g in GrantStatus}:
        raise ValidationError(f"'{data.status}' is not a grant status.", field="status")
    amount = _money(data.amount, "grant amount", "amount")
    if s.get(FundingStream, data.stream_id) is None:
        raise ValidationError("Choose the funding stream the grant pays into.", field="stream")
    return GrantInput(data.stream_id, _year(data.year), source, amount, data.status,
                      data.status_date, clean_text(data.reference) or None,
                      (data.notes or "").strip() or None)


def add_grant(db: Database, data: GrantInput) -> GrantFact:
    with db.session() as s:
        data = _validate_grant(s, data)
        g = GrantIncome(**vars(data))
        s.add(g)
        s.flush()
        return _grant_fact(g)


def update_grant(db: Database, grant_id: int, data: GrantInput,
                 version: int | None = None) -> GrantFact:
    with db.session() as s:
        data = _validate_grant(s, data)
        g = _load_checked(s, GrantIncome, grant_id, version, "grant")
        for key, value in vars(data).items():
            setattr(g, key, value)
        s.flush()
        return _grant_fact(g)


def delete_grant(db: Database, grant_id: int) -> GrantInput:
    """Delete a grant; returns its input so it can be put back."""
    with db.session() as s:
        g = _load_checked(s, GrantIncome, grant_id, None, "grant")
        kept = GrantInput(g.stream_id, g.year, g.source, g.amount, g.status, g.status_date,
                          g.reference, g.notes)
        s.delete(g)
        return kept


def grant_input(g: GrantFact) -> GrantInput:
    return GrantInput(g.stream_id, g.year, g.source, g.amount, g.status, g.status_date,
                      g.reference, g.notes)


# ---------------------------------------------------------------- lines


def _validate_line(s: Session, partnership_id: int, data: LineInput) -> LineInput:
    item = clean_text(data.item)
    if not item:
        raise ValidationError("Enter the budget line's item.", field="item")
    if data.status not in {v.value for v in LineStatus}:
        raise ValidationError(f"'{data.status}' is not a line status.", field="status")
    splits: dict[int, Decimal] = {}
    for stream_id, amount in data.splits.items():
        stream = _stream_of(s, partnership_id, stream_id)
        value = _money(amount, f"amount from {stream.name}", "splits", allow_none=True)
        if value is not None:
            splits[stream_id] = value
    projected = _money(data.projected_outturn, "projected outturn", "projected_outturn",
                       allow_none=True)
    return LineInput(_year(data.year), item, splits, clean_text(data.category) or None,
                     projected, data.status, (data.notes or "").strip() or None, data.position)


def list_lines(db: Database, partnership_id: int, year: int) -> list[LineFact]:
    with db.session() as s:
        rows = s.scalars(select(BudgetLine).where(BudgetLine.partnership_id == partnership_id,
                                                  BudgetLine.year == year)
                         .order_by(BudgetLine.position, BudgetLine.id))
        return [_line_fact(ln) for ln in rows]


def add_line(db: Database, partnership_id: int, data: LineInput) -> LineFact:
    """Add a line at the end of the year's plan (or at ``data.position``)."""
    with db.session() as s:
        data = _validate_line(s, partnership_id, data)
        position = data.position
        if position is None:
            position = (s.scalar(select(func.max(BudgetLine.position)).where(
                BudgetLine.partnership_id == partnership_id,
                BudgetLine.year == data.year)) or 0) + 1
        line = BudgetLine(partnership_id=partnership_id, year=data.year, position=position,
                          item=data.item, category=data.category,
                          projected_outturn=data.projected_outturn, status=data.status,
                          notes=data.notes,
                          splits=[BudgetLineSplit(stream_id=k, amount=v)
                                  for k, v in data.splits.items()])
        s.add(line)
        s.flush()
        return _line_fact(line)


def update_line(db: Database, line_id: int, data: LineInput,
                version: int | None = None) -> LineFact:
    """Save a line's fields and its split between streams."""
    with db.session() as s:
        return session_update_line(s, line_id, data, version)


def session_update_line(s: Session, line_id: int, data: LineInput,
                        version: int | None = None) -> LineFact:
    """``update_line`` inside a caller's unit of work (saving the line with its action links)."""
    line = _load_checked(s, BudgetLine, line_id, version, "budget line")
    data = _validate_line(s, line.partnership_id, data)
    if data.year != line.year and line.entries:
        raise ValidationError("This line has transactions, so its year cannot change; "
                              "add a new line in the other year instead.", field="year")
    line.year, line.item, line.category = data.year, data.item, data.category
    line.projected_outturn, line.status, line.notes = (data.projected_outturn, data.status,
                                                       data.notes)
    if data.position is not None:
        line.position = data.position
    existing = {sp.stream_id: sp for sp in line.splits}
    for stream_id, sp in existing.items():
        if stream_id not in data.splits:
            line.splits.remove(sp)
        elif sp.amount != data.splits[stream_id]:
            sp.amount = data.splits[stream_id]
    for stream_id, amount in data.splits.items():
        if stream_id not in existing:
            line.splits.append(BudgetLineSplit(stream_id=stream_id, amount=amount))
    s.flush()
    return _line_fact(line)


def line_input(f: LineFact) -> LineInput:
    return LineInput(f.year, f.item, dict(f.splits), f.category, f.projected_override,
                     f.status, f.notes, f.position)


def delete_line(db: Database, line_id: int) -> LineSnapshot:
    """Delete a line and its transactions; returns a snapshot that ``restore_line`` puts back."""
    with db.session() as s:
        line = _load_checked(s, BudgetLine, line_id, None, "budget line")
        snap = LineSnapshot(line.partnership_id, line_input(_line_fact(line)),
                            tuple(entry_input(_entry_fact(e)) for e in line.entries),
                            _unlink_actions(s, line_id))
        s.delete(line)
        return snap


def _unlink_actions(s: Session, line_id: int) -> tuple[int, ...]:
    """Actions paid from a deleted line keep their cost but lose the link; returns their ids."""
    from cspdesk.models.actions import PlanAction

    ids = tuple(s.scalars(select(PlanAction.id).where(PlanAction.budget_line_id == line_id)))
    s.execute(update(PlanAction).where(PlanAction.budget_line_id == line_id)
              .values(budget_line_id=None))
    return ids


def restore_line(db: Database, snap: LineSnapshot) -> LineFact:
    """Put back a deleted line with its transactions (a new id) and its links from the
    actions that were paid from it (those that still exist and have no other line)."""
    from cspdesk.models.actions import PlanAction

    fact = add_line(db, snap.partnership_id, snap.line)
    for e in snap.entries:
        add_entry(db, EntryInput(fact.id, e.stream_id, e.date, e.amount, e.kind,
                                 e.counterparty, e.reference, e.note))
    if snap.action_ids:
        with db.session() as s:
            s.execute(update(PlanAction).where(PlanAction.id.in_(snap.action_ids),
                                               PlanAction.budget_line_id.is_(None))
                      .values(budget_line_id=fact.id))
    return fact


def line_total(db: Database, line_id: int) -> Decimal:
    """A line's total amount (its profiled budget: the sum of its split between streams)."""
    with db.session() as s:
        return session_line_total(s, line_id)


def session_line_total(s: Session, line_id: int) -> Decimal:
    """``line_total`` inside a caller's unit of work (the action plan's budget link check)."""
    amounts = s.scalars(select(BudgetLineSplit.amount).where(BudgetLineSplit.line_id == line_id))
    return sum(amounts, ZERO)


def session_line_label(s: Session, line_id: int) -> tuple[str, bool] | None:
    """(item, has a split) of a budget line, or None if it no longer exists."""
    line = s.get(BudgetLine, line_id)
    return (line.item, bool(line.splits)) if line is not None else None


def line_choices(db: Database, partnership_id: int | None = None) -> list[tuple[int, str]]:
    """(id, '2020/21: item') of budget lines, for the action form's drop-down."""
    stmt = select(BudgetLine).order_by(BudgetLine.year, BudgetLine.position, BudgetLine.id)
    if partnership_id is not None:
        stmt = stmt.where(BudgetLine.partnership_id == partnership_id)
    with db.session() as s:
        return [(ln.id, f"{financial_year_label(ln.year)}: {ln.item}") for ln in s.scalars(stmt)]


# ---------------------------------------------------------------- ledger


def _validate_entry(s: Session, data: EntryInput) -> tuple[EntryInput, BudgetLine]:
    line = s.get(BudgetLine, data.line_id)
    if line is None:
        raise ValidationError("That budget line no longer exists; refresh the page.")
    _stream_of(s, line.partnership_id, data.stream_id)
    if data.kind not in {k.value for k in EntryKind}:
        raise ValidationError(f"'{data.kind}' is not a kind of transaction.", field="kind")
    if data.date is None:
        raise ValidationError("Enter the transaction date.", field="date")
    start, end = financial_year_bounds(line.year)
    if not start <= data.date <= end:
        raise ValidationError(
            f"{format_date(data.date)} is outside {financial_year_label(line.year)} "
            f"({format_date(start)} to {format_date(end)}); choose a date in the line's year.",
            field="date")
    amount = _money(data.amount, "amount", "amount", positive=True)
    return EntryInput(data.line_id, data.stream_id, data.date, amount, data.kind,
                      clean_text(data.counterparty) or None, clean_text(data.reference) or None,
                      (data.note or "").strip() or None), line


def list_entries(db: Database, line_id: int) -> list[EntryFact]:
    with db.session() as s:
        rows = s.scalars(select(LedgerEntry).where(LedgerEntry.line_id == line_id)
                         .order_by(LedgerEntry.date, LedgerEntry.id))
        return [_entry_fact(e) for e in rows]


def add_entry(db: Database, data: EntryInput) -> EntryFact:
    """Record a payment, a credit (income inside the line) or a commitment."""
    with db.session() as s:
        data, _line = _validate_entry(s, data)
        e = LedgerEntry(**vars(data))
        s.add(e)
        s.flush()
        return _entry_fact(e)


def update_entry(db: Database, entry_id: int, data: EntryInput,
                 version: int | None = None) -> EntryFact:
    with db.session() as s:
        e = _load_checked(s, LedgerEntry, entry_id, version, "transaction")
        data, _line = _validate_entry(s, data)
        for key, value in vars(data).items():
            setattr(e, key, value)
        s.flush()
        return _entry_fact(e)


def delete_entry(db: Database, entry_id: int) -> EntryInput:
    """Delete a transaction; returns its input so it can be put back."""
    with db.session() as s:
        e = _load_checked(s, LedgerEntry, entry_id, None, "transaction")
        kept = entry_input(_entry_fact(e))
        s.delete(e)
        return kept


def entry_input(e: EntryFact) -> EntryInput:
    return EntryInput(e.line_id, e.stream_id, e.date, e.amount, e.kind, e.counterparty,
                      e.reference, e.note)
