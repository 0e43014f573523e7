"""Subprocess for the crash test: writes through the services, printing each committed change.

``python -m tests.safety.crash_writer URL`` imports everything once, then for each line
``go`` read from stdin forks a writer child (so a kill costs no interpreter start-up).
The child prints ``child PID`` and then, only after each service call has returned (committed),
``person ID``, ``update ID VERSION`` or ``org ID``. When the child dies the parent prints
``done PID``: every line of that child comes before it.
"""

from __future__ import annotations

import os
import sys

from cspdesk.db.engine import create_database
from cspdesk.services import people


def say(line: str) -> None:
    """One whole line in one write(2): a kill can never leave half a line on the pipe."""
    os.write(1, f"{line}\n".encode())


def write_forever(url: str, start: int) -> None:
    """The child: a stream of changes through the services."""
    db = create_database(url)
    say(f"child {os.getpid()}")
    i = start
    while True:
        i += 1
        person = people.add_person(db, people.PersonInput(name=f"Crash Person {i}",
                                                          notes="x" * (i % 50)))
        say(f"person {person.id}")
        updated = people.update_person(db, person.id, people.PersonInput(
            name=f"Crash Person {i}", role=f"role {i}"), person.version)
        say(f"update {updated.id} {updated.version}")
        if i % 3 == 0:
            org = people.add_organisation(db, people.OrganisationInput(name=f"Crash Org {i}"))
            say(f"org {org.id}")


def main(url: str) -> None:
    warm = create_database(url)  # compile the statements once; children inherit the caches
    person = people.add_person(warm, people.PersonInput(name="Warm-up"))
    people.update_person(warm, person.id, people.PersonInput(name="Warm-up"), person.version)
    people.add_organisation(warm, people.OrganisationInput(name="Warm-up Org"))
    warm.dispose()
    say("ready")
    for n, _line in enumerate(sys.stdin):
        pid = os.fork()
        if pid == 0:
            try:
                write_forever(url, n * 100_000)
            finally:
                os._exit(1)
        os.waitpid(pid, 0)
        say(f"done {pid}")


if __name__ == "__main__":
    main(sys.argv[1])
