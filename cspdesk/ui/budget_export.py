"""Budget exports from the page: spending plan or end of year PDF, XLSX; run in the background
with a progress dialog, to a file chosen in the last folder used."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu

from cspdesk.dates import financial_year_label
from cspdesk.ui import dialogs, messages
from cspdesk.ui.tasks import run_task

if TYPE_CHECKING:
    from cspdesk.ui.budget_page import BudgetPage


def export_menu(page: BudgetPage) -> QMenu:
    menu = QMenu(page)
    menu.setAccessibleName("Export")
    menu.addAction("Spending plan (PDF)…", lambda: export_pdf(page, "spending-plan"))
    menu.addAction("End of year statement (PDF)…", lambda: export_pdf(page, "year-end"))
    menu.addAction("Lines and ledger (XLSX)…", lambda: export_xlsx(page))
    return menu


def _suggested(page: BudgetPage, stem: str, ext: str) -> str:
    label = financial_year_label(page.year).replace("/", "-")
    return f"{stem}-{label}.{ext}"


def export_pdf(page: BudgetPage, kind: str) -> None:
    """Ask where, then write the PDF in the background (Cancel stops before writing)."""
    from cspdesk.services.budget_papers import export_finance_report

    pid = page.ctx.partnership_id
    if pid is None:
        return
    stem = "spending-plan" if kind == "spending-plan" else "end-of-year-statement"
    out = dialogs.choose_save_file(page, "Export finance report", "PDF files (*.pdf)",
                                   _suggested(page, stem, "pdf"), key="budget")
    if out is None:
        return
    db, year = page.ctx.db, page.year

    def work(progress) -> Path:  # type: ignore[no-untyped-def]
        def report(done: int, total: int, text: str) -> None:
            progress.check()
            progress.update(done, total, text)

        return export_finance_report(db, pid, year, kind, out, progress=report)

    page.last_export = None
    run_task(work, lambda path: setattr(page, "last_export", path),
             lambda exc: messages.show_error(page, exc), parent=page,
             title="Writing the finance report")


def export_xlsx(page: BudgetPage) -> None:
    from cspdesk.services.budget_xlsx import export_budget_xlsx

    pid = page.ctx.partnership_id
    if pid is None:
        return
    out = dialogs.choose_save_file(page, "Export budget", "Excel workbooks (*.xlsx)",
                                   _suggested(page, "budget", "xlsx"), key="budget")
    if out is None:
        return
    db, year = page.ctx.db, page.year
    page.last_export = None
    run_task(lambda progress: export_budget_xlsx(db, pid, year, out),
             lambda path: setattr(page, "last_export", path),
             lambda exc: messages.show_error(page, exc), parent=page,
             title="Writing the budget workbook")
