"""Minutes: per-item text and decisions, declarations, inline action points, approval, PDF."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from pypdf import PdfReader

from cspdesk.errors import UserError, ValidationError
from cspdesk.services import agenda, minutes, papers
from cspdesk.services.packs import find_meeting


def _text(path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


def test_minutes_capture_decisions_declarations_and_action_points(demo_db, tmp_path):
    mid = find_meeting(demo_db, dt.date(2020, 2, 27))
    rows = agenda.get_agenda(demo_db, mid).rows
    budget = next(r for r in rows if r.number == "7")
    minutes.save_entry(demo_db, budget.id, "Kathryn Hawkes presented the budget.\n\n"
                       "Members asked about the DHR reserve.", "approved_subject_to",
                       "the OPCC confirming the rollover")
    person = budget.lead_ids[0]
    minutes.add_declaration(demo_db, mid, person, "Trustee of a funded charity", budget.id)
    point = minutes.add_action(demo_db, budget.id, "Circulate the final budget", [person],
                               dt.date(2020, 3, 31))
    assert point.ref == "02/01"
    data = minutes.get_minutes(demo_db, mid)
    item = next(i for i in data.items if i.number == "7")
    assert item.decision_line == "Approved subject to the OPCC confirming the rollover"
    assert item.actions == ("Action point 02/01: Circulate the final budget "
                            "(Kathryn Hawkes; by 31 Mar 2020)",)
    text = _text(minutes.minutes_pdf(demo_db, mid, tmp_path / "m.pdf"))
    assert "Minutes of the meeting held on Thursday 27 Feb 2020" in text
    assert "7.1 Kathryn Hawkes presented the budget." in text
    assert "7.2 Members asked about the DHR reserve." in text
    assert "Kathryn Hawkes (item 7): Trustee of a funded charity" in text
    assert "DRAFT" in text and "to be published once approved" in text
    with pytest.raises(ValidationError, match="subject to"):
        minutes.save_entry(demo_db, budget.id, "x", "approved_subject_to", "")


def test_approval_makes_minutes_final(demo_db, tmp_path):
    mid = find_meeting(demo_db, dt.date(2020, 2, 27))
    minutes.approve(demo_db, mid, dt.date(2020, 6, 4))
    text = _text(minutes.minutes_pdf(demo_db, mid, tmp_path / "m.pdf"))
    assert "DRAFT" not in text and "Approved as a correct record on 4 Jun 2020" in text
    item = agenda.get_agenda(demo_db, mid).rows[0]
    with pytest.raises(UserError, match="approved and are final"):
        minutes.save_entry(demo_db, item.id, "late change")
    minutes.unapprove(demo_db, mid)
    minutes.save_entry(demo_db, item.id, "now allowed")


def test_minutes_provider_gives_the_previous_meetings_minutes(demo_db, tmp_path):
    mid = find_meeting(demo_db, dt.date(2020, 2, 27))
    assert papers.providers()["minutes"][0] == "Minutes of the previous meeting"
    text = _text(papers.generate("minutes", demo_db, mid, tmp_path))
    assert "Minutes of the meeting held on Tuesday 1 Oct 2019" in text
    assert "Ryan Stacey was elected Chairman in his absence" in text
    assert "Approved as a correct record on 27 Feb 2020" in text
    assert "Action point 10/01" in text
