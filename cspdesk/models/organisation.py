"""Organisations and their aliases (names change and are misspelt)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cspdesk.models.base import Entity


class OrgType(StrEnum):
    STATUTORY = "statutory"
    RSL = "rsl"
    SCHOOL = "school"
    SUPPORT_AGENCY = "support_agency"
    VOLUNTARY = "voluntary"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "statutory": "Statutory / responsible authority",
            "rsl": "Registered social landlord",
            "school": "School",
            "support_agency": "Support agency",
            "voluntary": "Voluntary sector",
            "other": "Other",
        }[self.value]

    @classmethod
    def label_of(cls, value: str | None) -> str:
        """The label of a stored type; a value this version does not know (a newer version,
        a hand edit) is shown as it is rather than failing the page."""
        try:
            return cls(value).label
        except ValueError:
            return str(value or "").replace("_", " ").capitalize()


class Organisation(Entity):
    __tablename__ = "organisation"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    type: Mapped[str] = mapped_column(String(20), default=OrgType.OTHER.value)
    notes: Mapped[str | None] = mapped_column(Text)

    aliases: Mapped[list[OrganisationAlias]] = relationship(
        back_populates="organisation",
        cascade="all, delete-orphan",
        order_by="OrganisationAlias.alias",
    )


class OrganisationAlias(Entity):
    __tablename__ = "organisation_alias"
    __label_field__ = "alias"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(200), unique=True)

    organisation: Mapped[Organisation] = relationship(back_populates="aliases")
