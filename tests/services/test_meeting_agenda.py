"""Meetings, attendance and quorum, the agenda builder (numbers, times, slot warning)."""

from __future__ import annotations

import datetime as dt

import pytest

from cspdesk.errors import UserError, ValidationError
from cspdesk.models import Board, Membership, Organisation, Partnership, Person
from cspdesk.services import agenda, attendance, meetings
from cspdesk.services.agenda import ItemInput


@pytest.fixture
def board(db):
    with db.session() as s:
        orgs = [Organisation(name=n, type="statutory") for n in ("Council", "Police", "Fire")]
        p = Partnership(name="Test CSP")
        b = Board(partnership=p, name="Test CSP Board", default_start=dt.time(10),
                  default_end=dt.time(12), default_venue="Swansley Room", quorum_min=2,
                  quorum_fraction="1/3", one_vote_per_organisation=True)
        people = [Person(name=n) for n in ("Ann Chair", "Bob Council", "Cat Police", "Dan Fire",
                                           "Eve Officer", "Sub Stitute")]
        s.add_all([p, b, *orgs, *people])
        s.flush()
        for person, org in zip(people[:4], [orgs[0], orgs[0], orgs[1], orgs[2]], strict=True):
            s.add(Membership(person=person, board=b, organisation=org, category="board"))
        s.add(Membership(person=people[4], board=b, category="in_attendance"))
        s.flush()
        return {"board": b.id, **{p.name: p.id for p in people}}


def test_meeting_uses_board_defaults_and_prefills_attendance(db, board):
    m = meetings.create_meeting(db, board["board"], dt.date(2020, 2, 27))
    assert (m.start, m.end, m.venue) == (dt.time(10), dt.time(12), "Swansley Room")
    rows = attendance.list_attendance(db, m.id)
    assert [r.name for r in rows][:4] == ["Ann Chair", "Bob Council", "Cat Police", "Dan Fire"]
    assert {r.status for r in rows if r.voting} == {"absent"}
    with pytest.raises(ValidationError, match="already has a meeting"):
        meetings.create_meeting(db, board["board"], dt.date(2020, 2, 27))


def test_quorum_counts_one_vote_per_organisation_and_substitutes(db, board):
    m = meetings.create_meeting(db, board["board"], dt.date(2020, 2, 27))
    rows = {r.name: r for r in attendance.list_attendance(db, m.id)}
    q = attendance.quorum(db, m.id)
    assert (q.required, q.voting_present, q.voting_total, q.met) == (2, 0, 3, False)
    attendance.set_status(db, rows["Ann Chair"].id, "present")
    attendance.set_status(db, rows["Bob Council"].id, "present")
    q = attendance.quorum(db, m.id)
    assert q.voting_present == 1 and not q.met  # two from the Council: one vote
    assert "1 more needed" in q.text
    sub = attendance.add_person(db, m.id, board["Sub Stitute"], status="present")
    attendance.set_status(db, sub.id, "substitute", substitute_for_id=board["Cat Police"])
    q = attendance.quorum(db, m.id)
    assert q.met and q.organisations == ("Council", "Police")
    with pytest.raises(ValidationError, match="substituting for"):
        attendance.set_status(db, sub.id, "substitute")


def _item(title, minutes, **kw):
    return ItemInput(title=title, duration=minutes, **kw)


