"""Writing an imported register inside the caller's transaction, fast enough for 10,000 rows.

``write_rows`` first plans every row in memory (organisations and people matched loosely by
``ImportNames``, one read of each table). What is new (organisations, aliases, people, parties
and their SPOCs) is then inserted in bulk, a thousand rows a statement, with its length checks
and audit records written here because a bulk insert bypasses the flush hooks. Parties that
already exist are updated through the ORM as before, so their row versions move on and the
audit hook records each changed field. A failure anywhere rolls the caller's transaction back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, inspect, select
from sqlalchemy.orm import Session

from cspdesk.db.engine import check_lengths
from cspdesk.models import Organisation, OrganisationAlias, Person
from cspdesk.models.isa import IsaAgreement, IsaParty, IsaSpoc, IsaTask, TaskKind
from cspdesk.progress import NULL_PROGRESS, Progress
from cspdesk.services.audit import record_inserts
from cspdesk.services.import_names import ImportNames, Planned, Ref, ref_id
from cspdesk.services.isa import PARTY_LOAD
from cspdesk.services.isa_parties import set_spocs
from cspdesk.services.isa_rules import NOTIFY_WITHIN_DAYS, join_task_title
from cspdesk.services.people import clean_text

if TYPE_CHECKING:
    from cspdesk.services.isa_import import ImportRow

#: rows per bulk INSERT statement (progress and cancel are checked between statements)
CHUNK = 1000
#: existing parties updated between flushes
BATCH = 500


def write_rows(s: Session, agreement: IsaAgreement, rows: list[ImportRow], today: dt.date,
               progress: Progress = NULL_PROGRESS) -> None:
    """Add or update the parties of ``rows`` inside the caller's transaction."""
    if not rows:
        return
    names = ImportNames(s)
    existing = {p.organisation_id: p for p in s.scalars(
        select(IsaParty).options(*PARTY_LOAD).where(IsaParty.agreement_id == agreement.id))}
    position = max((p.position for p in existing.values()), default=0)
    planned: dict[Ref, Planned] = {}  # new parties by organisation
    modes: list[tuple[str, Ref]] = []  # per row: "new" party (bulk) or "orm" update
    total = 2 * len(rows)
    for i, row in enumerate(rows):
        progress.update(i, total, f"Reading {row.organisation}")
        progress.check()
        org = names.organisation_ref(row.organisation)
        if org is None:
            aliases = _aliases(names, row.organisation)
            org = Planned({"name": row.organisation, "type": row.org_type or _guess(row)},
                          extra={"aliases": aliases})
            names.plan_organisation(org, aliases)
        lead = names.plan_person(row.lead_name, org, row.lead_role)
        spocs = [(sp, names.plan_person(sp.name, org, sp.role)) for sp in row.spocs]
        if org in existing or org in planned:  # a second row naming a new party: ORM, after
            modes.append(("orm", org))
            continue
        position += 1
        planned[org] = Planned(
            {"agreement_id": agreement.id, "position": position, "board_member": row.board_member,
             "lead_role": row.lead_role, "status": row.status, "status_date": row.status_date,
             "ecins_user": row.ecins_user}, extra={"org": org, "lead": lead, "spocs": spocs})
        modes.append(("new", org))
    _insert_new(s, names, list(planned.values()), today, _Steps(progress, len(rows), total))
    _update(s, names, rows, modes, existing, planned, today)


class _Steps:
    """Progress through the second half: bulk statements, a share each."""

    def __init__(self, progress: Progress, start: int, total: int) -> None:
        self.progress, self.start, self.total, self.done, self.work = progress, start, total, 0, 1

    def step(self, rows: int) -> None:
        self.done += rows
        share = (self.total - self.start) * min(self.done, self.work) // self.work
        self.progress.update(self.start + share, self.total, "Saving the register")
        self.progress.check()


def _insert_new(s: Session, names: ImportNames, parties: list[Planned], today: dt.date,
                steps: _Steps) -> None:
    orgs = names.new_organisations
    aliases = [Planned({"alias": a}, extra={"org": o}) for o in orgs for a in o.extra["aliases"]]
    people = names.new_people
    spocs = [Planned({"role": sp.role, "email": sp.email, "phone": sp.phone, "note": sp.note,
                      "position": pos, "since": today}, extra={"party": party, "person": person})
             for party in parties for pos, (sp, person) in enumerate(party.extra["spocs"])]
    steps.work = max(1, len(orgs) + len(aliases) + len(people) + len(parties) + len(spocs))
    _bulk(s, Organisation, orgs, lambda p: p.values["name"], steps)
    for a in aliases:
        a.values["organisation_id"] = ref_id(a.extra["org"])
    _bulk(s, OrganisationAlias, aliases, lambda p: p.values["alias"], steps)
    for person in people:
        person.values["organisation_id"] = ref_id(person.extra["org"])
    _bulk(s, Person, people, lambda p: p.values["name"], steps)
    for party in parties:
        party.values["organisation_id"] = ref_id(party.extra["org"])
        party.values["lead_person_id"] = ref_id(party.extra["lead"])
    _bulk(s, IsaParty, parties, lambda p: names.org_name(p.extra["org"]), steps)
    for sp in spocs:
        sp.values["party_id"] = ref_id(sp.extra["party"])
        sp.values["person_id"] = ref_id(sp.extra["person"])

    def spoc_label(p: Planned) -> str:
        person = p.extra["person"]
        return "SPOC " + (names.person_name(person) if person is not None
                          else p.values["role"] or "SPOC")

    _bulk(s, IsaSpoc, spocs, spoc_label, steps)


