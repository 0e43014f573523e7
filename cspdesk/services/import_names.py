"""Organisations and people by loose name, in memory, for one bulk import.

``find_organisation_loose`` and ``find_person`` answer from the session's name index, which
reads the tables again for rows added since (so the session must be flushed after every new
organisation or person). A bulk import instead reads each table once, then remembers the
organisations and people it adds itself, unflushed: thousands of rows need no query and no
flush each. The answers are the same: a name or alias matched loosely, the first (lowest id)
match wins, and what the import adds comes after everything already stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.models import Organisation, OrganisationAlias, Person
from cspdesk.services.name_index import keep_lowest
from cspdesk.services.people import clean_text, match_key

#: "Swavesey Village College (part of ...)": the name before the bracket, and the bracket
BRACKET = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


@dataclass(eq=False)
class Planned:
    """A row the import will insert: its column values, and its id once inserted."""

    values: dict[str, Any]
    id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


#: a stored row's id, or a row the import plans to add
Ref = int | Planned


class ImportNames:
    """Loose look-ups for one session: stored rows by id, rows the import plans as Planned."""

    def __init__(self, s: Session) -> None:
        self._s = s
        self._orgs: dict[str, Ref] = {}
        self.org_names: dict[int, str] = {}
        for r in s.execute(select(Organisation.id, Organisation.name).order_by(Organisation.id)):
            keep_lowest(self._orgs, match_key(r.name), r.id)
            self.org_names[r.id] = r.name
        for r in s.execute(select(OrganisationAlias.organisation_id, OrganisationAlias.alias)
                           .order_by(OrganisationAlias.id)):
            keep_lowest(self._orgs, match_key(r.alias), r.organisation_id)
        self._people: tuple[dict[str, Ref], dict[str, Ref]] | None = None
        self.person_names: dict[int, str] = {}
        self.new_organisations: list[Planned] = []  # in the order planned
        self.new_people: list[Planned] = []

    # ------------------------------------------------------------ organisations

    def organisation_ref(self, name: str) -> Ref | None:
        """As ``find_organisation_loose``: by name or alias, then without a trailing bracket,
        then the bracket itself ("(BeNCH CRC)")."""
        found = self._orgs.get(match_key(name))
        m = BRACKET.match(clean_text(name))
        if found is None and m:
            found = self._orgs.get(match_key(m.group(1)))
            if found is None:
                found = self._orgs.get(match_key(m.group(2)))
        return found

    def organisation(self, name: str) -> Organisation | None:
        """The stored organisation ``name`` matches (a planned one once it is inserted)."""
        return _load(self._s, Organisation, self.organisation_ref(name))

    def plan_organisation(self, planned: Planned, aliases: list[str]) -> None:
        """Remember a planned organisation under its name and aliases."""
        self.new_organisations.append(planned)
        for text in (planned.values["name"], *aliases):
            key = match_key(text)
            if key:
                self._orgs.setdefault(key, planned)

    def org_name(self, ref: Ref) -> str:
        return ref.values["name"] if isinstance(ref, Planned) else self.org_names[ref]

    # ------------------------------------------------------------ people

    def person_ref(self, name: str) -> Ref | None:
        """As ``find_person``: the exact name in any case, else the first loose match."""
        from cspdesk.services.isa_parties import strip_title

        lower, keys = self._people_index()
        name = strip_title(name)
        found = lower.get(name.lower())
        return found if found is not None else keys.get(match_key(name))

    def plan_person(self, name: str | None, org: Ref, role: str | None) -> Ref | None:
        """As ``person_for``: the person called ``name``, planned (in ``org``) if new."""
        from cspdesk.services.isa_parties import strip_title

        if not name:
            return None
        found = self.person_ref(name)
        if found is None:
            found = Planned({"name": strip_title(name), "role": role}, extra={"org": org})
            self.new_people.append(found)
            lower, keys = self._people_index()
            lower.setdefault(found.values["name"].lower(), found)
            key = match_key(strip_title(found.values["name"]))
            if key:
                keys.setdefault(key, found)
        return found

    def person_for(self, name: str | None, _org: Organisation | None,
                   _role: str | None = None) -> Person | None:
        """The stored person ``name`` matches; every name was planned and inserted before."""
        if not name:
            return None
        ref = self.person_ref(name)
        assert ref is not None, f"{name} was not planned"
        return _load(self._s, Person, ref)

    def person_name(self, ref: Ref) -> str:
        return ref.values["name"] if isinstance(ref, Planned) else self.person_names[ref]

    def _people_index(self) -> tuple[dict[str, Ref], dict[str, Ref]]:
        if self._people is None:
            from cspdesk.services.isa_parties import strip_title

            lower: dict[str, Ref] = {}
            keys: dict[str, Ref] = {}
            for r in self._s.execute(select(Person.id, Person.name).order_by(Person.id)):
                keep_lowest(lower, r.name.lower(), r.id)
                keep_lowest(keys, match_key(strip_title(r.name)), r.id)
                self.person_names[r.id] = r.name
            self._people = lower, keys
        return self._people


def ref_id(ref: Ref | None) -> int | None:
    """The id of a stored or inserted row."""
    if isinstance(ref, Planned):
        assert ref.id is not None, "planned row not inserted yet"
        return ref.id
    return ref


def _load(s: Session, model: type, ref: Ref | None) -> Any:
    row_id = ref_id(ref)
    return None if row_id is None else s.get(model, row_id)

