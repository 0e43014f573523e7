"""Shared fixtures: offscreen Qt, a private data folder, real migrated databases per test.

With ``CSPDESK_TEST_DATABASE_URL`` set to a PostgreSQL server URL (a role that may create
databases), ``db`` and ``demo_db`` are fresh PostgreSQL databases made from templates that are
migrated (and demo-loaded) once per session; otherwise they are fresh SQLite files.
Tests marked ``sqlite_only`` are skipped on PostgreSQL; tests marked ``postgres`` need the server.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("CSPDESK_HOME", tempfile.mkdtemp(prefix="cspdesk-home-"))
os.environ.pop("CSPDESK_DATABASE_URL", None)

import pytest  # noqa: E402
from sqlalchemy import Connection, Engine, create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from cspdesk import clock  # noqa: E402
from cspdesk.db.engine import Database, files_dir_for_url  # noqa: E402
from cspdesk.services.backup import backup_sqlite  # noqa: E402
from cspdesk.services.database import open_database  # noqa: E402

#: the PostgreSQL server the suite runs on, or None for SQLite files
SERVER_URL = os.environ.get("CSPDESK_TEST_DATABASE_URL") or None
ON_POSTGRES = SERVER_URL is not None
#: per-session prefix, so that several test runs can share one server
PREFIX = f"cspt{os.getpid()}_"
_counter = itertools.count(1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): an SQLite-file test (backups, lock files, WAL); "
        "skipped when the suite runs on PostgreSQL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if ON_POSTGRES and marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite file test: {reason}".strip(": ")))
        if not ON_POSTGRES and item.get_closest_marker("postgres") is not None:
            item.add_marker(pytest.mark.skip(reason="set CSPDESK_TEST_DATABASE_URL to a "
                                             "PostgreSQL server to run this test"))


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


# ------------------------------------------------------------------ PostgreSQL server helpers

def server_url(name: str) -> str:
    """URL of database ``name`` on the test server."""
    assert SERVER_URL is not None
    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine | None]:
    """An autocommit engine on the server's maintenance database (None on SQLite)."""
    if SERVER_URL is None:
        yield None
        return
    engine = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT", poolclass=None)
    yield engine
    with engine.connect() as conn:
        names = conn.scalars(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                             {"p": PREFIX + "%"}).all()
        for name in names:
            _drop_database(conn, name, attempts=20)
    engine.dispose()


def _drop_database(conn: Connection, name: str, attempts: int = 10) -> None:
    """DROP DATABASE … WITH (FORCE), retried: the server's autovacuum may have a worker in a
    freshly made database, which a role without pg_signal_backend may not terminate. A database
    still there after the retries is left for the session-end sweep."""
    from sqlalchemy.exc import DBAPIError

    for attempt in range(attempts):
        try:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError:
            time.sleep(0.1 * (attempt + 1))
    warnings.warn(f"could not drop test database {name}", stacklevel=2)


def _create_pg(admin: Engine, name: str, template: str | None = None) -> str:
    with admin.connect() as conn:
        clause = f' TEMPLATE "{template}"' if template else ""
        conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
    url = server_url(name)
    if template:
        source = files_dir_for_url(server_url(template))
        if source.is_dir():
            shutil.copytree(source, files_dir_for_url(url), dirs_exist_ok=True)
    return url


def _drop_pg(admin: Engine, name: str) -> None:
    with admin.connect() as conn:
        _drop_database(conn, name)
    shutil.rmtree(files_dir_for_url(server_url(name)), ignore_errors=True)


@pytest.fixture
def new_server_db(pg_admin: Engine | None) -> Iterator[Callable[[], str]]:
    """Factory of empty (unmigrated) PostgreSQL databases, dropped after the test."""
    if pg_admin is None:
        pytest.skip("needs CSPDESK_TEST_DATABASE_URL (a PostgreSQL server)")
    made: list[str] = []

    def make() -> str:
        name = f"{PREFIX}{next(_counter)}"
        made.append(name)
        return _create_pg(pg_admin, name)

    yield make
    for name in made:
        _drop_pg(pg_admin, name)


# ------------------------------------------------------------------ templates

@pytest.fixture(scope="session")
def template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("templates")


@pytest.fixture(scope="session")
def empty_template(template_dir: Path, pg_admin: Engine | None) -> Path | str:
    """The migrated empty template: an SQLite file, or a server database name."""
    if pg_admin is not None:
        name = f"{PREFIX}tpl_empty"
        open_database(_create_pg(pg_admin, name)).dispose()
        return name
    path = template_dir / "empty.sqlite"
    db = open_database(_sqlite_url(path))
    db.dispose()
    return path


@pytest.fixture(scope="session")
def demo_template(template_dir: Path, pg_admin: Engine | None) -> Path | str:
    """The demo template: an SQLite file, or a server database name."""
    from cspdesk.services.demo import load_demo

    if pg_admin is not None:
        name = f"{PREFIX}tpl_demo"
        db = open_database(_create_pg(pg_admin, name))
        load_demo(db)
        db.dispose()
        return name
    path = template_dir / "demo.sqlite"
    db = open_database(_sqlite_url(path))
    load_demo(db)
    db.dispose()
    return path


def _open_copy(template: Path, target: Path) -> Database:
    """Open a copy of an SQLite template (with its attachments folder) at ``target``."""
    backup_sqlite(template, target)
    files = template.parent / f"{template.stem}-files"  # attachments stored beside the file
    if files.is_dir():
        shutil.copytree(files, target.parent / f"{target.stem}-files", dirs_exist_ok=True)
    return open_database(_sqlite_url(target))


def _fresh(template: Path | str, pg_admin: Engine | None, target: Path) -> Iterator[Database]:
    if isinstance(template, Path):
        database = _open_copy(template, target)
        yield database
        database.dispose()
        return
    assert pg_admin is not None
    name = f"{PREFIX}{next(_counter)}"
    database = open_database(_create_pg(pg_admin, name, template))
    yield database
    database.dispose()
    _drop_pg(pg_admin, name)


@pytest.fixture
def db(empty_template: Path | str, pg_admin: Engine | None, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated, empty database (SQLite file, or PostgreSQL database)."""
    yield from _fresh(empty_template, pg_admin, tmp_path / "test.sqlite")


@pytest.fixture
def demo_db(demo_template: Path | str, pg_admin: Engine | None,
            tmp_path: Path) -> Iterator[Database]:
    """A fresh copy of the demo database."""
    yield from _fresh(demo_template, pg_admin, tmp_path / "demo.sqlite")


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


def db_args(database: Database) -> list[str]:
    """Command-line options that name ``database``: ``--db FILE`` or ``--database-url URL``."""
    if database.path is not None:
        return ["--db", str(database.path)]
    return ["--database-url", database.url]
