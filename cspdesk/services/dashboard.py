"""Dashboard lines gathered from every area, so the Dashboard never knows the areas."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from dataclasses import dataclass

from cspdesk.db.engine import Database

#: each module offers ``dashboard_lines(db, partnership_id, today) -> list[DashboardLine]``
PROVIDER_MODULES = (
    "cspdesk.services.meetings_dashboard",
    "cspdesk.services.actions_dashboard",
    "cspdesk.services.isa_dashboard",
    "cspdesk.services.budget_dashboard",
)

CARDS = (
    "Next meetings",
    "Overdue actions",
    "ISA: reviews due and signatures outstanding",
    "Budget warnings",
)


@dataclass(frozen=True)
class DashboardLine:
    """One line on a Dashboard card; ``page`` and ``record_id`` say what it opens, in
    ``partnership_id``'s view when the record's id alone does not say (a budget year)."""

    card: str
    text: str
    severity: str = "info"  # info | warning | overdue
    page: str | None = None  # main window page key: meetings, actions, budget, isa, people
    record_id: int | None = None
    due: dt.date | None = None
    partnership_id: int | None = None


def dashboard_lines(db: Database, partnership_id: int | None,
                    today: dt.date) -> dict[str, list[DashboardLine]]:
    """Lines per card, in card order."""
    cards: dict[str, list[DashboardLine]] = {card: [] for card in CARDS}
    for name in PROVIDER_MODULES:
        if importlib.util.find_spec(name) is None:
            continue
        for line in importlib.import_module(name).dashboard_lines(db, partnership_id, today):
            cards.setdefault(line.card, []).append(line)
    return cards
