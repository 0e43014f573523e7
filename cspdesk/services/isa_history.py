"""Audit trail per party: the party's own changes and those of its SPOCs, in words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from cspdesk.dates import format_date
from cspdesk.db.engine import Database
from cspdesk.models import Organisation, Person
from cspdesk.models.isa import IsaSpoc, SignatureStatus
from cspdesk.services import audit

FIELD_LABELS = {
    "board_member": "CSP Board member", "lead_person_id": "Lead signatory",
    "lead_role": "Signatory role", "status": "Signature status", "status_date": "Status date",
    "ecins_user": "ECINS user", "joined_on": "Joined", "notice_given_on": "Notice given",
    "withdrawal_effective": "Leaves on", "spoc_changed_on": "SPOC changed",
    "organisation_id": "Organisation", "person_id": "Person", "notes": "Notes",
    "position": "Position", "role": "Role", "email": "Email", "phone": "Phone", "note": "Note",
    "since": "SPOC since", "until": "SPOC until",
}
ACTIONS = {"insert": "added", "update": "changed", "delete": "removed", "merge": "merged"}


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    user: str
    what: str
    action: str
    field: str | None
    field_label: str
    old: str | None
    new: str | None


def _names(db: Database, model: type, ids: set[int]) -> dict[str, str]:
    if not ids:
        return {}
    with db.session() as s:
        return {str(i): n for i, n in s.execute(select(model.id, model.name)
                                                 .where(model.id.in_(ids)))}


def _value(field: str | None, value: str | None, people: dict[str, str],
           orgs: dict[str, str]) -> str | None:
    if value is None or field is None:
        return value
    if field in {"lead_person_id", "person_id"}:
        return people.get(value, value)
    if field == "organisation_id":
        return orgs.get(value, value)
    if field == "status":
        try:
            return SignatureStatus(value).label
        except ValueError:
            return value
    if field in {"board_member", "ecins_user"}:
        return {"True": "Yes", "False": "No"}.get(value, value)
    try:
        return format_date(dt.date.fromisoformat(value)) if len(value) == 10 else value
    except ValueError:
        return value


def party_history(db: Database, party_id: int) -> list[HistoryRow]:
    """Newest first: who changed what on this party and its SPOCs (old -> new)."""
    with db.session() as s:
        spoc_ids = list(s.scalars(select(IsaSpoc.id).where(IsaSpoc.party_id == party_id)))
    entries = audit.history(db, entity_ids=[("isa_party", party_id)]
                            + [("isa_spoc", i) for i in spoc_ids])
    ids = {e.old for e in entries if e.field} | {e.new for e in entries if e.field}
    numeric = {int(v) for v in ids if v and v.isdigit()}
    people, orgs = _names(db, Person, numeric), _names(db, Organisation, numeric)
    rows = []
    for e in entries:
        if e.field in {"position"}:
            continue
        what = e.label if e.entity == "isa_spoc" else "Party"
        rows.append(HistoryRow(e.at, e.user, what or "", ACTIONS.get(e.action, e.action),
                               e.field, FIELD_LABELS.get(e.field or "", e.field or ""),
                               _value(e.field, e.old, people, orgs),
                               _value(e.field, e.new, people, orgs)))
    return rows
