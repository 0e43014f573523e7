"""Computed budget figures, never typed: per stream and year, per line, totals and warnings.

``load_facts`` reads a partnership's stored facts once; ``compute_year`` is a pure function of
those facts, so the same arithmetic serves the UI, the PDFs, the XLSX and the property tests.
Money stays ``Decimal`` throughout (sums of whole pence: no rounding can drift).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import BigInteger, String, select, type_coerce
from sqlalchemy.orm import selectinload

from cspdesk import clock
from cspdesk.dates import financial_year_bounds, financial_year_label
from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import Partnership
from cspdesk.models.budget import (
    BudgetLine,
    EntryKind,
    FundingStream,
    GrantIncome,
    GrantStatus,
    LedgerEntry,
    StreamYear,
)
from cspdesk.money import ZERO, format_money, from_pence

# ---------------------------------------------------------------- stored facts


@dataclass(frozen=True)
class StreamFact:
    id: int
    version: int
    name: str
    short_name: str | None
    kind: str
    needs_permission: bool
    position: int = 0
    notes: str | None = None

    @property
    def column(self) -> str:
        """Short column header ('OPCC', 'Pooled')."""
        return self.short_name or self.name


@dataclass(frozen=True)
class StreamYearFact:
    id: int
    version: int
    stream_id: int
    year: int
    opening_override: Decimal | None = None
    opening_reason: str | None = None
    rollover_permitted: bool = False
    permission_date: dt.date | None = None
    rollover_note: str | None = None


@dataclass(frozen=True)
class GrantFact:
    id: int
    version: int
    stream_id: int
    year: int
    source: str
    amount: Decimal
    status: str
    status_date: dt.date | None = None
    reference: str | None = None
    notes: str | None = None

    @property
    def status_label(self) -> str:
        return GrantStatus(self.status).label

    @property
    def counts(self) -> bool:
        return GrantStatus(self.status).counts


@dataclass(frozen=True)
class EntryFact:
    id: int
    version: int
    line_id: int
    stream_id: int
    date: dt.date
    kind: str
    amount: Decimal
    counterparty: str | None = None
    reference: str | None = None
    note: str | None = None

    @property
    def signed(self) -> Decimal:
        """Effect on spend: payments and commitments add, income (a credit) subtracts."""
        return -self.amount if self.kind == EntryKind.INCOME else self.amount

    @property
    def kind_label(self) -> str:
        return EntryKind(self.kind).label


@dataclass(frozen=True)
class LineFact:
    id: int
    version: int
    year: int
    position: int
    item: str
    category: str | None
    projected_override: Decimal | None
    status: str
    notes: str | None
    splits: Mapping[int, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Facts:
    """Everything stored for one partnership's budget."""

    partnership_id: int
    partnership: str
    streams: tuple[StreamFact, ...] = ()
    stream_years: tuple[StreamYearFact, ...] = ()
    grants: tuple[GrantFact, ...] = ()
    lines: tuple[LineFact, ...] = ()
    entries: tuple[EntryFact, ...] = ()

    def years(self) -> list[int]:
        found = {y.year for y in self.stream_years} | {g.year for g in self.grants}
        found |= {line.year for line in self.lines}
        return sorted(found)


# ---------------------------------------------------------------- computed figures


@dataclass(frozen=True)
class StreamFigures:
    stream: StreamFact
    year: int
    opening: Decimal
    computed_opening: Decimal | None  # closing of the previous recorded year, if any
    brought_from: int | None  # that previous year
    override_reason: str | None
    income: Decimal  # confirmed grants (agreed, signed, paid)
    income_tbc: Decimal
    grants: tuple[GrantFact, ...]
    allocated: Decimal
    committed: Decimal
    actual: Decimal
    rollover_permitted: bool
    permission_date: dt.date | None
    stream_year: StreamYearFact | None

    @property
    def overridden(self) -> bool:
        return self.stream_year is not None and self.stream_year.opening_override is not None

    @property
    def available(self) -> Decimal:
        return self.opening + self.income

    @property
    def closing(self) -> Decimal:
        """Opening + income − actual spend: carried into the next year's opening."""
        return self.available - self.actual

    @property
    def remaining(self) -> Decimal:
        """What is left after spending and commitments."""
        return self.available - self.actual - self.committed

    @property
    def unallocated(self) -> Decimal:
        return self.available - self.allocated


