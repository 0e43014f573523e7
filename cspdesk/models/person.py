"""People: officers, members, signatories and SPOCs."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cspdesk.models.base import Entity
from cspdesk.models.organisation import Organisation


class Person(Entity):
    __tablename__ = "person"

    name: Mapped[str] = mapped_column(String(200), index=True)
    initials: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[str | None] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation | None] = relationship()
