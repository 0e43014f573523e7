"""Migration 0003 creates exactly the budget tables the models describe, and downgrades cleanly."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from cspdesk.db.migrate import alembic_config
from cspdesk.models.base import Base

BUDGET_TABLES = {"funding_stream", "stream_year", "grant_income", "budget_line",
                 "budget_line_split", "ledger_entry"}


def test_migrated_budget_schema_equals_models(db) -> None:
    with db.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= BUDGET_TABLES
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = [d for d in compare_metadata(ctx, Base.metadata)
                 if any(f"'{t}'" in repr(d) for t in BUDGET_TABLES)]
    assert diffs == []


def test_plan_action_links_to_budget_line(db) -> None:
    with db.engine.connect() as conn:
        fks = inspect(conn).get_foreign_keys("plan_action")
    assert any(fk["referred_table"] == "budget_line" for fk in fks)


def test_downgrade_to_0002_removes_the_budget_tables(db) -> None:
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    with db.engine.connect() as conn:
        assert not BUDGET_TABLES & set(inspect(conn).get_table_names())
