"""ISA register: add, edit and delete parties and their SPOCs (with validation)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.errors import UserError, ValidationError
from cspdesk.models import Organisation, Person
from cspdesk.models.isa import IsaAgreement, IsaParty, IsaSpoc, SignatureStatus
from cspdesk.services.isa import PARTY_LOAD, PartyRow, party_row
from cspdesk.services.people import (
    EMAIL_RE,
    _load_checked,
    clean_text,
    find_organisation,
    match_key,
)

#: titles printed before names ("Insp. Paul Rogerson"); dropped when matching people
TITLES = re.compile(r"^(?:insp(?:ector)?|cllr|councillor|dr|pc|ds|di|supt|ch\.? ?insp|mr|mrs|"
                    r"ms|miss)\.?\s+", re.IGNORECASE)
DATED_STATUSES = {"form_sent", "form_returned", "declined", "withdrawn"}


#: (name, organisation, role) -> the person of that name, found or added
PersonFinder = Callable[[str | None, Organisation | None, str | None], Person | None]


@dataclass
class SpocInput:
    """One SPOC as the form or the importer gives it."""

    name: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    note: str | None = None


@dataclass
class PartyInput:
    """What the party form submits (the organisation by name or alias)."""

    organisation: str
    board_member: bool | None = None
    lead_name: str | None = None
    lead_role: str | None = None
    status: str = SignatureStatus.NOT_RECORDED.value
    status_date: dt.date | None = None
    ecins_user: bool | None = None
    joined_on: dt.date | None = None
    notes: str | None = None
    spocs: list[SpocInput] = field(default_factory=list)


def strip_title(name: str) -> str:
    return TITLES.sub("", clean_text(name)).strip()


def validate_spoc(sp: SpocInput, index: int = 0) -> SpocInput:
    name, role = strip_title(sp.name or "") or None, clean_text(sp.role) or None
    email, phone = clean_text(sp.email) or None, clean_text(sp.phone) or None
    where = f"SPOC {index + 1}" if index else "The SPOC"
    if not name and not role:
        raise ValidationError(f"{where} needs a name or a role.", field="spocs")
    if email and not EMAIL_RE.match(email):
        raise ValidationError(f"'{email}' is not an email address.", field="spocs")
    if phone and not re.fullmatch(r"[0-9 +()\-.ext]{6,}", phone, re.IGNORECASE):
        raise ValidationError(f"'{phone}' is not a telephone number.", field="spocs")
    return SpocInput(name, role, email, phone, clean_text(sp.note) or None)


def validate_party(data: PartyInput, today: dt.date | None = None) -> PartyInput:
    """Clean and check a party's fields; raise ValidationError naming the field."""
    today = today or clock.today()
    org = clean_text(data.organisation)
    if not org:
        raise ValidationError("Choose the organisation.", field="organisation")
    if data.status not in {s.value for s in SignatureStatus}:
        raise ValidationError(f"'{data.status}' is not a signature status.", field="status")
    status_date = data.status_date if data.status in DATED_STATUSES else None
    if status_date and status_date > today:
        raise ValidationError("The status date cannot be in the future.", field="status_date")
    spocs = [validate_spoc(sp, i + 1 if len(data.spocs) > 1 else 0)
             for i, sp in enumerate(data.spocs)]
    return PartyInput(org, data.board_member, strip_title(data.lead_name or "") or None,
                      clean_text(data.lead_role) or None, data.status, status_date,
                      data.ecins_user, data.joined_on, (data.notes or "").strip() or None, spocs)


def find_person(s: Session, name: str) -> Person | None:
    """A person by name, loosely (case, punctuation, titles, look-alike letters)."""
    from cspdesk.services.name_index import person_id

    name = strip_title(name)
    found = person_id(s, name, match_key(name), lambda n: match_key(strip_title(n)))
    return None if found is None else s.get(Person, found)


def person_for(s: Session, name: str | None, org: Organisation | None,
               role: str | None = None) -> Person | None:
    """The person called ``name``, created (in ``org``) if new."""
    if not name:
        return None
    found = find_person(s, name)
    if found is None:
        found = Person(name=strip_title(name), organisation=org, role=role)
        s.add(found)
        s.flush()
    return found


def find_organisation_loose(s: Session, name: str) -> Organisation | None:
    """An organisation by name or alias; also tries the name without a trailing bracket
    ("Swavesey Village College (part of ...)") and the bracket itself ("(BeNCH CRC)")."""
    found = find_organisation(s, name)
    m = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", clean_text(name))
    if found is None and m:
        found = find_organisation(s, m.group(1)) or find_organisation(s, m.group(2))
    return found


def organisation_for(s: Session, name: str, org_type: str | None = None) -> Organisation:
    org = find_organisation_loose(s, name)
    if org is None:
        org = Organisation(name=clean_text(name), type=org_type or "other")
        s.add(org)
        s.flush()
    return org


