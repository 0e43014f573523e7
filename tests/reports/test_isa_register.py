"""Register exports: PDF read back with pypdf, XLSX re-imported with no change, CLI, papers."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook
from pypdf import PdfReader

from cspdesk import cli
from cspdesk.models import Meeting
from cspdesk.services import isa, isa_import, isa_parties, papers
from cspdesk.services.isa_export import export_register
from tests.conftest import db_args


def test_pdf_has_every_organisation_marking_and_page_x_of_y(demo_db, fixed_today, tmp_path):
    a = isa.find_agreement(demo_db, "CSP ISA")
    out = export_register(demo_db, a.id, tmp_path / "register.pdf")
    reader = PdfReader(out)
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    pages = [p.extract_text() for p in reader.pages]
    text = " ".join(" ".join(pages).split())
    for party in isa.list_parties(demo_db, a.id):
        assert party.organisation in text, party.organisation
    assert "Date of next review 1 Feb 2022" in text
    # a role without a name reads as such, not as the Word table's "- Role"
    assert "Community Safety Officer (name not given)" in text  # a SPOC
    assert "Head of Service (name not given)" in text  # a lead signatory
    n = len(pages)
    for i, page_text in enumerate(pages, start=1):
        assert f"Page {i} of {n}" in page_text
        assert page_text.count("Not protectively marked when final") >= 2  # header and footer
        assert "Lead signatory" in page_text  # the header row repeats
        assert "generated 20 Feb 2020" in page_text


def test_xlsx_reimports_with_no_change(demo_db, fixed_today, tmp_path):
    a = isa.find_agreement(demo_db, "CSP ISA")
    accent = next(p for p in isa.list_parties(demo_db, a.id) if p.organisation == "Accent Housing")
    data = isa_parties.party_input(accent)
    data.status, data.status_date = "form_returned", dt.date(2020, 2, 3)
    data.spocs[0].email, data.spocs[0].phone = "toyah@accent.example", "01223 000000"
    data.spocs.append(isa_parties.SpocInput(None, "Duty Housing Officer"))
    isa_parties.update_party(demo_db, accent.id, data)
    out = export_register(demo_db, a.id, tmp_path / "register.xlsx")
    ws = load_workbook(out).worksheets[0]
    assert [c.value for c in ws[1]][:4] == ["Organisation", "CSP Board Member?",
                                             "Lead Signatory Name & Role",
                                             "Signature form returned"]
    assert ws.max_row == 41
    # formula injection neutralised: quote-prefixed text, shown without an apostrophe
    assert ws["C2"].value == "- Head of Service"
    assert ws["C2"].data_type == "s" and ws["C2"].quotePrefix
    preview = isa_import.parse(demo_db, out, a.reference)
    assert not preview.errors
    assert preview.count("unchanged") == 40, [
        (r.organisation, r.changes) for r in preview.rows if r.action != "unchanged"]


def test_cli_import_and_export(demo_db, fixed_today, tmp_path, capsys):
    db_arg = db_args(demo_db)
    new = isa.AgreementInput(isa.find_agreement(demo_db, "CSP ISA").partnership_id,
                             "Integrated Offender Management ISA", "IOM ISA")
    isa.add_agreement(demo_db, new)
    from tests.services.isa_helpers import APPENDIX1

    args = cli.parse([*db_arg, "import", "isa-register", str(APPENDIX1), "--agreement",
                      "IOM ISA"])
    assert cli.run_command(args) == 2  # not a terminal and no --yes: nothing changed
    assert "Add --yes" in capsys.readouterr().err
    args = cli.parse([*db_arg, "import", "isa-register", str(APPENDIX1), "--agreement",
                      "IOM ISA", "--yes"])
    assert cli.run_command(args) == 0
    out = capsys.readouterr().out
    assert "row   9  add       RSL: Abbeyfield" not in out
    assert "Abbeyfield | Awaiting details" in out and "40 added" in out
    pdf = tmp_path / "iom.pdf"
    args = cli.parse([*db_arg, "export", "isa-register", "--agreement", "IOM ISA", "--out",
                      str(pdf)])
    assert cli.run_command(args) == 0 and pdf.stat().st_size > 1000
    args = cli.parse([*db_arg, "export", "isa-register", "--agreement", "IOM ISA", "--out",
                      str(tmp_path / "x.doc")])
    assert cli.run_command(args) == 2
    assert "must end in .pdf or .xlsx" in capsys.readouterr().err


def test_isa_register_paper_for_a_meeting(demo_db, fixed_today, tmp_path):
    with demo_db.session() as s:
        meeting = s.query(Meeting).filter(Meeting.date == dt.date(2020, 2, 27)).one()
        meeting_id = meeting.id
    out = papers.generate("isa-register", demo_db, meeting_id, tmp_path)
    assert out.parent == tmp_path and out.suffix == ".pdf"
    assert "Romsey Mill" in " ".join(p.extract_text() for p in PdfReader(out).pages)
