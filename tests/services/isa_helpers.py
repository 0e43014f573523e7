"""Shared set-up for the ISA register tests: a partnership with an empty agreement."""

from __future__ import annotations

from pathlib import Path

from cspdesk.db.engine import Database
from cspdesk.models import Partnership
from cspdesk.services.isa import AgreementInput, AgreementRow, add_agreement

DATA = Path(__file__).resolve().parents[1] / "data" / "isa"
APPENDIX1 = DATA / "appendix1.csv"
MESSY = DATA / "appendix1_messy.csv"


def new_agreement(db: Database, reference: str = "CSP ISA") -> AgreementRow:
    """A partnership and an in-force agreement with review dates Feb 2020 / Feb 2022."""
    import datetime as dt

    with db.session() as s:
        p = Partnership(name=f"Test CSP {reference}")
        s.add(p)
        s.flush()
        pid = p.id
    return add_agreement(db, AgreementInput(
        pid, "South Cambridgeshire CSP Information Sharing Agreement", reference,
        protective_marking="OFFICIAL", doc_version="1.0", status="in_force",
        last_review=dt.date(2020, 2, 1), next_review=dt.date(2022, 2, 1)))
