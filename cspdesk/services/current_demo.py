"""The demo's 'this year': South Cambridgeshire's current work, dated around today.

The board packs behind the demo end in 2021, so on its own the demo opens on a quiet
dashboard. This layer adds what an officer would have on the go today: the last board meeting
with its action points, the next one with its agenda, this year's plan with a quarter closed
and this financial year's budget. Everything is made through the same services the app uses,
and every record says it is sample data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from cspdesk.dates import (
    financial_year_bounds,
    financial_year_label,
    financial_year_start,
    is_working_day,
)
from cspdesk.db.engine import Database
from cspdesk.models import Board, Partnership, Person
from cspdesk.models.meeting import MeetingStatus, Purpose
from cspdesk.services import (
    action_points,
    action_snapshots,
    action_updates,
    actions,
    agenda,
    attendance,
    budget,
    budget_setup,
    meeting_papers,
    meetings,
    minutes,
)
from cspdesk.services.action_rag import quarter_of
from cspdesk.services.actions import ActionInput
from cspdesk.services.budget import EntryInput, GrantInput, LineInput, StreamYearInput

PARTNERSHIP = "South Cambridgeshire Community Safety Partnership"
BOARD = "South Cambridgeshire CSP Board"
SAMPLE = "Sample data for the demo, dated around the day the demo was made."


def _board_day(near: dt.date) -> dt.date:
    """The Thursday on or before ``near``: a working day, and not in the Christmas week."""
    day = near - dt.timedelta(days=(near.weekday() - 3) % 7)
    while not is_working_day(day) or (day.month, day.day) >= (12, 21) or (
            day.month == 1 and day.day <= 3):
        day -= dt.timedelta(days=7)
    return day


def _ids(db: Database) -> tuple[int, int, dict[str, int]]:
    with db.session() as s:
        partnership = s.scalar(select(Partnership.id).where(Partnership.name == PARTNERSHIP))
        board = s.scalar(select(Board.id).where(Board.name == BOARD))
        people = {name: pid for name, pid in s.execute(select(Person.name, Person.id))}
    assert partnership is not None and board is not None, "the packs' demo data is loaded first"
    return partnership, board, people


def load_this_year(db: Database, today: dt.date) -> None:
    """Add the current year's meetings, plan and budget for South Cambridgeshire."""
    partnership_id, board_id, people = _ids(db)
    _meetings(db, board_id, people, today)
    event_id = _plan(db, partnership_id, people, today)
    _budget(db, partnership_id, event_id, today)


def _meetings(db: Database, board_id: int, people: dict[str, int], today: dt.date) -> None:
    kathryn, emma, police = people["Kathryn Hawkes"], people["Emma Knight"], people["Emma Hilson"]
    last_day = _board_day(today - dt.timedelta(days=42))
    last = meetings.create_meeting(db, board_id, last_day)
    plan_item, finance_item = _papers(db, last.id, [
        ("Partnership Plan: progress this quarter", Purpose.DISCUSSION, "action-plan-update",
         kathryn),
        ("Finance report", Purpose.NOTE, "finance-report", kathryn)])
    for n, row in enumerate(r for r in attendance.list_attendance(db, last.id)
                            if r.status == "absent"):
        attendance.set_status(db, row.id, "apologies" if n == 2 else "present")
    minutes.save_entry(db, plan_item, "The board went through the plan action by action. "
                       "County lines sessions in schools are at risk after two schools withdrew.",
                       "noted")
    minutes.save_entry(db, finance_item, "The OPCC grant for the year is signed. Pooled Fund "
                       "contributions from partners are still to be confirmed.", "noted")
    done = minutes.add_action(
        db, finance_item, "Confirm next year's OPCC grant offer with the Commissioner's office",
        [kathryn], last_day + dt.timedelta(days=21))
    action_points.close_point(db, done.id, "Offer confirmed by email; reported under finance.",
                              min(today, last_day + dt.timedelta(days=18)))
    minutes.add_action(db, plan_item,
                       "Circulate the refreshed Partnership Plan priorities to all partners",
                       [kathryn], today - dt.timedelta(days=10))
    minutes.add_action(db, plan_item,
                       "Bring the year's anti-social behaviour case review figures to the board",
                       [emma], today + dt.timedelta(days=14))
    held = meetings.get_meeting(db, last.id)
    meetings.update_meeting(db, held.id, held.version, day=held.date, start=held.start,
                            end=held.end, venue=held.venue, title=None,
                            status=MeetingStatus.HELD.value)

    nxt = meetings.create_meeting(db, board_id, _board_day(today + dt.timedelta(days=27)))
    _papers(db, nxt.id, [
        ("Partnership Plan: mid-year review", Purpose.REVIEW, "action-plan-update", kathryn),
        ("Anti-social behaviour hotspots: police update", Purpose.NOTE, None, police),
        ("Information Sharing Agreement: annual review", Purpose.AGREEMENT, "isa-register",
         kathryn),
        ("Finance report", Purpose.NOTE, "finance-report", kathryn)])


#: the plan review names people and places at risk, so its paper is marked
MARKINGS = {"Partnership Plan: mid-year review": "OFFICIAL"}


def _papers(db: Database, meeting_id: int,
            items: list[tuple[str, Purpose, str | None, int]]) -> list[int]:
    """The meeting's own items with their leads and generated papers (None: a paper still
    awaited), framed by the board's standing items. Returns the items' ids."""
    ids = []
    for title, purpose, key, lead in items:
        item = agenda.add_item(db, meeting_id, agenda.ItemInput(
            title=title, purpose=purpose.value, duration=20, lead_ids=[lead], notes=SAMPLE,
            marking=MARKINGS.get(title)))
        if key:
            meeting_papers.choose_generated(db, item.id, key)
        ids.append(item.id)
    agenda.add_standing_items(db, meeting_id)
    return ids


