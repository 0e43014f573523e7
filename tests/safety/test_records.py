"""Audit coverage, the audit view's queries and export, retention, subject access."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.models import AuditEntry, Base, Entity, Membership, Person
from cspdesk.models.isa import IsaParty, IsaSpoc
from cspdesk.services import audit_query, retention, subject_access

#: entities deliberately not audited (none today); name them here with the reason
NOT_AUDITED: dict[str, str] = {}


def test_every_entity_is_audited() -> None:
    entities = [m.class_ for m in Base.registry.mappers if issubclass(m.class_, Entity)]
    assert len(entities) > 20
    for cls in entities:
        if cls.__tablename__ in NOT_AUDITED:
            continue
        assert cls.__audited__, f"{cls.__name__} is not audited"
        assert cls.__mapper__.version_id_col is not None, f"{cls.__name__} has no row version"
        label = cls.__label_field__
        assert hasattr(cls, label), f"{cls.__name__}.__label_field__ {label!r} does not exist"


def test_demo_changes_are_in_the_audit_trail(demo_db: Database) -> None:
    with demo_db.session() as s:
        audited = set(s.scalars(select(AuditEntry.entity).distinct()))
        populated = {m.class_.__tablename__ for m in Base.registry.mappers
                     if issubclass(m.class_, Entity)
                     and s.scalar(select(m.class_.id).limit(1)) is not None}
    assert populated - audited == set()


def test_audit_filters_and_exports(demo_db: Database, tmp_path: Path) -> None:
    from cspdesk.services import people

    clock.set_clock(dt.datetime(2031, 1, 2, 10, 0))
    try:
        row = people.add_person(demo_db, people.PersonInput(name="=HYPERLINK(\"x\")"))
        people.update_person(demo_db, row.id, people.PersonInput(name="Zed Audit"), row.version)
    finally:
        clock.set_clock(None)
    found = audit_query.search(demo_db, audit_query.AuditFilter(
        entity="person", date_from=dt.date(2031, 1, 1), date_to=dt.date(2031, 1, 2)))
    assert {r.action for r in found} == {"insert", "update"}
    assert all(r.entity_id == row.id for r in found)
    by_text = audit_query.search(demo_db, audit_query.AuditFilter(text="Zed Audit"))
    assert by_text and all("Zed Audit" in (r.label or "") + (r.new or "") for r in by_text)
    assert "person" in audit_query.entities(demo_db)
    assert audit_query.search(demo_db, audit_query.AuditFilter(date_to=dt.date(1990, 1, 1))) == []
    out = audit_query.export(found, tmp_path / "audit.xlsx")
    sheet = openpyxl.load_workbook(out).active
    cells = [c for r in sheet.iter_rows() for c in r]
    assert "=HYPERLINK(\"x\")" in [c.value for c in cells]  # shown as typed, as text
    assert all(c.data_type == "s" and c.quotePrefix for c in cells
               if isinstance(c.value, str) and c.value.startswith("="))
    csv_text = audit_query.export(found, tmp_path / "audit.csv").read_text(encoding="utf-8-sig")
    assert "Zed Audit" in csv_text and ",=" not in csv_text


def test_audit_about_a_person_follows_person_fields(demo_db: Database) -> None:
    """A person filter finds their own record and rows pointing at them by id (an action's
    lead officer), as the subject access export does."""
    from cspdesk.models.actions import PlanAction
    from cspdesk.services import people

    person = people.add_person(demo_db, people.PersonInput(name="Yvette Leadwell"))
    with demo_db.session() as s:
        action = s.scalars(select(PlanAction).where(PlanAction.lead_person_id.is_(None))).first()
        action.lead_person_id = person.id
        action_id = action.id
    found = audit_query.search(demo_db, audit_query.AuditFilter(person_id=person.id))
    assert {(r.entity, r.entity_id) for r in found} == {("person", person.id),
                                                         ("plan_action", action_id)}
    assert any(r.field == "lead_person_id" and r.new == str(person.id) for r in found)
    kathryn = next(p for p in people.list_people(demo_db) if p.name == "Kathryn Hawkes")
    about = audit_query.search(demo_db, audit_query.AuditFilter(person_id=kathryn.id))
    assert {"person", "plan_action", "membership"} <= {r.entity for r in about}  # she leads


def _end(demo_db: Database, when: dt.date) -> tuple[int, int, str]:
    with demo_db.session() as s:
        member = s.scalars(select(Membership)).first()
        member.end_date = when
        spoc = s.scalars(select(IsaSpoc).where(IsaSpoc.person_id.is_not(None))).first()
        spoc.until = when
        return member.id, spoc.id, spoc.person.name


def test_retention_lists_and_anonymises(demo_db: Database) -> None:
    today = dt.date(2023, 6, 1)
    member_id, spoc_id, spoc_name = _end(demo_db, dt.date(2021, 11, 30))
    items = retention.due(demo_db, today)
    keys = {i.key for i in items}
    assert ("membership", member_id) in keys and ("isa_spoc", spoc_id) in keys
    assert retention.due(demo_db, dt.date(2023, 5, 29)) == [] or all(
        i.closed <= retention.cutoff(dt.date(2023, 5, 29)) for i in
        retention.due(demo_db, dt.date(2023, 5, 29)))
    assert not any(i.key == ("membership", member_id)
                   for i in retention.due(demo_db, dt.date(2023, 5, 1)))
    retention.apply(demo_db, [("membership", member_id), ("isa_spoc", spoc_id)], today)
    with demo_db.session() as s:
        assert s.get(Membership, member_id) is None
        spoc = s.get(IsaSpoc, spoc_id)
        assert spoc.person_id is None and spoc.email is None and spoc.phone is None
        leftovers = s.scalars(select(AuditEntry).where(
            AuditEntry.entity == "isa_spoc", AuditEntry.entity_id == spoc_id)).all()
        assert leftovers and all(spoc_name not in f"{a.old}{a.new}{a.label}" for a in leftovers)
    assert not {("membership", member_id), ("isa_spoc", spoc_id)} & {
        i.key for i in retention.due(demo_db, today)}


def test_retention_refuses_items_no_longer_due(demo_db: Database) -> None:
    from cspdesk.errors import UserError

    member_id, _spoc, _name = _end(demo_db, dt.date(2021, 1, 1))
    with demo_db.session() as s:
        s.get(Membership, member_id).end_date = None
    with pytest.raises(UserError, match="no longer past"):
        retention.apply(demo_db, [("membership", member_id)], dt.date(2023, 6, 1))


def test_subject_access_gathers_every_record(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.session() as s:
        party = s.scalars(select(IsaParty).where(IsaParty.lead_person_id.is_not(None))).first()
        person = s.get(Person, party.lead_person_id)
        person_id, name = person.id, person.name
    records = subject_access.gather(demo_db, person_id)
    tables = {sec.table for sec in records.sections}
    assert {"person", "isa_party", "audit_entry"} <= tables
    out = subject_access.export(demo_db, person_id, tmp_path / "sar.xlsx")
    book = openpyxl.load_workbook(out)
    assert book["Summary"]["B2"].value == name
    assert book["isa_party"].max_row >= 2
    assert sum(ws.max_row - 1 for ws in book.worksheets[1:]) == records.count
