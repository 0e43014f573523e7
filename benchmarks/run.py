"""Speed and scale in one run: prints one table of figures, each against its target.

    .venv/bin/python benchmarks/run.py [--scale N] [--quick] [--keep]

The large database (``cspdesk demo --scale N``, default N=100) is generated once into a cache
folder and reused; every run works on a copy, so the cache stays as generated. See
benchmarks/README.md for what each figure measures.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("CSPDESK_BENCH_CACHE", Path(tempfile.gettempdir()) / "cspdesk-bench"))
WORK = Path(tempfile.gettempdir()) / "cspdesk-run"  # main() makes a fresh one per run
sys.path.insert(0, str(ROOT))


def private_env(work: Path) -> dict[str, str]:
    """Offscreen Qt, and a data folder and QSettings of the run's own (not the user's)."""
    return {"QT_QPA_PLATFORM": "offscreen", "CSPDESK_HOME": str(work / "home"),
            "XDG_CONFIG_HOME": str(work / "config")}

BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1200, 760)
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            window.removeEventFilter(self)
            print(f"CSPDESK_SHOWN {time.time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
"""


@dataclass(frozen=True)
class Figure:
    """One line of the table: what, the measured value, and how it is judged."""

    name: str
    value: float
    unit: str
    target: float
    comparison: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.value <= self.target

    def row(self) -> tuple[str, str, str, str]:
        value = f"{self.value:,.2f} {self.unit}" if self.unit in ("x", "s") \
            else f"{self.value:,.0f} {self.unit}"
        target = f"<= {self.target:g} {self.unit}"
        return self.name, value, target, "PASS" if self.ok else "FAIL"


def table(figures: list[Figure]) -> str:
    """The one table: figure, measured, target, verdict, then how each was measured."""
    head = ("Figure", "Measured", "Target", "Verdict")
    rows = [head] + [f.row() for f in figures]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    line = "  ".join("-" * w for w in widths)
    out = [line] + ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))
                    for r in rows[:1]] + [line]
    for f, r in zip(figures, rows[1:], strict=True):
        out.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
        out.append("    " + f.comparison + (f"; {f.detail}" if f.detail else ""))
    out.append(line)
    return "\n".join(out)


def ms(seconds: float) -> float:
    return seconds * 1000


# ---------------------------------------------------------------- the large database

