"""Open a database for the app or the CLI: checks, migrations with a backup first."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import DatabaseError, OperationalError

from cspdesk.db.engine import Database, check_sqlite_file, create_database
from cspdesk.db.migrate import upgrade
from cspdesk.errors import (
    NewerDatabaseError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    UserError,
)

log = logging.getLogger(__name__)


def _precheck_sqlite(path: Path) -> None:
    """Refuse a foreign, damaged or newer file through a read-only connection, before the
    engine switches it to WAL (which would rewrite its header)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("select name from sqlite_master "
                                                 "where type = 'table'")}
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("select version_num from alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        log.warning("cannot read %s: %s", path, exc)
        raise NotADatabaseError(
            f"{path.name} is damaged or is not a cspdesk database. "
            "Restore it from a backup, or choose another file."
        ) from exc
    if revision is None and tables - {"alembic_version"}:
        raise NotADatabaseError(
            "This file is a database, but not a cspdesk one. Choose another file."
        )
    if revision is not None:
        from alembic.script import ScriptDirectory

        from cspdesk.db.migrate import alembic_config

        known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config())
                 .walk_revisions()}
        if revision not in known:
            raise NewerDatabaseError(
                f"This database was saved by a newer version of cspdesk (schema {revision}). "
                "Install the newer version, or choose another file."
            )


def open_database(url: str, *, read_only: bool = False, migrate: bool = True,
                  create: bool = True) -> Database:
    """Open (creating and migrating as needed) the database at ``url``.

    Raises UserError with one clear sentence when the file cannot be used; the file is then
    left exactly as it was.
    """
    parsed = make_url(url)
    path: Path | None = None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database).expanduser().absolute()
        check_sqlite_file(path, read_only=read_only, must_exist=not create or read_only)
        _precheck_sqlite(path)
        check_intact(path)
    db = create_database(url, read_only=read_only)
    event.listen(db.engine, "handle_error", _storage_error)
    try:
        if migrate and not read_only:
            from cspdesk.services.backup import backup_before_change

            upgrade(db, backup=backup_before_change)
        else:
            from cspdesk.db.migrate import check_compatible, current_revision, head_revision

            check_compatible(db)
            if current_revision(db) != head_revision():
                raise UserError(
                    "This database needs an upgrade that cannot run on a read-only file. "
                    "Open it normally first, or choose another file."
                )
    except UserError:
        db.dispose()
        raise
    except (DatabaseError, OperationalError, sqlite3.DatabaseError) as exc:
        db.dispose()
        log.exception("cannot open %s", parsed)  # the URL without its password
        text = str(exc).lower()
        if "disk is full" in text or "no space" in text:
            raise UserError(
                "The disk is full, so the database could not be opened or upgraded. "
                "Free some space and try again."
            ) from exc
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            raise NotADatabaseError(
                f"{path.name if path else 'The database'} is damaged or is not a cspdesk database. "
                "Restore it from a backup, or choose another file."
            ) from exc
        if "readonly" in text or "read-only" in text:
            raise UserError(
                "The database cannot be written. Choose a file you can write to."
            ) from exc
        if "locked" in text or "busy" in text:
            raise UserError(
                "The database is busy in another program. Close it there and try again."
            ) from exc
        if path is None and parsed.get_backend_name() != "sqlite":
            from cspdesk.services.connection import server_error, settings_from_url

            raise server_error(exc, settings_from_url(url)) from exc
        if "could not connect" in text or "connection" in text:
            raise UserError(
                "The database server cannot be reached. Check the connection settings "
                "and your network, then try again."
            ) from exc
        raise UserError(
            "The database could not be opened. Restore it from a backup, or choose another file."
        ) from exc
    return db


def check_intact(path: Path) -> None:
    """Refuse a damaged SQLite file before anything writes to it: ``PRAGMA quick_check``
    through a read-only connection (O(size) but no index cross-checks, so it stays fast on
    big files; ``cspdesk info`` runs the full ``integrity_check``)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = [r[0] for r in conn.execute("PRAGMA quick_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        result = [str(exc)]
    if result != ["ok"]:
        log.error("quick_check of %s failed: %s", path, "; ".join(map(str, result[:20])))
        raise NotADatabaseError(
            f"{path.name} is damaged. Restore it from one of its backups (Restore from a "
            "backup…, or cspdesk restore BACKUP), or choose another file.")


def _storage_error(context: ExceptionContext) -> None:
    """Turn a write the storage refused into one clear sentence (disk full, read-only)."""
    text_ = str(context.original_exception).lower()
    if "disk is full" in text_ or "no space left" in text_:
        log.error("storage full: %s", context.original_exception)
        raise UserError("The disk is full, so the change was not saved. "
                        "Free some space and try again.") from context.original_exception
    if "attempt to write a readonly database" in text_:
        log.error("read-only storage: %s", context.original_exception)
        raise ReadOnlyDatabaseError(
            "The database cannot be written, so the change was not saved. Check that the "
            "file and its folder can be written, or open it read-only.",
        ) from context.original_exception
