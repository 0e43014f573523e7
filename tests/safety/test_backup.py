"""Backups: daily and manual copies, rotation, listing, restore (service, CLI)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from cspdesk import clock
from cspdesk.errors import UserError
from cspdesk.services import backup, people
from cspdesk.services.database import open_database


def _names(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM person")}
    finally:
        conn.close()


def _add(path: Path, name: str) -> None:
    db = open_database(f"sqlite:///{path}")
    try:
        people.add_person(db, people.PersonInput(name=name))
    finally:
        db.dispose()


def test_daily_backup_once_a_day_beside_the_data(db_file: Path) -> None:
    clock.set_clock(dt.datetime(2021, 3, 1, 9, 0))
    try:
        db = open_database(f"sqlite:///{db_file}")
        first = backup.daily_backup(db)
        assert first is not None and first.parent == db_file.parent / "backups"
        clock.set_clock(dt.datetime(2021, 3, 1, 17, 0))
        assert backup.daily_backup(db) is None
        clock.set_clock(dt.datetime(2021, 3, 2, 8, 0))
        assert backup.daily_backup(db) is not None
        db.dispose()
    finally:
        clock.set_clock(None)
    listed = backup.list_backups(db_file)
    assert [b.at.date() for b in listed] == [dt.date(2021, 3, 2), dt.date(2021, 3, 1)]
    assert all(b.size > 0 and b.reason == "daily" for b in listed)
    assert not list((db_file.parent / "backups").glob("*-wal"))


def test_rotation_keeps_last_ten_and_one_per_month_for_a_year() -> None:
    start = dt.datetime(2020, 1, 1, 9, 0)
    infos = [backup.BackupInfo(Path(f"b{i:03}.sqlite"), start + dt.timedelta(days=5 * i),
                               "daily", 1) for i in range(120)]  # 20 months
    today = infos[-1].at.date()
    kept = backup.to_keep(infos, today)
    newest = {b.path for b in infos[-10:]}
    assert newest <= kept
    months = {(b.at.year, b.at.month) for b in infos if b.path in kept}
    assert len(months) == 12
    oldest_kept = min(b.at for b in infos if b.path in kept)
    assert (today - oldest_kept.date()).days < 366
    assert len(kept) < 25


def test_rotation_deletes_files(db_file: Path) -> None:
    for day in range(1, 16):
        clock.set_clock(dt.datetime(2021, 5, day, 9, 0))
        backup.backup_file(db_file, "daily")
    clock.set_clock(None)
    files = backup.list_backups(db_file)
    assert len(files) == 10
    assert files[0].at.day == 15 and files[-1].at.day == 6


def test_restore_brings_back_data_and_keeps_current_copy(db_file: Path) -> None:
    _add(db_file, "Before Backup")
    saved = backup.backup_file(db_file, "manual")
    _add(db_file, "After Backup")
    kept = backup.restore(db_file, saved)
    assert _names(db_file) == {"Before Backup"}
    assert kept is not None and _names(kept) == {"Before Backup", "After Backup"}
    db = open_database(f"sqlite:///{db_file}")  # opens normally afterwards
    db.dispose()


def test_restore_refuses_a_damaged_backup_and_changes_nothing(db_file: Path) -> None:
    _add(db_file, "Keep Me")
    bad = db_file.parent / "bad.sqlite"
    good = backup.backup_file(db_file, "manual")
    bad.write_bytes(good.read_bytes()[:20_000])
    before = db_file.read_bytes()
    with pytest.raises(UserError, match="damaged"):
        backup.restore(db_file, bad)
    assert db_file.read_bytes() == before


def test_cli_backup_list_and_restore(db_file: Path, run_cli, no_locks) -> None:
    _add(db_file, "Alpha Person")
    code, out = run_cli("--db", str(db_file), "backup")
    assert code == 0 and "Backed up" in out
    code, out = run_cli("--db", str(db_file), "backup", "--list")
    assert code == 0 and "manual" in out and "KB" in out
    copy = backup.list_backups(db_file)[0].path
    _add(db_file, "Beta Person")
    code, out = run_cli("--db", str(db_file), "restore", str(copy), "--yes")
    assert code == 0, out
    assert "kept as" in out
    assert _names(db_file) == {"Alpha Person"}
    code, out = run_cli("--db", str(db_file), "restore", str(db_file.parent / "nope.sqlite"),
                        "--yes")
    assert code == 2 and "There is no backup" in out
