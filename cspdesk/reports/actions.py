"""Action papers: the action plan (A4 landscape), the highlight report and the action log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from cspdesk.dates import format_date
from cspdesk.money import format_money
from cspdesk.reports.common import (
    FONT_BOLD,
    PageDecor,
    build_pdf,
    data_table,
    esc,
    key_value_table,
    styles,
)
from cspdesk.services.action_rag import ARROWS, RAG_COLOURS
from cspdesk.services.action_reports import ActionLogData, HighlightData
from cspdesk.services.actions import ActionRow, PlanTree

ABANDONED_COLOUR = "#8A939B"
PRIORITY_BG = "#DDE3E8"


def _chip_colour(a: ActionRow) -> str:
    return ABANDONED_COLOUR if a.status == "abandoned" else RAG_COLOURS[a.rag]  # type: ignore[index]


def _status_cell(a: ActionRow) -> Paragraph:
    st = ParagraphStyle("Chip", parent=styles()["cell"], textColor=colors.white)
    text = f"<b>{esc(a.rag_label)}</b>"
    if a.rag_label != a.status_label:
        text += f"<br/>{esc(a.status_label)}"
    if a.overridden:
        text += "<br/><i>overridden</i>"
    if a.direction:
        text += f"<br/>{esc(ARROWS[a.direction])}"
    return Paragraph(text, st)


def _update_cell(a: ActionRow) -> str:
    if not a.latest_update:
        return a.status_text or ""
    return f"{format_date(a.latest_update_on)}: {a.latest_update}"


def _title_block(board: str, title: str, subtitle: str) -> list[Any]:
    st = styles()
    return [Paragraph(esc(board), st["subtitle"]), Paragraph(esc(title), st["title"]),
            Paragraph(esc(subtitle), st["subtitle"])]


def plan_story(tree: PlanTree, *, milestones: bool = True, today: dt.date) -> list[Any]:
    """The plan table: priorities as spanning rows, actions, then their milestones."""
    st = styles()
    header = ["Ref", "Action", "Lead", "Timescale", "Status", "Latest update"]
    widths = [13 * mm, 72 * mm, 42 * mm, 25 * mm, 27 * mm, 78 * mm]
    rows: list[list[Any]] = []
    colours: dict[tuple[int, int], str] = {}
    spans: list[int] = []
    grey = ParagraphStyle("Ms", parent=st["cell"], textColor=colors.HexColor("#3C4650"))

    def add(a: ActionRow) -> None:
        extra = ""
        if a.resources and not a.is_milestone:
            extra += f"<br/><font size=7.5>{esc(a.resources)}</font>"
        if a.cost is not None:
            extra += f"<br/><font size=7.5>Cost {esc(format_money(a.cost))}</font>"
        if a.is_milestone:
            cells: list[Any] = [a.ref, Paragraph("&nbsp;&nbsp;&nbsp;" + esc(a.title) + extra, grey),
                                a.lead, a.timescale_text, _status_cell(a), _update_cell(a)]
        else:
            cells = [a.ref, Paragraph(f"<b>{esc(a.title)}</b>{extra}", st["cell"]), a.lead,
                     a.timescale_text, _status_cell(a), _update_cell(a)]
        colours[(len(rows), 4)] = _chip_colour(a)
        rows.append(cells)

    groups: list[tuple[str | None, int | None]] = [(None, None)] + [
        (f"Priority {p.number}: {p.title}", p.id) for p in tree.priorities]
    for heading, prio_id in groups:
        top = tree.top_level(prio_id)
        if heading is None and not top:
            continue
        if heading is not None:
            spans.append(len(rows))
            rows.append([Paragraph(f"<b>{esc(heading)}</b>", st["cell"]), "", "", "", "", ""])
        for a in top:
            add(a)
            if milestones:
                for m in tree.children(a.id):
                    add(m)
    if tree.plan.total_cost:
        rows.append(["", "Total cost", "", "", "", format_money(tree.total_cost)])
    table = data_table(header, rows, widths, total_rows=1 if tree.plan.total_cost else 0,
                       cell_colours=colours,
                       row_backgrounds={r: PRIORITY_BG for r in spans})
    table.setStyle(TableStyle([("SPAN", (0, r + 1), (-1, r + 1)) for r in spans]))
    return [table]


def build_action_plan(tree: PlanTree, out: Path, *, today: dt.date, board: str | None = None,
                      milestones: bool = True, header_right: str | None = None,
                      page_x_of_y: bool = True) -> Path:
    """The plan on A4 landscape: ref, action, lead, timescale, status with RAG, latest update."""
    title = tree.plan.label
    decor = PageDecor(board=board or tree.partnership, title=title, generated=today,
                      header_right=header_right, page_x_of_y=page_x_of_y)
    story = _title_block(board or tree.partnership, title,
                         f"Progress at {format_date(today)}")
    story += plan_story(tree, milestones=milestones, today=today)
    return build_pdf(out, story, decor, landscape_pages=True, title=title)


def build_highlight_report(data: HighlightData, out: Path, *, board: str | None = None) -> Path:
    """Counts by RAG, what changed since the last snapshot, and the overdue list (A4 portrait)."""
    st = styles()
    plan = data.tree.plan
    title = f"Highlight report: {plan.label}"
    decor = PageDecor(board=board or data.tree.partnership, title=title, generated=data.today)
    story = _title_block(board or data.tree.partnership, title,
                         f"Position at {format_date(data.today)}")
    story.append(key_value_table([
        ("Actions", str(plan.action_count)),
        ("Last quarter closed", data.last_quarter or "None yet"),
        ("Total cost", format_money(data.tree.total_cost) if data.tree.total_cost else "–"),
    ], (45 * mm, 125 * mm)))
    story.append(Paragraph("Actions by RAG status", st["h1"]))
    words = list(data.counts)
    chip_colours = {(0, i): RAG_COLOURS[w.lower()] for i, w in enumerate(words)}  # type: ignore[index]
    white = ParagraphStyle("W", parent=st["cell_bold"], textColor=colors.white, alignment=1,
                           fontSize=11, leading=15)
    counts = Table([[Paragraph(f"{esc(w)}<br/>{data.counts[w]}", white) for w in words]],
                   colWidths=[170 * mm / len(words)] * len(words))
    counts.setStyle(TableStyle(
        [("BACKGROUND", (c, 0), (c, 0), colors.HexColor(colour))
         for (_, c), colour in chip_colours.items()]
        + [("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    story.append(counts)
    since = f"since {data.last_quarter}" if data.last_quarter else "(no quarter closed yet)"
    story.append(Paragraph(f"What changed {since}", st["h1"]))
    if data.changes:
        rows = [[c.action.ref, c.action.title,
                 _word(c.before_rag, c.before_status) if c.before_rag else "New",
                 _word(c.action.rag, c.action.status),
                 ARROWS.get(c.direction or "", "")] for c in data.changes]
        story.append(data_table(["Ref", "Action", "Before", "Now", "Direction"], rows,
                                [14 * mm, 76 * mm, 28 * mm, 28 * mm, 24 * mm]))
    else:
        story.append(Paragraph("No action changed status or RAG.", st["body"]))
    story.append(Paragraph("Overdue", st["h1"]))
    if data.overdue:
        by_id = {a.id: a for a in data.tree.actions}
        rows = [[a.ref, a.title, a.lead or (by_id[a.parent_id].lead if a.parent_id else ""),
                 format_date(a.due_date), str((data.today - a.due_date).days)]
                for a in data.overdue if a.due_date]
        story.append(data_table(["Ref", "Action", "Lead", "Due", "Days over"], rows,
                                [14 * mm, 74 * mm, 40 * mm, 25 * mm, 17 * mm], right=(4,)))
    else:
        story.append(Paragraph("Nothing is overdue.", st["body"]))
    return build_pdf(out, story, decor, title=title)


def _word(rag: str, status: str | None) -> str:
    from cspdesk.models.actions import ActionStatus, Rag

    text = Rag(rag).label
    if status and ActionStatus(status).label != text:
        text += f" ({ActionStatus(status).label})"
    return text


def build_action_log(data: ActionLogData, out: Path, *, header_right: str | None = None,
                     page_x_of_y: bool = True) -> Path:
    """The action log: ref, action point, owner, due, status (closed with its note)."""
    st = styles()
    when = f"Meeting of {format_date(data.meeting_date)}" if data.meeting_date else (
        f"At {format_date(data.today)}")
    decor = PageDecor(board=data.board, title=data.title, generated=data.today,
                      header_right=header_right, page_x_of_y=page_x_of_y)
    story = _title_block(data.board, data.title, when)
    if not data.points:
        story.append(Paragraph("There are no action points to review.", st["body"]))
        return build_pdf(out, story, decor, title=data.title)
    red = ParagraphStyle("Late", parent=st["cell"], textColor=colors.HexColor("#C0392B"),
                         fontName=FONT_BOLD)
    rows = []
    for p in data.points:
        status: Any = p.status_text
        if p.overdue(data.today):
            status = Paragraph("Open – overdue", red)
        elif not p.is_open and p.closed_on:
            status = f"{p.status_text} ({format_date(p.closed_on)})"
        rows.append([p.ref, p.text, p.owner_text, format_date(p.due_date) or "–", status])
    story.append(data_table(["Ref", "Action point", "Owner", "Due", "Status"], rows,
                            [15 * mm, 64 * mm, 30 * mm, 22 * mm, 39 * mm]))
    story.append(Spacer(1, 4 * mm))
    open_n = sum(1 for p in data.points if p.is_open)
    story.append(Paragraph(f"{len(data.points)} points, {open_n} open.", st["small"]))
    return build_pdf(out, story, decor, title=data.title)
