"""Action points: MM/NN refs, owners, closing, carry-forward to the next meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from cspdesk.errors import ValidationError
from cspdesk.models import AgendaItem, Board, Meeting, Person
from cspdesk.services import action_points as ap


@pytest.fixture
def board(demo_db):  # type: ignore[no-untyped-def]
    with demo_db.session() as s:
        b = s.scalars(select(Board).where(
            Board.name == "Cambridge Community Safety Partnership Board")).one()
        meetings = {m.date: m.id
                    for m in s.scalars(select(Meeting).where(Meeting.board_id == b.id))}
        people = {p.name: p.id for p in s.scalars(select(Person))}
        return b.id, meetings, people


def test_demo_points_10_01_to_10_04_are_closed_with_notes(demo_db) -> None:
    rows = [p for p in ap.list_points(demo_db) if p.board.startswith("Cambridge")]
    assert [p.ref for p in rows] == ["10/01", "10/02", "10/03", "10/04"]
    assert all(not p.is_open for p in rows)
    assert rows[0].status_text == "Closed: Agenda Item 6."
    assert rows[1].status_text == "Closed: This was shared on 8 October."
    assert rows[2].status_text == "Closed."
    assert rows[3].owners == ("Lisa Riddle", "Louise Walker")


def test_refs_are_month_and_running_number_per_meeting(demo_db, board, fixed_today) -> None:
    _, meetings, people = board
    feb = meetings[dt.date(2021, 2, 9)]
    one = ap.add_point(demo_db, feb, "Circulate the Safer Streets evaluation",
                       [people["Louise Walker"]], dt.date(2021, 3, 31))
    two = ap.add_point(demo_db, feb, "Write to the PCC", [people["Lynda Kilkelly"],
                                                          people["Debbie Kaye"]], None)
    assert (one.ref, two.ref) == ("02/01", "02/02")
    assert two.owners == ("Debbie Kaye", "Lynda Kilkelly")
    with pytest.raises(ValidationError, match="Write what is to be done"):
        ap.add_point(demo_db, feb, " ", [], None)
    with pytest.raises(ValidationError, match="before the meeting"):
        ap.add_point(demo_db, feb, "X", [], dt.date(2021, 1, 1))


def test_open_points_carry_forward_to_the_next_meeting(demo_db, board, fixed_today) -> None:
    from cspdesk import clock

    clock.set_clock(dt.date(2021, 2, 9))
    board_id, meetings, people = board
    oct_ = meetings[dt.date(2020, 10, 6)]
    feb, jul = meetings[dt.date(2021, 2, 9)], meetings[dt.date(2021, 7, 6)]
    with demo_db.session() as s:
        item = AgendaItem(meeting_id=oct_, title="Transformation Topic", position=9)
        s.add(item)
        s.flush()
        item_id = item.id
    new = ap.add_point(demo_db, oct_, "Lynda Kilkelly to report on the County Lines campaign",
                       [people["Lynda Kilkelly"]], dt.date(2021, 1, 31), agenda_item_id=item_id)
    assert new.ref == "10/05" and new.agenda_item == "Transformation Topic"
    assert [p.ref for p in ap.carried_forward(demo_db, feb)] == ["10/05"]
    review = ap.review_points(demo_db, feb)
    assert [p.ref for p in review] == ["10/01", "10/02", "10/03", "10/04", "10/05"]
    assert ap.carried_forward(demo_db, oct_) == []
    # closed at the February meeting: no longer carried to July
    ap.close_point(demo_db, new.id, "Closed: agenda item 6", on=dt.date(2021, 2, 9))
    assert ap.get_point(demo_db, new.id).closing_note == "agenda item 6"
    assert ap.carried_forward(demo_db, jul) == []


def test_filters_by_owner_status_and_overdue(demo_db, board, fixed_today) -> None:
    board_id, meetings, people = board
    mine = ap.list_points(demo_db, owner_id=people["Louise Walker"])
    assert [p.ref for p in mine] == ["10/02", "10/04"]
    assert len(ap.list_points(demo_db, board_id=board_id, status="open")) == 0
    south = ap.list_points(demo_db, status="open")
    assert {p.ref for p in south} == {"10/01", "10/02"}


def test_overdue_points_from_the_day_after_due(demo_db, board, fixed_today) -> None:
    _, meetings, people = board
    from cspdesk import clock

    clock.set_clock(dt.date(2021, 2, 10))
    p = ap.add_point(demo_db, meetings[dt.date(2021, 2, 9)], "Send minutes",
                     [people["Louise Walker"]], dt.date(2021, 2, 12))
    assert not p.overdue(dt.date(2021, 2, 12))
    assert p.overdue(dt.date(2021, 2, 13))
    assert [x.ref for x in ap.overdue_points(demo_db, None, dt.date(2021, 2, 13))] == ["02/01"]
    ap.reopen_point(demo_db, p.id)
    ap.delete_point(demo_db, p.id)
    assert ap.overdue_points(demo_db, None, dt.date(2021, 2, 13)) == []


def test_points_show_their_agenda_item_or_minute(demo_db, board, fixed_today) -> None:
    _, meetings, people = board
    south = [p for p in ap.list_points(demo_db) if p.board.startswith("South")]
    assert south[0].item_text == "4  Community Safety Partnership Development"
    cambridge = [p for p in ap.list_points(demo_db) if p.board.startswith("Cambridge")]
    assert cambridge[0].item_text == "Minute 5.1.3"   # the demo knows only the minute


def test_a_point_links_to_an_item_of_its_own_meeting_only(demo_db, board, fixed_today) -> None:
    _, meetings, people = board
    feb = meetings[dt.date(2021, 2, 9)]
    choices = ap.agenda_item_choices(demo_db, feb)
    assert choices[0][1].startswith("1  ") and len(choices) == 19
    sub = next((i, label) for i, label in choices if "." in label.split("  ")[0])
    point = ap.add_point(demo_db, feb, "Circulate the evaluation", [people["Louise Walker"]],
                         None, agenda_item_id=choices[3][0])
    assert point.item_text == choices[3][1]
    moved = ap.update_point(demo_db, point.id, point.text, list(point.owner_ids), None,
                            agenda_item_id=sub[0], version=point.version)
    assert moved.item_text == sub[1] and moved.agenda_item_id == sub[0]
    south_item = ap.list_points(demo_db)[0].agenda_item_id   # an item of a South Cambs meeting
    with pytest.raises(ValidationError, match="agenda item is from another meeting") as exc:
        ap.update_point(demo_db, point.id, point.text, [], None, agenda_item_id=south_item)
    assert exc.value.field == "agenda_item"
    with pytest.raises(ValidationError, match="another meeting"):
        ap.add_point(demo_db, feb, "X", [], None, agenda_item_id=south_item)
    assert ap.get_point(demo_db, point.id).agenda_item_id == sub[0]   # unchanged
    cleared = ap.update_point(demo_db, point.id, point.text, [], None, agenda_item_id=None)
    assert cleared.item_text == ""
