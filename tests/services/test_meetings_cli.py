"""The meetings CLI: export pack (full/public), minutes and the board calendar."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from cspdesk import cli
from tests.conftest import db_args


def _run(db, *argv: str) -> int:
    return cli.run_command(cli.parse([*db_args(db), *argv]))


def test_export_pack_full_and_public(demo_db, tmp_path, capsys):
    assert _run(demo_db, "export", "pack", "--meeting", "2011-04-26", "--out",
                str(tmp_path / "full.pdf")) == 0
    assert _run(demo_db, "export", "pack", "--meeting", "2011-04-26", "--public", "--out",
                str(tmp_path / "public.pdf")) == 0
    out = capsys.readouterr()
    assert "Public pack written to" in out.out
    assert "check: Item 1: Introductions and Apologies has no lead." in out.err
    full, public = PdfReader(tmp_path / "full.pdf"), PdfReader(tmp_path / "public.pdf")
    assert len(full.pages) == len(public.pages) == 84


def test_export_pack_unknown_date_exits_2(demo_db, tmp_path, capsys):
    assert _run(demo_db, "export", "pack", "--meeting", "2030-01-01", "--out",
                str(tmp_path / "x.pdf")) == 2
    assert "No meeting on 1 Jan 2030" in capsys.readouterr().err


def test_export_minutes_and_calendar(demo_db, tmp_path):
    assert _run(demo_db, "export", "minutes", "--meeting", "2019-10-01", "--out",
                str(tmp_path / "m.pdf")) == 0
    assert "Minutes of the meeting" in PdfReader(tmp_path / "m.pdf").pages[0].extract_text()
    ics: Path = tmp_path / "south.ics"
    assert _run(demo_db, "export", "calendar", "--board", "South Cambs", "--out", str(ics)) == 0
    text = ics.read_bytes().decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;TZID=Europe/London:20200227T100000" in text
    assert "DTEND;TZID=Europe/London:20200227T130000" in text
    assert "DTSTART;VALUE=DATE:20200220\r\nDTEND;VALUE=DATE:20200221\r\n" in text
    assert "SUMMARY:Papers due: South Cambridgeshire CSP Board meeting of 27 Feb 2020" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    # RFC 5545: every TZID used is defined once, before the events; DTSTAMP is in UTC
    assert text.count("BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n") == 1
    assert text.index("END:VTIMEZONE") < text.index("BEGIN:VEVENT")
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in text
    stamps = [ln for ln in text.split("\r\n") if ln.startswith("DTSTAMP:")]
    assert stamps and all(ln.endswith("Z") and len(ln) == len("DTSTAMP:20200220T090000Z")
                          for ln in stamps)
