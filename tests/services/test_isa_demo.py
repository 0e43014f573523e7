"""Demo data: the South Cambs ISA (40 rows) and the countywide Agreement (23 signatories)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import inspect

from cspdesk.models.base import Base
from cspdesk.services import isa


def test_demo_agreements(demo_db):
    csp = isa.find_agreement(demo_db, "CSP ISA")
    assert (csp.last_review, csp.next_review) == (dt.date(2020, 2, 1), dt.date(2022, 2, 1))
    assert csp.owner == "South Cambridgeshire District Council"
    assert csp.protective_marking == "Not protectively marked when final"
    assert len(isa.list_parties(demo_db, csp.id)) == 40
    csa = isa.find_agreement(demo_db, "CSA 2017-20")
    parties = isa.list_parties(demo_db, csa.id)
    assert len(parties) == 23
    chairs = [p for p in parties if p.lead_role == "Chair"]
    assert len(chairs) == 11  # 6 partnerships and 5 boards
    assert Counter(p.org_type for p in parties if p.lead_role != "Chair") == {"statutory": 12}
    assert {p.status for p in parties} == {"form_sent"}


def test_migration_matches_the_models(db):
    with db.engine.connect() as conn:
        inspector = inspect(conn)
        for name in ("isa_agreement", "isa_party", "isa_spoc", "isa_task"):
            columns = {c["name"] for c in inspector.get_columns(name)}
            assert columns == set(Base.metadata.tables[name].columns.keys()), name
