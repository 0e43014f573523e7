"""Partnerships, their boards, board name history and memberships."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cspdesk.models.base import Entity
from cspdesk.models.organisation import Organisation
from cspdesk.models.person import Person


class MembershipCategory(StrEnum):
    BOARD = "board"
    NON_VOTING = "non_voting"
    GUEST = "guest"
    IN_ATTENDANCE = "in_attendance"

    @property
    def label(self) -> str:
        return {
            "board": "Board (voting)",
            "non_voting": "Non-voting member",
            "guest": "Guest",
            "in_attendance": "In attendance",
        }[self.value]


class MembershipRole(StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MINUTE_TAKER = "minute_taker"


class Partnership(Entity):
    __tablename__ = "partnership"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(100))
    accountable_body_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL")
    )

    accountable_body: Mapped[Organisation | None] = relationship()
    boards: Mapped[list[Board]] = relationship(
        back_populates="partnership", cascade="all, delete-orphan", order_by="Board.id"
    )

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Board(Entity):
    __tablename__ = "board"

    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    default_start: Mapped[dt.time | None] = mapped_column(Time)
    default_end: Mapped[dt.time | None] = mapped_column(Time)
    default_venue: Mapped[str | None] = mapped_column(String(300))
    quorum_min: Mapped[int | None]
    quorum_fraction: Mapped[str | None] = mapped_column(String(10))
    one_vote_per_organisation: Mapped[bool] = mapped_column(default=True)
    chair_casting_vote: Mapped[bool] = mapped_column(default=True)
    paper_deadline_working_days: Mapped[int] = mapped_column(default=5)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(Text)

    partnership: Mapped[Partnership] = relationship(back_populates="boards")
    former_names: Mapped[list[BoardName]] = relationship(
        back_populates="board", cascade="all, delete-orphan", order_by="BoardName.until"
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="board", cascade="all, delete-orphan"
    )


class BoardName(Entity):
    """A name the board had until a date (CDRP became CSP)."""

    __tablename__ = "board_name"

    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    until: Mapped[dt.date | None] = mapped_column(Date)

    board: Mapped[Board] = relationship(back_populates="former_names")


class Membership(Entity):
    """A person's seat on a board."""

    __tablename__ = "membership"
    __label_field__ = "category"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT")
    )
    category: Mapped[str] = mapped_column(String(20), default=MembershipCategory.BOARD.value)
    role: Mapped[str | None] = mapped_column(String(20))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship()
    board: Mapped[Board] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation | None] = relationship()
