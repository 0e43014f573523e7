"""Dashboard card "ISA: reviews due and signatures outstanding".

``record_id`` is a party id, or minus the agreement id for lines about a whole agreement
(the ISA page's ``open_record`` reads it that way).
"""

from __future__ import annotations

import datetime as dt

from cspdesk.dates import format_date
from cspdesk.db.engine import Database
from cspdesk.services.dashboard import DashboardLine
from cspdesk.services.isa import list_agreements, list_parties
from cspdesk.services.isa_rules import REVIEW_WARNING_DAYS, is_active, list_tasks, review_phrase

CARD = "ISA: reviews due and signatures outstanding"


def dashboard_lines(db: Database, partnership_id: int | None,
                    today: dt.date) -> list[DashboardLine]:
    """Reviews due within 90 days or overdue, open tasks, forms and SPOCs outstanding."""
    lines: list[DashboardLine] = []
    for a in list_agreements(db, partnership_id):
        if a.status == "superseded":
            continue
        if a.next_review and (a.next_review - today).days <= REVIEW_WARNING_DAYS:
            overdue = a.next_review < today
            lines.append(DashboardLine(
                CARD, f"{a.reference}: {review_phrase(a.next_review, today)} "
                f"({format_date(a.next_review)})", "overdue" if overdue else "warning", "isa",
                -a.id, a.next_review))
        for t in list_tasks(db, a.id):
            lines.append(DashboardLine(
                CARD, f"{a.reference}: {t.title} (due {format_date(t.due)})",
                "overdue" if t.due < today else "warning", "isa",
                t.party_id if t.party_id is not None else -a.id, t.due))
        parties = [p for p in list_parties(db, a.id) if is_active(p, today)]
        unsigned = sum(not p.signed for p in parties)
        if unsigned:
            lines.append(DashboardLine(
                CARD, f"{a.reference}: {unsigned} of {len(parties)} partners have not returned "
                "a signature form", "warning", "isa", -a.id))
        no_spoc = sum(not p.spocs for p in parties)
        if no_spoc:
            lines.append(DashboardLine(
                CARD, f"{a.reference}: {no_spoc} partners have no SPOC", "info", "isa", -a.id))
    return lines
