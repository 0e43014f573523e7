"""Finance papers: gather the figures, write the PDF; a board-pack paper provider.

For a meeting, the partnership is the meeting's and the year is the financial year of the
meeting date (the previous year for an end of year statement).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from cspdesk import clock
from cspdesk.dates import financial_year_start
from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import Board, Meeting, Partnership
from cspdesk.reports.finance import FinancePaper, build_spending_plan
from cspdesk.reports.finance_statement import build_year_end_statement
from cspdesk.services.budget_figures import compute_all, load_facts

KINDS = ("spending-plan", "year-end")
Progress = Callable[[int, int, str], None] | None


def finance_paper(db: Database, partnership_id: int, year: int, *,
                  meeting_id: int | None = None, draft: bool = False) -> FinancePaper:
    """The figures of a year, with earlier years (for the chart) and the board's name."""
    figures = compute_all(load_facts(db, partnership_id), extra_years=(year,))
    with db.session() as s:
        board, meeting_date = "", None
        if meeting_id is not None:
            meeting = s.get(Meeting, meeting_id)
            if meeting is None:
                raise UserError("That meeting no longer exists; refresh the list.")
            board, meeting_date = meeting.board.name, meeting.date
        else:
            partnership = s.get(Partnership, partnership_id)
            boards = partnership.boards if partnership else []
            board = boards[0].name if boards else (partnership.name if partnership else "")
    history = tuple(figures[y] for y in sorted(figures) if y <= year)
    return FinancePaper(figures[year], history, board, meeting_date, clock.today(), draft)


def export_finance_report(db: Database, partnership_id: int, year: int, kind: str, out: Path,
                          *, meeting_id: int | None = None, progress: Progress = None) -> Path:
    """Write a spending plan or an end of year statement PDF to ``out``."""
    if kind not in KINDS:
        raise UserError(f"'{kind}' is not a finance report; choose spending-plan or year-end.")
    if progress:
        progress(0, 2, "Computing the figures")
    paper = finance_paper(db, partnership_id, year, meeting_id=meeting_id)
    if progress:
        progress(1, 2, "Writing the PDF")
    build = build_spending_plan if kind == "spending-plan" else build_year_end_statement
    try:
        path = build(paper, Path(out))
    except PermissionError as exc:
        raise UserError(f"Cannot write {out}: it may be open in another program; close it "
                        "and try again.") from exc
    if progress:
        progress(2, 2, "Done")
    return path


def _meeting_context(db: Database, meeting_id: int) -> tuple[int, dt.date]:
    with db.session() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None:
            raise UserError("That meeting no longer exists; refresh the list.")
        board = s.get(Board, meeting.board_id)
        assert board is not None
        return board.partnership_id, meeting.date


def finance_report_paper(db: Database, meeting_id: int, out_dir: Path, *,
                         kind: str = "spending-plan", year: int | None = None,
                         **_: object) -> Path:
    """Board-pack provider: the meeting's partnership, the financial year of the meeting date
    (or the previous year for an end of year statement)."""
    partnership_id, day = _meeting_context(db, meeting_id)
    if year is None:
        year = financial_year_start(day) - (1 if kind == "year-end" else 0)
    out = Path(out_dir) / f"finance-{kind}-{year}.pdf"
    return export_finance_report(db, partnership_id, year, kind, out, meeting_id=meeting_id)


def year_end_paper(db: Database, meeting_id: int, out_dir: Path, **kwargs: object) -> Path:
    """Board-pack provider: last financial year's end of year statement."""
    kwargs.pop("kind", None)
    return finance_report_paper(db, meeting_id, out_dir, kind="year-end", **kwargs)  # type: ignore[arg-type]


PAPER_PROVIDERS = {
    "finance-report": ("Finance report (spending plan)", finance_report_paper),
    "finance-year-end": ("End of year financial statement", year_end_paper),
}
