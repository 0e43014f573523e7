"""Alembic migrations: first revision upgrades to head with a backup, schema equals models,
and databases from a newer cspdesk are refused without being touched."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from cspdesk import config
from cspdesk.db.engine import create_database
from cspdesk.db.migrate import alembic_config, current_revision, head_revision, upgrade
from cspdesk.errors import NewerDatabaseError, NotADatabaseError
from cspdesk.models.base import Base
from cspdesk.services.database import open_database


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_migration_chain_has_one_head_and_starts_at_0001() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    bases = script.get_bases()
    assert bases == ["0001"]


def test_a_database_at_the_first_revision_upgrades_to_head_with_a_backup(
        tmp_path: Path, data_home: Path) -> None:
    path = tmp_path / "old.sqlite"
    old = create_database(config.sqlite_url(path))
    upgrade(old, "0001")
    with old.session() as s:
        s.execute(Base.metadata.tables["organisation"].insert().values(
            name="Cambridgeshire Constabulary", type="statutory", version=1))
    assert current_revision(old) == "0001"
    old.dispose()

    db = open_database(config.sqlite_url(path))
    try:
        assert current_revision(db) == head_revision()
        with db.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        assert {"isa_party", "budget_line", "plan_action", "paper"} <= tables
        with db.session() as s:
            names = s.execute(Base.metadata.tables["organisation"].select()).all()
        assert [n.name for n in names] == ["Cambridgeshire Constabulary"]  # data kept
    finally:
        db.dispose()
    backups = list(config.backups_dir_for(path).glob("old-*before-upgrade-0001*.sqlite"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("select version_num from alembic_version").fetchone() == ("0001",)


def test_migrated_schema_equals_the_models(db) -> None:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(ctx, Base.metadata)
    assert diffs == []


@pytest.mark.sqlite_only(reason="the file's bytes are left unchanged")
def test_a_database_from_a_newer_version_is_refused_and_left_unchanged(
        empty_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    path.write_bytes(empty_template.read_bytes())
    with sqlite3.connect(path) as conn:
        conn.execute("update alembic_version set version_num = '9999_future'")
    conn.close()
    before = _digest(path)
    with pytest.raises(NewerDatabaseError, match="newer version of cspdesk"):
        open_database(config.sqlite_url(path))
    assert _digest(path) == before
    assert not config.backups_dir_for(path).exists()


@pytest.mark.postgres
def test_a_server_database_from_a_newer_version_is_refused(db) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("update alembic_version set version_num = '9999_future'"))
    db.dispose()
    with pytest.raises(NewerDatabaseError, match="newer version of cspdesk"):
        open_database(db.url)
    assert current_revision(db) == "9999_future"


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("create table recipes (name text)")
    conn.close()
    before = _digest(path)
    with pytest.raises(NotADatabaseError, match="not a cspdesk one"):
        open_database(config.sqlite_url(path))
    assert _digest(path) == before
