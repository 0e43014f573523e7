"""Text longer than its column is refused with one sentence on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from cspdesk.errors import ValidationError
from cspdesk.models import Person
from cspdesk.services import people


def test_over_long_text_is_refused_and_nothing_is_saved(db) -> None:
    with pytest.raises(ValidationError) as raised, db.session() as s:
        s.add(Person(name="Ω" * 300))
    assert raised.value.message == ("The person name is too long (300 characters; the most is "
                                    "200). Shorten it and try again.")
    assert raised.value.field == "name"
    assert people.list_people(db) == []
    with db.session() as s:
        s.add(Person(name="Ω" * 200))
    assert [p.name for p in people.list_people(db)] == ["Ω" * 200]
