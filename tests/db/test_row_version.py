"""Two officers edit the same row: the second save is refused with a clear conflict message.

The race itself (both sessions read version 1 before either writes) needs a server where a
second connection can write while the first holds a read transaction, so it runs on PostgreSQL.
"""

from __future__ import annotations

import threading

import pytest

from cspdesk.errors import ConflictError
from cspdesk.models import Person
from cspdesk.services import people
from cspdesk.services.people import PersonInput


def test_second_save_from_a_stale_form_is_refused(db) -> None:
    row = people.add_person(db, PersonInput(name="Alice Jones", role="Officer"))
    people.update_person(db, row.id, PersonInput(name="Alice Jones", role="Chair"), row.version)
    with pytest.raises(ConflictError, match="changed by someone else since you opened it"):
        people.update_person(db, row.id, PersonInput(name="Alice Jones", role="Vice-chair"),
                             row.version)
    assert people.get_person(db, row.id).role == "Chair"


@pytest.mark.postgres
def test_concurrent_edits_of_one_row_on_the_server_conflict(db) -> None:
    row = people.add_person(db, PersonInput(name="Bob Smith", role="Officer"))
    with pytest.raises(ConflictError) as raised, db.session() as s:
        mine = s.get(Person, row.id)
        assert mine is not None and mine.version == row.version
        # the other officer saves first, from another connection, while this one edits
        people.update_person(db, row.id, PersonInput(name="Bob Smith", role="Chair"),
                             row.version)
        mine.role = "Treasurer"
    assert raised.value.message == ("This record was changed by someone else while you were "
                                    "editing it; your change was not saved. Refresh and try "
                                    "again.")
    saved = people.get_person(db, row.id)
    assert (saved.role, saved.version) == ("Chair", row.version + 1)


@pytest.mark.postgres
def test_the_slower_of_two_simultaneous_saves_waits_then_conflicts(db) -> None:
    row = people.add_person(db, PersonInput(name="Carol White", role="Officer"))
    first_flushed = threading.Event()
    outcome: list[BaseException | None] = []

    def other_officer() -> None:
        try:
            with db.session() as s:
                theirs = s.get(Person, row.id)
                first_flushed.wait(10)
                theirs.role = "Chair"
                s.flush()  # blocks on the row lock until the first session commits
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - reported to the test thread
            outcome.append(exc)

    with db.session() as s:
        mine = s.get(Person, row.id)
        worker = threading.Thread(target=other_officer)
        worker.start()
        mine.role = "Treasurer"
        s.flush()  # holds the row lock until commit
        first_flushed.set()
    worker.join(20)
    assert len(outcome) == 1 and isinstance(outcome[0], ConflictError)
    assert people.get_person(db, row.id).role == "Treasurer"