@dataclass(frozen=True)
class LineFigures:
    line: LineFact
    entries: tuple[EntryFact, ...]
    actual_by_stream: Mapping[int, Decimal]
    committed_by_stream: Mapping[int, Decimal]
    year_ended: bool

    @property
    def id(self) -> int:
        return self.line.id

    @property
    def profiled(self) -> Decimal:
        return sum(self.line.splits.values(), ZERO)

    @property
    def actual(self) -> Decimal:
        return sum(self.actual_by_stream.values(), ZERO)

    @property
    def committed(self) -> Decimal:
        return sum(self.committed_by_stream.values(), ZERO)

    @property
    def outturn(self) -> Decimal:
        """Spent plus committed."""
        return self.actual + self.committed

    @property
    def projected(self) -> Decimal:
        """Typed forecast, else the outturn once the year is over, else the profile."""
        if self.line.projected_override is not None:
            return self.line.projected_override
        return self.outturn if self.year_ended else self.profiled

    @property
    def variance(self) -> Decimal:
        """Profiled − projected: positive is an underspend."""
        return self.profiled - self.projected


@dataclass(frozen=True)
class BudgetWarning:
    text: str
    severity: str = "warning"  # info | warning
    stream_id: int | None = None
    line_id: int | None = None


@dataclass(frozen=True)
class YearFigures:
    partnership_id: int
    partnership: str
    year: int
    streams: tuple[StreamFigures, ...]
    lines: tuple[LineFigures, ...]
    warnings: tuple[BudgetWarning, ...]
    years: tuple[int, ...]

    @property
    def label(self) -> str:
        return financial_year_label(self.year)

    def total(self, attr: str) -> Decimal:
        """Sum of a stream figure (opening, income, available, allocated, actual, closing, ...)."""
        return sum((getattr(s, attr) for s in self.streams), ZERO)

    def line_total(self, attr: str) -> Decimal:
        """Sum of a line figure (profiled, committed, actual, projected, variance)."""
        return sum((getattr(lf, attr) for lf in self.lines), ZERO)

    def stream_total(self, stream_id: int) -> Decimal:
        """Sum of the lines' splits for one stream (the stream's column total)."""
        return sum((lf.line.splits.get(stream_id, ZERO) for lf in self.lines), ZERO)

    def stream(self, name: str) -> StreamFigures:
        """The stream called (or short-named) ``name``."""
        for s in self.streams:
            if name in (s.stream.name, s.stream.short_name):
                return s
        raise KeyError(name)


def _year_ended(year: int, today: dt.date) -> bool:
    return financial_year_bounds(year)[1] < today


