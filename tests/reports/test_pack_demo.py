"""Acceptance: the demo packs read back with pypdf (page ranges, outline, links, public pack)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from cspdesk.progress import Cancelled, Progress
from cspdesk.services import agenda
from cspdesk.services.packs import export_pack, find_meeting

MM = 72 / 25.4
PAGES_X = (20 + 150) * MM  # left edge of the agenda's Pages column
STAMP = re.compile(r"Agenda Item (\d+(?:\.\d+)?)")


def _front_pages(reader: PdfReader) -> int:
    return next(i for i, p in enumerate(reader.pages) if STAMP.search(p.extract_text() or ""))


def stated_ranges(reader: PdfReader) -> dict[str, tuple[int, int]]:
    """{item number: (first, last)} as the agenda's No. and Pages columns print them."""
    out: dict[str, tuple[int, int]] = {}
    for page in reader.pages[:_front_pages(reader)]:
        cells: list[tuple[float, float, str]] = []

        def visit(text, cm, tm, font, size, cells=cells):
            if text.strip():
                x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                cells.append((x, y, text.strip()))

        page.extract_text(visitor_text=visit)
        numbers = {round(y): t for x, y, t in cells
                   if x < 32 * MM and re.fullmatch(r"\d+(\.\d+)?", t)}
        for x, y, t in cells:
            m = re.fullmatch(r"(\d+)(?:–(\d+))?", t)
            if x >= PAGES_X - 2 and m and round(y) in numbers:
                out[numbers[round(y)]] = (int(m[1]), int(m[2] or m[1]))
    return out


def stamps(reader: PdfReader) -> list[str | None]:
    found = []
    for page in reader.pages:
        m = STAMP.search(page.extract_text() or "")
        found.append(m[1] if m else None)
    return found


def _build(db, day: str, tmp_path: Path) -> tuple[PdfReader, PdfReader, Path, Path]:
    mid = find_meeting(db, dt.date.fromisoformat(day))
    full = export_pack(db, mid, tmp_path / "full.pdf", public=False)
    public = export_pack(db, mid, tmp_path / "public.pdf", public=True)
    return PdfReader(full), PdfReader(public), full, public


@pytest.mark.parametrize("day", ["2020-02-27", "2021-02-09", "2011-04-26", "2018-10-11"])
def test_each_paper_starts_on_the_page_the_agenda_states(demo_db, tmp_path, day):
    full, public, _, _ = _build(demo_db, day, tmp_path)
    for reader in (full, public):
        ranges = stated_ranges(reader)
        assert ranges, "the agenda states page ranges"
        on_page = stamps(reader)
        for number, (first, last) in ranges.items():
            mine = [n for n in on_page[first - 1:last]]
            assert all(n == number or n.startswith(number + ".") for n in mine), number
            before = on_page[first - 2]
            assert before is None or not (before == number or before.startswith(number + "."))
            if last < len(on_page):
                after = on_page[last]
                assert not (after == number or after.startswith(number + "."))
        # every stamped page is covered, and the footer numbers run continuously
        covered = {p for a, b in ranges.values() for p in range(a, b + 1)}
        assert covered == {i + 1 for i, n in enumerate(on_page) if n}
        for i in range(len(reader.pages)):
            assert f"Page {i + 1}" in " ".join(reader.pages[i].extract_text().split())


@pytest.mark.parametrize("day", ["2020-02-27", "2021-02-09"])
def test_outline_has_an_entry_per_item_and_agenda_rows_link(demo_db, tmp_path, day):
    full, _, _, _ = _build(demo_db, day, tmp_path)
    ag = agenda.get_agenda(demo_db, find_meeting(demo_db, dt.date.fromisoformat(day)))
    top = [r for r in ag.rows if r.level == 0]
    titles = [o.title for o in full.outline if not isinstance(o, list)]
    assert titles[:2] == ["Front page", "Agenda"]
    assert titles[2:] == [f"{r.number}  {r.title}" for r in top]
    ranges = stated_ranges(full)
    entries = {o.title.split()[0]: full.get_destination_page_number(o)
               for o in full.outline if not isinstance(o, list)}
    for number, (first, _last) in ranges.items():
        if "." not in number:
            assert entries[number] == first - 1
    targets = set()
    for page in full.pages[:_front_pages(full)]:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot["/Subtype"] == "/Link":
                targets.add(full.get_page_number(annot["/Dest"][0].get_object()) + 1)
    assert targets == {a for a, _ in ranges.values()}


