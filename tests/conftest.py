"""Shared fixtures: offscreen Qt, a private data folder, real migrated databases per test."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("CSPDESK_HOME", tempfile.mkdtemp(prefix="cspdesk-home-"))
os.environ.pop("CSPDESK_DATABASE_URL", None)

import pytest  # noqa: E402

from cspdesk import clock  # noqa: E402
from cspdesk.db.engine import Database  # noqa: E402
from cspdesk.services.backup import backup_sqlite  # noqa: E402
from cspdesk.services.database import open_database  # noqa: E402


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("templates")


@pytest.fixture(scope="session")
def empty_template(template_dir: Path) -> Path:
    path = template_dir / "empty.sqlite"
    db = open_database(_sqlite_url(path))
    db.dispose()
    return path


@pytest.fixture(scope="session")
def demo_template(template_dir: Path) -> Path:
    from cspdesk.services.demo import load_demo

    path = template_dir / "demo.sqlite"
    db = open_database(_sqlite_url(path))
    load_demo(db)
    db.dispose()
    return path


def _open_copy(template: Path, target: Path) -> Database:
    backup_sqlite(template, target)
    files = template.parent / f"{template.stem}-files"  # attachments stored beside the file
    if files.is_dir():
        shutil.copytree(files, target.parent / f"{target.stem}-files", dirs_exist_ok=True)
    return open_database(_sqlite_url(target))


@pytest.fixture
def db(empty_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated, empty SQLite database file."""
    database = _open_copy(empty_template, tmp_path / "test.sqlite")
    yield database
    database.dispose()


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh copy of the demo database."""
    database = _open_copy(demo_template, tmp_path / "demo.sqlite")
    yield database
    database.dispose()


@pytest.fixture
def fixed_today() -> Iterator[dt.date]:
    """Fix the clock at 20 Feb 2020, 09:00 (before the South Cambs meeting of 27 Feb 2020)."""
    day = dt.date(2020, 2, 20)
    clock.set_clock(dt.datetime(2020, 2, 20, 9, 0))
    yield day
    clock.set_clock(None)


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private CSPDESK_HOME for tests that touch the default data folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CSPDESK_HOME", str(home))
    return home


def copy_file(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    return dst
