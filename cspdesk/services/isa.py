"""ISA register: agreements and the rows the UI, reports and importer share.

Parties and SPOCs are edited in ``isa_parties``; rules, tasks and reminders live in ``isa_rules``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from cspdesk.db.engine import Database
from cspdesk.errors import ReferencedError, UserError, ValidationError
from cspdesk.models import Organisation
from cspdesk.models.isa import AgreementStatus, IsaAgreement, IsaParty, IsaSpoc, SignatureStatus
from cspdesk.services import attachments
from cspdesk.services.people import _load_checked, clean_text, find_organisation

#: statuses that count as "not in the register any more" for reminders
CLOSED_STATUSES = {SignatureStatus.DECLINED.value, SignatureStatus.WITHDRAWN.value}


@dataclass(frozen=True)
class SpocRow:
    """A current (or past, when ``until`` is set) specific point of contact."""

    id: int
    person_id: int | None
    name: str | None
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    note: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    @property
    def text(self) -> str:
        """'Name - Role' (or '- Role' when only the role is known)."""
        return name_role_text(self.name, self.role)

    @property
    def label(self) -> str:
        """How the register shows the SPOC ('Role (name not given)' for a role alone)."""
        return who_label(self.name, self.role)


@dataclass(frozen=True)
class PartyRow:
    """One organisation's line in the register."""

    id: int
    version: int
    agreement_id: int
    organisation_id: int
    organisation: str
    org_type: str
    position: int = 0
    board_member: bool | None = None
    lead_person_id: int | None = None
    lead_name: str | None = None
    lead_role: str | None = None
    status: str = SignatureStatus.NOT_RECORDED.value
    status_date: dt.date | None = None
    ecins_user: bool | None = None
    joined_on: dt.date | None = None
    notice_given_on: dt.date | None = None
    withdrawal_effective: dt.date | None = None
    spoc_changed_on: dt.date | None = None
    notes: str | None = None
    spocs: tuple[SpocRow, ...] = ()

    @property
    def status_label(self) -> str:
        return SignatureStatus(self.status).label

    @property
    def signed(self) -> bool:
        return self.status == SignatureStatus.FORM_RETURNED.value

    @property
    def signatory_text(self) -> str:
        return name_role_text(self.lead_name, self.lead_role)

    @property
    def spoc_text(self) -> str:
        return " / ".join(s.text for s in self.spocs)

    @property
    def signatory_label(self) -> str:
        """How the register shows the lead signatory."""
        return who_label(self.lead_name, self.lead_role)

    @property
    def spoc_label(self) -> str:
        """How the register shows the SPOCs."""
        return " / ".join(s.label for s in self.spocs)

    @property
    def spoc_emails(self) -> str:
        return " / ".join(s.email or "" for s in self.spocs).strip(" /")

    @property
    def spoc_phones(self) -> str:
        return " / ".join(s.phone or "" for s in self.spocs).strip(" /")

    def state_label(self, today: dt.date) -> str:
        """Status with the withdrawal state, e.g. 'Leaving 20 Mar 2020' or 'Withdrawn'."""
        from cspdesk.dates import format_date

        if self.withdrawal_effective:
            if self.withdrawal_effective <= today:
                return "Withdrawn"
            return f"Leaving {format_date(self.withdrawal_effective)}"
        label = self.status_label
        if self.status_date and self.status in {"form_sent", "form_returned", "withdrawn",
                                                "declined"}:
            label += f" {format_date(self.status_date)}"
        return label


@dataclass(frozen=True)
class AgreementRow:
    id: int
    version: int
    partnership_id: int
    title: str
    reference: str
    purpose: str | None = None
    partners_summary: str | None = None
    owner_organisation_id: int | None = None
    owner: str | None = None
    drawn_up_by: str | None = None
    protective_marking: str | None = None
    doc_version: str | None = None
    status: str = AgreementStatus.DRAFT.value
    last_review: dt.date | None = None
    next_review: dt.date | None = None
    signed_document_id: int | None = None
    signed_document_name: str | None = None
    notes: str | None = None

    @property
    def status_label(self) -> str:
        return AgreementStatus(self.status).label

    @property
    def label(self) -> str:
        return f"{self.reference}: {self.title}"


@dataclass
class AgreementInput:
    """What the agreement form submits."""

    partnership_id: int
    title: str
    reference: str
    purpose: str | None = None
    partners_summary: str | None = None
    owner_name: str | None = None
    drawn_up_by: str | None = None
    protective_marking: str | None = None
    doc_version: str | None = None
    status: str = AgreementStatus.DRAFT.value
    last_review: dt.date | None = None
    next_review: dt.date | None = None
    notes: str | None = None


