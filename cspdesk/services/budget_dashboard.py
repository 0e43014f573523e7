"""Dashboard card "Budget warnings": over-allocated or negative streams, rollovers without
permission, for last, this and next financial year."""

from __future__ import annotations

import datetime as dt

from cspdesk.dates import financial_year_start
from cspdesk.db.engine import Database
from cspdesk.services.budget_figures import all_years
from cspdesk.services.dashboard import DashboardLine
from cspdesk.services.partnerships import list_partnerships


def dashboard_lines(db: Database, partnership_id: int | None,
                    today: dt.date) -> list[DashboardLine]:
    """One line per budget warning (notes are left to the Budget page); with every
    partnership shown, each line starts with its partnership's short name."""
    if partnership_id is not None:
        return _lines(db, partnership_id, today, "")
    return [line for p in list_partnerships(db)
            for line in _lines(db, p.id, today, f"{p.short_name or p.name}: ")]


def _lines(db: Database, partnership_id: int, today: dt.date, prefix: str) -> list[DashboardLine]:
    current = financial_year_start(today)
    lines: list[DashboardLine] = []
    seen: set[str] = set()
    for year, figs in all_years(db, partnership_id).items():
        if not current - 1 <= year <= current + 1:
            continue
        for w in figs.warnings:
            if w.severity != "warning" or w.text in seen:
                continue
            seen.add(w.text)
            lines.append(DashboardLine("Budget warnings", prefix + w.text, "warning", "budget",
                                       year, partnership_id=partnership_id))
    return lines
