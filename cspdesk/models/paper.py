"""Meetings area: papers on agenda items, standing items, minutes, decisions, declarations."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cspdesk.models.attachment import Attachment
from cspdesk.models.base import Entity
from cspdesk.models.meeting import AgendaItem
from cspdesk.models.person import Person


class PaperSource(StrEnum):
    ATTACHED = "attached"  # a PDF stored as an attachment
    CONVERTED = "converted"  # a Word/ODT document converted to PDF by LibreOffice
    WRITTEN = "written"  # written in the app on the standard cover template
    GENERATED = "generated"  # made from the app's data by a provider in services/papers.py


class Decision(StrEnum):
    NONE = ""
    AGREED = "agreed"
    NOTED = "noted"
    APPROVED = "approved"
    APPROVED_SUBJECT_TO = "approved_subject_to"
    DEFERRED = "deferred"

    @property
    def label(self) -> str:
        return {"": "", "agreed": "Agreed", "noted": "Noted", "approved": "Approved",
                "approved_subject_to": "Approved subject to", "deferred": "Deferred"}[self.value]


class Paper(Entity):
    """One paper of an agenda item (an item may have several: a report and its appendix)."""

    __tablename__ = "paper"
    __label_field__ = "title"

    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(20))
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachment.id", ondelete="RESTRICT"), index=True)
    original_attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachment.id", ondelete="RESTRICT"))
    generated_key: Mapped[str | None] = mapped_column(String(40))
    received_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # written in the app: the standard cover (To / From / Date / Title, numbered sections)
    to_text: Mapped[str | None] = mapped_column(String(300))
    from_text: Mapped[str | None] = mapped_column(String(300))
    paper_date: Mapped[dt.date | None] = mapped_column(Date)
    purpose: Mapped[str | None] = mapped_column(Text)
    recommendations: Mapped[str | None] = mapped_column(Text)
    background: Mapped[str | None] = mapped_column(Text)
    sections_json: Mapped[str | None] = mapped_column(Text)
    source_documents: Mapped[str | None] = mapped_column(Text)
    contact_officer: Mapped[str | None] = mapped_column(String(300))

    item: Mapped[AgendaItem] = relationship()
    attachment: Mapped[Attachment | None] = relationship(foreign_keys=[attachment_id])
    original: Mapped[Attachment | None] = relationship(foreign_keys=[original_attachment_id])


class StandingItem(Entity):
    """An item every agenda of a board starts or ends with (apologies, minutes, AOB...)."""

    __tablename__ = "standing_item"
    __label_field__ = "title"

    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str | None] = mapped_column(String(20))
    duration: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(20), default="verbal")
    generated_key: Mapped[str | None] = mapped_column(String(40))
    at_end: Mapped[bool] = mapped_column(default=False)


class MinuteEntry(Entity):
    """The minutes of one agenda item: text, and the decision taken."""

    __tablename__ = "minute_entry"
    __label_field__ = "decision"

    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="CASCADE"), unique=True)
    text: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(20), default=Decision.NONE.value)
    decision_text: Mapped[str | None] = mapped_column(Text)

    item: Mapped[AgendaItem] = relationship()


class Declaration(Entity):
    """A declaration of interest made at a meeting (optionally on one item)."""

    __tablename__ = "declaration"
    __label_field__ = "interest"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL"))
    interest: Mapped[str] = mapped_column(Text)

    person: Mapped[Person] = relationship()
    item: Mapped[AgendaItem | None] = relationship()
