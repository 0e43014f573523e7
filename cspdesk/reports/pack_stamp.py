"""Stamp pack pages fast: "Agenda Item N" header and continuous "Page N" footer.

reportlab draws each distinct header/footer once (per item, marking and page size) plus the
glyphs of "Page " and the digits; every pack page then gets a few-byte content stream placing
those forms, in the page's visual orientation (pages with /Rotate are handled).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import pikepdf
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from cspdesk.reports.common import FONT, FONT_BOLD, MARGIN, RULE, register_fonts

EDGE = MARGIN * 0.6
TOP_OFFSET, BOTTOM = 7.5 * mm, 5 * mm
NUMBER_SIZE = 9
GLYPH_BOX = (20.0, 20.0)
GLYPH_BASE = 5.0


def _static_key(size: tuple[float, float], item: str, mark: str | None) -> tuple:
    return (round(size[0], 1), round(size[1], 1), item, mark or "")


def _draw_forms(board: str, footer: str, keys: Sequence[tuple]) -> bytes:
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=1)
    for text in [str(d) for d in range(10)] + ["Page "]:
        c.setPageSize((stringWidth(text, FONT_BOLD, NUMBER_SIZE) + 4, GLYPH_BOX[1]))
        c.setFont(FONT_BOLD, NUMBER_SIZE)
        c.drawString(0, GLYPH_BASE, text)
        c.showPage()
    for w, h, item, mark in keys:
        c.setPageSize((w, h))
        top = h - TOP_OFFSET
        c.setFillColor(RULE)
        c.setFont(FONT, 7.5)
        c.drawString(EDGE, top, board)
        c.drawString(EDGE, BOTTOM, footer)
        c.setFillColor(colors.black)
        c.setFont(FONT_BOLD, 9)
        c.drawRightString(w - EDGE, top, f"Agenda Item {item}")
        if mark:
            c.drawCentredString(w / 2, top, mark)
            c.drawCentredString(w / 2, BOTTOM, mark)
        c.showPage()
    c.save()
    return buf.getvalue()


def _text_bytes(form: pikepdf.Object) -> tuple[bytes, str]:
    """The encoded string and font resource name of the single text a form draws."""
    font, data = "", b""
    for operands, operator in pikepdf.parse_content_stream(form):
        if str(operator) == "Tf":
            font = str(operands[0])
        elif str(operator) == "Tj":
            data += bytes(operands[0])
    return data, font


def visual_box(page: pikepdf.Page) -> tuple[float, float, float, float, int]:
    """(x0, y0, visual width, visual height, rotation) of the page's visible box."""
    box = page.cropbox if "/CropBox" in page.obj else page.mediabox
    x0, y0, x1, y1 = (float(v) for v in box)
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    w, h = x1 - x0, y1 - y0
    return (x0, y0, h, w, rotate) if rotate in (90, 270) else (x0, y0, w, h, rotate)


def _visual_matrix(x0: float, y0: float, vw: float, vh: float, rotate: int) -> str:
    """cm operator mapping visual coordinates (origin bottom-left as seen) to user space."""
    if rotate == 90:
        a, b, c, d, e, f = 0, 1, -1, 0, x0 + vh, y0
    elif rotate == 180:
        a, b, c, d, e, f = -1, 0, 0, -1, x0 + vw, y0 + vh
    elif rotate == 270:
        a, b, c, d, e, f = 0, -1, 1, 0, x0, y0 + vw
    else:
        a, b, c, d, e, f = 1, 0, 0, 1, x0, y0
    return f"{a} {b} {c} {d} {e:.3f} {f:.3f} cm"


def stamp_pages(pack: pikepdf.Pdf, first_index: int, specs: Sequence[tuple[str, str | None]],
                board: str, footer: str, first_number: int,
                check: Callable[[], None] = lambda: None) -> None:
    """Stamp ``len(specs)`` pages from ``first_index``; spec = (item number, marking)."""
    pages = [pack.pages[first_index + i] for i in range(len(specs))]
    boxes = [visual_box(p) for p in pages]
    keys = list(dict.fromkeys(_static_key((b[2], b[3]), item, mark)
                              for b, (item, mark) in zip(boxes, specs, strict=True)))
    forms_pdf = pikepdf.Pdf.open(io.BytesIO(_draw_forms(board, footer, keys)))
    forms = [pack.copy_foreign(p.as_form_xobject()) for p in forms_pdf.pages]
    codes, font = {}, None
    for text, form in zip([str(d) for d in range(10)] + ["Page "], forms, strict=False):
        codes[text], font_name = _text_bytes(form)
        font = form.Resources.Font[font_name]
    number_w = {str(d): stringWidth(str(d), FONT_BOLD, NUMBER_SIZE) for d in range(10)}
    page_word_w = stringWidth("Page ", FONT_BOLD, NUMBER_SIZE)
    static = {k: forms[11 + i] for i, k in enumerate(keys)}
    for i, (page, box, (item, mark)) in enumerate(zip(pages, boxes, specs, strict=True)):
        if i % 50 == 0:
            check()
        x0, y0, vw, vh, rotate = box
        number = str(first_number + i)
        x = vw - EDGE - page_word_w - sum(number_w[d] for d in number)
        encoded = codes["Page "] + b"".join(codes[d] for d in number)
        text = pikepdf.unparse_content_stream([
            pikepdf.ContentStreamInstruction([pikepdf.String(encoded)], pikepdf.Operator("Tj"))])
        key = _static_key((vw, vh), item, mark)
        form_name = f"/CsS{keys.index(key)}"  # distinct names: pages may share resources
        head = (f"\nq {_visual_matrix(x0, y0, vw, vh, rotate)}\n{form_name} Do\n0 g BT /CsF "
                f"{NUMBER_SIZE} Tf {x:.3f} {BOTTOM:.3f} Td ").encode()
        resources = page.obj.get("/Resources")
        if resources is None:
            page.obj.Resources = resources = pikepdf.Dictionary()
        for kind in ("/XObject", "/Font"):
            if kind not in resources:
                resources[kind] = pikepdf.Dictionary()
        resources.XObject[form_name] = static[key]
        resources.Font.CsF = font
        page.contents_add(pikepdf.Stream(pack, head + text + b" ET\nQ\n"))
    forms_pdf.close()
