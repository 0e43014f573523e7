"""ISA dashboard card: the same lines as counting each register, in three queries."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, select

from cspdesk.models.isa import IsaParty, IsaSpoc, SignatureStatus
from cspdesk.services import isa, isa_dashboard
from cspdesk.services.isa_rules import is_active


def _counted_per_register(db, today: dt.date) -> dict[str, tuple[int, int, int]]:
    """(active, unsigned, without SPOC) per reference, counted party by party."""
    out = {}
    for a in isa.list_agreements(db):
        parties = [p for p in isa.list_parties(db, a.id) if is_active(p, today)]
        out[a.reference] = (len(parties), sum(not p.signed for p in parties),
                            sum(not p.spocs for p in parties))
    return out


def test_counts_match_the_registers_after_signing_leaving_declining_and_a_spoc_ending(
        demo_db, fixed_today) -> None:
    with demo_db.session() as s:
        parties = s.scalars(select(IsaParty).order_by(IsaParty.id)).all()
        for p in parties[:5]:
            p.status = SignatureStatus.FORM_RETURNED.value
        parties[5].status = SignatureStatus.DECLINED.value
        parties[6].withdrawal_effective = fixed_today - dt.timedelta(days=1)
        parties[7].withdrawal_effective = fixed_today + dt.timedelta(days=10)  # still in
        spoc = s.scalars(select(IsaSpoc).where(IsaSpoc.until.is_(None))).first()
        assert spoc is not None
        spoc.until = fixed_today
    expected = _counted_per_register(demo_db, fixed_today)
    ids = {a.id: a.reference for a in isa.list_agreements(demo_db)}
    counts = isa_dashboard.register_counts(demo_db, list(ids), fixed_today)
    assert {ids[i]: c for i, c in counts.items()} == {
        ref: c for ref, c in expected.items() if c[0]}
    texts = [line.text for line in isa_dashboard.dashboard_lines(demo_db, None, fixed_today)]
    for ref, (total, unsigned, no_spoc) in expected.items():
        if unsigned:
            assert (f"{ref}: {unsigned} of {total} partners have not returned a signature "
                    "form") in texts
        if no_spoc:
            assert f"{ref}: {no_spoc} partners have no SPOC" in texts


def test_the_card_costs_a_fixed_number_of_queries(demo_db, fixed_today) -> None:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(demo_db.engine, "before_cursor_execute", count)
    try:
        lines = isa_dashboard.dashboard_lines(demo_db, None, fixed_today)
    finally:
        event.remove(demo_db.engine, "before_cursor_execute", count)
    agreements = isa.list_agreements(demo_db)
    assert len(agreements) >= 2 and lines
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 8, selects  # agreements (+ eager loads), tasks (+ loads), counts
