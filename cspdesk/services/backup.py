"""Backups of an SQLite database with the online backup API: daily, before changes, rotation,
listing and restore. Server databases (``db.path is None``) are backed up by their server."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cspdesk import clock, config
from cspdesk.db.engine import Database
from cspdesk.errors import NotADatabaseError, UserError

log = logging.getLogger(__name__)

#: how many recent backups rotation always keeps
KEEP_RECENT = 10
#: months for which rotation keeps the newest backup of each month
KEEP_MONTHS = 12
STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as the restore list shows it."""

    path: Path
    at: dt.datetime
    reason: str
    size: int


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy a live SQLite file consistently (online backup API) to ``target``.

    The copy is written to a temporary name first, so an interrupted backup never looks
    like a finished one.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(part)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # a lone file, no -wal beside it
        finally:
            dst.close()
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    os.replace(part, target)
    return target


def _pattern(stem: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(stem)}-(\d{{8}}-\d{{6}})-([\w.-]+)\.sqlite$")


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Backups of the database file ``db_path``, newest first."""
    folder = config.backups_dir_for(db_path)
    if not folder.is_dir():
        return []
    pattern = _pattern(db_path.stem)
    found = []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if match and entry.is_file():
            at = dt.datetime.strptime(match.group(1), STAMP)
            found.append(BackupInfo(entry, at, match.group(2), entry.stat().st_size))
    return sorted(found, key=lambda b: (b.at, b.path.name), reverse=True)


def backup_file(db_path: Path, reason: str, *, rotate_after: bool = True) -> Path:
    """Back up ``db_path`` now into its ``backups`` folder, then rotate; returns the copy."""
    stamp = clock.now().strftime(STAMP)
    target = config.backups_dir_for(db_path) / f"{db_path.stem}-{stamp}-{reason}.sqlite"
    n = 1
    while target.exists():
        n += 1
        target = target.with_name(f"{db_path.stem}-{stamp}-{reason}.{n}.sqlite")
    try:
        backup_sqlite(db_path, target)
    except (OSError, sqlite3.Error) as exc:
        log.exception("backup of %s to %s failed", db_path, target)
        raise UserError(_storage_sentence(exc, f"The backup of {db_path.name} failed")) from exc
    if rotate_after:
        rotate(db_path)
    return target


def _storage_sentence(exc: BaseException, what: str) -> str:
    text = str(exc).lower()
    if getattr(exc, "errno", None) == 28 or "disk is full" in text or "no space" in text:
        return f"{what} because the disk is full. Free some space and try again."
    if isinstance(exc, PermissionError) or "readonly" in text or "read-only" in text:
        return f"{what} because the folder cannot be written. Check its permissions."
    return f"{what}; details are in {config.log_path()}."


def backup_before_change(db: Database, reason: str) -> Path | None:
    """Keep a copy of the database before a schema upgrade or restore."""
    path = db.path
    if path is None or not path.exists():
        return None
    return backup_file(path, reason)


def daily_backup(db: Database) -> Path | None:
    """Back up the open database unless a backup was already made today (SQLite only).

    A failure to back up is logged and does not stop the app from opening the database; its
    sentence is kept in ``db.backup_problem`` so the officer can be told.
    """
    path = db.path
    if path is None or db.read_only or not path.exists():
        return None
    today = clock.today()
    if any(b.at.date() == today for b in list_backups(path)):
        return None
    try:
        return backup_file(path, "daily")
    except UserError as exc:
        db.backup_problem = exc.message
        return None


def to_keep(backups: list[BackupInfo], today: dt.date) -> set[Path]:
    """The backups rotation keeps: the newest ``KEEP_RECENT`` and the newest of each of the
    last ``KEEP_MONTHS`` months."""
    ordered = sorted(backups, key=lambda b: (b.at, b.path.name), reverse=True)
    keep = {b.path for b in ordered[:KEEP_RECENT]}
    oldest_month = today.year * 12 + today.month - KEEP_MONTHS
    months: set[tuple[int, int]] = set()
    for b in ordered:
        month = (b.at.year, b.at.month)
        if b.at.year * 12 + b.at.month > oldest_month and month not in months:
            months.add(month)
            keep.add(b.path)
    return keep


def rotate(db_path: Path) -> list[Path]:
    """Delete backups that rotation does not keep; returns the deleted files."""
    backups = list_backups(db_path)
    keep = to_keep(backups, clock.today())
    removed = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def check_backup(source: Path) -> None:
    """Refuse a backup that is not an intact cspdesk database this version can open."""
    from cspdesk.db.engine import SQLITE_HEADER

    if not source.is_file():
        raise UserError(f"There is no backup at {source}. Choose another backup.")
    with source.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise NotADatabaseError(f"{source.name} is not a cspdesk backup. "
                                    "Choose another backup.")
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            revision = (conn.execute("SELECT version_num FROM alembic_version").fetchone()
                        if "alembic_version" in tables else None)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise NotADatabaseError(f"{source.name} is damaged. Choose another backup.") from exc
    if result != "ok":
        raise NotADatabaseError(f"{source.name} is damaged. Choose another backup.")
    if revision is None:
        raise NotADatabaseError(f"{source.name} is not a cspdesk backup. Choose another backup.")
    from alembic.script import ScriptDirectory

    from cspdesk.db.migrate import alembic_config

    known = {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if revision[0] not in known:
        raise UserError(f"{source.name} was saved by a newer version of cspdesk. "
                        "Install the newer version, or choose another backup.")


def _damaged(path: Path) -> bool:
    """SQLite cannot read the file as a database (its pages, not the disk, are at fault)."""
    from cspdesk.services.database import check_intact

    try:
        check_intact(path)
    except NotADatabaseError:
        return True
    return False


def _replace_damaged(db_path: Path, source: Path) -> Path:
    """Restore over a damaged file: keep its bytes as they are (the backup API cannot read
    it), then put a fresh copy of ``source`` in its place. Returns the kept copy."""
    stamp = clock.now().strftime(STAMP)
    kept = config.backups_dir_for(db_path) / f"{db_path.stem}-{stamp}-damaged.sqlite"
    fresh = db_path.with_name(db_path.name + ".restoring")
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(db_path, kept)
        backup_sqlite(source, fresh)
        for suffix in ("-wal", "-shm", "-journal"):  # they belong to the damaged file
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        os.replace(fresh, db_path)
    except (OSError, sqlite3.Error) as exc:
        fresh.unlink(missing_ok=True)
        log.exception("restore of damaged %s from %s failed", db_path, source)
        raise UserError(_storage_sentence(exc, f"{db_path.name} could not be restored")) from exc
    log.info("restored damaged %s from %s (damaged copy %s)", db_path, source, kept)
    return kept


def restore(db_path: Path, source: Path) -> Path | None:
    """Replace the database file with the backup ``source``, keeping a copy of the current
    file first (returned). No connection to ``db_path`` may be open: dispose the engine first.
    """
    check_backup(source)
    kept = None
    if db_path.exists():
        try:
            kept = backup_file(db_path, "before-restore", rotate_after=False)
        except UserError:
            if not _damaged(db_path):
                raise
            return _replace_damaged(db_path, source)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(db_path)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except (OSError, sqlite3.Error) as exc:
        log.exception("restore of %s from %s failed", db_path, source)
        sentence = _storage_sentence(exc, f"{db_path.name} could not be restored")
        if kept is not None:
            sentence += f" The previous file is kept as {kept}."
        raise UserError(sentence) from exc
    log.info("restored %s from %s (previous copy %s)", db_path, source, kept)
    rotate(db_path)
    return kept
