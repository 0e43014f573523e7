"""Connection settings: URLs, the password in the keyring, connection tests, offline snapshots."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError
from sqlalchemy.engine import make_url

from cspdesk.errors import UserError
from cspdesk.services import connection, people
from cspdesk.services.connection import FILE, SERVER, ConnectionSettings
from cspdesk.services.people import PersonInput
from tests.conftest import ON_POSTGRES, SERVER_URL


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict (tests never touch the officer's own keyring)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.saved.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


def server_settings(**changes: object) -> ConnectionSettings:
    """Settings of the test server (or of a made-up one on SQLite runs)."""
    url = make_url(SERVER_URL or "postgresql+psycopg://officer@127.0.0.1:5432/cspdesk")
    values = dict(kind=SERVER, host=url.host, port=url.port or 5432, database=url.database,
                  user=url.username)
    values.update(changes)
    return ConnectionSettings(**values)  # type: ignore[arg-type]


def test_server_url_carries_an_awkward_password_intact() -> None:
    settings = ConnectionSettings(SERVER, host="csp-db.council.local", port=5433,
                                  database="county", user="j.smith")
    url = make_url(connection.database_url(settings, "p@ss:w/rd%"))
    assert (url.drivername, url.host, url.port, url.database, url.username, url.password) == (
        "postgresql+psycopg", "csp-db.council.local", 5433, "county", "j.smith", "p@ss:w/rd%")
    assert connection.settings_from_url(str(url.render_as_string(False))) == settings
    assert "password" not in settings.to_dict()


def test_settings_survive_a_round_trip_through_stored_strings() -> None:
    stored = {k: str(v) for k, v in server_settings(port=6543).to_dict().items()}
    assert ConnectionSettings.from_dict(stored) == server_settings(port=6543)
    assert ConnectionSettings.from_dict({"kind": "nonsense", "port": "abc"}).kind == FILE


def test_missing_fields_are_named() -> None:
    with pytest.raises(UserError, match="Enter the server name"):
        connection.validate(server_settings(host="  "))
    with pytest.raises(UserError, match="Choose the database file"):
        connection.validate(ConnectionSettings(FILE, path=""))


def test_password_lives_in_the_keyring(memory_keyring: MemoryKeyring) -> None:
    settings = server_settings()
    connection.store_password(settings, "s3cret")
    assert memory_keyring.saved == {("cspdesk", settings.keyring_key): "s3cret"}
    assert connection.get_password(settings) == "s3cret"
    connection.store_password(settings, "")
    assert connection.get_password(settings) is None


def test_without_a_keyring_the_password_is_refused_clearly() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(UserError, match="no system keyring on this computer"):
            connection.store_password(server_settings(), "s3cret")
        assert connection.get_password(server_settings()) is None
    finally:
        keyring.set_keyring(previous)


def test_unreachable_server_is_one_sentence() -> None:
    with pytest.raises(UserError) as raised:
        connection.test_connection(server_settings(host="127.0.0.1", port=1), "x")
    assert raised.value.message.startswith("The database server at 127.0.0.1:1 cannot be "
                                           "reached.")


@pytest.mark.postgres
def test_server_connection_success_wrong_password_and_missing_database() -> None:
    password = make_url(SERVER_URL).password
    assert "Connected to" in connection.test_connection(server_settings(), password)
    with pytest.raises(UserError, match="refused the user name or password"):
        connection.test_connection(server_settings(), "not-the-password")
    with pytest.raises(UserError, match="no database called cspdesk_nowhere"):
        connection.test_connection(server_settings(database="cspdesk_nowhere"), password)


def test_file_connection_tests(tmp_path: Path, db) -> None:
    new = tmp_path / "new.sqlite"
    assert "will create a new database" in connection.test_connection(
        ConnectionSettings(FILE, path=str(new)))
    assert not new.exists()
    notes = tmp_path / "notes.sqlite"
    notes.write_text("shopping list")
    with pytest.raises(UserError, match="not a cspdesk database"):
        connection.test_connection(ConnectionSettings(FILE, path=str(notes)))
    with pytest.raises(UserError, match="does not exist"):
        connection.test_connection(ConnectionSettings(FILE, path=str(tmp_path / "x" / "y.db")))
    if db.path is not None:
        assert "cspdesk database that this laptop can open" in connection.test_connection(
            ConnectionSettings(FILE, path=str(db.path)))


def test_snapshot_copies_the_database_and_replaces_the_old_one(db, data_home: Path) -> None:
    settings = server_settings(host="csp-db.council.local")
    assert connection.snapshot_date(settings) is None
    people.add_person(db, PersonInput(name="Dana Green"))
    path = connection.save_snapshot(db.url, settings)
    assert path.parent == data_home / "snapshots" and path.is_file()
    assert connection.snapshot_date(settings) is not None
    people.add_person(db, PersonInput(name="Evan Brown"))
    assert connection.save_snapshot(db.url, settings) == path
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("select name from person")}
    conn.close()
    assert {"Dana Green", "Evan Brown"} <= names
    assert not list(path.parent.glob("*.partial*"))


@pytest.mark.skipif(not ON_POSTGRES, reason="the snapshot of a server database")
def test_snapshot_of_the_server_keeps_its_attachments_folder(data_home: Path, db,
                                                              tmp_path: Path) -> None:
    from cspdesk.services.attachments import store_file

    paper = tmp_path / "paper.pdf"
    paper.write_bytes(b"%PDF-1.4 test")
    store_file(db, paper)
    path = connection.save_snapshot(db.url, connection.settings_from_url(db.url))
    files = path.parent / f"{path.stem}-files"
    assert any(p.is_file() for p in files.rglob("*"))
