"""Where the app's database is: this laptop's file or a shared PostgreSQL server.

Qt-free: builds URLs from the connection settings, keeps the server password in the system
keyring (never in the settings), tests a connection and explains failures in one sentence,
and keeps the offline snapshot of a server database (see ``save_snapshot``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

from cspdesk import config
from cspdesk.errors import UserError

log = logging.getLogger(__name__)

FILE = "file"
SERVER = "server"
DEFAULT_PORT = 5432
KEYRING_SERVICE = "cspdesk"
CONNECT_TIMEOUT = 5


@dataclass(frozen=True)
class ConnectionSettings:
    """The saved choice (no password): ``kind`` is ``file`` or ``server``."""

    kind: str = FILE
    path: str = ""
    host: str = ""
    port: int = DEFAULT_PORT
    database: str = "cspdesk"
    user: str = ""

    @property
    def is_server(self) -> bool:
        return self.kind == SERVER

    @property
    def keyring_key(self) -> str:
        """The keyring entry name of this server's password."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def describe(self) -> str:
        """For messages: the file, or ``database on host``."""
        if self.is_server:
            return f"{self.database} on {self.host}"
        return self.path or str(config.default_db_path())

    def to_dict(self) -> dict[str, str | int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, object]) -> ConnectionSettings:
        """Settings from stored values; unknown keys are ignored, bad ports use the default."""
        known = {f.name for f in fields(cls)}
        data: dict[str, object] = {k: v for k, v in values.items() if k in known and v is not None}
        try:
            data["port"] = int(str(data.get("port", DEFAULT_PORT)) or DEFAULT_PORT)
        except ValueError:
            data["port"] = DEFAULT_PORT
        for key in ("kind", "path", "host", "database", "user"):
            if key in data:
                data[key] = str(data[key])
        if data.get("kind") not in (FILE, SERVER):
            data["kind"] = FILE
        return cls(**data)  # type: ignore[arg-type]


def validate(settings: ConnectionSettings) -> ConnectionSettings:
    """Trimmed settings; raises UserError naming the first missing field."""
    s = ConnectionSettings(settings.kind, settings.path.strip(), settings.host.strip(),
                           settings.port, settings.database.strip(), settings.user.strip())
    if s.is_server:
        for label, value in (("server name", s.host), ("database", s.database),
                             ("user name", s.user)):
            if not value:
                raise UserError(f"Enter the {label} of the shared server.")
        if not 0 < s.port < 65536:
            raise UserError("The port must be a number between 1 and 65535 (usually 5432).")
    elif not s.path:
        raise UserError("Choose the database file on this laptop.")
    return s


def database_url(settings: ConnectionSettings, password: str | None = None) -> str:
    """The SQLAlchemy URL of the settings (with the password, for the engine only)."""
    if not settings.is_server:
        return config.sqlite_url(Path(settings.path) if settings.path
                                 else config.default_db_path())
    url = URL.create("postgresql+psycopg", username=settings.user or None,
                     password=password or None, host=settings.host, port=settings.port,
                     database=settings.database)
    return url.render_as_string(hide_password=False)


