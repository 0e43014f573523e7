"""Dashboard card "ISA: reviews due and signatures outstanding".

``record_id`` is a party id, or minus the agreement id for lines about a whole agreement
(the ISA page's ``open_record`` reads it that way). The card costs three queries however
many agreements there are: agreements, open tasks, and the register counts per agreement.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, case, exists, func, or_, select

from cspdesk.dates import format_date
from cspdesk.db.engine import Database
from cspdesk.models.isa import IsaParty, IsaSpoc, SignatureStatus
from cspdesk.services.dashboard import DashboardLine
from cspdesk.services.isa import CLOSED_STATUSES, list_agreements
from cspdesk.services.isa_rules import REVIEW_WARNING_DAYS, TaskRow, open_tasks_for, review_phrase

CARD = "ISA: reviews due and signatures outstanding"


def register_counts(db: Database, agreement_ids: list[int],
                    today: dt.date) -> dict[int, tuple[int, int, int]]:
    """Per agreement: (active parties, of them without a returned form, without a SPOC).

    Active means what ``isa_rules.is_active`` means: not withdrawn by ``today``, not declined.
    """
    if not agreement_ids:
        return {}
    active = and_(or_(IsaParty.withdrawal_effective.is_(None),
                      IsaParty.withdrawal_effective > today),
                  IsaParty.status.not_in(sorted(CLOSED_STATUSES)))
    has_spoc = exists().where(IsaSpoc.party_id == IsaParty.id, IsaSpoc.until.is_(None))
    stmt = (select(IsaParty.agreement_id, func.count(),
                   func.sum(case((IsaParty.status != SignatureStatus.FORM_RETURNED.value, 1),
                                 else_=0)),
                   func.sum(case((has_spoc, 0), else_=1)))
            .where(active, IsaParty.agreement_id.in_(agreement_ids))
            .group_by(IsaParty.agreement_id))
    with db.session() as s:
        return {aid: (int(total), int(unsigned or 0), int(no_spoc or 0))
                for aid, total, unsigned, no_spoc in s.execute(stmt)}


def dashboard_lines(db: Database, partnership_id: int | None,
                    today: dt.date) -> list[DashboardLine]:
    """Reviews due within 90 days or overdue, open tasks, forms and SPOCs outstanding."""
    agreements = [a for a in list_agreements(db, partnership_id) if a.status != "superseded"]
    ids = [a.id for a in agreements]
    tasks: dict[int, list[TaskRow]] = defaultdict(list)
    if ids:
        for t in sorted(open_tasks_for(db, ids), key=lambda t: (t.due, t.id)):
            tasks[t.agreement_id].append(t)
    counts = register_counts(db, ids, today)
    lines: list[DashboardLine] = []
    for a in agreements:
        if a.next_review and (a.next_review - today).days <= REVIEW_WARNING_DAYS:
            overdue = a.next_review < today
            lines.append(DashboardLine(
                CARD, f"{a.reference}: {review_phrase(a.next_review, today)} "
                f"({format_date(a.next_review)})", "overdue" if overdue else "warning", "isa",
                -a.id, a.next_review))
        for t in tasks[a.id]:
            lines.append(DashboardLine(
                CARD, f"{a.reference}: {t.title} (due {format_date(t.due)})",
                "overdue" if t.due < today else "warning", "isa",
                t.party_id if t.party_id is not None else -a.id, t.due))
        total, unsigned, no_spoc = counts.get(a.id, (0, 0, 0))
        if unsigned:
            lines.append(DashboardLine(
                CARD, f"{a.reference}: {unsigned} of {total} partners have not returned "
                "a signature form", "warning", "isa", -a.id))
        if no_spoc:
            lines.append(DashboardLine(
                CARD, f"{a.reference}: {no_spoc} partners have no SPOC", "info", "isa", -a.id))
    return lines