def test_times_numbers_reorder_and_slot_warning(db, board):
    m = meetings.create_meeting(db, board["board"], dt.date(2020, 2, 27))
    a = agenda.add_item(db, m.id, _item("Welcome", 5))
    b = agenda.add_item(db, m.id, _item("Budget", 60))
    c = agenda.add_item(db, m.id, _item("Priorities", 0))
    agenda.add_item(db, m.id, _item("Violence", 10), parent_id=c.id)
    agenda.add_item(db, m.id, _item("Listening", 20), parent_id=c.id)
    ag = agenda.get_agenda(db, m.id)
    assert [(r.number, r.title, r.time_text) for r in ag.rows] == [
        ("1", "Welcome", "10:00–10:05"), ("2", "Budget", "10:05–11:05"),
        ("3", "Priorities", "11:05–11:35"), ("3.1", "Violence", "11:05–11:15"),
        ("3.2", "Listening", "11:15–11:35")]
    assert ag.total_minutes == 95
    assert ag.warning == "The agenda fills 95 of the 120-minute slot; 25 minutes are unallocated."
    agenda.move_item(db, b.id, 2)  # Budget to the end
    ag = agenda.get_agenda(db, m.id)
    assert [(r.number, r.title) for r in ag.rows if r.level == 0] == [
        ("1", "Welcome"), ("2", "Priorities"), ("3", "Budget")]
    assert ag.rows[-1].time_text == "10:35–11:35"
    agenda.update_item(db, a.id, a.version, _item("Welcome", 40))
    assert agenda.get_agenda(db, m.id).warning.startswith("The agenda runs 130 minutes, 10 over")


def test_delete_and_restore_item_keeps_its_place(db, board):
    m = meetings.create_meeting(db, board["board"], dt.date(2020, 2, 27))
    for t in ("One", "Two", "Three"):
        agenda.add_item(db, m.id, _item(t, 5, lead_ids=[board["Ann Chair"]]))
    two = agenda.get_agenda(db, m.id).rows[1]
    snap = agenda.delete_item(db, two.id)
    assert [r.title for r in agenda.get_agenda(db, m.id).rows] == ["One", "Three"]
    agenda.restore_item(db, snap)
    rows = agenda.get_agenda(db, m.id).rows
    assert [(r.number, r.title, r.leads) for r in rows][1] == ("2", "Two", "Ann Chair")


def test_validation_messages(db, board):
    m = meetings.create_meeting(db, board["board"], dt.date(2020, 2, 27))
    with pytest.raises(ValidationError, match="title"):
        agenda.add_item(db, m.id, _item("  ", 5))
    with pytest.raises(ValidationError, match="Schedule 12A"):
        agenda.add_item(db, m.id, _item("Funding", 5, publication="exempt",
                                        exempt_paragraphs="9"))
    with pytest.raises(ValidationError, match="OFFICIAL"):
        agenda.add_item(db, m.id, _item("Funding", 5, marking="SECRET"))


def test_standing_items_and_copy_last_agenda(db, board):
    first = meetings.create_meeting(db, board["board"], dt.date(2020, 2, 27))
    agenda.add_item(db, first.id, _item("Budget", 20))
    agenda.add_standing_items(db, first.id)
    titles = [r.title for r in agenda.get_agenda(db, first.id).rows]
    assert titles[:4] == ["Welcome and apologies", "Declarations of interest",
                          "Minutes of the last meeting", "Action points: review"]
    assert titles[4] == "Budget" and titles[-1] == "Date of next meeting"
    agenda.add_standing_items(db, first.id)  # nothing twice
    assert len(agenda.get_agenda(db, first.id).rows) == len(titles)
    second = meetings.create_meeting(db, board["board"], dt.date(2020, 6, 4))
    assert agenda.copy_last_agenda(db, second.id) == len(titles)
    assert [r.title for r in agenda.get_agenda(db, second.id).rows] == titles
    with pytest.raises(UserError, match="already has items"):
        agenda.copy_last_agenda(db, second.id)


def test_demo_cambridge_agenda_has_16_rows_and_fills_the_slot(demo_db):
    from cspdesk.services.packs import find_meeting

    mid = find_meeting(demo_db, dt.date(2021, 2, 9))
    ag = agenda.get_agenda(demo_db, mid)
    top = [r for r in ag.rows if r.level == 0]
    assert len(top) == 16 and ag.total_minutes == 120 and ag.warning is None
    groups = {r.group_heading for r in top} - {None}
    assert groups == {"Looking back on the work of the CSP",
                      "Looking forward with the CSP work to add value"}
