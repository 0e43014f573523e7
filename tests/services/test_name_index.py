"""Loose organisation and person look-ups through the per-session name index."""

from __future__ import annotations

from cspdesk.models import Organisation, OrganisationAlias, Person
from cspdesk.services.isa_parties import find_person
from cspdesk.services.people import find_organisation


def test_lookups_follow_adds_renames_and_deletes_in_the_same_session(db) -> None:
    with db.session() as s:
        ely = Organisation(name="Ely Food Bank", type="other")
        s.add(ely)
        assert find_organisation(s, "ELY  food-bank") is ely  # pending row found (autoflush)
        s.add(Organisation(name="Ely Food Bank!", type="other"))  # same loose key, later id
        assert find_organisation(s, "ely food bank") is ely
        ely.aliases.append(OrganisationAlias(alias="EFB"))
        assert find_organisation(s, "efb") is ely
        ely.name = "Fenland Food Bank"
        assert find_organisation(s, "fenland food bank") is ely
        assert find_organisation(s, "Ely Food Bank").name == "Ely Food Bank!"
        jo = Person(name="Jo O'Brien")
        s.add(jo)
        assert find_person(s, "Dr Jo O\u2019Brien") is jo
        assert find_person(s, "jo o'brien") is jo
        s.delete(jo)
        assert find_person(s, "Jo O'Brien") is None
        assert find_organisation(s, "Nobody") is None
