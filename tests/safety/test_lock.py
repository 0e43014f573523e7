"""Two copies at once: the lock file names who has the database open; stale locks recover."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cspdesk.services import lock


def _foreign_lock(db_file: Path, pid: int, machine: str | None = None) -> None:
    lock.lock_path(db_file).write_text(json.dumps({
        "user": "jo.bloggs", "machine": machine or lock.machine_name(), "pid": pid,
        "since": "2020-02-20T09:00:00"}), encoding="utf-8")


@pytest.fixture
def other_process():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc
    proc.kill()
    proc.wait()


def test_open_takes_and_exit_releases_the_lock(db_file: Path, no_locks) -> None:
    db = lock.open_for_writing(f"sqlite:///{db_file}")
    held = lock.read_lock(db_file)
    assert held is not None and held.pid == os.getpid() and held.user == lock.current_user()
    db.dispose()
    lock.release_all()
    assert not lock.lock_path(db_file).exists()


def test_second_opener_is_told_who_has_it(db_file: Path, other_process, no_locks) -> None:
    _foreign_lock(db_file, other_process.pid)
    with pytest.raises(lock.DatabaseLockedError) as caught:
        lock.open_for_writing(f"sqlite:///{db_file}")
    assert "Opened by jo.bloggs on" in caught.value.message
    assert "since 20 Feb 2020 09:00" in caught.value.message
    assert lock.read_lock(db_file).pid == other_process.pid  # untouched


def test_other_machine_lock_is_respected_but_can_be_forced(db_file: Path, no_locks) -> None:
    _foreign_lock(db_file, 999_999, machine="OTHER-LAPTOP")
    with pytest.raises(lock.DatabaseLockedError, match="OTHER-LAPTOP"):
        lock.open_for_writing(f"sqlite:///{db_file}")
    db = lock.open_for_writing(f"sqlite:///{db_file}", force=True)
    assert lock.read_lock(db_file).machine == lock.machine_name()
    db.dispose()


def test_stale_lock_is_recovered_silently(db_file: Path, no_locks) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    _foreign_lock(db_file, proc.pid)
    db = lock.open_for_writing(f"sqlite:///{db_file}")
    assert lock.read_lock(db_file).pid == os.getpid()
    db.dispose()


def test_garbled_lock_file_is_replaced(db_file: Path, no_locks) -> None:
    lock.lock_path(db_file).write_bytes(b"\x00{not json")
    db = lock.open_for_writing(f"sqlite:///{db_file}")
    assert lock.read_lock(db_file).pid == os.getpid()
    db.dispose()


def test_cli_write_command_refuses_while_locked(db_file: Path, other_process, run_cli,
                                                no_locks) -> None:
    _foreign_lock(db_file, other_process.pid)
    before = db_file.read_bytes()
    code, out = run_cli("demo", "--db", str(db_file), "--force")
    assert code == 2
    assert "Opened by jo.bloggs" in out
    assert db_file.read_bytes() == before
    backups = db_file.parent / "backups"
    assert not backups.exists() or not any(backups.iterdir())
    # info only reads, so it still answers (support asks for it while the app is open)
    code, out = run_cli("--db", str(db_file), "info")
    assert code == 0 and "Integrity:  ok" in out
    assert db_file.read_bytes() == before


def test_read_only_open_ignores_the_lock(db_file: Path, other_process) -> None:
    from cspdesk.services.database import open_database
    from cspdesk.services.people import list_people

    _foreign_lock(db_file, other_process.pid)
    db = open_database(f"sqlite:///{db_file}", read_only=True)
    assert list_people(db) == []
    db.dispose()
