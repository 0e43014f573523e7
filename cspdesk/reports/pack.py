"""The board pack: front page, agenda with computed page ranges, stamped papers, outline, links.

Pure: takes a :class:`PackData` from ``services.packs``; never queries. Merging and stamping use
pikepdf (qpdf), measured several times faster than pypdf on the 300-page benchmark.

Public and full packs share one layout: in the public pack each page of an exempt (or
"publish once approved") paper is replaced one-for-one by a placeholder page, the first saying
why it is withheld, so both packs have the same page numbers and page count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from cspdesk.dates import format_date
from cspdesk.progress import NULL_PROGRESS, Progress
from cspdesk.reports.common import (
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    HEADER_BG,
    MARGIN,
    RULE,
    ZEBRA,
    PageDecor,
    build_pdf,
    esc,
    register_fonts,
    styles,
)
from cspdesk.reports.pack_stamp import stamp_pages

MARKING_ORDER = ("", "OFFICIAL", "OFFICIAL-SENSITIVE")
SHRINK = 0.92  # papers are scaled into the area between the stamped header and footer bands
EXEMPT_TEXT = ("Not for publication by virtue of {word} {paras} of Part 1 of Schedule 12A "
               "of the Local Government Act 1972")


@dataclass(frozen=True)
class PackPaper:
    title: str
    pdf: Path | None  # None when withheld from this (public) pack
    pages: int
    withheld: bool = False


@dataclass(frozen=True)
class PackItem:
    number: str
    title: str
    leads: str = ""
    purpose: str | None = None
    time_text: str = ""
    group_heading: str | None = None
    kind: str = "paper"
    level: int = 0
    marking: str | None = None
    publication: str = "public"
    exempt_paragraphs: str | None = None
    papers: tuple[PackPaper, ...] = ()


@dataclass(frozen=True)
class PackData:
    board: str
    meeting_title: str
    date: dt.date
    time_text: str
    venue: str
    to_line: str
    contact: str
    items: tuple[PackItem, ...]
    public: bool
    visitor_notes: str | None = None
    generated: dt.date | None = None


@dataclass
class _Placed:
    item: PackItem
    paper: PackPaper
    first: int  # 1-based page in the pack


@dataclass
class PackLayout:
    front_pages: int
    placed: list[_Placed] = field(default_factory=list)
    ranges: dict[str, tuple[int, int]] = field(default_factory=dict)
    total: int = 0


def highest_marking(data: PackData) -> str | None:
    """The highest protective marking of the items whose papers are in this pack."""
    found = [i.marking or "" for i in data.items
             if not any(p.withheld for p in i.papers)]
    best = max(found, key=lambda m: MARKING_ORDER.index(m) if m in MARKING_ORDER else 0,
               default="")
    return best or None


def plan(data: PackData, front_pages: int) -> PackLayout:
    """Where every paper lands once the front matter has ``front_pages`` pages."""
    layout = PackLayout(front_pages)
    page = front_pages + 1
    for item in data.items:
        for paper in item.papers:
            layout.placed.append(_Placed(item, paper, page))
            page += paper.pages
    layout.total = page - 1
    by_number: dict[str, list[tuple[int, int]]] = {}
    for p in layout.placed:
        span = (p.first, p.first + p.paper.pages - 1)
        by_number.setdefault(p.item.number, []).append(span)
        if "." in p.item.number:  # a sub-item's pages count towards its parent too
            by_number.setdefault(p.item.number.split(".")[0], []).append(span)
    layout.ranges = {n: (min(a for a, _ in s), max(b for _, b in s)) for n, s in by_number.items()}
    return layout


def withheld_notice(item: PackItem) -> str:
    """The sentence a withheld item's placeholder page carries."""
    if item.publication == "exempt":
        paras = item.exempt_paragraphs or "[not given]"
        word = "paragraphs" if any(c in paras for c in ",&") or " and " in paras else "paragraph"
        return EXEMPT_TEXT.format(word=word, paras=paras)
    return "To be published once approved by the board"


# -- front matter ---------------------------------------------------------------------------

