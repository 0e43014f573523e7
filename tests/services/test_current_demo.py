"""The demo's sample current year: a dashboard with something on it, whatever today is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from cspdesk import clock
from cspdesk.dates import is_working_day
from cspdesk.services import actions, budget_figures, meetings, packs
from cspdesk.services.current_demo import BOARD, PARTNERSHIP, load_this_year
from cspdesk.services.dashboard import dashboard_lines
from cspdesk.services.partnerships import find_partnership


@pytest.fixture
def today(request: pytest.FixtureRequest) -> Iterator[dt.date]:
    day = getattr(request, "param", dt.date(2026, 11, 30))
    clock.set_clock(day)
    yield day
    clock.set_clock(None)


def _texts(db, partnership_id, today) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {card: [line.text for line in lines]
            for card, lines in dashboard_lines(db, partnership_id, today).items()}


def test_the_dashboard_has_a_next_meeting_overdue_work_and_a_budget_warning(demo_db,
                                                                          today) -> None:
    pid = find_partnership(demo_db, PARTNERSHIP).id
    before = _texts(demo_db, pid, today)
    # the packs' plans ended long ago: counted, not chased line by line
    assert [t[:12] for t in before["Overdue actions"]] == ["Not listed: "]
    assert before["Budget warnings"] == []
    assert before["Next meetings"] == [f"{BOARD}: no meeting planned"]

    load_this_year(demo_db, today)
    cards = _texts(demo_db, pid, today)
    assert cards["Next meetings"] == [
        f"{BOARD}: 17 Dec 2026, 10:00 · papers due 10 Dec 2026 · 1 missing "
        "(Item 6: Anti-social behaviour hotspots: police update)"]
    overdue = cards["Overdue actions"]
    assert any("Review CCTV coverage in the market towns" in t and "due 18 Nov 2026" in t
               for t in overdue)
    assert any(t.startswith("Action point 10/02") and "Kathryn Hawkes" in t for t in overdue)
    assert cards["Budget warnings"] == [
        "Lines allocate £9,600.00 from Pooled Fund in 2026/27 but only £4,100.00 is available "
        "(over by £5,500.00)."]


def test_this_years_plan_shows_rag_and_direction_of_travel(demo_db, today) -> None:
    load_this_year(demo_db, today)
    pid = find_partnership(demo_db, PARTNERSHIP).id
    plan = next(p for p in actions.list_plans(demo_db, pid) if p.period == "2026/27")
    rows = {a.title: a for a in actions.plan_tree(demo_db, plan.id, today).actions}
    assert [a.ref for a in rows.values()] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    training = rows["Domestic abuse awareness training for housing officers"]
    schools = rows["County lines awareness sessions in secondary schools"]
    cctv = rows["Review CCTV coverage in the market towns"]
    event = rows["Community Safety Event in a rural village"]
    assert (training.status, training.direction) == ("complete", "better")
    assert (schools.rag, schools.direction) == ("amber", "worse")
    assert cctv.rag == "red"
    assert event.rag == "amber" and event.budget_line_id is not None
    assert "Two schools have withdrawn" in (schools.latest_update or "")


def test_the_next_meetings_pack_builds_with_its_generated_papers(demo_db, today,
                                                                tmp_path: Path) -> None:
    load_this_year(demo_db, today)
    pid = find_partnership(demo_db, PARTNERSHIP).id
    nxt = meetings.next_meetings(demo_db, pid, today)[0][1]
    assert nxt is not None
    out = packs.export_pack(demo_db, nxt.id, tmp_path / "pack.pdf", public=False)
    reader = PdfReader(out)
    assert "Protective marking: OFFICIAL" in reader.pages[0].extract_text()  # item 5's marking
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert "8  Finance report" in titles and "5  Partnership Plan: mid-year review" in titles
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Minutes of the meeting held on Thursday 15 Oct 2026" in text
    assert "The OPCC grant for the year is signed." in text
    assert "Partnership Plan 2026/27" in text
    assert len(reader.pages) >= 10


@pytest.mark.parametrize("today", [dt.date(2026, 11, 30), dt.date(2027, 1, 5),
                                   dt.date(2027, 4, 2), dt.date(2026, 7, 1),
                                   dt.date(2026, 12, 24)], indirect=True)
def test_any_day_gives_a_held_meeting_before_and_a_working_thursday_after(demo_db,
                                                                         today) -> None:
    load_this_year(demo_db, today)
    pid = find_partnership(demo_db, PARTNERSHIP).id
    ours = [m for m in meetings.list_meetings(demo_db, pid) if m.date.year >= 2026]
    past = [m for m in ours if m.date < today]
    future = [m for m in ours if m.date > today]
    assert [m.status for m in past] == ["held"] and len(future) == 1
    day = future[0].date
    assert day.weekday() == 3 and is_working_day(day)
    assert not (day.month == 12 and day.day >= 21) and not (day.month == 1 and day.day <= 3)
    year = budget_figures.year_figures(demo_db, pid, today.year if today.month > 3
                                       else today.year - 1)
    assert {s.stream.name for s in year.streams} >= {"OPCC grant", "Pooled Fund"}
