"""Open a database: checks on the file, engine with SQLite pragmas, sessions per unit of work."""

from __future__ import annotations

import getpass
import os
import socket
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, String, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Mapper, Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from cspdesk import config
from cspdesk.errors import (
    ConflictError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    UserError,
    ValidationError,
)

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass
class Database:
    """An open database: the engine, a session factory and where its files live."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    read_only: bool = False
    os_user: str = field(default_factory=lambda: _os_user())
    machine: str = field(default_factory=lambda: socket.gethostname()[:100])
    _server_user: str | None = field(default=None, repr=False)
    _files_dir: Path | None = field(default=None, repr=False)
    #: why today's automatic backup could not be made (None: made, or not needed)
    backup_problem: str | None = None

    def __post_init__(self) -> None:
        self._files_dir = files_dir_for_url(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        if not self.is_sqlite:
            return None
        name = make_url(self.url).database
        return Path(name) if name and name != ":memory:" else None

    @property
    def db_user(self) -> str | None:
        """The server's ``current_user`` (asked once); None for an SQLite file."""
        if self.is_sqlite:
            return None
        if self._server_user is None:
            with self.engine.connect() as conn:
                self._server_user = str(conn.scalar(text("SELECT current_user")))
        return self._server_user

    @property
    def files_dir(self) -> Path:
        """Folder for attachments and generated files of this database (fixed when opened)."""
        if self._files_dir is None:
            self._files_dir = files_dir_for_url(self.url)
        return self._files_dir

    @property
    def display_name(self) -> str:
        """What the status bar shows: file path or server."""
        if self.path is not None:
            return str(self.path)
        url = make_url(self.url)
        return f"{url.database} on {url.host or 'localhost'}"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on error."""
        if self.read_only:
            with self.sessions() as session:
                yield session
                if session.new or session.dirty or session.deleted:
                    session.rollback()
                    raise UserError(
                        "This database is open read-only, so the change was not saved."
                    )
            return
        try:
            with self.sessions.begin() as session:
                yield session
        except StaleDataError as exc:  # the row version moved on since this session read it
            raise ConflictError(
                "This record was changed by someone else while you were editing it; your "
                "change was not saved. Refresh and try again.") from exc

    def dispose(self) -> None:
        self.engine.dispose()


def files_dir_for_url(url: str | URL) -> Path:
    """Attachments folder of a database: beside an SQLite file, or per server database
    in the data folder (``server-HOST[-PORT]-NAME-files``)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return config.files_dir_for(Path(parsed.database))
    host = parsed.host or "local"
    if parsed.port:
        host = f"{host}-{parsed.port}"
    return config.data_dir() / f"server-{host}-{parsed.database or 'db'}-files"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some service accounts
        return os.environ.get("USERNAME", "unknown")


def check_sqlite_file(path: Path, *, read_only: bool = False, must_exist: bool = False) -> None:
    """Refuse, with one clear sentence, a file that cannot be our database."""
    if path.exists():
        if path.is_dir():
            raise NotADatabaseError(f"{path} is a folder, not a database file. Choose a file.")
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
        if head and head != SQLITE_HEADER:
            raise NotADatabaseError(
                f"{path.name} is not a cspdesk database (it is not an SQLite file). "
                "Choose another file."
            )
        if not read_only and not os.access(path, os.W_OK):
            raise ReadOnlyDatabaseError(
                f"{path.name} is read-only, so cspdesk cannot save changes to it. "
                "Copy it somewhere you can write to, or choose another file."
            )
    elif must_exist:
        raise UserError(f"There is no database at {path}. Check the path or choose another file.")
    folder = path.parent
    if not folder.exists():
        raise UserError(
            f"The folder {folder} does not exist. Create it or choose another location."
        )
    if not read_only and not os.access(folder, os.W_OK):
        raise ReadOnlyDatabaseError(
            f"The folder {folder} is read-only, so cspdesk cannot keep its journal there. "
            "Copy the database to a folder you can write to."
        )


def _sqlite_pragmas(read_only: bool):
    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    return on_connect


def _check_lengths(session: Session, _context: object, _instances: object) -> None:
    """Refuse text longer than its column allows, on every backend alike: PostgreSQL would
    fail the whole transaction, while SQLite would quietly store it."""
    for obj in (*session.new, *session.dirty):
        state = inspect(obj)
        check_lengths(state.mapper, state.dict)


def check_lengths(mapper: Mapper, values: Mapping[str, object]) -> None:
    """Raise ValidationError for a text value longer than its column (by attribute name); bulk
    inserts that bypass the flush call this themselves."""
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        length = getattr(column.type, "length", None)
        value = values.get(attr.key)
        if isinstance(column.type, String) and length and isinstance(value, str) \
                and len(value) > length:
            what = f"{column.table.name} {column.name}".replace("_", " ")
            raise ValidationError(
                f"The {what} is too long ({len(value):,} characters; the most is "
                f"{length:,}). Shorten it and try again.", field=attr.key)


def create_database(url: str, *, read_only: bool = False) -> Database:
    """Build the engine and session factory (no migration, no checks)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        db_path = parsed.database
        engine_url = url
        if read_only and db_path:
            engine_url = f"sqlite:///file:{Path(db_path).absolute()}?mode=ro&uri=true"
        engine = create_engine(engine_url, connect_args={"timeout": 5})
        event.listen(engine, "connect", _sqlite_pragmas(read_only))
    else:
        # a server that does not answer fails in seconds, not after the system's TCP timeout
        connect_args = ({"connect_timeout": 10} if parsed.get_backend_name() == "postgresql"
                        and "connect_timeout" not in parsed.query else {})
        engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    sessions = sessionmaker(engine, expire_on_commit=False)
    event.listen(sessions, "before_flush", _check_lengths)
    db = Database(url=str(parsed.render_as_string(hide_password=False)), engine=engine,
                  sessions=sessions, read_only=read_only)
    from cspdesk.services.audit import install_audit_hook

    install_audit_hook(db)
    return db
