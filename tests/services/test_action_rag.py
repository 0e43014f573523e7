"""RAG rules, status words from the packs, direction of travel, quarters."""

from __future__ import annotations

import datetime as dt

import pytest

from cspdesk.models.actions import ActionStatus, Rag
from cspdesk.services.action_rag import (
    UnknownStatus,
    computed_rag,
    direction,
    effective_rag,
    quarter_of,
    status_from_text,
)

TODAY = dt.date(2020, 2, 20)


@pytest.mark.parametrize(("text", "expected"), [
    ("Complete", ActionStatus.COMPLETE),
    ("Complete report available to Partnership", ActionStatus.COMPLETE),
    ("On track - To be discussed and agreed at February board meeting", ActionStatus.ON_TRACK),
    ("In Progress – First meeting held 12 th February 2020", ActionStatus.ON_TRACK),
    ("In progress", ActionStatus.ON_TRACK),
    ("Yet to start", ActionStatus.NOT_STARTED),
    ("Ongoing.", ActionStatus.ON_TRACK),
    ("No progress.", ActionStatus.AT_RISK),
    ("Abandoned as County CYP group disbanded.", ActionStatus.ABANDONED),
    ("Not started", ActionStatus.NOT_STARTED),
    ("off track", ActionStatus.OFF_TRACK),
    ("At Risk", ActionStatus.AT_RISK),
])
def test_pack_status_words_map_to_the_status_list(text: str, expected: ActionStatus) -> None:
    assert status_from_text(text) is expected


def test_nothing_to_report_is_no_status_and_gibberish_is_refused() -> None:
    assert status_from_text("None to report") is None
    assert status_from_text("Nothing to report") is None
    with pytest.raises(UnknownStatus, match="Not started, On track"):
        status_from_text("Maybe next year")


def test_overdue_turns_red_the_day_after_the_due_date() -> None:
    due = dt.date(2020, 2, 27)
    assert computed_rag("on_track", due, due) is Rag.GREEN
    assert computed_rag("on_track", due, due + dt.timedelta(days=1)) is Rag.RED
    assert computed_rag("complete", due, due + dt.timedelta(days=300)) is Rag.COMPLETE


def test_not_started_within_30_days_is_amber_and_at_risk_is_amber() -> None:
    assert computed_rag("not_started", TODAY + dt.timedelta(days=31), TODAY) is Rag.GREEN
    assert computed_rag("not_started", TODAY + dt.timedelta(days=30), TODAY) is Rag.AMBER
    assert computed_rag("at_risk", None, TODAY) is Rag.AMBER
    assert computed_rag("off_track", None, TODAY) is Rag.RED
    assert computed_rag("on_track", None, TODAY) is Rag.GREEN
    assert computed_rag("abandoned", None, TODAY) is Rag.COMPLETE


def test_override_wins_except_over_complete() -> None:
    assert effective_rag("on_track", None, TODAY, "red") == (Rag.RED, True)
    assert effective_rag("complete", None, TODAY, "red") == (Rag.COMPLETE, False)
    assert effective_rag("on_track", None, TODAY, None) == (Rag.GREEN, False)


def test_direction_of_travel() -> None:
    assert direction(None, "green") is None
    assert direction("green", "amber") == "worse"
    assert direction("red", "green") == "better"
    assert direction("green", "complete") == "better"
    assert direction("amber", "amber") == "same"


def test_financial_quarters() -> None:
    assert quarter_of(dt.date(2020, 2, 20)) == "2019/20 Q4"
    assert quarter_of(dt.date(2020, 4, 1)) == "2020/21 Q1"
    assert quarter_of(dt.date(2020, 12, 31)) == "2020/21 Q3"
