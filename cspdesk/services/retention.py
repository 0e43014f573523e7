"""Retention: personal data kept past its period (18 months after a case or agreement closes,
per the South Cambs ISA), listed for review and anonymised or deleted on request.

What "closes" means here:
- an ISA party that withdrew: from its withdrawal date (or status date); its lead signatory
  and SPOCs are personal data;
- an ISA agreement that was superseded: from the day the audit trail saw it superseded; the
  lead signatories and SPOCs of its parties;
- a SPOC who stopped being one (``until``);
- a board membership that ended (``end_date``): the membership record itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from cspdesk import clock
from cspdesk.dates import add_months
from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import AuditEntry, Membership
from cspdesk.models.isa import AgreementStatus, IsaParty, IsaSpoc, SignatureStatus

RETENTION_MONTHS = 18


@dataclass(frozen=True)
class RetentionItem:
    """Personal data past its retention period."""

    kind: str  # "isa_party" | "isa_spoc" | "membership"
    id: int
    what: str  # e.g. "SPOC Jo Bloggs (Police)"
    closed: dt.date
    reason: str  # e.g. "party withdrew"
    action: str  # "anonymise" | "delete"

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)


def cutoff(today: dt.date | None = None) -> dt.date:
    """Records that closed on or before this day are past retention."""
    return add_months(today or clock.today(), -RETENTION_MONTHS)


def _superseded_on(s: Session) -> dict[int, dt.date]:
    stmt = (select(AuditEntry.entity_id, func.max(AuditEntry.at))
            .where(AuditEntry.entity == "isa_agreement", AuditEntry.field == "status",
                   AuditEntry.new == AgreementStatus.SUPERSEDED.value)
            .group_by(AuditEntry.entity_id))
    return {i: at.date() for i, at in s.execute(stmt)}


def _party_has_personal(p: IsaParty) -> bool:
    return p.lead_person_id is not None or bool(p.lead_role) or any(
        sp.person_id is not None or sp.email or sp.phone for sp in p.spocs)


def due(db: Database, today: dt.date | None = None) -> list[RetentionItem]:
    """Every record holding personal data past its retention period, oldest first."""
    limit = cutoff(today)
    items: list[RetentionItem] = []
    with db.session() as s:
        superseded = _superseded_on(s)
        parties = s.scalars(select(IsaParty).options(
            selectinload(IsaParty.spocs).selectinload(IsaSpoc.person),
            selectinload(IsaParty.organisation), selectinload(IsaParty.agreement))).all()
        for p in parties:
            closed, reason = None, ""
            if p.status == SignatureStatus.WITHDRAWN.value:
                closed = p.withdrawal_effective or p.status_date
                reason = "party withdrew"
            agreement_closed = superseded.get(p.agreement_id)
            if p.agreement.status == AgreementStatus.SUPERSEDED.value and agreement_closed \
                    and (closed is None or agreement_closed < closed):
                closed, reason = agreement_closed, f"agreement {p.agreement.reference} superseded"
            if closed is not None and closed <= limit and _party_has_personal(p):
                items.append(RetentionItem("isa_party", p.id,
                                           f"Signatory and SPOCs of {p.label}", closed,
                                           reason, "anonymise"))
                continue
            for sp in p.spocs:
                if sp.until is not None and sp.until <= limit and (
                        sp.person_id is not None or sp.email or sp.phone):
                    items.append(RetentionItem("isa_spoc", sp.id, f"{sp.label} ({p.label})",
                                               sp.until, "no longer a SPOC", "anonymise"))
        for m in s.scalars(select(Membership).options(selectinload(Membership.person),
                                                      selectinload(Membership.board))
                           .where(Membership.end_date.is_not(None),
                                  Membership.end_date <= limit)):
            items.append(RetentionItem("membership", m.id,
                                       f"{m.person.name} on {m.board.name}", m.end_date,
                                       "membership ended", "delete"))
    return sorted(items, key=lambda i: (i.closed, i.kind, i.id))


def _scrub_audit(s: Session, entity: str, ids: list[int]) -> None:
    """Remove the personal values the audit trail kept for these rows."""
    if ids:
        s.execute(update(AuditEntry)
                  .where(AuditEntry.entity == entity, AuditEntry.entity_id.in_(ids))
                  .values(old=None, new=None, label="(removed under retention)"))


def _anonymise_spoc(sp: IsaSpoc) -> None:
    sp.person_id = None
    sp.email = None
    sp.phone = None
    sp.note = None
    sp.role = "(removed under retention)"


def apply(db: Database, keys: list[tuple[str, int]], today: dt.date | None = None) -> int:
    """Anonymise or delete the chosen items (all in one transaction); returns how many.

    Items that are no longer due (someone changed them) are refused, and nothing is changed.
    """
    wanted = set(keys)
    current = {i.key: i for i in due(db, today)}
    missing = wanted - current.keys()
    if missing:
        raise UserError("Some of the chosen records are no longer past their retention period; "
                        "refresh the list and try again.")
    with db.session() as s:
        spoc_ids: list[int] = []
        party_ids: list[int] = []
        member_ids: list[int] = []
        for kind, row_id in sorted(wanted):
            if kind == "isa_party":
                party = s.get(IsaParty, row_id)
                assert party is not None
                party.lead_person_id = None
                party.lead_role = None
                for sp in party.spocs:
                    _anonymise_spoc(sp)
                    spoc_ids.append(sp.id)
                party_ids.append(row_id)
            elif kind == "isa_spoc":
                spoc = s.get(IsaSpoc, row_id)
                assert spoc is not None
                _anonymise_spoc(spoc)
                spoc_ids.append(row_id)
            else:
                member = s.get(Membership, row_id)
                s.delete(member)
                member_ids.append(row_id)
        s.flush()
        _scrub_audit(s, "isa_spoc", spoc_ids)
        _scrub_audit(s, "isa_party", party_ids)
        _scrub_audit(s, "membership", member_ids)
        if member_ids:
            s.execute(delete(AuditEntry).where(AuditEntry.entity == "membership",
                                               AuditEntry.entity_id.in_(member_ids),
                                               AuditEntry.action != "delete"))
    return len(wanted)
