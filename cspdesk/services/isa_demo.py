"""Demo ISA register: the South Cambs ISA (Appendix 1, 40 rows) and the countywide Community
Safety Agreement 2017-20 (23 signatory blocks), from resources/demo/isa*.yaml|csv."""

from __future__ import annotations

import datetime as dt

from cspdesk import clock
from cspdesk.models import Organisation
from cspdesk.models.isa import IsaAgreement, IsaParty, SignatureStatus
from cspdesk.resources_path import resource_path
from cspdesk.services.demo import DemoContext, load_yaml
from cspdesk.services.isa_import import read_rows, write_rows
from cspdesk.services.isa_parties import find_organisation_loose


def _date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def load_demo(ctx: DemoContext) -> None:
    """Add the demo agreements and their registers."""
    s = ctx.session
    for data in load_yaml("isa.yaml")["agreements"]:
        agreement = IsaAgreement(
            partnership=ctx.partnerships[data["partnership"]], title=data["title"],
            reference=data["reference"], purpose=data.get("purpose"),
            partners_summary=data.get("partners_summary"),
            owner=ctx.org(data["owner"]) if data.get("owner") else None,
            drawn_up_by=data.get("drawn_up_by"),
            protective_marking=data.get("protective_marking"),
            doc_version=str(data["doc_version"]) if data.get("doc_version") else None,
            status=data.get("status", "in_force"), last_review=_date(data.get("last_review")),
            next_review=_date(data.get("next_review")), notes=data.get("notes"))
        s.add(agreement)
        s.flush()
        if data.get("register"):
            rows, errors, _warnings, _cols = read_rows(resource_path("demo", data["register"]))
            if errors:
                raise ValueError(f"demo register {data['register']}: {errors[0]}")
            write_rows(s, agreement, rows, _date(data.get("last_review")) or clock.today())
        sent = _date(data.get("forms_sent"))
        for position, p in enumerate(data.get("parties") or [], start=1):
            org = find_organisation_loose(s, p["organisation"])
            if org is None:
                org = Organisation(name=p["organisation"], type=p.get("type", "other"))
                s.add(org)
                s.flush()
            s.add(IsaParty(
                agreement=agreement, organisation=org, position=position,
                board_member=p.get("board_member"), lead_role=p.get("lead_role"),
                status=SignatureStatus.FORM_SENT.value if sent else
                SignatureStatus.NOT_RECORDED.value, status_date=sent))
        s.flush()
