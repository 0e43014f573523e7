"""`cspdesk copy`: whole databases between SQLite and PostgreSQL, compared table by table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from cspdesk import cli, config
from cspdesk.db.engine import Database
from cspdesk.db.migrate import current_revision, head_revision
from cspdesk.errors import UserError
from cspdesk.models.base import Base
from cspdesk.services.attachments import attachment_path
from cspdesk.services.copy import copy_database, row_counts
from cspdesk.services.database import open_database


def _dump(db: Database) -> dict[str, list[tuple]]:
    out = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            pk = list(table.primary_key.columns)
            out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*pk))]
    return out


def _sqlite(path: Path) -> str:
    return config.sqlite_url(path)


def _demo_file(tmp_path: Path, demo_db: Database) -> str:
    """The demo as an SQLite file (the fixture itself when the suite runs on SQLite)."""
    if demo_db.is_sqlite:
        return demo_db.url
    url = _sqlite(tmp_path / "demo-copy.sqlite")
    copy_database(demo_db.url, url)
    return url


def test_sqlite_to_sqlite_copies_every_row_and_attachment(demo_db: Database,
                                                            tmp_path: Path) -> None:
    source = _demo_file(tmp_path, demo_db)
    target = _sqlite(tmp_path / "copy.sqlite")
    report = copy_database(source, target)
    assert report.ok and report.rows > 100 and report.files > 0
    src, dst = open_database(source, read_only=True), open_database(target, read_only=True)
    try:
        assert _dump(src) == _dump(dst)
        assert current_revision(dst) == head_revision()
        with dst.session() as s:
            from cspdesk.models import Attachment

            ids = s.scalars(select(Attachment.id)).all()
        assert ids and all(attachment_path(dst, i).is_file() for i in ids)
    finally:
        src.dispose()
        dst.dispose()


def test_a_non_empty_target_is_refused_without_force(demo_db: Database, tmp_path: Path) -> None:
    source = _demo_file(tmp_path, demo_db)
    target = _sqlite(tmp_path / "copy.sqlite")
    copy_database(source, target)
    with pytest.raises(UserError, match="already holds data.*--force"):
        copy_database(source, target)
    report = copy_database(source, target, force=True)
    assert report.ok


def test_the_same_database_is_refused(tmp_path: Path) -> None:
    url = _sqlite(tmp_path / "a.sqlite")
    with pytest.raises(UserError, match="same database"):
        copy_database(url, url)


def test_cli_copy_reports_the_checks(demo_db: Database, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    source = _demo_file(tmp_path, demo_db)
    out = tmp_path / "cli.sqlite"
    args = cli.parse(["copy", "--from", source, "--to", str(out)])
    assert cli.run_command(args) == 0
    text = capsys.readouterr().out
    assert "Copied" in text and "money column totals match" in text
    assert cli.run_command(cli.parse(["copy", "--from", source, "--to", str(out)])) == 2
    assert "--force" in capsys.readouterr().err


@pytest.mark.postgres
def test_demo_round_trip_sqlite_to_postgres_and_back(
        demo_db: Database, tmp_path: Path, new_server_db: Callable[[], str]) -> None:
    source = _demo_file(tmp_path, demo_db)
    server = new_server_db()
    up = copy_database(source, server)
    back = _sqlite(tmp_path / "back.sqlite")
    down = copy_database(server, back)
    assert up.ok and down.ok and up.rows == down.rows
    dbs = [open_database(u, read_only=True) for u in (source, server, back)]
    try:
        first, on_server, last = (_dump(d) for d in dbs)
        assert first == on_server == last
        assert row_counts(dbs[0]) == row_counts(dbs[1])
    finally:
        for d in dbs:
            d.dispose()
    server_db = open_database(server)  # sequences moved past the copied ids
    try:
        from cspdesk.models import Organisation

        with server_db.session() as s:
            top = max(s.scalars(select(Organisation.id)).all())
            s.add(Organisation(name="Copied Borough Council", type="statutory"))
            s.flush()
            new_id = s.scalar(select(Organisation.id).where(
                Organisation.name == "Copied Borough Council"))
        assert new_id is not None and new_id > top
    finally:
        server_db.dispose()


def _as_other_officer(url: str, home: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    """The same server database opened from another officer's laptop (own data folder)."""
    home.mkdir()
    monkeypatch.setenv("CSPDESK_HOME", str(home))
    return open_database(url)


@pytest.mark.postgres
def test_a_laptop_database_moved_to_the_server_shares_its_papers(
        tmp_path: Path, new_server_db: Callable[[], str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Papers attached on one laptop are readable from every other copy once on the server:
    their bytes go into the database, the data folder is only a cache."""
    import datetime as dt

    from cspdesk.models import Attachment
    from cspdesk.services.demo import load_demo
    from cspdesk.services.packs import export_pack, find_meeting

    laptop = _sqlite(tmp_path / "laptop.sqlite")
    db = open_database(laptop)
    load_demo(db)  # papers stored as files beside the laptop's file
    db.dispose()
    server = new_server_db()
    report = copy_database(laptop, server)
    assert report.ok and "attached files" in [t.table for t in report.tables]
    other = _as_other_officer(server, tmp_path / "other-home", monkeypatch)
    try:
        assert not (other.files_dir / "attachments").exists()  # nothing cached yet
        with other.session() as s:
            ids = s.scalars(select(Attachment.id)).all()
        assert ids and all(attachment_path(other, i).is_file() for i in ids)
        meeting = find_meeting(other, dt.date(2020, 2, 27))
        out = export_pack(other, meeting, tmp_path / "pack.pdf", public=False)
        from pypdf import PdfReader

        assert len(PdfReader(out).pages) > 100  # every stored paper, from the database
    finally:
        other.dispose()


@pytest.mark.postgres
def test_a_paper_attached_on_the_server_is_readable_from_another_laptop(
        demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cspdesk.services.attachments import store_bytes

    row = store_bytes(demo_db, b"%PDF-1.4 shared paper", "Police update.pdf")
    other = _as_other_officer(demo_db.url, tmp_path / "other-home", monkeypatch)
    try:
        assert attachment_path(other, row.id).read_bytes() == b"%PDF-1.4 shared paper"
    finally:
        other.dispose()
