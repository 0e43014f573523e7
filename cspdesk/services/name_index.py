"""Loose name look-ups at import speed: one key → id map per session instead of a table scan.

``find_organisation`` and ``find_person`` used to read every organisation or person and
compare loose keys, once per imported row; a 10,000-row register did that 40,000 times over a
growing table. The index here is built once per session (two narrow core queries), topped up
with rows added since (ids above the highest seen) and dropped when a flush renames or deletes
a name, so answers are the same as the scan's: the first (lowest id) match wins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from cspdesk.models import Organisation, OrganisationAlias, Person

KEY = "cspdesk.name_index"
WATCHED = (Organisation, OrganisationAlias, Person)


@dataclass
class _Index:
    keys: dict[str, int] = field(default_factory=dict)  # loose key -> first id
    lower: dict[str, int] = field(default_factory=dict)  # lower-case name -> first id (people)
    top: dict[str, int] = field(default_factory=dict)  # source -> highest id read


def _index(s: Session, kind: str) -> _Index:
    if KEY in s.info and any(isinstance(o, WATCHED) for o in (*s.dirty, *s.deleted)):
        del s.info[KEY]  # a pending rename or delete
    indexes = s.info.setdefault(KEY, {})
    found = indexes.get(kind)
    if found is None:
        found = indexes[kind] = _Index()
    return found


def _top_up(s: Session, index: _Index, source: str, stmt, add: Callable) -> None:  # type: ignore[no-untyped-def]
    """Read rows with an id above the last one read (autoflushes pending objects first)."""
    last = index.top.get(source, 0)
    for row in s.execute(stmt(last)):
        add(row)
        index.top[source] = max(index.top.get(source, 0), row.id)


def organisation_id(s: Session, key: str, match_key: Callable[[str], str]) -> int | None:
    """The id of the first organisation whose name or alias has loose key ``key``."""
    index = _index(s, "organisation")
    _top_up(s, index, "organisation", lambda last: select(Organisation.id, Organisation.name)
            .where(Organisation.id > last).order_by(Organisation.id),
            lambda r: keep_lowest(index.keys, match_key(r.name), r.id))
    _top_up(s, index, "alias", lambda last: select(
        OrganisationAlias.id, OrganisationAlias.organisation_id, OrganisationAlias.alias)
        .where(OrganisationAlias.id > last).order_by(OrganisationAlias.id),
        lambda r: keep_lowest(index.keys, match_key(r.alias), r.organisation_id))
    return index.keys.get(key)


def person_id(s: Session, name: str, key: str,
              person_key: Callable[[str], str]) -> int | None:
    """The id of the person named ``name`` (case-insensitively), else of the first whose loose
    key is ``key``."""
    index = _index(s, "person")

    def add(r) -> None:  # type: ignore[no-untyped-def]
        keep_lowest(index.lower, r.name.lower(), r.id)
        keep_lowest(index.keys, person_key(r.name), r.id)

    _top_up(s, index, "person", lambda last: select(Person.id, Person.name)
            .where(Person.id > last).order_by(Person.id), add)
    found = index.lower.get(name.lower())
    return found if found is not None else index.keys.get(key)


def keep_lowest(keys: dict[str, Any], key: str, row_id: int) -> None:
    """Keep the lowest id for a key (the scan returned the first match in id order)."""
    if key and (key not in keys or row_id < keys[key]):
        keys[key] = row_id


@event.listens_for(Session, "before_flush")
def _forget_renamed(session: Session, _context, _instances) -> None:  # type: ignore[no-untyped-def]
    """A changed or deleted name makes the session's index stale: drop it."""
    if KEY in session.info and any(isinstance(o, WATCHED)
                                   for o in (*session.dirty, *session.deleted)):
        del session.info[KEY]
