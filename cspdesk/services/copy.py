"""Copy a whole cspdesk database between SQLite and PostgreSQL, then prove the copy is whole.

Tables go in foreign-key order (``Base.metadata.sorted_tables``) in batches, with self-references
filled in afterwards; the attachments folder goes along; PostgreSQL sequences are moved past the
copied ids; the target gets the schema through the same Alembic migrations, so it keeps the
revision. Afterwards every table's row count and every money column's total must match.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Column, Connection, Table, bindparam, func, inspect, select, text, update
from sqlalchemy.engine import make_url

import cspdesk.models  # noqa: F401 - registers every table
from cspdesk.db.engine import Database, create_database
from cspdesk.db.types import Money
from cspdesk.errors import UserError
from cspdesk.models.base import Base
from cspdesk.progress import NULL_PROGRESS, Progress

BATCH = 1000
#: attachment bytes are big: fewer rows at a time
CONTENT_BATCH = 20
CONTENT = "attachment_content"


@dataclass(frozen=True)
class TableCheck:
    """Row count and money totals of one table in the source and the copy."""

    table: str
    rows: int
    copied_rows: int
    money: dict[str, tuple[Decimal, Decimal]]

    @property
    def ok(self) -> bool:
        return self.rows == self.copied_rows and all(a == b for a, b in self.money.values())


@dataclass(frozen=True)
class CopyReport:
    """What a copy moved, and the checks that prove it."""

    source: str
    target: str
    revision: str | None
    tables: tuple[TableCheck, ...]
    files: int

    @property
    def rows(self) -> int:
        return sum(t.copied_rows for t in self.tables if t.table != "attached files")

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)


def describe(url: str) -> str:
    """A URL for messages: the file path, or ``database on host`` (never the password)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.database)
    return f"{parsed.database} on {parsed.host or 'localhost'}"


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def row_counts(db: Database) -> dict[str, int]:
    """Rows per cspdesk table that exists in ``db``."""
    with db.engine.connect() as conn:
        present = set(inspect(conn).get_table_names())
        return {t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0)
                for t in _tables() if t.name in present}


def is_empty(db: Database) -> bool:
    """True when no cspdesk table holds a row."""
    return not any(row_counts(db).values())


def _money_columns(table: Table) -> list[Column]:
    return [c for c in table.columns if isinstance(c.type, Money)]


