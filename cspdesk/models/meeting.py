"""Meetings, attendance and agenda items (the meetings area extends these)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Column, Date, ForeignKey, String, Table, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cspdesk.models.base import Base, Entity
from cspdesk.models.partnership import Board
from cspdesk.models.person import Person


class MeetingStatus(StrEnum):
    DRAFT = "draft"
    AGENDA_PUBLISHED = "agenda_published"
    HELD = "held"
    MINUTES_APPROVED = "minutes_approved"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    APOLOGIES = "apologies"
    SUBSTITUTE = "substitute"
    ABSENT = "absent"
    IN_ATTENDANCE = "in_attendance"


class Purpose(StrEnum):
    ELECTION = "Election"
    AGREEMENT = "Agreement"
    ACTION = "Action"
    DISCUSSION = "Discussion"
    INFO_ONLY = "Info only"
    NOTE = "Note"
    REVIEW = "Review"


class ItemKind(StrEnum):
    PAPER = "paper"
    VERBAL = "verbal"
    PRESENTATION = "presentation"


class Publication(StrEnum):
    PUBLIC = "public"
    EXEMPT = "exempt"
    ON_APPROVAL = "on_approval"


class Meeting(Entity):
    __tablename__ = "meeting"
    __label_field__ = "date"

    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    start: Mapped[dt.time | None] = mapped_column(Time)
    end: Mapped[dt.time | None] = mapped_column(Time)
    venue: Mapped[str | None] = mapped_column(String(300))
    online: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=MeetingStatus.DRAFT.value)
    notes: Mapped[str | None] = mapped_column(Text)
    visitor_notes: Mapped[str | None] = mapped_column(Text)
    minutes_approved_on: Mapped[dt.date | None] = mapped_column(Date)

    board: Mapped[Board] = relationship()
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Attendance.id"
    )
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="AgendaItem.position",
    )


class Attendance(Entity):
    __tablename__ = "attendance"
    __label_field__ = "status"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=AttendanceStatus.PRESENT.value)
    substitute_for_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT")
    )
    guest: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(String(300))

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    substitute_for: Mapped[Person | None] = relationship(foreign_keys=[substitute_for_id])


agenda_item_lead = Table(
    "agenda_item_lead",
    Base.metadata,
    Column("item_id", ForeignKey("agenda_item.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class AgendaItem(Entity):
    __tablename__ = "agenda_item"
    __label_field__ = "title"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str | None] = mapped_column(String(20))
    duration: Mapped[int | None]
    group_heading: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=ItemKind.PAPER.value)
    publication: Mapped[str] = mapped_column(String(20), default=Publication.PUBLIC.value)
    exempt_paragraphs: Mapped[str | None] = mapped_column(String(50))
    marking: Mapped[str | None] = mapped_column(String(40))
    lead_text: Mapped[str | None] = mapped_column(String(200))
    pages_printed: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)

    meeting: Mapped[Meeting] = relationship(back_populates="items", foreign_keys=[meeting_id])
    parent: Mapped[AgendaItem | None] = relationship(
        remote_side="AgendaItem.id", back_populates="children"
    )
    children: Mapped[list[AgendaItem]] = relationship(
        back_populates="parent", order_by="AgendaItem.position"
    )
    leads: Mapped[list[Person]] = relationship(secondary=agenda_item_lead)
