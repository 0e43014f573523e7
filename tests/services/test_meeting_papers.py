"""Papers: attach PDFs, Word/ODT conversion or a clear message, written papers, pre-flight."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from cspdesk.errors import UserError
from cspdesk.services import agenda, meeting_papers, packs
from cspdesk.services.agenda import ItemInput
from cspdesk.services.meeting_papers import WrittenPaper


def make_pdf(path: Path, pages: int = 2, text: str = "Report") -> Path:
    c = Canvas(str(path))
    for n in range(pages):
        c.drawString(72, 720, f"{text} page {n + 1}")
        c.showPage()
    c.save()
    return path


@pytest.fixture
def item(demo_db):
    mid = packs.find_meeting(demo_db, dt.date(2020, 2, 27))
    return mid, agenda.add_item(demo_db, mid, ItemInput(title="Hate crime", duration=10)).id


def test_attach_pdf_and_reject_bad_files(demo_db, item, tmp_path):
    mid, item_id = item
    row = meeting_papers.attach_file(demo_db, item_id, make_pdf(tmp_path / "Hate crime.pdf"))
    assert (row.title, row.source_label, row.original_name) == (
        "Hate crime", "Attached PDF", "Hate crime.pdf")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(UserError, match="broken.pdf is not a readable PDF"):
        meeting_papers.attach_file(demo_db, item_id, broken)
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(make_pdf(tmp_path / "open.pdf")) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    with pytest.raises(UserError, match="protected by a password"):
        meeting_papers.attach_file(demo_db, item_id, locked)
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(UserError, match="not a PDF or a Word/ODT"):
        meeting_papers.attach_file(demo_db, item_id, tmp_path / "notes.txt")
    assert [p.title for p in meeting_papers.list_papers(demo_db, item_id)] == ["Hate crime"]


def test_word_without_libreoffice_asks_for_a_pdf(demo_db, item, tmp_path, monkeypatch):
    monkeypatch.setattr(meeting_papers, "soffice", lambda: None)  # a laptop without LibreOffice
    doc = tmp_path / "report.docx"
    doc.write_bytes(b"PK\x03\x04 word")
    with pytest.raises(UserError, match="LibreOffice is not installed.*attach the PDF instead"):
        meeting_papers.attach_file(demo_db, item[1], doc)


def _odt(path: Path, text: str) -> Path:
    """A minimal real OpenDocument text file holding one paragraph."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.text"/><manifest:file-entry '
                'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                   f'{ns} office:version="1.2"><office:body><office:text><text:p>{text}</text:p>'
                   '</office:text></office:body></office:document-content>', zipfile.ZIP_DEFLATED)
    return path


@pytest.mark.skipif(meeting_papers.soffice() is None, reason="LibreOffice is not installed")
def test_word_is_converted_with_libreoffice(demo_db, item, tmp_path):
    odt = _odt(tmp_path / "report.odt", "Hate crime reports rose in 2019 across the district.")
    row = meeting_papers.attach_file(demo_db, item[1], odt)
    assert row.source == "converted"
    pdf = meeting_papers.paper_pdf(demo_db, row.id, tmp_path / "out")
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Hate crime reports rose in 2019" in text


def test_written_paper_repeats_section_2_at_the_end(demo_db, item, tmp_path):
    mid, item_id = item
    data = WrittenPaper(title="Hate crime update", to="South Cambridgeshire CSP Board",
                        from_="Kathryn Hawkes", date=dt.date(2020, 2, 20),
                        purpose="To update the Board on hate crime.",
                        recommendations="The Board is asked to note the report.\n\n"
                                        "The Board is asked to appoint a lead officer as chair.",
                        background="Hate crime reports rose in 2019.",
                        sections=[("Next steps", "A campaign in March.")],
                        contact_officer="Kathryn Hawkes, Programme Manager")
    row = meeting_papers.save_written(demo_db, item_id, data)
    pdf = meeting_papers.paper_pdf(demo_db, row.id, tmp_path)
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(pdf).pages))
    for field in ("To:", "From:", "Date:", "20 Feb 2020", "Title:", "1 Purpose",
                  "2 Recommendation(s)", "3 Background", "4 Next steps", "5 Recommendation(s)",
                  "Contact Officer(s)", "Kathryn Hawkes, Programme Manager"):
        assert field in text, field
    assert "2.2 The Board is asked to appoint a lead officer as chair." in text
    assert "5.2 The Board is asked to appoint a lead officer as chair." in text
    with pytest.raises(UserError, match="section 2"):
        meeting_papers.save_written(demo_db, item_id, WrittenPaper(title="x", purpose="y"))


def test_preflight_lists_problems_and_blocks_only_unreadable_files(demo_db, item, tmp_path):
    mid, item_id = item
    exempt = agenda.add_item(demo_db, mid, ItemInput(title="Funding", duration=5,
                                                     publication="exempt", kind="verbal"))
    texts = [p.text for p in packs.preflight(demo_db, mid)]
    assert "Item 10: Hate crime: the paper is missing." in texts
    assert "Item 10: Hate crime has no lead." in texts
    assert (f"Item {exempt.number}: Funding is exempt but has no Schedule 12A paragraph."
            in texts)
    assert any(t.startswith("The agenda runs 195 minutes, 15 over") for t in texts)
    assert not any(p.blocking for p in packs.preflight(demo_db, mid))
    row = meeting_papers.attach_file(demo_db, item_id, make_pdf(tmp_path / "ok.pdf"))
    stored = meeting_papers.paper_pdf(demo_db, row.id, tmp_path)
    stored.write_bytes(b"damaged")
    blocking = [p for p in packs.preflight(demo_db, mid) if p.blocking]
    assert [p.text for p in blocking] == ["Item 10: ok is not a readable PDF; save it again as "
                                          "PDF and attach it again."]
    with pytest.raises(UserError, match="ok is not a readable PDF"):
        packs.export_pack(demo_db, mid, tmp_path / "pack.pdf", public=False)


def test_remove_and_restore_paper(demo_db, item, tmp_path):
    row = meeting_papers.attach_file(demo_db, item[1], make_pdf(tmp_path / "a.pdf"))
    snap = meeting_papers.remove_paper(demo_db, row.id)
    assert meeting_papers.list_papers(demo_db, item[1]) == []
    meeting_papers.restore_paper(demo_db, snap)
    assert [p.title for p in meeting_papers.list_papers(demo_db, item[1])] == ["a"]