def _bulk(s: Session, model: type, rows: list[Planned], label: Callable[[Planned], str],
          steps: _Steps) -> None:
    """Insert ``rows`` (ids read back in order) with their audit records."""
    mapper = inspect(model)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        for row in chunk:
            check_lengths(mapper, row.values)
        ids = s.scalars(insert(model).returning(model.id, sort_by_parameter_order=True),
                        [row.values for row in chunk]).all()
        for row, row_id in zip(chunk, ids, strict=True):
            row.id = row_id
        record_inserts(s, model.__tablename__, [(row.id, label(row)) for row in chunk])
        steps.step(len(chunk))


def _update(s: Session, names: ImportNames, rows: list[ImportRow], modes: list[tuple[str, Ref]],
            existing: dict[Any, IsaParty], planned: dict[Ref, Planned], today: dt.date) -> None:
    """Organisation types of matched organisations, and rows for parties that already
    existed (or that an earlier row of this import added), through the ORM."""
    ids = [ref_id(names.person_ref(name)) for row, (mode, _org) in zip(rows, modes, strict=True)
           if mode == "orm" for name in (row.lead_name, *(sp.name for sp in row.spocs)) if name]
    people = []  # held here: the session keeps loaded objects only while referenced
    for start in range(0, len(ids), CHUNK):  # one query per thousand people these rows name
        people += s.scalars(select(Person).where(Person.id.in_(ids[start:start + CHUNK]))).all()
    done = 0
    with s.no_autoflush:
        for row, (mode, ref) in zip(rows, modes, strict=True):
            if mode == "new" and (isinstance(ref, Planned) or not row.org_type):
                continue
            org = s.get(Organisation, ref_id(ref))
            assert org is not None
            if row.org_type and org.type != row.org_type:
                org.type = row.org_type
            if mode == "orm":
                party = existing[ref] if ref in existing else s.get(IsaParty,
                                                                   ref_id(planned[ref]))
                assert party is not None
                _write(s, party, org, row, today, names)
                done += 1
                if done % BATCH == 0:
                    s.flush()
    s.flush()


def _write(s: Session, party: IsaParty, org: Organisation, row: ImportRow, today: dt.date,
           names: ImportNames) -> None:
    for attr in ("board_member", "lead_role", "status", "status_date", "ecins_user"):
        if getattr(party, attr) != getattr(row, attr):
            setattr(party, attr, getattr(row, attr))
    lead = names.person_for(row.lead_name, org, row.lead_role)
    if party.lead_person is not lead:
        party.lead_person = lead
    set_spocs(s, party, list(row.spocs), today, names.person_for)


def _aliases(names: ImportNames, name: str) -> list[str]:
    """A short bracketed abbreviation becomes an alias: '... Limited (BeNCH CRC)'."""
    m = re.match(r"^.*\(([^()]*)\)\s*$", name)
    if not m:
        return []
    short = clean_text(m.group(1))
    if not short or len(short.split()) > 3 or re.match(r"(?i)part of|previously", short):
        return []
    if names.organisation_ref(short) is not None:
        return []
    return [short]


def _guess(row: ImportRow) -> str:
    """Organisation type for a new organisation without a prefix."""
    name = row.organisation.lower()
    if any(w in name for w in ("college", "school", "academy")):
        return "school"
    if any(w in name for w in ("council", "constabulary", "police", "fire", "probation",
                               "clinical commissioning", "rehabilitation company")):
        return "statutory"
    if "voluntary" in name:
        return "voluntary"
    return "other"


def add_join_tasks(s: Session, agreement: IsaAgreement, party_ids: list[int],
                   today: dt.date) -> None:
    """'Notify every SPOC' tasks (due in a week) for parties an import added to an agreement
    that already had parties, inserted in bulk with their audit records."""
    if not party_ids:
        return
    names = {pid: name for pid, name in s.execute(
        select(IsaParty.id, Organisation.name)
        .join(Organisation, IsaParty.organisation_id == Organisation.id)
        .where(IsaParty.id.in_(party_ids)))}
    due = today + dt.timedelta(days=NOTIFY_WITHIN_DAYS)
    tasks = [Planned({"agreement_id": agreement.id, "party_id": pid,
                      "kind": TaskKind.NOTIFY_JOIN.value,
                      "title": join_task_title(names[pid], agreement.reference)[:300],
                      "created_on": today, "due": due}) for pid in party_ids]
    _bulk(s, IsaTask, tasks, lambda p: p.values["title"], _Steps(NULL_PROGRESS, 0, 0))
