"""The bulk write path of the register import: audit records for rows inserted in bulk, one
organisation per loosely repeated new name, row versions, updates alongside inserts, cancel."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cspdesk.db.engine import Database
from cspdesk.errors import ValidationError
from cspdesk.models import AuditEntry, Organisation, OrganisationAlias, Person
from cspdesk.models.isa import IsaParty, IsaSpoc
from cspdesk.progress import Cancelled, Progress
from cspdesk.services import isa, isa_import
from tests.services.isa_helpers import new_agreement

HEAD = ["Organisation", "CSP Board Member?", "Lead Signatory Name & Role",
        "Signature form returned", "Specific Point of Contact (SPOC) for this agreement",
        "SPOC email", "ECINS users"]


def _register(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEAD, *rows])
    return path


def _rows(n: int) -> list[list[str]]:
    """``n`` partners, each with a lead and two SPOCs (the second a job share)."""
    return [[f"Partner {i:04d} (PT{i})", "Yes" if i % 2 else "No",
             f"Lead Person{i} - Chief Executive", "01/06/2019",
             f"Spoc A{i} - Officer / Spoc B{i} (job share)", f"a{i}@example.org", "No"]
            for i in range(n)]


def _import(db: Database, path: Path, progress: Progress | None = None) -> isa_import.Preview:
    preview = isa_import.parse(db, path, "CSP ISA")
    assert not preview.errors, preview.errors
    isa_import.apply(db, preview, *([progress] if progress else []))
    return preview


def _inserts(db: Database) -> dict[str, Counter[int]]:
    """Audit 'insert' records per table, counted per row id."""
    with db.session() as s:
        found: dict[str, Counter[int]] = {}
        for entity, entity_id in s.execute(select(AuditEntry.entity, AuditEntry.entity_id)
                                           .where(AuditEntry.action == "insert")):
            found.setdefault(entity, Counter())[entity_id] += 1
        return found


def _ids(db: Database, model: type) -> set[int]:
    with db.session() as s:
        return set(s.scalars(select(model.id)))


def test_300_rows_leave_one_audit_record_per_created_row(db: Database, tmp_path: Path,
                                                         fixed_today) -> None:
    new_agreement(db)
    before = {m: _ids(db, m) for m in (Organisation, OrganisationAlias, Person, IsaParty, IsaSpoc)}
    _import(db, _register(tmp_path / "r.csv", _rows(300)))
    inserts = _inserts(db)
    created = {m: _ids(db, m) - before[m] for m in before}
    assert [len(created[m]) for m in before] == [300, 300, 900, 300, 600]
    for model, ids in created.items():
        audited = inserts[model.__tablename__]
        assert all(audited[i] == 1 for i in ids), model.__tablename__
    with db.session() as s:
        label = s.scalar(select(AuditEntry.label).where(
            AuditEntry.entity == "isa_spoc", AuditEntry.entity_id == max(created[IsaSpoc])))
        versions = set(s.scalars(select(IsaParty.version)))
        who = s.scalar(select(AuditEntry.os_user).where(AuditEntry.entity == "isa_party"))
        aliases = set(s.scalars(select(OrganisationAlias.alias)))
    assert label == "SPOC Spoc B299" and versions == {1} and who == db.os_user
    assert {"PT0", "PT299"} <= aliases


def test_two_rows_naming_the_same_new_organisation_create_it_once(
        db: Database, tmp_path: Path, fixed_today) -> None:
    a = new_agreement(db)
    path = _register(tmp_path / "r.csv", [
        ["Acme Housing Trust", "Yes", "Ann Lead - Director", "", "Sam Spoc", "", ""],
        ["ACME Housing Trust.", "No", "Ann Lead - Director", "", "Kim Spoc", "", "Yes"],
        ["RSL: Acme Housing & Care (AHC)", "", "", "", "", "", ""],
        ["AHC", "", "Bo Smith", "", "", "", ""],
    ])
    _import(db, path)
    with db.session() as s:
        names = list(s.scalars(select(Organisation.name).where(
            Organisation.name.like("%Acme%")).order_by(Organisation.id)))
        people = Counter(s.scalars(select(Person.name)))
    assert names == ["Acme Housing Trust", "Acme Housing & Care (AHC)"]
    assert people["Ann Lead"] == 1
    parties = {p.organisation: p for p in isa.list_parties(db, a.id)}
    assert len(parties) == 2
    trust = parties["Acme Housing Trust"]
    # the later row wins, as it did when every row was saved in turn
    assert trust.board_member is False and trust.ecins_user is True
    assert [sp.name for sp in trust.spocs] == ["Kim Spoc"]
    assert parties["Acme Housing & Care (AHC)"].lead_name == "Bo Smith"
    inserts = _inserts(db)
    assert sum(inserts["organisation"].values()) == 2


def test_existing_parties_are_updated_with_versions_and_field_records(
        db: Database, tmp_path: Path, fixed_today) -> None:
    a = new_agreement(db)
    rows = _rows(5)
    _import(db, _register(tmp_path / "one.csv", rows))
    rows[2][1] = "Yes" if rows[2][1] == "No" else "No"
    rows[3][4] = "Someone Else - Officer"
    rows.append(["Partner 9999", "Yes", "New Lead", "", "Spoc A0 - Officer", "", ""])
    preview = _import(db, _register(tmp_path / "two.csv", rows))
    assert (preview.count("add"), preview.count("update"), preview.count("unchanged")) == (1, 2, 3)
    parties = {p.organisation: p for p in isa.list_parties(db, a.id)}
    assert parties["Partner 0002 (PT2)"].version == 2
    assert parties["Partner 0001 (PT1)"].version == 1
    assert [sp.name for sp in parties["Partner 0003 (PT3)"].spocs] == ["Someone Else"]
    assert parties["Partner 9999"].spocs[0].name == "Spoc A0"  # an existing person, found
    with db.session() as s:
        fields = set(s.execute(select(AuditEntry.entity, AuditEntry.field)
                               .where(AuditEntry.action == "update")))
        spoc_a0 = s.scalar(select(func.count()).select_from(Person)
                           .where(Person.name == "Spoc A0"))
    assert ("isa_party", "board_member") in fields and ("isa_spoc", "until") in fields
    assert spoc_a0 == 1
    again = isa_import.parse(db, tmp_path / "two.csv", "CSP ISA")
    assert again.count("unchanged") == 6


def _counts(db: Database) -> tuple[int, ...]:
    with db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) or 0
                     for m in (Organisation, Person, IsaParty, IsaSpoc, AuditEntry))


def test_cancel_while_saving_leaves_nothing(db: Database, tmp_path: Path, fixed_today) -> None:
    new_agreement(db)
    before = _counts(db)
    seen: list[tuple[int, int]] = []
    progress = Progress()

    def listen(done: int, total: int, _text: str) -> None:
        seen.append((done, total))
        if done > total * 3 // 4:
            progress.cancel()

    progress.listener = listen
    with pytest.raises(Cancelled):
        _import(db, _register(tmp_path / "r.csv", _rows(1500)), progress)
    assert _counts(db) == before
    assert seen[-1][0] > 3000 * 3 // 4 and seen[-1][1] == 3000  # cancelled in the saving half


def test_too_long_text_in_a_new_row_is_refused_before_anything_is_written(
        db: Database, tmp_path: Path, fixed_today) -> None:
    new_agreement(db)
    before = _counts(db)
    rows = _rows(3)
    rows[2][4] = "Kim " + "x" * 250
    with pytest.raises(ValidationError, match="person name is too long"):
        _import(db, _register(tmp_path / "r.csv", rows))
    assert _counts(db) == before
