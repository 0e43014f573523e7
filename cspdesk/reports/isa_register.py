"""The ISA register (Appendix 1) as a PDF paper and as an XLSX in the import's layout."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from cspdesk.dates import format_date
from cspdesk.reports.common import PageDecor, build_pdf, data_table, key_value_table, styles
from cspdesk.reports.xlsx_safe import append_row
from cspdesk.services.isa_cells import (
    FIELDS,
    HEADINGS,
    TYPE_PREFIX,
    lead_text,
    signature_text,
    yes_no_text,
)
from cspdesk.services.isa_export import RegisterData

#: light tints behind the status word (the word is always printed too)
STATUS_TINTS = {
    "form_returned": "#D5ECDF",
    "form_sent": "#FCEFC7",
    "not_sent": "#FCEFC7",
    "awaiting_details": "#F6D5D1",
    "awaiting_case": "#F6D5D1",
    "not_recorded": "#F6D5D1",
    "declined": "#E1E4E7",
    "withdrawn": "#E1E4E7",
}


def _metadata(data: RegisterData) -> list[tuple[str, str]]:
    a = data.agreement
    return [
        ("Title of agreement", a.title), ("Reference", a.reference),
        ("Purpose", a.purpose or ""), ("Partners", a.partners_summary or ""),
        ("Agreement owner", a.owner or ""), ("Drawn up by", a.drawn_up_by or ""),
        ("Protective marking", a.protective_marking or "Not marked"),
        ("Version", a.doc_version or ""), ("Status", a.status_label),
        ("Date of last review", format_date(a.last_review)),
        ("Date of next review", format_date(a.next_review)),
        ("Signed copy", a.signed_document_name or "Not attached"),
    ]


def _spocs_text(party) -> str:  # type: ignore[no-untyped-def]
    lines = []
    for sp in party.spocs:
        contact = ", ".join(x for x in (sp.email, sp.phone) if x)
        note = f" ({sp.note})" if sp.note else ""
        lines.append(sp.label + note + (f"\n{contact}" if contact else ""))
    return "\n".join(lines)


def build_register_pdf(data: RegisterData, out: Path) -> Path:
    """A4 landscape: metadata block, then the register with its header on every page."""
    st = styles()
    a = data.agreement
    story: list = [
        Paragraph(a.title, st["title"]),
        Paragraph(f"Appendix 1: partners, signatories and specific points of contact "
                  f"(SPOC) · {data.partnership}", st["subtitle"]),
        key_value_table(_metadata(data), (45 * mm, 212 * mm)),
        Spacer(1, 4 * mm),
        Paragraph(data.summary.text, st["h2"]),
    ]
    header = ["#", "Organisation", "Board member?", "Lead signatory (name & role)",
              "Signature form", "SPOC(s) for this agreement", "ECINS user?"]
    rows, colours = [], {}
    for i, p in enumerate(data.parties):
        org = p.organisation + (f"\n{_type_label(p.org_type)}" if p.org_type != "other" else "")
        rows.append([str(i + 1), org, yes_no_text(p.board_member), p.signatory_label,
                     p.state_label(data.generated), _spocs_text(p), yes_no_text(p.ecins_user)])
        tint = "#E1E4E7" if p.withdrawal_effective else STATUS_TINTS.get(p.status)
        if tint:
            colours[(i, 4)] = tint
    widths = [9 * mm, 58 * mm, 20 * mm, 50 * mm, 34 * mm, 69 * mm, 17 * mm]
    story.append(data_table(header, rows, widths, cell_colours=colours))
    decor = PageDecor(board=data.partnership, title=f"{a.reference} register",
                      marking=a.protective_marking, draft=a.status == "draft",
                      generated=data.generated)
    return build_pdf(out, story, decor, landscape_pages=True, title=f"{a.title}: register")


def _type_label(org_type: str) -> str:
    from cspdesk.models import OrgType

    return OrgType.label_of(org_type)


def build_register_xlsx(data: RegisterData, out: Path) -> Path:
    """The register in the Appendix 1 columns (it imports back with no change)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Register"
    ws.append([HEADINGS[f] for f in FIELDS])
    for p in data.parties:
        org = TYPE_PREFIX.get(p.org_type, "") + p.organisation
        has_lead = bool(p.lead_name or p.lead_role)
        note = " (job share)" if any(sp.note == "job share" for sp in p.spocs) else ""
        values = {
            "organisation": org, "board_member": yes_no_text(p.board_member),
            "lead": lead_text(p.lead_name, p.lead_role, p.status),
            "signature": signature_text(p.status, p.status_date, has_lead),
            "spoc": " / ".join(sp.text for sp in p.spocs) + note,
            "ecins": yes_no_text(p.ecins_user),
            "spoc_email": " / ".join(sp.email or "" for sp in p.spocs) if any(
                sp.email for sp in p.spocs) else "",
            "spoc_phone": " / ".join(sp.phone or "" for sp in p.spocs) if any(
                sp.phone for sp in p.spocs) else "",
        }
        append_row(ws, [values[f] for f in FIELDS])
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="2F3E4E")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGH", (48, 12, 40, 22, 55, 12, 36, 20), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    meta = wb.create_sheet("Agreement")
    for label, value in _metadata(data):
        append_row(meta, [label, value])
        meta.cell(meta.max_row, 1).font = Font(bold=True)
    meta.append(["Generated", format_date(data.generated)])
    meta.column_dimensions["A"].width = 22
    meta.column_dimensions["B"].width = 90
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
