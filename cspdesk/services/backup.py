"""Backups of an SQLite database with the online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cspdesk import clock, config
from cspdesk.db.engine import Database


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy a live SQLite file consistently (online backup API) to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def backup_before_change(db: Database, reason: str) -> Path | None:
    """Keep a copy of the database before a schema upgrade or restore."""
    path = db.path
    if path is None or not path.exists():
        return None
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    target = config.backups_dir_for(path) / f"{path.stem}-{stamp}-{reason}.sqlite"
    return backup_sqlite(path, target)
