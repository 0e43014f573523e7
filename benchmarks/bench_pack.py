"""Board pack speed: 12 items, 10 attached PDFs of 300 pages in total.

Prints the pack time (pack_data + build_pack, from a real SQLite database), the time
``qpdf --empty --pages ... -- out.pdf`` takes to merge the same files, their ratio (target
<= 2.0), and peak memory (target <= 500 MB). With ``--pypdf`` it also times a plain pypdf merge,
the measurement behind using pikepdf in reports/pack.py.

    .venv/bin/python benchmarks/bench_pack.py [--pypdf]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

PAGES = (12, 18, 24, 30, 36, 42, 48, 30, 36, 24)  # 300 pages over 10 papers
LOREM = ("The partnership reviewed the strategic assessment, the action plans and the budget. "
         "Partners agreed to share data through the information sharing agreement. ") * 3


def make_paper(path: Path, n: int, pages: int) -> Path:
    """A text-heavy paper with a table grid; every third paper is landscape."""
    size = landscape(A4) if n % 3 == 2 else A4
    c = Canvas(str(path), pagesize=size)
    width, height = size
    for p in range(pages):
        c.setFont("Helvetica-Bold", 14)
        c.drawString(20 * mm, height - 25 * mm, f"Paper {n + 1}: report page {p + 1}")
        c.setFont("Helvetica", 9)
        y = height - 35 * mm
        while y > 30 * mm:
            c.drawString(20 * mm, y, LOREM[(int(y) % 50):][:110])
            y -= 4.2 * mm
        for k in range(6):
            c.rect(20 * mm + k * 25 * mm, 20 * mm, 25 * mm, 8 * mm)
        c.showPage()
    c.save()
    return path


def setup(work: Path, pages: tuple[int, ...] = PAGES):
    """A real SQLite database with a 12-item meeting; paper i has ``pages[i]`` pages."""
    from cspdesk.models import Board, Partnership
    from cspdesk.services import agenda, meeting_papers
    from cspdesk.services.agenda import ItemInput
    from cspdesk.services.database import open_database
    from cspdesk.services.meetings import create_meeting

    db = open_database(f"sqlite:///{work / 'bench.sqlite'}")
    with db.session() as s:
        board = Board(partnership=Partnership(name="Bench CSP"), name="Bench CSP Board",
                      default_start=dt.time(10), default_end=dt.time(12))
        s.add(board)
        s.flush()
        board_id = board.id
    meeting = create_meeting(db, board_id, dt.date(2020, 2, 27))
    files = []
    for i in range(12):
        item = agenda.add_item(db, meeting.id, ItemInput(
            title=f"Item {i + 1}", duration=10, kind="paper" if i < 10 else "verbal",
            marking="OFFICIAL" if i == 4 else None,
            publication="exempt" if i == 7 else "public",
            exempt_paragraphs="3" if i == 7 else None))
        if i < 10:
            pdf = make_paper(work / f"paper{i + 1}.pdf", i, pages[i])
            files.append(pdf)
            meeting_papers.attach_file(db, item.id, pdf)
    return db, meeting.id, files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pypdf", action="store_true", help="also time a pypdf merge")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args = parser.parse_args()
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        print("qpdf is not installed", file=sys.stderr)
        return 2
    from cspdesk.services.packs import export_pack

    with tempfile.TemporaryDirectory(prefix="cspdesk-bench-") as tmp:
        work = Path(tmp)
        db, meeting_id, files = setup(work)
        base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        pack_times, qpdf_times = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            out = export_pack(db, meeting_id, work / "pack.pdf", public=False)
            pack_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run([qpdf, "--empty", "--pages", *map(str, files), "--",
                            str(work / "qpdf.pdf")], check=True)
            qpdf_times.append(time.perf_counter() - start)
        public_start = time.perf_counter()
        export_pack(db, meeting_id, work / "public.pdf", public=True)
        public_time = time.perf_counter() - public_start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        import pikepdf

        with pikepdf.open(out) as pdf:
            pages = len(pdf.pages)
        pack_t, qpdf_t = min(pack_times), min(qpdf_times)
        print(f"pack:        {pack_t:.2f} s ({pages} pages, 10 papers of 300 pages, 12 items)")
        print(f"public pack: {public_time:.2f} s")
        print(f"qpdf merge:  {qpdf_t:.2f} s")
        print(f"ratio:       {pack_t / qpdf_t:.2f} (target <= 2.0)")
        print(f"peak memory: {peak:.0f} MB (process; {base_rss:.0f} MB before building; "
              "target <= 500 MB)")
        if args.pypdf:
            from pypdf import PdfWriter

            start = time.perf_counter()
            writer = PdfWriter()
            for f in files:
                writer.append(str(f))
            writer.write(str(work / "pypdf.pdf"))
            print(f"pypdf merge: {time.perf_counter() - start:.2f} s (merge only, no stamping)")
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
