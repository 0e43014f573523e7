"""Clear failures: each broken file gives one sentence, a non-zero exit, no change to the file,
and the details in the log file of the data folder."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text

from cspdesk.errors import ReadOnlyDatabaseError, UserError
from cspdesk.services import people
from cspdesk.services.database import open_database

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _with_people(path: Path, n: int = 300) -> Path:
    db = open_database(f"sqlite:///{path}")
    for i in range(0, n, 50):
        with db.session() as s:
            s.execute(text("INSERT INTO person (name, notes, version) VALUES "
                           + ",".join(f"('Person {i + j}', '{'n' * 200}', 1)"
                                      for j in range(50))))
    db.dispose()
    conn = sqlite3.connect(path)  # fold the WAL in, so the file alone holds everything
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    assert not Path(f"{path}-wal").exists()
    return path


def _refused(run_cli, path: Path, *expected: str, command: str = "info") -> str:
    before = path.read_bytes() if path.is_file() else None
    code, out = run_cli("--db", str(path), command)
    assert code == 2, out
    assert "Traceback" not in out
    for word in expected:
        assert word in out
    if before is not None:
        assert path.read_bytes() == before, "the file was changed"
    assert not Path(f"{path}-wal").exists()
    return out


def test_text_file_is_not_a_database(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("Minutes of the meeting\n" * 50, encoding="utf-8")
    _refused(run_cli, path, "is not a cspdesk database", "Choose another file")


def test_truncated_file_is_damaged(db_file: Path, run_cli, data_home: Path) -> None:
    data = _with_people(db_file).read_bytes()
    db_file.write_bytes(data[: len(data) // 2])
    _refused(run_cli, db_file, "damaged", "Restore it from a backup")
    assert "csp.sqlite" in (data_home / "cspdesk.log").read_text(encoding="utf-8")


def test_garbled_pages_are_damaged(db_file: Path, run_cli) -> None:
    data = bytearray(_with_people(db_file).read_bytes())
    for offset in range(4096 * 3, len(data) - 4096, 4096 * 2):
        data[offset + 8: offset + 200] = os.urandom(192)
    db_file.write_bytes(bytes(data))
    _refused(run_cli, db_file, "damaged")


def test_newer_version_is_refused(db_file: Path, run_cli) -> None:
    conn = sqlite3.connect(db_file)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    _refused(run_cli, db_file, "newer version of cspdesk")


def test_missing_folder(tmp_path: Path, run_cli) -> None:
    _refused(run_cli, tmp_path / "gone" / "csp.sqlite", "does not exist", command="demo")


def test_missing_file_for_a_command(tmp_path: Path, run_cli) -> None:
    _refused(run_cli, tmp_path / "csp.sqlite", "There is no database", command="backup")


@pytest.mark.skipif(AS_ROOT, reason="root can write read-only files; see the mode=ro test")
def test_read_only_file_and_folder(db_file: Path, run_cli) -> None:
    db_file.chmod(stat.S_IRUSR)
    try:
        _refused(run_cli, db_file, "read-only")
    finally:
        db_file.chmod(stat.S_IRUSR | stat.S_IWUSR)
    db_file.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        _refused(run_cli, db_file, "read-only")
    finally:
        db_file.parent.chmod(stat.S_IRWXU)


def test_write_refused_by_a_read_only_connection_is_one_sentence(db_file: Path) -> None:
    db = open_database(f"sqlite:///{db_file}", read_only=True)
    try:
        with pytest.raises(ReadOnlyDatabaseError, match="cannot be written"), \
                db.engine.begin() as conn:
            conn.execute(text("INSERT INTO person (name, version) VALUES ('X', 1)"))
        with pytest.raises(UserError, match="read-only"):
            people.add_person(db, people.PersonInput(name="Nobody"))
    finally:
        db.dispose()


@pytest.fixture
def tiny_disk() -> Iterator[None]:
    """Every new SQLite connection may grow its file by a few pages only (SQLITE_FULL)."""

    def limit(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages + 3}")
        cursor.close()

    event.listen(Engine, "connect", limit)
    yield
    event.remove(Engine, "connect", limit)


def test_disk_full_during_a_save(db_file: Path, tiny_disk) -> None:
    db = open_database(f"sqlite:///{db_file}")
    saved = []
    try:
        with pytest.raises(UserError, match="disk is full") as caught:
            for i in range(2000):
                saved.append(people.add_person(db, people.PersonInput(
                    name=f"Person {i}", notes="n" * 2000)).id)
        assert "change was not saved" in caught.value.message
    finally:
        db.dispose()
    assert saved, "nothing was written before the disk filled"
    conn = sqlite3.connect(db_file)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {r[0] for r in conn.execute("SELECT id FROM person")} == set(saved)
    conn.close()


def test_disk_full_in_the_cli(tmp_path: Path, run_cli, tiny_disk) -> None:
    code, out = run_cli("--db", str(tmp_path / "new.sqlite"), "demo")
    assert code == 2
    assert "disk is full" in out and "Traceback" not in out
