"""Setting up partnerships, boards (terms of reference) and memberships."""

from __future__ import annotations

import datetime as dt

import pytest

from cspdesk.errors import ConflictError, ValidationError
from cspdesk.services import boards, people
from cspdesk.services.partnerships import board_members, find_partnership, get_board


def _person(db, name: str) -> int:
    return people.add_person(db, people.PersonInput(name=name)).id


def test_a_new_partnership_with_its_first_board(db) -> None:
    p = boards.add_partnership(
        db, boards.PartnershipInput("East Cambridgeshire Community Safety Partnership",
                                    "East Cambs CSP"),
        boards.BoardInput("East Cambs CSP Board", dt.time(10), dt.time(12), "The Grange, Ely",
                          quorum_fraction="1/3", paper_deadline_working_days=7))
    assert find_partnership(db, "East Cambs CSP").id == p.id
    board = p.boards[0]
    assert (board.default_start, board.default_end) == (dt.time(10), dt.time(12))
    assert board.paper_deadline_working_days == 7
    with pytest.raises(ValidationError, match="already a partnership"):
        boards.add_partnership(db, boards.PartnershipInput(p.name), boards.BoardInput("X"))


@pytest.mark.parametrize(("change", "field"), [
    ({"name": "  "}, "name"),
    ({"default_start": dt.time(12), "default_end": dt.time(10)}, "default_end"),
    ({"quorum_fraction": "a third"}, "quorum_fraction"),
    ({"quorum_fraction": "4/3"}, "quorum_fraction"),
    ({"paper_deadline_working_days": 45}, "paper_deadline_working_days"),
    ({"contact_email": "community safety team"}, "contact_email"),
])
def test_board_rules_are_checked(change: dict, field: str) -> None:
    data = boards.BoardInput("CSP Board", **{k: v for k, v in change.items() if k != "name"})
    if "name" in change:
        data.name = change["name"]
    with pytest.raises(ValidationError) as err:
        boards.validate_board(data)
    assert err.value.field == field


def test_renaming_a_board_keeps_its_former_name(demo_db) -> None:
    sc = find_partnership(demo_db, "South Cambridgeshire Community Safety Partnership")
    board = sc.boards[0]
    data = boards.board_input(board)
    data.name = "South Cambridgeshire Community Safety Partnership Board"
    renamed = boards.update_board(demo_db, board.id, data, board.version,
                                  renamed_on=dt.date(2020, 4, 1))
    assert renamed.name == data.name
    assert (board.name, dt.date(2020, 3, 31)) in renamed.former_names
    with pytest.raises(ConflictError, match="changed by someone else"):
        boards.update_board(demo_db, board.id, data, board.version)  # a stale form


def test_memberships_with_one_chair_at_a_time(db) -> None:
    p = boards.add_partnership(db, boards.PartnershipInput("Fenland CSP"),
                               boards.BoardInput("Fenland CSP Board"))
    board_id = p.boards[0].id
    alice, bob = _person(db, "Alice Chair"), _person(db, "Bob Next")
    first = boards.add_membership(db, board_id, boards.MembershipInput(
        alice, role="chair", start_date=dt.date(2019, 10, 1)))
    with pytest.raises(ValidationError, match="Alice Chair is already chair"):
        boards.add_membership(db, board_id, boards.MembershipInput(
            bob, role="chair", start_date=dt.date(2020, 10, 1)))
    ended = boards.membership_input(first)
    ended.end_date = dt.date(2020, 9, 30)
    boards.update_membership(db, first.id, ended, first.version)
    boards.add_membership(db, board_id, boards.MembershipInput(
        bob, role="chair", start_date=dt.date(2020, 10, 1)))
    current = board_members(db, board_id, on=dt.date(2021, 1, 1))
    assert [(m.person, m.role) for m in current] == [("Bob Next", "chair")]
    with pytest.raises(ValidationError, match="end on or after"):
        boards.add_membership(db, board_id, boards.MembershipInput(
            alice, start_date=dt.date(2021, 1, 1), end_date=dt.date(2020, 1, 1)))


def test_a_membership_names_its_person_and_can_be_removed(db) -> None:
    p = boards.add_partnership(db, boards.PartnershipInput("Huntingdonshire CSP"),
                               boards.BoardInput("Hunts CSP Board"))
    person = _person(db, "Guest Speaker")
    seat = boards.add_membership(db, p.boards[0].id,
                                 boards.MembershipInput(person, category="guest"))
    assert seat.person == "Guest Speaker" and seat.category == "guest"
    boards.delete_membership(db, seat.id)
    assert board_members(db, p.boards[0].id) == []
    assert get_board(db, p.boards[0].id).name == "Hunts CSP Board"
