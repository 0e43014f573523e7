"""House style for every PDF paper: fonts, colours, header/footer, tables, page X of Y."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from cspdesk.dates import format_date
from cspdesk.resources_path import resource_path

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
MARGIN = 20 * mm

RAG_COLOURS = {"Red": "#C0392B", "Amber": "#E6A100", "Green": "#2E8B57", "Complete": "#5B6770"}
ZEBRA = colors.HexColor("#F3F5F7")
RULE = colors.HexColor("#5B6770")
HEADER_BG = colors.HexColor("#2F3E4E")

_registered = False


def register_fonts() -> None:
    """Register the bundled DejaVu fonts once (they print every script's names)."""
    global _registered
    if _registered:
        return
    pdfmetrics.registerFont(TTFont(FONT, str(resource_path("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
    italic = resource_path("fonts", "DejaVuSans-Oblique.ttf")
    pdfmetrics.registerFont(TTFont(FONT_ITALIC, str(italic)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic=FONT_BOLD)
    _registered = True


def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles in the house font."""
    register_fonts()
    base = getSampleStyleSheet()
    body = ParagraphStyle("Body", parent=base["BodyText"], fontName=FONT, fontSize=10, leading=13)
    return {
        "body": body,
        "small": ParagraphStyle("Small", parent=body, fontSize=8, leading=10),
        "cell": ParagraphStyle("Cell", parent=body, fontSize=8.5, leading=10.5),
        "cell_right": ParagraphStyle("CellR", parent=body, fontSize=8.5, leading=10.5,
                                     alignment=TA_RIGHT),
        "cell_bold": ParagraphStyle("CellB", parent=body, fontName=FONT_BOLD, fontSize=8.5,
                                    leading=10.5),
        "title": ParagraphStyle("Title", parent=body, fontName=FONT_BOLD, fontSize=16,
                                leading=20, spaceAfter=4),
        "subtitle": ParagraphStyle("Subtitle", parent=body, fontSize=11, leading=14,
                                   textColor=RULE, spaceAfter=10),
        "h1": ParagraphStyle("H1", parent=body, fontName=FONT_BOLD, fontSize=12.5, leading=16,
                             spaceBefore=10, spaceAfter=4),
        "h2": ParagraphStyle("H2", parent=body, fontName=FONT_BOLD, fontSize=10.5, leading=14,
                             spaceBefore=8, spaceAfter=3),
    }


def esc(text: Any) -> str:
    """Escape text for a reportlab Paragraph."""
    return (str(text if text is not None else "").replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("\n", "<br/>"))


@dataclass
class PageDecor:
    """What every page carries: board name, marking, title in the footer, page numbering."""

    board: str = ""
    title: str = ""
    marking: str | None = None
    header_right: str | None = None
    draft: bool = False
    generated: dt.date | None = None
    page_x_of_y: bool = True


class _NumberedCanvas(Canvas):
    """Defers page drawing so the footer can say 'Page X of Y'."""

    decor: PageDecor

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            draw_decor(self, self.decor, self._pageNumber, total)
            super().showPage()
        super().save()


def draw_decor(canvas: Canvas, decor: PageDecor, page: int, total: int | None) -> None:
    """Header (board left, marking centre, header_right right), footer, DRAFT watermark."""
    width, height = canvas._pagesize
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.setFillColor(RULE)
    top = height - 12 * mm
    canvas.drawString(MARGIN, top, decor.board)
    if decor.header_right:
        canvas.setFont(FONT_BOLD, 9)
        canvas.drawRightString(width - MARGIN, top, decor.header_right)
    if decor.marking:
        canvas.setFont(FONT_BOLD, 9)
        canvas.setFillColor(colors.black)
        canvas.drawCentredString(width / 2, top, decor.marking)
        canvas.drawCentredString(width / 2, 7 * mm, decor.marking)
    canvas.setFont(FONT, 8)
    canvas.setFillColor(RULE)
    bottom = 12 * mm
    generated = decor.generated or dt.date.today()
    left = f"{decor.title} · generated {format_date(generated)}" if decor.title else (
        f"Generated {format_date(generated)}")
    canvas.drawString(MARGIN, bottom, left)
    number = f"Page {page} of {total}" if (decor.page_x_of_y and total) else f"Page {page}"
    canvas.drawRightString(width - MARGIN, bottom, number)
    if decor.draft:
        canvas.setFont(FONT_BOLD, 96)
        canvas.setFillColor(colors.Color(0.75, 0.2, 0.2, alpha=0.18))
        canvas.translate(width / 2, height / 2)
        canvas.rotate(45)
        canvas.drawCentredString(0, -30, "DRAFT")
    canvas.restoreState()


def build_pdf(
    out: Path, story: Sequence[Any], decor: PageDecor, *, landscape_pages: bool = False,
    title: str | None = None, on_page: Callable[[Canvas, Any], None] | None = None,
) -> Path:
    """Lay out ``story`` on A4 with 20 mm margins and the house header/footer."""
    register_fonts()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    size = landscape(A4) if landscape_pages else A4
    doc = SimpleDocTemplate(str(out), pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN,
                            title=title or decor.title, author="cspdesk",
                            subject=decor.board)

    canvas_cls = type("DecoratedCanvas", (_NumberedCanvas,), {"decor": decor})
    hook = on_page or (lambda c, d: None)
    doc.build(list(story), onFirstPage=hook, onLaterPages=hook, canvasmaker=canvas_cls)
    return out


def data_table(header: Sequence[str], rows: Sequence[Sequence[Any]], col_widths: Sequence[float],
               *, right: Sequence[int] = (), total_rows: int = 0,
               row_backgrounds: dict[int, str] | None = None,
               cell_colours: dict[tuple[int, int], str] | None = None) -> Table:
    """A house-style table: header repeated on every page, zebra rows, numbers right-aligned,
    the last ``total_rows`` rows bold with a rule above. Cells may be strings or flowables.
    Row indexes in ``row_backgrounds``/``cell_colours`` count data rows from 0."""
    st = styles()
    right_set = set(right)

    def cell(value: Any, col: int, bold: bool) -> Any:
        if not isinstance(value, str | int | float) and value is not None:
            return value
        style = st["cell_bold"] if bold else (st["cell_right"] if col in right_set else st["cell"])
        if bold and col in right_set:
            style = ParagraphStyle("CellBR", parent=st["cell_right"], fontName=FONT_BOLD)
        return Paragraph(esc(value), style)

    head_style = ParagraphStyle("Head", parent=st["cell_bold"], textColor=colors.white)
    head_right = ParagraphStyle("HeadR", parent=head_style, alignment=TA_RIGHT)
    data: list[list[Any]] = [[Paragraph(esc(h), head_right if i in right_set else head_style)
                              for i, h in enumerate(header)]]
    n = len(rows)
    for r, row in enumerate(rows):
        bold = r >= n - total_rows
        data.append([cell(v, c, bold) for c, v in enumerate(row)])
    table = Table(data, colWidths=list(col_widths), repeatRows=1)
    commands: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
    ]
    for r in range(n):
        if r % 2 == 1:
            commands.append(("BACKGROUND", (0, r + 1), (-1, r + 1), ZEBRA))
    for r, colour in (row_backgrounds or {}).items():
        commands.append(("BACKGROUND", (0, r + 1), (-1, r + 1), colors.HexColor(colour)))
    for (r, c), colour in (cell_colours or {}).items():
        commands.append(("BACKGROUND", (c, r + 1), (c, r + 1), colors.HexColor(colour)))
    if total_rows:
        commands.append(("LINEABOVE", (0, n - total_rows + 1), (-1, n - total_rows + 1), 1, RULE))
    table.setStyle(TableStyle(commands))
    return table


def key_value_table(pairs: Sequence[tuple[str, Any]], widths: tuple[float, float]) -> Table:
    """A two-column metadata block (label in bold, value)."""
    st = styles()
    data = [[Paragraph(esc(k), st["cell_bold"]),
             v if not isinstance(v, str | int | float) and v is not None
             else Paragraph(esc(v), st["cell"])] for k, v in pairs]
    table = Table(data, colWidths=list(widths))
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#D5DADF")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def rag_chip(word: str) -> Table:
    """A coloured cell that also says the word (status is never colour alone)."""
    st = styles()
    colour = RAG_COLOURS.get(word, "#FFFFFF")
    style = ParagraphStyle("Chip", parent=st["cell_bold"], textColor=colors.white)
    chip = Table([[Paragraph(esc(word), style)]])
    chip.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(colour)),
                              ("TOPPADDING", (0, 0), (-1, -1), 1),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return chip


def figure_image(fig: Any, width: float, height: float) -> Any:
    """Embed a matplotlib Figure as vector graphics (via an in-memory PDF -> svglib-free path).

    Uses a 200 dpi PNG when vector embedding is unavailable.
    """
    import io

    from reportlab.platypus import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=220, bbox_inches="tight")
    buf.seek(0)
    return Image(buf, width=width, height=height)
