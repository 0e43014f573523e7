"""Spending plan PDF in the shape of the packs' "CSP Budget 2020/21", from computed figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer

from cspdesk.dates import financial_year_bounds, financial_year_label, format_date
from cspdesk.models.budget import LineStatus
from cspdesk.money import format_money
from cspdesk.reports.common import PageDecor, build_pdf, data_table, esc, styles
from cspdesk.reports.finance_charts import budget_vs_actual, chart_flowable, stream_balances
from cspdesk.services.budget_figures import StreamFigures, YearFigures

LANDSCAPE_WIDTH = 257 * mm
PORTRAIT_WIDTH = 170 * mm


@dataclass(frozen=True)
class FinancePaper:
    """What a finance paper needs: the year's figures, earlier years for the chart, the board."""

    figures: YearFigures
    history: tuple[YearFigures, ...] = ()
    board: str = ""
    meeting_date: dt.date | None = None
    generated: dt.date | None = None
    draft: bool = False
    header_right: str | None = None
    glossary: tuple[str, ...] = field(default=(
        "OPCC = Office of the Police and Crime Commissioner",
        "SSCF = Safer and Stronger Communities Fund"))


def money(value: Any) -> str:
    """House money format for papers (negatives in brackets)."""
    return format_money(value, brackets=True)


def subtitle(paper: FinancePaper) -> str:
    f = paper.figures
    start, end = financial_year_bounds(f.year)
    parts = [paper.board or f.partnership]
    if paper.meeting_date:
        parts.append(f"meeting of {format_date(paper.meeting_date)}")
    parts.append(f"financial year {format_date(start)} to {format_date(end)}")
    return " · ".join(parts)


def opening_label(s: StreamFigures) -> str:
    """'Pooled Fund brought forward from 2019/20' or the entered start balance with its reason."""
    if s.overridden:
        return f"{s.stream.name} start balance (entered by hand; reason under Points)"
    if s.brought_from is not None:
        return f"{s.stream.name} brought forward from {financial_year_label(s.brought_from)}"
    return f"{s.stream.name} start balance"


def funding_rows(f: YearFigures) -> list[list[str]]:
    """Funding available by stream: each opening balance, then each grant with its status."""
    rows: list[list[str]] = []
    for s in f.streams:
        if s.opening or s.overridden or s.brought_from is not None:
            rows.append([opening_label(s), s.stream.name, "Brought forward", money(s.opening)])
    for s in f.streams:
        for g in s.grants:
            dated = f", {format_date(g.status_date)}" if g.status_date else ""
            amount = money(g.amount) if g.counts else f"TBC ({money(g.amount)} not counted)"
            rows.append([g.source, s.stream.name, g.status_label + dated, amount])
    rows.append([f"Total funding available {f.label}", "", "", money(f.total("available"))])
    return rows


def stream_table(f: YearFigures, width: float) -> Any:
    """Stream elements: brought forward, income, available, allocated, spent, committed, left."""
    header = ["Stream", "Brought forward", "Income", "Available", "Allocated", "Spent",
              "Committed", "Remaining", "Unallocated"]
    rows = [[s.stream.name, money(s.opening), money(s.income), money(s.available),
             money(s.allocated), money(s.actual), money(s.committed), money(s.remaining),
             money(s.unallocated)] for s in f.streams]
    rows.append(["Totals", *(money(f.total(a)) for a in (
        "opening", "income", "available", "allocated", "actual", "committed", "remaining",
        "unallocated"))])
    first = width * 0.2
    rest = (width - first) / 8
    return data_table(header, rows, [first] + [rest] * 8, right=range(1, 9), total_rows=1)


def lines_table(f: YearFigures, width: float) -> Any:
    """The lines with a column per stream, spend, projection and notes; totals in bold."""
    st = styles()
    streams = [s.stream for s in f.streams if f.stream_total(s.stream.id) or any(
        lf.line.splits.get(s.stream.id) is not None for lf in f.lines)]
    header = ["#", "Item", "Profiled budget", *(s.column for s in streams), "Spent",
              "Committed", "Projected outturn", "Notes and context"]
    rows: list[list[Any]] = []
    for n, lf in enumerate(f.lines, start=1):
        status = LineStatus(lf.line.status).label
        note = esc(lf.line.notes or "")
        lead = "" if note.lower().startswith(status.lower()) else f"<i>{status}.</i> "
        rows.append([
            str(n), lf.line.item,
            money(lf.profiled) if lf.line.splits else "TBC",
            *(money(lf.line.splits.get(s.id)) if s.id in lf.line.splits else "–" for s in streams),
            money(lf.actual), money(lf.committed) if lf.committed else "–",
            money(lf.projected),
            Paragraph(lead + note, st["cell"]),
        ])
    rows.append(["", "Totals", money(f.line_total("profiled")),
                 *(money(f.stream_total(s.id)) for s in streams),
                 money(f.line_total("actual")), money(f.line_total("committed")),
                 money(f.line_total("projected")), ""])
    money_w = 24 * mm
    fixed = 8 * mm + money_w * (4 + len(streams))
    free = width - fixed
    item_w = max(40 * mm, free * 0.42)
    widths = [8 * mm, item_w, money_w, *([money_w] * len(streams)), money_w, money_w, money_w,
              free - item_w]
    return data_table(header, rows, widths, right=range(2, 6 + len(streams)), total_rows=1)