def _plan(db: Database, partnership_id: int, people: dict[str, int], today: dt.date) -> int:
    """This year's plan; returns the id of its costed action (the event). In a year's first
    quarter the plan is still last year's, which is being closed off."""
    year = financial_year_start(today - dt.timedelta(days=91))
    start, end = financial_year_bounds(year)
    plan = actions.add_plan(
        db, partnership_id, "Partnership Plan", financial_year_label(year),
        ["Tackling anti-social behaviour", "Protecting vulnerable people"],
        start_date=start, end_date=end, notes=SAMPLE)
    asb, vulnerable = (p.id for p in actions.plan_tree(db, plan.id, today).priorities)
    emma, kathryn = people["Emma Knight"], people["Kathryn Hawkes"]
    rows = [
        (asb, "Problem-solving group for anti-social behaviour hotspots meets monthly", emma,
         None, "Monthly", "on_track", "on_track"),
        (asb, "Community Safety Event in a rural village", kathryn,
         _board_day(today + dt.timedelta(days=25)), None, "not_started", "not_started"),
        (asb, "Review CCTV coverage in the market towns", emma,
         today - dt.timedelta(days=12), None, "not_started", "not_started"),
        (vulnerable, "Domestic abuse awareness training for housing officers", kathryn,
         min(today, start + dt.timedelta(days=150)), None, "on_track", "complete"),
        (vulnerable, "County lines awareness sessions in secondary schools", kathryn,
         today + dt.timedelta(days=60), None, "on_track", "at_risk"),
        (vulnerable, "Keep the Domestic Homicide Review action tracker up to date", emma,
         end, None, "on_track", "on_track"),
    ]
    made = []
    for priority, title, lead, due, timescale, before, _now in rows:
        made.append(actions.add_action(db, plan.id, ActionInput(
            title=title, priority_id=priority, lead_person_id=lead, start_date=start,
            due_date=due, timescale=timescale, status=before,
            cost=Decimal("1500.00") if "Event" in title else None)))
    previous = today - dt.timedelta(days=92)
    if previous >= start:  # a quarter of this plan has already ended: freeze it
        action_snapshots.close_quarter(db, plan.id, quarter_of(previous), on=previous)
    notes = {
        "on_track": "Met as planned; actions agreed for the two hotspots raised by the police.",
        "not_started": "Village hall not yet booked; waiting for the parish council.",
        "complete": "Training delivered to 42 officers across three housing providers.",
        "at_risk": "Two schools have withdrawn; looking for other dates this term.",
    }
    for action, (*_, now) in zip(made, rows, strict=True):
        action_updates.add_update(db, action.id, notes[now], today - dt.timedelta(days=9),
                                  status=now, source="Sample update")
    return made[1].id


def _budget(db: Database, partnership_id: int, event_id: int, today: dt.date) -> None:
    year = financial_year_start(today)
    start = financial_year_bounds(year)[0]
    budget_setup.open_year(db, partnership_id, year)
    streams = {st.name: st.id for st in budget.list_streams(db, partnership_id)}
    opcc, pooled = streams["OPCC grant"], streams["Pooled Fund"]
    gap = (f"Brought forward from {financial_year_label(year - 1)}; the years between the "
           "board packs and this sample year are not in the demo.")
    budget.set_stream_year(db, opcc, year, StreamYearInput(
        Decimal("3250.00"), gap, rollover_permitted=True,
        permission_date=start + dt.timedelta(days=20),
        rollover_note="OPCC agreed the carry-forward by email."))
    budget.set_stream_year(db, pooled, year, StreamYearInput(Decimal("4100.00"), gap))
    budget.add_grant(db, GrantInput(opcc, year, "Office of the Police and Crime Commissioner",
                                    Decimal("12000.00"), "signed", start + dt.timedelta(days=40),
                                    notes=SAMPLE))
    budget.add_grant(db, GrantInput(pooled, year, "Partners' contributions",
                                    Decimal("6000.00"), "tbc", notes=SAMPLE))
    lines = [
        ("Anti-social behaviour mediation service", "Anti-social behaviour",
         {opcc: Decimal("6500.00")}, [("Mediation provider: quarter 1", "1625.00", 35),
                                      ("Mediation provider: quarter 2", "1625.00", 125)]),
        ("Community Safety Event", "Community engagement", {opcc: Decimal("1500.00")}, []),
        ("Domestic abuse training for housing officers", "Domestic abuse",
         {opcc: Decimal("2400.00"), pooled: Decimal("600.00")},
         [("Training provider", "2880.00", 150)]),
        ("Replacement cameras in the market towns", "CCTV", {pooled: Decimal("9000.00")}, []),
    ]
    for item, category, splits, payments in lines:
        line = budget.add_line(db, partnership_id, LineInput(
            year, item, splits, category=category, notes=SAMPLE,
            status="underway" if payments else "agreed"))
        for counterparty, amount, day in payments:
            on = start + dt.timedelta(days=day)
            if on <= today:
                budget.add_entry(db, EntryInput(line.id, next(iter(splits)), on,
                                                Decimal(amount), counterparty=counterparty))
        if item == "Community Safety Event":
            data = actions.action_input(actions.get_action(db, event_id, today))
            data.budget_line_id = line.id
            actions.update_action(db, event_id, data)
