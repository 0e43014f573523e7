"""Crash safety: SIGKILL a process writing through the services at random moments; after each
kill the database is intact and holds every change the process reported as committed."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cspdesk.services.backup import backup_sqlite
from cspdesk.services.database import open_database

pytestmark = [pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL"),
              pytest.mark.sqlite_only(reason="SQLite's journal after SIGKILL")]

KILLS = 22
ROOT = Path(__file__).resolve().parents[2]


def _check(path: Path, committed: dict[str, set], versions: dict[int, int]) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        people = dict(conn.execute("SELECT id, version FROM person"))
        orgs = {r[0] for r in conn.execute("SELECT id FROM organisation")}
    finally:
        conn.close()
    assert committed["person"] <= people.keys(), "a committed person is missing"
    assert committed["org"] <= orgs, "a committed organisation is missing"
    for pid, version in versions.items():
        assert people[pid] >= version, f"committed update of person {pid} is missing"


def test_sigkill_loses_no_committed_change(empty_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite"
    backup_sqlite(empty_template, path)
    url = f"sqlite:///{path}"
    rng = random.Random(7)
    committed: dict[str, set] = {"person": set(), "org": set()}
    versions: dict[int, int] = {}
    proc = subprocess.Popen([sys.executable, "-m", "tests.safety.crash_writer", url],
                            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            bufsize=1)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        assert proc.stdout.readline().strip() == "ready"
        kills_mid_stream = 0
        for _ in range(KILLS):
            proc.stdin.write("go\n")
            proc.stdin.flush()
            kind, child = proc.stdout.readline().split()
            assert kind == "child"
            time.sleep(rng.uniform(0.02, 0.4))
            os.kill(int(child), signal.SIGKILL)
            seen = 0
            for line in proc.stdout:
                word, *rest = line.split()
                if word == "done":
                    break
                seen += 1
                if word == "update":
                    versions[int(rest[0])] = int(rest[1])
                else:
                    committed[word].add(int(rest[0]))
            kills_mid_stream += seen > 0
            _check(path, committed, versions)
        assert kills_mid_stream >= KILLS // 2, "the writer was rarely killed mid-stream"
        assert len(committed["person"]) > 20
    finally:
        proc.kill()
        proc.wait()
    db = open_database(url)  # the app opens it normally afterwards
    db.dispose()
