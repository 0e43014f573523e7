"""Where things live: the data folder, the default database, the log file."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "cspdesk"
DATABASE_URL_ENV = "CSPDESK_DATABASE_URL"
HOME_ENV = "CSPDESK_HOME"


def data_dir() -> Path:
    """The user's data folder (``CSPDESK_HOME`` overrides, for tests and portable builds)."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override)
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return path


def default_db_path() -> Path:
    """The database used when none is named."""
    return data_dir() / "cspdesk.sqlite"


def log_path() -> Path:
    """The log file that receives tracebacks the user never sees."""
    return data_dir() / "cspdesk.log"


def sqlite_url(path: Path) -> str:
    """SQLAlchemy URL of an SQLite file."""
    return f"sqlite:///{Path(path).expanduser().absolute()}"


def resolve_database_url(db_file: str | Path | None = None, url: str | None = None) -> str:
    """The environment variable wins, then an explicit URL, then ``--db FILE``, then the default."""
    env = os.environ.get(DATABASE_URL_ENV)
    if env:
        return env
    if url:
        return url
    if db_file:
        return sqlite_url(Path(db_file))
    return sqlite_url(default_db_path())


def files_dir_for(db_path: Path) -> Path:
    """Folder beside an SQLite file that holds its attachments and generated files."""
    return db_path.parent / f"{db_path.stem}-files"


def backups_dir_for(db_path: Path) -> Path:
    """Folder beside an SQLite file that holds its backups."""
    return db_path.parent / "backups"
