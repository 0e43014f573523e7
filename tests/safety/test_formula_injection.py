"""Formula injection: text a user typed that starts with =, +, -, @, tab or carriage return goes
through the services into every CSV/XLSX export and comes back as inert text, never a formula:
quote-prefixed text cells in XLSX (shown as typed), a leading apostrophe in CSV."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from cspdesk.db.engine import Database
from cspdesk.models import Partnership, Person
from cspdesk.reports.xlsx_safe import DANGEROUS
from cspdesk.services import (
    action_updates_xlsx,
    actions,
    audit_query,
    budget,
    budget_xlsx,
    isa_export,
    isa_import,
    people,
    subject_access,
)
from cspdesk.services.isa import AgreementInput, add_agreement
from cspdesk.services.isa_cells import HEADINGS


def _bad(value: object) -> bool:
    return isinstance(value, str) and value.startswith(DANGEROUS)


def xlsx_cells(path: Path) -> list[object]:
    """Every cell of every sheet; formulas are reported as 'FORMULA:…', and text starting with
    a formula character that is not stored as quote-prefixed text as 'UNMARKED:…'."""
    book = openpyxl.load_workbook(path)
    found: list[object] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found.append(f"FORMULA:{cell.value}")
                elif _bad(cell.value) and not (cell.data_type == "s" and cell.quotePrefix):
                    found.append(f"UNMARKED:{cell.value}")
                else:
                    found.append(cell.value)
    return found


def csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [c for row in csv.reader(handle) for c in row]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_every_export_neutralises_typed_formulas(db: Database, tmp_path: Path,
                                                 prefix: str) -> None:
    def evil(field: str) -> str:
        return f"{prefix}HYPERLINK(\"http://x\",\"{field}\")"

    with db.session() as s:
        p = Partnership(name="Injection CSP")
        s.add(p)
        s.flush()
        pid = p.id
    person = people.add_person(db, people.PersonInput(name=evil("person"), role=evil("role")))
    with db.session() as s:  # a value that skipped the forms' clean-up (older file, hand edit)
        s.get(Person, person.id).role = evil("raw role")
    stream = budget.add_stream(db, pid, budget.StreamInput(name=evil("stream"),
                                                           notes=evil("stream notes")))
    line = budget.add_line(db, pid, budget.LineInput(
        year=2020, item=evil("line"), splits={stream.id: Decimal("100.00")},
        category=evil("category"), notes=evil("line notes")))
    budget.add_entry(db, budget.EntryInput(
        line_id=line.id, stream_id=stream.id, date=dt.date(2020, 5, 1), amount=Decimal("10.00"),
        counterparty=evil("payee"), reference=evil("reference"), note=evil("entry note")))
    plan = actions.add_plan(db, pid, evil("plan"), "2020-23")
    actions.add_action(db, plan.id, actions.ActionInput(
        title=evil("action"), lead_person_id=person.id, description=evil("description"),
        status_text=evil("status text")))
    agreement = add_agreement(db, AgreementInput(pid, evil("agreement title"), "ISA-1",
                                                 protective_marking="OFFICIAL",
                                                 status="in_force"))
    register = tmp_path / "register.csv"
    with register.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADINGS.values())
        writer.writerow([f"{prefix}cmd|' /C calc'!A0 Org", "Yes", "Jo Bloggs - "
                         + evil("lead role").lstrip(), "", "Ann Other - Officer", "Yes",
                         "ann@example.org", evil("phone")])
    preview = isa_import.parse(db, register, agreement.id)
    assert not preview.errors, preview.errors
    isa_import.apply(db, preview)

    outputs = {
        "ISA register": isa_export.export_register(db, agreement.id,
                                                   tmp_path / "register.xlsx"),
        "budget": budget_xlsx.export_budget_xlsx(db, pid, 2020, tmp_path / "budget.xlsx"),
        "audit": audit_query.export(audit_query.search(db, audit_query.AuditFilter()),
                                    tmp_path / "audit.xlsx"),
        "subject access": subject_access.export(db, person.id, tmp_path / "sar.xlsx"),
        "update template": action_updates_xlsx.export_template(
            db, person.name, tmp_path / "updates.xlsx"),
    }
    for what, path in outputs.items():
        cells = xlsx_cells(path)
        formulas = [c for c in cells if isinstance(c, str) and c.startswith("FORMULA:")]
        assert formulas == [], f"{what} holds formulas: {formulas[:3]}"
        unsafe = [c for c in cells if isinstance(c, str) and c.startswith("UNMARKED:")]
        assert unsafe == [], f"{what} has formula-like text not marked as text: {unsafe[:3]}"
        if prefix in "=+-@" or what in ("audit", "subject access"):  # the forms trim tab/CR
            # the text comes back exactly as typed, with no apostrophe in the cell
            assert any(isinstance(c, str) and c.startswith(prefix + "HYPERLINK")
                       for c in cells), what
    audit_csv = audit_query.export(audit_query.search(db, audit_query.AuditFilter()),
                                   tmp_path / "audit.csv")
    cells = csv_cells(audit_csv)
    assert [c for c in cells if _bad(c)] == []
    assert any(c.startswith("'" + prefix) for c in cells)
