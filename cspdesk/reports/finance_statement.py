"""End of year financial statement in the shape of Cambridge's Appendix A, every figure shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer

from cspdesk.dates import format_date
from cspdesk.money import ZERO
from cspdesk.reports.common import build_pdf, data_table, esc, styles
from cspdesk.reports.finance import (
    PORTRAIT_WIDTH,
    FinancePaper,
    charts,
    decor,
    funding_rows,
    glossary,
    heading,
    money,
    paper_title,
    points_for_the_board,
)
from cspdesk.services.budget_figures import LineFigures, YearFigures


def is_grant(lf: LineFigures) -> bool:
    """Lines in a 'Grant' category are grants paid to projects."""
    return (lf.line.category or "").strip().lower() in {"grant", "grants"}


def spending_rows(f: YearFigures) -> list[list[str]]:
    """Available funding, then grants, commitments and each other line with the balance after."""
    balance = f.total("available")
    rows = [[f"Total available funding {f.label}", "", money(balance)]]
    grants = sum((lf.actual for lf in f.lines if is_grant(lf)), ZERO)
    balance -= grants
    rows.append(["Actual grants paid", money(-grants), money(balance)])
    committed = f.line_total("committed")
    balance -= committed
    rows.append(["Less grants and payments committed but not yet paid", money(-committed),
                 money(balance)])
    for lf in f.lines:
        if is_grant(lf) or not lf.actual:
            continue
        balance -= lf.actual
        label = lf.line.item if lf.actual > 0 else f"{lf.line.item} (net income)"
        rows.append([label, money(-lf.actual), money(balance)])
    rows.append(["Total remaining", "", money(balance)])
    return rows


def remaining_rows(f: YearFigures) -> list[list[str]]:
    rows = [[s.stream.name, money(s.opening), money(s.income),
             money(s.actual), money(s.committed), money(s.remaining)] for s in f.streams]
    rows.append(["Total remaining", *(money(f.total(a)) for a in (
        "opening", "income", "actual", "committed", "remaining"))])
    return rows


def ledger_rows(f: YearFigures) -> list[list[str]]:
    """Every transaction of the year, itemised (credits in brackets, commitments marked)."""
    names = {s.stream.id: s.stream.column for s in f.streams}
    rows = []
    for lf in f.lines:
        for e in lf.entries:
            kind = {"income": "credit", "commitment": "committed"}.get(e.kind, "")
            detail = " · ".join(x for x in (e.counterparty, e.reference, e.note) if x)
            rows.append([format_date(e.date), lf.line.item, detail, names.get(e.stream_id, ""),
                         kind, money(e.signed)])
    rows.append(["", "Total", "", "", "", money(f.line_total("actual")
                                                 + f.line_total("committed"))])
    return rows


def build_year_end_statement(paper: FinancePaper, out: Path) -> Path:
    """Write the end of year statement: funding brought forward, spending, remaining, ledger."""
    f = paper.figures
    st = styles()
    title = paper_title("year-end", f.year)
    w = PORTRAIT_WIDTH
    parts = " + ".join(f"{s.stream.name} {money(s.available)}" for s in f.streams if s.available)
    intro = (f"Funding available in {f.label} was {money(f.total('available'))}"
             + (f" ({parts})" if parts else "") + ". "
             f"{money(f.line_total('actual'))} was spent and "
             f"{money(f.line_total('committed'))} is committed but not yet paid, leaving "
             f"{money(f.total('remaining'))}. Every figure below is computed from the "
             "recorded grants and transactions.")
    story: list[Any] = [*heading(paper, title), Paragraph(esc(intro), st["body"])]
    story += [KeepTogether([
        Paragraph(f"1. Available funding {f.label}", st["h1"]),
        data_table(["Funding source", "Stream", "Status", "Amount"], funding_rows(f),
                   [w * 0.44, w * 0.2, w * 0.18, w * 0.18], right=[3], total_rows=1)])]
    story += [KeepTogether([
        Paragraph("2. Spending and balance", st["h1"]),
        data_table(["Item", "Amount", "Balance"], spending_rows(f),
                   [w * 0.6, w * 0.2, w * 0.2], right=[1, 2], total_rows=1)])]
    story += [KeepTogether([
        Paragraph("3. Remaining by stream", st["h1"]),
        data_table(["Stream", "Brought forward", "Income", "Spent", "Committed", "Remaining"],
                   remaining_rows(f), [w * 0.3] + [w * 0.14] * 5, right=range(1, 6),
                   total_rows=1)])]
    story += [Paragraph("4. Transactions", st["h1"])]
    if any(lf.entries for lf in f.lines):
        story.append(data_table(["Date", "Line", "Payee or source", "Stream", "Kind", "Amount"],
                                ledger_rows(f), [w * 0.12, w * 0.25, w * 0.3, w * 0.1,
                                                 w * 0.09, w * 0.14],
                                right=[5], total_rows=1))
    else:
        story.append(Paragraph("No transactions are recorded for this year.", st["body"]))
    story += [CondPageBreak(40 * mm), Paragraph("5. Points for the board", st["h1"]),
              *points_for_the_board(f), *glossary(paper), Spacer(1, 2 * mm)]
    story += [CondPageBreak(110 * mm), Paragraph("6. Charts", st["h1"]), *charts(paper, w)]
    return build_pdf(out, story, decor(paper, title), title=title)