def points_for_the_board(f: YearFigures) -> list[Any]:
    """Warnings (and notes on entered balances) as a short list."""
    st = styles()
    if not f.warnings:
        return [Paragraph("No budget warnings: no stream is over-allocated or negative, and no "
                          "rollover is missing its permission.", st["body"])]
    out = []
    for w in f.warnings:
        mark = "<b>Warning:</b> " if w.severity == "warning" else "<b>Note:</b> "
        out.append(Paragraph(mark + esc(w.text), st["body"], bulletText="•"))
    return out


#: the landscape frame is about 6.5 in tall: a year of 40+ lines squeezes its bars, not the page
MAX_CHART_HEIGHT_IN = 6.2


def charts(paper: FinancePaper, width: float) -> list[Any]:
    """Budget against spend for this year, and stream balances across the recorded years."""
    f = paper.figures
    out: list[Any] = []
    width_in = width / 72
    if f.lines:
        height = min(max(2.2, 0.36 * len(f.lines) + 1.1), MAX_CHART_HEIGHT_IN)
        out.append(chart_flowable(budget_vs_actual(f, width_in, height)))
        out.append(Spacer(1, 4 * mm))
    history = [h for h in paper.history if h.year <= f.year] or [f]
    out.append(chart_flowable(stream_balances(history, width_in, 2.8)))
    return out


def heading(paper: FinancePaper, title: str) -> list[Any]:
    st = styles()
    return [Paragraph(esc(title), st["title"]), Paragraph(esc(subtitle(paper)), st["subtitle"])]


def glossary(paper: FinancePaper) -> list[Any]:
    st = styles()
    return [Spacer(1, 3 * mm), Paragraph(esc(" · ".join(paper.glossary)), st["small"])]


def decor(paper: FinancePaper, title: str) -> PageDecor:
    return PageDecor(board=paper.board or paper.figures.partnership, title=title,
                     header_right=paper.header_right, draft=paper.draft,
                     generated=paper.generated)


def build_spending_plan(paper: FinancePaper, out: Path) -> Path:
    """Write the spending plan: funding, lines by stream, stream elements, points, charts."""
    f = paper.figures
    st = styles()
    title = f"CSP Budget {f.label}: spending plan"
    width = LANDSCAPE_WIDTH
    story: list[Any] = [*heading(paper, title)]
    intro = (f"Funding available for {f.label} is {money(f.total('available'))}. "
             f"The lines below allocate {money(f.total('allocated'))}; "
             f"{money(f.line_total('actual'))} has been spent and "
             f"{money(f.line_total('committed'))} committed, leaving "
             f"{money(f.total('remaining'))}. Every figure is computed from the recorded "
             "grants, budget lines and transactions.")
    story += [Paragraph(esc(intro), st["body"]), Spacer(1, 2 * mm)]
    funding = data_table(["Funding source", "Stream", "Status", "Amount"], funding_rows(f),
                         [width * 0.5, width * 0.18, width * 0.17, width * 0.15], right=[3],
                         total_rows=1)
    story += [KeepTogether([Paragraph("1. Funding available", st["h1"]), funding])]
    story += [Paragraph("2. Budget lines", st["h1"])]
    if f.lines:
        story.append(lines_table(f, width))
    else:
        story.append(Paragraph("No budget lines are recorded for this year.", st["body"]))
    story += [KeepTogether([Paragraph("3. Stream elements", st["h1"]), stream_table(f, width)])]
    story += [CondPageBreak(40 * mm), Paragraph("4. Points for the board", st["h1"]),
              *points_for_the_board(f), *glossary(paper)]
    story += [CondPageBreak(120 * mm), Paragraph("5. Charts", st["h1"]), *charts(paper, width)]
    return build_pdf(out, story, decor(paper, title), landscape_pages=True, title=title)


def paper_title(kind: str, year: int) -> str:
    """The document title for a kind of finance paper."""
    label = financial_year_label(year)
    return (f"CSP Budget {label}: spending plan" if kind == "spending-plan"
            else f"End of year financial statement {label}")
