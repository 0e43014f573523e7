"""Action papers read back with pypdf: what an officer would check on the page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pypdf import PdfReader

from cspdesk import clock
from cspdesk.reports.actions import build_action_log, build_action_plan, build_highlight_report
from cspdesk.services import action_snapshots as snaps
from cspdesk.services import action_updates as upd
from cspdesk.services import actions as svc
from cspdesk.services.action_reports import action_log_data, find_board, highlight_data
from cspdesk.services.papers import generate, providers


def _text(path: Path) -> tuple[PdfReader, str]:
    reader = PdfReader(str(path))
    return reader, "\n".join(p.extract_text() for p in reader.pages)


def _plan(db, start: str):  # type: ignore[no-untyped-def]
    return next(p for p in svc.list_plans(db) if p.title.startswith(start))


def test_action_plan_pdf_is_landscape_with_rag_words_and_total(demo_db, fixed_today,
                                                                tmp_path) -> None:
    tree = svc.plan_tree(demo_db, _plan(demo_db, "Transformation").id)
    out = build_action_plan(tree, tmp_path / "plan.pdf", today=fixed_today)
    reader, text = _text(out)
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape
    assert "Transformation Topic Action Plan 2019-21" in text
    for header in ("Ref", "Action", "Lead", "Timescale", "Status", "Latest update"):
        assert header in text
    assert "Set up data group" in text and "Launch toolkit and support package" in text
    assert "Complete" in text and "Green" in text
    assert "£36,650.00" in text
    assert f"Page 1 of {len(reader.pages)}" in text
    # header row repeated on every page
    for page in reader.pages:
        assert "Latest update" in page.extract_text()


def test_highlight_report_counts_changes_and_overdue(demo_db, fixed_today, tmp_path) -> None:
    plan = _plan(demo_db, "Transformation")
    snaps.close_quarter(demo_db, plan.id)
    seven = next(a for a in svc.plan_tree(demo_db, plan.id).actions if a.ref == "7")
    upd.set_status(demo_db, seven.id, "at_risk")
    clock.set_clock(dt.date(2020, 2, 28))
    data = highlight_data(demo_db, plan.id)
    assert data.counts == {"Red": 1, "Amber": 1, "Green": 3, "Complete": 3}
    out = build_highlight_report(data, tmp_path / "hl.pdf")
    _, text = _text(out)
    assert "What changed since 2019/20 Q4" in text
    assert "Develop support package" in text and "▼ worse" in text
    assert "Overdue" in text and "Agree focus for action" in text  # due 27 Feb 2020
    assert " Red\n 1\n Amber\n 1\n Green\n 3\n Complete\n 3" in text


def test_action_log_pdf_lists_refs_owners_and_closing_notes(demo_db, fixed_today,
                                                             tmp_path) -> None:
    board_id, name = find_board(demo_db, "Cambridge")
    out = build_action_log(action_log_data(demo_db, board_id=board_id), tmp_path / "log.pdf")
    _, text = _text(out)
    assert name in text and "Action log" in text
    for ref in ("10/01", "10/02", "10/03", "10/04"):
        assert ref in text
    flat = " ".join(text.split())
    assert "Closed: This was shared on 8 October." in flat
    assert "Lisa Riddle, Louise Walker" in flat and "Page 1 of 1" in flat


def test_paper_providers_for_board_packs(demo_db, fixed_today, tmp_path) -> None:
    from sqlalchemy import select

    from cspdesk.models import Meeting

    assert {"action-log", "action-plan-update"} <= set(providers())
    with demo_db.session() as s:
        feb20 = s.scalar(select(Meeting.id).where(Meeting.date == dt.date(2020, 2, 27)))
    log = generate("action-log", demo_db, feb20, tmp_path)
    _, text = _text(log)
    assert "Action points: review" in text and "27 Feb 2020" in text
    assert "plain English version" in " ".join(text.split())  # open since 1 Oct 2019
    plan = generate("action-plan-update", demo_db, feb20, tmp_path,
                    plan_id=_plan(demo_db, "Operational").id)
    _, text = _text(plan)
    assert "Operational Action Plan 2020-21" in text and "South Cambridgeshire CSP Board" in text