class _RowAnchor(Paragraph):
    """A paragraph that records where it was drawn, so its agenda row can link to a page."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, sink: dict) -> None:
        super().__init__(text, style)
        self._key = key
        self._sink = sink

    def draw(self) -> None:
        super().draw()
        x0, y0 = self.canv.absolutePosition(0, 0)
        self._sink[self._key] = (self.canv.getPageNumber(), y0 - 3, y0 + self.height + 3)


def _pages_text(item: PackItem, layout: PackLayout) -> str:
    if item.number in layout.ranges:
        a, b = layout.ranges[item.number]
        return str(a) if a == b else f"{a}–{b}"
    return {"verbal": "Verbal", "presentation": "Presentation"}.get(item.kind, "")


def _front_story(data: PackData, layout: PackLayout, anchors: dict) -> list[Any]:
    st = styles()
    big = ParagraphStyle("Big", parent=st["title"], fontSize=20, leading=25, spaceAfter=8)
    marking = highest_marking(data)
    story: list[Any] = [Spacer(1, 20 * mm), Paragraph(esc(data.board), big),
                        Paragraph(esc(data.meeting_title), st["h1"]), Spacer(1, 6 * mm)]
    details = [("Date", format_date(data.date) + f" ({data.date:%A})"),
               ("Time", data.time_text), ("Venue", data.venue or "To be confirmed"),
               ("To", data.to_line), ("Contact", data.contact)]
    rows = [[Paragraph(f"<b>{esc(k)}</b>", st["body"]), Paragraph(esc(v), st["body"])]
            for k, v in details if v]
    table = Table(rows, colWidths=[30 * mm, 140 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE)]))
    story += [table, Spacer(1, 10 * mm)]
    version = ("PUBLIC PACK: items not for publication are replaced by a notice" if data.public
               else "FULL PACK FOR MEMBERS" + (
                   ": includes items not for publication" if any(
                       i.publication != "public" for i in data.items) else ""))
    story.append(Paragraph(f"<b>{esc(version)}</b>", st["body"]))
    if marking:
        mark = ParagraphStyle("Mark", parent=st["title"], textColor=colors.HexColor("#C0392B"))
        story += [Spacer(1, 6 * mm), Paragraph(f"Protective marking: {esc(marking)}", mark)]
    story += [PageBreak(), Paragraph("Agenda", st["title"])]
    head = ["No.", "Item", "Lead", "Purpose", "Time", "Pages"]
    hstyle = ParagraphStyle("AH", parent=st["cell_bold"], textColor=colors.white)
    data_rows: list[list[Any]] = [[Paragraph(h, hstyle) for h in head]]
    commands: list[tuple] = [("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                             ("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#D5DADF"))]
    group = None
    italic = ParagraphStyle("G", parent=st["cell"], fontName=FONT_ITALIC, fontSize=9.5)
    link = ParagraphStyle("L", parent=st["cell_right"], textColor=colors.HexColor("#1F4E99"))
    for item in data.items:
        if item.group_heading and item.group_heading != group and item.level == 0:
            data_rows.append([Paragraph(esc(item.group_heading), italic), "", "", "", "", ""])
            r = len(data_rows) - 1
            commands += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), ZEBRA)]
        if item.level == 0:
            group = item.group_heading
        title = esc(item.title)
        if item.publication == "exempt":
            title += f"<br/><i>{esc(withheld_notice(item))}</i>"
        elif item.publication == "on_approval":
            title += "<br/><i>Item to be published once approved</i>"
        indent = "&nbsp;" * 4 * item.level
        cell_style = st["cell_bold"] if item.level == 0 else st["cell"]
        data_rows.append([
            Paragraph(esc(item.number), cell_style),
            _RowAnchor(indent + title, cell_style, item.number, anchors),
            Paragraph(esc(item.leads), st["cell"]), Paragraph(esc(item.purpose or ""), st["cell"]),
            Paragraph(esc(item.time_text), st["cell"]),
            Paragraph(esc(_pages_text(item, layout)),
                      link if item.number in layout.ranges else st["cell_right"])])
    agenda = Table(data_rows, colWidths=[11 * mm, 62 * mm, 30 * mm, 21 * mm, 26 * mm, 18 * mm],
                   repeatRows=1)
    agenda.setStyle(TableStyle(commands))
    story.append(agenda)
    if data.visitor_notes:
        story += [PageBreak(), Paragraph("Notes for visitors", st["title"])]
        for para in data.visitor_notes.split("\n\n"):
            story += [Paragraph(esc(para.strip()), st["body"]), Spacer(1, 3 * mm)]
    return story


def _build_front(data: PackData, layout: PackLayout, out: Path) -> tuple[int, dict]:
    anchors: dict[str, tuple[int, float, float]] = {}
    decor = PageDecor(board=data.board, title=data.meeting_title or data.board,
                      marking=highest_marking(data), generated=data.generated, page_x_of_y=False)
    build_pdf(out, _front_story(data, layout, anchors), decor, title=data.meeting_title)
    with pikepdf.open(out) as pdf:
        return len(pdf.pages), anchors


# -- placeholders and stamps ----------------------------------------------------------------

def _placeholders(data: PackData, placed: Sequence[_Placed], out: Path) -> list[int]:
    """One page per withheld page: the notice first, then 'continued' pages."""
    register_fonts()
    c = Canvas(str(out), pagesize=A4)
    width, height = A4
    starts = []
    n = 0
    for p in placed:
        starts.append(n)
        for k in range(p.paper.pages):
            c.setFont(FONT_BOLD, 14)
            y = height - 60 * mm
            c.drawString(MARGIN, y, f"Agenda Item {p.item.number}")
            c.setFont(FONT, 11)
            text = c.beginText(MARGIN, y - 10 * mm)
            text.setFont(FONT, 11)
            words = (withheld_notice(p.item) + "." if k == 0 else
                     f"Page withheld: continuation of agenda item {p.item.number}.").split()
            line = ""
            for w in words:
                if c.stringWidth(line + " " + w, FONT, 11) > width - 2 * MARGIN:
                    text.textLine(line)
                    line = w
                else:
                    line = (line + " " + w).strip()
            text.textLine(line)
            c.drawText(text)
            if k == 0:
                c.setFont(FONT_ITALIC, 9)
                c.drawString(MARGIN, y - 30 * mm, f"The paper ({p.paper.pages} page(s)) is in the "
                             "members' pack only; page numbers match the members' pack.")
            c.showPage()
            n += 1
    c.save()
    return starts


def _shrink(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    box = page.cropbox if "/CropBox" in page.obj else page.mediabox
    cx = (float(box[0]) + float(box[2])) / 2
    cy = (float(box[1]) + float(box[3])) / 2
    tx, ty = (1 - SHRINK) * cx, (1 - SHRINK) * cy
    page.contents_add(pikepdf.Stream(pdf, f"q {SHRINK} 0 0 {SHRINK} {tx:.3f} {ty:.3f} cm\n"
                                     .encode()), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"\nQ\n"))


# -- assembly -------------------------------------------------------------------------------

def build_pack(data: PackData, out: Path, progress: Progress | None = None) -> Path:
    """Write the pack to ``out`` (atomically); ``progress`` reports and may cancel."""
    progress = progress or NULL_PROGRESS
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.with_name(out.name + ".parts")
    work.mkdir(exist_ok=True)
    total_steps = 3 + sum(len(i.papers) for i in data.items)
    try:
        progress.update(0, total_steps, "Laying out the front page and agenda")
        front = work / "front.pdf"
        guess = 2 + (1 if data.visitor_notes else 0)
        for _ in range(4):  # the agenda's length depends on the ranges it prints
            layout = plan(data, guess)
            pages, anchors = _build_front(data, layout, front)
            if pages == guess:
                break
            guess = pages
        progress.check()
        withheld = [p for p in layout.placed if p.paper.withheld]
        holder_path = work / "withheld.pdf"
        holder_starts = _placeholders(data, withheld, holder_path) if withheld else []
        result, keep_open = _assemble(data, layout, front, holder_path, holder_starts, anchors,
                                      progress, total_steps)
        part = out.with_name(out.name + ".part")
        progress.update(total_steps - 1, total_steps, "Saving the pack")
        result.save(part)
        result.close()
        for src in keep_open:
            src.close()
        part.replace(out)
        progress.update(total_steps, total_steps, "Done")
        return out
    finally:
        for f in work.glob("*"):
            f.unlink()
        work.rmdir()


def _assemble(data: PackData, layout: PackLayout, front: Path, holder_path: Path,
              holder_starts: list[int], anchors: dict, progress: Progress,
              total_steps: int) -> tuple[pikepdf.Pdf, list[pikepdf.Pdf]]:
    """The merged, stamped pack and the source files it reads from until it is saved."""
    pack = pikepdf.Pdf.open(front)
    pack.Root.PageMode = pikepdf.Name.UseOutlines
    holders = pikepdf.Pdf.open(holder_path) if holder_starts else None
    sources: list[pikepdf.Pdf] = []
    specs: list[tuple[str, str | None]] = []
    w_index = 0
    for step, placed in enumerate(layout.placed, start=2):
        progress.check()
        progress.update(step, total_steps, f"Adding {placed.paper.title}")
        if placed.paper.withheld:
            assert holders is not None
            start = holder_starts[w_index]
            w_index += 1
            pages = holders.pages[start:start + placed.paper.pages]
        else:
            assert placed.paper.pdf is not None
            src = pikepdf.Pdf.open(placed.paper.pdf)
            sources.append(src)
            pages = list(src.pages)[:placed.paper.pages]
        for page in pages:
            pack.pages.append(page)
            new = pack.pages[-1]
            _shrink(pack, new)
            specs.append((placed.item.number, placed.item.marking))
    progress.check()
    if specs:
        stamp_pages(pack, layout.front_pages, specs, data.board,
                    f"{data.meeting_title} · {format_date(data.date)}", layout.front_pages + 1,
                    progress.check)
    _outline(pack, data, layout, anchors)
    _links(pack, layout, anchors)
    pack.docinfo["/Title"] = f"{data.board}: {data.meeting_title}"
    return pack, sources + ([holders] if holders is not None else [])


def _outline(pack: pikepdf.Pdf, data: PackData, layout: PackLayout, anchors: dict) -> None:
    with pack.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Front page", 0))
        outline.root.append(pikepdf.OutlineItem("Agenda", 1 if layout.front_pages > 1 else 0))
        parents: dict[str, pikepdf.OutlineItem] = {}
        for item in data.items:
            first = layout.ranges.get(item.number, (None, None))[0]
            page = (first - 1) if first else (anchors.get(item.number, (1,))[0] - 1)
            suffix = " (not for publication)" if data.public and any(
                p.withheld for p in item.papers) else ""
            entry = pikepdf.OutlineItem(f"{item.number}  {item.title}{suffix}", page)
            placed = [p for p in layout.placed if p.item is item and not p.paper.withheld]
            if len(placed) > 1 or (placed and placed[0].paper.title != item.title):
                for p in placed:
                    entry.children.append(pikepdf.OutlineItem(p.paper.title, p.first - 1))
            if item.level and item.number.split(".")[0] in parents:
                parents[item.number.split(".")[0]].children.append(entry)
            else:
                outline.root.append(entry)
                parents[item.number] = entry


def _links(pack: pikepdf.Pdf, layout: PackLayout, anchors: dict) -> None:
    for number, (first, _last) in layout.ranges.items():
        if number not in anchors:
            continue
        page_no, y0, y1 = anchors[number]
        page = pack.pages[page_no - 1]
        width = float(page.mediabox[2])
        annot = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
            Rect=[MARGIN, y0, width - MARGIN, y1], Border=[0, 0, 0],
            Dest=[pack.pages[first - 1].obj, pikepdf.Name.Fit])
        if "/Annots" not in page.obj:
            page.obj.Annots = pack.make_indirect(pikepdf.Array())
        page.obj.Annots.append(pack.make_indirect(annot))
