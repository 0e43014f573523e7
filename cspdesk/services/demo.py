"""Load the demo database from the data files in resources/demo (taken from real board packs)."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import (
    AgendaItem,
    AppSetting,
    Attendance,
    Board,
    BoardName,
    Meeting,
    Membership,
    Organisation,
    OrganisationAlias,
    Partnership,
    Person,
)
from cspdesk.resources_path import resource_path

#: Each area adds its demo data by offering ``load_demo(ctx: DemoContext)`` in its module.
AREA_DEMO_LOADERS = (
    "cspdesk.services.isa_demo",
    "cspdesk.services.actions_demo",
    "cspdesk.services.budget_demo",
    "cspdesk.services.meetings_demo",
)


@dataclass
class DemoContext:
    """Shared look-ups for area loaders: the session and records by their demo names."""

    session: Session
    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    partnerships: dict[str, Partnership] = field(default_factory=dict)
    boards: dict[str, Board] = field(default_factory=dict)
    meetings: dict[tuple[str, dt.date], Meeting] = field(default_factory=dict)

    def org(self, name: str) -> Organisation:
        """The organisation called ``name`` (or with that alias), created as 'other' if new."""
        from cspdesk.services.people import find_organisation

        if name in self.organisations:
            return self.organisations[name]
        found = find_organisation(self.session, name)
        if found is None:
            found = Organisation(name=name, type="other")
            self.session.add(found)
            self.session.flush()
        self.organisations[name] = found
        return found

    def person(self, name: str, **fields: Any) -> Person:
        """The person called ``name``, created with ``fields`` if new."""
        if name in self.people:
            return self.people[name]
        found = self.session.scalars(select(Person).where(Person.name == name)).first()
        if found is None:
            found = Person(name=name, **fields)
            self.session.add(found)
            self.session.flush()
        self.people[name] = found
        return found

    def meeting(self, board: str, day: dt.date) -> Meeting:
        return self.meetings[(board, day)]


def load_yaml(name: str) -> Any:
    """Parse a data file under resources/demo."""
    import yaml  # only the demo needs it; the dashboard's is_empty should not pay ~90 ms

    path: Path = resource_path("demo", name)
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _time(value: Any) -> dt.time | None:
    if value in (None, ""):
        return None
    if isinstance(value, int):  # YAML 1.1 reads 10:00 as sexagesimal minutes
        return dt.time(value // 60, value % 60)
    return dt.time.fromisoformat(str(value))


def _agenda(
    ctx: DemoContext, meeting: Meeting, items: list[dict], parent: AgendaItem | None
) -> None:
    for position, data in enumerate(items or []):
        item = AgendaItem(
            meeting=meeting, parent=parent, position=position, title=data["title"],
            purpose=data.get("purpose"), duration=data.get("duration"),
            group_heading=data.get("group"), kind=data.get("kind", "paper"),
            publication=data.get("publication", "public"),
            exempt_paragraphs=data.get("exempt_paragraphs"), marking=data.get("marking"),
            lead_text=data.get("lead_text"), pages_printed=data.get("pages_printed"),
            leads=[ctx.person(n) for n in data.get("leads") or []],
        )
        ctx.session.add(item)
        _agenda(ctx, meeting, data.get("children") or [], item)


def load_foundation(ctx: DemoContext, data: dict) -> None:
    """Organisations, people, partnerships, boards, memberships, meetings, attendance, agendas."""
    s = ctx.session
    for o in data.get("organisations", []):
        org = Organisation(name=o["name"], type=o.get("type", "other"),
                           aliases=[OrganisationAlias(alias=a) for a in o.get("aliases") or []])
        s.add(org)
        ctx.organisations[o["name"]] = org
    s.flush()
    for p in data.get("people", []):
        org = ctx.org(p["organisation"]) if p.get("organisation") else None
        ctx.person(p["name"], initials=p.get("initials"), role=p.get("role"), organisation=org,
                   email=p.get("email"), phone=str(p["phone"]) if p.get("phone") else None)
    for pdata in data.get("partnerships", []):
        body = pdata.get("accountable_body")
        partnership = Partnership(name=pdata["name"], short_name=pdata.get("short_name"),
                                  accountable_body=ctx.org(body) if body else None)
        s.add(partnership)
        ctx.partnerships[pdata["name"]] = partnership
        for b in pdata.get("boards", []):
            contact = b.get("contact") or {}
            board = Board(
                partnership=partnership, name=b["name"],
                default_start=_time(b.get("default_start")),
                default_end=_time(b.get("default_end")), default_venue=b.get("default_venue"),
                quorum_min=b.get("quorum_min"), quorum_fraction=b.get("quorum_fraction"),
                one_vote_per_organisation=b.get("one_vote_per_organisation", True),
                chair_casting_vote=b.get("chair_casting_vote", True),
                paper_deadline_working_days=b.get("paper_deadline_working_days", 5),
                contact_name=contact.get("name"), contact_email=contact.get("email"),
                contact_phone=str(contact["phone"]) if contact.get("phone") else None,
                former_names=[BoardName(name=n["name"], until=_date(n.get("until")))
                              for n in b.get("name_history") or []],
            )
            s.add(board)
            ctx.boards[b["name"]] = board
            for m in b.get("memberships") or []:
                s.add(Membership(person=ctx.person(m["person"]), board=board,
                                 category=m.get("category", "board"), role=m.get("role"),
                                 start_date=_date(m.get("from")), end_date=_date(m.get("to"))))
            for md in b.get("meetings") or []:
                day = _date(md["date"])
                assert day is not None
                venue = md.get("venue")
                meeting = Meeting(board=board, date=day, start=_time(md.get("start")),
                                  end=_time(md.get("end")), venue=venue,
                                  online=bool(venue and "online" in venue.lower()),
                                  status=md.get("status", "held"), title=md.get("title"))
                s.add(meeting)
                ctx.meetings[(b["name"], day)] = meeting
                for a in md.get("attendance") or []:
                    sub = a.get("substitute_for")
                    s.add(Attendance(meeting=meeting, person=ctx.person(a["person"]),
                                     status=a.get("status", "present"),
                                     substitute_for=ctx.person(sub) if sub else None,
                                     guest=bool(a.get("guest")), note=a.get("note")))
                _agenda(ctx, meeting, md.get("agenda") or [], None)
    s.flush()


def is_demo(db: Database) -> bool:
    with db.session() as s:
        return s.get(AppSetting, "demo") is not None


def is_empty(db: Database) -> bool:
    with db.session() as s:
        return not s.scalar(select(func.count()).select_from(Partnership)) and not s.scalar(
            select(func.count()).select_from(Person))


def load_demo(db: Database, *, this_year: bool = False) -> None:
    """Fill an empty database with the demo data of every area, in one transaction.

    ``this_year`` adds South Cambridgeshire's current work dated around today
    (``current_demo``), so the dashboard has something to show.
    """
    if not is_empty(db):
        raise UserError(
            "The database already holds data; the demo is loaded only into an empty one."
        )
    with db.session() as s:
        ctx = DemoContext(s)
        load_foundation(ctx, load_yaml("foundation.yaml"))
        for module_name in AREA_DEMO_LOADERS:
            if importlib.util.find_spec(module_name) is None:
                continue
            importlib.import_module(module_name).load_demo(ctx)
            s.flush()
        s.add(AppSetting(key="demo", value="1"))
    if this_year:
        from cspdesk import clock
        from cspdesk.services.current_demo import load_this_year

        load_this_year(db, clock.today())