def large_database(scale: int) -> tuple[Path, str]:
    """The cached ``cspdesk demo --scale N`` file (generated the first time), and a note."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"scale{scale}.sqlite"
    if path.exists():
        return path, f"cached {path}"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cspdesk", "demo", "--scale", str(scale), "--db",
                    str(path)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    took = time.perf_counter() - start
    return path, f"generated {path} in {took:.1f} s"


def working_copy(path: Path) -> Path:
    """A copy to run on (the app migrates, backs up and writes; the cache stays pristine)."""
    copy = WORK / path.name
    shutil.copy2(path, copy)
    files = path.with_name(path.stem + "-files")
    if files.is_dir():
        shutil.copytree(files, copy.with_name(copy.stem + "-files"), dirs_exist_ok=True)
    return copy


# ---------------------------------------------------------------- cold start

def _shown_after(cmd: list[str], env: dict[str, str]) -> tuple[float, float | None]:
    """Seconds from process start to the window's first paint, and to "ready" (cspdesk only:
    database open and dashboard filled, printed to stderr)."""
    start = time.time()
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    ready = [float(line.split()[1]) - start for line in out.stderr.splitlines()
             if line.startswith("CSPDESK_READY ")]
    for line in out.stdout.splitlines():
        if line.startswith("CSPDESK_SHOWN "):
            return float(line.split()[1]) - start, (ready[0] if ready else None)
    raise RuntimeError(f"{cmd[1:]} did not show a window: {out.stderr[-500:]}")


def cold_start(db: Path, runs: int = 5) -> list[Figure]:
    """Median time from process start to the first paint of the main window (offscreen), for
    cspdesk on ``db`` and for a bare PySide6 QMainWindow started the same way; and, from the
    same cspdesk runs, the median time until the database is open and the dashboard filled."""
    bare = WORK / "bare_window.py"
    bare.write_text(BARE_WINDOW)
    env = dict(os.environ, **private_env(WORK), CSPDESK_EXIT_AFTER_SHOW="1")
    app_cmd = [sys.executable, "-m", "cspdesk", "--db", str(db)]
    _shown_after(app_cmd, env)  # first run migrates and makes the daily backup: not counted
    _shown_after([sys.executable, str(bare)], env)
    app_times, bare_times, ready_times = [], [], []
    for _ in range(runs):
        bare_times.append(_shown_after([sys.executable, str(bare)], env)[0])
        shown, ready = _shown_after(app_cmd, env)
        app_times.append(shown)
        if ready is None:
            raise RuntimeError("cspdesk showed its window but never said CSPDESK_READY")
        ready_times.append(ready)
    a, b = statistics.median(app_times), statistics.median(bare_times)
    return [Figure("Cold start to main window shown", a / b, "x", 1.5,
                   f"median of {runs}: cspdesk on the large database {ms(a):.0f} ms / bare "
                   f"PySide6 window {ms(b):.0f} ms"),
            Figure("Cold start to ready (database open)", statistics.median(ready_times), "s",
                   1.5, f"median of {runs}, the same runs: process start to the database "
                   "opened (lock, daily backup check, migration check) and the dashboard "
                   "filled, after the window's first paint")]


# ---------------------------------------------------------------- in the app

def _settle(app) -> None:  # type: ignore[no-untyped-def]
    app.processEvents()
    app.processEvents()


def open_and_show(db_path: Path) -> tuple[list[Figure], object]:
    """Open the large database in the main window; time the ISA register and the action list
    to their first rows (page click to rows painted)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from cspdesk.services.database import open_database
    from cspdesk.ui.context import AppContext
    from cspdesk.ui.main_window import MainWindow

    start = time.perf_counter()
    db = open_database(f"sqlite:///{db_path}")
    window = MainWindow(AppContext(db))
    window.resize(1400, 900)
    window.show()
    _settle(app)
    opened = time.perf_counter() - start
    figures = []
    for key, label, rows in (
            ("isa", "ISA register", lambda p: p.proxy.rowCount()),
            ("actions", "Action list", lambda p: p.model.rowCount())):
        start = time.perf_counter()
        window.open_page(key)
        page = window.pages[key]
        _settle(app)
        page.repaint()
        took = time.perf_counter() - start
        figures.append(Figure(f"{label}: time to first rows", ms(took), "ms", 300,
                              f"click to {rows(page)} rows painted, large database open "
                              f"(main window with its dashboard: {ms(opened):.0f} ms)"))
    figures.append(_largest_plan(app, window))
    return figures, window


def _largest_plan(app, window) -> Figure:  # type: ignore[no-untyped-def]
    """Switch the Action plans page to the plan with the most actions: choice to rows painted."""
    from sqlalchemy import func, select

    from cspdesk.models.actions import PlanAction

    page = window.pages["actions"]
    with window.ctx.db.session() as s:
        plan_id, count = s.execute(
            select(PlanAction.plan_id, func.count()).group_by(PlanAction.plan_id)
            .order_by(func.count().desc())).first()
    start = time.perf_counter()
    page.plan_box.setCurrentIndex(page.plan_box.findData(plan_id))
    _settle(app)
    page.repaint()
    took = time.perf_counter() - start
    return Figure("Largest action plan: time to rows", ms(took), "ms", 300,
                  f"choosing the plan with the most actions ({count:,} actions and milestones) "
                  "in the Action plans page until its tree is painted")


