"""XLSX export of a year's budget: streams, lines (a column per stream) and the ledger.

Amounts are written as exact two-place numbers with a £ format; rows go through
``append_row`` so nothing a user typed can run as a formula.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from cspdesk.models.budget import LineStatus
from cspdesk.reports.xlsx_safe import append_row
from cspdesk.services.budget_figures import YearFigures

GBP = '"£"#,##0.00;[Red]-"£"#,##0.00'
HEAD = PatternFill("solid", fgColor="2F3E4E")


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[Any]],
           money_cols: set[int], widths: list[int]) -> None:
    ws = wb.create_sheet(title)
    append_row(ws, header)  # stream names head columns
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEAD
    for row in rows:
        append_row(ws, row)
    for col in money_cols:
        for (cell,) in ws.iter_rows(min_row=2, min_col=col + 1, max_col=col + 1):
            cell.number_format = GBP
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    last = ws.max_row
    if rows and rows[-1] and str(rows[-1][0]).startswith("Total"):
        for cell in ws[last]:
            cell.font = Font(bold=True)


def build_budget_xlsx(f: YearFigures, out: Path) -> Path:
    """Write Streams, Lines and Ledger sheets for one year."""
    wb = Workbook()
    wb.remove(wb.active)
    streams = [s.stream for s in f.streams]
    _sheet(wb, "Streams", ["Stream", "Brought forward", "Income", "Available", "Allocated",
                           "Spent", "Committed", "Remaining", "Closing balance",
                           "Opening entered by hand because"],
           [[s.stream.name, s.opening, s.income, s.available, s.allocated, s.actual,
             s.committed, s.remaining, s.closing, s.override_reason if s.overridden else ""]
            for s in f.streams]
           + [["Totals", *(f.total(a) for a in ("opening", "income", "available", "allocated",
                                                "actual", "committed", "remaining", "closing")),
               ""]],
           set(range(1, 9)), [30, 16, 14, 14, 14, 14, 14, 14, 16, 60])
    _sheet(wb, "Lines", ["#", "Item", "Category", "Status", "Profiled budget",
                         *(s.column for s in streams), "Spent", "Committed", "Projected outturn",
                         "Variance", "Notes"],
           [[n, lf.line.item, lf.line.category or "", LineStatus(lf.line.status).label,
             lf.profiled, *(lf.line.splits.get(s.id, Decimal("0.00")) for s in streams),
             lf.actual, lf.committed, lf.projected, lf.variance, lf.line.notes or ""]
            for n, lf in enumerate(f.lines, start=1)]
           + [["Totals", "", "", "", f.line_total("profiled"),
               *(f.stream_total(s.id) for s in streams), f.line_total("actual"),
               f.line_total("committed"), f.line_total("projected"), f.line_total("variance"),
               ""]],
           set(range(4, 9 + len(streams))), [6, 44, 16, 12, 16, *([14] * len(streams)),
                                             14, 14, 16, 14, 60])
    names = {s.id: s.name for s in streams}
    ledger = [[e.date, lf.line.item, names.get(e.stream_id, ""), e.kind_label,
               e.amount, e.signed, e.counterparty or "", e.reference or "", e.note or ""]
              for lf in f.lines for e in lf.entries]
    _sheet(wb, "Ledger", ["Date", "Line", "Stream", "Kind", "Amount", "Effect on spend",
                          "Payee or source", "Reference", "Note"],
           ledger, {4, 5}, [12, 44, 20, 22, 14, 16, 30, 16, 50])
    for (cell,) in wb["Ledger"].iter_rows(min_row=2, min_col=1, max_col=1):
        cell.number_format = "d mmm yyyy"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
