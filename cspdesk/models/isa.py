"""Information Sharing Agreements: agreements, parties (organisation x agreement), SPOCs, tasks."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cspdesk.models.attachment import Attachment
from cspdesk.models.base import Entity
from cspdesk.models.organisation import Organisation
from cspdesk.models.partnership import Partnership
from cspdesk.models.person import Person


class AgreementStatus(StrEnum):
    DRAFT = "draft"
    IN_FORCE = "in_force"
    UNDER_REVIEW = "under_review"
    SUPERSEDED = "superseded"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "in_force": "In force", "under_review": "Under review",
                "superseded": "Superseded"}[self.value]


class SignatureStatus(StrEnum):
    NOT_RECORDED = "not_recorded"
    AWAITING_DETAILS = "awaiting_details"
    AWAITING_CASE = "awaiting_case"
    NOT_SENT = "not_sent"
    FORM_SENT = "form_sent"
    FORM_RETURNED = "form_returned"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {
            "not_recorded": "Not recorded",
            "awaiting_details": "Awaiting details",
            "awaiting_case": "Awaiting appropriate case",
            "not_sent": "Form not sent",
            "form_sent": "Form sent",
            "form_returned": "Form returned",
            "declined": "Declined",
            "withdrawn": "Withdrawn",
        }[self.value]


class TaskKind(StrEnum):
    NOTIFY_JOIN = "notify_join"
    NOTIFY_WITHDRAWAL = "notify_withdrawal"
    DESTROY_MATERIAL = "destroy_material"
    NOTIFY_BREACH = "notify_breach"
    SPOC_UPDATE = "spoc_update"
    OTHER = "other"


class IsaAgreement(Entity):
    __tablename__ = "isa_agreement"
    __label_field__ = "reference"

    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    reference: Mapped[str] = mapped_column(String(100), unique=True)
    purpose: Mapped[str | None] = mapped_column(Text)
    partners_summary: Mapped[str | None] = mapped_column(Text)
    owner_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    drawn_up_by: Mapped[str | None] = mapped_column(String(300))
    protective_marking: Mapped[str | None] = mapped_column(String(100))
    doc_version: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=AgreementStatus.DRAFT.value)
    last_review: Mapped[dt.date | None] = mapped_column(Date)
    next_review: Mapped[dt.date | None] = mapped_column(Date)
    signed_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachment.id", ondelete="SET NULL"))
    notes: Mapped[str | None] = mapped_column(Text)

    partnership: Mapped[Partnership] = relationship()
    owner: Mapped[Organisation | None] = relationship()
    signed_document: Mapped[Attachment | None] = relationship()
    parties: Mapped[list[IsaParty]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="IsaParty.position")
    tasks: Mapped[list[IsaTask]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="IsaTask.due")


class IsaParty(Entity):
    """An organisation's place in an agreement: signatory, signature status, SPOCs, dates."""

    __tablename__ = "isa_party"
    __table_args__ = (UniqueConstraint("agreement_id", "organisation_id",
                                       name="uq_isa_party_agreement_org"),)
    __label_field__ = "label"

    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("isa_agreement.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    board_member: Mapped[bool | None]
    lead_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    lead_role: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default=SignatureStatus.NOT_RECORDED.value)
    status_date: Mapped[dt.date | None] = mapped_column(Date)
    ecins_user: Mapped[bool | None]
    joined_on: Mapped[dt.date | None] = mapped_column(Date)
    notice_given_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawal_effective: Mapped[dt.date | None] = mapped_column(Date)
    spoc_changed_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    agreement: Mapped[IsaAgreement] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship()
    lead_person: Mapped[Person | None] = relationship()
    spocs: Mapped[list[IsaSpoc]] = relationship(
        back_populates="party", cascade="all, delete-orphan", order_by="IsaSpoc.position")

    @property
    def label(self) -> str:
        return self.organisation.name if self.organisation is not None else f"party #{self.id}"


class IsaSpoc(Entity):
    """A specific point of contact for one party; ``until`` is set when they stop being one."""

    __tablename__ = "isa_spoc"
    __label_field__ = "label"

    party_id: Mapped[int] = mapped_column(ForeignKey("isa_party.id", ondelete="CASCADE"),
                                          index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    since: Mapped[dt.date | None] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date)

    party: Mapped[IsaParty] = relationship(back_populates="spocs")
    person: Mapped[Person | None] = relationship()

    @property
    def label(self) -> str:
        who = self.person.name if self.person is not None else (self.role or "SPOC")
        return f"SPOC {who}"


class IsaTask(Entity):
    """A workflow task created by an event (join, notice, breach, SPOC change)."""

    __tablename__ = "isa_task"
    __label_field__ = "title"

    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("isa_agreement.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int | None] = mapped_column(
        ForeignKey("isa_party.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=TaskKind.OTHER.value)
    title: Mapped[str] = mapped_column(String(300))
    created_on: Mapped[dt.date] = mapped_column(Date)
    due: Mapped[dt.date] = mapped_column(Date, index=True)
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    agreement: Mapped[IsaAgreement] = relationship(back_populates="tasks")
    party: Mapped[IsaParty | None] = relationship()
