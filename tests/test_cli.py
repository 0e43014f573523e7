"""The `cspdesk` command: demo, info, version, and one clear sentence for files it cannot use."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from cspdesk import __version__


def run(*args: str, env: dict[str, str] | None = None,
        user: int | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    if "CSPDESK_DATABASE_URL" not in (env or {}):
        environ.pop("CSPDESK_DATABASE_URL", None)
    command = [sys.executable, "-m", "cspdesk", *args]
    if user is not None:
        command = ["setpriv", "--reuid", str(user), "--regid", str(user), "--clear-groups",
                   *command]
    return subprocess.run(command, capture_output=True, text=True, env=environ, timeout=120)


def one_sentence(result: subprocess.CompletedProcess[str]) -> str:
    """The user sees one line, no traceback."""
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("cspdesk: ")
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "x.sqlite"
    result = run("demo", "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert f"Demo database created at {path}" in result.stdout
    return path


def test_demo_creates_the_three_boards_and_their_members(demo_file: Path) -> None:
    with sqlite3.connect(demo_file) as conn:
        boards = {r[0] for r in conn.execute("select name from board")}
        members = dict(conn.execute(
            "select b.name, count(*) from membership m join board b on b.id = m.board_id "
            "group by b.name").fetchall())
    conn.close()
    assert len(boards) == 3
    assert any("South Cambridgeshire" in b for b in boards)
    assert "Cambridge Community Safety Partnership Board" in boards
    assert any("Countywide" in b for b in boards)
    assert all(members.get(b, 0) >= 10 for b in boards), members


def test_demo_has_a_sample_current_year_unless_packs_only(demo_file: Path,
                                                         tmp_path: Path) -> None:
    packs_only = tmp_path / "packs.sqlite"
    assert run("demo", "--db", str(packs_only), "--packs-only").returncode == 0
    query = "select count(*) from meeting where date > date('now')"
    with sqlite3.connect(demo_file) as conn, sqlite3.connect(packs_only) as bare:
        assert conn.execute(query).fetchone() == (1,)  # the next South Cambs board meeting
        assert bare.execute(query).fetchone() == (0,)
    conn.close()
    bare.close()


def test_info_prints_location_schema_integrity_and_counts(demo_file: Path) -> None:
    result = run("--db", str(demo_file), "info")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Database:   {demo_file}" in out
    assert "Integrity:  ok" in out
    assert "Schema:" in out and "this build knows up to" in out
    assert "3 board" in out and "63 isa party" in out  # counts per area and table
    assert "People and organisations:" in out


def test_info_answers_while_another_copy_has_the_file_open(demo_file: Path,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "open.sqlite"
    shutil.copyfile(demo_file, path)
    lock = path.with_name("open.sqlite.lock")
    lock.write_text(json.dumps({"user": "jo", "machine": socket.gethostname(),
                                "pid": os.getpid(), "since": "2026-11-30T09:00:00"}))
    before = digest(path)
    result = run("--db", str(path), "info")
    assert result.returncode == 0, result.stderr
    assert "Integrity:  ok" in result.stdout and "63 isa party" in result.stdout
    assert digest(path) == before and lock.exists()  # read only: no backup, lock untouched
    assert not (tmp_path / "backups").exists()


def test_demo_refuses_to_overwrite_real_data_without_force(demo_file: Path,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "real.sqlite"
    shutil.copyfile(demo_file, path)
    with sqlite3.connect(path) as conn:  # make it someone's real data
        conn.execute("delete from app_setting")
    conn.close()
    before = digest(path)
    result = run("demo", "--db", str(path))
    assert result.returncode == 2
    assert "holds real data" in one_sentence(result)
    assert digest(path) == before
    # another running copy has it open: refused even with --force, file untouched
    lock = path.with_name("real.sqlite.lock")
    lock.write_text(json.dumps({"user": "jo", "machine": socket.gethostname(),
                                "pid": os.getpid(), "since": "2026-11-30T09:00:00"}))
    result = run("demo", "--db", str(path), "--force")
    assert result.returncode == 2 and "jo" in one_sentence(result)
    assert digest(path) == before
    lock.unlink()
    # --force replaces it, but keeps a copy of the real data first
    forced = run("demo", "--db", str(path), "--force")
    assert forced.returncode == 0
    kept = list((tmp_path / "backups").glob("real-*-before-demo.sqlite"))
    assert len(kept) == 1 and f"kept at {kept[0]}" in forced.stdout
    with sqlite3.connect(kept[0]) as conn:
        assert conn.execute("select count(*) from app_setting").fetchone() == (0,)
        assert conn.execute("select count(*) from person").fetchone()[0] > 100
    conn.close()
    assert not lock.exists()


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == f"cspdesk {__version__}"
    help_text = run("--help").stdout
    for command in ("demo", "info", "import", "export"):
        assert command in help_text


def test_the_environment_url_wins_over_db(demo_file: Path, tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "elsewhere.sqlite"), "info",
                 env={"CSPDESK_DATABASE_URL": f"sqlite:///{demo_file}"})
    assert result.returncode == 0, result.stderr
    assert str(demo_file) in result.stdout


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "minutes.sqlite"
    path.write_text("Minutes of the meeting held on 27 February 2020\n")
    before = digest(path)
    result = run("--db", str(path), "info")
    assert result.returncode != 0
    assert "not a cspdesk database" in one_sentence(result)
    assert digest(path) == before


def test_a_database_from_a_newer_version(demo_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    shutil.copyfile(demo_file, path)
    with sqlite3.connect(path) as conn:
        conn.execute("update alembic_version set version_num = '9999_future'")
    conn.close()
    before = digest(path)
    result = run("--db", str(path), "info")
    assert result.returncode != 0
    assert "newer version of cspdesk" in one_sentence(result)
    assert digest(path) == before


def test_a_read_only_file(demo_file: Path) -> None:
    # root ignores file modes, so run the command as an unprivileged user when we are root
    user = 65534 if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="cspdesk-ro-"))
    try:
        folder.chmod(0o755)
        path = folder / "readonly.sqlite"
        shutil.copyfile(demo_file, path)
        path.chmod(0o444)
        before = digest(path)
        home = folder / "home"
        home.mkdir(mode=0o777)
        home.chmod(0o777)
        result = run("--db", str(path), "info", env={"CSPDESK_HOME": str(home)}, user=user)
        assert result.returncode != 0
        assert "read-only" in one_sentence(result)
        assert digest(path) == before
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_missing_file_is_not_created_by_info(tmp_path: Path) -> None:
    path = tmp_path / "typo.sqlite"
    result = run("--db", str(path), "info")
    assert result.returncode != 0
    assert "There is no database at" in one_sentence(result)
    assert not path.exists()