def test_public_pack_withholds_exempt_paper_with_identical_page_numbers(demo_db, tmp_path):
    full, public, _, _ = _build(demo_db, "2011-04-26", tmp_path)
    assert len(full.pages) == len(public.pages)
    assert stated_ranges(full) == stated_ranges(public)
    full_text = "\n".join(p.extract_text() for p in full.pages)
    public_text = "\n".join(p.extract_text() for p in public.pages)
    secret = "CONFIDENTIAL FUNDING DECISION"
    assert secret in full_text and secret not in public_text
    assert "Decision on 2011-12 and 2012-13 Funding (exempt)" not in public_text.replace("\n", " ")
    first, last = stated_ranges(public)["10"]
    notice = public.pages[first - 1].extract_text().replace("\n", " ")
    assert ("Not for publication by virtue of paragraphs 1, 2, 3 of Part 1 of Schedule 12A of "
            "the Local Government Act 1972") in notice
    for i in range(first, last):
        assert "Page withheld" in public.pages[i].extract_text()
    assert "PUBLIC PACK" in public.pages[0].extract_text()


def test_publish_once_approved_items_are_withheld_too(demo_db, tmp_path):
    full, public, _, _ = _build(demo_db, "2018-10-11", tmp_path)
    assert len(full.pages) == len(public.pages)
    text = "\n".join(p.extract_text() for p in public.pages).replace("\n", " ")
    assert "DEMO PAPER: Minutes and actions of the meeting held 19 July 2018" not in text
    assert "To be published once approved by the board" in text
    full_text = "\n".join(p.extract_text() for p in full.pages).replace("\n", " ")
    assert "DEMO PAPER: Minutes and actions of the meeting held 19 July 2018" in full_text


def test_landscape_papers_stay_landscape_and_marking_on_front_page(demo_db, tmp_path):
    mid = find_meeting(demo_db, dt.date(2020, 2, 27))
    row = next(r for r in agenda.get_agenda(demo_db, mid).rows if r.number == "7")
    data = agenda.item_input(demo_db, row.id)
    data.marking = "OFFICIAL-SENSITIVE"
    agenda.update_item(demo_db, row.id, row.version, data)
    full, _, _, _ = _build(demo_db, "2020-02-27", tmp_path)
    first, last = stated_ranges(full)["7"]
    for page in full.pages[first - 1:last]:
        assert float(page.mediabox.width) > float(page.mediabox.height)
        assert "OFFICIAL-SENSITIVE" in page.extract_text()
    assert float(full.pages[0].mediabox.width) < float(full.pages[0].mediabox.height)
    assert "Protective marking: OFFICIAL-SENSITIVE" in full.pages[0].extract_text()


def test_cancel_leaves_no_file(demo_db, tmp_path):
    mid = find_meeting(demo_db, dt.date(2020, 2, 27))
    progress = Progress()
    seen: list[str] = []

    def listener(done, total, text):
        seen.append(text)
        if len(seen) == 3:
            progress.cancel()

    progress.listener = listener
    out_dir = tmp_path / "out"
    with pytest.raises(Cancelled):
        export_pack(demo_db, mid, out_dir / "pack.pdf", public=False, progress=progress)
    assert not (out_dir / "pack.pdf").exists()
    assert not out_dir.exists() or list(out_dir.iterdir()) == []


def test_cambridge_report_carries_its_appendix_a_from_the_ledger(demo_db, tmp_path):
    """The written report asks the board to agree 'the statement at Appendix A': the pack
    holds it, generated from the ledger, with the hidden other expenses as their own line."""
    full, _, _, _ = _build(demo_db, "2021-02-09", tmp_path)
    item7 = full.outline[full.outline.index(next(
        o for o in full.outline if not isinstance(o, list) and o.title.startswith("7 "))) + 1]
    assert [o.title for o in item7] == [
        "Community Safety Fund 2019-20 End of Year Financial Report",
        "Appendix A: Community Safety Fund financial statement 2019-20"]
    first = full.get_destination_page_number(item7[1])
    text = " ".join(p.extract_text() for p in full.pages[first:first + 3])
    assert "£1,012.01" in text and "£6,694.17" in text
