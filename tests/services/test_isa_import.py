"""Importing Appendix 1: 40 printed rows, a messy variant, errors, idempotence."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cspdesk.errors import UserError
from cspdesk.models import AuditEntry, Organisation
from cspdesk.services import isa, isa_import
from tests.services.isa_helpers import APPENDIX1, MESSY, new_agreement


def _import(db, path: Path, ref: str = "CSP ISA"):
    preview = isa_import.parse(db, path, ref)
    assert not preview.errors, preview.errors
    return preview, isa_import.apply(db, preview)


def _by_org(db, agreement_id: int) -> dict[str, isa.PartyRow]:
    return {p.organisation: p for p in isa.list_parties(db, agreement_id)}


def test_appendix1_gives_40_parties_with_statuses_spocs_and_types(db, fixed_today):
    a = new_agreement(db)
    preview, result = _import(db, APPENDIX1)
    assert len(preview.rows) == 40 and result.added == 40
    parties = _by_org(db, a.id)
    assert len(parties) == 40
    statuses = Counter(p.status for p in parties.values())
    assert statuses == {"not_sent": 22, "awaiting_details": 12, "awaiting_case": 2,
                        "not_recorded": 4}
    # the job-share row and the two-SPOC row give two SPOCs each
    suffolk = parties["Suffolk Housing Society"]
    assert [s.name for s in suffolk.spocs] == ["Kirstie Banham", "Christine Brown"]
    assert {s.note for s in suffolk.spocs} == {"job share"}
    cottage = parties["Cambridge Cottage Housing"]
    assert [(s.name, s.role) for s in cottage.spocs] == [
        ("Maxine Rustem", "Housing Manager"), ("Hilary Whipp", "Finance Manager")]
    # prefixes set the organisation type and are stripped
    assert parties["Abbeyfield"].org_type == "rsl"
    assert parties["BPHA"].org_type == "rsl"  # "SL:"
    assert parties["Papworth Trust"].org_type == "rsl"  # "SSL:"
    assert parties["CENTRA"].org_type == "support_agency"
    assert parties["Linton Village College"].org_type == "school"
    # cell rules: role only, "Name- Role", "Name-Role", bracketed role, stray bracket, title
    scdc = parties["South Cambridgeshire District Council"]
    assert (scdc.lead_name, scdc.lead_role) == (None, "Head of Service")
    assert [(s.name, s.role) for s in scdc.spocs] == [
        (None, "Community Safety Officer"), ("Jo Brooks", "Information Governance Manager")]
    assert parties["BPHA"].spocs[0].role == "Head of Governance"
    assert parties["Swavesey Village College (part of Cambridge Meridian Academies Trust)"
                   ].spocs[0].role == "SSA&CP"
    assert parties["King Street Housing Society (Part of Aldwyck Housing Group)"
                   ].lead_role == "Head of Legal & Governance"
    assert parties["Cambridgeshire Constabulary"].spocs[0].name == "Paul Rogerson"
    # "Awaiting details" is a status, never a person
    assert parties["Flagship"].spocs == () and parties["Flagship"].lead_name is None
    assert parties["Abbeyfield"].status == "awaiting_details"
    assert [s.name for s in parties["Abbeyfield"].spocs] == ["A Osborne"]
    # Yes/No/blank
    assert parties["Cambridgeshire County Council"].board_member is True
    assert parties["Cambridge Housing Society"].ecins_user is None
    assert parties["Romsey Mill"].ecins_user is False


def test_messy_register_reads_the_same(db, fixed_today, tmp_path):
    a = new_agreement(db)
    clean = isa_import.parse(db, APPENDIX1, a.reference)
    messy = isa_import.parse(db, MESSY, a.reference)
    assert not messy.errors
    assert any("Comments" in w for w in messy.warnings)

    def key(r):
        return (r.organisation.replace("  ", " "), r.org_type, r.board_member, r.lead_name,
                r.lead_role, r.status, r.ecins_user,
                tuple((s.name, s.role, s.note) for s in r.spocs))

    clean_rows = [key(r) for r in clean.rows]
    messy_rows = [key(r) for r in messy.rows]
    assert len(messy_rows) == 40
    differ = [(c, m) for c, m in zip(clean_rows, messy_rows, strict=True) if c != m]
    # only the BeNCH name is spelt differently (without "The ... Limited")
    assert len(differ) == 1 and "BeNCH" in differ[0][1][0]
    # importing the messy file after the clean one matches every organisation: no change
    isa_import.apply(db, clean)
    again = isa_import.parse(db, MESSY, a.reference)
    assert again.count("add") == 0
    assert {r.action for r in again.rows} == {"unchanged"}, [
        (r.organisation, r.changes) for r in again.rows if r.action != "unchanged"]
    assert "Саmbridgeshire" not in {p.organisation for p in isa.list_parties(db, a.id)}


def test_import_matches_existing_organisations_by_alias(demo_db, fixed_today):
    a = new_agreement(demo_db, "IOM ISA")
    preview = isa_import.parse(demo_db, APPENDIX1, "iom isa")
    guinness = next(r for r in preview.rows if r.organisation == "Guinness Trust")
    assert guinness.matched == "Guinness Partnership"
    bench = next(r for r in preview.rows if "BeNCH" in r.organisation)
    assert bench.matched.startswith("Bedfordshire, Northamptonshire")
    with demo_db.session() as s:
        before = s.scalar(select(func.count()).select_from(Organisation))
    isa_import.apply(demo_db, preview)
    with demo_db.session() as s:
        after = s.scalar(select(func.count()).select_from(Organisation))
    assert after == before  # every organisation of Appendix 1 is already known in the demo
    assert len(isa.list_parties(demo_db, a.id)) == 40


def test_importing_twice_changes_nothing(db, fixed_today):
    a = new_agreement(db)
    _import(db, APPENDIX1)
    with db.session() as s:
        audit_before = s.scalar(select(func.count()).select_from(AuditEntry))
    versions = {p.id: p.version for p in isa.list_parties(db, a.id)}
    preview, result = _import(db, APPENDIX1)
    assert preview.count("unchanged") == 40 and result.added == result.updated == 0
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == audit_before
    assert {p.id: p.version for p in isa.list_parties(db, a.id)} == versions


def test_changed_row_is_previewed_then_updated(db, fixed_today, tmp_path):
    a = new_agreement(db)
    _import(db, APPENDIX1)
    rows = list(csv.reader(APPENDIX1.open(encoding="utf-8")))
    rows[33][3] = "Returned 3 Feb 2020"  # Romsey Mill
    rows[33][4] = "Jon Sanders; Amy Lee - Youth Worker"
    changed = tmp_path / "changed.csv"
    with changed.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    preview = isa_import.parse(db, changed, a.reference)
    row = next(r for r in preview.rows if r.organisation == "Romsey Mill")
    assert row.action == "update"
    assert any("Form returned" in c for c in row.changes)
    assert any("Amy Lee" in c for c in row.changes)
    assert preview.count("unchanged") == 39
    isa_import.apply(db, preview)
    romsey = _by_org(db, a.id)["Romsey Mill"]
    assert romsey.signed and romsey.status_date.isoformat() == "2020-02-03"
    assert [s.name for s in romsey.spocs] == ["Jon Sanders", "Amy Lee"]
    assert romsey.spoc_changed_on == fixed_today
    # a later blank signature cell does not undo the returned form
    back = isa_import.parse(db, APPENDIX1, a.reference)
    row = next(r for r in back.rows if r.organisation == "Romsey Mill")
    assert row.status == "form_returned"
    assert any("kept" in w for w in row.warnings)


def test_malformed_rows_are_listed_and_nothing_is_written(db, fixed_today, tmp_path):
    a = new_agreement(db)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Organisation,CSP Board Member?,Lead Signatory Name & Role,Signature form returned,"
        "SPOC,ECINS users,SPOC email\n"
        "RSL: Abbeyfield,Maybe,Awaiting details,,A Osborne,NO,\n"
        ",NO,Jane Doe - Manager,,,,\n"
        "Romsey Mill,NO,Mike Farrington,sometime,Jon Sanders,NO,jon.at.example\n"
        "Romsey Mill,NO,,,,,\n"
        "Linton Village College,NO,,,,NO,\n", encoding="utf-8")
    preview = isa_import.parse(db, bad, a.reference)
    messages = [str(e) for e in preview.errors]
    assert messages[0].startswith("Row 2: CSP Board Member? 'Maybe' is not Yes or No")
    assert any(m.startswith("Row 3: there is no organisation name") for m in messages)
    assert any(m.startswith("Row 4: Signature form returned: 'sometime'") for m in messages)
    assert any("Row 4: 'jon.at.example' is not an email address" in m for m in messages)
    assert any(m.startswith("Row 5: Romsey Mill appears again (first at row 4)")
               for m in messages)
    with pytest.raises(UserError, match="nothing was imported"):
        isa_import.apply(db, preview)
    assert isa.list_parties(db, a.id) == []


def test_not_a_register(db, tmp_path):
    new_agreement(db)
    other = tmp_path / "other.csv"
    other.write_text("Name,Amount\nA,1\n", encoding="utf-8")
    with pytest.raises(UserError, match="No heading row"):
        isa_import.parse(db, other, "CSP ISA")
    with pytest.raises(UserError, match="no agreement with reference 'NOPE'"):
        isa_import.parse(db, APPENDIX1, "NOPE")


def test_a_partner_new_to_a_running_register_gets_the_notify_task(db, fixed_today, tmp_path):
    from cspdesk.services import isa_rules

    a = new_agreement(db)
    first, _ = _import(db, APPENDIX1)  # the register typed in for the first time: no news
    assert "notify" not in first.headline and isa_rules.list_tasks(db, a.id) == []
    rows = list(csv.reader(APPENDIX1.open(encoding="utf-8")))
    rows.append(["Cambridge Women's Aid", "No", "Ann Smith - Director", "", "", "No"]
                + [""] * (len(rows[0]) - 6))
    more = tmp_path / "more.csv"
    with more.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    preview, result = _import(db, more)
    assert result.added == 1
    assert preview.headline.endswith("; each new partner gets a task to notify every SPOC")
    tasks = isa_rules.list_tasks(db, a.id)
    assert [(t.kind, t.title, t.due.isoformat()) for t in tasks] == [
        ("notify_join", "Notify every SPOC that Cambridge Women's Aid has joined CSP ISA",
         "2020-02-27")]