def _self_refs(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _wipe(target: Database) -> None:
    """Drop the cspdesk tables and the schema revision (``--force``)."""
    with target.engine.begin() as conn:
        Base.metadata.drop_all(conn, checkfirst=True)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _copy_table(src: Connection, dst: Connection, table: Table, progress: Progress,
                done: int, total: int) -> int:
    """Copy one table in batches; self-referencing columns are set in a second pass."""
    refs = _self_refs(table)
    pk = list(table.primary_key.columns)
    later: list[dict[str, object]] = []
    copied = 0
    size = CONTENT_BATCH if table.name == CONTENT else BATCH
    result = src.execution_options(yield_per=size).execute(select(table).order_by(*pk))
    for batch in result.mappings().partitions(size):
        rows = [dict(r) for r in batch]
        for row in rows:
            if any(row.get(c) is not None for c in refs):
                later.append({"_id": row["id"], **{f"_{c}": row[c] for c in refs}})
                row.update({c: None for c in refs})
        dst.execute(table.insert(), rows)
        copied += len(rows)
        progress.update(done + copied, total, f"Copying {table.name.replace('_', ' ')}")
        progress.check()
    if later:
        stmt = (update(table).where(table.c.id == bindparam("_id"))
                .values({c: bindparam(f"_{c}") for c in refs}))
        dst.execute(stmt, later)
    return copied


def _reset_sequences(dst: Connection) -> None:
    """Move PostgreSQL id sequences past the copied ids."""
    for table in _tables():
        if "id" not in table.c or list(table.primary_key.columns) != [table.c.id]:
            continue
        dst.execute(text(
            "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
            f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"), {"t": table.name})


def _totals(conn: Connection, table: Table) -> tuple[int, dict[str, Decimal]]:
    count = int(conn.scalar(select(func.count()).select_from(table)) or 0)
    money = {c.name: Decimal(conn.scalar(select(func.coalesce(func.sum(c), 0))) or 0)
             for c in _money_columns(table)}
    return count, money


def _available(db: Database) -> int:
    """How many attached files ``db`` can hand out: kept in the database or in its folder."""
    from cspdesk.models import Attachment, AttachmentContent
    from cspdesk.services.attachments import stored_path

    with db.session() as s:
        shas = set(s.scalars(select(Attachment.sha256)))
        kept = set(s.scalars(select(AttachmentContent.sha256)))
    return sum(1 for sha in shas if sha in kept or stored_path(db, sha).exists())


def _fill_contents(source: Database, target: Database) -> None:
    """A server target keeps attachment bytes in the database: add those the source kept
    only as files (an SQLite file), one at a time."""
    if target.is_sqlite:
        return
    from cspdesk.models import Attachment, AttachmentContent
    from cspdesk.services.attachments import stored_path

    with target.session() as s:
        wanted = set(s.scalars(select(Attachment.sha256))) - set(
            s.scalars(select(AttachmentContent.sha256)))
        for sha in sorted(wanted):
            path = stored_path(source, sha)
            if path.exists():
                s.add(AttachmentContent(sha256=sha, data=path.read_bytes()))
                s.flush()
                s.expunge_all()


def verify(source: Database, target: Database) -> tuple[TableCheck, ...]:
    """Compare row counts and money totals of every table, and the attached files each side
    can hand out (bytes in the database on a server, files beside an SQLite file)."""
    checks = [TableCheck("attached files", _available(source), _available(target), {})]
    with source.engine.connect() as src, target.engine.connect() as dst:
        for table in _tables():
            if table.name == CONTENT:  # where the bytes live differs: counted above
                continue
            rows, money = _totals(src, table)
            copied, copied_money = _totals(dst, table)
            checks.append(TableCheck(table.name, rows, copied,
                                     {k: (money[k], copied_money[k]) for k in money}))
    return tuple(checks)


def _copy_files(source: Database, target: Database) -> int:
    folder = source.files_dir
    if not folder.is_dir():
        return 0
    shutil.copytree(folder, target.files_dir, dirs_exist_ok=True)
    return sum(1 for p in Path(target.files_dir).rglob("*") if p.is_file())


def copy_database(source_url: str, target_url: str, *, force: bool = False,
                  progress: Progress = NULL_PROGRESS) -> CopyReport:
    """Copy the whole database at ``source_url`` to ``target_url`` and verify it.

    Refuses a target that holds any rows unless ``force`` (its cspdesk tables are then
    replaced). Raises UserError when the copy does not match the source.
    """
    from cspdesk.db.migrate import current_revision
    from cspdesk.services.database import open_database

    if make_url(source_url) == make_url(target_url):
        raise UserError("The source and the target are the same database. Choose another target.")
    source = open_database(source_url, read_only=True, create=False)
    try:
        probe = create_database(target_url)
        try:
            exists = _target_has_rows(probe, target_url)
            if exists and not force:
                raise UserError(
                    f"{describe(target_url)} already holds data. Choose an empty target, "
                    "or use --force to replace its contents.")
            if exists:
                _wipe(probe)
        finally:
            probe.dispose()
        target = open_database(target_url)
        try:
            return _copy_into(source, target, current_revision(target), progress)
        finally:
            target.dispose()
    finally:
        source.dispose()


def _target_has_rows(probe: Database, target_url: str) -> bool:
    path = probe.path
    if path is not None and not path.exists():
        return False
    try:
        with probe.engine.connect() as conn:
            present = set(inspect(conn).get_table_names())
    except Exception as exc:  # noqa: BLE001 - any driver error means we cannot reach it
        raise UserError(f"Cannot open {describe(target_url)}: check that it exists and that "
                        "the server, user and password are right.") from exc
    if present - {t.name for t in _tables()} - {"alembic_version"}:
        return True  # foreign tables: never write into somebody else's database quietly
    return not is_empty(probe)


def _copy_into(source: Database, target: Database, revision: str | None,
               progress: Progress) -> CopyReport:
    counts = row_counts(source)
    total = sum(counts.values())
    done = 0
    with source.engine.connect() as src, target.engine.begin() as dst:
        for table in reversed(_tables()):  # rows a migration may have seeded
            dst.execute(table.delete())
        for table in _tables():
            done += _copy_table(src, dst, table, progress, done, total)
        if dst.dialect.name == "postgresql":
            _reset_sequences(dst)
    files = _copy_files(source, target)
    _fill_contents(source, target)
    checks = verify(source, target)
    report = CopyReport(source.display_name, target.display_name, revision, checks, files)
    bad = [c.table for c in checks if not c.ok]
    if bad:
        raise UserError(f"The copy does not match the source in {', '.join(bad)}; "
                        "do not use it, and try the copy again.")
    return report