def set_spocs(s: Session, party: IsaParty, spocs: list[SpocInput], today: dt.date,
              find: PersonFinder | None = None) -> bool:
    """Make the party's current SPOCs match ``spocs``; ended SPOCs keep their history.
    Returns True when the set of people changed (a 'SPOC changed' event). ``find`` gives the
    person for a name (default ``person_for``; a bulk import passes one that needs no flush)."""
    find = find or (lambda name, org, role: person_for(s, name, org, role))
    current = [sp for sp in party.spocs if sp.until is None]
    remaining = list(current)
    changed = False
    for pos, data in enumerate(spocs):
        person = find(data.name, party.organisation, data.role)
        match = next((sp for sp in remaining if _same_spoc(sp, person, data.role)), None)
        if match is None:
            match = IsaSpoc(person=person, since=today)
            party.spocs.append(match)
            changed = True
        else:
            remaining.remove(match)
        for attr in ("role", "email", "phone", "note"):
            if getattr(match, attr) != getattr(data, attr):
                setattr(match, attr, getattr(data, attr))
        if match.position != pos:
            match.position = pos
    for sp in remaining:
        sp.until = today
        changed = True
    if changed and current:
        party.spoc_changed_on = today
    return changed


def _same_spoc(sp: IsaSpoc, person: Person | None, role: str | None) -> bool:
    """Whether SPOC ``sp`` is ``person`` (or, with nobody named, has the same role); works for
    people and SPOCs not flushed yet."""
    if person is None:
        return sp.person_id is None and sp.person is None and sp.role == role
    if person.id is not None and sp.person_id == person.id:
        return True
    return sp.person_id is None and sp.person is person


def _fill(s: Session, party: IsaParty, data: PartyInput, today: dt.date) -> bool:
    """Copy the form onto the party; True when its joined date changed."""
    joined_before = party.joined_on
    org = find_organisation_loose(s, data.organisation)
    if org is None:
        raise ValidationError(f"There is no organisation called '{data.organisation}'; add it "
                              "under People & organisations first.", field="organisation")
    party.organisation = org
    for attr in ("board_member", "lead_role", "status", "status_date", "ecins_user",
                 "joined_on", "notes"):
        if getattr(party, attr) != getattr(data, attr):
            setattr(party, attr, getattr(data, attr))
    lead = person_for(s, data.lead_name, org, data.lead_role)
    if party.lead_person_id != (lead.id if lead else None):
        party.lead_person = lead
    set_spocs(s, party, data.spocs, today)
    return party.joined_on != joined_before


def _join_news(s: Session, party: IsaParty, today: dt.date) -> None:
    from cspdesk.services.isa_rules import sync_join_task

    s.flush()
    sync_join_task(s, party, today)
    s.flush()


def _check_unique(s: Session, agreement_id: int, org_name: str, own_id: int | None) -> None:
    org = find_organisation_loose(s, org_name)
    if org is None:
        return
    clash = s.scalar(select(IsaParty.id).where(IsaParty.agreement_id == agreement_id,
                                               IsaParty.organisation_id == org.id))
    if clash is not None and clash != own_id:
        raise ValidationError(f"{org.name} is already a party to this agreement.",
                              field="organisation")


def add_party(db: Database, agreement_id: int, data: PartyInput) -> PartyRow:
    """Add an organisation to an agreement's register (at the end)."""
    today = clock.today()
    data = validate_party(data, today)
    with db.session() as s:
        agreement = s.get(IsaAgreement, agreement_id)
        if agreement is None:
            raise UserError("That agreement no longer exists; refresh the list.")
        _check_unique(s, agreement_id, data.organisation, None)
        last = s.scalar(select(func.max(IsaParty.position))
                        .where(IsaParty.agreement_id == agreement_id))
        party = IsaParty(agreement_id=agreement_id, position=(last or 0) + 1)
        joined = _fill(s, party, data, today)
        s.add(party)
        if joined:
            _join_news(s, party, today)
        s.flush()
        return _reload(s, party.id)


def update_party(db: Database, party_id: int, data: PartyInput,
                 version: int | None = None) -> PartyRow:
    """Save edits; ``version`` is the row version the form was opened with."""
    today = clock.today()
    data = validate_party(data, today)
    with db.session() as s:
        party = _load_checked(s, IsaParty, party_id, version, "party")
        _check_unique(s, party.agreement_id, data.organisation, party_id)
        if _fill(s, party, data, today):
            _join_news(s, party, today)
        s.flush()
        return _reload(s, party_id)


def _reload(s: Session, party_id: int) -> PartyRow:
    s.expire_all()
    party = s.get(IsaParty, party_id, options=list(PARTY_LOAD))
    assert party is not None
    return party_row(party)


def party_input(row: PartyRow) -> PartyInput:
    """The form values of a saved party (used to undo an edit)."""
    return PartyInput(row.organisation, row.board_member, row.lead_name, row.lead_role,
                      row.status, row.status_date, row.ecins_user, row.joined_on, row.notes,
                      [SpocInput(sp.name, sp.role, sp.email, sp.phone, sp.note)
                       for sp in row.spocs])


def delete_party(db: Database, party_id: int) -> None:
    """Remove a party (entered by mistake) with its SPOCs and tasks."""
    with db.session() as s:
        party = _load_checked(s, IsaParty, party_id, None, "party")
        s.delete(party)


def restore_party(db: Database, agreement_id: int, row: PartyRow) -> PartyRow:
    """Undo a delete: add the party back at its old position."""
    restored = add_party(db, agreement_id, party_input(row))
    with db.session() as s:
        party = s.get(IsaParty, restored.id)
        assert party is not None
        party.position = row.position
        party.notice_given_on, party.withdrawal_effective = (row.notice_given_on,
                                                             row.withdrawal_effective)
        s.flush()
        return _reload(s, restored.id)