def name_role_text(name: str | None, role: str | None) -> str:
    """'Name - Role', 'Name', '- Role' or ''."""
    if name and role:
        return f"{name} - {role}"
    if role:
        return f"- {role}"
    return name or ""


def who_label(name: str | None, role: str | None) -> str:
    """For reading rather than re-import: 'Name - Role', 'Role (name not given)' or 'Name'."""
    if role and not name:
        return f"{role} (name not given)"
    return name_role_text(name, role)


def spoc_row(sp: IsaSpoc) -> SpocRow:
    return SpocRow(sp.id, sp.person_id, sp.person.name if sp.person else None, sp.role,
                   sp.email or (sp.person.email if sp.person else None),
                   sp.phone or (sp.person.phone if sp.person else None), sp.note, sp.since,
                   sp.until)


def party_row(p: IsaParty) -> PartyRow:
    return PartyRow(
        p.id, p.version, p.agreement_id, p.organisation_id, p.organisation.name,
        p.organisation.type, p.position, p.board_member, p.lead_person_id,
        p.lead_person.name if p.lead_person else None, p.lead_role, p.status, p.status_date,
        p.ecins_user, p.joined_on, p.notice_given_on, p.withdrawal_effective, p.spoc_changed_on,
        p.notes, tuple(spoc_row(sp) for sp in p.spocs if sp.until is None))


def agreement_row(a: IsaAgreement) -> AgreementRow:
    return AgreementRow(
        a.id, a.version, a.partnership_id, a.title, a.reference, a.purpose, a.partners_summary,
        a.owner_organisation_id, a.owner.name if a.owner else None, a.drawn_up_by,
        a.protective_marking, a.doc_version, a.status, a.last_review, a.next_review,
        a.signed_document_id, a.signed_document.original_name if a.signed_document else None,
        a.notes)


PARTY_LOAD = (selectinload(IsaParty.organisation), selectinload(IsaParty.lead_person),
              selectinload(IsaParty.spocs).selectinload(IsaSpoc.person))
AGREEMENT_LOAD = (selectinload(IsaAgreement.owner), selectinload(IsaAgreement.signed_document))


# ---------------------------------------------------------------- agreements

def list_agreements(db: Database, partnership_id: int | None = None) -> list[AgreementRow]:
    """Agreements of a partnership (all when None), superseded ones last."""
    stmt = select(IsaAgreement).options(*AGREEMENT_LOAD).order_by(
        (IsaAgreement.status == AgreementStatus.SUPERSEDED.value), IsaAgreement.reference)
    if partnership_id is not None:
        stmt = stmt.where(IsaAgreement.partnership_id == partnership_id)
    with db.session() as s:
        return [agreement_row(a) for a in s.scalars(stmt)]


def get_agreement(db: Database, agreement_id: int) -> AgreementRow:
    with db.session() as s:
        a = s.get(IsaAgreement, agreement_id, options=list(AGREEMENT_LOAD))
        if a is None:
            raise UserError("That agreement no longer exists; refresh the list.")
        return agreement_row(a)


def find_agreement(db: Database, reference: str) -> AgreementRow:
    """The agreement with this reference (case and spaces ignored)."""
    key = clean_text(reference).casefold()
    with db.session() as s:
        for a in s.scalars(select(IsaAgreement).options(*AGREEMENT_LOAD)):
            if clean_text(a.reference).casefold() == key:
                return agreement_row(a)
        refs = ", ".join(s.scalars(select(IsaAgreement.reference).order_by(IsaAgreement.reference)))
    raise UserError(f"There is no agreement with reference '{reference}'"
                    + (f"; known references: {refs}." if refs else "; add one first."))


def validate_agreement(data: AgreementInput) -> AgreementInput:
    """Clean and check an agreement's fields; raise ValidationError naming the field."""
    title, reference = clean_text(data.title), clean_text(data.reference)
    if not title:
        raise ValidationError("Enter the agreement's title.", field="title")
    if not reference:
        raise ValidationError("Enter a short reference such as 'CSP ISA'.", field="reference")
    if data.status not in {s.value for s in AgreementStatus}:
        raise ValidationError(f"'{data.status}' is not an agreement status.", field="status")
    if data.last_review and data.next_review and data.next_review <= data.last_review:
        raise ValidationError("The next review must come after the last review.",
                              field="next_review")
    text = {k: (clean_text(getattr(data, k)) or None) for k in
            ("owner_name", "drawn_up_by", "protective_marking", "doc_version")}
    return AgreementInput(
        data.partnership_id, title, reference, (data.purpose or "").strip() or None,
        (data.partners_summary or "").strip() or None, status=data.status,
        last_review=data.last_review, next_review=data.next_review,
        notes=(data.notes or "").strip() or None, **text)


