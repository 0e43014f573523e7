"""Two copies of cspdesk edit the same row (two windows, or "Open anyway" on a shared file):
the second save, made from a form opened before the first was saved, is refused with the
conflict sentence and the first officer's change stays. People, ISA parties, budget lines."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from cspdesk.db.engine import Database
from cspdesk.errors import ConflictError
from cspdesk.models import Person
from cspdesk.models.budget import BudgetLine
from cspdesk.models.isa import IsaParty
from cspdesk.services import budget, isa, isa_parties, people
from cspdesk.services.database import open_database

SENTENCE = "changed by someone else since you opened it; your change was not saved"


@pytest.fixture
def other(demo_db: Database) -> Iterator[Database]:
    """A second, independent connection to the same database (the other officer's copy)."""
    second = open_database(demo_db.url)
    yield second
    second.dispose()


def test_person_edited_in_two_copies(demo_db: Database, other: Database) -> None:
    with demo_db.session() as s:
        person_id = s.scalars(select(Person.id).order_by(Person.id)).first()
    mine = people.get_person(demo_db, person_id)
    theirs = people.get_person(other, person_id)
    people.update_person(other, person_id, people.PersonInput(theirs.name, role="Chair"),
                         theirs.version)
    with pytest.raises(ConflictError, match=SENTENCE):
        people.update_person(demo_db, person_id, people.PersonInput(mine.name, role="Treasurer"),
                             mine.version)
    assert people.get_person(demo_db, person_id).role == "Chair"


def test_isa_party_edited_in_two_copies(demo_db: Database, other: Database) -> None:
    with demo_db.session() as s:
        party = s.scalars(select(IsaParty).order_by(IsaParty.id)).first()
        agreement_id, party_id = party.agreement_id, party.id

    def row(db: Database) -> isa.PartyRow:
        return next(p for p in isa.list_parties(db, agreement_id) if p.id == party_id)

    mine, theirs = row(demo_db), row(other)
    data = isa_parties.party_input(theirs)
    data.lead_role = "Director of Governance"
    isa_parties.update_party(other, party_id, data, theirs.version)
    stale = isa_parties.party_input(mine)
    stale.lead_role = "Head of Legal"
    with pytest.raises(ConflictError, match=SENTENCE):
        isa_parties.update_party(demo_db, party_id, stale, mine.version)
    assert row(demo_db).lead_role == "Director of Governance"


def test_budget_line_edited_in_two_copies(demo_db: Database, other: Database) -> None:
    with demo_db.session() as s:
        line = s.scalars(select(BudgetLine).order_by(BudgetLine.id)).first()
        pid, year, line_id = line.partnership_id, line.year, line.id

    def fact(db: Database):  # type: ignore[no-untyped-def]
        return next(f for f in budget.list_lines(db, pid, year) if f.id == line_id)

    mine, theirs = fact(demo_db), fact(other)
    data = budget.line_input(theirs)
    data.notes = "Agreed at the March board"
    budget.update_line(other, line_id, data, theirs.version)
    stale = budget.line_input(mine)
    stale.notes = "Deferred"
    with pytest.raises(ConflictError, match=SENTENCE):
        budget.update_line(demo_db, line_id, stale, mine.version)
    assert fact(demo_db).notes == "Agreed at the March board"


def test_a_row_deleted_in_the_other_copy_is_a_conflict_too(demo_db: Database,
                                                           other: Database) -> None:
    row = people.add_person(demo_db, people.PersonInput(name="Temporary Person"))
    people.delete_person(other, row.id)
    with pytest.raises(ConflictError, match="deleted by someone else"):
        people.update_person(demo_db, row.id, people.PersonInput(name="Renamed"), row.version)


def test_minutes_written_in_two_copies(demo_db: Database, other: Database) -> None:
    """Two officers minuting the same item: the second save is refused, not overwritten."""
    import datetime as dt

    from cspdesk.services import minutes
    from cspdesk.services.packs import find_meeting

    meeting = find_meeting(demo_db, dt.date(2020, 2, 27))
    mine = next(i for i in minutes.get_minutes(demo_db, meeting).items if not i.text)
    theirs = next(i for i in minutes.get_minutes(other, meeting).items
                  if i.item_id == mine.item_id)
    minutes.save_entry(other, theirs.item_id, "Noted by the board.", "noted",
                       version=theirs.version)
    with pytest.raises(ConflictError, match="your change was not saved"):
        minutes.save_entry(demo_db, mine.item_id, "Agreed.", "agreed", version=mine.version)
    again = next(i for i in minutes.get_minutes(demo_db, meeting).items
                 if i.item_id == mine.item_id)
    assert again.text == "Noted by the board." and again.version == 1
    minutes.save_entry(demo_db, mine.item_id, "Noted, then agreed.", "agreed",
                       version=again.version)
    assert minutes.entry(demo_db, mine.item_id)[0] == "Noted, then agreed."
