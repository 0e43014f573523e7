"""Finance PDFs and XLSX, read back: the computed figures are printed, and follow the ledger."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from cspdesk import cli
from cspdesk.services import budget, papers
from cspdesk.services.budget_figures import year_figures
from cspdesk.services.budget_papers import export_finance_report
from cspdesk.services.budget_xlsx import export_budget_xlsx
from cspdesk.services.partnerships import find_partnership
from tests.conftest import db_args


def pdf_text(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


def _sc(db) -> int:
    return find_partnership(db, "South Cambs CSP").id


def test_spending_plan_2018_19_prints_the_computed_figures(demo_db, fixed_today, tmp_path) -> None:
    text = pdf_text(export_finance_report(demo_db, _sc(demo_db), 2018, "spending-plan",
                                          tmp_path / "plan.pdf"))
    assert "CSP Budget 2018/19: spending plan" in text
    assert "Total funding available 2018/19 £44,113.94" in text
    for figure in ("£31,515.00", "£28,220.00", "£6,870.00", "£21,350.00"):
        assert figure in text
    assert "£4,130.00 of OPCC grant unspent in 2018/19 rolls over" in text
    assert re.search(r"Page 1 of \d", text)


def test_spending_plan_2019_20_shows_the_recomputed_total(demo_db, fixed_today, tmp_path) -> None:
    text = pdf_text(export_finance_report(demo_db, _sc(demo_db), 2019, "spending-plan",
                                          tmp_path / "plan.pdf"))
    assert "Pooled Fund brought forward from 2018/19 Pooled Fund Brought forward £11,763.94" in text
    assert "OPCC grant brought forward from 2018/19 OPCC grant Brought forward £4,130.00" in text
    assert "Total funding available 2019/20 £15,893.94" in text
    assert "£15,728.94" not in text


def test_spending_plan_2020_21(demo_db, fixed_today, tmp_path) -> None:
    text = pdf_text(export_finance_report(demo_db, _sc(demo_db), 2020, "spending-plan",
                                          tmp_path / "plan.pdf"))
    assert "Total funding available 2020/21 £52,543.94" in text
    assert "Totals £52,543.94 £40,780.00 £11,763.94" in text
    assert "Agreement signed" in text


def test_cambridge_year_end_statement(demo_db, fixed_today, tmp_path) -> None:
    pid = find_partnership(demo_db, "Cambridge CSP").id
    text = pdf_text(export_finance_report(demo_db, pid, 2019, "year-end", tmp_path / "ye.pdf"))
    assert "End of year financial statement 2019/20" in text
    assert "Total available funding 2019/20 £7,956.18" in text
    assert "Domestic Homicide Review: payment for additional work (£250.00) £7,706.18" in text
    assert "Other expenses including county workshop (£1,012.01) £6,694.17" in text
    assert "Total remaining £6,694.17" in text
    assert "£5,722.17" in text and "£972.00" in text


def test_charts_are_embedded_at_200_dpi_or_more(demo_db, fixed_today, tmp_path) -> None:
    path = export_finance_report(demo_db, _sc(demo_db), 2018, "spending-plan", tmp_path / "p.pdf")
    images = [img for page in PdfReader(path).pages for img in page.images]
    assert len(images) == 2
    widths_px = sorted(img.image.width for img in images)
    assert widths_px[0] >= 200 * 9  # a 257 mm (10.1 in) wide chart at 220 dpi


def test_changing_one_transaction_changes_every_dependent_figure(demo_db, fixed_today,
                                                                 tmp_path) -> None:
    pid = _sc(demo_db)
    before = year_figures(demo_db, pid, 2018)
    dhr = next(lf for lf in before.lines if lf.line.item == "Domestic Homicide Review 2")
    entry = dhr.entries[0]
    data = budget.entry_input(entry)
    data.amount = Decimal("9000.00")
    budget.update_entry(demo_db, entry.id, data, entry.version)

    after = year_figures(demo_db, pid, 2018)
    assert after.stream("Pooled").actual == Decimal("20350.00")
    assert after.line_total("outturn") == Decimal("27220.00")
    assert after.stream("Pooled").closing == Decimal("12763.94")
    assert year_figures(demo_db, pid, 2019).stream("Pooled").opening == Decimal("12763.94")
    assert year_figures(demo_db, pid, 2020).total("available") == Decimal("53543.94")
    text = pdf_text(export_finance_report(demo_db, pid, 2018, "spending-plan",
                                          tmp_path / "p.pdf"))
    assert "£27,220.00" in text and "£20,350.00" in text and "£28,220.00" not in text
    text = pdf_text(export_finance_report(demo_db, pid, 2020, "spending-plan",
                                          tmp_path / "q.pdf"))
    assert "Pooled Fund brought forward from 2019/20 Pooled Fund Brought forward £12,763.94" in text
    assert "Total funding available 2020/21 £53,543.94" in text


def test_budget_xlsx_has_lines_and_ledger(demo_db, fixed_today, tmp_path) -> None:
    pid = _sc(demo_db)
    lines = year_figures(demo_db, pid, 2018).lines
    data = budget.line_input(lines[0].line)
    data.notes = "=HYPERLINK(\"http://evil\")"
    budget.update_line(demo_db, lines[0].id, data)
    wb = load_workbook(export_budget_xlsx(demo_db, pid, 2018, tmp_path / "b.xlsx"))
    assert wb.sheetnames == ["Streams", "Lines", "Ledger"]
    rows = list(wb["Lines"].iter_rows(values_only=True))
    assert rows[0][:7] == ("#", "Item", "Category", "Status", "Profiled budget", "OPCC", "Pooled")
    assert rows[-1][0] == "Totals" and rows[-1][4] == 31515
    notes = wb["Lines"].cell(2, len(rows[1]))
    assert notes.value == "=HYPERLINK(\"http://evil\")"
    assert notes.data_type == "s" and notes.quotePrefix  # text as typed, never a formula
    ledger = list(wb["Ledger"].iter_rows(values_only=True))
    assert len(ledger) == 1 + 6
    credit = next(r for r in ledger if r[3] == "Income (credit)")
    assert credit[4] == 2950 and credit[5] == -2950
    streams = list(wb["Streams"].iter_rows(values_only=True))
    assert streams[-1][3] == pytest.approx(44113.94)


def test_cli_exports_finance_report(demo_db, fixed_today, tmp_path, capsys) -> None:
    out = tmp_path / "cli.pdf"
    args = cli.parse([*db_args(demo_db), "export", "finance-report",
                      "--partnership", "Cambridge CSP",
                      "--year", "2019/20", "--kind", "year-end", "--out", str(out)])
    assert cli.run_command(args) == 0
    assert "£6,694.17" in pdf_text(out)
    args = cli.parse([*db_args(demo_db), "export", "finance-report", "--partnership", "Nowhere",
                      "--year", "2019/20", "--out", str(out)])
    assert cli.run_command(args) == 2
    assert "No single partnership matches" in capsys.readouterr().err


def test_finance_paper_provider_uses_the_meetings_year(demo_db, fixed_today, tmp_path) -> None:
    from cspdesk.models import Board, Meeting

    with demo_db.session() as s:
        meeting = s.query(Meeting).join(Board).filter(Meeting.date == dt.date(2020, 2, 27)).one()
        cam = s.query(Meeting).filter(Meeting.date == dt.date(2021, 2, 9)).one()
        ids = meeting.id, cam.id
    plan = papers.generate("finance-report", demo_db, ids[0], tmp_path)
    assert "CSP Budget 2019/20" in pdf_text(plan)
    statement = papers.generate("finance-report", demo_db, ids[1], tmp_path, kind="year-end")
    text = pdf_text(statement)
    assert "End of year financial statement 2019/20" in text and "£6,694.17" in text
    assert "Cambridge Community Safety Partnership Board" in text