def peak_memory() -> Figure:
    """Peak resident memory of this process so far (large database open, pages shown)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Figure("Peak memory, large database open", peak, "MB", 400,
                  "ru_maxrss of the process with the main window, ISA register and action list "
                  "shown")


def filter_keystrokes(db_path: Path, text: str = "review cctv") -> Figure:
    """Type into a page search box (real key events) over a table of every plan action."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

    from cspdesk.services.actions import list_actions
    from cspdesk.services.database import open_database
    from cspdesk.ui.people_page import make_table
    from cspdesk.ui.table_model import Column, RowTableModel
    from cspdesk.ui.widgets import PageToolbar

    app = QApplication.instance() or QApplication([])
    db = open_database(f"sqlite:///{db_path}")
    try:
        start = time.perf_counter()
        rows = list_actions(db, milestones=True)
        loaded = time.perf_counter() - start
    finally:
        db.dispose()
    columns = [Column("Ref", lambda a: a.ref), Column("Action", lambda a: a.title),
               Column("Lead", lambda a: a.lead), Column("Status", lambda a: a.status_label),
               Column("Due", lambda a: a.due_date, lambda a: a.due_date)]
    page = QWidget()
    toolbar = PageToolbar(page, search="Search actions")
    toolbar.finish()
    model = RowTableModel(columns, parent=page)
    view, proxy = make_table(model, "Every plan action")
    toolbar.search_changed.connect(proxy.set_search)
    layout = QVBoxLayout(page)
    layout.addWidget(toolbar)
    layout.addWidget(view)
    page.resize(1200, 800)
    page.show()
    model.set_rows(rows)
    _settle(app)
    while proxy._warm_timer.isActive():  # the search index is built in idle time after loading
        app.processEvents()
    box = toolbar.search
    assert box is not None
    box.setFocus()
    times = []
    for ch in text:
        start = time.perf_counter()
        QTest.keyClick(box, ch)
        _settle(app)
        view.viewport().repaint()
        times.append(time.perf_counter() - start)
    shown = proxy.rowCount()
    page.close()
    page.deleteLater()
    return Figure(f"Filter box at {len(rows):,} rows", ms(max(times)), "ms", 50,
                  f"slowest of {len(text)} keystrokes typing '{text}' (QTest key events, "
                  f"search box → SearchProxy → RowTableModel, rows repainted)",
                  f"median {ms(statistics.median(times)):.0f} ms, {shown:,} rows left; "
                  f"rows loaded in {loaded:.1f} s")


# ---------------------------------------------------------------- exports and import

def pack_ratio(pages: tuple[int, ...] | None = None, repeat: int = 3) -> Figure:
    """The board pack benchmark (benchmarks/bench_pack.py): pack time over qpdf's merge."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_pack

    from cspdesk.services.packs import export_pack

    qpdf = shutil.which("qpdf")
    if qpdf is None:
        raise RuntimeError("qpdf is not installed (apt-get install qpdf)")
    work = WORK / "pack"
    work.mkdir(exist_ok=True)
    db, meeting_id, files = bench_pack.setup(work, pages or bench_pack.PAGES)
    pack_times, qpdf_times = [], []
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            export_pack(db, meeting_id, work / "pack.pdf", public=False)
            pack_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run([qpdf, "--empty", "--pages", *map(str, files), "--",
                            str(work / "qpdf.pdf")], check=True)
            qpdf_times.append(time.perf_counter() - start)
    finally:
        db.dispose()
    p, q = min(pack_times), min(qpdf_times)
    return Figure("Board pack vs qpdf merge", p / q, "x", 2.0,
                  f"best of {repeat}: pack {p:.2f} s / qpdf {q:.2f} s "
                  f"({sum(pages or bench_pack.PAGES)} pages of papers, 12 items)")


def finance_report(db_path: Path, year: int | None = 2015) -> Figure:
    """A spending plan PDF for one financial year (None: the busiest) of the partnership with
    the most budget lines that year."""
    from sqlalchemy import func, select

    from cspdesk.models.budget import BudgetLine
    from cspdesk.services.budget_papers import export_finance_report
    from cspdesk.services.database import open_database

    db = open_database(f"sqlite:///{db_path}")
    try:
        with db.session() as s:
            if year is None:
                year = s.scalar(select(BudgetLine.year).group_by(BudgetLine.year)
                                .order_by(func.count().desc()))
            pid, lines = s.execute(
                select(BudgetLine.partnership_id, func.count()).where(BudgetLine.year == year)
                .group_by(BudgetLine.partnership_id).order_by(func.count().desc())).first()
        start = time.perf_counter()
        export_finance_report(db, pid, year, "spending-plan", WORK / "finance.pdf")
        took = time.perf_counter() - start
    finally:
        db.dispose()
    return Figure("Finance report for a year", took, "s", 1.0,
                  f"spending plan PDF, {year}/{str(year + 1)[2:]}, {lines} budget lines, "
                  "figures from the ledger of the large database")


def write_register(path: Path, rows: int) -> Path:
    """An ISA register workbook in the Appendix 1 layout with ``rows`` partners."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Organisation", "CSP Board member?", "Lead Signatory Name & Role",
               "Signature form returned", "SPOC", "SPOC email", "SPOC phone", "ECINS user?"])
    first, last = ("Alex", "Sam", "Jo", "Priya", "Tom"), ("Smith", "Patel", "Jones", "Khan")
    for i in range(rows):
        ws.append([f"Benchmark Partner {i + 1:05d}", "Yes" if i % 3 == 0 else "No",
                   f"{first[i % 5]} {last[i % 4]}{i} - Chief Executive", "01/06/2019",
                   f"{first[(i + 2) % 5]} Spoc{i} - Community Safety Officer",
                   f"spoc{i}@example.org", "01223 000000", "Yes" if i % 2 else "No"])
    wb.save(path)
    return path