def _owner(s: Session, name: str | None) -> Organisation | None:
    if not name:
        return None
    org = find_organisation(s, name)
    if org is None:
        raise ValidationError(f"There is no organisation called '{name}'; add it under People "
                              "& organisations first.", field="owner_name")
    return org


def _check_reference_free(s: Session, reference: str, own_id: int | None) -> None:
    clash = s.scalar(select(IsaAgreement.id).where(
        func.lower(IsaAgreement.reference) == reference.lower()))
    if clash is not None and clash != own_id:
        raise ValidationError(f"Another agreement already uses the reference '{reference}'.",
                              field="reference")


def _fill_agreement(s: Session, a: IsaAgreement, data: AgreementInput) -> None:
    a.partnership_id = data.partnership_id
    a.title, a.reference, a.purpose = data.title, data.reference, data.purpose
    a.partners_summary, a.owner = data.partners_summary, _owner(s, data.owner_name)
    a.drawn_up_by, a.protective_marking = data.drawn_up_by, data.protective_marking
    a.doc_version, a.status, a.notes = data.doc_version, data.status, data.notes
    a.last_review, a.next_review = data.last_review, data.next_review


def add_agreement(db: Database, data: AgreementInput) -> AgreementRow:
    data = validate_agreement(data)
    with db.session() as s:
        _check_reference_free(s, data.reference, None)
        a = IsaAgreement()
        _fill_agreement(s, a, data)
        s.add(a)
        s.flush()
        s.refresh(a, ["owner", "signed_document"])
        return agreement_row(a)


def update_agreement(db: Database, agreement_id: int, data: AgreementInput,
                     version: int | None = None) -> AgreementRow:
    """Save edits; ``version`` is the row version the form was opened with."""
    data = validate_agreement(data)
    with db.session() as s:
        a = _load_checked(s, IsaAgreement, agreement_id, version, "agreement")
        _check_reference_free(s, data.reference, agreement_id)
        _fill_agreement(s, a, data)
        s.flush()
        s.refresh(a, ["owner", "signed_document"])
        return agreement_row(a)


def agreement_input(row: AgreementRow) -> AgreementInput:
    """The form values of a saved agreement (used to undo an edit)."""
    return AgreementInput(row.partnership_id, row.title, row.reference, row.purpose,
                          row.partners_summary, row.owner, row.drawn_up_by,
                          row.protective_marking, row.doc_version, row.status, row.last_review,
                          row.next_review, row.notes)


def delete_agreement(db: Database, agreement_id: int) -> None:
    """Delete an agreement that has no parties left."""
    with db.session() as s:
        a = _load_checked(s, IsaAgreement, agreement_id, None, "agreement")
        if a.parties:
            raise ReferencedError(f"{a.reference} still has {len(a.parties)} parties; mark it "
                                  "superseded instead, or delete its parties first.")
        s.delete(a)


def attach_signed_document(db: Database, agreement_id: int, path: Path | None) -> AgreementRow:
    """Store the signed copy inside the data folder and link it (None removes the link)."""
    stored = attachments.store_file(db, Path(path)) if path is not None else None
    return set_signed_document(db, agreement_id, stored.id if stored else None)


def set_signed_document(db: Database, agreement_id: int, attachment_id: int | None) -> AgreementRow:
    with db.session() as s:
        a = _load_checked(s, IsaAgreement, agreement_id, None, "agreement")
        a.signed_document_id = attachment_id
        s.flush()
        s.refresh(a, ["owner", "signed_document"])
        return agreement_row(a)


def signed_document_path(db: Database, agreement_id: int) -> Path:
    """Where the stored signed copy is; UserError when none is attached."""
    row = get_agreement(db, agreement_id)
    if row.signed_document_id is None:
        raise UserError(f"No signed copy of {row.reference} is attached yet; use Attach "
                        "signed document.")
    return attachments.attachment_path(db, row.signed_document_id)


# ---------------------------------------------------------------- parties (read)

def list_parties(db: Database, agreement_id: int) -> list[PartyRow]:
    """The register of one agreement in its printed order."""
    stmt = (select(IsaParty).options(*PARTY_LOAD).where(IsaParty.agreement_id == agreement_id)
            .order_by(IsaParty.position, IsaParty.id))
    with db.session() as s:
        return [party_row(p) for p in s.scalars(stmt)]


def get_party(db: Database, party_id: int) -> PartyRow:
    with db.session() as s:
        p = s.get(IsaParty, party_id, options=list(PARTY_LOAD))
        if p is None:
            raise UserError("That party is no longer in the register; refresh the list.")
        return party_row(p)
