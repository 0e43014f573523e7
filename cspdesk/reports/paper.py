"""A board paper on the standard cover: To / From / Date / Title, numbered sections, contact.

The closing "Recommendation(s)" section repeats section 2 word for word, so they cannot drift.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from cspdesk.dates import format_date
from cspdesk.reports.common import PageDecor, build_pdf, esc, key_value_table, styles

_PARA_SPLIT = re.compile(r"\n\s*\n")


def _numbered(number: int, body: str, st: dict) -> list[Any]:
    """Paragraphs numbered n.1, n.2 ... (blank lines separate paragraphs)."""
    out = []
    parts = [p.strip() for p in _PARA_SPLIT.split(body or "") if p.strip()]
    for i, text in enumerate(parts, start=1):
        out.append(Paragraph(f"{number}.{i}&nbsp;&nbsp;&nbsp;{esc(text)}", st["body"]))
        out.append(Spacer(1, 2 * mm))
    return out


def build_paper(paper: Any, out: Path, *, board: str = "") -> Path:
    """Render a ``WrittenPaper`` (title, to, from_, date, purpose, recommendations, background,
    sections, source_documents, contact_officer) to ``out``."""
    st = styles()
    story: list[Any] = [Paragraph(esc(board), st["subtitle"])] if board else []
    story.append(key_value_table([
        ("To:", paper.to or ""), ("From:", paper.from_ or ""),
        ("Date:", format_date(paper.date)), ("Title:", paper.title)], (25 * mm, 145 * mm)))
    story.append(Spacer(1, 5 * mm))
    sections: list[tuple[str, str]] = [("Purpose", paper.purpose),
                                       ("Recommendation(s)", paper.recommendations)]
    if paper.background:
        sections.append(("Background", paper.background))
    sections += [(h or "Further information", b) for h, b in paper.sections]
    sections.append(("Recommendation(s)", paper.recommendations))
    for n, (heading, body) in enumerate(sections, start=1):
        story.append(Paragraph(f"{n}&nbsp;&nbsp;&nbsp;{esc(heading)}", st["h1"]))
        story += _numbered(n, body, st)
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph("BIBLIOGRAPHY", st["h2"]))
    story.append(key_value_table([("Source Document(s)", paper.source_documents or "None"),
                                  ("Contact Officer(s)", paper.contact_officer or "")],
                                 (45 * mm, 125 * mm)))
    decor = PageDecor(board=board, title=paper.title, generated=paper.date)
    return build_pdf(out, story, decor, title=paper.title)
