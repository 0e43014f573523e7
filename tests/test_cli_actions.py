"""The action commands run end to end on a real demo database file."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from cspdesk import cli
from tests.conftest import db_args


def _run(db, *argv: str) -> int:  # type: ignore[no-untyped-def]
    return cli.run_command(cli.parse([*db_args(db), *argv]))


def test_exports_write_pdfs(demo_db, fixed_today, tmp_path, capsys) -> None:
    assert _run(demo_db, "export", "action-plan", "--plan", "Transformation",
                "--out", str(tmp_path / "p.pdf")) == 0
    assert "8 actions" in capsys.readouterr().out
    assert _run(demo_db, "export", "action-log", "--board", "Cambridge",
                "--meeting", "2021-02-09", "--out", str(tmp_path / "l.pdf")) == 0
    assert "10/04" in PdfReader(str(tmp_path / "l.pdf")).pages[0].extract_text()
    assert _run(demo_db, "export", "highlight-report", "--plan", "Operational",
                "--out", str(tmp_path / "h.pdf")) == 0


def test_expected_failures_exit_2_with_one_sentence(demo_db, tmp_path, capsys) -> None:
    assert _run(demo_db, "export", "action-plan", "--plan", "Plan",
                "--out", str(tmp_path / "p.pdf")) == 2
    assert "matches several plans" in capsys.readouterr().err
    assert _run(demo_db, "export", "action-plan", "--plan", "Transformation",
                "--out", str(tmp_path / "p.docx")) == 2
    assert "must end in .pdf" in capsys.readouterr().err


def test_update_template_round_trip_on_the_command_line(demo_db, fixed_today, tmp_path,
                                                        capsys) -> None:
    out = tmp_path / "t.xlsx"
    assert _run(demo_db, "export", "update-template", "--lead", "Leigh Roberts",
                "--out", str(out)) == 0
    capsys.readouterr()
    wb = load_workbook(out)
    ws = wb["Updates"]
    assert ws.max_row == 1  # Leigh Roberts' three actions are complete: nothing to update
    assert _run(demo_db, "export", "update-template", "--lead", "Paul Rogerson",
                "--out", str(out)) == 0
    wb = load_workbook(out)
    ws = wb["Updates"]
    ws.cell(2, 8).value = "Training needs survey drafted."
    wb.save(out)
    assert _run(demo_db, "import", "action-updates", str(out)) == 2  # no terminal, no --yes
    assert "Add --yes" in capsys.readouterr().err
    assert _run(demo_db, "import", "action-updates", str(out), "--yes") == 0
    assert "Imported 1 updates" in capsys.readouterr().out
    assert _run(demo_db, "import", "action-updates", str(out), "--yes") == 0
    assert "already imported" in capsys.readouterr().out


def test_unknown_ref_is_refused_on_the_command_line(demo_db, fixed_today, tmp_path,
                                                   capsys) -> None:
    out = tmp_path / "t.xlsx"
    _run(demo_db, "export", "update-template", "--lead", "Paul Rogerson", "--out", str(out))
    wb = load_workbook(out)
    ws = wb["Updates"]
    ws.cell(2, 3).value = "42"
    ws.cell(2, 8).value = "x"
    wb.save(out)
    assert _run(demo_db, "import", "action-updates", str(out), "--yes") == 2
    captured = capsys.readouterr()
    assert "error: Row 2: ref '42'" in captured.out and "nothing was imported" in captured.err


@pytest.fixture(autouse=True)
def _home(data_home):  # type: ignore[no-untyped-def]
    return data_home
