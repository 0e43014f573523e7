"""Synthetic volumes for speed work: ``cspdesk demo --scale N``.

N=1 is the normal demo. For N>1 the demo is loaded first, then synthetic rows are added so that
N=100 gives about 100,000 plan actions (with milestones) and 100,000 progress updates, 50,000
ledger transactions, 10,000 ISA parties across 200 agreements and 5,000 meetings, spread over
ten financial years (2010/11 to 2019/20) of the demo partnerships. Volumes scale linearly with N.

The rows are written with bulk core inserts (``insert(table).returning(id)`` over lists of
dicts) in one transaction, seeded so the same N gives the same data. Bulk inserts bypass the
ORM unit of work, so the audit trail hook (``services/audit.py``, after_flush) records nothing
for them: synthetic rows have no history, which is fine for benchmark data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from cspdesk.db.engine import Database
from cspdesk.models import Board, Meeting, Organisation, Partnership, Person
from cspdesk.models.actions import ActionPlan, ActionStatus, ActionUpdate, PlanAction, PlanPriority
from cspdesk.models.budget import (
    BudgetLine,
    BudgetLineSplit,
    FundingStream,
    GrantIncome,
    LedgerEntry,
    StreamYear,
)
from cspdesk.models.isa import IsaAgreement, IsaParty, IsaSpoc, SignatureStatus

FIRST_YEAR = 2010  # financial years 2010/11 .. 2019/20
YEARS = 10
SEED = 20200227

_FIRST = ("Aisha Alan Amy Ben Carol Chris Claire Daniel David Deborah Emma Fiona Gareth Hannah "
          "Helen Ian James Jane Joanna John Karen Kate Laura Liam Lucy Mark Mary Michael Nadia "
          "Neil Nicola Olivia Paul Priya Rachel Richard Robert Ruth Sam Sarah Simon Sophie "
          "Stephen Susan Tom Victoria William Zoe")
_LAST = ("Ahmed Allen Bailey Baker Bell Brown Campbell Carter Clarke Cooper Davies Edwards Evans "
         "Fisher Green Hall Harris Hill Hughes Jackson James Johnson Jones Khan King Lewis Martin "
         "Mitchell Moore Morgan Morris Murphy Patel Phillips Price Roberts Robinson Scott Shaw "
         "Smith Taylor Thomas Thompson Turner Walker Ward Watson White Williams Wilson Wood Wright "
         "Young")
_PLACES = ("Cambridge,Ely,Huntingdon,St Neots,St Ives,Wisbech,March,Whittlesey,Chatteris,Soham,"
           "Cottenham,Histon,Sawston,Linton,Melbourn,Papworth,Ramsey,Godmanchester,Yaxley,"
           "Peterborough,Littleport,Bottisham,Comberton,Bassingbourn,Gamlingay,Willingham,Over,"
           "Swavesey,Fulbourn,Milton")
FIRST, LAST, PLACES = _FIRST.split(), _LAST.split(), _PLACES.split(",")
ORG_KINDS = ("Housing Association", "Academy", "Primary School", "Parish Council",
             "Neighbourhood Panel", "Youth Project", "Citizens Advice", "Community Trust",
             "Mind", "Women's Aid", "Food Bank", "Medical Practice", "Sports Club",
             "Residents' Association", "Church", "Pharmacy", "Leisure Centre", "Library Friends",
             "Scout Group", "Business Forum")
BOARD_KINDS = ("Problem Solving Group", "ASB Delivery Group", "Domestic Abuse Forum",
               "Tasking and Co-ordination Group", "Safeguarding Group", "Youth Panel",
               "Night-time Economy Group")
PLAN_KINDS = ("Community Safety Action Plan", "ASB Delivery Plan", "Domestic Abuse Plan",
              "Exploitation Plan", "Road Safety Plan", "Reducing Reoffending Plan",
              "Hate Crime Plan")
THEMES = ("Reduce anti-social behaviour", "Protect vulnerable people", "Tackle domestic abuse",
          "Reduce reoffending", "Safer roads", "Build community confidence",
          "Tackle drug-related harm", "Prevent exploitation")
VERBS = ("Deliver", "Run", "Commission", "Review", "Map", "Pilot", "Extend", "Train staff on",
         "Publish", "Evaluate", "Fund", "Co-ordinate")
OBJECTS = ("street-based outreach", "a diversionary youth programme", "target hardening visits",
           "the hate crime reporting centres", "the MARAC referral pathway",
           "a community speed watch scheme", "the County Lines awareness sessions",
           "a multi-agency hotspot patrol", "the victim support service", "CCTV coverage",
           "the night-time economy marshals", "the school safety talks")
UPDATES = ("Work is on schedule; the first sessions took place this quarter.",
           "Delayed by staff changes; a new start date has been agreed.",
           "Funding confirmed; the provider has been appointed.",
           "Evaluation report received and shared with partners.",
           "Attendance lower than expected; promotion through schools planned.",
           "Complete: outcomes reported to the board.")
COUNTERPARTIES = ("Cambridgeshire Constabulary", "Cambridgeshire County Council",
                  "Sanctuary Housing", "Cambridge Mediation Service", "Victim Support",
                  "Youth Engagement CIC", "CCTV Partnership", "Print Services Ltd",
                  "Room hire", "Training provider")
STATUSES = [s.value for s in ActionStatus]
SIGNATURES = [s.value for s in SignatureStatus if s != SignatureStatus.NOT_RECORDED]
SIG_WEIGHTS = (8, 2, 4, 8, 60, 2, 6)
STREAM_SEED = (("OPCC grant (historic)", "opcc", True), ("Pooled Fund (historic)", "pooled", False),
               ("Community Safety Fund (historic)", "csf", False),
               ("Partner contributions (historic)", "other", False))


@dataclass(frozen=True)
class ScaleResult:
    """What the generator added (counts by table)."""

    counts: dict[str, int]

    def text(self) -> str:
        return ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in self.counts.items())


def load_scale_demo(db: Database, scale: int = 1, seed: int = SEED,
                    progress: Callable[[str], None] | None = None, *,
                    this_year: bool = False) -> ScaleResult:
    """Load the demo (with its sample current year if ``this_year``), then (for ``scale`` > 1)
    synthetic rows in one transaction."""
    from cspdesk.services.demo import load_demo

    load_demo(db, this_year=this_year)
    if scale <= 1:
        return ScaleResult({})
    with db.session() as s:
        gen = _Generator(s, scale, random.Random(seed), progress or (lambda _t: None))
        gen.run()
        return ScaleResult(gen.counts)


def _fy_date(rng: random.Random, year: int) -> dt.date:
    """A random day in financial year ``year`` (1 April to 31 March)."""
    return dt.date(year, 4, 1) + dt.timedelta(days=rng.randrange(365))


class _Generator:
    def __init__(self, s: Session, scale: int, rng: random.Random,
                 progress: Callable[[str], None]) -> None:
        self.s, self.rng, self.f, self.progress = s, rng, scale / 100, progress
        self.counts: dict[str, int] = {}
        self.partnerships = list(s.scalars(select(Partnership.id).order_by(Partnership.id)))

    def n(self, full: int, minimum: int = 1) -> int:
        """``full`` is the count at N=100."""
        return max(minimum, round(full * self.f))

    def put(self, model: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Bulk insert with ids allocated here (one executemany; RETURNING would go row by row
        on SQLite); return the new ids in order."""
        if not rows:
            return []
        table: Table = model.__table__
        start = (self.s.scalar(select(func.max(table.c.id))) or 0) + 1
        ids = list(range(start, start + len(rows)))
        for row_id, row in zip(ids, rows, strict=True):
            row["id"] = row_id
            row.setdefault("version", 1)
        self.s.execute(insert(table), list(rows))
        if self.s.get_bind().dialect.name == "postgresql":  # keep the id sequence ahead
            self.s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                f"{ids[-1]})"))
        self.counts[table.name] = self.counts.get(table.name, 0) + len(ids)
        return ids

    def run(self) -> None:
        steps = (self.people, self.meetings, self.isa, self.budget, self.actions)
        for step in steps:
            self.progress(step.__name__)
            step()

    # ------------------------------------------------------------ foundation
    def people(self) -> None:
        rng = self.rng
        names, rows = set(self.s.scalars(select(Organisation.name))), []
        kinds = {"Housing Association": "rsl", "Academy": "school", "Primary School": "school",
                 "Parish Council": "other"}
        while len(rows) < self.n(800, 20):
            kind = rng.choice(ORG_KINDS)
            name = f"{rng.choice(PLACES)} {kind}"
            if name in names:
                name = f"{name} ({rng.choice(PLACES)})"
            if name in names:
                continue
            names.add(name)
            rows.append({"name": name, "type": kinds.get(kind, "other"), "notes": None})
        self.orgs = self.put(Organisation, rows)
        rows = []
        for i in range(self.n(4000, 40)):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            rows.append({"name": f"{first} {last}", "initials": f"{first[0]}{last[0]}",
                         "role": rng.choice(("Manager", "Officer", "Co-ordinator", "Director",
                                             "Inspector", "Head teacher", "Team leader")),
                         "organisation_id": self.orgs[i % len(self.orgs)],
                         "email": f"{first}.{last}{i}@example.org".lower(),
                         "phone": f"01223 {rng.randrange(100000, 999999)}"})
        self.people_ids = self.put(Person, rows)

    def meetings(self) -> None:
        rng, boards = self.rng, []
        per_board = 12 * YEARS
        for i in range(max(1, round(self.n(5000) / per_board))):
            boards.append({"partnership_id": self.partnerships[i % len(self.partnerships)],
                           "name": f"{PLACES[i % len(PLACES)]} {BOARD_KINDS[i % len(BOARD_KINDS)]}",
                           "default_start": dt.time(10), "default_end": dt.time(12),
                           "default_venue": "Council Offices", "paper_deadline_working_days": 5})
        board_ids = self.put(Board, boards)
        rows, cutoff = [], dt.date(2020, 2, 1)
        for b in board_ids:
            for m in range(per_board):
                year, month = FIRST_YEAR + (m + 3) // 12, (m + 3) % 12 + 1
                day = dt.date(year, month, rng.randrange(1, 28))
                status = "minutes_approved" if day < cutoff else "draft"
                rows.append({"board_id": b, "date": day, "start": dt.time(10),
                             "end": dt.time(12), "venue": "Council Offices", "online": False,
                             "title": None, "status": status})
        self.put(Meeting, rows)

    # ------------------------------------------------------------ ISA
    def isa(self) -> None:
        rng = self.rng
        agreements = []
        for i in range(self.n(200, 2)):
            year = FIRST_YEAR + i % YEARS
            agreements.append({
                "partnership_id": self.partnerships[i % len(self.partnerships)],
                "title": f"{rng.choice(THEMES)} information sharing agreement",
                "reference": f"ISA-{year}-{i + 1:04d}", "purpose": "Sharing personal data to "
                "prevent crime and disorder (Crime and Disorder Act 1998 s.115).",
                "status": "superseded" if year < FIRST_YEAR + YEARS - 2 else "in_force",
                "doc_version": f"{1 + i % 4}.0", "protective_marking": "OFFICIAL-SENSITIVE",
                "last_review": dt.date(year, 6, 1), "next_review": dt.date(year + 2, 6, 1)})
        agreement_ids = self.put(IsaAgreement, agreements)
        per = max(1, round(self.n(10000, 20) / len(agreement_ids)))
        parties = []
        for a in agreement_ids:
            for pos, org in enumerate(rng.sample(self.orgs, min(per, len(self.orgs)))):
                status = rng.choices(SIGNATURES, SIG_WEIGHTS)[0]
                parties.append({
                    "agreement_id": a, "organisation_id": org, "position": pos + 1,
                    "board_member": rng.random() < 0.3,
                    "lead_person_id": rng.choice(self.people_ids),
                    "lead_role": "Chief Executive", "status": status,
                    "status_date": _fy_date(rng, FIRST_YEAR + rng.randrange(YEARS)),
                    "ecins_user": rng.random() < 0.5,
                    "joined_on": _fy_date(rng, FIRST_YEAR + rng.randrange(YEARS))})
        party_ids = self.put(IsaParty, parties)
        spocs = [{"party_id": p, "person_id": rng.choice(self.people_ids), "role": "SPOC",
                  "email": f"spoc{p}@example.org", "phone": None, "position": 0}
                 for p in party_ids if rng.random() < 0.85]
        self.put(IsaSpoc, spocs)

    # ------------------------------------------------------------ budget
    def budget(self) -> None:
        rng = self.rng
        streams: dict[int, list[int]] = {}
        for p in self.partnerships:
            rows = [{"partnership_id": p, "name": name, "short_name": name.split()[0],
                     "kind": kind, "rollover_needs_permission": perm, "position": 10 + i}
                    for i, (name, kind, perm) in enumerate(STREAM_SEED)]
            streams[p] = self.put(FundingStream, rows)
        years, grants = [], []
        for ids in streams.values():
            for sid in ids:
                for y in range(FIRST_YEAR, FIRST_YEAR + YEARS):
                    years.append({"stream_id": sid, "year": y, "rollover_permitted": True})
                    grants.append({"stream_id": sid, "year": y, "source": "Annual allocation",
                                   "amount": Decimal(rng.randrange(20, 90) * 1000),
                                   "status": "paid", "status_date": dt.date(y, 5, 1)})
        self.put(StreamYear, years)
        self.put(GrantIncome, grants)
        lines, line_stream = [], []
        per_year = self.n(40, 4)
        for p, ids in streams.items():
            for y in range(FIRST_YEAR, FIRST_YEAR + YEARS):
                for i in range(per_year):
                    lines.append({"partnership_id": p, "year": y, "position": 100 + i,
                                  "item": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}",
                                  "category": rng.choice(THEMES), "status": "agreed"})
                    line_stream.append((rng.choice(ids), y))
        line_ids = self.put(BudgetLine, lines)
        self.put(BudgetLineSplit, [
            {"line_id": lid, "stream_id": sid, "amount": Decimal(rng.randrange(2, 30) * 500)}
            for lid, (sid, _y) in zip(line_ids, line_stream, strict=True)])
        entries = []
        for k in range(self.n(50000, 50)):
            i = k % len(line_ids)
            sid, y = line_stream[i]
            entries.append({
                "line_id": line_ids[i], "stream_id": sid, "date": _fy_date(rng, y),
                "kind": "payment" if rng.random() < 0.9 else "income",
                "amount": Decimal(rng.randrange(500, 250000)) / 100,
                "counterparty": rng.choice(COUNTERPARTIES), "reference": f"INV{k:06d}"})
        self.put(LedgerEntry, entries)

    # ------------------------------------------------------------ action plans
    def actions(self) -> None:
        rng = self.rng
        plans, plan_years = [], []
        for p in self.partnerships:
            for y in range(FIRST_YEAR, FIRST_YEAR + YEARS):
                for kind in PLAN_KINDS:
                    plans.append({"partnership_id": p, "title": kind,
                                  "period": f"{y}/{str(y + 1)[2:]}",
                                  "start_date": dt.date(y, 4, 1),
                                  "end_date": dt.date(y + 1, 3, 31)})
                    plan_years.append(y)
        plan_ids = self.put(ActionPlan, plans)
        per_plan = max(8, round(self.n(100000, 100) / len(plan_ids)))
        priorities, prio_plan = [], []
        for pid in plan_ids:
            for pos, theme in enumerate(rng.sample(THEMES, 5)):
                priorities.append({"plan_id": pid, "position": pos, "title": theme})
                prio_plan.append(pid)
        prio_ids = self.put(PlanPriority, priorities)
        by_plan: dict[int, list[int]] = {}
        for prio, pid in zip(prio_ids, prio_plan, strict=True):
            by_plan.setdefault(pid, []).append(prio)
        tops, milestones = [], []
        for pid, year in zip(plan_ids, plan_years, strict=True):
            n_top = per_plan // 4
            for k in range(n_top):
                prio_pos = k % 5
                ref = f"{prio_pos + 1}.{k // 5 + 1}"
                tops.append(self._action(pid, by_plan[pid][prio_pos], None, k // 5, ref, year))
        top_ids = self.put(PlanAction, [self._strip(r) for r in tops])
        for aid, top in zip(top_ids, tops, strict=True):
            for m in range(3):
                milestones.append(self._action(top["plan_id"], top["priority_id"], aid, m,
                                               f"{top['ref']}{'abc'[m]}", top["_year"]))
        ms_ids = self.put(PlanAction, [self._strip(r) for r in milestones])
        updates = []
        stamp = dt.datetime(2020, 2, 1, 9, 0)
        for aid, row in zip(top_ids + ms_ids, tops + milestones, strict=True):
            for _ in range(1 if rng.random() < 0.9 else 2):
                updates.append({"action_id": aid, "date": _fy_date(rng, row["_year"]),
                                "text": rng.choice(UPDATES), "status": row["status"],
                                "source": "Quarterly return", "recorded_at": stamp})
        self.put(ActionUpdate, updates)

    def _action(self, plan_id: int, prio: int, parent: int | None, pos: int, ref: str,
                year: int) -> dict[str, Any]:
        rng = self.rng
        due = dt.date(year + 1, 3, 31) - dt.timedelta(days=rng.randrange(0, 300))
        recent = year >= FIRST_YEAR + YEARS - 1
        status = (rng.choice(STATUSES) if recent
                  else rng.choices(STATUSES, (1, 1, 1, 1, 30, 3))[0])
        return {"plan_id": plan_id, "priority_id": prio, "parent_id": parent, "position": pos,
                "ref": ref, "title": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}",
                "lead_organisation_id": rng.choice(self.orgs),
                "lead_person_id": rng.choice(self.people_ids),
                "cost": Decimal(rng.randrange(0, 200) * 100) if parent is None else None,
                "start_date": dt.date(year, 4, 1), "due_date": due,
                "quarter": f"Q{(due.month - 4) % 12 // 3 + 1}", "status": status, "_year": year}

    @staticmethod
    def _strip(row: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in row.items() if not k.startswith("_")}


def database_counts(db: Database, tables: Sequence[Any]) -> dict[str, int]:
    """Row counts of ``tables`` (models), for reports and tests."""
    with db.session() as s:
        return {t.__tablename__: s.scalar(select(func.count()).select_from(t)) or 0
                for t in tables}