def isa_import(db_path: Path, rows: int = 10_000) -> Figure:
    """Import (preview + apply) a register workbook into an agreement of the large database."""
    from cspdesk.services import isa, isa_import
    from cspdesk.services.database import open_database

    xlsx = write_register(WORK / "register.xlsx", rows)
    db = open_database(f"sqlite:///{db_path}")
    try:
        agreement = isa.list_agreements(db)[-1]
        start = time.perf_counter()
        preview = isa_import.parse(db, xlsx, agreement.id)
        parsed = time.perf_counter() - start
        if preview.errors:
            raise RuntimeError(f"the benchmark register has errors: {preview.errors[:3]}")
        result = isa_import.apply(db, preview)
        took = time.perf_counter() - start
        added = len(isa.list_parties(db, agreement.id))
    finally:
        db.dispose()
    return Figure(f"ISA register import, {rows:,} rows", took, "s", 5.0,
                  f"XLSX preview ({parsed:.1f} s) + apply ({took - parsed:.1f} s) into "
                  f"{agreement.reference}",
                  f"{added:,} parties afterwards; {result}")


# ---------------------------------------------------------------- the run

#: what ``--only`` can pick
ONLY = ("cold-start", "isa-import")


def run(scale: int, quick: bool, note: Callable[[str], None] = print,
        only: str | None = None) -> list[Figure]:
    """Every figure, in the order of the issue (cold start first: no other work running);
    with ``only``, just that group."""
    path, how = large_database(scale)
    note(f"Large database (scale {scale}): {how}")
    db = working_copy(path)
    if only == "isa-import":
        return [isa_import(db, 300 if quick else 10_000)]
    figures = cold_start(db, runs=2 if quick else 5)
    if only == "cold-start":
        return figures
    shown, window = open_and_show(db)
    figures += shown
    memory = peak_memory()
    window.close()  # type: ignore[attr-defined]
    figures.append(filter_keystrokes(db))
    figures.append(pack_ratio((2, 3, 2, 2, 2, 2, 2, 2, 2, 2) if quick else None,
                              repeat=1 if quick else 3))
    figures.append(finance_report(db))
    figures.append(isa_import(db, 300 if quick else 10_000))
    figures.append(memory)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="synthetic scale (default 100)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: scale 2, fewer runs, small pack and import")
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    parser.add_argument("--only", choices=ONLY, help="measure only this group of figures")
    args = parser.parse_args(argv)
    scale = 2 if args.quick else args.scale
    global WORK
    WORK = Path(tempfile.mkdtemp(prefix="cspdesk-run-"))
    os.environ.update(private_env(WORK))
    try:
        figures = run(scale, args.quick, only=args.only)
    finally:
        if args.keep:
            print(f"Working files kept in {WORK}")
        else:
            shutil.rmtree(WORK, ignore_errors=True)
    print(table(figures))
    passed = sum(f.ok for f in figures)
    print(f"{passed} of {len(figures)} figures within target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
