"""Migration 0004 creates exactly the action tables the models describe, and downgrades cleanly."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from cspdesk.db.migrate import alembic_config
from cspdesk.models.base import Base

ACTION_TABLES = {"action_plan", "plan_priority", "plan_action", "plan_action_partner",
                 "action_update", "action_snapshot", "action_point", "action_point_owner"}


def _touches_actions(diff: object) -> bool:
    text = repr(diff)
    return any(f"'{t}'" in text for t in ACTION_TABLES)


def test_migrated_action_schema_equals_models(db) -> None:
    with db.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= ACTION_TABLES
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = [d for d in compare_metadata(ctx, Base.metadata) if _touches_actions(d)]
    assert diffs == []


def test_downgrade_to_0003_removes_the_action_tables(db) -> None:
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    with db.engine.connect() as conn:
        assert not ACTION_TABLES & set(inspect(conn).get_table_names())
