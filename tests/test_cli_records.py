"""Records from the command line: audit export, subject access export, retention review."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

from cspdesk import cli
from cspdesk.services import retention
from tests.conftest import db_args


def _run(db, *argv: str) -> int:  # type: ignore[no-untyped-def]
    return cli.run_command(cli.parse([*db_args(db), *argv]))


def test_audit_export_for_one_person(demo_db, tmp_path: Path, capsys) -> None:
    out = tmp_path / "audit.csv"
    assert _run(demo_db, "export", "audit", "--person", "Kathryn Hawkes", "--out", str(out)) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) > 2 and any("Kathryn Hawkes" in " ".join(r) for r in rows[1:])
    assert f"{len(rows) - 1} audit entries written to {out}" in capsys.readouterr().out


def test_subject_access_needs_one_person(demo_db, tmp_path: Path, capsys) -> None:
    out = tmp_path / "sar.xlsx"
    assert _run(demo_db, "export", "subject-access", "--person", "Emma", "--out", str(out)) == 2
    assert "'Emma' matches" in capsys.readouterr().err and not out.exists()
    assert _run(demo_db, "export", "subject-access", "--person", "Kathryn Hawkes",
                "--out", str(out)) == 0
    book = load_workbook(out)
    assert book.sheetnames[0] == "Summary" and book["Summary"]["B2"].value == "Kathryn Hawkes"


def test_retention_lists_then_applies_only_with_yes(demo_db, capsys) -> None:
    due = retention.due(demo_db)
    assert due
    assert _run(demo_db, "retention") == 0
    listed = capsys.readouterr().out
    assert all(item.what in listed for item in due)
    assert _run(demo_db, "retention", "--apply") == 2
    assert "--yes" in capsys.readouterr().err and len(retention.due(demo_db)) == len(due)
    assert _run(demo_db, "retention", "--apply", "--yes") == 0
    assert retention.due(demo_db) == []
