"""Exempt items stay private: over random agendas (hypothesis), the public pack never holds the
text of an exempt or not-yet-approved paper, shows every public paper, and has exactly as many
pages as the full pack (so page references in minutes agree)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from cspdesk.db.engine import Database
from cspdesk.models import Board
from cspdesk.models.meeting import Publication
from cspdesk.services import agenda, meeting_papers, meetings, packs
from cspdesk.services.agenda import ItemInput

_serial = itertools.count(1)

ITEMS = st.lists(
    st.tuples(st.sampled_from([p.value for p in Publication]),  # public, exempt, on approval
              st.lists(st.integers(1, 3), max_size=2)),  # papers and their page counts
    min_size=1, max_size=4)


def _paper(path: Path, marker: str, pages: int) -> Path:
    canvas = Canvas(str(path))
    for n in range(pages):
        canvas.drawString(72, 720, f"Paper text {marker} page {n + 1}")
        canvas.drawString(72, 700, f"Confidential detail {marker}")
        canvas.showPage()
    canvas.save()
    return path


def _text(path: Path) -> tuple[str, int]:
    reader = PdfReader(path)
    return "\n".join(page.extract_text() or "" for page in reader.pages), len(reader.pages)


@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(items=ITEMS)
def test_public_pack_never_shows_withheld_papers(demo_db: Database, tmp_path: Path,
                                                 items: list[tuple[str, list[int]]]) -> None:
    n = next(_serial)
    with demo_db.session() as s:
        board_id = s.scalars(select(Board.id).order_by(Board.id)).first()
    meeting = meetings.create_meeting(demo_db, board_id, dt.date(2035, 1, 1)
                                      + dt.timedelta(days=n), prefill_attendance=False)
    folder = tmp_path / f"m{n}"
    folder.mkdir()
    secret: list[str] = []
    shown: list[str] = []
    for i, (publication, pages) in enumerate(items):
        item = agenda.add_item(demo_db, meeting.id, ItemInput(
            title=f"Item {i}", publication=publication,
            exempt_paragraphs="1, 2" if publication == Publication.EXEMPT.value else None))
        for j, count in enumerate(pages):
            marker = f"Qmark{n}x{i}x{j}Z"
            meeting_papers.attach_file(demo_db, item.id,
                                       _paper(folder / f"p{i}-{j}.pdf", marker, count),
                                       title=f"Paper {i}.{j}")
            (shown if publication == Publication.PUBLIC.value else secret).append(marker)
    full_text, full_pages = _text(packs.export_pack(demo_db, meeting.id, folder / "full.pdf",
                                                    public=False))
    public_text, public_pages = _text(packs.export_pack(demo_db, meeting.id,
                                                        folder / "public.pdf", public=True))
    assert public_pages == full_pages
    for marker in secret + shown:
        assert marker in full_text
    for marker in secret:
        assert marker not in public_text, f"withheld paper {marker} is in the public pack"
    for marker in shown:
        assert marker in public_text
