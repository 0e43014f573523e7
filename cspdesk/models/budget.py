"""Budget and finance: funding streams, their years, grant income, budget lines and the ledger.

Only facts are stored. Every total (available, allocated, committed, spent, remaining, closing
balance, next year's opening) is computed by ``cspdesk.services.budget_figures``.
Years are stored as the calendar year in which the financial year starts (2020 = 2020/21).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cspdesk.dates import financial_year_label
from cspdesk.models.base import Entity


class StreamKind(StrEnum):
    OPCC = "opcc"
    POOLED = "pooled"
    CSF = "csf"
    SSCF_REVENUE = "sscf_revenue"
    SSCF_CAPITAL = "sscf_capital"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "opcc": "OPCC grant", "pooled": "Pooled Fund", "csf": "Community Safety Fund",
            "sscf_revenue": "SSCF revenue", "sscf_capital": "SSCF capital", "other": "Other",
        }[self.value]


class GrantStatus(StrEnum):
    TBC = "tbc"
    AGREED = "agreed"
    SIGNED = "signed"
    PAID = "paid"

    @property
    def label(self) -> str:
        return {"tbc": "TBC", "agreed": "Agreed", "signed": "Agreement signed",
                "paid": "Paid"}[self.value]

    @property
    def counts(self) -> bool:
        """Confirmed income counts towards funding available; TBC does not."""
        return self is not GrantStatus.TBC


class LineStatus(StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    UNDERWAY = "underway"
    COMPLETE = "complete"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class EntryKind(StrEnum):
    PAYMENT = "payment"
    INCOME = "income"
    COMMITMENT = "commitment"

    @property
    def label(self) -> str:
        return {"payment": "Payment", "income": "Income (credit)",
                "commitment": "Committed, not yet paid"}[self.value]


class FundingStream(Entity):
    """A pot of money a partnership spends from (OPCC grant, Pooled Fund, ...)."""

    __tablename__ = "funding_stream"
    __table_args__ = (UniqueConstraint("partnership_id", "name"),)

    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    short_name: Mapped[str | None] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(20), default=StreamKind.OTHER.value)
    rollover_needs_permission: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str | None] = mapped_column(Text)

    years: Mapped[list[StreamYear]] = relationship(
        back_populates="stream", cascade="all, delete-orphan", order_by="StreamYear.year")
    grants: Mapped[list[GrantIncome]] = relationship(
        back_populates="stream", cascade="all, delete-orphan", order_by="GrantIncome.id")


class StreamYear(Entity):
    """One stream in one financial year: an opening override and the rollover permission."""

    __tablename__ = "stream_year"
    __table_args__ = (UniqueConstraint("stream_id", "year"),)
    __label_field__ = "label"

    stream_id: Mapped[int] = mapped_column(
        ForeignKey("funding_stream.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    opening_override: Mapped[Decimal | None]
    opening_reason: Mapped[str | None] = mapped_column(Text)
    rollover_permitted: Mapped[bool] = mapped_column(default=False)
    rollover_permission_date: Mapped[dt.date | None] = mapped_column(Date)
    rollover_note: Mapped[str | None] = mapped_column(Text)

    stream: Mapped[FundingStream] = relationship(back_populates="years")

    @property
    def label(self) -> str:
        return financial_year_label(self.year)


class GrantIncome(Entity):
    """New money into a stream for a financial year, with its status."""

    __tablename__ = "grant_income"
    __label_field__ = "source"

    stream_id: Mapped[int] = mapped_column(
        ForeignKey("funding_stream.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    source: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal]
    status: Mapped[str] = mapped_column(String(20), default=GrantStatus.TBC.value)
    status_date: Mapped[dt.date | None] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)

    stream: Mapped[FundingStream] = relationship(back_populates="grants")


class BudgetLine(Entity):
    """An item of a year's spending plan; its profiled budget is split between streams."""

    __tablename__ = "budget_line"
    __label_field__ = "item"

    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    position: Mapped[int] = mapped_column(default=0)
    item: Mapped[str] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(120))
    projected_outturn: Mapped[Decimal | None]
    status: Mapped[str] = mapped_column(String(20), default=LineStatus.AGREED.value)
    notes: Mapped[str | None] = mapped_column(Text)

    splits: Mapped[list[BudgetLineSplit]] = relationship(
        back_populates="line", cascade="all, delete-orphan", order_by="BudgetLineSplit.id")
    entries: Mapped[list[LedgerEntry]] = relationship(
        back_populates="line", cascade="all, delete-orphan",
        order_by="(LedgerEntry.date, LedgerEntry.id)")


class BudgetLineSplit(Entity):
    """The part of a line's profiled budget that one stream pays for."""

    __tablename__ = "budget_line_split"
    __table_args__ = (UniqueConstraint("line_id", "stream_id"),)
    __label_field__ = "amount"

    line_id: Mapped[int] = mapped_column(
        ForeignKey("budget_line.id", ondelete="CASCADE"), index=True)
    stream_id: Mapped[int] = mapped_column(
        ForeignKey("funding_stream.id", ondelete="RESTRICT"), index=True)
    amount: Mapped[Decimal]

    line: Mapped[BudgetLine] = relationship(back_populates="splits")
    stream: Mapped[FundingStream] = relationship()


class LedgerEntry(Entity):
    """A transaction on a line, paid from (or credited to) one stream; amounts are positive."""

    __tablename__ = "ledger_entry"
    __label_field__ = "reference"

    line_id: Mapped[int] = mapped_column(
        ForeignKey("budget_line.id", ondelete="CASCADE"), index=True)
    stream_id: Mapped[int] = mapped_column(
        ForeignKey("funding_stream.id", ondelete="RESTRICT"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20), default=EntryKind.PAYMENT.value)
    amount: Mapped[Decimal]
    counterparty: Mapped[str | None] = mapped_column(String(300))
    reference: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)

    line: Mapped[BudgetLine] = relationship(back_populates="entries")
    stream: Mapped[FundingStream] = relationship()
