"""Minutes in the house style: numbered items and paragraphs, DRAFT until approved."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from cspdesk.dates import format_date
from cspdesk.reports.common import PageDecor, build_pdf, esc, key_value_table, styles


def build_minutes(data: Any, out: Path) -> Path:
    """Render ``MinutesData`` to ``out``."""
    st = styles()
    title = f"Minutes of the meeting held on {data.date:%A} {format_date(data.date)}"
    story: list[Any] = [Paragraph(esc(data.board), st["title"]), Paragraph(esc(title), st["h1"])]
    where = ", ".join(x for x in (data.time_text, data.venue) if x)
    if where:
        story.append(Paragraph(esc(where), st["subtitle"]))
    status = (f"Approved as a correct record on {format_date(data.approved_on)}"
              if data.approved_on else "Draft minutes: to be published once approved")
    story.append(Paragraph(f"<i>{esc(status)}</i>", st["body"]))
    story.append(Spacer(1, 4 * mm))
    story.append(key_value_table(
        [(k, "; ".join(v) or "None") for k, v in data.attendance.items()], (32 * mm, 138 * mm)))
    if data.declarations:
        story.append(Paragraph("Declarations of interest", st["h2"]))
        for d in data.declarations:
            on = f" (item {d.item_number})" if d.item_number else ""
            story.append(Paragraph(f"{esc(d.person)}{on}: {esc(d.interest)}", st["body"]))
    for item in data.items:
        if item.level:
            heading = Paragraph(f"{esc(item.number)}&nbsp;&nbsp;{esc(item.title)}", st["h2"])
        else:
            heading = Paragraph(f"{esc(item.number)}.&nbsp;&nbsp;{esc(item.title)}", st["h1"])
        block: list[Any] = [heading]
        paras = [p.strip() for p in re.split(r"\n\s*\n", item.text) if p.strip()]
        for n, para in enumerate(paras, start=1):
            block.append(Paragraph(f"{esc(item.number)}.{n}&nbsp;&nbsp;{esc(para)}", st["body"]))
            block.append(Spacer(1, 1.5 * mm))
        if item.decision_line:
            block.append(Paragraph(f"<b>Decision:</b> {esc(item.decision_line)}", st["body"]))
        for action in item.actions:
            block.append(Paragraph(f"<b>{esc(action)}</b>", st["body"]))
        story.append(KeepTogether(block[:3]))
        story += block[3:]
    decor = PageDecor(board=data.board, title=f"Minutes, {format_date(data.date)}",
                      draft=data.approved_on is None, generated=data.approved_on)
    return build_pdf(out, story, decor, title=title)