def compute_all(facts: Facts, today: dt.date | None = None,
                extra_years: tuple[int, ...] = ()) -> dict[int, YearFigures]:
    """Figures for every recorded year; each opening is the previous recorded year's closing."""
    today = today or clock.today()
    years = sorted(set(facts.years()) | set(extra_years))
    line_year = {line.id: line.year for line in facts.lines}
    by_line: dict[int, list[EntryFact]] = {}
    for e in sorted(facts.entries, key=lambda e: (e.date, e.id)):
        by_line.setdefault(e.line_id, []).append(e)
    sy = {(y.stream_id, y.year): y for y in facts.stream_years}
    streams = sorted(facts.streams, key=lambda s: (s.position, s.id))

    spend: dict[tuple[int, int], list[Decimal]] = {}
    for e in facts.entries:
        cell = spend.setdefault((e.stream_id, line_year.get(e.line_id, 0)), [ZERO, ZERO])
        if e.kind == EntryKind.COMMITMENT:
            cell[1] += e.amount
        else:
            cell[0] += e.signed
    stream_figs: dict[int, list[StreamFigures]] = {y: [] for y in years}
    for stream in streams:
        carry: tuple[int, Decimal] | None = None
        for year in years:
            grants = tuple(g for g in facts.grants if g.stream_id == stream.id and g.year == year)
            actual, committed = spend.get((stream.id, year), (ZERO, ZERO))
            allocated = sum((line.splits.get(stream.id, ZERO) for line in facts.lines
                             if line.year == year), ZERO)
            row = sy.get((stream.id, year))
            computed = carry[1] if carry else None
            override = row.opening_override if row else None
            opening = override if override is not None else (computed or ZERO)
            fig = StreamFigures(
                stream, year, opening, computed, carry[0] if carry else None,
                row.opening_reason if row else None,
                sum((g.amount for g in grants if g.counts), ZERO),
                sum((g.amount for g in grants if not g.counts), ZERO), grants,
                allocated, committed, actual, bool(row and row.rollover_permitted),
                row.permission_date if row else None, row)
            if row or grants or allocated or actual or committed or opening:
                stream_figs[year].append(fig)
            carry = (year, fig.closing)

    out: dict[int, YearFigures] = {}
    for year in years:
        lines = []
        for line in sorted((ln for ln in facts.lines if ln.year == year),
                           key=lambda ln: (ln.position, ln.id)):
            entries = tuple(by_line.get(line.id, ()))
            act: dict[int, Decimal] = {}
            com: dict[int, Decimal] = {}
            for e in entries:
                target = com if e.kind == EntryKind.COMMITMENT else act
                target[e.stream_id] = target.get(e.stream_id, ZERO) + e.signed
            lines.append(LineFigures(line, entries, act, com, _year_ended(year, today)))
        out[year] = YearFigures(facts.partnership_id, facts.partnership, year,
                                tuple(stream_figs[year]), tuple(lines), (), tuple(years))
    for year, figs in out.items():
        nxt = out.get(_next(years, year))
        prev = out.get(_prev(years, year))
        out[year] = YearFigures(figs.partnership_id, figs.partnership, year, figs.streams,
                                figs.lines, tuple(_warnings(figs, prev, nxt)), figs.years)
    return out


def _next(years: list[int], year: int) -> int | None:
    later = [y for y in years if y > year]
    return later[0] if later else None


def _prev(years: list[int], year: int) -> int | None:
    earlier = [y for y in years if y < year]
    return earlier[-1] if earlier else None


def _rollover_warning(src: StreamFigures, dst: StreamFigures) -> BudgetWarning | None:
    """Unspent money that needs permission carried into the next year without it."""
    if (not src.stream.needs_permission or src.rollover_permitted or dst.overridden
            or src.closing <= 0):
        return None
    return BudgetWarning(
        f"{format_money(src.closing)} of {src.stream.name} unspent in "
        f"{financial_year_label(src.year)} rolls over into {financial_year_label(dst.year)} "
        "without recorded permission; record the permission and its date, or plan to return it.",
        "warning", src.stream.id)