def settings_from_url(url: str) -> ConnectionSettings:
    """The settings a URL names (the password is dropped)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return ConnectionSettings(FILE, path=str(parsed.database or ""))
    return ConnectionSettings(SERVER, host=parsed.host or "localhost",
                              port=parsed.port or DEFAULT_PORT,
                              database=parsed.database or "", user=parsed.username or "")


# ------------------------------------------------------------------ password in the keyring

def _no_keyring(exc: Exception | None = None) -> UserError:
    return UserError(
        "There is no system keyring on this computer to keep the password safely, so it was "
        "not saved (on Linux, install and unlock GNOME Keyring or KWallet).",
        detail=str(exc) if exc else None)


def keyring_available() -> bool:
    """True when a real keyring backend (not the 'fail' one) is configured."""
    import keyring

    return keyring.get_keyring().priority > 0


def store_password(settings: ConnectionSettings, password: str) -> None:
    """Keep the server password in the system keyring (an empty password removes it)."""
    import keyring
    import keyring.errors

    if not keyring_available():
        raise _no_keyring()
    try:
        if password:
            keyring.set_password(KEYRING_SERVICE, settings.keyring_key, password)
        else:
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                keyring.delete_password(KEYRING_SERVICE, settings.keyring_key)
    except keyring.errors.KeyringError as exc:
        log.warning("keyring refused the password: %s", exc)
        raise _no_keyring(exc) from exc


def get_password(settings: ConnectionSettings) -> str | None:
    """The stored password of this server, or None (also when there is no keyring)."""
    import keyring
    import keyring.errors

    if not settings.is_server or not keyring_available():
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, settings.keyring_key)
    except keyring.errors.KeyringError as exc:
        log.warning("keyring unavailable: %s", exc)
        return None


# ------------------------------------------------------------------ testing a connection

def server_error(exc: BaseException, settings: ConnectionSettings | None = None) -> UserError:
    """One sentence for a failed server connection: unreachable, refused login, no database."""
    text_ = str(exc).lower()
    where = f"{settings.host}:{settings.port}" if settings else "the server"
    if "password authentication failed" in text_ or "no password supplied" in text_ \
            or ("role" in text_ and "does not exist" in text_):
        return UserError("The server refused the user name or password. "
                         "Check them, or ask the server's administrator.")
    if "database" in text_ and "does not exist" in text_:
        name = settings.database if settings else "that database"
        return UserError(f"The server has no database called {name}. Check its name, "
                         "or ask the server's administrator to create it.")
    if "permission denied" in text_ or "not permitted" in text_ or "pg_hba" in text_:
        return UserError("The server does not let this user connect from this computer. "
                         "Ask the server's administrator.")
    return UserError(f"The database server at {where} cannot be reached. Check the server "
                     "name and port and your network, then try again.")


def test_connection(settings: ConnectionSettings, password: str | None = None) -> str:
    """Try the connection; return one sentence on success, raise UserError otherwise."""
    settings = validate(settings)
    if not settings.is_server:
        return _test_file(Path(settings.path).expanduser())
    engine = create_engine(database_url(settings, password),
                           connect_args={"connect_timeout": CONNECT_TIMEOUT}, poolclass=None)
    try:
        with engine.connect() as conn:
            version = str(conn.scalar(text("SHOW server_version")) or "").split()[0]
            has_schema = "alembic_version" in inspect(conn).get_table_names()
    except Exception as exc:  # noqa: BLE001 - every driver failure becomes one sentence
        log.info("connection test to %s failed: %s", settings.describe(), exc)
        raise server_error(exc, settings) from exc
    finally:
        engine.dispose()
    state = ("it holds a cspdesk database" if has_schema
             else "cspdesk will set up its tables when it opens it")
    return f"Connected to {settings.describe()} (PostgreSQL {version}); {state}."


def _test_file(path: Path) -> str:
    from cspdesk.db.engine import check_sqlite_file
    from cspdesk.services.database import _precheck_sqlite

    path = path.absolute()
    check_sqlite_file(path)
    if not path.exists() or path.stat().st_size == 0:
        return f"{path.name} does not exist yet; cspdesk will create a new database there."
    _precheck_sqlite(path)
    return f"{path.name} is a cspdesk database that this laptop can open."


# ------------------------------------------------------------------ offline snapshot

def snapshot_path(settings: ConnectionSettings) -> Path:
    """Where the offline snapshot of a server database lives (in the data folder)."""
    safe = "".join(c if c.isalnum() or c in "-._" else "_"
                   for c in f"{settings.host}-{settings.port}-{settings.database}")
    return config.data_dir() / "snapshots" / f"{safe}.sqlite"


def snapshot_date(settings: ConnectionSettings) -> dt.datetime | None:
    """When the snapshot of this server database was taken, or None if there is none."""
    path = snapshot_path(settings)
    if not path.is_file():
        return None
    return dt.datetime.fromtimestamp(path.stat().st_mtime)


def save_snapshot(server_url: str, settings: ConnectionSettings) -> Path:
    """Copy the whole server database to its snapshot file (replaced only once complete)."""
    from cspdesk.services.copy import copy_database

    final = snapshot_path(settings)
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_name(final.stem + ".partial.sqlite")
    _remove_file_db(partial)
    try:
        copy_database(server_url, config.sqlite_url(partial), force=True)
    except BaseException:
        _remove_file_db(partial)
        raise
    _remove_file_db(final)
    os.replace(partial, final)
    files = config.files_dir_for(partial)
    if files.is_dir():
        files.rename(config.files_dir_for(final))
    return final


def _remove_file_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(config.files_dir_for(path), ignore_errors=True)
