"""Fixtures for the data-safety tests: SQLite database files on disk, the CLI in-process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cspdesk.services.backup import backup_sqlite
from tests.conftest import ON_POSTGRES


@pytest.fixture
def db_file(empty_template: Path, tmp_path: Path) -> Path:
    """A migrated, empty SQLite database file (closed)."""
    if ON_POSTGRES:
        pytest.skip("SQLite file test (backups, lock files, damaged files) on PostgreSQL")
    path = tmp_path / "data" / "csp.sqlite"
    path.parent.mkdir()
    backup_sqlite(empty_template, path)
    return path


@pytest.fixture
def run_cli(data_home: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str]]:
    """Run ``cspdesk ARGS`` in this process; returns (exit code, stdout + stderr)."""
    from cspdesk.__main__ import main

    def run(*argv: str) -> tuple[int, str]:
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out + out.err

    return run


@pytest.fixture
def no_locks() -> Iterator[None]:
    """Release any lock this process still holds after the test."""
    yield
    from cspdesk.services.lock import release_all

    release_all()
