"""Export a year's budget (streams, lines, ledger) to XLSX."""

from __future__ import annotations

from pathlib import Path

from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.reports.finance_xlsx import build_budget_xlsx
from cspdesk.services.budget_figures import year_figures


def export_budget_xlsx(db: Database, partnership_id: int, year: int, out: Path) -> Path:
    """Write the year's figures to ``out``."""
    try:
        return build_budget_xlsx(year_figures(db, partnership_id, year), Path(out))
    except PermissionError as exc:
        raise UserError(f"Cannot write {out}: it may be open in another program; close it "
                        "and try again.") from exc