def _warnings(figs: YearFigures, prev: YearFigures | None,
              nxt: YearFigures | None) -> list[BudgetWarning]:
    out: list[BudgetWarning] = []
    label = figs.label
    for s in figs.streams:
        name = s.stream.name
        if s.allocated > s.available:
            out.append(BudgetWarning(
                f"Lines allocate {format_money(s.allocated)} from {name} in {label} but only "
                f"{format_money(s.available)} is available (over by "
                f"{format_money(s.allocated - s.available)}).", "warning", s.stream.id))
        if s.remaining < 0:
            out.append(BudgetWarning(
                f"{name} goes negative in {label}: {format_money(s.remaining)} after spending "
                "and commitments.", "warning", s.stream.id))
        if prev is not None:
            before = next((p for p in prev.streams if p.stream.id == s.stream.id), None)
            if before is not None and (w := _rollover_warning(before, s)):
                out.append(w)
        if nxt is not None:
            after = next((n for n in nxt.streams if n.stream.id == s.stream.id), None)
            if after is not None and (w := _rollover_warning(s, after)) and w not in out:
                out.append(w)
        if s.overridden and s.computed_opening is not None and s.computed_opening != s.opening:
            out.append(BudgetWarning(
                f"{name} opening for {label} is entered by hand as {format_money(s.opening)} "
                f"(the {financial_year_label(s.brought_from or s.year)} closing balance would "
                f"give {format_money(s.computed_opening)}): "
                f"{(s.override_reason or 'no reason given').rstrip('.')}.", "info", s.stream.id))
        if s.income_tbc:
            out.append(BudgetWarning(
                f"{format_money(s.income_tbc)} of {name} income for {label} is still TBC and "
                "is not counted as available.", "info", s.stream.id))
    return out


# ---------------------------------------------------------------- loading


def _day(value: dt.date | str) -> dt.date:
    """A date column read without its type: SQLite gives the ISO text, PostgreSQL a date."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def load_facts(db: Database, partnership_id: int) -> Facts:
    """Read every stored budget fact of a partnership in one session."""
    with db.session() as s:
        p = s.get(Partnership, partnership_id)
        if p is None:
            raise UserError("That partnership no longer exists; choose another one.")
        streams = list(s.scalars(select(FundingStream).where(
            FundingStream.partnership_id == partnership_id)))
        ids = [st.id for st in streams]
        years = s.scalars(select(StreamYear).where(StreamYear.stream_id.in_(ids)))
        grants = s.scalars(select(GrantIncome).where(GrantIncome.stream_id.in_(ids)))
        lines = list(s.scalars(select(BudgetLine).options(selectinload(BudgetLine.splits))
                               .where(BudgetLine.partnership_id == partnership_id)))
        e = LedgerEntry  # plain rows, not ORM objects: a county's ten years is ~20,000 entries
        # dates and pence converted here, not by the column types: half the time per row
        entries = [(r[0], r[1], r[2], r[3], _day(r[4]), r[5], from_pence(r[6]), r[7], r[8], r[9])
                   for r in s.execute(select(
                       e.id, e.version, e.line_id, e.stream_id, type_coerce(e.date, String),
                       e.kind, type_coerce(e.amount, BigInteger), e.counterparty, e.reference,
                       e.note).join(BudgetLine).where(BudgetLine.partnership_id == partnership_id))]
        return Facts(
            partnership_id, p.name,
            tuple(StreamFact(st.id, st.version, st.name, st.short_name, st.kind,
                             st.rollover_needs_permission, st.position, st.notes)
                  for st in streams),
            tuple(StreamYearFact(y.id, y.version, y.stream_id, y.year, y.opening_override,
                                 y.opening_reason, y.rollover_permitted,
                                 y.rollover_permission_date, y.rollover_note) for y in years),
            tuple(GrantFact(g.id, g.version, g.stream_id, g.year, g.source, g.amount, g.status,
                            g.status_date, g.reference, g.notes) for g in grants),
            tuple(LineFact(ln.id, ln.version, ln.year, ln.position, ln.item, ln.category,
                           ln.projected_outturn, ln.status, ln.notes,
                           {sp.stream_id: sp.amount for sp in ln.splits}) for ln in lines),
            tuple(EntryFact(*row) for row in entries),
        )


def year_figures(db: Database, partnership_id: int, year: int) -> YearFigures:
    """The computed figures of one financial year (an empty year if nothing is recorded)."""
    return compute_all(load_facts(db, partnership_id), extra_years=(year,))[year]


def all_years(db: Database, partnership_id: int) -> dict[int, YearFigures]:
    """Figures for every recorded year of a partnership (for year-on-year comparison)."""
    return compute_all(load_facts(db, partnership_id))
