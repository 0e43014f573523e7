"""Run Alembic migrations at start-up: refuse newer databases, back up before upgrading."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from cspdesk.db.engine import Database
from cspdesk.errors import NewerDatabaseError, NotADatabaseError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    """Alembic configuration pointing at the bundled migrations."""
    cfg = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The newest schema revision this build knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    """The database's schema revision (None for an empty database)."""
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_compatible(db: Database) -> str | None:
    """Raise a clear error when the database is not ours or is newer than this build."""
    with db.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        revision = MigrationContext.configure(conn).get_current_revision()
    if revision is None and tables - {"alembic_version"}:
        raise NotADatabaseError(
            "This file is a database, but not a cspdesk one. Choose another file."
        )
    if revision is not None:
        script = ScriptDirectory.from_config(alembic_config())
        known = {rev.revision for rev in script.walk_revisions()}
        if revision not in known:
            raise NewerDatabaseError(
                f"This database was saved by a newer version of cspdesk (schema {revision}). "
                "Install the newer version, or choose another file."
            )
    return revision


def upgrade(
    db: Database,
    revision: str = "head",
    *,
    backup: Callable[[Database, str], object] | None = None,
) -> bool:
    """Bring the schema to ``revision``; returns True if anything ran.

    ``backup(db, reason)`` is called first when an existing schema is about to change.
    """
    current = check_compatible(db)
    target = head_revision() if revision == "head" else revision
    if current == target:
        return False
    if current is not None and backup is not None:
        backup(db, f"before-upgrade-{current}")
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return True
